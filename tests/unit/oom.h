/*
 * Allocation failure injection (tests/unit/oom.c): the scenarios, each
 * one real operation of the library, and what they tell the runner.
 */
#ifndef RO_OOM_H
#define RO_OOM_H

#include <stddef.h>

/*
 * One operation.  run does it from start to end, frees everything it
 * made and returns 0 (done) or -1 (refused: an allocation failed and
 * the code said so).  On 0 it hands what it produced to oom_digest, so
 * that a success under a failed allocation must also be the same
 * result as the clean run's: an error swallowed into a wrong answer
 * fails the run too.
 */
struct oom_scenario {
	const char	*name;
	int		(*run)(void);
};

/* Fold n bytes of the scenario's result into its digest. */
void	 oom_digest(const void *, size_t n);
/* The same for a NUL-terminated string (NULL counts as its own value). */
void	 oom_digest_str(const char *);

/* The scenario tables of oom_util.c and oom_core.c. */
extern const struct oom_scenario	 oom_util[];
extern const size_t			 oom_nutil;
extern const struct oom_scenario	 oom_core[];
extern const size_t			 oom_ncore;

#define OOM_TABLE(t)	sizeof(t) / sizeof((t)[0])

#endif
