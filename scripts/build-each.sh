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

# changed FROM TO PATHSPEC...: true when FROM is empty or differs from TO
# below PATHSPEC.
changed()
{
	local from=$1 to=$2

	shift 2
	[ -z "$from" ] || ! git -C "$wt" diff --quiet "$from" "$to" -- "$@"
}

# build_selftests COMMIT: the KVM selftests of the checked-out COMMIT.
build_selftests()
{
	if changed "$installed" "$1" include/uapi arch/x86/include/uapi \
		scripts/headers_install.sh; then
		TREE=$wt OBJ=$obj kmake headers || return
		installed=$1
	fi
	make -s -C "$wt/tools/testing/selftests" -j"$JOBS" TARGETS=kvm O="$obj"
}

configured= installed=
for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	done=$cache/$(git -C "$TREE" rev-parse "$c^{tree}")-$setup
	if [ -e "$done" ]; then
		note "built before: $subject"
		continue
	fi
	git -C "$wt" checkout -q "$c"
	log=$obj/build-$(git -C "$wt" log -1 --format=%h).log
	: >"$log"
	# Configure from the saved configuration when the Kconfig files differ
	# from those of the last configured commit (olddefconfig drops symbols
	# a commit does not know yet, which a later commit adds), and install
	# the uAPI headers when they differ from the last installed ones: each
	# costs seconds even when there is nothing to do.
	if changed "$configured" "$c" '*Kconfig*'; then
		cp "$config" "$obj/.config"
		TREE=$wt OBJ=$obj kmake olddefconfig >"$log" 2>&1 ||
			die "cannot configure: $subject (log: $log)"
		configured=$c
	fi
	# A commit that changes only tools/ or Documentation/ leaves the
	# kernel objects as the previous commit built them.
	if ! changed "$c^" "$c" . ':!tools' ':!Documentation'; then
		:
	elif ! TREE=$wt OBJ=$obj kmake arch/x86/kvm/ >>"$log" 2>&1; then
		grep -E 'error:|\*\*\*' "$log" | head -n 20
		die "does not build: $subject (log: $log)"
	fi
	if ! changed "$c^" "$c" tools/testing/selftests/kvm include/uapi \
		arch/x86/include/uapi tools/include; then
		note "builds: $subject"
	elif ! build_selftests "$c" >>"$log" 2>&1; then
		grep -E 'error:|\*\*\*' "$log" | head -n 20
		die "selftests do not build: $subject (log: $log)"
	else
		note "builds, with selftests: $subject"
	fi
	echo "$c $subject" >"$done"
done
