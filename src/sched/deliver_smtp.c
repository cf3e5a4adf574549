/*
 * The SMTP transport of delivery: one message per job to the operator's
 * relay ([smtp]) with libcurl, a few at a time (max_connections; curl
 * reuses the connections).  TLS is required, by STARTTLS
 * (CURLUSESSL_ALL: curl gives up if the relay does not offer it) or
 * from the first byte (smtps), and the relay's certificate and name
 * are verified, unless [smtp] says otherwise; plain SMTP only reaches a
 * relay on loopback (conf_check, and the socket callback here).
 *
 * The relay is the operator's own configuration, not something a
 * subscriber or an integration names: core/netcheck's rules, which
 * keep webhooks off our networks, do not apply to it (a relay on the
 * LAN or on this host is normal).  Subscriber webhooks go through the
 * HTTP transport and get every check.
 *
 * What curl does not do for us: it writes MAIL FROM and RCPT TO with
 * whatever it is given, CR and LF included, so every address has passed
 * core/mailaddr before it gets here (deliver_job_smtp, conf_check).
 * What it does: dot-stuffing of the message (a line starting with "."
 * goes out as ".."), the final CRLF.CRLF, SIZE when offered.  It also
 * skips AUTH silently when the relay offers none; a relay that wants
 * it then refuses MAIL FROM, which is what gets reported.
 *
 * last_error says "SMTP <code> after <command>" or curl's fixed text:
 * never the relay's reply, which may quote the recipient's address.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "core/mailaddr.h"
#include "sched/deliver.h"
#include "sched/deliver_transport.h"
#include "util/conf.h"

#define REPLY_MAX	200	/* bytes kept of the relay's last reply */

/* The fixed texts of last_error. */
#define ERR_NOHOST	"no [smtp] host configured"
#define ERR_PLAIN	"plain SMTP to a relay off loopback refused"
#define ERR_STARTTLS	"relay does not offer STARTTLS"
#define ERR_LOGIN	"SMTP authentication failed"

/* Where the conversation was when it ended: the last command sent. */
enum stage {
	ST_CONNECT, ST_EHLO, ST_STARTTLS, ST_AUTH, ST_MAIL, ST_RCPT, ST_DATA,
	ST_MESSAGE, ST_QUIT, ST__MAX
};

static const struct {
	const char	*verb;		/* as sent; NULL: never sent as such */
	const char	*what;		/* in plain words */
} stages[ST__MAX] = {
	[ST_CONNECT] = { NULL, "the connection" },
	[ST_EHLO] = { "EHLO", "the greeting (EHLO)" },
	[ST_STARTTLS] = { "STARTTLS", "STARTTLS" },
	[ST_AUTH] = { "AUTH", "the login (AUTH)" },
	[ST_MAIL] = { "MAIL", "the sender (MAIL FROM)" },
	[ST_RCPT] = { "RCPT", "the recipient (RCPT TO)" },
	[ST_DATA] = { "DATA", "DATA" },
	[ST_MESSAGE] = { NULL, "the message" },
	[ST_QUIT] = { "QUIT", "QUIT" },
};

/* A job's SMTP side (job->state). */
struct smtp_state {
	struct curl_slist	*rcpt;
	char			*url;
	char			*from;		/* "<address>" */
	size_t			 off;		/* read position in job->body */
	enum stage		 stage;		/* of the last command */
	char			 reply[REPLY_MAX + 1];	/* the last reply */
	/* The first refusal (4xx, 5xx): QUIT and its 221 come after it. */
	enum stage		 fail_stage;
	char			 fail[REPLY_MAX + 1];
	/* curl's own words (names the relay): for the operator, not stored. */
	char			 curlerr[CURL_ERROR_SIZE];
	bool			 plain;		/* no TLS: loopback only */
	bool			 refused;	/* by the socket callback */
	bool			 curls;		/* the error is curl's own text */
};

/* Whether [smtp] asks for no TLS at all. */
static bool
smtp_plain(const struct conf *cfg)
{
	return !cfg->smtp.starttls && !cfg->smtp.smtps;
}

/* smtp[s]://host:port, an IPv6 host in brackets; malloc'd, or NULL. */
static char *
relay_url(const struct conf *cfg)
{
	const char	*h = cfg->smtp.host;
	bool		 v6 = strchr(h, ':') != NULL;
	char		*s;

	if (asprintf(&s, "%s://%s%s%s:%u", cfg->smtp.smtps ? "smtps" : "smtp",
	    v6 ? "[" : "", h, v6 ? "]" : "", cfg->smtp.port) == -1)
		return NULL;
	return s;
}

/* Envelope and URL of one job; 0, or -1 out of memory. */
static int
envelope(struct deliver_job *j, const struct conf *cfg)
{
	struct smtp_state	*st;
	char			 a[MAILADDR_MAX + 3];
	size_t			 k;

	if ((j->state = st = calloc(1, sizeof(*st))) == NULL)
		return -1;
	st->plain = smtp_plain(cfg);
	if ((st->url = relay_url(cfg)) == NULL ||
	    asprintf(&st->from, "<%s>", cfg->smtp.from) == -1) {
		st->from = NULL;
		return -1;
	}
	for (k = 0; k < j->nrcpt; k++) {
		snprintf(a, sizeof(a), "<%s>", j->rcpt[k]);
		if ((st->rcpt = curl_slist_append(st->rcpt, a)) == NULL)
			return -1;
	}
	return 0;
}

static void
smtp_check(struct deliver_job **jobs, size_t n, const struct deliver_ctx *ctx)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (ctx->cfg->smtp.host[0] == '\0')
			/* It may be configured yet: tried again then. */
			deliver_settle(jobs[i], DELIVER_RETRY, ERR_NOHOST);
		else if (envelope(jobs[i], ctx->cfg) == -1)
			deliver_settle(jobs[i], DELIVER_RETRY,
			    DELIVER_ERR_START);
	}
}

static int
smtp_max_active(const struct deliver_ctx *ctx)
{
	return ctx->cfg->smtp.max_connections;
}

static int
smtp_timeout(const struct deliver_ctx *ctx)
{
	return ctx->cfg->smtp.timeout;
}

/* The message, as curl asks for it. */
static size_t
read_message(char *buf, size_t size, size_t nitems, void *arg)
{
	struct deliver_job	*j = arg;
	struct smtp_state	*st = j->state;
	size_t			 n = size * nitems;

	if (n > j->bodylen - st->off)
		n = j->bodylen - st->off;
	memcpy(buf, j->body + st->off, n);
	st->off += n;
	return n;
}

/* The command a line we sent starts with, if it is one we know. */
static void
note_command(struct smtp_state *st, const char *line, size_t len)
{
	size_t	 s, vlen;

	for (s = 0; s < ST__MAX; s++) {
		if (stages[s].verb == NULL)
			continue;
		vlen = strlen(stages[s].verb);
		if (len >= vlen && strncasecmp(line, stages[s].verb, vlen) == 0 &&
		    (len == vlen || line[vlen] == ' ' || line[vlen] == '\r' ||
		    line[vlen] == ':')) {
			st->stage = (enum stage)s;
			return;
		}
	}
	/* Anything else is SASL data (credentials): not even looked at. */
}

/* A reply's code from its first three characters; 0 when none. */
static int
reply_code(const char *r)
{
	if (!isdigit((unsigned char)r[0]) || !isdigit((unsigned char)r[1]) ||
	    !isdigit((unsigned char)r[2]))
		return 0;
	return (r[0] - '0') * 100 + (r[1] - '0') * 10 + (r[2] - '0');
}

/* The relay's reply line, printable ASCII only; the first refusal kept. */
static void
note_reply(struct smtp_state *st, const char *line, size_t len)
{
	size_t	 i;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len > REPLY_MAX)
		len = REPLY_MAX;
	for (i = 0; i < len; i++)
		st->reply[i] = line[i] >= 0x20 && line[i] < 0x7f ? line[i] : '?';
	st->reply[len] = '\0';
	if (st->fail[0] == '\0' && reply_code(st->reply) >= 400) {
		memcpy(st->fail, st->reply, len + 1);
		st->fail_stage = st->stage;
	}
}

/*
 * curl's protocol trace, read for two things only: the command each
 * reply answers and the reply.  Message data and TLS bytes pass.
 */
static int
trace(CURL *e, curl_infotype type, char *data, size_t size, void *arg)
{
	struct smtp_state	*st = arg;

	(void)e;
	if (type == CURLINFO_HEADER_OUT)
		note_command(st, data, size);
	else if (type == CURLINFO_HEADER_IN)
		note_reply(st, data, size);
	else if (type == CURLINFO_DATA_OUT && st->stage == ST_DATA)
		st->stage = ST_MESSAGE;
	return 0;
}

/* No TLS: whatever the name resolves to must be this machine. */
static curl_socket_t
open_loopback(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct smtp_state		*st = arg;
	const struct sockaddr_in	*s4 = (const void *)&a->addr;
	const struct sockaddr_in6	*s6 = (const void *)&a->addr;
	bool				 ok = false;

	if (purpose == CURLSOCKTYPE_IPCXN && a->family == AF_INET)
		ok = (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	else if (purpose == CURLSOCKTYPE_IPCXN && a->family == AF_INET6)
		ok = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
	if (!ok) {
		st->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* TLS as [smtp] says: required, and verified unless turned off. */
static int
tls_setup(CURL *e, const struct conf *cfg)
{
	long	 verify = cfg->smtp.verify ? 1L : 0L;

	if (curl_easy_setopt(e, CURLOPT_USE_SSL, smtp_plain(cfg) ?
	    (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, verify) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST,
	    verify ? 2L : 0L) != CURLE_OK)
		return -1;
	if (cfg->smtp.ca_file[0] != '\0' &&
	    curl_easy_setopt(e, CURLOPT_CAINFO, cfg->smtp.ca_file) != CURLE_OK)
		return -1;
	return 0;
}

static int
smtp_setup(struct deliver_job *j, const struct deliver_ctx *ctx)
{
	const struct conf	*cfg = ctx->cfg;
	struct smtp_state	*st = j->state;
	CURL			*e;

	if ((j->easy = e = curl_easy_init()) == NULL)
		return -1;
	if (curl_easy_setopt(e, CURLOPT_URL, st->url) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	    "smtp,smtps") != CURLE_OK ||
	    tls_setup(e, cfg) == -1 ||
	    curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT,
	    (long)cfg->smtp.timeout) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAIL_FROM, st->from) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, st->rcpt) != CURLE_OK ||
	    /* (sic) curl 7.88's spelling.  One bad address of several
	       must not keep the message from the others. */
	    curl_easy_setopt(e, CURLOPT_MAIL_RCPT_ALLLOWFAILS,
	    j->nrcpt > 1 ? 1L : 0L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_READFUNCTION, read_message) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_READDATA, j) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)j->bodylen) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_VERBOSE, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, trace) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_DEBUGDATA, st) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, st->curlerr) != CURLE_OK)
		return -1;
	if (cfg->smtp.user[0] != '\0' &&
	    (curl_easy_setopt(e, CURLOPT_USERNAME, cfg->smtp.user) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PASSWORD,
	    cfg->smtp.password) != CURLE_OK))
		return -1;
	if (st->plain && (curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION,
	    open_loopback) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, st) != CURLE_OK))
		return -1;
	return 0;
}

/*
 * A 5xx to the recipient or to the message is the relay's last word
 * on it; anything else (4xx, a refused sender or login, the network,
 * TLS) may pass or be fixed in [smtp]: tried again.
 */
static void
smtp_finish(struct deliver_job *j, CURLcode res)
{
	struct smtp_state	*st = j->state;
	int			 code = reply_code(st->fail);

	if (res == CURLE_OK) {
		deliver_settle(j, DELIVER_SENT, NULL);
		return;
	}
	if (st->refused)
		deliver_settle(j, DELIVER_RETRY, ERR_PLAIN);
	else if (res == CURLE_USE_SSL_FAILED)
		deliver_settle(j, DELIVER_RETRY, ERR_STARTTLS);
	else if (res == CURLE_LOGIN_DENIED)
		deliver_settle(j, DELIVER_RETRY, ERR_LOGIN);
	else if (code >= 400 && stages[st->fail_stage].verb != NULL) {
		snprintf(j->errbuf, sizeof(j->errbuf), "SMTP %d after %s", code,
		    stages[st->fail_stage].verb);
		deliver_settle(j, code >= 500 && st->fail_stage == ST_RCPT ?
		    DELIVER_FAILED : DELIVER_RETRY, j->errbuf);
	} else if (code >= 400 && st->fail_stage == ST_MESSAGE) {
		snprintf(j->errbuf, sizeof(j->errbuf), "SMTP %d after the "
		    "message", code);
		deliver_settle(j, code >= 500 ? DELIVER_FAILED : DELIVER_RETRY,
		    j->errbuf);
	} else {
		/* curl's fixed texts: no address, no password there. */
		deliver_settle(j, DELIVER_RETRY, curl_easy_strerror(res));
		st->curls = true;
	}
}

static void
smtp_clear(struct deliver_job *j)
{
	struct smtp_state	*st = j->state;

	if (st == NULL)
		return;
	curl_slist_free_all(st->rcpt);
	free(st->url);
	free(st->from);
	free(st);
	j->state = NULL;
}

const struct deliver_transport deliver_smtp = {
	"smtp", smtp_check, smtp_max_active, smtp_timeout, smtp_setup,
	smtp_finish, smtp_clear,
};

/* What happened to one message, in words, for the operator. */
static void
describe(const struct deliver_job *j, const struct conf *cfg, char *err,
    size_t errsz)
{
	const struct smtp_state	*st = j->state;

	if (st == NULL || j->error == NULL)
		snprintf(err, errsz, "%s", j->error != NULL ? j->error :
		    "cannot start the request");
	else if (st->fail[0] != '\0')
		snprintf(err, errsz, "the relay refused %s: %s",
		    stages[st->fail_stage].what, st->fail);
	else
		snprintf(err, errsz, "%s (%s at %s, port %u, during %s)",
		    st->curls && st->curlerr[0] != '\0' ? st->curlerr : j->error,
		    cfg->smtp.smtps ? "smtps" : smtp_plain(cfg) ?
		    "plain SMTP" : "SMTP with STARTTLS", cfg->smtp.host,
		    cfg->smtp.port, stages[st->stage].what);
}

int
deliver_smtp_send(const struct conf *cfg, const char *const *rcpt,
    size_t nrcpt, const char *message, size_t len, char *err, size_t errsz,
    char *reply, size_t replysz)
{
	struct deliver_ctx	 ctx = { .cfg = cfg };
	struct deliver_job	 job, *jp = &job;
	char			*copy;
	int			 rc = -1;

	memset(&job, 0, sizeof(job));
	job.outcome = DELIVER_READY;
	if (reply != NULL && replysz > 0)
		reply[0] = '\0';
	if ((copy = malloc(len + 1)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	memcpy(copy, message, len);
	copy[len] = '\0';
	if (deliver_job_smtp(&job, rcpt, nrcpt, copy, len) == 0)
		smtp_check(&jp, 1, &ctx);
	if (job.outcome == DELIVER_READY) {
		if (smtp_setup(&job, &ctx) == -1)
			deliver_settle(&job, DELIVER_RETRY, DELIVER_ERR_START);
		else
			smtp_finish(&job, curl_easy_perform(job.easy));
	}
	if (job.outcome == DELIVER_SENT)
		rc = 0;
	else
		describe(&job, cfg, err, errsz);
	if (reply != NULL && job.state != NULL)
		snprintf(reply, replysz, "%s",
		    ((struct smtp_state *)job.state)->reply);
	curl_easy_cleanup(job.easy);
	deliver_job_clear(&job);
	return rc;
}
