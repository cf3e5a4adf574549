/*
 * One plain-text mail message (RFC 5322 with MIME, RFC 2045-2047), as
 * the bytes an SMTP client uploads after DATA.  Pure: the caller brings
 * the time and the random part of the Message-ID.
 *
 * Headers, in this order, each line ending in CRLF:
 *   From: address, or "Display Name" <address> (a non-ASCII name as
 *         RFC 2047 Q encoded-words)
 *   To: the recipients, comma separated, one per line after the first
 *   Subject: printable ASCII as it is; anything else (or text holding
 *         "=?") as UTF-8 Q encoded-words of at most 75 characters, one
 *         per folded line, never splitting a character
 *   Date: RFC 5322 form in UTC ("Fri, 04 Dec 2026 12:00:00 +0000")
 *   Message-ID: <id@domain of the From address>
 *   List-Unsubscribe: <url> (RFC 2369) and, when asked for,
 *   List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058)
 *   Auto-Submitted: auto-generated (RFC 3834: no vacation replies)
 *   MIME-Version: 1.0
 *   Content-Type: text/plain; charset=utf-8
 *   Content-Transfer-Encoding: 7bit when every byte of the body is
 *         printable ASCII or a tab and no line passes 998 bytes, else
 *         quoted-printable.  8bit is never used: curl does not send
 *         BODY=8BITMIME, and a relay without 8BITMIME may mangle it.
 * then an empty line and the body with CRLF line ends.  With an
 * unsubscribe URL the body ends with "Unsubscribe: <url>" too, so the
 * link is there for readers whose mail program hides the header.
 *
 * Header injection is impossible by construction: addresses must pass
 * core/mailaddr, the display name and subject may hold no control
 * character at all (CR and LF above all), the URL no control character,
 * space or angle bracket, the id only letters, digits, "." and "-".
 * Anything else is refused, never cleaned up.  Dot-stuffing (a line
 * that starts with ".") is left to the SMTP client: curl does it.
 */
#ifndef RO_MAILMSG_H
#define RO_MAILMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define MAILMSG_TO_MAX		100		/* recipients of one message */
#define MAILMSG_NAME_MAX	200		/* bytes of the display name */
#define MAILMSG_SUBJECT_MAX	255		/* bytes kept of a subject */
#define MAILMSG_BODY_MAX	(256 * 1024)	/* bytes of the body */
#define MAILMSG_URL_MAX		900		/* bytes of the unsubscribe URL */
#define MAILMSG_ID_MAX		64		/* bytes of the Message-ID's id */

struct mailmsg {
	const char		*from;		/* address */
	const char		*from_name;	/* UTF-8; NULL or "": none */
	const char *const	*to;		/* addresses */
	size_t			 nto;		/* 1..MAILMSG_TO_MAX */
	/* UTF-8; a longer one is cut to MAILMSG_SUBJECT_MAX bytes at a character. */
	const char		*subject;
	const char		*body;		/* UTF-8; line ends LF or CRLF */
	const char		*unsubscribe;	/* http(s) URL; NULL: none */
	bool			 one_click;	/* the URL takes RFC 8058's POST */
	time_t			 date;
	const char		*id;		/* left of the Message-ID's "@" */
};

/*
 * The message: malloc'd (the caller frees), *len bytes and a NUL; or
 * NULL with why in err ("subject has a control character").
 */
char	*mailmsg_build(const struct mailmsg *, size_t *len, char *err,
	    size_t errsz);

/* RFC 5322 date of t in UTC into out (32 bytes is enough). */
void	 mailmsg_date(time_t t, char *out, size_t outsz);

#endif
