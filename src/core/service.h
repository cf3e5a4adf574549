/*
 * The vocabulary of the service catalogue: statuses, criticality and
 * impact levels, risk levels, alert types and severities.  Names are
 * parsed case-insensitively and always written in one spelling.
 */
#ifndef RO_SERVICE_H
#define RO_SERVICE_H

enum svc_status { STATUS_UP, STATUS_DEGRADED, STATUS_DOWN, STATUS_UNKNOWN, STATUS__MAX };
enum criticality { CRIT_NONE, CRIT_LOW, CRIT_MEDIUM, CRIT_HIGH, CRIT__MAX };
/* Moderate is the reference web client's word for Medium; it scores like it. */
enum impact { IMPACT_NONE, IMPACT_LOW, IMPACT_MEDIUM, IMPACT_MODERATE, IMPACT_HIGH, IMPACT_SEVERE, IMPACT__MAX };
enum risk_level { RISK_LOW, RISK_MEDIUM, RISK_HIGH, RISK__MAX };

#define STATUS_BADMSG "Status must be one of Up, Degraded, Down, Unknown"
#define CRITICALITY_BADMSG "Invalid criticality: must be one of High, Medium, Low"
#define IMPACT_BADMSG "Invalid impact: must be one of Low, Medium, Moderate, High, Severe"

/*
 * "Healthy" is accepted as Up.  -1 if unknown.  status_name never
 * returns NULL: a value out of range is named "Unknown".
 */
int	 status_parse(const char *);
const char *status_name(enum svc_status);
/* -1 if unknown; CRIT_NONE/IMPACT_NONE are never parsed. */
int	 criticality_parse(const char *);
const char *criticality_name(enum criticality);	/* NULL for CRIT_NONE */
int	 impact_parse(const char *);
const char *impact_name(enum impact);		/* NULL for IMPACT_NONE */
int	 risk_level_parse(const char *);
const char *risk_level_name(enum risk_level);	/* NULL out of range */

/*
 * Canonical spellings, NULL-terminated, for core/validate's V_ENUM, in
 * the seed's order: a V_ENUM index is NOT the enum value; map the
 * validated canonical spelling (vvalue.s) back with *_parse.  Status
 * choices lack "Healthy": validate status with status_parse instead.
 */
extern const char *const criticality_choices[];	/* High, Medium, Low */
extern const char *const impact_choices[];	/* Low, Medium, Moderate, High, Severe */
extern const char *const status_choices[];	/* Up, Degraded, Down, Unknown */
extern const char *const risk_level_choices[];	/* Low, Medium, High */

#endif
