/*
 * db/connect: a new connection to MariaDB, over its unix socket or over
 * TCP (TLS when configured) to the first of [database] host's servers
 * that answers and is ready: the nodes of a Galera cluster, tried in
 * turn from the one this process last used.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <mysql.h>
#include <mysqld_error.h>

#include "core/dbnodes.h"
#include "db/db.h"
#include "util/conf.h"
#include "util/log.h"

/*
 * The node the next connection starts from, modulo their count: the one
 * that last worked until a connection to it is lost (db_node_lost), then
 * the next.  Per process: resilops-sched's delivery thread shares it with
 * its jobs, so that both write through one node.  Two writers on two
 * nodes would fail each other's fences (sched_lease) with Galera's
 * certification conflicts, tick after tick.
 */
static atomic_uint	 node_next;

/*
 * Every session: UTC everywhere; strict mode so bad data fails instead
 * of truncating; a statement outside db_begin commits by itself whatever
 * the server's default (a write of one statement sends no START
 * TRANSACTION and COMMIT).  [database] sync_wait adds wsrep_sync_wait.
 */
#define INIT_COMMAND	"SET time_zone = '+00:00', sql_mode = " \
	"'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE," \
	"ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', " \
	"tx_isolation = 'READ-COMMITTED', autocommit = 1"

/*
 * TLS over TCP when a CA or a client certificate is configured.  The
 * connector neither requires TLS nor checks the server's name unless
 * told (TRAPS.md): both are set, so a server without TLS, with a
 * certificate our CA did not sign or one for another name is refused,
 * not silently trusted.  With ssl_verify off the CA is not given either
 * (the connector checks the chain against any CA it is given): the link
 * is encrypted but the server unauthenticated, and we say so.
 */
static int
db_tls_options(MYSQL *m, const struct conf *c)
{
	my_bool		 on = 1, verify = c->db.ssl_verify ? 1 : 0;
	const char	*ca = c->db.ssl_ca, *cert = c->db.ssl_cert;
	const char	*key = c->db.ssl_key;

	if ((ca == NULL || *ca == '\0') && (cert == NULL || *cert == '\0'))
		return 0;
	if ((verify && *ca != '\0' &&
	    mysql_options(m, MYSQL_OPT_SSL_CA, ca) != 0) ||
	    (*cert != '\0' && mysql_options(m, MYSQL_OPT_SSL_CERT, cert) != 0) ||
	    (*key != '\0' && mysql_options(m, MYSQL_OPT_SSL_KEY, key) != 0) ||
	    mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &on) != 0 ||
	    mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify) != 0)
		return log_errx("db: cannot set the TLS options");
	if (!verify)
		log_warnx("db: [database] ssl_verify is off: the server's "
		    "certificate is not checked");
	return 0;
}

/* A handle with every option set, not yet connected; NULL on failure. */
static MYSQL *
db_handle(const struct conf *c, bool tcp)
{
	unsigned int	 timeout = 3, rwtimeout = 30;
	my_bool		 off = 0;
	char		 init[sizeof(INIT_COMMAND) + 32];
	MYSQL		*m;

	if ((m = mysql_init(NULL)) == NULL) {
		log_errx("db: mysql_init: out of memory");
		return NULL;
	}
	if (c->db.sync_wait > 0)
		snprintf(init, sizeof(init), "%s, wsrep_sync_wait = %u",
		    INIT_COMMAND, c->db.sync_wait);
	else
		snprintf(init, sizeof(init), "%s", INIT_COMMAND);
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rwtimeout);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rwtimeout);
	mysql_options(m, MYSQL_OPT_RECONNECT, &off);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(m, MYSQL_INIT_COMMAND, init);	/* the connector copies it */
	if (tcp && db_tls_options(m, c) == -1) {
		mysql_close(m);
		return NULL;
	}
	return m;
}

/*
 * Whether a node of several takes statements.  A Galera node outside
 * the Primary component accepts the connection (and the init command's
 * SET) but refuses every statement with ERROR 1047 until it rejoins: a
 * connection to it would fail every request it served.
 */
static bool
db_node_ready(MYSQL *m, const struct dbnode *n)
{
	MYSQL_RES	*res;

	if (mysql_query(m, "SELECT 1") != 0) {
		log_warnx("db: %s:%u %s: %s; trying the next server", n->host,
		    n->port, mysql_errno(m) == ER_UNKNOWN_COM_ERROR ?
		    "is not in its cluster's Primary component" :
		    "does not answer", mysql_error(m));
		return false;
	}
	if ((res = mysql_store_result(m)) != NULL)
		mysql_free_result(res);
	return true;
}

static MYSQL *
db_connect_socket(const struct conf *c, unsigned long flags)
{
	MYSQL	*m;

	if ((m = db_handle(c, false)) == NULL)
		return NULL;
	if (mysql_real_connect(m, NULL, c->db.user, c->db.password,
	    c->db.name, 0, c->db.socket, flags) == NULL) {
		log_warnx("db: connect to %s: %s", c->db.socket, mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	log_debug("db: connected to %s", c->db.socket);
	return m;
}

struct st_mysql *
db_connect_raw(const struct conf *c, unsigned long flags, unsigned *node)
{
	struct dbnode	 nodes[DBNODES_MAX];
	char		 err[256];
	unsigned	 first, k, i;
	int		 n;
	MYSQL		*m;

	if (node != NULL)
		*node = 0;
	if (c->db.socket != NULL && c->db.socket[0] != '\0')
		return db_connect_socket(c, flags);
	/* conf_check refused a bad list; this is for a config made in code. */
	if ((n = dbnodes_parse(c->db.host, c->db.port, nodes, DBNODES_MAX,
	    err, sizeof(err))) == -1) {
		log_errx("db: %s", err);
		return NULL;
	}
	first = atomic_load(&node_next) % (unsigned)n;
	for (k = 0; k < (unsigned)n; k++) {
		i = (first + k) % (unsigned)n;
		if ((m = db_handle(c, true)) == NULL)
			return NULL;
		if (mysql_real_connect(m, nodes[i].host, c->db.user,
		    c->db.password, c->db.name, nodes[i].port, NULL,
		    flags) == NULL) {
			log_warnx("db: connect to %s:%u: %s", nodes[i].host,
			    nodes[i].port, mysql_error(m));
			mysql_close(m);
			continue;
		}
		if (n > 1 && !db_node_ready(m, &nodes[i])) {
			mysql_close(m);
			continue;
		}
		atomic_store(&node_next, i);
		if (node != NULL)
			*node = i;
		if (k > 0)
			log_info("db: connected to %s:%u, server %u of %d in "
			    "[database] host", nodes[i].host, nodes[i].port,
			    i + 1, n);
		else
			log_debug("db: connected to %s:%u", nodes[i].host,
			    nodes[i].port);
		return m;
	}
	return NULL;
}

/*
 * Only the first to report a node lost moves on from it: the second
 * connection of a process lost with the same node (the delivery thread's
 * and the jobs' in resilops-sched, both on the node that went away) must
 * not move the process past the node the first one found next.
 */
void
db_node_lost(unsigned node)
{
	unsigned	 was = node;

	atomic_compare_exchange_strong(&node_next, &was, node + 1);
}
