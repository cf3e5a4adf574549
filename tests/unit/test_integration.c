/*
 * core/integration (types, config rules, secrets and their redaction)
 * and the sealing of configs (core/integration, util/keyring), which needs no
 * database: a sealed secret opens only in its own row and field.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/integration.h"
#include "db/db_integration.h"
#include "suites.h"
#include "util/aead.h"
#include "util/keyring.h"
#include "util/json.h"

#define HEX_A "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define HEX_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
#define HOOK "https://hooks.slack.com/services/T000/B000/XXXX"

static struct json_object *
parse(const char *s)
{
	struct json_object	*o = json_parse_strict(s, strlen(s));

	CU_ASSERT_FATAL(o != NULL);
	return o;
}

/* 0 when text is a valid config of type; else -1 with the message in err. */
static int
check(enum integration_type type, const char *text, char *err, size_t errsz)
{
	struct json_object	*o = parse(text);
	int			 rc;

	err[0] = '\0';
	rc = integration_config_check(type, o, NULL, err, errsz);
	json_object_put(o);
	return rc;
}

/* Whether a is b as JSON (b given as text). */
static bool
same(struct json_object *a, const char *b)
{
	struct json_object	*o = parse(b);
	bool			 eq = json_object_equal(a, o) != 0;

	json_object_put(o);
	return eq;
}

static void
test_integration_type_parse(void)
{
	CU_ASSERT(integration_type_parse("Slack") == INTEG_SLACK);
	CU_ASSERT(integration_type_parse("slack") == INTEG_SLACK);
	CU_ASSERT(integration_type_parse("WEBHOOK") == INTEG_WEBHOOK);
	CU_ASSERT(integration_type_parse("email") == INTEG_EMAIL);
	CU_ASSERT(integration_type_parse("aws") == INTEG_AWS);
	CU_ASSERT(integration_type_parse("Teams") == -1);
	CU_ASSERT(integration_type_parse("") == -1);
	CU_ASSERT(integration_type_parse("Slack ") == -1);
	CU_ASSERT(integration_type_parse(NULL) == -1);
	CU_ASSERT_STRING_EQUAL(integration_type_name(INTEG_AWS), "AWS");
	CU_ASSERT_STRING_EQUAL(integration_type_name(INTEG_WEBHOOK), "Webhook");
	CU_ASSERT(integration_type_name(INTEG__MAX) == NULL);
	CU_ASSERT(integration_type_name((enum integration_type)-1) == NULL);
}

static void
test_integration_falsy(void)
{
	static const char *const falsy[] = {
		"[null]", "[false]", "[0]", "[0.0]", "[\"\"]", "[[]]", "[{}]",
	};
	static const char *const truthy[] = {
		"[true]", "[1]", "[-1]", "[0.5]", "[\"0\"]", "[[0]]", "[{\"a\":0}]",
	};
	struct json_object	*o;
	size_t			 i;

	for (i = 0; i < sizeof(falsy) / sizeof(falsy[0]); i++) {
		o = parse(falsy[i]);
		CU_ASSERT(integration_falsy(json_object_array_get_idx(o, 0)));
		json_object_put(o);
	}
	for (i = 0; i < sizeof(truthy) / sizeof(truthy[0]); i++) {
		o = parse(truthy[i]);
		CU_ASSERT(!integration_falsy(json_object_array_get_idx(o, 0)));
		json_object_put(o);
	}
}

static void
test_integration_body_incomplete(void)
{
	static const char *const incomplete[] = {
		"{}",
		"{\"type\":\"Slack\",\"config\":{\"a\":1}}",
		"{\"service_id\":1,\"config\":{\"a\":1}}",
		"{\"service_id\":1,\"type\":\"Slack\"}",
		"{\"service_id\":0,\"type\":\"Slack\",\"config\":{\"a\":1}}",
		"{\"service_id\":1,\"type\":\"\",\"config\":{\"a\":1}}",
		"{\"service_id\":1,\"type\":\"Slack\",\"config\":{}}",
		"{\"service_id\":1,\"type\":\"Slack\",\"config\":null}",
	};
	struct json_object	*o;
	size_t			 i;

	for (i = 0; i < sizeof(incomplete) / sizeof(incomplete[0]); i++) {
		o = parse(incomplete[i]);
		CU_ASSERT(integration_body_incomplete(o));
		json_object_put(o);
	}
	/* Present and truthy, though not valid: validation says why later. */
	o = parse("{\"service_id\":\"x\",\"type\":\"Bogus\",\"config\":[1]}");
	CU_ASSERT(!integration_body_incomplete(o));
	json_object_put(o);
}

static void
test_integration_https_url(void)
{
	static const char *const good[] = {
		HOOK, "HTTPS://example.com", "https://example.com/",
		"https://example.com:8443/x?y=1#z", "https://10.0.0.1/hook",
		"https://[2001:db8::1]:443/x", "https://user:pw@example.com/x",
		"https://my_host.example/x", "https://bücher.example/x",
		"https://[::1]", "https://example.com:65535",
		"https://a@b@example.com/",
	};
	static const char *const bad[] = {
		"http://example.com/hook", "ftp://example.com/", "https://",
		"https:///path", "https://:443/x", "https://example.com:/x",
		"https://example.com:0/x", "https://example.com:65536/x",
		"https://example.com:123456/x", "https://exa mple.com/",
		"https://example.com/a b", "https://example.com/\t",
		"https://example.com\\@evil.com/", "https://[]/x",
		"https://[::1/x", "https://ex$ample.com/", "example.com",
		"https:example.com", "//example.com/x", "", " https://example.com",
		"git+https://example.com/", "h.ttps://example.com/",
		"1https://example.com/", "https://[zz::1]/x",
		"https://[::1]x/", "https://example.com:8a/x",
		"https://example.com:80:80/", "https://example.com/\x7f",
		"https://user@/x",
	};
	char	 longurl[INTEGRATION_URL_MAX + 2];
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CU_ASSERT(integration_https_url(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT(!integration_https_url(bad[i]));
	CU_ASSERT(!integration_https_url(NULL));
	memcpy(longurl, "https://a.example/", 18);
	memset(longurl + 18, 'x', sizeof(longurl) - 19);
	longurl[sizeof(longurl) - 1] = '\0';
	CU_ASSERT(!integration_https_url(longurl));
	longurl[sizeof(longurl) - 2] = '\0';
	CU_ASSERT(integration_https_url(longurl));
}

static void
test_integration_email(void)
{
	static const char *const good[] = {
		"ops@example.com", "first.last+tag@sub.example.co.uk",
		"a@b.c", "o'neil@example.org", "ops@bücher.example",
	};
	static const char *const bad[] = {
		"", "ops", "@example.com", "ops@", "ops@example", "ops@.example.com",
		"ops@example.com.", "ops@exa..mple.com", "ops@@example.com",
		"o ps@example.com", "ops@example.com\r\nBcc: x@y.z",
		"ops@exa_mple.com", "<ops@example.com>", "ops@-example.com",
		"ops@example.com-", "ops@exa!mple.com", "a(b@example.com",
		"ops@example.com\x7f",
	};
	char	 longaddr[INTEGRATION_EMAIL_MAX + 2];
	size_t	 i;

	/* INTEGRATION_EMAIL_MAX bytes are the most. */
	memset(longaddr, 'a', sizeof(longaddr) - 1);
	memcpy(longaddr + sizeof(longaddr) - 13, "@example.com", 13);
	CU_ASSERT(!integration_email(longaddr));
	CU_ASSERT(integration_email(longaddr + 1));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CU_ASSERT(integration_email(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT(!integration_email(bad[i]));
	CU_ASSERT(!integration_email(NULL));
}

static void
test_integration_check_slack(void)
{
	char	 err[256];

	CU_ASSERT(check(INTEG_SLACK, "{\"webhook_url\":\"" HOOK "\","
	    "\"channel\":\"#ops\"}", err, sizeof(err)) == 0);
	CU_ASSERT(check(INTEG_SLACK, "{\"channel\":\"#ops\"}", err,
	    sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_URL_REQMSG);
	CU_ASSERT(check(INTEG_SLACK, "{\"webhook_url\":null}", err,
	    sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_URL_REQMSG);
	CU_ASSERT(check(INTEG_SLACK, "{\"webhook_url\":\"http://hooks.slack.com/x\"}",
	    err, sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, "webhook_url must be an https URL");
	CU_ASSERT(check(INTEG_SLACK, "{\"webhook_url\":42}", err,
	    sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_URL_BADMSG);
	CU_ASSERT(check(INTEG_SLACK, "{\"webhook_url\":\"\"}", err,
	    sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_URL_BADMSG);
}

static void
test_integration_check_webhook(void)
{
	char	 err[256];

	CU_ASSERT(check(INTEG_WEBHOOK, "{\"webhook_url\":\"https://ci.example/h\"}",
	    err, sizeof(err)) == 0);
	CU_ASSERT(check(INTEG_WEBHOOK, "{\"url\":\"https://ci.example/h\"}",
	    err, sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_URL_REQMSG);
	CU_ASSERT(check(INTEG_WEBHOOK, "{\"webhook_url\":\"javascript:alert(1)\"}",
	    err, sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_URL_BADMSG);
}

/* http only to the hosts of [delivery] http_hosts. */
static void
test_integration_check_http_hosts(void)
{
	static const char *const hosts = "127.0.0.1 ci.lan";
	struct json_object	*o;
	char			 err[256];

	o = parse("{\"webhook_url\":\"http://127.0.0.1:8080/hook\"}");
	CU_ASSERT(integration_config_check(INTEG_WEBHOOK, o, hosts, err,
	    sizeof(err)) == 0);
	CU_ASSERT(integration_config_check(INTEG_SLACK, o, hosts, err,
	    sizeof(err)) == 0);
	CU_ASSERT(integration_config_check(INTEG_WEBHOOK, o, NULL, err,
	    sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_URL_BADMSG);
	json_object_put(o);
	o = parse("{\"webhook_url\":\"HTTP://CI.LAN/x\"}");
	CU_ASSERT(integration_config_check(INTEG_WEBHOOK, o, hosts, err,
	    sizeof(err)) == 0);
	json_object_put(o);
	o = parse("{\"webhook_url\":\"http://127.0.0.2/hook\"}");
	err[0] = '\0';
	CU_ASSERT(integration_config_check(INTEG_WEBHOOK, o, hosts, err,
	    sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_URL_BADMSG);
	json_object_put(o);
	o = parse("{\"webhook_url\":\"ftp://127.0.0.1/hook\"}");
	CU_ASSERT(integration_config_check(INTEG_WEBHOOK, o, hosts, err,
	    sizeof(err)) == -1);
	json_object_put(o);
	/* https stays accepted whatever the list says. */
	o = parse("{\"webhook_url\":\"https://hooks.example/x\"}");
	CU_ASSERT(integration_config_check(INTEG_SLACK, o, hosts, err,
	    sizeof(err)) == 0);
	json_object_put(o);
}

static void
test_integration_check_email(void)
{
	char	 err[256];
	char	 many[16 + (INTEGRATION_TO_MAX + 1) * 12];
	size_t	 i, off;

	CU_ASSERT(check(INTEG_EMAIL, "{\"to\":[\"ops@example.com\","
	    "\"cto@example.com\"]}", err, sizeof(err)) == 0);
	CU_ASSERT(check(INTEG_EMAIL, "{\"cc\":[\"ops@example.com\"]}", err,
	    sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, "to must be a list of email addresses");
	CU_ASSERT(check(INTEG_EMAIL, "{\"to\":\"ops@example.com\"}", err,
	    sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_TO_BADMSG);
	CU_ASSERT(check(INTEG_EMAIL, "{\"to\":[]}", err, sizeof(err)) == -1);
	CU_ASSERT(check(INTEG_EMAIL, "{\"to\":[\"ops@example.com\",\"nope\"]}",
	    err, sizeof(err)) == -1);
	CU_ASSERT(check(INTEG_EMAIL, "{\"to\":[\"ops@example.com\",7]}", err,
	    sizeof(err)) == -1);
	off = (size_t)snprintf(many, sizeof(many), "{\"to\":[");
	for (i = 0; i <= INTEGRATION_TO_MAX; i++)
		off += (size_t)snprintf(many + off, sizeof(many) - off,
		    "%s\"a@b.cd\"", i ? "," : "");
	snprintf(many + off, sizeof(many) - off, "]}");
	CU_ASSERT(check(INTEG_EMAIL, many, err, sizeof(err)) == -1);
}

static void
test_integration_check_aws(void)
{
	char	 err[256];

	CU_ASSERT(check(INTEG_AWS, "{\"region\":\"eu-west-1\","
	    "\"access_key_id\":\"AKIA\",\"secret_access_key\":\"s\"}", err,
	    sizeof(err)) == 0);
	CU_ASSERT(check(INTEG_AWS, "{\"anything\":[1,{\"x\":null}]}", err,
	    sizeof(err)) == 0);
}

static void
test_integration_check_not_object(void)
{
	char	 err[256];

	CU_ASSERT(check(INTEG_AWS, "[1,2]", err, sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, "config must be an object");
	CU_ASSERT(check(INTEG_SLACK, "\"" HOOK "\"", err, sizeof(err)) == -1);
	CU_ASSERT_STRING_EQUAL(err, INTEGRATION_CONFIG_BADMSG);
}

static void
test_integration_secret_key(void)
{
	static const char *const secret[] = {
		"webhook_url", "url", "token", "secret", "password", "api_key",
		"secret_access_key", "Webhook_URL", "TOKEN", "Api_Key",
	};
	static const char *const plain[] = {
		"channel", "to", "region", "access_key_id", "tokens", "my_token",
		"", "urls",
	};
	size_t	 i;

	for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		CU_ASSERT(integration_secret_key(secret[i]));
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		CU_ASSERT(!integration_secret_key(plain[i]));
	CU_ASSERT(!integration_secret_key(NULL));
}

/* The redacted form of one JSON value given as text. */
static void
assert_redacts(const char *value, const char *want)
{
	struct json_object	*o = parse(value), *r;

	r = integration_redact_value(o);
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(r), want);
	json_object_put(r);
	json_object_put(o);
}

static void
test_integration_redact_value(void)
{
	assert_redacts("\"" HOOK "\"", "https://hooks.slack.com/***");
	assert_redacts("\"https://user:pw@example.com:8443/p?q#f\"",
	    "https://example.com:8443/***");
	assert_redacts("\"http://127.0.0.1/x\"", "http://127.0.0.1/***");
	assert_redacts("\"https://example.com?token=abc\"",
	    "https://example.com/***");
	assert_redacts("\"hunter2\"", "***");
	assert_redacts("\"https://\"", "***");
	assert_redacts("\"https://bad host/x\"", "***");
	assert_redacts("42", "***");
	assert_redacts("{\"a\":\"https://x.example/\"}", "***");
	assert_redacts("[\"https://x.example/\"]", "***");
}

static void
test_integration_redact_config(void)
{
	struct json_object	*o, *r;

	o = parse("{\"webhook_url\":\"" HOOK "\",\"channel\":\"#ops\","
	    "\"nested\":{\"Password\":\"pw\",\"list\":[{\"token\":\"t\"},3]},"
	    "\"api_key\":null,\"secret\":{\"deep\":\"x\"}}");
	r = integration_redact(o);
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT(same(r, "{\"webhook_url\":\"https://hooks.slack.com/***\","
	    "\"channel\":\"#ops\",\"nested\":{\"Password\":\"***\","
	    "\"list\":[{\"token\":\"***\"},3]},\"api_key\":null,"
	    "\"secret\":\"***\"}"));
	/* The original is untouched. */
	CU_ASSERT(same(o, "{\"webhook_url\":\"" HOOK "\",\"channel\":\"#ops\","
	    "\"nested\":{\"Password\":\"pw\",\"list\":[{\"token\":\"t\"},3]},"
	    "\"api_key\":null,\"secret\":{\"deep\":\"x\"}}"));
	json_object_put(r);
	json_object_put(o);
}

struct seen {
	char	 paths[8][64];
	size_t	 n;
	int	 fail_at;	/* -1: never */
};

static int
record_path(const char *path, struct json_object *value, void *arg,
    struct json_object **out)
{
	struct seen	*s = arg;

	(void)value;
	if ((int)s->n == s->fail_at)
		return -1;
	if (s->n < 8)
		snprintf(s->paths[s->n++], sizeof(s->paths[0]), "%s", path);
	*out = json_object_new_string("X");
	return 0;
}

static void
test_integration_map_paths(void)
{
	struct json_object	*o, *r;
	struct seen		 s = { .n = 0, .fail_at = -1 };

	o = parse("{\"url\":\"u\",\"a\":{\"b/c~d\":[{\"token\":1},"
	    "{\"x\":[{\"secret\":true}]}]}}");
	CU_ASSERT_FATAL(integration_map_secrets(o, record_path, &s, &r) == 0);
	CU_ASSERT_FATAL(s.n == 3);
	CU_ASSERT_STRING_EQUAL(s.paths[0], "url");
	CU_ASSERT_STRING_EQUAL(s.paths[1], "a/b~1c~0d/0/token");
	CU_ASSERT_STRING_EQUAL(s.paths[2], "a/b~1c~0d/1/x/0/secret");
	CU_ASSERT(same(r, "{\"url\":\"X\",\"a\":{\"b/c~d\":[{\"token\":\"X\"},"
	    "{\"x\":[{\"secret\":\"X\"}]}]}}"));
	json_object_put(r);
	json_object_put(o);
}

static void
test_integration_map_failure(void)
{
	struct json_object	*o, *r = NULL;
	struct seen		 s = { .n = 0, .fail_at = 1 };

	o = parse("{\"url\":\"u\",\"token\":\"t\"}");
	CU_ASSERT(integration_map_secrets(o, record_path, &s, &r) == -1);
	CU_ASSERT(r == NULL);
	json_object_put(o);
}

static void
test_integration_map_depth(void)
{
	struct json_object	*o, *inner, *r = NULL;
	struct seen		 s = { .n = 0, .fail_at = -1 };
	int			 i;

	/* Built by hand: deeper than any parsed body may be. */
	o = json_object_new_object();
	for (i = 0; i < INTEGRATION_DEPTH_MAX + 1; i++) {
		inner = json_object_new_object();
		json_object_object_add(inner, "a", o);
		o = inner;
	}
	CU_ASSERT(integration_map_secrets(o, record_path, &s, &r) == -1);
	json_object_put(o);
}

static void
test_integration_wrap_unwrap(void)
{
	struct json_object	*w, *o;

	w = integration_wrap("v1:AAAA", "***");
	CU_ASSERT_FATAL(w != NULL);
	CU_ASSERT_STRING_EQUAL(integration_unwrap(w), "v1:AAAA");
	json_object_put(w);
	o = parse("{\"$redacted\":\"***\"}");
	CU_ASSERT(integration_unwrap(o) == NULL);
	json_object_put(o);
	o = parse("{\"$enc\":5}");
	CU_ASSERT(integration_unwrap(o) == NULL);
	json_object_put(o);
	o = parse("[\"v1:AAAA\"]");
	CU_ASSERT(integration_unwrap(o) == NULL);
	json_object_put(o);
}

#define SEALED_CONFIG "{\"webhook_url\":\"" HOOK "\",\"channel\":\"#ops\"," \
	"\"auth\":{\"token\":\"tok-123\",\"password\":\"pw-456\"}," \
	"\"api_key\":12345,\"secret\":{\"k\":[1,\"two\"]},\"url\":null}"

/* A ring of one key. */
static struct keyring
key_of(const char *hex, int version)
{
	struct keyring	 kr;

	memset(&kr, 0, sizeof(kr));
	CU_ASSERT_FATAL(aead_key_from_hex(&kr.keys[0], hex, version) == 0);
	kr.n = 1;
	return kr;
}

static void
test_integration_seal_round_trip(void)
{
	struct keyring		 k = key_of(HEX_A, 3);
	struct json_object	*o = parse(SEALED_CONFIG), *s, *p;
	const char		*text;

	s = integration_seal(&k, 42, o);
	CU_ASSERT_FATAL(s != NULL);
	text = json_text(s, NULL);
	CU_ASSERT(strstr(text, "services/T000") == NULL);
	CU_ASSERT(strstr(text, "tok-123") == NULL);
	CU_ASSERT(strstr(text, "pw-456") == NULL);
	CU_ASSERT(strstr(text, "12345") == NULL);
	CU_ASSERT(strstr(text, "two") == NULL);
	CU_ASSERT(strstr(text, "\"channel\":\"#ops\"") != NULL);
	CU_ASSERT(strstr(text, "\"url\":null") != NULL);
	CU_ASSERT(strncmp(integration_unwrap(json_object_object_get(s,
	    "webhook_url")), "v3:", 3) == 0);
	p = integration_open(&k, 42, s);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT(json_object_equal(p, o));
	json_object_put(p);
	json_object_put(s);
	json_object_put(o);
}

static void
test_integration_sealed_redacts(void)
{
	struct keyring		 k = key_of(HEX_A, 1);
	struct json_object	*o = parse(SEALED_CONFIG), *s, *r;

	s = integration_seal(&k, 7, o);
	CU_ASSERT_FATAL(s != NULL);
	r = integration_redact_sealed(s);
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT(same(r, "{\"webhook_url\":\"https://hooks.slack.com/***\","
	    "\"channel\":\"#ops\",\"auth\":{\"token\":\"***\","
	    "\"password\":\"***\"},\"api_key\":\"***\",\"secret\":\"***\","
	    "\"url\":null}"));
	json_object_put(r);
	json_object_put(s);
	json_object_put(o);
}

/* A stored secret that is not a well-formed wrapper never shows. */
static void
test_integration_redact_sealed_unsealed(void)
{
	struct json_object	*o, *r;

	o = parse("{\"token\":\"plaintext!\",\"password\":{\"$enc\":\"v1:AAAA\"}}");
	r = integration_redact_sealed(o);
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT(same(r, "{\"token\":\"***\",\"password\":\"***\"}"));
	json_object_put(r);
	json_object_put(o);
}

static void
test_integration_open_wrong_row(void)
{
	struct keyring		 k = key_of(HEX_A, 1);
	struct json_object	*o = parse(SEALED_CONFIG), *s;

	s = integration_seal(&k, 42, o);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(integration_open(&k, 43, s) == NULL);
	json_object_put(s);
	json_object_put(o);
}

/* A sealed value moved to another field (or row) does not open there. */
static void
test_integration_open_swapped_field(void)
{
	struct keyring		 k = key_of(HEX_A, 1);
	struct json_object	*o, *s, *auth, *tok;

	o = parse("{\"auth\":{\"token\":\"t\",\"password\":\"p\"}}");
	s = integration_seal(&k, 42, o);
	CU_ASSERT_FATAL(s != NULL);
	auth = json_object_object_get(s, "auth");
	tok = json_object_get(json_object_object_get(auth, "token"));
	json_object_object_add(auth, "password", tok);
	CU_ASSERT(integration_open(&k, 42, s) == NULL);
	json_object_put(s);
	json_object_put(o);
}

static void
test_integration_open_wrong_key(void)
{
	struct keyring		 a = key_of(HEX_A, 1), b = key_of(HEX_B, 1);
	struct keyring		 other = key_of(HEX_A, 2);
	struct json_object	*o = parse(SEALED_CONFIG), *s;

	s = integration_seal(&a, 42, o);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(integration_open(&b, 42, s) == NULL);
	CU_ASSERT(integration_open(&other, 42, s) == NULL);
	json_object_put(s);
	json_object_put(o);
}

static void
test_integration_open_unsealed(void)
{
	struct keyring		 k = key_of(HEX_A, 1);
	struct json_object	*o;

	o = parse("{\"webhook_url\":\"" HOOK "\"}");
	CU_ASSERT(integration_open(&k, 42, o) == NULL);
	json_object_put(o);
	/* No secret at all: nothing to open, the config comes back. */
	o = parse("{\"to\":[\"a@b.cd\"]}");
	{
		struct json_object *p = integration_open(&k, 42, o);

		CU_ASSERT_FATAL(p != NULL);
		CU_ASSERT(json_object_equal(p, o));
		json_object_put(p);
	}
	json_object_put(o);
}

/* After a rotation, old values open with the old key in the ring. */
static void
test_integration_open_keyring(void)
{
	struct keyring		 old = key_of(HEX_A, 1), ring;
	struct json_object	*o = parse(SEALED_CONFIG), *s, *p;

	ring = key_of(HEX_B, 2);
	ring.keys[1] = old.keys[0];
	ring.n = 2;
	s = integration_seal(&old, 5, o);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_FALSE(integration_sealed_with(s, 2));
	CU_ASSERT_TRUE(integration_sealed_with(s, 1));
	p = integration_open(&ring, 5, s);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT(json_object_equal(p, o));
	json_object_put(s);
	/* The newest key (version 2) seals now. */
	s = integration_seal(&ring, 5, p);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_TRUE(integration_sealed_with(s, 2));
	CU_ASSERT(integration_open(&old, 5, s) == NULL);
	json_object_put(p);
	json_object_put(s);
	json_object_put(o);
}

int
suite_integration(void)
{
	static const struct unit_test tests[] = {
		{ "type parse", test_integration_type_parse },
		{ "falsy", test_integration_falsy },
		{ "body incomplete", test_integration_body_incomplete },
		{ "https url", test_integration_https_url },
		{ "email", test_integration_email },
		{ "check slack", test_integration_check_slack },
		{ "check webhook", test_integration_check_webhook },
		{ "check http_hosts", test_integration_check_http_hosts },
		{ "check email", test_integration_check_email },
		{ "check aws", test_integration_check_aws },
		{ "check not object", test_integration_check_not_object },
		{ "secret key", test_integration_secret_key },
		{ "redact value", test_integration_redact_value },
		{ "redact config", test_integration_redact_config },
		{ "map paths", test_integration_map_paths },
		{ "map failure", test_integration_map_failure },
		{ "map depth", test_integration_map_depth },
		{ "wrap unwrap", test_integration_wrap_unwrap },
		{ "seal round trip", test_integration_seal_round_trip },
		{ "sealed redacts", test_integration_sealed_redacts },
		{ "redact unsealed", test_integration_redact_sealed_unsealed },
		{ "open wrong row", test_integration_open_wrong_row },
		{ "open swapped field", test_integration_open_swapped_field },
		{ "open wrong key", test_integration_open_wrong_key },
		{ "open unsealed", test_integration_open_unsealed },
		{ "open keyring", test_integration_open_keyring },
	};

	return UNIT_SUITE("integration", tests);
}
