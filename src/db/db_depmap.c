/*
 * The dependency map: one statement over the services, each with its
 * BIA, its status and its dependency ids (the summary column deps,
 * sql/022), read in primary key order, which is the map's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_depmap.h"

/*
 * Each service once, in primary key order (no filesort, no temporary
 * table), its BIA the row's copy (sql/033), its status joined by
 * primary key, its dependencies as
 * the summary's ids that its writers keep with the edges.  A service's
 * part as a dependency (name, BIA, status) is read once, not once per
 * edge: the edges joined to their services (service_dependencies
 * first, in its primary key order; the same answer) cost mariadbd
 * about 80 ms on the bench's 10,000 services and 20,000 edges, three
 * primary key lookups an edge; this reads 10,000 rows in about 30 ms.
 * Before either, MariaDB read the services' names first and sorted the
 * edges (a filesort and two temporary tables, 128,026 rows examined).
 */
static const char SQL_SERVICES[] =
    "SELECT STRAIGHT_JOIN s.id, s.name, s.bia_criticality, s.bia_impact, "
    "s.bia_rto, s.bia_rpo, st.status, s.deps FROM services s "
    "FORCE INDEX (PRIMARY) "
    "LEFT JOIN service_status st ON st.service_id = s.id "
    "ORDER BY s.id";

static void
depmap_service_clear(void *p)
{
	struct depmap_service	*s = p;

	free(s->name);
	free(s->criticality);
	free(s->impact);
	free(s->deps);
	memset(s, 0, sizeof(*s));
}

void
depmap_services_free(struct depmap_service *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		depmap_service_clear(&v[i]);
	free(v);
}

static int
depmap_service_fill(struct dbrows *r, void *p)
{
	struct depmap_service	*s = p;
	bool			 oom = false;
	int			 st;

	s->id = db_int(r, 0);
	s->name = db_text_dup(r, 1, &oom);
	s->criticality = db_text_dup(r, 2, &oom);
	s->impact = db_text_dup(r, 3, &oom);
	s->has_rto = !db_isnull(r, 4);
	s->rto = (long)db_int(r, 4);
	s->has_rpo = !db_isnull(r, 5);
	s->rpo = (long)db_int(r, 5);
	/* No status row, or one we cannot name: Unknown. */
	st = status_parse(db_text(r, 6, NULL));
	s->status = st < 0 ? STATUS_UNKNOWN : (enum svc_status)st;
	if (oom || s->name == NULL ||
	    db_ids_parse(db_text(r, 7, NULL), &s->deps, &s->ndeps) == -1) {
		depmap_service_clear(s);
		return -1;
	}
	return 0;
}

int
db_depmap_services(struct db *db, struct depmap_service **out, size_t *n)
{
	return db_collect(db, SQL_SERVICES, NULL, 0, sizeof(**out),
	    depmap_service_fill, depmap_service_clear, (void **)out, n);
}
