/*
 * resilops-admin audit: verify the chain (and a checkpoint of it), write
 * a checkpoint, seal the entries written since the last seal.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin/admin.h"
#include "core/auditchain.h"
#include "core/auditcheckpoint.h"
#include "core/isotime.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "util/conf.h"
#include "util/crypto.h"

/* Batches of the seal run again when another sealer won the head. */
#define SEAL_TRIES	5

/* The command's database and config, for the walk's callback. */
static struct db		*db;
static const struct conf	*cfg;

struct verify_state {
	struct auditchain_verifier	 v;
	long long			 broken;	/* first broken id, 0: none */
	long long			 want;		/* checkpoint's entry, 0: none */
	unsigned char			 want_mac[AUDIT_MAC_LEN]; /* its mac here */
};

static int
verify_one(const struct audit_record *r, const unsigned char prev[AUDIT_MAC_LEN],
    const unsigned char mac[AUDIT_MAC_LEN], void *arg)
{
	struct verify_state	*st = arg;

	if (auditchain_verify_next(&st->v,
	    (const unsigned char *)cfg->secrets.audit_key,
	    strlen(cfg->secrets.audit_key), r, prev, mac) == -1) {
		st->broken = r->id;
		return 1;
	}
	if (r->id == st->want)
		memcpy(st->want_mac, mac, AUDIT_MAC_LEN);
	return 0;
}

/*
 * One line of f into buf, without its newline: its length, or -1 at
 * the end.  A line too long for buf is cut and a NUL byte dropped; then
 * *whole is false.  The size is fixed: the file may be large or hostile.
 */
static long
read_line(FILE *f, char *buf, size_t bufsz, bool *whole)
{
	size_t	 n = 0;
	int	 c;

	*whole = true;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == '\0' || n + 1 >= bufsz)
			*whole = false;
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	if (c == EOF && n == 0 && *whole)
		return -1;
	return (long)n;
}

/*
 * The last valid checkpoint line of path into cp.  Lines without the
 * mark are skipped (a syslog file holds other messages); a malformed
 * checkpoint line is named and skipped; a file without a valid one is
 * an error.  0, or -1 said on stderr.
 */
static int
checkpoint_read(const char *path, struct audit_checkpoint *cp)
{
	struct audit_checkpoint	 one;
	char			 buf[AUDITCHECKPOINT_LINE_MAX * 2];
	long long		 lineno = 0, good = 0, bad = 0;
	bool			 whole;
	FILE			*f;
	int			 rc;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "resilops-admin: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (read_line(f, buf, sizeof(buf), &whole) != -1) {
		lineno++;
		if ((rc = auditcheckpoint_parse(buf, &one)) == 1 && !whole)
			rc = -1;
		if (rc == 1) {
			*cp = one;
			good++;
		} else if (rc == -1) {
			bad++;
			fprintf(stderr, "resilops-admin: %s, line %lld: not a valid "
			    "checkpoint line; ignored\n", path, lineno);
		}
	}
	rc = ferror(f) ? -1 : 0;
	fclose(f);
	if (rc == -1) {
		fprintf(stderr, "resilops-admin: %s: read error\n", path);
		return -1;
	}
	if (good > 0)
		return 0;
	if (bad > 0)
		fprintf(stderr, "resilops-admin: %s holds no valid checkpoint line "
		    "(%lld malformed): cannot verify against it\n", path, bad);
	else
		fprintf(stderr, "resilops-admin: %s holds no checkpoint line%s: "
		    "cannot verify against it\n", path,
		    lineno == 0 ? " (it is empty)" : "");
	return -1;
}

/* The chain (verified, ending at last_id) against the checkpoint.  0 or 1. */
static int
checkpoint_verdict(const struct verify_state *st,
    const struct audit_checkpoint *cp)
{
	char	 at[ISOTIME_LEN + 1], hex[2 * AUDIT_MAC_LEN + 1];

	isotime_format(cp->at, at);
	crypto_hex(cp->mac, AUDIT_MAC_LEN, hex);
	switch (auditcheckpoint_check(cp, st->v.last_id, st->want_mac)) {
	case AUDITCHECKPOINT_MATCH:
		printf("audit chain OK: %lld entries; it holds the checkpoint of "
		    "%s from %s (entry %lld, same mac)\n", st->v.count, at,
		    cp->host, cp->seq);
		return 0;
	case AUDITCHECKPOINT_SHORT:
		printf("audit chain BROKEN at entry %lld: the checkpoint of %s "
		    "names entry %lld with mac %s, but the chain ends at entry "
		    "%lld\n", cp->seq, at, cp->seq, hex, st->v.last_id);
		return 1;
	case AUDITCHECKPOINT_OTHER_MAC:
		printf("audit chain BROKEN at entry %lld: the checkpoint of %s "
		    "names entry %lld with mac %s, but the chain holds another "
		    "mac there\n", cp->seq, at, cp->seq, hex);
		return 1;
	}
	return 1;
}

static int	 unsealed_verdict(const struct verify_state *, bool);

static int
audit_verify(int argc, char *argv[])
{
	struct verify_state	 st;
	struct audit_checkpoint	 cp;
	unsigned char		 head_mac[AUDIT_MAC_LEN];
	const char		*cpfile = NULL;
	long long		 n, head_id;

	if (argc == 4 && strcmp(argv[2], "--checkpoint") == 0)
		cpfile = argv[3];
	else if (argc != 2)
		return -2;
	memset(&st, 0, sizeof(st));
	/* First: a file that cannot be used need not wait for the walk. */
	if (cpfile != NULL) {
		if (checkpoint_read(cpfile, &cp) == -1)
			return 1;
		st.want = cp.seq;
	}
	auditchain_verify_init(&st.v);
	do {
		if ((n = db_audit_walk(db, st.v.last_id, 1000, verify_one, &st)) < 0)
			return 1;
	} while (n == 1000 && st.broken == 0);
	if (st.broken != 0) {
		printf("audit chain BROKEN at entry %lld (after %lld good "
		    "entries)\n", st.broken, st.v.count);
		return 1;
	}
	if (db_audit_head(db, &head_id, head_mac) == -1)
		return 1;
	/* The head names the last entry: a deleted tail shows here. */
	if (head_id != st.v.last_id ||
	    !crypto_equal(head_mac, st.v.prev, AUDIT_MAC_LEN)) {
		printf("audit chain BROKEN at entry %lld (the chain head says "
		    "the last entry is %lld)\n", st.v.last_id + 1, head_id);
		return 1;
	}
	/* ... unless the head was rewound too: the checkpoint shows that. */
	if (cpfile != NULL && checkpoint_verdict(&st, &cp) != 0)
		return 1;
	return unsealed_verdict(&st, cpfile == NULL);
}

/*
 * The entries not sealed yet: written since resilops-sched's last seal.
 * They are in no chain, so nothing vouches for them; past [audit]
 * unsealed_max_age that is no longer a moment's delay but a sealer that
 * is not running, and the answer is no longer OK.  0 or 1.
 */
static int
unsealed_verdict(const struct verify_state *st, bool say_ok)
{
	char		 at[ISOTIME_LEN + 1];
	long long	 n;
	time_t		 oldest, now = time(NULL);

	if (db_audit_unsealed(db, &n, &oldest) == -1)
		return 1;
	if (n > 0 && now - oldest > cfg->audit.unsealed_max_age) {
		isotime_format(oldest, at);
		printf("audit chain STALE: %lld entries not sealed, the oldest "
		    "from %s (%lld s ago, over [audit] unsealed_max_age %d): "
		    "is resilops-sched running? (resilops-admin audit seal "
		    "seals them now)\n", n, at, (long long)(now - oldest),
		    cfg->audit.unsealed_max_age);
		return 1;
	}
	if (say_ok)
		printf("audit chain OK: %lld entries\n", st->v.count);
	if (n > 0)
		printf("%lld more entries not sealed yet (the oldest %lld s "
		    "old): resilops-sched seals them at its next tick\n", n,
		    (long long)(now - oldest));
	return 0;
}

static int
audit_seal(int argc, char *argv[])
{
	const char	*key = cfg->secrets.audit_key;
	long long	 n = 0, total = 0, last;
	unsigned char	 mac[AUDIT_MAC_LEN];
	int		 tries;

	(void)argv;
	if (argc != 2)
		return -2;
	do {
		for (tries = 1;; tries++) {
			if (db_begin(db) == 0 && (n = db_audit_seal(db,
			    (const unsigned char *)key, strlen(key))) != -1 &&
			    db_commit(db) == 0)
				break;
			db_rollback(db);
			/*
			 * Another sealer (resilops-sched, through another
			 * Galera node) took the chain's head first: the batch
			 * was undone whole; seal it again.
			 */
			if (db_error(db) != DB_ERR_RETRY || tries == SEAL_TRIES) {
				fprintf(stderr, "resilops-admin: audit seal "
				    "failed after %lld entries\n", total);
				return 1;
			}
			db_retry_pause(tries);
		}
		total += n;
	} while (n > 0);
	if (db_audit_head(db, &last, mac) == -1)
		return 1;
	printf("%lld entries sealed; the chain ends at entry %lld\n", total,
	    last);
	return 0;
}

static int
audit_checkpoint(int argc, char *argv[])
{
	struct audit_checkpoint	 cp;
	const char		*path = NULL;	/* NULL: syslog */
	char			 line[AUDITCHECKPOINT_LINE_MAX];

	if (argc == 4 && strcmp(argv[2], "--file") == 0 && argv[3][0] != '\0')
		path = argv[3];
	else if (argc != 2)
		return -2;
	if (db_audit_checkpoint(db, path, time(NULL), &cp, line,
	    sizeof(line)) == -1) {
		fprintf(stderr, "resilops-admin: no checkpoint written\n");
		return 1;
	}
	if (path != NULL)
		printf("audit checkpoint of entry %lld appended to %s:\n%s\n",
		    cp.seq, path, line);
	else
		printf("audit checkpoint of entry %lld sent to syslog "
		    "(resilops-audit, auth.notice):\n%s\n", cp.seq, line);
	return 0;
}

int
cmd_audit(struct db *d, const struct conf *c, int argc, char *argv[])
{
	db = d;
	cfg = c;
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return audit_verify(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "checkpoint") == 0)
		return audit_checkpoint(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "seal") == 0)
		return audit_seal(argc, argv);
	return -2;
}
