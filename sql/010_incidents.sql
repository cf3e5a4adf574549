-- resilops 010: incidents (CONTRACT 7, "Incidents, maintenance,
-- subscribers").
--
-- An incident names one or more services, has an impact and a status,
-- and a timeline of updates, the first made with it.  Its status and
-- resolved_at are those of its latest update (kept here so lists and
-- pages filter without reading the timeline).  A draft is an incident
-- the daemon prepared for an outage it opened on a public service:
-- nobody sees it on the public pages until someone publishes it;
-- downtime_id names that outage, once.
CREATE TABLE incidents (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	title		VARCHAR(200) NOT NULL,
	impact		VARCHAR(10) NOT NULL,
	status		VARCHAR(16) NOT NULL,
	draft		TINYINT(1) NOT NULL DEFAULT 0,
	downtime_id	BIGINT UNSIGNED NULL,
	created_by	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	updated_at	DATETIME NOT NULL,
	resolved_at	DATETIME NULL,
	UNIQUE KEY uq_incidents_downtime (downtime_id),
	KEY ix_incidents_open (draft, resolved_at, id),
	CONSTRAINT fk_incidents_downtime FOREIGN KEY (downtime_id)
	    REFERENCES downtimes (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE incident_services (
	incident_id	BIGINT UNSIGNED NOT NULL,
	service_id	BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (incident_id, service_id),
	KEY ix_incident_services_service (service_id, incident_id),
	CONSTRAINT fk_incident_services_incident FOREIGN KEY (incident_id)
	    REFERENCES incidents (id) ON DELETE CASCADE,
	CONSTRAINT fk_incident_services_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE incident_updates (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	incident_id	BIGINT UNSIGNED NOT NULL,
	status		VARCHAR(16) NOT NULL,
	message		TEXT NOT NULL,
	created_by	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	KEY ix_incident_updates_incident (incident_id, id),
	CONSTRAINT fk_incident_updates_incident FOREIGN KEY (incident_id)
	    REFERENCES incidents (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The outages resilops-sched offered a draft for, whatever became of
-- the draft (published, or deleted: never offered again).
CREATE TABLE incident_offers (
	downtime_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	offered_at	DATETIME NOT NULL,
	CONSTRAINT fk_incident_offers_downtime FOREIGN KEY (downtime_id)
	    REFERENCES downtimes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Reminders to the Business Owners that a service has been Down or
-- Degraded for 3, 6, 12 or 24 hours with no incident open: one row per
-- step of each bad spell (since: when it began), so each goes once.
CREATE TABLE incident_reminders (
	service_id	BIGINT UNSIGNED NOT NULL,
	since		DATETIME NOT NULL,
	step_hours	SMALLINT UNSIGNED NOT NULL,
	sent_at		DATETIME NOT NULL,
	PRIMARY KEY (service_id, since, step_hours),
	KEY ix_incident_reminders_sent (sent_at),
	CONSTRAINT fk_incident_reminders_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
