/*
 * The FastCGI side: the accept loop on fd 0 and a small supervisor
 * that keeps N worker processes alive (a worker killed by a malformed
 * record is replaced; the others keep serving).
 */
#ifndef RO_WORKER_H
#define RO_WORKER_H

struct app;

/* Serve requests until SIGTERM/SIGUSR1; returns the exit status. */
int	 worker_loop(struct app *);
/*
 * Fork n workers that each call worker_loop(app) and respawn those that
 * die; on SIGTERM stop them all.  Returns the exit status.
 */
int	 worker_supervise(struct app *, int n);

#endif
