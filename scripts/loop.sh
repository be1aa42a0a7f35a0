#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make loop: run one selftest N times in one boot of the test kernel that
# `make build` made, to reproduce an intermittent failure, and count every
# run. Takes TEST (a KVM selftest), N (default 40), ARGS (the test's
# arguments) and CMDLINE (kernel parameters) from the environment, writes
# build/loop-TEST/list (a "cmdline:" line, the test N times) and runs it with
# scripts/run-tests.sh, KUnit off. TIMEOUT (the whole boot) defaults to N
# times the per-run kselftest timeout, plus 300 s. ACCEL (QEMU's TCG
# options, e.g. tcg,thread=single as the boots of config/selftests use) goes
# into the list as an "accel:" line; the default is multi-threaded TCG.
# With ARCH=arm64 the boot is the arm64 one of config/selftests-arm64 (its
# kernel and selftests built before, e.g. by make check): pKVM, and the
# check that it initialized.
#
# Logs in build/loop-TEST/results: console.log, kselftest.tap, and the TAP
# split into one file per run (run-01.log, ...); the failing runs' files are
# named. A run that did not finish or never started (the boot timed out, the
# guest crashed) is a failure, and a failed boot (a kernel splat, a timeout)
# fails the loop. Last line: "N passed, N failed[, N skipped]"; exits
# non-zero on any failure. `TEST=name loop.sh --report` prints the report of
# the last loop of TEST again, without booting.
set -eu
. "$(dirname "$0")/lib.sh"

usage='usage: make loop TEST=name [N=40] [ARGS="test arguments"] [CMDLINE="kernel parameters"] [ACCEL=tcg,...] [ARCH=arm64]'
[ -n "${TEST:-}" ] || die "$usage"
N=${N:-40}
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N=$N is not a positive number; $usage"
t=$TEST
[[ $t == *:* ]] || t=kvm:$t
name=${t#*:}
dir=$BUILD/loop-$name
res=$dir/results

# The runner's timeout for one run: -o in KSFT_ARGS, else the kvm settings
# file, else the runner's default (as scripts/guest-init.sh reads it).
run_timeout()
{
	local s
	s=$(sed -nE 's/(^|.* )(-o|--override-timeout) +([0-9]+).*/\3/p' <<<"${KSFT_ARGS:-}")
	[ -n "$s" ] || s=$(sed -n 's/^timeout=//p' "$KSFT/kvm/settings" 2>/dev/null || true)
	echo "${s:-45}"
}

# tally N: split $res/kselftest.tap into one log per run (run-01.log, ...),
# print a line for each run that did not pass, and write "passed failed
# skipped" to $res/loop-counts. Unlike run-tests.sh's summary, every run
# counts; a run that started without a result line (the boot ended under
# it) and one that never started are failures.
tally()
{
	rm -f "$res"/run-*.log "$res/loop-counts"
	touch "$res/kselftest.tap"
	awk -v n="$1" -v dir="$res" '
	function emit(verdict, info,    f) {
		f = sprintf(fmt, dir, ++run)
		printf "%s", buf >f
		close(f)
		count[verdict]++
		if (verdict != "PASS")
			printf "  %s  %s  %s\n", verdict, f, info
		buf = ""; reason = ""; started = 0
	}
	BEGIN { w = length(n "") < 2 ? 2 : length(n ""); fmt = "%s/run-%0" w "d.log" }
	run == 0 && !started && /^(TAP version |1\.\.[0-9]+$)/ { next }
	/^# selftests: / { started = 1 }
	{ buf = buf $0 "\n" }
	started && /^# .*SKIP/ && reason == "" { reason = $0; sub(/^.*SKIP[ -]*/, "", reason) }
	/^(not )?ok [0-9]+ selftests: / {
		verdict = /^not ok/ ? "FAIL" : / # SKIP/ ? "SKIP" : "PASS"
		info = ""
		if (/ # /) { info = $0; sub(/^[^#]* # /, "", info) }
		emit(verdict, verdict == "SKIP" ? reason : info)
	}
	END {
		if (started)
			emit("FAIL", "did not finish")
		if (run + 1 == n)
			printf "  FAIL  run %d did not run\n", n
		else if (run < n)
			printf "  FAIL  runs %d to %d did not run\n", run + 1, n
		if (run < n)
			count["FAIL"] += n - run
		printf "%d %d %d\n", count["PASS"], count["FAIL"], count["SKIP"] >(dir "/loop-counts")
	}' "$res/kselftest.tap"
}

# The report: the runs, the boot, the logs, and the counts on the last line.
report()
{
	local n first passed failed skipped status boot=0

	[ -r "$dir/list" ] || die "no loop of $name in $dir"
	n=$(grep -vcE '^(#|$|[a-z]+:( |$))' "$dir/list")
	first=$(grep -m 1 -vE '^(#|$|[a-z]+:( |$))' "$dir/list")
	status=$(cat "$dir/run-tests.status" 2>/dev/null || echo 1)
	note "$n runs of ${first#kvm:}"
	tally "$n"
	read -r passed failed skipped <"$res/loop-counts"
	# scripts/run-qemu.sh fails the boot on a kernel splat, a timeout or a
	# crash, whatever the tests said, and prints why as "error: ...".
	if grep -q '^error: ' "$dir/run-tests.log" 2>/dev/null; then
		sed -n '/^error: /{s/^error: /boot: FAIL, /;s/:$//;p;}' "$dir/run-tests.log"
		boot=1
	elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
		echo "boot: FAIL, scripts/run-tests.sh exited $status (see $dir/run-tests.log)"
		boot=1
	fi
	echo "logs: $res (console.log, kselftest.tap, run-NN.log)"
	echo "$passed passed, $failed failed$([ "$skipped" -eq 0 ] || echo ", $skipped skipped")"
	[ "$failed" -eq 0 ] && [ $boot -eq 0 ]
}

if [ "${1:-}" != --report ]; then
	if [ -r "$KSFT/kselftest-list.txt" ] && ! grep -qxF "$t" "$KSFT/kselftest-list.txt"; then
		die "unknown test '$name' (installed: $KSFT/kselftest-list.txt)"
	fi
	mkdir -p "$dir"
	rm -rf "$res" "$dir/run-tests.status"
	{
		echo "# make loop: $name $N times (scripts/loop.sh)"
		if [ "$ARCH" = arm64 ]; then
			echo "arch: arm64"
			grep -m 1 '^console:' "$TOP/config/selftests-arm64"
			CMDLINE="kvm-arm.mode=protected${CMDLINE:+ $CMDLINE}"
		fi
		echo "cmdline: kunit.enable=0${CMDLINE:+ $CMDLINE}"
		[ -z "${ACCEL:-}" ] || echo "accel: $ACCEL"
		for ((i = 0; i < N; i++)); do
			echo "$t${ARGS:+ $ARGS}"
		done
	} >"$dir/list"
	per=$(run_timeout)
	export TIMEOUT=${TIMEOUT:-$((N * per + 300))}
	note "$name $N times in one boot, timeout ${TIMEOUT}s ($N runs of at most ${per}s, plus 300s)"
	LIST=$dir/list RESULTS=$res "$TOP/scripts/run-tests.sh" 2>&1 | tee "$dir/run-tests.log"
	status=${PIPESTATUS[0]}
	echo "$status" >"$dir/run-tests.status"
	# No plan: run-tests.sh refused before booting (an unknown test, say).
	[ -e "$res/plan" ] || exit "$status"
fi
report
