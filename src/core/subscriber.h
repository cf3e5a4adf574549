/*
 * Status page subscribers (CONTRACT 7): what an address may be, and the
 * links' tokens.  A token is "<id>-<64 hex>", the hex an HMAC-SHA256
 * under the server's credential secret of the purpose, the row's id
 * and its random salt: nothing to store, the daemon can make the
 * unsubscribe link of every message, and a new salt kills every old
 * link at once.  Pure.
 */
#ifndef RO_SUBSCRIBER_H
#define RO_SUBSCRIBER_H

#include <stdbool.h>
#include <stddef.h>

#define SUBSCRIBER_SALT_LEN	32	/* hex characters */
#define SUBSCRIBER_TOKEN_MAX	(20 + 1 + 64)
#define SUBSCRIBER_EMAIL_MAX	254
#define SUBSCRIBER_CONFIRM_TTL	(24 * 3600)	/* s a confirm link lives */

enum subscriber_kind {
	SUB_EMAIL,
	SUB_WEBHOOK,		/* generic JSON */
	SUB_SLACK,		/* a Slack incoming webhook */
	SUB_KIND__MAX
};

const char *subscriber_kind_name(enum subscriber_kind);
/* The enum of a stored spelling, or -1. */
int	 subscriber_kind_parse(const char *);

/* What a link's token is for. */
#define SUB_CONFIRM	"confirm"
#define SUB_UNSUBSCRIBE	"unsubscribe"

/* token for purpose of subscriber id with salt into out.  0 or -1. */
int	 subscriber_token(const unsigned char secret[32], const char *purpose,
	    long long id, const char *salt, char out[SUBSCRIBER_TOKEN_MAX + 1]);
/* The id a token names (its shape checked), or 0 when malformed. */
long long subscriber_token_id(const char *token);
/* Whether token is purpose's for id and salt (constant time). */
bool	 subscriber_token_ok(const unsigned char secret[32],
	    const char *purpose, long long id, const char *salt,
	    const char *token);

/*
 * Whether s is an address we send to: local@domain, 3 to 254 bytes of
 * printable ASCII without spaces, quotes, backslashes or angle brackets,
 * one "@", a local part of at most 64 bytes of atext and inner dots, a
 * domain of at least two dot-separated labels of letters, digits and
 * inner hyphens.  Stricter than RFC 5321 on purpose: what it refuses is
 * rare, and what it takes cannot inject a header or a command.
 */
bool	 subscriber_email_ok(const char *s);
/* out = s in lower case (out has room for strlen(s) + 1). */
void	 subscriber_email_fold(const char *s, char *out);

#endif
