/*
 * util/log: one message is one line whatever it carries, and the
 * example config names only levels the parser takes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/log.h"

static void
test_log_escape_controls(void)
{
	char	 out[64];

	log_escape("GET /api/x\nFAKE 200\r\t\x7f", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "GET /api/x\\x0aFAKE 200\\x0d\\x09\\x7f");
	log_escape("a\\b", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "a\\\\b");
	log_escape("caf\xc3\xa9", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "caf\xc3\xa9");
}

static void
test_log_escape_cut_at_whole_escape(void)
{
	char	 out[8];

	CU_ASSERT_EQUAL(log_escape("abc\n\n", out, sizeof(out)), 7);
	CU_ASSERT_STRING_EQUAL(out, "abc\\x0a");
	CU_ASSERT_EQUAL(log_escape("abcdefghij", out, sizeof(out)), 7);
	CU_ASSERT_EQUAL(log_escape("x", out, 1), 0);
	CU_ASSERT_STRING_EQUAL(out, "");
}

/* A message with a newline in an argument comes out as one line. */
static void
test_log_one_line_per_message(void)
{
	char	 path[] = "/tmp/resilops-logtest.XXXXXX", buf[512];
	FILE	*f;
	int	 fd, saved, lines = 0;
	size_t	 n;

	CU_ASSERT_FATAL((fd = mkstemp(path)) != -1);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_init("test", LOG_LVL_INFO, 0);
	log_warnx("request %s failed", "/api/a\n2026-01-01T00:00:00Z forged");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	f = fdopen(fd, "r");
	CU_ASSERT_FATAL(f != NULL);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	for (n = 0; buf[n] != '\0'; n++)
		lines += buf[n] == '\n';
	CU_ASSERT_EQUAL(lines, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "/api/a\\x0a2026-01-01T00:00:00Z forged"));
}

/* Every level the example config offers in its comment is one we take. */
static void
test_log_levels_of_the_example_config(void)
{
	FILE		*f;
	char		 line[512], *p, *w;
	enum log_level	 lvl;
	int		 found = 0, words = 0;

	CU_ASSERT_FATAL((f = fopen(CONF_EXAMPLE, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "level", 5) != 0 ||
		    (p = strchr(line, ';')) == NULL)
			continue;
		found = 1;
		for (w = strtok(p + 1, " ,\n"); w != NULL;
		    w = strtok(NULL, " ,\n")) {
			if (strcmp(w, "or") == 0)
				continue;
			words++;
			CU_ASSERT_EQUAL_FATAL(log_level_parse(w, &lvl), 0);
		}
	}
	fclose(f);
	CU_ASSERT_TRUE(found);
	CU_ASSERT_EQUAL(words, 4);
}

static const struct unit_test tests[] = {
	{ "test_log_escape_controls", test_log_escape_controls },
	{ "test_log_escape_cut_at_whole_escape",
	    test_log_escape_cut_at_whole_escape },
	{ "test_log_one_line_per_message", test_log_one_line_per_message },
	{ "test_log_levels_of_the_example_config",
	    test_log_levels_of_the_example_config },
};

int
suite_log(void)
{
	return UNIT_SUITE("log", tests);
}
