/*
 * Allocation failure injection over the library the unit suites cover
 * (SQLite's one-shot malloc failure test, for our code): for every
 * scenario of oom_util.c and oom_core.c, count the allocation calls K
 * of a clean run, then for each N in 1..K run it again in a child in
 * which exactly the Nth call fails (those after it succeed).  Each run
 * must end cleanly: the scenario returns 0 or -1 (a crash, an abort, a
 * hang or anything else fails), nothing it allocated is left live, and
 * a 0 under a failed allocation must give the clean run's result.
 *
 * The program interposes malloc, calloc, realloc, free and the aligned
 * family in the executable and forwards them to glibc's own
 * (__libc_malloc and kin: the same allocator, so a block from one is
 * freed by the other).  glibc routes its internal allocations
 * (strdup, open_memstream, asprintf, fopen) through these symbols, and
 * so do json-c, OpenSSL, libjwt and jansson: every allocation a
 * scenario causes is counted and may fail.
 *
 * Allocations made inside code that is not ours and is known not to
 * survive a failure (oom_foreign: json-c's tokener and printer, libjwt
 * and its jansson) are left to succeed and counted apart.
 *
 *   tests/unit/oom [-v] [-n N] [scenario ...]
 *
 * Scenarios named run alone.  -v lets the library's log lines through
 * (they go to /dev/null otherwise: every refusal logs).  -n N runs one
 * scenario once with its Nth allocation failed and shows what it left
 * live.  Exit 0 when every run was clean, 1 when one was not, 77 under
 * AddressSanitizer (whose allocator this would bypass), 99 when the
 * program cannot run.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "oom.h"
#include "util/log.h"

#if defined(__SANITIZE_ADDRESS__)
#define OOM_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OOM_ASAN	1
#endif
#endif

#define CHILD_SECONDS	20	/* one run longer than this hangs */

/* What a child's exit status says. */
#define RUN_DONE	0	/* returned 0, the clean run's result */
#define RUN_REFUSED	10	/* returned -1 */
#define RUN_FOREIGN	11	/* the allocation was foreign code's: not failed */
#define RUN_BAD		20	/* anything else: the child said what */

static struct {
	bool		 armed;		/* counting (and maybe failing) */
	unsigned long	 calls;		/* allocation calls since armed */
	unsigned long	 fail_at;	/* the call that fails; 0: none */
	bool		 injected;	/* fail_at was reached and failed */
	const char	*foreign;	/* fail_at was left to succeed: whose */
	long long	 blocks;	/* live blocks, all the time */
	long long	 bytes;		/* their usable sizes */
} oom;

static uint64_t		 digest;
static int		 report_fd = STDERR_FILENO;

#ifndef OOM_ASAN

void	*__libc_malloc(size_t);
void	*__libc_calloc(size_t, size_t);
void	*__libc_realloc(void *, size_t);
void	 __libc_free(void *);
void	*__libc_memalign(size_t, size_t);
void	*__libc_valloc(size_t);
void	*__libc_pvalloc(size_t);
size_t	 malloc_usable_size(void *);
void	*memalign(size_t, size_t);
void	*valloc(size_t);
void	*pvalloc(size_t);

/* Where a debugger stops to see who asked: break oom_failing. */
void	 oom_failing(void);
void __attribute__((noinline))
oom_failing(void)
{
	__asm__ volatile ("");
}

/*
 * Code that is not ours and does not survive a failed allocation: its
 * own allocations are left alone (the run counts as skipped), so that
 * what is found is ours.  Each was seen to crash or to lie here:
 * json-c 0.16's tokener strdup()s a key unchecked and ignores a failed
 * json_object_object_add (a crash, a leak), its printer ignores a
 * failed printbuf append (truncated text returned as success), and its
 * add leaks the key's copy when growing the table fails; libjwt 1.10
 * strlen()s what a failed json_dumps returned (a crash).  A
 * failure of json-c's constructors (json_object_new_*) called by our
 * code is not skipped: that is the caller's to handle.
 */
static const char *const foreign_fns[] = {
	"json_tokener_parse_ex", "json_object_to_json_string_length",
	"lh_table_resize",
};
static const char *const foreign_libs[] = { "libjwt.so", "libjansson.so" };

/* Whether the allocation being made comes from foreign code. */
static const char *
oom_foreign(void)
{
	void	*frames[64];
	Dl_info	 info;
	size_t	 k;
	int	 i, n;

	n = backtrace(frames, 64);
	for (i = 1; i < n; i++) {
		if (dladdr(frames[i], &info) == 0)
			continue;
		for (k = 0; k < sizeof(foreign_fns) / sizeof(foreign_fns[0]);
		    k++)
			if (info.dli_sname != NULL &&
			    strcmp(info.dli_sname, foreign_fns[k]) == 0)
				return foreign_fns[k];
		for (k = 0; k < sizeof(foreign_libs) / sizeof(foreign_libs[0]);
		    k++)
			if (info.dli_fname != NULL &&
			    strstr(info.dli_fname, foreign_libs[k]) != NULL)
				return foreign_libs[k];
	}
	return NULL;
}

/* Whether this allocation call is the one to fail. */
static bool
oom_fail_now(void)
{
	if (!oom.armed)
		return false;
	if (++oom.calls != oom.fail_at)
		return false;
	oom.armed = false;	/* backtrace and dladdr may allocate */
	oom.foreign = oom_foreign();
	oom.armed = true;
	if (oom.foreign != NULL)
		return false;
	oom.injected = true;
	oom_failing();
	errno = ENOMEM;
	return true;
}

/*
 * -n's leak trace: who allocated what the run left live (a fixed
 * table, filled only in that mode).
 */
#define TRACE_MAX	4096
#define TRACE_DEPTH	10
static struct {
	void	*p;
	void	*frames[TRACE_DEPTH];
	int	 n;
}		 trace[TRACE_MAX];
static bool	 tracing;

static void
trace_took(void *p)
{
	size_t	 i;

	tracing = false;	/* backtrace may allocate */
	for (i = 0; i < TRACE_MAX; i++)
		if (trace[i].p == NULL) {
			trace[i].p = p;
			trace[i].n = backtrace(trace[i].frames, TRACE_DEPTH);
			break;
		}
	tracing = true;
}

static void
trace_freed(void *p)
{
	size_t	 i;

	for (i = 0; i < TRACE_MAX; i++)
		if (trace[i].p == p) {
			trace[i].p = NULL;
			break;
		}
}

static void
trace_report(void)
{
	size_t	 i;

	tracing = false;
	for (i = 0; i < TRACE_MAX; i++)
		if (trace[i].p != NULL) {
			dprintf(report_fd, "oom: left live, %zu bytes, from:\n",
			    malloc_usable_size(trace[i].p));
			backtrace_symbols_fd(trace[i].frames, trace[i].n,
			    report_fd);
		}
}

static void *
oom_took(void *p)
{
	if (p != NULL) {
		oom.blocks++;
		oom.bytes += (long long)malloc_usable_size(p);
		if (tracing)
			trace_took(p);
	}
	return p;
}

void *
malloc(size_t n)
{
	return oom_fail_now() ? NULL : oom_took(__libc_malloc(n));
}

void *
calloc(size_t n, size_t size)
{
	return oom_fail_now() ? NULL : oom_took(__libc_calloc(n, size));
}

void
free(void *p)
{
	if (p == NULL)
		return;
	oom.blocks--;
	oom.bytes -= (long long)malloc_usable_size(p);
	if (tracing)
		trace_freed(p);
	__libc_free(p);
}

void *
realloc(void *p, size_t n)
{
	size_t	 was;
	void	*q;

	if (p == NULL)
		return malloc(n);
	if (n == 0) {		/* glibc frees and returns NULL */
		free(p);
		return NULL;
	}
	if (oom_fail_now())
		return NULL;
	was = malloc_usable_size(p);
	if ((q = __libc_realloc(p, n)) != NULL) {
		oom.bytes += (long long)malloc_usable_size(q) - (long long)was;
		if (tracing && q != p) {
			trace_freed(p);
			trace_took(q);
		}
	}
	return q;
}

void *
memalign(size_t align, size_t n)
{
	return oom_fail_now() ? NULL : oom_took(__libc_memalign(align, n));
}

void *
aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int
posix_memalign(void **out, size_t align, size_t n)
{
	void	*p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	if ((p = memalign(align, n)) == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

void *
valloc(size_t n)
{
	return oom_fail_now() ? NULL : oom_took(__libc_valloc(n));
}

void *
pvalloc(size_t n)
{
	return oom_fail_now() ? NULL : oom_took(__libc_pvalloc(n));
}

#else

static bool	 tracing;

static const char *
oom_foreign(void)
{
	return NULL;
}

static void
trace_report(void)
{
}

#endif /* !OOM_ASAN */

void
oom_digest(const void *p, size_t n)
{
	const unsigned char	*c = p;
	size_t			 i;

	/* FNV-1a, with the length first so "ab","c" differs from "a","bc". */
	for (i = 0; i < sizeof(n); i++)
		digest = (digest ^ ((n >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
	for (i = 0; i < n; i++)
		digest = (digest ^ c[i]) * 0x100000001b3ULL;
}

void
oom_digest_str(const char *s)
{
	if (s == NULL)
		oom_digest("\377NULL", 5);
	else
		oom_digest(s, strlen(s));
}

struct run {
	int		 rc;
	unsigned long	 calls;
	bool		 injected;
	const char	*foreign;
	uint64_t	 digest;
	long long	 blocks;	/* left live by the run */
	long long	 bytes;
};

/* Run s once, failing allocation call fail_at (0: none). */
static void
run_once(const struct oom_scenario *s, unsigned long fail_at, struct run *r)
{
	long long	 blocks = oom.blocks, bytes = oom.bytes;

	digest = 0xcbf29ce484222325ULL;
	oom.calls = 0;
	oom.injected = false;
	oom.foreign = NULL;
	oom.fail_at = fail_at;
	oom.armed = true;
	r->rc = s->run();
	oom.armed = false;
	/*
	 * OpenSSL's error queue holds what a refusal pushed (its entries'
	 * texts are allocated): the server clears it per request too.
	 */
	ERR_clear_error();
	r->calls = oom.calls;
	r->injected = oom.injected;
	r->foreign = oom.foreign;
	r->digest = digest;
	r->blocks = oom.blocks - blocks;
	r->bytes = oom.bytes - bytes;
}

/* What is wrong with run r of s at n, into buf; false if nothing. */
static bool
run_wrong(const struct run *r, const struct run *clean, char *buf,
    size_t bufsz)
{
	if (r->rc != 0 && r->rc != -1)
		snprintf(buf, bufsz, "returned %d, not 0 or -1", r->rc);
	else if (r->blocks != 0 || r->bytes != 0)
		snprintf(buf, bufsz, "leaked %lld block(s), %lld byte(s)%s",
		    r->blocks, r->bytes, r->rc == 0 ? "" : " (refused)");
	else if (r->rc == 0 && r->digest != clean->digest)
		snprintf(buf, bufsz, "returned 0 with another result than the "
		    "clean run's: a failure swallowed");
	else
		return false;
	return true;
}

struct tally {
	unsigned long	 scenarios;
	unsigned long	 injected;	/* runs with a failed allocation */
	unsigned long	 foreign;	/* runs whose allocation was foreign */
	unsigned long	 refused;	/* of which returned -1 */
	unsigned long	 failures;
};

/* The injected runs of one scenario, each in a child. */
static void
scenario_inject(const struct oom_scenario *s, const struct run *clean,
    struct tally *t)
{
	struct run	 r;
	char		 why[256];
	unsigned long	 n, fails = 0, refused = 0, foreign = 0;
	pid_t		 pid;
	int		 status;

	for (n = 1; n <= clean->calls; n++) {
		if ((pid = fork()) == -1) {
			dprintf(report_fd, "oom: fork: %s\n", strerror(errno));
			exit(99);
		}
		if (pid == 0) {
			alarm(CHILD_SECONDS);
			run_once(s, n, &r);
			if (run_wrong(&r, clean, why, sizeof(why))) {
				dprintf(report_fd, "FAIL %s, allocation %lu of "
				    "%lu failed: %s\n", s->name, n,
				    clean->calls, why);
				_exit(RUN_BAD);
			}
			if (r.foreign != NULL)
				_exit(RUN_FOREIGN);
			_exit(r.rc == 0 ? RUN_DONE : RUN_REFUSED);
		}
		while (waitpid(pid, &status, 0) == -1)
			if (errno != EINTR) {
				dprintf(report_fd, "oom: waitpid: %s\n",
				    strerror(errno));
				exit(99);
			}
		if (WIFSIGNALED(status)) {
			dprintf(report_fd, "FAIL %s, allocation %lu of %lu "
			    "failed: killed by signal %d (%s)%s\n", s->name, n,
			    clean->calls, WTERMSIG(status),
			    strsignal(WTERMSIG(status)),
			    WTERMSIG(status) == SIGALRM ? ": a hang" : "");
			fails++;
		} else if (WEXITSTATUS(status) == RUN_REFUSED)
			refused++;
		else if (WEXITSTATUS(status) == RUN_FOREIGN)
			foreign++;
		else if (WEXITSTATUS(status) != RUN_DONE) {
			if (WEXITSTATUS(status) != RUN_BAD)
				dprintf(report_fd, "FAIL %s, allocation %lu "
				    "of %lu failed: exit %d\n", s->name, n,
				    clean->calls, WEXITSTATUS(status));
			fails++;
		}
	}
	printf("oom: %-22s %5lu allocations: %5lu refused, %5lu done, %4lu "
	    "foreign, %lu failure(s)\n", s->name, clean->calls, refused,
	    clean->calls - refused - foreign - fails, foreign, fails);
	fflush(stdout);
	t->injected += clean->calls - foreign;
	t->foreign += foreign;
	t->refused += refused;
	t->failures += fails;
}

static void
scenario(const struct oom_scenario *s, struct tally *t)
{
	struct run	 warm, clean;
	char		 why[256];

	t->scenarios++;
	/*
	 * The warm-up does what the library does once (OpenSSL loading its
	 * algorithms, glibc reading the time zone): every child inherits
	 * it, so what a run leaves live is its own.
	 */
	run_once(s, 0, &warm);
	run_once(s, 0, &clean);
	if (clean.rc != 0 || warm.rc != 0) {
		dprintf(report_fd, "FAIL %s: the clean run returned %d\n",
		    s->name, clean.rc != 0 ? clean.rc : warm.rc);
		t->failures++;
		return;
	}
	if (run_wrong(&clean, &clean, why, sizeof(why))) {
		dprintf(report_fd, "FAIL %s: the clean run %s\n", s->name, why);
		t->failures++;
		return;
	}
	if (clean.calls == 0 || warm.digest != clean.digest) {
		dprintf(report_fd, "FAIL %s: the clean run %s\n", s->name,
		    clean.calls == 0 ? "allocates nothing (the interposer "
		    "does not see it?)" : "gives another result each time");
		t->failures++;
		return;
	}
	scenario_inject(s, &clean, t);
}

/* Whether the interposer sees glibc's own allocations. */
static bool
interposer_works(void)
{
	/* Called through a volatile: the compiler may not see through it. */
	char		*(*volatile dup)(const char *) = strdup;
	unsigned long	 before;
	long long	 blocks = oom.blocks;
	char		*s;

	oom.armed = true;
	oom.calls = 0;
	oom.fail_at = 0;
	s = dup("x");
	before = oom.calls;
	if (s == NULL || oom.blocks != blocks + 1)
		before = 0;
	free(s);
	oom.fail_at = oom.calls + 1;
	s = dup("y");
	oom.armed = false;
	if (s != NULL) {
		free(s);
		return false;
	}
	return before == 1 && oom.blocks == blocks;
}

static bool
wanted(const char *name, int argc, char *argv[])
{
	int	 i;

	if (argc == 0)
		return true;
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

/*
 * -n N scenario: one run with its Nth allocation failed, in a child as
 * the real runs, with a backtrace of every block it left live; for a
 * debugger too (gdb -ex 'set follow-fork-mode child' -ex 'break
 * oom_failing' --args tests/unit/oom -v -n 12 json_parse).
 */
static int
debug_once(const struct oom_scenario *s, unsigned long n)
{
	struct run	 warm, clean, r;
	char		 why[256];
	pid_t		 pid;
	int		 status;

	run_once(s, 0, &warm);
	run_once(s, 0, &clean);
	/*
	 * In a child, as the real runs: OpenSSL reseeds after a fork, so
	 * a child's allocations are not its parent's.
	 */
	if ((pid = fork()) == -1)
		return 99;
	if (pid == 0) {
		tracing = true;
		run_once(s, n, &r);
		trace_report();
		if (run_wrong(&r, &clean, why, sizeof(why)))
			printf("oom: %s, allocation %lu of %lu failed: %s\n",
			    s->name, n, clean.calls, why);
		else
			printf("oom: %s, allocation %lu of %lu failed: %s\n",
			    s->name, n, clean.calls, r.foreign != NULL ?
			    r.foreign : r.rc == 0 ? "done" : "refused");
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) == -1)
		return 99;
	if (WIFSIGNALED(status))
		printf("oom: %s, allocation %lu failed: killed by signal %d\n",
		    s->name, n, WTERMSIG(status));
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct {
		const struct oom_scenario	*v;
		const size_t			*n;
	} tables[] = {
		{ oom_util, &oom_nutil },
		{ oom_core, &oom_ncore },
	};
	struct tally	 t;
	struct timespec	 t0, t1;
	size_t		 i, j;
	unsigned long	 once = 0;
	bool		 verbose = false;
	int		 null;

#ifdef OOM_ASAN
	(void)argc;
	(void)argv;
	(void)tables;
	printf("oom: skipped under AddressSanitizer (its allocator)\n");
	return 77;
#endif
	for (;;) {
		if (argc > 1 && strcmp(argv[1], "-v") == 0)
			verbose = true;
		else if (argc > 2 && strcmp(argv[1], "-n") == 0)
			once = strtoul(argv[2], NULL, 10);
		else
			break;
		argc -= strcmp(argv[1], "-n") == 0 ? 2 : 1;
		argv += strcmp(argv[1], "-n") == 0 ? 2 : 1;
	}
	argc--;
	argv++;
	log_init("oom", LOG_LVL_ERR, 0);
	(void)oom_foreign();	/* backtrace loads libgcc_s once */
	if (!interposer_works()) {
		printf("oom: the malloc interposer does not see glibc's "
		    "allocations: cannot test\n");
		return 99;
	}
	/* Reports to stderr as it is; the library's log lines away. */
	if ((report_fd = dup(STDERR_FILENO)) == -1)
		return 99;
	if (!verbose) {
		if ((null = open("/dev/null", O_WRONLY)) == -1 ||
		    dup2(null, STDERR_FILENO) == -1)
			return 99;
		close(null);
	}
	if (once > 0) {
		for (i = 0; argc == 1 &&
		    i < sizeof(tables) / sizeof(tables[0]); i++)
			for (j = 0; j < *tables[i].n; j++)
				if (strcmp(tables[i].v[j].name, argv[0]) == 0)
					return debug_once(&tables[i].v[j],
					    once);
		printf("oom: -n needs one scenario's name\n");
		return 99;
	}
	memset(&t, 0, sizeof(t));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		for (j = 0; j < *tables[i].n; j++)
			if (wanted(tables[i].v[j].name, argc, argv))
				scenario(&tables[i].v[j], &t);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("oom: %lu scenarios, %lu injected allocation failures "
	    "(%lu refused, %lu done anyway), %lu left to foreign code, "
	    "%lu failure(s), %.1f s\n", t.scenarios, t.injected, t.refused,
	    t.injected - t.refused - t.failures, t.foreign, t.failures,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (t.scenarios == 0) {
		printf("oom: no such scenario\n");
		return 99;
	}
	return t.failures > 0 ? 1 : 0;
}
