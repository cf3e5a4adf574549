/* api_risk: placeholder until implemented. */
#include "config.h"

#include "api/api.h"

const struct route api_risk_routes[1];
const size_t api_risk_nroutes = 0;
