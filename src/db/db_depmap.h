/*
 * The dependency map's read (GET /api/services/dependencies): every
 * service once, with what the map shows of it as a dependency and the
 * ids of its own dependencies, in one statement.
 */
#ifndef RO_DB_DEPMAP_H
#define RO_DB_DEPMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/service.h"

struct db;

/* A service as the map shows it: a dependent, and a dependency. */
struct depmap_service {
	long long	 id;
	char		*name;
	char		*criticality;	/* as stored; NULL: none */
	char		*impact;	/* as stored; NULL: none */
	bool		 has_rto, has_rpo;
	long		 rto, rpo;
	enum svc_status	 status;	/* Unknown without a status row */
	long long	*deps;		/* its dependencies' ids, ascending */
	size_t		 ndeps;
};

/*
 * Every service, ascending by id, into a malloc'd array (*n of them)
 * that the caller frees with depmap_services_free.  0 or -1.
 */
int	 db_depmap_services(struct db *, struct depmap_service **out,
	    size_t *n);
void	 depmap_services_free(struct depmap_service *, size_t n);

#endif
