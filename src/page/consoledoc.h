/*
 * The console's pages as the documents their templates render
 * (templates/console_*.mustache), made from the API's answers and a
 * few plain inputs: who is looking, what they may do, the CSRF token,
 * the flash of the last form, the time.  No I/O here, so that tests
 * render every page from fixed data (tests/unit/test_consolepages.c);
 * the handlers of console*.c fetch, call one of these and send.
 *
 * Each function takes the answers it is given (the caller no longer
 * puts them; NULL stands for an answer the API refused) and returns a
 * new object, which the caller puts or hands to console_send; or NULL
 * out of memory, having put them (console_send then answers 500): a
 * page goes whole or not at all.
 */
#ifndef RO_CONSOLEDOC_H
#define RO_CONSOLEDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "core/perm.h"

struct conf;
struct risk_brief;

#define CONSOLE_PER_PAGE	25

/* Who is looking at a page, and what the layout shows them. */
struct console_view {
	const struct conf	*cfg;		/* the site's title */
	time_t			 now;
	const char		*username;
	enum role		 role;
	unsigned		 perms;		/* what they may do now (perms_may) */
	const char		*csrf;		/* the forms' token; NULL: none */
	const char		*flash;		/* the last form's message; NULL: none */
	bool			 flash_ok;	/* ... and whether it went well */
};

/* One page of a list, as the API answered it. */
struct console_list {
	struct json_object	*answer;	/* taken by the consoledoc_ call */
	long			 page;		/* 1 and up */
	long long		 total;		/* its X-Total-Count; -1: none */
};

/*
 * The login form: its token (also the csrf cookie's), where to go after
 * (already checked), and the error of the last try (NULL: none).
 */
struct json_object *consoledoc_login(const struct conf *, time_t now,
	    const char *csrf, const char *next, const char *error);
/* The services (/api/services), each with its newest risk of risks. */
struct json_object *consoledoc_services(const struct console_view *,
	    struct console_list services, const struct risk_brief *risks,
	    size_t nrisks);
/*
 * A service (/api/services/<id>) with its health, recent downtime and,
 * for whoever may see them, its integrations out of the whole list
 * (/api/services/integrations); the forms the viewer may use.
 */
struct json_object *consoledoc_service(const struct console_view *,
	    struct json_object *service, struct json_object *health,
	    struct json_object *downtime, struct json_object *integrations);
/* The alerts: all of them (every), or those not acknowledged. */
struct json_object *consoledoc_alerts(const struct console_view *,
	    bool every, struct console_list alerts);
struct json_object *consoledoc_breaches(const struct console_view *,
	    struct console_list breaches);
/* The tickets with their SLA countdowns. */
struct json_object *consoledoc_tickets(const struct console_view *,
	    struct console_list tickets);
/* A ticket: its countdown, business-hours clock and activity. */
struct json_object *consoledoc_ticket(const struct console_view *,
	    struct json_object *ticket, struct json_object *activity);
/* The audit trail that every user may read (/api/audit). */
struct json_object *consoledoc_audit_trail(const struct console_view *,
	    struct console_list entries);
/*
 * The security audit log (/api/v1/security/audit-logs, its envelope)
 * with the filters' form: filters {name: text} as typed (taken), query
 * the same percent-encoded, for the pager's links.
 */
struct json_object *consoledoc_audit_logs(const struct console_view *,
	    struct console_list logs, struct json_object *filters,
	    const char *query);

/*
 * Incidents (consoledoc_incidents.c): the list (status: the API's
 * ?status= filter shown, "" for all), one incident with its forms
 * (services: the answer of GET /api/services, for the names), the form
 * for a new one (services to choose from), and the page that asks
 * before a draft is deleted.
 */
struct json_object *consoledoc_incidents(const struct console_view *,
	    struct console_list incidents, const char *status);
struct json_object *consoledoc_incident(const struct console_view *,
	    struct json_object *incident, struct json_object *services);
struct json_object *consoledoc_incident_new(const struct console_view *,
	    struct json_object *services);
struct json_object *consoledoc_incident_delete(const struct console_view *,
	    struct json_object *incident);

/*
 * Maintenance windows (consoledoc_incidents.c too): the list (state:
 * the ?state= shown, "" for all), the form for a new one, and the page
 * that asks before one is deleted.
 */
struct json_object *consoledoc_maintenance(const struct console_view *,
	    struct console_list windows, const char *state,
	    struct json_object *services);
struct json_object *consoledoc_maintenance_new(const struct console_view *,
	    struct json_object *services);
struct json_object *consoledoc_maintenance_delete(
	    const struct console_view *, struct json_object *window);

/*
 * For the consoledoc_*.c files: the layout, a list page (l.answer taken),
 * people's times added beside the API's (0, or -1 out of memory).  Each
 * returns NULL (or -1) out of memory, having put what it took.
 */
struct json_object *consoledoc_layout(const struct console_view *,
	    const char *title, const char *section);
struct json_object *consoledoc_list_layout(const struct console_view *,
	    const char *title, const char *section, const char *key,
	    struct console_list l, const char *self, const char *self_query);
int	 consoledoc_times(struct json_object *, time_t now);
/*
 * Building them: o[key] = v (taken), a JSON null for a NULL v (an
 * answer the API refused); o[key] = from[fromkey] (shared; null when
 * absent).  0, or -1 when the add fails (util/json's json_add).
 */
int	 consoledoc_add_answer(struct json_object *o, const char *key,
	    struct json_object *v);
int	 consoledoc_add_member(struct json_object *o, const char *key,
	    struct json_object *from, const char *fromkey);

#endif
