#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run selftests in one boot of the test kernel, then report every selftest
# and the KUnit suites of that boot. The tests are the ones named, or those
# of a list file (LIST, default config/selftests; a "cmdline: ..." line in it
# is added to the kernel command line, and words after a test's name are its
# arguments; an "accel: OPTS" line gives QEMU's TCG options (see
# docs/nested-guest-bug.md), an "arch: arm64" line boots the arm64 test
# kernel with the arm64 selftests, and a "console: REGEX" line fails the
# boot unless its console shows a match). When the kernel in $OBJ has KVM
# as modules, the guest loads them before the tests and runs the KUnit
# suites through debugfs afterwards. TRACE="subsystem:event
# ..." records those trace events into RESULTS/trace.txt. Writes
# RESULTS/counts ("passed failed skipped") for scripts/check.sh.
set -eu
. "$(dirname "$0")/lib.sh"

LIST=${LIST:-$TOP/config/selftests}
if grep -qx 'arch: arm64' "$LIST"; then
	export ARCH=arm64 KSFT=$BUILD/kselftest-arm64 OBJ=$BUILD/obj-arm64
fi
list=$KSFT/kselftest-list.txt
[ -r "$list" ] || die "no installed selftests in $KSFT; run scripts/build-selftests.sh"

entries()
{
	grep -vE '^(#|$|[a-z]+:( |$))' "$LIST"
}

names()
{
	entries | awk '{ print $1 }'
}

# "kvm:name ARGS..." in the list: ARGS reach the test as KSELFTEST_<NAME>_ARGS
# (the kselftest runner's convention), unless the caller set that already.
while read -r t args; do
	[ -n "$args" ] || continue
	v=KSELFTEST_$(basename "${t#*:}" | tr '[:lower:]-' '[:upper:]_')_ARGS
	[ -n "${!v+set}" ] || export "$v=$args"
done < <(entries)

key()
{
	sed -n "s/^$1: *//p" "$LIST"
}
cmdline=$(key cmdline)
accel=$(key accel)
# KVM=m: the guest loads these, each with its name.param=value parameters
# from the command line. KUnit must not run at boot then: the suites built
# into kvm.ko would run at its load, before kvm-amd has set up guest_memfd.
modules=()
if grep -qx 'CONFIG_KVM=m' "$OBJ/.config"; then
	for m in virt/lib/irqbypass.ko arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-amd.ko; do
		modules+=("$OBJ/$m")
	done
	[[ $cmdline == *kunit.enable=0* ]] || cmdline="${cmdline:+$cmdline }kunit.autorun=0"
fi
want_console=$(key console)
if [ $# -eq 0 ]; then
	set -- $(names)
fi
tests=()
for t in "$@"; do
	[[ $t == *:* ]] || t=kvm:$t
	grep -qxF "$t" "$list" ||
		die "unknown test '${t#kvm:}'; known: $(names | sed 's/^kvm://' | tr '\n' ' ')(or any kvm test in $list)"
	tests+=("$t")
done

# The runner's timeout per selftest: the kvm settings file's 120 s is meant
# for hardware. Nested under TCG, private_mem_conversions_test takes about
# 110 s while the arm64 boot shares the two cores, so allow 300 s.
# KSFT_ARGS="-o N" overrides it.
[[ " ${KSFT_ARGS:-} " == *" -o "* ]] || KSFT_ARGS="${KSFT_ARGS:+$KSFT_ARGS }-o 300"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
{
	printf 'KSFT=%q\n' "$KSFT"
	printf 'TESTS=(%s)\n' "${tests[*]}"
	printf 'ARGS=(%s)\n' "${KSFT_ARGS:-}"
	printf 'TRACE=%q\n' "${TRACE:-}"
	printf 'MODULES=(%s)\n' "${modules[*]}"
	# A test's own arguments: the runner reads KSELFTEST_<TEST>_ARGS.
	for v in ${!KSELFTEST_*}; do
		if [[ $v == *_ARGS ]]; then
			printf 'export %s=%q\n' "$v" "${!v}"
		fi
	done
} >"$RESULTS/plan"

boot=0
stage "boot the test kernel${cmdline:+ ($cmdline)} in QEMU (TCG), run ${#tests[@]} selftests" \
	env CMDLINE="$cmdline" ${accel:+ACCEL="$accel"} "$TOP/scripts/run-qemu.sh" || boot=1
if [ -n "$want_console" ] && ! grep -Eq "$want_console" "$RESULTS/console.log"; then
	echo "error: the console never showed /$want_console/ (see $RESULTS/console.log)"
	boot=1
fi

# One line per selftest, from the runner's TAP; the reason of a skip is the
# test's own SKIP line.
tap=$RESULTS/kselftest.tap
touch "$tap"
echo "selftests${cmdline:+ ($cmdline)}:"
awk -v want="${tests[*]}" '
	BEGIN { n = split(want, w, " ") }
	/^# selftests: / { reason = ""; subtests = ""; next }
	/^# .*SKIP/ && reason == "" { reason = $0; sub(/^.*SKIP[ -]*/, "", reason) }
	/^# # Totals: pass:/ { subtests = $0; sub(/^# # Totals: /, "", subtests) }
	/^(not )?ok [0-9]+ selftests: / {
		verdict = /^not ok/ ? "FAIL" : / # SKIP/ ? "SKIP" : "PASS"
		t = $0; sub(/^.* selftests: [^:]*: /, "", t); sub(/ .*/, "", t)
		directive = $0; sub(/^[^#]*#? */, "", directive)
		n_done[t] = 1
		info = verdict == "SKIP" ? reason : verdict == "FAIL" ? directive : subtests
		printf "  %s  %-40s %s\n", verdict, t, info
		count[verdict]++
	}
	END {
		for (i = 1; i <= n; i++) {
			t = w[i]; sub(/^[^:]*:/, "", t)
			if (!(t in n_done)) {
				printf "  FAIL  %-40s did not run\n", t
				count["FAIL"]++
			}
		}
		printf "%d %d %d\n", count["PASS"], count["FAIL"], count["SKIP"] > "/dev/stderr"
	}' "$tap" 2>"$RESULTS/counts.selftests"

# KUnit suites run during boot, or, in a boot that loads modules, through
# debugfs after the modules are loaded (one KTAP file per suite in
# RESULTS/kunit/); the kernel's own parser reads them.
kunit_counts()
{
	local f

	: >"$RESULTS/kunit.txt"
	for f in $(ls "$RESULTS"/kunit/*.ktap 2>/dev/null || echo "$RESULTS/console.log"); do
		python3 "$TREE/tools/testing/kunit/kunit.py" parse "$f" \
			>>"$RESULTS/kunit.txt" 2>&1 || true
	done
	sed -n 's/.*Ran [0-9]* tests*: //p' "$RESULTS/kunit.txt" |
	awk -F', *' '{
		for (i = 1; i <= NF; i++) {
			split($i, kv, ": *")
			if (kv[1] ~ /passed/) p += kv[2]
			if (kv[1] ~ /failed|crashed/) f += kv[2]
			if (kv[1] ~ /skipped/) s += kv[2]
		}
	} END { print p + 0, f + 0, s + 0 }'
}
kp=0 kf=0 ks=0
read -r kp kf ks < <(kunit_counts) || true
if [[ $cmdline == *kunit.enable=0* ]]; then
	kp=0 kf=0 ks=0
elif [ $((kp + kf + ks)) -eq 0 ]; then
	echo "kunit: FAIL, no KUnit results on the console (see $RESULTS/kunit.txt)"
	kp=0 kf=1 ks=0
else
	echo "kunit: $kp passed, $kf failed, $ks skipped (details: $RESULTS/kunit.txt)"
fi

read -r sp sf ss <"$RESULTS/counts.selftests"
echo "$((sp + kp)) $((sf + kf + boot)) $((ss + ks))" >"$RESULTS/counts"
echo "logs: $RESULTS (console.log, kselftest.tap)"
[ $((sf + kf + boot)) -eq 0 ]
