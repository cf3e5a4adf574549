-- resilops 027: each service's recent outages on its own row (speed
-- issue 13), and its maintenance windows kept as far back.
--
-- Health (and the risk routes) read a service's downtimes over their
-- window, its latest open one, its latest one and its maintenance
-- windows over the same span: four index walks that cost mariadbd
-- 40-97 us each at 1,000,000 downtimes, planned again at every
-- execution, against a few us for columns of the service's row.  So
-- every writer of downtimes (the status write's move into or out of
-- Down, a logged downtime, resilops-sched's lost heartbeats, import)
-- writes these in its transaction, from the table, in one statement
-- (src/db/db_outages.[ch]):
--
-- outages: the downtimes open or ended after outages_from, as a JSON
-- array of [start, end or null] in UNIX seconds; '[]' when none; NULL
-- with more than OUTAGES_MAX (512) of them.
-- outages_from: 91 days (health's longest window and a day for clocks)
-- before the earlier of the writer's now and the clock's; NULL when
-- outages is.  A reader whose span starts before it, or finds it NULL
-- (not written yet, or too many), reads the downtimes table instead.
-- A new service has no downtimes: '[]' from the epoch, the columns'
-- defaults, so that its first health reads the row alone.
-- latest_downtime: the id of the latest open downtime by start, or
-- else the latest one; NULL when none.  No foreign key: downtimes go
-- only with their service.
--
-- windows (sql/022) now keeps the windows that ended after the same
-- horizon (not only those not ended), so that health finds a span's
-- windows there too; whether a service is in maintenance is decided as
-- before, as of the reader's now.
ALTER TABLE services
	ADD COLUMN outages TEXT NULL DEFAULT '[]',
	ADD COLUMN outages_from DATETIME NULL DEFAULT '1970-01-01 00:00:00',
	ADD COLUMN latest_downtime BIGINT UNSIGNED NULL;

UPDATE services s SET
	s.outages = (SELECT IF(COUNT(*) > 512, NULL,
	    COALESCE(JSON_ARRAYAGG(JSON_ARRAY(
	    TIMESTAMPDIFF(SECOND, '1970-01-01', d.start_time),
	    TIMESTAMPDIFF(SECOND, '1970-01-01', d.end_time))), '[]'))
	    FROM downtimes d WHERE d.service_id = s.id AND
	    (d.end_time IS NULL OR
	    d.end_time > UTC_TIMESTAMP() - INTERVAL 91 DAY)),
	s.outages_from = IF(s.outages IS NULL, NULL,
	    UTC_TIMESTAMP() - INTERVAL 91 DAY),
	s.latest_downtime = COALESCE(
	    (SELECT o.id FROM downtimes o WHERE o.service_id = s.id AND
	    o.end_time IS NULL ORDER BY o.start_time DESC, o.id DESC LIMIT 1),
	    (SELECT l.id FROM downtimes l WHERE l.service_id = s.id
	    ORDER BY l.start_time DESC, l.id DESC LIMIT 1)),
	s.windows = (SELECT JSON_ARRAYAGG(JSON_ARRAY(
	    TIMESTAMPDIFF(SECOND, '1970-01-01', m.starts_at),
	    TIMESTAMPDIFF(SECOND, '1970-01-01', m.ends_at)))
	    FROM maintenance_services x JOIN maintenance m
	    ON m.id = x.maintenance_id
	    WHERE x.service_id = s.id AND
	    m.ends_at > UTC_TIMESTAMP() - INTERVAL 91 DAY);
