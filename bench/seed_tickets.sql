-- The tickets benchmark's data set (bench/run.sh tickets): @T@ tickets
-- over the services bench/seed.sql made (@N@ of them), worked by 20
-- Technicians and 5 Senior Technicians, made set-based from MariaDB's
-- SEQUENCE engine.  Pseudo-random but deterministic.  Clocks are 24x7,
-- so their marks are plain arithmetic here (the API computes them in C
-- for calendars): 50/75/100 % and 90 % of the SLA after created_at, the
-- first-response target after created_at, each kept only if the clock
-- got there before it stopped (resolved).  About 40 % are resolved, 5 %
-- escalated, 3 % waiting on the customer; created over the last 30 days.

SET @now = UTC_TIMESTAMP();

START TRANSACTION;

INSERT INTO users (id, username, email, name, password_hash, role, active,
    token_gen, created_at, updated_at)
SELECT 1000 + seq, CONCAT('bench-tech-', seq), NULL,
    CONCAT('Bench Technician ', seq), 'pbkdf2:sha256:1$x$00',
    IF(seq <= 5, 'Senior Technician', 'Technician'), 1, 0, @now, @now
FROM seq_1_to_25;

INSERT INTO tickets (id, title, customer, description, priority, status,
    assignee_id, created_by_user_id, service_id, created_at, updated_at,
    resolved_at, sla_limit_hours, first_response_hours, warn_percent,
    first_response_at)
SELECT seq, CONCAT('Bench ticket ', seq), CONCAT('Customer ', seq MOD 500),
    'Generated for the benchmark',
    ELT(1 + seq MOD 4, 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'),
    CASE WHEN seq MOD 10 < 4 THEN 'RESOLVED' WHEN seq MOD 20 = 4 THEN
    'ESCALATED' WHEN seq MOD 33 = 5 THEN 'WAITING_ON_CUSTOMER'
    WHEN seq MOD 2 = 0 THEN 'IN_PROGRESS' ELSE 'OPEN' END,
    IF(seq MOD 7 = 0, NULL, 1001 + seq MOD 25), NULL,
    1 + seq MOD @N@, @now - INTERVAL (seq * 37) MOD (30 * 86400) SECOND,
    @now, NULL, ELT(1 + seq MOD 4, 48, 24, 8, 4),
    ELT(1 + seq MOD 4, 8, 4, 2, 1), 90, NULL
FROM seq_1_to_@T@;

-- Resolved: some hours after creation; answered along the way.
UPDATE tickets SET resolved_at = created_at + INTERVAL (id MOD 60) HOUR,
    first_response_at = created_at + INTERVAL (id MOD 90) MINUTE
WHERE status = 'RESOLVED';
UPDATE tickets SET paused_since = @now - INTERVAL (id MOD 5) HOUR
WHERE status = 'WAITING_ON_CUSTOMER';

-- The marks, where the clock got (or will get) there.
UPDATE tickets SET
    half_at = created_at + INTERVAL sla_limit_hours * 1800 SECOND,
    high_at = created_at + INTERVAL sla_limit_hours * 2700 SECOND,
    breach_at = created_at + INTERVAL sla_limit_hours * 3600 SECOND,
    warn_at = created_at + INTERVAL sla_limit_hours * 3240 SECOND,
    fr_due_at = created_at + INTERVAL first_response_hours HOUR;
UPDATE tickets SET
    half_at = IF(half_at <= resolved_at, half_at, NULL),
    high_at = IF(high_at <= resolved_at, high_at, NULL),
    breach_at = IF(breach_at <= resolved_at, breach_at, NULL),
    warn_at = IF(warn_at <= resolved_at, warn_at, NULL),
    fr_due_at = IF(fr_due_at <= first_response_at, fr_due_at, NULL)
WHERE resolved_at IS NOT NULL;
UPDATE tickets SET
    half_at = IF(half_at <= paused_since, half_at, NULL),
    high_at = IF(high_at <= paused_since, high_at, NULL),
    breach_at = IF(breach_at <= paused_since, breach_at, NULL),
    warn_at = IF(warn_at <= paused_since, warn_at, NULL),
    fr_due_at = IF(fr_due_at <= paused_since, fr_due_at, NULL)
WHERE paused_since IS NOT NULL;
UPDATE tickets SET escalated_at = high_at WHERE status = 'ESCALATED';

-- The count a Manager's list reports (sql/021_ticket_list.sql); the
-- analytics' aggregates (sql/024) are made by bench/run.sh after this.
UPDATE counters SET n = (SELECT COUNT(*) FROM tickets) WHERE name = 'tickets';

COMMIT;
