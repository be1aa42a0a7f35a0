#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run guest_memfd_fuzz_test for longer than `make check` does, in one boot of
# the test kernel that `make build` made: STEPS steps (default 100000) from
# SEED (default: a random one; the test's own default, used by make check,
# is fixed). Prints the test's summary: steps, seed, steps/s. Results in
# build/results-fuzz.
set -eu
. "$(dirname "$0")/lib.sh"

STEPS=${STEPS:-100000}
# The fuzzer takes seeds from 1 to 2^31 - 2.
SEED=${SEED:-$(( (RANDOM << 16 | RANDOM) % 0x7ffffffe + 1 ))}
note "seed $SEED, $STEPS steps (replay: make fuzz SEED=$SEED STEPS=$STEPS)"
args="-n $STEPS -s $SEED"
export RESULTS=$BUILD/results-fuzz

# About 1000 steps/s under TCG: give the runner's timeout room to spare.
rc=0
KSELFTEST_GUEST_MEMFD_FUZZ_TEST_ARGS=$args KSFT_ARGS="-o $((STEPS / 200 + 120))" \
	"$TOP/scripts/run-tests.sh" guest_memfd_fuzz_test || rc=$?
grep -h -e '# Seed ' -e ' steps/s' "$RESULTS/kselftest.tap" || true
# On failure, the assertion: it names the seed and step to replay.
[ $rc -eq 0 ] || grep -h -A3 'Test Assertion Failure' "$RESULTS/kselftest.tap" || true
exit $rc
