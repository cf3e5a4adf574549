/*
 * Each service's open tickets, kept (sql/032_service_open_tickets.sql)
 * by the ticket writers' tally (db_ticket_tally.c) for the service
 * route to read beside the service.
 */
#ifndef RO_DB_OPEN_TICKETS_H
#define RO_DB_OPEN_TICKETS_H

struct db;

/*
 * The rows of the services that tickets json (a JSON array of ids)
 * were counted in (before: their ticket_tallied rows) or are in now
 * (after: their tickets rows), made again from the tickets.  Only
 * while holding the tallies' scope 0 row (db_ticket_tally).  0 or -1.
 */
int	 db_open_tickets_before(struct db *, const char *json);
int	 db_open_tickets_after(struct db *, const char *json);
/* Every row made again (db_ticket_tally_rebuild).  0 or -1. */
int	 db_open_tickets_rebuild(struct db *);
/* A deleted service's row out, in its delete's transaction.  0 or -1. */
int	 db_open_tickets_forget(struct db *, long long service_id);

#endif
