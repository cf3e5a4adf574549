/*
 * The site's route table: the API's rows and the pages' rows joined,
 * served by one dispatcher under one permission table.
 */
#ifndef RO_PAGE_ROUTES_H
#define RO_PAGE_ROUTES_H

#include <stddef.h>

#include "http/route.h"

extern const struct route	 page_status_routes[];
extern const size_t		 page_status_nroutes;
extern const struct route	 page_subscribe_routes[];
extern const size_t		 page_subscribe_nroutes;

/* Every route of the site (API and pages); static storage. */
const struct route *site_routes(size_t *n);

#endif
