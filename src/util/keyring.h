/*
 * Secrets at rest: the key ring of [secrets] and sealing under it.
 * Several data keys live side by side, each with a version: the newest
 * seals, any opens, so keys rotate without a moment when something
 * stored cannot be read (resilops-admin keys rotate re-seals to the
 * newest).  A sealed value is bound to where it is stored: the AAD is
 * "<where>:v<version>", so a value copied to another row, field or
 * table does not open.
 */
#ifndef RO_KEYRING_H
#define RO_KEYRING_H

#include <stddef.h>

#include "util/aead.h"

#define KEYRING_MAX	16

struct conf;

struct keyring {
	struct aead_key	 keys[KEYRING_MAX];
	size_t		 n;
	size_t		 newest;	/* index of the key that seals */
};

/*
 * The ring of a config: [secrets] data_key at data_key_version, and
 * data_keys ("<version>:<64 hex digits>" separated by spaces or
 * commas; older keys kept for opening).  0, or -1 with why in err (kr
 * wiped).  The caller wipes it with keyring_wipe.
 */
int	 keyring_load(struct keyring *kr, const struct conf *, char *err,
	    size_t errsz);
void	 keyring_wipe(struct keyring *kr);
/* The version that seals. */
int	 keyring_version(const struct keyring *kr);

/*
 * Seal pt[0..ptlen) for where (e.g. "vault:42:card_number") under the
 * newest key: malloc'd text (caller frees), or NULL.
 */
char	*keyring_seal(const struct keyring *kr, const char *where,
	    const void *pt, size_t ptlen);
/*
 * Open what keyring_seal made for where, with the key of its version.
 * 0 with *pt (ptlen bytes + NUL; the caller wipes and frees), or -1: a
 * malformed text, a version the ring lacks, or failed authentication
 * (any changed byte, another where).
 */
int	 keyring_open(const struct keyring *kr, const char *where,
	    const char *sealed, unsigned char **pt, size_t *ptlen);

#endif
