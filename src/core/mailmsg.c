/*
 * core/mailmsg: a plain-text message as bytes (see mailmsg.h).  Every
 * input is checked before a byte is written, so what comes out is
 * either the whole message or nothing.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/mailaddr.h"
#include "core/mailmsg.h"
#include "util/utf8.h"

#define LINE_MAX_MIME	76	/* RFC 2045 (QP) and 2047 (encoded-words) */
#define LINE_MAX_SMTP	998	/* RFC 5322, without the CRLF */
#define QWORD_OPEN	"=?UTF-8?Q?"
#define QWORD_CLOSE	"?="

static int
refuse(char *err, size_t errsz, const char *why)
{
	snprintf(err, errsz, "%s", why);
	return -1;
}

static bool
has_ctl(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

static bool
printable_ascii(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* Bytes of the UTF-8 character that starts with c (input is valid). */
static size_t
char_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xe0)
		return 2;
	return c < 0xf0 ? 3 : 4;
}

static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* RFC 2047's Q in a phrase (the strictest place): what goes as itself. */
static bool
q_literal(unsigned char c)
{
	return is_alnum(c) || c == '!' || c == '*' || c == '+' || c == '-' ||
	    c == '/';
}

static size_t
q_len(const char *s, size_t n)
{
	size_t	 i, len = 0;

	for (i = 0; i < n; i++)
		len += q_literal((unsigned char)s[i]) || s[i] == ' ' ? 1 : 3;
	return len;
}

static void
q_byte(FILE *f, unsigned char c)
{
	if (c == ' ')
		fputc('_', f);
	else if (q_literal(c))
		fputc(c, f);
	else
		fprintf(f, "=%02X", c);
}

/*
 * s[0..len) as Q encoded-words: whole characters only in each, every
 * line at most 76 characters (the first starts after a header name of
 * lead bytes), words on folded lines of their own.
 */
static void
q_words(FILE *f, const char *s, size_t len, size_t lead)
{
	const size_t	 frame = strlen(QWORD_OPEN) + strlen(QWORD_CLOSE);
	size_t		 i = 0, n, w, end, room, used = 0;

	room = LINE_MAX_MIME - lead - frame;
	fputs(QWORD_OPEN, f);
	/* s is valid UTF-8 cut at a character: each fits whole. */
	while (i < len) {
		n = char_len((unsigned char)s[i]);
		w = q_len(s + i, n);
		if (used > 0 && used + w > room) {
			fputs(QWORD_CLOSE "\r\n " QWORD_OPEN, f);
			room = LINE_MAX_MIME - 1 - frame;
			used = 0;
		}
		used += w;
		for (end = i + n; i < end; i++)
			q_byte(f, (unsigned char)s[i]);
	}
	fputs(QWORD_CLOSE, f);
}

static const char *const day_names[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

/* Fixed English names: strftime's follow the locale. */
void
mailmsg_date(time_t t, char *out, size_t outsz)
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	snprintf(out, outsz, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    day_names[tm.tm_wday % 7], tm.tm_mday, month_names[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* An http(s) URL that can stand between angle brackets. */
static bool
url_ok(const char *u)
{
	size_t	 i, len = strnlen(u, MAILMSG_URL_MAX + 1);

	if (len > MAILMSG_URL_MAX || (strncasecmp(u, "https://", 8) != 0 &&
	    strncasecmp(u, "http://", 7) != 0))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f ||
		    u[i] == '<' || u[i] == '>' || u[i] == '"')
			return false;
	return true;
}

static bool
id_ok(const char *id)
{
	size_t	 i, len = strnlen(id, MAILMSG_ID_MAX + 1);

	if (len == 0 || len > MAILMSG_ID_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!is_alnum((unsigned char)id[i]) && id[i] != '.' &&
		    id[i] != '-')
			return false;
	return true;
}

/* Everything but the body, checked before anything is written. */
static int
check_headers(const struct mailmsg *m, char *err, size_t errsz)
{
	size_t	 i, len;

	if (m->from == NULL || !mailaddr_valid(m->from))
		return refuse(err, errsz, "invalid From address");
	if (m->nto == 0 || m->nto > MAILMSG_TO_MAX || m->to == NULL)
		return refuse(err, errsz, "no recipient, or too many");
	for (i = 0; i < m->nto; i++)
		if (!mailaddr_valid(m->to[i]))
			return refuse(err, errsz, "invalid recipient address");
	if (m->from_name != NULL) {
		len = strlen(m->from_name);
		if (len > MAILMSG_NAME_MAX || has_ctl(m->from_name, len) ||
		    !utf8_valid(m->from_name, len, NULL))
			return refuse(err, errsz, "display name is too long, "
			    "not UTF-8, or has a control character");
	}
	if (m->subject == NULL)
		return refuse(err, errsz, "no subject");
	len = strlen(m->subject);
	if (has_ctl(m->subject, len))
		return refuse(err, errsz, "subject has a control character");
	if (!utf8_valid(m->subject, len, NULL))
		return refuse(err, errsz, "subject is not UTF-8");
	if (m->unsubscribe != NULL && !url_ok(m->unsubscribe))
		return refuse(err, errsz, "unsubscribe URL is not an http(s) "
		    "URL that a header can hold");
	if (m->id == NULL || !id_ok(m->id))
		return refuse(err, errsz, "invalid Message-ID");
	return 0;
}

static void
write_from(FILE *f, const struct mailmsg *m)
{
	const char	*n = m->from_name;
	size_t		 len = n != NULL ? strlen(n) : 0;

	fputs("From: ", f);
	if (len == 0)
		fprintf(f, "%s\r\n", m->from);
	else if (printable_ascii(n, len) && strstr(n, "=?") == NULL) {
		fputc('"', f);
		for (; *n != '\0'; n++) {
			if (*n == '"' || *n == '\\')
				fputc('\\', f);
			fputc(*n, f);
		}
		fprintf(f, "\" <%s>\r\n", m->from);
	} else {
		q_words(f, n, len, strlen("From: "));
		fprintf(f, "\r\n <%s>\r\n", m->from);
	}
}

/* The subject's first MAILMSG_SUBJECT_MAX bytes, at a character. */
static void
write_subject(FILE *f, const char *s)
{
	size_t	 len = strlen(s);

	if (len > MAILMSG_SUBJECT_MAX) {
		len = MAILMSG_SUBJECT_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	fputs("Subject: ", f);
	if (printable_ascii(s, len) && strstr(s, "=?") == NULL)
		fprintf(f, "%.*s\r\n", (int)len, s);
	else {
		q_words(f, s, len, strlen("Subject: "));
		fputs("\r\n", f);
	}
}

/*
 * The body text with the unsubscribe line, LF line ends: malloc'd, or
 * NULL with why in err.
 */
static char *
body_text(const struct mailmsg *m, char *err, size_t errsz)
{
	const char	*b = m->body != NULL ? m->body : "";
	size_t		 len = strlen(b), i;
	char		*t, *o;

	if (len > MAILMSG_BODY_MAX || !utf8_valid(b, len, NULL)) {
		refuse(err, errsz, "body is too long or not UTF-8");
		return NULL;
	}
	if ((t = malloc(len + MAILMSG_URL_MAX + 32)) == NULL) {
		refuse(err, errsz, "out of memory");
		return NULL;
	}
	for (i = 0, o = t; i < len; i++) {
		if (b[i] == '\r' && b[i + 1] == '\n')
			continue;
		if (b[i] == '\r') {
			free(t);
			refuse(err, errsz, "body has a CR that ends no line");
			return NULL;
		}
		*o++ = b[i];
	}
	/* The last line ends too, as every line of a message should. */
	if (o > t && o[-1] != '\n')
		*o++ = '\n';
	*o = '\0';
	if (m->unsubscribe != NULL)
		sprintf(o, "\nUnsubscribe: %s\n", m->unsubscribe);
	return t;
}

/* 7bit: printable ASCII and tabs in lines of at most 998 bytes. */
static bool
seven_bit(const char *t)
{
	size_t	 col = 0;

	for (; *t != '\0'; t++) {
		if (*t == '\n') {
			col = 0;
			continue;
		}
		if (++col > LINE_MAX_SMTP || (*t != '\t' &&
		    ((unsigned char)*t < 0x20 || (unsigned char)*t > 0x7e)))
			return false;
	}
	return true;
}

/* Quoted-printable (RFC 2045 6.7) of LF-separated lines, CRLF out. */
static void
write_qp(FILE *f, const char *t)
{
	unsigned char	 c;
	size_t		 col = 0, n;
	char		 enc[4];

	for (; *t != '\0'; t++) {
		if (*t == '\n') {
			fputs("\r\n", f);
			col = 0;
			continue;
		}
		c = (unsigned char)*t;
		/* Whitespace at a line's end would be lost in transit. */
		if ((c == ' ' || c == '\t') && t[1] != '\n' && t[1] != '\0')
			n = (size_t)snprintf(enc, sizeof(enc), "%c", c);
		else if (c >= 33 && c <= 126 && c != '=')
			n = (size_t)snprintf(enc, sizeof(enc), "%c", c);
		else
			n = (size_t)snprintf(enc, sizeof(enc), "=%02X", c);
		if (col + n > LINE_MAX_MIME - 1) {
			fputs("=\r\n", f);
			col = 0;
		}
		fputs(enc, f);
		col += n;
	}
}

static void
write_7bit(FILE *f, const char *t)
{
	for (; *t != '\0'; t++) {
		if (*t == '\n')
			fputc('\r', f);
		fputc(*t, f);
	}
}

static void
write_headers(FILE *f, const struct mailmsg *m, bool qp)
{
	char	 date[64];
	size_t	 i;

	write_from(f, m);
	fprintf(f, "To: %s", m->to[0]);
	for (i = 1; i < m->nto; i++)
		fprintf(f, ",\r\n %s", m->to[i]);
	fputs("\r\n", f);
	write_subject(f, m->subject);
	mailmsg_date(m->date, date, sizeof(date));
	fprintf(f, "Date: %s\r\n", date);
	fprintf(f, "Message-ID: <%s@%s>\r\n", m->id, mailaddr_domain(m->from));
	if (m->unsubscribe != NULL) {
		fprintf(f, "List-Unsubscribe: <%s>\r\n", m->unsubscribe);
		if (m->one_click)
			fputs("List-Unsubscribe-Post: List-Unsubscribe="
			    "One-Click\r\n", f);
	}
	fputs("Auto-Submitted: auto-generated\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n", f);
	fprintf(f, "Content-Transfer-Encoding: %s\r\n\r\n",
	    qp ? "quoted-printable" : "7bit");
}

char *
mailmsg_build(const struct mailmsg *m, size_t *len, char *err, size_t errsz)
{
	FILE	*f;
	char	*text, *out = NULL;
	bool	 qp;

	*len = 0;
	if (check_headers(m, err, errsz) == -1 ||
	    (text = body_text(m, err, errsz)) == NULL)
		return NULL;
	qp = !seven_bit(text);
	if ((f = open_memstream(&out, len)) == NULL) {
		free(text);
		refuse(err, errsz, "out of memory");
		return NULL;
	}
	write_headers(f, m, qp);
	if (qp)
		write_qp(f, text);
	else
		write_7bit(f, text);
	free(text);
	/* Both, whatever the first says: fclose frees the stream. */
	if (ferror(f) | fclose(f)) {
		free(out);
		*len = 0;
		refuse(err, errsz, "out of memory");
		return NULL;
	}
	return out;
}
