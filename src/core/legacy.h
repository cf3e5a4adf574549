/*
 * The originals' spellings read into ours, for resilops-admin import:
 * roles, statuses, priorities, notification types, BIA levels, flags
 * and times as ResilientOps / Service Risk (MySQL) and SLA Guard
 * (SQLite, SQLAlchemy) stored them.  Pure; each falls back to the
 * least surprising value so one odd row never stops an import, and
 * says so (the caller counts the fallbacks).
 */
#ifndef RO_LEGACY_H
#define RO_LEGACY_H

#include <stdbool.h>
#include <time.h>

#include "core/perm.h"
#include "core/ticket.h"

/*
 * A role in any spelling the originals used ("Business Owner",
 * "MANAGER", "senior_technician"); NULL, empty or unknown is the least
 * privileged, ROLE_USER, and *fallback is set (may be NULL).
 */
enum role legacy_role(const char *, bool *fallback);
/* Up, Degraded, Down or Unknown ("Healthy" is Up); unknown: "Unknown". */
const char *legacy_status(const char *);
/*
 * Ticket priority, status and notification type; SQLAlchemy's
 * "TicketPriority.HIGH" form and "in progress" are read too.  Unknown:
 * MEDIUM, OPEN and INFO, with *fallback set (may be NULL).
 */
enum ticket_priority legacy_priority(const char *, bool *fallback);
enum ticket_status legacy_ticket_status(const char *, bool *fallback);
enum notify_type legacy_notify_type(const char *, bool *fallback);
/* BIA criticality and impact in our spelling; NULL when unknown or empty. */
const char *legacy_criticality(const char *);
const char *legacy_impact(const char *);
/* A stored boolean: 1, true, t, yes, y (any case) are true. */
bool	 legacy_bool(const char *);
/*
 * A stored time: "2024-01-15 10:30:00.123456" (SQLAlchemy on SQLite),
 * ISO 8601 with 'T' and a zone; no zone means UTC (both originals
 * stored UTC).  0, or -1 when NULL, empty or invalid.
 */
int	 legacy_time(const char *, time_t *out);

#endif
