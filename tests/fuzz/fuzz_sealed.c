/*
 * What the tokenization vault and the integrations keep sealed: a
 * sealed value ("v<version>:<base64>", util/aead.c) opened through the
 * key ring, and an integration's stored config (JSON with {"$enc",
 * "$redacted"} objects) shown redacted (core/integration.c).  The
 * fuzzer holds none of the keys: the one value the corpus has sealed
 * under them (PLAIN, for "vault:1") may open, and nothing else.
 */
#include "config.h"

#include "core/integration.h"
#include "tests/fuzz/fuzz.h"
#include "util/aead.h"
#include "util/json.h"
#include "util/keyring.h"

#define PLAIN	"fuzz vault value"

static struct keyring	 kr;

static void
ring(void)
{
	static const char	*hex[] = {
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		"ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
	};
	size_t			 i;

	if (kr.n != 0)
		return;
	for (i = 0; i < 2; i++)
		if (aead_key_from_hex(&kr.keys[i], hex[i], (int)i + 1) != 0)
			abort();
	kr.n = 2;
	kr.newest = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct json_object	*cfg, *shown;
	unsigned char		*pt = NULL;
	size_t			 ptlen = 0;
	char			*s;

	ring();
	s = fuzz_str(d, n);
	(void)aead_version(s);
	if (keyring_open(&kr, "vault:1", s, &pt, &ptlen) == 0) {
		if (ptlen != strlen(PLAIN) || memcmp(pt, PLAIN, ptlen) != 0)
			abort();	/* a forgery opened */
		free(pt);
	}
	free(s);
	if ((cfg = json_parse_strict((const char *)d, n)) != NULL) {
		if ((shown = integration_redact_sealed(cfg)) != NULL)
			json_object_put(shown);
		if ((shown = integration_redact(cfg)) != NULL)
			json_object_put(shown);
		json_object_put(cfg);
	}
	return 0;
}
