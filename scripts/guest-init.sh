#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the test VM (init=), called as: guest-init.sh PROJECT RESULTS.
# The root file system is the host's, read-only over virtio-9p; the project
# directory is shared again (it may live below /tmp, which the guest mounts
# afresh) and its results directory is shared writable. Runs the selftests
# named in RESULTS/plan with the installed kselftest runner, stores their TAP
# and exit status in RESULTS, and powers off. KUnit suites have already run
# during boot and printed their KTAP on the console.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
PROJECT=$1
RESULTS=$2

# The arm64 root (scripts/fetch-arm64.sh) has bash and a static busybox only:
# install busybox's commands into a tmpfs on /run first.
busybox_root=
if ! command -v mount >/dev/null && [ -x /bin/busybox ]; then
	busybox_root=1
	/bin/busybox mount -t proc proc /proc &&
		/bin/busybox mount -t tmpfs run /run &&
		/bin/busybox mkdir /run/bin &&
		/bin/busybox --install -s /run/bin
	PATH=$PATH:/run/bin
fi

# mounted DIR: whether something is mounted on DIR (busybox may lack
# mountpoint).
mounted()
{
	grep -q " $1 " /proc/mounts
}

# Power off. Nothing may be run after the trigger: the root file system
# (9p) may be going away already, and a program that fails to start then
# would end PID 1 (seen once: "sleep: Input/output error", then a panic).
poweroff()
{
	sync
	sleep 600 &
	echo o >/proc/sysrq-trigger
	wait
}

[ -n "$busybox_root" ] || mount -t proc proc /proc
mount -t sysfs sysfs /sys
mounted /dev || mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
[ -n "$busybox_root" ] || mount -t tmpfs run /run
mount -t debugfs debugfs /sys/kernel/debug
# cgroup v2, as systemd mounts it: the benchmark measures peak memory in it.
mount -t cgroup2 cgroup2 /sys/fs/cgroup
# devtmpfs has no /dev/std* links (udev makes them); the kselftest runner
# writes to /dev/stdout.
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mkdir -p /dev/hugepages /dev/shm /dev/pts
mount -t hugetlbfs hugetlbfs /dev/hugepages
mount -t tmpfs shm /dev/shm
mount -t devpts devpts /dev/pts
opts=trans=virtio,version=9p2000.L,msize=512000
{ [ -d "$PROJECT" ] || mkdir -p "$PROJECT"; } &&
	{ mounted "$PROJECT" || mount -t 9p -o "$opts,cache=loose,ro" project "$PROJECT"; } &&
	mount -t 9p -o "$opts" results "$RESULTS" ||
	{ echo "guest: cannot mount the project's shares"; poweroff; }

# plan: KSFT=<installed kselftest dir>, TESTS=(collection:test ...),
# ARGS=(runner options), TRACE=<trace events>, MODULES=(module paths),
# PROVOKE=<LKDTM crash type, for the runner's check>
. "$RESULTS/plan"

# Load MODULES in order, each with its parameters from the kernel command
# line (name.param=value), as modprobe would. Then run every KUnit suite
# through debugfs, one KTAP file per suite in RESULTS/kunit: suites built
# into a module would otherwise have run at its load, before the modules it
# needs (e.g. guest_memfd, set up when kvm-amd registers with KVM).
if [ ${#MODULES[@]} -gt 0 ]; then
	for m in "${MODULES[@]}"; do
		name=$(basename "$m" .ko)
		params=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^${name//-/_}\.//p")
		insmod "$m" $params ||
			{ echo "guest: insmod $m $params failed"; echo 1 >"$RESULTS/status"; poweroff; }
	done
	mkdir -p "$RESULTS/kunit"
	grep -qw kunit.enable=0 /proc/cmdline ||
	for d in /sys/kernel/debug/kunit/*/; do
		[ -e "$d/run" ] || continue
		echo 1 >"$d/run"
		cat "$d/results" >"$RESULTS/kunit/$(basename "$d").ktap"
	done
fi

if [ -n "${PROVOKE:-}" ]; then
	echo "$PROVOKE" >/sys/kernel/debug/provoke-crash/DIRECT
fi
# The runner's per-test timeout: its -o option, else the kvm settings file.
test_timeout()
{
	local a prev= t
	for a in "${ARGS[@]}"; do
		[ "$prev" != -o ] || { echo "$a"; return; }
		prev=$a
	done
	t=$(sed -n 's/^timeout=//p' "$KSFT/kvm/settings" 2>/dev/null)
	echo "${t:-45}"
}

# How long process PID has run, in seconds (from /proc alone: the arm64
# root's busybox has no "ps -o etimes"; starttime is in USER_HZ, 100).
age()
{
	local stat up

	stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	stat=${stat##*) }	# the fields after "pid (comm) ", from state on
	read -r up _ </proc/uptime
	set -- $stat
	echo $((${up%.*} - ${20} / 100))
}

# Every 5 s: print the runner's new result lines with the guest's uptime, so
# that the console log says how long each selftest took. A selftest that
# runs 20 s short of its timeout is taken for hung: print, once, where each
# of its threads is (three samples of the kernel stack, a running thread
# shows none) and its VMs' exit and fault counters, so that the console log
# says more than "TIMEOUT".
watch_tests()
{
	local limit=$(($(test_timeout) - 20)) seen=" " shown=0 n up exe pid t i

	while sleep 5; do
		n=$(grep -cE '^(not )?ok ' "$RESULTS/kselftest.tap" 2>/dev/null)
		if [ "$n" -gt "$shown" ]; then
			read -r up _ </proc/uptime
			grep -E '^(not )?ok ' "$RESULTS/kselftest.tap" | tail -n +$((shown + 1)) |
				sed "s/^/guest: [${up%.*} s] /"
			shown=$n
		fi
		for exe in /proc/[0-9]*/exe; do
			[[ $(readlink "$exe" 2>/dev/null) == "$KSFT"/* ]] || continue
			pid=${exe#/proc/} pid=${pid%/exe}
			[[ $seen != *" $pid "* ]] && [ "$(age "$pid")" -ge "$limit" ] || continue
			seen+="$pid "
			echo "guest: $(readlink "$exe") (pid $pid) has run $(age "$pid")s, dumping its threads"
			for i in 1 2 3; do
				for t in /proc/"$pid"/task/*; do
					echo "guest: sample $i, thread ${t##*/} ($(cat "$t/comm")), state $(cut -d' ' -f3 "$t/stat")"
					sed 's/^/guest:   /' "$t/stack"
				done
				grep -H . /sys/kernel/debug/kvm/"$pid"-*/{exits,pf_taken,pf_fixed,pf_spurious,pf_emulate,pf_guest,hypercalls} 2>/dev/null |
					sed 's|^/sys/kernel/debug/kvm/|guest:   |'
				sleep 2
			done
		done
	done
}

if [ ${#TESTS[@]} -gt 0 ]; then
	echo "guest: $(uname -r), $(nproc) CPUs, running ${#TESTS[@]} selftests"
	watch_tests &
	# TRACE (see scripts/run-tests.sh): record these trace events.
	if [ -n "${TRACE:-}" ]; then
		mount -t tracefs tracefs /sys/kernel/tracing
		echo 16384 >/sys/kernel/tracing/buffer_size_kb
		for e in $TRACE; do
			echo "$e" >>/sys/kernel/tracing/set_event
		done
	fi
	sel=()
	for t in "${TESTS[@]}"; do
		sel+=(-t "$t")
	done
	# Append mode: the runner opens /dev/stdout again for the tests' output.
	: >"$RESULTS/kselftest.tap"
	(cd "$KSFT" && ./run_kselftest.sh "${ARGS[@]}" "${sel[@]}" >>"$RESULTS/kselftest.tap" 2>&1)
	echo $? >"$RESULTS/status"
	[ -z "${TRACE:-}" ] || cat /sys/kernel/tracing/trace >"$RESULTS/trace.txt"
	grep -E '^(not )?ok ' "$RESULTS/kselftest.tap"
else
	echo 0 >"$RESULTS/status"
fi
poweroff
