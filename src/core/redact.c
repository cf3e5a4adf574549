/*
 * Redaction of request bodies for the audit trail: a denylist of field
 * names, matched as parts of the name (new_password, client_secret,
 * x_api_key), plus strings holding the request's own credentials or
 * anything shaped like an API key or vault token of ours.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <json-c/json.h>

#include "core/credential.h"
#include "core/redact.h"

/* Parts of a field name that mark a secret ('-' matches '_'). */
static const char *const secret_parts[] = {
	"password", "passwd", "passphrase", "secret", "token", "api_key",
	"apikey", "sensitive", "authorization", "private_key", "credential",
	"webhook_url", "jwt", "data_key", "audit_key", NULL,
};
/* Whole names that do (an integration's url; a key's value). */
static const char *const secret_names[] = { "url", "key", "pin", "cvv",
	"pwd", NULL };

/* ASCII case folding, with '-' taken as '_' (X-Api-Key, api-key). */
static int
name_fold(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c == '-' ? '_' : c;
}

/* Whether name[0..n) equals word under name_fold. */
static bool
name_eq(const char *name, size_t n, const char *word)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (word[i] == '\0' || name_fold((unsigned char)name[i]) !=
		    word[i])
			return false;
	return word[n] == '\0';
}

bool
redact_field(const char *name)
{
	size_t	 i, n, k, at;

	if (name == NULL)
		return false;
	n = strlen(name);
	for (i = 0; secret_names[i] != NULL; i++)
		if (name_eq(name, n, secret_names[i]))
			return true;
	for (i = 0; secret_parts[i] != NULL; i++) {
		k = strlen(secret_parts[i]);
		for (at = 0; at + k <= n; at++)
			if (name_eq(name + at, k, secret_parts[i]))
				return true;
	}
	return false;
}

static bool
base62(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* Whether s holds one of our credentials (an API key, a vault token). */
static bool
has_credential_shape(const char *s)
{
	static const char *const prefixes[] = { APIKEY_PREFIX, TOKEN_PREFIX };
	const char	*p;
	size_t		 i, k;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		for (p = s; (p = strstr(p, prefixes[i])) != NULL; p++) {
			const char *r = p + strlen(prefixes[i]);

			for (k = 0; k < CREDENTIAL_RANDOM && base62(r[k]); k++)
				;
			if (k == CREDENTIAL_RANDOM)
				return true;
		}
	return false;
}

/*
 * Whether a string must go: it holds a credential the request presented
 * (pasted into a note, say), or anything shaped like a key or token of
 * ours.  The whole string goes, not the match: what surrounds a secret
 * is often more of it.
 */
static bool
is_secret_string(const char *s, const char *const *creds, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (creds[i] != NULL && *creds[i] != '\0' &&
		    strstr(s, creds[i]) != NULL)
			return true;
	return has_credential_shape(s);
}

/* Add val under key to out; false (val put) when memory runs out. */
static bool
add_member(struct json_object *out, const char *key, struct json_object *val,
    bool was_null)
{
	if (val == NULL && !was_null)
		return false;
	if (json_object_object_add(out, key, val) != 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

/*
 * Out of memory anywhere, the whole copy goes (NULL): a copy missing a
 * member, or with a null where a redaction belongs, must never reach
 * the audit trail as if it were the body.
 */
struct json_object *
redact_copy(struct json_object *v, const char *const *creds, size_t ncreds)
{
	struct json_object	*out, *el;
	size_t			 i, n;

	if (v == NULL)
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_object:
		if ((out = json_object_new_object()) == NULL)
			return NULL;
		{
			json_object_object_foreach(v, key, val) {
				bool	 ok;

				/*
				 * A name can carry a secret too (a config keyed
				 * by token): then name and value both go.
				 */
				if (is_secret_string(key, creds, ncreds))
					ok = add_member(out, REDACTED,
					    json_object_new_string(REDACTED),
					    false);
				else if (redact_field(key) && val != NULL)
					ok = add_member(out, key,
					    json_object_new_string(REDACTED),
					    false);
				else
					ok = add_member(out, key,
					    redact_copy(val, creds, ncreds),
					    val == NULL);
				if (!ok) {
					json_object_put(out);
					return NULL;
				}
			}
		}
		return out;
	case json_type_array:
		n = json_object_array_length(v);
		if ((out = json_object_new_array_ext((int)n)) == NULL)
			return NULL;
		for (i = 0; i < n; i++) {
			struct json_object	*in = json_object_array_get_idx(v, i);

			el = redact_copy(in, creds, ncreds);
			if ((el == NULL && in != NULL) ||
			    json_object_array_add(out, el) != 0) {
				json_object_put(el);
				json_object_put(out);
				return NULL;
			}
		}
		return out;
	case json_type_string:
		if (is_secret_string(json_object_get_string(v), creds, ncreds))
			return json_object_new_string(REDACTED);
		return json_object_get(v);
	default:
		return json_object_get(v);
	}
}
