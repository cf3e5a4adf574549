-- resilops 024: the ticket analytics from kept aggregates (issue 13).
--
-- /api/analytics/* counted every visible ticket on every request.  Now
-- each ticket's part in the analytics is kept in ticket_tallied (one
-- row per ticket: what it adds to each count and sum), and the sums of
-- those parts in ticket_tallies, one row per scope:
--	scope 0: every ticket (uid 0)
--	scope 1: the tickets uid created
--	scope 2: the tickets assigned to uid
--	scope 3: the tickets uid created and is assigned to
-- so a Manager's view is scope 0, a creator's scope 1, and "created
-- by or assigned to" scope 1 + scope 2 - scope 3.  Every writer of
-- tickets folds the tickets it wrote into both, in its own transaction
-- (db/db_ticket_tally.c: take the old part out, put the new one in).
--
-- Five counts move with time alone: the tickets whose breach, level
-- (75 %, 50 % as the risk distribution ranks them), high risk while
-- not resolved, and first-response target are at or before now.  A
-- scope keeps each as of ticket_tally_fold.fold_at (p_*); a read adds
-- the tickets whose instant lies between fold_at and now (or takes out
-- those between now and fold_at when now is earlier), a short range of
-- ticket_tallied's index on that instant, since resilops-sched moves
-- fold_at to its now every tick (job ticket-tally).  Writers read
-- fold_at under a shared lock and the fold takes it exclusively, so a
-- part is counted against the fold_at it was folded with.
CREATE TABLE ticket_tallied (
	id		BIGINT UNSIGNED NOT NULL PRIMARY KEY,	-- tickets.id
	creator		BIGINT UNSIGNED NULL,
	assignee	BIGINT UNSIGNED NULL,
	status		VARCHAR(24) NOT NULL,
	res_secs	BIGINT NULL,	-- resolved: created_at to resolved_at
	in_time		TINYINT(1) NOT NULL,	-- resolved before its breach
	fr_secs		BIGINT NULL,	-- created_at to the first response
	fr_in_time	TINYINT(1) NOT NULL,	-- answered before its target
	breach_at	DATETIME NULL,	-- breached (distribution: 3)
	lvl2_at		DATETIME NULL,	-- high risk or breached (2 or more)
	lvl1_at		DATETIME NULL,	-- half, high or breached (1 or more)
	high_open_at	DATETIME NULL,	-- high_at while not resolved
	fr_due_at	DATETIME NULL,
	KEY ix_tallied_breach (breach_at),
	KEY ix_tallied_lvl2 (lvl2_at),
	KEY ix_tallied_lvl1 (lvl1_at),
	KEY ix_tallied_high_open (high_open_at),
	KEY ix_tallied_fr (fr_due_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ticket_tallies (
	scope		TINYINT UNSIGNED NOT NULL,
	uid		BIGINT UNSIGNED NOT NULL,
	n		BIGINT NOT NULL DEFAULT 0,
	n_open		BIGINT NOT NULL DEFAULT 0,
	n_in_progress	BIGINT NOT NULL DEFAULT 0,
	n_waiting	BIGINT NOT NULL DEFAULT 0,
	n_escalated	BIGINT NOT NULL DEFAULT 0,
	n_resolved	BIGINT NOT NULL DEFAULT 0,
	n_in_time	BIGINT NOT NULL DEFAULT 0,
	n_res		BIGINT NOT NULL DEFAULT 0,	-- res_secs not NULL
	res_secs	BIGINT NOT NULL DEFAULT 0,
	n_fr		BIGINT NOT NULL DEFAULT 0,	-- fr_secs not NULL
	n_fr_in_time	BIGINT NOT NULL DEFAULT 0,
	fr_secs		BIGINT NOT NULL DEFAULT 0,
	p_breach	BIGINT NOT NULL DEFAULT 0,
	p_lvl2		BIGINT NOT NULL DEFAULT 0,
	p_lvl1		BIGINT NOT NULL DEFAULT 0,
	p_high_open	BIGINT NOT NULL DEFAULT 0,
	p_fr		BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (scope, uid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE ticket_tally_fold (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,	-- 1
	fold_at		DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The backfill: the same statements as db_ticket_tally_rebuild
-- (db/db_ticket_tally.c), which resilops-admin tickets retally runs.
INSERT INTO ticket_tally_fold (id, fold_at) VALUES (1, UTC_TIMESTAMP());

INSERT INTO ticket_tallied (id, creator, assignee, status, res_secs,
    in_time, fr_secs, fr_in_time, breach_at, lvl2_at, lvl1_at,
    high_open_at, fr_due_at)
SELECT t.id, t.created_by_user_id, t.assignee_id, t.status,
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
    UNION ALL SELECT 3) k ON k.scope = 0
    OR (k.scope = 1 AND x.creator IS NOT NULL)
    OR (k.scope = 2 AND x.assignee IS NOT NULL)
    OR (k.scope = 3 AND x.creator = x.assignee)
GROUP BY 1, 2;
