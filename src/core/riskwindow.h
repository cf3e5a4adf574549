/*
 * The risk score's one input that moves with time: the minutes of
 * downtime in the last 7 days (core/uptime's downtime_minutes_since).
 * Here, the span of instants around a --now over which the factor they
 * decide (core/risk: more than 120 minutes) keeps its verdict, so the
 * daemon scores a service again only when a --now leaves that span, in
 * either direction.  Pure.
 */
#ifndef RO_RISKWINDOW_H
#define RO_RISKWINDOW_H

#include <stddef.h>
#include <time.h>

#include "core/uptime.h"

#define RISK_WINDOW_SECONDS	(7 * 24 * 3600)
/*
 * How far from now a span reaches: a service with no downtime is
 * still looked at twice a day.  The caller must pass every downtime
 * that starts before now + RISK_WINDOW_HORIZON and is open or ends
 * after now - RISK_WINDOW_SECONDS - RISK_WINDOW_HORIZON.
 */
#define RISK_WINDOW_HORIZON	(12 * 3600)

/*
 * [*from, *until): the instants t, within RISK_WINDOW_HORIZON of now,
 * at which risk_downtime_factor() of downtime_minutes_since(dt, n,
 * t - RISK_WINDOW_SECONDS, t) is what it is at now.  *from <= now < *until.
 */
void	 risk_window_span(const struct interval *dt, size_t n, time_t now,
	    time_t *from, time_t *until);

#endif
