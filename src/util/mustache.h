/*
 * Logic-less Mustache templates over json-c data, for server-rendered
 * pages: compile once, render many times.  Pure: no I/O, no state
 * outside the objects passed in.  Supported: variables (escaped by
 * default), {{{raw}}} and {{& raw}}, dotted names, {{.}}, sections,
 * inverted sections, comments, partials and set delimiters, with the
 * spec's standalone-line rules (mustache/spec 1.3 core modules).  Not
 * supported: lambdas, inheritance ({{< }} and {{$ }} are compile
 * errors) and dynamic names.
 */
#ifndef RO_MUSTACHE_H
#define RO_MUSTACHE_H

#include <stddef.h>
#include <json-c/json.h>

#define MUSTACHE_TEMPLATE_MAX	(16 * 1024 * 1024)	/* bytes of template text */
#define MUSTACHE_OUTPUT_MAX	(64 * 1024 * 1024)	/* bytes of one rendering */
#define MUSTACHE_SECTION_DEPTH	64	/* sections open at once in a template */
#define MUSTACHE_PARTIAL_DEPTH	32	/* partials rendering inside each other */
#define MUSTACHE_DELIM_MAX	16	/* bytes of a {{=<% %>=}} delimiter */
/*
 * Nodes visited plus list elements iterated in one rendering: a
 * partial that includes itself twice per level of its data does work
 * exponential in that depth while printing nothing, so neither the
 * depth nor the output cap would stop it.
 */
#define MUSTACHE_STEPS_MAX	(1 << 24)

struct mustache;

/*
 * Where partials come from.  lookup returns a compiled template that
 * stays valid for the whole rendering (the caller keeps ownership), or
 * NULL: a missing partial renders as nothing, as the spec asks.
 */
struct mustache_partials {
	const struct mustache	*(*lookup)(const char *name, void *arg);
	void			*arg;
};

/*
 * Compile text[0..len) (NUL bytes allowed, no terminator needed).
 * Returns a template owned by the caller (mustache_free), which keeps
 * its own copy of what it needs: text may be freed at once.  On a
 * syntax error (unclosed tag or section, mismatched section end, bad
 * set-delimiter, empty or malformed name, sections nested deeper than
 * MUSTACHE_SECTION_DEPTH, unsupported tag), text longer than
 * MUSTACHE_TEMPLATE_MAX or no memory: NULL, and err (if not NULL)
 * holds "line L, column C: what" for syntax errors.
 */
struct mustache	*mustache_compile(const char *text, size_t len, char *err,
		    size_t errsz);

/* Free a template; NULL is a no-op. */
void		 mustache_free(struct mustache *);

/*
 * Render tpl with data (any JSON value, NULL for null) as the root
 * context; partials may be NULL (every partial is then missing).
 * Returns a NUL-terminated buffer owned by the caller (free), its
 * length without the NUL in *len if len is not NULL.  NULL if memory
 * runs out, partials nest deeper than MUSTACHE_PARTIAL_DEPTH (a partial
 * that includes itself unconditionally), the output would pass
 * MUSTACHE_OUTPUT_MAX or the work MUSTACHE_STEPS_MAX; err (if not
 * NULL) then says which.
 *
 * Neither tpl nor data is modified and no reference to data is taken:
 * one template may render in several threads at once.
 *
 * Values: strings as they are, integers in decimal, doubles in the
 * shortest form that reads back the same (1.21 is "1.21"; infinities
 * render empty), true and false as "true" and "false", null, a missing
 * name, objects and arrays as nothing.  {{name}} escapes & < > " ' as
 * &amp; &lt; &gt; &quot; &#39;, so its output is safe in element text
 * and in quoted attributes (either quote); {{{name}}} and {{& name}}
 * insert raw text.  Sections hide for false, null, a missing name and
 * the empty array; an array repeats the section once per element, any
 * other value (0 and "" too) renders it once with the value pushed on
 * the context stack.
 */
char		*mustache_render(const struct mustache *tpl,
		    struct json_object *data, const struct mustache_partials *,
		    size_t *len, char *err, size_t errsz);

#endif
