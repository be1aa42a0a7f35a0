#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build and the runner need, if missing.
set -eu
. "$(dirname "$0")/lib.sh"

pkgs=(build-essential bc bison flex libelf-dev libssl-dev dwarves cpio rsync
      xz-utils git ccache perl python3 qemu-system-x86 debian-archive-keyring
      kmod gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mkdir -p "$BUILD"

note "installing ${missing[*]}"
[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}): run as root or install them"
export DEBIAN_FRONTEND=noninteractive
{ apt-get -q update && apt-get -q install -y --no-install-recommends "${missing[@]}"; } \
	>"$BUILD/apt-install.log" 2>&1 ||
	{ tail -n 20 "$BUILD/apt-install.log"; die "could not install ${missing[*]} (no network to the package archive?)"; }
