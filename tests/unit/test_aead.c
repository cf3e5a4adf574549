/* placeholder */
#include "config.h"
#include "suites.h"

int
suite_aead(void)
{
	return 0;
}
