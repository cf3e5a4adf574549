/*
 * A JSON writer that appends to one growing buffer.  It writes what
 * json-c 0.16's json_object_to_json_string_ext writes with util/json's
 * flags (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE): no
 * spaces; in strings \b \t \n \f \r \" \\ escaped short, the other
 * control bytes as \u00xx in lower-case hex, everything else ('/',
 * DEL, UTF-8) as it is.  The unit tests hold it to json-c's output for
 * every byte.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/isotime.h"
#include "util/jsonw.h"

#define JSONW_SIZE_DEFAULT 1024

/*
 * How json-c writes a byte in a string: 0 as it is, 'u' as \u00xx, any
 * other letter after a backslash.
 */
static const char escape_of[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	['"'] = '"', ['\\'] = '\\',
};

void
jsonw_init(struct jsonw *w, size_t size_hint)
{
	memset(w, 0, sizeof(*w));
	w->max = JSONW_TEXT_MAX;
	/* Nothing is allocated yet: the first piece allocates this much. */
	w->first = size_hint < w->max ? size_hint : w->max;
}

void
jsonw_free(struct jsonw *w)
{
	free(w->buf);
	jsonw_init(w, 0);
}

/* What is written so far is of no use: it goes at once.  False. */
static bool
jsonw_fail(struct jsonw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->size = 0;
	w->failed = true;
	return false;
}

void
jsonw_set_failed(struct jsonw *w)
{
	(void)jsonw_fail(w);
}

/*
 * A buffer with room for n more bytes and a NUL after them, of at
 * most max + 1 bytes.  len never passes max, so max - len cannot wrap.
 */
static bool
jsonw_grow(struct jsonw *w, size_t n)
{
	size_t	 need, size;
	char	*p;

	if (w->failed)
		return false;
	if (n > w->max - w->len)
		return jsonw_fail(w);
	need = w->len + n + 1;
	size = w->size > 0 ? w->size : w->first > 0 ? w->first :
	    JSONW_SIZE_DEFAULT;
	while (size < need)
		size = size > w->max / 2 ? w->max + 1 : size * 2;
	/* Then the room that jsonw_reserve sees never passes max. */
	if (size > w->max + 1)
		size = w->max + 1;
	if ((p = realloc(w->buf, size)) == NULL)
		return jsonw_fail(w);
	w->buf = p;
	w->size = size;
	return true;
}

/*
 * The common case first, without a call: the buffer has room (a
 * writer without one, failed or new, has size 0 and goes to grow).
 */
static inline bool
jsonw_reserve(struct jsonw *w, size_t n)
{
	return n < w->size - w->len || jsonw_grow(w, n);
}

static inline void
jsonw_put(struct jsonw *w, const char *s, size_t n)
{
	if (!jsonw_reserve(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static inline void
jsonw_putc(struct jsonw *w, char c)
{
	if (jsonw_reserve(w, 1))
		w->buf[w->len++] = c;
}

/*
 * Where a value may start: the top, once; after a key in an object; in
 * an array after a comma when it holds one already.
 */
static bool
jsonw_value_starts(struct jsonw *w)
{
	if (w->failed)
		return false;
	if (w->depth == 0)
		return !w->done || jsonw_fail(w);
	if (w->open[w->depth - 1].object) {
		if (!w->keyed)
			return jsonw_fail(w);
		w->keyed = false;
		return true;
	}
	if (w->open[w->depth - 1].filled)
		jsonw_putc(w, ',');
	w->open[w->depth - 1].filled = true;
	return !w->failed;
}

/* A scalar at the top is the whole text. */
static void
jsonw_value_ends(struct jsonw *w)
{
	if (w->depth == 0)
		w->done = true;
}

static void
jsonw_scalar(struct jsonw *w, const char *s, size_t n)
{
	if (!jsonw_value_starts(w))
		return;
	jsonw_put(w, s, n);
	jsonw_value_ends(w);
}

/* s quoted and escaped: runs of plain bytes are copied whole. */
static void
jsonw_quoted(struct jsonw *w, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s, *run;
	char			 esc[6] = { '\\', 'u', '0', '0' };

	jsonw_putc(w, '"');
	for (;;) {
		for (run = p; *p != '\0' && escape_of[*p] == 0; p++)
			;
		jsonw_put(w, (const char *)run, (size_t)(p - run));
		if (*p == '\0')
			break;
		if (escape_of[*p] == 'u') {
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 0xf];
			jsonw_put(w, esc, 6);
		} else {
			esc[1] = escape_of[*p];
			jsonw_put(w, esc, 2);
			esc[1] = 'u';
		}
		p++;
	}
	jsonw_putc(w, '"');
}

static void
jsonw_open(struct jsonw *w, bool object)
{
	if (!jsonw_value_starts(w))
		return;
	if (w->depth == JSONW_DEPTH_MAX) {
		(void)jsonw_fail(w);
		return;
	}
	w->open[w->depth].object = object;
	w->open[w->depth].filled = false;
	w->depth++;
	jsonw_putc(w, object ? '{' : '[');
}

/* Close the innermost container, if it is of this kind and complete. */
static void
jsonw_close(struct jsonw *w, bool object)
{
	if (w->failed)
		return;
	if (w->depth == 0 || w->open[w->depth - 1].object != object ||
	    w->keyed) {
		(void)jsonw_fail(w);
		return;
	}
	w->depth--;
	jsonw_putc(w, object ? '}' : ']');
	jsonw_value_ends(w);
}

void
jsonw_object(struct jsonw *w)
{
	jsonw_open(w, true);
}

void
jsonw_object_end(struct jsonw *w)
{
	jsonw_close(w, true);
}

void
jsonw_array(struct jsonw *w)
{
	jsonw_open(w, false);
}

void
jsonw_array_end(struct jsonw *w)
{
	jsonw_close(w, false);
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	if (w->failed)
		return;
	if (w->depth == 0 || !w->open[w->depth - 1].object || w->keyed ||
	    key == NULL) {
		(void)jsonw_fail(w);
		return;
	}
	if (w->open[w->depth - 1].filled)
		jsonw_putc(w, ',');
	w->open[w->depth - 1].filled = true;
	jsonw_quoted(w, key);
	jsonw_putc(w, ':');
	w->keyed = true;
}

void
jsonw_string(struct jsonw *w, const char *s)
{
	if (s == NULL) {
		jsonw_null(w);
		return;
	}
	if (!jsonw_value_starts(w))
		return;
	jsonw_quoted(w, s);
	jsonw_value_ends(w);
}

void
jsonw_int(struct jsonw *w, long long v)
{
	char			 digits[24], *p = digits + sizeof(digits);
	unsigned long long	 u;

	/* In unsigned arithmetic, LLONG_MIN's magnitude fits. */
	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	jsonw_scalar(w, p, (size_t)(digits + sizeof(digits) - p));
}

/*
 * Room for decimal_text's text and NUL: a sign, a point and at most 16
 * digits (an integer under 2^52, or 10 when the places pad it).
 */
#define DECIMAL_TEXT_MAX	32

/*
 * "%.*f" of v by integer arithmetic, the same text printf makes, or -1
 * when only printf can say (the caller falls back to it): a ticket row
 * has three such numbers and printf's exact decimal expansion cost a
 * tenth of a ticket list's worker CPU.  printf rounds the exact value
 * x = v * 10^places to an integer; p, the product as a double, is x
 * rounded to nearest, which is monotonic and has every half-integer
 * under 2^52 among its values, so p and x round to the same integer
 * unless p lands on a half-integer (a tie, or a product rounded onto
 * one): those go to printf.
 */
static int
decimal_text(double v, int places, char buf[DECIMAL_TEXT_MAX])
{
	static const double	 scale[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9 };
	char			 digits[DECIMAL_TEXT_MAX], *q;
	double			 p, whole;
	unsigned long long	 k;
	int			 i;
	size_t			 n;

	q = digits + sizeof(digits);
	p = fabs(v * scale[places]);
	if (!(p < 4503599627370496.0))		/* 2^52 */
		return -1;
	whole = (double)(unsigned long long)p;	/* floor: p >= 0 */
	if (p - whole == 0.5)
		return -1;
	k = (unsigned long long)whole + (p - whole > 0.5);
	for (i = 0; i < places; i++, k /= 10)
		*--q = (char)('0' + k % 10);
	if (places > 0)
		*--q = '.';
	do
		*--q = (char)('0' + k % 10);
	while ((k /= 10) != 0);
	if (signbit(v))
		*--q = '-';
	n = (size_t)(digits + sizeof(digits) - q);
	memcpy(buf, q, n);
	buf[n] = '\0';
	return (int)n;
}

void
jsonw_decimal(struct jsonw *w, double v, int places)
{
	char	 buf[64];
	int	 n;

	/*
	 * Not a number JSON can say, nor one this buffer holds: null.  Under
	 * 1e30 with at most 9 places, printf's text is at most 41 bytes.
	 */
	if (!isfinite(v) || v >= 1e30 || v <= -1e30 || places < 0 || places > 9) {
		jsonw_null(w);
		return;
	}
	if ((n = decimal_text(v, places, buf)) == -1)
		n = snprintf(buf, sizeof(buf), "%.*f", places, v);
	jsonw_scalar(w, buf, (size_t)n);
}

void
jsonw_bool(struct jsonw *w, bool v)
{
	jsonw_scalar(w, v ? "true" : "false", v ? 4 : 5);
}

void
jsonw_null(struct jsonw *w)
{
	jsonw_scalar(w, "null", 4);
}

void
jsonw_time(struct jsonw *w, time_t t)
{
	char	 buf[ISOTIME_LEN + 3] = "\"";

	if (t == 0) {
		jsonw_null(w);
		return;
	}
	/* The format has nothing to escape: quoted as it is. */
	isotime_format(t, buf + 1);
	buf[ISOTIME_LEN + 1] = '"';
	jsonw_scalar(w, buf, ISOTIME_LEN + 2);
}

void
jsonw_raw(struct jsonw *w, const char *json, size_t len)
{
	if (json == NULL) {
		jsonw_null(w);
		return;
	}
	jsonw_scalar(w, json, len);
}

void
jsonw_members(struct jsonw *w, const char *json, size_t len)
{
	if (w->failed)
		return;
	if (w->depth == 0 || !w->open[w->depth - 1].object || w->keyed ||
	    (json == NULL && len > 0)) {
		(void)jsonw_fail(w);
		return;
	}
	if (len == 0)
		return;
	if (w->open[w->depth - 1].filled)
		jsonw_putc(w, ',');
	w->open[w->depth - 1].filled = true;
	jsonw_put(w, json, len);
}

void
jsonw_hex_lower(char *p)
{
	int	 i;

	while ((p = strchr(p, '\\')) != NULL) {
		if (p[1] == '\0')
			return;
		if (p[1] != 'u') {
			p += 2;		/* \\ included: its second is no start */
			continue;
		}
		for (i = 2; i < 6 && p[i] != '\0'; i++)
			if (p[i] >= 'A' && p[i] <= 'F')
				p[i] = (char)(p[i] - 'A' + 'a');
		p += i;
	}
}

void
jsonw_key_string(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void
jsonw_key_int(struct jsonw *w, const char *key, long long v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void
jsonw_key_bool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void
jsonw_key_time(struct jsonw *w, const char *key, time_t t)
{
	jsonw_key(w, key);
	jsonw_time(w, t);
}

char *
jsonw_finish(struct jsonw *w, size_t *len)
{
	char	*text;

	/* Even an empty text needs its NUL: this allocates the buffer. */
	if (!w->done || w->depth != 0 || !jsonw_reserve(w, 0)) {
		jsonw_free(w);
		return NULL;
	}
	w->buf[w->len] = '\0';
	text = w->buf;
	if (len != NULL)
		*len = w->len;
	w->buf = NULL;
	jsonw_free(w);
	return text;
}

void
jsonw_key_id(struct jsonw *w, const char *key, long long id)
{
	jsonw_key(w, key);
	if (id != 0)
		jsonw_int(w, id);
	else
		jsonw_null(w);
}
