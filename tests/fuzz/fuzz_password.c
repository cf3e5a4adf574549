/*
 * util/password.c's reading of stored hashes: Werkzeug's pbkdf2 and
 * scrypt, bcrypt, our own; imported rows are whatever the old systems
 * held.  The input is a stored hash, then (after a NUL) a password.
 * Every cost read from a hash is capped by the parser; verifying at the
 * caps is slow but bounded, so here a hash asking for more than a
 * fuzzer-sized cost is only parsed (password_needs_rehash), and the
 * rest are verified too.  A hash must never verify a password that was
 * not the one it was made from: only the fixed pair below may pass.
 */
#include "config.h"

#include <ctype.h>

#include "tests/fuzz/fuzz.h"
#include "util/password.h"

/* Whether every number in s is small (a count or a log2 cost). */
static int
cheap(const char *s)
{
	unsigned long	 v;

	while (*s != '\0') {
		if (!isdigit((unsigned char)*s)) {
			s++;
			continue;
		}
		for (v = 0; isdigit((unsigned char)*s); s++)
			if ((v = v * 10 + (unsigned long)(*s - '0')) > 2000)
				return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char	*stored = fuzz_part(&d, &n), *pw = fuzz_part(&d, &n);

	if (stored == NULL)
		return 0;
	(void)password_needs_rehash(stored, 1000);
	/* bcrypt's cost is a power of two: a two-digit one is 2^10 and up. */
	if (cheap(stored) && strstr(stored, "$2") == NULL &&
	    password_verify(pw != NULL ? pw : "", stored)) {
		/* The fuzzer holds no hash of ours but what the corpus gave. */
		if (pw == NULL || strcmp(pw, "correct horse") != 0)
			abort();
	}
	free(stored);
	free(pw);
	return 0;
}
