/*
 * The ticket lists (CONTRACT 5): /api/tickets with its filters, the
 * high-risk and escalated tickets, and the caller's own under
 * /api/users/tickets.  Each is a row of api_list_route with a struct
 * ticket_listing: which subset, and whose tickets.  A list shows what
 * GET /api/tickets/<id> would show the caller, never more.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_ticket.h"
#include "core/slaclock.h"
#include "core/ticket.h"
#include "db/db_ticket.h"
#include "http/dispatch.h"

#define ID_MAX	999999999999999999LL

/* Whose tickets a list shows. */
enum listing_view {
	LV_VISIBLE,	/* what the caller may see (CONTRACT 9) */
	LV_CREATED,	/* the caller's own (/api/users/tickets) */
	LV_ESCALATED,	/* Managers: all; Senior Technicians: assigned */
};

struct ticket_listing {
	struct api_list		 list;		/* first: it is the route's arg */
	enum ticket_subset	 subset;
	enum listing_view	 view;
	bool			 filters;	/* ?status= ... apply */
};

/*
 * One query parameter through its parser into *out (left as it is
 * when absent); 400 naming the parameter when malformed.
 */
static int
query_choice(struct request *req, struct response *resp, const char *name,
    int (*parse)(const char *), int *out)
{
	char	*s;
	bool	 bad;
	int	 v = -1;

	if ((s = query_param(req->query, name, &bad)) == NULL && !bad)
		return 0;
	if (s != NULL)
		v = parse(s);
	free(s);
	if (v < 0)
		return resp_error(resp, 400, "Invalid %s", name);
	*out = v;
	return 0;
}

static int
query_id(struct request *req, struct response *resp, const char *name,
    long long *out)
{
	char		*s;
	bool		 bad;
	long long	 v = 0;
	int		 rc = 0;

	if ((s = query_param(req->query, name, &bad)) == NULL && !bad)
		return 0;
	if (s == NULL || valid_int_str(s, 1, ID_MAX, &v) == -1)
		rc = resp_error(resp, 400, "Invalid %s", name);
	free(s);
	*out = v;
	return rc;
}

/* ?status=, ?priority=, ?risk_level=, ?assignee_id= (?assignee=), ?service_id=. */
static int
listing_filters(struct request *req, struct response *resp,
    struct ticket_filter *f)
{
	if (query_choice(req, resp, "status", ticket_status_parse,
	    &f->status) != 0 ||
	    query_choice(req, resp, "priority", ticket_priority_parse,
	    &f->priority) != 0 ||
	    query_choice(req, resp, "risk_level", sla_level_parse,
	    &f->level) != 0 ||
	    query_id(req, resp, "assignee_id", &f->assignee_id) != 0 ||
	    (f->assignee_id == 0 &&
	    query_id(req, resp, "assignee", &f->assignee_id) != 0) ||
	    query_id(req, resp, "service_id", &f->service_id) != 0)
		return resp->status;
	return 0;
}

static enum ticket_view
view_of(struct request *req, enum listing_view lv)
{
	switch (lv) {
	case LV_CREATED:
		return TVIEW_CREATED;
	case LV_ESCALATED:
		return request_may(req, PERM_TICKETS_ALL) ? TVIEW_ALL :
		    TVIEW_ASSIGNED;
	default:
		if (request_may(req, PERM_TICKETS_ALL))
			return TVIEW_ALL;
		return request_may(req, PERM_TICKETS_OWN) ? TVIEW_OWN :
		    TVIEW_CREATED;
	}
}

static int
tickets_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	const struct ticket_listing	*tl = req->route->arg;
	struct ticket_filter		 f;
	struct ticket			*v;
	int				 rc;

	memset(&f, 0, sizeof(f));
	f.status = f.priority = f.level = -1;
	f.view = view_of(req, tl->view);
	f.uid = req->who.uid;
	f.subset = tl->subset;
	f.now = req->now;
	if (tl->filters && (rc = listing_filters(req, resp, &f)) != 0)
		return rc;
	if (db_ticket_list(req->db, &f, page_offset(pg), pg->per_page,
	    &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

static void
ticket_item_write(struct request *req, const void *t, struct jsonw *w)
{
	ticket_write(req, t, w);
}

static void
ticket_clear_v(void *t)
{
	ticket_clear(t);
}

#define LISTING(subset, view, filters) { { .size = sizeof(struct ticket), \
	.fetch = tickets_fetch, .clear = ticket_clear_v, \
	.write = ticket_item_write }, (subset), (view), (filters) }

static const struct ticket_listing all = LISTING(TSUB_ANY, LV_VISIBLE, true);
static const struct ticket_listing high_risk =
    LISTING(TSUB_HIGH_RISK, LV_VISIBLE, false);
static const struct ticket_listing escalated =
    LISTING(TSUB_ESCALATED, LV_ESCALATED, false);
static const struct ticket_listing mine = LISTING(TSUB_ANY, LV_CREATED, false);
static const struct ticket_listing mine_active =
    LISTING(TSUB_ACTIVE, LV_CREATED, false);
static const struct ticket_listing mine_high =
    LISTING(TSUB_HIGH_PRIORITY, LV_CREATED, false);
static const struct ticket_listing mine_breached =
    LISTING(TSUB_BREACHED, LV_CREATED, false);
static const struct ticket_listing mine_closed =
    LISTING(TSUB_CLOSED, LV_CREATED, false);

const struct route api_ticket_lists_routes[] = {
	{ HTTP_GET, "/api/tickets", PERM_AUTH, api_list_route, TAKES_NONE,
	    NULL, &all, NULL },
	{ HTTP_GET, "/api/tickets/high-risk", PERM_AUTH, api_list_route,
	    TAKES_NONE, NULL, &high_risk, NULL },
	{ HTTP_GET, "/api/tickets/escalated", PERM_TICKETS_ESCALATED,
	    api_list_route, TAKES_NONE, NULL, &escalated, NULL },
	{ HTTP_GET, "/api/users/tickets/my-tickets", PERM_AUTH, api_list_route,
	    TAKES_NONE, NULL, &mine, NULL },
	{ HTTP_GET, "/api/users/tickets/active", PERM_AUTH, api_list_route,
	    TAKES_NONE, NULL, &mine_active, NULL },
	{ HTTP_GET, "/api/users/tickets/high-priority", PERM_AUTH,
	    api_list_route, TAKES_NONE, NULL, &mine_high, NULL },
	{ HTTP_GET, "/api/users/tickets/breached", PERM_AUTH, api_list_route,
	    TAKES_NONE, NULL, &mine_breached, NULL },
	{ HTTP_GET, "/api/users/tickets/closed", PERM_AUTH, api_list_route,
	    TAKES_NONE, NULL, &mine_closed, NULL },
};
const size_t api_ticket_lists_nroutes =
    sizeof(api_ticket_lists_routes) / sizeof(api_ticket_lists_routes[0]);
