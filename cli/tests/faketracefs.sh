# shellcheck shell=bash
# A fake tracefs for oomctl monitor's fallback (OOMCTL_TRACEFS=DIR), for
# tests/host.sh and tests/journal.sh (sourced):
#   fake_tracefs DIR PIPE   DIR as a stock kernel's tracefs has it: the oom
#                           events (all disabled), trace_clock, buffer_size_kb
#                           1408; and in file PIPE, for DIR/trace_pipe, the
#                           five records of one kill, with a lost-events line
fake_tracefs() {
	local e
	mkdir -p "$1/events/oom"
	for e in mark_victim wake_reaper start_task_reaping finish_task_reaping skip_task_reaping; do
		mkdir "$1/events/oom/$e"
		echo 0 >"$1/events/oom/$e/enable"
	done
	echo "local global [mono] boot" >"$1/trace_clock"
	echo 1408 >"$1/buffer_size_kb"
	cat >"$2" <<'EOF'
            tail-95      [001] d..1.    12.345678: mark_victim: pid=95 comm=tail total-vm=70000kB anon-rss=33000kB file-rss:4kB shmem-rss:0kB uid=0 pgtables=100kB oom_score_adj=0
          <idle>-0       [000] ..s1.    14.345700: wake_reaper: pid=95
CPU:1 [LOST 3 EVENTS]
      oom_reaper-30      [000] .....    14.346000: start_task_reaping: pid=95
      oom_reaper-30      [000] .....    14.381000: finish_task_reaping: pid=95
EOF
}
