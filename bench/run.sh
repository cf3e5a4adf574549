#!/usr/bin/env bash
# The resilops benchmark, one command: bench/run.sh [api|tickets|pages|routes]
#
# api (the default): the service catalogue's routes.  tickets: the
# ticket list (first page, and a filtered page) and each analytics route
# over BENCH_TICKETS tickets (bench/seed_tickets.sql), as a Manager.
# pages: the public status page with BENCH_PUBLIC public services (their
# 90-day rollup made by one resilops-sched tick), a service's page, the
# badges and the feed, as a browser without a login asks for them.
# routes: every authenticated GET route of htdocs/openapi.json (all but
# /healthz; the rows are made from it, so a new route is measured
# without editing this), as an Admin, each {id} filled with ids of its
# kind (ID_RANGES), over the data of the three suites above and
# bench/seed_routes.sql (alerts, breaches, audit entries, notifications,
# API keys, scans, subscribers, longer histories), so that every list
# answers a full page; wrk runs 5s per row (BENCH_DURATION).
#
# Builds if needed, starts a private stack (tests/stack.sh) in a fresh
# temporary state dir, seeds BENCH_SERVICES services (bench/seed.sql),
# adds bench/hello.fcgi behind the same nginx at /hello, and measures
# every row with the same wrk settings in one run, printing requests/s,
# p99 latency, CPU per request of the FastCGI workers and of mariadbd
# (/proc/PID/stat before and after each run), statements per request
# (MariaDB's global counters), each row's CPU and rate next to the
# /api/auth/me floor's and its ratio to the hello-world rate.  After
# each row a hello-world run answering a body of the row's size
# (/hello?bytes=N) tells what moving that answer alone costs (size/me).
# Everything is torn down at the end.  See bench/README.
#
# Settings (environment):
#	BENCH_PORT	nginx port on 127.0.0.1 (18200)
#	BENCH_WORKERS	FastCGI workers, resilops and hello alike (4, as the
#			speed issue's comparison ran them)
#	BENCH_FCGI_THREADS
#			[http] threads of each resilops worker (1; hello.fcgi
#			is one thread a process whatever this says)
#	BENCH_SERVICES	services to seed (10000)
#	BENCH_DOWNTIMES	closed downtimes per service, one every 9 days back
#			(10; 100 gives the speed issue's 1,000,000 rows at
#			10,000 services, with 900 days of history)
#	BENCH_TICKETS	tickets to seed for the tickets suite (100000)
#	BENCH_PUBLIC	public services for the pages suite (200)
#	BENCH_DURATION	wrk -d per row (10s; routes: 5s, so that a round of
#			its 36 rows, each with its hello-world runs, takes
#			about 10 minutes)
#	BENCH_TIMEOUT	wrk --timeout (2s, wrk's default; routes: 30s, for
#			the rows that answer in seconds under -c32)
#	BENCH_ROUNDS	rounds over all the rows (3); each row is reported
#			from its round with the median machine CPU
#	BENCH_FLOOR_EVERY
#			measure the floor again after every N rows of a
#			round (8); it is reported from the median of its runs
#	BENCH_THREADS	wrk -t (2)
#	BENCH_CONNS	wrk -c (32)
#	BENCH_FLUSH	innodb_flush_log_at_trx_commit for the run (unset:
#			the server's, 1: a log flush per COMMIT).  For
#			diagnosis only: 2 shows what of a write's time and
#			idle CPU is its wait for the disk; resilops needs 1
#			(an answered write survives a crash)
#	BENCH_PLANS	1: then each row's statements as MariaDB planned them
#			(bench/plans.py: full scans, filesorts, temporary tables)
#	BENCH_QUIET_BUSY, BENCH_QUIET_MAX
#			before measuring, wait up to MAX s (120) for the
#			machine to be at most BUSY % (10) busy over a second
#	BENCH_KEEP	1: leave the stack running at the end (for profiling;
#			the script prints how to stop it)
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$TOP/bench
PORT=${BENCH_PORT:-18200}
WORKERS=${BENCH_WORKERS:-4}
FCGI_THREADS=${BENCH_FCGI_THREADS:-1}
N=${BENCH_SERVICES:-10000}
K=${BENCH_DOWNTIMES:-10}
FLUSH=${BENCH_FLUSH:-}
T=${BENCH_TICKETS:-100000}
P=${BENCH_PUBLIC:-200}
SUITE=${1:-api}
DEFAULT_DURATION=10s
[[ $SUITE == routes ]] && DEFAULT_DURATION=5s
DURATION=${BENCH_DURATION:-$DEFAULT_DURATION}
# wrk's own default, 2s; the routes suite's slowest row (the whole
# dependency map) answers in seconds under -c32.
DEFAULT_TIMEOUT=2s
[[ $SUITE == routes ]] && DEFAULT_TIMEOUT=30s
TIMEOUT=${BENCH_TIMEOUT:-$DEFAULT_TIMEOUT}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-32}
KEEP=${BENCH_KEEP:-0}
ROUNDS=${BENCH_ROUNDS:-3}
BASE=http://127.0.0.1:$PORT
# A read route should reach at least this share of the hello-world rate.
TARGET=0.5

# CLEAN_ENV, stack, sql and bench_login.
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

[[ $FCGI_THREADS =~ ^[1-9][0-9]?$ ]] || die "bad BENCH_FCGI_THREADS: $FCGI_THREADS"
[[ $N =~ ^[1-9][0-9]*$ ]] || die "bad BENCH_SERVICES: $N"
[[ $K =~ ^[1-9][0-9]*$ ]] || die "bad BENCH_DOWNTIMES: $K"
[[ $ROUNDS =~ ^[1-9]$ ]] || die "bad BENCH_ROUNDS: $ROUNDS (1-9)"
[[ -z $FLUSH || $FLUSH =~ ^[012]$ ]] || die "bad BENCH_FLUSH: $FLUSH (0, 1 or 2)"
[[ $T =~ ^[1-9][0-9]*$ ]] || die "bad BENCH_TICKETS: $T"
[[ $P =~ ^[1-9][0-9]*$ ]] && ((P <= N)) || die "bad BENCH_PUBLIC: $P (1..BENCH_SERVICES)"
[[ $SUITE == api || $SUITE == tickets || $SUITE == pages || $SUITE == routes ]] ||
    die "usage: bench/run.sh [api|tickets|pages|routes]"
START=$SECONDS

# ------------------------------------------------------------ prerequisites

as_root() {
	if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi
}

installed() {
	[[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

if ! installed wrk; then
	say "installing wrk"
	as_root apt-get install -y wrk >/dev/null ||
	    { as_root apt-get update >/dev/null && as_root apt-get install -y wrk >/dev/null; } ||
	    die "could not install wrk"
fi
for cmd in wrk curl spawn-fcgi nginx mariadb python3; do
	command -v "$cmd" >/dev/null || die "$cmd is missing"
done

say "building (make -j2)"
MAKELOG=$(mktemp)
make -C "$TOP" -j2 >"$MAKELOG" 2>&1 || {
	tail -n 30 "$MAKELOG" >&2
	rm -f "$MAKELOG"
	die "the build failed (make -j2 in $TOP)"
}
rm -f "$MAKELOG"
[[ -x $TOP/resilops.fcgi && -x $BENCH/hello.fcgi ]] ||
    die "resilops.fcgi or bench/hello.fcgi was not built"

# ------------------------------------------------------------------ stack

STATE=$(mktemp -d /tmp/resilops-bench.XXXXXX)
RUN=$STATE/run
HELLO_SOCK=$RUN/hello.sock
HELLO_PIDS=()

teardown() {
	local pid
	if [[ $KEEP == 1 ]]; then
		say "the stack is left running in $STATE: $BASE"
		say "stop it with: kill ${HELLO_PIDS[*]:-}; tests/stack.sh $STATE stop; rm -rf $STATE"
		return
	fi
	for pid in "${HELLO_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	stack stop >/dev/null 2>&1 || true
	rm -rf "$STATE"
}
trap teardown EXIT
# A signal ends the script through exit, so the EXIT trap still runs.
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting a stack in $STATE on port $PORT ($WORKERS workers of $FCGI_THREADS thread(s))"
stack start >"$STATE/start.log" 2>&1 || {
	cat "$STATE/start.log" >&2
	die "the stack did not start"
}

if [[ -n $FLUSH ]]; then
	sql -e "SET GLOBAL innodb_flush_log_at_trx_commit = $FLUSH" ||
	    die "cannot set innodb_flush_log_at_trx_commit"
	say "innodb_flush_log_at_trx_commit = $FLUSH for this run (diagnosis)"
fi
say "seeding $N services"
t0=$SECONDS
sed -e "s/@N@/$N/g" -e "s/@K@/$K/g" "$BENCH/seed.sql" | sql >/dev/null ||
    die "seeding failed (bench/seed.sql)"
say "seeded in $((SECONDS - t0)) s: $(sql -e "SELECT CONCAT(
    (SELECT COUNT(*) FROM services), ' services, ',
    (SELECT COUNT(*) FROM service_dependencies), ' dependencies, ',
    (SELECT COUNT(*) FROM downtimes), ' downtimes (',
    (SELECT COUNT(*) FROM downtimes WHERE end_time IS NULL), ' open), ',
    (SELECT COUNT(*) FROM risks), ' risks, ',
    (SELECT COUNT(*) FROM integrations), ' integrations')")"
# Written in SQL behind every writer's back: the analytics' kept
# aggregates (sql/024) made again, as an operator repairs them.
retally() {
	"${CLEAN_ENV[@]}" "$TOP/resilops-admin" -c "$STATE/resilops.conf" \
	    tickets retally || die "resilops-admin tickets retally failed"
}
# Likewise the totals of the alert, breach and integration lists (sql/029).
recount() {
	"${CLEAN_ENV[@]}" "$TOP/resilops-admin" -c "$STATE/resilops.conf" \
	    recount >/dev/null || die "resilops-admin recount failed"
}
recount
if [[ $SUITE == tickets || $SUITE == routes ]]; then
	t0=$SECONDS
	sed -e "s/@T@/$T/g" -e "s/@N@/$N/g" "$BENCH/seed_tickets.sql" | sql >/dev/null ||
	    die "seeding failed (bench/seed_tickets.sql)"
	# The routes suite's seed gives the Admin some of them first.
	[[ $SUITE == routes ]] || retally
	say "seeded in $((SECONDS - t0)) s: $(sql -e "SELECT CONCAT(
	    (SELECT COUNT(*) FROM tickets), ' tickets (',
	    (SELECT COUNT(*) FROM tickets WHERE status = 'RESOLVED'), ' resolved, ',
	    (SELECT COUNT(*) FROM tickets WHERE breach_at <= UTC_TIMESTAMP()),
	    ' breached)')")"
fi

if [[ $SUITE == pages || $SUITE == routes ]]; then
	# The first P services are public (their dependencies, on lower ids,
	# are then public too); one daemon tick makes their 90-day rollup
	# from the seeded outages, as the daemon would (the pages suite's:
	# no route of the routes suite reads the rollup).
	sql -e "UPDATE services SET public = (id <= $P)" ||
	    die "could not make $P services public"
	sed -e "s/@N@/$N/g" -e "s/@P@/$P/g" "$BENCH/seed_pages.sql" |
	    sql >/dev/null || die "seeding failed (bench/seed_pages.sql)"
fi
if [[ $SUITE == pages ]]; then
	t0=$SECONDS
	"${CLEAN_ENV[@]}" "$TOP/resilops-sched" -c "$STATE/resilops.conf" --once \
	    </dev/null >"$STATE/log/sched-once.log" 2>&1 ||
	    { cat "$STATE/log/sched-once.log" >&2; die "resilops-sched --once failed"; }
	say "one daemon tick in $((SECONDS - t0)) s: $(sql -e "SELECT CONCAT(
	    (SELECT COUNT(*) FROM services WHERE public), ' public services, ',
	    (SELECT COUNT(*) FROM uptime_daily), ' rollup rows (',
	    (SELECT COUNT(*) FROM uptime_daily WHERE down_seconds > 0),
	    ' with downtime), ',
	    (SELECT COUNT(*) FROM maintenance), ' maintenance windows, ',
	    (SELECT COUNT(*) FROM incidents), ' incidents')")"
fi

# ---------------------------------------------------------- account, token

# AUTH is the one header every request carries: the bearer token, or
# for the public pages what a browser says it accepts (no login).
if [[ $SUITE == pages ]]; then
	AUTH="Accept: text/html,application/xhtml+xml,*/*;q=0.8"
else
	ROLE="Business Owner"
	[[ $SUITE == tickets ]] && ROLE=Manager
	# The role that may do everything: every route answers it 200.
	[[ $SUITE == routes ]] && ROLE="admin"
	TOKEN=$(bench_login bench "$ROLE") || die "login failed"
	AUTH="Authorization: Bearer $TOKEN"
fi

# ------------------------------------------------- the routes suite's data

# HISTORY: the services and tickets with a long history (100 more
# outages and risk assessments, 120 activity entries: a full page of each
# history route, whose rows read ids 1..HISTORY); AUDIT: audit entries.
HISTORY=100 AUDIT=100000
# api_post PATH BODY: one POST as the bench account; dies unless 2xx.
api_post() {
	local code
	code=$(curl -s -o "$STATE/post.out" -w '%{http_code}' --max-time 30 \
	    -H "$AUTH" -H 'Content-Type: application/json' -d "$2" \
	    "$BASE$1") || code=000
	[[ $code == 2?? ]] || die "POST $1 answers $code: $(head -c 300 "$STATE/post.out")"
}
if [[ $SUITE == routes ]]; then
	((N >= HISTORY && T >= HISTORY)) ||
	    die "the routes suite needs BENCH_SERVICES and BENCH_TICKETS >= $HISTORY"
	t0=$SECONDS
	# One API key and one scan made through the API, for
	# seed_routes.sql to copy.
	api_post /api/v1/security/api-keys/create '{"key_name":"Bench key"}'
	api_post /api/v1/security/scan '{"scan_type":"account","target_id":"bench"}'
	BENCH_UID=$(sql -e "SELECT id FROM users WHERE username = 'bench'")
	sed -e "s/@N@/$N/g" -e "s/@T@/$T/g" -e "s/@P@/$P/g" \
	    -e "s/@U@/$BENCH_UID/g" -e "s/@H@/$HISTORY/g" -e "s/@A@/$AUDIT/g" \
	    "$BENCH/seed_routes.sql" | sql >/dev/null ||
	    die "seeding failed (bench/seed_routes.sql)"
	sql -e "SELECT id, kind FROM subscribers" |
	    python3 "$BENCH/seal.py" "$STATE/resilops.conf" | sql ||
	    die "could not seal the subscribers' addresses (bench/seal.py)"
	# The audit entries into the chain, as the daemon's tick seals them.
	"${CLEAN_ENV[@]}" "$TOP/resilops-admin" -c "$STATE/resilops.conf" \
	    audit seal >/dev/null || die "resilops-admin audit seal failed"
	retally
	recount
	say "seeded the routes' rows in $((SECONDS - t0)) s: $(sql -e "SELECT CONCAT(
	    (SELECT COUNT(*) FROM users), ' users, ',
	    (SELECT COUNT(*) FROM alerts), ' alerts, ',
	    (SELECT COUNT(*) FROM sla_breaches), ' breaches, ',
	    (SELECT COUNT(*) FROM audit_log), ' audit entries, ',
	    (SELECT COUNT(*) FROM notifications), ' notifications, ',
	    (SELECT COUNT(*) FROM api_keys), ' API keys, ',
	    (SELECT COUNT(*) FROM security_scans), ' scans, ',
	    (SELECT COUNT(*) FROM subscribers), ' subscribers, ',
	    (SELECT COUNT(*) FROM ticket_activity), ' ticket activity entries')")"
fi

# ----------------------------------------------- hello-world, same nginx

# The same pool shape as resilops.fcgi: WORKERS single-threaded processes
# accepting on one unix socket.
"${CLEAN_ENV[@]}" spawn-fcgi -s "$HELLO_SOCK" -M 0660 -F "$WORKERS" \
    -P "$RUN/hello.pid" -- "$BENCH/hello.fcgi" >"$STATE/log/hello.log" 2>&1 ||
    die "spawn-fcgi hello.fcgi failed"
mapfile -t HELLO_PIDS <"$RUN/hello.pid"

# A location in the stack's own server block (so it inherits the same
# fastcgi_params and logging), then a reload of the running nginx.
CONF=$STATE/nginx.conf
sed -i "0,/^\t\tlocation \/api {/s||\t\tlocation = /hello {\n\t\t\tfastcgi_split_path_info ^()(.*)\$;\n\t\t\tfastcgi_pass unix:$HELLO_SOCK;\n\t\t}\n&|" "$CONF"
grep -q "location = /hello" "$CONF" || die "could not add /hello to $CONF"
"${CLEAN_ENV[@]}" nginx -p "$STATE/nginx" -c "$CONF" -e "$STATE/log/nginx-error.log" \
    -t -q || die "nginx rejects $CONF"
# The old workers keep the old config until they exit: wait for them.
NGINX_MASTER=$(cat "$RUN/nginx.pid")
mapfile -t old_workers < <(pgrep -P "$NGINX_MASTER" || true)
kill -HUP "$NGINX_MASTER"
for ((i = 0; i < 100; i++)); do
	alive=0
	for pid in "${old_workers[@]}"; do
		[[ -d /proc/$pid ]] && alive=1
	done
	((alive)) || break
	sleep 0.1
done
((i < 100)) || die "nginx's old workers did not exit after the reload"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/hello") == 200 ]] ||
    die "/hello does not answer after the nginx reload"

# ----------------------------------------------------------------- rows

MID=$(((N + 1) / 2))
# name|wrk script|path (template)|method[|range of %d, default N[|one
# more request header]].
# /api/auth/me is not a target
# row but the floor the others are measured against: one primary-key
# query (the token check reads the whole account row, /me answers from
# it) and a small answer, about the least an authenticated route that
# reads the database can do.  The list is measured on its first page,
# and on every page at random: a page starts at the id found by walking
# the key to its offset, so a deep page costs more.
if [[ $SUITE == api ]]; then
	((N >= 50)) || die "the api suite needs BENCH_SERVICES >= 50 (a page of 50)"
	ROWS=(
	"GET /api/auth/me (floor)|get|/api/auth/me|GET"
	"GET /api/services?per_page=50|get|/api/services?per_page=50|GET"
	"GET /api/services?page=<1..$((N / 50))>&per_page=50|get|/api/services?per_page=50&page=%d|GET|$((N / 50))"
	"GET /api/services/<id>|get|/api/services/%d|GET"
	"GET /api/services/<id>/health|get|/api/services/%d/health|GET"
	"GET /api/risk/<id>|get|/api/risk/%d|GET"
	"POST /api/services/<id>/status|post||POST"
	)
elif [[ $SUITE == pages ]]; then
	ROWS=(
	"GET /status ($P public services)|get|/status|GET"
	"GET /status, gzip (nginx compresses)|get|/status|GET||Accept-Encoding: gzip"
	"GET /status/<id>|get|/status/%d|GET|$P"
	"GET /status/badge/<id>.svg|get|/status/badge/%d.svg|GET|$P"
	"GET /status/badge/<id>.svg?window=30d|get|/status/badge/%d.svg?window=30d|GET|$P"
	"GET /status/feed.atom|get|/status/feed.atom|GET"
	)
elif [[ $SUITE == tickets ]]; then
	# The page number varies (1..50) so a page is not one cached result.
	ROWS=(
	"GET /api/auth/me (floor)|get|/api/auth/me|GET"
	"GET /api/tickets?per_page=100|get|/api/tickets?per_page=100|GET"
	"GET /api/tickets?page=<1..50>&per_page=100|get|/api/tickets?per_page=100&page=%d|GET|50"
	"GET /api/tickets?priority=HIGH&risk_level=BREACHED|get|/api/tickets?per_page=100&priority=HIGH&risk_level=BREACHED|GET"
	"GET /api/tickets?assignee_id=<id>|get|/api/tickets?per_page=100&assignee_id=10%02d|GET|25"
	"GET /api/analytics/overview|get|/api/analytics/overview|GET"
	"GET /api/analytics/risk-distribution|get|/api/analytics/risk-distribution|GET"
	"GET /api/analytics/technician-workload|get|/api/analytics/technician-workload|GET"
	)
fi
# dense_ids TABLE: X where TABLE's ids 1..X all exist (the end of the
# first run of ids; an INSERT ... SELECT takes its AUTO_INCREMENT ids in
# batches, so the next statement's may start after a gap).
dense_ids() {
	sql -e "SELECT MIN(a.id) FROM $1 a LEFT JOIN $1 b ON b.id = a.id + 1
	    WHERE b.id IS NULL"
}
if [[ $SUITE == routes ]]; then
	# Each {id} template with the ids of its kind, 1..the value (the
	# ids seeded are dense from 1); any other {id} is a service's.  As
	# tests/integration/test_statements.py's World.path.
	ID_RANGES=(
	"/api/tickets/{id}=$T"
	"/api/tickets/{id}/activity=$HISTORY"
	"/api/services/{id}/downtime=$HISTORY"
	"/api/risk/{id}/history=$HISTORY"
	"/api/maintenance/{id}=$(dense_ids maintenance)"
	"/api/incidents/{id}=$(dense_ids incidents)"
	)
	# Every GET path of the OpenAPI document but the public /healthz,
	# /api/auth/me first (the floor), the others in the document's order.
	mapfile -t GETS < <(python3 -c 'import json, sys
paths = json.load(open(sys.argv[1]))["paths"]
gets = [p for p, ops in paths.items() if "get" in ops and p != "/healthz"]
gets.sort(key=lambda p: p != "/api/auth/me")
print("\n".join(gets))' "$TOP/htdocs/openapi.json") ||
	    die "cannot read the GET routes of htdocs/openapi.json"
	[[ ${GETS[0]} == /api/auth/me ]] || die "htdocs/openapi.json has no /api/auth/me"
	ROWS=()
	for tpl in "${GETS[@]}"; do
		name="GET ${tpl//\{id\}/<id>}" range=$N
		[[ $tpl == /api/auth/me ]] && name="$name (floor)"
		for kv in "${ID_RANGES[@]}"; do
			[[ ${kv%=*} == "$tpl" ]] && range=${kv##*=}
		done
		ROWS+=("$name|get|${tpl//\{id\}/%d}|GET|$range")
	done
fi
HELLO_ROW="hello-world|get|/hello?i=%d|GET"

# One request before measuring: 2xx, or the row is marked failed.
precheck() {
	local method=$1 path=$2 out code
	# The template with one value in range, as get.lua fills it.
	# shellcheck disable=SC2059
	[[ $path == *%* ]] && path=$(printf "$path" 1)
	out=$STATE/precheck.out
	if [[ $method == POST ]]; then
		code=$(curl -s -o "$out" -w '%{http_code}' --max-time 10 -H "$AUTH" \
		    -H 'Content-Type: application/json' -d '{"status":"Up"}' \
		    "$BASE/api/services/$MID/status") || code=000
	else
		code=$(curl -s -o "$out" -w '%{http_code}' --max-time 10 -H "$AUTH" \
		    "$BASE$path") || code=000
	fi
	if [[ $code != 2?? ]]; then
		say "$method $path answers $code: $(head -c 300 "$out")"
		printf '%s\n' "$code"
		return 1
	fi
}

# Requests/s and p99 (in ms) from wrk's report; empty when absent.
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_p99() {
	awk '$1 == "99%" {
		v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000
		else if (u == "m") v *= 60000
		printf "%.2f\n", v }' "$1"
}
wrk_non2xx() { awk '/Non-2xx or 3xx responses:/ { print $NF }' "$1"; }
wrk_errors() { grep -E '^ +Socket errors:' "$1" | sed 's/^ *//' || true; }
# The requests wrk completed ("N requests in 10.00s, ...").
wrk_requests() { awk '$2 == "requests" && $3 == "in" { print $1 }' "$1"; }

# ------------------------------------------- CPU and statements per request

CLK_TCK=$(getconf CLK_TCK)

# cpu_ticks PID...: utime + stime (fields 14 and 15 of /proc/PID/stat, in
# clock ticks) summed over the PIDs, each line "pid ticks" so the two
# samples of a run can be matched: a process that is gone by the second
# (a worker restarted) must not count its whole life as the run's.
cpu_ticks() {
	local pid stat f
	for pid in "$@"; do
		{ read -r stat <"/proc/$pid/stat"; } 2>/dev/null || continue
		# Past "pid (comm) ": f[0] is field 3, so 14 and 15 are f[11], f[12].
		read -r -a f <<<"${stat##*) }"
		printf '%s %s\n' "$pid" $((f[11] + f[12]))
	done
}

# ticks_delta BEFORE AFTER: the ticks spent between two cpu_ticks
# samples by the processes in both; warns when the set changed.
ticks_delta() {
	awk 'NR == FNR { t[$1] = $2; n++; next }
	    $1 in t { d += $2 - t[$1]; seen++; next }
	    { new++ }
	    END { print d + 0; if (new || seen != n) exit 1 }' \
	    <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# The processes whose CPU a row costs: the FastCGI program that answers
# it (resilops's pool: the supervisor and its workers; or hello.fcgi's
# processes) and mariadbd.  nginx and wrk are left out: they cost every
# row about the same per request.
pool_pids() {
	cat "$RUN/fcgi.pid"
	stack fcgi-pids
}
DB_PID=$(cat "$RUN/mysqld.pid")

# The statements the workers send, as MariaDB's global counters: every
# execution of a prepared statement (Com_stmt_execute: the workers
# prepare each statement once and send nothing else through the text
# protocol but the transactions' START TRANSACTION, COMMIT and ROLLBACK,
# which src/db/db.c sends as plain queries and count as Com_begin,
# Com_commit and Com_rollback).  Prepares (Com_stmt_prepare) are left
# out: once per worker and statement, none after the warm-up.  Com_select,
# Com_insert, Com_update are not added: a prepared execution counts there
# too (one status write, in the general log: 8 executions, 4 of them
# SELECTs, and Com_select went up by 4).  Questions
# counts every statement a client sent, this SHOW included; the
# difference to the sum tells of a statement the sum misses (the check
# in measure()).  A route's statements are listed by MariaDB's general
# log (SET GLOBAL general_log = 1 on a BENCH_KEEP stack).  Prints
# "counted questions".
# Then InnoDB's row lock waits and the ms spent in them: a write that
# queues behind one row shows there.
stmt_counters() {
	sql -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_stmt_execute',
	    'Com_begin', 'Com_commit', 'Com_rollback', 'Questions',
	    'Innodb_row_lock_waits', 'Innodb_row_lock_time')" |
	    awk '$1 == "Questions" { q = $2; next }
		$1 == "Innodb_row_lock_waits" { w = $2; next }
		$1 == "Innodb_row_lock_time" { t = $2; next }
		{ c += $2 }
		END { print c + 0, q + 0, w + 0, t + 0 }'
}

# measure ROW: one wrk run; sets RPS_ and P99_ (empty when not measured),
# REQS_ (requests completed), FT_ and DT_ (CPU ticks of the FastCGI
# program and of mariadbd over the run), ST_ (statements sent) and
# NOTE_ (why the row failed, else empty), BYTES_ (the size of the body
# of the check before the run: what a request of the row answers, its
# id 1).
RUNS=0
# "TOTAL IDLE": the machine's CPU ticks, all and idle (idle + iowait),
# from /proc/stat's cpu line: a write that queues leaves the CPU idle.
machine_ticks() {
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i
		print t, $5 + $6; exit }' /proc/stat
}

measure() {
	local name script path method range header out code bad errs args
	local pids f0 f1 d0 d1 c0 q0 c1 q1 i0 i1 w0 w1 l0 l1
	IFS='|' read -r name script path method range header <<<"$1"
	RUNS=$((RUNS + 1))
	out=$STATE/wrk.$RUNS
	RPS_="" P99_="" NOTE_="" REQS_=0 FT_=0 DT_=0 ST_=0 IDLE_=0 BUSY_=0
	LOCKW_=0 LOCKT_=0 BYTES_=0
	if ! code=$(precheck "$method" "$path"); then
		NOTE_="HTTP $code before measuring"
		return
	fi
	BYTES_=$(stat -c %s "$STATE/precheck.out")
	if [[ $script == post ]]; then
		args=(-s "$BENCH/post_status.lua" "$BASE" -- "$N")
	else
		args=(-s "$BENCH/get.lua" "$BASE" -- "$path" "${range:-$N}")
	fi
	# The hello-world rows, plain and size-matched, cost hello.fcgi.
	if [[ $path == /hello[?]* ]]; then
		pids=("${HELLO_PIDS[@]}")
	else
		mapfile -t pids < <(pool_pids)
	fi
	# The counters first and last, so the client's own work is outside
	# the CPU samples.
	read -r c0 q0 w0 l0 < <(stmt_counters)
	f0=$(cpu_ticks "${pids[@]}") d0=$(cpu_ticks "$DB_PID") i0=$(machine_ticks)
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout "$TIMEOUT" \
	    --latency -H "$AUTH" \
	    ${header:+-H "$header"} "${args[@]}" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $name"; }
	f1=$(cpu_ticks "${pids[@]}") d1=$(cpu_ticks "$DB_PID") i1=$(machine_ticks)
	read -r c1 q1 w1 l1 < <(stmt_counters)
	LOCKW_=$((w1 - w0)) LOCKT_=$((l1 - l0))
	IDLE_=$(awk -v t0="${i0% *}" -v z0="${i0#* }" -v t1="${i1% *}" \
	    -v z1="${i1#* }" 'BEGIN { printf "%.0f", (z1 - z0) * 100 / (t1 - t0) }')
	BUSY_=$(awk -v t0="${i0% *}" -v z0="${i0#* }" -v t1="${i1% *}" \
	    -v z1="${i1#* }" 'BEGIN { print (t1 - t0) - (z1 - z0) }')
	FT_=$(ticks_delta "$f0" "$f1") ||
	    say "$name: a FastCGI process ended during the run (its CPU is not counted)"
	DT_=$(ticks_delta "$d0" "$d1") || die "mariadbd (pid $DB_PID) is gone"
	# The statements sent: Questions, less two of the clients' (seen in
	# the general log: the first one's Quit and the second one's SHOW).
	# A routine's own statements (the status write's CALL runs a START
	# TRANSACTION and a COMMIT: sql/026) count in the sum, not in
	# Questions: the sum may be more, never less.
	ST_=$(((q1 - q0) - 2))
	((c1 - c0 >= ST_)) ||
	    say "$name: $((ST_ - (c1 - c0))) statements sent but not counted (Questions $ST_, counted $((c1 - c0)))"
	RPS_=$(wrk_rps "$out")
	P99_=$(wrk_p99 "$out")
	REQS_=$(wrk_requests "$out")
	[[ -n $RPS_ && -n $REQS_ ]] || { cat "$out" >&2; die "no result from wrk for $name"; }
	bad=$(wrk_non2xx "$out")
	errs=$(wrk_errors "$out")
	[[ -n $bad ]] && NOTE_="$bad non-2xx answers"
	[[ -n $errs ]] && NOTE_="${NOTE_:+$NOTE_; }$errs"
	[[ -z $NOTE_ ]] || say "$name: $NOTE_"
}

# The hello-world runs before and after every row: a row's ratio is to
# the mean of the two next to it, so a load that comes and goes on the
# machine during the run moves both sides of the ratio alike.  Their
# sums make the ceiling row: CPU per request over all of them.
HELLO=() HELLO_P99=() HELLO_IDLE=()
HELLO_REQS=0 HELLO_FT=0 HELLO_DT=0 HELLO_ST=0 HELLO_BUSY=0 HELLO_BYTES=0
measure_hello() {
	measure "$HELLO_ROW"
	[[ -z $NOTE_ ]] || die "hello-world: $NOTE_"
	HELLO_BYTES=$BYTES_
	HELLO+=("$RPS_") HELLO_P99+=("$P99_") HELLO_IDLE+=("$IDLE_")
	HELLO_REQS=$((HELLO_REQS + REQS_)) HELLO_FT=$((HELLO_FT + FT_))
	HELLO_DT=$((HELLO_DT + DT_)) HELLO_ST=$((HELLO_ST + ST_))
	HELLO_BUSY=$((HELLO_BUSY + BUSY_))
}

# measure_sized BYTES HEADER: right after a row that answered BYTES (its
# check's body), a hello-world run answering as many (bench/hello.c's
# ?bytes=N): what moving the answer through FastCGI, nginx and wrk costs
# without resilops.  Sets SIZE_BUSY_ and SIZE_REQS_ (machine ticks and
# requests), 0 when not run: a suite without the floor (pages: SIZED=0)
# has nothing to set it against; an empty answer, or one over hello.c's
# 4 MiB, cannot be matched; nor can a row with its own header (gzip: its
# check's body is not what wrk is sent).
SIZED=1 SIZED_MAX=$((4 * 1024 * 1024))
[[ $SUITE == pages ]] && SIZED=0
measure_sized() {
	SIZE_BUSY_=0 SIZE_REQS_=0
	((SIZED)) && [[ -z $2 ]] && (($1 > 0 && $1 <= SIZED_MAX)) || return 0
	measure "hello-world, $1 bytes|get|/hello?bytes=$1&i=%d|GET"
	[[ -z $NOTE_ ]] || die "hello-world, $1 bytes: $NOTE_"
	((BYTES_ == $1)) || die "/hello?bytes=$1 answers $BYTES_ bytes (bench/hello.c)"
	SIZE_BUSY_=$BUSY_ SIZE_REQS_=$REQS_
}

# Every row's mach counts the whole machine, so nothing else may be
# running when the first (the floor) is measured: after the seed, wait
# (at most QUIET_MAX s) until the machine is at most QUIET_BUSY % busy
# over a second: MariaDB writing out the seed's pages and purging, or
# another program (an earlier stack's mariadbd still shutting down
# inflated one run's floor by a third, and every ratio with it).
QUIET_BUSY=${BENCH_QUIET_BUSY:-10} QUIET_MAX=${BENCH_QUIET_MAX:-120}
wait_quiet() {
	local t0 i0 t1 i1 busy=100 waited=0
	while ((waited < QUIET_MAX)); do
		read -r t0 i0 < <(machine_ticks)
		sleep 1
		read -r t1 i1 < <(machine_ticks)
		busy=$(( (t1 - t0 - (i1 - i0)) * 100 / (t1 - t0 > 0 ? t1 - t0 : 1) ))
		((busy <= QUIET_BUSY)) && break
		waited=$((waited + 1))
	done
	if ((busy <= QUIET_BUSY)); then
		say "machine quiet after ${waited} s (${busy}% busy)"
	else
		say "WARNING: the machine is still ${busy}% busy after ${QUIET_MAX} s: figures will read high"
	fi
}
wait_quiet
# A warm-up, not measured: the first row's workers and MariaDB were
# cold (heaps growing, first statements prepared, pages touched): a run
# measured the floor, the suite's first row, at 0.436 ms of machine CPU
# where the same request costs 0.30-0.33 on the same stack warmed, and
# below some one-row reads after it, so every ratio came out low.
say "warming up: one unmeasured run of the hello-world and of the first row"
measure "$HELLO_ROW"
measure "${ROWS[0]}"
[[ -z $NOTE_ ]] || die "${ROWS[0]%%|*}: $NOTE_"

sized=""
((SIZED)) && sized=", each row followed by a size-matched one"
say "measuring: wrk -t$THREADS -c$CONNS -d$DURATION --timeout $TIMEOUT --latency, $ROUNDS rounds of ${#ROWS[@]} rows between $((${#ROWS[@]} + 1)) hello-world runs$sized"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# Every round measures every row once, in order, each between two
# hello-world runs (_RPS and the others: round r's row i at r * rows + i;
# HELLO: round r's runs from r * (rows + 1)), the row's size-matched run
# right after it (_SIZE_BUSY, _SIZE_REQS: at the row's index).
_RPS=() _P99=() _NOTES=() _REQS=() _FT=() _DT=() _ST=() _IDLE=() _BUSY=()
_LOCKW=() _LOCKT=() _BYTES=() _SIZE_BUSY=() _SIZE_REQS=() _HELLO_AT=()
# measure_row ROW: one run of ROW and its size-matched one, appended to
# the _ arrays with the hello-world run just before it (_HELLO_AT).
measure_row() {
	local header
	IFS='|' read -r _ _ _ _ _ header <<<"$1"
	measure "$1"
	_RPS+=("$RPS_") _P99+=("$P99_") _NOTES+=("$NOTE_")
	_REQS+=("$REQS_") _FT+=("$FT_") _DT+=("$DT_") _ST+=("$ST_")
	_IDLE+=("$IDLE_") _BUSY+=("$BUSY_") _LOCKW+=("$LOCKW_")
	_LOCKT+=("$LOCKT_") _BYTES+=("$BYTES_") _HELLO_AT+=($((${#HELLO[@]} - 1)))
	measure_sized "$BYTES_" "$header"
	_SIZE_BUSY+=("$SIZE_BUSY_") _SIZE_REQS+=("$SIZE_REQS_")
}
# The floor is what every ratio divides by, so one run of it that reads
# high or low moves every row (four runs of the same code within an hour
# measured it from 0.259 to 0.461 ms).  It is measured again after every
# FLOOR_EVERY rows of a round, and reported from the run with the median
# machine CPU among all of them.  AT[round * rows + i]: where round's
# row i is in the _ arrays; FLOOR_EXTRA: where the floor's extra runs are.
FLOOR_EVERY=${BENCH_FLOOR_EVERY:-8}
[[ $FLOOR_EVERY =~ ^[1-9][0-9]*$ ]] || die "bad BENCH_FLOOR_EVERY: $FLOOR_EVERY"
FLOOR_ROW=""
for i in "${!ROWS[@]}"; do
	IFS='|' read -r _ _ path _ <<<"${ROWS[$i]}"
	[[ $path == /api/auth/me ]] && FLOOR_ROW=$i
done
AT=() FLOOR_EXTRA=()
for ((round = 0; round < ROUNDS; round++)); do
	measure_hello
	n=0
	for row in "${ROWS[@]}"; do
		AT+=("${#_RPS[@]}")
		measure_row "$row"
		measure_hello
		n=$((n + 1))
		if [[ -n $FLOOR_ROW ]] && ((n % FLOOR_EVERY == 0 && n < ${#ROWS[@]})); then
			FLOOR_EXTRA+=("${#_RPS[@]}")
			measure_row "${ROWS[$FLOOR_ROW]}"
		fi
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# Each row is the round with its median machine CPU per request, whole
# (its columns measured together), as the speed issue's comparison took
# medians of 3 rounds: one slow or fast round on this shared machine
# moves no figure; the floor is the median of its rounds' runs and its
# extra ones.  PICK[i]: that run's index into the _ arrays; a row failed
# in any run is reported failed.
RPS=() P99=() NOTES=() REQS=() FT=() DT=() ST=() IDLE=() BUSY=()
LOCKW=() LOCKT=() BYTES=() SIZE_BUSY=() SIZE_REQS=() PICK=()
for i in "${!ROWS[@]}"; do
	runs=()
	for ((round = 0; round < ROUNDS; round++)); do
		runs+=("${AT[$((round * ${#ROWS[@]} + i))]}")
	done
	[[ $i == "$FLOOR_ROW" ]] && runs+=("${FLOOR_EXTRA[@]}")
	note="" k=${runs[0]}
	for j in "${runs[@]}"; do
		[[ -z ${_NOTES[$j]} ]] || note=${_NOTES[$j]}
	done
	if [[ -z $note ]]; then
		k=$(for j in "${runs[@]}"; do
			awk -v b="${_BUSY[$j]}" -v r="${_REQS[$j]}" -v j="$j" \
			    'BEGIN { print b / r, j }'
		done | sort -g | awk -v m=$(((${#runs[@]} + 1) / 2)) 'NR == m { print $2 }')
	fi
	PICK+=("$k")
	RPS+=("${_RPS[$k]}") P99+=("${_P99[$k]}") NOTES+=("$note")
	REQS+=("${_REQS[$k]}") FT+=("${_FT[$k]}") DT+=("${_DT[$k]}")
	ST+=("${_ST[$k]}") IDLE+=("${_IDLE[$k]}") BUSY+=("${_BUSY[$k]}")
	LOCKW+=("${_LOCKW[$k]}") LOCKT+=("${_LOCKT[$k]}")
	BYTES+=("${_BYTES[$k]}")
	SIZE_BUSY+=("${_SIZE_BUSY[$k]}") SIZE_REQS+=("${_SIZE_REQS[$k]}")
done

# -------------------------------------------------------------- the table

# What the issue asks of the routes next to the /api/auth/me floor: a
# read costs at most 1.5 times its CPU per request; the status write
# runs at least half its rate, in at most 5 statements.
CPU_TARGET=1.5 WRITE_RATE_TARGET=0.5 WRITE_STMTS_TARGET=5 WRITE_IDLE_TARGET=5

# calc EXPR [NAME=VALUE...]: awk arithmetic, printed as awk prints it
# (a comparison prints 1 or 0).  In parentheses: a bare ">" after print
# would send the output to a file.
calc() {
	local expr=$1 vars=() v
	shift
	for v in "$@"; do vars+=(-v "$v"); done
	awk "${vars[@]}" "BEGIN { print ($expr) }"
}
# per_req TICKS REQUESTS: CPU ms per request.
per_req() { calc 'sprintf("%.3f", t * 1000 / hz / r)' t="$1" r="$2" hz="$CLK_TCK"; }

WIDTHS=(40 8 7 7 7 5 6 7 6 7 7 7 5 4)
line() {
	local i
	for i in "${!WIDTHS[@]}"; do
		if ((i == 0)); then
			printf '| %-*s ' "${WIDTHS[i]}" "$1"
		else
			printf '| %*s ' "${WIDTHS[i]}" "$1"
		fi
		shift
	done
	printf '|\n'
}
rule() {
	local w
	for w in "${WIDTHS[@]}"; do
		printf '|%s' "$(printf -- '-%.0s' $(seq $((w + 2))))"
	done
	printf '|\n'
}

# The floor: the /api/auth/me row, when the suite has one and it ran.
FLOOR=""
for i in "${!ROWS[@]}"; do
	IFS='|' read -r _ _ path _ <<<"${ROWS[$i]}"
	[[ $path == /api/auth/me && -n ${RPS[$i]} ]] && FLOOR=$i
done
if [[ -n $FLOOR ]]; then
	FLOOR_CPU=$(calc '(f + d) / r' f="${FT[$FLOOR]}" d="${DT[$FLOOR]}" r="${REQS[$FLOOR]}")
	FLOOR_RPS=${RPS[$FLOOR]}
	FLOOR_MACH=$(calc 'b / r' b="${BUSY[$FLOOR]}" r="${REQS[$FLOOR]}")
fi

# row NAME RPS P99 REQUESTS FCGI-TICKS DB-TICKS STATEMENTS HELLO-RATIO
# IDLE-PERCENT MACHINE-BUSY-TICKS BYTES SIZE-BUSY-TICKS SIZE-REQUESTS:
# one line of the table (the last two: the size-matched run's, 0 when
# not run).
row() {
	local vs_cpu=- vs_rate=- vs_mach=- vs_size=-
	if [[ -n $FLOOR ]]; then
		vs_cpu=$(calc 'sprintf("%.2f", (f + d) / r / m)' f="$5" d="$6" r="$4" m="$FLOOR_CPU")
		vs_mach=$(calc 'sprintf("%.2f", b / r / m)' b="${10}" r="$4" m="$FLOOR_MACH")
		vs_rate=$(calc 'sprintf("%.2f", a / b)' a="$2" b="$FLOOR_RPS")
		((${13} > 0)) &&
		    vs_size=$(calc 'sprintf("%.2f", b / r / m)' b="${12}" r="${13}" m="$FLOOR_MACH")
	fi
	line "$1" "$(printf '%.1f' "$2")" "$3" "$(per_req "$5" "$4")" \
	    "$(per_req "$6" "$4")" "$(calc 'sprintf("%.1f", s / r)' s="$7" r="$4")" \
	    "$(per_req "${10}" "$4")" "$vs_mach" \
	    "$(calc 'sprintf("%.1f", n / 1000)' n="${11}")" "$vs_size" \
	    "$vs_cpu" "$vs_rate" "$8" "$9"
}

EXTRA=""
[[ $SUITE == tickets ]] && EXTRA=", $T tickets"
[[ $SUITE == pages ]] && EXTRA=" ($P public)"
[[ $SUITE == routes ]] && EXTRA=" ($P public), $T tickets, as an Admin"
printf '\nresilops benchmark (%s): %d services%s, %d FastCGI workers, wrk -t%s -c%s -d%s --timeout %s --latency, each row the median of %d rounds\n' \
    "$SUITE" "$N" "$EXTRA" "$WORKERS" "$THREADS" "$CONNS" "$DURATION" "$TIMEOUT" "$ROUNDS"
printf '%s, %s cores, load average %s before, %s after\n' \
    "$(date -u '+%Y-%m-%d %H:%MZ')" "$(nproc)" "$LOAD_BEFORE" "$LOAD_AFTER"
[[ -z $FLUSH ]] || printf 'innodb_flush_log_at_trx_commit = %s (BENCH_FLUSH: a diagnosis, not a setting for use)\n' "$FLUSH"
cat <<-LEGEND
	fcgi, db: CPU ms per request (user + system) of the FastCGI program (the
	  pool's supervisor and workers; hello.fcgi's processes) and of mariadbd
	stmts: statements sent per request (MariaDB's Questions; a routine's
	  own statements are not sent)
	mach: the whole machine's busy CPU ms per request (wrk, nginx, the
	  program, mariadbd: every core's time not idle during the run), as the
	  speed issue measures a route; mach/me: that over the /api/auth/me
	  floor's (target for reads: <= $CPU_TARGET)
	kB: the row's answer (its check's body, id 1), in 1000 bytes
	size/me: the mach of a hello-world run answering as many bytes
	  (/hello?bytes=N, right after the row) over the floor's: what
	  moving the answer through FastCGI, nginx and wrk costs alone, the
	  part of mach/me that no code in resilops can save
	CPU/me, rate/me: CPU per request of fcgi + db alone, and requests/s,
	  over the floor's (target for the status write: rate >= $WRITE_RATE_TARGET,
	  <= $WRITE_STMTS_TARGET statements)
	hello: requests/s over the mean of the hello-world runs just before and
	  after (target for reads: >= $TARGET)
	idle: % of the machine's CPU idle during the run (what a queue leaves)

LEGEND
line route "req/s" "p99 ms" fcgi db stmts mach mach/me kB size/me CPU/me rate/me hello idle
rule
hello_mean=$(printf '%s\n' "${HELLO[@]}" | awk '{ s += $1 } END { print s / NR }')
hello_p99=$(printf '%s\n' "${HELLO_P99[@]}" | sort -g | tail -n1)
hello_idle=$(printf '%s\n' "${HELLO_IDLE[@]}" | sort -g | tail -n1)
# The ceiling answers its own small body: it is its own size-matched run.
row "hello-world (ceiling)" "$hello_mean" "$hello_p99" "$HELLO_REQS" \
    "$HELLO_FT" "$HELLO_DT" "$HELLO_ST" 1.00 "$hello_idle" "$HELLO_BUSY" \
    "$HELLO_BYTES" "$HELLO_BUSY" "$HELLO_REQS"
FAILED=0 BELOW=()
for i in "${!ROWS[@]}"; do
	IFS='|' read -r name _ path method _ <<<"${ROWS[$i]}"
	# The hello-world runs just before and after the run picked.
	k=${_HELLO_AT[${PICK[i]}]}
	hello=$(calc '(a + b) / 2' a="${HELLO[$k]}" b="${HELLO[$((k + 1))]}")
	[[ -z ${NOTES[$i]} ]] || FAILED=1
	if [[ -z ${RPS[$i]} ]]; then
		line "$name" - - - - - - - - - - - - -
		continue
	fi
	ratio=$(calc 'sprintf("%.2f", r / h)' r="${RPS[$i]}" h="$hello")
	row "$name" "${RPS[$i]}" "${P99[$i]}" "${REQS[$i]}" "${FT[$i]}" \
	    "${DT[$i]}" "${ST[$i]}" "$ratio" "${IDLE[$i]}" "${BUSY[$i]}" \
	    "${BYTES[$i]}" "${SIZE_BUSY[$i]}" "${SIZE_REQS[$i]}"
	[[ $i == "$FLOOR" ]] && continue
	if [[ $method == GET ]]; then
		(($(calc 'r < t' r="$ratio" t="$TARGET"))) &&
		    BELOW+=("$name: $ratio of the hello-world rate (target >= $TARGET)")
		[[ -n $FLOOR ]] &&
		    (($(calc 'b / r > m * t' b="${BUSY[$i]}" \
		    r="${REQS[$i]}" m="$FLOOR_MACH" t="$CPU_TARGET"))) &&
		    BELOW+=("$name: over $CPU_TARGET times the floor's machine CPU per request")
	elif [[ -n $FLOOR && $path == "" ]]; then
		# The status write (its path is post_status.lua's).
		(($(calc 'a / b < t' a="${RPS[$i]}" b="$FLOOR_RPS" t="$WRITE_RATE_TARGET"))) &&
		    BELOW+=("$name: under $WRITE_RATE_TARGET of the floor's rate")
		# As the table shows it: the requests wrk left in flight at the
		# end sent statements but are not counted as done.
		(($(calc 'sprintf("%.1f", s / r) + 0 > t' s="${ST[$i]}" r="${REQS[$i]}" t="$WRITE_STMTS_TARGET"))) &&
		    BELOW+=("$name: over $WRITE_STMTS_TARGET statements per request")
		# Writes that queue (behind one row, one lock) leave CPU idle:
		# more than the floor leaves (the load itself leaves some).
		(($(calc 'x > f + t' x="${IDLE[$i]}" f="${IDLE[$FLOOR]}" t="$WRITE_IDLE_TARGET"))) &&
		    BELOW+=("$name: ${IDLE[$i]}% of the CPU idle under -c$CONNS, the floor's ${IDLE[$FLOOR]}% (target: at most $WRITE_IDLE_TARGET points more)")
	fi
done
hello_min=$(printf '%s\n' "${HELLO[@]}" | sort -g | head -n1)
hello_max=$(printf '%s\n' "${HELLO[@]}" | sort -g | tail -n1)
printf '(hello-world: %d runs, %.0f-%.0f requests/s)\n' "${#HELLO[@]}" \
    "$hello_min" "$hello_max"
if [[ -n $FLOOR ]]; then
	floor_runs=()
	for ((round = 0; round < ROUNDS; round++)); do
		floor_runs+=("${AT[$((round * ${#ROWS[@]} + FLOOR))]}")
	done
	floor_runs+=("${FLOOR_EXTRA[@]}")
	printf '(the floor: %d runs, %s ms of machine CPU per request; the median is used)\n' \
	    "${#floor_runs[@]}" "$(for j in "${floor_runs[@]}"; do
		per_req "${_BUSY[$j]}" "${_REQS[$j]}"; done | sort -g | paste -sd' ')"
fi
echo
for i in "${!ROWS[@]}"; do
	IFS='|' read -r name _ _ _ _ <<<"${ROWS[$i]}"
	[[ -z ${NOTES[$i]} ]] || printf 'FAILED %s: %s\n' "$name" "${NOTES[$i]}"
done
for i in "${!ROWS[@]}"; do
	IFS='|' read -r name _ _ _ _ <<<"${ROWS[$i]}"
	[[ -n ${RPS[$i]} ]] || continue
	printf 'InnoDB row lock waits, %s: %d over %d requests (%d ms)\n' \
	    "$name" "${LOCKW[$i]}" "${REQS[$i]}" "${LOCKT[$i]}"
done
# What a row answers (the body of its check before the run, for id 1;
# without compression): a big answer costs nginx and wrk too (mach).
for i in "${!ROWS[@]}"; do
	IFS='|' read -r name _ _ _ _ <<<"${ROWS[$i]}"
	[[ -n ${RPS[$i]} ]] || continue
	printf 'answer, %s: %d bytes\n' "$name" "${BYTES[$i]}"
done
for i in "${!BELOW[@]}"; do
	printf 'below target: %s\n' "${BELOW[$i]}"
done

# BENCH_PLANS=1: each row's statements as MariaDB planned them, for the
# very values sent (the slow log at long_query_time 0 with
# log_slow_verbosity=query_plan,explain: the plan each ran, with the rows
# each table gave), one request per row after the measurements, with
# what a request path should not do named per table (bench/plans.py:
# full scan, index walk, filesort, temporary tables).  Sessions read
# long_query_time when they connect: the pool is started again first.
if [[ ${BENCH_PLANS:-0} == 1 ]]; then
	slow=$STATE/slow.log
	sql -e "SET GLOBAL slow_query_log_file = '$slow', log_slow_verbosity = 'query_plan,explain', long_query_time = 0, slow_query_log = 1" ||
	    die "could not turn the slow log on"
	stack fcgi-stop >/dev/null && stack fcgi-start >/dev/null ||
	    die "could not restart the pool"
	printf '
statements per row, as planned (ms, rows examined, plan):
'
	for i in "${!ROWS[@]}"; do
		IFS='|' read -r name _ path method _ <<<"${ROWS[$i]}"
		offset=$(stat -c %s "$slow" 2>/dev/null || echo 0)
		precheck "$method" "$path" >/dev/null || true
		printf '  %s\n' "$name"
		python3 "$BENCH/plans.py" "$slow" "$offset"
	done
	sql -e "SET GLOBAL slow_query_log = 0" || true
fi
say "done in $((SECONDS - START)) s"
exit "$FAILED"
