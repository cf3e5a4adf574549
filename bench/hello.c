/*
 * The benchmarks' yardstick: the smallest libfcgi responder, answering
 * every request with a fixed JSON body.  It runs like resilops.fcgi, on
 * the listening socket passed as fd 0 (spawn-fcgi, mod_fcgid, systemd),
 * so the difference between the two is what resilops itself costs.
 */
#include <stdlib.h>

#include <fcgiapp.h>

int
main(void)
{
	FCGX_Request	 req;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0)
		return EXIT_FAILURE;
	/* < 0: SIGTERM/SIGUSR1 or a broken listening socket: leave. */
	while (FCGX_Accept_r(&req) >= 0) {
		/* A write to a client that went away is not an error here. */
		(void)FCGX_PutS("Status: 200 OK\r\n"
		    "Content-Type: application/json\r\n\r\n"
		    "{\"hello\":\"world\"}\n", req.out);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	return EXIT_SUCCESS;
}
