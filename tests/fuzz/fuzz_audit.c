/*
 * The audit chain's verifier (core/auditchain.c) and the checkpoint
 * lines it is held against (core/auditcheckpoint.c).  The input's
 * NUL-separated parts, six a record, are the text fields of a chain of
 * entries; the chain is sealed as resilops seals it, then:
 *   - every entry of it verifies, in order;
 *   - one entry changed (the input's first byte picks which, and how)
 *     stops the walk at that entry, not before, not after;
 * and the whole input, read as a checkpoint line, either is refused or
 * formats back to a line that reads the same.
 */
#include "config.h"

#include "core/auditchain.h"
#include "core/auditcheckpoint.h"
#include "tests/fuzz/fuzz.h"

#define FIELDS	6
#define RECS	16

static const unsigned char key[] = "fuzz-audit-key-0123456789abcdef";

static void
checkpoint(const uint8_t *d, size_t n)
{
	struct audit_checkpoint	 cp, again;
	char			*line = fuzz_str(d, n), buf[512];
	int			 len;

	memset(&cp, 0, sizeof(cp));
	if (auditcheckpoint_parse(line, &cp) == 1) {
		memset(&again, 0, sizeof(again));
		if ((len = auditcheckpoint_format(&cp, buf, sizeof(buf))) < 0 ||
		    auditcheckpoint_parse(buf, &again) != 1 ||
		    again.seq != cp.seq || again.at != cp.at ||
		    memcmp(again.mac, cp.mac, AUDIT_MAC_LEN) != 0 ||
		    strcmp(again.host, cp.host) != 0)
			abort();
	}
	free(line);
}

/* Walk the chain; the index of the first entry refused, or n. */
static size_t
walk(const struct audit_record *r, unsigned char (*mac)[AUDIT_MAC_LEN],
    size_t n)
{
	struct auditchain_verifier	 v;
	unsigned char			 prev[AUDIT_MAC_LEN];
	size_t				 i;

	auditchain_verify_init(&v);
	memset(prev, 0, sizeof(prev));
	for (i = 0; i < n; i++) {
		if (auditchain_verify_next(&v, key, sizeof(key) - 1, &r[i],
		    prev, mac[i]) != 0)
			return i;
		memcpy(prev, mac[i], AUDIT_MAC_LEN);
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct audit_record	 r[RECS];
	unsigned char		 mac[RECS][AUDIT_MAC_LEN], prev[AUDIT_MAC_LEN];
	char			*f[RECS * FIELDS], *t;
	const uint8_t		*p = d;
	size_t			 left = n, nf = 0, nr, i, k;
	unsigned		 how;

	if (n == 0)
		return 0;
	checkpoint(d, n);
	how = d[0];
	p++;
	left--;
	while (nf < RECS * FIELDS && (f[nf] = fuzz_part(&p, &left)) != NULL)
		nf++;
	nr = nf / FIELDS;
	memset(prev, 0, sizeof(prev));
	for (i = 0; i < nr; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].id = (long long)i + 1;
		r[i].ts = 1700000000 + (time_t)i * 7;
		r[i].user_id = (long long)strlen(f[i * FIELDS]);
		/* Empty fields stand for the NULLs a row may hold. */
		r[i].username = *f[i * FIELDS] ? f[i * FIELDS] : NULL;
		r[i].action = f[i * FIELDS + 1];
		r[i].entity = f[i * FIELDS + 2];
		r[i].entity_id = (long long)strlen(f[i * FIELDS + 2]);
		r[i].ip = *f[i * FIELDS + 3] ? f[i * FIELDS + 3] : NULL;
		r[i].user_agent = *f[i * FIELDS + 4] ? f[i * FIELDS + 4] : NULL;
		r[i].details = *f[i * FIELDS + 5] ? f[i * FIELDS + 5] : NULL;
		r[i].status = 200 + (int)(i % 5);
		if (auditchain_mac(key, sizeof(key) - 1, prev, &r[i], mac[i]) != 0)
			abort();
		memcpy(prev, mac[i], AUDIT_MAC_LEN);
	}
	if (walk(r, mac, nr) != nr)
		abort();	/* an honest chain refused */
	if (nr > 0) {
		k = (how >> 2) % nr;
		t = NULL;
		switch (how & 3) {
		case 0:		/* a byte of its mac */
			mac[k][how % AUDIT_MAC_LEN] ^= 0x01;
			break;
		case 1:		/* its status */
			r[k].status++;
			break;
		case 2:		/* its time */
			r[k].ts--;
			break;
		case 3:		/* its action, one byte longer */
			if ((t = malloc(strlen(r[k].action) + 2)) == NULL)
				abort();
			strcpy(t, r[k].action);
			strcat(t, "x");
			r[k].action = t;
			break;
		}
		if (walk(r, mac, nr) != k)
			abort();	/* a change went unseen, or blamed wrong */
		free(t);
	}
	for (i = 0; i < nf; i++)
		free(f[i]);
	return 0;
}
