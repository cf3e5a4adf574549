/*
 * Incidents: the spellings and the one rule of an update.  Tables, so
 * that a new status or impact is one row here and nowhere else.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/incident.h"


const char *const incident_impact_choices[] = {
	[INCIDENT_MINOR] = "minor",
	[INCIDENT_MAJOR] = "major",
	[INCIDENT_CRITICAL] = "critical",
	[INCIDENT_IMPACT__MAX] = NULL,
};

const char *const incident_status_choices[] = {
	[INCIDENT_INVESTIGATING] = "investigating",
	[INCIDENT_IDENTIFIED] = "identified",
	[INCIDENT_MONITORING] = "monitoring",
	[INCIDENT_RESOLVED] = "resolved",
	[INCIDENT_STATUS__MAX] = NULL,
};

static const char *const impact_labels[INCIDENT_IMPACT__MAX] = {
	[INCIDENT_MINOR] = "Minor",
	[INCIDENT_MAJOR] = "Major",
	[INCIDENT_CRITICAL] = "Critical",
};

static const char *const status_labels[INCIDENT_STATUS__MAX] = {
	[INCIDENT_INVESTIGATING] = "Investigating",
	[INCIDENT_IDENTIFIED] = "Identified",
	[INCIDENT_MONITORING] = "Monitoring",
	[INCIDENT_RESOLVED] = "Resolved",
};

static int
lookup(const char *s, const char *const *names, int n)
{
	int	 i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *
incident_impact_name(enum incident_impact i)
{
	return (unsigned)i < INCIDENT_IMPACT__MAX ?
	    incident_impact_choices[i] : "minor";
}

const char *
incident_status_name(enum incident_status s)
{
	return (unsigned)s < INCIDENT_STATUS__MAX ?
	    incident_status_choices[s] : "investigating";
}

int
incident_impact_parse(const char *s)
{
	return lookup(s, incident_impact_choices, INCIDENT_IMPACT__MAX);
}

int
incident_status_parse(const char *s)
{
	return lookup(s, incident_status_choices, INCIDENT_STATUS__MAX);
}

const char *
incident_impact_label(enum incident_impact i)
{
	return (unsigned)i < INCIDENT_IMPACT__MAX ? impact_labels[i] : "Minor";
}

const char *
incident_status_label(enum incident_status s)
{
	return (unsigned)s < INCIDENT_STATUS__MAX ? status_labels[s] :
	    "Investigating";
}

void
incident_apply(struct incident *inc, enum incident_status s, time_t now)
{
	inc->status = s;
	inc->resolved_at = s == INCIDENT_RESOLVED ? now : 0;
	inc->updated_at = now;
}

void
incident_update_clear(struct incident_update *u)
{
	free(u->message);
	free(u->created_by);
	memset(u, 0, sizeof(*u));
}

void
incident_clear(struct incident *inc)
{
	size_t	 i;

	free(inc->title);
	free(inc->created_by);
	free(inc->service_ids);
	for (i = 0; i < inc->nupdates; i++)
		incident_update_clear(&inc->updates[i]);
	free(inc->updates);
	memset(inc, 0, sizeof(*inc));
}
