/*
 * Integrations of a service (Slack, Webhook, Email, AWS): the type
 * vocabulary, per-type config rules, which config keys hold secrets,
 * and their redaction (CONTRACT sections 4 and 9).  Pure: encryption
 * is the caller's, through integration_map_secrets().
 *
 * Secret values are found at any depth: a member of any object whose
 * key is one of the secret names (case-insensitively) is secret as a
 * whole, whatever its JSON type; null stays null.  A value's path is
 * its keys and array indexes from the root joined by "/", each key
 * escaped as in RFC 6901 ("~" as "~0", "/" as "~1"): "webhook_url",
 * "credentials/secret_access_key", "targets/0/token".
 */
#ifndef RO_INTEGRATION_H
#define RO_INTEGRATION_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

enum integration_type {
	INTEG_SLACK,
	INTEG_WEBHOOK,
	INTEG_EMAIL,
	INTEG_AWS,
	INTEG__MAX
};

#define INTEGRATION_REQUIRED_MSG "Service ID, type, and config are required"
#define INTEGRATION_TYPE_BADMSG \
	"Invalid integration type: must be one of Slack, Webhook, Email, AWS"
#define INTEGRATION_CONFIG_BADMSG "config must be an object"
#define INTEGRATION_URL_REQMSG "webhook_url is required"
#define INTEGRATION_URL_BADMSG "webhook_url must be an https URL"
#define INTEGRATION_TO_BADMSG "to must be a list of email addresses"

#define INTEGRATION_URL_MAX	2048	/* bytes of a webhook_url */
#define INTEGRATION_EMAIL_MAX	254	/* bytes of one address */
#define INTEGRATION_TO_MAX	100	/* addresses in "to" */
#define INTEGRATION_DEPTH_MAX	64	/* nesting the secret walk follows */

/* What a secret shows as when it is not a URL. */
#define INTEGRATION_REDACTED	"***"
/* The members of a sealed value as stored: {"$enc": ..., "$redacted": ...}. */
#define INTEGRATION_ENC_KEY	"$enc"
#define INTEGRATION_HINT_KEY	"$redacted"

/* Slack, Webhook, Email, AWS, NULL: for core/validate's V_ENUM. */
extern const char *const integration_type_choices[];

/* The type, case-insensitively; -1 if unknown. */
int	 integration_type_parse(const char *);
/* The stored spelling; NULL if out of range. */
const char *integration_type_name(enum integration_type);

/*
 * Python's "not x" on a JSON value: null, false, 0, 0.0, "", [] and {}.
 * The seed answers INTEGRATION_REQUIRED_MSG for any of them.
 */
bool	 integration_falsy(struct json_object *);
/* Whether body lacks service_id, type or config (absent or falsy). */
bool	 integration_body_incomplete(struct json_object *body);

/*
 * Check config (which must be a JSON object) for type.  A webhook_url
 * must be https, or http to a host listed in http_hosts ([delivery]
 * http_hosts: space or comma separated; NULL or "" for none).  0, or
 * -1 with the client message in err.
 */
int	 integration_config_check(enum integration_type,
	    struct json_object *config, const char *http_hosts, char *err,
	    size_t errsz);
/*
 * An absolute https URL: "https://" (any case), a host name, IPv4 or
 * [IPv6] host, an optional port 1..65535, optional userinfo; no
 * whitespace, control characters or backslashes; at most
 * INTEGRATION_URL_MAX bytes.
 */
bool	 integration_https_url(const char *);
/* local@domain.tld without whitespace or control characters. */
bool	 integration_email(const char *);
/* Whether a config key names a secret value (case-insensitively). */
bool	 integration_secret_key(const char *);

/*
 * How a secret value shows: for a string that is a URL with a
 * well-formed host, "scheme://host/" and then "***" (userinfo dropped,
 * port kept); else "***".  A new string object (the caller owns it),
 * NULL on allocation failure.
 */
struct json_object *integration_redact_value(struct json_object *value);

/*
 * Called for each non-null secret value: set *out to its replacement
 * (a new reference, or NULL for JSON null) and return 0, or return -1
 * to abandon the walk.
 */
typedef int (*integration_secret_fn)(const char *path,
	    struct json_object *value, void *arg, struct json_object **out);

/*
 * A copy of config in which every secret value is replaced by what fn
 * gives for it; other values are shared with config (json-c reference
 * counts).  The caller owns the result.  -1 (nothing to free) when fn
 * fails, nesting exceeds INTEGRATION_DEPTH_MAX or memory runs out.
 */
int	 integration_map_secrets(struct json_object *config,
	    integration_secret_fn fn, void *arg, struct json_object **out);

/* A plain config with its secrets redacted (caller owns); NULL on error. */
struct json_object *integration_redact(struct json_object *config);
/*
 * A config as stored (secrets sealed) with its secrets shown by their
 * stored hints ("***" where none is readable); NULL on error.
 */
struct json_object *integration_redact_sealed(struct json_object *sealed);

/* {"$enc": sealed, "$redacted": hint}, new; NULL on allocation failure. */
struct json_object *integration_wrap(const char *sealed, const char *hint);

struct keyring;

/*
 * config with every secret sealed under the ring's newest key for row
 * id (util/keyring, where "integration:<id>:<path>"): a new object the
 * caller owns, or NULL on failure.
 */
struct json_object *integration_seal(const struct keyring *, long long id,
	    struct json_object *config);
/*
 * A sealed config of row id with its secrets opened: a new object the
 * caller owns, or NULL when one does not open (wrong row, field, key
 * or version, tampering, a secret stored unsealed).
 */
struct json_object *integration_open(const struct keyring *, long long id,
	    struct json_object *sealed);
/* Whether every secret of a sealed config is sealed under version. */
bool	 integration_sealed_with(struct json_object *sealed, int version);
/* The sealed text of a wrapper (borrowed); NULL when value is not one. */
const char *integration_unwrap(struct json_object *value);

#endif
