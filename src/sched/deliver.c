/*
 * The delivery job: outbox rows to Slack and Webhook receivers over
 * libcurl, a batch at a time, and the thread that runs it beside the
 * other jobs (see deliver.h).  What is secret here is the webhook URL:
 * it is wiped after use and never logged or stored in last_error.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "core/integration.h"
#include "core/netcheck.h"
#include "db/db.h"
#include "db/db_integration.h"
#include "db/db_outbox.h"
#include "db/db_sched.h"
#include "sched/deliver.h"
#include "util/aead.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/keyring.h"
#include "util/log.h"

#define USER_AGENT	PACKAGE_NAME "/" PACKAGE_VERSION
#define RESOLVE_MAX	16	/* addresses of one host handed to curl */

/* The fixed texts of last_error (no URL, no secret, no host). */
#define ERR_REFUSED	"address not allowed"
#define ERR_URL		"invalid webhook URL"
#define ERR_HTTP	"http not allowed for this host"
#define ERR_CONFIG	"integration config does not open"
#define ERR_NOURL	"integration has no webhook_url"
#define ERR_PAYLOAD	"payload is not a JSON object"
#define ERR_MESSAGE	"payload has no message"
#define ERR_RESOLVE	"cannot resolve host"
#define ERR_START	"cannot start the request"
#define ERR_TOOBIG	"response too large"
#define ERR_ABORTED	"transfer failed"

enum outcome {
	OC_KEEP,		/* not tried: due again as before */
	OC_READY,		/* to be sent */
	OC_SENT,
	OC_RETRY,		/* failed; another attempt later */
	OC_FAILED,		/* failed for good */
	OC_SKIPPED		/* nothing to send for this type */
};

enum host_state { HOST_OK, HOST_UNRESOLVED, HOST_REFUSED };

/* One receiving host of a batch, resolved once and checked. */
struct host {
	const char		*name;		/* a transfer's url.host */
	enum host_state		 state;
	char			 addrs[RESOLVE_MAX * (INET6_ADDRSTRLEN + 3)];
};

struct transfer {
	const struct outbox_item	*it;
	const struct netcheck_nets	*allow;
	enum outcome			 outcome;
	const char			*error;		/* static, or errbuf */
	char				 errbuf[64];
	struct netcheck_url		 url;		/* points into rawurl */
	char				*rawurl;	/* secret */
	char				*target;	/* secret: rebuilt from url */
	char				*resolve_entry;
	char				*body;
	size_t				 bodylen;
	struct host			*host;
	CURL				*easy;
	struct curl_slist		*headers, *resolve;
	size_t				 received;
	bool				 refused;	/* by the socket callback */
	bool				 done;
};

struct batch {
	const struct deliver_env	*env;
	struct transfer			*t;
	size_t				 n;
	struct host			 hosts[DELIVER_BATCH];
	size_t				 nhosts;
};

int
deliver_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return log_errx("delivery: curl_global_init failed");
	return 0;
}

void
deliver_cleanup(void)
{
	curl_global_cleanup();
}

static void
settle(struct transfer *t, enum outcome oc, const char *error)
{
	t->outcome = oc;
	t->error = error;
}

static void
wipe_free(char *s)
{
	if (s != NULL) {
		crypto_wipe(s, strlen(s));
		free(s);
	}
}

/*
 * The webhook_url of the integration, opened: a malloc'd copy, or NULL
 * with the outcome settled (a config that does not open may open after
 * the key is fixed: tried again; one without a URL never will).
 */
static char *
open_url(struct transfer *t, const struct keyring *key)
{
	const struct outbox_item	*it = t->it;
	struct json_object		*sealed, *plain, *v;
	char				*url = NULL;

	settle(t, OC_RETRY, ERR_CONFIG);
	if (key == NULL || it->config == NULL ||
	    (sealed = json_parse_strict(it->config,
	    strlen(it->config))) == NULL)
		return NULL;
	plain = integration_open(key, it->integration_id, sealed);
	json_object_put(sealed);
	if (plain == NULL)
		return NULL;
	if (json_object_object_get_ex(plain, "webhook_url", &v) &&
	    json_object_is_type(v, json_type_string))
		url = strdup(json_object_get_string(v));
	else
		settle(t, OC_FAILED, ERR_NOURL);
	json_object_put(plain);
	if (url != NULL)
		settle(t, OC_READY, NULL);
	return url;
}

/*
 * What the receiver gets: Slack {"text": ...} (an alert's message after
 * its severity in brackets), Webhook the payload document itself.
 */
static int
make_body(struct transfer *t, enum integration_type type)
{
	struct json_object	*p, *m, *sev, *o = NULL;
	const char		*text;
	char			*msg = NULL;
	int			 rc = -1;

	if ((p = json_parse_strict(t->it->payload,
	    strlen(t->it->payload))) == NULL ||
	    !json_object_is_type(p, json_type_object)) {
		settle(t, OC_FAILED, ERR_PAYLOAD);
		goto out;
	}
	if (type == INTEG_SLACK) {
		if (!json_object_object_get_ex(p, "message", &m) ||
		    !json_object_is_type(m, json_type_string)) {
			settle(t, OC_FAILED, ERR_MESSAGE);
			goto out;
		}
		if (strcmp(t->it->event, "alert") == 0 &&
		    json_object_object_get_ex(p, "severity", &sev) &&
		    json_object_is_type(sev, json_type_string)) {
			if (asprintf(&msg, "[%s] %s", json_object_get_string(sev),
			    json_object_get_string(m)) == -1) {
				msg = NULL;
				goto out;
			}
		} else if ((msg = strdup(json_object_get_string(m))) == NULL)
			goto out;
		if ((o = json_object_new_object()) == NULL ||
		    json_object_object_add(o, "text",
		    json_object_new_string(msg)) != 0)
			goto out;
		text = json_text(o, &t->bodylen);
	} else
		text = json_text(p, &t->bodylen);
	if (text == NULL || (t->body = malloc(t->bodylen + 1)) == NULL)
		goto out;
	memcpy(t->body, text, t->bodylen + 1);
	rc = 0;
out:
	if (rc == -1 && t->outcome == OC_READY)
		settle(t, OC_RETRY, ERR_START);
	free(msg);
	json_object_put(o);
	json_object_put(p);
	return rc;
}

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

/* Everything but the network: type, URL, body.  Settles what it can. */
static void
prepare(struct batch *b, struct transfer *t, const struct keyring *key)
{
	const struct conf	*cfg = b->env->cfg;
	int			 type;
	size_t			 i;

	type = integration_type_parse(t->it->type);
	if (type != INTEG_SLACK && type != INTEG_WEBHOOK) {
		snprintf(t->errbuf, sizeof(t->errbuf), "no delivery for type %.20s",
		    t->it->type != NULL ? t->it->type : "?");
		settle(t, OC_SKIPPED, t->errbuf);
		return;
	}
	if ((t->rawurl = open_url(t, key)) == NULL)
		return;
	switch (netcheck_url_parse(t->rawurl, cfg->delivery.http_hosts,
	    &t->url)) {
	case NETCHECK_URL_OK:
		break;
	case NETCHECK_URL_HTTP:
		settle(t, OC_FAILED, ERR_HTTP);
		return;
	default:
		settle(t, OC_FAILED, ERR_URL);
		return;
	}
	if (make_body(t, (enum integration_type)type) == -1)
		return;
	if ((t->target = target_url(&t->url)) == NULL) {
		settle(t, OC_RETRY, ERR_START);
		return;
	}
	for (i = 0; i < b->nhosts; i++)
		if (strcmp(b->hosts[i].name, t->url.host) == 0)
			break;
	if (i == b->nhosts)
		b->hosts[b->nhosts++].name = t->url.host;
	t->host = &b->hosts[i];
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
resolve_hosts(struct batch *b, const struct netcheck_nets *allow)
{
	struct addrinfo	 hints;
	struct addrinfo	*res[DELIVER_BATCH];
	size_t		 i;

	if (b->nhosts == 0)
		return;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
#ifdef __GLIBC__
	{
		struct gaicb	 cb[DELIVER_BATCH], *list[DELIVER_BATCH];

		memset(cb, 0, sizeof(cb));
		for (i = 0; i < b->nhosts; i++) {
			cb[i].ar_name = b->hosts[i].name;
			cb[i].ar_request = &hints;
			list[i] = &cb[i];
		}
		if (getaddrinfo_a(GAI_WAIT, list, (int)b->nhosts, NULL) != 0) {
			/* Some may have been queued: wait for those. */
			for (i = 0; i < b->nhosts; i++)
				while (gai_error(list[i]) == EAI_INPROGRESS)
					gai_suspend((const struct gaicb *const *)
					    &list[i], 1, NULL);
		}
		for (i = 0; i < b->nhosts; i++)
			res[i] = gai_error(list[i]) == 0 ? cb[i].ar_result : NULL;
	}
#else
	for (i = 0; i < b->nhosts; i++)
		if (getaddrinfo(b->hosts[i].name, NULL, &hints, &res[i]) != 0)
			res[i] = NULL;
#endif
	for (i = 0; i < b->nhosts; i++) {
		host_check(&b->hosts[i], res[i], allow);
		if (res[i] != NULL)
			freeaddrinfo(res[i]);
	}
}

/* The answer is read and dropped; past the cap the transfer fails. */
static size_t
discard(char *data, size_t size, size_t nmemb, void *arg)
{
	struct transfer	*t = arg;

	(void)data;
	t->received += size * nmemb;
	if (t->received > DELIVER_BODY_MAX)
		return 0;
	return size * nmemb;
}

/* The last gate: whatever curl connects to must pass netcheck. */
static curl_socket_t
open_checked(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct transfer	*t = arg;

	if (purpose != CURLSOCKTYPE_IPCXN ||
	    !netcheck_sockaddr_allowed(&a->addr, t->allow)) {
		t->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static int
easy_setup(struct transfer *t, const struct conf *cfg)
{
	CURL	*e;

	if ((t->easy = e = curl_easy_init()) == NULL)
		return -1;
	if ((t->headers = curl_slist_append(NULL,
	    "Content-Type: application/json")) == NULL ||
	    (t->headers = curl_slist_append(t->headers, "Expect:")) == NULL)
		return -1;
	/* An IP literal is not looked up; a name maps to what was checked. */
	if (!t->url.ipv6) {
		if (asprintf(&t->resolve_entry, "%s:%u:%s", t->url.host,
		    t->url.port, t->host->addrs) == -1) {
			t->resolve_entry = NULL;
			return -1;
		}
		if ((t->resolve = curl_slist_append(NULL,
		    t->resolve_entry)) == NULL)
			return -1;
	}
	if (curl_easy_setopt(e, CURLOPT_URL, t->target) != CURLE_OK ||
#if LIBCURL_VERSION_NUM >= 0x075500
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	    "http,https") != CURLE_OK ||
#else
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) != CURLE_OK ||
#endif
	    (t->resolve != NULL &&
	    curl_easy_setopt(e, CURLOPT_RESOLVE, t->resolve) != CURLE_OK) ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION,
	    open_checked) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT,
	    (long)cfg->delivery.connect_timeout) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT,
	    (long)cfg->delivery.timeout) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->body) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
	    (long)t->bodylen) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, t) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)DELIVER_BODY_MAX) != CURLE_OK)
		return -1;
	return 0;
}

static void
finish(struct transfer *t, CURLcode res)
{
	long	 code = 0;

	t->done = true;
	if (res == CURLE_OK) {
		curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 200 && code <= 299) {
			settle(t, OC_SENT, NULL);
			return;
		}
		snprintf(t->errbuf, sizeof(t->errbuf), "HTTP %ld", code);
		settle(t, OC_RETRY, t->errbuf);
	} else if (t->refused)
		settle(t, OC_FAILED, ERR_REFUSED);
	else if (t->received > DELIVER_BODY_MAX ||
	    res == CURLE_FILESIZE_EXCEEDED)
		settle(t, OC_RETRY, ERR_TOOBIG);
	else
		/* curl's fixed texts ("Timeout was reached"): no URL there. */
		settle(t, OC_RETRY, curl_easy_strerror(res));
}

static bool
stopping(const struct deliver_env *env)
{
	return env->stopping != NULL && env->stopping(env->arg);
}

/* All ready transfers at once; a slow one delays only itself. */
static void
run_transfers(struct batch *b)
{
	const struct conf	*cfg = b->env->cfg;
	struct transfer		*t;
	CURLM			*m;
	CURLMsg			*msg;
	size_t			 i, active = 0;
	int			 running = 0, left;
	bool			 stopped = false;

	if ((m = curl_multi_init()) == NULL) {
		for (i = 0; i < b->n; i++)
			if (b->t[i].outcome == OC_READY)
				settle(&b->t[i], OC_RETRY, ERR_START);
		return;
	}
	for (i = 0; i < b->n; i++) {
		t = &b->t[i];
		if (t->outcome != OC_READY)
			continue;
		if (easy_setup(t, cfg) == -1 ||
		    curl_multi_add_handle(m, t->easy) != CURLM_OK) {
			settle(t, OC_RETRY, ERR_START);
			t->done = true;
			continue;
		}
		active++;
	}
	while (active > 0) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			for (i = 0; i < b->n; i++)
				if (b->t[i].easy == msg->easy_handle)
					finish(&b->t[i], msg->data.result);
		}
		if (running == 0)
			break;
		if (stopping(b->env)) {
			stopped = true;
			break;
		}
		if (curl_multi_poll(m, NULL, 0, 250, NULL) != CURLM_OK)
			break;
	}
	for (i = 0; i < b->n; i++) {
		t = &b->t[i];
		if (t->easy == NULL)
			continue;
		if (t->outcome == OC_READY && !t->done)
			settle(t, stopped ? OC_KEEP : OC_RETRY,
			    stopped ? NULL : ERR_ABORTED);
		curl_multi_remove_handle(m, t->easy);
		curl_easy_cleanup(t->easy);
		t->easy = NULL;
	}
	curl_multi_cleanup(m);
}

static time_t
backoff(int base, int attempts)
{
	long long	 d = base;
	int		 i;

	for (i = 1; i < attempts && d < DELIVER_BACKOFF_MAX; i++)
		d *= 2;
	return (time_t)(d > DELIVER_BACKOFF_MAX ? DELIVER_BACKOFF_MAX : d);
}

static void
outcome_row(const struct batch *b, const struct transfer *t,
    struct outbox_outcome *o)
{
	const struct conf	*cfg = b->env->cfg;
	time_t			 now = b->env->now;

	memset(o, 0, sizeof(*o));
	o->id = t->it->id;
	o->attempts = t->it->attempts + 1;
	o->next_attempt_at = now;
	o->last_error = t->error;
	switch (t->outcome) {
	case OC_SENT:
		o->status = OUTBOX_SENT;
		o->sent = true;
		o->last_error = NULL;
		break;
	case OC_FAILED:
		o->status = OUTBOX_FAILED;
		break;
	case OC_RETRY:
		if (o->attempts >= cfg->delivery.max_attempts)
			o->status = OUTBOX_FAILED;
		else {
			o->status = OUTBOX_PENDING;
			o->next_attempt_at = now +
			    backoff(cfg->delivery.retry_base, o->attempts);
		}
		break;
	case OC_SKIPPED:
		o->status = OUTBOX_SKIPPED;
		o->attempts = t->it->attempts;
		break;
	default:
		/* Not tried: as it was before the claim. */
		o->status = OUTBOX_PENDING;
		o->attempts = t->it->attempts;
		o->next_attempt_at = t->it->due;
		o->last_error = t->it->last_error;
		break;
	}
}

/* Open a transaction behind the lease fence: 1, 0 not leading, -1. */
static int
fence_begin(const struct deliver_env *env)
{
	long long	 epoch = env->epoch(env->arg);
	int		 f;

	if (epoch == 0)
		return 0;
	if (db_begin(env->db) == -1)
		return -1;
	if ((f = db_lease_fence(env->db, env->me, epoch)) != 1) {
		db_rollback(env->db);
		return f;
	}
	return 1;
}

/* Deliver one claimed batch and record its outcomes: 0, or -1. */
static int
batch_run(const struct deliver_env *env, const struct netcheck_nets *allow,
    const struct keyring *key, const struct outbox_item *items, size_t n)
{
	struct outbox_outcome	*oc = NULL;
	struct transfer		*t;
	struct batch		*b;
	size_t			 i, count[OC_SKIPPED + 1];
	int			 rc = -1, f;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return -1;
	b->env = env;
	b->n = n;
	if ((b->t = calloc(n, sizeof(*b->t))) == NULL ||
	    (oc = calloc(n, sizeof(*oc))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		t = &b->t[i];
		t->it = &items[i];
		t->allow = allow;
		t->outcome = OC_READY;
		prepare(b, t, key);
	}
	resolve_hosts(b, allow);
	for (i = 0; i < n; i++) {
		t = &b->t[i];
		if (t->outcome != OC_READY)
			continue;
		if (t->host->state == HOST_REFUSED)
			settle(t, OC_FAILED, ERR_REFUSED);
		else if (t->host->state == HOST_UNRESOLVED)
			settle(t, OC_RETRY, ERR_RESOLVE);
	}
	run_transfers(b);
	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++) {
		t = &b->t[i];
		outcome_row(b, t, &oc[i]);
		count[t->outcome]++;
		if (t->outcome == OC_RETRY || t->outcome == OC_FAILED)
			log_info("delivery: outbox %lld (integration %lld) "
			    "attempt %d: %s", t->it->id, t->it->integration_id,
			    oc[i].attempts, t->error);
	}
	if ((f = fence_begin(env)) != 1) {
		if (f == 0)
			log_warnx("delivery: lease lost; %zu outcomes not "
			    "recorded", n);
		rc = f == 0 ? 0 : -1;
		goto out;
	}
	if (db_outbox_record(env->db, env->now, oc, n) == -1) {
		db_rollback(env->db);
		goto out;
	}
	if (db_commit(env->db) == -1)
		goto out;
	log_info("delivery: %zu sent, %zu to retry, %zu failed, %zu skipped, "
	    "%zu left for later", count[OC_SENT], count[OC_RETRY],
	    count[OC_FAILED], count[OC_SKIPPED], count[OC_KEEP]);
	rc = 0;
out:
	if (b->t != NULL)
		for (i = 0; i < n; i++) {
			t = &b->t[i];
			curl_slist_free_all(t->headers);
			curl_slist_free_all(t->resolve);
			wipe_free(t->resolve_entry);
			wipe_free(t->target);
			wipe_free(t->rawurl);
			free(t->body);
		}
	free(b->t);
	free(oc);
	free(b);
	return rc;
}

long
deliver_pass(const struct deliver_env *env)
{
	const struct conf	*cfg = env->cfg;
	struct netcheck_nets	 allow;
	struct outbox_item	*items;
	struct keyring		 ring;
	const struct keyring	*keyp = NULL;
	size_t			 n, i;
	long			 total = 0;
	time_t			 claim_until;
	char			 err[160];
	int			 f, rc;

	if (netcheck_nets_parse(cfg->delivery.allow_networks, &allow, err,
	    sizeof(err)) == -1)
		log_warnx("delivery: [delivery] allow_networks: %s; allowing "
		    "no private network", err);
	if (keyring_load(&ring, cfg, err, sizeof(err)) == 0)
		keyp = &ring;
	else
		log_warnx("delivery: %s", err);
	claim_until = env->now + cfg->delivery.connect_timeout +
	    cfg->delivery.timeout + DELIVER_CLAIM_SLACK;
	while (!stopping(env)) {
		if ((f = fence_begin(env)) != 1) {
			if (f == -1)
				total = -1;
			break;
		}
		if (db_outbox_claim(env->db, env->now, DELIVER_BATCH,
		    claim_until, &items, &n) == -1) {
			db_rollback(env->db);
			total = -1;
			break;
		}
		if (db_commit(env->db) == -1) {
			for (i = 0; i < n; i++)
				outbox_item_clear(&items[i]);
			free(items);
			total = -1;
			break;
		}
		if (n == 0)
			break;
		rc = batch_run(env, &allow, keyp, items, n);
		for (i = 0; i < n; i++)
			outbox_item_clear(&items[i]);
		free(items);
		if (rc == -1) {
			total = -1;
			break;
		}
		total += (long)n;
		if (n < DELIVER_BATCH)
			break;
	}
	if (total == -1)
		log_warnx("delivery: database error; trying again later");
	keyring_wipe(&ring);
	return total;
}

/* ---- the delivery thread ---- */

struct deliver_thread {
	pthread_t		 tid;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	const struct conf	*cfg;
	char			*me;
	time_t			 fixed_now;
	long long		 epoch;		/* 0: not leading */
	bool			 kicked;
	bool			 stop;
};

static long long
thread_epoch(void *arg)
{
	struct deliver_thread	*dt = arg;
	long long		 e;

	pthread_mutex_lock(&dt->mu);
	e = dt->epoch;
	pthread_mutex_unlock(&dt->mu);
	return e;
}

static bool
thread_stopping(void *arg)
{
	struct deliver_thread	*dt = arg;
	bool			 s;

	pthread_mutex_lock(&dt->mu);
	s = dt->stop;
	pthread_mutex_unlock(&dt->mu);
	return s;
}

static void *
thread_main(void *arg)
{
	struct deliver_thread	*dt = arg;
	struct deliver_env	 env;
	struct timespec		 until;
	struct db		*db;
	bool			 down = false;

	/* struct db is not thread-safe: this thread has its own. */
	if ((db = db_new(dt->cfg)) == NULL) {
		log_errx("delivery: no database handle; not delivering");
		return NULL;
	}
	memset(&env, 0, sizeof(env));
	env.db = db;
	env.cfg = dt->cfg;
	env.me = dt->me;
	env.epoch = thread_epoch;
	env.stopping = thread_stopping;
	env.arg = dt;
	pthread_mutex_lock(&dt->mu);
	while (!dt->stop) {
		if (!dt->kicked) {
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += dt->cfg->sched.tick;
			while (!dt->stop && !dt->kicked &&
			    pthread_cond_timedwait(&dt->cv, &dt->mu,
			    &until) == 0)
				;
			if (dt->stop)
				break;
		}
		dt->kicked = false;
		if (dt->epoch == 0)
			continue;
		pthread_mutex_unlock(&dt->mu);
		if (db_ready(db) == -1) {
			if (!down)
				log_warnx("delivery: database unreachable; "
				    "trying again");
			down = true;
		} else {
			down = false;
			env.now = dt->fixed_now ? dt->fixed_now : time(NULL);
			deliver_pass(&env);
		}
		pthread_mutex_lock(&dt->mu);
	}
	pthread_mutex_unlock(&dt->mu);
	db_free(db);
	return NULL;
}

struct deliver_thread *
deliver_thread_start(const struct conf *cfg, const char *me, time_t fixed_now)
{
	struct deliver_thread	*dt;
	pthread_condattr_t	 ca;
	sigset_t		 all, old;
	int			 e;

	if ((dt = calloc(1, sizeof(*dt))) == NULL ||
	    (dt->me = strdup(me)) == NULL) {
		if (dt != NULL)
			free(dt);
		log_errx("delivery: out of memory");
		return NULL;
	}
	dt->cfg = cfg;
	dt->fixed_now = fixed_now;
	pthread_mutex_init(&dt->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&dt->cv, &ca);
	pthread_condattr_destroy(&ca);
	/* Signals are the main loop's: the thread starts with all blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&dt->tid, NULL, thread_main, dt);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		log_errx("delivery: cannot start its thread: %s", strerror(e));
		pthread_cond_destroy(&dt->cv);
		pthread_mutex_destroy(&dt->mu);
		free(dt->me);
		free(dt);
		return NULL;
	}
	return dt;
}

void
deliver_thread_lead(struct deliver_thread *dt, long long epoch)
{
	if (dt == NULL)
		return;
	pthread_mutex_lock(&dt->mu);
	dt->epoch = epoch;
	pthread_mutex_unlock(&dt->mu);
}

void
deliver_thread_kick(struct deliver_thread *dt)
{
	if (dt == NULL)
		return;
	pthread_mutex_lock(&dt->mu);
	dt->kicked = true;
	pthread_cond_signal(&dt->cv);
	pthread_mutex_unlock(&dt->mu);
}

void
deliver_thread_stop(struct deliver_thread *dt)
{
	if (dt == NULL)
		return;
	pthread_mutex_lock(&dt->mu);
	dt->stop = true;
	pthread_cond_signal(&dt->cv);
	pthread_mutex_unlock(&dt->mu);
	pthread_join(dt->tid, NULL);
	pthread_cond_destroy(&dt->cv);
	pthread_mutex_destroy(&dt->mu);
	free(dt->me);
	free(dt);
}
