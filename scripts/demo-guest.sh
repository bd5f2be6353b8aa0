#!/bin/sh
# /demo.sh in the VM (make demo): what the three OOM-reaper sysctls do to a
# real memcg OOM kill, seen through the oom:* trace events.
# Victims live in a cgroup with memory.max=64M and no swap: either
# "tail /dev/zero" (keeps growing until the memcg OOM-kills it), or a frozen
# dd holding 40M that we OOM-kill by lowering memory.max from outside.
# Shows the first victim's mark_victim -> first reaper event delay.
# Works on a stock kernel too: missing sysctls/events are reported, not fatal.
set -u	# no -e: a missing knob or event on a stock kernel is a note, not an abort
cg=/sys/fs/cgroup/demo
tr=/sys/kernel/tracing
vm=/proc/sys/vm

echo "=== oomctl demo: Linux $(uname -r), $(nproc) CPUs"
for s in oom_reap_delay_ms oom_reap_frozen_bypass oom_reap_order; do
	if [ -f $vm/$s ]; then echo "vm.$s = $(cat $vm/$s)"
	else echo "NOTE: vm.$s does not exist: stock kernel? (settings below are ignored)"; fi
done
saved=$(for s in oom_reap_delay_ms oom_reap_frozen_bypass oom_reap_order; do
	[ -f $vm/$s ] && echo "$s=$(cat $vm/$s)"; done)

# New events first; the stock ones still show when the reaper ran.
events=
for e in mark_victim reap_queued reap_result wake_reaper start_task_reaping \
	 finish_task_reaping skip_task_reaping; do
	if [ -d $tr/events/oom/$e ]; then
		echo 1 > $tr/events/oom/$e/enable; events="$events $e"
	fi
done
echo "trace events:$events"
for e in reap_queued reap_result; do
	[ -d $tr/events/oom/$e ] || echo "NOTE: no oom:$e event on this kernel"
done

set_knob() {	# name value
	[ -f $vm/$1 ] && echo "$2" > $vm/$1
}
show_trace() {	# oom:* lines, then mark_victim -> first reaper event
	grep -E ' (mark_victim|reap_queued|reap_result|wake_reaper|[a-z]+_task_reaping):' $tr/trace |
		sed 's/^ *//'
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = $i + 0; ev = $(i + 1) } }
	     ev == "mark_victim:" && !m { m = t }
	     ev ~ /^(reap_result|start_task_reaping|skip_task_reaping):$/ && m && !r { r = t; what = ev }
	     END { if (m && r) printf ">>> mark_victim -> %s %.0f ms later\n", what, (r - m) * 1000
		   else if (m) print ">>> no reaper event for this victim: it freed its memory itself first?" }' $tr/trace
}
new_cgroup() {
	rmdir $cg 2>/dev/null
	mkdir $cg
	echo 64M > $cg/memory.max
	echo 0 > $cg/memory.swap.max 2>/dev/null || echo "NOTE: no memory.swap.max (CONFIG_SWAP?)"
}
end_case() {	# give a delayed reaper time to run, show, clean up
	sleep "$1"
	show_trace
	echo 1 > $cg/cgroup.kill
	sleep 0.2
	rmdir $cg
}

# tail /dev/zero never sees a newline, so it buffers forever: OOM in its memcg.
case_tail() {	# title delay bypass order
	echo; echo "=== $1  (delay_ms=$2 frozen_bypass=$3 order=$4)"
	set_knob oom_reap_delay_ms "$2"; set_knob oom_reap_frozen_bypass "$3"; set_knob oom_reap_order "$4"
	new_cgroup
	echo > $tr/trace
	sh -c "echo \$\$ > $cg/cgroup.procs; exec tail /dev/zero" 2>/dev/null
	end_case "$(awk -v d="$2" 'BEGIN { printf "%.1f", d / 1000 + 0.5 }')"
}

# A frozen victim cannot allocate, so the OOM comes from the writer of
# memory.max (this shell, outside the cgroup).
case_frozen() {	# title delay bypass
	echo; echo "=== $1  (delay_ms=$2 frozen_bypass=$3 order=1, victim frozen by cgroup.freeze)"
	set_knob oom_reap_delay_ms "$2"; set_knob oom_reap_frozen_bypass "$3"; set_knob oom_reap_order 1
	new_cgroup
	# dd fills a 40M buffer, then blocks writing it into a FIFO nobody
	# reads (this shell holds it open): the victim is alone in its cgroup.
	rm -f /tmp/demo.fifo; mkfifo /tmp/demo.fifo
	exec 4<>/tmp/demo.fifo
	sh -c "echo \$\$ > $cg/cgroup.procs; exec dd if=/dev/zero bs=40M count=1 of=/tmp/demo.fifo 2>/dev/null" &
	i=0	# until dd holds its 40M
	while [ "$(cat $cg/memory.current)" -lt 41000000 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	echo 1 > $cg/cgroup.freeze
	i=0
	while ! grep -q 'frozen 1' $cg/cgroup.events && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	echo "memory.current=$(cat $cg/memory.current), $(grep frozen $cg/cgroup.events); memory.max -> 16M"
	echo > $tr/trace
	echo 16M > $cg/memory.max
	end_case "$(awk -v d="$2" 'BEGIN { printf "%.1f", d / 1000 + 0.5 }')"
	wait
	exec 4>&-
}

case_tail "default policy: the reaper waits" 2000 1 1
case_tail "no delay: the reaper starts at once" 0 1 1
case_tail "no delay, forward walk (exit_mmap's order)" 0 1 0
case_frozen "frozen victim, bypass on: no delay" 2000 1
case_frozen "frozen victim, bypass off: full delay" 2000 0

for kv in $saved; do set_knob "${kv%%=*}" "${kv#*=}"; done
echo > $tr/set_event
echo; echo "=== demo done"
