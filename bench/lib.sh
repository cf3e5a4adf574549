# bench/lib.sh: what the benchmark scripts share (sourced by run.sh,
# load.sh and sched.sh): a clean environment, their private stack, SQL
# on it and a logged-in account.  The script sets TOP (the tree), STATE
# (the stack's state directory), PORT and WORKERS (and may set
# FCGI_THREADS, [http] threads: 1 unless set), and BASE for bench_login.

# Like tests/stack.sh: the environment's client settings must not leak in.
CLEAN_ENV=(env -u MYSQL_USER -u MYSQL_PASSWORD -u MYSQL_HOST -u MYSQL_PORT
	-u MYSQL_PWD -u MYSQL_UNIX_PORT -u MYSQL_TCP_PORT -u JWT_SECRET_KEY
	-u RESILOPS_CONFIG)

# tests/stack.sh STATE VERB: nginx on PORT, WORKERS workers of
# FCGI_THREADS threads, no daemon.
stack() {
	RESILOPS_PORT=$PORT RESILOPS_SCHED=0 RESILOPS_WORKERS=$WORKERS \
	    RESILOPS_CONF_EXTRA="auth.open_signup=false http.threads=${FCGI_THREADS:-1}" \
	    RESILOPS_BUILD=$TOP \
	    "$TOP/tests/stack.sh" "$STATE" "$@"
}

# SQL as the database superuser over the stack's socket.
sql() {
	"${CLEAN_ENV[@]}" mariadb --no-defaults --socket="$STATE/run/mysqld.sock" \
	    -u "$(id -un)" -N -B resilops "$@"
}

# bench_login NAME ROLE: a new account (resilops-admin user add), logged
# in through POST /api/auth/login; prints its bearer token.  The
# password goes on stdin, never on a command line.
bench_login() {
	local pw
	pw=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
	printf '%s\n' "$pw" | "${CLEAN_ENV[@]}" "$TOP/resilops-admin" \
	    -c "$STATE/resilops.conf" user add "$1" "$2" >/dev/null || {
		echo "resilops-admin user add failed" >&2
		return 1
	}
	printf '{"username":"%s","password":"%s"}' "$1" "$pw" |
	    curl -sS --max-time 10 -H 'Content-Type: application/json' \
	    --data-binary @- "$BASE/api/auth/login" |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
