/*
 * The audit trail: append (inside the caller's transaction, so a write
 * and its entry commit together), list, and walk for verification.
 */
#ifndef RO_DB_AUDIT_H
#define RO_DB_AUDIT_H

#include <stddef.h>
#include <time.h>

#include "core/auditchain.h"
#include "core/auditcheckpoint.h"

struct db;

/* Called for each entry with the prev/mac it stores; non-zero stops the walk. */
typedef int (*audit_cb)(const struct audit_record *,
    const unsigned char prev[AUDIT_MAC_LEN],
    const unsigned char mac[AUDIT_MAC_LEN], void *arg);

/*
 * Append r (r->id, its row id, is assigned here; r->ts must be set)
 * unsealed: an INSERT inside the caller's transaction, so a write and
 * its entry commit together, and no lock that another write waits for.
 * 0 or -1.
 */
int	 db_audit_append(struct db *, struct audit_record *r);
/*
 * Seal up to a batch (500) of unsealed entries, oldest id first, into
 * the chain: the head row is locked for the rest of the caller's
 * transaction (sealers queue; writers do not).  The number sealed (a
 * full batch: call again), 0 when none were left, or -1 (roll back).
 */
long long db_audit_seal(struct db *, const unsigned char *key, size_t keylen);
/* How many entries are unsealed, and the oldest one's time (0: none). */
int	 db_audit_unsealed(struct db *, long long *count, time_t *oldest);
/* One entry as the API shows it: owned copies (audit_entry_clear). */
struct audit_entry {
	long long	 id;
	time_t		 ts;
	long long	 user_id;	/* 0: none */
	char		*username;	/* may be NULL */
	char		*action;
	char		*entity;
	long long	 entity_id;	/* 0: none */
	char		*ip;		/* may be NULL */
	char		*user_agent;	/* may be NULL */
	char		*details;	/* JSON text or NULL */
	int		 status;	/* the answer's status, 0: none */
};

/* What the security audit log filters on; NULL/0 for none. */
struct audit_filter {
	long long	 user_id;
	const char	*action;	/* a part of it, any case */
	const char	*entity;	/* resource_type, any case */
	time_t		 from;		/* created_at >= from */
	time_t		 to;		/* created_at < to */
};

/* Free the strings of e (not e); safe on a zeroed entry. */
void	 audit_entry_clear(struct audit_entry *);
/*
 * Entries newest first, a page at a time, into a malloc'd array *out
 * of *n (caller clears each and frees), and how many there are in all
 * (the head's sealed count and the unsealed rest).  0 or -1.
 */
int	 db_audit_list(struct db *, long long offset, long long limit,
	    struct audit_entry **out, size_t *n, long long *total);
/* The same through a filter, with the filtered count.  0 or -1. */
int	 db_audit_search(struct db *, const struct audit_filter *,
	    long long offset, long long limit, struct audit_entry **out,
	    size_t *n, long long *total);
/*
 * Sealed entries with seq > after in chain order, at most limit, each
 * with its seq as r->id.  Count walked, or -1.
 */
long long db_audit_walk(struct db *, long long after, long long limit,
	    audit_cb cb, void *arg);
/* The head row: last id and mac.  0 or -1. */
int	 db_audit_head(struct db *, long long *last_id,
	    unsigned char mac[AUDIT_MAC_LEN]);

/*
 * Take a checkpoint of the chain: read the head row, make the v1 line
 * (at: now, host: this machine's name) and write it: appended to the
 * file path (log_append: O_APPEND, no symlink, 0640, fsync'd), or, if
 * path is NULL, to syslog as "resilops-audit" with LOG_AUTH and
 * LOG_NOTICE.  The one writer of checkpoints, for resilops-admin and
 * resilops-sched.  What was written goes to *cp and line (linesz >=
 * AUDITCHECKPOINT_LINE_MAX).  0, or -1 logged.
 */
int	 db_audit_checkpoint(struct db *, const char *path, time_t now,
	    struct audit_checkpoint *cp, char *line, size_t linesz);

#endif
