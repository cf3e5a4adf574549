-- The routes suite's data set (bench/run.sh routes) besides seed.sql,
-- seed_tickets.sql and seed_pages.sql: the rows of every kind a GET
-- route lists that those leave empty, each written as its writer in the
-- application writes it, so every list answers a full page.  bench/run.sh
-- replaces @N@ (services), @T@ (tickets), @P@ (public services), @U@
-- (the bench Admin's user id), @H@ (the services and tickets with a
-- long history: the {id} rows of their histories read ids 1..@H@) and
-- @A@ (audit entries), and runs this as the database superuser after
-- the others, with one API key and one scan made through the API (the
-- rows copied here), then `resilops-admin audit seal` and `tickets
-- retally`, and seals the subscribers' addresses (they are sealed under
-- the stack's key ring, which SQL cannot).  Deterministic.  All times UTC.
SET @now = UTC_TIMESTAMP();

START TRANSACTION;

-- 150 more accounts of every role (the list of users); the token
-- caches' change count moves as the API's user writes move it (sql/023).
INSERT INTO users (id, username, email, name, password_hash, role, active,
    token_gen, created_at, updated_at)
SELECT 2000 + seq, CONCAT('bench-user-', seq),
    CONCAT('bench-user-', seq, '@example.com'), CONCAT('Bench User ', seq),
    'pbkdf2:sha256:1$x$00',
    ELT(1 + seq MOD 9, 'admin', 'Business Owner', 'Ops Analyst', 'Engineer',
    'Manager', 'Senior Technician', 'Technician', 'Auditor', 'user'),
    seq MOD 20 <> 0, 0, @now - INTERVAL seq DAY, @now - INTERVAL seq HOUR
FROM seq_1_to_150;
UPDATE counters SET n = n + 1 WHERE name = 'auth_changes';

-- Every 13th ticket is the Admin's own (/api/users/tickets/*): 13 shares
-- no factor with the moduli of seed_tickets.sql, so they are of every
-- status, priority and stage.  The analytics' aggregates follow with
-- `tickets retally`.
UPDATE tickets SET created_by_user_id = @U@ WHERE id MOD 13 = 0;

-- The first @H@ tickets' history, 120 entries each (a full page of
-- /api/tickets/<id>/activity): created, then assignments, updates and
-- comments as the API writes them (src/api/api_ticket*.c).
INSERT INTO ticket_activity (ticket_id, user_id, username, action, details,
    created_at)
SELECT t.id, IF(k.seq MOD 3 = 0, NULL, @U@), IF(k.seq MOD 3 = 0, NULL,
    'bench'),
    IF(k.seq = 1, 'created', ELT(1 + k.seq MOD 4, 'updated', 'assigned',
    'progress', 'updated')),
    IF(k.seq = 1, NULL, ELT(1 + k.seq MOD 4,
    '{"priority":"HIGH"}', CONCAT('{"assignee_id":', 1001 + k.seq MOD 25, '}'),
    CONCAT('{"note":"Bench progress note ', k.seq, '"}'),
    '{"status":"IN_PROGRESS"}')),
    t.created_at + INTERVAL k.seq MINUTE
FROM tickets t JOIN seq_1_to_120 AS k
WHERE t.id <= @H@
ORDER BY t.id, k.seq;

-- The Admin's notifications (a third unread) and some for the
-- Technicians, as the ticket writers and the daemon leave them.
INSERT INTO notifications (user_id, message, type, is_read, ticket_id,
    created_at)
SELECT @U@, CONCAT('Ticket #', 1 + seq MOD @T@, ' needs attention'),
    ELT(1 + seq MOD 3, 'INFO', 'WARNING', 'ALERT'), seq MOD 3 <> 0,
    1 + seq MOD @T@, @now - INTERVAL (1000 - seq) MINUTE
FROM seq_1_to_1000
ORDER BY seq;
INSERT INTO notifications (user_id, message, type, is_read, ticket_id,
    created_at)
SELECT 1001 + seq MOD 25,
    CONCAT('Ticket #', 1 + seq MOD @T@, ' was assigned to you'), 'INFO',
    seq MOD 2, 1 + seq MOD @T@, @now - INTERVAL (5000 - seq) MINUTE
FROM seq_1_to_5000
ORDER BY seq;

-- The first @H@ services' longer history: 100 closed outages each more
-- than 91 days back (so no summary of sql/027 changes: outages covers
-- 91 days, and the newest downtime stays the newest) and 100 more risk
-- assessments each, the risk job's, newer than the two of seed.sql (ids
-- and times rise together, as the job appends them).
INSERT INTO downtimes (service_id, start_time, end_time, reason, source,
    created_at)
SELECT sid, st, st + INTERVAL (10 + (sid * 7 + k * 13) MOD 290) MINUTE,
    CONCAT('Benchmark old outage ', k), 'manual', st
FROM (SELECT s.seq AS sid, k.seq AS k,
	@now - INTERVAL (95 + k.seq * 9) DAY
	    - INTERVAL ((s.seq * 37 + k.seq * 101) MOD 1440) MINUTE AS st
    FROM seq_1_to_@H@ AS s JOIN seq_1_to_100 AS k) AS o;
INSERT INTO risks (service_id, risk_score, risk_level, reason, is_critical,
    source, created_by, created_at)
SELECT sid, score, IF(score >= 80, 'High', IF(score >= 50, 'Medium', 'Low')),
    IF(score = 0, 'No risks identified',
	'High criticality in BIA, RTO < 1 hour'),
    score >= 80, 'automated', NULL, at
FROM (SELECT s.seq AS sid, (s.seq * 41 + k.seq * 13) MOD 101 AS score,
	@now - INTERVAL (101 - k.seq) HOUR AS at
    FROM seq_1_to_@H@ AS s JOIN seq_1_to_100 AS k) AS r
ORDER BY at, sid;

-- What the daemon's ticks would have recorded (src/db/db_sched.c): a
-- breach of each outage longer than its service's RTO, and of its RPO,
-- each with its SLA_RTO / SLA_RPO alert (cause: the downtime id); a
-- StatusChange alert for each service not Up.  Alerts older than a
-- week are acknowledged.
INSERT INTO sla_breaches (service_id, downtime_id, type, downtime_minutes,
    threshold_minutes, start_time, end_time, reason, created_at)
SELECT o.service_id, o.id, k.type, o.mins,
    IF(k.type = 'RTO', b.rto, b.rpo), o.start_time, o.end_time, o.reason,
    o.end_time
FROM (SELECT d.id, d.service_id, d.start_time, d.end_time, d.reason,
	TIMESTAMPDIFF(MINUTE, d.start_time, d.end_time) AS mins
    FROM downtimes d WHERE d.end_time IS NOT NULL) o
JOIN bia b ON b.service_id = o.service_id
JOIN (SELECT 'RTO' AS type UNION ALL SELECT 'RPO') k
WHERE o.mins > IF(k.type = 'RTO', b.rto, b.rpo)
ORDER BY o.end_time, o.id;
INSERT INTO alerts (service_id, type, message, severity, cause, created_at,
    acknowledged, acknowledged_by, acknowledged_at, notified)
SELECT x.service_id, CONCAT('SLA_', x.type),
    CONCAT('SLA Breach: ', x.type, ' exceeded ', x.threshold_minutes,
    ' minutes (Actual: ', x.downtime_minutes, ' minutes)'), 'Critical',
    x.downtime_id, x.created_at, x.created_at < @now - INTERVAL 7 DAY,
    IF(x.created_at < @now - INTERVAL 7 DAY, 'bench', NULL),
    IF(x.created_at < @now - INTERVAL 7 DAY, x.created_at + INTERVAL 1 HOUR,
    NULL), 1
FROM sla_breaches x
ORDER BY x.id;
INSERT INTO alerts (service_id, type, message, severity, cause, created_at,
    notified)
SELECT st.service_id, 'StatusChange',
    CONCAT('Service ', s.name, ' status is ', st.status),
    CASE st.status WHEN 'Down' THEN 'Critical' ELSE 'Warning' END,
    st.status, st.changed_at, 1
FROM service_status st JOIN services s ON s.id = st.service_id
WHERE st.status <> 'Up'
ORDER BY st.changed_at, st.service_id;

-- The audit trail as the API's writes append it: unsealed (seq, prev_mac
-- and mac NULL: sql/015); bench/run.sh seals it with resilops-admin.
-- Heartbeats mostly, as on a running system, and other writes.
INSERT INTO audit_log (created_at, user_id, username, action, entity,
    entity_id, ip, user_agent, details, status)
SELECT @now - INTERVAL (@A@ - seq) * 20 SECOND, @U@, 'bench',
    ELT(1 + seq MOD 8, 'Status Updated', 'Status Updated', 'Status Updated',
    'Status Updated', 'Downtime Logged', 'Service Updated', 'Ticket Updated',
    'User Login'),
    ELT(1 + seq MOD 8, 'Status', 'Status', 'Status', 'Status', 'Downtime',
    'Service', 'Ticket', 'User'), 1 + seq MOD @N@, '127.0.0.1',
    'bench/1.0', IF(seq MOD 8 = 5, '{"request":{"name":"bench"}}', NULL), 200
FROM seq_1_to_@A@
ORDER BY seq;

-- 200 API keys like the one made through the API (its permissions,
-- limit and prefix), each with its own key_id and hash.
INSERT INTO api_keys (key_id, user_id, key_name, prefix, key_hash,
    permissions, rate_limit, is_active, created_at, updated_at, expires_at,
    revoked_at, last_used_at, last_used_ip)
SELECT CONCAT('key_bench', LPAD(s.seq, 7, '0')), k.user_id,
    CONCAT('Bench key ', s.seq), k.prefix,
    UNHEX(SHA2(CONCAT('bench-key-', s.seq), 256)), k.permissions,
    k.rate_limit, s.seq MOD 10 <> 0, k.created_at - INTERVAL s.seq HOUR,
    k.updated_at - INTERVAL s.seq HOUR, k.expires_at,
    IF(s.seq MOD 10 = 0, k.created_at, NULL),
    IF(s.seq MOD 2 = 0, @now - INTERVAL s.seq MINUTE, NULL),
    IF(s.seq MOD 2 = 0, '127.0.0.1', NULL)
FROM seq_1_to_199 AS s JOIN api_keys k
WHERE k.id = (SELECT MIN(id) FROM api_keys)
ORDER BY s.seq DESC;

-- 1,000 scans with the result of the one made through the API.
INSERT INTO security_scans (scan_id, scan_type, target_id, security_score,
    result, created_by, created_at)
SELECT CONCAT('scan_bench', LPAD(s.seq, 8, '0')), c.scan_type, c.target_id,
    c.security_score, c.result, c.created_by,
    c.created_at - INTERVAL (1000 - s.seq) HOUR
FROM seq_1_to_999 AS s JOIN security_scans c
WHERE c.id = (SELECT MIN(id) FROM security_scans)
ORDER BY s.seq;

-- 1,000 confirmed subscribers, every 4th following 1-2 public services
-- (the others all of them).  address_hmac only has to be unique here (no
-- route reads it); the address itself is sealed by bench/run.sh.
INSERT INTO subscribers (id, kind, address_hmac, address_sealed, salt,
    all_services, confirmed_at, confirm_expires, created_at)
SELECT seq, IF(seq MOD 5 = 0, 'webhook', 'email'),
    UNHEX(SHA2(CONCAT('bench-subscriber-', seq), 256)), NULL,
    LEFT(MD5(seq), 32), seq MOD 4 <> 0, @now - INTERVAL seq HOUR, NULL,
    @now - INTERVAL seq HOUR - INTERVAL 5 MINUTE
FROM seq_1_to_1000;
INSERT IGNORE INTO subscriber_services (subscriber_id, service_id)
SELECT s.seq, 1 + (s.seq * 7 + k.seq) MOD @P@
FROM seq_1_to_1000 AS s JOIN seq_1_to_2 AS k ON k.seq <= 1 + s.seq MOD 2
WHERE s.seq MOD 4 = 0;

COMMIT;

ANALYZE TABLE users, tickets, ticket_activity, notifications, downtimes,
    risks, sla_breaches, alerts, audit_log, api_keys, security_scans,
    subscribers, subscriber_services;
