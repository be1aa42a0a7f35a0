# SPDX-License-Identifier: GPL-2.0
# Common settings for the project's scripts; sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}	# git tree: tag "base" + the series as commits
OBJ=${OBJ:-$BUILD/obj}		# kernel objects (O=)
KSFT=${KSFT:-$BUILD/kselftest}	# installed KVM selftests
RESULTS=${RESULTS:-$BUILD/results}	# logs and TAP of the last run
JOBS=${JOBS:-$(nproc)}

die()
{
	printf 'error: %s\n' "$*" >&2
	exit 1
}

note()
{
	printf '==> %s\n' "$*"
}

# stage NAME CMD...: run one step and print how long it took.
stage()
{
	local name=$1 start rc
	shift
	start=$(date +%s)
	note "$name"
	"$@"
	rc=$?
	printf '<== %s: %ds%s\n' "$name" $(($(date +%s) - start)) \
		"$([ $rc -eq 0 ] || echo ", FAILED (exit $rc)")"
	return $rc
}

# Use ccache when it is installed; rewrite absolute paths below the project
# so that a fresh clone in another directory still hits the cache.
kmake()
{
	local cc=gcc

	if command -v ccache >/dev/null; then
		cc="ccache gcc"
		export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
		export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
	fi
	make -C "$TREE" O="$OBJ" -j"$JOBS" CC="$cc" HOSTCC="$cc" "$@"
}
