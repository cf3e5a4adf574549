/*
 * The INI config (util/conf.c over libinih), as a file: conf_load reads
 * a path and checks the file is private, so the input is written to a
 * file of mode 0600 made once.  A config it accepts, written out by
 * conf_write (resilops-admin init and set), must read back and write
 * out the same again.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "util/conf.h"

static char	 path[] = "/tmp/resilops-fuzz-conf.XXXXXX";
static int	 fd = -1;

static void
put(const void *d, size_t n)
{
	if (ftruncate(fd, 0) != 0 || pwrite(fd, d, n, 0) != (ssize_t)n)
		abort();
}

/* conf_write's text, in memory. */
static char *
written(const struct conf *c, size_t *len)
{
	char	*buf = NULL;
	FILE	*f;

	if ((f = open_memstream(&buf, len)) == NULL)
		abort();
	if (conf_write(c, f) != 0)
		abort();
	fclose(f);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct conf	 c, c2;
	char		 err[512];
	char		*w1, *w2;
	size_t		 l1, l2;

	if (fd == -1) {
		if ((fd = mkstemp(path)) == -1)
			abort();
		unlink(path);	/* read through /proc/self/fd from here on */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	put(d, n);
	if (conf_load(&c, path, err, sizeof(err)) == 0) {
		(void)conf_check(&c, err, sizeof(err));
		w1 = written(&c, &l1);
		put(w1, l1);
		if (conf_load(&c2, path, err, sizeof(err)) != 0) {
			/* We wrote what we cannot read. */
			fprintf(stderr, "written:\n%.*s\nread back: %s\n",
			    (int)l1, w1, err);
			abort();
		}
		w2 = written(&c2, &l2);
		if (l1 != l2 || memcmp(w1, w2, l1) != 0) {
			/* Both texts, so a failure shows what changed. */
			fprintf(stderr, "first write:\n%.*s\n"
			    "second write:\n%.*s\n", (int)l1, w1,
			    (int)l2, w2);
			abort();
		}
		free(w1);
		free(w2);
		conf_free(&c2);
	}
	conf_free(&c);
	return 0;
}
