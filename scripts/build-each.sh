#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every commit of base..HEAD on its own, in a scratch worktree of
# build/linux: the KVM objects with the test configuration, and the KVM
# selftests when the commit touches them. Stops at the first that fails.
#
# The selftests are built without ccache: their makefiles name some sources
# by absolute path, and a .d file that ccache hands back from a build in
# another directory would make make look for those sources there.
set -eu
. "$(dirname "$0")/lib.sh"

wt=$BUILD/each
obj=$BUILD/obj-each
[ -d "$TREE/.git" ] || die "no tree in $TREE"
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree add -q --detach "$wt" base
trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT
mkdir -p "$obj"

for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	git -C "$wt" checkout -q "$c"
	# Start from the test configuration each time: olddefconfig drops
	# symbols a commit does not know yet, which a later commit adds.
	cp "$OBJ/.config" "$obj/.config"
	subject=$(git -C "$wt" log -1 --format=%s)
	log=$obj/build-$(git -C "$wt" log -1 --format=%h).log
	if ! TREE=$wt OBJ=$obj kmake olddefconfig arch/x86/kvm/ >"$log" 2>&1; then
		grep -E 'error:|\*\*\*' "$log" | head -n 20
		die "does not build: $subject (log: $log)"
	fi
	if git -C "$wt" diff --quiet "$c^" "$c" -- tools/testing/selftests/kvm; then
		note "builds: $subject"
		continue
	fi
	if ! { TREE=$wt OBJ=$obj kmake headers &&
	       make -s -C "$wt/tools/testing/selftests" -j"$JOBS" TARGETS=kvm \
		O="$obj"; } >>"$log" 2>&1; then
		grep -E 'error:|\*\*\*' "$log" | head -n 20
		die "selftests do not build: $subject (log: $log)"
	fi
	note "builds, with selftests: $subject"
done
