#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The checks of make check that build nothing: the series applies to the
# base patch after patch, and every patch passes checkpatch.pl --strict.
# One result line per check (counted in $TALLY, see lib.sh); exits non-zero
# if any failed.
set -u
. "$(dirname "$0")/lib.sh"

failed=0

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

# checkpatch --strict: nothing but FILE_PATH_CHANGES ("does MAINTAINERS need
# updating?"), which checkpatch cannot answer and this can: it passes when
# MAINTAINERS already covers every new file.
check_patch()
{
	local p=$1 out types t bad=

	out=$(cd "$TREE" && scripts/checkpatch.pl --strict --show-types --no-summary -q "$p" 2>&1)
	types=$(sed -n 's/^\(ERROR\|WARNING\|CHECK\):\([A-Z_0-9]*\):.*/\1:\2/p' <<<"$out" | sort -u)
	for t in $types; do
		if [ "$t" = WARNING:FILE_PATH_CHANGES ] && new_files_maintained "$p"; then
			continue
		fi
		bad+=" $t"
	done
	[ -z "$bad" ] && return 0
	sed 's/^/    /' <<<"$out" | head -n 30
	return 1
}

n=$(series | wc -l)
if check_apply; then
	result PASS "series applies to base" "($n patches)"
else
	result FAIL "series applies to base"
	failed=1
fi
# checkpatch on $JOBS patches at a time; the results in the series' order.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for p in $(series); do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
	done
	{ check_patch "$TOP/patches/$p" >"$out/$p" 2>&1 && touch "$out/$p.ok"; } &
done
wait
for p in $(series); do
	if [ -e "$out/$p.ok" ]; then
		result PASS "checkpatch ${p%.patch}"
	else
		cat "$out/$p"
		result FAIL "checkpatch ${p%.patch}"
		failed=1
	fi
done
exit $failed
