#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Assemble build/linux: a git repository holding the pristine base as one
# commit tagged "base", then patches/series applied with git am.
#
#   tree.sh          assemble if there is no tree; otherwise only report
#                    whether the tree still matches patches/
#   tree.sh --reset  re-assemble an existing tree from patches/; refuses
#                    uncommitted changes, keeps unexported commits on a
#                    backup branch
#
# BASE_DEB=file.deb uses that linux-source package instead of downloading.
set -eu
. "$(dirname "$0")/lib.sh"

PATCHES=$TOP/patches
GIT=(git -C "$TREE" -c user.name="guest_memfd series" -c user.email=series@localhost)

# patch-ids of base..HEAD and of patches/series, one per line
tree_ids()
{
	"${GIT[@]}" log --reverse --format=%H base..HEAD | while read -r c; do
		"${GIT[@]}" show "$c" | git patch-id --stable | cut -d' ' -f1
	done
}

queue_ids()
{
	series | while read -r p; do
		git patch-id --stable <"$PATCHES/$p" | cut -d' ' -f1
	done
}

apply_series()
{
	local p files=()

	"${GIT[@]}" reset -q --hard base
	for p in $(series); do
		[ -f "$PATCHES/$p" ] || die "patches/series names $p, which does not exist"
		files+=("$PATCHES/$p")
	done
	# One git am for the whole series: one per patch takes half a minute
	# longer, each writing the index of the whole tree.
	if ! "${GIT[@]}" am -q --keep-cr "${files[@]}"; then
		p=$(series | sed -n "$(("$("${GIT[@]}" rev-list --count base..HEAD)" + 1))p")
		"${GIT[@]}" am --abort
		die "$p does not apply (git am)"
	fi
	note "tree: base + ${#files[@]} patches"
}

unpack_base()
{
	local deb=${BASE_DEB:-} pkg=linux-source-7.3 new=$TREE.new mk version date

	if [ -z "$deb" ]; then
		"$TOP/scripts/fetch-base.sh"
		deb=$(ls "$BUILD"/dl/"$pkg"_*.deb | tail -n 1)
	fi
	[ -r "$deb" ] || die "no such package: $deb"
	version=$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version)

	rm -rf "$new"
	mkdir -p "$new"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		tar -xJ -C "$new" --strip-components=1 ||
		die "$deb holds no kernel source tarball"
	mk=$new/Makefile
	if [ "$(sed -n 's/^VERSION = //p' "$mk" 2>/dev/null).$(sed -n 's/^PATCHLEVEL = //p' "$mk" 2>/dev/null)" != 7.3 ]; then
		rm -rf "$new"
		die "$version is not Linux 7.3; refusing it as the base"
	fi
	# Debian's .gitignore ignores every top-level entry (its packaging
	# repository does not hold the source); drop that stanza, or new files
	# in the tree would be invisible to git.
	sed -i '/^# Debian packaging: ignore everything/,/^!\/debian\/$/d' "$new/.gitignore"

	# Fixed identity and date: the same package always gives the same base
	# commit, so the base-commit line of the exported series means something.
	date=@$(stat -c %Y "$mk")
	git -C "$new" init -q -b main
	git -C "$new" add -A
	GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
		git -C "$new" -c user.name=base -c user.email=base@localhost \
		commit -q -m "Base: $version"
	git -C "$new" tag base
	mv "$new" "$TREE"
	echo "$version" >"$BUILD/base-version"
	note "base: $version (Linux $(make -s -C "$TREE" kernelversion))"
}

if [ ! -d "$TREE/.git" ]; then
	[ ! -e "$TREE" ] || die "$TREE exists but is not a git tree; move it away"
	unpack_base
	apply_series
	exit 0
fi

"${GIT[@]}" rev-parse -q --verify base >/dev/null || die "$TREE has no 'base' tag"
if [ "$(tree_ids)" = "$(queue_ids)" ]; then
	dirty=$("${GIT[@]}" status --porcelain)
	[ -z "$dirty" ] || note "tree matches patches/ but has uncommitted changes"
	exit 0
fi

if [ "${1:-}" != --reset ]; then
	note "warning: build/linux differs from patches/ (base..HEAD has" \
	     "$("${GIT[@]}" rev-list --count base..HEAD) commits, the series" \
	     "$(series | wc -l)); building the tree as it is. 'make export'" \
	     "saves it, 'make tree' re-assembles from patches/."
	exit 0
fi

[ -z "$("${GIT[@]}" status --porcelain)" ] ||
	die "build/linux has uncommitted changes; commit or stash them first"
backup=backup/$(date +%Y%m%d-%H%M%S)
"${GIT[@]}" branch "$backup"
note "saved the unexported commits on branch $backup of build/linux"
apply_series
