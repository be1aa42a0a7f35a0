#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every commit of base..HEAD on its own, in a scratch worktree of
# build/linux: the KVM objects with the test configuration but KVM built in
# (the test kernel has it as modules), and the KVM selftests when the commit
# touches them or the uAPI headers. Stops at the first that fails.
#
# A commit whose tree was built before with the same configuration, compiler
# and script is not built again: its result is remembered under
# $XDG_CACHE_HOME/gmem-inplace/each (an empty XDG_CACHE_HOME makes a cold
# run, with ccache's default directory empty too).
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
config=$obj/.config.each
cp "$OBJ/.config" "$config"
"$TREE/scripts/config" --file "$config" --enable KVM --enable KVM_AMD --enable KVM_INTEL
cache=${XDG_CACHE_HOME:-$HOME/.cache}/gmem-inplace/each
mkdir -p "$cache"
setup=$(cat "$config" "$0" | sha256sum | cut -c1-16)-$(gcc -dumpfullversion)

for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	done=$cache/$(git -C "$TREE" rev-parse "$c^{tree}")-$setup
	if [ -e "$done" ]; then
		note "built before: $subject"
		continue
	fi
	git -C "$wt" checkout -q "$c"
	# Start from the configuration each time: olddefconfig drops symbols a
	# commit does not know yet, which a later commit adds.
	cp "$config" "$obj/.config"
	log=$obj/build-$(git -C "$wt" log -1 --format=%h).log
	: >"$log"
	# A commit that changes only tools/ or Documentation/ leaves the
	# kernel objects as the previous commit built them.
	if [ -z "$(git -C "$wt" diff --name-only "$c^" "$c" -- . ':!tools' ':!Documentation')" ]; then
		:
	elif ! TREE=$wt OBJ=$obj kmake olddefconfig arch/x86/kvm/ >"$log" 2>&1; then
		grep -E 'error:|\*\*\*' "$log" | head -n 20
		die "does not build: $subject (log: $log)"
	fi
	if git -C "$wt" diff --quiet "$c^" "$c" -- tools/testing/selftests/kvm \
		include/uapi tools/include; then
		note "builds: $subject"
	elif ! { TREE=$wt OBJ=$obj kmake headers &&
		 make -s -C "$wt/tools/testing/selftests" -j"$JOBS" TARGETS=kvm \
			O="$obj"; } >>"$log" 2>&1; then
		grep -E 'error:|\*\*\*' "$log" | head -n 20
		die "selftests do not build: $subject (log: $log)"
	else
		note "builds, with selftests: $subject"
	fi
	echo "$c $subject" >"$done"
done
