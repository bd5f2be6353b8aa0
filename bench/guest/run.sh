#!/bin/sh
# /bench/run in the VM (bench/Makefile installs it): runs the oombench
# sections and sends their records ("@B {json}" lines) to the result port.
#
#   /bench/run [SECTION...]      default: all, in the order below
# Env / kernel command line (oombench.KEY=VALUE, set by bench/run.sh):
#   BENCH_MODE   full (default) or smoke (one repetition, tiny sizes)
#   BENCH_OUT    where records go (default: the result port /dev/ttyS1 when
#                the VM was booted to run the bench, else stdout)
#   BENCH_REPS   repetitions per configuration (full: 15)
# Progress and errors go to stderr (the console).  Exit status: number of
# sections that failed.
set -u
B=/bench/oombench
mode=${BENCH_MODE:-} reps=${BENCH_REPS:-} sections='' boot=1
for arg in $(cat /proc/cmdline); do
	case $arg in
	oombench.mode=*) [ -n "$mode" ] || mode=${arg#*=} ;;
	oombench.reps=*) [ -n "$reps" ] || reps=${arg#*=} ;;
	oombench.sections=*) sections=$(echo "${arg#*=}" | tr , ' ') ;;
	oombench.boot=*) boot=${arg#*=} ;;
	esac
done
mode=${mode:-full}
[ $# -gt 0 ] && sections="$*"
reps=${reps:-}
# The comparisons with stock 7.3 first: then every boot runs them fresh
# from its start, the first as well as the later ones (bench/run.sh)
sections=${sections:-starved stock robust exitcost order lmkd sparse frozen delay ctl storm profile freed}
# fd 4: the records
if [ -n "${BENCH_OUT:-}" ]; then exec 4>>"$BENCH_OUT"
elif grep -q 'oomctl.run=bench' /proc/cmdline && [ -c /dev/ttyS1 ]; then exec 4>/dev/ttyS1
else exec 4>&1; fi

# Per section: repetitions (oombench.reps / BENCH_REPS overrides them all)
# and arguments.  Full-mode sizes are the issue's: a few hundred MiB over
# many VMAs; 32 MiB written in 1 TiB and 16 TiB mappings; the storm is
# >= 1000 kills with a listener.  order, lmkd and sparse run THP off and on
# (-t off,on is their default; profile stays THP off).
if [ "$mode" = smoke ]; then
	n_default=1
	a_order="-s 16 -v 8 -c many,one"
	a_lmkd="-s 16 -v 8 -c many"
	a_sparse="-s 8 -c 1t,16t"
	a_frozen="-s 8"
	a_delay="-s 8 -c 0,100"
	a_ctl="-k 10"
	a_storm="-k 5 -C 1 -S 10"
	a_profile="-s 16 -v 8 -c many"
	a_starved="-s 8 -c idle,cpumax"
	a_exitcost="-k 5 -c 1"
	a_freed="-s 16 -v 8"
	n_cost=2
	a_stock="-s 16 -v 8 -k 5"
	a_robust="-c 2000,0"
else
	n_default=15
	n_order=25 n_lmkd=25 n_sparse=15 n_profile=5
	a_order="-s 256 -v 128 -c many,one"
	a_lmkd="-s 256 -v 128 -c many"
	a_sparse="-s 32 -c 1t,16t"
	a_frozen="-s 64"
	a_delay="-s 64 -c 0,100,500,2000"
	a_ctl="-k 200"
	a_storm="-k 100 -C 8 -S 1000 -c auto,nlmon"
	a_profile="-s 256 -v 128 -c many,one"
	# Run on both kernels, on every boot bench/run.sh makes (the
	# repetitions are per boot)
	n_starved=4 n_stock=6 n_robust=5
	# exitcost: blocks of 100 exits per size, 1000 per size per boot
	n_exitcost=10
	a_exitcost="-k 100 -c 1,16"
	a_freed="-s 64 -v 32"
	# On the patched kernel and the one with CONFIG_OOM_NETLINK=n,
	# booted alternately by bench/run.sh: rounds of 25 kills
	n_cost=24
	a_starved="-s 64"
	a_stock="-s 256 -v 128 -k 50"
	a_robust="-c 2000,0"
fi

rec() { printf '@B %s\n' "$1" >&4; }
up() { cut -d' ' -f1 /proc/uptime; }

# Kernel messages on the serial console cost time in the OOM path (each
# kill prints a few lines): keep them in the ring buffer only.
printk=$(cat /proc/sys/kernel/printk)
echo "1 4 1 7" > /proc/sys/kernel/printk
dmesg -c > /dev/null

# Stock 7.3 (bench/run.sh boots it for the comparison sections) has no
# oomctl sysctls and no oom family
if [ -e /proc/sys/vm/oom_reap_delay_ms ]; then
	kind=patched
	policy="$(cat /proc/sys/vm/oom_reap_delay_ms)/$(cat /proc/sys/vm/oom_reap_frozen_bypass)/$(cat /proc/sys/vm/oom_reap_order)"
else
	kind=stock policy=none
fi
oomctl=/usr/bin/oomctl
ov=none
[ -x $oomctl ] && ov=$($oomctl --version 2>/dev/null | head -n 1)
rec "{\"sec\":\"meta\",\"mode\":\"$mode\",\"reps\":\"${reps:-default}\",\"kernel\":\"$(uname -r)\",\"version\":\"$(uname -v)\",\"machine\":\"$(uname -m)\",\"cpus\":$(nproc),\"mem_kb\":$(awk '/MemTotal/ {print $2}' /proc/meminfo),\"oomctl\":\"$ov\",\"boot\":$boot,\"kernel_kind\":\"$kind\",\"clocksource\":\"$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)\",\"policy\":\"$policy\",\"uptime\":$(up)}"

failed=0
for s in $sections; do
	eval "args=\${a_$s:-} n=\${n_$s:-$n_default}"
	[ -n "$reps" ] && n=$reps
	echo "bench: == $s: $B $s -n $n $args" >&2
	t0=$(up)
	$B "$s" -n "$n" $args -l "$mode" >&4
	rc=$?
	t1=$(up)
	rec "{\"sec\":\"section\",\"name\":\"$s\",\"rc\":$rc,\"seconds\":$(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}')}"
	[ $rc = 0 ] || { failed=$((failed + 1)); echo "bench: $s FAILED (rc=$rc)" >&2; }
done

# Kernel trouble during the run: count it into the data, show it on the
# console (with its printk timestamps, so the host's checks see it too).
bad=$(dmesg | grep -cE 'WARNING:|BUG:|Oops|general protection')
kills=$(dmesg | grep -c 'Killed process')
rec "{\"sec\":\"end\",\"failed\":$failed,\"kernel_warnings\":$bad,\"taint\":$(cat /proc/sys/kernel/tainted),\"uptime\":$(up)}"
echo "$printk" > /proc/sys/kernel/printk
[ "$bad" = 0 ] || dmesg | grep -E -A 20 'WARNING:|BUG:|Oops|general protection' | head -n 60 >&2
echo "bench: done, $failed section(s) failed, $kills kill lines in the ring buffer" >&2
exit $failed
