#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The test boots of make check: one boot of the test kernel per list file
# (scripts/run-tests.sh), the first list's results in $RESULTS, the others'
# in build/results-NAME (NAME: the list's name without "selftests-"). The
# arm64 boots run at the same time as the x86 ones.
#
#   boots.sh [--self-check] LIST...
#
# --self-check first proves the runner's rule that a kernel splat fails a
# boot: a boot like the first list's, without KUnit, in which LKDTM provokes
# a WARNING, must fail. TESTS="name ..." runs only those selftests, in the
# first list's boot. Results are counted in $TALLY (see lib.sh); exits
# non-zero if anything failed.
set -u
. "$(dirname "$0")/lib.sh"

failed=0

self_check()
{
	local dir=$BUILD/results-runner

	rm -rf "$dir"
	mkdir -p "$dir"
	printf 'TESTS=()\nPROVOKE=WARNING\n' >"$dir/plan"
	! RESULTS=$dir TIMEOUT=300 \
		CMDLINE="kunit.enable=0 $(sed -n 's/^cmdline: *//p' "$1")" \
		"$TOP/scripts/run-qemu.sh" >"$dir/run.log" 2>&1 &&
		grep -q 'kernel splat' "$dir/run.log"
}

# run_boot LIST RESULTS [TEST...]: one boot, its counts added to $TALLY.
run_boot()
{
	local list=$1 dir=$2
	shift 2

	rm -f "$dir/counts"
	LIST=$list RESULTS=$dir "$TOP/scripts/run-tests.sh" "$@" || failed=1
	if [ -r "$dir/counts" ]; then
		[ -z "${TALLY:-}" ] || cat "$dir/counts" >>"$TALLY"
	else
		result FAIL "test run" "(see the error above)"
		failed=1
	fi
}

if [ "${1:-}" = --self-check ]; then
	shift
	if stage "runner self-check (a provoked WARNING must fail)" self_check "$1"; then
		result PASS "runner fails on a kernel splat"
	else
		result FAIL "runner fails on a kernel splat" "(see $BUILD/results-runner)"
		failed=1
	fi
fi

# boot LIST: run_boot with the list's results directory.
boot()
{
	local name=$(basename "$1")

	if [ "$1" = "$first" ]; then
		run_boot "$1" "$RESULTS" ${TESTS:-}
	else
		run_boot "$1" "$BUILD/results-${name#selftests-}"
	fi
}

# The arm64 boots run beside the x86 ones, one lane each: a lane keeps about
# one of the two cores busy (single-threaded TCG, or vCPUs that mostly
# wait). The arm64 lane's output is shown when the x86 lane is done.
first=${1:-}
x86=() arm64=()
for list in "$@"; do
	if grep -qx 'arch: arm64' "$list"; then
		arm64+=("$list")
	else
		x86+=("$list")
	fi
done
lane=
if [ ${#arm64[@]} -gt 0 ] && [ ${#x86[@]} -gt 0 ]; then
	lane_log=$BUILD/boots-arm64.log
	(for list in "${arm64[@]}"; do boot "$list"; done; exit $failed) >"$lane_log" 2>&1 &
	lane=$!
	note "the arm64 boot runs beside the x86 boots (output below when they are done)"
	arm64=()
fi
for list in "${x86[@]}" "${arm64[@]}"; do
	boot "$list"
done
if [ -n "$lane" ]; then
	wait "$lane" || failed=1
	cat "$lane_log"
fi
exit $failed
