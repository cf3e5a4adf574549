/* api_status: placeholder until implemented. */
#include "config.h"

#include "api/api.h"

const struct route api_status_routes[1];
const size_t api_status_nroutes = 0;
