/*
 * Services with their BIA, dependencies and status row: the catalogue.
 */
#ifndef RO_DB_SERVICE_H
#define RO_DB_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/service.h"
#include "core/depgraph.h"
#include "db/db_maintenance.h"

struct db;

struct bia {
	enum criticality criticality;	/* CRIT_NONE: null */
	enum impact	 impact;	/* IMPACT_NONE: null */
	bool		 has_rto;
	long		 rto;
	bool		 has_rpo;
	long		 rpo;
	bool		 signed_off;
	char		*signed_off_by;
	time_t		 signed_off_at;
};

struct service {
	long long	 id;
	char		*name;
	char		*description;
	char		*created_by;
	time_t		 created_at;
	bool		 has_bia;
	struct bia	 bia;
	bool		 has_status;
	enum svc_status	 status;	/* STATUS_UNKNOWN without a status row */
	time_t		 last_updated;	/* last heartbeat, 0: none */
	long long	*deps;		/* dependency ids, ascending */
	size_t		 ndeps;
	bool		 public;	/* shown on the public status page */
	bool		 in_maintenance; /* in a window as of the read's now */
};

/* Free what s owns (not s); safe on a zeroed struct. */
void	 service_clear(struct service *);

/*
 * A service as the list reads it: its members from "name" to the outer
 * "dependencies" as the JSON text its row keeps (sql/037, in
 * write_service's order and json-c's spelling), and what changes
 * without the row's writers.
 */
struct service_entry {
	long long	 id;
	char		*item;		/* "name":...,"dependencies":[...] */
	size_t		 itemlen;
	enum svc_status	 status;	/* STATUS_UNKNOWN without a status row */
	time_t		 last_updated;	/* last heartbeat, 0: none */
	bool		 public;
	bool		 in_maintenance; /* in a window as of the read's now */
};

/* Free what e owns (not e); safe on a zeroed struct. */
void	 service_entry_clear(struct service_entry *);
/*
 * Fill s from columns 0-17 of a row shaped like db_service_get's (id,
 * name, description, created_by, created_at, has BIA, criticality,
 * impact, rto, rpo, signed_off, signed_off_by, signed_off_at, status,
 * last_updated, dependency ids as "1,2,3", public, maintenance windows
 * as JSON): SERVICE_NCOLS.  0 or -1.
 *
 * The dependency ids and the windows are the service's summary columns
 * (sql/022), which the writers keep: no subquery, none planned on every
 * execution.  In maintenance is decided here as of now, the caller's
 * clock (a worker's request, resilops-sched's --now); a summary the
 * server sends malformed is logged and counts as no window.
 */
struct dbrows;
#define SERVICE_COLS \
	"s.id, s.name, s.description, s.created_by, s.created_at, " \
	"s.bia_set, s.bia_criticality, s.bia_impact, s.bia_rto, s.bia_rpo, " \
	"s.bia_signed_off, s.bia_signed_off_by, s.bia_signed_off_at, st.status, " \
	"st.last_updated, s.deps, s.public, s.windows "
#define SERVICE_NCOLS 18
/* s.windows, the summary of its maintenance windows, in SERVICE_COLS. */
#define SERVICE_COL_WINDOWS 17
/* The BIA is the row's own (sql/033): status is the one join. */
#define SERVICE_JOINS \
	"LEFT JOIN service_status st ON st.service_id = s.id "
#define SERVICE_FROM	"FROM services s " SERVICE_JOINS
/*
 * SQL: the copy of the BIA on the rows of services s (sql/033) made
 * again from the bia table; the caller adds the WHERE (none: every
 * service, as an import does).
 */
#define SERVICE_BIA_KEEP \
	"UPDATE services s LEFT JOIN bia b ON b.service_id = s.id SET " \
	"s.bia_set = b.service_id IS NOT NULL, " \
	"s.bia_criticality = b.criticality, s.bia_impact = b.impact, " \
	"s.bia_rto = b.rto, s.bia_rpo = b.rpo, " \
	"s.bia_signed_off = b.signed_off, " \
	"s.bia_signed_off_by = b.signed_off_by, " \
	"s.bia_signed_off_at = b.signed_off_at "
/*
 * SQL: the summary's dependency ids of service s (an alias of services)
 * from service_dependencies d, leaving out those `except` names ("" for
 * none), in the order the column keeps.
 */
#define SERVICE_DEPS_OF(except) \
	"(SELECT GROUP_CONCAT(d.dependency_id ORDER BY d.dependency_id) " \
	"FROM service_dependencies d WHERE d.service_id = s.id" except ")"
int	 service_from_row(struct dbrows *, struct service *s, time_t now);
/*
 * Run sql, whose rows are shaped by SERVICE_COLS, and turn them into a
 * malloc'd array of services in maintenance as of now (caller clears
 * each and frees); with total, the first row's column SERVICE_NCOLS
 * goes there.  0 or -1.
 */
struct dbval;
int	 db_service_collect(struct db *, const char *sql,
	    const struct dbval *args, size_t nargs, time_t now,
	    struct service **out, size_t *n, long long *total);
/* With FOR UPDATE inside a transaction: 1, 0, -1. */
int	 db_service_lock(struct db *, long long id);
/*
 * One service with BIA, status and dependencies, in maintenance as of
 * now.  1 (s filled), 0, -1.
 */
int	 db_service_get(struct db *, long long id, time_t now,
	    struct service *s);
/*
 * The same, with the ids of the service's open tickets in ascending order
 * into *tickets (malloc'd, NULL when none), in one statement.  1, 0, -1.
 */
int	 db_service_get_open(struct db *, long long id, time_t now,
	    struct service *s, long long **tickets, size_t *ntickets);
/* Number of services; -1 on error. */
long long db_service_count(struct db *);
/*
 * Add delta to that number (counters), inside the caller's transaction
 * (insert and delete do; so must anything else that adds services).
 * 0 or -1.
 */
int	 db_service_count_add(struct db *, long long delta);
/*
 * A page of services by id, each its kept item with its status (in
 * maintenance as of now), into a malloc'd array (caller clears each and
 * frees), and the number of all services.  One statement, from the
 * anchor before it (sql/025).  0 or -1.
 */
int	 db_service_page(struct db *, long long offset, long long limit,
	    time_t now, struct service_entry **out, size_t *n,
	    long long *total);
/*
 * Insert name, description, created_by, public; sets s->id; counts it
 * and keeps the list's anchors (sql/025).  0 or -1.
 */
int	 db_service_insert(struct db *, struct service *s, time_t now);
/* Write name, description and public.  0 or -1. */
int	 db_service_update(struct db *, const struct service *s, time_t now);
/*
 * Delete a service and (by cascade) all that belongs to it, its
 * dependents' summaries (deps) written without it first.  1, 0, -1.
 */
int	 db_service_delete(struct db *, long long id);
/*
 * The list's anchors: the id at every SERVICE_ANCHOR_STRIDE-th place in
 * id order (sql/025, which has the same number).  Insert and delete
 * keep them; whatever adds services otherwise (an import) writes them
 * all again with this, in its transaction, once done.  0 or -1.
 */
#define SERVICE_ANCHOR_STRIDE	32
int	 db_service_anchors_rebuild(struct db *);
/*
 * Insert or replace the BIA of a service, and its row's copy (the
 * caller holds the row).  0 or -1.
 */
int	 db_bia_upsert(struct db *, long long id, const struct bia *b,
	    time_t now);
/* The same for a delete: 1 deleted, 0 there was none, -1. */
int	 db_bia_delete(struct db *, long long id);

/*
 * Which of ids[0..n) name no service: written as "[7, 3]" into buf, in
 * the order of ids, each once.
 * Returns how many (0: all exist), or -1.
 */
int	 db_deps_missing(struct db *, const long long *ids, size_t n, char *buf,
	    size_t bufsz);
/*
 * Replace the links of id: clear_sql (? = id) removes them, insert_sql
 * (? = id, then ids[0..n) as a JSON array for JSON_TABLE) adds the new
 * ones.  0 or -1.
 */
int	 db_links_replace(struct db *, const char *clear_sql,
	    const char *insert_sql, long long id, const long long *ids, size_t n);
/*
 * Replace the dependencies of id with ids[0..n) (duplicates ignored)
 * and its summary's deps with them.  0 or -1.
 */
int	 db_deps_replace(struct db *, long long id, const long long *ids, size_t n);
/* Every dependency edge, into a malloc'd array the caller frees.  0 or -1. */
int	 db_dep_edges(struct db *, struct dep_edge **out, size_t *n);

#endif
