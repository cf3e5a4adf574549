/*
 * JSON body validation: each body table a route declares (struct
 * route's body, over the whole site's route table), against the
 * input parsed as the request's body is.  Whatever a table accepts
 * holds what the handlers then take for granted: every required field
 * present and not null, integers and array elements within the
 * field's bounds, an enum's index within its choices and its spelling
 * the canonical one, strings within their length and free of NUL.
 * A refusal always says why.
 */
#include "config.h"

#include <limits.h>

#include "core/validate.h"
#include "http/route.h"
#include "page/page_routes.h"
#include "tests/fuzz/fuzz.h"
#include "util/json.h"
#include "util/utf8.h"

#define FIELDS_MAX	64

/* core/validate.h's rule: min == max == 0 is no bounds. */
static void
bounds(const struct vfield *f, long long *min, long long *max)
{
	if (f->min == 0 && f->max == 0) {
		*min = f->type == V_STRING ? 0 : LLONG_MIN;
		*max = LLONG_MAX;
	} else {
		*min = f->min;
		*max = f->max;
	}
}

static void
check(const struct vfield *f, const struct vvalue *v)
{
	size_t		 k, len;
	long long	 x, min, max;

	if ((f->flags & VF_REQUIRED) && (!v->present || v->null))
		abort();
	if (!v->present || v->null)
		return;
	bounds(f, &min, &max);
	switch (f->type) {
	case V_INT:
		if (v->i < min || v->i > max)
			abort();
		break;
	case V_ENUM:
		for (k = 0; f->choices[k] != NULL; k++)
			;
		if (v->i < 0 || (size_t)v->i >= k ||
		    strcmp(v->s, f->choices[v->i]) != 0)
			abort();
		break;
	case V_STRING:
		if (v->s == NULL || memchr(v->s, '\0', v->len) != NULL ||
		    !utf8_valid(v->s, v->len, &len))
			abort();
		if (f->flags & VF_BYTES)
			len = v->len;
		if ((long long)len < min || (long long)len > max)
			abort();
		break;
	case V_INT_ARRAY:
		for (k = 0; k < json_object_array_length(v->obj); k++)
			if (valid_int(json_object_array_get_idx(v->obj, k),
			    min, max, &x) != 0)
				abort();
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const struct route	*routes;
	struct json_object	*body;
	struct vvalue		 out[FIELDS_MAX];
	char			 err[512];
	size_t			 nroutes, i, j;

	if ((body = json_parse_strict((const char *)d, n)) == NULL)
		return 0;
	routes = site_routes(&nroutes);
	for (i = 0; i < nroutes; i++) {
		const struct vtable	*t = routes[i].body;

		if (t == NULL)
			continue;
		if (t->n > FIELDS_MAX)
			abort();
		err[0] = '\0';
		if (validate_body(body, t->fields, t->n, out, err,
		    sizeof(err)) != 0) {
			if (err[0] == '\0')
				abort();	/* refused without a word */
			continue;
		}
		for (j = 0; j < t->n; j++)
			check(&t->fields[j], &out[j]);
	}
	json_object_put(body);
	return 0;
}
