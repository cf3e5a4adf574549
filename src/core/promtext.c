/*
 * Prometheus text exposition: the few rules a strict parser checks
 * (names, label escaping, +Inf, cumulative buckets ending with +Inf and
 * a _count equal to it) kept in one place.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/promtext.h"

static const char *const type_names[PROM__MAX] = {
	"counter", "gauge", "histogram",
};

size_t
promtext_bucket(const double *bounds, size_t n, double v)
{
	size_t	 i;

	if (isnan(v))
		return n;
	for (i = 0; i < n; i++)
		if (v <= bounds[i])
			return i;
	return n;
}

size_t
promtext_escape(const char *in, char *out, size_t outsz)
{
	size_t		 o = 0;
	const char	*esc;
	char		 one[2];

	if (outsz == 0)
		return 0;
	for (; *in != '\0'; in++) {
		switch (*in) {
		case '\\':
			esc = "\\\\";
			break;
		case '"':
			esc = "\\\"";
			break;
		case '\n':
			esc = "\\n";
			break;
		default:
			one[0] = *in;
			one[1] = '\0';
			esc = one;
			break;
		}
		if (o + strlen(esc) >= outsz)
			break;
		memcpy(out + o, esc, strlen(esc));
		o += strlen(esc);
	}
	out[o] = '\0';
	return o;
}

bool
promtext_name_valid(const char *s)
{
	static const char	 first[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_:";

	if (s == NULL || *s == '\0' || strchr(first, *s) == NULL)
		return false;
	for (s++; *s != '\0'; s++)
		if (strchr(first, *s) == NULL && (*s < '0' || *s > '9'))
			return false;
	return true;
}

static void
put(struct promtext *pt, const char *s, size_t n)
{
	size_t	 cap;
	char	*nb;

	if (pt->oom)
		return;
	if (pt->len + n + 1 > pt->cap) {
		cap = pt->cap ? pt->cap : 4096;
		while (pt->len + n + 1 > cap)
			cap *= 2;
		if ((nb = realloc(pt->buf, cap)) == NULL) {
			pt->oom = true;
			return;
		}
		pt->buf = nb;
		pt->cap = cap;
	}
	memcpy(pt->buf + pt->len, s, n);
	pt->len += n;
	pt->buf[pt->len] = '\0';
}

static void
puts_(struct promtext *pt, const char *s)
{
	put(pt, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
putf(struct promtext *pt, const char *fmt, ...)
{
	char	 buf[128];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		pt->oom = true;
		return;
	}
	put(pt, buf, (size_t)n);
}

/*
 * A float as Prometheus reads it: +Inf, -Inf, NaN, an integer as one,
 * else the shortest %g that reads back the same (le="0.1", not
 * 0.10000000000000001).
 */
static void
put_value(struct promtext *pt, double v)
{
	char	 buf[32];
	int	 prec;

	if (isnan(v))
		puts_(pt, "NaN");
	else if (isinf(v))
		puts_(pt, v > 0 ? "+Inf" : "-Inf");
	else if (v > -1e15 && v < 1e15 && v == (double)(long long)v)
		putf(pt, "%lld", (long long)v);
	else {
		for (prec = 1; prec < 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				break;
		}
		putf(pt, "%.*g", prec, v);
	}
}

void
promtext_family(struct promtext *pt, const char *name,
    enum promtext_type type, const char *help)
{
	puts_(pt, "# HELP ");
	puts_(pt, name);
	puts_(pt, " ");
	puts_(pt, help);
	puts_(pt, "\n# TYPE ");
	puts_(pt, name);
	puts_(pt, " ");
	puts_(pt, type_names[type]);
	puts_(pt, "\n");
}

/* name{labels[,extra="xv"]} and a space; extra may be NULL. */
static void
put_series(struct promtext *pt, const char *name, const char *suffix,
    const char *const *labels, const char *extra, const char *xv)
{
	char	 esc[512];
	size_t	 i;
	int	 any = 0;

	puts_(pt, name);
	puts_(pt, suffix);
	for (i = 0; labels != NULL && labels[i] != NULL; i += 2) {
		puts_(pt, any++ ? "," : "{");
		puts_(pt, labels[i]);
		puts_(pt, "=\"");
		promtext_escape(labels[i + 1] ? labels[i + 1] : "", esc,
		    sizeof(esc));
		puts_(pt, esc);
		puts_(pt, "\"");
	}
	if (extra != NULL) {
		puts_(pt, any++ ? "," : "{");
		puts_(pt, extra);
		puts_(pt, "=\"");
		puts_(pt, xv);
		puts_(pt, "\"");
	}
	puts_(pt, any ? "} " : " ");
}

void
promtext_sample(struct promtext *pt, const char *name,
    const char *const *labels, double value)
{
	put_series(pt, name, "", labels, NULL, NULL);
	put_value(pt, value);
	puts_(pt, "\n");
}

void
promtext_sample_u64(struct promtext *pt, const char *name,
    const char *const *labels, uint64_t value)
{
	put_series(pt, name, "", labels, NULL, NULL);
	putf(pt, "%llu\n", (unsigned long long)value);
}

void
promtext_histogram(struct promtext *pt, const char *name,
    const char *const *labels, const double *bounds, size_t n,
    const uint64_t *counts, double sum)
{
	struct promtext	 le = { 0 };
	uint64_t	 cum = 0;
	size_t		 i;

	for (i = 0; i <= n; i++) {
		cum += counts[i];
		le.len = 0;
		if (i == n)
			put(&le, "+Inf", 4);
		else
			put_value(&le, bounds[i]);
		if (le.oom) {
			pt->oom = true;
			break;
		}
		put_series(pt, name, "_bucket", labels, "le", le.buf);
		putf(pt, "%llu\n", (unsigned long long)cum);
	}
	free(le.buf);
	put_series(pt, name, "_sum", labels, NULL, NULL);
	put_value(pt, sum);
	puts_(pt, "\n");
	put_series(pt, name, "_count", labels, NULL, NULL);
	putf(pt, "%llu\n", (unsigned long long)cum);
}

char *
promtext_take(struct promtext *pt, size_t *len)
{
	char	*s = pt->buf;

	*len = pt->len;
	if (pt->oom || s == NULL) {
		free(s);
		s = NULL;
		*len = 0;
	}
	memset(pt, 0, sizeof(*pt));
	return s;
}
