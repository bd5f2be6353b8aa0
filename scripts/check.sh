#!/usr/bin/env bash
# What `make check` runs: every stage below, merged into ONE TAP stream on
# stdout, ending with the line "N passed, M failed, K skipped".  Exit 0 iff
# M == 0.  A skip ("ok ... # SKIP why", also from a guest test) is counted
# apart and must name something outside this repository (a kernel option, a
# tool that is absent); every part of the repository must be present: a
# missing Makefile, target or script is a failure, never a skip.
#
# Usage: scripts/check.sh [STAGE...]      (default: all, in the order below)
# Stages: deps harness host docs deb series forward setup kernel guest initramfs vm vm-nonl
# Env: SKIP_KERNEL_BUILD=1  boot the existing bzImage, do not run make kernel
#      FILTER, TEST_TIMEOUT, VM_TIMEOUT, ...   see scripts/run-vm.sh
#
# A stage that fails becomes a "not ok" line with the tail of its log; the
# next stages still run (the VM does not boot after a failed kernel or
# initramfs build, which is one more "not ok").  Logs: build/logs/.
# To add a stage: write a stage_NAME function and add NAME to all_stages.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lock.sh	# the whole run: kernel, guest, initramfs and VM are shared
# check installs nothing; a DESTDIR from the caller would redirect the
# sub-projects' installs into build/guest.
unset DESTDIR
logs=build/logs
mkdir -p "$logs"
all_stages=(deps harness host docs deb series forward setup kernel guest initramfs vm vm-nonl)
. scripts/tap.sh	# tap_ok/tap_fail/tap_skip and the counters TAP_N/PASS/FAIL/SKIP
# The kernel the vm stage boots: KERNEL, else the sanitizer kernel.
vm_kernel=${KERNEL:-build/kobj-debug/arch/x86/boot/bzImage}
declare -A broken=()	# stage -> why its output cannot be used
say() { printf 'check: %s\n' "$*" >&2; }
mk() { make -s --no-print-directory "$@"; }

# Merge one TAP-producing command: stdout -> $logs/NAME.tap, stderr ->
# $logs/NAME.log, then renumber into the stream.  Returns the command's status.
tap_stage() {
	local name=$1; shift
	local rc=0 t0=$SECONDS
	say "[$name] $* (logs: $logs/$name.{tap,log})"
	"$@" >"$logs/$name.tap" 2>"$logs/$name.log" </dev/null || rc=$?
	awk -v stage="$name" -v start=$TAP_N -v rc=$rc -v state="$logs/.state" \
		-f scripts/tap-merge.awk "$logs/$name.tap"
	local p f k
	read -r TAP_N p f k < "$logs/.state"
	TAP_PASS=$((TAP_PASS + p)) TAP_FAIL=$((TAP_FAIL + f)) TAP_SKIP=$((TAP_SKIP + k))
	if [ $rc != 0 ]; then
		echo "# $name: exit status $rc after $((SECONDS - t0))s; last lines of $logs/$name.log:"
		tail -n 20 "$logs/$name.log" | sed 's/^/#   /'
	fi
	return $rc
}
# One result line for a build step; its whole output goes to $logs/NAME.log.
build_step() {
	local name=$1 what=$2; shift 2
	local rc=0 t0=$SECONDS
	say "[$name] $* (log: $logs/$name.log)"
	"$@" >"$logs/$name.log" 2>&1 </dev/null || rc=$?
	if [ $rc = 0 ]; then
		tap_ok "$what" "$((SECONDS - t0))s"
	else
		tap_fail "$what (exit $rc after $((SECONDS - t0))s, log: $logs/$name.log)"
		tail -n 25 "$logs/$name.log" | sed 's/^/#   /'
	fi
	return $rc
}

stage_deps() {
	build_step deps "deps: Debian packages installed" scripts/deps.sh || broken[deps]=1
}
stage_harness() {	# the TAP merger that every verdict below depends on
	tap_stage harness scripts/test-tap-merge.sh || true
}
stage_host() {	# host-side unit tests of the CLI, TAP on stdout
	tap_stage host mk -C cli test || true
}
stage_docs() {	# README's fleet story against docs/examples: Ansible runs, Vector parses (~20 s)
	tap_stage docs scripts/test-docs.sh || true
}
stage_deb() {	# make deb, lintian, dpkg -i/-r/-P in a copy-on-write root (~30 s)
	tap_stage deb scripts/test-deb.sh || true
}
stage_series() {	# the kernel owner's checks of kernel/*.patch, TAP on stdout
	tap_stage series scripts/check-series.sh || true
}
stage_forward() {	# kernel/series on Debian's newest linux-source (sid/experimental), ~1-2 min
	tap_stage forward scripts/forward-port.sh || true
}
stage_setup() {	# make tree / make kernel recover from interrupts (~5 min, in a clone)
	tap_stage setup scripts/test-setup-interrupt.sh || true
}
stage_kernel() {
	if [ "${SKIP_KERNEL_BUILD:-0}" = 1 ]; then
		tap_skip "build: kernel" "SKIP_KERNEL_BUILD=1 given, booting the existing bzImage"
		return
	fi
	# The sanitizer kernel (vm.config + debug.config, build/kobj-debug):
	# KASAN, UBSAN, lockdep, kmemleak, ... make every test a check of the
	# kernel too.  make demo and make bench keep the plain build/kobj.
	build_step kernel "build: kernel with sanitizers (kernel/debug.config)" mk kernel-debug ||
		broken[kernel]=1
}
stage_guest() {	# binaries for the VM, installed under build/guest/
	rm -rf build/guest	# only what this run built lands in the initramfs
	mkdir -p build/guest/tests
	build_step selftests "build: selftests" mk -C selftests GUEST="$top/build/guest" ||
		broken[guest]=1
	build_step cli-guest "build: cli guest" mk -C cli guest GUEST="$top/build/guest" ||
		broken[guest]=1
	# bench: the benchmark binary and its one-repetition smoke test
	build_step bench-guest "build: bench guest" mk -C bench guest GUEST="$top/build/guest" ||
		broken[guest]=1
}
stage_initramfs() {
	build_step initramfs "build: initramfs" scripts/mkinitramfs.sh || broken[initramfs]=1
}
stage_vm() {
	# Not booted is not a skip: the VM tests did not run, so they failed
	# (on top of the build that broke them).
	local why=
	[ -n "${broken[kernel]:-}" ] && why="the kernel build failed"
	[ -n "${broken[initramfs]:-}" ] && why="the initramfs build failed"
	if [ -n "$why" ]; then tap_fail "vm: /tests not run: $why"; return; fi
	if [ ! -f "$vm_kernel" ]; then
		tap_fail "vm: no bzImage to boot at $vm_kernel (make kernel-debug)"
		return
	fi
	if [ ! -f build/initramfs.cpio.gz ]; then tap_fail "vm: no initramfs to boot (make initramfs)"; return; fi
	KERNEL=$vm_kernel tap_stage vm scripts/run-vm.sh check || true
	# What the guest cannot check (no Python there): its Prometheus output
	tap_stage vm-prom cli/tests/vm-prom.sh "$logs/vm.tap" || true
}
# The patched kernel built without the family (CONFIG_OOM_NETLINK=n, make
# kernel-nonl): oomctl sets the policy through the vm.oom_reap_* sysctls.
# Built if needed (incremental, through ccache: 7 s when nothing changed,
# about 4 min after a change to kernel/), booted with the policy test alone
# (a plain kernel: 7 s of VM); its console log is build/vm-check-nonl.log.
stage_vm-nonl() {
	local why= kernel=build/kobj-nonl/arch/x86/boot/bzImage
	[ -n "${broken[initramfs]:-}" ] && why="the initramfs build failed"
	if [ -z "$why" ] && [ "${SKIP_KERNEL_BUILD:-0}" != 1 ]; then
		build_step kernel-nonl "build: kernel with CONFIG_OOM_NETLINK=n (make kernel-nonl)" \
			scripts/build-nonl-kernel.sh || why="the CONFIG_OOM_NETLINK=n kernel build failed"
	fi
	if [ -n "$why" ]; then tap_fail "vm-nonl: oomctl-policy.sh not run: $why"; return; fi
	if [ ! -f "$kernel" ]; then tap_fail "vm-nonl: no bzImage to boot at $kernel (make kernel-nonl)"; return; fi
	if [ ! -f build/initramfs.cpio.gz ]; then tap_fail "vm-nonl: no initramfs to boot (make initramfs)"; return; fi
	KERNEL=$kernel FILTER=oomctl-policy.sh VM_LOG=check-nonl VM_TIMEOUT=${VM_TIMEOUT:-600} \
		VM_APPEND="${VM_APPEND:+$VM_APPEND }oomctl.source=sysctl" \
		tap_stage vm-nonl scripts/run-vm.sh check || true
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=("${all_stages[@]}")
for s in "${stages[@]}"; do
	declare -F "stage_$s" >/dev/null || { say "unknown stage '$s' (stages: ${all_stages[*]})"; exit 2; }
done
tap_header
for s in "${stages[@]}"; do "stage_$s"; done
tap_plan
echo "$TAP_PASS passed, $TAP_FAIL failed, $TAP_SKIP skipped"
[ "$TAP_FAIL" = 0 ]
