#!/usr/bin/env bash
# make fuzz: every tests/fuzz/fuzz_*.c target built with clang's
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer over the
# library's own sources, then each run for SECONDS from its seed corpus
# (tests/fuzz/corpus/NAME, read only) and what earlier runs found
# (FUZZ_DIR/corpus/NAME).  Any crash, leak, sanitizer report or
# failed property fails the run; the input that did it is kept in
# FUZZ_DIR/artifacts and the line to reproduce it printed.
#
# Usage (the Makefile's fuzz target passes these):
#	fuzz.sh SECONDS TARGET... -- LIBRARY_SOURCE...
# Environment: srcdir, FUZZ_CC (clang), FUZZ_CPPFLAGS, FUZZ_LIBS,
# FUZZ_JOBS (targets built and run at once: 2), FUZZ_DIR (build
# directory: tests/fuzz/build), FUZZ_ARGS (more libFuzzer flags).
set -uo pipefail

die() { echo "fuzz: $*" >&2; exit 1; }

SECONDS_EACH=${1:?usage: fuzz.sh SECONDS TARGET... -- SOURCE...}
shift
TARGETS=()
while (($#)) && [[ $1 != -- ]]; do TARGETS+=("$1"); shift; done
(($#)) || die "no -- before the library's sources"
shift
SOURCES=("$@")
srcdir=${srcdir:-.}
CC=${FUZZ_CC:-clang}
JOBS=${FUZZ_JOBS:-2}
DIR=${FUZZ_DIR:-tests/fuzz/build}
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ ]] || die "FUZZ_SECONDS must be a positive number of seconds"
command -v "$CC" >/dev/null || die "$CC not found (Debian: apt-get install clang)"

# -O1 and frame pointers for readable reports; recover from nothing.
# The configure-time paths are the library's defaults; no target reads
# them.
read -r -a CPPF <<<"${FUZZ_CPPFLAGS:-}"
read -r -a LIBS <<<"${FUZZ_LIBS:-}"
CF=(-std=c11 -g -O1 -pthread -fsanitize=address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer
    -DPKGSYSCONFDIR='"/etc/resilops"' -DDATADIR='"/usr/share/resilops"'
    "${CPPF[@]}")
mkdir -p "$DIR/obj" "$DIR/corpus" "$DIR/artifacts" || exit 1
FAILED=$DIR/failed
rm -f "$FAILED"

# At most JOBS commands at once; a failure leaves $FAILED behind.
limit() { while (($(jobs -rp | wc -l) >= JOBS)); do wait -n; done; }
spawn() { limit; { "$@" || echo "$*" >>"$FAILED"; } & }

# The library, instrumented for coverage (fuzzer-no-link), rebuilt when
# any source or header under src/ is newer than it.
lib=$DIR/libfuzz.a
if [[ ! -f $lib ]] || [[ -n $(find "$srcdir/src" -newer "$lib" \
    \( -name '*.c' -o -name '*.h' \) -print -quit) ]]; then
	echo "fuzz: building the library with $CC (${#SOURCES[@]} sources, $JOBS at a time)"
	rm -f "$lib" "$DIR"/obj/*.o
	for src in "${SOURCES[@]}"; do
		spawn "$CC" "${CF[@]}" -fsanitize=fuzzer-no-link -c "$srcdir/$src" \
		    -o "$DIR/obj/${src//\//_}.o"
	done
	wait
	[[ ! -f $FAILED ]] || die "the library did not build"
	ar rcs "$lib" "$DIR"/obj/*.o || die "ar failed"
fi

for t in "${TARGETS[@]}"; do
	spawn "$CC" "${CF[@]}" -fsanitize=fuzzer "$srcdir/tests/fuzz/fuzz_$t.c" \
	    "$lib" "${LIBS[@]}" -o "$DIR/fuzz_$t"
done
wait
[[ ! -f $FAILED ]] || die "a target did not build"

run_one() {
	local t=$1 log=$DIR/fuzz_$t.log rc execs units
	mkdir -p "$DIR/corpus/$t"
	# New finds go to the first directory; the seeds stay as they are.
	# shellcheck disable=SC2086
	"$DIR/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 \
	    -rss_limit_mb=2560 -print_final_stats=1 \
	    -artifact_prefix="$DIR/artifacts/$t-" ${FUZZ_ARGS:-} \
	    "$DIR/corpus/$t" "$srcdir/tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
	units=$(find "$DIR/corpus/$t" -type f | wc -l)
	if ((rc == 0)); then
		printf 'fuzz: %-9s ok: %s runs in %s s, %s inputs kept\n' \
		    "$t" "${execs:-?}" "$SECONDS_EACH" "$units"
		return 0
	fi
	{
		printf 'fuzz: %-9s FAILED (exit %d):\n' "$t" "$rc"
		grep -E 'ERROR|SUMMARY|runtime error|deadly signal|Test unit written' \
		    "$log" | head -20 | sed 's/^/    /'
		echo "    reproduce: $DIR/fuzz_$t <the file above>; whole log: $log"
	} >&2
	return 1
}

echo "fuzz: ${#TARGETS[@]} targets, $SECONDS_EACH s each, $JOBS at a time"
for t in "${TARGETS[@]}"; do
	spawn run_one "$t"
done
wait
[[ ! -f $FAILED ]] || die "$(wc -l <"$FAILED") target(s) failed (above)"
echo "fuzz: all ${#TARGETS[@]} targets clean"
