#!/usr/bin/env bash
# What `make check` runs: every stage below, merged into ONE TAP stream on
# stdout, ending with the line "N passed, M failed".  Exit 0 iff M == 0.
#
# Usage: scripts/check.sh [STAGE...]      (default: all, in the order below)
# Stages: deps harness host series kernel guest initramfs vm
# Env: SKIP_KERNEL_BUILD=1  boot the existing bzImage, do not run make kernel
#      FILTER, TEST_TIMEOUT, VM_TIMEOUT, ...   see scripts/run-vm.sh
#
# A stage that fails becomes a "not ok" line with the tail of its log; the
# next stages still run (unless they need what failed).  Logs: build/logs/.
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
all_stages=(deps harness host series kernel guest initramfs vm)
n=0 passed=0 failed=0
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
	awk -v stage="$name" -v start=$n -v rc=$rc -v state="$logs/.state" \
		-f scripts/tap-merge.awk "$logs/$name.tap"
	read -r n p f < "$logs/.state"
	passed=$((passed + p)) failed=$((failed + f))
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
		ok "$what" "$((SECONDS - t0))s"
	else
		notok "$what (exit $rc after $((SECONDS - t0))s, log: $logs/$name.log)"
		tail -n 25 "$logs/$name.log" | sed 's/^/#   /'
	fi
	return $rc
}
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; [ -z "${2:-}" ] || echo "# $1: $2"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1 # SKIP $2"; }
has_target() { [ -f "$1/Makefile" ] && make -n -C "$1" "$2" >/dev/null 2>&1; }

stage_deps() {
	build_step deps "deps: Debian packages installed" scripts/deps.sh || broken[deps]=1
}
stage_harness() {	# the TAP merger that every verdict below depends on
	tap_stage harness scripts/test-tap-merge.sh || true
}
stage_host() {	# host-side unit tests of the CLI, TAP on stdout
	if [ -f cli/Makefile ]; then tap_stage host mk -C cli test || true
	else skip "host: cli tests" "no cli/Makefile yet"; fi
}
stage_series() {	# the kernel owner's checks of kernel/*.patch, TAP on stdout
	if [ -x scripts/check-series.sh ]; then tap_stage series scripts/check-series.sh || true
	else skip "series: patch checks" "no scripts/check-series.sh yet"; fi
}
stage_kernel() {
	if [ "${SKIP_KERNEL_BUILD:-0}" = 1 ]; then
		skip "build: kernel" "SKIP_KERNEL_BUILD=1, booting the existing bzImage"
		return
	fi
	build_step kernel "build: kernel" mk kernel || broken[kernel]=1
}
stage_guest() {	# binaries for the VM, installed under build/guest/
	rm -rf build/guest	# only what this run built lands in the initramfs
	mkdir -p build/guest/tests
	if [ -f selftests/Makefile ]; then
		build_step selftests "build: selftests" mk -C selftests GUEST="$top/build/guest" ||
			broken[guest]=1
	else skip "build: selftests" "no selftests/Makefile yet"; fi
	if has_target cli guest; then
		build_step cli-guest "build: cli guest" mk -C cli guest GUEST="$top/build/guest" ||
			broken[guest]=1
	else skip "build: cli guest" "no guest target in cli/Makefile yet"; fi
	# bench: the benchmark binary and its one-repetition smoke test
	if has_target bench guest; then
		build_step bench-guest "build: bench guest" mk -C bench guest GUEST="$top/build/guest" ||
			broken[guest]=1
	else skip "build: bench guest" "no guest target in bench/Makefile yet"; fi
}
stage_initramfs() {
	build_step initramfs "build: initramfs" scripts/mkinitramfs.sh || broken[initramfs]=1
}
stage_vm() {
	# A stage that already failed was counted: skip.  A missing image that
	# nothing reported (e.g. SKIP_KERNEL_BUILD=1 on a fresh tree) is a failure.
	local why=
	[ -n "${broken[kernel]:-}" ] && why="kernel build failed"
	[ -n "${broken[initramfs]:-}" ] && why="initramfs build failed"
	if [ -n "$why" ]; then skip "vm: boot and run /tests" "$why"; return; fi
	if [ ! -f "${KERNEL:-build/kobj/arch/x86/boot/bzImage}" ]; then
		notok "vm: no bzImage to boot at ${KERNEL:-build/kobj/arch/x86/boot/bzImage} (make kernel)"
		return
	fi
	if [ ! -f build/initramfs.cpio.gz ]; then notok "vm: no initramfs to boot (make initramfs)"; return; fi
	tap_stage vm scripts/run-vm.sh check || true
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=("${all_stages[@]}")
for s in "${stages[@]}"; do
	declare -F "stage_$s" >/dev/null || { say "unknown stage '$s' (stages: ${all_stages[*]})"; exit 2; }
done
echo "TAP version 13"
for s in "${stages[@]}"; do "stage_$s"; done
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
