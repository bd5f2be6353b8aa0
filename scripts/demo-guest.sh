#!/bin/sh
# /demo.sh in the VM (make demo): what the OOM reaper's policy does to a real
# memcg OOM kill, told with oomctl: show the policy, change it with `oomctl
# set`, watch each kill live with `oomctl monitor` (text, and once -j), then
# `oomctl stats` and `oomctl reset`.
# Victims live in a cgroup with memory.max=64M and no swap: either
# "tail /dev/zero" (keeps growing until the memcg OOM-kills it), or a frozen
# dd holding 40M that we OOM-kill by lowering memory.max from outside.
# Without /usr/bin/oomctl, or on a kernel without the "oom" netlink family
# (`oomctl show` exits 3), the same scenes are shown from the oom:* trace
# events in tracefs instead; missing sysctls/events there are notes, not fatal.
# busybox sh only: the guest has no bash or python.
set -u	# no -e: a missing knob or event on a stock kernel is a note, not an abort
cg=/sys/fs/cgroup/demo
tr=/sys/kernel/tracing
vm=/proc/sys/vm
mon=/tmp/demo.mon

# ---------------- victims (both presentations) ----------------
new_cgroup() {
	rmdir $cg 2>/dev/null
	mkdir $cg
	echo 64M > $cg/memory.max
	echo 0 > $cg/memory.swap.max 2>/dev/null || echo "NOTE: no memory.swap.max (CONFIG_SWAP?)"
}
# tail /dev/zero never sees a newline, so it buffers forever: OOM in its
# memcg.  Runs in the foreground: returns once the victim is dead.
kill_tail() {
	new_cgroup
	sh -c "echo \$\$ > $cg/cgroup.procs; exec tail /dev/zero" 2>/dev/null
}
# A frozen victim cannot allocate, so the OOM comes from the writer of
# memory.max (this shell, outside the cgroup).  Sets $dd; end_victim reaps it.
kill_frozen() {
	new_cgroup
	# dd fills a 40M buffer, then blocks writing it into a FIFO nobody
	# reads (this shell holds it open): the victim is alone in its cgroup.
	rm -f /tmp/demo.fifo; mkfifo /tmp/demo.fifo
	exec 4<>/tmp/demo.fifo
	sh -c "echo \$\$ > $cg/cgroup.procs; exec dd if=/dev/zero bs=40M count=1 of=/tmp/demo.fifo 2>/dev/null" &
	dd=$!
	i=0	# until dd holds its 40M (no event to wait for: poll)
	while [ "$(cat $cg/memory.current)" -lt 41000000 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	echo 1 > $cg/cgroup.freeze
	i=0
	while ! grep -q 'frozen 1' $cg/cgroup.events && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	echo "(dd holds $(($(cat $cg/memory.current) / 1048576))M, cgroup.events: $(grep frozen $cg/cgroup.events); memory.max 64M -> 16M)"
	echo 16M > $cg/memory.max
}
end_victim() {	# whatever is left of the victim, and its cgroup
	echo 1 > $cg/cgroup.kill 2>/dev/null
	[ -n "${dd:-}" ] && { wait "$dd" 2>/dev/null; exec 4>&-; dd=; }
	i=0
	while ! rmdir $cg 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# ================= the story, with oomctl =================
cmd() { echo "# $*"; "$@"; }	# show a command as typed at a root prompt, then run it

# Start `oomctl monitor ARGS` in the background, its output on the console
# as it comes and in $mon.  Returns once it listens: it has joined the oom
# multicast groups when it blocks in poll(2), which /proc/PID/syscall shows
# (x86-64: 7 poll, 271 ppoll).
monitor_start() {
	echo "# oomctl $* &"
	rm -f $mon $mon.pid $mon.rc
	{ oomctl "$@" 2>&1 & echo $! > $mon.pid; wait $!; echo $? > $mon.rc; } | tee $mon &
	tee_pid=$!
	i=0
	while [ $i -lt 100 ]; do
		nr=
		if [ -s $mon.pid ]; then
			read -r nr _ 2>/dev/null < "/proc/$(cat $mon.pid)/syscall"
			case ${nr:-} in 7 | 271) return 0 ;; esac
		fi
		sleep 0.05; i=$((i + 1))
	done
	echo "(the monitor did not get ready within 5 s; going on)"
}
# Wait for the monitor to end (its --count), then sum up the kill it saw:
# victim -> reap-done from the timestamps (text --timestamp, or -j's
# ts_mono_ns), and the result.
monitor_end() {
	wait $tee_pid
	rc=$(cat $mon.rc 2>/dev/null)
	[ "$rc" = 0 ] || echo "(oomctl monitor exited ${rc:-?})"
	awk '
	function ms(line,   a, s) {
		if (match(line, /"ts_mono_ns":[0-9]+/))
			return substr(line, RSTART + 13, RLENGTH - 13) / 1e6
		split(substr(line, 12, 15), a, ":")	# 2026-11-23T14:09:32.923286Z
		return (a[1] * 3600 + a[2] * 60 + a[3]) * 1000
	}
	function val(line, key,   s) {
		if (match(line, "\"" key "\":\"?[a-z0-9-]+") || match(line, " " key "=[a-z0-9-]+")) {
			s = substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 2)
			sub(/^[:"]+/, "", s)
			return s
		}
	}
	/"type":"victim"/ || $2 == "victim" { v = ms($0) }
	/"type":"reap-done"/ || $2 == "reap-done" { d = ms($0); res = val($0, "result"); us = val($0, "duration_us") }
	/"type":"freed"/ || $2 == "freed" { f = val($0, "kill_to_freed_us"); by = val($0, "freed_by") }
	END {
		if (f != "") printf ">>> the memory was back %.0f ms after the kill (freed_by=%s)\n", f / 1000, by
		if (v == "" || d == "") { print ">>> no victim/reap-done pair in the stream"; exit }
		if (res == "reaped") what = "it tore the memory down itself (reaped, " int(us / 1000) " ms of work)"
		else if (res == "exited-first") what = "the victim had freed its memory first (exited-first)"
		else what = res
		printf ">>> the reaper finished %.0f ms after the kill: %s\n", d - v, what
	}' $mon
}
# One scene: a monitor, a kill, the stream, the sum-up
scene_tail() {	# monitor args...
	monitor_start "$@"
	echo "# tail /dev/zero   (in the 64M cgroup: it grows until the OOM killer kills it)"
	kill_tail
	monitor_end
	end_victim
}
scene_frozen() {
	monitor_start "$@"
	echo "# dd, frozen with cgroup.freeze, then memory.max lowered under it"
	kill_frozen
	monitor_end
	end_victim
}
say() { echo; echo "=== $*"; }

oomctl_demo() {
	mo="monitor --timestamp --count 4 --timeout 20s"
	echo "When the OOM killer kills a process, the oom_reaper kernel thread tears"
	echo "down the victim's memory, in case the victim cannot exit by itself."
	echo "oomctl shows and changes how it does that, and streams each kill from"
	echo "the kernel's \"oom\" netlink family: victim (chosen), reap-queued (handed"
	echo "to the reaper, with the delay it got and why), reap-done (the result),"
	echo "freed (the victim's memory is back: how long after the kill, and who"
	echo "unmapped most of it)."
	echo "Every scene below OOM-kills a real process in a 64M memory cgroup."

	say "The policy at boot: anybody may read it"
	cmd oomctl show

	say "1. Default: the reaper gives the victim 2 s to exit by itself"
	echo "Look at the time stamps: reap-done comes 2 s after the victim.  A victim"
	echo "that is stuck in the kernel holds its memory for all of that time."
	# shellcheck disable=SC2086 # $mo: several words
	scene_tail $mo

	say "2. oomctl set delay 0: the reaper starts at once"
	echo "reap-queued says reason=zero-delay: the memory comes back in tens of"
	echo "milliseconds, whether or not the victim could have exited by itself."
	cmd oomctl set delay 0
	# shellcheck disable=SC2086
	scene_tail $mo

	say "3. order forward, streamed as JSON (one object per line, for log pipelines)"
	echo "The reaper walks the address space from the top by default (reverse),"
	echo "away from the exiting victim, which frees from the bottom; forward walks"
	echo "the same way as the exit.  reap-done says which order it used."
	cmd oomctl set order forward
	scene_tail -j monitor --count 4 --timeout 20s

	say "4. A frozen victim, frozen-bypass on: reaped at once despite a 2 s delay"
	echo "A frozen process is not on its way out, so waiting for it to exit only"
	echo "holds its memory longer.  reap-queued says reason=frozen-bypass."
	echo "Opt-in, off by default: a thawed victim that does not get a CPU at once"
	echo "can lose its robust futex list to the reaper, and its waiters then hang."
	cmd oomctl set delay 2s frozen-bypass on order reverse
	# shellcheck disable=SC2086
	scene_frozen $mo

	say "5. The same frozen victim, frozen-bypass off: it waits the full 2 s"
	echo "Like any other victim (reason=delay).  Here SIGKILL thaws the idle dd and"
	echo "it exits within the 2 s; a frozen app that must be thawed and scheduled on"
	echo "a busy system can hold its memory for the whole delay."
	cmd oomctl set frozen-bypass off
	# shellcheck disable=SC2086
	scene_frozen $mo

	say "What the kernel counted: victims, how each was queued, reap results, freed by whom;"
	echo "kill -> freed (when the memory was back) and kill -> reap-done histograms"
	cmd oomctl stats

	say "Back to the kernel's defaults"
	cmd oomctl reset
}

# ================= fallback: the oom:* trace events in tracefs =================
set_knob() {	# name value
	[ -f "$vm/$1" ] && echo "$2" > "$vm/$1"
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
end_case() {	# give a delayed reaper time to run, show, clean up
	sleep "$1"
	show_trace
	end_victim
}
case_tail() {	# title delay bypass order
	echo; echo "=== $1  (delay_ms=$2 frozen_bypass=$3 order=$4)"
	set_knob oom_reap_delay_ms "$2"; set_knob oom_reap_frozen_bypass "$3"; set_knob oom_reap_order "$4"
	echo > $tr/trace
	kill_tail
	end_case "$(awk -v d="$2" 'BEGIN { printf "%.1f", d / 1000 + 0.5 }')"
}
case_frozen() {	# title delay bypass
	echo; echo "=== $1  (delay_ms=$2 frozen_bypass=$3 order=1, victim frozen by cgroup.freeze)"
	set_knob oom_reap_delay_ms "$2"; set_knob oom_reap_frozen_bypass "$3"; set_knob oom_reap_order 1
	echo > $tr/trace
	kill_frozen
	end_case "$(awk -v d="$2" 'BEGIN { printf "%.1f", d / 1000 + 0.5 }')"
}

tracefs_demo() {
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

	case_tail "default policy: the reaper waits" 2000 0 1
	case_tail "no delay: the reaper starts at once" 0 1 1
	case_tail "no delay, forward walk (exit_mmap's order)" 0 1 0
	case_frozen "frozen victim, bypass on: no delay" 2000 1
	case_frozen "frozen victim, bypass off: full delay" 2000 0

	for kv in $saved; do set_knob "${kv%%=*}" "${kv#*=}"; done
	echo > $tr/set_event
}

# ================= which one =================
echo "=== oomctl demo: Linux $(uname -r), $(nproc) CPUs"
if ! command -v oomctl >/dev/null; then
	echo "NOTE: no oomctl in this initramfs (make -C cli guest): the trace events tell it instead"
	tracefs_demo
else
	oomctl show > /tmp/demo.show 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		oomctl_demo
	else
		cat /tmp/demo.show
		echo "NOTE: oomctl show exited $rc$([ $rc = 3 ] && echo ': no "oom" netlink family in this kernel'):"
		echo "the same scenes follow, seen through the oom:* trace events in tracefs"
		tracefs_demo
	fi
fi
echo; echo "=== demo done"
