/*
 * Outbox tables as the deliverer sees them: claim a batch of due rows,
 * then store every row's outcome in one statement.  Both run inside the
 * caller's fenced transaction.  The mark and record statements are the
 * same for every outbox table but for its name (struct outbox_table);
 * the claim is each table's own, since what a row sends comes from its
 * joins.  The integrations' outbox (table outbox) is here.
 *
 * status: pending (due at next_attempt_at), sent, failed (given up, or
 * refused at once), skipped (nothing to send: an integration type that
 * has no delivery).  attempts counts the deliveries tried.
 */
#ifndef RO_DB_OUTBOX_H
#define RO_DB_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct db;

#define OUTBOX_PENDING	"pending"
#define OUTBOX_SENT	"sent"
#define OUTBOX_FAILED	"failed"
#define OUTBOX_SKIPPED	"skipped"

/*
 * The statements of one outbox table (columns id, status, attempts,
 * next_attempt_at, last_error, sent_at; see sched/deliver.h).
 * mark: "UPDATE <table> o JOIN JSON_TABLE(?, ...) j ON j.id = o.id SET
 * o.next_attempt_at = ?"; record: db_outbox.c's SQL_RECORD for the
 * table.  Both static const char[] of the table's db file.
 */
/* The mark and record statements of an outbox table (a string literal). */
#define OUTBOX_MARK_SQL(table) \
	"UPDATE " table " o JOIN JSON_TABLE(?, '$[*]' COLUMNS " \
	"(id BIGINT UNSIGNED PATH '$')) j ON j.id = o.id " \
	"SET o.next_attempt_at = ?"
/* A row is [id, status, attempts, next attempt (epoch s), sent, error?]. */
#define OUTBOX_RECORD_SQL(table) \
	"UPDATE " table " o JOIN JSON_TABLE(?, '$[*]' COLUMNS (" \
	"id BIGINT UNSIGNED PATH '$[0]', st VARCHAR(10) PATH '$[1]', " \
	"att INT UNSIGNED PATH '$[2]', nxt BIGINT PATH '$[3]', " \
	"sent INT PATH '$[4]', err VARCHAR(255) PATH '$[5]')) j " \
	"ON j.id = o.id SET o.status = j.st, o.attempts = j.att, " \
	"o.next_attempt_at = TIMESTAMP('1970-01-01') + INTERVAL j.nxt " \
	"SECOND, o.last_error = j.err, " \
	"o.sent_at = IF(j.sent = 1, ?, o.sent_at) WHERE o.status = 'pending'"

struct outbox_table {
	const char	*mark;
	const char	*record;
};

/* The integrations' outbox (table outbox). */
extern const struct outbox_table outbox_integrations;

/*
 * Inside the caller's transaction: move the next attempt of the n rows
 * ids to until (a claim).  0 or -1.
 */
int	 db_outbox_mark(struct db *, const struct outbox_table *,
	    const long long *ids, size_t n, time_t until);

/* One claimed row.  Strings are malloc'd; outbox_item_clear frees them. */
struct outbox_item {
	long long	 id;
	long long	 integration_id;
	char		*event;
	char		*payload;	/* JSON text */
	int		 attempts;
	time_t		 due;		/* next_attempt_at before the claim */
	char		*last_error;	/* may be NULL */
	char		*type;		/* the integration's */
	char		*config;	/* the integration's, secrets sealed */
};

void	 outbox_item_clear(struct outbox_item *);

/*
 * Inside the caller's transaction: lock up to limit pending rows of
 * the integrations' outbox due at now (the longest due first) and move
 * their next attempt to claim_until, so that no other daemon takes them
 * while they are being delivered (after a crash they come back then).
 * *items is a malloc'd array of *n (the caller clears each, then frees
 * it; NULL when none).  0 or -1.
 */
int	 db_outbox_claim(struct db *, time_t now, int limit, time_t claim_until,
	    struct outbox_item **items, size_t *n);

/* What becomes of one claimed row. */
struct outbox_outcome {
	long long	 id;
	const char	*status;	/* OUTBOX_* */
	int		 attempts;
	time_t		 next_attempt_at;
	const char	*last_error;	/* NULL clears it */
	bool		 sent;		/* sent_at = now */
};

/*
 * Inside the caller's transaction: store n outcomes in the table with
 * one statement (rows no longer pending, or gone, are left alone).
 * 0 or -1.
 */
int	 db_outbox_record(struct db *, const struct outbox_table *, time_t now,
	    const struct outbox_outcome *, size_t n);

#endif
