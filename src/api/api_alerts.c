/* api_alerts: placeholder until implemented. */
#include "config.h"

#include "api/api.h"

const struct route api_alerts_routes[1];
const size_t api_alerts_nroutes = 0;
