/*
 * The allocation failure scenarios of src/util (tests/unit/oom.c): the
 * strict JSON reader and the JSON writer, Mustache, tokens, password
 * hashes, sealing and the key ring, the configuration file.  Each is a
 * normal call, as the unit suites make it, and frees what it made.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "oom.h"
#include "util/aead.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/jsonw.h"
#include "util/keyring.h"
#include "util/mustache.h"
#include "util/password.h"
#include "util/token.h"

#define NOW	((time_t)1700000000)
#define PW	"correct horse battery staple"

static const char body[] =
    "{\"name\": \"Payments \\u00e9 API\", \"tags\": [\"a\", \"b\", 3, 4.5, "
    "true, false], \"bia\": {\"rto\": 60, \"rpo\": \"15\", \"owner\": "
    "{\"email\": \"ops@example.com\"}}, \"deps\": [1, 2, 3], "
    "\"note\": \"line\\nbreak \\\"quoted\\\"\"}";

/* Parse a body strictly and print it again (util/json). */
static int
json_parse(void)
{
	struct json_object	*o;
	const char		*text;
	size_t			 len;

	if ((o = json_parse_strict(body, sizeof(body) - 1)) == NULL)
		return -1;
	if ((text = json_text(o, &len)) == NULL) {
		json_object_put(o);
		return -1;
	}
	oom_digest(text, len);
	json_object_put(o);
	return 0;
}

/* A page of a list written straight as text (util/jsonw). */
static int
jsonw_page(void)
{
	struct jsonw	 w;
	char		*text, name[32];
	size_t		 len;
	int		 i;

	jsonw_init(&w, 16);	/* small: the buffer grows several times */
	jsonw_object(&w);
	jsonw_key(&w, "items");
	jsonw_array(&w);
	for (i = 1; i <= 20; i++) {
		snprintf(name, sizeof(name), "service \"%d\" \xc3\xa9", i);
		jsonw_object(&w);
		jsonw_key_id(&w, "id", i);
		jsonw_key_string(&w, "name", name);
		jsonw_key_bool(&w, "public", i % 2);
		jsonw_key_time(&w, "updated_at", NOW + i);
		jsonw_key(&w, "uptime");
		jsonw_decimal(&w, 99.5 + i / 100.0, 2);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key_int(&w, "total", 20);
	jsonw_key(&w, "raw");
	jsonw_raw(&w, "[1,2]", 5);
	jsonw_object_end(&w);
	if ((text = jsonw_finish(&w, &len)) == NULL)
		return -1;
	oom_digest(text, len);
	free(text);
	return 0;
}

static const struct mustache *
partial(const char *name, void *arg)
{
	return strcmp(name, "row") == 0 ? arg : NULL;
}

/* Compile a template and a partial, render them over parsed data. */
static int
mustache_page(void)
{
	static const char	 page[] =
	    "<h1>{{title}}</h1>\n{{! a comment }}\n{{#services}}\n"
	    "{{> row}}\n{{/services}}\n{{^services}}none{{/services}}\n"
	    "{{=<% %>=}}<%{raw}%> <%& raw%><%={{ }}=%> {{owner.name}}\n";
	static const char	 row[] =
	    "  <li class=\"{{class}}\">{{name}} {{uptime}} {{#deps}}{{.}},"
	    "{{/deps}}</li>\n";
	static const char	 data[] =
	    "{\"title\": \"Status <&>\", \"raw\": \"<b>\", \"owner\": "
	    "{\"name\": \"O'Neil\"}, \"services\": [{\"name\": \"API\", "
	    "\"class\": \"up\", \"uptime\": 99.95, \"deps\": [1, 2]}, "
	    "{\"name\": \"DB \\\"x\\\"\", \"class\": \"down\", \"uptime\": "
	    "12}]}";
	struct mustache_partials	 parts;
	struct mustache			*tpl = NULL, *p = NULL;
	struct json_object		*o = NULL;
	char				*out = NULL, err[128];
	size_t				 len;
	int				 rc = -1;

	if ((tpl = mustache_compile(page, sizeof(page) - 1, err,
	    sizeof(err))) == NULL)
		goto out;
	if ((p = mustache_compile(row, sizeof(row) - 1, err,
	    sizeof(err))) == NULL)
		goto out;
	if ((o = json_parse_strict(data, sizeof(data) - 1)) == NULL)
		goto out;
	parts.lookup = partial;
	parts.arg = p;
	if ((out = mustache_render(tpl, o, &parts, &len, err,
	    sizeof(err))) == NULL)
		goto out;
	oom_digest(out, len);
	rc = 0;
out:
	free(out);
	json_object_put(o);
	mustache_free(p);
	mustache_free(tpl);
	return rc;
}

static const unsigned char secret[] =
    "0123456789abcdef0123456789abcdef-oom-secret";

/* A token of uid, username and role issued under key (NULL if not). */
static char *
issue(const unsigned char *key, size_t keylen, struct token_claims *c,
    long long uid, const char *username, const char *role)
{
	memset(c, 0, sizeof(*c));
	c->uid = uid;
	snprintf(c->username, sizeof(c->username), "%s", username);
	snprintf(c->role, sizeof(c->role), "%s", role);
	c->gen = 3;
	c->role_style = 1;
	return token_issue(key, keylen, c, NOW, 3600);
}

/* Issue an access token and verify it (util/token, libjwt). */
static int
token_round_trip(void)
{
	struct token_claims	 c, out;
	char			*jwt;
	int			 rc;

	if ((jwt = issue(secret, sizeof(secret) - 1, &c, 42, "alice",
	    "operator")) == NULL)
		return -1;
	memset(&out, 0, sizeof(out));
	rc = token_verify(secret, sizeof(secret) - 1, jwt, NOW + 10, &out);
	free(jwt);
	if (rc != 0)
		return -1;
	/* The jti is random: the rest must have come through. */
	if (strcmp(out.jti, c.jti) != 0)
		return 2;
	oom_digest(&out.uid, sizeof(out.uid));
	oom_digest_str(out.username);
	oom_digest_str(out.role);
	oom_digest(&out.iat, sizeof(out.iat));
	oom_digest(&out.exp, sizeof(out.exp));
	oom_digest(&out.gen, sizeof(out.gen));
	oom_digest(&out.role_style, sizeof(out.role_style));
	return 0;
}

/*
 * A token that must be refused (signed with another secret): under a
 * failed allocation it must still be refused, never accepted.
 */
static int
token_forged(void)
{
	static const unsigned char	 other[] =
	    "fedcba9876543210fedcba9876543210-oom-other";
	struct token_claims		 c, out;
	char				*jwt;
	int				 rc;

	/* A failed issue is a refusal too. */
	if ((jwt = issue(other, sizeof(other) - 1, &c, 7, "mallory",
	    "admin")) == NULL)
		return -1;
	rc = token_verify(secret, sizeof(secret) - 1, jwt, NOW, &out);
	free(jwt);
	/* Refused is the result: a 0 here would be a forgery let in. */
	oom_digest_str(rc == 0 ? "accepted" : "refused");
	return 0;
}

/* Hash a password (two rounds: each allocates) and verify it. */
static int
password_round_trip(void)
{
	char	*h;
	bool	 ok, bad;

	if ((h = password_hash(PW, 2)) == NULL)
		return -1;
	ok = password_verify(PW, h);
	bad = password_verify("correct horse battery stapl", h);
	free(h);
	if (bad)
		return 2;	/* a wrong password let in */
	return ok ? 0 : -1;
}

/* The imported formats: Werkzeug's pbkdf2 and scrypt, passlib's bcrypt. */
static int
password_imported(void)
{
	static const char *const	 stored[] = {
		"pbkdf2:sha256:2$Zk4mT8pW0dLr6HuF$011c70c3cc3658828ffd2c714e6"
		"876eb715976503cf58d1affe93146ef3abd2c",
		"scrypt:16:1:1$Zk4mT8pW0dLr6HuF$9330fb07221122e771fe40d6acdd3"
		"fceb178fd44867ce0763652422e7f43fcde136fc48da074d2461bb7045d0"
		"f4da9f56412acbec7268a104c0072920b83395e",
		"$2b$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
	};
	size_t				 i;

	for (i = 0; i < sizeof(stored) / sizeof(stored[0]); i++) {
		if (password_verify("wrong", stored[i]))
			return 2;
		if (!password_verify(PW, stored[i]))
			return -1;
	}
	return 0;
}

static const char key_hex[] =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/* Seal a secret and open it again (util/aead). */
static int
aead_round_trip(void)
{
	static const char	 aad[] = "vault:42:card_number";
	struct aead_key		 k;
	unsigned char		*pt = NULL;
	size_t			 ptlen;
	char			*sealed;
	int			 rc;

	if (aead_key_from_hex(&k, key_hex, 3) != 0)
		return 2;
	if ((sealed = aead_seal(&k, aad, sizeof(aad) - 1, PW,
	    sizeof(PW) - 1)) == NULL) {
		crypto_wipe(&k, sizeof(k));
		return -1;
	}
	rc = aead_open(&k, 1, sealed, aad, sizeof(aad) - 1, &pt, &ptlen);
	free(sealed);
	crypto_wipe(&k, sizeof(k));
	if (rc != 0)
		return -1;
	oom_digest(pt, ptlen);
	crypto_wipe(pt, ptlen);
	free(pt);
	return 0;
}

/* A ring from a config: seal under the newest key, open (util/keyring). */
static int
keyring_round_trip(void)
{
	struct keyring	 kr;
	struct conf	 c;
	unsigned char	*pt = NULL;
	size_t		 ptlen;
	char		*sealed = NULL, err[256];
	int		 rc = -1;

	if (conf_defaults(&c) != 0 ||
	    conf_set(&c, "secrets", "data_key", key_hex) != 0 ||
	    conf_set(&c, "secrets", "data_keys", "1:ffeeddccbbaa99887766"
	    "554433221100ffeeddccbbaa99887766554433221100") != 0)
		goto out;
	c.secrets.data_key_version = 2;
	if (keyring_load(&kr, &c, err, sizeof(err)) != 0)
		goto out;
	if ((sealed = keyring_seal(&kr, "integration:7:token", PW,
	    sizeof(PW) - 1)) != NULL &&
	    keyring_open(&kr, "integration:7:token", sealed, &pt,
	    &ptlen) == 0) {
		oom_digest(pt, ptlen);
		crypto_wipe(pt, ptlen);
		free(pt);
		rc = 0;
	}
	keyring_wipe(&kr);
out:
	free(sealed);
	conf_free(&c);
	return rc;
}

static char	 conf_path[64];

/* A private (0600) config file to load, made once. */
static int
conf_file(void)
{
	static const char	 text[] =
	    "[database]\nhost = db.example.com\nport = 3307\nuser = ro\n"
	    "password = s3cret\nname = resilops\n\n"
	    "[auth]\njwt_secret = 0123456789abcdef0123456789abcdef-conf\n"
	    "token_ttl = 7200\nopen_signup = yes\n\n"
	    "[secrets]\naudit_key = audit-0123456789abcdef0123456789abcdef\n"
	    "data_key = 00112233445566778899aabbccddeeff00112233445566778899"
	    "aabbccddeeff\n\n"
	    "[http]\ncors_origins = https://a.example.com https://b.example."
	    "com\ntrusted_proxies = 10.0.0.0/8\n\n"
	    "[pages]\ntitle = Acme Status\nbase_url = https://status.example."
	    "com\n";
	int			 fd;

	if (conf_path[0] != '\0')
		return 0;
	snprintf(conf_path, sizeof(conf_path), "/tmp/resilops-oom-%ld.conf",
	    (long)getpid());
	if ((fd = open(conf_path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		return -1;
	if (write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Load the file, check it and write it out again (util/conf). */
static int
conf_round_trip(void)
{
	struct conf	 c;
	char		 err[512], *text = NULL;
	size_t		 len = 0;
	FILE		*f;
	int		 rc = -1;

	if (conf_file() != 0)
		return 2;
	if (conf_load(&c, conf_path, err, sizeof(err)) != 0)
		goto out;
	if (conf_check(&c, err, sizeof(err)) != 0)
		goto out;
	if ((f = open_memstream(&text, &len)) == NULL)
		goto out;
	if (conf_write(&c, f) != 0) {
		fclose(f);
		goto out;
	}
	/* glibc: a failed last realloc leaves text NULL, fclose 0. */
	if (fclose(f) != 0 || text == NULL)
		goto out;
	oom_digest(text, len);
	rc = 0;
out:
	free(text);
	conf_free(&c);
	return rc;
}

const struct oom_scenario	 oom_util[] = {
	{ "json_parse", json_parse },
	{ "jsonw_page", jsonw_page },
	{ "mustache_page", mustache_page },
	{ "token_round_trip", token_round_trip },
	{ "token_forged", token_forged },
	{ "password_round_trip", password_round_trip },
	{ "password_imported", password_imported },
	{ "aead_round_trip", aead_round_trip },
	{ "keyring_round_trip", keyring_round_trip },
	{ "conf_round_trip", conf_round_trip },
};
const size_t			 oom_nutil = OOM_TABLE(oom_util);

/* The config file goes when the program ends (children _exit). */
static void __attribute__((destructor))
conf_file_remove(void)
{
	if (conf_path[0] != '\0')
		unlink(conf_path);
}
