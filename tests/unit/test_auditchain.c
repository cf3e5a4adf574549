/* The audit chain: a good chain verifies; edits, deletions and reorderings do not. */
#include "config.h"

#include <string.h>

#include <CUnit/CUnit.h>

#include "core/auditchain.h"
#include "suites.h"

#define KEY ((const unsigned char *)"0123456789abcdef0123456789abcdef")
#define KEYLEN 32
#define NENT 5

struct link {
	struct audit_record	 r;
	unsigned char		 prev[AUDIT_MAC_LEN];
	unsigned char		 mac[AUDIT_MAC_LEN];
};

static const char *const actions[NENT] = {
	"User Signup", "User Login", "Service Created", "Status Updated",
	"User Logout",
};

/* A valid chain of NENT entries, built as db_audit_append would. */
static void
build(struct link *l)
{
	unsigned char	 prev[AUDIT_MAC_LEN];
	int		 i;

	memset(prev, 0, sizeof(prev));
	memset(l, 0, sizeof(*l) * NENT);
	for (i = 0; i < NENT; i++) {
		l[i].r.id = i + 1;
		l[i].r.ts = 1700000000 + i;
		l[i].r.user_id = 1;
		l[i].r.username = "alice";
		l[i].r.action = actions[i];
		l[i].r.entity = "User";
		l[i].r.entity_id = 1;
		l[i].r.ip = "127.0.0.1";
		memcpy(l[i].prev, prev, AUDIT_MAC_LEN);
		CU_ASSERT_EQUAL_FATAL(auditchain_mac(KEY, KEYLEN, prev, &l[i].r,
		    l[i].mac), 0);
		memcpy(prev, l[i].mac, AUDIT_MAC_LEN);
	}
}

/* Id of the first entry that fails, 0 if all verify. */
static long long
first_broken(const struct link *l, int n)
{
	struct auditchain_verifier	 v;
	int				 i;

	auditchain_verify_init(&v);
	for (i = 0; i < n; i++)
		if (auditchain_verify_next(&v, KEY, KEYLEN, &l[i].r, l[i].prev,
		    l[i].mac) == -1)
			return l[i].r.id;
	return 0;
}

static void
test_auditchain_valid(void)
{
	struct link	 l[NENT];

	build(l);
	CU_ASSERT_EQUAL(first_broken(l, NENT), 0);
}

static void
test_auditchain_edited(void)
{
	struct link	 l[NENT];

	build(l);
	l[2].r.action = "Service Deleted";
	CU_ASSERT_EQUAL(first_broken(l, NENT), 3);
}

static void
test_auditchain_edited_field_null_vs_empty(void)
{
	struct link	 l[NENT];

	build(l);
	l[1].r.ip = "";
	l[3].r.ip = NULL;
	CU_ASSERT_EQUAL(first_broken(l, NENT), 2);
}

static void
test_auditchain_deleted(void)
{
	struct link	 l[NENT];

	build(l);
	memmove(&l[2], &l[3], sizeof(l[0]) * 2);
	CU_ASSERT_EQUAL(first_broken(l, NENT - 1), 4);
}

static void
test_auditchain_deleted_renumbered(void)
{
	struct link	 l[NENT];

	/* Deleting and renumbering the ids still breaks the links. */
	build(l);
	memmove(&l[2], &l[3], sizeof(l[0]) * 2);
	l[2].r.id = 3;
	l[3].r.id = 4;
	CU_ASSERT_EQUAL(first_broken(l, NENT - 1), 3);
}

static void
test_auditchain_reordered(void)
{
	struct link	 l[NENT], t;

	build(l);
	t = l[1];
	l[1] = l[2];
	l[2] = t;
	CU_ASSERT_EQUAL(first_broken(l, NENT), 3);
}

static void
test_auditchain_reordered_ids_swapped(void)
{
	struct link	 l[NENT];
	long long	 id;

	/* Swapping the contents but keeping ids in order: the MAC covers the id. */
	build(l);
	id = l[1].r.id;
	l[1].r.id = l[2].r.id;
	l[2].r.id = id;
	{
		struct link	 t = l[1];

		l[1] = l[2];
		l[2] = t;
	}
	CU_ASSERT_EQUAL(first_broken(l, NENT), 2);
}

static void
test_auditchain_wrong_key(void)
{
	struct link			 l[NENT];
	struct auditchain_verifier	 v;

	build(l);
	auditchain_verify_init(&v);
	CU_ASSERT_EQUAL(auditchain_verify_next(&v,
	    (const unsigned char *)"another key of thirty-two bytes!", 32,
	    &l[0].r, l[0].prev, l[0].mac), -1);
}

static void
test_auditchain_first_prev_zero(void)
{
	struct link	 l[NENT];

	build(l);
	l[0].prev[0] ^= 1;
	CU_ASSERT_EQUAL(first_broken(l, NENT), 1);
}

/* No key: no MAC at all, rather than an unkeyed digest; nothing verifies. */
static void
test_auditchain_no_key(void)
{
	struct link			 l[NENT];
	struct auditchain_verifier	 v;
	unsigned char			 mac[AUDIT_MAC_LEN];

	build(l);
	CU_ASSERT_EQUAL(auditchain_mac(NULL, 0, l[0].prev, &l[0].r, mac), -1);
	auditchain_verify_init(&v);
	CU_ASSERT_EQUAL(auditchain_verify_next(&v, NULL, 0, &l[0].r, l[0].prev,
	    l[0].mac), -1);
	CU_ASSERT_EQUAL(v.count, 0);
}

static const struct unit_test tests[] = {
	{ "valid", test_auditchain_valid },
	{ "edited", test_auditchain_edited },
	{ "edited_field_null_vs_empty", test_auditchain_edited_field_null_vs_empty },
	{ "deleted", test_auditchain_deleted },
	{ "deleted_renumbered", test_auditchain_deleted_renumbered },
	{ "reordered", test_auditchain_reordered },
	{ "reordered_ids_swapped", test_auditchain_reordered_ids_swapped },
	{ "wrong_key", test_auditchain_wrong_key },
	{ "first_prev_zero", test_auditchain_first_prev_zero },
	{ "no_key", test_auditchain_no_key },
};

int
suite_auditchain(void)
{
	return UNIT_SUITE("auditchain", tests);
}
