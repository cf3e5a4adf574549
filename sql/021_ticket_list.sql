-- resilops 021: the ticket list without a full scan (issue 13).
--
-- GET /api/tickets reports the total of its filter (X-Total-Count).  A
-- Manager's unfiltered total is kept exact in counters (005) like the
-- services': every insert and delete of tickets (the API's, the
-- daemon's outage tickets, the importer's) adds to it in its own
-- transaction.  INSERT ... SELECT reads the tickets with shared locks,
-- so a ticket committed while this runs is counted once.
INSERT INTO counters (name, n) SELECT 'tickets', COUNT(*) FROM tickets;

-- A filtered list counts over its filter's index range and reads its
-- page newest first: (column, id) lets both stop at what matches,
-- without a sort.  status (ix_tickets_status), priority
-- (ix_tickets_priority) and the creator (ix_tickets_creator) have
-- theirs; the assignee and the service had an index led by them but
-- not ordered by id.
--
-- A risk level is a range on the instants (db_ticket_query.c): every
-- level is either "breach_at <= now" or "breach_at IS NULL OR
-- breach_at > now" and then conditions on high_at and half_at, so one
-- index (breach_at, high_at, half_at) answers each level from the
-- index alone, over the rows of that side of the breach only; with
-- the priority in front, the same for a priority and a level.  The
-- daemon's reads of breach_at keep their prefix.
ALTER TABLE tickets
	ADD KEY ix_tickets_assignee (assignee_id, id),
	ADD KEY ix_tickets_service_list (service_id, id),
	DROP INDEX ix_tickets_breach,
	ADD KEY ix_tickets_breach (breach_at, high_at, half_at),
	ADD KEY ix_tickets_priority_level (priority, breach_at, high_at,
	    half_at);
