/*
 * The credentials resilops hands out and must recognise later without
 * keeping them: API keys ("rk_" + 32 base62) and vault tokens ("tok_" +
 * 32 base62).  Only an HMAC-SHA256 of one is stored, under a server
 * secret derived from [secrets] audit_key, so a copy of the database
 * neither holds them nor lets anyone test guesses offline.
 */
#ifndef RO_CREDENTIAL_H
#define RO_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>

#define CREDENTIAL_RANDOM	32	/* base62 characters after the prefix */
#define CREDENTIAL_MAX		40	/* bytes of the longest, with its prefix */
#define CREDENTIAL_HASH_LEN	32

#define APIKEY_PREFIX	"rk_"
#define TOKEN_PREFIX	"tok_"

/* A new one: prefix + CREDENTIAL_RANDOM base62 into out.  0 or -1. */
int	 credential_make(const char *prefix, char out[CREDENTIAL_MAX + 1]);
/* Whether s is prefix + exactly CREDENTIAL_RANDOM base62 characters. */
bool	 credential_shape_ok(const char *s, const char *prefix);
/* The secret credentials are hashed under, from the audit key.  0 or -1. */
int	 credential_secret(const char *audit_key,
	    unsigned char out[CREDENTIAL_HASH_LEN]);
/* HMAC-SHA256(secret, s).  0 or -1. */
int	 credential_hash(const unsigned char secret[CREDENTIAL_HASH_LEN],
	    const char *s, unsigned char out[CREDENTIAL_HASH_LEN]);

#endif
