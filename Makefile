# SPDX-License-Identifier: GPL-2.0
# guest_memfd in-place conversion: the patch series, and the machinery that
# builds it into a kernel and tests it under QEMU. See README.md.

TEST ?=

.PHONY: all check check-debug fuzz bench loop tree export each build clean

# make loop without TEST: the usage, before anything is built.
ifneq ($(filter loop,$(MAKECMDGOALS)),)
ifeq ($(TEST),)
$(error usage: make loop TEST=name [N=40] [ARGS="test arguments"] [CMDLINE="kernel parameters"] [ACCEL=tcg,...] [ARCH=arm64])
endif
endif

# The main job: packages, base, tree, kernel, selftests, and a boot in QEMU
# that runs them, with a readable summary.
all:
	@scripts/check.sh --demo $(TEST)

# The static checks, the builds and the tests; the last line is "N passed,
# N failed, N skipped". What CI runs (.ci/run).
check:
	@scripts/check.sh $(TEST)

# The KASAN kernel (build/obj-debug) with the tests of config/selftests-debug.
check-debug:
	@scripts/check.sh --debug $(TEST)

# The model-based fuzzer for longer: make fuzz [STEPS=n] [SEED=n].
fuzz: build
	@STEPS=$(STEPS) SEED=$(SEED) scripts/fuzz.sh

# The conversion benchmark at full size: make bench [BENCH_ARGS="-m 256M"];
# prints a markdown report and writes it to build/bench.md.
bench: build
	@BENCH_ARGS="$(BENCH_ARGS)" scripts/bench.sh

# One selftest N times in one boot, for intermittent failures: make loop
# TEST=name [N=40] [ARGS="..."] [CMDLINE="..."] [ACCEL=...]; counts every run, keeps
# each run's log in build/loop-TEST/results.
loop: build
	@TEST="$(TEST)" N="$(N)" ARGS="$(ARGS)" CMDLINE="$(CMDLINE)" ACCEL="$(ACCEL)" scripts/loop.sh

# Re-assemble build/linux from patches/ (keeps unexported commits on a
# backup branch, refuses uncommitted changes).
tree:
	@scripts/deps.sh
	@scripts/tree.sh --reset

# Write build/linux's commits (base..HEAD) back to patches/.
export:
	@scripts/export.sh

# Build every patch of build/linux on its own, KVM=m and KVM=y.
each:
	@scripts/build-each.sh

build:
	@scripts/deps.sh
	@scripts/tree.sh
	@scripts/build-kernel.sh
	@scripts/build-selftests.sh

# Objects and results only; build/linux (and any work in it) stays.
clean:
	rm -rf build/obj build/obj-* build/each build/kselftest build/kselftest-* \
		build/results build/results-* build/loop-*

