/* api_integrations: placeholder until implemented. */
#include "config.h"

#include "api/api.h"

const struct route api_integrations_routes[1];
const size_t api_integrations_nroutes = 0;
