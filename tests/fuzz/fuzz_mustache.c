/*
 * util/mustache.c with a hostile template, a hostile partial (every
 * partial name finds it, itself included) and hostile data: the
 * input's three parts, split at NUL bytes; data that is not JSON is
 * rendered as a string.  The caps (util/mustache.h) must end every
 * rendering, and a rendering must be the same twice: nothing in it may
 * depend on memory it does not own.
 */
#include "config.h"

#include "tests/fuzz/fuzz.h"
#include "util/json.h"
#include "util/mustache.h"

static const struct mustache *
lookup(const char *name, void *arg)
{
	(void)name;
	return arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct mustache_partials	 parts;
	struct mustache			*tpl = NULL, *partial = NULL;
	struct json_object		*data = NULL;
	char				*t, *p, *j, *out, *out2;
	char				 err[256];
	size_t				 len, len2;

	t = fuzz_part(&d, &n);
	p = fuzz_part(&d, &n);
	j = fuzz_part(&d, &n);
	if (t == NULL)
		goto done;
	if ((tpl = mustache_compile(t, strlen(t), err, sizeof(err))) == NULL)
		goto done;
	if (p != NULL)
		partial = mustache_compile(p, strlen(p), err, sizeof(err));
	if (j != NULL && (data = json_parse_strict(j, strlen(j))) == NULL)
		data = json_object_new_string(j);
	parts.lookup = lookup;
	parts.arg = partial;
	out = mustache_render(tpl, data, &parts, &len, err, sizeof(err));
	out2 = mustache_render(tpl, data, &parts, &len2, err, sizeof(err));
	if ((out == NULL) != (out2 == NULL) ||
	    (out != NULL && (len != len2 || memcmp(out, out2, len) != 0)))
		abort();
	free(out);
	free(out2);
done:
	json_object_put(data);
	mustache_free(partial);
	mustache_free(tpl);
	free(t);
	free(p);
	free(j);
	return 0;
}
