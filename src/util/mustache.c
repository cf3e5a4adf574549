/*
 * Mustache templates: compiling turns the text into a flat array of
 * nodes (a section's children follow it up to its end index), settling
 * every whitespace rule of the spec once; rendering walks that array
 * over json-c values with the context stack on the C stack.  Sizes and
 * depths are capped (util/mustache.h), so neither a template nor its
 * data can make either step run away.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util/mustache.h"

/* A tag name quoted in a message, at most 64 bytes of it: "%.*s". */
#define SHOWN(len)	(int)((len) < 64 ? (len) : 64)

enum mnode_type {
	MN_TEXT,	/* literal text */
	MN_ESCAPED,	/* {{name}} */
	MN_RAW,		/* {{{name}}} and {{& name}} */
	MN_SECTION,	/* {{#name}} */
	MN_INVERTED,	/* {{^name}} */
	MN_PARTIAL,	/* {{>name}} */
};

/*
 * off and len: a text node's text; a standalone partial's indentation
 * (the blanks before it on its line).  name: where the node's name
 * starts in names, its nseg segments each NUL-terminated.
 */
struct mnode {
	enum mnode_type	 type;
	bool		 line_start;	/* first on its source line */
	bool		 standalone;	/* MN_PARTIAL: alone on its line */
	size_t		 off, len;
	size_t		 name;
	size_t		 nseg;		/* 0 for the implicit iterator */
	size_t		 end;		/* sections: past their last child */
};

struct mustache {
	char		*text;		/* copy of the source */
	char		*names;		/* the tag names, dots made NULs */
	struct mnode	*nodes;
	size_t		 nnodes;
};

/* A section open while compiling, for its end tag and for errors. */
struct mopen {
	size_t		 node;
	size_t		 tag;		/* where its tag starts */
	size_t		 name, namelen;	/* as written, in text */
};

struct mparse {
	struct mustache	*m;
	size_t		 len;		/* of m->text */
	size_t		 nodecap;
	size_t		 namelen;	/* bytes used in m->names */
	const char	*otag, *ctag;	/* current delimiters */
	size_t		 olen, clen;
	size_t		 pos;		/* next byte to read */
	size_t		 line;		/* where the current line starts */
	bool		 clean;		/* no tag on that line yet */
	struct mopen	 open[MUSTACHE_SECTION_DEPTH];
	size_t		 depth;
	char		*err;
	size_t		 errsz;
};

/* A tag as read: its sigil (0 for a variable), content and extent. */
struct mtag {
	char		 sigil;
	size_t		 start, end;	/* delimiters included */
	size_t		 name, namelen;	/* content, blanks trimmed */
};

static int
verr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err != NULL && errsz > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A syntax error at text offset at: "line L, column C: ...". */
static int
perr(struct mparse *p, size_t at, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 i, line = 1, col = 1;
	int	 n;

	if (p->err == NULL || p->errsz == 0)
		return -1;
	/* Counting only here keeps the parser from tracking lines. */
	for (i = 0; i < at; i++, col++)
		if (p->m->text[i] == '\n') {
			line++;
			col = 0;
		}
	n = snprintf(p->err, p->errsz, "line %zu, column %zu: ", line, col);
	if (n > 0 && (size_t)n < p->errsz) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errsz - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool
blank(char c)
{

	return c == ' ' || c == '\t';
}

static bool
space(char c)
{

	return blank(c) || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* The spec's indentation goes where a source line starts. */
static bool
at_line_start(const struct mparse *p, size_t off)
{

	return off == 0 || p->m->text[off - 1] == '\n';
}

/* Find needle in text[from..len); memmem keeps long inputs linear. */
static bool
find(const struct mparse *p, size_t from, const char *needle, size_t nlen,
    size_t *at)
{
	const char	*s;

	if (from >= p->len)
		return false;
	s = memmem(p->m->text + from, p->len - from, needle, nlen);
	if (s == NULL)
		return false;
	*at = (size_t)(s - p->m->text);
	return true;
}

static struct mnode *
node_add(struct mparse *p, enum mnode_type type, size_t at)
{
	struct mnode	*nodes, *n;
	size_t		 cap;

	if (p->m->nnodes == p->nodecap) {
		cap = p->nodecap == 0 ? 64 : p->nodecap * 2;
		nodes = reallocarray(p->m->nodes, cap, sizeof(*nodes));
		if (nodes == NULL) {
			verr(p->err, p->errsz, "out of memory");
			return NULL;
		}
		p->m->nodes = nodes;
		p->nodecap = cap;
	}
	n = &p->m->nodes[p->m->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->line_start = at_line_start(p, at);
	return n;
}

static int
text_add(struct mparse *p, size_t from, size_t to)
{
	struct mnode	*n;

	if (to <= from)
		return 0;
	if ((n = node_add(p, MN_TEXT, from)) == NULL)
		return -1;
	n->off = from;
	n->len = to - from;
	return 0;
}

/*
 * Read the tag whose open delimiter is at start.  Blanks may come
 * before the sigil, as in the reference implementation.  A triple
 * mustache ends with "}" and the close delimiter, a set-delimiter tag
 * with "=" and the close delimiter.
 */
static int
tag_read(struct mparse *p, size_t start, struct mtag *t)
{
	const char	*s = p->m->text;
	char		 close[1 + MUSTACHE_DELIM_MAX];
	size_t		 i, body, stop;
	bool		 found;

	t->start = start;
	for (i = start + p->olen; i < p->len && space(s[i]); i++)
		continue;
	t->sigil = 0;
	if (i < p->len && s[i] != '\0' && strchr("#^/>!=&{<$", s[i]) != NULL)
		t->sigil = s[i];
	body = t->sigil != 0 ? i + 1 : i;
	if (t->sigil == '{') {
		close[0] = '}';
		memcpy(close + 1, p->ctag, p->clen);
		found = find(p, body, close, p->clen + 1, &stop);
	} else
		found = find(p, body, p->ctag, p->clen, &stop);
	if (!found)
		return perr(p, start, "unclosed tag");
	t->end = stop + p->clen + (t->sigil == '{');
	if (t->sigil == '=') {
		if (stop == body || s[stop - 1] != '=')
			return perr(p, start, "bad set-delimiter tag");
		stop--;
	}
	while (body < stop && space(s[body]))
		body++;
	while (stop > body && space(s[stop - 1]))
		stop--;
	t->name = body;
	t->namelen = stop - body;
	return 0;
}

/* Where the current line starts once text[from..to) is read. */
static void
line_advance(struct mparse *p, size_t from, size_t to)
{
	const char	*nl;

	if (to > from &&
	    (nl = memrchr(p->m->text + from, '\n', to - from)) != NULL) {
		p->line = (size_t)(nl - p->m->text) + 1;
		p->clean = true;
	}
}

/*
 * A section, inverted, end, comment, partial or set-delimiter tag
 * alone on its line, with only blanks around it, takes the whole line
 * with it, newline included; *after is where the next line starts.
 */
static bool
standalone(const struct mparse *p, const struct mtag *t, size_t *after)
{
	const char	*s = p->m->text;
	size_t		 i;

	if (t->sigil == 0 || t->sigil == '&' || t->sigil == '{' || !p->clean)
		return false;
	for (i = p->line; i < t->start; i++)
		if (!blank(s[i]))
			return false;
	for (i = t->end; i < p->len && blank(s[i]); i++)
		continue;
	if (i + 1 < p->len && s[i] == '\r' && s[i + 1] == '\n')
		i++;
	if (i < p->len && s[i] != '\n')
		return false;
	*after = i < p->len ? i + 1 : i;
	return true;
}

/*
 * Names are not empty and hold no blanks; a variable or section name
 * is "." or dot-separated non-empty keys.  NUL cannot be in a json-c
 * key, and would end a segment here.
 */
static int
name_check(struct mparse *p, const struct mtag *t, bool dotted)
{
	const char	*s = p->m->text + t->name;
	size_t		 i;
	bool		 ok = t->namelen > 0;

	for (i = 0; ok && i < t->namelen; i++)
		ok = !space(s[i]) && s[i] != '\0';
	if (ok && dotted && !(t->namelen == 1 && s[0] == '.'))
		for (i = 0; ok && i < t->namelen; i++)
			ok = s[i] != '.' || (i > 0 && i + 1 < t->namelen &&
			    s[i + 1] != '.');
	if (!ok)
		return perr(p, t->start, "bad tag name \"%.*s\"",
		    SHOWN(t->namelen), s);
	return 0;
}

/*
 * Copy the name into m->names, split at dots when dotted.  It fits:
 * a name of n bytes takes n + 1 there and its tag at least n + 2 of
 * the text, which is what names was sized for.
 */
static int
node_named(struct mparse *p, enum mnode_type type, const struct mtag *t,
    bool line_start, bool dotted)
{
	struct mnode	*n;
	const char	*s = p->m->text + t->name;
	size_t		 i;

	if (name_check(p, t, dotted) == -1 ||
	    (n = node_add(p, type, t->start)) == NULL)
		return -1;
	n->line_start = line_start;
	n->name = p->namelen;
	n->nseg = dotted && t->namelen == 1 && s[0] == '.' ? 0 : 1;
	for (i = 0; n->nseg > 0 && i < t->namelen; i++) {
		if (dotted && s[i] == '.') {
			p->m->names[p->namelen++] = '\0';
			n->nseg++;
		} else
			p->m->names[p->namelen++] = s[i];
	}
	p->m->names[p->namelen++] = '\0';
	return 0;
}

/* {{=<% %>=}}: two delimiters without blanks or "=". */
static int
tag_delimiters(struct mparse *p, const struct mtag *t)
{
	const char	*s = p->m->text;
	size_t		 i = t->name, end = t->name + t->namelen;
	size_t		 o, olen, c, clen;

	for (o = i; i < end && !space(s[i]); i++)
		continue;
	olen = i - o;
	while (i < end && space(s[i]))
		i++;
	for (c = i; i < end && !space(s[i]); i++)
		continue;
	clen = i - c;
	if (olen == 0 || clen == 0 || i != end ||
	    olen > MUSTACHE_DELIM_MAX || clen > MUSTACHE_DELIM_MAX ||
	    memchr(s + o, '=', olen) != NULL ||
	    memchr(s + c, '=', clen) != NULL)
		return perr(p, t->start, "bad set-delimiter tag");
	p->otag = s + o;
	p->olen = olen;
	p->ctag = s + c;
	p->clen = clen;
	return 0;
}

static int
section_open(struct mparse *p, const struct mtag *t, bool alone)
{
	struct mopen	*o;

	if (p->depth == MUSTACHE_SECTION_DEPTH)
		return perr(p, t->start, "sections nested deeper than %d",
		    MUSTACHE_SECTION_DEPTH);
	if (node_named(p, t->sigil == '#' ? MN_SECTION : MN_INVERTED, t,
	    !alone && at_line_start(p, t->start), true) == -1)
		return -1;
	o = &p->open[p->depth++];
	o->node = p->m->nnodes - 1;
	o->tag = t->start;
	o->name = t->name;
	o->namelen = t->namelen;
	return 0;
}

static int
section_close(struct mparse *p, const struct mtag *t)
{
	const char	*s = p->m->text;
	struct mopen	*o;

	if (p->depth == 0)
		return perr(p, t->start, "end of section \"%.*s\" never opened",
		    SHOWN(t->namelen), s + t->name);
	o = &p->open[p->depth - 1];
	if (o->namelen != t->namelen ||
	    memcmp(s + o->name, s + t->name, t->namelen) != 0)
		return perr(p, t->start, "end of section \"%.*s\" inside "
		    "section \"%.*s\"", SHOWN(t->namelen), s + t->name,
		    SHOWN(o->namelen), s + o->name);
	p->m->nodes[o->node].end = p->m->nnodes;
	p->depth--;
	return 0;
}

/* Turn a tag into nodes; a standalone one leaves its line's text out. */
static int
tag_apply(struct mparse *p, const struct mtag *t, bool alone)
{
	struct mnode	*n;

	switch (t->sigil) {
	case '!':
		return 0;
	case '=':
		return tag_delimiters(p, t);
	case '<':
	case '$':
		return perr(p, t->start, "template inheritance is not "
		    "supported");
	case '#':
	case '^':
		return section_open(p, t, alone);
	case '/':
		return section_close(p, t);
	case '>':
		if (node_named(p, MN_PARTIAL, t,
		    !alone && at_line_start(p, t->start), false) == -1)
			return -1;
		n = &p->m->nodes[p->m->nnodes - 1];
		n->standalone = alone;
		if (alone) {
			n->off = p->line;
			n->len = t->start - p->line;
		}
		return 0;
	default:
		return node_named(p, t->sigil == 0 ? MN_ESCAPED : MN_RAW, t,
		    at_line_start(p, t->start), true);
	}
}

static int
parse(struct mparse *p)
{
	struct mtag	 t;
	struct mopen	*o;
	size_t		 at, after = 0;
	bool		 alone;

	while (p->pos < p->len) {
		if (!find(p, p->pos, p->otag, p->olen, &at)) {
			if (text_add(p, p->pos, p->len) == -1)
				return -1;
			break;
		}
		if (tag_read(p, at, &t) == -1)
			return -1;
		line_advance(p, p->pos, at);
		alone = standalone(p, &t, &after);
		if (text_add(p, p->pos, alone ? p->line : at) == -1 ||
		    tag_apply(p, &t, alone) == -1)
			return -1;
		if (alone) {
			p->pos = p->line = after;
			p->clean = true;
		} else {
			p->pos = t.end;
			p->clean = false;
		}
	}
	if (p->depth > 0) {
		o = &p->open[p->depth - 1];
		return perr(p, o->tag, "section \"%.*s\" never closed",
		    SHOWN(o->namelen), p->m->text + o->name);
	}
	return 0;
}

struct mustache *
mustache_compile(const char *text, size_t len, char *err, size_t errsz)
{
	struct mparse	 p;
	struct mustache	*m;

	if (text == NULL)
		len = 0;
	if (len > MUSTACHE_TEMPLATE_MAX) {
		verr(err, errsz, "template longer than %d bytes",
		    MUSTACHE_TEMPLATE_MAX);
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->text = malloc(len + 1)) == NULL ||
	    (m->names = malloc(len + 1)) == NULL) {
		verr(err, errsz, "out of memory");
		mustache_free(m);
		return NULL;
	}
	if (len > 0)
		memcpy(m->text, text, len);
	m->text[len] = '\0';

	p = (struct mparse){ .m = m, .len = len, .otag = "{{", .ctag = "}}",
	    .olen = 2, .clen = 2, .clean = true, .err = err, .errsz = errsz };
	if (parse(&p) == 0)
		return m;
	mustache_free(m);
	return NULL;
}

void
mustache_free(struct mustache *m)
{

	if (m == NULL)
		return;
	free(m->nodes);
	free(m->names);
	free(m->text);
	free(m);
}

/* Rendering: the context stack and partial indentation live on the C stack. */
struct mctx {
	struct json_object	*obj;
	const struct mctx	*up;
};

/* A standalone partial's indentation, after that of its includers. */
struct mindent {
	const char		*s;
	size_t			 len;
	const struct mindent	*up;
};

struct mout {
	char				*buf;
	size_t				 len, cap;
	const struct mustache_partials	*partials;
	int				 depth;	/* partials being rendered */
	size_t				 steps;
	char				*err;
	size_t				 errsz;
};

/* Append; the buffer always keeps a byte free for the final NUL. */
static int
out_put(struct mout *o, const char *s, size_t n)
{
	char	*buf;
	size_t	 cap;

	if (n > MUSTACHE_OUTPUT_MAX - o->len)
		return verr(o->err, o->errsz, "output longer than %d bytes",
		    MUSTACHE_OUTPUT_MAX);
	if (o->len + n >= o->cap) {
		for (cap = o->cap == 0 ? 1024 : o->cap; cap <= o->len + n;)
			cap *= 2;
		if (cap > MUSTACHE_OUTPUT_MAX + 1)
			cap = MUSTACHE_OUTPUT_MAX + 1;
		if ((buf = realloc(o->buf, cap)) == NULL)
			return verr(o->err, o->errsz, "out of memory");
		o->buf = buf;
		o->cap = cap;
	}
	if (n > 0)
		memcpy(o->buf + o->len, s, n);
	o->len += n;
	return 0;
}

/*
 * Every byte that could open markup, end a quoted attribute (either
 * quote) or start an entity; the rest passes through.
 */
static const char *const html_entity[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
	['\''] = "&#39;",
};

static int
out_escaped(struct mout *o, const char *s, size_t n)
{
	const char	*rep;
	size_t		 i, from = 0;

	for (i = 0; i < n; i++) {
		if ((rep = html_entity[(unsigned char)s[i]]) == NULL)
			continue;
		if (out_put(o, s + from, i - from) == -1 ||
		    out_put(o, rep, strlen(rep)) == -1)
			return -1;
		from = i + 1;
	}
	return out_put(o, s + from, n - from);
}

/*
 * json-c keeps integers past INT64_MAX as unsigned and reads them as
 * INT64_MAX through get_int64.  A double takes the fewest digits that
 * read back the same value, as JavaScript prints it; that assumes the
 * C locale's decimal point, which the programs never change.
 */
static void
number_text(struct json_object *v, char *buf, size_t bufsz)
{
	int64_t	 i;
	double	 d;
	int	 prec;

	if (json_object_is_type(v, json_type_int)) {
		if ((i = json_object_get_int64(v)) == INT64_MAX)
			snprintf(buf, bufsz, "%" PRIu64,
			    json_object_get_uint64(v));
		else
			snprintf(buf, bufsz, "%" PRId64, i);
		return;
	}
	buf[0] = '\0';
	if (!isfinite(d = json_object_get_double(v)))
		return;
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, bufsz, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
}

static int
out_value(struct mout *o, struct json_object *v, bool escape)
{
	char		 num[64];
	const char	*s;
	size_t		 n;

	switch (json_object_get_type(v)) {
	case json_type_string:
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		break;
	case json_type_int:
	case json_type_double:
		number_text(v, num, sizeof(num));
		s = num;
		n = strlen(num);
		break;
	case json_type_boolean:
		s = json_object_get_boolean(v) ? "true" : "false";
		n = strlen(s);
		break;
	default:
		/* null, and containers: no text a page would want. */
		return 0;
	}
	return escape ? out_escaped(o, s, n) : out_put(o, s, n);
}

static int
out_step(struct mout *o)
{

	if (++o->steps > MUSTACHE_STEPS_MAX)
		return verr(o->err, o->errsz, "more than %d rendering steps",
		    MUSTACHE_STEPS_MAX);
	return 0;
}

/* Outermost first: each partial's indentation adds to its includer's. */
static int
out_indent(struct mout *o, const struct mindent *ind)
{

	if (ind == NULL)
		return 0;
	if (out_indent(o, ind->up) == -1)
		return -1;
	return out_put(o, ind->s, ind->len);
}

/*
 * The spec's resolution: the first key is looked for from the
 * innermost context outwards, and the first object holding it wins
 * even where the value is null; the other keys descend from there and
 * a miss is a miss, never a retry further out.  NULL for a miss.
 */
static struct json_object *
lookup(const struct mustache *m, const struct mnode *n,
    const struct mctx *c)
{
	struct json_object	*v = NULL;
	const char		*key = m->names + n->name;
	size_t			 i;

	if (n->nseg == 0)
		return c->obj;
	for (; c != NULL; c = c->up)
		if (json_object_is_type(c->obj, json_type_object) &&
		    json_object_object_get_ex(c->obj, key, &v))
			break;
	for (i = 1; c != NULL && i < n->nseg; i++) {
		key += strlen(key) + 1;
		if (!json_object_is_type(v, json_type_object) ||
		    !json_object_object_get_ex(v, key, &v))
			return NULL;
	}
	return c != NULL ? v : NULL;
}

static bool
truthy(struct json_object *v)
{

	switch (json_object_get_type(v)) {
	case json_type_null:
		return false;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_array:
		return json_object_array_length(v) > 0;
	default:
		return true;
	}
}

static int	render_nodes(struct mout *, const struct mustache *, size_t,
		    size_t, const struct mctx *, const struct mindent *);

/* Inside a partial, every line of its text starts with the indentation. */
static int
render_text(struct mout *o, const struct mustache *m, const struct mnode *n,
    const struct mindent *ind)
{
	const char	*s = m->text + n->off, *nl;
	size_t		 left = n->len, k;

	if (ind == NULL)
		return out_put(o, s, left);
	while ((nl = memchr(s, '\n', left)) != NULL && nl + 1 < s + left) {
		k = (size_t)(nl + 1 - s);
		if (out_put(o, s, k) == -1 || out_indent(o, ind) == -1)
			return -1;
		s += k;
		left -= k;
	}
	return out_put(o, s, left);
}

static int
render_section(struct mout *o, const struct mustache *m, size_t at,
    const struct mctx *c, const struct mindent *ind)
{
	const struct mnode	*n = &m->nodes[at];
	struct json_object	*v = lookup(m, n, c);
	struct mctx		 inner;
	size_t			 i, len;

	if (n->type == MN_INVERTED)
		return truthy(v) ? 0 : render_nodes(o, m, at + 1, n->end, c,
		    ind);
	if (!truthy(v))
		return 0;
	inner.up = c;
	if (!json_object_is_type(v, json_type_array)) {
		inner.obj = v;
		return render_nodes(o, m, at + 1, n->end, &inner, ind);
	}
	len = json_object_array_length(v);
	/* Counted apart from nodes: an empty body costs a call too. */
	for (i = 0; i < len; i++) {
		inner.obj = json_object_array_get_idx(v, i);
		if (out_step(o) == -1 ||
		    render_nodes(o, m, at + 1, n->end, &inner, ind) == -1)
			return -1;
	}
	return 0;
}

/*
 * A standalone partial is indented by its own line's blanks on top of
 * its includer's; one inside a line is not indented at all (the spec
 * indents the partial's lines as if pasted into the includer's text).
 */
static int
render_partial(struct mout *o, const struct mustache *m,
    const struct mnode *n, const struct mctx *c, const struct mindent *ind)
{
	const struct mustache	*part;
	const char		*name = m->names + n->name;
	struct mindent		 own;
	int			 rc;

	if (o->partials == NULL || o->partials->lookup == NULL ||
	    (part = o->partials->lookup(name, o->partials->arg)) == NULL)
		return 0;
	if (o->depth >= MUSTACHE_PARTIAL_DEPTH)
		return verr(o->err, o->errsz, "partials nested deeper than %d "
		    "at \"%.*s\"", MUSTACHE_PARTIAL_DEPTH, SHOWN(strlen(name)),
		    name);
	own.s = m->text + n->off;
	own.len = n->len;
	own.up = ind;
	o->depth++;
	rc = render_nodes(o, part, 0, part->nnodes, c,
	    !n->standalone ? NULL : own.len > 0 ? &own : ind);
	o->depth--;
	return rc;
}

static int
render_nodes(struct mout *o, const struct mustache *m, size_t from,
    size_t to, const struct mctx *c, const struct mindent *ind)
{
	const struct mnode	*n;
	size_t			 i;
	int			 rc = 0;

	for (i = from; i < to; i++) {
		n = &m->nodes[i];
		if (out_step(o) == -1 ||
		    (n->line_start && out_indent(o, ind) == -1))
			return -1;
		switch (n->type) {
		case MN_TEXT:
			rc = render_text(o, m, n, ind);
			break;
		case MN_ESCAPED:
		case MN_RAW:
			rc = out_value(o, lookup(m, n, c),
			    n->type == MN_ESCAPED);
			break;
		case MN_SECTION:
		case MN_INVERTED:
			rc = render_section(o, m, i, c, ind);
			i = n->end - 1;
			break;
		case MN_PARTIAL:
			rc = render_partial(o, m, n, c, ind);
			break;
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

char *
mustache_render(const struct mustache *tpl, struct json_object *data,
    const struct mustache_partials *partials, size_t *len, char *err,
    size_t errsz)
{
	struct mout	 o;
	struct mctx	 root;

	if (tpl == NULL) {
		verr(err, errsz, "no template");
		return NULL;
	}
	memset(&o, 0, sizeof(o));
	o.partials = partials;
	o.err = err;
	o.errsz = errsz;
	root.obj = data;
	root.up = NULL;
	/* The empty append makes a buffer even for empty output. */
	if (render_nodes(&o, tpl, 0, tpl->nnodes, &root, NULL) == -1 ||
	    out_put(&o, "", 0) == -1) {
		free(o.buf);
		return NULL;
	}
	o.buf[o.len] = '\0';
	if (len != NULL)
		*len = o.len;
	return o.buf;
}
