/*
 * The tokenization vault's table (sql/008_security.sql).  Values come
 * and go sealed: sealing is util/keyring's, with the row's place
 * ("vault:<id>:<data_type>") as additional data.
 */
#ifndef RO_DB_VAULT_H
#define RO_DB_VAULT_H

#include <stddef.h>
#include <time.h>

struct db;

#define VAULT_HASH_LEN	32

/* What the API reads back. */
struct vault_entry {
	long long	 id;
	char		*data_type;
	char		*sealed;
	time_t		 created_at;
	time_t		 expires_at;	/* 0: never */
};

void	 vault_entry_clear(struct vault_entry *);
/*
 * Inside the caller's transaction: a new row for token_hash (sealed
 * text left empty for db_vault_set_sealed, which needs the id).  Sets
 * *id.  0 or -1.
 */
int	 db_vault_insert(struct db *, const unsigned char hash[VAULT_HASH_LEN],
	    const char *data_type, const char *preview, long long created_by,
	    time_t now, time_t expires_at, long long *id);
int	 db_vault_set_sealed(struct db *, long long id, const char *sealed,
	    int version);
/* The entry of a token hash, unless expired at now: 1, 0, -1. */
int	 db_vault_get(struct db *, const unsigned char hash[VAULT_HASH_LEN],
	    time_t now, struct vault_entry *out);

/* Rotation: a row's place and sealed value. */
struct vault_sealed {
	long long	 id;
	char		 where[64];	/* "vault:<id>:<data_type>" */
	char		*sealed;
	int		 version;
};

/* The next rows after id after (id order).  0 or -1; free with vault_sealed_free. */
int	 db_vault_sealed_page(struct db *, long long after, long long limit,
	    struct vault_sealed **out, size_t *n);
void	 vault_sealed_free(struct vault_sealed *, size_t n);
/* Compare and set; 1 replaced, 0 changed meanwhile, -1. */
int	 db_vault_reseal(struct db *, long long id, const char *old,
	    const char *fresh, int version);

#endif
