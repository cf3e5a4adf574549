/*
 * core/isotime.c: every time a client sends (filters, maintenance
 * windows, downtimes).  A time it accepts formats to text that parses
 * to the same instant.
 */
#include "config.h"

#include "core/isotime.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char	*s = fuzz_str(d, n);
	char	 out[ISOTIME_LEN + 1];
	time_t	 t, t2;

	if (isotime_parse(s, &t) == 0) {
		isotime_format(t, out);
		if (isotime_parse(out, &t2) != 0 || t2 != t)
			abort();
	}
	free(s);
	return 0;
}
