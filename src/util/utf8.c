/*
 * UTF-8 as RFC 3629 defines it: no overlong forms, no UTF-16 surrogates,
 * nothing past U+10FFFF, and (for us) no NUL.  json-c 0.16's own check
 * (JSON_TOKENER_VALIDATE_UTF8) lets encoded surrogates through, and
 * every string we store must survive MariaDB's utf8mb4 unchanged.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/utf8.h"

bool
utf8_valid(const char *s, size_t len, size_t *nchars)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n = 0, k, need;
	uint32_t		 cp, lo;

	while (i < len) {
		cp = p[i];
		if (cp == 0)
			return false;
		if (cp < 0x80) {
			i++;
			n++;
			continue;
		}
		if (cp >= 0xc2 && cp <= 0xdf) {
			need = 1;
			cp &= 0x1f;
			lo = 0x80;
		} else if (cp >= 0xe0 && cp <= 0xef) {
			need = 2;
			cp &= 0x0f;
			lo = 0x800;
		} else if (cp >= 0xf0 && cp <= 0xf4) {
			need = 3;
			cp &= 0x07;
			lo = 0x10000;
		} else
			return false;
		if (len - i <= need)
			return false;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF. */
		if (cp < lo || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += need + 1;
		n++;
	}
	if (nchars != NULL)
		*nchars = n;
	return true;
}
