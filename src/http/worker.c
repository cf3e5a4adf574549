/*
 * The FastCGI side.  worker_loop() accepts on fd 0 (spawn-fcgi,
 * mod_fcgid and systemd socket units all pass the listener there),
 * turns FastCGI parameters into a struct request (FCGX_GetParam, never
 * getenv), dispatches, and writes the response; a pool's worker with
 * [http] threads above 1 does that in as many threads at once.
 * worker_supervise() keeps a pool of such processes alive: libfcgi
 * 2.4.2 can still be made to abort by a malformed PARAMS record
 * (TRAPS.md), so a dead worker is replaced while the others keep
 * serving.
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "db/db.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/response.h"
#include "http/route.h"
#include "http/worker.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/log.h"

/* As request_param: the worker's own reads of the parameters. */
static const char *
param(FCGX_Request *fr, const char *name)
{
	return request_param(fr->envp, name);
}

/*
 * A body of unknown length: FastCGI ends stdin with an empty record, so
 * read to it, within the cap.  mod_proxy_fcgi streams a chunked request
 * body this way, with no CONTENT_LENGTH (nginx and mod_fcgid read it
 * first and declare its length).  Returns 0 or the status to answer.
 */
static int
read_body_stream(FCGX_Request *fr, struct request *req, size_t max)
{
	size_t	 cap = 0, got = 0;
	char	*p;
	int	 n;

	/* Most such requests (every GET) have none: no buffer for them. */
	if ((n = FCGX_GetChar(fr->in)) == EOF)
		return 0;
	if (max == 0)
		return 413;
	if ((req->body = malloc(8192 + 1)) == NULL)
		return 500;
	cap = 8192;
	req->body[got++] = (char)n;
	for (;;) {
		if (got == cap) {
			if (cap > max)
				return 413;	/* the rest is left unread */
			cap *= 2;
			if (cap > max + 1)
				cap = max + 1;
			if ((p = realloc(req->body, cap + 1)) == NULL)
				return 500;
			req->body = p;
		}
		if ((n = FCGX_GetStr(req->body + got, (int)(cap - got),
		    fr->in)) <= 0)
			break;
		got += (size_t)n;
	}
	if (got > max)
		return 413;
	req->body[got] = '\0';
	req->bodylen = got;
	return 0;
}

/*
 * Read the body as CONTENT_LENGTH says: digits only, within the cap; or
 * to the end of stdin when there is none.  Returns 0, or the status to
 * answer (413, 400).
 */
static int
read_body(FCGX_Request *fr, struct request *req, size_t max)
{
	const char	*cl = param(fr, "CONTENT_LENGTH");
	size_t		 len = 0, got = 0;
	int		 n;

	if (cl == NULL || *cl == '\0')
		return read_body_stream(fr, req, max);
	if (strspn(cl, "0123456789") != strlen(cl) || strlen(cl) > 12)
		return 400;
	len = (size_t)strtoull(cl, NULL, 10);
	if (len > max)
		return 413;
	if ((req->body = malloc(len + 1)) == NULL)
		return 500;
	while (got < len) {
		n = FCGX_GetStr(req->body + got, (int)(len - got), fr->in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	req->body[got] = '\0';
	req->bodylen = got;
	return got == len ? 0 : 400;
}

static double
since(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Count the request in the shared block and log its line: request id,
 * method, route pattern ("-" unrouted), status, milliseconds and who
 * called ("-", the username, and the API key's id).  Never the query
 * string or the body: they can carry tokens and passwords.
 */
static void
account(const struct app *app, const struct request *req,
    const struct response *resp, double seconds)
{
	const struct route	*r = req->route;
	size_t			 row = METRICS_ROUTES_MAX;
	const char		*method = "OTHER";

	if (r != NULL && r >= app->routes && r < app->routes + app->nroutes)
		row = (size_t)(r - app->routes);
	else
		r = NULL;
	metrics_request(row, resp->status, seconds);
	if (req->method >= 0 && req->method < HTTP__MAX)
		method = http_method_name((enum http_method)req->method);
	log_info("request id=%s method=%s route=%s status=%d ms=%.1f "
	    "user=%s key=%s", req->request_id, method,
	    r != NULL ? r->pattern : "-", resp->status, seconds * 1e3,
	    req->authed && req->who.username[0] != '\0' ? req->who.username :
	    "-", req->who.key_id[0] != '\0' ? req->who.key_id : "-");
}

static void
serve(struct app *app, struct db *db, FCGX_Request *fr)
{
	struct timespec	 t0;
	struct request	 req;
	struct response	 resp;
	const char	*body;
	char		*head;
	size_t		 bodylen;
	int		 st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.app = app;
	req.db = db;
	req.now = time(NULL);
	request_from_params(&req, &app->trusted, fr->envp);
	resp.media = media_for_path(req.path);
	if (req.path == NULL)
		resp_error(&resp, 400, "Bad request path");
	else if ((st = read_body(fr, &req, app->cfg->http.body_max)) != 0) {
		if (st == 413)
			resp_error(&resp, 413, "Request body too large");
		else if (st == 400)
			resp_error(&resp, 400, "Incomplete request body");
		else
			resp_error(&resp, 500, "Internal server error");
	} else
		dispatch(app, &req, &resp);

	resp_finish(&req, &resp, app->error_page);
	if ((head = resp_head(&req, &resp, app->cfg, &body, &bodylen)) != NULL) {
		/* -1 means the client went away: a normal end, not an error. */
		if (FCGX_PutStr(head, (int)strlen(head), fr->out) >= 0 &&
		    bodylen > 0)
			FCGX_PutStr(body, (int)bodylen, fr->out);
		free(head);
	}
	account(app, &req, &resp, since(&t0));
	resp_free(&resp);
	request_free(&req);
}

/*
 * SIGTERM (mod_fcgid, spawn-fcgi users) and SIGUSR1 (graceful restart)
 * mark shutdown pending.  While a request is being served the handler is
 * installed with SA_RESTART, so its reads and writes are not cut short;
 * while waiting in accept it is installed without, so accept returns
 * and libfcgi's loop ends.
 */
static void
worker_signal(int sig)
{
	(void)sig;
	FCGX_ShutdownPending();
}

static void
worker_signals(int flags)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_signal;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
}

/*
 * Every request allocates and frees its JSON trees: keep the freed
 * memory in the heap instead of returning it to the kernel each time.
 */
static void
worker_heap(void)
{
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

int
worker_loop(struct app *app)
{
	FCGX_Request	 fr;

	worker_heap();
	/* Ours before FCGX_Init: libfcgi keeps handlers that are not SIG_DFL. */
	worker_signals(0);
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0) {
		log_errx("cannot initialise libfcgi");
		return 1;
	}
	while (FCGX_Accept_r(&fr) >= 0) {
		worker_signals(SA_RESTART);
		serve(app, app->db, &fr);
		FCGX_Finish_r(&fr);
		worker_signals(0);
	}
	db_free(app->db);
	app->db = NULL;
	return 0;
}

/*
 * A worker serving [http] threads requests at once: a thread per
 * request in flight, each on a database connection of its own, so that
 * while one waits for MariaDB (a write for its COMMIT's log flush) the
 * others serve.  libfcgi wants FCGX_Init once, a request object per
 * thread and one thread at a time in accept (TRAPS.md).
 *
 * Signals: the threads block SIGTERM and SIGUSR1, so that no signal cuts
 * a request's reads or writes short; the main thread waits for them
 * (sigwait) and sets wstop.  A thread looks at it before each accept,
 * having finished its request.  The one in accept looks again each
 * WORKER_ACCEPT_MS: the listener's SO_RCVTIMEO ends its wait then.  A
 * blocking accept, not poll: the kernel hands each connection to one
 * waiting worker of the pool, in turn, where poll would wake every
 * worker for each and the quickest would take them all.
 */
#define WORKER_ACCEPT_MS	250

struct wthread {
	struct app	*app;
	struct db	*db;
	pthread_t	 tid;
	bool		 started;
};

static pthread_mutex_t	 accept_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool	 wstop;

/* The next request into fr: 1; 0 when told to stop; -1 on an error. */
static int
accept_next(FCGX_Request *fr)
{
	const struct timeval	 none = { 0, 0 };
	int			 rc;

	pthread_mutex_lock(&accept_lock);
	for (;;) {
		if (atomic_load(&wstop)) {
			rc = 0;
			break;
		}
		if ((rc = FCGX_Accept_r(fr)) >= 0) {
			/*
			 * A TCP connection inherits the listener's timeout
			 * (a unix socket's does not): a slow body is no
			 * error.
			 */
			setsockopt(fr->ipcFd, SOL_SOCKET, SO_RCVTIMEO, &none,
			    sizeof(none));
			rc = 1;
			break;
		}
		/* The wait's end, to look at wstop, or one gone before us. */
		if (rc != -EAGAIN && rc != -EWOULDBLOCK && rc != -EINTR &&
		    rc != -ECONNABORTED) {
			log_warnx("accept: %s", rc > -4096 ? strerror(-rc) :
			    "libfcgi error");
			rc = -1;
			break;
		}
	}
	pthread_mutex_unlock(&accept_lock);
	return rc;
}

static void *
wthread_main(void *arg)
{
	struct wthread	*t = arg;
	FCGX_Request	 fr;
	int		 rc = -1;

	if (FCGX_InitRequest(&fr, 0, 0) == 0)
		while ((rc = accept_next(&fr)) == 1) {
			serve(t->app, t->db, &fr);
			FCGX_Finish_r(&fr);
		}
	/* Not told to stop: end the worker, which the pool replaces. */
	if (rc == -1)
		kill(getpid(), SIGTERM);
	db_thread_end();
	return NULL;
}

/*
 * Start n threads, the first on app->db; 0, or -1 when the first could
 * not start (those that did are the caller's to stop).
 */
static int
wthreads_start(struct app *app, struct wthread *t, int n)
{
	int	 i, err;

	for (i = 0; i < n; i++) {
		t[i].app = app;
		if ((t[i].db = i == 0 ? app->db : db_new(app->cfg)) == NULL)
			break;
		if ((err = pthread_create(&t[i].tid, NULL, wthread_main,
		    &t[i])) != 0) {
			log_warnx("pthread_create: %s", strerror(err));
			break;
		}
		t[i].started = true;
	}
	if (i < n)
		log_warnx("worker %ld serves %d requests at once, not %d",
		    (long)getpid(), i, n);
	return i > 0 ? 0 : -1;
}

static int
worker_loop_threads(struct app *app, int n)
{
	struct timeval	 tv = { 0, WORKER_ACCEPT_MS * 1000 };
	struct wthread	*t;
	sigset_t	 set;
	int		 i, sig, rc = 1;

	worker_heap();
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	/* Before any thread: they inherit the mask. */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || db_library_init() == -1 ||
	    setsockopt(0, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1) {
		log_errx("cannot set up the worker's threads");
		return 1;
	}
	if ((t = calloc((size_t)n, sizeof(*t))) == NULL)
		return 1;
	/* A worker none of whose threads started exits with 1 (logged). */
	if (wthreads_start(app, t, n) == 0) {
		while (sigwait(&set, &sig) != 0)
			continue;
		rc = 0;
	}
	atomic_store(&wstop, true);
	for (i = 0; i < n; i++) {
		if (t[i].started)
			pthread_join(t[i].tid, NULL);
		if (i > 0)
			db_free(t[i].db);
	}
	free(t);
	db_free(app->db);
	app->db = NULL;
	return rc;
}

static volatile sig_atomic_t	 sup_stop;

static void
sup_signal(int sig)
{
	(void)sig;
	sup_stop = 1;
}

static pid_t
spawn(struct app *app)
{
	pid_t	 pid, parent = getpid();

	if ((pid = fork()) == -1) {
		log_warnx("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGUSR1, SIG_DFL);
#ifdef __linux__
		/*
		 * A pool killed outright (SIGKILL, the OOM killer) cannot
		 * pass SIGTERM on: the kernel sends it for it, and the worker
		 * finishes its request and leaves.  Left running, it would
		 * keep its database connection, and a new pool's workers
		 * beside it, until someone found it.  The check after covers
		 * a pool gone before the prctl.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
			log_warnx("prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
		if (getppid() != parent)
			_exit(0);
#else
		(void)parent;
#endif
		if ((app->db = db_new(app->cfg)) == NULL)
			_exit(1);
		_exit(app->cfg->http.threads > 1 ?
		    worker_loop_threads(app, app->cfg->http.threads) :
		    worker_loop(app));
	}
	return pid;
}

int
worker_supervise(struct app *app, int n)
{
	struct sigaction	 sa;
	pid_t			*kids;
	pid_t			 pid;
	time_t			 last_death = 0;
	int			 i, status, alive;

	if ((kids = calloc((size_t)n, sizeof(*kids))) == NULL)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sup_signal;	/* no SA_RESTART: wait() returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!sup_stop) {
		for (i = 0; i < n && !sup_stop; i++)
			if (kids[i] <= 0)
				kids[i] = spawn(app);
		pid = wait(&status);
		if (pid == -1) {
			if (errno == ECHILD)
				sleep(1);	/* every fork failed: try again later */
			continue;
		}
		for (i = 0; i < n; i++)
			if (kids[i] == pid)
				kids[i] = 0;
		if (sup_stop)
			break;
		metrics_worker_replaced();
		if (WIFSIGNALED(status))
			log_warnx("worker %ld killed by signal %d; replacing it",
			    (long)pid, WTERMSIG(status));
		else
			log_warnx("worker %ld exited with %d; replacing it",
			    (long)pid, WEXITSTATUS(status));
		/* A worker that cannot even start must not become a fork loop. */
		if (time(NULL) == last_death)
			sleep(1);
		last_death = time(NULL);
	}
	for (i = 0; i < n; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	do {
		alive = 0;
		for (i = 0; i < n; i++)
			if (kids[i] > 0) {
				if (waitpid(kids[i], &status, 0) == kids[i] ||
				    errno == ECHILD)
					kids[i] = 0;
				else
					alive = 1;
			}
	} while (alive);
	free(kids);
	return 0;
}
