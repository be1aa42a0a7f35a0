#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What CI checks (and, with --debug, the KASAN run): the series
# applies, checkpatch --strict on every patch, the test kernel and the KVM
# selftests build, and the selftests and KUnit suites pass in QEMU. Ends
# with "N passed, N failed, N skipped" and exits non-zero on any failure.
#
#   check.sh [TEST...]   only these selftests, in one boot (static checks
#                        still run; the build-only checks do not)
#   check.sh --demo      the main job: no static checks, the selftests
#   check.sh --debug     the KASAN kernel (config/kvm-debug.config) in
#                        build/obj-debug, the tests of config/selftests-debug
set -u
. "$(dirname "$0")/lib.sh"

demo=0 debug=0
list=$TOP/config/selftests
case ${1:-} in
--demo)
	demo=1
	shift
	;;
--debug)
	debug=1
	export OBJ=$BUILD/obj-debug KSFT=$BUILD/kselftest-debug CONFIGS=kvm-debug \
		RESULTS=$BUILD/results-debug
	list=$TOP/config/selftests-debug
	shift
	;;
esac
passed=0 failed=0 skipped=0
start=$(date +%s)

result()	# result PASS|FAIL|SKIP name [detail]
{
	printf '  %s  %-40s %s\n' "$1" "$2" "${3:-}"
	case $1 in
	PASS) passed=$((passed + 1)) ;;
	FAIL) failed=$((failed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	esac
}

finish()
{
	echo "total time: $(($(date +%s) - start))s"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
}

series()
{
	grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$TOP/patches/series" 2>/dev/null
}

# The series applies to the base, patch after patch, in a scratch index.
check_apply()
{
	local idx p

	idx=$(mktemp)
	GIT_INDEX_FILE=$idx git -C "$TREE" read-tree base || return 1
	for p in $(series); do
		GIT_INDEX_FILE=$idx git -C "$TREE" apply --cached "$TOP/patches/$p" ||
			{ echo "    $p does not apply"; rm -f "$idx"; return 1; }
	done
	rm -f "$idx"
}

# Every file a patch adds has a MAINTAINERS entry other than THE REST.
new_files_maintained()
{
	local f

	for f in $(awk '/^--- \/dev\/null/ { getline; sub(/^\+\+\+ b\//, ""); print }' "$1"); do
		[ -e "$TREE/$f" ] || return 1
		(cd "$TREE" && scripts/get_maintainer.pl --no-git --no-git-fallback \
			--no-rolestats --subsystem --no-email --no-l --no-m --no-r -f "$f") |
			grep -qv '^THE REST$' || return 1
	done
}

# checkpatch --strict: no ERROR; a WARNING or CHECK only if the changelog
# names its type (e.g. "checkpatch: LONG_LINE is ... because ..."), or, for
# FILE_PATH_CHANGES, if MAINTAINERS already covers the new files.
check_patch()
{
	local p=$1 out types t bad=

	out=$(cd "$TREE" && scripts/checkpatch.pl --strict --show-types --no-summary -q "$p" 2>&1)
	types=$(sed -n 's/^\(ERROR\|WARNING\|CHECK\):\([A-Z_0-9]*\):.*/\1:\2/p' <<<"$out" | sort -u)
	for t in $types; do
		case $t in
		ERROR:*) bad+=" $t" ;;
		WARNING:FILE_PATH_CHANGES) new_files_maintained "$p" || bad+=" $t" ;;
		*) sed '/^---$/q' "$p" | grep -qw "${t#*:}" || bad+=" $t" ;;
		esac
	done
	[ -z "$bad" ] && return 0
	sed 's/^/    /' <<<"$out" | head -n 30
	echo "    unjustified:$bad"
	return 1
}

stage "install missing packages" "$TOP/scripts/deps.sh" || { result FAIL deps; finish; }
stage "assemble build/linux" "$TOP/scripts/tree.sh" || { result FAIL tree; finish; }

if [ $demo -eq 0 ] && [ $debug -eq 0 ]; then
	note "static checks"
	n=$(series | wc -l)
	if check_apply; then
		result PASS "series applies to base" "($n patches)"
	else
		result FAIL "series applies to base"
	fi
	for p in $(series); do
		if check_patch "$TOP/patches/$p"; then
			result PASS "checkpatch ${p%.patch}"
		else
			result FAIL "checkpatch ${p%.patch}"
		fi
	done
fi

stage "build the test kernel${CONFIGS:+ (+$CONFIGS)}" "$TOP/scripts/build-kernel.sh" ||
	{ result FAIL "kernel build"; finish; }
if [ $demo -eq 0 ] && [ $debug -eq 0 ] && [ $# -eq 0 ]; then
	# Build only: KVM as modules (missing exports), TDX and SEV compiled.
	if OBJ=$BUILD/obj-modules CONFIGS=kvm-modules TARGETS=all \
		stage "build KVM=m with TDX and SEV (build only)" "$TOP/scripts/build-kernel.sh"; then
		result PASS "build: KVM=m, TDX, SEV, KVM_WERROR"
	else
		result FAIL "build: KVM=m, TDX, SEV, KVM_WERROR"
	fi
	n=$(git -C "$TREE" rev-list --count base..HEAD)
	if stage "build each of the $n commits on its own" "$TOP/scripts/build-each.sh"; then
		result PASS "every commit builds on its own" "($n commits)"
	else
		result FAIL "every commit builds on its own"
	fi
fi
stage "build the KVM selftests" "$TOP/scripts/build-selftests.sh" || { result FAIL "selftest build"; finish; }

# The runner's own check: a kernel WARNING in the guest must fail a run
# even when every test passed. The boot is like the main one, without KUnit.
check_runner()
{
	local dir=$BUILD/results-runner

	rm -rf "$dir"
	mkdir -p "$dir"
	printf 'TESTS=()\nPROVOKE=WARNING\n' >"$dir/plan"
	! RESULTS=$dir TIMEOUT=300 \
		CMDLINE="kunit.enable=0 $(sed -n 's/^cmdline: *//p' "$list")" \
		"$TOP/scripts/run-qemu.sh" >"$dir/run.log" 2>&1 &&
		grep -q 'kernel splat' "$dir/run.log"
}

if [ $demo -eq 0 ]; then
	if stage "runner self-check (a provoked WARNING must fail)" check_runner; then
		result PASS "runner fails on a kernel splat"
	else
		result FAIL "runner fails on a kernel splat" "(see $BUILD/results-runner)"
	fi
fi

# run_boot LIST RESULTS [TEST...]: one boot, its counts added to ours.
run_boot()
{
	local list=$1 dir=$2 p f s
	shift 2

	rm -f "$dir/counts"
	LIST=$list RESULTS=$dir "$TOP/scripts/run-tests.sh" "$@"
	if [ -r "$dir/counts" ]; then
		read -r p f s <"$dir/counts"
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	else
		result FAIL "test run" "(see the error above)"
	fi
}

run_boot "$list" "$RESULTS" "$@"
# More boots for the test kernel when no single test was asked for: VMs
# keeping their attributes in guest_memfd by default, and shadow paging.
if [ $# -eq 0 ] && [ $demo -eq 0 ] && [ $debug -eq 0 ]; then
	run_boot "$TOP/config/selftests-gmem" "$BUILD/results-gmem"
	run_boot "$TOP/config/selftests-npt0" "$BUILD/results-npt0"
fi
finish
