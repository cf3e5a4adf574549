/*
 * Password hashing and verification in Werkzeug's string formats, so
 * that accounts imported from the Flask systems keep their passwords.
 * New hashes are always PBKDF2-HMAC-SHA256; scrypt is verify-only.
 * Every cost parameter read from a stored hash is capped before any
 * work is done, and keys are compared in constant time.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crypt.h>
#include <openssl/evp.h>

#include "util/crypto.h"
#include "util/log.h"
#include "util/password.h"

#define SALT_LEN	 16	/* what we and Werkzeug >= 2.3 generate */
#define SALT_MAX	 64	/* imported salts: old Werkzeug used 8 */
#define PBKDF2_KEYLEN	 32	/* Werkzeug: the digest size of sha256 */
#define SCRYPT_KEYLEN	 64	/* Werkzeug's fixed scrypt key length */

/*
 * Werkzeug always writes the iteration count into the hashes it makes;
 * a bare "pbkdf2:sha256" only verifies under Werkzeug with that
 * version's default count.  We take it as 260000, the default of
 * Werkzeug 2.0 to 2.2, the versions the Flask systems ran.
 */
#define PBKDF2_ITER_IMPLICIT 260000

/* Werkzeug's defaults for a bare "scrypt" method. */
#define SCRYPT_N_DEFAULT 32768
#define SCRYPT_R_DEFAULT 8
#define SCRYPT_P_DEFAULT 1

/* Caps on imported scrypt parameters. */
#define SCRYPT_N_MAX	 (1UL << 20)
#define SCRYPT_R_MAX	 32
#define SCRYPT_P_MAX	 16
/*
 * Memory a single verification may use.  OpenSSL needs about
 * 128 * r * (N + p + 2) bytes: 32 MiB for Werkzeug's defaults.  With
 * maxmem = 0 OpenSSL allows only 32 MiB and refuses those defaults.
 */
#define SCRYPT_MAXMEM	 (128UL * 1024 * 1024)

enum pw_method {
	PW_PBKDF2_SHA256,
	PW_SCRYPT,
};

struct pw_hash {
	enum pw_method	 method;
	unsigned long	 iterations;	/* pbkdf2 */
	unsigned long	 n, r, p;	/* scrypt */
	const char	*salt;		/* points into the stored string */
	size_t		 saltlen;
	unsigned char	 key[SCRYPT_KEYLEN];
	size_t		 keylen;
};

/*
 * Parse s[0..len) as a decimal number in 1..max: digits only, no sign,
 * no leading zero.  0 or -1.
 */
static int
parse_count(const char *s, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long	 v = 0;
	size_t		 i;

	if (len == 0 || len > 10 || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

/* Split off the next ':'-separated field of s[0..len) at *pos. */
static int
next_field(const char *s, size_t len, size_t *pos, const char **f,
    size_t *flen)
{
	const char	*colon;

	if (*pos > len)
		return -1;
	*f = s + *pos;
	if ((colon = memchr(*f, ':', len - *pos)) == NULL) {
		*flen = len - *pos;
		*pos = len + 1;
	} else {
		*flen = (size_t)(colon - *f);
		*pos += *flen + 1;
	}
	return 0;
}

static bool
field_is(const char *f, size_t flen, const char *word)
{
	return flen == strlen(word) && memcmp(f, word, flen) == 0;
}

/* The method part, e.g. "pbkdf2:sha256:600000" or "scrypt:32768:8:1". */
static int
parse_method(const char *s, size_t len, struct pw_hash *h)
{
	const char	*f;
	size_t		 flen, pos = 0;

	/* At pos 0 there is always a field (maybe empty). */
	(void)next_field(s, len, &pos, &f, &flen);
	if (field_is(f, flen, "pbkdf2")) {
		h->method = PW_PBKDF2_SHA256;
		h->keylen = PBKDF2_KEYLEN;
		if (next_field(s, len, &pos, &f, &flen) == -1 ||
		    !field_is(f, flen, "sha256"))
			return -1;
		if (pos > len) {
			h->iterations = PBKDF2_ITER_IMPLICIT;
			return 0;
		}
		if (next_field(s, len, &pos, &f, &flen) == -1 ||
		    parse_count(f, flen, PASSWORD_ITER_MAX,
		    &h->iterations) == -1)
			return -1;
		return pos > len ? 0 : -1;
	}
	if (field_is(f, flen, "scrypt")) {
		h->method = PW_SCRYPT;
		h->keylen = SCRYPT_KEYLEN;
		if (pos > len) {
			h->n = SCRYPT_N_DEFAULT;
			h->r = SCRYPT_R_DEFAULT;
			h->p = SCRYPT_P_DEFAULT;
			return 0;
		}
		/* Not past the end: N's field is there. */
		(void)next_field(s, len, &pos, &f, &flen);
		if (parse_count(f, flen, SCRYPT_N_MAX, &h->n) == -1 ||
		    next_field(s, len, &pos, &f, &flen) == -1 ||
		    parse_count(f, flen, SCRYPT_R_MAX, &h->r) == -1 ||
		    next_field(s, len, &pos, &f, &flen) == -1 ||
		    parse_count(f, flen, SCRYPT_P_MAX, &h->p) == -1 ||
		    pos <= len)
			return -1;
		/* N must be a power of two greater than 1. */
		if (h->n < 2 || (h->n & (h->n - 1)) != 0)
			return -1;
		if ((uint64_t)128 * h->r * (h->n + h->p + 2) > SCRYPT_MAXMEM)
			return -1;
		return 0;
	}
	return -1;
}

/* Werkzeug's salts are drawn from [A-Za-z0-9]. */
static bool
salt_valid(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > SALT_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z')))
			return false;
	return true;
}

/* "method$salt$hex": fill h or return -1. */
static int
parse_stored(const char *stored, struct pw_hash *h)
{
	const char	*d1, *d2;

	if ((d1 = strchr(stored, '$')) == NULL ||
	    (d2 = strchr(d1 + 1, '$')) == NULL)
		return -1;
	if (parse_method(stored, (size_t)(d1 - stored), h) == -1)
		return -1;
	h->salt = d1 + 1;
	h->saltlen = (size_t)(d2 - h->salt);
	if (!salt_valid(h->salt, h->saltlen))
		return -1;
	return crypto_unhex(d2 + 1, h->key, h->keylen);
}

static int
pbkdf2_sha256(const char *pw, size_t pwlen, const char *salt,
    size_t saltlen, unsigned long iterations, unsigned char *out,
    size_t outlen)
{
	if (PKCS5_PBKDF2_HMAC(pw, (int)pwlen, (const unsigned char *)salt,
	    (int)saltlen, (int)iterations, EVP_sha256(), (int)outlen,
	    out) != 1)
		return log_warnx("pbkdf2_sha256: PKCS5_PBKDF2_HMAC failed");
	return 0;
}

char *
password_hash(const char *pw, unsigned iterations)
{
	char		 salt[SALT_LEN + 1], hex[2 * PBKDF2_KEYLEN + 1];
	char		 buf[128], *res = NULL;
	unsigned char	 key[PBKDF2_KEYLEN];
	size_t		 pwlen;

	if (pw == NULL || (pwlen = strnlen(pw, PASSWORD_MAX + 1)) >
	    PASSWORD_MAX)
		return NULL;
	if (iterations == 0)
		iterations = PASSWORD_ITER_DEFAULT;
	if (iterations > PASSWORD_ITER_MAX) {
		log_warnx("password_hash: %u iterations over the cap",
		    iterations);
		return NULL;
	}
	if (crypto_random_base62(salt, SALT_LEN) == -1 ||
	    pbkdf2_sha256(pw, pwlen, salt, SALT_LEN, iterations, key,
	    sizeof(key)) == -1)
		goto out;
	crypto_hex(key, sizeof(key), hex);
	/* At most 14 + 8 + 1 + SALT_LEN + 1 + 64 bytes: buf holds it. */
	snprintf(buf, sizeof(buf), "pbkdf2:sha256:%u$%s$%s", iterations, salt,
	    hex);
	if ((res = strdup(buf)) == NULL)
		log_warnx("password_hash: out of memory");
out:
	crypto_wipe(key, sizeof(key));
	crypto_wipe(hex, sizeof(hex));
	crypto_wipe(buf, sizeof(buf));
	return res;
}

/*
 * passlib's bcrypt ("$2b$NN$" and 53 characters; $2a$ and $2y$ too), of
 * the SLA Guard accounts, through libxcrypt: OpenSSL has no bcrypt and
 * we write none ourselves.  The cost is capped as the other formats'
 * are (2^BCRYPT_COST_MAX rounds), so an imported row cannot stall a
 * worker.  bcrypt reads at most 72 bytes of a password, as passlib did.
 */
#define BCRYPT_COST_MAX	14

static bool
is_bcrypt(const char *s)
{
	return strncmp(s, "$2b$", 4) == 0 || strncmp(s, "$2a$", 4) == 0 ||
	    strncmp(s, "$2y$", 4) == 0;
}

static bool
bcrypt_verify(const char *pw, const char *stored)
{
	struct crypt_data	*cd;
	const char		*out;
	size_t			 len = strlen(stored);
	int			 cost;
	bool			 ok = false;

	if (len != 60 || stored[6] != '$' ||
	    stored[4] < '0' || stored[4] > '9' ||
	    stored[5] < '0' || stored[5] > '9' ||
	    (cost = (stored[4] - '0') * 10 + stored[5] - '0') < 4 ||
	    cost > BCRYPT_COST_MAX) {
		log_warnx("password_verify: malformed bcrypt or cost over "
		    "the cap");
		return false;
	}
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return false;
	/* crypt_rn: NULL on failure, never the "*0" failure token. */
	if ((out = crypt_rn(pw, stored, cd, (int)sizeof(*cd))) != NULL &&
	    strlen(out) == len)
		ok = crypto_equal(out, stored, len);
	crypto_wipe(cd, sizeof(*cd));
	free(cd);
	return ok;
}

bool
password_needs_rehash(const char *stored, unsigned iterations)
{
	char	 want[48];

	if (stored == NULL)
		return false;
	snprintf(want, sizeof(want), "pbkdf2:sha256:%u$",
	    iterations != 0 ? iterations : PASSWORD_ITER_DEFAULT);
	return strncmp(stored, want, strlen(want)) != 0;
}

bool
password_verify(const char *pw, const char *stored)
{
	struct pw_hash	 h;
	unsigned char	 key[SCRYPT_KEYLEN];
	size_t		 pwlen;
	bool		 ok = false;

	if (pw == NULL || stored == NULL ||
	    (pwlen = strnlen(pw, PASSWORD_MAX + 1)) > PASSWORD_MAX)
		return false;
	if (is_bcrypt(stored))
		return bcrypt_verify(pw, stored);
	memset(&h, 0, sizeof(h));
	if (parse_stored(stored, &h) == -1) {
		log_warnx("password_verify: unknown format or cost over the "
		    "caps in a stored hash");
		return false;
	}
	switch (h.method) {
	case PW_PBKDF2_SHA256:
		if (pbkdf2_sha256(pw, pwlen, h.salt, h.saltlen, h.iterations,
		    key, h.keylen) == -1)
			goto out;
		break;
	case PW_SCRYPT:
		if (EVP_PBE_scrypt(pw, pwlen,
		    (const unsigned char *)h.salt, h.saltlen, h.n, h.r, h.p,
		    SCRYPT_MAXMEM, key, h.keylen) != 1) {
			log_warnx("password_verify: EVP_PBE_scrypt failed");
			goto out;
		}
		break;
	}
	ok = crypto_equal(key, h.key, h.keylen);
out:
	crypto_wipe(key, sizeof(key));
	crypto_wipe(&h, sizeof(h));
	return ok;
}

bool
password_verify_dummy(const char *pw, unsigned iterations)
{
	static const char		 salt[SALT_LEN + 1] = "resilopsdummy000";
	static const unsigned char	 never[PBKDF2_KEYLEN];
	unsigned char			 key[PBKDF2_KEYLEN];
	size_t				 pwlen;

	/* Same early refusals as password_verify, so the same timing. */
	if (pw == NULL ||
	    (pwlen = strnlen(pw, PASSWORD_MAX + 1)) > PASSWORD_MAX)
		return false;
	if (iterations == 0)
		iterations = PASSWORD_ITER_DEFAULT;
	if (iterations > PASSWORD_ITER_MAX)
		iterations = PASSWORD_ITER_MAX;
	if (pbkdf2_sha256(pw, pwlen, salt, SALT_LEN, iterations, key,
	    sizeof(key)) == 0)
		(void)crypto_equal(key, never, sizeof(key));
	crypto_wipe(key, sizeof(key));
	return false;
}
