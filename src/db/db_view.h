/*
 * One service seen as of an instant: the catalogue row, risk_score's
 * input, its downtimes and maintenance windows over a window and its
 * latest downtime.  Health and the risk routes read it in one
 * statement.
 */
#ifndef RO_DB_VIEW_H
#define RO_DB_VIEW_H

#include <stddef.h>
#include <time.h>

#include "core/uptime.h"
#include "db/db_risk.h"
#include "db/db_service.h"
#include "db/db_status.h"

struct db;

struct service_view {
	struct service	 svc;
	struct risk_ctx	 risk;		/* risk_score's input as of now */
	struct interval	*iv;		/* downtimes overlapping [since, now] */
	size_t		 niv;
	struct interval	*maint;		/* its maintenance windows overlapping them */
	size_t		 nmaint;
	struct downtime	 latest;	/* the open one, else the most recent; id 0: none */
};

/* Free what v owns and zero it. */
void	 service_view_clear(struct service_view *);
/*
 * Fill v for service id as of now with downtimes since `since` (the 7
 * days the risk rule needs are always included).  1 found, 0 no such
 * service, -1 error.
 */
int	 db_service_view(struct db *, long long id, time_t now, time_t since,
	    struct service_view *v);

#endif
