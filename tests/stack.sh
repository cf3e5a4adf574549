#!/usr/bin/env bash
# The resilops stack under one state directory: a private MariaDB (unix
# socket only), the config, the schema, the FastCGI pool (spawn-fcgi, unix
# socket 0660), resilops-sched and nginx on 127.0.0.1; or, with
# RESILOPS_WEB=apache, Apache on 127.0.0.1 running the shipped example
# (conf/apache.conf.example.in), whose mod_fcgid starts resilops.fcgi
# itself.  Everything runs as the invoking user (Apache refuses to run
# as root: as root, it runs in a user namespace where root's files are
# its own but it holds no privilege).  dev.sh sources this file for its functions; the
# integration tests run it as a command:
#
#	tests/stack.sh STATE start|stop|reload|status|db-stop|db-kill|fcgi-stop|fcgi-start|db-start|fcgi-pids|pids|tools
#	tests/stack.sh STATE web-stop|web-start|sched-stop|sched-start|sched-kill
#
# Settings (read at the first start of a state dir, then kept in
# STATE/stack.env; set them again to change them):
#	RESILOPS_PORT		the web server's port on 127.0.0.1 (8080)
#	RESILOPS_WEB		nginx (the default) or apache (mod_fcgid)
#	RESILOPS_WORKERS	FastCGI workers (4)
#	RESILOPS_SCHED		1 to run resilops-sched -f, 0 not to (1)
#	RESILOPS_CONF_EXTRA	more section.key=value for resilops-admin init
#				(dev.sh up: auth.open_signup=true; the test
#				stack: auth.open_signup=false, so the role
#				policy is what the tests see)
#	RESILOPS_DB_TLS_PORT	also let MariaDB listen on 127.0.0.1:PORT with TLS
#				(a CA and server certificate made in STATE/tls;
#				the test stack uses it for the TLS tests); empty:
#				unix socket only (the default)
#	RESILOPS_DB_TMPFS	SIZE (e.g. 256m): MariaDB's data directory on a
#				tmpfs of that size, seen only by mariadbd (its
#				own mount namespace), so that a test can fill it
#				(test_diskfull.py); the data lives as long as
#				that mariadbd does.  Empty: on disk (the default)
#	RESILOPS_BUILD		where the programs are (the repo top)
#	RESILOPS_FCGI_WRAP	words before resilops.fcgi in the nginx pool's
#				command (./dev.sh valgrind: valgrind and its
#				options); empty: none (the default)
#	RESILOPS_DB_EXTERNAL	the unix socket of a MariaDB server this stack
#				does not run (a web host of tests/cluster/
#				cluster.sh: Galera node 1's): start makes the
#				database and its account through it when they
#				are missing (an existing account keeps its
#				password: other hosts use it), links
#				STATE/run/mysqld.sock to it (client.py's sql()),
#				and starts no MariaDB; db-start, db-stop and
#				db-kill refuse.  Empty: a private MariaDB (the
#				default)
#	RESILOPS_DB_HOSTS	with RESILOPS_DB_EXTERNAL: the config's [database]
#				host, over TCP: "HOST:PORT" (written as host and
#				port) or a list of them, comma-separated, in the
#				order this host tries them

STACK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# mariadbd, mariadb-install-db and nginx live in /usr/sbin on Debian,
# which is not on an ordinary user's PATH.
case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH=$PATH:/usr/sbin:/sbin ;;
esac
STACK_TOOLS=(mariadbd mariadb-install-db mariadb mariadb-admin nginx spawn-fcgi curl)

# Where each program the stack runs was found; fails naming the missing.
stack_tools() {
	local t missing=()
	for t in "${STACK_TOOLS[@]}"; do
		if command -v "$t" >/dev/null 2>&1; then
			printf '%s %s\n' "$t" "$(command -v "$t")"
		else
			missing+=("$t")
		fi
	done
	((${#missing[@]} == 0)) || { stack_die "not found: ${missing[*]}"; return 1; }
}

# The seeds' environment overrides would win over our config: keep them,
# and client defaults, away from every program we start.
STACK_ENV=(env -u MYSQL_USER -u MYSQL_PASSWORD -u MYSQL_HOST -u MYSQL_PORT
	-u MYSQL_PWD -u MYSQL_UNIX_PORT -u MYSQL_TCP_PORT -u JWT_SECRET_KEY
	-u RESILOPS_CONFIG)

stack_say() { printf '%s\n' "$*"; }
stack_warn() { printf 'stack: %s\n' "$*" >&2; }
stack_die() { printf 'stack: %s\n' "$*" >&2; return 1; }

# N random bytes in hex, one line (coreutils only: openssl may be absent).
stack_rand_hex() {
	printf '%s\n' "$(od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n')"
}

# stack_init STATE: set the paths for one state directory (made absolute).
stack_init() {
	local dir=$1
	[[ $dir == /* ]] || dir=$PWD/$dir
	[[ -d $dir ]] && dir=$(cd "$dir" && pwd -P)
	STATE=${dir%/}
	RUN=$STATE/run
	LOG=$STATE/log
	CONF=$STATE/resilops.conf
	DB_SOCK=$RUN/mysqld.sock
	FCGI_SOCK=$RUN/resilops.sock
	BUILD=${RESILOPS_BUILD:-$STACK_TOP}
	# sun_path holds 108 bytes.
	if ((${#FCGI_SOCK} > 100 || ${#DB_SOCK} > 100)); then
		stack_die "state dir path too long for a unix socket: $STATE"
		return 1
	fi
}

# Read the kept settings, let the environment override them, keep them.
stack_settings() {
	local saved_port="" saved_workers="" saved_sched="" saved_extra=""
	local saved_tls="" saved_web="" saved_wrap="" saved_tmpfs=""
	local saved_ext="" saved_hosts=""
	if [[ -f $STATE/stack.env ]]; then
		# shellcheck disable=SC1091
		source "$STATE/stack.env"
		saved_port=${STACK_PORT:-}
		saved_workers=${STACK_WORKERS:-}
		saved_sched=${STACK_SCHED:-}
		saved_extra=${STACK_CONF_EXTRA:-}
		saved_tls=${STACK_DB_TLS_PORT:-}
		saved_web=${STACK_WEB:-}
		saved_wrap=${STACK_FCGI_WRAP:-}
		saved_tmpfs=${STACK_DB_TMPFS:-}
		saved_ext=${STACK_DB_EXTERNAL:-}
		saved_hosts=${STACK_DB_HOSTS:-}
	fi
	STACK_PORT=${RESILOPS_PORT:-${saved_port:-8080}}
	STACK_WORKERS=${RESILOPS_WORKERS:-${saved_workers:-4}}
	STACK_SCHED=${RESILOPS_SCHED:-${saved_sched:-1}}
	STACK_CONF_EXTRA=${RESILOPS_CONF_EXTRA:-$saved_extra}
	STACK_DB_TLS_PORT=${RESILOPS_DB_TLS_PORT:-$saved_tls}
	STACK_WEB=${RESILOPS_WEB:-${saved_web:-nginx}}
	STACK_FCGI_WRAP=${RESILOPS_FCGI_WRAP-$saved_wrap}
	STACK_DB_TMPFS=${RESILOPS_DB_TMPFS:-$saved_tmpfs}
	STACK_DB_EXTERNAL=${RESILOPS_DB_EXTERNAL:-$saved_ext}
	STACK_DB_HOSTS=${RESILOPS_DB_HOSTS:-$saved_hosts}
	[[ $STACK_WEB == nginx || $STACK_WEB == apache ]] ||
	    { stack_die "bad web server: $STACK_WEB (nginx or apache)"; return 1; }
	[[ -z $STACK_DB_TLS_PORT || $STACK_DB_TLS_PORT =~ ^[0-9]+$ ]] ||
	    { stack_die "bad MariaDB TLS port: $STACK_DB_TLS_PORT"; return 1; }
	[[ -z $STACK_DB_TMPFS || $STACK_DB_TMPFS =~ ^[1-9][0-9]*[kmg]$ ]] ||
	    { stack_die "bad tmpfs size: $STACK_DB_TMPFS (e.g. 256m)"; return 1; }
	[[ $STACK_PORT =~ ^[0-9]+$ ]] || { stack_die "bad port: $STACK_PORT"; return 1; }
	[[ $STACK_WORKERS =~ ^[1-9][0-9]*$ ]] || { stack_die "bad worker count: $STACK_WORKERS"; return 1; }
	if [[ -n $STACK_DB_EXTERNAL ]]; then
		[[ $STACK_DB_EXTERNAL == /* && -n $STACK_DB_HOSTS ]] ||
		    { stack_die "RESILOPS_DB_EXTERNAL needs an absolute socket path and RESILOPS_DB_HOSTS"; return 1; }
		[[ -z $STACK_DB_TLS_PORT && -z $STACK_DB_TMPFS ]] ||
		    { stack_die "RESILOPS_DB_TLS_PORT and RESILOPS_DB_TMPFS are the private MariaDB's: not with RESILOPS_DB_EXTERNAL"; return 1; }
	fi
	{
		printf 'STACK_PORT=%q\n' "$STACK_PORT"
		printf 'STACK_WORKERS=%q\n' "$STACK_WORKERS"
		printf 'STACK_SCHED=%q\n' "$STACK_SCHED"
		printf 'STACK_CONF_EXTRA=%q\n' "$STACK_CONF_EXTRA"
		printf 'STACK_DB_TLS_PORT=%q\n' "$STACK_DB_TLS_PORT"
		printf 'STACK_WEB=%q\n' "$STACK_WEB"
		printf 'STACK_FCGI_WRAP=%q\n' "$STACK_FCGI_WRAP"
		printf 'STACK_DB_TMPFS=%q\n' "$STACK_DB_TMPFS"
		# Only when set: a stack of its own keeps the file it always had.
		if [[ -n $STACK_DB_EXTERNAL ]]; then
			printf 'STACK_DB_EXTERNAL=%q\n' "$STACK_DB_EXTERNAL"
			printf 'STACK_DB_HOSTS=%q\n' "$STACK_DB_HOSTS"
		fi
	} >"$STATE/stack.env"
}

stack_dirs() {
	(umask 077 && mkdir -p "$STATE" "$RUN" "$LOG" "$STATE/nginx" \
	    "$STATE/apache/fcgid") &&
	    chmod 700 "$STATE"
}

# Alive and not a zombie (an orphan waits for init to reap it, and init
# may be slow about it: kill -0 alone would see it as running).
stack_alive() {
	local stat
	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != [ZX] ]]
}

# stack_pid PIDFILE WORD: the pid in PIDFILE if that process is alive and
# is ours (its command line names WORD and this state dir: a stale pidfile
# whose pid was reused by something else does not count).
stack_pid() {
	local f=$1 word=$2 pid cmd
	[[ -r $f ]] || return 1
	{ read -r pid <"$f" || [[ -n $pid ]]; } 2>/dev/null || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	stack_alive "$pid" || return 1
	cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
	[[ $cmd == *"$word"* && $cmd == *"$STATE"* ]] || return 1
	printf '%s\n' "$pid"
}

# stack_wait TRIES WHAT COMMAND...: run COMMAND every 0.1 s until it
# succeeds, at most TRIES times.
stack_wait() {
	local tries=$1 what=$2 i
	shift 2
	for ((i = 0; i < tries; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	stack_die "timed out waiting for $what"
}

# stack_kill NAME PID SIGNAL TRIES: signal PID and wait until it is gone;
# SIGKILL (with a warning) if it outlives TRIES tenths of a second.
stack_kill() {
	local name=$1 pid=$2 sig=$3 tries=$4 i
	kill -"$sig" "$pid" 2>/dev/null || return 0
	for ((i = 0; i < tries; i++)); do
		stack_alive "$pid" || return 0
		sleep 0.1
	done
	stack_warn "$name (pid $pid) did not stop on SIG$sig, killing it"
	kill -KILL "$pid" 2>/dev/null || true
}

stack_log_tail() {
	local f
	for f in "$@"; do
		[[ -s $f ]] || continue
		printf -- '--- last lines of %s ---\n' "$f" >&2
		tail -n 20 "$f" >&2
	done
}

# ---------------------------------------------------------------- MariaDB

stack_db_alive() {
	"${STACK_ENV[@]}" mariadb-admin --no-defaults --socket="$DB_SOCK" \
	    -u "$(id -un)" --connect-timeout=2 ping >/dev/null 2>&1
}

# A private CA and a server certificate for 127.0.0.1/localhost, made
# once (openssl).  Only for RESILOPS_DB_TLS_PORT.
stack_db_certs() {
	local d=$STATE/tls
	[[ -s $d/server-key.pem ]] && return 0
	(umask 077 && mkdir -p "$d") || return 1
	{
		openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
		    -subj "/CN=resilops test CA" -keyout "$d/ca-key.pem" \
		    -out "$d/ca.pem" &&
		openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
		    -keyout "$d/server-key.pem" -out "$d/server.csr" &&
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/san.ext" &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" \
		    -CAkey "$d/ca-key.pem" -CAcreateserial -days 3650 \
		    -extfile "$d/san.ext" -out "$d/server.pem"
	} >>"$LOG/tls.log" 2>&1 || {
		stack_log_tail "$LOG/tls.log"
		stack_die "could not make the TLS certificates (log: $LOG/tls.log)"
		return 1
	}
}

# RESILOPS_DB_TMPFS: this script's db-start again, in a mount namespace
# of its own where a new tmpfs is mounted on STATE/mysql: mariadbd, left
# running there, is the only process that sees the tmpfs (others reach
# its files as /proc/PID/root/...), and it is gone when mariadbd exits.
# As root a mount namespace; otherwise in a user namespace too, which
# maps the invoking user to itself (unix_socket logins see the same
# name) and keeps the capabilities that mount needs.
stack_db_start_tmpfs() {
	local ns=(unshare -m)
	[[ $(id -u) == 0 ]] || ns=(unshare -U -m --map-current-user --keep-caps)
	mkdir -p "$STATE/mysql" || return 1
	STACK_STARTED+=(db)
	"${STACK_ENV[@]}" "${ns[@]}" sh -c 'mount -t tmpfs -o "size=$1,mode=0700" \
	    resilops-db "$2" && shift 2 && exec "$@"' sh "$STACK_DB_TMPFS" \
	    "$STATE/mysql" env STACK_DB_IN_NS=1 bash "$STACK_TOP/tests/stack.sh" \
	    "$STATE" db-start </dev/null || {
		stack_log_tail "$LOG/mariadb.log"
		stack_die "MariaDB on a tmpfs did not start (${ns[*]})"
		return 1
	}
}

# stack_procs PROGRAM WORD...: the pids of every live process whose
# program is PROGRAM (its path, or a name its path ends in) and whose
# arguments include each WORD, whatever pidfiles say.
# Builtins only (no process per process looked at): a test calls it
# while clients write, and each moment it takes is more of their writes.
stack_procs() {
	local prog=$1 d stat w argv=()
	shift
	for d in /proc/[0-9]*; do
		mapfile -d '' -t argv 2>/dev/null <"$d/cmdline" || continue
		[[ ${argv[0]:-} == "$prog" || ${argv[0]:-} == */"$prog" ]] ||
		    continue
		for w; do
			[[ " ${argv[*]:1} " == *" $w "* ]] || continue 2
		done
		{ read -r stat <"$d/stat"; } 2>/dev/null || continue
		stat=${stat##*) }
		[[ ${stat%% *} == [ZX] ]] || printf '%s\n' "${d#/proc/}"
	done
	return 0
}

# The pids of every live mariadbd whose data directory is this state's:
# a server shutting down has removed its pidfile and still holds the
# data directory, and one whose pidfile is not written yet already does.
stack_db_pids() { stack_procs mariadbd "--datadir=$STATE/mysql"; }

stack_db_start() {
	local pid net=(--skip-networking)
	[[ -z ${STACK_DB_EXTERNAL:-} ]] || { stack_db_external; return; }
	if pid=$(stack_pid "$RUN/mysqld.pid" mariadbd); then
		stack_wait 600 "MariaDB (pid $pid) to answer" stack_db_alive
		return
	fi
	# One without a pidfile: answering, it is the server; else it is
	# starting or going, and a second server on the same files would
	# remove the first one's socket and fail on its locks.
	pid=$(stack_db_pids)
	if [[ -n $pid ]]; then
		stack_db_alive && return 0
		stack_warn "MariaDB (pid ${pid//$'\n'/ }) has no pidfile and does not answer; waiting for it to exit"
		stack_wait 600 "MariaDB (pid ${pid//$'\n'/ }) to exit" stack_db_gone
	fi
	if [[ -n ${STACK_DB_TMPFS:-} && -z ${STACK_DB_IN_NS:-} ]]; then
		stack_db_start_tmpfs
		return
	fi
	if [[ ! -d $STATE/mysql/mysql ]]; then
		stack_say "Initialising MariaDB in $STATE/mysql"
		# A new tmpfs is empty, and its mount point cannot go.
		[[ -n ${STACK_DB_IN_NS:-} ]] || rm -rf "$STATE/mysql"
		"${STACK_ENV[@]}" mariadb-install-db --no-defaults --datadir="$STATE/mysql" \
		    --user="$(id -un)" --auth-root-authentication-method=socket \
		    --skip-test-db >>"$LOG/mariadb-install.log" 2>&1 || {
			stack_log_tail "$LOG/mariadb-install.log"
			stack_die "mariadb-install-db failed (log: $LOG/mariadb-install.log)"
			return 1
		}
	fi
	if [[ -n ${STACK_DB_TLS_PORT:-} ]]; then
		stack_db_certs || return 1
		# 127.0.0.2 too: an address the certificate does not name.
		net=(--bind-address=127.0.0.1,127.0.0.2 --port="$STACK_DB_TLS_PORT"
		    --ssl-ca="$STATE/tls/ca.pem" --ssl-cert="$STATE/tls/server.pem"
		    --ssl-key="$STATE/tls/server-key.pem")
	fi
	rm -f "$DB_SOCK"
	STACK_STARTED+=(db)
	setsid "${STACK_ENV[@]}" mariadbd --no-defaults --datadir="$STATE/mysql" \
	    --socket="$DB_SOCK" "${net[@]}" --pid-file="$RUN/mysqld.pid" \
	    --log-error="$LOG/mariadb.log" --user="$(id -un)" \
	    --innodb-buffer-pool-size=256M </dev/null >>"$LOG/mariadb.log" 2>&1 &
	pid=$!
	stack_db_wait "$pid" || {
		stack_log_tail "$LOG/mariadb.log"
		stack_die "MariaDB did not start (log: $LOG/mariadb.log)"
		return 1
	}
}

# Wait for the server to answer; give up at once if it died.
stack_db_wait() {
	local pid=$1 i
	for ((i = 0; i < 600; i++)); do
		stack_db_alive && return 0
		stack_alive "$pid" || return 1
		sleep 0.1
	done
	return 1
}

stack_db_gone() {
	[[ -z $(stack_db_pids) ]]
}

# RESILOPS_DB_EXTERNAL: nothing to start; wait until the server answers
# there (a cluster node may still be joining), and make STATE/run/
# mysqld.sock lead to it, for the bootstrap below and client.py.
stack_db_external() {
	[[ -L $DB_SOCK || ! -e $DB_SOCK ]] ||
	    { stack_die "$DB_SOCK exists and is not a link: a private MariaDB's?"; return 1; }
	ln -sfn "$STACK_DB_EXTERNAL" "$DB_SOCK" || return 1
	stack_wait 600 "the external MariaDB at $STACK_DB_EXTERNAL" stack_db_alive
}

# Every server on this state's data directory, the pidfile's or not;
# returns once none is left (a SIGKILL that stack_kill falls back on
# is only sent, so this waits for it to be done too).
stack_db_stop() {
	local pid
	[[ -z ${STACK_DB_EXTERNAL:-} ]] || return 0	# not ours to stop
	for pid in $(stack_db_pids); do
		# SIGTERM is mariadbd's clean shutdown.
		stack_kill mariadb "$pid" TERM 600
	done
	stack_wait 600 "MariaDB to exit" stack_db_gone
}

# A crash: SIGKILL, no clean shutdown (db-start then recovers it).
stack_db_kill() {
	local pid
	for pid in $(stack_db_pids); do
		stack_kill mariadb "$pid" KILL 600
	done
	stack_wait 600 "MariaDB to exit" stack_db_gone
}

# The database and its account; the password is kept in STATE/db-password
# and also written into the config.  Idempotent: runs at every start.
stack_db_bootstrap() {
	local pw
	if [[ ! -s $STATE/db-password ]]; then
		(umask 077 && stack_rand_hex 16 >"$STATE/db-password")
	fi
	read -r pw <"$STATE/db-password"
	[[ -z ${STACK_DB_EXTERNAL:-} ]] || { stack_db_bootstrap_external "$pw"; return; }
	# As the invoking OS user: install-db made it a unix_socket account.
	"${STACK_ENV[@]}" mariadb --no-defaults --socket="$DB_SOCK" -u "$(id -un)" <<-EOF
	CREATE DATABASE IF NOT EXISTS resilops
	    CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	CREATE USER IF NOT EXISTS 'resilops'@'localhost' IDENTIFIED BY '$pw';
	ALTER USER 'resilops'@'localhost' IDENTIFIED BY '$pw';
	GRANT ALL PRIVILEGES ON resilops.* TO 'resilops'@'localhost';
	EOF
}

# The same in a server others use too: made only when missing, and an
# existing account keeps its password (the other hosts' configs hold
# it; a host that was given another one fails at migrate, saying so).
# The pool connects over TCP from 127.0.0.1: an account for that too.
stack_db_bootstrap_external() {
	local pw=$1
	"${STACK_ENV[@]}" mariadb --no-defaults --socket="$DB_SOCK" -u "$(id -un)" <<-EOF
	CREATE DATABASE IF NOT EXISTS resilops
	    CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	CREATE USER IF NOT EXISTS 'resilops'@'localhost' IDENTIFIED BY '$pw';
	CREATE USER IF NOT EXISTS 'resilops'@'127.0.0.1' IDENTIFIED BY '$pw';
	GRANT ALL PRIVILEGES ON resilops.* TO 'resilops'@'localhost';
	GRANT ALL PRIVILEGES ON resilops.* TO 'resilops'@'127.0.0.1';
	EOF
}

# ----------------------------------------------------------- config, schema

# The config's way to the database: the private server's socket; or,
# external, RESILOPS_DB_HOSTS over TCP (one HOST:PORT as host and port,
# a list as it is).
stack_db_target() {
	local h=${STACK_DB_HOSTS:-} one='^([^]:,[ ]+|\[[0-9A-Fa-f:.]+\]):([0-9]+)$'
	if [[ -z ${STACK_DB_EXTERNAL:-} ]]; then
		printf '%s\n' database.socket="$DB_SOCK"
	elif [[ $h =~ $one ]]; then
		h=${BASH_REMATCH[1]#[}
		printf '%s\n' database.socket= database.host="${h%]}" \
		    database.port="${BASH_REMATCH[2]}"
	else
		printf '%s\n' database.socket= database.host="$h"
	fi
}

stack_config() {
	local pw extra=() web=() target=()
	# mod_fcgid starts each process on its own: they share /metrics and
	# the token cache through files (the pool's workers share their
	# supervisor's blocks).
	[[ $STACK_WEB == apache ]] &&
	    web=(metrics.shared_file="$RUN/metrics" auth.cache_file="$RUN/auth-cache")
	if [[ ! -f $CONF ]]; then
		read -r pw <"$STATE/db-password"
		# shellcheck disable=SC2206
		[[ -n $STACK_CONF_EXTRA ]] && extra=($STACK_CONF_EXTRA)
		mapfile -t target < <(stack_db_target)
		stack_say "Writing $CONF"
		(umask 077 && "${STACK_ENV[@]}" "$BUILD/resilops-admin" init "$CONF" \
		    "${target[@]}" database.user=resilops \
		    database.password="$pw" database.name=resilops \
		    'http.cors_origins=*' log.level=info \
		    pages.static_dir="$STATE/static" \
		    "${web[@]}" "${extra[@]}") || {
			rm -f "$CONF"
			stack_die "resilops-admin init failed"
			return 1
		}
		chmod 600 "$CONF"
	fi
	"${STACK_ENV[@]}" "$BUILD/resilops-admin" -c "$CONF" migrate </dev/null ||
	    { stack_die "resilops-admin migrate failed"; return 1; }
}

# ------------------------------------------------------------ FastCGI pool

# The identity of a built program, to notice a rebuild under a running copy.
stack_stamp() {
	stat -c '%Y %s' "$1" 2>/dev/null || true
}

stack_fcgi_start() {
	local pid stamp
	[[ $STACK_WEB == apache ]] && { stack_modfcgid_start; return; }
	stamp=$(stack_stamp "$BUILD/resilops.fcgi")
	if pid=$(stack_pid "$RUN/fcgi.pid" resilops.fcgi); then
		if [[ ! -S $FCGI_SOCK ]]; then
			stack_warn "the FastCGI pool (pid $pid) has lost its socket: restarting it"
		elif [[ $(cat "$RUN/fcgi.stamp" 2>/dev/null) != "$stamp" ]]; then
			stack_say "resilops.fcgi was rebuilt: restarting the pool"
		else
			return 0
		fi
		stack_fcgi_stop
	fi
	rm -f "$FCGI_SOCK"
	printf '%s\n' "$stamp" >"$RUN/fcgi.stamp"
	STACK_STARTED+=(fcgi)
	# spawn-fcgi -n: it makes the socket (fd 0, mode 0660) and execs the
	# pool in this process, so $! is the pool's pid and stderr is our log.
	local wrap=()
	read -ra wrap <<<"$STACK_FCGI_WRAP"
	# spawn-fcgi execs without a PATH search.
	if ((${#wrap[@]} > 0)); then
		wrap[0]=$(command -v "${wrap[0]}") ||
		    { stack_die "not found: $STACK_FCGI_WRAP"; return 1; }
	fi
	setsid "${STACK_ENV[@]}" spawn-fcgi -n -s "$FCGI_SOCK" -M 0660 -- \
	    "${wrap[@]}" "$BUILD/resilops.fcgi" -c "$CONF" -w "$STACK_WORKERS" \
	    </dev/null >>"$LOG/fcgi.log" 2>&1 &
	pid=$!
	printf '%s\n' "$pid" >"$RUN/fcgi.pid"
	local i
	for ((i = 0; i < 300; i++)); do
		if ! stack_alive "$pid"; then
			stack_log_tail "$LOG/fcgi.log"
			stack_die "the FastCGI pool exited at start (log: $LOG/fcgi.log)"
			return 1
		fi
		[[ -S $FCGI_SOCK ]] && return 0
		sleep 0.1
	done
	stack_die "timed out waiting for $FCGI_SOCK"
}

# The workers: the pool's children (the pool itself only supervises).
stack_fcgi_pids() {
	local master d stat rest state ppid cmd
	[[ ${STACK_WEB:-nginx} == apache ]] && { stack_modfcgid_pids; return; }
	master=$(stack_pid "$RUN/fcgi.pid" resilops.fcgi) || return 0
	for d in /proc/[0-9]*; do
		{ read -r stat <"$d/stat"; } 2>/dev/null || continue
		rest=${stat##*) }	# past "pid (comm) "
		read -r state ppid _ <<<"$rest"
		[[ $ppid == "$master" ]] || continue
		# A worker that exited and is not reaped yet is no worker.
		[[ $state == Z ]] && continue
		cmd=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue
		[[ $cmd == *resilops.fcgi* ]] && printf '%s\n' "${d#/proc/}"
	done
	# The loop's status is its last test's: a last process that is no
	# worker is not a failure.
	return 0
}

stack_fcgi_stop() {
	local master workers pid cmd
	[[ ${STACK_WEB:-nginx} == apache ]] && { stack_modfcgid_stop; return; }
	if master=$(stack_pid "$RUN/fcgi.pid" resilops.fcgi); then
		workers=$(stack_fcgi_pids)
		# The pool passes SIGTERM on: each worker finishes its request.
		stack_kill "FastCGI pool" "$master" TERM 300
		for pid in $workers; do
			cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
			[[ $cmd == *resilops.fcgi* ]] && stack_kill "FastCGI worker" "$pid" TERM 100
		done
	fi
	rm -f "$FCGI_SOCK" "$RUN/fcgi.pid"
}

# ------------------------------------------------------------------ sched

stack_sched_start() {
	local pid stamp
	[[ $STACK_SCHED == 1 ]] || return 0
	stamp=$(stack_stamp "$BUILD/resilops-sched")
	if stack_pid "$RUN/sched.pid" resilops-sched >/dev/null; then
		[[ $(cat "$RUN/sched.stamp" 2>/dev/null) == "$stamp" ]] && return 0
		stack_say "resilops-sched was rebuilt: restarting it"
		stack_sched_stop
	fi
	printf '%s\n' "$stamp" >"$RUN/sched.stamp"
	STACK_STARTED+=(sched)
	setsid "${STACK_ENV[@]}" "$BUILD/resilops-sched" -c "$CONF" -f \
	    </dev/null >>"$LOG/sched.log" 2>&1 &
	pid=$!
	printf '%s\n' "$pid" >"$RUN/sched.pid"
	stack_alive "$pid" || { stack_die "resilops-sched exited (log: $LOG/sched.log)"; return 1; }
}

stack_sched_stop() {
	local pid
	if pid=$(stack_pid "$RUN/sched.pid" resilops-sched); then
		stack_kill resilops-sched "$pid" TERM 300
	fi
	rm -f "$RUN/sched.pid"
}

# A crash: no clean stop, so no hand-over of the lease (the other
# daemon takes it once it expires).
stack_sched_kill() {
	local pid
	if pid=$(stack_pid "$RUN/sched.pid" resilops-sched); then
		stack_kill resilops-sched "$pid" KILL 300
	fi
	rm -f "$RUN/sched.pid"
}

# ------------------------------------------------------------------ nginx

stack_nginx() {
	"${STACK_ENV[@]}" nginx -p "$STATE/nginx" -c "$STATE/nginx.conf" \
	    -e "$LOG/nginx-error.log" "$@"
}

# Swagger UI's assets (/api/docs/): npm's swagger-ui-dist, which `npm ci`
# installs into node_modules (dev.sh does, never committed).
STACK_SWAGGER_UI=$STACK_TOP/node_modules/swagger-ui-dist

stack_nginx_conf() {
	local user
	user="# not root: the workers run as $(id -un), the owner of the FastCGI socket"
	# The socket is 0660 and owned by the invoking user: as root, the
	# workers must stay root to reach it (nginx would drop to nobody).
	[[ $(id -u) == 0 ]] && user="user root root;"
	[[ -f $STACK_SWAGGER_UI/swagger-ui-bundle.js ]] ||
	    stack_warn "no Swagger UI in $STACK_SWAGGER_UI: /api/ will not show (run npm ci in $STACK_TOP)"
	sed -e "s|@STATE@|$STATE|g" -e "s|@PORT@|$STACK_PORT|g" \
	    -e "s|@HTDOCS@|$STACK_TOP/htdocs|g" -e "s|@SWAGGER_UI@|$STACK_SWAGGER_UI|g" \
	    -e "s|^@USER@\$|$user|" \
	    "$STACK_TOP/conf/nginx-dev.conf.in" >"$STATE/nginx.conf.new"
	mv "$STATE/nginx.conf.new" "$STATE/nginx.conf"
}

stack_http_code() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
	    "http://127.0.0.1:$STACK_PORT$1" 2>/dev/null || true
}

stack_web_answers() {
	[[ $(stack_http_code /healthz) != 000 ]]
}

# stack_web_ready NAME LOG...: the web server answers on the port, and
# /healthz through it is 200; else the logs' last lines and a failure.
stack_web_ready() {
	local name=$1 code
	shift
	stack_wait 300 "$name on 127.0.0.1:$STACK_PORT" stack_web_answers || return 1
	code=$(stack_http_code /healthz)
	if [[ $code != 200 ]]; then
		stack_log_tail "$@"
		stack_die "/healthz answers $code, not 200"
		return 1
	fi
}

stack_nginx_start() {
	if ! stack_pid "$RUN/nginx.pid" nginx >/dev/null; then
		stack_nginx_conf
		stack_nginx -t -q || { stack_die "nginx rejects $STATE/nginx.conf"; return 1; }
		STACK_STARTED+=(nginx)
		stack_nginx || {
			stack_log_tail "$LOG/nginx-error.log"
			stack_die "nginx did not start (is 127.0.0.1:$STACK_PORT in use?)"
			return 1
		}
	fi
	stack_web_ready nginx "$LOG/fcgi.log" "$LOG/nginx-error.log"
}

stack_nginx_stop() {
	local pid
	pid=$(stack_pid "$RUN/nginx.pid" nginx) || return 0
	# SIGQUIT: finish the requests in flight, then exit.
	stack_kill nginx "$pid" QUIT 100
}


# ----------------------------------------------------- Apache + mod_fcgid

# mod_fcgid starts resilops.fcgi through this wrapper, as the shipped
# example starts it through resilops.fcgi-wrapper under suexec.  While
# STATE/run/fcgi.down exists it exits at once: the program "cannot run"
# (fcgi-stop), as with a broken install.
STACK_APACHE_WRAPPER=apache/resilops.fcgi

stack_modfcgid_start() {
	rm -f "$RUN/fcgi.down"
	{
		printf '#!/bin/sh\n'
		printf '[ -e %q ] && exit 1\n' "$RUN/fcgi.down"
		printf 'exec %q -c %q\n' "$BUILD/resilops.fcgi" "$CONF"
	} >"$STATE/$STACK_APACHE_WRAPPER.new"
	chmod 0755 "$STATE/$STACK_APACHE_WRAPPER.new"
	mv "$STATE/$STACK_APACHE_WRAPPER.new" "$STATE/$STACK_APACHE_WRAPPER"
	# A rebuilt program: let mod_fcgid start the new one.
	stack_modfcgid_kill
	return 0
}

# The processes mod_fcgid started for this stack (they name its config).
stack_modfcgid_pids() { stack_procs "$BUILD/resilops.fcgi" -c "$CONF"; }

stack_modfcgid_kill() {
	local pid
	for pid in $(stack_modfcgid_pids); do
		stack_kill "resilops.fcgi (mod_fcgid)" "$pid" TERM 100
	done
}

stack_modfcgid_stop() {
	: >"$RUN/fcgi.down"
	stack_modfcgid_kill
}

# Apache refuses to serve as root; as root it runs in a user namespace
# whose only uid is root's mapped to 1000: root's files are still its
# own (the state dir, the build tree, mode 0700 or not), but inside it
# holds no privilege and Apache sees an ordinary user.
stack_apache() {
	local ns=()
	[[ $(id -u) == 0 ]] && ns=(unshare --user --map-user=1000 --map-group=1000)
	"${STACK_ENV[@]}" "${ns[@]}" apache2 -f "$STATE/apache/apache.conf" "$@"
}

# The site is the shipped example with the stack's paths: each
# replacement must hit, so a changed example fails here, not in a test.
stack_apache_conf() {
	local in=$STACK_TOP/conf/apache.conf.example.in site=$STATE/apache/site.conf
	local pat n
	[[ -f $STACK_SWAGGER_UI/swagger-ui-bundle.js ]] ||
	    stack_warn "no Swagger UI in $STACK_SWAGGER_UI: /api/ will not show (run npm ci in $STACK_TOP)"
	for pat in '^<VirtualHost \*:80>$' '^		SuexecUserGroup ' \
	    '/var/www/resilops' '/var/lib/resilops/static' '@pkgdatadir@/htdocs' \
	    '@pkgdatadir@/swagger-ui'; do
		n=$(grep -c -- "$pat" "$in") || true
		((n > 0)) || { stack_die "$in: no line matches $pat"; return 1; }
	done
	sed -e "s|^<VirtualHost \*:80>\$|<VirtualHost 127.0.0.1:$STACK_PORT>|" \
	    -e '/^		SuexecUserGroup /d' \
	    -e "s|/var/www/resilops/resilops.fcgi|$STATE/$STACK_APACHE_WRAPPER|g" \
	    -e "s|/var/www/resilops|$STATE/apache|g" \
	    -e "s|/var/lib/resilops/static|$STATE/static|g" \
	    -e "s|@pkgdatadir@/htdocs|$STACK_TOP/htdocs|g" \
	    -e "s|@pkgdatadir@/swagger-ui|$STACK_SWAGGER_UI|g" \
	    "$in" >"$site.new" && mv "$site.new" "$site" || return 1
	sed -e "s|@STATE@|$STATE|g" -e "s|@PORT@|$STACK_PORT|g" \
	    "$STACK_TOP/conf/apache-dev.conf.in" >"$STATE/apache/apache.conf.new" &&
	    mv "$STATE/apache/apache.conf.new" "$STATE/apache/apache.conf"
}

stack_apache_start() {
	mkdir -p "$STATE/static"
	if ! stack_pid "$RUN/apache.pid" apache2 >/dev/null; then
		stack_apache_conf || return 1
		stack_apache -t >/dev/null 2>"$LOG/apache-t.log" || {
			cat "$LOG/apache-t.log" >&2
			stack_die "Apache rejects $STATE/apache/apache.conf"
			return 1
		}
		STACK_STARTED+=(apache)
		rm -f "$RUN/apache.pid"
		stack_apache -k start || {
			stack_log_tail "$LOG/apache-error.log"
			stack_die "Apache did not start (is 127.0.0.1:$STACK_PORT in use?)"
			return 1
		}
	fi
	stack_web_ready Apache "$LOG/apache-error.log" "$LOG/resilops-error.log"
}

stack_apache_stop() {
	local pid
	pid=$(stack_pid "$RUN/apache.pid" apache2) || return 0
	# SIGTERM: Apache stops its children and mod_fcgid's processes.
	stack_kill Apache "$pid" TERM 100
	stack_modfcgid_kill
}

stack_web_start() {
	if [[ $STACK_WEB == apache ]]; then
		stack_apache_start
	else
		stack_nginx_start
	fi
}

# --------------------------------------------------------------- the stack

# What this run of stack_start started (not what it found running).
STACK_STARTED=()

# A chain, not a list: callers may run it under `if` or `||`, where
# set -e does not apply.  When a step fails, what this run started is
# stopped again (in reverse order), so a failed start leaves nothing
# running that was not running before.
stack_start() {
	local i
	STACK_STARTED=()
	if stack_dirs && stack_settings && stack_db_start && stack_db_bootstrap &&
	    stack_config && stack_fcgi_start && stack_sched_start &&
	    stack_web_start; then
		return 0
	fi
	for ((i = ${#STACK_STARTED[@]} - 1; i >= 0; i--)); do
		stack_say "stopping the ${STACK_STARTED[i]} this start began"
		"stack_${STACK_STARTED[i]}_stop" || true
	done
	STACK_STARTED=()
	return 1
}

# Stop in the reverse order; never fails.
stack_stop() {
	stack_agent_stop || true
	stack_nginx_stop || true
	stack_apache_stop || true
	stack_sched_stop || true
	stack_fcgi_stop || true
	stack_db_stop || true
}

# Restart the programs that read the config at start (the FastCGI pool,
# resilops-sched), after a change to it: a new data key, say.
stack_reload() {
	stack_sched_stop || true
	stack_fcgi_stop || true
	stack_fcgi_start && stack_sched_start
}

stack_pids() {
	local pid
	pid=$(stack_pid "$RUN/nginx.pid" nginx) && printf 'nginx %s\n' "$pid"
	pid=$(stack_pid "$RUN/apache.pid" apache2) && printf 'apache %s\n' "$pid"
	pid=$(stack_pid "$RUN/fcgi.pid" resilops.fcgi) && printf 'fcgi %s\n' "$pid"
	pid=$(stack_pid "$RUN/sched.pid" resilops-sched) && printf 'sched %s\n' "$pid"
	pid=$(stack_pid "$RUN/agent.pid" stack_agent_loop) && printf 'agent %s\n' "$pid"
	pid=$(stack_pid "$RUN/mysqld.pid" mariadbd) && printf 'mariadb %s\n' "$pid"
	return 0
}

stack_status() {
	local name pid workers
	for name in nginx:nginx apache:apache2 fcgi:resilops.fcgi sched:resilops-sched mysqld:mariadbd agent:stack_agent_loop; do
		if pid=$(stack_pid "$RUN/${name%%:*}.pid" "${name#*:}"); then
			printf '  %-16s running (pid %s)\n' "${name#*:}" "$pid"
		else
			printf '  %-16s stopped\n' "${name#*:}"
		fi
	done
	workers=$(stack_fcgi_pids | wc -l)
	printf '  %-16s %s\n' workers "$workers"
	[[ -z ${STACK_DB_EXTERNAL:-} ]] ||
	    printf '  %-16s external: %s (hosts %s)\n' database "$STACK_DB_EXTERNAL" "$STACK_DB_HOSTS"
	if [[ -f $STATE/stack.env ]]; then
		stack_settings >/dev/null 2>&1 || true
		printf '  %-16s %s\n' /healthz "$(stack_http_code /healthz) on http://127.0.0.1:$STACK_PORT"
	fi
}

# ---------------------------------------------------------- demo accounts

# One account per role, made once; STATE/demo-accounts.txt (0600) keeps
# username<TAB>role<TAB>password.  Resumes where a failed run stopped.
STACK_DEMO_ACCOUNTS=(
	"admin:admin"
	"owner:Business Owner"
	"analyst:Ops Analyst"
	"engineer:Engineer"
	"manager:Manager"
	"senior:Senior Technician"
	"tech:Technician"
	"auditor:Auditor"
	"viewer:user"
)

stack_demo_accounts() {
	local file=$STATE/demo-accounts.txt entry user role pw
	if [[ ! -f $file ]]; then
		(umask 077 && printf '# resilops demo accounts: username<TAB>role<TAB>password\n' >"$file")
	fi
	chmod 600 "$file"
	for entry in "${STACK_DEMO_ACCOUNTS[@]}"; do
		user=${entry%%:*}
		role=${entry#*:}
		cut -f1 "$file" | grep -qxF -- "$user" && continue
		pw=$(stack_rand_hex 8)
		if ! printf '%s\n' "$pw" | "${STACK_ENV[@]}" "$BUILD/resilops-admin" -c "$CONF" \
		    user add "$user" "$role" >>"$LOG/admin.log" 2>&1; then
			# The account exists (its line was lost): give it a new password.
			printf '%s\n' "$pw" | "${STACK_ENV[@]}" "$BUILD/resilops-admin" -c "$CONF" \
			    user passwd "$user" >>"$LOG/admin.log" 2>&1 || {
				stack_die "could not create the demo account $user (log: $LOG/admin.log)"
				return 1
			}
		fi
		printf '%s\t%s\t%s\n' "$user" "$role" "$pw" >>"$file"
	done
}

stack_demo_print() {
	local user role pw
	while IFS=$'\t' read -r user role pw; do
		[[ $user == \#* || -z $user ]] && continue
		printf '  %-10s %-18s %s\n' "$user" "$role" "$pw"
	done <"$STATE/demo-accounts.txt"
}

# seed_demo_data: a small catalogue for `dev.sh up`, created through the
# API as the demo Business Owner, once (only while the catalogue is
# empty).  "Payments API" and "Customer Portal" keep beating (the demo
# agent below sends their heartbeats); "Email Relay" gets one heartbeat
# and no more, so a newcomer sees resilops-sched turn it Degraded, then
# Down; "Legacy CRM" was set Down by hand; "Reporting Batch" never sent
# one (Unknown).  STATE/demo-heartbeats lists the ids the agent beats.
stack_api() {	# METHOD PATH TOKEN [JSON]
	curl -s -X "$1" "http://127.0.0.1:$STACK_PORT$2" \
	    -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
	    ${4:+--data "$4"}
}

stack_demo_service() {	# TOKEN JSON -> prints the new id
	stack_api POST /api/services "$1" "$2" |
	    sed -n 's/.*"service_id":\([0-9]*\).*/\1/p'
}

seed_demo_data() {
	local pw token total pay portal relay legacy yesterday tomorrow
	pw=$(awk -F'\t' '$1 == "owner" { print $3 }' "$STATE/demo-accounts.txt")
	[[ -n $pw ]] || return 0
	token=$(curl -s -X POST "http://127.0.0.1:$STACK_PORT/api/auth/login" \
	    -H 'Content-Type: application/json' \
	    --data "{\"username\": \"owner\", \"password\": \"$pw\"}" |
	    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
	[[ -n $token ]] || { stack_warn "demo data: cannot log in as owner"; return 0; }
	total=$(curl -s -D - -o /dev/null "http://127.0.0.1:$STACK_PORT/api/services?per_page=1" \
	    -H "Authorization: Bearer $token" | tr -d '\r' |
	    sed -n 's/^X-Total-Count: //ip')
	[[ $total == 0 ]] || return 0
	pay=$(stack_demo_service "$token" '{"name": "Payments API", "description": "Card and wallet payments", "criticality": "High", "impact": "Severe", "rto": 30, "rpo": 15, "signed_off": true, "public": true}')
	portal=$(stack_demo_service "$token" "{\"name\": \"Customer Portal\", \"description\": \"Self-service web portal\", \"criticality\": \"Medium\", \"impact\": \"High\", \"rto\": 60, \"rpo\": 60, \"dependencies\": [$pay], \"public\": true}")
	relay=$(stack_demo_service "$token" '{"name": "Email Relay", "description": "Outbound mail (sends one heartbeat, then goes silent)", "criticality": "Low", "impact": "Low", "rto": 240, "rpo": 240, "public": true}')
	stack_demo_service "$token" '{"name": "Reporting Batch", "description": "Nightly reports (never sent a heartbeat)", "criticality": "Low", "impact": "Medium", "rto": 1440, "public": true}' >/dev/null
	legacy=$(stack_demo_service "$token" '{"name": "Legacy CRM", "description": "Being retired", "criticality": "Medium", "impact": "Medium", "rto": 120, "rpo": 60}')
	for id in $pay $portal $relay; do
		stack_api POST "/api/services/$id/status" "$token" '{"status": "Up"}' >/dev/null
	done
	printf '%s\n' "$pay" "$portal" >"$STATE/demo-heartbeats"
	stack_api POST "/api/services/$legacy/status" "$token" '{"status": "Down"}' >/dev/null
	yesterday=$(date -u -d yesterday +%Y-%m-%dT09:00:00Z)
	stack_api POST "/api/services/$pay/downtime" "$token" \
	    "{\"start_time\": \"$yesterday\", \"end_time\": \"${yesterday%09:00:00Z}11:05:00Z\", \"reason\": \"Database failover\"}" >/dev/null
	printf '%s\n' "$relay" >"$STATE/demo-relay"
	# Planned work the status page announces ahead of time (issue 11).
	tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
	stack_api POST /api/maintenance "$token" \
	    "{\"title\": \"Portal database upgrade\", \"message\": \"The portal is read-only while it lasts.\", \"service_ids\": [$portal], \"starts_at\": \"${tomorrow}T02:00:00Z\", \"ends_at\": \"${tomorrow}T03:00:00Z\"}" >/dev/null
	stack_say "Demo services created."
}

# ------------------------------------------------------------ demo agent

# The demo's monitoring agent: every RESILOPS_DEMO_BEAT seconds (60) a
# heartbeat (status Up) for each service in STATE/demo-heartbeats, sent
# with a `heartbeat` API key (STATE/demo-agent.key, 0600) that may write
# a service's status and nothing else: what the README's cron line does.
# A refused key (a reset database) is replaced.  It stands for the
# agents a real installation runs beside its services.
stack_agent_loop() {
	local every=$1 key="" id code
	while :; do
		[[ -n $key ]] || key=$(stack_agent_key) || key=""
		while read -r id; do
			[[ $id =~ ^[0-9]+$ && -n $key ]] || continue
			code=$(stack_agent_beat "$id" "$key")
			if [[ $code == 401 ]]; then
				rm -f "$STATE/demo-agent.key"
				key=""
				break
			fi
		done <"$STATE/demo-heartbeats"
		sleep "$every"
	done
}

# The agent's key: the one kept, or a new one made as the demo admin.
stack_agent_key() {
	local file=$STATE/demo-agent.key pw token key
	if [[ -s $file ]]; then
		cat "$file"
		return 0
	fi
	pw=$(awk -F'\t' '$1 == "admin" { print $3 }' "$STATE/demo-accounts.txt")
	token=$(curl -s -X POST "http://127.0.0.1:$STACK_PORT/api/auth/login" \
	    -H 'Content-Type: application/json' \
	    --data "{\"username\": \"admin\", \"password\": \"$pw\"}" |
	    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
	[[ -n $token ]] || return 1
	key=$(stack_api POST /api/v1/security/api-keys/create "$token" \
	    '{"key_name": "demo agent", "permissions": ["heartbeat"], "expires_in_days": 365}' |
	    sed -n 's/.*"api_key":"\(rk_[0-9A-Za-z]*\)".*/\1/p')
	[[ -n $key ]] || return 1
	(umask 077 && printf '%s\n' "$key" >"$file")
	printf '%s\n' "$key"
}

stack_agent_beat() {	# ID KEY -> prints the HTTP status
	curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST \
	    "http://127.0.0.1:$STACK_PORT/api/services/$1/status" \
	    -H "X-API-Key: $2" -H 'Content-Type: application/json' \
	    --data '{"status": "Up"}' 2>/dev/null || true
}

stack_agent_start() {
	local pid every=${RESILOPS_DEMO_BEAT:-60}
	[[ -s $STATE/demo-heartbeats ]] || return 0
	[[ $every =~ ^[1-9][0-9]*$ ]] || { stack_die "bad RESILOPS_DEMO_BEAT: $every"; return 1; }
	stack_pid "$RUN/agent.pid" stack_agent_loop >/dev/null && return 0
	setsid bash -c 'source "$1"; stack_init "$2"; stack_settings >/dev/null &&
	    stack_agent_loop "$3"' stack_agent_loop "$STACK_TOP/tests/stack.sh" \
	    "$STATE" "$every" </dev/null >>"$LOG/agent.log" 2>&1 &
	pid=$!
	printf '%s\n' "$pid" >"$RUN/agent.pid"
}

stack_agent_stop() {
	local pid
	if pid=$(stack_pid "$RUN/agent.pid" stack_agent_loop); then
		# The loop's own children (curl, sleep) go with its group.
		kill -TERM -- -"$pid" 2>/dev/null || true
		stack_kill "demo agent" "$pid" TERM 50
	fi
	rm -f "$RUN/agent.pid"
}

# ------------------------------------------------------------ as a command

stack_main() {
	set -euo pipefail
	if (($# != 2)); then
		echo "usage: tests/stack.sh STATE start|stop|reload|status|db-stop|db-kill|db-start|fcgi-stop|fcgi-start|fcgi-pids|pids|tools|web-stop|web-start|sched-stop|sched-start|sched-kill" >&2
		exit 2
	fi
	stack_init "$1"
	# Every verb but start works with the settings start kept (start
	# takes the environment's).
	if [[ $2 != start && -f $STATE/stack.env ]]; then
		# shellcheck disable=SC1091
		source "$STATE/stack.env"
	fi
	if [[ $2 == db-* && -n ${STACK_DB_EXTERNAL:-} ]]; then
		stack_die "$2: the database is not this stack's ($STACK_DB_EXTERNAL): use tests/cluster/galera.sh"
		exit 1
	fi
	case $2 in
	start) stack_start ;;
	stop) stack_stop ;;
	reload) stack_reload ;;
	fcgi-stop) stack_fcgi_stop ;;
	fcgi-start) stack_fcgi_start ;;
	status) stack_status ;;
	db-stop) stack_db_stop ;;
	db-kill) stack_db_kill ;;
	db-start) stack_db_start ;;
	fcgi-pids) stack_fcgi_pids ;;
	pids) stack_pids ;;
	# One part of a web host (tests/cluster/cluster.sh's faults).
	web-stop) stack_nginx_stop; stack_apache_stop ;;
	web-start) stack_web_start ;;
	sched-stop) stack_sched_stop ;;
	sched-start) stack_sched_start ;;
	sched-kill) stack_sched_kill ;;
	tools) stack_tools ;;
	*)
		echo "tests/stack.sh: unknown verb $2" >&2
		exit 2
		;;
	esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	stack_main "$@"
fi
