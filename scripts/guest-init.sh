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

poweroff()
{
	sync
	echo o >/proc/sysrq-trigger
	sleep 60
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
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
	mount -t 9p -o "$opts,cache=loose,ro" project "$PROJECT" &&
	mount -t 9p -o "$opts" results "$RESULTS" ||
	{ echo "guest: cannot mount the project's shares"; poweroff; }

# plan: KSFT=<installed kselftest dir>, TESTS=(collection:test ...),
# ARGS=(runner options), PROVOKE=<LKDTM crash type, for the runner's check>
. "$RESULTS/plan"

if [ -n "${PROVOKE:-}" ]; then
	echo "$PROVOKE" >/sys/kernel/debug/provoke-crash/DIRECT
fi
if [ ${#TESTS[@]} -gt 0 ]; then
	echo "guest: $(uname -r), $(nproc) CPUs, running ${#TESTS[@]} selftests"
	sel=()
	for t in "${TESTS[@]}"; do
		sel+=(-t "$t")
	done
	# Append mode: the runner opens /dev/stdout again for the tests' output.
	: >"$RESULTS/kselftest.tap"
	(cd "$KSFT" && ./run_kselftest.sh "${ARGS[@]}" "${sel[@]}" >>"$RESULTS/kselftest.tap" 2>&1)
	echo $? >"$RESULTS/status"
	grep -E '^(not )?ok ' "$RESULTS/kselftest.tap"
else
	echo 0 >"$RESULTS/status"
fi
poweroff
