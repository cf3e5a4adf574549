-- resilops 009: what the pages need (CONTRACT 7).
--
-- A service is shown on the public status page only when an operator
-- says so: public defaults to false.
ALTER TABLE services ADD COLUMN public TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE services ADD KEY ix_services_public (public, id);

-- Down time per service and UTC day, kept by resilops-sched's rollup
-- job from downtimes: the status page's 90 bars read 90 rows per
-- service, never the outage history.  down_seconds counts the part of
-- each outage inside the day (open outages up to the job's now);
-- outages counts those that touch the day.
CREATE TABLE uptime_daily (
	service_id	BIGINT UNSIGNED NOT NULL,
	day		DATE NOT NULL,
	down_seconds	INT UNSIGNED NOT NULL,
	outages		INT UNSIGNED NOT NULL,
	PRIMARY KEY (service_id, day),
	CONSTRAINT fk_uptime_daily_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
