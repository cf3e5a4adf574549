/*
 * The automated risk score: exactly the seed's rules (CONTRACT sections
 * 4 and 9).  Pure: the API (save, health) and the daemon (every
 * service, every tick) call the same function.
 */
#ifndef RO_RISK_H
#define RO_RISK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/service.h"

#define RISK_REASON_MAX 2048

struct risk_input {
	enum svc_status	 status;
	bool		 has_bia;
	enum criticality criticality;	/* CRIT_NONE when unset */
	enum impact	 impact;	/* IMPACT_NONE when unset */
	bool		 has_rto;	/* a null rto does not count */
	long		 rto;		/* minutes */
	bool		 has_rpo;
	long		 rpo;
	long		 downtime_minutes_7d;	/* clipped sum over the last 7 days */
	const char *const *down_deps;	/* names of dependencies that are Down, in service id order */
	size_t		 ndown_deps;
	long		 integrations;
};

struct risk_result {
	int		 score;		/* 0..100 */
	enum risk_level	 level;
	bool		 is_critical;
	char		 reason[RISK_REASON_MAX];	/* factors joined by ", " or "No risks identified" */
};

/*
 * The rules, in reason order: Down +40; downtime_minutes_7d > 120 +20;
 * criticality High +15 / Medium +10; impact High or Severe +10;
 * rto < 60 +10; rpo < 60 +5; any dependency Down +20; integrations > 3
 * +10 and > 5 another +5; capped at 100.  Level High >= 80, Medium >= 50.
 * Critical when criticality High, impact High/Severe, rto < 30,
 * score >= 80, Down with > 120 minutes, a dependency Down, or > 5
 * integrations.  A reason that does not fit is cut at a factor boundary
 * (the first factor that does not fit and all after it are left out);
 * the critical marker always stays, last.
 */
void	 risk_score(const struct risk_input *, struct risk_result *);
/* Whether the 7-day downtime counts (core/riskwindow asks it too). */
bool	 risk_downtime_factor(long downtime_minutes_7d);
/* The level of a score (manual records are checked against nothing). */
enum risk_level risk_level_of(int score);

#endif
