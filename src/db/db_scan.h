/*
 * What the security scans read (each target in one statement) and the
 * security_scans table they write.
 */
#ifndef RO_DB_SCAN_H
#define RO_DB_SCAN_H

#include <stddef.h>
#include <time.h>

#include "core/scan.h"

struct db;

/*
 * The facts of account target (an id or a username) at now, except
 * privileged and iterations_wanted (the caller's): 1, 0 none, -1.
 */
int	 db_scan_account(struct db *, const char *target, time_t now,
	    struct scan_account *, char **password_hash, int *role);
int	 db_scan_service(struct db *, long long id, struct scan_service *);
int	 db_scan_key(struct db *, const char *key_id, struct scan_key *);

/* A stored scan. */
struct scan_row {
	char		 scan_id[41];
	char		*scan_type;
	char		*target_id;
	int		 score;
	char		*result;	/* JSON text */
	long long	 created_by;
	time_t		 created_at;
};

void	 scan_row_clear(struct scan_row *);
int	 db_scan_insert(struct db *, const struct scan_row *);
int	 db_scan_list(struct db *, long long offset, long long limit,
	    struct scan_row **out, size_t *n, long long *total);

#endif
