/*
 * The integrations table and the outbox rows that announce them.
 * Secret config values are sealed with AES-256-GCM (util/aead) under
 * the AAD "integration:<row id>:<path>:v<key version>" (path as in
 * core/integration.h), so a sealed value only opens in the row and
 * field it was written for.  Stored form of one secret:
 * {"$enc": "v<version>:<base64>", "$redacted": "https://host/..."}.
 */
#ifndef RO_DB_INTEGRATION_H
#define RO_DB_INTEGRATION_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "core/integration.h"

struct aead_key;
struct db;
struct keyring;

#define OUTBOX_EVENT_INTEGRATION_ADDED "integration_added"

struct integration_row {
	long long		 id;
	long long		 service_id;
	char			*type;
	struct json_object	*config;	/* redacted or plain */
	char			*created_by;	/* may be NULL */
	time_t			 created_at;
};

/* Free what r owns (not r); safe on a zeroed struct. */
void	 integration_row_clear(struct integration_row *r);

/*
 * Inside the caller's transaction: add an integration of service_id
 * (locked while the transaction lasts; its integration count goes up by
 * one) with config sealed under the ring's newest key, and queue one
 * outbox row (event OUTBOX_EVENT_INTEGRATION_ADDED, payload JSON with the
 * config redacted, due at now).  config must
 * already be valid for type.  Returns the new id, 0 when the service
 * does not exist, -1 on error.
 */
long long db_integration_add(struct db *, const struct keyring *,
	    long long service_id, enum integration_type type,
	    struct json_object *config, const char *created_by, time_t now);

/*
 * A page of integrations by id ascending, configs redacted, and how
 * many there are in all.  *rows is a malloc'd array of *n (the caller
 * clears each and frees it).  0/-1.
 */
int	 db_integration_list(struct db *, long long offset, long long limit,
	    struct integration_row **rows, size_t *n, long long *total);
/*
 * Inside the caller's transaction: delete integration id (its outbox
 * rows go with it; its service's integration count goes down by one).
 * gone, if not NULL, gets its id, service_id and type (config NULL).
 * 1 deleted, 0 no such integration, -1 error.
 */
int	 db_integration_delete(struct db *, long long id,
	    struct integration_row *gone);

/* A stored sealed value and its row (rotation). */
struct sealed_row {
	long long	 id;
	char		*text;
};

/*
 * The next rows after id after, in id order, with their sealed config
 * text (caller frees each text and the array).  0 or -1.
 */
int	 db_integration_sealed_page(struct db *, long long after,
	    long long limit, struct sealed_row **out, size_t *n);
/*
 * Replace row id's config old by fresh, only if it is still old.  1
 * replaced, 0 it changed meanwhile, -1.
 */
int	 db_integration_reseal(struct db *, long long id, const char *old,
	    const char *fresh);

#endif
