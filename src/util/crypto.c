/*
 * Thin wrappers over OpenSSL 3.0 so the rest of the tree never calls it
 * directly: random bytes and strings, hex, SHA-256, HMAC-SHA256, constant-time
 * comparison and wiping.  Nothing here logs the data it handles.
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "util/crypto.h"
#include "util/log.h"

static const char hexdigits[] = "0123456789abcdef";
static const char base62[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int
crypto_random(void *buf, size_t n)
{
	unsigned char	*p = buf;
	int		 chunk;

	/* RAND_bytes takes an int length. */
	while (n > 0) {
		chunk = n > INT_MAX ? INT_MAX : (int)n;
		if (RAND_bytes(p, chunk) != 1)
			return log_warnx("crypto_random: RAND_bytes failed");
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

void
crypto_hex(const void *in, size_t n, char *out)
{
	const unsigned char	*p = in;
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexdigits[p[i] >> 4];
		out[2 * i + 1] = hexdigits[p[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

int
crypto_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
crypto_unhex(const char *hex, void *out, size_t n)
{
	unsigned char	*p = out;
	size_t		 i;
	int		 hi, lo;

	if (hex == NULL)
		return -1;
	/* A NUL is not a hex digit, so a short string stops the loop. */
	for (i = 0; i < n; i++) {
		if ((hi = crypto_hexval(hex[2 * i])) < 0 ||
		    (lo = crypto_hexval(hex[2 * i + 1])) < 0)
			goto fail;
		p[i] = (unsigned char)(hi << 4 | lo);
	}
	if (hex[2 * n] != '\0')
		goto fail;
	return 0;
fail:
	crypto_wipe(out, n);
	return -1;
}

int
crypto_random_base62(char *out, size_t n)
{
	unsigned char	 buf[64];
	size_t		 i, got = 0;

	/*
	 * Rejection sampling: only bytes below 248 = 4 * 62 are used, so
	 * every character is equally likely.
	 */
	while (got < n) {
		if (crypto_random(buf, sizeof(buf)) == -1) {
			out[0] = '\0';
			return -1;
		}
		for (i = 0; i < sizeof(buf) && got < n; i++)
			if (buf[i] < 248)
				out[got++] = base62[buf[i] % 62];
	}
	out[n] = '\0';
	crypto_wipe(buf, sizeof(buf));
	return 0;
}

int
crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char mac[HMAC_SHA256_LEN])
{
	static const unsigned char	 nokey[1];
	unsigned int			 len = 0;

	if (keylen > INT_MAX)
		return log_warnx("crypto_hmac_sha256: key too long");
	if (key == NULL)
		key = nokey;
	if (msg == NULL)
		msg = nokey;
	if (HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, mac, &len) ==
	    NULL || len != HMAC_SHA256_LEN)
		return log_warnx("crypto_hmac_sha256: HMAC failed");
	return 0;
}

int
crypto_sha256(const void *msg, size_t len, unsigned char out[SHA256_LEN])
{
	static const unsigned char	 none[1];
	unsigned int			 n = 0;

	if (EVP_Digest(msg != NULL ? msg : none, len, out, &n, EVP_sha256(),
	    NULL) != 1 || n != SHA256_LEN)
		return log_warnx("crypto_sha256: EVP_Digest failed");
	return 0;
}

bool
crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void
crypto_wipe(void *p, size_t n)
{
	if (p != NULL)
		explicit_bzero(p, n);
}

void
crypto_wipe_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}
