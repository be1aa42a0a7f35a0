#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the test kernel in build/obj from the tree in
# build/linux: allnoconfig plus config/common.config and the architecture's
# fragment (merge_config.sh -n): config/kvm-test.config for x86, or, with
# ARCH=arm64, config/arm64-test.config (cross-compiled, default OBJ
# build/obj-arm64). Extra fragments (e.g. a debug configuration) may be
# named in CONFIGS, another object directory in OBJ and other make targets
# in TARGETS.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no kernel tree in $TREE; run 'make tree' first"
mkdir -p "$OBJ"

case ${ARCH:-x86} in
x86)	fragments=("$TOP/config/common.config" "$TOP/config/kvm-test.config")
	targets="bzImage modules headers" ;;
arm64)	fragments=("$TOP/config/common.config" "$TOP/config/arm64-test.config")
	targets="Image headers" ;;
*)	die "ARCH=$ARCH: only x86 and arm64 are set up" ;;
esac
for f in ${CONFIGS:-}; do
	fragments+=("$TOP/config/$f.config")
done

# Reconfigure only when a fragment or a Kconfig file changed, so that
# incremental builds stay incremental. After a build of a commit whose
# Kconfig lacks a symbol, make's own olddefconfig would leave that symbol
# off for good; merging the fragments again brings it back, or fails.
stamp=$OBJ/.fragments
want=$( { cat "${fragments[@]}"; git -C "$TREE" ls-files -s -- '*Kconfig*'
	git -C "$TREE" diff -- '*Kconfig*'; } | sha256sum)
if [ ! -f "$OBJ/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	rm -f "$stamp"
	(cd "$TREE" && export KCONFIG_CONFIG="$OBJ/.config" &&
		if [ "$ARCH" = arm64 ]; then
			export ARCH CROSS_COMPILE=aarch64-linux-gnu-
		else
			unset ARCH
		fi &&
		scripts/kconfig/merge_config.sh -n -O "$OBJ" "${fragments[@]}") \
		>"$OBJ/merge_config.log" 2>&1 ||
		{ cat "$OBJ/merge_config.log"; die "kernel configuration failed"; }
	# merge_config.sh only warns when a symbol does not end up as asked
	# (missing dependency, renamed symbol): make that an error.
	if grep -q 'Value requested for' "$OBJ/merge_config.log"; then
		grep -A3 'Value requested for' "$OBJ/merge_config.log" >&2
		die "config fragment not satisfied (see above)"
	fi
	echo "$want" >"$stamp"
fi

log=$OBJ/build.log
if ! { kmake ${TARGETS:-$targets}; } >"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -n 30
	tail -n 20 "$log"
	die "kernel build failed (full log: $log)"
fi
# Warnings outside KVM do not stop the build; show them anyway.
grep -E '(warning|error):' "$log" || true
