/*
 * Ticket SLA clocks (CONTRACT section 5): the risk levels and
 * percentage of elapsed over limit, business-hours calendars (opening
 * hours per weekday in a time zone, holidays), and the clock that
 * combines a limit, pauses and a calendar.  Pure rules; the calendar
 * arithmetic reads tzdata through util/tz, so it shares tz's
 * single-thread rule.  Every calendar argument may be NULL: 24x7, where
 * working time is plain elapsed time.
 *
 * Cost: calendars are walked a local day at a time.  Measured here
 * (-O2), a week costs about 2 us in a DST zone and 0.2 us in UTC, a
 * year 75-100 us and 6 us; the first call after a switch to another
 * zone pays about 20 us more (tzdata is checked and re-read), so a
 * page of tickets is cheapest taken calendar by calendar.
 */
#ifndef RO_SLACLOCK_H
#define RO_SLACLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Days in a row without working time after which cal_add_working gives up. */
#define CAL_SEARCH_DAYS	4000
/* Days cal_add_working walks at most: a due date 100 years out is none. */
#define CAL_WALK_DAYS	36525

enum sla_level {
	SLA_SAFE,		/* under 50 % */
	SLA_WARNING,		/* 50 % up to 75 % */
	SLA_HIGH_RISK,		/* 75 % up to 100 % */
	SLA_BREACHED,		/* 100 % and over */
	SLA_LEVEL__MAX
};

/* "SAFE", "WARNING", "HIGH_RISK", "BREACHED"; NULL out of range. */
const char	*sla_level_name(enum sla_level);
/* The level named s, case-insensitively; -1 if none (or NULL). */
int		 sla_level_parse(const char *s);
/*
 * The level of elapsed seconds against a limit, by exact integer
 * comparison (elapsed * 100 >= limit * 75 is HIGH_RISK, ...).  A limit
 * <= 0 is BREACHED; a negative elapsed counts as 0.
 */
enum sla_level	 sla_level_of(long long elapsed, long long limit);
/*
 * 100 * elapsed / limit, clamped to 0..100 (limit <= 0: 100).  Rounding
 * to two decimals is the caller's.
 */
double		 sla_percent(long long elapsed, long long limit);

/*
 * Opening hours per weekday in a zone: open[] and close[] are minutes
 * after local midnight, index 0 is Sunday, 0 <= open <= close <= 1440,
 * open == close closes that day.  The caller owns everything; holidays
 * is borrowed for as long as the calendar is used.
 */
struct sla_calendar {
	char		 zone[64];	/* IANA zone; "" means UTC */
	int		 open[7], close[7];
	const int	*holidays;	/* local dates as YYYYMMDD, ascending
					   (repeats allowed), closed all day */
	size_t		 nholidays;
};

/*
 * Working seconds in [from, to): 0 if to <= from.  A day's opening
 * hours are turned into instants in the calendar's zone, so a day with
 * a DST change counts the real time between them (see tz_instant for
 * opening times that fall in a gap or overlap).  -1 if cal is not
 * usable (bounds, zone): cal_valid rules that out.
 */
long long	 cal_working_seconds(const struct sla_calendar *cal,
		    time_t from, time_t to);
/*
 * The first instant at which seconds of working time have passed since
 * from; an answer on a closing time is that closing time, not the next
 * opening.  seconds <= 0: from itself.  (time_t)-1 if cal is not
 * usable, if CAL_SEARCH_DAYS days in a row hold no working time, or if
 * the answer is more than CAL_WALK_DAYS days away.
 */
time_t		 cal_add_working(const struct sla_calendar *cal, time_t from,
		    long long seconds);
/* "HH:MM" exactly, 00:00 to 24:00, in minutes ("09:00" is 540); -1. */
int		 cal_parse_hhmm(const char *s);
/*
 * "YYYY-MM-DD" exactly, a real date of 1970..9999, as YYYYMMDD
 * ("2026-12-25" is 20261225); -1.
 */
int		 cal_parse_date(const char *s);
/*
 * Whether cal can be used: zone "" or tz_valid (this reads tzdata: do
 * it when the calendar is configured, not per ticket), hours in bounds,
 * at least one working day, holidays real dates in ascending order.  A
 * NULL calendar is valid: 24x7.
 */
bool		 cal_valid(const struct sla_calendar *cal);

/*
 * One ticket's clock.  Instants are 0 when unset.  The caller owns it;
 * cal is borrowed.
 */
struct sla_clock {
	time_t		 start;		/* when the clock started (created) */
	time_t		 stopped;	/* resolved (or first response); 0 */
	time_t		 paused_since;	/* start of the current pause; 0 none */
	long long	 paused;	/* working seconds of ended pauses */
	long long	 limit;		/* working seconds allowed */
	const struct sla_calendar *cal;	/* NULL: 24x7 */
};

/*
 * Working seconds counted at now: working(start, end) - paused, where
 * end is the earliest of now, stopped and paused_since (those set).
 * A negative paused counts as 0.  Never negative, except -1 when the
 * calendar is not usable.  0 for a NULL clock.
 */
long long	 sla_elapsed(const struct sla_clock *, time_t now);
/*
 * The instant the clock reaches percent (0..100) of its limit:
 * cal_add_working(cal, start, ceil(limit * percent / 100) + paused).
 * It may be in the past; for a clock that passed the mark before a
 * pause it is later than the real crossing (where pauses fell is not
 * kept), so compare sla_elapsed with the mark for the past.  0 when
 * the clock is stopped or paused at or before now, or will be before
 * it gets there (stopped or paused_since later than now), and for a
 * NULL clock.  (time_t)-1 for a percent out of range, an overflow, or
 * as cal_add_working.
 */
time_t		 sla_when(const struct sla_clock *, int percent, time_t now);
/*
 * The working seconds of one pause, to add to paused when it ends: the
 * pause is clipped to the clock's life (start, and stopped if set) so
 * that paused never holds time the clock did not count.  0 for a NULL
 * clock; -1 as cal_working_seconds.
 */
long long	 sla_pause_seconds(const struct sla_clock *, time_t pause_start,
		    time_t pause_end);

#endif
