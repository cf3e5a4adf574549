/*
 * core/mailmsg: a whole message byte for byte, the encodings (Q words
 * for headers, quoted-printable for bodies) decoded back to what went
 * in, their line lengths, and every way a header could be made to
 * carry another one refused.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/mailmsg.h"
#include "suites.h"

/* 2026-12-04T12:00:00Z, a Friday. */
#define T_FRIDAY	1796385600

static const char *const one_to[] = { "jo@example.org" };

static void
msg_init(struct mailmsg *m)
{
	memset(m, 0, sizeof(*m));
	m->from = "status@example.com";
	m->to = one_to;
	m->nto = 1;
	m->subject = "Hello";
	m->body = "Body\n";
	m->date = T_FRIDAY;
	m->id = "abc123.9";
}

static char *
build(const struct mailmsg *m, char *err, size_t errsz)
{
	size_t	 len;
	char	*s;

	err[0] = '\0';
	s = mailmsg_build(m, &len, err, errsz);
	if (s != NULL)
		CU_ASSERT_EQUAL(strlen(s), len);
	return s;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The body after the blank line, quoted-printable decoded. */
static char *
qp_decode(const char *msg)
{
	const char	*p = strstr(msg, "\r\n\r\n") + 4;
	char		*out = calloc(1, strlen(p) + 1), *o = out;

	while (*p != '\0') {
		if (p[0] == '=' && p[1] == '\r' && p[2] == '\n')
			p += 3;
		else if (p[0] == '=' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 3;
		} else
			*o++ = *p++;
	}
	return out;
}

/* The Subject's Q encoded-words decoded (folding whitespace dropped). */
static char *
subject_decode(const char *msg)
{
	const char	*p = strstr(msg, "\r\nSubject: ") + 11;
	char		*out = calloc(1, 1024), *o = out;

	while (strncmp(p, "=?UTF-8?Q?", 10) == 0) {
		for (p += 10; strncmp(p, "?=", 2) != 0; p++) {
			if (*p == '_')
				*o++ = ' ';
			else if (*p == '=') {
				*o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
				p += 2;
			} else
				*o++ = *p;
		}
		p += 2;
		if (strncmp(p, "\r\n ", 3) == 0)
			p += 3;
	}
	CU_ASSERT_EQUAL(strncmp(p, "\r\n", 2), 0);
	return out;
}

/* Whether every line of the header block has at most max bytes. */
static bool
header_lines_within(const char *msg, size_t max)
{
	const char	*end = strstr(msg, "\r\n\r\n"), *p = msg, *nl;

	while (p < end) {
		nl = strstr(p, "\r\n");
		if ((size_t)(nl - p) > max)
			return false;
		p = nl + 2;
	}
	return true;
}

static void
test_mailmsg_whole_message(void)
{
	struct mailmsg	 m;
	char		 err[128], *s;

	msg_init(&m);
	m.from_name = "Acme \"Status\"";
	m.unsubscribe = "https://status.example.com/status/unsubscribe?token=T0k";
	m.body = "The API is down.\nWe are on it.";
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(s,
	    "From: \"Acme \\\"Status\\\"\" <status@example.com>\r\n"
	    "To: jo@example.org\r\n"
	    "Subject: Hello\r\n"
	    "Date: Fri, 04 Dec 2026 12:00:00 +0000\r\n"
	    "Message-ID: <abc123.9@example.com>\r\n"
	    "List-Unsubscribe: <https://status.example.com/status/unsubscribe"
	    "?token=T0k>\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "\r\n"
	    "The API is down.\r\n"
	    "We are on it.\r\n"
	    "\r\n"
	    "Unsubscribe: https://status.example.com/status/unsubscribe"
	    "?token=T0k\r\n");
	free(s);
}

static void
test_mailmsg_one_click_and_recipients(void)
{
	static const char *const to[] = { "a@example.org", "b@example.net" };
	struct mailmsg	 m;
	char		 err[128], *s;

	msg_init(&m);
	m.to = to;
	m.nto = 2;
	m.unsubscribe = "https://s.example.com/u?t=1";
	m.one_click = true;
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\nTo: a@example.org,\r\n "
	    "b@example.net\r\nSubject: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\nList-Unsubscribe: "
	    "<https://s.example.com/u?t=1>\r\nList-Unsubscribe-Post: "
	    "List-Unsubscribe=One-Click\r\n"));
	free(s);
}

static void
test_mailmsg_no_unsubscribe_no_header(void)
{
	struct mailmsg	 m;
	char		 err[128], *s;

	msg_init(&m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NULL(strstr(s, "List-Unsubscribe"));
	CU_ASSERT_PTR_NULL(strstr(s, "Unsubscribe:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\n\r\nBody\r\n"));
	free(s);
}

static void
test_mailmsg_subject_non_ascii_encoded(void)
{
	struct mailmsg	 m;
	char		 err[128], *s, *d;

	msg_init(&m);
	m.subject = "Störung: Zahlungen – ausgefallen";
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\nSubject: =?UTF-8?Q?St=C3=B6rung="
	    "3A_Zahlungen_=E2=80=93_ausgefallen?=\r\n"));
	d = subject_decode(s);
	CU_ASSERT_STRING_EQUAL(d, m.subject);
	free(d);
	free(s);
}

static void
test_mailmsg_subject_folds_at_characters(void)
{
	struct mailmsg	 m;
	char		 err[128], subject[400], *s, *d;
	size_t		 i;

	/* 60 three-byte characters: 540 encoded bytes, many words. */
	msg_init(&m);
	subject[0] = '\0';
	for (i = 0; i < 60; i++)
		strcat(subject, "\xe2\x82\xac");
	m.subject = subject;
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_TRUE(header_lines_within(s, 76));
	/* Each word whole characters: never a word ending mid-euro sign. */
	CU_ASSERT_PTR_NULL(strstr(s, "=E2?="));
	CU_ASSERT_PTR_NULL(strstr(s, "=82?="));
	d = subject_decode(s);
	CU_ASSERT_STRING_EQUAL(d, subject);
	free(d);
	free(s);
}

static void
test_mailmsg_subject_lookalike_encoded_word(void)
{
	struct mailmsg	 m;
	char		 err[128], *s, *d;

	/* ASCII, but a reader would decode "=?...?=" in it: encoded. */
	msg_init(&m);
	m.subject = "=?UTF-8?Q?Fake?=";
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	d = subject_decode(s);
	CU_ASSERT_STRING_EQUAL(d, m.subject);
	free(d);
	free(s);
}

static void
test_mailmsg_subject_cut_at_a_character(void)
{
	struct mailmsg	 m;
	char		 err[128], subject[600], want[600], *s, *d;

	/* 254 ASCII bytes, then a two-byte character: cut before it. */
	msg_init(&m);
	memset(subject, 'x', 254);
	strcpy(subject + 254, "\xc3\xa9" "tail");
	m.subject = subject;
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	snprintf(want, sizeof(want), "\r\nSubject: %.254s\r\nDate: ", subject);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, want));
	free(s);

	/* All non-ASCII: 127 two-byte characters are 254 bytes. */
	memset(subject, 0, sizeof(subject));
	for (d = subject; d < subject + 300; d += 2)
		memcpy(d, "\xc3\xa9", 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	d = subject_decode(s);
	CU_ASSERT_EQUAL(strlen(d), 254);
	CU_ASSERT_EQUAL(strncmp(d, subject, 254), 0);
	free(d);
	free(s);
}

static void
test_mailmsg_display_name_encoded(void)
{
	struct mailmsg	 m;
	char		 err[128], *s;

	msg_init(&m);
	m.from_name = "Zürich Status";
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "From: =?UTF-8?Q?Z=C3=BCrich_Status?=\r\n "
	    "<status@example.com>\r\nTo: "));
	CU_ASSERT_EQUAL(strncmp(s, "From: ", 6), 0);
	free(s);
}

static void
test_mailmsg_body_quoted_printable(void)
{
	struct mailmsg	 m;
	char		 err[128], *s, *d;

	msg_init(&m);
	m.body = "Grüße, a=b.\nTrailing space \nTab\t\n.dot line\n";
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Content-Transfer-Encoding: "
	    "quoted-printable\r\n\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\n\r\nGr=C3=BC=C3=9Fe, a=3Db.\r\n"
	    "Trailing space=20\r\nTab=09\r\n.dot line\r\n"));
	d = qp_decode(s);
	CU_ASSERT_STRING_EQUAL(d, "Grüße, a=b.\r\nTrailing space \r\nTab\t\r\n"
	    ".dot line\r\n");
	free(d);
	free(s);
}

static void
test_mailmsg_body_soft_breaks(void)
{
	struct mailmsg	 m;
	char		 err[128], body[2000], want[2100], *s, *d, *p, *nl;
	size_t		 i;

	/* One long non-ASCII line: soft breaks keep lines at 76. */
	msg_init(&m);
	body[0] = '\0';
	for (i = 0; i < 300; i++)
		strcat(body, i % 7 ? "a" : "\xc3\xa9");
	m.body = body;
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	for (p = strstr(s, "\r\n\r\n") + 4; (nl = strstr(p, "\r\n")) != NULL;
	    p = nl + 2)
		CU_ASSERT_TRUE((size_t)(nl - p) <= 76);
	d = qp_decode(s);
	snprintf(want, sizeof(want), "%s\r\n", body);
	CU_ASSERT_STRING_EQUAL(d, want);
	free(d);
	free(s);
}

static void
test_mailmsg_body_line_ends(void)
{
	struct mailmsg	 m;
	char		 err[128], *s;

	msg_init(&m);
	m.body = "one\r\ntwo\nthree";
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\r\n\r\none\r\ntwo\r\nthree"));
	CU_ASSERT_PTR_NULL(strstr(s, "\r\r"));
	free(s);
	m.body = "one\rtwo";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "body has a CR that ends no line");
}

static void
test_mailmsg_long_ascii_line_goes_qp(void)
{
	struct mailmsg	 m;
	char		 err[128], *body, *s;

	msg_init(&m);
	body = calloc(1, 1200);
	memset(body, 'y', 1100);
	m.body = body;
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "quoted-printable"));
	free(s);
	free(body);
}

static void
test_mailmsg_refuses_header_injection(void)
{
	static const char *const evil_to[] = {
		"jo@example.org\r\nBcc: all@example.net"
	};
	struct mailmsg	 m;
	char		 err[128];

	msg_init(&m);
	m.subject = "Hi\r\nBcc: all@example.net";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "subject has a control character");
	m.subject = "Hi\nX-Evil: 1";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	m.subject = "Hi\rX-Evil: 1";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));

	msg_init(&m);
	m.from_name = "Ops\r\nBcc: all@example.net";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	msg_init(&m);
	m.to = evil_to;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "invalid recipient address");
	msg_init(&m);
	m.from = "status@example.com\r\nBcc: x@example.net";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	msg_init(&m);
	m.unsubscribe = "https://s.example.com/u>\r\nBcc: x@example.net";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	msg_init(&m);
	m.id = "x>\r\nBcc: y";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
}

static void
test_mailmsg_refuses_bad_inputs(void)
{
	struct mailmsg	 m;
	char		 err[128];

	msg_init(&m);
	m.subject = "bad \xc3";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "subject is not UTF-8");
	msg_init(&m);
	m.body = "bad \xff";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	msg_init(&m);
	m.nto = 0;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	msg_init(&m);
	m.unsubscribe = "javascript:alert(1)";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	msg_init(&m);
	m.unsubscribe = "https://s.example.com/a b";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
}

static void
test_mailmsg_date_format(void)
{
	char	 d[64];

	mailmsg_date(T_FRIDAY, d, sizeof(d));
	CU_ASSERT_STRING_EQUAL(d, "Fri, 04 Dec 2026 12:00:00 +0000");
	mailmsg_date(0, d, sizeof(d));
	CU_ASSERT_STRING_EQUAL(d, "Thu, 01 Jan 1970 00:00:00 +0000");
}

/* Each field refused on its own, with the message that names it. */
static void
test_mailmsg_refuses_each_field(void)
{
	static const char *const many_to[MAILMSG_TO_MAX + 1];
	struct mailmsg	 m;
	char		 err[128], name[MAILMSG_NAME_MAX + 2], *s;
	char		 id[MAILMSG_ID_MAX + 2], url[MAILMSG_URL_MAX + 2];

	msg_init(&m);
	m.from = NULL;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "invalid From address");
	msg_init(&m);
	m.to = NULL;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "no recipient, or too many");
	msg_init(&m);
	m.to = many_to;
	m.nto = MAILMSG_TO_MAX + 1;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "no recipient, or too many");
	msg_init(&m);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	m.from_name = name;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "display name"));
	m.from_name = "Z\xfcrich";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "display name"));
	msg_init(&m);
	m.subject = NULL;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "no subject");
	msg_init(&m);
	m.id = NULL;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "invalid Message-ID");
	m.id = "";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	m.id = "a_b";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	memset(id, 'i', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	m.id = id;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	/* MAILMSG_ID_MAX bytes are the most. */
	id[MAILMSG_ID_MAX] = '\0';
	CU_ASSERT_PTR_NOT_NULL(s = build(&m, err, sizeof(err)));
	free(s);
	msg_init(&m);
	memcpy(url, "https://", 8);
	memset(url + 8, 'u', sizeof(url) - 9);
	url[sizeof(url) - 1] = '\0';
	m.unsubscribe = url;
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unsubscribe URL"));
	m.unsubscribe = "https://s.example.com/\"x";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	m.unsubscribe = "https://s.example.com/<x";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	m.unsubscribe = "https://s.example.com/\x7f";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
	m.unsubscribe = "https://s.example.com/\xc3\xa9";
	CU_ASSERT_PTR_NULL(build(&m, err, sizeof(err)));
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Plain http links and names; an empty name is no name. */
static void
test_mailmsg_plain_forms(void)
{
	struct mailmsg	 m;
	char		 err[128], *s;

	msg_init(&m);
	m.unsubscribe = "http://status.lan/u";
	m.from_name = "";
	m.body = "";
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_TRUE(starts(s, "From: status@example.com\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "List-Unsubscribe: "
	    "<http://status.lan/u>\r\n"));
	/* An empty body: only the unsubscribe line. */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "7bit\r\n\r\n\r\nUnsubscribe: "
	    "http://status.lan/u\r\n"));
	free(s);
	msg_init(&m);
	m.from_name = "Back\\slash";
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_TRUE(starts(s, "From: \"Back\\\\slash\" <status@"));
	free(s);
	/* A name that looks like an encoded word is encoded itself. */
	m.from_name = "=?UTF-8?Q?x?=";
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_TRUE(starts(s, "From: =?UTF-8?Q?=3D=3FUTF-8=3FQ=3Fx=3F=3D?="
	    "\r\n <status@example.com>\r\n"));
	free(s);
}

/* Four-byte characters and Q's literal punctuation come back whole. */
static void
test_mailmsg_subject_every_width(void)
{
	static const char subject[] =
	    "Ops! a*b+c-d/e \xf0\x9f\x94\xa5 caf\xc3\xa9 \xe2\x82\xac 100%";
	struct mailmsg	 m;
	char		 err[128], *s, *d;

	msg_init(&m);
	m.subject = subject;
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = build(&m, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Subject: =?UTF-8?Q?Ops!_a*b+c-d/e_"
	    "=F0=9F=94=A5_"));
	d = subject_decode(s);
	CU_ASSERT_STRING_EQUAL(d, subject);
	free(d);
	free(s);
}

static const struct unit_test tests[] = {
	{ "test_mailmsg_whole_message", test_mailmsg_whole_message },
	{ "test_mailmsg_one_click_and_recipients",
	    test_mailmsg_one_click_and_recipients },
	{ "test_mailmsg_no_unsubscribe_no_header",
	    test_mailmsg_no_unsubscribe_no_header },
	{ "test_mailmsg_subject_non_ascii_encoded",
	    test_mailmsg_subject_non_ascii_encoded },
	{ "test_mailmsg_subject_folds_at_characters",
	    test_mailmsg_subject_folds_at_characters },
	{ "test_mailmsg_subject_lookalike_encoded_word",
	    test_mailmsg_subject_lookalike_encoded_word },
	{ "test_mailmsg_subject_cut_at_a_character",
	    test_mailmsg_subject_cut_at_a_character },
	{ "test_mailmsg_display_name_encoded",
	    test_mailmsg_display_name_encoded },
	{ "test_mailmsg_body_quoted_printable",
	    test_mailmsg_body_quoted_printable },
	{ "test_mailmsg_body_soft_breaks", test_mailmsg_body_soft_breaks },
	{ "test_mailmsg_body_line_ends", test_mailmsg_body_line_ends },
	{ "test_mailmsg_long_ascii_line_goes_qp",
	    test_mailmsg_long_ascii_line_goes_qp },
	{ "test_mailmsg_refuses_header_injection",
	    test_mailmsg_refuses_header_injection },
	{ "test_mailmsg_refuses_bad_inputs", test_mailmsg_refuses_bad_inputs },
	{ "test_mailmsg_date_format", test_mailmsg_date_format },
	{ "test_mailmsg_refuses_each_field", test_mailmsg_refuses_each_field },
	{ "test_mailmsg_plain_forms", test_mailmsg_plain_forms },
	{ "test_mailmsg_subject_every_width", test_mailmsg_subject_every_width },
};

int
suite_mailmsg(void)
{
	return UNIT_SUITE("mailmsg", tests);
}
