/*
 * Route matching.  A pattern is '/'-separated literal segments and
 * placeholders: <id> matches 1 to 18 decimal digits (a positive
 * integer), so a non-numeric id never reaches a handler (404); <name>
 * (at most one per pattern) matches 1 to ROUTE_NAME_MAX of
 * [A-Za-z0-9_-] (a priority, a scan type).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/route.h"

#define ID_DIGITS_MAX 18

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Match one pattern against path; fills params (and name) on success. */
static bool
pattern_match(const char *pat, const char *path, long long *params,
    size_t *nparams, char name[ROUTE_NAME_MAX + 1])
{
	size_t	 n = 0, len;

	while (*pat != '\0' && *path != '\0') {
		/*
		 * Every request tries every route (for a 405's Allow): the
		 * placeholders are looked for only where one can start, not
		 * with two strncmp at each byte (2% of a worker's CPU, perf).
		 */
		if (*pat != '<') {
			if (*pat != *path)
				return false;
			pat++;
			path++;
			continue;
		}
		if (strncmp(pat, "<name>", 6) == 0) {
			for (len = 0; name_char(path[len]); len++)
				if (len == ROUTE_NAME_MAX)
					return false;
			if (len == 0)
				return false;
			memcpy(name, path, len);
			name[len] = '\0';
			path += len;
			pat += 6;
			continue;
		}
		if (strncmp(pat, "<id>", 4) == 0) {
			const char	*s = path;
			long long	 v = 0;

			while (*path >= '0' && *path <= '9') {
				/*
				 * 18 digits always fit a long long; a 19th is
				 * refused before it is added, not after (it
				 * could overflow: make fuzz found that).
				 */
				if (path - s == ID_DIGITS_MAX)
					return false;
				v = v * 10 + (*path - '0');
				path++;
			}
			if (path == s || v == 0 || n == REQUEST_PARAMS_MAX)
				return false;
			params[n++] = v;
			pat += 4;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	if (*pat != '\0' || *path != '\0')
		return false;
	*nparams = n;
	return true;
}

enum route_result
route_find(const struct route *table, size_t n, int method, const char *path,
    struct route_match *m)
{
	long long	 params[REQUEST_PARAMS_MAX];
	char		 name[ROUTE_NAME_MAX + 1];
	size_t		 i, np;
	bool		 found = false;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		if (!pattern_match(table[i].pattern, path, params, &np, name))
			continue;
		found = true;
		m->allow |= 1u << table[i].method;
		if (table[i].method == HTTP_GET)
			m->allow |= 1u << HTTP_HEAD;
		if (m->route != NULL)
			continue;
		if ((int)table[i].method == method ||
		    (method == HTTP_HEAD && table[i].method == HTTP_GET)) {
			m->route = &table[i];
			memcpy(m->params, params, sizeof(params));
			m->nparams = np;
			memcpy(m->name, name, sizeof(name));
		}
	}
	if (!found)
		return ROUTE_NOT_FOUND;
	m->allow |= 1u << HTTP_OPTIONS;
	return m->route != NULL ? ROUTE_FOUND : ROUTE_BAD_METHOD;
}

void
route_allow_text(unsigned allow, char *buf, size_t bufsz)
{
	size_t	 len = 0;
	int	 i;

	if (bufsz == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < HTTP__MAX; i++) {
		if ((allow & (1u << i)) == 0)
			continue;
		len += snprintf(buf + len, len < bufsz ? bufsz - len : 0, "%s%s",
		    len ? ", " : "", http_method_name(i));
		if (len >= bufsz)
			break;
	}
}

enum media
route_media(const struct route *r)
{
	static const struct { unsigned flag; enum media media; } answers[] = {
		{ ANSWERS_HTML, MEDIA_HTML },
		{ ANSWERS_ATOM, MEDIA_ATOM },
		{ ANSWERS_SVG, MEDIA_SVG },
		{ ANSWERS_PROM, MEDIA_PROM },
	};
	size_t	 i;

	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++)
		if (r->flags & answers[i].flag)
			return answers[i].media;
	return MEDIA_JSON;
}
