-- resilops 030: the ticket subsets' totals from the kept aggregates
-- (the speed issue).
--
-- /api/tickets/high-risk, /api/tickets/escalated and the caller's own
-- subsets (/api/users/tickets/active, high-priority, breached, closed)
-- counted their rows on every request: 60,000 tickets past high_at, or
-- every ticket the caller created, each read to test a column its index
-- does not hold.  Their totals now come from ticket_tallies (024) as
-- /api/tickets's do (db/db_ticket_query.c): high risk from p_high_open
-- and what passed since the fold, escalated from n_escalated, active
-- and closed from n and n_resolved, breached from p_breach.  One needs
-- a scope of its own: scope 5, the HIGH and CRITICAL tickets uid
-- created, which every writer keeps from now on (db/db_ticket_tally.c's
-- SCOPES).
--
-- The closed list's page was the creator's resolved tickets found
-- through two indexes, then sorted (3,265 rows for the bench's Admin):
-- (created_by_user_id, status, id) gives them in the page's order.
ALTER TABLE tickets ADD KEY IF NOT EXISTS ix_tickets_creator_status
    (created_by_user_id, status, id);

-- The scope's rows from the tickets' parts as they are, under the fold
-- row's lock (as 028 and db_ticket_tally_rebuild): no writer or fold
-- runs between.  Its rows first go: this may be applied again after
-- 028 (a repair), which makes the other scopes again but not this one.
START TRANSACTION;
SELECT fold_at FROM ticket_tally_fold WHERE id = 1 FOR UPDATE;
DELETE FROM ticket_tallies WHERE scope = 5;

INSERT INTO ticket_tallies (scope, uid, n, n_open, n_in_progress,
    n_waiting, n_escalated, n_resolved, n_in_time, n_res, res_secs, n_fr,
    n_fr_in_time, fr_secs, p_breach, p_lvl2, p_lvl1, p_high_open, p_fr)
SELECT 5, x.creator, COUNT(*), SUM(x.status = 'OPEN'),
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
WHERE x.creator IS NOT NULL AND x.priority IN ('HIGH', 'CRITICAL')
GROUP BY x.creator;
COMMIT;
