/*
 * The site's routes: the API's table followed by the pages' and
 * /metrics.  Literal
 * paths never overlap between the two (/api against /status, /console
 * and /), so their order does not matter.
 */
#include "config.h"

#include <stddef.h>

#include "api/api.h"
#include "http/metrics.h"
#include "page/console.h"
#include "page/page_routes.h"

#define SITE_ROUTES_MAX 320

static const struct {
	const struct route	*rows;
	const size_t		*n;
} pages[] = {
	{ page_status_routes, &page_status_nroutes },
	{ page_subscribe_routes, &page_subscribe_nroutes },
	{ console_routes, &console_nroutes },
	{ console_services_routes, &console_services_nroutes },
	{ console_work_routes, &console_work_nroutes },
	{ console_incidents_routes, &console_incidents_nroutes },
	{ console_maintenance_routes, &console_maintenance_nroutes },
	{ metrics_routes, &metrics_nroutes },
};

const struct route *
site_routes(size_t *n)
{
	static struct route	 table[SITE_ROUTES_MAX];
	static size_t		 len;
	const struct route	*api;
	size_t			 napi, i, j;

	if (len == 0) {
		api = api_routes(&napi);
		for (i = 0; i < napi && len < SITE_ROUTES_MAX; i++)
			table[len++] = api[i];
		for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
			for (j = 0; j < *pages[i].n && len < SITE_ROUTES_MAX; j++)
				table[len++] = pages[i].rows[j];
	}
	*n = len;
	return table;
}
