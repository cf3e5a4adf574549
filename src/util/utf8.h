/*
 * Strict UTF-8 checking, shared by the JSON parser (a body must be
 * UTF-8) and the field validators (lengths count characters).
 */
#ifndef RO_UTF8_H
#define RO_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether s[0..len) is valid UTF-8 without NUL; if so and nchars is not
 * NULL, *nchars gets its length in characters.
 */
bool	 utf8_valid(const char *s, size_t len, size_t *nchars);

#endif
