#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every commit of base..HEAD on its own, in a scratch worktree of
# build/linux: the KVM objects with the test configuration but KVM built in,
# the KVM modules with the test configuration as it is (KVM=m, modpost
# included, so that a missing export fails), and the KVM selftests when the
# commit touches them or the uAPI headers. Stops at the first that fails.
#
# modpost takes the exports of the core kernel from the test kernel's
# vmlinux.o (build/obj), which must exist: the series adds no export outside
# KVM, so they are the same at every commit (checked below).
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
objm=$BUILD/obj-each-m
modules="arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-amd.ko arch/x86/kvm/kvm-intel.ko
	virt/lib/irqbypass.ko"
[ -d "$TREE/.git" ] || die "no tree in $TREE"
[ -e "$OBJ/vmlinux.o" ] || die "no $OBJ/vmlinux.o: build the test kernel first"
! git -C "$TREE" diff base HEAD -- . ':!arch/x86/kvm' ':!arch/arm64' \
	':!virt/kvm' ':!tools' | grep -qE '^[-+].*EXPORT_SYMBOL' ||
	die "the series changes exports outside KVM: $OBJ/vmlinux.o is not every commit's"
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree add -q --detach "$wt" base
trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT
mkdir -p "$obj" "$objm"
config=$obj/.config.each
cp "$OBJ/.config" "$config"
"$TREE/scripts/config" --file "$config" --enable KVM --enable KVM_AMD --enable KVM_INTEL
configm=$objm/.config.each
cp "$OBJ/.config" "$configm"
ln -sf "$OBJ/vmlinux.o" "$objm/vmlinux.o"
cache=${XDG_CACHE_HOME:-$HOME/.cache}/gmem-inplace/each
mkdir -p "$cache"
setup=$(cat "$config" "$configm" "$0" | sha256sum | cut -c1-16)-$(gcc -dumpfullversion)

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
		cp "$configm" "$objm/.config"
		{ TREE=$wt OBJ=$obj kmake olddefconfig &&
		  TREE=$wt OBJ=$objm kmake olddefconfig; } >"$log" 2>&1 ||
			die "cannot configure: $subject (log: $log)"
		configured=$c
	fi
	# A commit that changes only tools/ or Documentation/ leaves the
	# kernel objects as the previous commit built them.
	if ! changed "$c^" "$c" . ':!tools' ':!Documentation'; then
		:
	elif ! TREE=$wt OBJ=$obj kmake arch/x86/kvm/ >>"$log" 2>&1; then
		grep -E 'error:|\*\*\*' "$log" | head -n 20
		die "does not build with KVM=y: $subject (log: $log)"
	elif ! TREE=$wt OBJ=$objm kmake KBUILD_MODPOST_NOFINAL=1 $modules \
		>>"$log" 2>&1; then
		grep -E 'error:|ERROR:|\*\*\*' "$log" | head -n 20
		die "does not build with KVM=m: $subject (log: $log)"
	fi
	if ! changed "$c^" "$c" tools/testing/selftests/kvm include/uapi \
		arch/x86/include/uapi tools/include; then
		note "builds: $subject"
	elif ! build_selftests "$c" >"$log.selftests" 2>&1; then
		grep -E 'error:|\*\*\*' "$log.selftests" | head -n 20
		die "selftests do not build: $subject (log: $log.selftests)"
	elif grep -A3 'warning:' "$log.selftests"; then
		die "selftests build with warnings: $subject (log: $log.selftests)"
	else
		note "builds, with selftests: $subject"
	fi
	echo "$c $subject" >"$done"
done
