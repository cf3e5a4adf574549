/*
 * The benchmarks' yardstick: the smallest libfcgi responder, answering
 * every request with a fixed JSON body.  It runs like resilops.fcgi, on
 * the listening socket passed as fd 0 (spawn-fcgi, mod_fcgid, systemd),
 * so the difference between the two is what resilops itself costs.
 *
 * With "bytes=N" in the query (1 <= N <= 4 MiB) it answers a JSON body
 * of exactly N bytes instead: what moving a body of a route's size
 * through libfcgi, nginx and wrk costs on its own (bench/run.sh's
 * size-matched runs).  Anything else in the query is ignored, so
 * get.lua's dummy parameter (?bytes=N&i=%d) still works.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#define HELLO_BODY	"{\"hello\":\"world\"}\n"
/* Above any route's first page; a cap before allocating. */
#define SIZED_MAX	((size_t)4 * 1024 * 1024)

/*
 * The size asked for by the query's "bytes" parameter, or 0 when there
 * is none or it is not a plain decimal in 1..SIZED_MAX (no sign, no
 * leading zero, no trailing junk): then the default body is answered.
 */
static size_t
query_bytes(const char *query)
{
	const char	*p, *v;
	size_t		 n;

	for (p = query; p != NULL && *p != '\0'; p = strchr(p, '&')) {
		if (*p == '&')
			p++;
		if (strncmp(p, "bytes=", 6) != 0)
			continue;
		v = p + 6;
		if (*v < '1' || *v > '9')
			return 0;
		for (n = 0; *v >= '0' && *v <= '9'; v++) {
			n = n * 10 + (size_t)(*v - '0');
			if (n > SIZED_MAX)
				return 0;
		}
		return (*v == '\0' || *v == '&') ? n : 0;
	}
	return 0;
}

/*
 * A valid JSON text of exactly n bytes: "0" for 1, else a string of
 * 'x's between quotes.  The last one is kept (one per process), since
 * a run asks for one size many times: building it per request would
 * add the responder's own CPU to what should be the transfer alone.
 * Returns NULL when memory is short.
 */
static const char *
sized_body(size_t n)
{
	static char	*body;
	static size_t	 bodylen;
	char		*p;

	if (body != NULL && bodylen == n)
		return body;
	if ((p = realloc(body, n)) == NULL)
		return NULL;
	body = p;
	bodylen = n;
	if (n == 1) {
		body[0] = '0';
		return body;
	}
	memset(body, 'x', n);
	body[0] = body[n - 1] = '"';
	return body;
}

int
main(void)
{
	FCGX_Request	 req;
	const char	*body;
	char		 head[128];
	size_t		 n;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0)
		return EXIT_FAILURE;
	/* < 0: SIGTERM/SIGUSR1 or a broken listening socket: leave. */
	while (FCGX_Accept_r(&req) >= 0) {
		n = query_bytes(FCGX_GetParam("QUERY_STRING", req.envp));
		body = n > 0 ? sized_body(n) : NULL;
		/*
		 * Writes to a client that went away are not errors here.
		 * A sized body says its length, as resilops's answers do
		 * (src/http/response.c), so nginx passes it on unchunked
		 * as it does theirs; the default answer stays as it was
		 * measured before.
		 */
		if (body != NULL) {
			/* snprintf: libfcgi's own printf knows no %zu. */
			(void)snprintf(head, sizeof(head), "Status: 200 OK\r\n"
			    "Content-Type: application/json\r\n"
			    "Content-Length: %zu\r\n\r\n", n);
			(void)FCGX_PutS(head, req.out);
			(void)FCGX_PutStr(body, (int)n, req.out);
		} else
			(void)FCGX_PutS("Status: 200 OK\r\n"
			    "Content-Type: application/json\r\n\r\n"
			    HELLO_BODY, req.out);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	return EXIT_SUCCESS;
}
