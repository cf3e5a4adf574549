/* placeholder */
#include "config.h"
#include "suites.h"

int
suite_service(void)
{
	return 0;
}
