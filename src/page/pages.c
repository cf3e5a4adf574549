/*
 * Template sets.  Templates are read and compiled once per process, so
 * a page costs one rendering; a template that does not compile stops
 * the program at start rather than failing one page at a time.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "page/pages.h"
#include "util/log.h"
#include "util/mustache.h"

#define SUFFIX		".mustache"
#define NAME_MAX_LEN	64
#define TEMPLATE_FILE_MAX (1 << 20)

struct template {
	char		 name[NAME_MAX_LEN + 1];
	struct mustache	*m;
};

struct pages {
	struct template	*v;
	size_t		 n;
};

static int
template_cmp(const void *a, const void *b)
{
	return strcmp(((const struct template *)a)->name,
	    ((const struct template *)b)->name);
}

/* NAME.mustache with NAME of [a-z0-9_.]: nothing else is a template. */
static int
template_filter(const struct dirent *d)
{
	size_t	 len = strlen(d->d_name), k = strlen(SUFFIX);

	return len > k && len - k <= NAME_MAX_LEN &&
	    strcmp(d->d_name + len - k, SUFFIX) == 0 &&
	    strspn(d->d_name, "abcdefghijklmnopqrstuvwxyz0123456789_.") >=
	    len - k;
}

static char *
slurp(const char *path, size_t *len, char *err, size_t errsz)
{
	struct stat	 st;
	FILE		*f;
	char		*buf;

	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > TEMPLATE_FILE_MAX) {
		snprintf(err, errsz, "%s: not a regular file of at most 1 MiB",
		    path);
		fclose(f);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL ||
	    fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		snprintf(err, errsz, "%s: cannot read it", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	return buf;
}

/* Read and compile one file into t; 0 or -1 with err set. */
static int
template_load(const char *dir, const char *file, struct template *t,
    char *err, size_t errsz)
{
	char	 path[4096], cerr[256], *text;
	size_t	 len = 0;

	snprintf(t->name, sizeof(t->name), "%.*s",
	    (int)(strlen(file) - strlen(SUFFIX)), file);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    sizeof(path)) {
		snprintf(err, errsz, "%s: path too long", dir);
		return -1;
	}
	if ((text = slurp(path, &len, err, errsz)) == NULL)
		return -1;
	t->m = mustache_compile(text, len, cerr, sizeof(cerr));
	free(text);
	if (t->m == NULL) {
		snprintf(err, errsz, "%s: %s", path, cerr[0] ? cerr :
		    "out of memory");
		return -1;
	}
	return 0;
}

struct pages *
pages_load(const char *dir, char *err, size_t errsz)
{
	struct dirent	**ents = NULL;
	struct pages	 *p;
	int		  n, i;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	if ((n = scandir(dir, &ents, template_filter, alphasort)) < 0) {
		snprintf(err, errsz, "templates %s: %s", dir, strerror(errno));
		free(p);
		return NULL;
	}
	if (n > 0 && (p->v = calloc((size_t)n, sizeof(*p->v))) == NULL)
		snprintf(err, errsz, "out of memory");
	for (i = 0; i < n; i++) {
		if (p->v != NULL && p->n == (size_t)i &&
		    template_load(dir, ents[i]->d_name, &p->v[i], err,
		    errsz) == 0)
			p->n++;
		free(ents[i]);
	}
	free(ents);
	if (p->v == NULL || p->n != (size_t)n || n == 0) {
		if (n == 0)
			snprintf(err, errsz, "templates %s: no *.mustache "
			    "files", dir);
		pages_free(p);
		return NULL;
	}
	/* scandir sorted by the whole file name: sort by name for bsearch. */
	qsort(p->v, p->n, sizeof(*p->v), template_cmp);
	return p;
}

void
pages_free(struct pages *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		mustache_free(p->v[i].m);
	free(p->v);
	free(p);
}

static const struct mustache *
lookup(const char *name, void *arg)
{
	const struct pages	*p = arg;
	struct template		 key, *t;

	if (strlen(name) > NAME_MAX_LEN)
		return NULL;
	snprintf(key.name, sizeof(key.name), "%s", name);
	t = bsearch(&key, p->v, p->n, sizeof(*p->v), template_cmp);
	return t != NULL ? t->m : NULL;
}

int
pages_has(const struct pages *p, const char *name)
{
	return p != NULL && lookup(name, (void *)p) != NULL;
}

char *
pages_render(const struct pages *p, const char *name,
    struct json_object *data, size_t *len)
{
	struct mustache_partials	 partials = { lookup, (void *)p };
	const struct mustache		*m;
	char				 err[128], *out;

	if (p == NULL || (m = lookup(name, (void *)p)) == NULL) {
		log_warnx("no template %s", name);
		return NULL;
	}
	if ((out = mustache_render(m, data, &partials, len, err,
	    sizeof(err))) == NULL)
		log_warnx("template %s: %s", name, err);
	return out;
}
