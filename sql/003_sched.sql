-- resilops 003: what resilops-sched needs.
-- The lease elects one leader among the daemons; epoch increases with
-- every new leader and fences job writes (a stalled old leader's
-- transaction finds a different epoch and rolls back).
CREATE TABLE sched_lease (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	holder		VARCHAR(255) NOT NULL DEFAULT '',
	epoch		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	expires_at	DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO sched_lease (id, holder, epoch, expires_at)
    VALUES (1, '', 0, '1970-01-01 00:00:01');

-- The last status a StatusChange alert was raised for: a difference
-- from status is a transition to report, whoever made it.
ALTER TABLE service_status
	ADD COLUMN alerted_status VARCHAR(10) NULL AFTER status;

-- Whether the alert was queued for delivery to its service's integrations.
ALTER TABLE alerts
	ADD COLUMN notified TINYINT(1) NOT NULL DEFAULT 0,
	ADD KEY ix_alerts_notified (notified, id);
