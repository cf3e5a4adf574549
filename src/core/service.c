/*
 * The vocabulary of the service catalogue: one table of canonical
 * spellings per enum, indexed by the enum value, and the NULL-terminated
 * choice lists that core/validate's V_ENUM matches against (their order
 * is the seed's, so a choice index is not an enum value: map a
 * validated choice back with the *_parse functions on its spelling).
 */
#include "config.h"

#include <stddef.h>
#include <strings.h>

#include "core/service.h"

static const char *const status_names[STATUS__MAX] = {
	"Up", "Degraded", "Down", "Unknown",
};
static const char *const criticality_names[CRIT__MAX] = {
	NULL, "Low", "Medium", "High",
};
static const char *const impact_names[IMPACT__MAX] = {
	NULL, "Low", "Medium", "Moderate", "High", "Severe",
};
static const char *const risk_level_names[RISK__MAX] = {
	"Low", "Medium", "High",
};

const char *const status_choices[] = {
	"Up", "Degraded", "Down", "Unknown", NULL,
};
const char *const criticality_choices[] = {
	"High", "Medium", "Low", NULL,
};
const char *const impact_choices[] = {
	"Low", "Medium", "Moderate", "High", "Severe", NULL,
};
const char *const risk_level_choices[] = {
	"Low", "Medium", "High", NULL,
};

/* Index of s in names[0..n), case-insensitively; NULL rows never match. */
static int
name_lookup(const char *s, const char *const *names, int n)
{
	int	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (names[i] != NULL && strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

int
status_parse(const char *s)
{

	/* The seed's clients send "Healthy" for a service that is up. */
	if (s != NULL && strcasecmp(s, "Healthy") == 0)
		return STATUS_UP;
	return name_lookup(s, status_names, STATUS__MAX);
}

const char *
status_name(enum svc_status st)
{

	/* A status we cannot name is one we do not know. */
	if ((int)st < 0 || st >= STATUS__MAX)
		return status_names[STATUS_UNKNOWN];
	return status_names[st];
}

int
criticality_parse(const char *s)
{

	return name_lookup(s, criticality_names, CRIT__MAX);
}

const char *
criticality_name(enum criticality c)
{

	if ((int)c < 0 || c >= CRIT__MAX)
		return NULL;
	return criticality_names[c];
}

int
impact_parse(const char *s)
{

	return name_lookup(s, impact_names, IMPACT__MAX);
}

const char *
impact_name(enum impact i)
{

	if ((int)i < 0 || i >= IMPACT__MAX)
		return NULL;
	return impact_names[i];
}

int
risk_level_parse(const char *s)
{

	return name_lookup(s, risk_level_names, RISK__MAX);
}

const char *
risk_level_name(enum risk_level l)
{

	if ((int)l < 0 || l >= RISK__MAX)
		return NULL;
	return risk_level_names[l];
}
