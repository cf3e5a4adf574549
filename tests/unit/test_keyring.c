/*
 * util/keyring: the ring of [secrets] (newest seals, any opens) and
 * sealing bound to where a value is stored.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/conf.h"
#include "util/keyring.h"

#define HEX_A "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define HEX_B "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"
#define HEX_C "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static int
ring(struct keyring *kr, const char *key, int version, const char *more,
    char *err, size_t errsz)
{
	struct conf	 c;
	int		 rc;

	conf_defaults(&c);
	conf_set(&c, "secrets", "data_key", key);
	c.secrets.data_key_version = version;
	conf_set(&c, "secrets", "data_keys", more);
	rc = keyring_load(kr, &c, err, errsz);
	conf_free(&c);
	return rc;
}

static void
test_keyring_newest_seals(void)
{
	struct keyring	 kr;
	char		 err[200];

	CU_ASSERT_EQUAL_FATAL(ring(&kr, HEX_A, 1, "3:" HEX_C ", 2:" HEX_B, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(kr.n, 3);
	CU_ASSERT_EQUAL(keyring_version(&kr), 3);
	keyring_wipe(&kr);
	/* The configured key may itself be the newest. */
	CU_ASSERT_EQUAL_FATAL(ring(&kr, HEX_A, 5, "2:" HEX_B, err, sizeof(err)),
	    0);
	CU_ASSERT_EQUAL(keyring_version(&kr), 5);
	keyring_wipe(&kr);
}

static void
test_keyring_refused(void)
{
	struct keyring	 kr;
	char		 err[200];

	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, "2:" HEX_B " 2:" HEX_C, err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "one version"));
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, "2" HEX_B, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, "x:" HEX_B, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, "2:abcd", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(ring(&kr, "nothex", 1, "", err, sizeof(err)), -1);
	/* The same key twice under one version is harmless. */
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, "1:" HEX_A, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(kr.n, 1);
	keyring_wipe(&kr);
}

static void
test_keyring_seal_open_where(void)
{
	struct keyring	 old, kr;
	unsigned char	*pt;
	size_t		 len;
	char		 err[200], *s, *t;

	CU_ASSERT_EQUAL_FATAL(ring(&old, HEX_A, 1, "", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(ring(&kr, HEX_A, 1, "2:" HEX_B, err, sizeof(err)),
	    0);
	s = keyring_seal(&old, "vault:7:card_number", "4111", 4);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(strncmp(s, "v1:", 3) == 0);
	/* The new ring opens what the old key sealed ... */
	CU_ASSERT_EQUAL(keyring_open(&kr, "vault:7:card_number", s, &pt, &len),
	    0);
	CU_ASSERT(len == 4 && memcmp(pt, "4111", 4) == 0);
	free(pt);
	/* ... but not somewhere else. */
	CU_ASSERT_EQUAL(keyring_open(&kr, "vault:8:card_number", s, &pt, &len),
	    -1);
	CU_ASSERT_EQUAL(keyring_open(&kr, "vault:7:generic", s, &pt, &len), -1);
	/* What the new ring seals, the old key cannot open. */
	t = keyring_seal(&kr, "vault:7:card_number", "4111", 4);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT(strncmp(t, "v2:", 3) == 0);
	CU_ASSERT_EQUAL(keyring_open(&old, "vault:7:card_number", t, &pt,
	    &len), -1);
	free(s);
	free(t);
	keyring_wipe(&old);
	keyring_wipe(&kr);
}

/* data_keys: separated by spaces, commas or tabs, in any order. */
static void
test_keyring_list_shapes(void)
{
	struct keyring	 kr;
	char		 err[200], more[2048];
	size_t		 n;
	int		 v;

	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, "5:" HEX_B " ,\t3:" HEX_C ",",
	    err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(kr.n, 3);
	CU_ASSERT_EQUAL(kr.keys[kr.newest].version, 5);
	keyring_wipe(&kr);
	/* The highest version is the newest, wherever it stands. */
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 7, "5:" HEX_B, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(kr.keys[kr.newest].version, 7);
	keyring_wipe(&kr);
	/* An entry longer than any version and key could be. */
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1,
	    "2:" HEX_B "00000000000000000000000000000000", err, sizeof(err)),
	    -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "too long"));
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, "0:" HEX_B, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad version 0"));
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, "1000000000:" HEX_B, err,
	    sizeof(err)), -1);
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, "2x:" HEX_B, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, ":" HEX_B, err, sizeof(err)), -1);
	/* KEYRING_MAX keys in all are the most. */
	for (v = 2, n = 0; v <= KEYRING_MAX; v++)
		n += (size_t)snprintf(more + n, sizeof(more) - n, "%s%d:%s",
		    v > 2 ? " " : "", v, HEX_B);
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, more, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(kr.n, KEYRING_MAX);
	keyring_wipe(&kr);
	snprintf(more + n, sizeof(more) - n, " %d:%s", v, HEX_B);
	CU_ASSERT_EQUAL(ring(&kr, HEX_A, 1, more, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "more than 16"));
}

static const struct unit_test tests[] = {
	{ "test_keyring_newest_seals", test_keyring_newest_seals },
	{ "test_keyring_refused", test_keyring_refused },
	{ "test_keyring_seal_open_where", test_keyring_seal_open_where },
	{ "test_keyring_list_shapes", test_keyring_list_shapes },
};

int
suite_keyring(void)
{
	return UNIT_SUITE("keyring", tests);
}
