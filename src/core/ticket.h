/*
 * The ticket vocabulary (priorities, statuses, notification types), the
 * business-hours calendar as it is written in JSON (SLA configuration
 * and the copy each ticket keeps), and a ticket's clock: its state
 * turned into a core/slaclock clock and into the instants at which it
 * crosses 50, 75 and 100 %, the warning percentage and the
 * first-response target.  Pure.
 */
#ifndef RO_TICKET_H
#define RO_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "core/slaclock.h"

enum ticket_priority { PRIO_LOW, PRIO_MEDIUM, PRIO_HIGH, PRIO_CRITICAL, PRIO__MAX };
enum ticket_status {
	TSTATUS_OPEN,
	TSTATUS_IN_PROGRESS,
	TSTATUS_WAITING,	/* WAITING_ON_CUSTOMER: the clock is paused */
	TSTATUS_ESCALATED,
	TSTATUS_RESOLVED,
	TSTATUS__MAX
};
enum notify_type { NOTIFY_INFO, NOTIFY_WARNING, NOTIFY_ALERT, NOTIFY__MAX };

#define TICKET_SLA_HOURS_MAX	8760	/* sla_hours 1..8760 */
#define CAL_HOLIDAYS_MAX	400	/* holidays in one calendar */

/* Names as stored and shown; parse is case-insensitive, -1 if unknown. */
const char *ticket_priority_name(enum ticket_priority);
int	 ticket_priority_parse(const char *);
const char *ticket_status_name(enum ticket_status);
int	 ticket_status_parse(const char *);
const char *notify_type_name(enum notify_type);
int	 notify_type_parse(const char *);
/* NULL-terminated, for core/validate's V_ENUM (index == enum value). */
extern const char *const ticket_priority_choices[];
extern const char *const ticket_status_choices[];

/*
 * A calendar with room for its holidays (struct sla_calendar borrows
 * them): cal.holidays points into holidays[].
 */
struct ticket_calendar {
	struct sla_calendar	 cal;
	int			 holidays[CAL_HOLIDAYS_MAX];
};

/*
 * Read a calendar from its JSON form: {"time_zone": "Europe/Berlin",
 * "working_days": [1, 2, 3, 4, 5] (ISO weekdays, 1 = Monday),
 * "start": "09:00", "end": "17:00", "holidays": ["2026-12-25"]}; only
 * working_days, start and end are required (time_zone defaults to UTC,
 * holidays to none).  The zone is checked against tzdata (util/tz).
 * 0 with out filled (out->cal.holidays set to out->holidays), or -1
 * with a client message naming the field in err.
 */
int	 ticket_calendar_from_json(struct json_object *, struct ticket_calendar *out,
	    char *err, size_t errsz);
/* The same from stored text (written by ticket_calendar_json); 0 or -1. */
int	 ticket_calendar_parse(const char *text, struct ticket_calendar *out);
/*
 * The canonical JSON form of a calendar (a new object, caller puts it),
 * or NULL out of memory.
 */
struct json_object *ticket_calendar_json(const struct ticket_calendar *);

/* A ticket's clock as stored (see sql/007_tickets.sql). */
struct ticket_clock {
	time_t		 created;
	time_t		 resolved;		/* 0: open */
	time_t		 paused_since;		/* 0: running */
	long long	 paused;		/* working seconds of ended pauses */
	time_t		 first_response;	/* 0: none yet */
	int		 sla_hours;
	int		 first_response_hours;	/* 0: no target */
	int		 warn_percent;
	const struct sla_calendar *cal;		/* NULL: 24x7 */
};

/* The instants the clock reaches each mark; 0 where it cannot (yet). */
struct ticket_marks {
	time_t		 half;		/* 50 % */
	time_t		 high;		/* 75 % */
	time_t		 breach;	/* 100 % */
	time_t		 warn;		/* warn_percent */
	time_t		 fr_due;	/* first-response target */
};

/*
 * What a status change does to the clock at now: WAITING_ON_CUSTOMER
 * pauses it and leaving it resumes it (the paused working time is
 * added to paused); RESOLVED stops it (ending a pause first); leaving
 * RESOLVED reopens it, the time it stood resolved counted as paused.
 * -1 if the calendar is unusable, else 0.
 */
int	 ticket_clock_move(struct ticket_clock *, enum ticket_status from,
	    enum ticket_status to, time_t now);

/* The resolution clock of t as a core/slaclock clock. */
void	 ticket_sla_clock(const struct ticket_clock *, struct sla_clock *out);
/*
 * The marks of t as of now.  A mark already passed in old (non-zero and
 * <= now) is kept as it is: where a clock that was paused crossed a
 * mark is not recomputed from its total pause.  Others are computed
 * (0 while the clock is paused or stopped).  The first-response target
 * stops with the first response (or the resolution).  -1 if the
 * calendar is unusable, else 0.
 */
int	 ticket_marks(const struct ticket_clock *, const struct ticket_marks *old,
	    time_t now, struct ticket_marks *out);

/* What the answers show of a clock at now. */
struct ticket_reading {
	long long	 elapsed;	/* working seconds */
	double		 percent;	/* 0..100 */
	enum sla_level	 level;
	bool		 fr_breached;	/* first-response target missed */
};

/* Read t's clock at now; -1 if the calendar is unusable, else 0. */
int	 ticket_read(const struct ticket_clock *, time_t now,
	    struct ticket_reading *out);

#endif
