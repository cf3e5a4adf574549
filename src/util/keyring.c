/*
 * The key ring of [secrets] and sealing bound to a place: AES-256-GCM
 * (util/aead) with "<where>:v<version>" as additional data.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/aead.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/keyring.h"

static int
ring_err(struct keyring *kr, char *err, size_t errsz, const char *fmt,
    const char *arg)
{
	keyring_wipe(kr);
	snprintf(err, errsz, fmt, arg);
	return -1;
}

/* Add one key; a version twice must be the same key. */
static int
ring_add(struct keyring *kr, const char *hex, int version, char *err,
    size_t errsz)
{
	struct aead_key	 k;
	size_t		 i;

	if (aead_key_from_hex(&k, hex, version) == -1)
		return ring_err(kr, err, errsz, "[secrets] a data key is not "
		    "64 hex digits with a version 1..999999999 (%s)", "");
	for (i = 0; i < kr->n; i++)
		if (kr->keys[i].version == version) {
			i = crypto_equal(kr->keys[i].key, k.key, AEAD_KEY_LEN) ?
			    0 : 1;
			crypto_wipe(&k, sizeof(k));
			return i == 0 ? 0 : ring_err(kr, err, errsz,
			    "[secrets] two different data keys have one "
			    "version%s", "");
		}
	if (kr->n == KEYRING_MAX) {
		crypto_wipe(&k, sizeof(k));
		return ring_err(kr, err, errsz, "[secrets] more than 16 data "
		    "keys%s", "");
	}
	kr->keys[kr->n++] = k;
	crypto_wipe(&k, sizeof(k));
	return 0;
}

/* One entry of data_keys, "<version>:<64 hex digits>", into the ring. */
static int
ring_add_item(struct keyring *kr, char *item, char *err, size_t errsz)
{
	char	*colon, *end;
	long	 v;

	if ((colon = strchr(item, ':')) == NULL)
		return ring_err(kr, err, errsz, "[secrets] data_keys: "
		    "entries are <version>:<64 hex digits>%s", "");
	*colon = '\0';
	v = strtol(item, &end, 10);
	if (*end != '\0' || end == item || v < 1 || v > AEAD_VERSION_MAX)
		return ring_err(kr, err, errsz, "[secrets] data_keys: "
		    "bad version %s", item);
	return ring_add(kr, colon + 1, (int)v, err, errsz);
}

int
keyring_load(struct keyring *kr, const struct conf *c, char *err,
    size_t errsz)
{
	const char	*p;
	char		 item[96];
	size_t		 len, i;
	int		 rc;

	memset(kr, 0, sizeof(*kr));
	if (ring_add(kr, c->secrets.data_key, c->secrets.data_key_version, err,
	    errsz) == -1)
		return -1;
	for (p = c->secrets.data_keys; p != NULL && *p != '\0'; p += len) {
		p += strspn(p, " ,\t");
		if ((len = strcspn(p, " ,\t")) == 0)
			break;
		if (len >= sizeof(item))
			return ring_err(kr, err, errsz, "[secrets] data_keys: "
			    "an entry is too long%s", "");
		memcpy(item, p, len);
		item[len] = '\0';
		/* The copy holds a key: wiped whether it was taken or not. */
		rc = ring_add_item(kr, item, err, errsz);
		crypto_wipe(item, sizeof(item));
		if (rc == -1)
			return -1;
	}
	for (i = 1; i < kr->n; i++)
		if (kr->keys[i].version > kr->keys[kr->newest].version)
			kr->newest = i;
	return 0;
}

void
keyring_wipe(struct keyring *kr)
{
	crypto_wipe(kr, sizeof(*kr));
}

int
keyring_version(const struct keyring *kr)
{
	return kr->keys[kr->newest].version;
}

static char *
aad_for(const char *where, int version, size_t *len)
{
	char	*aad;
	int	 n;

	if ((n = asprintf(&aad, "%s:v%d", where, version)) < 0)
		return NULL;
	*len = (size_t)n;
	return aad;
}

char *
keyring_seal(const struct keyring *kr, const char *where, const void *pt,
    size_t ptlen)
{
	const struct aead_key	*k = &kr->keys[kr->newest];
	char			*aad, *sealed;
	size_t			 aadlen;

	if ((aad = aad_for(where, k->version, &aadlen)) == NULL)
		return NULL;
	sealed = aead_seal(k, aad, aadlen, pt, ptlen);
	free(aad);
	return sealed;
}

int
keyring_open(const struct keyring *kr, const char *where, const char *sealed,
    unsigned char **pt, size_t *ptlen)
{
	char	*aad;
	size_t	 aadlen;
	int	 version, rc;

	if ((version = aead_version(sealed)) < 0 ||
	    (aad = aad_for(where, version, &aadlen)) == NULL)
		return -1;
	rc = aead_open(kr->keys, kr->n, sealed, aad, aadlen, pt, ptlen);
	free(aad);
	return rc;
}
