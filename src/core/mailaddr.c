/*
 * core/mailaddr: the strict address subset of mailaddr.h, checked byte
 * by byte.  Anything outside the subset is refused rather than quoted:
 * an address that needs quoting is one we cannot put in an SMTP command
 * or a header safely, and no status page subscriber needs one.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/mailaddr.h"

static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* RFC 5322 atext, ASCII only. */
static bool
is_atext(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~",
	    c) != NULL);
}

/* A dot-atom of s[0..len): atoms of atext joined by single dots. */
static bool
dot_atom(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
		} else if (!is_atext((unsigned char)s[i]))
			return false;
	}
	return true;
}

/*
 * DNS labels of s[0..len) joined by dots; at least minlabels of them,
 * and the last not all digits (so that 192.0.2.1 is no domain).
 */
static bool
dns_name(const char *s, size_t len, size_t minlabels)
{
	size_t	 i, start = 0, labels = 0;
	bool	 digits = true;

	if (len == 0 || len > MAILADDR_DOMAIN_MAX)
		return false;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
				return false;
			if (s[i] < '0' || s[i] > '9')
				digits = false;
			continue;
		}
		/* A label s[start..i). */
		if (i == start || i - start > 63 || s[start] == '-' ||
		    s[i - 1] == '-')
			return false;
		labels++;
		if (i < len)
			digits = true;
		start = i + 1;
	}
	return labels >= minlabels && !digits;
}

bool
mailaddr_valid(const char *s)
{
	const char	*at;
	size_t		 len;

	if (s == NULL || (len = strnlen(s, MAILADDR_MAX + 1)) > MAILADDR_MAX ||
	    (at = strchr(s, '@')) == NULL)
		return false;
	if ((size_t)(at - s) > MAILADDR_LOCAL_MAX ||
	    !dot_atom(s, (size_t)(at - s)))
		return false;
	return dns_name(at + 1, len - (size_t)(at - s) - 1, 2);
}

const char *
mailaddr_domain(const char *s)
{
	return mailaddr_valid(s) ? strchr(s, '@') + 1 : NULL;
}

bool
mailaddr_host_valid(const char *s)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	size_t		 len;

	if (s == NULL || (len = strnlen(s, MAILADDR_DOMAIN_MAX + 1)) == 0 ||
	    len > MAILADDR_DOMAIN_MAX)
		return false;
	if (inet_pton(AF_INET, s, &a4) == 1 || inet_pton(AF_INET6, s, &a6) == 1)
		return true;
	return dns_name(s, len, 1);
}
