/*
 * The page templates: every templates/NAME.mustache compiled once at
 * start (a syntax error stops the program, naming file, line and
 * column), rendered with the others as its partials.  Shared by the
 * workers and resilops-sched (the static copy of the status page).
 */
#ifndef RO_PAGES_H
#define RO_PAGES_H

#include <stddef.h>

#include <json-c/json.h>

struct pages;

/* Load and compile every *.mustache of dir.  NULL with err set. */
struct pages	*pages_load(const char *dir, char *err, size_t errsz);
void		 pages_free(struct pages *);
/* Whether the set has a template of this name. */
int		 pages_has(const struct pages *, const char *name);
/*
 * Render template name with data; the buffer is the caller's (free),
 * *len its length.  NULL (logged) when there is no such template or
 * rendering fails.
 */
char		*pages_render(const struct pages *, const char *name,
		    struct json_object *data, size_t *len);

#endif
