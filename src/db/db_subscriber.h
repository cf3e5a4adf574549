/*
 * The subscribers tables (sql/012): a subscriber with the services it
 * follows, and the fan-out of an event to the confirmed ones, one
 * statement whatever their number.
 */
#ifndef RO_DB_SUBSCRIBER_H
#define RO_DB_SUBSCRIBER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/subscriber.h"

struct db;

struct subscriber {
	long long		 id;
	enum subscriber_kind	 kind;
	char			*address_sealed;
	char			 salt[SUBSCRIBER_SALT_LEN + 1];
	bool			 all_services;
	time_t			 confirmed_at;		/* 0: not yet */
	time_t			 confirm_expires;	/* 0: none pending */
	time_t			 created_at;
	long long		*service_ids;
	size_t			 nservices;
};

void	 subscriber_clear(struct subscriber *);
void	 subscribers_free(struct subscriber *, size_t n);

/* By the HMAC of its address (FOR UPDATE).  1 (out filled), 0, -1. */
int	 db_subscriber_find(struct db *, const unsigned char hmac[32],
	    struct subscriber *out);
/* By id, with its services.  1, 0, -1. */
int	 db_subscriber_get(struct db *, long long id, struct subscriber *out);
/* Insert s (address_hmac as given; no sealed address yet); s->id set. */
int	 db_subscriber_insert(struct db *, struct subscriber *s,
	    const unsigned char hmac[32]);
/* Store kind, sealed address, salt, all_services, the confirm fields. */
int	 db_subscriber_save(struct db *, const struct subscriber *s);
/* Replace its services with s->service_ids.  0 or -1. */
int	 db_subscriber_services(struct db *, const struct subscriber *s);
/* Confirmed at now (confirm_expires cleared).  0 or -1. */
int	 db_subscriber_confirm(struct db *, long long id, time_t now);
/* Delete the subscriber and all it has (services, queued messages). */
int	 db_subscriber_delete(struct db *, long long id);
/* A page by id, each with its services; *total of all.  0 or -1. */
int	 db_subscriber_page(struct db *, long long offset, long long limit,
	    struct subscriber **out, size_t *n, long long *total);
/*
 * The ids of ids[0..n) that are not public services, in the request's
 * order, as "[1, 2]" into buf; returns how many (0: all public), -1.
 */
int	 db_subscriber_not_public(struct db *, const long long *ids, size_t n,
	    char *buf, size_t bufsz);
/*
 * Queue event_key with payload (JSON text) for every confirmed
 * subscriber following all services or one of the public ones among
 * services (a JSON array text of ids; none public: nobody), at most
 * once per subscriber and key.  *n gets the rows queued.  0 or -1.
 */
int	 db_subscriber_fanout(struct db *, const char *event_key,
	    const char *payload, const char *services, time_t now,
	    unsigned long long *n);
/* Queue event_key with payload for subscriber id alone.  0 or -1. */
int	 db_subscriber_queue(struct db *, long long id, const char *event_key,
	    const char *payload, time_t now);

#endif
