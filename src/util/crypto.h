/*
 * Thin wrappers over OpenSSL: randomness, hex/base62, HMAC-SHA256 and
 * constant-time comparison.  No function here logs secret material.
 */
#ifndef RO_CRYPTO_H
#define RO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HMAC_SHA256_LEN 32

/* Fill buf with n cryptographically random bytes; 0 or -1. */
int	 crypto_random(void *buf, size_t n);
/* Write 2n hex digits and a NUL to out (size >= 2n+1). */
void	 crypto_hex(const void *in, size_t n, char *out);
/*
 * Parse hex, which must be exactly 2n hex digits (either case) and then
 * its NUL, into out; 0 or -1 (out is zeroed on failure).
 */
int	 crypto_unhex(const char *hex, void *out, size_t n);
/* The value of one hex digit, or -1. */
int	 crypto_hexval(char c);
/* n random characters from [0-9A-Za-z] and a NUL into out; 0 or -1. */
int	 crypto_random_base62(char *out, size_t n);
/* HMAC-SHA256(key, msg) into mac[32]; 0 or -1. */
int	 crypto_hmac_sha256(const void *key, size_t keylen,
	    const void *msg, size_t msglen, unsigned char mac[HMAC_SHA256_LEN]);
/* Constant-time equality of two buffers of equal length n. */
bool	 crypto_equal(const void *a, const void *b, size_t n);
#define SHA256_LEN	32
/* SHA-256 of msg[0..len) into out.  0 or -1. */
int	 crypto_sha256(const void *msg, size_t len, unsigned char out[SHA256_LEN]);
/* explicit_bzero, spelled once. */
void	 crypto_wipe(void *p, size_t n);
/* Wipe a malloc'd string (a URL, a password) and free it.  NULL-safe. */
void	 crypto_wipe_free(char *s);

#endif
