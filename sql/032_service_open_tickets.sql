-- resilops 032: a service's open tickets kept beside it (issue 13).
--
-- GET /api/services/<id> answers the ids of the service's tickets that
-- are not resolved; it read them at every request with a subquery over
-- the tickets' index (35 us of MariaDB's 0.2 ms for the route).  Now
-- the ticket writers keep them here, in their transactions, through
-- the tally every one of them already runs just before COMMIT
-- (db/db_ticket_tally.c, db/db_open_tickets.c), while they hold the
-- tallies' scope 0 row: one ticket writer at a time computes a
-- service's row, so two never write one from two views.
--
-- Its own table, not a column of services, and no foreign key: a
-- ticket writer then never locks the service's row (its status write
-- holds that row shared; a delete of the service holds it and waits for
-- the writer's tickets).  A service's delete takes its row out; a row
-- left by a delete that raced a ticket write names a service that no
-- longer exists and is never read.  No row, or ids NULL: none open.
--
-- ticket_tallied.service_id: the service each ticket was last counted
-- in, so that a ticket moved to another service (or out of any) leaves
-- its old service's row too.
--
-- It can run again: after 028's backfill, applied again, has made the
-- ticket_tallied rows without the column's values, say.
CREATE TABLE IF NOT EXISTS service_open_tickets (
	service_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	ids		TEXT NULL	-- as the GET route's subquery made them
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE ticket_tallied
	ADD COLUMN IF NOT EXISTS service_id BIGINT UNSIGNED NULL AFTER assignee;

UPDATE ticket_tallied x JOIN tickets t ON t.id = x.id
	SET x.service_id = t.service_id;

-- The same text as db_open_tickets.c's, so the ids come in its order.
DELETE FROM service_open_tickets;
INSERT INTO service_open_tickets (service_id, ids)
SELECT a.sid, (SELECT GROUP_CONCAT(t.id) FROM tickets t
	FORCE INDEX (ix_tickets_service)
	WHERE t.service_id = a.sid AND t.status <> 'RESOLVED')
FROM (SELECT DISTINCT service_id AS sid FROM tickets
	WHERE service_id IS NOT NULL AND status <> 'RESOLVED') a;
