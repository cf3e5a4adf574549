/*
 * core/redact: what an audit entry keeps of a request body.  Every
 * denylisted name, matched as a part of a field name in any case, loses
 * its value at any depth; a string holding a credential the request
 * presented, or anything shaped like an API key or vault token, goes
 * wherever it stands; everything else survives as it was; the copy is
 * the caller's own.  redact_copy works on parsed JSON: a body that does
 * not parse (util/json refuses it) reaches it as NULL.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/redact.h"
#include "suites.h"
#include "util/json.h"

#define API_KEY	"rk_0123456789abcdefghijABCDEFGHIJkl"
#define TOKEN	"tok_ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvu"

/* Every name the module's denylist holds, as parts and as whole names. */
static const char *const denylisted[] = {
	"password", "passwd", "secret", "token", "api_key", "apikey",
	"sensitive", "authorization", "private_key", "credential",
	"webhook_url", "jwt", "data_key", "audit_key", "passphrase",
	"url", "key", "pin", "cvv", "pwd",
};
#define NDENYLISTED	(sizeof(denylisted) / sizeof(denylisted[0]))

static struct json_object *
parse(const char *text)
{
	return json_parse_strict(text, strlen(text));
}

/* Whether redacting in with creds gives exactly want. */
static bool
redacts_to(const char *in, const char *const *creds, size_t ncreds,
    const char *want)
{
	struct json_object	*v, *w, *out;
	bool			 eq;

	v = parse(in);
	w = parse(want);
	if (v == NULL || w == NULL) {
		json_object_put(v);
		json_object_put(w);
		return false;
	}
	out = redact_copy(v, creds, ncreds);
	eq = out != NULL && json_object_equal(out, w);
	if (!eq)
		fprintf(stderr, "\nredact: %s\n  gave %s\n  want %s\n", in,
		    out == NULL ? "NULL" : json_text(out, NULL), want);
	json_object_put(out);
	json_object_put(w);
	json_object_put(v);
	return eq;
}

static void
test_redact_field_every_denylisted(void)
{
	size_t	 i, missed = 0;

	for (i = 0; i < NDENYLISTED; i++)
		if (!redact_field(denylisted[i])) {
			fprintf(stderr, "\nnot redacted: %s\n", denylisted[i]);
			missed++;
		}
	CU_ASSERT_EQUAL(missed, 0);
}

static void
test_redact_field_parts_of_names(void)
{
	static const char *const names[] = {
		"new_password", "current_password", "old_passwd",
		"client_secret", "secret_access_key", "x_api_key",
		"refresh_token", "access_token", "sensitive_data",
		"ssh_private_key", "user_credentials", "slack_webhook_url",
		"jwt_claims", "data_key_version", "audit_keys", "xapikey",
		"proxy_authorization",
	};
	size_t	 i, missed = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!redact_field(names[i])) {
			fprintf(stderr, "\nnot redacted: %s\n", names[i]);
			missed++;
		}
	CU_ASSERT_EQUAL(missed, 0);
}

static void
test_redact_field_case_insensitive(void)
{

	CU_ASSERT_TRUE(redact_field("PASSWORD"));
	CU_ASSERT_TRUE(redact_field("New_Password"));
	CU_ASSERT_TRUE(redact_field("Client_SECRET"));
	CU_ASSERT_TRUE(redact_field("X_API_KEY"));
	CU_ASSERT_TRUE(redact_field("ApiKey"));
	CU_ASSERT_TRUE(redact_field("Authorization"));
	CU_ASSERT_TRUE(redact_field("Webhook_URL"));
	CU_ASSERT_TRUE(redact_field("URL"));
	CU_ASSERT_TRUE(redact_field("Key"));
	CU_ASSERT_TRUE(redact_field("PIN"));
	CU_ASSERT_TRUE(redact_field("Cvv"));
}

static void
test_redact_field_whole_names_only(void)
{

	/* url, key, pin and cvv are secrets only as the whole name. */
	CU_ASSERT_FALSE(redact_field("key_id"));
	CU_ASSERT_FALSE(redact_field("keyboard"));
	CU_ASSERT_FALSE(redact_field("monkey"));
	CU_ASSERT_FALSE(redact_field("pinned"));
	CU_ASSERT_FALSE(redact_field("spin"));
	CU_ASSERT_FALSE(redact_field("curly"));
	CU_ASSERT_FALSE(redact_field("urls_seen"));
	CU_ASSERT_FALSE(redact_field("pwd_hint_shown"));
}

static void
test_redact_field_hyphens(void)
{

	/* HTTP-style names: '-' is taken as '_'. */
	CU_ASSERT_TRUE(redact_field("X-Api-Key"));
	CU_ASSERT_TRUE(redact_field("api-key"));
	CU_ASSERT_TRUE(redact_field("Proxy-Authorization"));
	CU_ASSERT_TRUE(redact_field("private-key"));
	CU_ASSERT_TRUE(redact_field("Webhook-Url"));
	CU_ASSERT_TRUE(redact_field("PWD"));
	CU_ASSERT_FALSE(redact_field("key-id"));
	CU_ASSERT_FALSE(redact_field("api-version"));
}

static void
test_redact_copy_credential_as_name(void)
{
	static const char *const creds[] = { "eyJhbGciOi.bearer.token" };

	/* A name that is, or holds, a credential goes with its value. */
	CU_ASSERT_TRUE(redacts_to("{\"" API_KEY "\":1,\"a\":2}", NULL, 0,
	    "{\"***\":\"***\",\"a\":2}"));
	CU_ASSERT_TRUE(redacts_to("{\"config\":{\"x " TOKEN "\":true}}", NULL,
	    0, "{\"config\":{\"***\":\"***\"}}"));
	CU_ASSERT_TRUE(redacts_to("{\"config\":{\"eyJhbGciOi.bearer.token\":"
	    "{\"n\":1}}}", creds, 1, "{\"config\":{\"***\":\"***\"}}"));
	CU_ASSERT_TRUE(redacts_to("{\"rk_short\":1}", creds, 1,
	    "{\"rk_short\":1}"));
}

static void
test_redact_field_ordinary_names(void)
{
	static const char *const names[] = {
		"name", "description", "criticality", "email", "username",
		"role", "service_id", "rto", "rpo", "expires_in_days",
		"permissions", "data_type", "ttl_seconds", "status", "reason",
		"author", "rate_limit", "type", "config", "channel", "to",
		"",
	};
	size_t	 i, wrong = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (redact_field(names[i])) {
			fprintf(stderr, "\nredacted: %s\n", names[i]);
			wrong++;
		}
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_FALSE(redact_field(NULL));
}

static void
test_redact_copy_flat(void)
{

	CU_ASSERT_TRUE(redacts_to(
	    "{\"username\":\"alice\",\"password\":\"hunter2\","
	    "\"role\":\"admin\"}", NULL, 0,
	    "{\"username\":\"alice\",\"password\":\"***\","
	    "\"role\":\"admin\"}"));
}

static void
test_redact_copy_every_denylisted_key(void)
{
	struct json_object	*v, *out, *f;
	size_t			 i, kept = 0;
	char			 value[64];

	v = json_object_new_object();
	for (i = 0; i < NDENYLISTED; i++) {
		snprintf(value, sizeof(value), "s3cret-%zu", i);
		json_object_object_add(v, denylisted[i],
		    json_object_new_string(value));
	}
	json_object_object_add(v, "name", json_object_new_string("ok"));
	out = redact_copy(v, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(json_object_object_length(out), NDENYLISTED + 1);
	for (i = 0; i < NDENYLISTED; i++)
		if (!json_object_object_get_ex(out, denylisted[i], &f) ||
		    !json_object_is_type(f, json_type_string) ||
		    strcmp(json_object_get_string(f), REDACTED) != 0)
			kept++;
	CU_ASSERT_EQUAL(kept, 0);
	CU_ASSERT_PTR_NULL(strstr(json_text(out, NULL), "s3cret"));
	CU_ASSERT_TRUE(json_object_object_get_ex(out, "name", &f) &&
	    strcmp(json_object_get_string(f), "ok") == 0);
	json_object_put(out);
	json_object_put(v);
}

static void
test_redact_copy_key_case(void)
{

	CU_ASSERT_TRUE(redacts_to(
	    "{\"PassWord\":\"a\",\"API_KEY\":\"b\",\"Url\":\"c\","
	    "\"X-Client-Secret\":\"d\",\"Name\":\"e\"}", NULL, 0,
	    "{\"PassWord\":\"***\",\"API_KEY\":\"***\",\"Url\":\"***\","
	    "\"X-Client-Secret\":\"***\",\"Name\":\"e\"}"));
}

static void
test_redact_copy_nested_objects(void)
{

	CU_ASSERT_TRUE(redacts_to(
	    "{\"type\":\"slack\",\"config\":{\"webhook_url\":"
	    "\"https://hooks.slack.com/services/T0/B0/xyz\","
	    "\"channel\":\"#ops\","
	    "\"auth\":{\"token\":\"abc\",\"user\":\"bot\"}}}", NULL, 0,
	    "{\"type\":\"slack\",\"config\":{\"webhook_url\":\"***\","
	    "\"channel\":\"#ops\",\"auth\":{\"token\":\"***\","
	    "\"user\":\"bot\"}}}"));
}

static void
test_redact_copy_arrays(void)
{

	CU_ASSERT_TRUE(redacts_to(
	    "{\"users\":[{\"name\":\"a\",\"password\":\"x\"},"
	    "{\"name\":\"b\",\"password\":\"y\"}],"
	    "\"matrix\":[[{\"pin\":\"1\"}],[],[\"plain\",1,null]]}", NULL, 0,
	    "{\"users\":[{\"name\":\"a\",\"password\":\"***\"},"
	    "{\"name\":\"b\",\"password\":\"***\"}],"
	    "\"matrix\":[[{\"pin\":\"***\"}],[],[\"plain\",1,null]]}"));
	/* A body that is an array at the top. */
	CU_ASSERT_TRUE(redacts_to("[{\"secret\":\"s\"},\"t\"]", NULL, 0,
	    "[{\"secret\":\"***\"},\"t\"]"));
}

static void
test_redact_copy_secret_subtree_goes(void)
{

	/* A secret's name hides whatever is under it, not only strings. */
	CU_ASSERT_TRUE(redacts_to(
	    "{\"credentials\":{\"user\":\"u\",\"pass\":\"p\"},"
	    "\"tokens\":[\"a\",\"b\"],\"pin\":1234,\"cvv\":123.5,"
	    "\"private_key\":true}", NULL, 0,
	    "{\"credentials\":\"***\",\"tokens\":\"***\",\"pin\":\"***\","
	    "\"cvv\":\"***\",\"private_key\":\"***\"}"));
}

static void
test_redact_copy_secret_null_stays_null(void)
{

	/* null holds nothing to hide, and says the field was cleared. */
	CU_ASSERT_TRUE(redacts_to("{\"password\":null,\"name\":\"n\"}",
	    NULL, 0, "{\"password\":null,\"name\":\"n\"}"));
}

static void
test_redact_copy_ordinary_values_survive(void)
{
	static const char body[] =
	    "{\"name\":\"Payments\",\"criticality\":\"High\",\"rto\":0,"
	    "\"rpo\":15,\"ratio\":0.25,\"public\":false,\"active\":true,"
	    "\"owner\":null,\"tags\":[],\"extra\":{},\"key_id\":\"k-1\","
	    "\"description\":\"Card payments; see the runbook\","
	    "\"unicode\":\"\\u00e9t\\u00e9 \\ud83d\\ude00\","
	    "\"big\":9007199254740993}";

	CU_ASSERT_TRUE(redacts_to(body, NULL, 0, body));
}

static void
test_redact_copy_presented_credentials(void)
{
	const char *const	 creds[] = { TOKEN, API_KEY };

	/* Under ordinary names, at any depth, and in arrays. */
	CU_ASSERT_TRUE(redacts_to(
	    "{\"note\":\"" TOKEN "\",\"list\":[\"" API_KEY "\",\"other\"],"
	    "\"deep\":{\"x\":{\"y\":[{\"z\":\"" API_KEY "\"}]}},"
	    "\"name\":\"n\"}", creds, 2,
	    "{\"note\":\"***\",\"list\":[\"***\",\"other\"],"
	    "\"deep\":{\"x\":{\"y\":[{\"z\":\"***\"}]}},\"name\":\"n\"}"));
}

static void
test_redact_copy_presented_password(void)
{
	const char *const	 creds[] = { "hunter2" };

	/* A password the caller passes goes under any name too. */
	CU_ASSERT_TRUE(redacts_to(
	    "{\"password\":\"hunter2\",\"confirm\":\"hunter2\","
	    "\"hint\":[\"hunter2\"],\"name\":\"hunter\"}", creds, 1,
	    "{\"password\":\"***\",\"confirm\":\"***\",\"hint\":[\"***\"],"
	    "\"name\":\"hunter\"}"));
}

static void
test_redact_copy_credential_top_level(void)
{
	const char *const	 creds[] = { "hunter2" };

	CU_ASSERT_TRUE(redacts_to("\"hunter2\"", creds, 1, "\"***\""));
	CU_ASSERT_TRUE(redacts_to("\"plain\"", creds, 1, "\"plain\""));
}

static void
test_redact_copy_credential_inside_string(void)
{
	const char *const	 creds[] = { "hunter2", "jwt.header.sig" };

	/* Pasted into a note: the whole string goes, not just the match. */
	CU_ASSERT_TRUE(redacts_to(
	    "{\"note\":\"my password is hunter2, sorry\","
	    "\"a\":[\"Bearer jwt.header.sig\"],\"b\":\"hunter\"}", creds, 2,
	    "{\"note\":\"***\",\"a\":[\"***\"],\"b\":\"hunter\"}"));
}

static void
test_redact_copy_credential_shape(void)
{

	/* Keys and tokens of ours go, even those this request did not use. */
	CU_ASSERT_TRUE(redacts_to(
	    "{\"a\":\"" API_KEY "\",\"b\":\"old key: " TOKEN " (revoked)\","
	    "\"c\":[\"x" API_KEY "x\"],\"d\":\"ok\"}", NULL, 0,
	    "{\"a\":\"***\",\"b\":\"***\",\"c\":[\"***\"],\"d\":\"ok\"}"));
}

static void
test_redact_copy_credential_shape_strict(void)
{

	/* Short of 32 base62 after the prefix is not one of ours. */
	CU_ASSERT_TRUE(redacts_to(
	    "{\"a\":\"rk_0123456789abcdefghijABCDEFGHIJk\","
	    "\"b\":\"tok_ZYXWVUTSRQPONMLKJIHGFEDCBA-yxwvu\","
	    "\"c\":\"rk_\",\"d\":\"tok_1\"}", NULL, 0,
	    "{\"a\":\"rk_0123456789abcdefghijABCDEFGHIJk\","
	    "\"b\":\"tok_ZYXWVUTSRQPONMLKJIHGFEDCBA-yxwvu\","
	    "\"c\":\"rk_\",\"d\":\"tok_1\"}"));
}

static void
test_redact_copy_null_and_empty_creds_skipped(void)
{
	const char *const	 creds[] = { NULL, "", TOKEN };

	/* An empty credential must not take every empty string with it. */
	CU_ASSERT_TRUE(redacts_to(
	    "{\"a\":\"\",\"b\":\"x\",\"c\":\"" TOKEN "\"}", creds, 3,
	    "{\"a\":\"\",\"b\":\"x\",\"c\":\"***\"}"));
}

static void
test_redact_copy_ncreds_bounds(void)
{
	const char *const	 creds[] = { "hunter2", "swordfish" };

	/* Only creds[0..ncreds) count. */
	CU_ASSERT_TRUE(redacts_to(
	    "{\"a\":\"hunter2\",\"b\":\"swordfish\"}", creds, 1,
	    "{\"a\":\"***\",\"b\":\"swordfish\"}"));
	CU_ASSERT_TRUE(redacts_to(
	    "{\"a\":\"hunter2\",\"b\":\"swordfish\"}", creds, 0,
	    "{\"a\":\"hunter2\",\"b\":\"swordfish\"}"));
}

static void
test_redact_copy_null_input(void)
{
	const char *const	 creds[] = { TOKEN };
	struct json_object	*bad;

	CU_ASSERT_PTR_NULL(redact_copy(NULL, NULL, 0));
	CU_ASSERT_PTR_NULL(redact_copy(NULL, creds, 1));
	/* A malformed body never parses, so nothing of it is kept. */
	bad = parse("{\"password\":\"hunter2\"");
	CU_ASSERT_PTR_NULL(bad);
	CU_ASSERT_PTR_NULL(redact_copy(bad, creds, 1));
}

static void
test_redact_copy_deepest_body(void)
{
	char			 in[1024], want[1024];
	size_t			 i, n = 0, m = 0;

	/* As deep as a body may nest: the innermost secret still goes. */
	for (i = 0; i < JSON_DEPTH_MAX - 1; i++) {
		n += (size_t)snprintf(in + n, sizeof(in) - n, "{\"a\":");
		m += (size_t)snprintf(want + m, sizeof(want) - m, "{\"a\":");
	}
	n += (size_t)snprintf(in + n, sizeof(in) - n, "{\"token\":\"t\"}");
	m += (size_t)snprintf(want + m, sizeof(want) - m,
	    "{\"token\":\"***\"}");
	for (i = 0; i < JSON_DEPTH_MAX - 1; i++) {
		n += (size_t)snprintf(in + n, sizeof(in) - n, "}");
		m += (size_t)snprintf(want + m, sizeof(want) - m, "}");
	}
	CU_ASSERT_FATAL(n < sizeof(in) && m < sizeof(want));
	CU_ASSERT_TRUE(redacts_to(in, NULL, 0, want));
}

static void
test_redact_copy_large_body(void)
{
	struct json_object	*v, *out, *f;
	char			*big, *bigcred, name[32];
	const char		*cp[1];
	size_t			 i, bad = 0;
	enum { NFIELDS = 4000, BIG = 1 << 20 };

	big = malloc(BIG + 1);
	bigcred = malloc(BIG + 1);
	CU_ASSERT_FATAL(big != NULL && bigcred != NULL);
	memset(big, 'a', BIG);
	big[BIG] = '\0';
	memset(bigcred, 'c', BIG);
	bigcred[BIG] = '\0';
	cp[0] = bigcred;

	v = json_object_new_object();
	for (i = 0; i < NFIELDS; i++) {
		snprintf(name, sizeof(name), i % 2 ? "secret_%zu" : "field_%zu",
		    i);
		json_object_object_add(v, name, json_object_new_int64(
		    (int64_t)i));
	}
	json_object_object_add(v, "blob", json_object_new_string(big));
	json_object_object_add(v, "copy", json_object_new_string(bigcred));
	/* One of our keys in the middle of a megabyte. */
	memcpy(big + BIG / 2, API_KEY, strlen(API_KEY));
	json_object_object_add(v, "pasted", json_object_new_string(big));
	out = redact_copy(v, cp, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(json_object_object_length(out), NFIELDS + 3);
	for (i = 0; i < NFIELDS; i++) {
		snprintf(name, sizeof(name), i % 2 ? "secret_%zu" : "field_%zu",
		    i);
		if (!json_object_object_get_ex(out, name, &f))
			bad++;
		else if (i % 2 ?
		    strcmp(json_object_get_string(f), REDACTED) != 0 :
		    json_object_get_int64(f) != (int64_t)i)
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_TRUE(json_object_object_get_ex(out, "blob", &f) &&
	    json_object_get_string_len(f) == BIG);
	CU_ASSERT_TRUE(json_object_object_get_ex(out, "copy", &f) &&
	    strcmp(json_object_get_string(f), REDACTED) == 0);
	CU_ASSERT_TRUE(json_object_object_get_ex(out, "pasted", &f) &&
	    strcmp(json_object_get_string(f), REDACTED) == 0);
	json_object_put(out);
	json_object_put(v);
	free(big);
	free(bigcred);
}

static void
test_redact_copy_input_unchanged(void)
{
	static const char body[] =
	    "{\"password\":\"p\",\"a\":[{\"token\":\"t\"},\"" API_KEY "\"],"
	    "\"n\":1}";
	const char *const	 creds[] = { API_KEY };
	struct json_object	*v, *out;
	char			*before;

	v = parse(body);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	before = strdup(json_text(v, NULL));
	CU_ASSERT_PTR_NOT_NULL_FATAL(before);
	out = redact_copy(v, creds, 1);
	CU_ASSERT_PTR_NOT_NULL(out);
	CU_ASSERT_STRING_EQUAL(json_text(v, NULL), before);
	json_object_put(out);
	free(before);
	json_object_put(v);
}

static void
test_redact_copy_outlives_input(void)
{
	struct json_object	*v, *out, *want;

	v = parse("{\"name\":\"n\",\"list\":[\"x\",{\"secret\":\"s\"}],"
	    "\"o\":{\"k\":1.5}}");
	want = parse("{\"name\":\"n\",\"list\":[\"x\",{\"secret\":\"***\"}],"
	    "\"o\":{\"k\":1.5}}");
	CU_ASSERT_FATAL(v != NULL && want != NULL);
	out = redact_copy(v, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_EQUAL(out, v);
	/* The input goes first; valgrind sees any use of what it held. */
	json_object_put(v);
	CU_ASSERT_TRUE(json_object_equal(out, want));
	json_object_put(out);
	json_object_put(want);
}

static void
test_redact_copy_containers_own(void)
{
	struct json_object	*v, *out, *f;

	/* Changing the copy's objects and arrays leaves the input be. */
	v = parse("{\"o\":{\"k\":1},\"a\":[1]}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	out = redact_copy(v, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	if (json_object_object_get_ex(out, "o", &f))
		json_object_object_add(f, "added", json_object_new_int(2));
	if (json_object_object_get_ex(out, "a", &f))
		json_object_array_add(f, json_object_new_int(2));
	json_object_object_add(out, "top", json_object_new_int(3));
	CU_ASSERT_STRING_EQUAL(json_text(v, NULL),
	    "{\"o\":{\"k\":1},\"a\":[1]}");
	json_object_put(out);
	json_object_put(v);
}

static void
test_redact_copy_scalar_reference(void)
{
	struct json_object	*v, *out;

	/* A scalar at the top comes back as a reference of the caller's. */
	v = json_object_new_string("plain");
	out = redact_copy(v, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	json_object_put(v);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(out), "plain");
	json_object_put(out);
	v = json_object_new_int(7);
	out = redact_copy(v, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	json_object_put(v);
	CU_ASSERT_EQUAL(json_object_get_int(out), 7);
	json_object_put(out);
}

static const struct unit_test tests[] = {
	{ "test_redact_field_every_denylisted",
	    test_redact_field_every_denylisted },
	{ "test_redact_field_parts_of_names",
	    test_redact_field_parts_of_names },
	{ "test_redact_field_case_insensitive",
	    test_redact_field_case_insensitive },
	{ "test_redact_field_whole_names_only",
	    test_redact_field_whole_names_only },
	{ "test_redact_field_ordinary_names",
	    test_redact_field_ordinary_names },
	{ "test_redact_field_hyphens", test_redact_field_hyphens },
	{ "test_redact_copy_credential_as_name",
	    test_redact_copy_credential_as_name },
	{ "test_redact_copy_flat", test_redact_copy_flat },
	{ "test_redact_copy_every_denylisted_key",
	    test_redact_copy_every_denylisted_key },
	{ "test_redact_copy_key_case", test_redact_copy_key_case },
	{ "test_redact_copy_nested_objects", test_redact_copy_nested_objects },
	{ "test_redact_copy_arrays", test_redact_copy_arrays },
	{ "test_redact_copy_secret_subtree_goes",
	    test_redact_copy_secret_subtree_goes },
	{ "test_redact_copy_secret_null_stays_null",
	    test_redact_copy_secret_null_stays_null },
	{ "test_redact_copy_ordinary_values_survive",
	    test_redact_copy_ordinary_values_survive },
	{ "test_redact_copy_presented_credentials",
	    test_redact_copy_presented_credentials },
	{ "test_redact_copy_presented_password",
	    test_redact_copy_presented_password },
	{ "test_redact_copy_credential_top_level",
	    test_redact_copy_credential_top_level },
	{ "test_redact_copy_credential_inside_string",
	    test_redact_copy_credential_inside_string },
	{ "test_redact_copy_credential_shape",
	    test_redact_copy_credential_shape },
	{ "test_redact_copy_credential_shape_strict",
	    test_redact_copy_credential_shape_strict },
	{ "test_redact_copy_null_and_empty_creds_skipped",
	    test_redact_copy_null_and_empty_creds_skipped },
	{ "test_redact_copy_ncreds_bounds", test_redact_copy_ncreds_bounds },
	{ "test_redact_copy_null_input", test_redact_copy_null_input },
	{ "test_redact_copy_deepest_body", test_redact_copy_deepest_body },
	{ "test_redact_copy_large_body", test_redact_copy_large_body },
	{ "test_redact_copy_input_unchanged",
	    test_redact_copy_input_unchanged },
	{ "test_redact_copy_outlives_input", test_redact_copy_outlives_input },
	{ "test_redact_copy_containers_own", test_redact_copy_containers_own },
	{ "test_redact_copy_scalar_reference",
	    test_redact_copy_scalar_reference },
};

int
suite_redact(void)
{
	return UNIT_SUITE("redact", tests);
}
