#!/bin/sh
# The three programs carry the hardening configure promised
# (--enable-hardening, the default): PIE, full RELRO (GNU_RELRO and
# BIND_NOW), the stack protector and fortified libc calls.  Built with
# --disable-hardening, they bind lazily.  Exit 0 pass, 1 fail, 99 hard
# error (automake).
set -u
command -v readelf >/dev/null 2>&1 || { echo "readelf missing (binutils)"; exit 99; }
fail=0
check() {	# PROGRAM WHAT COMMAND...
	prog=$1 what=$2
	shift 2
	if "$@"; then
		echo "ok   $prog: $what"
	else
		echo "FAIL $prog: $what"
		fail=1
	fi
}
for p in resilops.fcgi resilops-sched resilops-admin; do
	[ -x "$p" ] || { echo "$p not built"; exit 99; }
	hdr=$(readelf -hW "$p") dyn=$(readelf -dW "$p") ph=$(readelf -lW "$p")
	syms=$(readelf --dyn-syms -W "$p")
	if [ "${HARDENING:-no}" = yes ]; then
		check "$p" "PIE" sh -c 'printf "%s\n" "$1" | grep -q "Type:.*DYN"' _ "$hdr"
		check "$p" "RELRO" sh -c 'printf "%s\n" "$1" | grep -q GNU_RELRO' _ "$ph"
		check "$p" "BIND_NOW" sh -c 'printf "%s\n" "$1" | grep -Eq "BIND_NOW|FLAGS_1.*NOW"' _ "$dyn"
		check "$p" "stack protector" sh -c 'printf "%s\n" "$1" | grep -q __stack_chk_fail' _ "$syms"
		check "$p" "_FORTIFY_SOURCE" sh -c 'printf "%s\n" "$1" | grep -Eq "__[a-z_]+_chk@"' _ "$syms"
	else
		check "$p" "lazy binding (hardening off)" sh -c '! printf "%s\n" "$1" | grep -Eq "BIND_NOW|FLAGS_1.*NOW"' _ "$dyn"
	fi
done
exit $fail
