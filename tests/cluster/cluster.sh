#!/usr/bin/env bash
# The multi-host layout on one machine: a three-node Galera cluster
# (galera.sh), two web hosts, each a tests/stack.sh state dir in its
# external-database mode (nginx + its own FastCGI pool + its own
# resilops-sched), and a front nginx spreading requests over the two.
# Everything on 127.0.0.1, run as the invoking user.
#
#	tests/cluster/cluster.sh STATE start|stop|status|env|sched-leader
#	tests/cluster/cluster.sh STATE suite [run.py args]	the integration
#		suite through the front (the daemons paused, as the single
#		host's test stack runs none)
#	tests/cluster/cluster.sh STATE faults [unittest args]	the fault tests
#		(tests/cluster/test_cluster_faults.py)
#	tests/cluster/cluster.sh STATE check	start, suite, faults, stop
#	tests/cluster/cluster.sh STATE host-stop|host-kill|host-start N
#	tests/cluster/cluster.sh STATE sched-stop|sched-kill|sched-start N
#	tests/cluster/cluster.sh STATE node-stop|node-kill|node-start N
#
# host-* stop (nginx SIGQUIT, the pool SIGTERM) or kill (SIGKILL) web
# host N's nginx and pool, or start them again; its daemon is left as
# it is (sched-*).  node-* are galera.sh's.  sched-leader prints the web
# host whose daemon holds the lease ("1 HOLDER"), or fails.
#
# Layout: STATE/galera (galera.sh's state dir), STATE/host1 and
# STATE/host2 (stack.sh's), STATE/front, STATE/run/front.pid,
# STATE/log/front-*.log.
#
# Ports (RESILOPS_CLUSTER_PORT, 18600): the front on BASE, web host N on
# BASE + N; Galera's 18510-18533 (galera.sh).
#
# Host 1 lists the nodes 1, 2, 3 in [database] host, host 2 lists
# 2, 3, 1, so that each has a node of its own and the two spread over
# the cluster.  Host 1's config is written by its first start
# (resilops-admin init); host 2's is a copy with only its node list and
# static_dir changed: the JWT secret, the audit key and the data keys
# must be the same on every host (a token issued by one is checked by
# the other; a secret sealed by one is opened by the other).
#
# Settings (read at the first start, kept in STATE/cluster.env):
#	RESILOPS_CLUSTER_PORT		the front's port; the hosts' follow (18600)
#	RESILOPS_CLUSTER_WORKERS	FastCGI workers per host (3)
#	RESILOPS_CLUSTER_NODES		how many nodes each host lists (3);
#					1 for a build whose [database] host
#					takes one address
#	RESILOPS_CLUSTER_WRITERS	one: every host lists the nodes 1, 2,
#					3, so that all write through one node
#					(the default: Galera's usual advice);
#					each: host N lists its own node first
#					(writes through two nodes at once
#					conflict at commit on hot rows)
#	RESILOPS_CLUSTER_SYNC_WAIT	[database] sync_wait (1: a read waits
#					for every write committed before it,
#					on any node); 0: not written
#	RESILOPS_BUILD			where the programs are (the repo top)
#
# Exit status of check: 0 all passed, 1 a test failed, 99 the cluster
# did not start.

CLUSTER_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# galera_*; and through it stack.sh's stack_* helpers.
# shellcheck source=tests/cluster/galera.sh
source "$CLUSTER_TOP/tests/cluster/galera.sh"
CLUSTER_HOSTS=(1 2)

# What the integration suite expects of the test stack's config
# (dev.sh's integration_pass), then the cluster's own: a daemon that
# renews every 2 s and whose lease lasts 10 s, so a takeover is seen
# within seconds.
CLUSTER_CONF_EXTRA="auth.open_signup=false auth.login_max_failures=5 delivery.http_hosts=127.0.0.1 http.trusted_proxies=127.0.0.250 database.statements=32 sched.tick=2 sched.lease_ttl=10"

cluster_say() { printf 'cluster: %s\n' "$*"; }
cluster_die() { printf 'cluster: %s\n' "$*" >&2; return 1; }

# cluster_init STATE: paths, and the settings (kept from the first start).
cluster_init() {
	local dir=$1 saved_port="" saved_workers="" saved_nodes="" saved_sync=""
	[[ $dir == /* ]] || dir=$PWD/$dir
	(umask 077 && mkdir -p "$dir") || return 1
	CSTATE=$(cd "$dir" && pwd -P)
	CRUN=$CSTATE/run
	CLOG=$CSTATE/log
	CBUILD=${RESILOPS_BUILD:-$CLUSTER_TOP}
	galera_init "$CSTATE/galera" || return 1
	if [[ -f $CSTATE/cluster.env ]]; then
		# shellcheck disable=SC1091
		source "$CSTATE/cluster.env"
		saved_port=${CLUSTER_PORT:-}
		saved_workers=${CLUSTER_WORKERS:-}
		saved_nodes=${CLUSTER_NODES:-}
		saved_sync=${CLUSTER_SYNC_WAIT:-}
		saved_writers=${CLUSTER_WRITERS:-}
	fi
	CLUSTER_WRITERS=${RESILOPS_CLUSTER_WRITERS:-${saved_writers:-one}}
	[[ $CLUSTER_WRITERS == one || $CLUSTER_WRITERS == each ]] ||
	    { cluster_die "bad RESILOPS_CLUSTER_WRITERS: $CLUSTER_WRITERS (one or each)"; return 1; }
	CLUSTER_PORT=${RESILOPS_CLUSTER_PORT:-${saved_port:-18600}}
	CLUSTER_WORKERS=${RESILOPS_CLUSTER_WORKERS:-${saved_workers:-3}}
	CLUSTER_NODES=${RESILOPS_CLUSTER_NODES:-${saved_nodes:-3}}
	CLUSTER_SYNC_WAIT=${RESILOPS_CLUSTER_SYNC_WAIT:-${saved_sync:-1}}
	[[ $CLUSTER_PORT =~ ^[1-9][0-9]*$ ]] || { cluster_die "bad port: $CLUSTER_PORT"; return 1; }
	[[ $CLUSTER_WORKERS =~ ^[1-9][0-9]*$ ]] || { cluster_die "bad worker count: $CLUSTER_WORKERS"; return 1; }
	[[ $CLUSTER_NODES =~ ^[123]$ ]] || { cluster_die "bad RESILOPS_CLUSTER_NODES: $CLUSTER_NODES (1-3)"; return 1; }
	[[ $CLUSTER_SYNC_WAIT =~ ^([0-9]|1[0-5])$ ]] || { cluster_die "bad RESILOPS_CLUSTER_SYNC_WAIT: $CLUSTER_SYNC_WAIT (0-15)"; return 1; }
	{
		printf 'CLUSTER_PORT=%q\n' "$CLUSTER_PORT"
		printf 'CLUSTER_WORKERS=%q\n' "$CLUSTER_WORKERS"
		printf 'CLUSTER_NODES=%q\n' "$CLUSTER_NODES"
		printf 'CLUSTER_SYNC_WAIT=%q\n' "$CLUSTER_SYNC_WAIT"
		printf 'CLUSTER_WRITERS=%q\n' "$CLUSTER_WRITERS"
	} >"$CSTATE/cluster.env"
}

cluster_host_dir() { printf '%s\n' "$CSTATE/host$1"; }
cluster_host_port() { printf '%s\n' $((CLUSTER_PORT + $1)); }

# The nodes host N lists, in its order: 1 2 3 on every host (one
# writer node), or with CLUSTER_WRITERS each its own first, then the
# next ones round the cluster (host 1: 1 2 3, host 2: 2 3 1).
cluster_host_nodes() {
	local n=$1 i first=0
	[[ ${CLUSTER_WRITERS:-one} == one ]] || first=$((n - 1))
	for ((i = 0; i < CLUSTER_NODES; i++)); do
		printf '%s\n' $(((first + i) % ${#GALERA_NODES[@]} + 1))
	done
}

cluster_db_hosts() {
	local n list=()
	for n in $(cluster_host_nodes "$1"); do
		list+=("127.0.0.1:$(galera_port "$n")")
	done
	(IFS=,; printf '%s\n' "${list[*]}")
}

# cluster_stack N VERB: tests/stack.sh on web host N, with none of the
# caller's stack settings (they would be taken at a start).
cluster_stack() {
	env -u RESILOPS_PORT -u RESILOPS_WEB -u RESILOPS_WORKERS -u RESILOPS_SCHED \
	    -u RESILOPS_CONF_EXTRA -u RESILOPS_DB_TLS_PORT -u RESILOPS_DB_TMPFS \
	    -u RESILOPS_FCGI_WRAP -u RESILOPS_DB_EXTERNAL -u RESILOPS_DB_HOSTS \
	    RESILOPS_BUILD="$CBUILD" "${@:3}" \
	    bash "$CLUSTER_TOP/tests/stack.sh" "$(cluster_host_dir "$1")" "$2"
}

# conf_set FILE SECTION KEY VALUE: set one key of an ini file in place
# (the key must be there: resilops-admin init writes every key).
conf_set() {
	local f=$1 n
	n=$(awk -v s="[$2]" -v k="$3" '
	    /^\[/ { in_s = ($0 == s) }
	    in_s && $1 == k && $2 == "=" { n++ }
	    END { print n + 0 }' "$f")
	[[ $n == 1 ]] || { cluster_die "$f: no single $3 in [$2]"; return 1; }
	awk -v s="[$2]" -v k="$3" -v v="$4" '
	    /^\[/ { in_s = ($0 == s) }
	    in_s && $1 == k && $2 == "=" { print k " = " v; next }
	    { print }' "$f" >"$f.new" && chmod 600 "$f.new" && mv "$f.new" "$f"
}

# conf_get FILE SECTION KEY: its value (comments after ';' dropped).
conf_get() {
	awk -v s="[$2]" -v k="$3" '
	    /^\[/ { in_s = ($0 == s) }
	    in_s && $1 == k && $2 == "=" { sub(/^[^=]*= */, ""); sub(/ *;.*$/, ""); print; exit }' "$1"
}

# Host N's config (N > 1): host 1's with its own nodes and static_dir.
cluster_host_conf() {
	local n=$1 dir src dst kv key
	dir=$(cluster_host_dir "$n")
	src=$(cluster_host_dir 1)/resilops.conf
	dst=$dir/resilops.conf
	[[ -f $dst ]] && return 0
	(umask 077 && mkdir -p "$dir") && chmod 700 "$dir" || return 1
	install -m 600 "$(cluster_host_dir 1)/db-password" "$dir/db-password" || return 1
	cp "$src" "$dst.tmp" && chmod 600 "$dst.tmp" || return 1
	while read -r kv; do
		key=${kv%%=*}
		conf_set "$dst.tmp" database "${key#database.}" "${kv#*=}" || return 1
	done < <(STACK_DB_EXTERNAL=1 STACK_DB_HOSTS=$(cluster_db_hosts "$n") stack_db_target)
	conf_set "$dst.tmp" pages static_dir "$dir/static" && mv "$dst.tmp" "$dst"
}

# The secrets every host must share, host by host the same.
cluster_same_secrets() {
	local n key first="" this
	for n in "${CLUSTER_HOSTS[@]}"; do
		this=""
		for key in auth:jwt_secret secrets:audit_key secrets:data_key \
		    secrets:data_key_version secrets:data_keys; do
			this+="$(conf_get "$(cluster_host_dir "$n")/resilops.conf" "${key%%:*}" "${key#*:}")|"
		done
		[[ -n $first ]] || first=$this
		[[ $this == "$first" ]] ||
		    { cluster_die "host $n's secrets differ from host 1's"; return 1; }
	done
}

cluster_host_start() {
	local n=$1 conf=$CLUSTER_CONF_EXTRA own
	((CLUSTER_SYNC_WAIT == 0)) || conf+=" database.sync_wait=$CLUSTER_SYNC_WAIT"
	((n == 1)) || cluster_host_conf "$n" || return 1
	own=$(cluster_host_nodes "$n" | head -n 1)
	cluster_say "web host $n on 127.0.0.1:$(cluster_host_port "$n"), database $(cluster_db_hosts "$n")"
	cluster_stack "$n" start RESILOPS_PORT="$(cluster_host_port "$n")" \
	    RESILOPS_WORKERS="$CLUSTER_WORKERS" RESILOPS_SCHED=1 RESILOPS_WEB=nginx \
	    RESILOPS_DB_EXTERNAL="$(galera_sock "$own")" \
	    RESILOPS_DB_HOSTS="$(cluster_db_hosts "$n")" RESILOPS_CONF_EXTRA="$conf"
}

# ------------------------------------------------------------------ front

cluster_front() {
	"${STACK_ENV[@]}" nginx -p "$CSTATE/front" -c "$CSTATE/front.conf" \
	    -e "$CLOG/front-error.log" "$@"
}

cluster_front_conf() {
	local user n ups=""
	user="# not root: the workers run as $(id -un)"
	[[ $(id -u) == 0 ]] && user="user root root;"
	for n in "${CLUSTER_HOSTS[@]}"; do
		# A host that failed is left alone 2 s before it is tried again.
		ups+=$'\t\t'"server 127.0.0.1:$(cluster_host_port "$n") max_fails=1 fail_timeout=2s;"$'\n'
	done
	awk -v state="$CSTATE" -v port="$CLUSTER_PORT" -v user="$user" -v ups="${ups%$'\n'}" '
	    $0 == "@USER@" { print user; next }
	    $0 == "@UPSTREAMS@" { print ups; next }
	    { gsub(/@STATE@/, state); gsub(/@PORT@/, port); print }' \
	    "$CLUSTER_TOP/tests/cluster/front-nginx.conf.in" >"$CSTATE/front.conf.new" &&
	    mv "$CSTATE/front.conf.new" "$CSTATE/front.conf"
}

cluster_front_code() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
	    "http://127.0.0.1:$CLUSTER_PORT$1" 2>/dev/null || true
}

cluster_front_ok() { [[ $(cluster_front_code /healthz) == 200 ]]; }

cluster_front_start() {
	(umask 077 && mkdir -p "$CSTATE/front" "$CRUN" "$CLOG") || return 1
	if ! STATE=$CSTATE stack_pid "$CRUN/front.pid" nginx >/dev/null; then
		cluster_front_conf || return 1
		cluster_front -t -q || { cluster_die "nginx rejects $CSTATE/front.conf"; return 1; }
		cluster_front || {
			stack_log_tail "$CLOG/front-error.log"
			cluster_die "the front did not start (is 127.0.0.1:$CLUSTER_PORT in use?)"
			return 1
		}
	fi
	stack_wait 300 "the front's /healthz on 127.0.0.1:$CLUSTER_PORT" cluster_front_ok
}

cluster_front_stop() {
	local pid
	pid=$(STATE=$CSTATE stack_pid "$CRUN/front.pid" nginx) || return 0
	stack_kill "the front" "$pid" QUIT 100
}

# ------------------------------------------------------------- the daemons

# SQL on the first node that answers (the others may be down in a test).
cluster_sql() {
	local n
	for n in $(galera_running); do
		galera_sql "$n" "USE resilops; $1" 2>/dev/null && return 0
	done
	return 1
}

# The pid of host N's resilops-sched, if it runs.
cluster_sched_pid() {
	cluster_stack "$1" pids | awk '$1 == "sched" { print $2 }'
}

# "N HOLDER": the web host whose daemon holds an unexpired lease.
cluster_sched_leader() {
	local holder pid n
	holder=$(cluster_sql "SELECT holder FROM sched_lease WHERE id = 1 AND
	    holder <> '' AND expires_at > UTC_TIMESTAMP(3)") || return 1
	[[ -n $holder ]] || return 1
	# The holder is host:pid:random (resilops-sched's main.c).
	pid=${holder%:*}
	pid=${pid##*:}
	for n in "${CLUSTER_HOSTS[@]}"; do
		[[ $(cluster_sched_pid "$n") == "$pid" ]] && { printf '%s %s\n' "$n" "$holder"; return 0; }
	done
	return 1
}

cluster_has_leader() { cluster_sched_leader >/dev/null; }

# --------------------------------------------------------------- the whole

cluster_start() {
	local n
	stack_tools >/dev/null || return 1
	galera_start || return 1
	for n in "${CLUSTER_HOSTS[@]}"; do
		cluster_host_start "$n" || { cluster_die "web host $n did not start"; return 1; }
	done
	cluster_same_secrets || return 1
	cluster_front_start || return 1
	# Both daemons tick every 2 s: one of them leads within a tick or
	# two (the lease of a daemon killed earlier expires first).
	stack_wait 600 "a resilops-sched to lead" cluster_has_leader || return 1
	cluster_status
}

# Everything, front first, the database last; never fails.
cluster_stop() {
	local n
	cluster_front_stop || true
	for n in "${CLUSTER_HOSTS[@]}"; do
		[[ -f $(cluster_host_dir "$n")/stack.env ]] || continue
		cluster_stack "$n" stop || true
		cluster_host_fcgi_sweep "$n" TERM || cluster_host_fcgi_sweep "$n" KILL || true
	done
	galera_stop || true
}

cluster_status() {
	local n pid leader
	galera_status
	for n in "${CLUSTER_HOSTS[@]}"; do
		printf 'web host %s (127.0.0.1:%s):\n' "$n" "$(cluster_host_port "$n")"
		cluster_stack "$n" status || true
	done
	if pid=$(STATE=$CSTATE stack_pid "$CRUN/front.pid" nginx); then
		printf 'front 127.0.0.1:%s running (pid %s), /healthz %s\n' "$CLUSTER_PORT" \
		    "$pid" "$(cluster_front_code /healthz)"
	else
		printf 'front 127.0.0.1:%s stopped\n' "$CLUSTER_PORT"
	fi
	if leader=$(cluster_sched_leader); then
		printf 'resilops-sched leading: web host %s (%s)\n' "${leader%% *}" "${leader#* }"
	else
		printf 'resilops-sched leading: none\n'
	fi
}

# What the integration tests and the fault tests read.
cluster_env() {
	printf 'RESILOPS_URL=http://127.0.0.1:%s\n' "$CLUSTER_PORT"
	printf 'RESILOPS_STATE=%s\n' "$(cluster_host_dir 1)"
	printf 'RESILOPS_BUILD=%s\n' "$CBUILD"
	printf 'RESILOPS_LAYOUT=cluster\n'
	printf 'RESILOPS_CLUSTER_STATE=%s\n' "$CSTATE"
}

cluster_with_env() {
	local kv envs=()
	while read -r kv; do envs+=("$kv"); done < <(cluster_env)
	env "${envs[@]}" "$@"
}

# The suite as on the single host's test stack, which runs no daemon:
# its tests drive resilops-sched --once themselves (a running leader
# would keep the lease from them).  The daemons start again after.
cluster_suite() {
	local n rc=0
	for n in "${CLUSTER_HOSTS[@]}"; do cluster_stack "$n" sched-stop; done
	cluster_with_env python3 -u "$CLUSTER_TOP/tests/integration/run.py" "$@" \
	    </dev/null || rc=$?
	for n in "${CLUSTER_HOSTS[@]}"; do cluster_stack "$n" sched-start || rc=1; done
	return "$rc"
}

cluster_faults() {
	cluster_with_env python3 -u "$CLUSTER_TOP/tests/cluster/test_cluster_faults.py" "$@" </dev/null
}

# Every resilops.fcgi process of web host N, the pool's or an orphan: a
# pool killed at the moment it forks a new worker leaves that worker
# behind, its parent gone (seen: host-kill), serving a socket nobody
# reaches any more, and holding whatever it inherited.
cluster_host_fcgi() {
	stack_procs "$CBUILD/resilops.fcgi" -c "$(cluster_host_dir "$1")/resilops.conf"
}

cluster_host_fcgi_gone() { [[ -z $(cluster_host_fcgi "$1") ]]; }

# Signal whatever is left of host N's pool until none is.
cluster_host_fcgi_sweep() {	# N SIGNAL
	local pid left
	left=$(cluster_host_fcgi "$1")
	[[ -n $left ]] || return 0
	cluster_say "web host $1: resilops.fcgi left behind: ${left//$'\n'/ } (SIG$2)"
	for pid in $left; do
		kill -"$2" "$pid" 2>/dev/null || true
	done
	stack_wait 100 "web host $1's resilops.fcgi to exit" cluster_host_fcgi_gone
}

cluster_host_stop() {	# N TERM|KILL
	local name pid victims=()
	if [[ $2 == KILL ]]; then
		# nginx and the pool, with their workers.
		mapfile -t victims < <(cluster_host_fcgi "$1")
		while read -r name pid; do
			[[ $name == nginx ]] || continue
			victims+=("$pid")
			mapfile -t -O "${#victims[@]}" victims < <(ps -o pid= --ppid "$pid" | tr -d " ")
		done < <(cluster_stack "$1" pids)
		((${#victims[@]} == 0)) || kill -KILL "${victims[@]}" 2>/dev/null || true
		cluster_host_fcgi_sweep "$1" KILL
		return
	fi
	cluster_stack "$1" web-stop && cluster_stack "$1" fcgi-stop
}

cluster_host_resume() {
	cluster_stack "$1" fcgi-start && cluster_stack "$1" web-start
}

cluster_check() {
	local rc=0 suite=0 faults=0
	galera_tools || exit 77
	trap 'cluster_stop' EXIT
	cluster_start || { cluster_stop; exit 99; }
	cluster_suite || suite=1
	cluster_faults || faults=1
	((suite == 0)) || { cluster_say "the integration suite through the front failed"; rc=1; }
	((faults == 0)) || { cluster_say "the fault tests failed"; rc=1; }
	return "$rc"
}

cluster_main() {
	set -uo pipefail
	local usage="usage: tests/cluster/cluster.sh STATE start|stop|status|env|check|sched-leader|suite [ARGS]|faults [ARGS]|host-stop|host-kill|host-start|sched-stop|sched-kill|sched-start|node-stop|node-kill|node-start N"
	(($# >= 2)) || { echo "$usage" >&2; exit 2; }
	cluster_init "$1" || exit 2
	local verb=$2
	shift 2
	case $verb in
	host-* | sched-stop | sched-kill | sched-start | node-*)
		if (($# != 1)) || [[ ! $1 =~ ^[123]$ ]] ||
		    [[ $verb != node-* && ! $1 =~ ^[12]$ ]]; then
			echo "$usage" >&2
			exit 2
		fi
		;;
	esac
	case $verb in
	start) cluster_start || { cluster_stop; exit 1; } ;;
	stop) cluster_stop ;;
	status) cluster_status ;;
	env) cluster_env ;;
	check) cluster_check ;;
	suite) cluster_suite "$@" ;;
	faults) cluster_faults "$@" ;;
	sched-leader) cluster_sched_leader ;;
	host-stop) cluster_host_stop "$1" TERM ;;
	host-kill) cluster_host_stop "$1" KILL ;;
	host-start) cluster_host_resume "$1" ;;
	sched-stop | sched-kill | sched-start) cluster_stack "$1" "$verb" ;;
	node-start) galera_node_start "$1" ;;
	node-stop) galera_node_stop "$1" TERM && galera_settle ;;
	node-kill) galera_node_stop "$1" KILL && galera_settle ;;
	*)
		echo "$usage" >&2
		exit 2
		;;
	esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	cluster_main "$@"
fi
