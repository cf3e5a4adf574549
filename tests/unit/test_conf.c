/*
 * util/conf: a value INI cannot hold is refused where it comes in, so
 * what conf_write puts in the file reads back as it was.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/conf.h"

/* A private file (conf_load refuses others) holding text. */
static void
put(const char *path, const char *text)
{
	FILE	*f;

	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(chmod(path, 0600), 0);
	fputs(text, f);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

static void
test_conf_refuses_what_ini_cannot_hold(void)
{
	static const char *const bad[] = {
		";x", "#x", " x", "x ", "\tx", "a ;b", "a\t;b", "a\nb = c",
		"a\rb",
	};
	struct conf	 c;
	size_t		 i;

	conf_defaults(&c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(conf_set(&c, "pages", "base_url", bad[i]), -1);
	CU_ASSERT_STRING_EQUAL(c.pages.base_url, "");
	/* A ";" inside a word, a blank or tab inside a value are fine. */
	CU_ASSERT_EQUAL(conf_set(&c, "pages", "base_url", "a;b c\td"), 0);
	CU_ASSERT_STRING_EQUAL(c.pages.base_url, "a;b c\td");
	CU_ASSERT_EQUAL(conf_set(&c, "pages", "base_url", ""), 0);
	conf_free(&c);
}

static void
test_conf_file_value_that_would_not_read_back(void)
{
	char		 path[] = "/tmp/resilops-unit-conf.XXXXXX";
	char		 err[512];
	struct conf	 c;
	int		 fd;

	CU_ASSERT_NOT_EQUAL_FATAL(fd = mkstemp(path), -1);
	close(fd);
	/* Loaded, this was ";x"; written as "base_url = ;x" it read back "". */
	put(path, "[pages]\nbase_url =;x\n");
	CU_ASSERT_EQUAL(conf_load(&c, path, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad value for [pages] base_url"));
	conf_free(&c);
	put(path, "[pages]\nbase_url = https://status.example.com ; where\n");
	CU_ASSERT_EQUAL_FATAL(conf_load(&c, path, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.pages.base_url, "https://status.example.com");
	conf_free(&c);
	unlink(path);
}

/*
 * libinih reads 199 characters of a line and parses the rest as a line
 * of its own (here a comment: a value shortened without a word).
 */
static void
test_conf_long_lines(void)
{
	char		 path[] = "/tmp/resilops-unit-conf.XXXXXX";
	char		 err[512], text[400], value[300];
	struct conf	 c;
	int		 fd;

	CU_ASSERT_NOT_EQUAL_FATAL(fd = mkstemp(path), -1);
	close(fd);
	memset(value, 'x', 186);
	value[186] = '\0';
	/* "title = " and 191 characters: the longest line that fits. */
	snprintf(text, sizeof(text), "[pages]\ntitle = %sabcde\n", value);
	put(path, text);
	CU_ASSERT_EQUAL_FATAL(conf_load(&c, path, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(strlen(c.pages.title), 191);
	conf_free(&c);
	snprintf(text, sizeof(text), "[pages]\ntitle = %sabcde;;\n", value);
	put(path, text);
	CU_ASSERT_EQUAL(conf_load(&c, path, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 2 is longer than 199"));
	conf_free(&c);
	/* Nor can a value make one. */
	conf_defaults(&c);
	strcat(value, "abcde");
	CU_ASSERT_EQUAL(conf_set(&c, "pages", "title", value), 0);
	strcat(value, "f");
	CU_ASSERT_EQUAL(conf_set(&c, "pages", "title", value), -1);
	conf_free(&c);
	unlink(path);
}

/* data_keys: one entry a line, as many lines as there are keys. */
static void
test_conf_list_one_entry_a_line(void)
{
	char		 path[] = "/tmp/resilops-unit-conf.XXXXXX";
	char		 err[512], text[1200], key[65], *w = NULL, *line;
	size_t		 len, n = 0;
	struct conf	 c;
	FILE		*f;
	int		 fd, v;

	CU_ASSERT_NOT_EQUAL_FATAL(fd = mkstemp(path), -1);
	close(fd);
	memset(key, 'a', 64);
	key[64] = '\0';
	n = (size_t)snprintf(text, sizeof(text), "[secrets]\n");
	for (v = 2; v <= 9; v++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "data_keys = %d:%s\n", v, key);
	put(path, text);
	CU_ASSERT_EQUAL_FATAL(conf_load(&c, path, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(strlen(c.secrets.data_keys), 8 * 66 + 7);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.secrets.data_keys, " 9:" ));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = open_memstream(&w, &len));
	CU_ASSERT_EQUAL(conf_write(&c, f), 0);
	fclose(f);
	/* Every line of it fits, and the eight keys are eight lines. */
	for (n = 0, line = w; line != NULL && *line != '\0';
	    line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		CU_ASSERT(strcspn(line, "\n") <= 199);
		n += strncmp(line, "data_keys = ", 12) == 0;
	}
	CU_ASSERT_EQUAL(n, 8);
	free(w);
	conf_free(&c);
	unlink(path);
}

/* What conf_write puts out reads back the same, secrets included. */
static void
test_conf_write_reads_back(void)
{
	char		 path[] = "/tmp/resilops-unit-conf.XXXXXX";
	char		 err[512], *w1 = NULL, *w2 = NULL;
	size_t		 l1, l2;
	struct conf	 c, c2;
	FILE		*f;
	int		 fd;

	CU_ASSERT_NOT_EQUAL_FATAL(fd = mkstemp(path), -1);
	close(fd);
	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "pages", "base_url", "a;b c"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "database", "password", "p;w=x#y"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = open_memstream(&w1, &l1));
	CU_ASSERT_EQUAL(conf_write(&c, f), 0);
	fclose(f);
	put(path, w1);
	CU_ASSERT_EQUAL_FATAL(conf_load(&c2, path, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c2.pages.base_url, "a;b c");
	CU_ASSERT_STRING_EQUAL(c2.db.password, "p;w=x#y");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = open_memstream(&w2, &l2));
	CU_ASSERT_EQUAL(conf_write(&c2, f), 0);
	fclose(f);
	CU_ASSERT_EQUAL(l1, l2);
	CU_ASSERT_STRING_EQUAL(w1, w2);
	free(w1);
	free(w2);
	conf_free(&c);
	conf_free(&c2);
	unlink(path);
}

int
suite_conf(void)
{
	static const struct unit_test tests[] = {
		{ "refuses what INI cannot hold", test_conf_refuses_what_ini_cannot_hold },
		{ "file value that would not read back", test_conf_file_value_that_would_not_read_back },
		{ "write reads back", test_conf_write_reads_back },
		{ "long lines", test_conf_long_lines },
		{ "list one entry a line", test_conf_list_one_entry_a_line },
	};

	return UNIT_SUITE("conf", tests);
}
