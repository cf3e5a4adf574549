/*
 * What an audit entry may keep of a request body: everything but
 * secrets.  A field whose name says it holds one (password, token,
 * api_key, secret, sensitive_data, ...) keeps its name and loses its
 * value, at any depth; a string holding a credential the request
 * presented (its bearer token, its API key) or shaped like a key or
 * token of ours goes too, wherever it is.
 * Pure.
 */
#ifndef RO_REDACT_H
#define RO_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#define REDACTED	"***"

/* Whether a field of this name holds a secret (case-insensitive). */
bool	 redact_field(const char *name);
/*
 * A redacted deep copy of v (a new object the caller puts; NULL for a
 * NULL v).  creds[0..ncreds) are the credential strings to remove (NULL
 * entries are skipped).
 */
struct json_object *redact_copy(struct json_object *v,
	    const char *const *creds, size_t ncreds);

#endif
