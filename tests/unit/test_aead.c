/*
 * util/aead: AES-256-GCM sealing of secrets at rest.  Every changed
 * byte, a shortened tag, another AAD, key or version must fail to open.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <openssl/evp.h>

#include "suites.h"
#include "util/aead.h"

#define HEX_A "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define HEX_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
#define AAD "integration:42:webhook_url:v1"
#define MSG "\"https://hooks.slack.com/services/T000/B000/XXXX\""

static struct aead_key
key_of(const char *hex, int version)
{
	struct aead_key	 k;

	CU_ASSERT_FATAL(aead_key_from_hex(&k, hex, version) == 0);
	return k;
}

static char *
seal_msg(const struct aead_key *k)
{
	char	*s = aead_seal(k, AAD, strlen(AAD), MSG, strlen(MSG));

	CU_ASSERT_FATAL(s != NULL);
	return s;
}

/* Open with one key; 0 if it opened (and gave MSG back), -1 if not. */
static int
open_msg(const struct aead_key *k, const char *sealed, const char *aad)
{
	unsigned char	*pt;
	size_t		 len;
	int		 rc;

	rc = aead_open(k, 1, sealed, aad, strlen(aad), &pt, &len);
	if (rc == 0) {
		CU_ASSERT(len == strlen(MSG) && memcmp(pt, MSG, len) == 0);
		free(pt);
	} else
		CU_ASSERT(pt == NULL);
	return rc;
}

/* The raw iv||ct||tag of a sealed text (after "vN:"). */
static unsigned char *
raw_of(const char *sealed, size_t *n)
{
	const char	*b = strchr(sealed, ':') + 1;
	size_t		 blen = strlen(b);
	unsigned char	*raw = malloc(blen);
	int		 len;

	CU_ASSERT_FATAL(raw != NULL);
	len = EVP_DecodeBlock(raw, (const unsigned char *)b, (int)blen);
	CU_ASSERT_FATAL(len >= 0);
	*n = (size_t)len - (b[blen - 1] == '=') - (b[blen - 2] == '=');
	return raw;
}

/* "v<version>:" + base64 of raw[0..n). */
static char *
sealed_of(int version, const unsigned char *raw, size_t n)
{
	char	*s = malloc(16 + (n + 2) / 3 * 4 + 1);
	int	 off;

	CU_ASSERT_FATAL(s != NULL);
	off = snprintf(s, 16, "v%d:", version);
	EVP_EncodeBlock((unsigned char *)s + off, raw, (int)n);
	return s;
}

/* Flip one bit at raw offset at and reassemble. */
static char *
flipped(const char *sealed, size_t at)
{
	unsigned char	*raw;
	size_t		 n;
	char		*s;

	raw = raw_of(sealed, &n);
	CU_ASSERT_FATAL(at < n);
	raw[at] ^= 0x01;
	s = sealed_of(aead_version(sealed), raw, n);
	free(raw);
	return s;
}

static void
test_aead_round_trip(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*s = seal_msg(&k);

	CU_ASSERT(strncmp(s, "v1:", 3) == 0);
	CU_ASSERT(strstr(s, "hooks.slack.com") == NULL);
	CU_ASSERT(open_msg(&k, s, AAD) == 0);
	free(s);
}

static void
test_aead_layout(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*s = seal_msg(&k);
	size_t		 n;
	unsigned char	*raw = raw_of(s, &n);

	CU_ASSERT(n == AEAD_IV_LEN + strlen(MSG) + AEAD_TAG_LEN);
	free(raw);
	free(s);
}

static void
test_aead_empty_plaintext(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	unsigned char	*pt;
	size_t		 len = 99;
	char		*s;

	s = aead_seal(&k, NULL, 0, "", 0);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(aead_open(&k, 1, s, NULL, 0, &pt, &len) == 0);
	CU_ASSERT(len == 0 && pt != NULL && pt[0] == '\0');
	free(pt);
	free(s);
}

static void
test_aead_iv_differs(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*a = seal_msg(&k), *b = seal_msg(&k);
	unsigned char	*ra, *rb;
	size_t		 na, nb;

	ra = raw_of(a, &na);
	rb = raw_of(b, &nb);
	CU_ASSERT(strcmp(a, b) != 0);
	CU_ASSERT(memcmp(ra, rb, AEAD_IV_LEN) != 0);
	free(ra);
	free(rb);
	free(a);
	free(b);
}

static void
test_aead_tampered_iv(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*s = seal_msg(&k), *t = flipped(s, 0);

	CU_ASSERT(open_msg(&k, t, AAD) == -1);
	free(t);
	free(s);
}

static void
test_aead_tampered_ciphertext(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*s = seal_msg(&k), *t = flipped(s, AEAD_IV_LEN + 3);

	CU_ASSERT(open_msg(&k, t, AAD) == -1);
	free(t);
	free(s);
}

static void
test_aead_tampered_tag(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*s = seal_msg(&k);
	char		*t = flipped(s, AEAD_IV_LEN + strlen(MSG) + AEAD_TAG_LEN - 1);

	CU_ASSERT(open_msg(&k, t, AAD) == -1);
	free(t);
	free(s);
}

/* Every shorter tag, down to none and below: refused. */
static void
test_aead_truncated_tag(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*s = seal_msg(&k), *t;
	unsigned char	*raw;
	size_t		 n, cut;

	raw = raw_of(s, &n);
	for (cut = 1; cut <= AEAD_TAG_LEN + 4; cut++) {
		t = sealed_of(1, raw, n - cut);
		CU_ASSERT(open_msg(&k, t, AAD) == -1);
		free(t);
	}
	/* Too short to hold an IV and a tag at all. */
	t = sealed_of(1, raw, AEAD_IV_LEN + AEAD_TAG_LEN - 1);
	CU_ASSERT(open_msg(&k, t, AAD) == -1);
	free(t);
	free(raw);
	free(s);
}

static void
test_aead_wrong_aad(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*s = seal_msg(&k);

	CU_ASSERT(open_msg(&k, s, "integration:43:webhook_url:v1") == -1);
	CU_ASSERT(open_msg(&k, s, "integration:42:token:v1") == -1);
	CU_ASSERT(open_msg(&k, s, "") == -1);
	free(s);
}

static void
test_aead_wrong_key(void)
{
	struct aead_key	 a = key_of(HEX_A, 1), b = key_of(HEX_B, 1);
	char		*s = seal_msg(&a);

	CU_ASSERT(open_msg(&b, s, AAD) == -1);
	free(s);
}

static void
test_aead_unknown_version(void)
{
	struct aead_key	 k1 = key_of(HEX_A, 1), k2 = key_of(HEX_A, 2);
	char		*s = seal_msg(&k1);
	unsigned char	*pt;
	size_t		 len;

	CU_ASSERT(aead_version(s) == 1);
	/* The same key bytes under another version number: still refused. */
	CU_ASSERT(open_msg(&k2, s, AAD) == -1);
	CU_ASSERT(aead_open(&k1, 0, s, AAD, strlen(AAD), &pt, &len) == -1);
	free(s);
}

/* A keyring after a rotation: each value opens with its own version's key. */
static void
test_aead_keyring(void)
{
	struct aead_key	 ring[2] = { key_of(HEX_B, 2), key_of(HEX_A, 1) };
	char		*old = seal_msg(&ring[1]), *new = seal_msg(&ring[0]);
	unsigned char	*pt;
	size_t		 len;

	CU_ASSERT(aead_version(new) == 2);
	CU_ASSERT(aead_open(ring, 2, old, AAD, strlen(AAD), &pt, &len) == 0);
	free(pt);
	CU_ASSERT(aead_open(ring, 2, new, AAD, strlen(AAD), &pt, &len) == 0);
	free(pt);
	free(old);
	free(new);
}

/* The version prefix is part of what is authenticated only through the AAD. */
static void
test_aead_relabelled_version(void)
{
	struct aead_key	 ring[2] = { key_of(HEX_A, 1), key_of(HEX_B, 2) };
	char		*s = seal_msg(&ring[0]);

	s[1] = '2';
	CU_ASSERT(open_msg(&ring[1], s, AAD) == -1);
	free(s);
}

static void
test_aead_malformed(void)
{
	static const char *const bad[] = {
		"", "v1", "v1:", "1:AAAA", "v0:AAAA", "v01:AAAA", "v-1:AAAA",
		"v1234567890:AAAA", "V1:AAAA", "v1:AAA", "v1:AA=A", "v1:A===",
		"v1:AAAA AAAA", "v1:AAA\n", "v1:****",
	};
	struct aead_key	 k = key_of(HEX_A, 1);
	unsigned char	*pt;
	size_t		 i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT(aead_open(&k, 1, bad[i], NULL, 0, &pt, &len) == -1);
	CU_ASSERT(aead_open(&k, 1, NULL, NULL, 0, &pt, &len) == -1);
	CU_ASSERT(aead_version("v12:x") == 12);
	CU_ASSERT(aead_version("v0:x") == -1);
	CU_ASSERT(aead_version("12:x") == -1);
}

/* Non-zero bits under the padding would give a second spelling: refused. */
static void
test_aead_noncanonical_base64(void)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*s = seal_msg(&k);
	size_t		 n = strlen(s), last;
	unsigned char	*pt;
	size_t		 len;

	/* MSG gives 12 + 49 + 16 = 77 bytes: one padding character. */
	CU_ASSERT_FATAL(s[n - 1] == '=' && s[n - 2] != '=');
	last = (size_t)(strchr(alphabet, s[n - 2]) - alphabet);
	CU_ASSERT_FATAL(last % 4 == 0);
	/* The same bytes decoded leniently, but a different text. */
	s[n - 2] = alphabet[last + 1];
	CU_ASSERT(aead_open(&k, 1, s, AAD, strlen(AAD), &pt, &len) == -1);
	free(s);
}

/*
 * Exactly the 64 digits decode, each to its own value: with any other
 * byte in a digit's place a sealed value does not open.  (A byte taken
 * for the digit it replaced would decode to the same bytes and open.)
 * Values are sealed until their first digit has been each of the 64.
 */
static void
test_aead_base64_digits(void)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct aead_key	 k = key_of(HEX_A, 1);
	char		*seen[64] = { NULL };
	size_t		 nseen = 0, i, tries;
	int		 b, opened;

	for (tries = 0; nseen < 64 && tries < 100000; tries++) {
		char	*s = seal_msg(&k);

		i = (size_t)(strchr(alphabet, s[3]) - alphabet);
		if (seen[i] == NULL) {
			seen[i] = s;
			nseen++;
		} else
			free(s);
	}
	CU_ASSERT_FATAL(nseen == 64);
	for (i = 0; i < 64; i++) {
		CU_ASSERT(open_msg(&k, seen[i], AAD) == 0);
		opened = 0;
		for (b = 1; b < 256; b++) {
			if (b == alphabet[i])
				continue;
			seen[i][3] = (char)b;
			opened += open_msg(&k, seen[i], AAD) == 0;
		}
		CU_ASSERT(opened == 0);
		free(seen[i]);
	}
}

static void
test_aead_key_from_hex(void)
{
	struct aead_key	 k;

	CU_ASSERT(aead_key_from_hex(&k, HEX_A, 1) == 0);
	CU_ASSERT(k.version == 1 && k.key[0] == 0x00 && k.key[31] == 0x1f);
	CU_ASSERT(aead_key_from_hex(&k, HEX_A, 0) == -1);
	CU_ASSERT(aead_key_from_hex(&k, "abcd", 1) == -1);
	CU_ASSERT(aead_key_from_hex(&k, HEX_A "00", 1) == -1);
	CU_ASSERT(aead_key_from_hex(&k, NULL, 1) == -1);
	CU_ASSERT(aead_key_from_hex(&k,
	    "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	    1) == -1);
}

static void
test_aead_seal_refused(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);

	CU_ASSERT_PTR_NULL(aead_seal(NULL, AAD, strlen(AAD), MSG, strlen(MSG)));
	/* A plaintext or AAD past its cap is refused before it is read. */
	CU_ASSERT_PTR_NULL(aead_seal(&k, AAD, strlen(AAD), MSG,
	    (size_t)AEAD_PT_MAX + 1));
	CU_ASSERT_PTR_NULL(aead_seal(&k, AAD, (size_t)AEAD_AAD_MAX + 1, MSG,
	    strlen(MSG)));
	k.version = 0;
	CU_ASSERT_PTR_NULL(aead_seal(&k, AAD, strlen(AAD), MSG, strlen(MSG)));
	k.version = AEAD_VERSION_MAX + 1;
	CU_ASSERT_PTR_NULL(aead_seal(&k, AAD, strlen(AAD), MSG, strlen(MSG)));
	CU_ASSERT_EQUAL(aead_key_from_hex(&k, HEX_A, AEAD_VERSION_MAX + 1), -1);
}

/* The largest version fits its prefix, and opens. */
static void
test_aead_version_max(void)
{
	struct aead_key	 k = key_of(HEX_A, AEAD_VERSION_MAX);
	char		*s = seal_msg(&k);

	CU_ASSERT(strncmp(s, "v999999999:", 11) == 0);
	CU_ASSERT_EQUAL(aead_version(s), AEAD_VERSION_MAX);
	CU_ASSERT(open_msg(&k, s, AAD) == 0);
	free(s);
	CU_ASSERT_EQUAL(aead_version("va:AAAA"), -1);
	CU_ASSERT_EQUAL(aead_version("v9:"), 9);
	CU_ASSERT_EQUAL(aead_version(NULL), -1);
}

/* No AAD and no plaintext: two padding characters, both directions. */
static void
test_aead_empty_both(void)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct aead_key	 k = key_of(HEX_A, 1);
	unsigned char	*pt;
	size_t		 len = 99, n, last;
	char		*s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s = aead_seal(&k, NULL, 0, NULL, 0));
	n = strlen(s);
	CU_ASSERT_FATAL(s[n - 1] == '=' && s[n - 2] == '=');
	CU_ASSERT_EQUAL(aead_open(&k, 1, s, NULL, 0, &pt, &len), 0);
	CU_ASSERT_EQUAL(len, 0);
	CU_ASSERT_EQUAL(pt[0], '\0');
	free(pt);
	/* Bits under the "==" set: a second spelling, refused. */
	last = (size_t)(strchr(alphabet, s[n - 3]) - alphabet);
	CU_ASSERT_FATAL(last % 16 == 0);
	s[n - 3] = alphabet[last + 1];
	CU_ASSERT_EQUAL(aead_open(&k, 1, s, NULL, 0, &pt, &len), -1);
	CU_ASSERT_PTR_NULL(pt);
	free(s);
}

static void
test_aead_open_oversized(void)
{
	struct aead_key	 k = key_of(HEX_A, 1);
	unsigned char	*pt;
	size_t		 len, n;
	char		*s = seal_msg(&k), *big;

	CU_ASSERT_EQUAL(aead_open(&k, 1, s, AAD, (size_t)AEAD_AAD_MAX + 1,
	    &pt, &len), -1);
	free(s);
	/* Longer than the largest plaintext's sealed text: not decoded. */
	n = (AEAD_IV_LEN + AEAD_PT_MAX + AEAD_TAG_LEN + 2) / 3 * 4 + 4;
	CU_ASSERT_PTR_NOT_NULL_FATAL(big = malloc(n + 4));
	memcpy(big, "v1:", 3);
	memset(big + 3, 'A', n);
	big[n + 3] = '\0';
	CU_ASSERT_EQUAL(aead_open(&k, 1, big, NULL, 0, &pt, &len), -1);
	free(big);
}

int
suite_aead(void)
{
	static const struct unit_test tests[] = {
		{ "round trip", test_aead_round_trip },
		{ "layout iv|ct|tag", test_aead_layout },
		{ "empty plaintext", test_aead_empty_plaintext },
		{ "iv differs per seal", test_aead_iv_differs },
		{ "tampered iv", test_aead_tampered_iv },
		{ "tampered ciphertext", test_aead_tampered_ciphertext },
		{ "tampered tag", test_aead_tampered_tag },
		{ "truncated tag", test_aead_truncated_tag },
		{ "wrong aad", test_aead_wrong_aad },
		{ "wrong key", test_aead_wrong_key },
		{ "unknown version", test_aead_unknown_version },
		{ "keyring by version", test_aead_keyring },
		{ "relabelled version", test_aead_relabelled_version },
		{ "malformed sealed text", test_aead_malformed },
		{ "non-canonical base64", test_aead_noncanonical_base64 },
		{ "base64 digits", test_aead_base64_digits },
		{ "key from hex", test_aead_key_from_hex },
		{ "seal refused", test_aead_seal_refused },
		{ "version max", test_aead_version_max },
		{ "empty aad and plaintext", test_aead_empty_both },
		{ "open oversized", test_aead_open_oversized },
	};

	return UNIT_SUITE("aead", tests);
}
