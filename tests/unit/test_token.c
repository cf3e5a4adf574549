/*
 * Unit tests for util/token: issue and verify round-trip, and every
 * forgery libjwt 1.10 would let through on its own is refused (alg
 * none, HS512, string or float exp, short keys, oversized tokens).
 * Hostile tokens are built with libjwt, or by hand where it refuses.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>
#include <jwt.h>
#include <openssl/evp.h>

#include "suites.h"
#include "util/token.h"

#define NOW	((time_t)1700000000)
#define TTL	3600L
#define JTI	"0123456789abcdef0123456789abcdef"

static const unsigned char secret[] =
    "0123456789abcdef0123456789abcdef-test-secret";
#define SECRETLEN (sizeof(secret) - 1)

static const unsigned char other_secret[] =
    "fedcba9876543210fedcba9876543210-other-secret";
#define OTHER_SECRETLEN (sizeof(other_secret) - 1)

static void
claims_init(struct token_claims *c)
{
	memset(c, 0, sizeof(*c));
	c->uid = 42;
	snprintf(c->username, sizeof(c->username), "alice");
	snprintf(c->role, sizeof(c->role), "operator");
	c->gen = 3;
}

static char *
issue(void)
{
	struct token_claims	 c;

	claims_init(&c);
	return token_issue(secret, SECRETLEN, &c, NOW, TTL);
}

/* A token with these claims, signed by libjwt with alg and our secret. */
static char *
sign_claims(jwt_alg_t alg, const char *json)
{
	jwt_t	*j = NULL;
	char	*tok = NULL;

	if (jwt_new(&j) != 0)
		return NULL;
	if (jwt_set_alg(j, alg, secret, (int)SECRETLEN) == 0 &&
	    jwt_add_grants_json(j, json) == 0)
		tok = jwt_encode_str(j);
	jwt_free(j);
	return tok;
}

/* Valid claims, with iat and exp given as JSON text. */
static char *
sign_times(jwt_alg_t alg, const char *iat, const char *exp)
{
	char	 json[512];

	snprintf(json, sizeof(json), "{\"sub\":\"42\",\"username\":\"alice\","
	    "\"role\":\"operator\",\"jti\":\"" JTI "\",\"gen\":3,"
	    "\"iat\":%s,\"exp\":%s}", iat, exp);
	return sign_claims(alg, json);
}

static int
verify(const char *tok)
{
	struct token_claims	 out;

	return token_verify(secret, SECRETLEN, tok, NOW, &out);
}

/* base64url without padding, into a static buffer. */
static const char *
b64url(const char *s)
{
	static char	 buf[1024];
	size_t		 i, n;

	n = (size_t)EVP_EncodeBlock((unsigned char *)buf,
	    (const unsigned char *)s, (int)strlen(s));
	while (n > 0 && buf[n - 1] == '=')
		n--;
	buf[n] = '\0';
	for (i = 0; i < n; i++) {
		if (buf[i] == '+')
			buf[i] = '-';
		else if (buf[i] == '/')
			buf[i] = '_';
	}
	return buf;
}

/* Start of the n-th dot-separated part of tok. */
static char *
part(char *tok, int n)
{
	while (n-- > 0)
		tok = strchr(tok, '.') + 1;
	return tok;
}

static void
test_token_roundtrip(void)
{
	struct token_claims	 c, out;
	char			*tok;
	size_t			 i;

	claims_init(&c);
	tok = token_issue(secret, SECRETLEN, &c, NOW, TTL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(c.iat, NOW);
	CU_ASSERT_EQUAL(c.exp, NOW + TTL);
	CU_ASSERT_EQUAL(strlen(c.jti), TOKEN_JTI_LEN);
	for (i = 0; i < TOKEN_JTI_LEN; i++)
		CU_ASSERT_PTR_NOT_NULL(strchr("0123456789abcdef", c.jti[i]));

	memset(&out, 0, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(token_verify(secret, SECRETLEN, tok, NOW, &out),
	    0);
	CU_ASSERT_EQUAL(out.uid, 42);
	CU_ASSERT_STRING_EQUAL(out.username, "alice");
	CU_ASSERT_STRING_EQUAL(out.role, "operator");
	CU_ASSERT_EQUAL(out.iat, NOW);
	CU_ASSERT_EQUAL(out.exp, NOW + TTL);
	CU_ASSERT_EQUAL(out.gen, 3);
	CU_ASSERT_STRING_EQUAL(out.jti, c.jti);
	free(tok);
}

static void
test_token_jti_unique(void)
{
	struct token_claims	 a, b;
	char			*ta, *tb;

	claims_init(&a);
	claims_init(&b);
	ta = token_issue(secret, SECRETLEN, &a, NOW, TTL);
	tb = token_issue(secret, SECRETLEN, &b, NOW, TTL);
	CU_ASSERT_PTR_NOT_NULL(ta);
	CU_ASSERT_PTR_NOT_NULL(tb);
	CU_ASSERT_STRING_NOT_EQUAL(a.jti, b.jti);
	free(ta);
	free(tb);
}

static void
test_token_handbuilt_valid_accepted(void)
{
	char	*tok;

	/* The control for the forgeries below: the helper itself works. */
	tok = sign_times(JWT_ALG_HS256, "1700000000", "1700003600");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(verify(tok), 0);
	free(tok);
}

static void
test_token_tampered_payload(void)
{
	struct token_claims	 c;
	char			*tok, *evil, forged[TOKEN_MAX];
	char			*p;

	/* Our header and signature, an admin's payload. */
	tok = issue();
	claims_init(&c);
	snprintf(c.role, sizeof(c.role), "admin");
	evil = token_issue(other_secret, OTHER_SECRETLEN, &c, NOW, TTL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_PTR_NOT_NULL_FATAL(evil);
	p = part(tok, 1);
	snprintf(forged, sizeof(forged), "%.*s%.*s%s", (int)(p - tok), tok,
	    (int)(part(evil, 2) - part(evil, 1)), part(evil, 1),
	    part(tok, 2));
	CU_ASSERT_EQUAL(verify(forged), -1);

	/* One character of the payload changed. */
	p[3] = p[3] == 'A' ? 'B' : 'A';
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);
	free(evil);
}

static void
test_token_tampered_signature(void)
{
	char	*tok, *sig;

	tok = issue();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	/* Not the last character: its low bits may be padding. */
	sig = part(tok, 2);
	sig[5] = sig[5] == 'A' ? 'B' : 'A';
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);
}

static void
test_token_signature_removed(void)
{
	char	*tok;

	tok = issue();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	*part(tok, 2) = '\0';
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);
}

static void
test_token_wrong_secret(void)
{
	struct token_claims	 out;
	char			*tok;

	tok = issue();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(token_verify(other_secret, OTHER_SECRETLEN, tok, NOW,
	    &out), -1);
	free(tok);
}

static void
test_token_alg_none(void)
{
	char	 tok[1024], payload[512];

	snprintf(payload, sizeof(payload), "{\"sub\":\"42\","
	    "\"username\":\"alice\",\"role\":\"admin\",\"iat\":%lld,"
	    "\"exp\":%lld,\"jti\":\"" JTI "\",\"gen\":3}",
	    (long long)NOW, (long long)NOW + TTL);
	snprintf(tok, sizeof(tok), "%s.",
	    b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
	strncat(tok, b64url(payload), sizeof(tok) - strlen(tok) - 2);
	strcat(tok, ".");
	CU_ASSERT_EQUAL(verify(tok), -1);
	/* With some signature, so that it gets past the shape check. */
	strcat(tok, "c2lnbmF0dXJl");
	CU_ASSERT_EQUAL(verify(tok), -1);
}

static void
test_token_hs512(void)
{
	char	*tok;

	tok = sign_times(JWT_ALG_HS512, "1700000000", "1700003600");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);
}

static void
test_token_hs384(void)
{
	char	*tok;

	tok = sign_times(JWT_ALG_HS384, "1700000000", "1700003600");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);
}

static void
test_token_missing_exp(void)
{
	char	*tok;

	tok = sign_claims(JWT_ALG_HS256, "{\"sub\":\"42\","
	    "\"username\":\"alice\",\"role\":\"operator\",\"jti\":\"" JTI "\","
	    "\"gen\":3,\"iat\":1700000000}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);
}

static void
test_token_missing_iat(void)
{
	char	*tok;

	tok = sign_claims(JWT_ALG_HS256, "{\"sub\":\"42\","
	    "\"username\":\"alice\",\"role\":\"operator\",\"jti\":\"" JTI "\","
	    "\"gen\":3,\"exp\":1700003600}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);
}

static void
test_token_exp_string(void)
{
	char	*tok;

	tok = sign_times(JWT_ALG_HS256, "1700000000", "\"9999999999\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);
}

static void
test_token_exp_float(void)
{
	static const char *const exps[] = {
		"9999999999.5", "9999999999.0", "1e10",
	};
	char	*tok;
	size_t	 i;

	for (i = 0; i < sizeof(exps) / sizeof(exps[0]); i++) {
		tok = sign_times(JWT_ALG_HS256, "1700000000", exps[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
		CU_ASSERT_EQUAL(verify(tok), -1);
		free(tok);
	}
}

static void
test_token_exp_other_types(void)
{
	static const char *const exps[] = {
		"true", "null", "[9999999999]", "{\"t\":9999999999}",
	};
	char	*tok;
	size_t	 i;

	for (i = 0; i < sizeof(exps) / sizeof(exps[0]); i++) {
		tok = sign_times(JWT_ALG_HS256, "1700000000", exps[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
		CU_ASSERT_EQUAL(verify(tok), -1);
		free(tok);
	}
}

static void
test_token_iat_not_integer(void)
{
	static const char *const iats[] = {
		"\"1700000000\"", "1700000000.0", "true",
	};
	char	*tok;
	size_t	 i;

	for (i = 0; i < sizeof(iats) / sizeof(iats[0]); i++) {
		tok = sign_times(JWT_ALG_HS256, iats[i], "1700003600");
		CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
		CU_ASSERT_EQUAL(verify(tok), -1);
		free(tok);
	}
}

static void
test_token_expired(void)
{
	struct token_claims	 out;
	char			*tok;

	tok = issue();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(token_verify(secret, SECRETLEN, tok, NOW + TTL - 1,
	    &out), 0);
	CU_ASSERT_EQUAL(token_verify(secret, SECRETLEN, tok, NOW + TTL,
	    &out), -1);
	CU_ASSERT_EQUAL(token_verify(secret, SECRETLEN, tok, NOW + TTL + 1000,
	    &out), -1);
	free(tok);
}

static void
test_token_iat_future_refused(void)
{
	struct token_claims	 out;
	char			*tok;

	tok = issue();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(token_verify(secret, SECRETLEN, tok,
	    NOW - TOKEN_LEEWAY - 1, &out), -1);
	CU_ASSERT_EQUAL(token_verify(secret, SECRETLEN, tok, NOW - 3600,
	    &out), -1);
	free(tok);
}

static void
test_token_iat_within_leeway(void)
{
	struct token_claims	 out;
	char			*tok;

	tok = issue();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(token_verify(secret, SECRETLEN, tok,
	    NOW - TOKEN_LEEWAY, &out), 0);
	CU_ASSERT_EQUAL(token_verify(secret, SECRETLEN, tok, NOW - 1, &out),
	    0);
	free(tok);
}

static void
test_token_nbf_future(void)
{
	char	*tok;

	tok = sign_claims(JWT_ALG_HS256, "{\"sub\":\"42\","
	    "\"username\":\"alice\",\"role\":\"operator\",\"jti\":\"" JTI "\","
	    "\"gen\":3,\"iat\":1700000000,\"exp\":1700003600,"
	    "\"nbf\":1700001000}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);
}

static void
test_token_missing_claims(void)
{
	/* Each lacks one required claim or has it in the wrong form. */
	static const char *const claims[] = {
		"{\"username\":\"alice\",\"role\":\"operator\",\"jti\":\"" JTI
		    "\",\"gen\":3,\"iat\":1700000000,\"exp\":1700003600}",
		"{\"sub\":\"42\",\"role\":\"operator\",\"jti\":\"" JTI
		    "\",\"gen\":3,\"iat\":1700000000,\"exp\":1700003600}",
		"{\"sub\":\"42\",\"username\":\"alice\",\"jti\":\"" JTI
		    "\",\"gen\":3,\"iat\":1700000000,\"exp\":1700003600}",
		"{\"sub\":\"42\",\"username\":\"alice\",\"role\":\"operator\","
		    "\"gen\":3,\"iat\":1700000000,\"exp\":1700003600}",
		"{\"sub\":\"42\",\"username\":\"alice\",\"role\":\"operator\","
		    "\"jti\":\"" JTI "\",\"iat\":1700000000,\"exp\":1700003600}",
		"{\"sub\":\"42\",\"username\":\"alice\",\"role\":\"operator\","
		    "\"jti\":\"" JTI "\",\"gen\":\"3\",\"iat\":1700000000,"
		    "\"exp\":1700003600}",
		"{\"sub\":\"42\",\"username\":\"\",\"role\":\"operator\","
		    "\"jti\":\"" JTI "\",\"gen\":3,\"iat\":1700000000,"
		    "\"exp\":1700003600}",
		"{\"sub\":\"42\",\"username\":\"alice\",\"role\":7,"
		    "\"jti\":\"" JTI "\",\"gen\":3,\"iat\":1700000000,"
		    "\"exp\":1700003600}",
		"{\"sub\":\"42\",\"username\":\"alice\",\"role\":\"operator\","
		    "\"jti\":\"xyz\",\"gen\":3,\"iat\":1700000000,"
		    "\"exp\":1700003600}",
	};
	char	*tok;
	size_t	 i;

	for (i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		tok = sign_claims(JWT_ALG_HS256, claims[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
		CU_ASSERT_EQUAL(verify(tok), -1);
		free(tok);
	}
}

static void
test_token_sub_invalid(void)
{
	static const char *const subs[] = {
		"\"0\"", "\"-1\"", "\"007\"", "\"42a\"", "\"\"", "\" 42\"",
		"\"99999999999999999999\"", "42", "4.2e1",
	};
	char	 json[512];
	char	*tok;
	size_t	 i;

	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(json, sizeof(json), "{\"sub\":%s,"
		    "\"username\":\"alice\",\"role\":\"operator\","
		    "\"jti\":\"" JTI "\",\"gen\":3,\"iat\":1700000000,"
		    "\"exp\":1700003600}", subs[i]);
		tok = sign_claims(JWT_ALG_HS256, json);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
		CU_ASSERT_EQUAL(verify(tok), -1);
		free(tok);
	}
}

static void
test_token_short_secret_issue(void)
{
	struct token_claims	 c;

	claims_init(&c);
	CU_ASSERT_PTR_NULL(token_issue(secret, 0, &c, NOW, TTL));
	CU_ASSERT_PTR_NULL(token_issue((const unsigned char *)"", 0, &c, NOW,
	    TTL));
	CU_ASSERT_PTR_NULL(token_issue(secret, TOKEN_SECRET_MIN - 1, &c, NOW,
	    TTL));
	CU_ASSERT_PTR_NULL(token_issue(NULL, 0, &c, NOW, TTL));
}

static void
test_token_short_secret_verify(void)
{
	struct token_claims	 c, out;
	char			*tok;

	/* Even a token made with that very short key is refused. */
	claims_init(&c);
	tok = token_issue(secret, TOKEN_SECRET_MIN, &c, NOW, TTL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(token_verify(secret, TOKEN_SECRET_MIN, tok, NOW, &out),
	    0);
	CU_ASSERT_EQUAL(token_verify(secret, TOKEN_SECRET_MIN - 1, tok, NOW,
	    &out), -1);
	CU_ASSERT_EQUAL(token_verify(secret, 0, tok, NOW, &out), -1);
	CU_ASSERT_EQUAL(token_verify((const unsigned char *)"", 0, tok, NOW,
	    &out), -1);
	CU_ASSERT_EQUAL(token_verify(NULL, 0, tok, NOW, &out), -1);
	free(tok);
}

static void
test_token_issue_invalid_claims(void)
{
	struct token_claims	 c;

	claims_init(&c);
	c.uid = 0;
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c, NOW, TTL));
	claims_init(&c);
	c.username[0] = '\0';
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c, NOW, TTL));
	claims_init(&c);
	c.role[0] = '\0';
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c, NOW, TTL));
	claims_init(&c);
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c, NOW, 0));
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, NULL, NOW, TTL));
}

static void
test_token_garbage(void)
{
	static const char *const bad[] = {
		"", ".", "..", "...", "garbage", "a.b", "a.b.c", "a.b.c.d",
		"Bearer abc.def.ghi", "eyJ.eyJ.", " eyJhbGciOiJIUzI1NiJ9.e30.AA",
		"eyJhbGciOiJIUzI1NiJ9.e30.AA==", "\xff\xfe.\x01.\x02",
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(verify(bad[i]), -1);
	CU_ASSERT_EQUAL(verify(NULL), -1);
}

static void
test_token_over_max_refused(void)
{
	char	 json[TOKEN_MAX + 512], pad[TOKEN_MAX];
	char	*tok;

	/* A correctly signed, otherwise valid token, only too long. */
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	snprintf(json, sizeof(json), "{\"sub\":\"42\",\"username\":\"alice\","
	    "\"role\":\"operator\",\"jti\":\"" JTI "\",\"gen\":3,"
	    "\"iat\":1700000000,\"exp\":1700003600,\"pad\":\"%s\"}", pad);
	tok = sign_claims(JWT_ALG_HS256, json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_TRUE(strlen(tok) > TOKEN_MAX);
	CU_ASSERT_EQUAL(verify(tok), -1);
	free(tok);

	/* The same claim, short, is fine. */
	pad[100] = '\0';
	snprintf(json, sizeof(json), "{\"sub\":\"42\",\"username\":\"alice\","
	    "\"role\":\"operator\",\"jti\":\"" JTI "\",\"gen\":3,"
	    "\"iat\":1700000000,\"exp\":1700003600,\"pad\":\"%s\"}", pad);
	tok = sign_claims(JWT_ALG_HS256, json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(verify(tok), 0);
	free(tok);
}

/* Valid claims with gen and jti as JSON text, and more after them. */
static char *
sign_with(const char *gen, const char *jti, const char *more)
{
	char	 json[1024];

	snprintf(json, sizeof(json), "{\"sub\":\"42\",\"username\":\"alice\","
	    "\"role\":\"operator\",\"jti\":%s,\"gen\":%s,"
	    "\"iat\":1700000000,\"exp\":1700003600%s}", jti, gen, more);
	return sign_claims(JWT_ALG_HS256, json);
}

/* verify of the token sign_with makes; its claims into out. */
static int
verify_with(const char *gen, const char *jti, const char *more,
    struct token_claims *out)
{
	char	*tok;
	int	 rc;

	tok = sign_with(gen, jti, more);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	rc = token_verify(secret, SECRETLEN, tok, NOW, out);
	free(tok);
	return rc;
}

static void
test_token_role_style(void)
{
	static const struct {
		const char	*more;
		int		 rc, rs;
	} rows[] = {
		{ "", 0, 0 },
		{ ",\"rs\":0", 0, 0 },
		{ ",\"rs\":1", 0, 1 },
		{ ",\"rs\":2", -1, 0 },
		{ ",\"rs\":-1", -1, 0 },
		{ ",\"rs\":\"1\"", -1, 0 },
		{ ",\"rs\":true", -1, 0 },
	};
	struct token_claims	 c, out;
	char			*tok;
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		out.role_style = -1;
		CU_ASSERT_EQUAL(verify_with("3", "\"" JTI "\"", rows[i].more,
		    &out), rows[i].rc);
		if (rows[i].rc == 0) {
			CU_ASSERT_EQUAL(out.role_style, rows[i].rs);
		}
	}
	/* What token_issue writes for a login by email reads back. */
	claims_init(&c);
	c.role_style = 1;
	tok = token_issue(secret, SECRETLEN, &c, NOW, TTL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(token_verify(secret, SECRETLEN, tok, NOW, &out), 0);
	CU_ASSERT_EQUAL(out.role_style, 1);
	free(tok);
}

static void
test_token_nbf_gen_jti_claims(void)
{
	static const struct {
		const char	*gen, *jti, *more;
		int		 rc;
	} rows[] = {
		/* nbf: an integer, not past now + leeway. */
		{ "3", "\"" JTI "\"", ",\"nbf\":1700000060", 0 },
		{ "3", "\"" JTI "\"", ",\"nbf\":1600000000", 0 },
		{ "3", "\"" JTI "\"", ",\"nbf\":1700000061", -1 },
		{ "3", "\"" JTI "\"", ",\"nbf\":\"1600000000\"", -1 },
		{ "3", "\"" JTI "\"", ",\"nbf\":1.5", -1 },
		/* gen: an integer >= 0 that json-c did not saturate. */
		{ "0", "\"" JTI "\"", "", 0 },
		{ "-1", "\"" JTI "\"", "", -1 },
		{ "9223372036854775807", "\"" JTI "\"", "", -1 },
		{ "-9223372036854775808", "\"" JTI "\"", "", -1 },
		/* jti: 32 lower-case hex digits exactly. */
		{ "3", "\"0123456789ABCDEF0123456789abcdef\"", "", -1 },
		{ "3", "\"0123456789abcdef0123456789abcde\"", "", -1 },
		{ "3", "\"0123456789abcdef0123456789abcdef0\"", "", -1 },
		{ "3", "\"0123456789abcdeg0123456789abcdef\"", "", -1 },
		{ "3", "\"0123456789abcde/0123456789abcdef\"", "", -1 },
		{ "3", "\"0123456789abcde:0123456789abcdef\"", "", -1 },
		{ "3", "32", "", -1 },
		/* Nested deeper than a request body may be: not parsed. */
		{ "3", "\"" JTI "\"", ",\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		    "[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", -1 },
	};
	struct token_claims	 out;
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CU_ASSERT_EQUAL(verify_with(rows[i].gen, rows[i].jti,
		    rows[i].more, &out), rows[i].rc);
}

static void
test_token_issue_bounds(void)
{
	struct token_claims	 c;
	char			*tok;

	/* A username or role that fills its buffer has no room for NUL. */
	claims_init(&c);
	memset(c.username, 'u', sizeof(c.username));
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c, NOW, TTL));
	claims_init(&c);
	memset(c.role, 'r', sizeof(c.role));
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c, NOW, TTL));
	claims_init(&c);
	memset(c.username, 'u', sizeof(c.username) - 1);
	c.username[sizeof(c.username) - 1] = '\0';
	tok = token_issue(secret, SECRETLEN, &c, NOW, TTL);
	CU_ASSERT_PTR_NOT_NULL(tok);
	free(tok);
	claims_init(&c);
	c.gen = -1;
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c, NOW, TTL));
	claims_init(&c);
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c, -1, TTL));
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c, NOW, -5));
	CU_ASSERT_PTR_NULL(token_issue(secret, SECRETLEN, &c,
	    (time_t)LONG_MAX - TTL + 1, TTL));
	CU_ASSERT_PTR_NULL(token_issue(NULL, SECRETLEN, &c, NOW, TTL));
	/* Nowhere to put the claims: refused before any work. */
	tok = issue();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(token_verify(secret, SECRETLEN, tok, NOW, NULL), -1);
	free(tok);
}

int
suite_token(void)
{
	static const struct unit_test tests[] = {
		{ "roundtrip", test_token_roundtrip },
		{ "jti unique", test_token_jti_unique },
		{ "handbuilt valid accepted",
		    test_token_handbuilt_valid_accepted },
		{ "tampered payload", test_token_tampered_payload },
		{ "tampered signature", test_token_tampered_signature },
		{ "signature removed", test_token_signature_removed },
		{ "wrong secret", test_token_wrong_secret },
		{ "alg none", test_token_alg_none },
		{ "hs512", test_token_hs512 },
		{ "hs384", test_token_hs384 },
		{ "missing exp", test_token_missing_exp },
		{ "missing iat", test_token_missing_iat },
		{ "exp string", test_token_exp_string },
		{ "exp float", test_token_exp_float },
		{ "exp other types", test_token_exp_other_types },
		{ "iat not integer", test_token_iat_not_integer },
		{ "expired", test_token_expired },
		{ "iat future refused", test_token_iat_future_refused },
		{ "iat within leeway", test_token_iat_within_leeway },
		{ "nbf future", test_token_nbf_future },
		{ "missing claims", test_token_missing_claims },
		{ "sub invalid", test_token_sub_invalid },
		{ "short secret issue", test_token_short_secret_issue },
		{ "short secret verify", test_token_short_secret_verify },
		{ "issue invalid claims", test_token_issue_invalid_claims },
		{ "garbage", test_token_garbage },
		{ "over max refused", test_token_over_max_refused },
		{ "role style", test_token_role_style },
		{ "nbf gen jti claims", test_token_nbf_gen_jti_claims },
		{ "issue bounds", test_token_issue_bounds },
	};

	return UNIT_SUITE("token", tests);
}
