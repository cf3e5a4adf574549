/*
 * Authenticated encryption of secrets at rest: AES-256-GCM with a
 * random 96-bit IV per message and the full 16-byte tag, always
 * (TRAPS.md: OpenSSL would accept a 1-byte tag if asked to).  A sealed
 * value is text, "v<key version>:<base64 of iv || ciphertext || tag>",
 * so a database column holds it and a key rotation can tell which key
 * opens it.  The caller's AAD binds the value to where it is stored.
 */
#ifndef RO_AEAD_H
#define RO_AEAD_H

#include <stddef.h>

#define AEAD_KEY_LEN	32
#define AEAD_IV_LEN	12
#define AEAD_TAG_LEN	16
#define AEAD_PT_MAX	(16 * 1024 * 1024)	/* bytes of plaintext */
#define AEAD_AAD_MAX	(16 * 1024 * 1024)	/* bytes of AAD */
#define AEAD_VERSION_MAX 999999999

/* One key and the version written with everything it seals. */
struct aead_key {
	int		 version;		/* 1..AEAD_VERSION_MAX */
	unsigned char	 key[AEAD_KEY_LEN];
};

/*
 * Fill k from 64 hex digits and a version in 1..AEAD_VERSION_MAX;
 * 0, or -1 (k wiped).  The caller wipes k (crypto_wipe) when done.
 */
int	 aead_key_from_hex(struct aead_key *k, const char *hex, int version);

/*
 * Encrypt pt[0..ptlen) under k with aad[0..aadlen) (either may be
 * empty).  Returns the sealed text, malloc'd (the caller frees), or
 * NULL on failure or when ptlen/aadlen exceed their caps.
 */
char	*aead_seal(const struct aead_key *k, const void *aad, size_t aadlen,
	    const void *pt, size_t ptlen);

/*
 * The key version a sealed text names, without decrypting it (a caller
 * whose AAD names the version needs it first); -1 when malformed.
 */
int	 aead_version(const char *sealed);

/*
 * Decrypt sealed with the key of its version from keys[0..nkeys) and
 * check its tag against aad.  On success *pt is a malloc'd buffer of
 * *ptlen bytes plus a terminating NUL (the caller wipes and frees it)
 * and 0 is returned.  -1 (nothing allocated) for a malformed text, an
 * unknown key version, or a failed authentication: a wrong key, wrong
 * AAD, or any changed byte.
 */
int	 aead_open(const struct aead_key *keys, size_t nkeys,
	    const char *sealed, const void *aad, size_t aadlen,
	    unsigned char **pt, size_t *ptlen);

#endif
