/*
 * resilops-admin keys rotate: re-seal every secret at rest (integration
 * secrets, vault entries) under the newest key of the ring, online.
 * Rows are taken in batches by id and each is replaced only if it is
 * still what was read (compare and set), one row per statement in its
 * own autocommit: every value stays readable throughout (any key of the
 * ring opens), and a second run resumes where an interrupted one
 * stopped, since a row already under the newest key is left alone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "admin/admin.h"
#include "core/integration.h"
#include "db/db.h"
#include "db/db_integration.h"
#include "db/db_vault.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/keyring.h"

#define ROTATE_BATCH	200

struct rotation {
	long long	 checked;
	long long	 current;	/* already under the newest key */
	long long	 resealed;
	long long	 changed;	/* changed by someone meanwhile: run again */
	long long	 failed;	/* opens with no key of the ring */
};

/* One integration's config: already current, re-sealed, or failed. */
static void
rotate_integration(struct db *db, const struct keyring *kr,
    const struct sealed_row *row, struct rotation *st)
{
	struct json_object	*sealed, *plain = NULL, *fresh = NULL;
	int			 rc;

	st->checked++;
	if ((sealed = json_parse_strict(row->text, strlen(row->text))) == NULL) {
		fprintf(stderr, "integration %lld: the stored config is not "
		    "JSON\n", row->id);
		st->failed++;
		return;
	}
	if (integration_sealed_with(sealed, keyring_version(kr)))
		st->current++;
	else if ((plain = integration_open(kr, row->id, sealed)) == NULL ||
	    (fresh = integration_seal(kr, row->id, plain)) == NULL) {
		fprintf(stderr, "integration %lld: a secret does not open with "
		    "any key of the ring\n", row->id);
		st->failed++;
	} else if ((rc = db_integration_reseal(db, row->id, row->text,
	    json_text(fresh, NULL))) == 1)
		st->resealed++;
	else if (rc == 0)
		st->changed++;
	else
		st->failed++;
	json_object_put(fresh);
	json_object_put(plain);
	json_object_put(sealed);
}

static int
rotate_integrations(struct db *db, const struct keyring *kr,
    struct rotation *st)
{
	struct sealed_row	*rows;
	long long		 after = 0;
	size_t			 n, i;

	do {
		if (db_integration_sealed_page(db, after, ROTATE_BATCH, &rows,
		    &n) == -1)
			return -1;
		for (i = 0; i < n; i++) {
			rotate_integration(db, kr, &rows[i], st);
			after = rows[i].id;
			free(rows[i].text);
		}
		free(rows);
		if (n > 0)
			printf("integrations: %lld checked, %lld re-sealed\n",
			    st->checked, st->resealed);
	} while (n == ROTATE_BATCH);
	return 0;
}

/* One vault entry, the same way. */
static int
rotate_vault(struct db *db, const struct keyring *kr, struct rotation *st)
{
	struct vault_sealed	*rows;
	unsigned char		*pt;
	long long		 after = 0;
	size_t			 n, i, len;
	char			*fresh;
	int			 rc;

	do {
		if (db_vault_sealed_page(db, after, ROTATE_BATCH, &rows,
		    &n) == -1)
			return -1;
		for (i = 0; i < n; i++) {
			st->checked++;
			after = rows[i].id;
			if (rows[i].version == keyring_version(kr)) {
				st->current++;
				continue;
			}
			if (keyring_open(kr, rows[i].where, rows[i].sealed, &pt,
			    &len) == -1) {
				fprintf(stderr, "vault entry %lld: does not open "
				    "with any key of the ring\n", rows[i].id);
				st->failed++;
				continue;
			}
			fresh = keyring_seal(kr, rows[i].where, pt, len);
			crypto_wipe(pt, len);
			free(pt);
			if (fresh == NULL || (rc = db_vault_reseal(db, rows[i].id,
			    rows[i].sealed, fresh, keyring_version(kr))) == -1)
				st->failed++;
			else if (rc == 1)
				st->resealed++;
			else
				st->changed++;
			free(fresh);
		}
		vault_sealed_free(rows, n);
		if (n > 0)
			printf("vault: %lld checked, %lld re-sealed\n",
			    st->checked, st->resealed);
	} while (n == ROTATE_BATCH);
	return 0;
}

static void
report(const char *what, const struct rotation *st)
{
	printf("%s: %lld checked: %lld re-sealed, %lld already under the "
	    "newest key, %lld changed meanwhile (run again), %lld failed\n",
	    what, st->checked, st->resealed, st->current, st->changed,
	    st->failed);
}

int
cmd_keys(struct db *db, const struct conf *cfg, int argc, char *argv[])
{
	struct rotation	 integ, vault;
	struct keyring	 kr;
	char		 err[256];
	int		 rc;

	if (argc != 2 || strcmp(argv[1], "rotate") != 0)
		return -2;
	if (keyring_load(&kr, cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "resilops-admin: %s\n", err);
		return 1;
	}
	printf("re-sealing under key version %d\n", keyring_version(&kr));
	memset(&integ, 0, sizeof(integ));
	memset(&vault, 0, sizeof(vault));
	rc = rotate_integrations(db, &kr, &integ) == -1 ||
	    rotate_vault(db, &kr, &vault) == -1;
	keyring_wipe(&kr);
	report("integrations", &integ);
	report("vault", &vault);
	if (rc) {
		fprintf(stderr, "resilops-admin: the database failed; run "
		    "again to resume\n");
		return 1;
	}
	return integ.failed || vault.failed || integ.changed || vault.changed;
}
