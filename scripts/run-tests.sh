#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run selftests (config/selftests, or the ones named) in one boot of the test
# kernel, then report every selftest and the KUnit suites of that boot.
# Writes results/counts ("passed failed skipped") for scripts/check.sh.
set -eu
. "$(dirname "$0")/lib.sh"

list=$KSFT/kselftest-list.txt
[ -r "$list" ] || die "no installed selftests in $KSFT; run scripts/build-selftests.sh"

if [ $# -eq 0 ]; then
	set -- $(grep -v -e '^#' -e '^$' "$TOP/config/selftests")
fi
tests=()
for t in "$@"; do
	[[ $t == *:* ]] || t=kvm:$t
	grep -qxF "$t" "$list" ||
		die "unknown test '${t#kvm:}'; known: $(grep -v -e '^#' -e '^$' "$TOP/config/selftests" | sed 's/^kvm://' | tr '\n' ' ')(or any kvm test in $list)"
	tests+=("$t")
done

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
{
	printf 'KSFT=%q\n' "$KSFT"
	printf 'TESTS=(%s)\n' "${tests[*]}"
	printf 'ARGS=(%s)\n' "${KSFT_ARGS:-}"
} >"$RESULTS/plan"

boot=0
stage "boot the test kernel in QEMU (TCG) and run ${#tests[@]} selftests" \
	"$TOP/scripts/run-qemu.sh" || boot=1

# One line per selftest, from the runner's TAP; the reason of a skip is the
# test's own SKIP line.
tap=$RESULTS/kselftest.tap
touch "$tap"
echo "selftests:"
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

# KUnit suites run during boot; the kernel's own parser reads the console.
read -r kp kf ks < <(python3 "$TREE/tools/testing/kunit/kunit.py" parse \
		"$RESULTS/console.log" >"$RESULTS/kunit.txt" 2>&1;
	sed -n 's/.*Ran [0-9]* tests*: \(.*\)/\1/p' "$RESULTS/kunit.txt" | tail -n 1 |
	awk -F', *' '{ p = f = s = 0
		for (i = 1; i <= NF; i++) { split($i, kv, ": *")
			if (kv[1] ~ /passed/) p = kv[2]; if (kv[1] ~ /failed|crashed/) f += kv[2]
			if (kv[1] ~ /skipped/) s = kv[2] }
		print p + 0, f + 0, s + 0 }')
echo "kunit: ${kp:-0} passed, ${kf:-0} failed, ${ks:-0} skipped (details: $RESULTS/kunit.txt)"

read -r sp sf ss <"$RESULTS/counts.selftests"
echo "$((sp + ${kp:-0})) $((sf + ${kf:-0} + boot)) $((ss + ${ks:-0}))" >"$RESULTS/counts"
echo "logs: $RESULTS (console.log, kselftest.tap)"
[ $((sf + ${kf:-0} + boot)) -eq 0 ]
