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
};

/* Free what s owns (not s); safe on a zeroed struct. */
void	 service_clear(struct service *);
/* 1 if the service exists, 0 if not, -1 on error. */
int	 db_service_exists(struct db *, long long id);
/* With FOR UPDATE inside a transaction: 1, 0, -1. */
int	 db_service_lock(struct db *, long long id);
/* One service with BIA, status and dependencies.  1 (s filled), 0, -1. */
int	 db_service_get(struct db *, long long id, struct service *s);

#endif
