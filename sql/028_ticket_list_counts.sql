-- resilops 028: the ticket lists' deep pages and filtered totals
-- (issue 13).
--
-- A page is read in two steps (db/db_ticket_query.c): the ids of the
-- page, walking an index up to the offset, then the page's rows and
-- their assignees.  A Manager's whole list walks every id before the
-- offset; the primary key's leaves hold whole rows, this index only
-- ids, so the walk reads a fraction of the pages.
ALTER TABLE tickets ADD KEY IF NOT EXISTS ix_tickets_newest (id);

-- The totals of the lists that the kept analytics (024) answer
-- exactly come from them instead of a count over an index range (23,000
-- rows for a priority and a risk level at 100,000 tickets).  For a
-- priority, a fifth scope: scope 4, uid the priority's place in
-- LOW, MEDIUM, HIGH, CRITICAL (1 to 4), so each part needs its
-- ticket's priority.  The aggregates are made again as
-- db_ticket_tally_rebuild makes them (db/db_ticket_tally.c), under the
-- fold row's lock: the text of 024's backfill with the priority added,
-- since a migration is fixed text and shares no statement with the
-- program.
-- IF NOT EXISTS: 024 applied again (a repair) may be followed by this.
ALTER TABLE ticket_tallied ADD COLUMN IF NOT EXISTS priority VARCHAR(10) NULL
    AFTER assignee;

START TRANSACTION;
SELECT fold_at FROM ticket_tally_fold WHERE id = 1 FOR UPDATE;
DELETE FROM ticket_tallies;
DELETE FROM ticket_tallied;

INSERT INTO ticket_tallied (id, creator, assignee, priority, status,
    res_secs, in_time, fr_secs, fr_in_time, breach_at, lvl2_at, lvl1_at,
    high_open_at, fr_due_at)
SELECT t.id, t.created_by_user_id, t.assignee_id, t.priority, t.status,
    IF(t.status = 'RESOLVED', TIMESTAMPDIFF(SECOND, t.created_at,
    t.resolved_at), NULL), t.status = 'RESOLVED' AND t.breach_at IS NULL,
    TIMESTAMPDIFF(SECOND, t.created_at, t.first_response_at),
    t.first_response_at IS NOT NULL AND t.fr_due_at IS NULL, t.breach_at,
    LEAST(COALESCE(t.breach_at, t.high_at), COALESCE(t.high_at,
    t.breach_at)), LEAST(COALESCE(t.breach_at, t.high_at, t.half_at),
    COALESCE(t.high_at, t.half_at, t.breach_at), COALESCE(t.half_at,
    t.breach_at, t.high_at)), IF(t.status <> 'RESOLVED', t.high_at, NULL),
    t.fr_due_at
FROM tickets t;

INSERT INTO ticket_tallies (scope, uid, n, n_open, n_in_progress,
    n_waiting, n_escalated, n_resolved, n_in_time, n_res, res_secs, n_fr,
    n_fr_in_time, fr_secs, p_breach, p_lvl2, p_lvl1, p_high_open, p_fr)
SELECT k.scope, CASE k.scope WHEN 0 THEN 0 WHEN 2 THEN x.assignee
    WHEN 4 THEN FIELD(x.priority, 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')
    ELSE x.creator END, COUNT(*), SUM(x.status = 'OPEN'),
    SUM(x.status = 'IN_PROGRESS'), SUM(x.status = 'WAITING_ON_CUSTOMER'),
    SUM(x.status = 'ESCALATED'), SUM(x.status = 'RESOLVED'),
    SUM(x.in_time), SUM(x.res_secs IS NOT NULL), COALESCE(SUM(x.res_secs), 0),
    SUM(x.fr_secs IS NOT NULL), SUM(x.fr_in_time),
    COALESCE(SUM(x.fr_secs), 0),
    SUM(COALESCE(x.breach_at <= f.fold_at, 0)),
    SUM(COALESCE(x.lvl2_at <= f.fold_at, 0)),
    SUM(COALESCE(x.lvl1_at <= f.fold_at, 0)),
    SUM(COALESCE(x.high_open_at <= f.fold_at, 0)),
    SUM(COALESCE(x.fr_due_at <= f.fold_at, 0))
FROM ticket_tallied x JOIN ticket_tally_fold f ON f.id = 1
JOIN (SELECT 0 AS scope UNION ALL SELECT 1 UNION ALL SELECT 2
    UNION ALL SELECT 3 UNION ALL SELECT 4) k ON k.scope = 0
    OR (k.scope = 1 AND x.creator IS NOT NULL)
    OR (k.scope = 2 AND x.assignee IS NOT NULL)
    OR (k.scope = 3 AND x.creator = x.assignee)
    OR k.scope = 4
GROUP BY 1, 2;
COMMIT;
