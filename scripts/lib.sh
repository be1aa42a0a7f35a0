# SPDX-License-Identifier: GPL-2.0
# Common settings for the project's scripts; sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}	# git tree: tag "base" + the series as commits
ARCH=${ARCH:-x86}		# the test kernel's architecture: x86 or arm64
if [ "$ARCH" = arm64 ]; then
	OBJ=${OBJ:-$BUILD/obj-arm64}
	KSFT=${KSFT:-$BUILD/kselftest-arm64}
else
	OBJ=${OBJ:-$BUILD/obj}		# kernel objects (O=)
	KSFT=${KSFT:-$BUILD/kselftest}	# installed KVM selftests
fi
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

# Make in the kernel tree for $ARCH, into $OBJ. ccache is used when it is
# installed, with absolute paths below the project rewritten so that a
# fresh clone in another directory still hits the cache.
kmake()
{
	local ccache= cross=

	if command -v ccache >/dev/null; then
		ccache="ccache "
		export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
		export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
	fi
	[ "$ARCH" = x86 ] || cross=aarch64-linux-gnu-
	make -C "$TREE" O="$OBJ" -j"$JOBS" CC="$ccache${cross}gcc" HOSTCC="${ccache}gcc" \
		${cross:+ARCH=$ARCH CROSS_COMPILE=$cross} "$@"
}

# The patch files of patches/series, in order.
series()
{
	grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$TOP/patches/series" 2>/dev/null
}

# result PASS|FAIL|SKIP name [detail]: print one result line of make check
# and count it in $TALLY (a file of "passed failed skipped" lines that
# scripts/check.sh sums), when set.
result()
{
	printf '  %s  %-40s %s\n' "$1" "$2" "${3:-}"
	[ -z "${TALLY:-}" ] && return
	case $1 in
	PASS) echo "1 0 0" ;;
	FAIL) echo "0 1 0" ;;
	SKIP) echo "0 0 1" ;;
	esac >>"$TALLY"
}

# apt_local DIR ARCHS SUITE...: an apt configuration of the project's own in
# DIR (nothing under /etc/apt is read or written) for Debian's SUITEs and the
# comma-separated architectures ARCHS; updates its package lists and leaves
# the options for apt-get and apt-cache in the array APT.
apt_local()
{
	local dir=$1 archs=$2 keyring=/usr/share/keyrings/debian-archive-keyring.gpg a
	shift 2

	[ -r "$keyring" ] || die "$keyring missing: install debian-archive-keyring"
	mkdir -p "$dir"/{lists/partial,cache/archives/partial,sources.list.d,preferences.d}
	cat >"$dir/sources.list.d/debian.sources" <<EOT
Types: deb
URIs: ${DEBIAN_MIRROR:-http://deb.debian.org/debian}
Suites: $*
Components: main
Architectures: ${archs//,/ }
Signed-By: $keyring
EOT
	: >"$dir/sources.list"
	APT=(-o Dir::Etc::SourceList="$dir/sources.list"
	     -o Dir::Etc::SourceParts="$dir/sources.list.d"
	     -o Dir::Etc::Preferences="$dir/preferences"
	     -o Dir::Etc::PreferencesParts="$dir/preferences.d"
	     -o Dir::State::Lists="$dir/lists"
	     -o Dir::Cache="$dir/cache"
	     -o APT::Sandbox::User=root -q)
	for a in ${archs//,/ }; do
		APT+=(-o APT::Architectures::="$a")
	done
	apt-get "${APT[@]}" update >"$dir/update.log" 2>&1 &&
		! grep -q '^\(W\|E\): ' "$dir/update.log" ||
		{ cat "$dir/update.log" >&2
		  die "cannot reach the Debian archive ($*): no network to the package mirror?"; }
}

# pinned_version PKG PIN PATTERN: the version of PKG to download from the
# suites of apt_local: PIN if they still have it, else (with a warning) the
# newest whose version matches the extended regular expression PATTERN.
pinned_version()
{
	local pkg=$1 pin=$2 avail

	avail=$(apt-cache "${APT[@]}" madison "$pkg" | awk -v re="$3" '$3 ~ re { print $3 }')
	[ -n "$avail" ] || die "no $pkg matching /$3/ in the archive"
	if grep -qxF "$pin" <<<"$avail"; then
		echo "$pin"
	else
		printf 'warning: %s %s is gone from the archive; using %s\n' \
			"$pkg" "$pin" "$(head -n 1 <<<"$avail")" >&2
		head -n 1 <<<"$avail"
	fi
}
