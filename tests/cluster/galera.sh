#!/usr/bin/env bash
# A three-node MariaDB Galera cluster under one state directory, for the
# cluster tests: each node its own data directory, config, unix socket
# and log, all of it listening on 127.0.0.1 only, run as the invoking
# user (like tests/stack.sh's MariaDB).  Node 1 bootstraps the cluster
# (--wsrep-new-cluster); nodes 2 and 3 join it and receive a full copy
# from a donor (SST: mariabackup when installed, else rsync); start
# returns once all three are Synced in one Primary component of size 3.
#
#	tests/cluster/galera.sh STATE start|stop|status|ports
#	tests/cluster/galera.sh STATE node-start|node-stop|node-kill N
#
# node-stop (SIGTERM) and node-kill (SIGKILL, a crash) return once the
# nodes left agree on a Primary component without it; node-start N
# (re)joins node N, by IST when the donor's gcache still holds what it
# missed, else by SST.  Losing two of three nodes leaves the third
# non-Primary: it answers every query with ERROR 1047 "WSREP has not yet
# prepared node for application use".
#
# Ports (RESILOPS_GALERA_PORT, 18500: node N uses BASE + 10 N ...):
#	BASE+10N	MariaDB clients (127.0.0.1)
#	BASE+10N+1	Galera replication (gmcast)
#	BASE+10N+2	incremental state transfer (IST)
#	BASE+10N+3	full state transfer (SST: socat or rsync's daemon, while
#			it runs)
# so 18510-18513, 18520-18523 and 18530-18533.
#
# RESILOPS_GALERA_SST: mariabackup or rsync (the default: mariabackup if
# installed, Debian's mariadb-backup).  rsync does not work as root: the
# joiner's rsync daemon, run by root, switches to the user nobody, which
# cannot write the node's datadir (mode 0700), and the donor's rsync
# then fails with 'cannot stat destination "." (in rsync_sst):
# Permission denied (13)'.  mariabackup also leaves the donor writable
# during the copy, where rsync blocks its commits.
#
# Layout: STATE/nodeN/data (datadir), STATE/nodeN/my.cnf (the node's only
# option file: mariadbd and the SST scripts read it, never /etc/mysql),
# STATE/run/nodeN.sock and .pid, STATE/log/nodeN.log.
#
# The database account is the invoking user's, by unix socket (made by
# mariadb-install-db on node 1 and copied to the others by SST).
#
# stop stops the nodes in reverse order (3, 2, 1), each cleanly, so that
# node 1 is the last to leave and the one that can bootstrap again.
# start bootstraps from the first node whose grastate.dat says it is safe
# to (after a crash of all three, none is: GALERA_FORCE_BOOTSTRAP=N then
# marks node N safe, which may lose what only the others had).

# stack_alive and stack_pid; and /usr/sbin on the PATH (mariadbd).
# shellcheck source=tests/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/../stack.sh"
GALERA_TOOLS=(mariadbd mariadb-install-db mariadb mariadb-admin
	my_print_defaults)
GALERA_PROVIDER=${RESILOPS_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
GALERA_NODES=(1 2 3)

# Client defaults from the environment stay out of what we start.
GALERA_ENV=(env -u MYSQL_USER -u MYSQL_PASSWORD -u MYSQL_HOST -u MYSQL_PORT
	-u MYSQL_PWD -u MYSQL_UNIX_PORT -u MYSQL_TCP_PORT -u MYSQL_HOME)

galera_say() { printf '%s\n' "$*"; }
galera_warn() { printf 'galera: %s\n' "$*" >&2; }
galera_die() { printf 'galera: %s\n' "$*" >&2; return 1; }

# The SST method, and the programs it needs added to GALERA_TOOLS.
galera_sst() {
	GALERA_SST=${RESILOPS_GALERA_SST:-}
	if [[ -z $GALERA_SST ]]; then
		GALERA_SST=rsync
		command -v mariabackup >/dev/null 2>&1 && GALERA_SST=mariabackup
	fi
	case $GALERA_SST in
	mariabackup) GALERA_TOOLS+=(mariabackup socat wsrep_sst_mariabackup) ;;
	rsync)
		GALERA_TOOLS+=(rsync wsrep_sst_rsync)
		if [[ $(id -u) == 0 ]]; then
			galera_die "rsync SST does not work as root (its daemon writes as nobody): apt-get install mariadb-backup"
			return 1
		fi
		;;
	*) galera_die "bad RESILOPS_GALERA_SST: $GALERA_SST (mariabackup or rsync)"; return 1 ;;
	esac
}

galera_tools() {
	local t missing=()
	galera_sst || return 1
	for t in "${GALERA_TOOLS[@]}"; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	[[ -r $GALERA_PROVIDER ]] || missing+=("$GALERA_PROVIDER (galera-4)")
	((${#missing[@]} == 0)) ||
	    { galera_die "not found: ${missing[*]} (apt-get install galera-4 mariadb-server mariadb-backup)"; return 1; }
}

# galera_init STATE: the paths and ports (the state dir made absolute).
galera_init() {
	local dir=$1
	[[ $dir == /* ]] || dir=$PWD/$dir
	[[ -d $dir ]] && dir=$(cd "$dir" && pwd -P)
	GSTATE=${dir%/}
	GRUN=$GSTATE/run
	GLOG=$GSTATE/log
	GALERA_BASE=${RESILOPS_GALERA_PORT:-18500}
	if [[ ! $GALERA_BASE =~ ^[1-9][0-9]*$ ]] || ((GALERA_BASE + 33 > 65535)); then
		galera_die "bad RESILOPS_GALERA_PORT: $GALERA_BASE"
		return 1
	fi
	if ((${#GRUN} + 12 > 100)); then
		galera_die "state dir path too long for a unix socket: $GSTATE"
		return 1
	fi
}

galera_port() { printf '%s\n' $((GALERA_BASE + 10 * $1 + ${2:-0})); }
galera_sock() { printf '%s\n' "$GRUN/node$1.sock"; }
galera_datadir() { printf '%s\n' "$GSTATE/node$1/data"; }

# The pid of node N's mariadbd if it runs (and is ours: its command
# line names this node's directory).
galera_pid() {
	STATE=$GSTATE stack_pid "$GRUN/node$1.pid" "$GSTATE/node$1/"
}

# galera_sql N SQL: run SQL on node N as the invoking user, tab-separated
# output without headers.
galera_sql() {
	"${GALERA_ENV[@]}" mariadb --no-defaults --socket="$(galera_sock "$1")" \
	    -u "$(id -un)" --connect-timeout=2 -N -B -e "$2"
}

# galera_var N NAME: one wsrep status variable of node N.
galera_var() {
	galera_sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2
}

# Node N is a working member: Synced, in the Primary component, ready,
# and the component has WANT members.
galera_synced() {
	local n=$1 want=$2
	[[ $(galera_var "$n" wsrep_local_state_comment) == Synced &&
	    $(galera_var "$n" wsrep_cluster_status) == Primary &&
	    $(galera_var "$n" wsrep_ready) == ON &&
	    $(galera_var "$n" wsrep_cluster_size) == "$want" ]]
}

# galera_wait N PID WANT TENTHS: poll until node N is synced in a
# component of WANT members; give up at once if its mariadbd died.
galera_wait() {
	local n=$1 pid=$2 want=$3 tenths=$4 i
	for ((i = 0; i < tenths; i += 2)); do
		galera_synced "$n" "$want" && return 0
		stack_alive "$pid" || {
			galera_log_tail "$n"
			galera_die "node $n (pid $pid) exited while starting"
			return 1
		}
		sleep 0.2
	done
	galera_log_tail "$n"
	galera_die "node $n is not Synced in a cluster of $want after $((tenths / 10)) s"
}

galera_log_tail() {
	[[ -s $GLOG/node$1.log ]] || return 0
	printf -- '--- last lines of %s ---\n' "$GLOG/node$1.log" >&2
	tail -n 25 "$GLOG/node$1.log" >&2
}

# The option file of node N.  innodb_autoinc_lock_mode=2 and ROW binlog
# format are what Galera requires; the buffer pool is small (three nodes
# share two cores and the test stack's memory).
galera_cnf() {
	local n=$1 i peers=() f=$GSTATE/node$1/my.cnf
	for i in "${GALERA_NODES[@]}"; do
		peers+=("127.0.0.1:$(galera_port "$i" 1)")
	done
	cat >"$f.new" <<-EOF
	# Made by tests/cluster/galera.sh: node $n of the test cluster.
	[mysqld]
	datadir=$(galera_datadir "$n")
	socket=$(galera_sock "$n")
	pid-file=$GRUN/node$n.pid
	log-error=$GLOG/node$n.log
	bind-address=127.0.0.1
	port=$(galera_port "$n")
	user=$(id -un)
	innodb_buffer_pool_size=64M
	innodb_log_file_size=48M
	max_connections=200
	default_storage_engine=InnoDB
	binlog_format=ROW
	innodb_autoinc_lock_mode=2
	innodb_flush_log_at_trx_commit=2
	wsrep_on=ON
	wsrep_provider=$GALERA_PROVIDER
	wsrep_cluster_name=resilops-test
	wsrep_cluster_address=gcomm://$(IFS=,; printf '%s' "${peers[*]}")
	wsrep_node_name=node$n
	wsrep_node_address=127.0.0.1:$(galera_port "$n" 1)
	wsrep_node_incoming_address=127.0.0.1:$(galera_port "$n")
	wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(galera_port "$n" 1);ist.recv_addr=127.0.0.1:$(galera_port "$n" 2);gcache.size=64M"
	wsrep_sst_method=$GALERA_SST
	# mariabackup's login on the donor: the invoking user's unix_socket
	# account (the password part is ignored).
	wsrep_sst_auth=$(id -un):
	wsrep_sst_receive_address=127.0.0.1:$(galera_port "$n" 3)
	wsrep_slave_threads=2
	EOF
	mv "$f.new" "$f"
}

# Node 1's data directory, made once; the others start empty and get
# theirs from a donor by SST.
galera_install() {
	local n=$1 d
	d=$(galera_datadir "$n")
	(umask 077 && mkdir -p "$d") || return 1
	[[ $n == 1 && ! -d $d/mysql ]] || return 0
	galera_say "Initialising MariaDB in $d"
	"${GALERA_ENV[@]}" mariadb-install-db --no-defaults --datadir="$d" \
	    --user="$(id -un)" --auth-root-authentication-method=socket \
	    --skip-test-db >>"$GLOG/install.log" 2>&1 || {
		tail -n 20 "$GLOG/install.log" >&2
		galera_die "mariadb-install-db failed (log: $GLOG/install.log)"
	}
}

# The nodes that run now, in order.
galera_running() {
	local n
	for n in "${GALERA_NODES[@]}"; do
		galera_pid "$n" >/dev/null && printf '%s\n' "$n"
	done
	return 0
}

# grastate.dat says node N may bootstrap (or there is none yet: a new
# cluster).
galera_safe() {
	local f
	f=$(galera_datadir "$1")/grastate.dat
	[[ ! -e $f ]] || grep -q '^safe_to_bootstrap: *1' "$f"
}

# galera_node_start N [--wsrep-new-cluster]: start node N and wait until
# it is Synced in a component as large as the running nodes.
galera_node_start() {
	local n=$1 pid want
	shift
	if pid=$(galera_pid "$n"); then
		galera_say "node $n already runs (pid $pid)"
		return 0
	fi
	if (($# == 0)) && [[ -z $(galera_running) ]]; then
		galera_die "no node runs for node $n to join (start bootstraps)"
		return 1
	fi
	[[ -n ${GALERA_SST:-} ]] || galera_tools || return 1
	galera_install "$n" && galera_cnf "$n" || return 1
	want=$(($(galera_running | wc -l) + 1))
	rm -f "$(galera_sock "$n")"
	# --defaults-file must come first.  setsid: the node outlives this
	# script and a ^C in the caller's terminal.
	setsid "${GALERA_ENV[@]}" mariadbd --defaults-file="$GSTATE/node$n/my.cnf" \
	    "$@" </dev/null >>"$GLOG/node$n.log" 2>&1 &
	pid=$!
	galera_say "node $n: mariadbd pid $pid${1:+ ($1)}, port $(galera_port "$n")"
	# SST copies the whole datadir: give a joiner time.
	galera_wait "$n" "$pid" "$want" 1800
}

galera_node_stop() {
	local n=$1 sig=${2:-TERM} pid i
	pid=$(galera_pid "$n") || return 0
	kill -"$sig" "$pid" 2>/dev/null || return 0
	# A clean shutdown of a node that still has to leave the component
	# can take a few seconds; 60 s is the outer bound.
	for ((i = 0; i < 600; i++)); do
		stack_alive "$pid" || { galera_say "node $n stopped (SIG$sig)"; return 0; }
		sleep 0.1
	done
	galera_warn "node $n (pid $pid) did not stop on SIG$sig, killing it"
	kill -KILL "$pid" 2>/dev/null || true
}

# Some running node is in the Primary component.
galera_primary() {
	local n
	for n in $(galera_running); do
		[[ $(galera_var "$n" wsrep_cluster_status) == Primary ]] && return 0
	done
	return 1
}

# After a node left (or was killed): wait until every node still running
# sees a component of that many members (or, a minority, sees itself
# non-Primary).  A clean stop says goodbye; a
# killed node is noticed only after Galera's suspect timeout (about 5 s).
galera_settle() {
	local n want i ok
	want=$(galera_running | wc -l)
	((want > 0)) || return 0
	for ((i = 0; i < 300; i += 2)); do
		ok=1
		for n in $(galera_running); do
			if ((want * 2 > ${#GALERA_NODES[@]})); then
				galera_synced "$n" "$want" || { ok=0; break; }
			else
				# A minority: it must see that it lost quorum.
				[[ $(galera_var "$n" wsrep_cluster_status) == non-Primary ]] ||
				    { ok=0; break; }
			fi
		done
		((ok)) && return 0
		sleep 0.2
	done
	galera_status >&2
	galera_die "the running nodes do not agree on a Primary component of $want"
}

galera_start() {
	local n boot=""
	galera_tools || return 1
	(umask 077 && mkdir -p "$GSTATE" "$GRUN" "$GLOG") && chmod 700 "$GSTATE" || return 1
	if [[ -z $(galera_running) ]]; then
		if [[ -n ${GALERA_FORCE_BOOTSTRAP:-} ]]; then
			boot=$GALERA_FORCE_BOOTSTRAP
			[[ $boot =~ ^[123]$ ]] || { galera_die "bad GALERA_FORCE_BOOTSTRAP: $boot"; return 1; }
			sed -i 's/^safe_to_bootstrap: *0/safe_to_bootstrap: 1/' \
			    "$(galera_datadir "$boot")/grastate.dat" 2>/dev/null
		else
			for n in "${GALERA_NODES[@]}"; do
				galera_safe "$n" && { boot=$n; break; }
			done
		fi
		[[ -n $boot ]] || {
			galera_die "no node is safe to bootstrap (all crashed?): GALERA_FORCE_BOOTSTRAP=N to choose one"
			return 1
		}
		galera_node_start "$boot" --wsrep-new-cluster || { galera_stop; return 1; }
	elif ! galera_primary; then
		# What is left of a cluster that lost quorum (two nodes killed):
		# the first running node becomes the Primary component again,
		# as an operator does once the others are known to be down.
		boot=$(galera_running | head -n 1)
		galera_say "no Primary component: node $boot bootstraps one (pc.bootstrap)"
		galera_sql "$boot" "SET GLOBAL wsrep_provider_options = 'pc.bootstrap=YES'" ||
		    return 1
		galera_wait "$boot" "$(galera_pid "$boot")" \
		    "$(galera_running | wc -l)" 300 || return 1
	fi
	for n in "${GALERA_NODES[@]}"; do
		galera_pid "$n" >/dev/null && continue
		galera_node_start "$n" || { galera_stop; return 1; }
	done
	galera_status
}

# Reverse order: node 1 leaves last and stays safe to bootstrap.
galera_stop() {
	local i
	for ((i = ${#GALERA_NODES[@]} - 1; i >= 0; i--)); do
		galera_node_stop "${GALERA_NODES[i]}" TERM
	done
	return 0
}

galera_status() {
	local n pid
	printf '%-5s %-8s %-6s %-8s %-8s %-5s %s\n' node pid port state status size ready
	for n in "${GALERA_NODES[@]}"; do
		if pid=$(galera_pid "$n"); then
			printf '%-5s %-8s %-6s %-8s %-8s %-5s %s\n' "$n" "$pid" \
			    "$(galera_port "$n")" \
			    "$(galera_var "$n" wsrep_local_state_comment)" \
			    "$(galera_var "$n" wsrep_cluster_status)" \
			    "$(galera_var "$n" wsrep_cluster_size)" \
			    "$(galera_var "$n" wsrep_ready)"
		else
			printf '%-5s %-8s %-6s %s\n' "$n" - "$(galera_port "$n")" stopped
		fi
	done
}

galera_ports() {
	local n
	for n in "${GALERA_NODES[@]}"; do
		printf 'node%s client=%s gmcast=%s ist=%s sst=%s socket=%s\n' "$n" \
		    "$(galera_port "$n")" "$(galera_port "$n" 1)" \
		    "$(galera_port "$n" 2)" "$(galera_port "$n" 3)" "$(galera_sock "$n")"
	done
}

galera_main() {
	set -uo pipefail
	local usage="usage: tests/cluster/galera.sh STATE start|stop|status|ports|node-start N|node-stop N|node-kill N"
	(($# >= 2)) || { echo "$usage" >&2; exit 2; }
	galera_init "$1" || exit 2
	case $2 in
	start | stop | status | ports)
		(($# == 2)) || { echo "$usage" >&2; exit 2; } ;;
	node-*)
		if (($# != 3)) || [[ ! $3 =~ ^[123]$ ]]; then
			echo "$usage" >&2
			exit 2
		fi
		;;
	esac
	case $2 in
	start) galera_start ;;
	stop) galera_stop ;;
	status) galera_status ;;
	ports) galera_ports ;;
	node-start) galera_node_start "$3" ;;
	node-stop) galera_node_stop "$3" TERM && galera_settle ;;
	node-kill) galera_node_stop "$3" KILL && galera_settle ;;
	*)
		echo "$usage" >&2
		exit 2
		;;
	esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	galera_main "$@"
fi
