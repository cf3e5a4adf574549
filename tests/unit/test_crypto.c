/*
 * util/crypto: the digests against published vectors (FIPS 180-2's
 * "abc", RFC 4231), hex both ways with its refusals, and base62 strings
 * of any length drawn only from their alphabet.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/crypto.h"

/* out as hex, for comparing with a published vector. */
static const char *
hex_of(const unsigned char *out, size_t n)
{
	static char	 buf[2 * 64 + 1];

	crypto_hex(out, n, buf);
	return buf;
}

static void
test_crypto_sha256_vectors(void)
{
	unsigned char	 out[SHA256_LEN];

	CU_ASSERT_EQUAL(crypto_sha256("abc", 3, out), 0);
	CU_ASSERT_STRING_EQUAL(hex_of(out, sizeof(out)),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* Nothing, with or without a pointer: the empty message's. */
	CU_ASSERT_EQUAL(crypto_sha256(NULL, 0, out), 0);
	CU_ASSERT_STRING_EQUAL(hex_of(out, sizeof(out)),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CU_ASSERT_EQUAL(crypto_sha256("", 0, out), 0);
	CU_ASSERT_STRING_EQUAL(hex_of(out, sizeof(out)),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_crypto_hmac_vectors(void)
{
	static const char	 msg[] = "what do ya want for nothing?";
	unsigned char		 mac[HMAC_SHA256_LEN];

	/* RFC 4231, test case 2. */
	CU_ASSERT_EQUAL(crypto_hmac_sha256("Jefe", 4, msg, strlen(msg), mac),
	    0);
	CU_ASSERT_STRING_EQUAL(hex_of(mac, sizeof(mac)),
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* No key and no message: HMAC of empty strings. */
	CU_ASSERT_EQUAL(crypto_hmac_sha256(NULL, 0, NULL, 0, mac), 0);
	CU_ASSERT_STRING_EQUAL(hex_of(mac, sizeof(mac)),
	    "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
	/* A key longer than OpenSSL takes is refused before it is read. */
	CU_ASSERT_EQUAL(crypto_hmac_sha256("k", (size_t)INT_MAX + 1, msg,
	    strlen(msg), mac), -1);
}

static void
test_crypto_hex_both_ways(void)
{
	static const unsigned char	 in[] = { 0x00, 0x7f, 0x80, 0xab, 0xff };
	unsigned char			 out[5];
	char				 hex[11];

	crypto_hex(in, sizeof(in), hex);
	CU_ASSERT_STRING_EQUAL(hex, "007f80abff");
	CU_ASSERT_EQUAL(crypto_unhex(hex, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(memcmp(in, out, sizeof(in)), 0);
	/* Either case reads. */
	CU_ASSERT_EQUAL(crypto_unhex("007F80ABFF", out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(memcmp(in, out, sizeof(in)), 0);
	CU_ASSERT_EQUAL(crypto_hexval('9'), 9);
	CU_ASSERT_EQUAL(crypto_hexval('f'), 15);
	CU_ASSERT_EQUAL(crypto_hexval('F'), 15);
	CU_ASSERT_EQUAL(crypto_hexval('g'), -1);
	CU_ASSERT_EQUAL(crypto_hexval('G'), -1);
	CU_ASSERT_EQUAL(crypto_hexval('/'), -1);
	CU_ASSERT_EQUAL(crypto_hexval(':'), -1);
	CU_ASSERT_EQUAL(crypto_hexval('@'), -1);
	CU_ASSERT_EQUAL(crypto_hexval('`'), -1);
	CU_ASSERT_EQUAL(crypto_hexval('\0'), -1);
}

static void
test_crypto_unhex_refused(void)
{
	static const char *const bad[] = {
		"007f80abf", "007f80abff00", "007f80abfg", "g07f80abff",
		"007f80ab f", "", " 007f80abff",
	};
	unsigned char	 out[5];
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(out, 0xee, sizeof(out));
		CU_ASSERT_EQUAL(crypto_unhex(bad[i], out, sizeof(out)), -1);
		/* Refused: out is zeroed, not half filled. */
		CU_ASSERT_EQUAL(out[0] | out[1] | out[2] | out[3] | out[4], 0);
	}
	CU_ASSERT_EQUAL(crypto_unhex(NULL, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(crypto_unhex("", out, 0), 0);
}

static void
test_crypto_base62(void)
{
	static const char	 alphabet[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	char			 a[201], b[201];

	/* Longer than one draw of random bytes. */
	CU_ASSERT_EQUAL(crypto_random_base62(a, 200), 0);
	CU_ASSERT_EQUAL(strlen(a), 200);
	CU_ASSERT_EQUAL(strspn(a, alphabet), 200);
	CU_ASSERT_EQUAL(crypto_random_base62(b, 200), 0);
	CU_ASSERT_NOT_EQUAL(strcmp(a, b), 0);
	CU_ASSERT_EQUAL(crypto_random_base62(a, 0), 0);
	CU_ASSERT_STRING_EQUAL(a, "");
	CU_ASSERT_EQUAL(crypto_random(a, 0), 0);
}

static void
test_crypto_equal_and_wipe(void)
{
	char	 buf[8] = "secret", *s;

	CU_ASSERT_TRUE(crypto_equal("abcd", "abcd", 4));
	CU_ASSERT_FALSE(crypto_equal("abcd", "abce", 4));
	CU_ASSERT_TRUE(crypto_equal("abcd", "abce", 3));
	crypto_wipe(buf, sizeof(buf));
	CU_ASSERT_EQUAL(buf[0] | buf[5], 0);
	crypto_wipe(NULL, 8);
	crypto_wipe_free(NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = strdup("password"));
	crypto_wipe_free(s);
}

static const struct unit_test tests[] = {
	{ "test_crypto_sha256_vectors", test_crypto_sha256_vectors },
	{ "test_crypto_hmac_vectors", test_crypto_hmac_vectors },
	{ "test_crypto_hex_both_ways", test_crypto_hex_both_ways },
	{ "test_crypto_unhex_refused", test_crypto_unhex_refused },
	{ "test_crypto_base62", test_crypto_base62 },
	{ "test_crypto_equal_and_wipe", test_crypto_equal_and_wipe },
};

int
suite_crypto(void)
{
	return UNIT_SUITE("crypto", tests);
}
