/*
 * The audit checkpoint line.  The parser is strict (one spelling of
 * every field, nothing after the host) so that what verification reads
 * is exactly what was written; only the prefix before the mark is free,
 * for syslog files.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/auditcheckpoint.h"
#include "core/isotime.h"
#include "util/crypto.h"

#define MARK_SP		AUDITCHECKPOINT_MARK " "
/* 9999-12-31T23:59:59Z: the last instant with a four-digit year. */
#define AT_MAX		253402300799LL

static bool
host_char(char c)
{
	return c > ' ' && c < 0x7f;
}

static bool
host_valid(const char *h)
{
	size_t	 n;

	for (n = 0; h[n] != '\0'; n++)
		if (!host_char(h[n]) || n == AUDITCHECKPOINT_HOST_MAX)
			return false;
	return n > 0;
}

void
auditcheckpoint_set_host(struct audit_checkpoint *cp, const char *name)
{
	size_t	 n;

	for (n = 0; name != NULL && name[n] != '\0' &&
	    n < AUDITCHECKPOINT_HOST_MAX; n++)
		cp->host[n] = host_char(name[n]) ? name[n] : '_';
	cp->host[n] = '\0';
	if (n == 0)
		snprintf(cp->host, sizeof(cp->host), "%s", "unknown");
}

int
auditcheckpoint_format(const struct audit_checkpoint *cp, char *buf,
    size_t bufsz)
{
	char	 hex[2 * AUDIT_MAC_LEN + 1], at[ISOTIME_LEN + 1];
	int	 n;

	if (cp->seq < 0 || cp->at < 0 || (long long)cp->at > AT_MAX ||
	    !host_valid(cp->host))
		return -1;
	crypto_hex(cp->mac, AUDIT_MAC_LEN, hex);
	isotime_format(cp->at, at);
	n = snprintf(buf, bufsz, "%sv1 seq=%lld mac=%s at=%s host=%s", MARK_SP,
	    cp->seq, hex, at, cp->host);
	if (n < 0 || (size_t)n >= bufsz)
		return -1;
	return n;
}

/* The mark at the start of line or after a space; NULL if none. */
static const char *
find_mark(const char *line)
{
	const char	*p = line;

	while ((p = strstr(p, MARK_SP)) != NULL) {
		if (p == line || p[-1] == ' ')
			return p + strlen(MARK_SP);
		p++;
	}
	return NULL;
}

static bool
skip(const char **p, const char *word)
{
	size_t	 n = strlen(word);

	if (strncmp(*p, word, n) != 0)
		return false;
	*p += n;
	return true;
}

/* Decimal digits without a leading zero (but "0"), no sign. */
static int
parse_seq(const char **p, long long *out)
{
	const char	*s = *p;
	long long	 n = 0;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (LLONG_MAX - (*s - '0')) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	*out = n;
	*p = s;
	return 0;
}

static int
parse_mac(const char **p, unsigned char mac[AUDIT_MAC_LEN])
{
	char	 hex[2 * AUDIT_MAC_LEN + 1];

	if (strlen(*p) < sizeof(hex) - 1)
		return -1;
	memcpy(hex, *p, sizeof(hex) - 1);
	hex[sizeof(hex) - 1] = '\0';
	if (crypto_unhex(hex, mac, AUDIT_MAC_LEN) == -1)
		return -1;
	*p += sizeof(hex) - 1;
	return 0;
}

/* Exactly YYYY-MM-DDTHH:MM:SSZ, a valid UTC instant. */
static int
parse_at(const char **p, time_t *out)
{
	static const char	 shape[] = "dddd-dd-ddTdd:dd:ddZ";
	char			 at[ISOTIME_LEN + 1];
	size_t			 i;

	for (i = 0; i < ISOTIME_LEN; i++) {
		at[i] = (*p)[i];
		if (shape[i] == 'd' ? at[i] < '0' || at[i] > '9' :
		    at[i] != shape[i])
			return -1;
	}
	at[ISOTIME_LEN] = '\0';
	if (isotime_parse(at, out) == -1)
		return -1;
	*p += ISOTIME_LEN;
	return 0;
}

static int
parse_host(const char **p, char host[AUDITCHECKPOINT_HOST_MAX + 1])
{
	size_t	 n;

	for (n = 0; host_char((*p)[n]); n++) {
		if (n == AUDITCHECKPOINT_HOST_MAX)
			return -1;
		host[n] = (*p)[n];
	}
	if (n == 0)
		return -1;
	host[n] = '\0';
	*p += n;
	return 0;
}

int
auditcheckpoint_parse(const char *line, struct audit_checkpoint *out)
{
	struct audit_checkpoint	 cp;
	const char		*p;

	if ((p = find_mark(line)) == NULL)
		return 0;
	memset(&cp, 0, sizeof(cp));
	if (!skip(&p, "v1 seq=") || parse_seq(&p, &cp.seq) == -1 ||
	    !skip(&p, " mac=") || parse_mac(&p, cp.mac) == -1 ||
	    !skip(&p, " at=") || parse_at(&p, &cp.at) == -1 ||
	    !skip(&p, " host=") || parse_host(&p, cp.host) == -1)
		return -1;
	if (*p != '\0' && strcmp(p, "\n") != 0 && strcmp(p, "\r\n") != 0)
		return -1;
	*out = cp;
	return 1;
}

enum auditcheckpoint_verdict
auditcheckpoint_check(const struct audit_checkpoint *cp, long long last_id,
    const unsigned char mac_at_seq[AUDIT_MAC_LEN])
{
	/* A head that went backwards: the newest entries were cut off. */
	if (last_id < cp->seq)
		return AUDITCHECKPOINT_SHORT;
	if (!crypto_equal(cp->mac, mac_at_seq, AUDIT_MAC_LEN))
		return AUDITCHECKPOINT_OTHER_MAC;
	return AUDITCHECKPOINT_MATCH;
}
