/*
 * AES-256-GCM through OpenSSL's EVP interface, for secrets at rest.
 * The tag length is fixed at 16 bytes both ways: the sealed form has
 * no length field for an attacker to shorten it with, and a text too
 * short to hold an IV and a full tag is refused before OpenSSL sees it.
 * Base64 decoding is strict (standard alphabet, padding required, no
 * whitespace) so that one sealed value has exactly one spelling.
 */
#include "config.h"

#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "util/aead.h"
#include "util/crypto.h"
#include "util/log.h"

#define AEAD_VERSION_DIGITS 9	/* AEAD_VERSION_MAX */

/*
 * AES-256-GCM as the default provider implements it, fetched once.
 * Handed the legacy EVP_aes_256_gcm(), OpenSSL 3 looks the provider's
 * implementation up again at every EVP_*Init_ex (an implicit fetch, a
 * third of the EVP work of opening a short value: 0.75 -> 0.50 us on
 * this machine), and a list of 100 subscribers opens 100 addresses.
 * Kept for the life of the process; NULL if the fetch failed, and then
 * every seal and open fails at its Init_ex.
 */
static EVP_CIPHER	*gcm;
static pthread_once_t	 gcm_once = PTHREAD_ONCE_INIT;

static void
gcm_fetch(void)
{
	gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}

static const EVP_CIPHER *
gcm_cipher(void)
{
	(void)pthread_once(&gcm_once, gcm_fetch);
	return gcm;
}

int
aead_key_from_hex(struct aead_key *k, const char *hex, int version)
{

	k->version = version;
	if (version < 1 || version > AEAD_VERSION_MAX ||
	    crypto_unhex(hex, k->key, AEAD_KEY_LEN) == -1) {
		crypto_wipe(k, sizeof(*k));
		return -1;
	}
	return 0;
}

/* EVP_EncodeBlock takes an int: the largest sealed buffer fits it. */
static_assert(AEAD_IV_LEN + AEAD_PT_MAX + AEAD_TAG_LEN <= INT_MAX / 4 * 3 - 3,
    "AEAD_PT_MAX must keep a sealed value's base64 within an int");

static char *
b64_encode(const unsigned char *in, size_t n, size_t prefix)
{
	char	*out;

	if ((out = malloc(prefix + (n + 2) / 3 * 4 + 1)) == NULL)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out + prefix, in, (int)n);
	return out;
}

/*
 * Each base64 digit's value plus one; 0 for every other byte ('=' and
 * NUL included).  A lookup: strchr over the alphabet for each byte was
 * about 60 us of a page of 100 subscribers, whose addresses are sealed.
 */
static const unsigned char b64val[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17,
	['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
	['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27,
	['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
	['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
	['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47,
	['v'] = 48, ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52,
	['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
	['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62,
	['+'] = 63, ['/'] = 64,
};

static int
b64_value(char c)
{
	return (int)b64val[(unsigned char)c] - 1;
}

/*
 * Strictly decode s[0..len) into a new buffer; NULL for anything but
 * canonical padded base64 (the unused bits of the last group are 0).
 */
static unsigned char *
b64_decode(const char *s, size_t len, size_t *outlen)
{
	unsigned char	*out;
	size_t		 i, o = 0, pad = 0;
	int		 v[4], j;

	if (len == 0 || len % 4 != 0)
		return NULL;
	if (s[len - 1] == '=')
		pad = s[len - 2] == '=' ? 2 : 1;
	if ((out = malloc(len / 4 * 3)) == NULL)
		return NULL;
	for (i = 0; i < len; i += 4) {
		for (j = 0; j < 4; j++) {
			if (i + (size_t)j >= len - pad) {
				v[j] = 0;
				continue;
			}
			if ((v[j] = b64_value(s[i + (size_t)j])) < 0)
				goto bad;
		}
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		out[o++] = (unsigned char)((v[1] & 0x0f) << 4 | v[2] >> 2);
		out[o++] = (unsigned char)((v[2] & 0x03) << 6 | v[3]);
	}
	/* Non-zero bits under the padding would give a second spelling. */
	if ((pad == 1 && (v[2] & 0x03) != 0) ||
	    (pad == 2 && (v[1] & 0x0f) != 0))
		goto bad;
	*outlen = o - pad;
	return out;
bad:
	free(out);
	return NULL;
}

/* "v<digits>:" at the head of sealed: the version, and where base64 starts. */
static int
parse_version(const char *sealed, const char **rest)
{
	const char	*p;
	int		 v = 0, digits = 0;

	if (sealed == NULL || sealed[0] != 'v' || sealed[1] < '1' ||
	    sealed[1] > '9')
		return -1;
	for (p = sealed + 1; *p >= '0' && *p <= '9'; p++) {
		if (++digits > AEAD_VERSION_DIGITS)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p != ':')
		return -1;
	if (rest != NULL)
		*rest = p + 1;
	return v;
}

int
aead_version(const char *sealed)
{
	return parse_version(sealed, NULL);
}

char *
aead_seal(const struct aead_key *k, const void *aad, size_t aadlen,
    const void *pt, size_t ptlen)
{
	EVP_CIPHER_CTX	*ctx = NULL;
	unsigned char	*buf = NULL;
	char		*out = NULL;
	size_t		 buflen;
	int		 n, prefix;
	char		 head[AEAD_VERSION_DIGITS + 3];	/* "v" digits ":" */

	if (k == NULL || k->version < 1 || k->version > AEAD_VERSION_MAX ||
	    ptlen > AEAD_PT_MAX ||
	    aadlen > AEAD_AAD_MAX) {
		log_warnx("aead_seal: bad key or oversized input");
		return NULL;
	}
	/* At most AEAD_VERSION_DIGITS digits: head holds it. */
	prefix = snprintf(head, sizeof(head), "v%d:", k->version);
	buflen = AEAD_IV_LEN + ptlen + AEAD_TAG_LEN;
	if ((buf = malloc(buflen)) == NULL)
		goto out;
	if (crypto_random(buf, AEAD_IV_LEN) == -1)
		goto out;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(ctx, gcm_cipher(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, AEAD_IV_LEN,
	    NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, k->key, buf) != 1)
		goto fail;
	if (aadlen > 0 && EVP_EncryptUpdate(ctx, NULL, &n, aad,
	    (int)aadlen) != 1)
		goto fail;
	if (ptlen > 0 && EVP_EncryptUpdate(ctx, buf + AEAD_IV_LEN, &n, pt,
	    (int)ptlen) != 1)
		goto fail;
	if (EVP_EncryptFinal_ex(ctx, buf + AEAD_IV_LEN + ptlen, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, AEAD_TAG_LEN,
	    buf + AEAD_IV_LEN + ptlen) != 1)
		goto fail;
	if ((out = b64_encode(buf, buflen, (size_t)prefix)) == NULL)
		goto out;
	memcpy(out, head, (size_t)prefix);
	goto out;
fail:
	log_warnx("aead_seal: encryption failed");
out:
	EVP_CIPHER_CTX_free(ctx);
	if (buf != NULL) {
		crypto_wipe(buf, buflen);
		free(buf);
	}
	return out;
}

int
aead_open(const struct aead_key *keys, size_t nkeys, const char *sealed,
    const void *aad, size_t aadlen, unsigned char **pt, size_t *ptlen)
{
	const struct aead_key	*k = NULL;
	const unsigned char	*iv, *ct, *tag;
	EVP_CIPHER_CTX		*ctx = NULL;
	unsigned char		*raw = NULL, *plain = NULL;
	const char		*b64;
	size_t			 rawlen = 0, ctlen = 0, i;
	int			 version, n, rc = -1;

	*pt = NULL;
	*ptlen = 0;
	if ((version = parse_version(sealed, &b64)) < 0)
		return log_warnx("aead_open: malformed sealed value");
	for (i = 0; i < nkeys; i++)
		if (keys[i].version == version) {
			k = &keys[i];
			break;
		}
	if (k == NULL)
		return log_warnx("aead_open: no key of version %d", version);
	if (aadlen > AEAD_AAD_MAX || strlen(b64) >
	    (AEAD_IV_LEN + AEAD_PT_MAX + AEAD_TAG_LEN + 2) / 3 * 4)
		return log_warnx("aead_open: oversized input");
	if ((raw = b64_decode(b64, strlen(b64), &rawlen)) == NULL ||
	    rawlen < AEAD_IV_LEN + AEAD_TAG_LEN) {
		log_warnx("aead_open: malformed sealed value");
		goto out;
	}
	iv = raw;
	ct = raw + AEAD_IV_LEN;
	ctlen = rawlen - AEAD_IV_LEN - AEAD_TAG_LEN;
	tag = ct + ctlen;
	if ((plain = malloc(ctlen + 1)) == NULL)
		goto out;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_DecryptInit_ex(ctx, gcm_cipher(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, AEAD_IV_LEN,
	    NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, k->key, iv) != 1)
		goto fail;
	if (aadlen > 0 && EVP_DecryptUpdate(ctx, NULL, &n, aad,
	    (int)aadlen) != 1)
		goto fail;
	if (ctlen > 0 && EVP_DecryptUpdate(ctx, plain, &n, ct,
	    (int)ctlen) != 1)
		goto fail;
	/* Always the full tag: its length is a constant, never the input's. */
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, AEAD_TAG_LEN,
	    (void *)tag) != 1)
		goto fail;
	if (EVP_DecryptFinal_ex(ctx, plain + ctlen, &n) != 1) {
		log_warnx("aead_open: authentication failed (key version %d)",
		    version);
		goto out;
	}
	plain[ctlen] = '\0';
	*pt = plain;
	*ptlen = ctlen;
	plain = NULL;
	rc = 0;
	goto out;
fail:
	log_warnx("aead_open: decryption failed");
out:
	EVP_CIPHER_CTX_free(ctx);
	if (plain != NULL) {
		crypto_wipe(plain, ctlen + 1);
		free(plain);
	}
	if (raw != NULL) {
		crypto_wipe(raw, rawlen);
		free(raw);
	}
	return rc;
}
