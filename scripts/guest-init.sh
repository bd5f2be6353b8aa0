#!/bin/sh
# /init of the oomctl test VM (busybox sh, copied in by scripts/mkinitramfs.sh).
#
# Kernel command line (set by scripts/run-vm.sh):
#   oomctl.run=check|demo|shell|bench   what to do (default: shell)
#   oomctl.filter=GLOB[,GLOB...]        check: run only /tests/* matching a glob
#   oomctl.timeout=SECONDS              check: per-test-binary timeout (600)
#   oomctl.cpus=N                       check: CPUs the guest must see (2)
#   oomctl.tap=ttyS1                    check: also write results to this port
#
# The results go to the console and, when oomctl.tap names a port, to that
# second serial port too: the kernel prints OOM reports on the console at the
# same time as tests print TAP, and lines interleaved mid-way would corrupt
# the TAP the host parses.  The second port carries nothing but our output.
#
# No "set -e": if /init exits the kernel panics, so every error is handled.
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=linux TMPDIR=/tmp

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null	# CONFIG_DEVTMPFS_MOUNT skips initramfs roots
mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t cgroup2 cgroup2 /sys/fs/cgroup
# Give child cgroups every controller the kernel has (memory at least).
for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
	echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control
done
[ -d /sys/kernel/tracing ] && mount -t tracefs tracefs /sys/kernel/tracing
# Fault injection and kmemleak live there (the sanitizer kernel of make check).
[ -d /sys/kernel/debug ] && mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
chown oomtest:oomtest /home/oomtest	# the cpio archive makes everything root's
hostname oomctl-vm

run=shell filter='' tmo=600 cpus=2 tap=''
set -f	# a filter glob on the cmdline must not expand against /
for arg in $(cat /proc/cmdline); do
	case $arg in
	oomctl.run=*) run=${arg#*=} ;;
	oomctl.filter=*) filter=${arg#*=} ;;
	oomctl.timeout=*) tmo=${arg#*=} ;;
	oomctl.cpus=*) cpus=${arg#*=} ;;
	oomctl.tap=*) tap=${arg#*=} ;;
	esac
done
set +f

# fd 3 is the results channel; closing it at the end waits for the UART to
# drain, so nothing is lost to the power-off.
if [ -n "$tap" ] && [ -c "/dev/$tap" ] && exec 3>"/dev/$tap"; then
	stty -F "/dev/$tap" raw -echo 2>/dev/null
else
	exec 3>/dev/null
fi
emit() { printf '%s\n' "$*"; printf '%s\n' "$*" >&3; }
emit_file() { cat "$1"; cat "$1" >&3; }

# Global state a test may change and forget: put it back between tests so one
# test cannot make the next one pass or fail.
save_sysctls() {
	for f in /proc/sys/vm/oom*; do
		[ -f "$f" ] && [ -w "$f" ] && echo "$f=$(cat "$f")"
	done > /tmp/.sysctls
}
restore_sysctls() {
	while IFS='=' read -r f v; do
		[ "$(cat "$f")" = "$v" ] && continue
		emit "# $1: restoring $(echo "${f#/proc/sys/}" | tr / .) to $v"
		echo "$v" > "$f"
	done < /tmp/.sysctls
}
cleanup_cgroups() {
	# Deepest first; cgroup.kill also reaches frozen tasks.
	for d in $(find /sys/fs/cgroup -mindepth 1 -type d | sort -r); do
		echo 1 > "$d/cgroup.kill" 2>/dev/null
		i=0
		while ! rmdir "$d" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1; i=$((i + 1))
		done
	done
}
reset_tracing() {
	t=/sys/kernel/tracing
	[ -f $t/set_event ] || return 0
	echo > $t/set_event; echo > $t/trace; echo 1 > $t/tracing_on
}

# Kernel trouble in the ring buffer (/tmp/.klog), whatever the console showed.
# Not "Call Trace": every OOM kill dumps a stack on purpose.  The sanitizer
# kernel's reports: KASAN and KFENCE print "BUG:", lockdep, atomic-sleep
# and debugobjects "WARNING:" or "BUG:"; UBSAN and a few lockdep reports
# (a non-static key) print neither; "INFO:" also catches RCU stalls.
kpat='WARNING:|BUG:|Oops|general protection|Kernel panic|UBSAN:|KASAN:|KFENCE:|INFO: |suspected memory leak'
kdiag() {
	grep -E -B 2 -A 25 "$kpat" /tmp/.klog | head -n 60 | sed 's/^/# /' > /tmp/.kdiag
	emit_file /tmp/.kdiag
}

# Run one test binary in its own session (so stragglers can be killed as a
# group) under a watchdog.  Sets rc and timed_out; output goes to $2.
run_one() {
	rm -f /tmp/.timedout
	(cd /tmp && exec setsid "$1") </dev/null >"$2" 2>&1 3>&- &
	pid=$!
	setsid sh -c "sleep $tmo; : > /tmp/.timedout; kill -TERM -$pid
		      sleep 5; kill -KILL -$pid" >/dev/null 2>&1 3>&- &
	wd=$!
	wait $pid
	rc=$?
	kill -KILL -$wd -$pid 2>/dev/null
	timed_out=0
	[ -e /tmp/.timedout ] && timed_out=1
}

# kselftest-style streams, wrapped in OOMCTL-TEST markers that
# scripts/tap-merge.awk turns into one TAP stream on the host.
run_check() {
	bad=0
	emit "TAP version 13"
	emit "# guest: Linux $(uname -r), cmdline: $(cat /proc/cmdline)"
	n=$(nproc); online=$(cat /sys/devices/system/cpu/online)
	if [ "$n" = "$cpus" ]; then
		emit "ok - guest: $cpus CPUs online ($online)"
	else
		emit "not ok - guest: $cpus CPUs online (nproc=$n, online=$online)"
		bad=1
	fi
	dmesg > /tmp/.klog
	taint=$(cat /proc/sys/kernel/tainted)
	if [ "$taint" = 0 ] && ! grep -qE "$kpat" /tmp/.klog; then
		emit "ok - guest: kernel log clean after boot"
	else
		emit "not ok - guest: kernel log clean after boot (taint $taint)"
		kdiag
		bad=$((bad + 1))
	fi
	# kmemleak (sanitizer kernel): forget what boot left, scan at the end.
	leaks=/sys/kernel/debug/kmemleak
	[ -w $leaks ] && echo clear > $leaks
	save_sysctls
	ran=0
	for t in /tests/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=${t##*/}
		if [ -n "$filter" ]; then
			hit=0
			set -f; IFS_=$IFS; IFS=,
			# shellcheck disable=SC2254 # $g is a glob on purpose
			for g in $filter; do case $name in $g) hit=1 ;; esac; done
			IFS=$IFS_; set +f
			[ $hit = 1 ] || continue
		fi
		ran=$((ran + 1))
		taint0=$(cat /proc/sys/kernel/tainted)
		dmesg -c > /dev/null
		emit "OOMCTL-TEST $name"
		t0=$(cut -d' ' -f1 /proc/uptime)
		run_one "$t" /tmp/.out
		t1=$(cut -d' ' -f1 /proc/uptime)
		emit_file /tmp/.out
		emit "OOMCTL-TEST-END $name rc=$rc timeout=$timed_out limit=${tmo}s time=$(echo "$t0 $t1" | awk '{printf "%.1fs", $2 - $1}')"
		[ $rc = 0 ] || [ $rc = 4 ] || bad=$((bad + 1))	# 4 = KSFT_SKIP
		# A WARN/BUG in the kernel fails the test that triggered it, even
		# if the console loglevel hid it: look at the ring buffer and taint.
		dmesg -c > /tmp/.klog
		taint1=$(cat /proc/sys/kernel/tainted)
		if [ "$taint1" != "$taint0" ] || grep -qE "$kpat" /tmp/.klog; then
			emit "not ok - $name: kernel log clean (taint $taint0 -> $taint1)"
			kdiag
			bad=$((bad + 1))
		fi
		restore_sysctls "$name"
		cleanup_cgroups
		reset_tracing
	done
	# Objects younger than 5 s are not reported yet, and a scan can still
	# see a stale pointer to a freed-then-leaked object: scan twice, as
	# Documentation/dev-tools/kmemleak.rst advises.
	if [ -w $leaks ]; then
		t0=$(cut -d' ' -f1 /proc/uptime)
		sleep 5
		echo scan > $leaks; echo scan > $leaks
		t1=$(cut -d' ' -f1 /proc/uptime)
		grep -c '^unreferenced object' $leaks > /tmp/.nleaks
		secs=$(echo "$t0 $t1" | awk '{printf "%.1fs", $2 - $1}')
		if [ "$(cat /tmp/.nleaks)" = 0 ]; then
			emit "ok - guest: kmemleak: no leak after the run (scans: $secs)"
		else
			emit "not ok - guest: kmemleak: $(cat /tmp/.nleaks) unreferenced object(s) after the run"
			head -n 60 $leaks | sed 's/^/# /' > /tmp/.kdiag
			emit_file /tmp/.kdiag
			bad=$((bad + 1))
		fi
	fi
	# An empty /tests, or a filter that matches nothing, tested nothing.
	if [ $ran = 0 ]; then
		emit "not ok - guest: no /tests binary ran (filter: ${filter:-none}; $(ls /tests 2>/dev/null | wc -l) in /tests)"
		bad=$((bad + 1))
	fi
	return $bad
}

emit "OOMCTL-BEGIN mode=$run"
case $run in
check) run_check; rc=$? ;;
demo)
	if [ -x /demo.sh ]; then /demo.sh 3>&-; rc=$?
	else echo "no /demo.sh in this initramfs"; rc=1; fi ;;
bench)
	if [ -x /bench/run ]; then /bench/run 3>&-; rc=$?
	else echo "no /bench/run in this initramfs"; rc=1; fi ;;
shell)
	echo "oomctl VM shell: tests in /tests, tools in /usr/bin; exit to power off"
	setsid cttyhack sh -l 3>&-; rc=$? ;;
*) echo "unknown oomctl.run=$run"; rc=1 ;;
esac
emit "OOMCTL-END rc=$rc"
exec 3>&-
sync
poweroff -f
# Still here (no ACPI power-off): qemu runs with -no-reboot, so reboot exits it.
reboot -f
