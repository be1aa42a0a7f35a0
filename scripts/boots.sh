#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The test boots of make check: one boot of the test kernel per list file
# (scripts/run-tests.sh), the first list's results in $RESULTS, the others'
# in build/results-NAME (NAME: the list's name without "selftests-"). The
# first list's boot runs at the same time as the others.
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

# Two lanes, one for each of the two cores (a boot keeps about one busy:
# single-threaded TCG, or vCPUs that mostly wait): the first list's boot,
# the longest, in one; the others one after another in the second, whose
# output is shown when the first is done.
first=${1:-}
(boot "$first"; exit $failed) &
lane=$!
shift
for list in "$@"; do
	boot "$list"
done >"$BUILD/boots-lane2.log" 2>&1
wait "$lane" || failed=1
cat "$BUILD/boots-lane2.log"
exit $failed
