/*
 * Risk: loading what core/risk's risk_score needs for one service (the
 * API's save and health routes and the daemon share it), and the risks
 * table (automated and manual records).
 */
#ifndef RO_DB_RISK_H
#define RO_DB_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/risk.h"
#include "core/service.h"

struct db;

/*
 * The input of risk_score for one service together with the storage
 * its pointers refer to: in.down_deps points into names, which the
 * context owns.  Zero it before the first use (or use RISK_CTX_INIT);
 * risk_ctx_clear frees the names and zeroes it again.
 */
struct risk_ctx {
	struct risk_input	 in;
	char			**names;	/* owned; in.down_deps == names */
	size_t			 nnames;
};

#define RISK_CTX_INIT	{ .in = { .status = STATUS_UNKNOWN } }

void	 risk_ctx_clear(struct risk_ctx *);
/*
 * Fill ctx (cleared first) for service_id as of now, in three
 * statements whatever the data: the service with its BIA, status and
 * integration count; its downtimes overlapping [now - 7 days, now]; the
 * names of its dependencies that are Down, in service id order.  A
 * service without BIA has has_bia false and the BIA factors off; one
 * without a status row is STATUS_UNKNOWN.  1 found, 0 no such service
 * (ctx left cleared), -1 error.
 */
int	 db_risk_input(struct db *, long long service_id, time_t now,
	    struct risk_ctx *ctx);

/* A row of the risks table. */
struct risk_record {
	long long	 id;
	long long	 service_id;
	int		 score;
	enum risk_level	 level;
	bool		 is_critical;
	char		*reason;	/* may be NULL */
	bool		 manual;	/* source "manual", else "automated" */
	char		*created_by;	/* username; NULL for the daemon */
	time_t		 created_at;
};

/* Free the strings of r (not r itself); safe on a zeroed struct. */
void	 risk_record_clear(struct risk_record *);
/* "manual" or "automated". */
const char *risk_source_name(bool manual);
/*
 * Insert r (r->id is set on success); r->service_id, score, level,
 * is_critical, reason, manual, created_by and created_at are stored.
 * 0, or -1 (db_error DB_ERR_FK when the service does not exist).
 */
int	 db_risk_insert(struct db *, struct risk_record *r);
/* A service's newest score, for lists. */
struct risk_brief {
	long long	 service_id;
	int		 score;
	enum risk_level	 level;
};
/*
 * The newest record of each of ids[0..n) that has one, in one
 * statement, into a malloc'd array (caller frees).  0 or -1.
 */
int	 db_risk_latest_many(struct db *, const long long *ids, size_t n,
	    struct risk_brief **out, size_t *nout);
/*
 * The newest record of any source (by id: the last one written).
 * 1 found (r filled, caller clears), 0 none (*exists says whether the
 * service exists), -1 error.
 */
int	 db_risk_latest(struct db *, long long service_id, bool *exists,
	    struct risk_record *r);
/*
 * The newest manual record, locked for update (call inside a
 * transaction).  1 found (r filled, caller clears), 0 none (*exists
 * says whether the service exists), -1 error.
 */
int	 db_risk_latest_manual(struct db *, long long service_id, bool *exists,
	    struct risk_record *r);
/*
 * Overwrite score, level, is_critical and reason of record r->id (it
 * keeps its source, creator and time).  0 or -1.
 */
int	 db_risk_update(struct db *, const struct risk_record *r);
/*
 * A page of the service's records, newest first, into a malloc'd array
 * *out of *n (caller clears each and frees the array), and how many it
 * has in all.  1, 0 when there is no such service, -1 error.
 */
int	 db_risk_history(struct db *, long long service_id, long long offset,
	    long long limit, struct risk_record **out, size_t *n,
	    long long *total);

#endif
