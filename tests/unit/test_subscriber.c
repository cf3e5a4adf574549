/*
 * core/subscriber: the kinds' table, the links' tokens (an HMAC of
 * purpose, id and salt: checked against OpenSSL directly, refused when
 * any part differs or the shape is wrong) and the addresses taken.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <CUnit/CUnit.h>

#include "core/subscriber.h"
#include "suites.h"

static const unsigned char secret[32] = "subscriber-test-secret-32-bytes";
#define SALT "0123456789abcdef0123456789abcdef"

static void
test_subscriber_kinds_round_trip(void)
{
	int	 k;

	for (k = 0; k < SUB_KIND__MAX; k++)
		CU_ASSERT_EQUAL(subscriber_kind_parse(subscriber_kind_name(
		    (enum subscriber_kind)k)), k);
	CU_ASSERT_STRING_EQUAL(subscriber_kind_name(SUB_SLACK), "slack");
	/* Out of range reads as email, the kind that always works. */
	CU_ASSERT_STRING_EQUAL(subscriber_kind_name(SUB_KIND__MAX), "email");
	CU_ASSERT_STRING_EQUAL(subscriber_kind_name((enum subscriber_kind)-1),
	    "email");
	CU_ASSERT_EQUAL(subscriber_kind_parse("Slack"), -1);
	CU_ASSERT_EQUAL(subscriber_kind_parse(""), -1);
	CU_ASSERT_EQUAL(subscriber_kind_parse(NULL), -1);
}

/* The token is "<id>-" and HMAC-SHA256(secret, "purpose:id:salt") in hex. */
static void
test_subscriber_token_is_hmac(void)
{
	char		 tok[SUBSCRIBER_TOKEN_MAX + 1];
	char		 want[SUBSCRIBER_TOKEN_MAX + 1];
	unsigned char	 mac[32];
	unsigned int	 maclen = 0;
	const char	*msg = "confirm:42:" SALT;
	size_t		 i, n;

	CU_ASSERT_EQUAL_FATAL(subscriber_token(secret, SUB_CONFIRM, 42, SALT,
	    tok), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(HMAC(EVP_sha256(), secret, 32,
	    (const unsigned char *)msg, strlen(msg), mac, &maclen));
	n = (size_t)snprintf(want, sizeof(want), "42-");
	for (i = 0; i < maclen; i++)
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%02x", mac[i]);
	CU_ASSERT_STRING_EQUAL(tok, want);
	CU_ASSERT_EQUAL(subscriber_token_id(tok), 42);
	CU_ASSERT_TRUE(subscriber_token_ok(secret, SUB_CONFIRM, 42, SALT, tok));
}

static void
test_subscriber_token_refuses_other_parts(void)
{
	unsigned char	 other[32];
	char		 tok[SUBSCRIBER_TOKEN_MAX + 1];
	char		 t2[SUBSCRIBER_TOKEN_MAX + 2];

	CU_ASSERT_EQUAL_FATAL(subscriber_token(secret, SUB_UNSUBSCRIBE, 7,
	    SALT, tok), 0);
	CU_ASSERT_TRUE(subscriber_token_ok(secret, SUB_UNSUBSCRIBE, 7, SALT,
	    tok));
	CU_ASSERT_FALSE(subscriber_token_ok(secret, SUB_CONFIRM, 7, SALT, tok));
	CU_ASSERT_FALSE(subscriber_token_ok(secret, SUB_UNSUBSCRIBE, 8, SALT,
	    tok));
	CU_ASSERT_FALSE(subscriber_token_ok(secret, SUB_UNSUBSCRIBE, 7,
	    "fedcba9876543210fedcba9876543210", tok));
	memcpy(other, secret, sizeof(other));
	other[0] ^= 1;
	CU_ASSERT_FALSE(subscriber_token_ok(other, SUB_UNSUBSCRIBE, 7, SALT,
	    tok));
	/* One hex digit changed, still well formed. */
	snprintf(t2, sizeof(t2), "%s", tok);
	t2[5] = t2[5] == 'a' ? 'b' : 'a';
	CU_ASSERT_EQUAL(subscriber_token_id(t2), 7);
	CU_ASSERT_FALSE(subscriber_token_ok(secret, SUB_UNSUBSCRIBE, 7, SALT,
	    t2));
	/* No token for an id that is not a row's. */
	CU_ASSERT_EQUAL(subscriber_token(secret, SUB_CONFIRM, 0, SALT, tok), -1);
	CU_ASSERT_EQUAL(subscriber_token(secret, SUB_CONFIRM, -3, SALT, tok),
	    -1);
	CU_ASSERT_FALSE(subscriber_token_ok(secret, SUB_CONFIRM, 0, SALT,
	    "0-"));
}

static void
test_subscriber_token_long_salt_refused(void)
{
	char	 tok[SUBSCRIBER_TOKEN_MAX + 1], salt[200];

	/* The HMAC's message would not fit: no token rather than a cut one. */
	memset(salt, 'a', sizeof(salt) - 1);
	salt[sizeof(salt) - 1] = '\0';
	CU_ASSERT_EQUAL(subscriber_token(secret, SUB_CONFIRM, 1, salt, tok),
	    -1);
	CU_ASSERT_FALSE(subscriber_token_ok(secret, SUB_CONFIRM, 1, salt,
	    "1-0000000000000000000000000000000000000000000000000000000000000000"));
}

static void
test_subscriber_token_id_shape(void)
{
	static const char hex[] =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	/* The id, then so many of hex's digits, then a tail. */
	static const struct {
		const char	*id;
		int		 digits;
		const char	*tail;
		long long	 want;
	} rows[] = {
		{ "12-", 64, "", 12 },
		{ "999999999999999999-", 64, "", 999999999999999999LL },
		/* 19 digits: past any id, refused before it overflows. */
		{ "1000000000000000000-", 64, "", 0 },
		{ "012-", 64, "", 0 },
		{ "-12-", 64, "", 0 },
		{ "12_", 64, "", 0 },
		{ "12-", 64, "0", 0 },
		{ "12-", 63, "", 0 },
		{ "12-", 63, "A", 0 },
		{ "12-", 63, "g", 0 },
		{ "12-", 63, "/", 0 },
		{ "", 0, "", 0 },
		{ "x", 0, "", 0 },
	};
	char	 t[128];
	size_t	 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(t, sizeof(t), "%s%.*s%s", rows[i].id, rows[i].digits,
		    hex, rows[i].tail);
		CU_ASSERT_EQUAL(subscriber_token_id(t), rows[i].want);
	}
	CU_ASSERT_EQUAL(subscriber_token_id(NULL), 0);
}

static void
test_subscriber_email_taken(void)
{
	static const char *const good[] = {
		"a@b.co", "ops@example.com", "first.last@example.com",
		"o+tag@sub.example.com", "x!#$%&*+-/=?^_{|}~@example.com",
		"a@b-c.example", "a@1.2", "A@EXAMPLE.COM",
	};
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CU_ASSERT_TRUE(subscriber_email_ok(good[i]));
		if (!subscriber_email_ok(good[i]))
			fprintf(stderr, "refused: %s\n", good[i]);
	}
}

static void
test_subscriber_email_refused(void)
{
	static const char *const bad[] = {
		"", "a@", "@b.co", "ab", "a@b", "a@@b.co", "a@b@c.co",
		".a@b.co", "a.@b.co", "a..b@b.co", "a b@b.co", "a\"b@b.co",
		"a<b@b.co", "a\\b@b.co", "a\n@b.co", "a@.b.co", "a@b..co",
		"a@b.co.", "a@-b.co", "a@b-.co", "a@b.co-", "a@b_c.co",
		"a@b.c o", "a'b@b.co", "a@b.co\r",
	};
	char	 s[400];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_FALSE(subscriber_email_ok(bad[i]));
		if (subscriber_email_ok(bad[i]))
			fprintf(stderr, "taken: %s\n", bad[i]);
	}
	CU_ASSERT_FALSE(subscriber_email_ok(NULL));
	/* A 64-byte local part is the most. */
	memset(s, 'l', 64);
	snprintf(s + 64, sizeof(s) - 64, "@example.com");
	CU_ASSERT_TRUE(subscriber_email_ok(s));
	memset(s, 'l', 65);
	snprintf(s + 65, sizeof(s) - 65, "@example.com");
	CU_ASSERT_FALSE(subscriber_email_ok(s));
	/* A 63-byte label is the most. */
	memcpy(s, "a@", 2);
	memset(s + 2, 'd', 63);
	snprintf(s + 65, sizeof(s) - 65, ".com");
	CU_ASSERT_TRUE(subscriber_email_ok(s));
	memset(s + 2, 'd', 64);
	snprintf(s + 66, sizeof(s) - 66, ".com");
	CU_ASSERT_FALSE(subscriber_email_ok(s));
	/* 254 bytes in all is the most. */
	memcpy(s, "a@", 2);
	for (i = 2; i < 254; i++)
		s[i] = (i - 2) % 50 == 49 ? '.' : 'd';
	memcpy(s + 250, ".com", 5);
	CU_ASSERT_EQUAL(strlen(s), 254);
	CU_ASSERT_TRUE(subscriber_email_ok(s));
	memcpy(s + 250, "d.com", 6);
	CU_ASSERT_FALSE(subscriber_email_ok(s));
}

static void
test_subscriber_email_fold(void)
{
	char	 out[32];

	subscriber_email_fold("Ops@Example.COM", out);
	CU_ASSERT_STRING_EQUAL(out, "ops@example.com");
	subscriber_email_fold("", out);
	CU_ASSERT_STRING_EQUAL(out, "");
}

static const struct unit_test tests[] = {
	{ "test_subscriber_kinds_round_trip", test_subscriber_kinds_round_trip },
	{ "test_subscriber_token_is_hmac", test_subscriber_token_is_hmac },
	{ "test_subscriber_token_refuses_other_parts",
	    test_subscriber_token_refuses_other_parts },
	{ "test_subscriber_token_long_salt_refused",
	    test_subscriber_token_long_salt_refused },
	{ "test_subscriber_token_id_shape", test_subscriber_token_id_shape },
	{ "test_subscriber_email_taken", test_subscriber_email_taken },
	{ "test_subscriber_email_refused", test_subscriber_email_refused },
	{ "test_subscriber_email_fold", test_subscriber_email_fold },
};

int
suite_subscriber(void)
{
	return UNIT_SUITE("subscriber", tests);
}
