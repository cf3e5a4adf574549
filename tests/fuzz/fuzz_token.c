/*
 * util/token.c: a bearer token is the first thing read from an
 * unauthenticated request.  Two ways in, by the input's first byte:
 * the token as sent (no forgery may pass: the fuzzer has no secret);
 * or a header and claims of the fuzzer's, signed here with the secret,
 * so that the claims' checks are reached too (whatever passes is
 * unexpired, as token_verify promises).
 */
#include "config.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tests/fuzz/fuzz.h"
#include "util/token.h"

#define NOW	1700000000

static const unsigned char secret[] = "fuzz-secret-0123456789abcdefghij";

/* base64url without padding, as JWTs are written. */
static size_t
b64url(const unsigned char *in, size_t n, char *out)
{
	size_t	 len = (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)n);

	while (len > 0 && out[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++)
		out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
	out[len] = '\0';
	return len;
}

static char *
signed_token(const uint8_t *d, size_t n)
{
	char		*head, *claims, *jwt;
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned	 maclen = 0;
	size_t		 hl, cl, len;

	head = fuzz_part(&d, &n);
	claims = fuzz_part(&d, &n);
	if (head == NULL || claims == NULL) {
		free(head);
		free(claims);
		return NULL;
	}
	hl = strlen(head);
	cl = strlen(claims);
	if ((jwt = malloc(2 * (hl + cl) + 256)) == NULL)
		abort();
	len = b64url((unsigned char *)head, hl, jwt);
	jwt[len++] = '.';
	len += b64url((unsigned char *)claims, cl, jwt + len);
	if (HMAC(EVP_sha256(), secret, sizeof(secret) - 1,
	    (unsigned char *)jwt, len, mac, &maclen) == NULL)
		abort();
	jwt[len++] = '.';
	b64url(mac, maclen, jwt + len);
	free(head);
	free(claims);
	return jwt;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct token_claims	 c;
	char			*s;
	int			 sign;

	if (n == 0)
		return 0;
	sign = d[0] & 1;
	s = sign ? signed_token(d + 1, n - 1) : fuzz_str(d + 1, n - 1);
	if (s == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	if (token_verify(secret, sizeof(secret) - 1, s, NOW, &c) == 0 &&
	    (!sign || c.exp <= NOW))
		abort();	/* a forgery, or an expired token, passed */
	free(s);
	return 0;
}
