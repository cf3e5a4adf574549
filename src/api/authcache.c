/*
 * The token check's cache (see authcache.h).  The block is a table of
 * slots indexed by a hash of the token's id, each a seqlock: a writer
 * claims a slot by moving its sequence from even to odd, writes, and
 * moves it on to the next even number; a reader copies the slot and
 * keeps the copy only if the sequence was even and the same before and
 * after.  Every field is a relaxed C11 atomic word, so a copy torn by a
 * concurrent writer is a miss, never undefined behaviour.  Two writers
 * racing for a slot: the loser keeps nothing (a cache may forget).
 */
#include "config.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "api/authcache.h"
#include "db/db.h"
#include "util/log.h"
#include "util/shmblock.h"
#include "util/token.h"

#define SLOTS		2048	/* tokens kept per host; a power of 2 */
#define SYNC_MS		1000	/* another host's change shows within this */
#define WORDS(n)	(((n) + 7) / 8)
#define JTI_WORDS	WORDS(TOKEN_JTI_LEN + 1)
#define NAME_WORDS	WORDS(USERNAME_MAX + 1)

typedef atomic_uint_least64_t	word;

struct slot {
	word	 seq;			/* odd: being written; 0: never */
	word	 mark;			/* the generation it was read under */
	word	 uid;
	word	 gen;			/* the token's generation claim */
	word	 role;
	word	 jti[JTI_WORDS];
	word	 name[NAME_WORDS];
};

struct block {
	word		 gen;		/* bumped by every change seen */
	word		 synced_ms;	/* when the last count read started */
	word		 changes;	/* the database's count, as last read */
	struct slot	 slots[SLOTS];
};

static const struct shmblock_kind authcache_kind = {
	"ROAUTHC1", 1, "[auth] cache_file",
};

static struct block	*block;

static uint64_t
ld(const word *w)
{
	return atomic_load_explicit(w, memory_order_relaxed);
}

static void
st(word *w, uint64_t v)
{
	atomic_store_explicit(w, v, memory_order_relaxed);
}

/* A string into words (NUL-padded), and back; n words, len < 8n. */
static void
str_put(word *w, size_t n, const char *s)
{
	char		 buf[NAME_WORDS * 8];
	uint64_t	 v;
	size_t		 i;

	memset(buf, 0, n * 8);
	strncpy(buf, s, n * 8 - 1);
	for (i = 0; i < n; i++) {
		memcpy(&v, buf + i * 8, 8);
		st(&w[i], v);
	}
}

static void
str_get(const word *w, size_t n, char *out)
{
	uint64_t	 v;
	size_t		 i;

	for (i = 0; i < n; i++) {
		v = ld(&w[i]);
		memcpy(out + i * 8, &v, 8);
	}
	out[n * 8 - 1] = '\0';
}

/* FNV-1a of the token id (random hex: any bits will do). */
static struct slot *
slot_of(const char *jti)
{
	uint32_t	 h = 2166136261u;

	for (; *jti != '\0'; jti++) {
		h ^= (unsigned char)*jti;
		h *= 16777619u;
	}
	return &block->slots[h & (SLOTS - 1)];
}

int
authcache_init(const char *path, bool enabled)
{
	if (!enabled) {
		block = NULL;
		return 0;
	}
	if ((block = shmblock_map(path, &authcache_kind, SLOTS,
	    sizeof(*block), NULL)) == NULL)
		return -1;
	/*
	 * A file may hold answers from before this process (and its
	 * database) started: none of them is trusted again.
	 */
	authcache_changed();
	return 0;
}

bool
authcache_on(void)
{
	return block != NULL;
}

int64_t
authcache_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool
authcache_due(int64_t now_ms)
{
	return block == NULL ||
	    now_ms - (int64_t)ld(&block->synced_ms) >= SYNC_MS ||
	    ld(&block->synced_ms) == 0;
}

void
authcache_synced(int64_t started_ms, long long changes)
{
	uint64_t	 old, cur;

	if (block == NULL)
		return;
	/*
	 * Any difference is a change, not only a larger count: the
	 * database may be a new one.  A racing reader with an older count
	 * costs a second bump, never a missed one.
	 */
	old = ld(&block->changes);
	if ((uint64_t)changes != old && atomic_compare_exchange_strong(
	    &block->changes, &old, (uint64_t)changes))
		authcache_changed();
	cur = ld(&block->synced_ms);
	while ((int64_t)cur < started_ms &&
	    !atomic_compare_exchange_weak(&block->synced_ms, &cur,
	    (uint64_t)started_ms))
		;
}

uint64_t
authcache_mark(void)
{
	return block == NULL ? 0 :
	    atomic_load_explicit(&block->gen, memory_order_acquire);
}

void
authcache_changed(void)
{
	if (block != NULL)
		atomic_fetch_add_explicit(&block->gen, 1, memory_order_acq_rel);
}

bool
authcache_get(const char *jti, long long uid, long long gen,
    struct authcache_hit *out)
{
	struct slot	*s;
	char		 id[JTI_WORDS * 8];
	uint64_t	 s1, s2, mark, u, g, role;

	if (block == NULL || strlen(jti) != TOKEN_JTI_LEN)
		return false;
	s = slot_of(jti);
	s1 = atomic_load_explicit(&s->seq, memory_order_acquire);
	if (s1 == 0 || (s1 & 1) != 0)
		return false;
	mark = ld(&s->mark);
	u = ld(&s->uid);
	g = ld(&s->gen);
	role = ld(&s->role);
	str_get(s->jti, JTI_WORDS, id);
	str_get(s->name, NAME_WORDS, out->username);
	atomic_thread_fence(memory_order_acquire);
	s2 = ld(&s->seq);
	if (s1 != s2 || strcmp(id, jti) != 0 || u != (uint64_t)uid ||
	    g != (uint64_t)gen || mark != authcache_mark() || role >= ROLE__MAX)
		return false;
	out->role = (enum role)role;
	return true;
}

void
authcache_put(uint64_t mark, const char *jti, long long uid, long long gen,
    enum role role, const char *username)
{
	struct slot	*s;
	uint64_t	 seq;

	if (block == NULL || strlen(jti) != TOKEN_JTI_LEN ||
	    strlen(username) > USERNAME_MAX)
		return;
	s = slot_of(jti);
	seq = ld(&s->seq);
	if ((seq & 1) != 0 || !atomic_compare_exchange_strong(&s->seq, &seq,
	    seq + 1))
		return;
	atomic_thread_fence(memory_order_release);
	st(&s->mark, mark);
	st(&s->uid, (uint64_t)uid);
	st(&s->gen, (uint64_t)gen);
	st(&s->role, (uint64_t)role);
	str_put(s->jti, JTI_WORDS, jti);
	str_put(s->name, NAME_WORDS, username);
	atomic_store_explicit(&s->seq, seq + 2, memory_order_release);
}

void
authcache_commit_hook(unsigned notes)
{
	if ((notes & DB_NOTE_AUTH) != 0)
		authcache_changed();
}
