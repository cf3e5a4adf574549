/*
 * Password hashes in Werkzeug's formats so accounts imported from the
 * Flask systems keep working:
 *   pbkdf2:sha256:<iterations>$<salt>$<hex of 32 bytes>
 *   scrypt:<N>:<r>:<p>$<salt>$<hex of 64 bytes>   (verify only)
 * The salt is used as its ASCII bytes.  And passlib's bcrypt ($2b$,
 * $2a$, $2y$; verify only) of the SLA Guard accounts.
 */
#ifndef RO_PASSWORD_H
#define RO_PASSWORD_H

#include <stdbool.h>

#define PASSWORD_ITER_DEFAULT 600000
#define PASSWORD_ITER_MAX 10000000	/* cap for imported hashes */
#define PASSWORD_MAX 1024		/* bytes of a password we hash */

/*
 * Hash pw with PBKDF2-HMAC-SHA256, a random 16-character salt and the
 * given iteration count (0 means PASSWORD_ITER_DEFAULT).  Returns a
 * malloc'd string the caller frees, or NULL on failure, for a password
 * over PASSWORD_MAX bytes or a count over PASSWORD_ITER_MAX.
 */
char	*password_hash(const char *pw, unsigned iterations);
/*
 * True if pw matches the stored hash (constant-time compare).  Unknown
 * formats, cost parameters over the caps and passwords over
 * PASSWORD_MAX bytes are false.
 */
bool	 password_verify(const char *pw, const char *stored);
/*
 * Do the work of verifying against a pbkdf2 hash of this iteration
 * count (0 means PASSWORD_ITER_DEFAULT) and return false: an unknown
 * username costs the same time.  Like password_verify it returns at
 * once for a password over PASSWORD_MAX bytes.
 */
bool	 password_verify_dummy(const char *pw, unsigned iterations);
/*
 * Whether stored is anything but our own PBKDF2 at iterations (0:
 * PASSWORD_ITER_DEFAULT): an imported Werkzeug or bcrypt hash, or an
 * older count, which a successful login replaces.
 */
bool	 password_needs_rehash(const char *stored, unsigned iterations);

#endif
