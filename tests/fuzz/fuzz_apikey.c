/*
 * The credentials callers send: X-API-Key (rk_...) and vault tokens
 * (tok_...).  Only a well-shaped one is ever hashed and looked up; the
 * shape check must hold for all it lets through.
 */
#include "config.h"

#include "core/credential.h"
#include "tests/fuzz/fuzz.h"

static const char base62[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void
check(const char *s, const char *prefix)
{
	unsigned char	 secret[CREDENTIAL_HASH_LEN], hash[CREDENTIAL_HASH_LEN];
	size_t		 plen = strlen(prefix);

	if (!credential_shape_ok(s, prefix))
		return;
	if (strlen(s) != plen + CREDENTIAL_RANDOM ||
	    strncmp(s, prefix, plen) != 0 ||
	    strspn(s + plen, base62) != CREDENTIAL_RANDOM)
		abort();
	memset(secret, 7, sizeof(secret));
	if (credential_hash(secret, s, hash) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char	*s = fuzz_str(d, n);

	check(s, APIKEY_PREFIX);
	check(s, TOKEN_PREFIX);
	free(s);
	return 0;
}
