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
# emulates SVM and NPT, so KVM works inside the guest. With ARCH=arm64, the
# arm64 kernel boots under qemu-system-aarch64 (scripts/fetch-arm64.sh) on a
# virt machine with EL2, and its root is build/arm64/root. Its CPU has no
# LPA2, so KVM's IPA limit is 48 bits instead of 52: 7.3's pKVM tears a VM's
# stage 2 down in 1 GiB steps over the whole IPA space, 2^22 steps at 52
# bits, which under TCG took over a minute per VM (every arm64 selftest
# creates several); at 48 bits it is 16 times fewer.
set -eu
. "$(dirname "$0")/lib.sh"

TIMEOUT=${TIMEOUT:-1800}
# TCG options, e.g. ACCEL=tcg,thread=single to take MTTCG out of the picture.
ACCEL=${ACCEL:-tcg,thread=multi}
[[ $ACCEL == tcg* ]] || die "ACCEL=$ACCEL: only TCG can run this kernel here"
MEM=${MEM:-4G}
SMP=${SMP:-2}
log=$RESULTS/console.log
if [ "$ARCH" = arm64 ]; then
	kernel=${KERNEL:-$OBJ/arch/arm64/boot/Image}
	root=$BUILD/arm64/root
	mkdir -p "$root$TOP"	# where /init mounts the project
	qemu=("$BUILD/arm64/qemu/usr/bin/qemu-system-aarch64"
	      -M virt,virtualization=on,gic-version=3
	      -cpu max,pauth-impdef=on,sve=off,sme=off,lpa2=off)
	console=ttyAMA0
	init=/init	# scripts/fetch-arm64.sh: mounts the project first
else
	kernel=${KERNEL:-$OBJ/arch/x86/boot/bzImage}
	root=/
	qemu=(qemu-system-x86_64 -cpu max)
	console=ttyS0
	init=$TOP/scripts/guest-init.sh
fi

[ -r "$kernel" ] || die "no kernel at $kernel; run scripts/build-kernel.sh"
[ -r "$RESULTS/plan" ] || die "no $RESULTS/plan"
rm -f "$RESULTS/status" "$RESULTS/kselftest.tap" "$log"

append="console=$console root=hostroot rootfstype=9p ro"
append+=" rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose"
append+=" panic=-1 ${CMDLINE:-} init=$init -- $TOP $RESULTS"

# One boot. Returns 124 when the guest does not finish within TIMEOUT, and
# 125 when the console stays silent for STALL seconds before KUnit or init
# starts: TCG has been seen to hang that early, once in many boots, and such
# a boot is tried again rather than left to the timeout. Later silences are
# normal (a long KUnit case, tests writing only to their TAP file).
boot()
{
	local pid size last=-1 quiet=0

	timeout -k 10 "$TIMEOUT" \
		"${qemu[@]}" -accel "$ACCEL" -smp "$SMP" -m "$MEM" \
		-nodefaults -display none -no-reboot -serial "file:$log" \
		-kernel "$kernel" -append "$append" \
		-virtfs local,path="$root",mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$TOP",mount_tag=project,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$RESULTS",mount_tag=results,security_model=none,multidevs=remap \
		</dev/null &
	pid=$!
	while [ "$quiet" -lt "$STALL" ] && kill -0 "$pid" 2>/dev/null; do
		sleep 5
		grep -Eq '^(KTAP version|Run .* as init process)' "$log" 2>/dev/null &&
			break
		size=$(stat -c %s "$log" 2>/dev/null || echo 0)
		if [ "$size" -ne "$last" ]; then
			last=$size quiet=0
		else
			quiet=$((quiet + 5))
		fi
	done
	if [ "$quiet" -ge "$STALL" ]; then
		kill "$pid"
		wait "$pid"
		return 125
	fi
	wait "$pid"
}

STALL=${STALL:-300}
rc=0
boot || rc=$?
if [ $rc -eq 125 ]; then
	printf 'warning: no console output for %ss early in boot; booting again\n' "$STALL" >&2
	mv -f "$log" "$log.stalled" 2>/dev/null || true
	rc=0
	boot || rc=$?
fi
[ $rc -ne 124 ] || printf 'error: the guest did not finish within %ss\n' "$TIMEOUT" >&2
[ $rc -ne 125 ] || printf 'error: the console stalled early in boot twice\n' >&2

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
