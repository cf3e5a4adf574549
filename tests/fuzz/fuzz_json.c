/*
 * util/json.c's strict parser: every request body goes through it.
 * What it accepts must print back to text that parses to the same text
 * (json_text is what the API answers with).
 */
#include "config.h"

#include "tests/fuzz/fuzz.h"
#include "util/json.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct json_object	*o, *again;
	const char		*text, *text2;
	size_t			 len, len2;

	if ((o = json_parse_strict((const char *)d, n)) == NULL)
		return 0;
	if ((text = json_text(o, &len)) == NULL)
		abort();
	if ((again = json_parse_strict(text, len)) == NULL)
		abort();	/* we printed what we refuse to read */
	if ((text2 = json_text(again, &len2)) == NULL || len2 != len ||
	    memcmp(text, text2, len) != 0)
		abort();
	json_object_put(again);
	json_object_put(o);
	return 0;
}
