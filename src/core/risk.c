/*
 * The automated risk score: the seed's calculate_risk_score() rule for
 * rule, with the reason text of CONTRACT section 9.  The factors are
 * decided first, then the score, the level and the critical flag, and
 * last the reason, so that the reason keeps room for the critical
 * marker however long the list of down dependencies is.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/risk.h"
#include "core/service.h"

#define RISK_SCORE_MAX		100
#define RISK_HIGH_MIN		80
#define RISK_MEDIUM_MIN		50
#define RISK_DOWNTIME_MINUTES	120
#define RISK_RTO_MINUTES	60
#define RISK_RPO_MINUTES	60
#define RISK_RTO_CRITICAL	30
#define RISK_INTEGRATIONS_HIGH	3
#define RISK_INTEGRATIONS_VHIGH	5

#define REASON_SEP		", "
#define REASON_DOWN		"Service is currently down"
#define REASON_DOWNTIME		"Frequent or prolonged downtimes in the last 7 days"
#define REASON_CRIT_HIGH	"High criticality in BIA"
#define REASON_CRIT_MEDIUM	"Medium criticality in BIA"
#define REASON_IMPACT		"High impact in BIA: "
#define REASON_RTO		"RTO < 1 hour"
#define REASON_RPO		"RPO < 1 hour"
#define REASON_DEPS		"Dependencies down: "
#define REASON_INTEGRATIONS	"High number of integrations"
#define REASON_COMPLEXITY	"Very high integration complexity"
#define REASON_CRITICAL		"Service marked as CRITICAL based on business rules"
#define REASON_NONE		"No risks identified"

/*
 * A reason being written.  Factors are whole or absent: the first one
 * that does not fit ends the list (the reason is a prefix of the
 * factors, cut at a factor boundary).
 */
struct reason {
	char	*buf;
	size_t	 len;
	size_t	 limit;		/* bytes usable for factors, NUL excluded */
	bool	 cut;
};

/* Raw append; the caller has measured that it fits. */
static void
reason_put(struct reason *r, const char *s)
{
	size_t	 n = strlen(s);

	memcpy(r->buf + r->len, s, n);
	r->len += n;
	r->buf[r->len] = '\0';
}

/* Opens a factor of `need` bytes; false (ending the list) if it cannot fit. */
static bool
reason_open(struct reason *r, size_t need)
{

	if (r->cut)
		return false;
	if (r->len > 0)
		need += strlen(REASON_SEP);
	if (need > r->limit - r->len) {
		r->cut = true;
		return false;
	}
	if (r->len > 0)
		reason_put(r, REASON_SEP);
	return true;
}

static void
reason_add(struct reason *r, const char *text)
{

	if (reason_open(r, strlen(text)))
		reason_put(r, text);
}

static void
reason_add2(struct reason *r, const char *a, const char *b)
{

	if (reason_open(r, strlen(a) + strlen(b))) {
		reason_put(r, a);
		reason_put(r, b);
	}
}

/* "Dependencies down: a, b": the whole list is one factor. */
static void
reason_add_deps(struct reason *r, const char *const *names, size_t n)
{
	size_t	 need, i;

	need = strlen(REASON_DEPS);
	/* Stop measuring once past the limit: no size_t overflow. */
	for (i = 0; i < n && need <= r->limit; i++)
		need += (i > 0 ? strlen(REASON_SEP) : 0) +
		    (names != NULL && names[i] != NULL ? strlen(names[i]) : 0);
	if (!reason_open(r, need))
		return;
	reason_put(r, REASON_DEPS);
	for (i = 0; i < n; i++) {
		if (i > 0)
			reason_put(r, REASON_SEP);
		if (names != NULL && names[i] != NULL)
			reason_put(r, names[i]);
	}
}

bool
risk_downtime_factor(long downtime_minutes_7d)
{

	return downtime_minutes_7d > RISK_DOWNTIME_MINUTES;
}

enum risk_level
risk_level_of(int score)
{

	if (score >= RISK_HIGH_MIN)
		return RISK_HIGH;
	if (score >= RISK_MEDIUM_MIN)
		return RISK_MEDIUM;
	return RISK_LOW;
}

void
risk_score(const struct risk_input *in, struct risk_result *out)
{
	struct reason	 r;
	const char	*impact;
	bool		 down, downtime, crit_high, crit_medium, impact_high;
	bool		 rto, rto_critical, rpo, deps, integ, complexity;
	int		 score = 0;

	/* A service without BIA scores on the rest: its factors count 0. */
	down = in->status == STATUS_DOWN;
	downtime = risk_downtime_factor(in->downtime_minutes_7d);
	crit_high = in->has_bia && in->criticality == CRIT_HIGH;
	crit_medium = in->has_bia && in->criticality == CRIT_MEDIUM;
	impact_high = in->has_bia &&
	    (in->impact == IMPACT_HIGH || in->impact == IMPACT_SEVERE);
	/* rto 0 is "under an hour"; a null rto is no answer at all. */
	rto = in->has_bia && in->has_rto && in->rto < RISK_RTO_MINUTES;
	rto_critical = in->has_bia && in->has_rto &&
	    in->rto < RISK_RTO_CRITICAL;
	rpo = in->has_bia && in->has_rpo && in->rpo < RISK_RPO_MINUTES;
	deps = in->ndown_deps > 0;
	integ = in->integrations > RISK_INTEGRATIONS_HIGH;
	complexity = in->integrations > RISK_INTEGRATIONS_VHIGH;

	if (down)
		score += 40;
	if (downtime)
		score += 20;
	if (crit_high)
		score += 15;
	else if (crit_medium)
		score += 10;
	if (impact_high)
		score += 10;
	if (rto)
		score += 10;
	if (rpo)
		score += 5;
	if (deps)
		score += 20;
	if (integ)
		score += 10;
	if (complexity)
		score += 5;
	if (score > RISK_SCORE_MAX)
		score = RISK_SCORE_MAX;

	out->score = score;
	out->level = risk_level_of(score);
	out->is_critical = crit_high || impact_high || rto_critical ||
	    score >= RISK_HIGH_MIN || (down && downtime) || deps || complexity;

	r.buf = out->reason;
	r.len = 0;
	r.buf[0] = '\0';
	r.cut = false;
	/* Keep room for the marker: it must survive a cut list. */
	r.limit = sizeof(out->reason) - 1;
	if (out->is_critical)
		r.limit -= strlen(REASON_SEP) + strlen(REASON_CRITICAL);

	if (down)
		reason_add(&r, REASON_DOWN);
	if (downtime)
		reason_add(&r, REASON_DOWNTIME);
	if (crit_high)
		reason_add(&r, REASON_CRIT_HIGH);
	else if (crit_medium)
		reason_add(&r, REASON_CRIT_MEDIUM);
	if (impact_high) {
		impact = impact_name(in->impact);
		reason_add2(&r, REASON_IMPACT, impact != NULL ? impact : "");
	}
	if (rto)
		reason_add(&r, REASON_RTO);
	if (rpo)
		reason_add(&r, REASON_RPO);
	if (deps)
		reason_add_deps(&r, in->down_deps, in->ndown_deps);
	if (integ)
		reason_add(&r, REASON_INTEGRATIONS);
	if (complexity)
		reason_add(&r, REASON_COMPLEXITY);

	if (out->is_critical) {
		/* The reserved room: always fits. */
		r.limit = sizeof(out->reason) - 1;
		r.cut = false;
		reason_add(&r, REASON_CRITICAL);
	}
	if (r.len == 0)
		reason_put(&r, REASON_NONE);
}
