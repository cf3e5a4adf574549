#!/usr/bin/env bash
# The resilops-sched benchmark, one command: bench/sched.sh
#
# Builds if needed, starts a private stack (tests/stack.sh, no daemon,
# one FastCGI worker) in a fresh state dir, and for each size of
# BENCH_SIZES seeds that many services set-based in SQL (below), then
# runs one full tick, `resilops-sched --once --now BENCH_NOW`, and a
# second one at the same instant (which finds nothing new to do).  It
# prints the seconds of every job (the daemon logs "job NAME: S s"),
# their sum and the process's wall time, and the ratio between the
# largest and the smallest size.  Everything is torn down at the end.
#
# Settings (environment):
#	BENCH_PORT	nginx port on 127.0.0.1 (18210)
#	BENCH_SIZES	service counts, smallest first ("10000 100000")
#	BENCH_NOW	the --now of both ticks (2030-06-01T12:00:00Z)
#	BENCH_POOL	InnoDB buffer pool for the run (1G; stack.sh starts
#			MariaDB with 256M, set at run time with SET GLOBAL;
#			"" keeps the stack's)
#	BENCH_STATE	state dir (a new /tmp/resilops-sched-bench.XXXXXX);
#			must not exist yet
#	BENCH_KEEP	1: leave the stack and the last data set running
#			(for EXPLAIN and profiling)
#
# The data set, per service (ids 1..N, deterministic): a BIA; 1-3
# dependencies on lower ids; a status row for 99% of them, with
# heartbeats as of BENCH_NOW fresh for 90%, 300-600 s old for 3% (they
# turn Degraded), older than 600 s for 3% (they turn Down, with a
# downtime), and 1% Degraded and 2% Down already; 10 closed outages
# spread over 90 days (the newest within the last 7 days) and an open
# one for the Down and for 1% more, so 1,003,000 downtimes at 100,000;
# 0-6 Email/AWS integrations (plain configs, nothing to encrypt); an
# older automated risk record for 60% and a manual one for 10%; two
# acknowledged alerts, and an open one for those not Up.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=${BENCH_PORT:-18210}
SIZES=${BENCH_SIZES:-"10000 100000"}
NOW=${BENCH_NOW:-2030-06-01T12:00:00Z}
POOL=${BENCH_POOL-1G}
KEEP=${BENCH_KEEP:-0}

# CLEAN_ENV, stack, sql (one worker: the daemon is measured, not the pool).
WORKERS=1
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

say() { printf 'sched-bench: %s\n' "$*" >&2; }
die() { printf 'sched-bench: %s\n' "$*" >&2; exit 1; }

for n in $SIZES; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "bad size in BENCH_SIZES: $n"
done
[[ $NOW =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] ||
    die "BENCH_NOW must look like 2030-06-01T12:00:00Z"
NOW_SQL=${NOW/T/ }
NOW_SQL=${NOW_SQL%Z}
for cmd in mariadb spawn-fcgi nginx curl awk; do
	command -v "$cmd" >/dev/null || die "$cmd is missing"
done
START=$SECONDS
LOAD0=$(cut -d' ' -f1 /proc/loadavg)

say "building (make -j2)"
make -C "$TOP" -j2 resilops-sched >/dev/null ||
    die "resilops-sched does not build (run make -j2 in $TOP)"
# The stack needs the others; only resilops-sched is measured.
if ! make -C "$TOP" -j2 >/dev/null 2>&1; then
	[[ -x $TOP/resilops-admin && -x $TOP/resilops.fcgi ]] ||
	    die "the build failed (run make -j2 in $TOP)"
	say "warning: the build failed; the stack uses the programs built before"
fi

# ------------------------------------------------------------------ stack

if [[ -n ${BENCH_STATE:-} ]]; then
	[[ -e $BENCH_STATE ]] && die "$BENCH_STATE exists: give a new state dir"
	STATE=$BENCH_STATE
	mkdir -p "$STATE"
else
	STATE=$(mktemp -d /tmp/resilops-sched-bench.XXXXXX)
fi
CONF=$STATE/resilops.conf

teardown() {
	if [[ $KEEP == 1 ]]; then
		say "the stack is left running in $STATE (config $CONF)"
		say "stop it with: tests/stack.sh $STATE stop; rm -rf $STATE"
		return
	fi
	stack stop >/dev/null 2>&1 || true
	rm -rf "$STATE"
}
trap teardown EXIT

say "starting a stack in $STATE on port $PORT"
stack start >"$STATE/start.log" 2>&1 || {
	cat "$STATE/start.log" >&2
	die "the stack did not start"
}

if [[ -n $POOL ]]; then
	# Resizing is online; it completes in the background in chunks.
	sql -e "SET GLOBAL innodb_buffer_pool_size = $(numfmt --from=iec "$POOL")" ||
	    die "cannot set innodb_buffer_pool_size to $POOL"
	for ((i = 0; i < 300; i++)); do
		st=$(sql -e "SHOW STATUS LIKE 'Innodb_buffer_pool_resize_status'" |
		    cut -f2)
		[[ -z $st || $st == Completed* ]] && break
		sleep 0.1
	done
fi
POOL_NOW=$(sql -e "SELECT @@innodb_buffer_pool_size" | numfmt --to=iec)

# ------------------------------------------------------------------- data

# Everything the daemon reads or writes, emptied between sizes.
reset_data() {
	sql <<-'EOF'
	SET foreign_key_checks = 0;
	TRUNCATE outbox; TRUNCATE sla_breaches; TRUNCATE alerts;
	TRUNCATE risks; TRUNCATE risk_state; TRUNCATE downtimes;
	TRUNCATE integrations;
	TRUNCATE service_status; TRUNCATE service_dependencies;
	TRUNCATE bia; TRUNCATE services;
	SET foreign_key_checks = 1;
	UPDATE sched_lease SET holder = '', expires_at = '1970-01-01 00:00:01';
	EOF
}

# seed N: the data set of the header, as of BENCH_NOW.  h is a hash of
# the id in 0..999 that picks each service's heartbeat bucket.  Checks
# stay on (see bench/seed.sql: bulk loading with them off lost rows).
seed() {
	sed -e "s/@N@/$1/g" -e "s/@NOW@/$NOW_SQL/g" <<-'EOF' | sql
	SET @now = TIMESTAMP '@NOW@';
	START TRANSACTION;

	INSERT INTO services (id, name, description, created_by, created_at,
	    updated_at)
	SELECT seq, CONCAT('sched-bench-', seq), NULL, 'bench',
	    @now - INTERVAL 200 DAY, @now - INTERVAL (seq MOD 30) DAY
	FROM seq_1_to_@N@;
	-- As the API's create does (sql/018): each stale, scored by tick 1.
	INSERT INTO risk_state (service_id) SELECT seq FROM seq_1_to_@N@;

	INSERT INTO bia (service_id, criticality, impact, rto, rpo, signed_off,
	    updated_at)
	SELECT seq, ELT(1 + seq MOD 3, 'High', 'Medium', 'Low'),
	    ELT(1 + (seq DIV 3) MOD 4, 'Low', 'Medium', 'High', 'Severe'),
	    30 * (1 + seq MOD 8), IF(seq MOD 9 = 0, NULL, 15 * (1 + seq MOD 6)),
	    seq MOD 5 = 0, @now - INTERVAL (seq MOD 30) DAY
	FROM seq_1_to_@N@;

	INSERT IGNORE INTO service_dependencies (service_id, dependency_id)
	SELECT s.seq, 1 + (s.seq * 2654435761 + k.seq * 40503) MOD (s.seq - 1)
	FROM seq_1_to_@N@ AS s
	JOIN seq_1_to_3 AS k ON k.seq <= 1 + s.seq MOD 3
	WHERE s.seq > 1;

	CREATE TEMPORARY TABLE hb (
		service_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
		h INT NOT NULL
	) ENGINE=MEMORY;
	INSERT INTO hb SELECT seq, (seq * 2654435761) MOD 1000
	FROM seq_1_to_@N@;

	INSERT INTO service_status (service_id, status, alerted_status,
	    last_updated, changed_at, set_by)
	SELECT service_id, st, st, hbt, LEAST(hbt, @now - INTERVAL 1 HOUR),
	    IF(st = 'Down', 'bench', NULL)
	FROM (SELECT service_id,
		CASE WHEN h < 30 THEN 'Down' WHEN h < 100 AND h >= 90
		    THEN 'Degraded' ELSE 'Up' END AS st,
		CASE WHEN h < 30 THEN @now - INTERVAL 2 HOUR
		    WHEN h < 60 THEN @now - INTERVAL (301 + service_id MOD 299) SECOND
		    WHEN h < 90 THEN @now - INTERVAL (601 + service_id MOD 3000) SECOND
		    WHEN h < 100 THEN @now - INTERVAL (301 + service_id MOD 299) SECOND
		    ELSE @now - INTERVAL (service_id MOD 240) SECOND END AS hbt
	    FROM hb WHERE h >= 10) AS x;

	-- 10 closed outages each, 10 minutes to 5 hours long; the k-th
	-- starts about 9(k-1) days ago, so the first is within 7 days.
	INSERT INTO downtimes (service_id, start_time, end_time, reason, source,
	    created_at)
	SELECT sid, st, st + INTERVAL (10 + (sid * 7 + k * 13) MOD 290) MINUTE,
	    CONCAT('Benchmark outage ', k), 'manual', st
	FROM (SELECT s.seq AS sid, k.seq AS k,
		@now - INTERVAL ((k.seq - 1) * 9 * 1440 + 360
		    + (s.seq * 37 + k.seq * 101) MOD (6 * 1440)) MINUTE AS st
	    FROM seq_1_to_@N@ AS s JOIN seq_1_to_10 AS k) AS o;

	-- Open: the operator's for the Down ones, a logged one for 1% more.
	INSERT INTO downtimes (service_id, start_time, end_time, reason, source,
	    created_at)
	SELECT service_id, @now - INTERVAL 2 HOUR, NULL,
	    'Status set to Down by bench', 'status', @now - INTERVAL 2 HOUR
	FROM hb WHERE h >= 10 AND h < 30;
	INSERT INTO downtimes (service_id, start_time, end_time, reason, source,
	    created_at)
	SELECT service_id, @now - INTERVAL (5 + service_id MOD 600) MINUTE, NULL,
	    'Benchmark open outage', 'manual', @now - INTERVAL 5 MINUTE
	FROM hb WHERE h >= 100 AND h < 110;

	INSERT INTO integrations (service_id, type, config, created_by,
	    created_at)
	SELECT s.seq, IF(k.seq MOD 2 = 1, 'Email', 'AWS'),
	    '{"channel":"#x"}', 'bench', @now - INTERVAL (s.seq MOD 90) DAY
	FROM seq_1_to_@N@ AS s
	JOIN seq_1_to_6 AS k ON k.seq <= s.seq MOD 7;

	INSERT INTO risks (service_id, risk_score, risk_level, reason,
	    is_critical, source, created_by, created_at)
	SELECT seq, sc, IF(sc >= 70, 'High', IF(sc >= 40, 'Medium', 'Low')),
	    'Benchmark assessment', sc >= 70, src,
	    IF(src = 'manual', 'bench', NULL), @now - INTERVAL 3 DAY
	FROM (SELECT seq, (seq * 37) MOD 101 AS sc,
		IF(seq MOD 10 = 0, 'manual', 'automated') AS src
	    FROM seq_1_to_@N@ WHERE seq MOD 10 < 7 OR seq MOD 10 = 0) AS r;

	INSERT INTO alerts (service_id, type, message, severity, cause,
	    created_at, acknowledged, acknowledged_by, acknowledged_at,
	    notified)
	SELECT s.seq, 'StatusChange', 'Benchmark alert', 'Warning',
	    CONCAT('old', k.seq), @now - INTERVAL (10 * k.seq) DAY, 1, 'bench',
	    @now - INTERVAL (10 * k.seq - 1) DAY, 1
	FROM seq_1_to_@N@ AS s JOIN seq_1_to_2 AS k;
	INSERT INTO alerts (service_id, type, message, severity, cause,
	    created_at, notified)
	SELECT service_id, 'StatusChange', CONCAT('Service is ', status),
	    IF(status = 'Down', 'Critical', 'Warning'), status,
	    @now - INTERVAL 1 HOUR, 1
	FROM service_status WHERE status <> 'Up';

	-- The summaries the writers keep (022_service_summary.sql).
	UPDATE services s SET
	    s.deps = (SELECT GROUP_CONCAT(d.dependency_id ORDER BY
		d.dependency_id) FROM service_dependencies d
		WHERE d.service_id = s.id),
	    s.integrations = (SELECT COUNT(*) FROM integrations i
		WHERE i.service_id = s.id);
	-- Its BIA's copy (033_service_bia_kept.sql).
	UPDATE services s JOIN bia b ON b.service_id = s.id SET
	    s.bia_set = 1, s.bia_criticality = b.criticality,
	    s.bia_impact = b.impact, s.bia_rto = b.rto, s.bia_rpo = b.rpo,
	    s.bia_signed_off = b.signed_off, s.bia_signed_off_by = b.signed_off_by,
	    s.bia_signed_off_at = b.signed_off_at;
	-- Whether an outage is open (036_status_outage_flag.sql).
	UPDATE service_status st SET st.outage_open = EXISTS (SELECT 1
	    FROM downtimes d WHERE d.service_id = st.service_id AND
	    d.end_time IS NULL);
	UPDATE counters SET n = (SELECT COUNT(*) FROM services)
	    WHERE name = 'services';
	-- The list's anchors (025_service_anchors.sql).
	DELETE FROM service_anchors;
	INSERT INTO service_anchors (k, id)
	SELECT (x.rn - 1) DIV 32, x.id FROM (SELECT id,
	    ROW_NUMBER() OVER (ORDER BY id) AS rn FROM services) x
	WHERE (x.rn - 1) MOD 32 = 0;

	DROP TEMPORARY TABLE hb;
	COMMIT;

	ANALYZE TABLE services, bia, service_dependencies, service_status,
	    downtimes, risks, integrations, alerts;
	EOF
}

counts() {
	sql -e "SELECT CONCAT(
	    (SELECT COUNT(*) FROM services), ' services, ',
	    (SELECT COUNT(*) FROM service_dependencies), ' dependencies, ',
	    (SELECT COUNT(*) FROM downtimes), ' downtimes (',
	    (SELECT COUNT(*) FROM downtimes WHERE end_time IS NULL), ' open), ',
	    (SELECT COUNT(*) FROM integrations), ' integrations, ',
	    (SELECT COUNT(*) FROM risks), ' risks, ',
	    (SELECT COUNT(*) FROM alerts), ' alerts, ',
	    (SELECT COUNT(*) FROM sla_breaches), ' breaches')"
}

# Let InnoDB write the seed's dirty pages out first, so that the tick is
# not timed against a background flush of the whole data set.
settle() {
	local pct i dirty
	pct=$(sql -e "SELECT @@innodb_max_dirty_pages_pct")
	sql -e "SET GLOBAL innodb_max_dirty_pages_pct = 0"
	for ((i = 0; i < 1200; i++)); do
		dirty=$(sql -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | cut -f2)
		((dirty < 100)) && break
		sleep 0.1
	done
	sql -e "SET GLOBAL innodb_max_dirty_pages_pct = $pct"
}

# ------------------------------------------------------------------ ticks

JOBS=()
declare -A SECS		# [size,tick,job] and [size,tick,wall]

now_s() { date +%s.%N; }

# tick N TICK: one --once, its job timings into SECS.
tick() {
	local n=$1 t=$2 log=$STATE/tick-$1-$2.log t0 t1 name s
	t0=$(now_s)
	"${CLEAN_ENV[@]}" "$TOP/resilops-sched" -c "$CONF" --once --now "$NOW" \
	    </dev/null >"$log" 2>&1 || { cat "$log" >&2; die "resilops-sched --once failed"; }
	t1=$(now_s)
	SECS[$n,$t,wall]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	grep -q 'job [a-z-]* failed\|lease lost\|not running the jobs' "$log" &&
	    { cat "$log" >&2; die "a job failed in tick $t at $n services"; }
	while read -r name s; do
		SECS[$n,$t,$name]=$s
		[[ " ${JOBS[*]} " == *" $name "* ]] || JOBS+=("$name")
	done < <(sed -n 's/.*job \([a-z-]*\): \([0-9.]*\) s$/\1 \2/p' "$log")
	sed -n '/job [a-z-]*: [0-9.]* s$/!s/^/    /p' "$log" >&2
}

for n in $SIZES; do
	reset_data || die "could not empty the tables"
	say "seeding $n services"
	t0=$SECONDS
	seed "$n" >/dev/null || die "seeding $n services failed"
	# The lists' totals (sql/029), written behind every writer's back.
	"${CLEAN_ENV[@]}" "$TOP/resilops-admin" -c "$CONF" recount \
	    >/dev/null || die "resilops-admin recount failed"
	say "seeded in $((SECONDS - t0)) s: $(counts)"
	settle
	say "tick 1 at $NOW"
	tick "$n" 1
	say "tick 2 at $NOW"
	tick "$n" 2
	say "after both: $(counts)"
done

# -------------------------------------------------------------- the table

read -r -a SZ <<<"$SIZES"
SMALL=${SZ[0]}
LARGE=${SZ[${#SZ[@]} - 1]}

cell() { printf '%s' "${SECS[$1]:--}"; }
sum() {	# size tick
	local j total=0
	for j in "${JOBS[@]}"; do
		total=$(awk -v a="$total" -v b="${SECS[$1,$2,$j]:-0}" 'BEGIN { printf "%.3f", a + b }')
	done
	printf '%s' "$total"
}
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0.0005) printf "%.1f", b / a; else printf "-" }'
}

printf '\nresilops-sched benchmark: one --once tick as of %s, %s cores, buffer pool %s, %s\n' \
    "$NOW" "$(nproc)" "$POOL_NOW" "$(date -u +%Y-%m-%d)"
printf 'load average %s before, %s after (the machine is shared: other work moves the numbers)\n' \
    "$LOAD0" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'seconds per job; tick 2 repeats tick 1 at the same --now; ratio = %s / %s\n\n' \
    "$LARGE" "$SMALL"
hdr="| %-13s |"
for n in "${SZ[@]}"; do hdr+=" %9s |"; done
for n in "${SZ[@]}"; do hdr+=" %9s |"; done
[[ $SMALL != "$LARGE" ]] && hdr+=" %6s | %6s |"
hdr+='\n'
cols=(job)
for n in "${SZ[@]}"; do cols+=("$n #1"); done
for n in "${SZ[@]}"; do cols+=("$n #2"); done
[[ $SMALL != "$LARGE" ]] && cols+=("ratio1" "ratio2")
# shellcheck disable=SC2059
printf "$hdr" "${cols[@]}"
line="|$(printf -- '-%.0s' {1..15})|"
for ((i = 0; i < 2 * ${#SZ[@]}; i++)); do line+="$(printf -- '-%.0s' {1..11})|"; done
[[ $SMALL != "$LARGE" ]] && line+="$(printf -- '-%.0s' {1..8})|$(printf -- '-%.0s' {1..8})|"
printf '%s\n' "$line"
row() {	# LABEL KEY: a line of SECS[size,tick,KEY], then the ratios
	local label=$1 key=$2 vals=() n
	for n in "${SZ[@]}"; do vals+=("$(cell "$n,1,$key")"); done
	for n in "${SZ[@]}"; do vals+=("$(cell "$n,2,$key")"); done
	if [[ $SMALL != "$LARGE" ]]; then
		vals+=("$(ratio "${SECS[$SMALL,1,$key]:-0}" "${SECS[$LARGE,1,$key]:-0}")")
		vals+=("$(ratio "${SECS[$SMALL,2,$key]:-0}" "${SECS[$LARGE,2,$key]:-0}")")
	fi
	# shellcheck disable=SC2059
	printf "$hdr" "$label" "${vals[@]}"
}
for j in "${JOBS[@]}"; do
	row "$j" "$j"
done
for n in "${SZ[@]}"; do
	SECS[$n,1,total]=$(sum "$n" 1)
	SECS[$n,2,total]=$(sum "$n" 2)
done
row "jobs total" total
row "process wall" wall
echo
say "done in $((SECONDS - START)) s"
