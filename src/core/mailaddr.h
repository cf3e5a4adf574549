/*
 * The mail addresses we send to and from: a strict subset of RFC 5321's
 * Mailbox, chosen so that an address is safe as it stands in an SMTP
 * command (curl writes MAIL FROM and RCPT TO with what it is given,
 * CR and LF included) and in a To: or From: header without quoting.
 * Pure.
 *
 *   address = local "@" domain, at most MAILADDR_MAX bytes
 *   local   = dot-atom: atoms of RFC 5322 atext (ASCII letters, digits
 *             and ! # $ % & ' * + - / = ? ^ _ ` { | } ~) joined by
 *             single dots, at most 64 bytes.  No quoted strings.
 *   domain  = two or more DNS labels joined by dots, at most 253 bytes:
 *             1 to 63 ASCII letters, digits or hyphens, no hyphen first
 *             or last; the last label not all digits.  No address
 *             literals ([192.0.2.1]), no trailing dot.
 *
 * Refused therefore: non-ASCII (SMTPUTF8 is not negotiated; a U-label
 * domain must come as its xn-- A-label), spaces, angle brackets,
 * commas, quotes, control characters, comments and source routes.
 * Case is kept as given.
 */
#ifndef RO_MAILADDR_H
#define RO_MAILADDR_H

#include <stdbool.h>
#include <stddef.h>

#define MAILADDR_MAX		254	/* bytes: RFC 5321's path less "<>" */
#define MAILADDR_LOCAL_MAX	64	/* bytes of the local part */
#define MAILADDR_DOMAIN_MAX	253	/* bytes of the domain */

/* Whether s is an address as above. */
bool	 mailaddr_valid(const char *s);
/* The domain of a valid address (after its "@"); NULL if s is not one. */
const char *mailaddr_domain(const char *s);
/*
 * Whether s is a host name or IP literal for an SMTP URL: a DNS name as
 * above but one label allowed ("localhost"), a dotted IPv4 address, or
 * an IPv6 address (no brackets).
 */
bool	 mailaddr_host_valid(const char *s);

#endif
