/*
 * core/credential: the shape of API keys ("rk_") and vault tokens
 * ("tok_") + 32 base62, their generation (unique, base62 only, every
 * character about as likely), strict shape checks, and the HMACs they
 * are stored as.
 *
 * The expected HMAC-SHA256 values were computed outside resilops, with
 * both openssl(1) and Python's hmac module agreeing:
 *   printf '%s' 'resilops credentials v1' |
 *       openssl dgst -sha256 -hmac 'unit-test-audit-key'
 *   printf '%s' 'resilops credentials v1' |
 *       openssl dgst -sha256 -mac HMAC -macopt hexkey:00
 *       (an empty HMAC key pads to the same block as one zero byte)
 *   printf '%s' KEY | openssl dgst -sha256 -mac HMAC -macopt hexkey:SECRET
 *   python3 -c 'import hmac,hashlib; print(hmac.new(k, m,
 *       hashlib.sha256).hexdigest())'
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/credential.h"
#include "suites.h"
#include "util/crypto.h"

#define NMADE		8000	/* keys made for the statistical tests */
#define RANDOM_A	"0123456789abcdefghijABCDEFGHIJkl"	/* 32 base62 */
#define RANDOM_B	"ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvu"

/* HMAC-SHA256("unit-test-audit-key", "resilops credentials v1") */
#define SECRET_TEST \
	"8d1323aaa3617fc7ca3a785b9b034657bdc4dffe496f5c81e802e55f91cd91b8"
/* HMAC-SHA256("", "resilops credentials v1") */
#define SECRET_EMPTY \
	"9da8d7992f28fb162be182095b189998c769fd42adf6f65e2b30c32d8af47e69"
/* HMAC-SHA256(SECRET_TEST, "rk_" RANDOM_A) */
#define HASH_KEY \
	"df5fbe2c658d1f53064814cb1f28f9dee69fda9d354676171ac9f070e86c2416"
/* HMAC-SHA256(bytes 00..1f, "tok_" RANDOM_B) */
#define HASH_TOKEN \
	"60432852d84237942c783a9833f862d71ed2dc336b01f3f1c17766fa36c86c8f"
/* HMAC-SHA256(bytes 00..1f, "") */
#define HASH_EMPTY \
	"d38b42096d80f45f826b44a9d5607de72496a415d3f4a1a8c88e3bb9da8dc1cb"

static const char base62[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void
hex(const unsigned char h[CREDENTIAL_HASH_LEN],
    char out[2 * CREDENTIAL_HASH_LEN + 1])
{
	crypto_hex(h, CREDENTIAL_HASH_LEN, out);
}

/* The secret as bytes 00, 01, ..., 1f, in a buffer of exactly that size. */
static unsigned char *
counting_secret(void)
{
	unsigned char	*s;
	size_t		 i;

	if ((s = malloc(CREDENTIAL_HASH_LEN)) == NULL)
		return NULL;
	for (i = 0; i < CREDENTIAL_HASH_LEN; i++)
		s[i] = (unsigned char)i;
	return s;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void
test_credential_make_api_key(void)
{
	char	 out[CREDENTIAL_MAX + 1];

	CU_ASSERT_EQUAL_FATAL(credential_make(APIKEY_PREFIX, out), 0);
	CU_ASSERT_EQUAL(strlen(out), 3 + CREDENTIAL_RANDOM);
	CU_ASSERT_EQUAL(strncmp(out, "rk_", 3), 0);
	CU_ASSERT_EQUAL(strspn(out + 3, base62), CREDENTIAL_RANDOM);
	CU_ASSERT_TRUE(credential_shape_ok(out, APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok(out, TOKEN_PREFIX));
}

static void
test_credential_make_token(void)
{
	char	 out[CREDENTIAL_MAX + 1];

	CU_ASSERT_EQUAL_FATAL(credential_make(TOKEN_PREFIX, out), 0);
	CU_ASSERT_EQUAL(strlen(out), 4 + CREDENTIAL_RANDOM);
	CU_ASSERT_EQUAL(strncmp(out, "tok_", 4), 0);
	CU_ASSERT_EQUAL(strspn(out + 4, base62), CREDENTIAL_RANDOM);
	CU_ASSERT_TRUE(credential_shape_ok(out, TOKEN_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok(out, APIKEY_PREFIX));
}

static void
test_credential_make_prefix_bounds(void)
{
	char	 out[CREDENTIAL_MAX + 1];

	/* The longest prefix that fits fills the buffer exactly ... */
	CU_ASSERT_EQUAL_FATAL(credential_make("abcdefg_", out), 0);
	CU_ASSERT_EQUAL(strlen(out), CREDENTIAL_MAX);
	CU_ASSERT_TRUE(credential_shape_ok(out, "abcdefg_"));
	/* ... one more is refused before anything is written. */
	memset(out, 'X', sizeof(out));
	CU_ASSERT_EQUAL(credential_make("abcdefgh_", out), -1);
	CU_ASSERT_EQUAL(out[0], 'X');
	CU_ASSERT_EQUAL(out[CREDENTIAL_MAX], 'X');
	/* No prefix: just the random part. */
	CU_ASSERT_EQUAL_FATAL(credential_make("", out), 0);
	CU_ASSERT_EQUAL(strlen(out), CREDENTIAL_RANDOM);
	CU_ASSERT_EQUAL(strspn(out, base62), CREDENTIAL_RANDOM);
}

static void
test_credential_make_unique(void)
{
	char	(*made)[CREDENTIAL_MAX + 1];
	size_t	 i, dup = 0;
	int	 rc = 0;

	made = calloc(NMADE, sizeof(*made));
	CU_ASSERT_PTR_NOT_NULL_FATAL(made);
	for (i = 0; i < NMADE; i++)
		rc |= credential_make(APIKEY_PREFIX, made[i]);
	CU_ASSERT_EQUAL(rc, 0);
	qsort(made, NMADE, sizeof(*made), cmp_str);
	for (i = 1; i < NMADE; i++)
		if (strcmp(made[i - 1], made[i]) == 0)
			dup++;
	CU_ASSERT_EQUAL(dup, 0);
	free(made);
}

static void
test_credential_make_alphabet_uniform(void)
{
	char	 out[CREDENTIAL_MAX + 1];
	long	 count[256] = { 0 };
	size_t	 i, j, outside = 0, low = 0, high = 0;
	long	 expect = (long)NMADE * CREDENTIAL_RANDOM / 62;

	for (i = 0; i < NMADE; i++) {
		if (credential_make(TOKEN_PREFIX, out) == -1)
			break;
		for (j = 4; out[j] != '\0'; j++)
			count[(unsigned char)out[j]]++;
	}
	CU_ASSERT_EQUAL_FATAL(i, NMADE);
	for (i = 0; i < 256; i++)
		if (count[i] > 0 && strchr(base62, (int)i) == NULL)
			outside++;
	CU_ASSERT_EQUAL(outside, 0);
	/*
	 * 256000 characters, about 4129 of each (sd 64).  Every one must
	 * appear, and within 8% (over 5 sd) of its share: a plain
	 * byte % 62 would give 0-7 25% more than the rest.
	 */
	for (i = 0; i < sizeof(base62) - 1; i++) {
		j = (unsigned char)base62[i];
		if (count[j] < expect - expect * 8 / 100)
			low++;
		if (count[j] > expect + expect * 8 / 100)
			high++;
	}
	CU_ASSERT_EQUAL(low, 0);
	CU_ASSERT_EQUAL(high, 0);
}

static void
test_credential_shape_accepts(void)
{

	CU_ASSERT_TRUE(credential_shape_ok("rk_" RANDOM_A, APIKEY_PREFIX));
	CU_ASSERT_TRUE(credential_shape_ok("tok_" RANDOM_B, TOKEN_PREFIX));
	/* The ends of each range. */
	CU_ASSERT_TRUE(credential_shape_ok(
	    "rk_09azAZ09azAZ09azAZ09azAZ09azAZ09", APIKEY_PREFIX));
	CU_ASSERT_TRUE(credential_shape_ok(
	    "tok_0000000000000000000000000000ZZzz", TOKEN_PREFIX));
}

static void
test_credential_shape_wrong_prefix(void)
{

	CU_ASSERT_FALSE(credential_shape_ok("RK_" RANDOM_A, APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("rk-" RANDOM_A, APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("xk_" RANDOM_A, APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok(" rk_" RANDOM_A, APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("TOK_" RANDOM_B, TOKEN_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("tk_" RANDOM_B "x", TOKEN_PREFIX));
	/* Right length, other kind. */
	CU_ASSERT_FALSE(credential_shape_ok("rk_" RANDOM_A, TOKEN_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("tok_" RANDOM_B, APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("tok" RANDOM_B, TOKEN_PREFIX));
}

static void
test_credential_shape_wrong_length(void)
{

	CU_ASSERT_FALSE(credential_shape_ok(NULL, APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("", APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("rk_", APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("tok_", TOKEN_PREFIX));
	/* 31 and 33 characters. */
	CU_ASSERT_FALSE(credential_shape_ok(
	    "rk_0123456789abcdefghijABCDEFGHIJk", APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("rk_" RANDOM_A "m", APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok(
	    "tok_ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwv", TOKEN_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("tok_" RANDOM_B "0", TOKEN_PREFIX));
	/* What a header line or a careless copy adds. */
	CU_ASSERT_FALSE(credential_shape_ok("rk_" RANDOM_A "\n",
	    APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("rk_" RANDOM_A " ", APIKEY_PREFIX));
	CU_ASSERT_FALSE(credential_shape_ok("rk_" RANDOM_A RANDOM_A,
	    APIKEY_PREFIX));
}

static void
test_credential_shape_wrong_characters(void)
{
	/* Each next to a base62 range, or what base64 and URLs use. */
	static const char	 bad[] = "/:@[`{_-+=. \t\x7f\x80\xc3\xff";
	char			 s[CREDENTIAL_MAX + 1];
	size_t			 i, at, accepted = 0;
	static const size_t	 where[] = { 3, 10, 3 + CREDENTIAL_RANDOM - 1 };

	for (i = 0; bad[i] != '\0'; i++)
		for (at = 0; at < sizeof(where) / sizeof(where[0]); at++) {
			memcpy(s, "rk_" RANDOM_A, sizeof("rk_" RANDOM_A));
			s[where[at]] = bad[i];
			if (credential_shape_ok(s, APIKEY_PREFIX))
				accepted++;
		}
	CU_ASSERT_EQUAL(accepted, 0);
	/* The same place with a good character passes: only bad[] failed. */
	memcpy(s, "rk_" RANDOM_A, sizeof("rk_" RANDOM_A));
	s[10] = 'Q';
	CU_ASSERT_TRUE(credential_shape_ok(s, APIKEY_PREFIX));
}

static void
test_credential_shape_embedded_nul(void)
{
	char	 s[] = "tok_" RANDOM_B;

	s[20] = '\0';
	CU_ASSERT_FALSE(credential_shape_ok(s, TOKEN_PREFIX));
}

static void
test_credential_secret_known(void)
{
	unsigned char	 secret[CREDENTIAL_HASH_LEN];
	char		 h[2 * CREDENTIAL_HASH_LEN + 1];

	CU_ASSERT_EQUAL_FATAL(credential_secret("unit-test-audit-key", secret),
	    0);
	hex(secret, h);
	CU_ASSERT_STRING_EQUAL(h, SECRET_TEST);
	CU_ASSERT_EQUAL_FATAL(credential_secret("", secret), 0);
	hex(secret, h);
	CU_ASSERT_STRING_EQUAL(h, SECRET_EMPTY);
}

static void
test_credential_secret_differs_by_key(void)
{
	unsigned char	 a[CREDENTIAL_HASH_LEN], b[CREDENTIAL_HASH_LEN];

	CU_ASSERT_EQUAL_FATAL(credential_secret("unit-test-audit-key", a), 0);
	CU_ASSERT_EQUAL_FATAL(credential_secret("unit-test-audit-kez", b), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, sizeof(a)), 0);
}

static void
test_credential_hash_known(void)
{
	unsigned char	 secret[CREDENTIAL_HASH_LEN], out[CREDENTIAL_HASH_LEN];
	unsigned char	*counting;
	char		 h[2 * CREDENTIAL_HASH_LEN + 1];

	CU_ASSERT_EQUAL_FATAL(credential_secret("unit-test-audit-key", secret),
	    0);
	CU_ASSERT_EQUAL_FATAL(credential_hash(secret, "rk_" RANDOM_A, out), 0);
	hex(out, h);
	CU_ASSERT_STRING_EQUAL(h, HASH_KEY);

	/* A heap secret of exactly 32 bytes: valgrind sees any overread. */
	counting = counting_secret();
	CU_ASSERT_PTR_NOT_NULL_FATAL(counting);
	CU_ASSERT_EQUAL(credential_hash(counting, "tok_" RANDOM_B, out), 0);
	hex(out, h);
	CU_ASSERT_STRING_EQUAL(h, HASH_TOKEN);
	CU_ASSERT_EQUAL(credential_hash(counting, "", out), 0);
	hex(out, h);
	CU_ASSERT_STRING_EQUAL(h, HASH_EMPTY);
	free(counting);
}

static void
test_credential_hash_deterministic(void)
{
	unsigned char	 secret[CREDENTIAL_HASH_LEN];
	unsigned char	 a[CREDENTIAL_HASH_LEN], b[CREDENTIAL_HASH_LEN];
	char		 key[CREDENTIAL_MAX + 1];

	CU_ASSERT_EQUAL_FATAL(credential_secret("unit-test-audit-key", secret),
	    0);
	CU_ASSERT_EQUAL_FATAL(credential_make(APIKEY_PREFIX, key), 0);
	CU_ASSERT_EQUAL_FATAL(credential_hash(secret, key, a), 0);
	CU_ASSERT_EQUAL_FATAL(credential_hash(secret, key, b), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, sizeof(a)), 0);
	CU_ASSERT_TRUE(crypto_equal(a, b, sizeof(a)));
}

static void
test_credential_hash_differs_by_secret(void)
{
	unsigned char	 s1[CREDENTIAL_HASH_LEN], s2[CREDENTIAL_HASH_LEN];
	unsigned char	 a[CREDENTIAL_HASH_LEN], b[CREDENTIAL_HASH_LEN];

	CU_ASSERT_EQUAL_FATAL(credential_secret("unit-test-audit-key", s1), 0);
	/* The last byte of the secret counts too. */
	memcpy(s2, s1, sizeof(s2));
	s2[CREDENTIAL_HASH_LEN - 1] ^= 0x01;
	CU_ASSERT_EQUAL_FATAL(credential_hash(s1, "rk_" RANDOM_A, a), 0);
	CU_ASSERT_EQUAL_FATAL(credential_hash(s2, "rk_" RANDOM_A, b), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, sizeof(a)), 0);
	CU_ASSERT_FALSE(crypto_equal(a, b, sizeof(a)));
}

static void
test_credential_hash_differs_by_credential(void)
{
	unsigned char	 s[CREDENTIAL_HASH_LEN];
	unsigned char	 a[CREDENTIAL_HASH_LEN], b[CREDENTIAL_HASH_LEN];
	unsigned char	 c[CREDENTIAL_HASH_LEN];

	CU_ASSERT_EQUAL_FATAL(credential_secret("unit-test-audit-key", s), 0);
	CU_ASSERT_EQUAL_FATAL(credential_hash(s, "rk_" RANDOM_A, a), 0);
	/* One character, the last one. */
	CU_ASSERT_EQUAL_FATAL(credential_hash(s,
	    "rk_0123456789abcdefghijABCDEFGHIJkm", b), 0);
	/* The same random part as a token. */
	CU_ASSERT_EQUAL_FATAL(credential_hash(s, "tok_" RANDOM_A, c), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, sizeof(a)), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, c, sizeof(a)), 0);
}

static void
test_credential_hash_not_plain_audit_key(void)
{
	unsigned char	 s[CREDENTIAL_HASH_LEN], a[CREDENTIAL_HASH_LEN];
	unsigned char	 plain[CREDENTIAL_HASH_LEN];
	static const char key[] = "unit-test-audit-key";

	/*
	 * Stored hashes are keyed by the derived secret, not the audit key
	 * itself: an audit MAC of the same text is something else.
	 */
	CU_ASSERT_EQUAL_FATAL(credential_secret(key, s), 0);
	CU_ASSERT_EQUAL_FATAL(credential_hash(s, "rk_" RANDOM_A, a), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_hmac_sha256(key, strlen(key),
	    "rk_" RANDOM_A, strlen("rk_" RANDOM_A), plain), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, plain, sizeof(a)), 0);
}

static const struct unit_test tests[] = {
	{ "test_credential_make_api_key", test_credential_make_api_key },
	{ "test_credential_make_token", test_credential_make_token },
	{ "test_credential_make_prefix_bounds",
	    test_credential_make_prefix_bounds },
	{ "test_credential_make_unique", test_credential_make_unique },
	{ "test_credential_make_alphabet_uniform",
	    test_credential_make_alphabet_uniform },
	{ "test_credential_shape_accepts", test_credential_shape_accepts },
	{ "test_credential_shape_wrong_prefix",
	    test_credential_shape_wrong_prefix },
	{ "test_credential_shape_wrong_length",
	    test_credential_shape_wrong_length },
	{ "test_credential_shape_wrong_characters",
	    test_credential_shape_wrong_characters },
	{ "test_credential_shape_embedded_nul",
	    test_credential_shape_embedded_nul },
	{ "test_credential_secret_known", test_credential_secret_known },
	{ "test_credential_secret_differs_by_key",
	    test_credential_secret_differs_by_key },
	{ "test_credential_hash_known", test_credential_hash_known },
	{ "test_credential_hash_deterministic",
	    test_credential_hash_deterministic },
	{ "test_credential_hash_differs_by_secret",
	    test_credential_hash_differs_by_secret },
	{ "test_credential_hash_differs_by_credential",
	    test_credential_hash_differs_by_credential },
	{ "test_credential_hash_not_plain_audit_key",
	    test_credential_hash_not_plain_audit_key },
};

int
suite_credential(void)
{
	return UNIT_SUITE("credential", tests);
}
