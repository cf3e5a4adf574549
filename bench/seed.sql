-- The benchmark's data set, made set-based from MariaDB's SEQUENCE engine
-- (seq_1_to_N) in a few statements.  bench/run.sh replaces @N@ with the
-- number of services (10000), @K@ with the closed downtimes per service
-- (10; BENCH_DOWNTIMES) and feeds this to the mariadb client as the
-- database superuser on a fresh stack, so the ids are 1..@N@.
--
-- Per service: a BIA (all but every 10th), 1-3 dependencies on lower ids
-- (so the graph has no cycle), a status row (about 3% Down, each with
-- its open status downtime), @K@ closed downtimes one about every 9 days
-- back (the newest in the last 7 days; 10 span 90 days), 2 risk records (every 10th's latest one
-- manual) and 0-6 integrations (Email or AWS, whose configs hold no
-- secret, so nothing needs encrypting).  Pseudo-random but deterministic:
-- the same @N@ gives the same rows.  audit_log is left alone.
-- All times are UTC, as the server stores them.

-- Checks stay on: with unique_checks and foreign_key_checks off,
-- MariaDB 10.11 bulk-loads an empty table inside a transaction, and
-- here some tables (services, bia, service_dependencies) came out empty
-- after the COMMIT.  The whole seed takes a few seconds anyway.
SET @now = UTC_TIMESTAMP();

START TRANSACTION;

INSERT INTO services (id, name, description, created_by, created_at,
    updated_at)
SELECT seq, CONCAT('bench-svc-', LPAD(seq, GREATEST(LENGTH(seq), 5), '0')),
    CONCAT('Benchmark service ', seq), 'bench',
    @now - INTERVAL (120 + seq MOD 240) DAY,
    @now - INTERVAL (seq MOD 30) DAY
FROM seq_1_to_@N@;

INSERT INTO bia (service_id, criticality, impact, rto, rpo, signed_off,
    signed_off_by, signed_off_at, updated_at)
SELECT seq, ELT(1 + seq MOD 3, 'High', 'Medium', 'Low'),
    ELT(1 + seq MOD 4, 'Low', 'Medium', 'High', 'Severe'),
    (seq MOD 8) * 30, (seq MOD 6) * 15,
    seq MOD 5 = 0, IF(seq MOD 5 = 0, 'bench', NULL),
    IF(seq MOD 5 = 0, @now - INTERVAL (seq MOD 20) DAY, NULL),
    @now - INTERVAL (seq MOD 30) DAY
FROM seq_1_to_@N@
WHERE seq MOD 10 <> 0;

-- Service s > 1 depends on 1 + s mod 3 services below it; a repeated
-- pick is dropped by the primary key (so a few have fewer).
INSERT IGNORE INTO service_dependencies (service_id, dependency_id)
SELECT s.seq, 1 + (s.seq * 2654435761 + k.seq * 40503) MOD (s.seq - 1)
FROM seq_1_to_@N@ AS s
JOIN seq_1_to_3 AS k ON k.seq <= 1 + s.seq MOD 3
WHERE s.seq > 1;

INSERT INTO service_status (service_id, status, last_updated, changed_at,
    set_by)
SELECT seq,
    CASE WHEN seq MOD 33 = 0 THEN 'Down'
	WHEN seq MOD 11 = 0 THEN 'Degraded'
	WHEN seq MOD 50 = 1 THEN 'Unknown'
	ELSE 'Up' END,
    @now - INTERVAL (seq MOD 600) SECOND,
    @now - INTERVAL (seq MOD 48) HOUR, 'bench'
FROM seq_1_to_@N@;

-- @K@ closed outages each: the k-th starts about 9(k-1) days ago, so the
-- first falls in the last 7 days; 10 minutes to 5 hours long.
INSERT INTO downtimes (service_id, start_time, end_time, reason, source,
    created_at)
SELECT sid, st, st + INTERVAL (10 + (sid * 7 + k * 13) MOD 290) MINUTE,
    CONCAT('Benchmark outage ', k), 'manual', st
FROM (SELECT s.seq AS sid, k.seq AS k,
	@now - INTERVAL ((k.seq - 1) * 9 + s.seq MOD 6) DAY
	    - INTERVAL ((s.seq * 37 + k.seq * 101) MOD 1440) MINUTE AS st
    FROM seq_1_to_@N@ AS s
    JOIN seq_1_to_@K@ AS k) AS o;

-- The Down services' current outages: open, as a status write leaves
-- them (source 'status', at most one open per service).
INSERT INTO downtimes (service_id, start_time, end_time, reason, source,
    created_at)
SELECT service_id, changed_at, NULL, 'Status set to Down by bench',
    'status', changed_at
FROM service_status
WHERE status = 'Down';

-- Two assessments each, the older automated; every 10th service's
-- latest is a manual override.
INSERT INTO risks (service_id, risk_score, risk_level, reason, is_critical,
    source, created_by, created_at)
SELECT sid, score, IF(score >= 80, 'High', IF(score >= 50, 'Medium', 'Low')),
    IF(score = 0, 'No risks identified',
	'High criticality in BIA, RTO < 1 hour'),
    score >= 80, src, IF(src = 'manual', 'bench', NULL), at
FROM (SELECT s.seq AS sid, (s.seq * 37 + k.seq * 11) MOD 101 AS score,
	IF(k.seq = 2 AND s.seq MOD 10 = 0, 'manual', 'automated') AS src,
	@now - INTERVAL ((3 - k.seq) * 7 + s.seq MOD 7) DAY AS at
    FROM seq_1_to_@N@ AS s
    JOIN seq_1_to_2 AS k) AS r
ORDER BY at, sid;

-- 0-6 integrations: service s has s mod 7.
INSERT INTO integrations (service_id, type, config, created_by, created_at)
SELECT s.seq, IF(k.seq MOD 2 = 1, 'Email', 'AWS'),
    IF(k.seq MOD 2 = 1,
	CONCAT('{"to": ["ops-', s.seq, '@example.com"]}'),
	'{"region": "eu-west-1", "channel": "#ops"}'),
    'bench', @now - INTERVAL (s.seq MOD 90) DAY
FROM seq_1_to_@N@ AS s
JOIN seq_1_to_6 AS k ON k.seq <= s.seq MOD 7;

-- The risk job's row of each service, stale, as the API's create makes
-- it (018_risk_state.sql).
INSERT INTO risk_state (service_id) SELECT id FROM services;

-- The summaries the writers keep on each service row
-- (022_service_summary.sql): its dependency ids and integration count,
-- its BIA's copy (033);
-- beside it, its recent outages and latest downtime
-- (027_service_outages.sql).
UPDATE services s SET
    s.deps = (SELECT GROUP_CONCAT(d.dependency_id ORDER BY d.dependency_id)
	FROM service_dependencies d WHERE d.service_id = s.id),
    s.integrations = (SELECT COUNT(*) FROM integrations i
	WHERE i.service_id = s.id);
-- Its BIA's copy (033_service_bia_kept.sql).
UPDATE services s JOIN bia b ON b.service_id = s.id SET
    s.bia_set = 1, s.bia_criticality = b.criticality,
    s.bia_impact = b.impact, s.bia_rto = b.rto, s.bia_rpo = b.rpo,
    s.bia_signed_off = b.signed_off, s.bia_signed_off_by = b.signed_off_by,
    s.bia_signed_off_at = b.signed_off_at;
INSERT INTO service_outages (service_id, outages, outages_from,
    latest_downtime)
SELECT x.sid, x.o, IF(x.o IS NULL, NULL, UTC_TIMESTAMP() - INTERVAL 91 DAY),
    x.l FROM (SELECT s.id AS sid,
	(SELECT IF(COUNT(*) > 512, NULL, COALESCE(JSON_ARRAYAGG(JSON_ARRAY(
	TIMESTAMPDIFF(SECOND, '1970-01-01', d.start_time),
	TIMESTAMPDIFF(SECOND, '1970-01-01', d.end_time))), '[]'))
	FROM downtimes d WHERE d.service_id = s.id AND (d.end_time IS NULL OR
	d.end_time > UTC_TIMESTAMP() - INTERVAL 91 DAY)) AS o,
	COALESCE(
	(SELECT o.id FROM downtimes o WHERE o.service_id = s.id AND
	o.end_time IS NULL ORDER BY o.start_time DESC, o.id DESC LIMIT 1),
	(SELECT l.id FROM downtimes l WHERE l.service_id = s.id
	ORDER BY l.start_time DESC, l.id DESC LIMIT 1)) AS l
    FROM services s) x;

-- Whether an outage is open, on the status row
-- (036_status_outage_flag.sql): the Down services' are.
UPDATE service_status SET outage_open = (status = 'Down');

-- The counter the services list reports (005_counters.sql).
UPDATE counters SET n = (SELECT COUNT(*) FROM services) WHERE name = 'services';

-- Where each stretch of 32 services starts, for the list's pages
-- (025_service_anchors.sql).
DELETE FROM service_anchors;
INSERT INTO service_anchors (k, id)
SELECT (x.rn - 1) DIV 32, x.id FROM (SELECT id,
    ROW_NUMBER() OVER (ORDER BY id) AS rn FROM services) x
WHERE (x.rn - 1) MOD 32 = 0;

COMMIT;

ANALYZE TABLE services, bia, service_dependencies, service_status,
    downtimes, risks, integrations;
