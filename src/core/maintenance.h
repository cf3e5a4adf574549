/*
 * Maintenance windows, the pure part: a window's state as of an
 * instant, whether an edit re-arms its announcements, and outages less
 * the windows (what uptime counts: planned work is not downtime).
 */
#ifndef RO_MAINTENANCE_H
#define RO_MAINTENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/uptime.h"

/* A window is [starts_at, ends_at): active from its first second to before its end. */
enum maint_state {
	MAINT_SCHEDULED,	/* now < starts_at */
	MAINT_ACTIVE,		/* starts_at <= now < ends_at */
	MAINT_COMPLETED,	/* ends_at <= now */
	MAINT_STATE__MAX
};

#define MAINT_STATE_BADMSG \
	"Invalid state: must be one of scheduled, active, completed"

/* NULL-terminated, in enum order ("scheduled", "active", "completed"). */
extern const char *const maint_state_names[];

enum maint_state maint_state_at(time_t starts_at, time_t ends_at, time_t now);
/* The state's name; never NULL. */
const char	*maint_state_name(enum maint_state);
/* A state from its name, matched case-insensitively; -1 if unknown. */
int		 maint_state_parse(const char *);

/*
 * Whether a window edited to [starts_at, ends_at) as of now must be
 * announced afresh (its announcement marks cleared): when it lies in
 * the future again, or when it was announced as ended and is active
 * again (an extended window is news).  An active window whose end was
 * not announced yet keeps its marks: its start is not told twice.
 */
bool	 maint_rearm(time_t starts_at, time_t ends_at, bool end_announced,
	    time_t now);

/*
 * The parts of the outages iv[0..n) (open ones end at now; nothing
 * after now) outside every window of win[0..nw), into a malloc'd array
 * (*out, caller frees; NULL when empty) of *nout closed intervals, in
 * the order of iv.  The outages are not merged with each other: an
 * outage cut in two by a window gives two parts.  win is sorted and
 * merged in place.  0 or -1 (out of memory).
 */
int	 maint_subtract(const struct interval *iv, size_t n,
	    struct interval *win, size_t nw, time_t now,
	    struct interval **out, size_t *nout);

/*
 * Whether now lies in one of the windows of a service's summary
 * (services.windows, sql/022): json[0..len) is a JSON array of
 * [starts_at, ends_at] pairs of UNIX seconds; NULL means none.  A
 * window holds now from its start to before its end (MAINT_ACTIVE, the
 * bounds of db_maintenance.h's MAINT_WINDOW_EXISTS).  1 in maintenance,
 * 0 not, -1 when the text is anything but such an array: each pair
 * exactly two integers, the start before the end.
 */
int	 maint_windows_active(const char *json, size_t len, time_t now);

#endif
