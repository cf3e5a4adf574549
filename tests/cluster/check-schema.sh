#!/usr/bin/env bash
# The resilops schema on a three-node Galera cluster (tests/cluster/
# galera.sh): the database and its account made through node 1,
# resilops-admin init and migrate through node 1, then
#   - every migration recorded on every node;
#   - every table InnoDB with a primary key (Galera replicates the rows
#     of a table without one unreliably, and only InnoDB's at all);
#   - the same tables, routine and contents (CHECKSUM TABLE) on every node;
#   - an account added through node 1 read on nodes 2 and 3, and one
#     added through node 2 read on node 1.
# The cluster is stopped at the end (GALERA_KEEP=1 leaves it running).
# Without STATE, a new directory in $TMPDIR, deleted at the end (unless
# kept); with one, it is kept and may be used again.
#
#	tests/cluster/check-schema.sh [STATE]
#
# Exit status: 0 pass, 1 a check failed, 77 skip (no Galera here),
# 99 the cluster or the programs did not start.

set -uo pipefail
CHECK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/cluster/galera.sh
source "$CHECK_TOP/tests/cluster/galera.sh"
BUILD=${RESILOPS_BUILD:-$CHECK_TOP}
FAILS=0

fail() { printf 'FAIL: %s\n' "$*"; FAILS=$((FAILS + 1)); }
pass() { printf 'ok: %s\n' "$*"; }

# The resilops database on node N, as its account would see it.
rsql() { galera_sql "$1" "USE resilops; $2"; }

(($# <= 1)) || { echo "usage: tests/cluster/check-schema.sh [STATE]" >&2; exit 2; }
[[ -x $BUILD/resilops-admin ]] || { echo "no $BUILD/resilops-admin: build first" >&2; exit 99; }
TEMP_STATE=""
if (($# == 1)); then
	galera_init "$1" || exit 99
else
	TEMP_STATE=$(mktemp -d "${TMPDIR:-/tmp}/resilops-galera.XXXXXX") || exit 99
	galera_init "$TEMP_STATE" || exit 99
fi
galera_tools || exit 77
finish() {
	[[ ${GALERA_KEEP:-} == 1 ]] && return
	galera_stop
	[[ -z $TEMP_STATE ]] || rm -rf "$TEMP_STATE"
}
trap finish EXIT
galera_start || exit 99

# The account as tests/stack.sh makes it, and for TCP from 127.0.0.1 (a
# web host's pool reaches its node over TCP).
if [[ ! -s $GSTATE/db-password ]]; then
	(umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$GSTATE/db-password")
fi
read -r PW <"$GSTATE/db-password"
galera_sql 1 "CREATE DATABASE IF NOT EXISTS resilops
    CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'resilops'@'localhost' IDENTIFIED BY '$PW';
CREATE USER IF NOT EXISTS 'resilops'@'127.0.0.1' IDENTIFIED BY '$PW';
GRANT ALL PRIVILEGES ON resilops.* TO 'resilops'@'localhost';
GRANT ALL PRIVILEGES ON resilops.* TO 'resilops'@'127.0.0.1';" ||
    { echo "cannot make the database and its account" >&2; exit 99; }

# One config per node, the same but for the node it talks to.
for n in 1 2; do
	conf=$GSTATE/resilops-node$n.conf
	[[ -f $conf ]] && continue
	(umask 077 && "${GALERA_ENV[@]}" -u RESILOPS_CONFIG "$BUILD/resilops-admin" \
	    init "$conf" database.socket="$(galera_sock "$n")" \
	    database.user=resilops database.password="$PW" \
	    database.name=resilops pages.static_dir="$GSTATE/static" \
	    >/dev/null) || { echo "resilops-admin init failed" >&2; exit 99; }
	chmod 600 "$conf"
done
admin() {	# NODE ARGS...
	local n=$1
	shift
	"${GALERA_ENV[@]}" -u RESILOPS_CONFIG "$BUILD/resilops-admin" \
	    -c "$GSTATE/resilops-node$n.conf" "$@"
}

if admin 1 migrate >"$GLOG/migrate.log" 2>&1; then
	pass "resilops-admin migrate through node 1 ($(grep -c '^applied' "$GLOG/migrate.log") applied)"
else
	fail "resilops-admin migrate through node 1:"
	sed 's/^/    /' "$GLOG/migrate.log"
fi

want=$(find "$CHECK_TOP/sql" -maxdepth 1 -name '[0-9][0-9][0-9]_*.sql' | wc -l)
for n in "${GALERA_NODES[@]}"; do
	got=$(rsql "$n" "SELECT COUNT(*) FROM schema_migrations")
	if [[ $got == "$want" ]]; then
		pass "node $n: $got migrations recorded"
	else
		fail "node $n: $got migrations recorded, $want in sql/"
	fi
done

nopk=$(rsql 1 "SELECT t.table_name FROM information_schema.tables t
    WHERE t.table_schema = 'resilops' AND t.table_type = 'BASE TABLE'
    AND NOT EXISTS (SELECT 1 FROM information_schema.table_constraints c
	WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
	AND c.constraint_type = 'PRIMARY KEY')" | tr '\n' ' ')
if [[ -z $nopk ]]; then
	pass "every table has a primary key"
else
	fail "tables without a primary key: $nopk"
fi
notinno=$(rsql 1 "SELECT CONCAT(table_name, '=', engine) FROM
    information_schema.tables WHERE table_schema = 'resilops' AND
    table_type = 'BASE TABLE' AND engine <> 'InnoDB'" | tr '\n' ' ')
if [[ -z $notinno ]]; then
	pass "every table is InnoDB"
else
	fail "tables not InnoDB (Galera does not replicate them): $notinno"
fi

# The schema and the rows the migrations wrote, node by node.
tables=$(rsql 1 "SELECT GROUP_CONCAT(table_name ORDER BY table_name) FROM
    information_schema.tables WHERE table_schema = 'resilops' AND
    table_type = 'BASE TABLE'")
schema() {
	rsql "$1" "SELECT table_name, column_name, column_type FROM
	    information_schema.columns WHERE table_schema = 'resilops'
	    ORDER BY table_name, ordinal_position;
	    SELECT routine_name, routine_type FROM information_schema.routines
	    WHERE routine_schema = 'resilops';
	    CHECKSUM TABLE $tables EXTENDED"
}
schema 1 >"$GSTATE/schema-node1.txt"
for n in 2 3; do
	schema "$n" >"$GSTATE/schema-node$n.txt"
	if cmp -s "$GSTATE/schema-node1.txt" "$GSTATE/schema-node$n.txt"; then
		pass "node $n: the same columns, routines and table checksums as node 1"
	else
		fail "node $n differs from node 1:"
		diff "$GSTATE/schema-node1.txt" "$GSTATE/schema-node$n.txt" | head -n 20 | sed 's/^/    /'
	fi
done

# A write through one node, read on the others (the account's row
# replicated in its commit: Galera's replication is virtually synchronous,
# and wsrep_sync_wait makes the read wait for it).
readback() {	# WRITE-NODE USER READ-NODES...
	local w=$1 user=$2 n got
	shift 2
	if ! printf 'galera-%s-password\n' "$user" |
	    admin "$w" user add "$user" user >>"$GLOG/admin.log" 2>&1; then
		fail "resilops-admin user add $user through node $w (log: $GLOG/admin.log)"
		return
	fi
	for n in "$@"; do
		got=$(rsql "$n" "SET SESSION wsrep_sync_wait = 1;
		    SELECT role FROM users WHERE username = '$user'")
		if [[ $got == user ]]; then
			pass "an account added through node $w is read on node $n"
		else
			fail "node $n: the account added through node $w reads '$got'"
		fi
	done
}
# Names of this run: a kept state dir holds the last run's.
RUN_ID=$(date +%s)-$$
readback 1 "galera-one-$RUN_ID" 2 3
readback 2 "galera-two-$RUN_ID" 1 3

((FAILS == 0)) || { echo "$FAILS checks failed"; exit 1; }
echo "all checks passed"
