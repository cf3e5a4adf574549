/*
 * Golden files for the page tests (tests/golden): rendered output is
 * compared byte for byte with its file, so that a change to a template,
 * to what a document holds or to the wording shows as a diff;
 * GOLDEN_UPDATE=1 rewrites the files after a deliberate change.
 */
#ifndef RO_TEST_GOLDEN_H
#define RO_TEST_GOLDEN_H

#include <stddef.h>

struct json_object;
struct pages;

/* The tree's templates/ compiled, or NULL (the reason on stderr). */
struct pages	*golden_templates(void);
/*
 * Template tpl rendered with doc (taken) by the tree's templates: a
 * malloc'd string (caller frees), or NULL after a CUnit failure.
 */
char		*golden_render(const char *tpl, struct json_object *doc,
		    size_t *len);
/*
 * out[0..len) against GOLDEN_DIR/name: a CUnit failure when they
 * differ (or written there with GOLDEN_UPDATE=1).
 */
void		 golden_compare(const char *name, const char *out, size_t len);
/* Both: tpl rendered with doc (taken) against GOLDEN_DIR/name. */
void		 golden_check(const char *tpl, struct json_object *doc,
		    const char *name);
/* The fixture GOLDEN_DIR/name parsed (caller puts), or NULL (a failure). */
struct json_object *golden_json(const char *name);

#endif
