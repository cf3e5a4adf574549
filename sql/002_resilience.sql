-- resilops 002: the service catalogue (BIA, dependencies, status and
-- heartbeats, downtimes), risk records, alerts, SLA breaches,
-- integrations and the notification outbox.
-- Everything that belongs to a service goes with it (ON DELETE CASCADE).
-- Deduplication the daemon relies on is enforced by unique keys:
-- one open automatic downtime per service, one open alert per
-- (service, type, cause), one breach per (downtime, type).

CREATE TABLE services (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(100) NOT NULL,
	description	TEXT NULL,
	created_by	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	updated_at	DATETIME NOT NULL,
	KEY ix_services_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bia (
	service_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	criticality	VARCHAR(10) NULL,
	impact		VARCHAR(10) NULL,
	rto		INT UNSIGNED NULL,
	rpo		INT UNSIGNED NULL,
	signed_off	TINYINT(1) NOT NULL DEFAULT 0,
	signed_off_by	VARCHAR(255) NULL,
	signed_off_at	DATETIME NULL,
	updated_at	DATETIME NOT NULL,
	CONSTRAINT fk_bia_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE service_dependencies (
	service_id	BIGINT UNSIGNED NOT NULL,
	dependency_id	BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (service_id, dependency_id),
	KEY ix_deps_dependency (dependency_id),
	CONSTRAINT fk_deps_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE,
	CONSTRAINT fk_deps_dependency FOREIGN KEY (dependency_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- The current status; last_updated is the last heartbeat (a status write).
CREATE TABLE service_status (
	service_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	status		VARCHAR(10) NOT NULL,
	last_updated	DATETIME NULL,
	changed_at	DATETIME NOT NULL,
	set_by		VARCHAR(255) NULL,	-- username, or NULL for the daemon
	KEY ix_status_status (status, last_updated),
	KEY ix_status_heartbeat (last_updated),
	CONSTRAINT fk_status_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Outages.  source: manual (logged through the API), status (an operator
-- set Down), heartbeat (the daemon saw no heartbeat).  At most one open
-- automatic downtime per service.
CREATE TABLE downtimes (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	service_id	BIGINT UNSIGNED NOT NULL,
	start_time	DATETIME NOT NULL,
	end_time	DATETIME NULL,
	reason		VARCHAR(255) NOT NULL,
	source		VARCHAR(10) NOT NULL DEFAULT 'manual',
	created_at	DATETIME NOT NULL,
	open_auto	BIGINT UNSIGNED AS (IF(end_time IS NULL AND source <> 'manual',
			    service_id, NULL)) PERSISTENT,
	UNIQUE KEY uq_downtimes_open_auto (open_auto),
	KEY ix_downtimes_service_start (service_id, start_time),
	KEY ix_downtimes_service_end (service_id, end_time),
	KEY ix_downtimes_end (end_time),
	CONSTRAINT fk_downtimes_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE risks (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	service_id	BIGINT UNSIGNED NOT NULL,
	risk_score	INT NOT NULL,
	risk_level	VARCHAR(10) NOT NULL,
	reason		TEXT NULL,
	is_critical	TINYINT(1) NOT NULL DEFAULT 0,
	source		VARCHAR(10) NOT NULL DEFAULT 'automated',
	created_by	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	KEY ix_risks_service (service_id, id),
	KEY ix_risks_service_source (service_id, source, id),
	CONSTRAINT fk_risks_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Alerts.  cause distinguishes alerts of one type (the downtime id of an
-- SLA breach, the status of a StatusChange ...); an unacknowledged alert
-- is unique per (service, type, cause), so repeats are not stored.
CREATE TABLE alerts (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	service_id	BIGINT UNSIGNED NOT NULL,
	type		VARCHAR(20) NOT NULL,
	message		TEXT NOT NULL,
	severity	VARCHAR(10) NOT NULL,
	cause		VARCHAR(100) NOT NULL DEFAULT '',
	created_at	DATETIME NOT NULL,
	acknowledged	TINYINT(1) NOT NULL DEFAULT 0,
	acknowledged_by	VARCHAR(255) NULL,
	acknowledged_at	DATETIME NULL,
	open_key	VARCHAR(150) AS (IF(acknowledged = 0,
			    CONCAT(service_id, '|', type, '|', cause), NULL)) PERSISTENT,
	UNIQUE KEY uq_alerts_open (open_key),
	KEY ix_alerts_created (created_at, id),
	KEY ix_alerts_ack (acknowledged, id),
	KEY ix_alerts_service (service_id, id),
	CONSTRAINT fk_alerts_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sla_breaches (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	service_id	BIGINT UNSIGNED NOT NULL,
	downtime_id	BIGINT UNSIGNED NOT NULL,
	type		VARCHAR(3) NOT NULL,
	downtime_minutes INT UNSIGNED NOT NULL,
	threshold_minutes INT UNSIGNED NOT NULL,
	start_time	DATETIME NOT NULL,
	end_time	DATETIME NULL,
	reason		TEXT NULL,
	created_at	DATETIME NOT NULL,
	UNIQUE KEY uq_breaches_downtime_type (downtime_id, type),
	KEY ix_breaches_created (created_at, id),
	KEY ix_breaches_service (service_id, id),
	CONSTRAINT fk_breaches_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE,
	CONSTRAINT fk_breaches_downtime FOREIGN KEY (downtime_id)
	    REFERENCES downtimes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- config is JSON text whose secret values are AES-256-GCM ciphertexts
-- ({"$enc": "v<version>:<base64 of iv|ciphertext|tag>"}).
CREATE TABLE integrations (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	service_id	BIGINT UNSIGNED NOT NULL,
	type		VARCHAR(10) NOT NULL,
	config		MEDIUMTEXT NOT NULL,
	created_by	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	KEY ix_integrations_service (service_id, type),
	CONSTRAINT fk_integrations_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Notifications for the daemon to deliver, one row per receiving
-- integration.  status: pending, sent, failed (given up).
CREATE TABLE outbox (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	integration_id	BIGINT UNSIGNED NOT NULL,
	event		VARCHAR(32) NOT NULL,
	alert_id	BIGINT UNSIGNED NULL,
	payload		MEDIUMTEXT NOT NULL,
	status		VARCHAR(10) NOT NULL DEFAULT 'pending',
	attempts	INT UNSIGNED NOT NULL DEFAULT 0,
	next_attempt_at	DATETIME NOT NULL,
	last_error	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	sent_at		DATETIME NULL,
	UNIQUE KEY uq_outbox_alert (integration_id, alert_id),
	KEY ix_outbox_due (status, next_attempt_at),
	CONSTRAINT fk_outbox_integration FOREIGN KEY (integration_id)
	    REFERENCES integrations (id) ON DELETE CASCADE,
	CONSTRAINT fk_outbox_alert FOREIGN KEY (alert_id)
	    REFERENCES alerts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
