-- resilops 007: tickets with SLA clocks (the SLA Guard system), their
-- activity, per-user notifications and the SLA configuration.
--
-- A ticket copies its SLA (hours, first-response hours, warning
-- percentage and business-hours calendar) when it is created and when
-- its priority changes.  Its clock is kept as state (paused seconds,
-- paused_since, resolved_at, first_response_at) and as the instants at
-- which it reaches 50, 75 and 100 % of its limit, the warning
-- percentage and the first-response target.  The API computes those
-- instants in C (core/slaclock: calendars, time zones) whenever the
-- clock changes; SQL only compares them with "now", so list filters,
-- analytics and resilops-sched's jobs stay set-based.  An instant is
-- NULL while the clock cannot get there (paused, stopped); one already
-- passed is kept.

CREATE TABLE sla_config (
	id		INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	priority	VARCHAR(10) NOT NULL,
	sla_hours	INT UNSIGNED NOT NULL,
	first_response_hours INT UNSIGNED NULL,
	warn_percent	TINYINT UNSIGNED NOT NULL DEFAULT 90,
	calendar	TEXT NULL,		-- JSON (core/ticket.c); NULL: 24x7
	updated_at	DATETIME NOT NULL,
	UNIQUE KEY uq_sla_config_priority (priority)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO sla_config (priority, sla_hours, first_response_hours,
    warn_percent, calendar, updated_at) VALUES
	('LOW', 48, 8, 90, NULL, UTC_TIMESTAMP()),
	('MEDIUM', 24, 4, 90, NULL, UTC_TIMESTAMP()),
	('HIGH', 8, 2, 90, NULL, UTC_TIMESTAMP()),
	('CRITICAL', 4, 1, 90, NULL, UTC_TIMESTAMP());

CREATE TABLE tickets (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	title		VARCHAR(200) NOT NULL,
	customer	VARCHAR(200) NULL,
	description	TEXT NULL,
	priority	VARCHAR(10) NOT NULL,
	status		VARCHAR(24) NOT NULL,
	assignee_id	BIGINT UNSIGNED NULL,
	created_by_user_id BIGINT UNSIGNED NULL,	-- NULL: resilops-sched (outage tickets)
	service_id	BIGINT UNSIGNED NULL,
	downtime_id	BIGINT UNSIGNED NULL,	-- the outage that opened it
	created_at	DATETIME NOT NULL,
	updated_at	DATETIME NOT NULL,
	resolved_at	DATETIME NULL,
	-- the SLA as copied
	sla_limit_hours	INT UNSIGNED NOT NULL,
	first_response_hours INT UNSIGNED NULL,
	warn_percent	TINYINT UNSIGNED NOT NULL,
	calendar	TEXT NULL,
	-- the clock
	paused_seconds	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	paused_since	DATETIME NULL,
	first_response_at DATETIME NULL,
	half_at		DATETIME NULL,		-- 50 %: WARNING
	high_at		DATETIME NULL,		-- 75 %: HIGH_RISK, escalation
	breach_at	DATETIME NULL,		-- 100 %: BREACHED
	warn_at		DATETIME NULL,		-- warn_percent: the warning before breach
	fr_due_at	DATETIME NULL,		-- first-response target
	clock_dirty	TINYINT(1) NOT NULL DEFAULT 0,	-- instants to compute (daemon's inserts)
	-- escalation: once per ticket (escalated_at); the rows of the
	-- escalation being written are marked until its notifications,
	-- activity and alerts are in (db/db_escalate.c)
	escalated_at	DATETIME NULL,
	prev_assignee_id BIGINT UNSIGNED NULL,
	escalation_pending TINYINT(1) NOT NULL DEFAULT 0,
	-- what has been announced, once each
	high_notified	TINYINT(1) NOT NULL DEFAULT 0,
	breach_notified	TINYINT(1) NOT NULL DEFAULT 0,
	warned		TINYINT(1) NOT NULL DEFAULT 0,
	fr_breach_notified TINYINT(1) NOT NULL DEFAULT 0,
	KEY ix_tickets_status (status, id),
	-- a technician's open tickets and how many are at risk (workload,
	-- escalation's least loaded), from the index alone
	KEY ix_tickets_work (assignee_id, status, high_at),
	-- every column the list filters and the analytics read: counting
	-- and aggregating scan this narrow index, not the rows
	KEY ix_tickets_cover (status, priority, created_by_user_id,
	    assignee_id, service_id, half_at, high_at, breach_at, created_at,
	    resolved_at, first_response_at, fr_due_at),
	KEY ix_tickets_creator (created_by_user_id, id),
	KEY ix_tickets_service (service_id, status),
	KEY ix_tickets_priority (priority, id),
	KEY ix_tickets_high (high_at),
	KEY ix_tickets_breach (breach_at),
	KEY ix_tickets_dirty (clock_dirty),
	KEY ix_tickets_pending (escalation_pending),
	CONSTRAINT fk_tickets_assignee FOREIGN KEY (assignee_id)
	    REFERENCES users (id),
	CONSTRAINT fk_tickets_creator FOREIGN KEY (created_by_user_id)
	    REFERENCES users (id),
	CONSTRAINT fk_tickets_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE SET NULL,
	CONSTRAINT fk_tickets_downtime FOREIGN KEY (downtime_id)
	    REFERENCES downtimes (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ticket_activity (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NULL,	-- NULL: resilops-sched
	username	VARCHAR(255) NULL,
	action		VARCHAR(32) NOT NULL,
	details		TEXT NULL,		-- JSON
	created_at	DATETIME NOT NULL,
	KEY ix_activity_ticket (ticket_id, id),
	CONSTRAINT fk_activity_ticket FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE notifications (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id		BIGINT UNSIGNED NOT NULL,
	message		VARCHAR(500) NOT NULL,
	type		VARCHAR(8) NOT NULL,	-- INFO, WARNING, ALERT
	is_read		TINYINT(1) NOT NULL DEFAULT 0,
	ticket_id	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL,
	KEY ix_notifications_user (user_id, is_read, id),
	CONSTRAINT fk_notifications_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT fk_notifications_ticket FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;


-- Outages that opened a ticket or joined one (resilops-sched): the
-- first outage of a service with a High or Medium BIA criticality opens
-- a ticket; another while that ticket is open adds activity to it, and
-- so does the end of each.
CREATE TABLE ticket_outages (
	downtime_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	begin_noted	TINYINT(1) NOT NULL DEFAULT 0,
	end_noted	TINYINT(1) NOT NULL DEFAULT 0,
	KEY ix_ticket_outages_ticket (ticket_id),
	KEY ix_ticket_outages_end (end_noted),
	CONSTRAINT fk_ticket_outages_downtime FOREIGN KEY (downtime_id)
	    REFERENCES downtimes (id) ON DELETE CASCADE,
	CONSTRAINT fk_ticket_outages_ticket FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
