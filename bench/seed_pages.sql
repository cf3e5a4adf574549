-- The pages suite's history: what two years of running leave in the
-- tables the status page reads besides the outages.  bench/run.sh
-- replaces @N@ with the number of services and @P@ with the public
-- ones, and runs this after seed.sql, before the daemon's tick.
--
-- 2,000 maintenance windows, one about every 8.8 hours back over two
-- years, 1-3 hours long, each on 1-3 services (every 7th one on a
-- public service), all ended and told; then 3 going on now and 3 to
-- come.  2,000 published incidents over the same two years, each on
-- 1-2 services (every 5th one on a public service), resolved, with 3
-- updates each; then 2 still open.  Deterministic.
SET @now = UTC_TIMESTAMP();

INSERT INTO maintenance (title, message, starts_at, ends_at, created_by,
    created_at, updated_at, started_announced_at, ended_announced_at)
SELECT CONCAT('Bench window ', seq), 'Planned work', st,
    st + INTERVAL (60 + seq MOD 121) MINUTE, 'bench', st - INTERVAL 1 DAY,
    st, st, st + INTERVAL (60 + seq MOD 121) MINUTE
FROM (SELECT seq, @now - INTERVAL (seq * 528) MINUTE AS st
    FROM seq_1_to_2000) AS w;
INSERT INTO maintenance (title, message, starts_at, ends_at, created_by,
    created_at, updated_at, started_announced_at)
SELECT CONCAT('Bench window now ', seq), 'Planned work',
    @now - INTERVAL seq HOUR, @now + INTERVAL seq HOUR, 'bench',
    @now - INTERVAL 1 DAY, @now, @now - INTERVAL seq HOUR
FROM seq_1_to_3;
INSERT INTO maintenance (title, message, starts_at, ends_at, created_by,
    created_at, updated_at)
SELECT CONCAT('Bench window later ', seq), 'Planned work',
    @now + INTERVAL seq DAY, @now + INTERVAL seq DAY + INTERVAL 2 HOUR,
    'bench', @now, @now
FROM seq_1_to_3;
INSERT IGNORE INTO maintenance_services (service_id, maintenance_id)
SELECT IF(m.id MOD 7 = 0, 1 + (m.id * 13 + k.seq) MOD @P@,
    1 + (m.id * 37 + k.seq * 101) MOD @N@), m.id
FROM maintenance m JOIN seq_1_to_3 AS k ON k.seq <= 1 + m.id MOD 3;
-- Each service's summary of its windows ended within 91 days, as the API
-- keeps it (022_service_summary.sql, 027_service_outages.sql).
UPDATE services s SET s.windows = (SELECT JSON_ARRAYAGG(JSON_ARRAY(
    TIMESTAMPDIFF(SECOND, '1970-01-01', m.starts_at),
    TIMESTAMPDIFF(SECOND, '1970-01-01', m.ends_at)))
    FROM maintenance_services x JOIN maintenance m ON m.id = x.maintenance_id
    WHERE x.service_id = s.id AND m.ends_at > @now - INTERVAL 91 DAY);

INSERT INTO incidents (title, impact, status, draft, created_by, created_at,
    updated_at, resolved_at)
SELECT CONCAT('Bench incident ', seq), 'minor', 'resolved', 0, 'bench', st,
    st + INTERVAL 2 HOUR, st + INTERVAL 2 HOUR
FROM (SELECT seq, @now - INTERVAL (seq * 525) MINUTE AS st
    FROM seq_1_to_2000) AS i;
INSERT INTO incidents (title, impact, status, draft, created_by, created_at,
    updated_at)
SELECT CONCAT('Bench incident open ', seq), 'major', 'investigating', 0,
    'bench', @now - INTERVAL seq HOUR, @now - INTERVAL seq HOUR
FROM seq_1_to_2;
INSERT IGNORE INTO incident_services (incident_id, service_id)
SELECT i.id, IF(i.id MOD 5 = 0, 1 + (i.id * 17 + k.seq) MOD @P@,
    1 + (i.id * 41 + k.seq * 103) MOD @N@)
FROM incidents i JOIN seq_1_to_2 AS k ON k.seq <= 1 + i.id MOD 2;
INSERT INTO incident_updates (incident_id, status, message, created_by,
    created_at)
SELECT i.id, ELT(k.seq, 'investigating', 'monitoring', 'resolved'),
    CONCAT('Update ', k.seq), 'bench', i.created_at + INTERVAL k.seq HOUR
FROM incidents i JOIN seq_1_to_3 AS k
WHERE i.resolved_at IS NOT NULL OR k.seq = 1;
