/*
 * Audit checkpoints: the chain head (last id and its mac) written
 * outside the database, so that cutting off the newest entries and
 * rewinding the head row, which leaves a chain that verifies, still
 * shows.  One line per checkpoint (version 1):
 *
 *   resilops-audit-checkpoint v1 seq=<id> mac=<64 hex> at=<UTC ISO 8601> host=<name>
 *
 * Pure: the line's format, its parser and the comparison with a chain.
 * db_audit_checkpoint() writes them, resilops-admin reads them.
 */
#ifndef RO_AUDITCHECKPOINT_H
#define RO_AUDITCHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/auditchain.h"

#define AUDITCHECKPOINT_MARK	 "resilops-audit-checkpoint"
#define AUDITCHECKPOINT_HOST_MAX 255	/* bytes, as a DNS name */
/* Room for the longest v1 line and its NUL. */
#define AUDITCHECKPOINT_LINE_MAX 512

struct audit_checkpoint {
	long long	 seq;			/* id of the last entry, 0: none */
	unsigned char	 mac[AUDIT_MAC_LEN];	/* its mac (zeros for seq 0) */
	time_t		 at;			/* when it was taken */
	char		 host[AUDITCHECKPOINT_HOST_MAX + 1];
};

/* How a checkpoint compares with the chain as it is now. */
enum auditcheckpoint_verdict {
	AUDITCHECKPOINT_MATCH,		/* the chain holds seq with that mac */
	AUDITCHECKPOINT_SHORT,		/* the chain ends before seq */
	AUDITCHECKPOINT_OTHER_MAC,	/* the chain holds another mac at seq */
};

/*
 * Set cp->host from a machine name: bytes other than printable ASCII
 * without space become '_', an empty name "unknown", and a longer one
 * is cut, so any name gives a line that parses.
 */
void	 auditcheckpoint_set_host(struct audit_checkpoint *, const char *name);
/*
 * Write cp's line, without a newline, into buf.  Its length, or -1 if
 * buf is too small or cp does not make a valid line (negative seq or
 * time, a host that auditcheckpoint_set_host would change).
 */
int	 auditcheckpoint_format(const struct audit_checkpoint *, char *buf,
	    size_t bufsz);
/*
 * Read a checkpoint from one line (its newline, "\n" or "\r\n", may
 * follow).  The line may carry a prefix ending in a space before the
 * mark, as a syslog file writes it.  1 parsed into cp; 0 the line holds
 * no checkpoint (no mark); -1 it holds a malformed one (cp unchanged).
 */
int	 auditcheckpoint_parse(const char *line, struct audit_checkpoint *);
/*
 * Compare cp with a chain whose last entry is last_id and which holds
 * mac_at_seq at cp->seq (ignored when the chain is shorter; 32 zero
 * bytes for seq 0, the chain's start).
 */
enum auditcheckpoint_verdict auditcheckpoint_check(
	    const struct audit_checkpoint *, long long last_id,
	    const unsigned char mac_at_seq[AUDIT_MAC_LEN]);

#endif
