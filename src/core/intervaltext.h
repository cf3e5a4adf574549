/*
 * The text the database keeps intervals in: a JSON array of
 * [start, end] pairs of UNIX seconds, end null for one still open, as
 * MariaDB's JSON_ARRAYAGG(JSON_ARRAY(...)) writes it ("[[1, 2], [3,
 * null]]").  The services' summaries hold their recent outages and
 * maintenance windows so (sql/022, sql/027).  Pure.
 */
#ifndef RO_INTERVALTEXT_H
#define RO_INTERVALTEXT_H

#include <stddef.h>

#include "core/uptime.h"

/*
 * The pairs of text[0..len) into a new array *out (NULL when none; the
 * caller frees), *n of them, end 0 for null.  Strict: anything but
 * such an array of pairs of integers (JSON whitespace allowed between
 * tokens) is refused whole.  0; -1 for a text that is not one; -2 out
 * of memory.
 */
int	 intervals_parse(const char *text, size_t len, struct interval **out,
	    size_t *n);

#endif
