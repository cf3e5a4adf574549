/*
 * core/integration: the rules of integration configs and of their
 * secrets, without any cryptography or I/O (see integration.h).
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/integration.h"
#include "core/netcheck.h"
#include "util/aead.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/keyring.h"

const char *const integration_type_choices[] = {
	[INTEG_SLACK] = "Slack",
	[INTEG_WEBHOOK] = "Webhook",
	[INTEG_EMAIL] = "Email",
	[INTEG_AWS] = "AWS",
	[INTEG__MAX] = NULL,
};

/* CONTRACT section 9's list; matched case-insensitively. */
static const char *const secret_keys[] = {
	"webhook_url", "url", "token", "secret", "password", "api_key",
	"secret_access_key",
};

int
integration_type_parse(const char *s)
{
	int	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < INTEG__MAX; i++)
		if (strcasecmp(s, integration_type_choices[i]) == 0)
			return i;
	return -1;
}

const char *
integration_type_name(enum integration_type t)
{
	if ((int)t < 0 || t >= INTEG__MAX)
		return NULL;
	return integration_type_choices[t];
}

bool
integration_falsy(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return true;
	case json_type_boolean:
		return !json_object_get_boolean(o);
	case json_type_int:
		return json_object_get_int64(o) == 0;
	case json_type_double:
		return json_object_get_double(o) == 0.0;
	case json_type_string:
		return json_object_get_string_len(o) == 0;
	case json_type_array:
		return json_object_array_length(o) == 0;
	case json_type_object:
		return json_object_object_length(o) == 0;
	default:
		return false;
	}
}

bool
integration_body_incomplete(struct json_object *body)
{
	static const char *const required[] = {
		"service_id", "type", "config"
	};
	struct json_object	*v;
	size_t			 i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!json_object_object_get_ex(body, required[i], &v) ||
		    integration_falsy(v))
			return true;
	return false;
}

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_alnum(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* Any space, control character or DEL. */
static bool
has_ctl(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

/* The parts of "scheme://[userinfo@]hostport[/...]" that redaction shows. */
struct url_parts {
	const char	*scheme;
	size_t		 schemelen;
	const char	*hostport;	/* after any userinfo */
	size_t		 hostportlen;
};

static bool
url_split(const char *s, struct url_parts *u)
{
	const char	*p, *auth, *at;
	size_t		 authlen, i;

	if (s == NULL || !is_alpha((unsigned char)*s))
		return false;
	for (p = s; is_alnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.'; p++)
		;
	if (strncmp(p, "://", 3) != 0)
		return false;
	u->scheme = s;
	u->schemelen = (size_t)(p - s);
	auth = p + 3;
	authlen = strcspn(auth, "/?#");
	at = NULL;
	for (i = 0; i < authlen; i++)
		if (auth[i] == '@')
			at = auth + i;
	u->hostport = at != NULL ? at + 1 : auth;
	u->hostportlen = authlen - (size_t)(u->hostport - auth);
	return u->hostportlen > 0;
}

/* host[:port]: a name or IPv4 address, or [IPv6]; port 1..65535. */
static bool
hostport_ok(const char *h, size_t len)
{
	size_t		 i = 0;
	unsigned long	 port;

	if (len > 0 && h[0] == '[') {
		for (i = 1; i < len && h[i] != ']'; i++)
			if (strchr("0123456789abcdefABCDEF:.", h[i]) == NULL)
				return false;
		if (i >= len || i == 1)
			return false;
		i++;
	} else {
		for (; i < len && h[i] != ':'; i++)
			if (!is_alnum((unsigned char)h[i]) && h[i] != '-' &&
			    h[i] != '.' && h[i] != '_' &&
			    (unsigned char)h[i] < 0x80)
				return false;
		if (i == 0)
			return false;
	}
	if (i == len)
		return true;
	/* ':' and one to five digits. */
	if (h[i] != ':' || ++i == len || len - i > 5)
		return false;
	for (port = 0; i < len; i++) {
		if (h[i] < '0' || h[i] > '9')
			return false;
		port = port * 10 + (unsigned long)(h[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

bool
integration_https_url(const char *s)
{
	struct url_parts	 u;
	size_t			 len;

	if (s == NULL || (len = strlen(s)) > INTEGRATION_URL_MAX ||
	    has_ctl(s, len) || strchr(s, '\\') != NULL)
		return false;
	if (!url_split(s, &u) || u.schemelen != 5 ||
	    strncasecmp(u.scheme, "https", 5) != 0)
		return false;
	return hostport_ok(u.hostport, u.hostportlen);
}

bool
integration_email(const char *s)
{
	const char	*at, *d;
	size_t		 len, i, dlen;

	if (s == NULL || (len = strlen(s)) == 0 ||
	    len > INTEGRATION_EMAIL_MAX || has_ctl(s, len))
		return false;
	if ((at = strchr(s, '@')) == NULL || at == s ||
	    strchr(at + 1, '@') != NULL)
		return false;
	for (i = 0; s + i < at; i++)
		if (strchr("\"(),:;<>[\\]", s[i]) != NULL)
			return false;
	d = at + 1;
	dlen = strlen(d);
	if (dlen == 0 || strchr(d, '.') == NULL || d[0] == '.' || d[0] == '-' ||
	    d[dlen - 1] == '.' || d[dlen - 1] == '-' || strstr(d, "..") != NULL)
		return false;
	for (i = 0; i < dlen; i++)
		if (!is_alnum((unsigned char)d[i]) && d[i] != '-' &&
		    d[i] != '.' && (unsigned char)d[i] < 0x80)
			return false;
	return true;
}

bool
integration_secret_key(const char *key)
{
	size_t	 i;

	if (key == NULL)
		return false;
	for (i = 0; i < sizeof(secret_keys) / sizeof(secret_keys[0]); i++)
		if (strcasecmp(key, secret_keys[i]) == 0)
			return true;
	return false;
}

static int
check_webhook(struct json_object *config, const char *http_hosts, char *err,
    size_t errsz)
{
	struct netcheck_url	 u;
	struct json_object	*v;
	const char		*s;

	if (!json_object_object_get_ex(config, "webhook_url", &v) ||
	    v == NULL) {
		snprintf(err, errsz, "%s", INTEGRATION_URL_REQMSG);
		return -1;
	}
	s = json_object_get_string(v);
	/* http only to the hosts the config names (a receiver on a LAN). */
	if (!json_object_is_type(v, json_type_string) ||
	    (!integration_https_url(s) &&
	    (netcheck_url_parse(s, http_hosts, &u) != NETCHECK_URL_OK ||
	    u.https))) {
		snprintf(err, errsz, "%s", INTEGRATION_URL_BADMSG);
		return -1;
	}
	return 0;
}

static int
check_email(struct json_object *config, char *err, size_t errsz)
{
	struct json_object	*to, *e;
	size_t			 i, n;

	if (!json_object_object_get_ex(config, "to", &to) ||
	    !json_object_is_type(to, json_type_array) ||
	    (n = json_object_array_length(to)) == 0 || n > INTEGRATION_TO_MAX)
		goto bad;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(to, i);
		if (!json_object_is_type(e, json_type_string) ||
		    !integration_email(json_object_get_string(e)))
			goto bad;
	}
	return 0;
bad:
	snprintf(err, errsz, "%s", INTEGRATION_TO_BADMSG);
	return -1;
}

int
integration_config_check(enum integration_type type,
    struct json_object *config, const char *http_hosts, char *err,
    size_t errsz)
{
	if (!json_object_is_type(config, json_type_object)) {
		snprintf(err, errsz, "%s", INTEGRATION_CONFIG_BADMSG);
		return -1;
	}
	switch (type) {
	case INTEG_SLACK:
	case INTEG_WEBHOOK:
		return check_webhook(config, http_hosts, err, errsz);
	case INTEG_EMAIL:
		return check_email(config, err, errsz);
	case INTEG_AWS:
		/* Stored as given: its fields are the AWS SDK's business. */
		return 0;
	default:
		snprintf(err, errsz, "%s", INTEGRATION_TYPE_BADMSG);
		return -1;
	}
}

struct json_object *
integration_redact_value(struct json_object *value)
{
	struct url_parts	 u;
	struct json_object	*o;
	const char		*s;
	char			*buf;
	size_t			 n;

	/* Only a well-formed host is shown: a malformed one may be secret. */
	if (!json_object_is_type(value, json_type_string) ||
	    !url_split((s = json_object_get_string(value)), &u) ||
	    !hostport_ok(u.hostport, u.hostportlen))
		return json_object_new_string(INTEGRATION_REDACTED);
	n = u.schemelen + 3 + u.hostportlen + 1 + sizeof(INTEGRATION_REDACTED);
	if ((buf = malloc(n)) == NULL)
		return NULL;
	snprintf(buf, n, "%.*s://%.*s/%s", (int)u.schemelen, u.scheme,
	    (int)u.hostportlen, u.hostport, INTEGRATION_REDACTED);
	o = json_object_new_string(buf);
	free(buf);
	return o;
}

/* A growing path of RFC 6901-escaped segments joined by "/". */
struct path {
	char	*buf;
	size_t	 len, cap;
};

static int
path_reserve(struct path *p, size_t more)
{
	char	*nb;
	size_t	 ncap;

	if (p->len + more + 1 <= p->cap)
		return 0;
	ncap = p->cap ? p->cap : 64;
	while (ncap < p->len + more + 1)
		ncap *= 2;
	if ((nb = realloc(p->buf, ncap)) == NULL)
		return -1;
	p->buf = nb;
	p->cap = ncap;
	return 0;
}

/* Append "/" (unless at the root) and seg, escaped; 0 or -1. */
static int
path_push(struct path *p, const char *seg)
{
	const char	*c;

	/* Each byte escapes to at most two. */
	if (path_reserve(p, 1 + 2 * strlen(seg)) == -1)
		return -1;
	if (p->len > 0)
		p->buf[p->len++] = '/';
	for (c = seg; *c != '\0'; c++) {
		if (*c == '~' || *c == '/') {
			p->buf[p->len++] = '~';
			p->buf[p->len++] = *c == '~' ? '0' : '1';
		} else
			p->buf[p->len++] = *c;
	}
	p->buf[p->len] = '\0';
	return 0;
}

static void
path_pop(struct path *p, size_t len)
{
	p->len = len;
	if (p->buf != NULL)
		p->buf[len] = '\0';
}

static int
map_value(struct json_object *v, struct path *p, int depth,
    integration_secret_fn fn, void *arg, struct json_object **out)
{
	struct json_object	*copy, *r;
	size_t			 i, n, saved;
	char			 idx[24];

	*out = NULL;
	if (!json_object_is_type(v, json_type_object) &&
	    !json_object_is_type(v, json_type_array)) {
		*out = json_object_get(v);
		return 0;
	}
	if (depth >= INTEGRATION_DEPTH_MAX)
		return -1;
	saved = p->len;
	if (json_object_is_type(v, json_type_object)) {
		if ((copy = json_object_new_object()) == NULL)
			return -1;
		json_object_object_foreach(v, key, val) {
			if (path_push(p, key) == -1)
				goto fail;
			if (val != NULL && integration_secret_key(key)) {
				if (fn(p->buf, val, arg, &r) == -1)
					goto fail;
			} else if (map_value(val, p, depth + 1, fn, arg,
			    &r) == -1)
				goto fail;
			path_pop(p, saved);
			if (json_object_object_add(copy, key, r) != 0) {
				json_object_put(r);
				goto fail;
			}
		}
	} else {
		n = json_object_array_length(v);
		if ((copy = json_object_new_array_ext((int)n)) == NULL)
			return -1;
		for (i = 0; i < n; i++) {
			snprintf(idx, sizeof(idx), "%zu", i);
			if (path_push(p, idx) == -1 ||
			    map_value(json_object_array_get_idx(v, i), p,
			    depth + 1, fn, arg, &r) == -1)
				goto fail;
			path_pop(p, saved);
			if (json_object_array_add(copy, r) != 0) {
				json_object_put(r);
				goto fail;
			}
		}
	}
	*out = copy;
	return 0;
fail:
	path_pop(p, saved);
	json_object_put(copy);
	return -1;
}

int
integration_map_secrets(struct json_object *config, integration_secret_fn fn,
    void *arg, struct json_object **out)
{
	struct path	 p = { NULL, 0, 0 };
	int		 rc;

	if (path_reserve(&p, 0) == -1)
		return -1;
	p.buf[0] = '\0';
	rc = map_value(config, &p, 0, fn, arg, out);
	free(p.buf);
	return rc;
}

static int
redact_plain(const char *path, struct json_object *value, void *arg,
    struct json_object **out)
{
	(void)path;
	(void)arg;
	return (*out = integration_redact_value(value)) == NULL ? -1 : 0;
}

struct json_object *
integration_redact(struct json_object *config)
{
	struct json_object	*out;

	if (integration_map_secrets(config, redact_plain, NULL, &out) == -1)
		return NULL;
	return out;
}

static int
redact_stored(const char *path, struct json_object *value, void *arg,
    struct json_object **out)
{
	struct json_object	*hint;

	(void)path;
	(void)arg;
	/* Only a well-formed hint is shown: anything else may be plaintext. */
	if (integration_unwrap(value) != NULL &&
	    json_object_object_get_ex(value, INTEGRATION_HINT_KEY, &hint) &&
	    json_object_is_type(hint, json_type_string))
		*out = json_object_get(hint);
	else
		*out = json_object_new_string(INTEGRATION_REDACTED);
	return *out == NULL ? -1 : 0;
}

struct json_object *
integration_redact_sealed(struct json_object *sealed)
{
	struct json_object	*out;

	if (integration_map_secrets(sealed, redact_stored, NULL, &out) == -1)
		return NULL;
	return out;
}

struct json_object *
integration_wrap(const char *sealed, const char *hint)
{
	struct json_object	*o, *e, *h;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	e = json_object_new_string(sealed);
	h = json_object_new_string(hint);
	/* A failed add leaves the value ours; a wrapper without it is none. */
	if (e == NULL || h == NULL ||
	    json_object_object_add(o, INTEGRATION_ENC_KEY, e) != 0) {
		json_object_put(e);
		json_object_put(h);
		json_object_put(o);
		return NULL;
	}
	if (json_object_object_add(o, INTEGRATION_HINT_KEY, h) != 0) {
		json_object_put(h);
		json_object_put(o);
		return NULL;
	}
	return o;
}

const char *
integration_unwrap(struct json_object *value)
{
	struct json_object	*e;

	if (!json_object_is_type(value, json_type_object) ||
	    !json_object_object_get_ex(value, INTEGRATION_ENC_KEY, &e) ||
	    !json_object_is_type(e, json_type_string))
		return NULL;
	return json_object_get_string(e);
}

/* Where a secret of integration id is stored: its row and field. */
static char *
secret_where(long long id, const char *path)
{
	char	*w;

	return asprintf(&w, "integration:%lld:%s", id, path) < 0 ? NULL : w;
}

struct seal_ctx {
	const struct keyring	*kr;
	long long		 id;
};

/* The value's JSON text is what gets sealed, so any JSON type round-trips. */
static int
seal_one(const char *path, struct json_object *value, void *arg,
    struct json_object **out)
{
	struct seal_ctx		*c = arg;
	struct json_object	*hint = NULL;
	const char		*text;
	char			*where = NULL, *sealed = NULL;
	size_t			 len;
	int			 rc = -1;

	*out = NULL;
	if ((text = json_text(value, &len)) == NULL ||
	    (where = secret_where(c->id, path)) == NULL ||
	    (sealed = keyring_seal(c->kr, where, text, len)) == NULL ||
	    (hint = integration_redact_value(value)) == NULL ||
	    (*out = integration_wrap(sealed,
	    json_object_get_string(hint))) == NULL)
		goto out;
	rc = 0;
out:
	json_object_put(hint);
	free(sealed);
	free(where);
	return rc;
}

static int
open_one(const char *path, struct json_object *value, void *arg,
    struct json_object **out)
{
	struct seal_ctx		*c = arg;
	unsigned char		*pt = NULL;
	const char		*sealed;
	char			*where;
	size_t			 ptlen = 0;
	int			 rc = -1;

	*out = NULL;
	if ((sealed = integration_unwrap(value)) == NULL ||
	    (where = secret_where(c->id, path)) == NULL)
		return -1;
	if (keyring_open(c->kr, where, sealed, &pt, &ptlen) == 0 &&
	    (*out = json_parse_strict((const char *)pt, ptlen)) != NULL)
		rc = 0;
	if (pt != NULL) {
		crypto_wipe(pt, ptlen);
		free(pt);
	}
	free(where);
	return rc;
}

struct json_object *
integration_seal(const struct keyring *kr, long long id,
    struct json_object *config)
{
	struct seal_ctx		 c = { kr, id };
	struct json_object	*out;

	if (integration_map_secrets(config, seal_one, &c, &out) == -1)
		return NULL;
	return out;
}

struct json_object *
integration_open(const struct keyring *kr, long long id,
    struct json_object *sealed)
{
	struct seal_ctx		 c = { kr, id };
	struct json_object	*out;

	if (integration_map_secrets(sealed, open_one, &c, &out) == -1)
		return NULL;
	return out;
}

/* Whether every secret of a sealed config is sealed under version. */
static int
version_is(const char *path, struct json_object *value, void *arg,
    struct json_object **out)
{
	const char	*sealed = integration_unwrap(value);

	(void)path;
	*out = NULL;
	if (sealed == NULL || aead_version(sealed) != *(int *)arg)
		return -1;
	*out = json_object_get(value);
	return 0;
}

bool
integration_sealed_with(struct json_object *sealed, int version)
{
	struct json_object	*out;

	if (integration_map_secrets(sealed, version_is, &version, &out) == -1)
		return false;
	json_object_put(out);
	return true;
}
