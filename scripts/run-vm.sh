#!/usr/bin/env bash
# Boot the test VM: our bzImage + build/initramfs.cpio.gz in QEMU (TCG, 2 CPUs).
#
# Usage: scripts/run-vm.sh check|demo|bench|shell
#   check  prints the guest's raw TAP (OOMCTL-TEST sections, for
#          scripts/tap-merge.awk) on stdout; exits 1 if anything failed
#   demo, bench  show the console live; exit 1 if the guest script failed
#   shell  interactive busybox shell on the console (Ctrl-A X quits qemu)
# Env: VM_TIMEOUT (s, 3000: the sanitizer kernel)  VM_MEM (MiB, 1024)  VM_SMP (2)  VM_ACCEL (tcg)
#      FILTER=GLOB[,GLOB]   check: only these /tests binaries
#      TEST_TIMEOUT (s)     check: per-binary timeout inside the guest (600)
#      VM_APPEND            extra kernel command line
#      KERNEL, INITRD       images to boot;  VERBOSE=1  console on stderr
#      VM_LOG=NAME          build/vm-NAME.{log,tap} instead of vm-MODE (a second boot)
# The whole console goes to build/vm-MODE.log.  A timeout, panic, Oops, BUG or
# WARNING on the console, or a guest that never reached its end marker, is a
# failure reported with the last 40 console lines.
set -euo pipefail
mode=${1:?usage: run-vm.sh check|demo|bench|shell}
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lock.sh"	# one VM per checkout: shared initramfs and logs
kernel=${KERNEL:-$top/build/kobj/arch/x86/boot/bzImage}
initrd=${INITRD:-$top/build/initramfs.cpio.gz}
limit=${VM_TIMEOUT:-3000}
smp=${VM_SMP:-2}
log=$top/build/vm-${VM_LOG:-$mode}.log
tapf=$top/build/vm-${VM_LOG:-$mode}.tap
say() { printf 'run-vm: %s\n' "$*" >&2; }

[ -f "$kernel" ] || { say "no kernel at ${kernel#"$top"/} (make kernel)"; exit 1; }
[ -f "$initrd" ] || { say "no initramfs at ${initrd#"$top"/} (make initramfs)"; exit 1; }

# loglevel=4: OOM-kill lines and panics reach the console, the per-kill
# dump_header() noise does not (the guest checks the ring buffer for WARNs).
# panic=-1 + -no-reboot: a panic ends qemu at once instead of hanging.
append="console=ttyS0 loglevel=4 log_buf_len=1M panic=-1 oops=panic"
append+=" oomctl.run=$mode oomctl.cpus=$smp oomctl.tap=ttyS1"
[ -n "${FILTER:-}" ] && append+=" oomctl.filter=$FILTER"
[ -n "${TEST_TIMEOUT:-}" ] && append+=" oomctl.timeout=$TEST_TIMEOUT"
[ -n "${VM_APPEND:-}" ] && append+=" $VM_APPEND"
qemu=(qemu-system-x86_64 -accel "${VM_ACCEL:-tcg}" -smp "$smp" -m "${VM_MEM:-1024}"
      -no-reboot -kernel "$kernel" -initrd "$initrd" -append "$append")

if [ "$mode" = shell ]; then
	# ttyS0 = this terminal (with qemu's Ctrl-A monitor), ttyS1 unused.
	# qemu has read the initramfs once it runs: drop the lock (fd 9) so a
	# long interactive session does not hold up other runs.
	exec "${qemu[@]}" -nographic -serial mon:stdio -serial null 9>&-
fi

# Non-interactive: no monitor, stdin closed; ttyS1 (guest results) -> $tapf.
rm -f "$tapf"
qemu+=(-display none -monitor none -serial stdio -serial "file:$tapf")
start=$(date +%s)
set +e
if [ "$mode" = check ] && [ "${VERBOSE:-0}" != 1 ]; then
	timeout -k 10 "$limit" "${qemu[@]}" </dev/null >"$log" 2>&1
	rc=$?
elif [ "$mode" = check ]; then
	timeout -k 10 "$limit" "${qemu[@]}" </dev/null 2>&1 | tee "$log" >&2
	rc=${PIPESTATUS[0]}
else
	timeout -k 10 "$limit" "${qemu[@]}" </dev/null 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
fi
set -e
secs=$(( $(date +%s) - start ))

# The guest's own output: ttyS1 if it has the markers, else the console.
src=$tapf
grep -q '^OOMCTL-BEGIN' "$src" 2>/dev/null || src=$log
region=$(tr -d '\r' < "$src" | sed -n '/^OOMCTL-BEGIN/,/^OOMCTL-END/p')
guest_rc=$(sed -n 's/^OOMCTL-END rc=\([0-9]*\).*/\1/p' <<<"$region")

problem=
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	problem="TIMEOUT: the VM ran for ${limit}s (VM_TIMEOUT) and was killed"
elif [ "$rc" != 0 ]; then
	problem="qemu exited with status $rc"
fi
# Kernel lines carry a printk timestamp; userspace text cannot fake one here.
kbad=$(tr -d '\r' < "$log" |
	grep -E -m1 '^\[ *[0-9]+\.[0-9]+\] .*(Kernel panic|Oops|BUG:|WARNING:|general protection fault)' || true)
[ -n "$kbad" ] && problem="${problem:+$problem; }kernel: ${kbad#*] }"
[ -z "$problem" ] && [ -z "$guest_rc" ] && problem="the guest never printed OOMCTL-END (crash or early power-off)"

# check: the console tail goes into the TAP stream as diagnostics, after
# OOMCTL-ABORT (which closes a test the VM died in); other modes: stderr.
if [ "$mode" = check ]; then
	grep -v '^OOMCTL-\(BEGIN\|END\)' <<<"$region" || true
	if [ -n "$problem" ]; then
		echo "OOMCTL-ABORT"
		echo "not ok - $problem"
		echo "# last 40 console lines (full log: ${log#"$top"/}):"
		tail -n 40 "$log" | tr -d '\r' | sed 's/^/# | /'
	fi
fi
if [ -n "$problem" ]; then
	say "$problem"
	if [ "$mode" != check ]; then
		say "last 40 console lines (full log: ${log#"$top"/}):"
		tail -n 40 "$log" | tr -d '\r' | sed 's/^/  | /' >&2
	fi
	exit 1
fi
say "$mode: guest finished in ${secs}s, rc=$guest_rc (console: ${log#"$top"/})"
[ "$guest_rc" = 0 ] || exit 1
[ "$mode" != check ] && exit 0
# A test may print "not ok" and still exit 0; TODOs are not failures.
! grep -E '^not ok' <<<"$region" | grep -qvE '#[[:space:]]*TODO'
