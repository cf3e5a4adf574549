/*
 * util/log: one message is one line whatever it carries, and the
 * example config names only levels the parser takes.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* The whole of path, at most 255 bytes. */
static void
slurp(const char *path, char buf[256])
{
	FILE	*f;
	size_t	 n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(path, "r"));
	n = fread(buf, 1, 255, f);
	buf[n] = '\0';
	fclose(f);
}

static void
test_log_append_lines(void)
{
	char		 dir[] = "/tmp/resilops-logtest-XXXXXX", path[128];
	char		 buf[256];
	struct stat	 st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/checkpoints", dir);
	CU_ASSERT_EQUAL(log_append(path, "first"), 0);
	CU_ASSERT_EQUAL(log_append(path, "second"), 0);
	slurp(path, buf);
	CU_ASSERT_STRING_EQUAL(buf, "first\nsecond\n");
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777 & ~0640, 0);
	unlink(path);
	rmdir(dir);
}

static void
test_log_append_refused(void)
{
	char	 dir[] = "/tmp/resilops-logtest-XXXXXX", path[128], link[128];
	char	 buf[256];
	int	 rd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	log_init("test", LOG_LVL_ERR, 0);
	/* Never through a symbolic link. */
	snprintf(path, sizeof(path), "%s/real", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	CU_ASSERT_EQUAL_FATAL(symlink(path, link), 0);
	CU_ASSERT_EQUAL(log_append(link, "x"), -1);
	CU_ASSERT_EQUAL(access(path, F_OK), -1);
	unlink(link);
	snprintf(path, sizeof(path), "%s/none/file", dir);
	CU_ASSERT_EQUAL(log_append(path, "x"), -1);
	/* A FIFO: no reader fails at once; with one, the line goes through. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	CU_ASSERT_EQUAL(log_append(path, "x"), -1);
	CU_ASSERT_FATAL((rd = open(path, O_RDONLY | O_NONBLOCK)) != -1);
	CU_ASSERT_EQUAL(log_append(path, "through a pipe"), 0);
	CU_ASSERT_EQUAL(read(rd, buf, sizeof(buf)), 15);
	CU_ASSERT_EQUAL(memcmp(buf, "through a pipe\n", 15), 0);
	close(rd);
	unlink(path);
	rmdir(dir);
	log_init("test", LOG_LVL_INFO, 0);
}

/* Below the level set, nothing is written. */
static void
test_log_level_filters(void)
{
	char	 path[] = "/tmp/resilops-logtest.XXXXXX", buf[256];
	int	 fd, saved;

	CU_ASSERT_FATAL((fd = mkstemp(path)) != -1);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_init("test", LOG_LVL_WARN, 0);
	log_info("not shown");
	log_debug("not shown");
	CU_ASSERT_EQUAL(log_errx("shown %d", 1), -1);
	log_set_level(LOG_LVL_DEBUG);
	log_debug("debug shown");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	log_init("test", LOG_LVL_INFO, 0);
	slurp(path, buf);
	unlink(path);
	CU_ASSERT_PTR_NULL(strstr(buf, "not shown"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "test["));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "shown 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "debug shown"));
}

static void
test_log_escape_no_room(void)
{
	char	 out[4] = "xyz";

	CU_ASSERT_EQUAL(log_escape("abc", out, 0), 0);
	CU_ASSERT_STRING_EQUAL(out, "xyz");
	/* An escape that does not fit whole is left out. */
	CU_ASSERT_EQUAL(log_escape("\n", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "");
}

static const struct unit_test tests[] = {
	{ "test_log_escape_controls", test_log_escape_controls },
	{ "test_log_escape_cut_at_whole_escape",
	    test_log_escape_cut_at_whole_escape },
	{ "test_log_one_line_per_message", test_log_one_line_per_message },
	{ "test_log_levels_of_the_example_config",
	    test_log_levels_of_the_example_config },
	{ "test_log_append_lines", test_log_append_lines },
	{ "test_log_append_refused", test_log_append_refused },
	{ "test_log_level_filters", test_log_level_filters },
	{ "test_log_escape_no_room", test_log_escape_no_room },
};

int
suite_log(void)
{
	return UNIT_SUITE("log", tests);
}
