#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel under QEMU TCG and run the selftests in results/plan
# (written by the caller) through scripts/guest-init.sh. The host's root is
# the guest's root, read-only, and the project is shared at the same path, so
# the selftests run from where they were installed. Fails when the guest does
# not finish, when the kselftest runner fails, or when the console shows a
# kernel splat.
#
# Never -accel kvm: /dev/kvm here cannot run this kernel; TCG with -cpu max
# emulates SVM and NPT, so KVM works inside the guest.
set -eu
. "$(dirname "$0")/lib.sh"

TIMEOUT=${TIMEOUT:-1800}
MEM=${MEM:-4G}
SMP=${SMP:-2}
log=$RESULTS/console.log
kernel=${KERNEL:-$OBJ/arch/x86/boot/bzImage}

[ -r "$kernel" ] || die "no kernel at $kernel; run scripts/build-kernel.sh"
[ -r "$RESULTS/plan" ] || die "no $RESULTS/plan"
rm -f "$RESULTS/status" "$RESULTS/kselftest.tap" "$log"

append="console=ttyS0 root=hostroot rootfstype=9p ro"
append+=" rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose"
append+=" panic=-1 ${CMDLINE:-} init=$TOP/scripts/guest-init.sh -- $TOP $RESULTS"

rc=0
timeout --foreground -k 10 "$TIMEOUT" \
	qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp "$SMP" -m "$MEM" \
	-nodefaults -display none -no-reboot -serial "file:$log" \
	-kernel "$kernel" -append "$append" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$TOP",mount_tag=project,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$RESULTS",mount_tag=results,security_model=none,multidevs=remap \
	</dev/null || rc=$?
[ $rc -ne 124 ] || printf 'error: the guest did not finish within %ss\n' "$TIMEOUT" >&2

# A kernel splat fails the run whatever the tests said. The clean power-off
# prints "reboot: Power down", which matches none of these.
splat='(WARNING:|BUG:|Oops|Kernel panic|kernel BUG|general protection fault|Call Trace:|KASAN|UBSAN|KCSAN|INFO: (possible|inconsistent|suspicious|task .* blocked)|rcu: INFO|watchdog: BUG|Unable to handle)'
if grep -Eq "$splat" "$log"; then
	echo "error: kernel splat in $log:" >&2
	grep -En -m 20 "$splat" "$log" >&2
	rc=1
fi
[ -f "$RESULTS/status" ] || { echo "error: the guest wrote no status (crash? see $log)" >&2; rc=1; }
exit $rc
