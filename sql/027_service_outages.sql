-- resilops 027: each service's recent outages kept beside it (speed
-- issue 13), and its maintenance windows kept as far back.
--
-- Health (and the risk routes) read a service's downtimes over their
-- window, its latest open one, its latest one and its maintenance
-- windows over the same span: four index walks that cost mariadbd
-- 40-97 us each at 1,000,000 downtimes, planned again at every
-- execution, against a few us for a row read by primary key.  So every
-- writer of downtimes (the status write's move into or out of Down, a
-- logged downtime, resilops-sched's lost heartbeats, import) writes
-- this row in its transaction, from the table, in one statement
-- (src/db/db_outages.[ch]).
--
-- A table of its own, not columns of services: a status write holds a
-- shared lock on its service's row from its first statement (the
-- routine's INSERT ... SELECT, sql/026), and two moves of one service
-- that both then wanted that row exclusively deadlocked.  A row here is
-- taken exclusively only, and only by writers of downtimes.
--
-- outages: the downtimes open or ended after outages_from, as a JSON
-- array of [start, end or null] in UNIX seconds; '[]' when none; NULL
-- with more than OUTAGES_MAX (512) of them.
-- outages_from: 91 days (health's longest window and a day for clocks)
-- before the earlier of the writer's now and the clock's; NULL when
-- outages is.  A reader whose span starts before it, or finds it NULL,
-- reads the downtimes table instead.  No row: no downtime was ever
-- written for the service (a reader has nothing to read).
-- latest_downtime: the id of the latest open downtime by start, or
-- else the latest one; NULL when none.
--
-- services.windows (sql/022) now keeps the windows that ended after the
-- same horizon (not only those not ended), so that health finds a
-- span's windows there too; whether a service is in maintenance is
-- decided as before, as of the reader's now.
CREATE TABLE service_outages (
	service_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	outages		TEXT NULL,
	outages_from	DATETIME NULL,
	latest_downtime	BIGINT UNSIGNED NULL,
	CONSTRAINT fk_service_outages_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB;

INSERT INTO service_outages (service_id, outages, outages_from,
    latest_downtime)
SELECT x.sid, x.o, IF(x.o IS NULL, NULL, UTC_TIMESTAMP() - INTERVAL 91 DAY),
    x.l FROM (SELECT s.id AS sid,
	(SELECT IF(COUNT(*) > 512, NULL, COALESCE(JSON_ARRAYAGG(JSON_ARRAY(
	TIMESTAMPDIFF(SECOND, '1970-01-01', d.start_time),
	TIMESTAMPDIFF(SECOND, '1970-01-01', d.end_time))), '[]'))
	FROM downtimes d WHERE d.service_id = s.id AND
	(d.end_time IS NULL OR
	d.end_time > UTC_TIMESTAMP() - INTERVAL 91 DAY)) AS o,
	COALESCE(
	(SELECT o.id FROM downtimes o WHERE o.service_id = s.id AND
	o.end_time IS NULL ORDER BY o.start_time DESC, o.id DESC LIMIT 1),
	(SELECT l.id FROM downtimes l WHERE l.service_id = s.id
	ORDER BY l.start_time DESC, l.id DESC LIMIT 1)) AS l
    FROM services s
    WHERE EXISTS (SELECT 1 FROM downtimes e WHERE e.service_id = s.id)) x;

UPDATE services s SET s.windows = (SELECT JSON_ARRAYAGG(JSON_ARRAY(
    TIMESTAMPDIFF(SECOND, '1970-01-01', m.starts_at),
    TIMESTAMPDIFF(SECOND, '1970-01-01', m.ends_at)))
    FROM maintenance_services x JOIN maintenance m
    ON m.id = x.maintenance_id
    WHERE x.service_id = s.id AND
    m.ends_at > UTC_TIMESTAMP() - INTERVAL 91 DAY);
