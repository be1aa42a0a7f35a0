#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The tools of the arm64 boot that bookworm does not install, fetched with a
# project-local apt configuration (scripts/lib.sh: apt_local) and unpacked,
# never installed:
#   build/arm64/qemu  qemu-system-arm from bookworm-backports (10.0.x: pKVM
#                     under TCG was checked with it; bookworm has 7.2)
#   build/arm64/root  the guest's root file system: static busybox and bash
#                     for arm64 (bookworm's busybox-static, bash-static)
# The cross compiler is bookworm's gcc-aarch64-linux-gnu (scripts/deps.sh).
set -eu
. "$(dirname "$0")/lib.sh"

QEMU_PIN=${QEMU_VERSION:-1:10.0.2+ds-2+deb13u1~bpo12+1}
ROOT_VERSION=3	# of the root's layout below: bump it when that changes
dir=$BUILD/arm64
stamp=$dir/fetched

[ "$(cat "$stamp" 2>/dev/null)" = "$QEMU_PIN root $ROOT_VERSION" ] && exit 0

apt_local "$dir/apt" amd64,arm64 bookworm-backports bookworm
mkdir -p "$dir/dl"
qemu=$(pinned_version qemu-system-arm "$QEMU_PIN" '^1:10[.]')
rm -f "$dir"/dl/*.deb
(cd "$dir/dl" && apt-get "${APT[@]}" download "qemu-system-arm=$qemu" \
	busybox-static:arm64/bookworm bash-static:arm64/bookworm) >"$dir/dl/download.log" 2>&1 ||
	{ cat "$dir/dl/download.log" >&2; die "download of the arm64 tools failed"; }

rm -rf "$dir/qemu" "$dir/root"
dpkg-deb -x "$dir"/dl/qemu-system-arm_*.deb "$dir/qemu"
for p in busybox-static bash-static; do
	dpkg-deb -x "$dir/dl/${p}"_*_arm64.deb "$dir/root"
done
ln -s bash-static "$dir/root/bin/bash"
ln -s busybox "$dir/root/bin/sh"
# Mount points, and the project's path: it is shared at the same path as on
# the host (scripts/run-qemu.sh).
mkdir -p "$dir"/root/{proc,sys,dev,tmp,run} "$dir/root$TOP"
# PID 1: mount the project, then run its scripts/guest-init.sh from there.
cat >"$dir/root/init" <<'EOT'
#!/bin/busybox sh
/bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro \
	project "$1" || { echo "guest: cannot mount the project at $1"; exit 1; }
exec /bin/bash "$1/scripts/guest-init.sh" "$@"
EOT
chmod +x "$dir/root/init"
# The kselftest runner limits each test with /usr/bin/timeout --foreground,
# coreutils' interface, which busybox's timeout lacks: take the option, and
# exit 124 (coreutils' "timed out") when busybox killed the command.
mkdir -p "$dir/root/usr/bin"
cat >"$dir/root/usr/bin/timeout" <<'EOT'
#!/bin/busybox sh
[ "$1" != --foreground ] || shift
/bin/busybox timeout "$@"
rc=$?
[ $rc -ne 143 ] || rc=124
exit $rc
EOT
chmod +x "$dir/root/usr/bin/timeout"

missing=$(ldd "$dir/qemu/usr/bin/qemu-system-aarch64" | grep 'not found' || true)
[ -z "$missing" ] || die "qemu-system-aarch64 needs libraries this machine lacks: $missing"
"$dir/qemu/usr/bin/qemu-system-aarch64" --version | head -n 1
echo "$QEMU_PIN root $ROOT_VERSION" >"$stamp"
