#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check (what CI runs), make check-debug and make: the static checks
# (scripts/static-checks.sh), the builds, and the test boots
# (scripts/boots.sh). Ends with "N passed, N failed, N skipped" and exits
# non-zero on any failure.
#
#   check.sh [TEST...]   only these selftests, in one boot (the static
#                        checks still run; the build-only checks do not)
#   check.sh --demo      the main job: no static checks, the selftests
#   check.sh --debug     the KASAN kernel (config/kvm-debug.config) in
#                        build/obj-debug, the tests of config/selftests-debug
set -u
. "$(dirname "$0")/lib.sh"

mode=full
lists=("$TOP/config/selftests")
case ${1:-} in
--demo)
	mode=demo
	shift
	;;
--debug)
	mode=debug
	export OBJ=$BUILD/obj-debug KSFT=$BUILD/kselftest-debug CONFIGS=kvm-debug \
		RESULTS=$BUILD/results-debug
	lists=("$TOP/config/selftests-debug")
	shift
	;;
esac
[ $# -eq 0 ] || export TESTS="$*"
[ $mode != full ] || [ $# -gt 0 ] ||
	lists+=("$TOP/config/selftests-gmem" "$TOP/config/selftests-npt0"
		"$TOP/config/selftests-arm64")

TALLY=$(mktemp)
export TALLY
trap 'rm -f "$TALLY"' EXIT
start=$(date +%s)

finish()
{
	echo "total time: $(($(date +%s) - start))s"
	awk '{ p += $1; f += $2; s += $3 }
	     END { printf "%d passed, %d failed, %d skipped\n", p, f, s; exit f > 0 }' "$TALLY"
	exit
}

stage "install missing packages" "$TOP/scripts/deps.sh" || { result FAIL deps; finish; }
stage "assemble build/linux" "$TOP/scripts/tree.sh" || { result FAIL tree; finish; }
# The second lane: what does not need the x86 kernel (the static checks,
# then the arm64 kernel and its selftests) runs beside the x86 builds, so
# that the x86 builds' serial steps (linking, modpost, each commit's make
# start) leave no core idle. Its output comes after the x86 builds'; it
# exits non-zero only when the arm64 builds fail.
lane2=
if [ $mode = full ]; then
	(
		stage "static checks" "$TOP/scripts/static-checks.sh"
		[ $# -eq 0 ] || exit 0
		# arm64: the kernel (-Werror), its selftests, and QEMU for its boot.
		if stage "fetch the arm64 tools" "$TOP/scripts/fetch-arm64.sh" &&
			ARCH=arm64 stage "build the arm64 test kernel" "$TOP/scripts/build-kernel.sh" &&
			ARCH=arm64 stage "build the arm64 KVM selftests" "$TOP/scripts/build-selftests.sh"; then
			result PASS "build: arm64 kernel and selftests, WERROR"
		else
			result FAIL "build: arm64 kernel and selftests, WERROR"
			exit 1
		fi
	) >"$BUILD/lane2.log" 2>&1 &
	lane2=$!
fi
# join_lane2: wait for the second lane, show its output, return its status.
join_lane2()
{
	local rc=0

	[ -n "$lane2" ] || return 0
	wait $lane2 || rc=$?
	cat "$BUILD/lane2.log"
	lane2=
	return $rc
}

# KVM as modules (modpost: missing exports), TDX and SEV compiled in,
# KVM_WERROR.
if ! stage "build the test kernel${CONFIGS:+ (+$CONFIGS)}" "$TOP/scripts/build-kernel.sh"; then
	result FAIL "build: x86 kernel, KVM=m, TDX, SEV"
	join_lane2
	finish
fi
[ $mode != full ] || result PASS "build: x86 kernel, KVM=m, TDX, SEV"
if [ $mode = full ] && [ $# -eq 0 ]; then
	n=$(git -C "$TREE" rev-list --count base..HEAD)
	if stage "build each of the $n commits on its own" "$TOP/scripts/build-each.sh" --ci; then
		result PASS "every commit builds on its own" "($n commits with KVM=m, the last also with KVM=y)"
	else
		result FAIL "every commit builds on its own"
	fi
fi
stage "build the KVM selftests" "$TOP/scripts/build-selftests.sh" || { result FAIL "selftest build"; join_lane2; finish; }
if ! join_lane2; then
	# No arm64 kernel: no arm64 boot.
	x86=()
	for l in "${lists[@]}"; do
		[ "$l" = "$TOP/config/selftests-arm64" ] || x86+=("$l")
	done
	lists=("${x86[@]}")
fi

if [ $mode = demo ]; then
	"$TOP/scripts/boots.sh" "${lists[@]}"
else
	"$TOP/scripts/boots.sh" --self-check "${lists[@]}"
fi
finish
