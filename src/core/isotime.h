/*
 * ISO 8601 / RFC 3339 times in and out.  Output is always UTC
 * "YYYY-MM-DDTHH:MM:SSZ"; input accepts what the reference clients send.
 */
#ifndef RO_ISOTIME_H
#define RO_ISOTIME_H

#include <time.h>

#define ISOTIME_LEN 20	/* "2025-01-01T10:00:00Z" */
#define ISOTIME_BADMSG "Invalid date format. Use ISO 8601 (YYYY-MM-DDTHH:MM:SS)"

/*
 * Parse s into seconds since the epoch.  Accepted: YYYY-MM-DD, then 'T'
 * or ' ', then HH:MM or HH:MM:SS, optional fraction (.digits, dropped),
 * then optional zone: 'Z', 'z', +HH:MM, -HH:MM, +HHMM or +HH (none means
 * UTC).  A date alone, out-of-range fields (month 13, Feb 30, hour 24)
 * and trailing characters are refused.  0, or -1 if invalid.
 */
int	 isotime_parse(const char *s, time_t *out);
/* Format t as UTC into out (ISOTIME_LEN + 1 bytes). */
void	 isotime_format(time_t t, char out[ISOTIME_LEN + 1]);

/*
 * A UTC calendar time, and the conversions both ways by arithmetic
 * (proleptic Gregorian, any year): timegm and gmtime_r take the time
 * zone lock and normalise every field, and a list page converts a dozen
 * times per row (the database's DATETIME columns, db/db.c).
 */
struct civil {
	int	 year, mon, day;	/* mon 1-12, day 1-31 */
	int	 hour, min, sec;
};
/* Seconds since the epoch of c, whose fields must be in range. */
long long isotime_from_civil(const struct civil *c);
/* c from seconds since the epoch (before 1970 too). */
void	 isotime_to_civil(long long t, struct civil *c);

#endif
