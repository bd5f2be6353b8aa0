#!/usr/bin/env bash
# make bench: build what is needed, boot the VM in bench mode (the guest runs
# /bench/run, i.e. bench/guest/run.sh), collect its records from the result
# port, and turn them into bench/results.md, bench/results.json and
# bench/plots/*.png.
#
# Env:
#   BENCH_REPS=N            repetitions per configuration (default 15)
#   BENCH_SECTIONS=a,b      only these sections (order lmkd sparse frozen delay ctl storm profile
#                           freed starved stock robust exitcost)
#   BENCH_NONL_BOOTS=N      then N boots (default 4) of CONFIG_OOM_NETLINK=n and =y
#                           alternately, section cost (make kernel-nonl); 0 = none
#   BENCH_BOOTS=N           boots in all (default 4): the first runs every section on
#                           the patched kernel, then stock 7.3 (make kernel-stock) and
#                           the patched kernel alternate, running the sections that
#                           compare the two (starved stock robust exitcost); 1 = no stock boots
#   BENCH_MODE=smoke        one repetition, tiny sizes (a quick try of the pipeline)
#   BENCH_OUT=DIR           where results go (default bench/; smoke: build/bench-smoke)
#   BENCH_FOOTPRINT_BUILD=1 also build the pristine and netlink-less objects
#                           for the kernel footprint (bench/footprint.sh)
#   BENCH_REPORT_ONLY=1     no VM: re-make the report from BENCH_OUT/results.json
#   BENCH_KEEP=1            with BENCH_SECTIONS: keep the other sections' records of
#                           BENCH_OUT/results.json (the report says which run each is from)
#   VM_TIMEOUT              seconds for the whole boot (default 2400)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mode=${BENCH_MODE:-full}
out=${BENCH_OUT:-}
[ -n "$out" ] || { [ "$mode" = smoke ] && out=build/bench-smoke || out=bench; }
mkdir -p "$out" build/logs
work=build/bench-run
log() { printf 'bench: %s\n' "$*" >&2; }
start=$(date +%s)

if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then
	python3 bench/report.py --from-json "$out/results.json" --out "$out"
	exit 0
fi

# Like make check and make demo: a fresh machine needs nothing done by hand.
scripts/deps.sh
command -v python3 >/dev/null || { log "python3 is needed on the host for the report"; exit 1; }
command -v gnuplot >/dev/null || log "no gnuplot: the report will have no plots (scripts/deps.sh installs gnuplot-nox)"

. scripts/lock.sh	# build/guest, the initramfs and the VM are shared with make check

# Host load while we run: the VM is TCG on shared cores, so say how busy they were.
rm -rf "$work" && mkdir -p "$work"
host_sample() {
	while :; do
		printf '%s %s\n' "$(date +%s)" "$(cut -d' ' -f1-3 /proc/loadavg)"
		sleep 10
	done
}
host_sample > "$work/load.txt" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT

if [ ! -f build/kobj/arch/x86/boot/bzImage ]; then
	log "no kernel yet: make kernel"
	make -s kernel
fi
# The sections that run on both kernels, among those asked for
cmp=starved,stock,robust,exitcost
want=${BENCH_SECTIONS:-all}
cmp_run=
for s in ${cmp//,/ }; do
	case ",$want," in *",$s,"* | ,all,) cmp_run+=${cmp_run:+,}$s ;; esac
done
boots=${BENCH_BOOTS:-4}
[ -n "$cmp_run" ] || boots=1
stock=build/kobj-stock/arch/x86/boot/bzImage
if [ "$boots" -gt 1 ] && [ ! -f "$stock" ]; then
	log "no stock 7.3 kernel yet: make kernel-stock"
	make -s kernel-stock
fi
# The family compiled out against compiled in, nobody listening: section
# cost on CONFIG_OOM_NETLINK=n and =y kernels, booted alternately
nonl_boots=0
case ",$want," in *,cost,* | ,all,) nonl_boots=${BENCH_NONL_BOOTS:-4} ;; esac
nonl=build/kobj-nonl/arch/x86/boot/bzImage
if [ "$nonl_boots" -gt 0 ]; then
	log "the kernel with CONFIG_OOM_NETLINK=n: make kernel-nonl"
	make -s kernel-nonl
fi
log "guest binaries (selftests, cli, bench) and initramfs"
make -s guest-build > build/logs/bench-guest.log 2>&1 || { tail -n 20 build/logs/bench-guest.log; exit 1; }
make -s -C bench guest GUEST="$top/build/guest" >> build/logs/bench-guest.log 2>&1 ||
	{ tail -n 20 build/logs/bench-guest.log; exit 1; }
scripts/mkinitramfs.sh 2>> build/logs/bench-guest.log

# Boot 1: the patched kernel, every section asked for.  Then stock and
# patched alternate with the comparison sections only: each kernel's
# figures come from several boots, and a slow phase of the host hits both.
: > "$work/records.txt"
: > "$work/console.txt"
vm_rc=0 vm_start=$(date +%s)
for boot in $(seq 1 $((boots + nonl_boots))); do
	append="oombench.mode=$mode oombench.boot=$boot"
	[ -n "${BENCH_REPS:-}" ] && append+=" oombench.reps=$BENCH_REPS"
	kernel=build/kobj/arch/x86/boot/bzImage kind=patched
	if [ "$boot" -gt "$boots" ]; then	# =n, =y, =n, =y
		append+=" oombench.sections=cost"
		[ $(((boot - boots) % 2)) = 1 ] && kernel=$nonl kind=nonl
	elif [ "$boot" = 1 ]; then
		# cost runs only in the =n/=y boots below
		s=${BENCH_SECTIONS:-}
		s=$(echo ",$s," | sed 's/,cost,/,/g; s/^,//; s/,$//')
		[ -n "${BENCH_SECTIONS:-}" ] && [ -z "$s" ] && continue
		[ -n "$s" ] && append+=" oombench.sections=$s"
	else
		append+=" oombench.sections=$cmp_run"
		[ $((boot % 2)) = 0 ] && kernel=$stock kind=stock
	fi
	log "boot $boot/$((boots + nonl_boots)): $kind kernel ($append); console: build/vm-bench.log"
	VM_TIMEOUT=${VM_TIMEOUT:-2400} KERNEL=$kernel VM_APPEND="$append ${VM_APPEND:-}" \
		scripts/run-vm.sh bench >> "$work/console.txt" 2>&1 || vm_rc=$?
	grep -E '^(bench|oombench):' "$work/console.txt" | tail -n 3 >&2 || true
	tr -d '\r' < build/vm-bench.tap | grep '^@B ' >> "$work/records.txt" || true
done
vm_secs=$(( $(date +%s) - vm_start ))
log "VM boots finished in ${vm_secs}s (rc=$vm_rc), $(wc -l < "$work/records.txt") records"
kill $sampler 2>/dev/null || true

bench/footprint.sh > "$work/footprint.json" 2> build/logs/bench-footprint.log ||
	{ log "footprint failed (build/logs/bench-footprint.log)"; echo '{}' > "$work/footprint.json"; }

# What the host was: the numbers are only comparable within one run.
{
	printf '{"date":"%s","host_kernel":"%s","host_cpus":%s,' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(uname -r)" "$(nproc)"
	printf '"host_cpu":"%s",' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//;s/"//g')"
	printf '"qemu":"%s","accel":"%s","vm_seconds":%s,"vm_rc":%s,' \
		"$(qemu-system-x86_64 --version | head -n 1)" "${VM_ACCEL:-tcg}" "$vm_secs" "$vm_rc"
	printf '"total_seconds":%s,' "$(( $(date +%s) - start ))"
	printf '"git":"%s",' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	printf '"load":[%s]}\n' "$(awk '{printf "%s[%s,%s,%s,%s]", (NR > 1 ? "," : ""), $1, $2, $3, $4}' "$work/load.txt")"
} > "$work/host.json"

keep=()
if [ "${BENCH_KEEP:-0}" = 1 ] && [ -n "${BENCH_SECTIONS:-}" ] && [ -f "$out/results.json" ]; then
	cp "$out/results.json" "$work/previous.json"
	keep=(--keep-from "$work/previous.json" --sections "$BENCH_SECTIONS")
fi
python3 bench/report.py --records "$work/records.txt" --host "$work/host.json" \
	--footprint "$work/footprint.json" --out "$out" "${keep[@]}"
log "done in $(( $(date +%s) - start ))s: $out/results.md"
[ "$vm_rc" = 0 ]
