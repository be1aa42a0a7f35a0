#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every commit of base..HEAD on its own, in a scratch worktree of
# build/linux, in two configurations: the test configuration as it is, with
# KVM as modules (kvm, kvm-amd and kvm-intel, modpost included, so that a
# commit that uses a symbol which only a later commit exports fails), and
# the same with KVM built in (the KVM objects). The KVM selftests are built
# where a commit touches them or the uAPI headers.
#
# The commits are built newest first, and stop at the first that fails.
# The worktree and its object directories (build/each/linux,
# build/each/obj-m, build/each/obj-y) sit where build/linux and build/obj
# do relative to each other, so that with ccache's base directory the
# compiler sees the same command lines: HEAD's KVM=m objects then come from
# the test kernel's build, and each older commit recompiles only what it
# changes.
#
#   build-each.sh        both configurations for every commit (make each)
#   build-each.sh --ci   KVM=m for every commit, KVM=y for the last one
#                        (make check: per commit, the built-in build costs
#                        as much as the modular one and catches little more)
#
# modpost takes the exports of the core kernel from the test kernel's
# vmlinux.o (build/obj), which must exist: the series adds no export outside
# KVM, so they are the same at every commit (checked below).
#
# What built is remembered per tree and configuration under
# $XDG_CACHE_HOME/gmem-inplace/each, keyed by the configuration, the build
# recipe (RECIPE: change it when what a record promises changes) and the
# compiler; an empty XDG_CACHE_HOME makes a cold run, with ccache's default
# directory empty too. A commit that differs only in tools/ or Documentation/
# from the one built before it (its child) builds where that one did.
#
# The selftests are built without ccache: their makefiles name some sources
# by absolute path, and a .d file that ccache hands back from a build in
# another directory would make make look for those sources there.
set -eu
. "$(dirname "$0")/lib.sh"

RECIPE="2: KVM=y arch/x86/kvm/; KVM=m modules, modpost; selftests, no warnings"
ci=
[ "${1:-}" != --ci ] || ci=1
wt=$BUILD/each/linux
modules="arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-amd.ko arch/x86/kvm/kvm-intel.ko
	virt/lib/irqbypass.ko"
declare -A obj=([m]=$BUILD/each/obj-m [y]=$BUILD/each/obj-y) id configured

[ -d "$TREE/.git" ] || die "no tree in $TREE"
[ -e "$OBJ/vmlinux.o" ] || die "no $OBJ/vmlinux.o: build the test kernel first"
! git -C "$TREE" diff base HEAD -- . ':!arch/x86/kvm' ':!arch/arm64' \
	':!virt/kvm' ':!tools' | grep -qE '^[-+].*EXPORT_SYMBOL' ||
	die "the series changes exports outside KVM: $OBJ/vmlinux.o is not every commit's"
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" HEAD
trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT
cache=${XDG_CACHE_HOME:-$HOME/.cache}/gmem-inplace/each
mkdir -p "$cache"
for k in m y; do
	mkdir -p "${obj[$k]}"
	cp "$OBJ/.config" "${obj[$k]}/.config.each"
done
"$TREE/scripts/config" --file "${obj[y]}/.config.each" \
	--enable KVM --enable KVM_AMD --enable KVM_INTEL
ln -sf "$OBJ/vmlinux.o" "${obj[m]}/vmlinux.o"
for k in m y; do
	id[$k]=$({ cat "${obj[$k]}/.config.each"; echo "$RECIPE $modules"; } |
		 sha256sum | cut -c1-16)-$(gcc -dumpfullversion)
done

# changed FROM TO PATHSPEC...: true when FROM is empty or differs from TO
# below PATHSPEC.
changed()
{
	local from=$1 to=$2

	shift 2
	[ -z "$from" ] || ! git -C "$wt" diff --quiet "$from" "$to" -- "$@"
}

# record COMMIT CFG: where it is remembered that COMMIT builds in CFG.
record()
{
	echo "$cache/$(git -C "$TREE" rev-parse "$1^{tree}")-${id[$2]}"
}

# build_kvm COMMIT CFG: KVM of the checked-out COMMIT in configuration CFG.
# Configures again only when a commit changes a Kconfig file (olddefconfig
# drops symbols a commit does not know yet, which a later commit adds).
build_kvm()
{
	local o=${obj[$2]}

	if changed "${configured[$2]:-}" "$1" '*Kconfig*'; then
		cp "$o/.config.each" "$o/.config"
		TREE=$wt OBJ=$o kmake olddefconfig || return
		configured[$2]=$1
	fi
	if [ "$2" = m ]; then
		TREE=$wt OBJ=$o kmake KBUILD_MODPOST_NOFINAL=1 $modules
	else
		TREE=$wt OBJ=$o kmake arch/x86/kvm/
	fi
}

# build_selftests COMMIT: the KVM selftests of the checked-out COMMIT, against
# its uAPI headers (installed again only when they change).
build_selftests()
{
	if changed "$installed" "$1" include/uapi arch/x86/include/uapi \
		scripts/headers_install.sh; then
		TREE=$wt OBJ=${obj[m]} kmake headers || return
		installed=$1
	fi
	make -s -C "$wt/tools/testing/selftests" -j"$JOBS" TARGETS=kvm \
		O="${obj[m]}"
}

installed=
last=$(git -C "$TREE" rev-parse HEAD)
prev=
for c in $(git -C "$TREE" rev-list base..HEAD); do
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	cfgs=m
	[ -n "$ci" ] && [ "$c" != "$last" ] || cfgs="m y"
	todo=
	for k in $cfgs; do
		[ -e "$(record "$c" $k)" ] || todo+=" $k"
	done
	if [ -z "$todo" ]; then
		note "built before: $subject"
		prev=$c
		continue
	fi
	git -C "$wt" checkout -q "$c"
	log=${obj[m]}/build-$(git -C "$wt" log -1 --format=%h).log
	: >"$log"
	done=
	for k in $todo; do
		if [ -n "$prev" ] && [ -e "$(record "$prev" $k)" ] &&
		   ! changed "$prev" "$c" . ':!tools' ':!Documentation'; then
			:
		elif ! build_kvm "$c" $k >>"$log" 2>&1; then
			grep -E 'error:|ERROR:|\*\*\*' "$log" | head -n 20
			die "does not build with KVM=$k: $subject (log: $log)"
		fi
		done+=" KVM=$k"
	done
	if [[ $todo == *m* ]] &&
	   changed "$c^" "$c" tools/testing/selftests/kvm include/uapi \
		arch/x86/include/uapi tools/include; then
		if ! build_selftests "$c" >"$log.selftests" 2>&1; then
			grep -E 'error:|\*\*\*' "$log.selftests" | head -n 20
			die "selftests do not build: $subject (log: $log.selftests)"
		fi
		! grep -A3 'warning:' "$log.selftests" ||
			die "selftests build with warnings: $subject (log: $log.selftests)"
		done+=", selftests"
	fi
	for k in $todo; do
		echo "$c $subject" >"$(record "$c" $k)"
	done
	note "builds (${done# }): $subject"
	prev=$c
done
