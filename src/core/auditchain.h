/*
 * The audit trail's tamper evidence: each entry stores
 * mac = HMAC-SHA256(key, prev_mac || canonical(entry)), prev_mac being
 * the previous entry's mac (32 zero bytes for the first).  Editing,
 * deleting or reordering an entry breaks the chain at that entry.
 * Pure: the db layer stores, resilops-admin verifies.
 */
#ifndef RO_AUDITCHAIN_H
#define RO_AUDITCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define AUDIT_MAC_LEN 32

struct audit_record {
	long long	 id;
	time_t		 ts;
	long long	 user_id;	/* 0: none */
	const char	*username;	/* may be NULL */
	const char	*action;
	const char	*entity;
	long long	 entity_id;	/* 0: none */
	const char	*ip;		/* may be NULL */
	const char	*user_agent;	/* may be NULL */
	const char	*details;	/* JSON text or NULL */
	int		 status;	/* response status, 0: none */
};

/* mac = HMAC(key, prev || canonical(r)); 0 or -1. */
int	 auditchain_mac(const unsigned char *key, size_t keylen,
	    const unsigned char prev[AUDIT_MAC_LEN], const struct audit_record *r,
	    unsigned char mac[AUDIT_MAC_LEN]);

/* Walks a chain in id order, one entry at a time. */
struct auditchain_verifier {
	unsigned char	 prev[AUDIT_MAC_LEN];
	long long	 last_id;
	long long	 count;
};

void	 auditchain_verify_init(struct auditchain_verifier *);
/*
 * Check the next entry, with the prev and mac it stores.  0 if it
 * links to the previous one and its mac is right; -1 if broken (the
 * caller names r->id as the first broken entry).
 */
int	 auditchain_verify_next(struct auditchain_verifier *,
	    const unsigned char *key, size_t keylen, const struct audit_record *r,
	    const unsigned char prev[AUDIT_MAC_LEN], const unsigned char mac[AUDIT_MAC_LEN]);

#endif
