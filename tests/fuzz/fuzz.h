/*
 * What every fuzz target shares: libFuzzer's entry point and the
 * carving of one input into the parts a parser takes.  The targets run
 * the code exactly as the server does; nothing here stands in for it.
 */
#ifndef RO_FUZZ_H
#define RO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/*
 * Errors only: a rejected input's warning line per run would be most
 * of a target's time.  Included once per target program.
 */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init("fuzz", LOG_LVL_ERR, 0);
	return 0;
}

/* A NUL-terminated copy (an input's own NULs end it early, as C's do). */
static inline char *
fuzz_str(const uint8_t *d, size_t n)
{
	char	*s = malloc(n + 1);

	if (s == NULL)
		abort();
	memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

/*
 * The next part of the input, up to a NUL byte (or its end), as its own
 * string; *d and *n move past it.  NULL when the input is used up.
 */
static inline char *
fuzz_part(const uint8_t **d, size_t *n)
{
	const uint8_t	*end;
	size_t		 len;
	char		*s;

	if (*n == 0)
		return NULL;
	end = memchr(*d, '\0', *n);
	len = end != NULL ? (size_t)(end - *d) : *n;
	s = fuzz_str(*d, len);
	*d += len + (end != NULL);
	*n -= len + (end != NULL);
	return s;
}

#endif
