/*
 * resilops-admin smtp-test: one message through [smtp] now, to see
 * whether email goes out before anyone depends on it.  It builds the
 * message as deliveries do (core/mailmsg) and sends it with the
 * delivery's SMTP transport, then says what the relay answered, or
 * what went wrong, in plain words.  No database is needed.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin.h"
#include "core/mailaddr.h"
#include "core/mailmsg.h"
#include "sched/deliver.h"
#include "util/conf.h"
#include "util/crypto.h"

#define ID_LEN	24	/* random characters of the Message-ID */

static const char TEST_BODY[] =
    "This is a test message from resilops-admin smtp-test on %s.\n"
    "\n"
    "If you can read it, %s can send email through %s.\n";

/* The options and the address; 0, or -2 for a usage error. */
static int
parse(int argc, char *argv[], const char **subject, const char **body,
    const char **to)
{
	int	 i;

	*subject = *body = *to = NULL;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--subject") == 0 && i + 1 < argc)
			*subject = argv[++i];
		else if (strcmp(argv[i], "--body") == 0 && i + 1 < argc)
			*body = argv[++i];
		else if (argv[i][0] != '-' && *to == NULL)
			*to = argv[i];
		else
			return -2;
	}
	return *to != NULL ? 0 : -2;
}

/* The message for to: malloc'd, or NULL with why on stderr. */
static char *
build(const struct conf *cfg, const char *to, const char *subject,
    const char *body, size_t *len)
{
	struct mailmsg	 m;
	char		 id[ID_LEN + 1], host[256], err[160], *text = NULL;
	char		*subj = NULL, *msg = NULL;

	if (crypto_random_base62(id, ID_LEN) == -1)
		return NULL;
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "%s", "this host");
	host[sizeof(host) - 1] = '\0';
	/* Whole: a cut could split a character (mailmsg cuts properly). */
	if (asprintf(&subj, "Test message from %s", cfg->pages.title) == -1)
		return NULL;
	if (body == NULL && asprintf(&text, TEST_BODY, host, cfg->pages.title,
	    cfg->smtp.host) == -1) {
		free(subj);
		return NULL;
	}
	memset(&m, 0, sizeof(m));
	m.from = cfg->smtp.from;
	m.from_name = cfg->smtp.from_name[0] != '\0' ? cfg->smtp.from_name :
	    cfg->pages.title;
	m.to = &to;
	m.nto = 1;
	m.subject = subject != NULL ? subject : subj;
	m.body = body != NULL ? body : text;
	m.date = time(NULL);
	m.id = id;
	if ((msg = mailmsg_build(&m, len, err, sizeof(err))) == NULL)
		fprintf(stderr, "resilops-admin: smtp-test: cannot build the "
		    "message: %s\n", err);
	free(text);
	free(subj);
	return msg;
}

int
cmd_smtp_test(const struct conf *cfg, int argc, char *argv[])
{
	const char	*subject, *body, *to;
	char		 err[512], reply[256], *msg;
	size_t		 len;
	int		 rc;

	if (parse(argc, argv, &subject, &body, &to) == -2)
		return -2;
	if (cfg->smtp.host[0] == '\0') {
		fprintf(stderr, "resilops-admin: smtp-test: [smtp] host is not "
		    "set in %s: no email can go out\n",
		    cfg->path != NULL ? cfg->path : "the config");
		return 1;
	}
	/* Not echoed: it may hold the line breaks it is refused for. */
	if (!mailaddr_valid(to)) {
		fprintf(stderr, "resilops-admin: smtp-test: not an address mail "
		    "is sent to (local@domain: ASCII letters, digits and "
		    "!#$%%&'*+-/=?^_`{|}~ before the @, a DNS name after)\n");
		return 1;
	}
	if ((msg = build(cfg, to, subject, body, &len)) == NULL)
		return 1;
	if (deliver_init() == -1) {
		free(msg);
		return 1;
	}
	rc = deliver_smtp_send(cfg, &to, 1, msg, len, err, sizeof(err), reply,
	    sizeof(reply));
	deliver_cleanup();
	free(msg);
	if (rc == -1) {
		fprintf(stderr, "resilops-admin: smtp-test: not sent: %s\n", err);
		return 1;
	}
	printf("sent to %s through %s port %u\nthe relay answered: %s\n", to,
	    cfg->smtp.host, cfg->smtp.port, reply);
	return 0;
}
