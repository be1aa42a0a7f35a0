#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Write the commits base..HEAD of build/linux to patches/ as git
# format-patch output with a cover letter and the base recorded, plus the
# series file. The cover letter's subject and text are kept from the
# previous patches/0000-cover-letter.patch; shortlog and diffstat are
# regenerated.
set -eu
. "$(dirname "$0")/lib.sh"

PATCHES=$TOP/patches
[ -d "$TREE/.git" ] || die "no tree in $TREE"
[ -z "$(git -C "$TREE" status --porcelain)" ] ||
	die "build/linux has uncommitted changes: commit them first (they would not be exported)"

n=$(git -C "$TREE" rev-list --count base..HEAD)
cover=$PATCHES/0000-cover-letter.patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$n" -gt 0 ]; then
	git -C "$TREE" format-patch -q --cover-letter --base=base \
		--subject-prefix=PATCH --zero-commit -o "$tmp" base..HEAD
	new=$tmp/0000-cover-letter.patch
	if [ -f "$cover" ]; then
		# Carry the subject line and the text before the shortlog over.
		subject=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$cover" | head -n 1)
		awk '/^$/ && !body { body = 1; next }
		     body && /^[^ ].* \([0-9]+\):$/ { exit }
		     body { print }' "$cover" |
			sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$tmp/blurb"
		sed -i "s/\*\*\* SUBJECT HERE \*\*\*/${subject//\//\\/}/" "$new"
		sed -i -e "/\*\*\* BLURB HERE \*\*\*/{r $tmp/blurb" -e 'd}' "$new"
	fi
fi

mkdir -p "$PATCHES"
# With no commits there is nothing to cover: keep the old cover letter.
find "$PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name 0000-cover-letter.patch -delete
for f in "$tmp"/*.patch; do
	if [ -e "$f" ]; then cp "$f" "$PATCHES/"; fi
done
grep -qs 'SUBJECT HERE' "$cover" && note "warning: write the subject and text of $cover"
{
	echo "# The guest_memfd in-place conversion series, in order (git am)."
	echo "# Base: $(cat "$BUILD/base-version" 2>/dev/null || echo unknown)"
	ls "$PATCHES" | grep -E '^[0-9]{4}-.*\.patch$' | grep -v '^0000-cover-letter'
} >"$PATCHES/series"
note "exported $n patches to patches/"
