/*
 * The HTTP transport of delivery: a JSON POST to a webhook, done so
 * that the webhook's owner cannot aim it at us or our network
 * (TRAPS.md, "Outbound webhooks").  The URL is parsed by core/netcheck
 * and rebuilt from the parts it checked; each host of a batch is
 * resolved once and every address it resolves to checked; curl may
 * connect only to those addresses (CURLOPT_RESOLVE), and a socket
 * callback checks again whatever curl connects to.  http(s) only, no
 * redirects, no proxy, connect and total timeouts, a 64 KiB cap on the
 * answer.  The URL is a secret: wiped after use, never logged.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/netcheck.h"
#include "sched/deliver.h"
#include "sched/deliver_transport.h"
#include "util/conf.h"
#include "util/crypto.h"

#define USER_AGENT	PACKAGE_NAME "/" PACKAGE_VERSION
#define RESOLVE_MAX	16	/* addresses of one host handed to curl */
#define ADDRS_MAX	(RESOLVE_MAX * (INET6_ADDRSTRLEN + 3))

/* The fixed texts of last_error (no URL, no secret, no host). */
#define ERR_REFUSED	"address not allowed"
#define ERR_URL		"invalid webhook URL"
#define ERR_HTTP	"http not allowed for this host"
#define ERR_RESOLVE	"cannot resolve host"
#define ERR_TOOBIG	"response too large"

enum host_state { HOST_OK, HOST_UNRESOLVED, HOST_REFUSED };

/* One receiving host of a batch, resolved once and checked. */
struct host {
	const char		*name;		/* a job's url.host */
	enum host_state		 state;
	char			 addrs[ADDRS_MAX];
};

/* A job's HTTP side (job->state). */
struct http_state {
	const struct netcheck_nets	*allow;
	struct netcheck_url		 url;		/* points into job->target */
	char				*target;	/* secret: rebuilt from url */
	char				*resolve_entry;	/* secret: names the host */
	struct host			*host;		/* during check only */
	struct curl_slist		*headers, *resolve;
	size_t				 received;
	bool				 refused;	/* by the socket callback */
};

/* The URL curl gets, rebuilt from the parts netcheck checked. */
static char *
target_url(const struct netcheck_url *u)
{
	char	*s;

	if (asprintf(&s, "%s://%.*s%s%s%s%s:%u%.*s", u->https ? "https" : "http",
	    (int)u->userinfolen, u->userinfo != NULL ? u->userinfo : "",
	    u->userinfo != NULL ? "@" : "", u->ipv6 ? "[" : "", u->host,
	    u->ipv6 ? "]" : "", u->port, (int)u->pathlen, u->path) == -1)
		return NULL;
	return s;
}

/* Parse and rebuild the URL, find its host in hosts; settles failures. */
static void
url_check(struct deliver_job *j, const struct deliver_ctx *ctx,
    struct host *hosts, size_t *nhosts)
{
	struct http_state	*st;
	size_t			 i;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
		return;
	}
	j->state = st;
	st->allow = ctx->allow;
	switch (netcheck_url_parse(j->target, ctx->cfg->delivery.http_hosts,
	    &st->url)) {
	case NETCHECK_URL_OK:
		break;
	case NETCHECK_URL_HTTP:
		deliver_settle(j, DELIVER_FAILED, ERR_HTTP);
		return;
	default:
		deliver_settle(j, DELIVER_FAILED, ERR_URL);
		return;
	}
	if ((st->target = target_url(&st->url)) == NULL) {
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
		return;
	}
	for (i = 0; i < *nhosts; i++)
		if (strcmp(hosts[i].name, st->url.host) == 0)
			break;
	if (i == *nhosts)
		hosts[(*nhosts)++].name = st->url.host;
	st->host = &hosts[i];
}

/* Check every address of a host; keep them for CURLOPT_RESOLVE. */
static void
host_check(struct host *h, const struct addrinfo *res,
    const struct netcheck_nets *allow)
{
	const struct addrinfo	*ai;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	char			 a[INET6_ADDRSTRLEN];
	size_t			 len = 0, n = 0;

	h->addrs[0] = '\0';
	if (res == NULL) {
		h->state = HOST_UNRESOLVED;
		return;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next)
		if (!netcheck_sockaddr_allowed(ai->ai_addr, allow)) {
			h->state = HOST_REFUSED;
			return;
		}
	for (ai = res; ai != NULL && n < RESOLVE_MAX; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			memcpy(&sin, ai->ai_addr, sizeof(sin));
			inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a));
			len += (size_t)snprintf(h->addrs + len,
			    sizeof(h->addrs) - len, "%s%s", n ? "," : "", a);
		} else if (ai->ai_family == AF_INET6) {
			memcpy(&sin6, ai->ai_addr, sizeof(sin6));
			inet_ntop(AF_INET6, &sin6.sin6_addr, a, sizeof(a));
			len += (size_t)snprintf(h->addrs + len,
			    sizeof(h->addrs) - len, "%s[%s]", n ? "," : "", a);
		} else
			continue;
		n++;
	}
	h->state = n > 0 ? HOST_OK : HOST_UNRESOLVED;
}

/*
 * Resolve every host of the batch once, all at the same time where the
 * C library can (a slow name server then costs one timeout, not one
 * per host), and check what they resolve to.
 */
static void
resolve_hosts(struct host *hosts, size_t nhosts,
    const struct netcheck_nets *allow)
{
	struct addrinfo	 hints;
	struct addrinfo	*res[DELIVER_BATCH];
	size_t		 i;

	if (nhosts == 0)
		return;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
#ifdef __GLIBC__
	{
		struct gaicb	 cb[DELIVER_BATCH], *list[DELIVER_BATCH];

		memset(cb, 0, sizeof(cb));
		for (i = 0; i < nhosts; i++) {
			cb[i].ar_name = hosts[i].name;
			cb[i].ar_request = &hints;
			list[i] = &cb[i];
		}
		if (getaddrinfo_a(GAI_WAIT, list, (int)nhosts, NULL) != 0) {
			/* Some may have been queued: wait for those. */
			for (i = 0; i < nhosts; i++)
				while (gai_error(list[i]) == EAI_INPROGRESS)
					gai_suspend((const struct gaicb *const *)
					    &list[i], 1, NULL);
		}
		for (i = 0; i < nhosts; i++)
			res[i] = gai_error(list[i]) == 0 ? cb[i].ar_result : NULL;
	}
#else
	for (i = 0; i < nhosts; i++)
		if (getaddrinfo(hosts[i].name, NULL, &hints, &res[i]) != 0)
			res[i] = NULL;
#endif
	for (i = 0; i < nhosts; i++) {
		host_check(&hosts[i], res[i], allow);
		if (res[i] != NULL)
			freeaddrinfo(res[i]);
	}
}

/* A checked host's addresses as the job's CURLOPT_RESOLVE entry. */
static void
pin(struct deliver_job *j)
{
	struct http_state	*st = j->state;

	if (st->host->state == HOST_REFUSED)
		deliver_settle(j, DELIVER_FAILED, ERR_REFUSED);
	else if (st->host->state == HOST_UNRESOLVED)
		deliver_settle(j, DELIVER_RETRY, ERR_RESOLVE);
	/* An IP literal is not looked up; a name maps to what was checked. */
	else if (!st->url.ipv6 && asprintf(&st->resolve_entry, "%s:%u:%s",
	    st->url.host, st->url.port, st->host->addrs) == -1) {
		st->resolve_entry = NULL;
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
	}
	st->host = NULL;
}

static void
http_check(struct deliver_job **jobs, size_t n, const struct deliver_ctx *ctx)
{
	struct host	*hosts;
	size_t		 i, nhosts = 0;

	if ((hosts = calloc(n > 0 ? n : 1, sizeof(*hosts))) == NULL) {
		for (i = 0; i < n; i++)
			deliver_settle(jobs[i], DELIVER_RETRY,
			    DELIVER_ERR_START);
		return;
	}
	for (i = 0; i < n; i++)
		url_check(jobs[i], ctx, hosts, &nhosts);
	resolve_hosts(hosts, nhosts, ctx->allow);
	for (i = 0; i < n; i++)
		if (jobs[i]->outcome == DELIVER_READY)
			pin(jobs[i]);
	free(hosts);
}

/* Every webhook at once, as before the transports were split. */
static int
http_max_active(const struct deliver_ctx *ctx)
{
	(void)ctx;
	return 0;
}

static int
http_timeout(const struct deliver_ctx *ctx)
{
	return ctx->cfg->delivery.connect_timeout + ctx->cfg->delivery.timeout;
}

/* The answer is read and dropped; past the cap the transfer fails. */
static size_t
discard(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_state	*st = arg;

	(void)data;
	st->received += size * nmemb;
	if (st->received > DELIVER_BODY_MAX)
		return 0;
	return size * nmemb;
}

/* The last gate: whatever curl connects to must pass netcheck. */
static curl_socket_t
open_checked(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct http_state	*st = arg;

	if (purpose != CURLSOCKTYPE_IPCXN ||
	    !netcheck_sockaddr_allowed(&a->addr, st->allow)) {
		st->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static int
http_setup(struct deliver_job *j, const struct deliver_ctx *ctx)
{
	const struct conf	*cfg = ctx->cfg;
	struct http_state	*st = j->state;
	CURL			*e;

	if ((j->easy = e = curl_easy_init()) == NULL)
		return -1;
	if ((st->headers = curl_slist_append(NULL,
	    "Content-Type: application/json")) == NULL ||
	    (st->headers = curl_slist_append(st->headers, "Expect:")) == NULL)
		return -1;
	if (st->resolve_entry != NULL && (st->resolve =
	    curl_slist_append(NULL, st->resolve_entry)) == NULL)
		return -1;
	if (curl_easy_setopt(e, CURLOPT_URL, st->target) != CURLE_OK ||
#if LIBCURL_VERSION_NUM >= 0x075500
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	    "http,https") != CURLE_OK ||
#else
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) != CURLE_OK ||
#endif
	    (st->resolve != NULL &&
	    curl_easy_setopt(e, CURLOPT_RESOLVE, st->resolve) != CURLE_OK) ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION,
	    open_checked) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, st) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT,
	    (long)cfg->delivery.connect_timeout) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT,
	    (long)cfg->delivery.timeout) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HTTPHEADER, st->headers) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
	    (long)j->bodylen) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, st) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)DELIVER_BODY_MAX) != CURLE_OK)
		return -1;
	return 0;
}

static void
http_finish(struct deliver_job *j, CURLcode res)
{
	struct http_state	*st = j->state;
	long			 code = 0;

	if (res == CURLE_OK) {
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 200 && code <= 299) {
			deliver_settle(j, DELIVER_SENT, NULL);
			return;
		}
		snprintf(j->errbuf, sizeof(j->errbuf), "HTTP %ld", code);
		deliver_settle(j, DELIVER_RETRY, j->errbuf);
	} else if (st->refused)
		deliver_settle(j, DELIVER_FAILED, ERR_REFUSED);
	else if (st->received > DELIVER_BODY_MAX ||
	    res == CURLE_FILESIZE_EXCEEDED)
		deliver_settle(j, DELIVER_RETRY, ERR_TOOBIG);
	else
		/* curl's fixed texts ("Timeout was reached"): no URL there. */
		deliver_settle(j, DELIVER_RETRY, curl_easy_strerror(res));
}

static void
http_clear(struct deliver_job *j)
{
	struct http_state	*st = j->state;

	if (st == NULL)
		return;
	curl_slist_free_all(st->headers);
	curl_slist_free_all(st->resolve);
	crypto_wipe_free(st->resolve_entry);
	crypto_wipe_free(st->target);
	free(st);
	j->state = NULL;
}

const struct deliver_transport deliver_http = {
	"http", http_check, http_max_active, http_timeout, http_setup,
	http_finish, http_clear,
};
