/*
 * Time zones for the business-hours calendars: IANA zone names checked
 * against tzdata, the local calendar fields of an instant, and the
 * instant of a local wall time with the gaps and overlaps of DST changes
 * settled one way.  OS-facing: libc's TZ machinery and $TZDIR.
 *
 * Not thread-safe.  Switching zones sets TZ and calls tzset(), which is
 * process-global; the zone last set is cached and never restored, so
 * nothing else in the process may set TZ, and a thread that uses these
 * must be the only one.  resilops workers and the daemon are
 * single-threaded processes.  Side effect worth knowing: glibc's
 * syslog() stamps messages in local time, so after a switch its
 * timestamps follow the last calendar's zone (our own stderr log is
 * UTC).
 */
#ifndef RO_TZ_H
#define RO_TZ_H

#include <stdbool.h>
#include <time.h>

#define TZ_NAME_MAX	63	/* longest zone name accepted */

/*
 * Whether zone names a time zone we accept: "UTC" always; otherwise
 * only [A-Za-z0-9_+-/], at most TZ_NAME_MAX characters, no empty,
 * "." or ".." component (so no leading or trailing '/'), not under
 * "right/" (leap-second zones break time_t arithmetic), not "localtime"
 * (the host's zone, not a place), and a regular TZif file at
 * $TZDIR/zone ($TZDIR unset or empty: /usr/share/zoneinfo).  NULL and
 * "" are refused: "" is not a zone name, even though the functions
 * below read it as UTC; it is for a validator of names people type.
 */
bool	 tz_valid(const char *zone);
/*
 * The local calendar fields of t in zone (NULL or "" means UTC) into
 * *out.  0, or -1 if zone is not valid or t cannot be represented.
 */
int	 tz_local(const char *zone, time_t t, struct tm *out);
/*
 * The instant of a local wall time in zone (NULL or "" means UTC):
 * mon 1..12, mday a real day of that month, year 1900..9999,
 * minute_of_day 0..1440 (1440 is the midnight that starts the next
 * day).  A wall time skipped by a spring-forward gap maps to the first
 * instant after the gap; one repeated by a fall-back maps to its first
 * occurrence.  In one rule: the earliest instant whose local wall time
 * is at or after the one asked for.  (time_t)-1 if an argument is out
 * of range or zone is not valid.  (A minute-aligned wall time lands on
 * -1, 1969-12-31T23:59:59Z, only under an offset with a leftover second,
 * which no zone has used since 1972: -1 is never a real answer.)
 */
time_t	 tz_instant(const char *zone, int year, int mon, int mday,
	    int minute_of_day);

#endif
