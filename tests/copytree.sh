#!/usr/bin/env bash
# tests/copytree.sh SRCDIR DESTDIR: the source tree's files (tracked or
# new, and what autoreconf made) copied into DESTDIR, refreshed where
# they changed, timestamps kept so that make there rebuilds only what
# did.  configure refuses a second build directory once the tree itself
# is configured: dev.sh's ASan build (build-asan) and make coverage
# (build-cov) build such copies.
set -euo pipefail
src=$1 dest=$2
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
cd "$src"
{
	git ls-files -co --exclude-standard 2>/dev/null ||
	    find src sql templates htdocs conf tests bench -type f
	printf '%s\n' configure Makefile.in config.h.in aclocal.m4
	find build-aux m4 -type f
} | sort -u | grep -v -e '^build-asan/' -e '^build-cov/' |
while IFS= read -r f; do
	[[ -f $f ]] && printf '%s\0' "$f"
done | xargs -0 cp --parents -u --preserve=timestamps -t "$dest"
