/*
 * The incidents tables (sql/010): an incident with its services and
 * its timeline.  Every read is a fixed handful of statements whatever
 * the number of incidents, services or updates: the page (or the one
 * incident), then its services and its updates for all the ids at
 * once (one JSON parameter, JSON_TABLE).
 */
#ifndef RO_DB_INCIDENT_H
#define RO_DB_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/incident.h"

struct db;

/* What a list shows: ?status=. */
enum incident_filter {
	INCIDENTS_ALL,		/* published and drafts */
	INCIDENTS_OPEN,		/* published, not resolved */
	INCIDENTS_RESOLVED,	/* published, resolved */
	INCIDENTS_DRAFT,	/* the daemon's drafts */
	INCIDENT_FILTER__MAX
};

/*
 * Insert inc (its row and its services; not its updates) inside the
 * caller's transaction; inc->id is set.  0 or -1.
 */
int	 db_incident_insert(struct db *, struct incident *inc);
/*
 * Append u to incident inc (u->id set) and store what it did to inc
 * (status, resolved_at, updated_at: incident_apply first).  0 or -1.
 */
int	 db_incident_add_update(struct db *, const struct incident *inc,
	    struct incident_update *u);
/*
 * The incident id with its services and updates into *out (incident_
 * clear it); lock: FOR UPDATE (inside a transaction).  1, 0 (none), -1.
 */
int	 db_incident_get(struct db *, long long id, bool lock,
	    struct incident *out);
/* A page of f, newest first, each whole; *total of the list.  0 or -1. */
int	 db_incident_page(struct db *, enum incident_filter f, long long offset,
	    long long limit, struct incident **out, size_t *n,
	    long long *total);
/*
 * The published incidents on public services still open or resolved at
 * or after since, newest first, at most limit; with focus, those on
 * that service only.  Their service ids are the public ones alone.
 * 0 or -1.
 */
int	 db_incident_public(struct db *, time_t since, long long focus,
	    long limit, struct incident **out, size_t *n);
/* Publish a draft (title and impact as given).  0 or -1. */
int	 db_incident_publish(struct db *, const struct incident *inc);
/* Delete incident id (a draft).  0 or -1. */
int	 db_incident_delete(struct db *, long long id);
/* Free an array of n incidents. */
void	 incidents_free(struct incident *, size_t n);

#endif
