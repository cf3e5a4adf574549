/*
 * API keys and vault tokens: made from OpenSSL's random generator,
 * recognised by shape before anything is looked up, stored as HMACs.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/credential.h"
#include "util/crypto.h"

int
credential_make(const char *prefix, char out[CREDENTIAL_MAX + 1])
{
	size_t	 plen = strlen(prefix);

	if (plen + CREDENTIAL_RANDOM > CREDENTIAL_MAX)
		return -1;
	memcpy(out, prefix, plen);
	if (crypto_random_base62(out + plen, CREDENTIAL_RANDOM) == -1)
		return -1;
	out[plen + CREDENTIAL_RANDOM] = '\0';
	return 0;
}

bool
credential_shape_ok(const char *s, const char *prefix)
{
	size_t	 plen = strlen(prefix), i;

	if (s == NULL || strncmp(s, prefix, plen) != 0 ||
	    strlen(s) != plen + CREDENTIAL_RANDOM)
		return false;
	for (i = plen; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

int
credential_secret(const char *audit_key, unsigned char out[CREDENTIAL_HASH_LEN])
{
	static const char	 label[] = "resilops credentials v1";

	/* A key of its own, so neither hash can stand for the other. */
	return crypto_hmac_sha256(audit_key, strlen(audit_key), label,
	    sizeof(label) - 1, out);
}

int
credential_hash(const unsigned char secret[CREDENTIAL_HASH_LEN], const char *s,
    unsigned char out[CREDENTIAL_HASH_LEN])
{
	return crypto_hmac_sha256(secret, CREDENTIAL_HASH_LEN, s, strlen(s),
	    out);
}
