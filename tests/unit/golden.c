/*
 * The page tests' golden files (golden.h): the tree's templates and
 * tests/golden, whose places Makefile.am gives as TEMPLATES_DIR and
 * GOLDEN_DIR.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "golden.h"
#include "page/pages.h"

#ifndef TEMPLATES_DIR
#error "TEMPLATES_DIR (the tree's templates/) must be defined"
#endif
#ifndef GOLDEN_DIR
#error "GOLDEN_DIR (tests/golden) must be defined"
#endif

struct pages *
golden_templates(void)
{
	struct pages	*p;
	char		 err[512];

	if ((p = pages_load(TEMPLATES_DIR, err, sizeof(err))) == NULL)
		fprintf(stderr, "\npages_load: %s\n", err);
	return p;
}

char *
golden_render(const char *tpl, struct json_object *doc, size_t *len)
{
	struct pages	*p = golden_templates();
	char		*out = NULL;

	CU_ASSERT_PTR_NOT_NULL(p);
	CU_ASSERT_PTR_NOT_NULL(doc);
	if (p != NULL && doc != NULL)
		out = pages_render(p, tpl, doc, len);
	CU_ASSERT_PTR_NOT_NULL(out);
	json_object_put(doc);
	pages_free(p);
	return out;
}

void
golden_compare(const char *name, const char *out, size_t len)
{
	char	 path[4096], *want = NULL;
	size_t	 n = 0;
	FILE	*f;
	long	 size;

	snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, name);
	if (getenv("GOLDEN_UPDATE") != NULL) {
		f = fopen(path, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fwrite(out, 1, len, f);
		fclose(f);
		return;
	}
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "\n%s: %s\n", path, strerror(errno));
		CU_FAIL("golden file missing");
		return;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	if (size >= 0 && (want = malloc((size_t)size + 1)) != NULL)
		n = fread(want, 1, (size_t)size, f);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	if (n != len || memcmp(want, out, len) != 0) {
		fprintf(stderr, "\n%s differs (GOLDEN_UPDATE=1 rewrites it)\n",
		    path);
		CU_FAIL("output differs from the golden file");
	}
	free(want);
}

void
golden_check(const char *tpl, struct json_object *doc, const char *name)
{
	char	*out;
	size_t	 len = 0;

	if ((out = golden_render(tpl, doc, &len)) != NULL)
		golden_compare(name, out, len);
	free(out);
}

struct json_object *
golden_json(const char *name)
{
	struct json_object	*o;
	char			 path[4096];

	snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, name);
	if ((o = json_object_from_file(path)) == NULL)
		fprintf(stderr, "\n%s: %s\n", path, json_util_get_last_err());
	CU_ASSERT_PTR_NOT_NULL(o);
	return o;
}
