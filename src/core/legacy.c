/*
 * The originals' spellings read into ours (see legacy.h).
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/isotime.h"
#include "core/legacy.h"
#include "core/perm.h"
#include "core/service.h"
#include "core/ticket.h"

#define WORD_MAX 64

/*
 * s without SQLAlchemy's "EnumClass." prefix, spaces and dashes turned
 * into underscores, into buf; NULL when s is NULL, empty or too long.
 */
static const char *
enum_word(const char *s, char *buf, size_t bufsz)
{
	const char	*dot;
	size_t		 i;

	if (s == NULL)
		return NULL;
	if ((dot = strrchr(s, '.')) != NULL)
		s = dot + 1;
	if (*s == '\0' || strlen(s) >= bufsz)
		return NULL;
	for (i = 0; s[i] != '\0'; i++)
		buf[i] = s[i] == ' ' || s[i] == '-' ? '_' : s[i];
	buf[i] = '\0';
	return buf;
}

enum role
legacy_role(const char *s, bool *fallback)
{
	char	 buf[WORD_MAX];
	int	 r;

	if (fallback != NULL)
		*fallback = false;
	if (s != NULL && (r = role_parse(s)) >= 0)
		return (enum role)r;
	if (enum_word(s, buf, sizeof(buf)) != NULL && (r = role_parse(buf)) >= 0)
		return (enum role)r;
	if (fallback != NULL)
		*fallback = true;
	return ROLE_USER;
}

const char *
legacy_status(const char *s)
{
	int	 st;

	if (s == NULL || (st = status_parse(s)) < 0)
		return status_name(STATUS_UNKNOWN);
	return status_name((enum svc_status)st);
}

/* parse(word of s), or dflt with *fallback set when it does not know s. */
static int
parse_word(const char *s, int (*parse)(const char *), int dflt,
    bool *fallback)
{
	char	 buf[WORD_MAX];
	int	 v = -1;

	if (enum_word(s, buf, sizeof(buf)) != NULL)
		v = parse(buf);
	if (fallback != NULL)
		*fallback = v < 0;
	return v < 0 ? dflt : v;
}

enum ticket_priority
legacy_priority(const char *s, bool *fallback)
{

	return (enum ticket_priority)parse_word(s, ticket_priority_parse,
	    PRIO_MEDIUM, fallback);
}

/* SLA Guard never had CLOSED; some copies of it did. */
static int
ticket_status_or_closed(const char *s)
{

	if (strcasecmp(s, "closed") == 0)
		return TSTATUS_RESOLVED;
	return ticket_status_parse(s);
}

enum ticket_status
legacy_ticket_status(const char *s, bool *fallback)
{

	return (enum ticket_status)parse_word(s, ticket_status_or_closed,
	    TSTATUS_OPEN, fallback);
}

enum notify_type
legacy_notify_type(const char *s, bool *fallback)
{

	return (enum notify_type)parse_word(s, notify_type_parse, NOTIFY_INFO,
	    fallback);
}

const char *
legacy_criticality(const char *s)
{
	int	 c;

	if (s == NULL || (c = criticality_parse(s)) < 0)
		return NULL;
	return criticality_name((enum criticality)c);
}

const char *
legacy_impact(const char *s)
{
	int	 i;

	if (s == NULL || (i = impact_parse(s)) < 0)
		return NULL;
	return impact_name((enum impact)i);
}

bool
legacy_bool(const char *s)
{
	static const char *const yes[] = { "1", "true", "t", "yes", "y" };
	size_t	 i;

	if (s == NULL)
		return false;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(s, yes[i]) == 0)
			return true;
	return false;
}

int
legacy_time(const char *s, time_t *out)
{

	if (s == NULL || *s == '\0')
		return -1;
	return isotime_parse(s, out);
}
