#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: one boot running guest_memfd_conversion_perf_test
# (config/selftests-bench) at full size (-f) with the options in BENCH_ARGS
# (without -f, the test does the tiny run `make check` does). The kernel is
# the test kernel without its debugging options (config/kvm-bench.config,
# built in build/obj-bench), unless KERNEL names another bzImage, e.g.
# build/obj/arch/x86/boot/bzImage for the debug test kernel. Prints the
# test's markdown report and writes it to build/bench.md; logs in
# build/results-bench.
set -eu
. "$(dirname "$0")/lib.sh"

if [ -z "${KERNEL:-}" ]; then
	stage "build the benchmark kernel (config/kvm-bench.config)" \
		env OBJ="$BUILD/obj-bench" CONFIGS=kvm-bench \
		"$TOP/scripts/build-kernel.sh"
	export KERNEL=$BUILD/obj-bench/arch/x86/boot/bzImage
fi
# The guest loads the KVM modules (KVM=m) of the kernel it boots.
export OBJ=${KERNEL%/arch/x86/boot/bzImage}

export RESULTS=$BUILD/results-bench LIST=$TOP/config/selftests-bench
export MEM=${MEM:-8G} TIMEOUT=${TIMEOUT:-3600}
export KSELFTEST_GUEST_MEMFD_CONVERSION_PERF_TEST_ARGS="-f ${BENCH_ARGS:-}"
out=$BUILD/bench.md

rc=0
KSFT_ARGS="-o $((TIMEOUT - 120))" "$TOP/scripts/run-tests.sh" || rc=$?

# The report is the test's output from its title on, without the runner's
# "# " in front of every line.
awk '/^# # guest_memfd conversion benchmark/ { on = 1 }
	/^(not )?ok [0-9]+ selftests: / { on = 0 }
	on { sub(/^# ?/, ""); print }' "$RESULTS/kselftest.tap" >"$out"
if [ -s "$out" ]; then
	cat "$out"
	echo "report: $out"
else
	echo "error: no report in $RESULTS/kselftest.tap" >&2
	rc=1
fi
exit $rc
