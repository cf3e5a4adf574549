/*
 * The audit chain's MAC.  The canonical form is every field with a
 * type tag and a length prefix, so no two different entries serialise
 * alike (no "ab"+"c" = "a"+"bc").
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/auditchain.h"
#include "util/crypto.h"

static int
put_num(EVP_MAC_CTX *ctx, char tag, long long v)
{
	unsigned char	 b[9];
	int		 i;

	b[0] = (unsigned char)tag;
	for (i = 0; i < 8; i++)
		b[1 + i] = (unsigned char)((unsigned long long)v >> (56 - 8 * i));
	return EVP_MAC_update(ctx, b, sizeof(b)) == 1 ? 0 : -1;
}

static int
put_str(EVP_MAC_CTX *ctx, char tag, const char *s)
{
	size_t	 len = s ? strlen(s) : 0;

	/* NULL and "" differ: NULL is tagged in upper case. */
	if (put_num(ctx, s ? tag : (char)(tag - 32), (long long)len) == -1)
		return -1;
	return len == 0 || EVP_MAC_update(ctx, (const unsigned char *)s, len) == 1
	    ? 0 : -1;
}

int
auditchain_mac(const unsigned char *key, size_t keylen,
    const unsigned char prev[AUDIT_MAC_LEN], const struct audit_record *r,
    unsigned char mac[AUDIT_MAC_LEN])
{
	EVP_MAC		*m;
	EVP_MAC_CTX	*ctx = NULL;
	OSSL_PARAM	 params[2];
	size_t		 outlen = 0;
	int		 rc = -1;

	if ((m = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string("digest", "SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_MAC_CTX_new(m)) == NULL ||
	    EVP_MAC_init(ctx, key, keylen, params) != 1 ||
	    EVP_MAC_update(ctx, prev, AUDIT_MAC_LEN) != 1 ||
	    put_num(ctx, 'i', r->id) == -1 ||
	    put_num(ctx, 't', (long long)r->ts) == -1 ||
	    put_num(ctx, 'u', r->user_id) == -1 ||
	    put_str(ctx, 'n', r->username) == -1 ||
	    put_str(ctx, 'a', r->action) == -1 ||
	    put_str(ctx, 'e', r->entity) == -1 ||
	    put_num(ctx, 'k', r->entity_id) == -1 ||
	    put_str(ctx, 'p', r->ip) == -1 ||
	    put_str(ctx, 'g', r->user_agent) == -1 ||
	    put_str(ctx, 'd', r->details) == -1 ||
	    put_num(ctx, 's', r->status) == -1 ||
	    EVP_MAC_final(ctx, mac, &outlen, AUDIT_MAC_LEN) != 1 ||
	    outlen != AUDIT_MAC_LEN)
		goto out;
	rc = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	return rc;
}

void
auditchain_verify_init(struct auditchain_verifier *v)
{
	memset(v, 0, sizeof(*v));
}

int
auditchain_verify_next(struct auditchain_verifier *v,
    const unsigned char *key, size_t keylen, const struct audit_record *r,
    const unsigned char prev[AUDIT_MAC_LEN],
    const unsigned char mac[AUDIT_MAC_LEN])
{
	unsigned char	 want[AUDIT_MAC_LEN];

	/* Ids are dense: a gap is a deleted entry. */
	if (r->id != v->last_id + 1)
		return -1;
	if (!crypto_equal(prev, v->prev, AUDIT_MAC_LEN))
		return -1;
	if (auditchain_mac(key, keylen, prev, r, want) == -1 ||
	    !crypto_equal(want, mac, AUDIT_MAC_LEN))
		return -1;
	memcpy(v->prev, mac, AUDIT_MAC_LEN);
	v->last_id = r->id;
	v->count++;
	return 0;
}
