/*
 * Incidents (CONTRACT 7): what an operator tells the public about a
 * problem, as a timeline of updates.  The words, their order, and what
 * an update does to its incident; pure, shared by the API, the pages
 * and the daemon (which prepares drafts for its outages).
 */
#ifndef RO_INCIDENT_H
#define RO_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define INCIDENT_TITLE_MAX	200	/* characters */
#define INCIDENT_MESSAGE_MAX	5000	/* characters of one update */

enum incident_impact {
	INCIDENT_MINOR,
	INCIDENT_MAJOR,
	INCIDENT_CRITICAL,
	INCIDENT_IMPACT__MAX
};

enum incident_status {
	INCIDENT_INVESTIGATING,
	INCIDENT_IDENTIFIED,
	INCIDENT_MONITORING,
	INCIDENT_RESOLVED,
	INCIDENT_STATUS__MAX
};

#define INCIDENT_IMPACT_BADMSG \
	"Invalid impact: must be one of minor, major, critical"
#define INCIDENT_STATUS_BADMSG \
	"Invalid status: must be one of investigating, identified, " \
	"monitoring, resolved"

/* NULL-terminated, for core/validate's V_ENUM (index = the enum). */
extern const char *const incident_impact_choices[];
extern const char *const incident_status_choices[];

const char *incident_impact_name(enum incident_impact);
const char *incident_status_name(enum incident_status);
/* The enum of a stored or sent spelling (any case), or -1. */
int	 incident_impact_parse(const char *);
int	 incident_status_parse(const char *);
/* For people: "Investigating", "Major"... */
const char *incident_status_label(enum incident_status);
const char *incident_impact_label(enum incident_impact);

struct incident_update {
	long long		 id;
	long long		 incident_id;
	enum incident_status	 status;
	char			*message;
	char			*created_by;
	time_t			 created_at;
};

struct incident {
	long long		 id;
	char			*title;
	enum incident_impact	 impact;
	enum incident_status	 status;
	bool			 draft;
	long long		 downtime_id;	/* a draft's outage; 0: none */
	char			*created_by;
	time_t			 created_at;
	time_t			 updated_at;
	time_t			 resolved_at;	/* 0 while open */
	long long		*service_ids;	/* ascending */
	size_t			 nservices;
	struct incident_update	*updates;	/* oldest first */
	size_t			 nupdates;
};

/*
 * What an update of status at now does to its incident: its status
 * becomes the update's; resolved sets resolved_at (now), any other
 * status reopens a resolved incident (resolved_at 0).
 */
void	 incident_apply(struct incident *, enum incident_status, time_t now);

void	 incident_update_clear(struct incident_update *);
/* Free what the incident owns (not the struct itself). */
void	 incident_clear(struct incident *);

#endif
