/*
 * The subscribers' outbox (sql/012 subscriber_outbox) for the delivery
 * runner: claim due rows with what sending needs (the kind, the sealed
 * address and the salt the links are made from), mark and record
 * through db_outbox's statements for this table.
 */
#ifndef RO_DB_SUBSCRIBER_OUTBOX_H
#define RO_DB_SUBSCRIBER_OUTBOX_H

#include <stddef.h>
#include <time.h>

#include "core/subscriber.h"

struct db;
struct outbox_table;

extern const struct outbox_table outbox_subscribers;

/* One claimed row; strings malloc'd (sub_item_clear). */
struct sub_item {
	long long		 id;
	long long		 subscriber_id;
	char			*event_key;
	char			*payload;
	int			 attempts;
	time_t			 due;
	char			*last_error;
	enum subscriber_kind	 kind;
	char			*address_sealed;
	char			 salt[SUBSCRIBER_SALT_LEN + 1];
};

void	 sub_item_clear(struct sub_item *);
/* As db_outbox_claim, for subscriber_outbox.  0 or -1. */
int	 db_sub_outbox_claim(struct db *, time_t now, int limit,
	    time_t claim_until, struct sub_item **items, size_t *n);

#endif
