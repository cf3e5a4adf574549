/*
 * Redaction of request bodies for the audit trail: a denylist of field
 * names, matched as parts of the name (new_password, client_secret,
 * x_api_key), plus the request's own credentials by value.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/redact.h"

/* Parts of a field name that mark a secret. */
static const char *const secret_parts[] = {
	"password", "passwd", "secret", "token", "api_key", "apikey",
	"sensitive", "authorization", "private_key", "credential",
	"webhook_url", "jwt", "data_key", "audit_key", NULL,
};
/* Whole names that do (an integration's url; a key's value). */
static const char *const secret_names[] = { "url", "key", "pin", "cvv", NULL };

bool
redact_field(const char *name)
{
	size_t	 i, n, k;

	if (name == NULL)
		return false;
	for (i = 0; secret_names[i] != NULL; i++)
		if (strcasecmp(name, secret_names[i]) == 0)
			return true;
	n = strlen(name);
	for (i = 0; secret_parts[i] != NULL; i++) {
		k = strlen(secret_parts[i]);
		for (size_t at = 0; at + k <= n; at++)
			if (strncasecmp(name + at, secret_parts[i], k) == 0)
				return true;
	}
	return false;
}

static bool
is_credential(const char *s, const char *const *creds, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (creds[i] != NULL && *creds[i] != '\0' &&
		    strcmp(s, creds[i]) == 0)
			return true;
	return false;
}

struct json_object *
redact_copy(struct json_object *v, const char *const *creds, size_t ncreds)
{
	struct json_object	*out;
	size_t			 i, n;

	if (v == NULL)
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_object:
		out = json_object_new_object();
		{
			json_object_object_foreach(v, key, val) {
				json_object_object_add(out, key, redact_field(key) &&
				    val != NULL ? json_object_new_string(REDACTED) :
				    redact_copy(val, creds, ncreds));
			}
		}
		return out;
	case json_type_array:
		n = json_object_array_length(v);
		out = json_object_new_array_ext((int)n);
		for (i = 0; i < n; i++)
			json_object_array_add(out, redact_copy(
			    json_object_array_get_idx(v, i), creds, ncreds));
		return out;
	case json_type_string:
		if (is_credential(json_object_get_string(v), creds, ncreds))
			return json_object_new_string(REDACTED);
		return json_object_get(v);
	default:
		return json_object_get(v);
	}
}
