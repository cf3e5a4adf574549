/*
 * Subscribers: kinds, tokens, addresses.  See subscriber.h for why the
 * tokens are derived rather than stored.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/subscriber.h"
#include "util/crypto.h"

static const char *const kinds[SUB_KIND__MAX] = {
	[SUB_EMAIL] = "email",
	[SUB_WEBHOOK] = "webhook",
	[SUB_SLACK] = "slack",
};

const char *
subscriber_kind_name(enum subscriber_kind k)
{
	return (unsigned)k < SUB_KIND__MAX ? kinds[k] : "email";
}

int
subscriber_kind_parse(const char *s)
{
	int	 i;

	for (i = 0; s != NULL && i < SUB_KIND__MAX; i++)
		if (strcmp(s, kinds[i]) == 0)
			return i;
	return -1;
}

static int
mac_hex(const unsigned char secret[32], const char *purpose, long long id,
    const char *salt, char hex[65])
{
	unsigned char	 mac[32];
	char		 msg[128];
	int		 n;

	n = snprintf(msg, sizeof(msg), "%s:%lld:%s", purpose, id, salt);
	if (n < 0 || (size_t)n >= sizeof(msg) ||
	    crypto_hmac_sha256(secret, 32, msg, (size_t)n, mac) == -1)
		return -1;
	crypto_hex(mac, sizeof(mac), hex);
	crypto_wipe(mac, sizeof(mac));
	return 0;
}

int
subscriber_token(const unsigned char secret[32], const char *purpose,
    long long id, const char *salt, char out[SUBSCRIBER_TOKEN_MAX + 1])
{
	char	 hex[65];

	if (id <= 0 || mac_hex(secret, purpose, id, salt, hex) == -1)
		return -1;
	snprintf(out, SUBSCRIBER_TOKEN_MAX + 1, "%lld-%s", id, hex);
	return 0;
}

long long
subscriber_token_id(const char *token)
{
	const char	*p = token;
	long long	 id = 0;
	size_t		 i;

	if (token == NULL || !isdigit((unsigned char)*p) || *p == '0')
		return 0;
	for (; isdigit((unsigned char)*p); p++) {
		if (id > (999999999999999999LL - (*p - '0')) / 10)
			return 0;
		id = id * 10 + (*p - '0');
	}
	if (*p++ != '-')
		return 0;
	for (i = 0; i < 64; i++)
		if (!isdigit((unsigned char)p[i]) && !(p[i] >= 'a' &&
		    p[i] <= 'f'))
			return 0;
	return p[64] == '\0' ? id : 0;
}

bool
subscriber_token_ok(const unsigned char secret[32], const char *purpose,
    long long id, const char *salt, const char *token)
{
	char	 want[SUBSCRIBER_TOKEN_MAX + 1];
	size_t	 len;
	bool	 ok;

	if (subscriber_token_id(token) != id ||
	    subscriber_token(secret, purpose, id, salt, want) == -1)
		return false;
	len = strlen(want);
	ok = strlen(token) == len && crypto_equal(want, token, len);
	crypto_wipe(want, sizeof(want));
	return ok;
}

/* RFC 5322 atext, less the characters a header or shell would mind. */
static bool
atext(char c)
{
	return isalnum((unsigned char)c) || (c != '\0' &&
	    strchr("!#$%&*+-/=?^_{|}~", c) != NULL);
}

static bool
domain_ok(const char *d)
{
	size_t	 label = 0, labels = 0;
	char	 prev = '.';

	for (; *d != '\0'; prev = *d++) {
		if (*d == '.') {
			if (label == 0 || prev == '-')
				return false;
			labels++;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*d) && !(*d == '-' && label > 0))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && prev != '-' && labels >= 1;
}

bool
subscriber_email_ok(const char *s)
{
	const char	*at, *p;
	size_t		 len;

	if (s == NULL || (len = strlen(s)) < 3 || len > SUBSCRIBER_EMAIL_MAX ||
	    (at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL ||
	    at == s || at - s > 64 || s[0] == '.' || at[-1] == '.')
		return false;
	for (p = s; p < at; p++)
		if (!atext(*p) && !(*p == '.' && p[1] != '.'))
			return false;
	return domain_ok(at + 1);
}

void
subscriber_email_fold(const char *s, char *out)
{
	for (; *s != '\0'; s++)
		*out++ = (char)tolower((unsigned char)*s);
	*out = '\0';
}
