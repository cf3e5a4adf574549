/* api_services: placeholder until implemented. */
#include "config.h"

#include "api/api.h"

const struct route api_services_routes[1];
const size_t api_services_nroutes = 0;
