#!/bin/sh
# The systemd units make builds (conf/*.service, conf/resilops.socket,
# with this configure's paths) pass `systemd-analyze verify`: keys and
# values known to this systemd, dependencies that resolve, and ExecStart
# programs that exist.  No running systemd is needed: the units, the
# built programs at their installed paths ($SBINDIR) and the system's own
# units are copied into a scratch root for --root.  Any message fails:
# verify exits 0 on an unknown key and only warns.  Exit 0 pass, 1 fail,
# 99 hard error (automake).  Never a skip: without systemd-analyze (Debian's
# systemd package, which ./dev.sh test installs) it fails and says so.
set -u
command -v systemd-analyze >/dev/null 2>&1 ||
    { echo "systemd-analyze missing: install Debian's systemd package"; exit 1; }
units="resilops.socket resilops.service resilops-sched.service"
sysunits=/lib/systemd/system
[ -d "$sysunits" ] || { echo "no $sysunits: install Debian's systemd package"; exit 1; }
[ -n "${SBINDIR:-}" ] || { echo "SBINDIR not set"; exit 99; }
root=$(mktemp -d "${TMPDIR:-/tmp}/resilops-units.XXXXXX") || exit 99
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root$SBINDIR" || exit 99
cp -R "$sysunits" "$root/usr/lib/systemd/system" || exit 99
for u in $units; do
	[ -f "conf/$u" ] || { echo "conf/$u not built"; exit 99; }
	cp "conf/$u" "$root/etc/systemd/system/$u" || exit 99
done
for p in resilops.fcgi resilops-sched; do
	[ -x "$p" ] || { echo "$p not built"; exit 99; }
	cp "$p" "$root$SBINDIR/$p" || exit 99
done
# --man=no: the Documentation= pages are not installed in the scratch root.
out=$(cd "$root" && systemd-analyze verify --man=no --root="$root" $units 2>&1)
rc=$?
printf '%s\n' "$out" | sed '/^$/d'
if [ $rc -ne 0 ] || [ -n "$out" ]; then
	echo "FAIL systemd-analyze verify: $units"
	exit 1
fi
echo "ok   systemd-analyze verify: $units"
