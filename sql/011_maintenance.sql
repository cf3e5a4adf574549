-- resilops 011: maintenance windows (issue 11, CONTRACT 7).
--
-- A window is [starts_at, ends_at) in UTC over one or more services.
-- Nothing stores whether it is scheduled, active or completed: that is
-- the clock's (core/maintenance.c), so the web workers ask as of the
-- database's UTC_TIMESTAMP() and resilops-sched as of its --now.
--
-- started_announced_at and ended_announced_at make resilops-sched tell
-- each start and end once: the job that announces sets them in the same
-- fenced transaction.  An edit that moves a window back into the
-- future, or reopens one whose end was told, clears them (the API,
-- core/maintenance.c maint_rearm).

CREATE TABLE maintenance (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	title		VARCHAR(200) NOT NULL,
	message		TEXT NULL,
	starts_at	DATETIME NOT NULL,
	ends_at		DATETIME NOT NULL,
	created_by	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	updated_at	DATETIME NOT NULL,
	started_announced_at DATETIME NULL,
	ended_announced_at DATETIME NULL,
	-- The list, newest first, and the windows around an instant.
	KEY ix_maintenance_starts (starts_at, id),
	-- resilops-sched's pass: windows whose end is not told yet.
	KEY ix_maintenance_pending (ended_announced_at, starts_at),
	CONSTRAINT ck_maintenance_order CHECK (ends_at > starts_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Keyed by service first: every service read asks whether its service
-- is in an active window (db/db_service.h SERVICE_COLS).
CREATE TABLE maintenance_services (
	service_id	BIGINT UNSIGNED NOT NULL,
	maintenance_id	BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (service_id, maintenance_id),
	KEY ix_maintenance_services_window (maintenance_id),
	CONSTRAINT fk_maintenance_services_window FOREIGN KEY (maintenance_id)
	    REFERENCES maintenance (id) ON DELETE CASCADE,
	CONSTRAINT fk_maintenance_services_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
