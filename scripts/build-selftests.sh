#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the KVM selftests against the headers of the test kernel's build and
# install them with the kselftest runner into build/kselftest, or, with
# ARCH=arm64, cross-build them statically linked (the arm64 guest's root has
# no C library) into build/kselftest-arm64. No ccache: the selftest
# makefiles name some sources by absolute path, and a .d file that ccache
# hands back from a build in another directory points make at them.
set -eu
. "$(dirname "$0")/lib.sh"

args=()
if [ "$ARCH" = arm64 ]; then
	args=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- EXTRA_CFLAGS=-static)
fi
[ -d "$OBJ/usr/include/linux" ] || die "no kernel headers in $OBJ; build the kernel first"
make -s -C "$TREE/tools/testing/selftests" -j"$JOBS" TARGETS=kvm O="$OBJ" "${args[@]}" \
	INSTALL_PATH="$KSFT" install >"$OBJ/selftests.log" 2>&1 ||
	{ tail -n 40 "$OBJ/selftests.log"; die "selftest build failed (full log: $OBJ/selftests.log)"; }
# The KVM selftests build without warnings; a new one is a bug, not noise.
! grep -A3 'warning:' "$OBJ/selftests.log" ||
	die "the selftests build with warnings (full log: $OBJ/selftests.log)"
