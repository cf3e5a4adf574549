#!/usr/bin/env bash
# Branch and line coverage of the unit suite (make coverage).
#
#	tests/coverage.sh SRCDIR BUILDDIR FAIL_UNDER_BRANCH -- FILE...
#
# Copies the source tree SRCDIR into BUILDDIR (configure refuses a second
# build directory once the tree itself is configured: dev.sh's build_asan
# does the same), builds the library and tests/unit/unit there with
# --coverage -O0, runs the unit suite from fresh counters and reports with
# gcovr the line and branch coverage of FILE... (paths relative to
# SRCDIR): a table per file, then the totals.  Exit status: the unit
# suite's when it fails, 1 when the total branch coverage is below
# FAIL_UNDER_BRANCH percent, else 0.
#
# Branches the compiler adds on lines with no code of their own are left
# out (--exclude-unreachable-branches); nothing else is: exclusion
# markers in the sources are ignored (--no-markers), no line patterns.
set -euo pipefail

die() { printf 'coverage.sh: %s\n' "$*" >&2; exit 99; }

(($# >= 4)) && [[ $4 == -- ]] ||
    die "usage: coverage.sh SRCDIR BUILDDIR FAIL_UNDER_BRANCH -- FILE..."
src=$(cd "$1" && pwd) build=$2 fail_under=$3
shift 4
command -v gcovr >/dev/null || die "gcovr not found (apt-get install gcovr)"
[[ -x $src/configure ]] || die "$src/configure is missing: run autoreconf -fi"

mkdir -p "$build" || die "cannot make $build"
build=$(cd "$build" && pwd)
[[ $build != "$src" ]] || die "BUILDDIR is the source tree"

bash "$src/tests/copytree.sh" "$src" "$build" ||
    die "cannot copy $src into $build"

cd "$build"
if [[ ! -f config.status ]]; then
	# Hardening is off: _FORTIFY_SOURCE needs optimisation, and -O0
	# keeps one branch of the report per branch of the source.
	./configure --enable-werror --disable-hardening \
	    CFLAGS='-O0 -g --coverage' LDFLAGS='--coverage' >configure.out ||
	    die "configure failed (see $build/configure.out, config.log)"
fi
nice make -j2 tests/unit/unit || die "the coverage build failed"

# Counters from this run only; configure's test programs are no part of it.
find . -name '*.gcda' -delete
rm -f ./*conftest*.gcno
rc=0
tests/unit/unit >unit.log 2>&1 || rc=$?
tail -n 6 unit.log
if ((rc != 0)); then
	grep -B2 -A4 -i 'fail' unit.log | head -n 60 || true
	printf 'coverage.sh: the unit suite failed (exit %d); see %s/unit.log\n' \
	    "$rc" "$build" >&2
	exit "$rc"
fi

filters=()
for f in "$@"; do
	[[ -f $src/$f ]] || die "$f: no such file in $src"
	filters+=(--filter "^$(printf '%s' "$f" | sed 's/[.]/[.]/g')\$")
done
gcovr --root . "${filters[@]}" --exclude-unreachable-branches --no-markers \
    --json coverage.json >/dev/null || die "gcovr failed"
printf '\n== line coverage, per file\n'
gcovr --add-tracefile coverage.json --txt --sort-percentage
printf '\n== branch coverage, per file\n'
gcovr --add-tracefile coverage.json --txt --branches --sort-percentage
printf '\n== totals over %d files (branches: %s%% or more)\n' "$#" "$fail_under"
rc=0
# The per-file report goes to a file of its own, never to /dev/null:
# gcovr 5.2 checks that it can create its output file, then unlinks it
# (configuration.py), which as root removed the machine's /dev/null
# and broke whatever ran beside (a CI run's test_install: "No such file
# or directory: '/dev/null'").
gcovr --add-tracefile coverage.json --txt coverage-totals.txt --print-summary \
    --fail-under-branch "$fail_under" || rc=$?
if ((rc != 0)); then
	printf 'coverage.sh: branch coverage is below %s%%\n' "$fail_under" >&2
	exit 1
fi
