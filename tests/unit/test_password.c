/*
 * Unit tests for util/password: our own hashes round-trip, Werkzeug's
 * hashes (vectors made with Python's hashlib, which is what Werkzeug
 * calls) verify, and every malformed or over-cap hash is refused.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/password.h"

#define PW	"correct horse battery staple"

/* hashlib.pbkdf2_hmac('sha256', PW, salt.encode(), 1000).hex() */
static const char werkzeug_pbkdf2_1000[] =
    "pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA$"
    "527404acbf2d34577dab8b4cdc9afc1aac58b85a6d08b4d0336fd9a286cc917c";
/* The same at Werkzeug 2.3's default of 600000 iterations. */
static const char werkzeug_pbkdf2_600000[] =
    "pbkdf2:sha256:600000$a7GhQ2wNe5Ys1BvJ$"
    "612998c5dd0fc5c00686f4c6685491fd184085f67d89a87824bb47f3fb0f5532";
/* No iteration count: taken as 260000 (Werkzeug 2.0 to 2.2). */
static const char werkzeug_pbkdf2_implicit[] =
    "pbkdf2:sha256$Nb2Qr6St0Uv4Wx8Y$"
    "61d3217990438bc0425cbca218ac98ce58404c6a00f20ebdee98e318751acd34";
/* Password "pässwörd€" as UTF-8, 1000 iterations. */
static const char werkzeug_pbkdf2_utf8[] =
    "pbkdf2:sha256:1000$Ma9Bc3De7Fg1Hj5K$"
    "8d8cfcebb2977945b7b059848a5cbad7662ea8920d0a71e1389593d4fb45f930";
/* hashlib.scrypt(PW, salt=..., n=32768, r=8, p=1, dklen=64).hex() */
static const char werkzeug_scrypt[] =
    "scrypt:32768:8:1$Zk4mT8pW0dLr6HuF$"
    "b1be01e19b27488e71015d7e3ac84e102c6270e15f3f7c18aa047f9df5d72de2"
    "d1791268ab025170a901b190e22d21c3a790f3f28a4c7fb52144ea0c88d7042e";

#define HEX32 "527404acbf2d34577dab8b4cdc9afc1aac58b85a6d08b4d0336fd9a286cc917c"
#define HEX64 HEX32 HEX32

static void
test_password_roundtrip(void)
{
	char	*h;

	h = password_hash(PW, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_TRUE(password_verify(PW, h));
	free(h);
}

static void
test_password_wrong_password(void)
{
	char	*h;

	h = password_hash(PW, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_FALSE(password_verify("correct horse battery stapl", h));
	CU_ASSERT_FALSE(password_verify("", h));
	free(h);
}

static void
test_password_hash_format(void)
{
	const char	*prefix = "pbkdf2:sha256:1000$";
	char		*h;
	size_t		 i, plen = strlen(prefix);

	h = password_hash(PW, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL_FATAL(strlen(h), plen + 16 + 1 + 64);
	CU_ASSERT_EQUAL(strncmp(h, prefix, plen), 0);
	for (i = plen; i < plen + 16; i++)
		CU_ASSERT_TRUE((h[i] >= '0' && h[i] <= '9') ||
		    (h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= 'a' && h[i] <= 'z'));
	CU_ASSERT_EQUAL(h[plen + 16], '$');
	for (i = plen + 17; h[i] != '\0'; i++)
		CU_ASSERT_PTR_NOT_NULL(strchr("0123456789abcdef", h[i]));
	free(h);
}

static void
test_password_salt_random(void)
{
	char	*a, *b;

	a = password_hash(PW, 1000);
	b = password_hash(PW, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_NOT_EQUAL(strcmp(a, b), 0);
	free(a);
	free(b);
}

static void
test_password_default_iterations(void)
{
	char	*h;

	h = password_hash(PW, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(strncmp(h, "pbkdf2:sha256:600000$", 21), 0);
	free(h);
}

static void
test_password_hash_iterations_over_cap(void)
{
	CU_ASSERT_PTR_NULL(password_hash(PW, PASSWORD_ITER_MAX + 1));
}

static void
test_password_werkzeug_pbkdf2(void)
{
	CU_ASSERT_TRUE(password_verify(PW, werkzeug_pbkdf2_1000));
	CU_ASSERT_FALSE(password_verify("Correct horse battery staple",
	    werkzeug_pbkdf2_1000));
}

static void
test_password_werkzeug_pbkdf2_600000(void)
{
	CU_ASSERT_TRUE(password_verify(PW, werkzeug_pbkdf2_600000));
}

static void
test_password_werkzeug_pbkdf2_implicit_iterations(void)
{
	CU_ASSERT_TRUE(password_verify(PW, werkzeug_pbkdf2_implicit));
}

static void
test_password_werkzeug_pbkdf2_utf8(void)
{
	CU_ASSERT_TRUE(password_verify("p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac",
	    werkzeug_pbkdf2_utf8));
	CU_ASSERT_FALSE(password_verify("passwoerd", werkzeug_pbkdf2_utf8));
}

static void
test_password_werkzeug_scrypt(void)
{
	CU_ASSERT_TRUE(password_verify(PW, werkzeug_scrypt));
}

static void
test_password_scrypt_wrong_password(void)
{
	CU_ASSERT_FALSE(password_verify("wrong", werkzeug_scrypt));
}

static void
test_password_tampered_hex(void)
{
	char	 h[sizeof(werkzeug_pbkdf2_1000)];
	char	 s[sizeof(werkzeug_scrypt)];
	size_t	 n;

	memcpy(h, werkzeug_pbkdf2_1000, sizeof(h));
	n = strlen(h);
	h[n - 1] = h[n - 1] == '0' ? '1' : '0';
	CU_ASSERT_FALSE(password_verify(PW, h));

	memcpy(s, werkzeug_scrypt, sizeof(s));
	s[strlen(s) - 10] ^= 1;	/* '0'..'9' and 'a'..'f' stay hex */
	CU_ASSERT_FALSE(password_verify(PW, s));
}

static void
test_password_tampered_salt(void)
{
	char	 h[sizeof(werkzeug_pbkdf2_1000)];

	memcpy(h, werkzeug_pbkdf2_1000, sizeof(h));
	h[strlen("pbkdf2:sha256:1000$")] = 'Y';
	CU_ASSERT_FALSE(password_verify(PW, h));
}

static void
test_password_uppercase_hex(void)
{
	char	 h[sizeof(werkzeug_pbkdf2_1000)];
	size_t	 i;

	memcpy(h, werkzeug_pbkdf2_1000, sizeof(h));
	for (i = strlen("pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA$"); h[i]; i++)
		if (h[i] >= 'a' && h[i] <= 'f')
			h[i] -= 'a' - 'A';
	CU_ASSERT_TRUE(password_verify(PW, h));
}

static void
test_password_malformed(void)
{
	static const char *const bad[] = {
		"",
		"$",
		"$$",
		"plaintext",
		/* no '$' at all, or only one */
		"pbkdf2:sha256:1000Xq3vR9tLm2Pz8KcA" HEX32,
		"pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA" HEX32,
		/* hex: wrong length, non-hex, empty, trailing data */
		"pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA$"
		    "527404acbf2d34577dab8b4cdc9afc1aac58b85a6d08b4d0336fd9a286cc917",
		"pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA$" HEX32 "00",
		"pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA$"
		    "527404acbf2d34577dab8b4cdc9afc1aac58b85a6d08b4d0336fd9a286cc917g",
		"pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA$",
		"pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA$" HEX32 "$",
		"pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA$ " HEX32,
		"scrypt:32768:8:1$Zk4mT8pW0dLr6HuF$" HEX32,
		"pbkdf2:sha256:1000$Xq3vR9tLm2Pz8KcA$" HEX64,
		/* salt: empty or outside [A-Za-z0-9] */
		"pbkdf2:sha256:1000$$" HEX32,
		"pbkdf2:sha256:1000$Xq3vR9tL-2Pz8KcA$" HEX32,
		/* methods we do not know */
		"md5$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha1:1000$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha512:1000$Xq3vR9tLm2Pz8KcA$" HEX32,
		"PBKDF2:sha256:1000$Xq3vR9tLm2Pz8KcA$" HEX32,
		"argon2:1:2:3$Xq3vR9tLm2Pz8KcA$" HEX32,
		/* iteration counts */
		"pbkdf2:sha256:$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha256:0$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha256:01000$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha256:-1000$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha256:+1000$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha256:1e3$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha256:1000:1$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha256:99999999999999999999$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha256:4294967297$Xq3vR9tLm2Pz8KcA$" HEX32,
		/* scrypt shapes */
		"scrypt:32768:8$Zk4mT8pW0dLr6HuF$" HEX64,
		"scrypt:32768:8:1:1$Zk4mT8pW0dLr6HuF$" HEX64,
		"scrypt:32767:8:1$Zk4mT8pW0dLr6HuF$" HEX64,
		"scrypt:1:8:1$Zk4mT8pW0dLr6HuF$" HEX64,
		"scrypt:32768:0:1$Zk4mT8pW0dLr6HuF$" HEX64,
		"scrypt:32768:8:0$Zk4mT8pW0dLr6HuF$" HEX64,
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_FALSE(password_verify(PW, bad[i]));
	CU_ASSERT_FALSE(password_verify(PW, NULL));
	CU_ASSERT_FALSE(password_verify(NULL, werkzeug_pbkdf2_1000));
}

/* Over the caps is refused before any work: these return at once. */
static void
test_password_cost_over_caps(void)
{
	static const char *const bad[] = {
		"pbkdf2:sha256:10000001$Xq3vR9tLm2Pz8KcA$" HEX32,
		"pbkdf2:sha256:4000000000$Xq3vR9tLm2Pz8KcA$" HEX32,
		"scrypt:2097152:8:1$Zk4mT8pW0dLr6HuF$" HEX64,	/* N 2^21 */
		"scrypt:32768:33:1$Zk4mT8pW0dLr6HuF$" HEX64,
		"scrypt:32768:8:17$Zk4mT8pW0dLr6HuF$" HEX64,
		"scrypt:1048576:8:1$Zk4mT8pW0dLr6HuF$" HEX64,	/* 1 GiB */
		"scrypt:262144:32:16$Zk4mT8pW0dLr6HuF$" HEX64,
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_FALSE(password_verify(PW, bad[i]));
}

static void
test_password_too_long(void)
{
	char	*pw, *h;

	pw = malloc(PASSWORD_MAX + 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pw);
	memset(pw, 'a', PASSWORD_MAX + 1);
	pw[PASSWORD_MAX + 1] = '\0';
	CU_ASSERT_PTR_NULL(password_hash(pw, 1000));

	/* Exactly PASSWORD_MAX bytes is fine... */
	pw[PASSWORD_MAX] = '\0';
	h = password_hash(pw, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_TRUE(password_verify(pw, h));
	/* ...one more byte never verifies, even against its prefix's hash. */
	pw[PASSWORD_MAX] = 'a';
	CU_ASSERT_FALSE(password_verify(pw, h));
	free(h);
	free(pw);
}

static void
test_password_dummy_false(void)
{
	CU_ASSERT_FALSE(password_verify_dummy(PW, 1000));
	CU_ASSERT_FALSE(password_verify_dummy("", 1000));
	CU_ASSERT_FALSE(password_verify_dummy(NULL, 1000));
}

/*
 * passlib's bcrypt, verified through libxcrypt against the published
 * crypt_blowfish test vectors (Solar Designer's wrapper.c), not against
 * hashes the same library made.
 */
static void
test_password_bcrypt(void)
{
	static const char v1[] =
	    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
	static const char v2[] =
	    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK";
	char	 b[sizeof(v1)];

	CU_ASSERT_TRUE(password_verify("U*U", v1));
	CU_ASSERT_TRUE(password_verify("U*U*", v2));
	CU_ASSERT_FALSE(password_verify("U*U*", v1));
	CU_ASSERT_FALSE(password_verify("", v1));
	/* $2b$ is the same algorithm. */
	memcpy(b, v1, sizeof(v1));
	b[2] = 'b';
	CU_ASSERT_TRUE(password_verify("U*U", b));
	/* A cost over the cap, a short or bent hash: refused, not run. */
	b[4] = '1';
	b[5] = '5';
	CU_ASSERT_FALSE(password_verify("U*U", b));
	memcpy(b, v1, sizeof(v1));
	b[sizeof(v1) - 2] = '\0';
	CU_ASSERT_FALSE(password_verify("U*U", b));
	memcpy(b, v1, sizeof(v1));
	b[6] = 'x';
	CU_ASSERT_FALSE(password_verify("U*U", b));
}

static void
test_password_needs_rehash(void)
{
	char	*h = password_hash("pw", 1000);

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_FALSE(password_needs_rehash(h, 1000));
	CU_ASSERT_TRUE(password_needs_rehash(h, 2000));
	CU_ASSERT_TRUE(password_needs_rehash(
	    "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", 1000));
	CU_ASSERT_TRUE(password_needs_rehash("scrypt:32768:8:1$s$00", 1000));
	CU_ASSERT_FALSE(password_needs_rehash(NULL, 1000));
	free(h);
}

/* "scrypt" alone is Werkzeug's defaults: the same hash verifies. */
static void
test_password_scrypt_implicit_parameters(void)
{
	const char	*rest = strchr(werkzeug_scrypt, '$');
	char		 h[256];

	snprintf(h, sizeof(h), "scrypt%s", rest);
	CU_ASSERT_TRUE(password_verify(PW, h));
	snprintf(h, sizeof(h), "scrypt:%s", rest);
	CU_ASSERT_FALSE(password_verify(PW, h));
}

static void
test_password_salt_bounds(void)
{
	char	 h[256], salt[66];

	/* Old Werkzeug salts are short; 64 characters is the most. */
	memset(salt, 'a', 65);
	salt[65] = '\0';
	snprintf(h, sizeof(h), "pbkdf2:sha256:1000$%s$" HEX32, salt);
	CU_ASSERT_FALSE(password_verify(PW, h));
	snprintf(h, sizeof(h), "pbkdf2:sha256:1000$Xq3vR9tLm2Pz8Kc~$" HEX32);
	CU_ASSERT_FALSE(password_verify(PW, h));
	snprintf(h, sizeof(h), "pbkdf2:sha256:1000$Xq3vR9tLm2Pz8Kc`$" HEX32);
	CU_ASSERT_FALSE(password_verify(PW, h));
}

static void
test_password_bcrypt_shapes(void)
{
	static const char v1[] =
	    "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
	static const struct {
		size_t		 at;
		char		 c;
		bool		 ok;
	} rows[] = {
		{ 2, 'y', true },	/* $2y$: the same algorithm */
		{ 2, 'x', false },	/* not bcrypt at all */
		{ 4, 'x', false },	/* cost not digits */
		{ 5, 'x', false },
		{ 5, '3', false },	/* cost under 4 */
		{ 4, '/', false },
		{ 5, ':', false },
		{ 7, '!', false },	/* outside bcrypt's base64 */
	};
	char	 b[sizeof(v1)];
	size_t	 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memcpy(b, v1, sizeof(v1));
		b[rows[i].at] = rows[i].c;
		CU_ASSERT_EQUAL(password_verify("U*U", b), rows[i].ok);
	}
}

static void
test_password_defaults_and_refusals(void)
{
	char	*pw, *h;

	CU_ASSERT_PTR_NULL(password_hash(NULL, 1000));
	CU_ASSERT_FALSE(password_needs_rehash(NULL, 1000));
	/* 0 iterations: the default, in the hash and in the rehash check. */
	h = password_hash(PW, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_TRUE(password_needs_rehash(h, 0));
	free(h);
	CU_ASSERT_FALSE(password_needs_rehash(werkzeug_pbkdf2_600000, 0));
	CU_ASSERT_FALSE(password_verify_dummy(PW, 0));
	pw = malloc(PASSWORD_MAX + 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pw);
	memset(pw, 'a', PASSWORD_MAX + 1);
	pw[PASSWORD_MAX + 1] = '\0';
	CU_ASSERT_FALSE(password_verify_dummy(pw, 1000));
	free(pw);
}

int
suite_password(void)
{
	static const struct unit_test tests[] = {
		{ "roundtrip", test_password_roundtrip },
		{ "bcrypt", test_password_bcrypt },
		{ "needs rehash", test_password_needs_rehash },
		{ "scrypt implicit parameters",
		    test_password_scrypt_implicit_parameters },
		{ "salt bounds", test_password_salt_bounds },
		{ "bcrypt shapes", test_password_bcrypt_shapes },
		{ "defaults and refusals", test_password_defaults_and_refusals },
		{ "wrong password", test_password_wrong_password },
		{ "hash format", test_password_hash_format },
		{ "salt random", test_password_salt_random },
		{ "default iterations", test_password_default_iterations },
		{ "hash iterations over cap",
		    test_password_hash_iterations_over_cap },
		{ "werkzeug pbkdf2", test_password_werkzeug_pbkdf2 },
		{ "werkzeug pbkdf2 600000",
		    test_password_werkzeug_pbkdf2_600000 },
		{ "werkzeug pbkdf2 implicit iterations",
		    test_password_werkzeug_pbkdf2_implicit_iterations },
		{ "werkzeug pbkdf2 utf8", test_password_werkzeug_pbkdf2_utf8 },
		{ "werkzeug scrypt", test_password_werkzeug_scrypt },
		{ "scrypt wrong password", test_password_scrypt_wrong_password },
		{ "tampered hex", test_password_tampered_hex },
		{ "tampered salt", test_password_tampered_salt },
		{ "uppercase hex", test_password_uppercase_hex },
		{ "malformed", test_password_malformed },
		{ "cost over caps", test_password_cost_over_caps },
		{ "too long", test_password_too_long },
		{ "dummy false", test_password_dummy_false },
	};

	return UNIT_SUITE("password", tests);
}
