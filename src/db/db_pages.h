/*
 * What the status pages read besides the rollup: the public services
 * and those they depend on (state, dependencies, whether public), and
 * the outages of the public services.  One statement each.
 */
#ifndef RO_DB_PAGES_H
#define RO_DB_PAGES_H

#include <stddef.h>
#include <time.h>

#include "db/db_service.h"
#include "db/db_status.h"

struct db;

/*
 * The public services and every service they depend on at any depth
 * (with focus, that public service and its dependencies alone; none
 * when it is not public), by id, in maintenance as of now, into a
 * malloc'd array (service_clear each, free).  0 or -1.
 */
int	 db_pages_services(struct db *, long long focus, time_t now,
	    struct service **out, size_t *n);
/*
 * The outages of public services (of service_id alone unless 0) still
 * open or ended at or after since, newest first, at most limit, into a
 * malloc'd array (downtime_clear each, free).  0 or -1.
 */
int	 db_pages_outages(struct db *, time_t since, long long service_id,
	    long limit, struct downtime **out, size_t *n);

#endif
