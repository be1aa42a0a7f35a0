#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Download Debian's linux-source-7.3 with a project-local apt configuration
# (nothing under /etc/apt is read or written) into build/dl/. Unpacking and
# checking it is scripts/tree.sh's job.
set -eu
. "$(dirname "$0")/lib.sh"

PKG=linux-source-7.3
# The version the series was last tested on. trixie-backports keeps only
# its newest upload; if this one is gone, the newest 7.3.y is used with a
# warning (scripts/tree.sh still refuses anything but 7.3).
PIN=${BASE_VERSION:-7.3.4-1~bpo13+1}
SUITE=trixie-backports

if [ -n "${BASE_DEB:-}" ] || ls "$BUILD"/dl/"${PKG}"_*.deb >/dev/null 2>&1; then
	exit 0
fi

apt_local "$BUILD/apt" amd64 "$SUITE"
mkdir -p "$BUILD/dl"

version=$(pinned_version "$PKG" "$PIN" '^7[.]3[.]')
(cd "$BUILD/dl" && apt-get "${APT[@]}" download "$PKG=$version") ||
	die "download of $PKG $version failed"
