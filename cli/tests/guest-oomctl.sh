#!/bin/sh
# oomctl end to end in the test VM (installed as /tests/oomctl.sh; busybox
# sh, run as root): every command against the patched kernel's oom family,
# a real memcg OOM kill seen by `oomctl monitor -j`, the permission model
# with an unprivileged user, the kernel's extack for a bad value.  On a
# kernel without the family, the stock-kernel behaviour and the tracefs
# fallback instead.  TAP on stdout.
set -u
# cli/tests/guest-lib.sh (run, expect, check, has, jget, waitfor, ...) and scripts/tap.sh
. "${OOMCTL_GUEST_LIB:-/usr/share/oomctl/guest-lib.sh}"
out=/tmp/oomctl-t.out err=/tmp/oomctl-t.err
cg=/sys/fs/cgroup/oomctl-test
vm=/proc/sys/vm

tap_header
sysctl_is() { [ "$(cat $vm/oom_reap_delay_ms)" = "$1" ] &&
	      [ "$(cat $vm/oom_reap_frozen_bypass)" = "$2" ] && [ "$(cat $vm/oom_reap_order)" = "$3" ]; }

# PID has read everything its netlink sockets held (Rmem 0 in
# /proc/net/netlink) and waits in poll(2) again.
drained() {
	in_poll "$1" || return 1
	for l in /proc/"$1"/fd/*; do
		ino=$(readlink "$l")
		case $ino in socket:\[*\]) ino=${ino#socket:[}; ino=${ino%]} ;; *) continue ;; esac
		awk -v i="$ino" '$NF == i && $5 != 0 { q = 1 } END { exit q }' /proc/net/netlink || return 1
	done
}
# Start a monitor in the background into file $1; return once it listens
monitor_bg() {
	f=$1; shift
	oomctl "$@" >"$f" 2>"$f.err" &
	mon=$!
	waitfor 100 in_poll $mon || echo "# the monitor did not reach poll(2) within 10 s"
}

run -j show
source=$(jget source "$(cat $out)")
if [ "$source" != netlink ]; then
	# ---------------- a kernel without the oom family ----------------
	# (its sysctls, if it has them: tests/guest-policy.sh)
	echo "# no oom netlink family: the policy's source is '$source'"
	expect 0 "no family: show exits 0, it printed the policy"
	check "no family: show prints the delay" grep -q '"delay_ms":' $out
	run set delay 250
	if [ "$source" = built-in ]; then
		expect 3 "stock kernel: set exits 3"
	else
		expect 0 "no family, sysctls: set writes them"
		oomctl reset >/dev/null 2>&1
	fi
	monitor_bg /tmp/mon.json -j monitor --events victim --count 1 --timeout 30s
	oom_kill
	wait $mon
	rc=$?
	line=$(head -n 1 /tmp/mon.json)
	if [ $rc = 0 ] && [ "$(jget type "$line")" = victim ] && [ "$(jget pid "$line")" = "$victim" ] &&
	   [ "$(jget origin "$line")" = tracefs ]; then
		tap_ok "stock kernel: monitor falls back to tracefs and sees the OOM victim"
	else
		tap_fail "stock kernel: monitor via tracefs (exit $rc)"; tap_diag /tmp/mon.json /tmp/mon.json.err
	fi
	for t in "set then show" "apply twice" "apply --dry-run" "apply --check" "stats" \
		 "a real OOM kill by netlink" "permission denied for oomtest" "extack of a bad value"; do
		tap_skip "$t" "no oom netlink family in this kernel"
	done
	tap_finish
fi

# ---------------- show ----------------
run show
expect 0 "show: exit 0"
check "show: the three settings" sh -c "grep -q '^delay ' $out && grep -q '^frozen-bypass ' $out && grep -q '^order ' $out"
run -j show
line=$(cat $out)
if [ "$(jget source "$line")" = netlink ] && [ "$(jget delay_max_ms "$line")" = 10000 ] &&
   [ "$(jget delay_ms "$line")" = "$(cat $vm/oom_reap_delay_ms)" ]; then
	tap_ok "show -j: from netlink, limit 10000, the same delay as the sysctl"
else tap_fail "show -j: $line"; fi

# ---------------- set then show ----------------
run set delay 250ms frozen-bypass off order forward
expect 0 "set delay 250ms frozen-bypass off order forward: exit 0"
check "set: prints the resulting policy" sh -c "grep -q '^delay .*250 ms' $out && grep -q '^frozen-bypass  *off' $out && grep -q '^order  *forward' $out"
check "set: the sysctls agree (250 0 0)" sysctl_is 250 0 0
run -n show
check "show after set: 250 ms, off, forward, no header" sh -c "! grep -q SETTING $out && grep -q '^delay .*250 ms' $out && grep -q '^frozen-bypass  *off' $out && grep -q '^order  *forward' $out"
run set delay 2s
check "set one setting leaves the others (2000 0 0)" sysctl_is 2000 0 0

# ---------------- extack: the kernel refuses a value ----------------
run set delay 20000 order reverse
expect 1 "set delay 20000: refused by the kernel, exit 1"
if has_re "$err" "set: kernel: " && has_re "$err" "(delay)" && has_re "$err" "valid range 0..10000"; then
	tap_ok "the kernel's extack is shown, with the setting it concerns: $(head -n 1 $err)"
else tap_fail "extack message"; tap_diag "$err"; fi
check "a refused set changes nothing, not even the valid setting (atomic)" sysctl_is 2000 0 0

# ---------------- reset ----------------
run reset
expect 0 "reset: exit 0"
check "reset: back to 2000 0 1" sysctl_is 2000 0 1

# ---------------- apply ----------------
printf '# test policy\ndelay = 300ms\nfrozen-bypass = on\norder = forward\n' >/tmp/p.conf
run apply /tmp/p.conf
expect 0 "apply: exit 0"
check "apply: prints the three changes" sh -c "grep -q 'delay: 2000 ms -> 300 ms' $out && grep -q 'frozen-bypass: off -> on' $out && grep -q 'order: reverse -> forward' $out"
check "apply: the sysctls follow (300 1 0)" sysctl_is 300 1 0
run apply /tmp/p.conf
expect 0 "apply again: exit 0"
check "apply again: no change" has_re "$out" "^no change"
run apply --check /tmp/p.conf
expect 0 "apply --check, policy matches: exit 0"
echo 500 >$vm/oom_reap_delay_ms
run apply --check /tmp/p.conf
expect 5 "apply --check after a sysctl write: exit 5 (drift)"
check "apply --check names the drift" has_re "$out" "delay: running 500 ms, file says 300 ms"
run apply --dry-run /tmp/p.conf
expect 0 "apply --dry-run: exit 0"
check "apply --dry-run shows the change and changes nothing" sh -c "grep -q 'delay: 500 ms -> 300 ms (dry run' $out && [ \$(cat $vm/oom_reap_delay_ms) = 500 ]"
run -j apply /tmp/p.conf
check "apply -j: changed true, the resulting policy" sh -c "grep -q '\"changed\":true' $out && grep -q '\"policy\":{\"delay_ms\":300' $out"
printf 'delay = 20s\n' >/tmp/big.conf
run apply /tmp/big.conf
expect 2 "apply a delay over the kernel's limit: exit 2"
check "apply names file:line and the kernel's limit" has_re "$err" "/tmp/big.conf:1: delay: 20000 ms is above the kernel's limit of 10000 ms"
oomctl apply - </tmp/p.conf >$out 2>$err
rc=$?
expect 0 "apply - (stdin)"

# ---------------- policy events ----------------
monitor_bg /tmp/pol.json -j monitor --events policy --count 2 --timeout 20s
oomctl set delay 400 >/dev/null
echo 0 >$vm/oom_reap_frozen_bypass	# apply left it on
wait $mon
rc=$?
l1=$(sed -n 1p /tmp/pol.json) l2=$(sed -n 2p /tmp/pol.json)
if [ $rc = 0 ] && [ "$(jget type "$l1")" = policy ] && [ "$(jget changed_via "$l1")" = netlink ] &&
   [ "$(jget delay_ms "$l1")" = 400 ] && [ "$(jget changed_via "$l2")" = sysctl ] &&
   [ "$(jget frozen_bypass "$l2")" = false ]; then
	tap_ok "monitor --events policy: a netlink change, then a sysctl write"
else tap_fail "policy events (exit $rc)"; tap_diag /tmp/pol.json /tmp/pol.json.err; fi
case $l1$l2 in
*changer*) tap_fail "policy event: the config group must not say who changed it: $l1" ;;
*) tap_ok "policy event: what changed and how, not who" ;;
esac

monitor_bg /tmp/pol.txt monitor --events policy --count 1 --timeout 20s
oomctl set order reverse >/dev/null
wait $mon
rc=$?
if [ $rc = 0 ] && grep -q '^monitoring OOM events (policy) via netlink' /tmp/pol.txt &&
   grep -qE '^policy seq=[0-9]+ delay_ms=400 frozen_bypass=off order=reverse changed_via=netlink$' /tmp/pol.txt; then
	tap_ok "monitor (text): header, then one key=value line"
else tap_fail "monitor text (exit $rc)"; tap_diag /tmp/pol.txt /tmp/pol.txt.err; fi

# ---------------- a real OOM kill, by netlink ----------------
oomctl reset >/dev/null
run -j stats
stats0=$(cat $out)
# The victim's own exit frees its memory before the reaper's timer (2 s):
# victim, reap-queued, freed, reap-done (a reaped one: reap-done first)
monitor_bg /tmp/oom.json -j monitor --count 4 --timeout 20s
oom_kill
wait $mon
rc=$?
echo "# victim $victim; monitor said:"; tap_diag /tmp/oom.json
expect_rc=$rc
l1=$(sed -n 1p /tmp/oom.json) l2=$(sed -n 2p /tmp/oom.json) l3=$(sed -n 3p /tmp/oom.json)
l4=$(sed -n 4p /tmp/oom.json)
[ "$expect_rc" = 0 ] && [ "$(wc -l </tmp/oom.json)" = 4 ] &&
	tap_ok "monitor -j --count 4: four events, exit 0" ||
	{ tap_fail "monitor -j --count 4 (exit $expect_rc)"; tap_diag /tmp/oom.json.err; }
! grep -q '"type":"lost"' /tmp/oom.json && ! grep -q 'skipped' /tmp/oom.json.err &&
	tap_ok "no lost record, nothing skipped: the freed notification is known" ||
	{ tap_fail "a lost record or a skipped notification"; tap_diag /tmp/oom.json.err; }
types="$(jget type "$l1") $(jget type "$l2") $(jget type "$l3") $(jget type "$l4")"
case $types in
"victim reap-queued freed reap-done" | "victim reap-queued reap-done freed")
	tap_ok "victim -> reap-queued -> freed and reap-done: $types" ;;
*) tap_fail "event order: $types" ;;
esac
[ "$(grep -c '"type":"freed"' /tmp/oom.json)" = 1 ] &&
	tap_ok "exactly one freed event for the victim" || tap_fail "freed events: $(grep -c '"type":"freed"' /tmp/oom.json)"
lf=$(grep '"type":"freed"' /tmp/oom.json | head -n 1)
l3=$(grep '"type":"reap-done"' /tmp/oom.json | head -n 1)
s1=$(jget seq "$l1") s2=$(jget seq "$l2") s3=$(jget seq "$(sed -n 3p /tmp/oom.json)") s4=$(jget seq "$l4")
[ -n "$s1" ] && [ "$s2" = $((s1 + 1)) ] && [ "$s3" = $((s1 + 2)) ] && [ "$s4" = $((s1 + 3)) ] &&
	tap_ok "sequence numbers contiguous ($s1 $s2 $s3 $s4)" || tap_fail "sequence numbers: '$s1' '$s2' '$s3' '$s4'"
[ "$(jget pid "$l1")" = "$victim" ] && [ "$(jget pid "$l2")" = "$victim" ] &&
[ "$(jget pid "$l3")" = "$victim" ] && [ "$(jget pid "$lf")" = "$victim" ] &&
[ "$(jget comm "$l1")" = tail ] && [ "$(jget comm "$lf")" = tail ] &&
	tap_ok "all four about the victim, pid $victim, comm tail" || tap_fail "victim pid/comm"
[ "$(jget reason "$l2")" = delay ] && [ "$(jget delay_ms "$l2")" = 2000 ] &&
	tap_ok "reap-queued: reason delay, 2000 ms" || tap_fail "reap-queued: $l2"
case $(jget result "$l3") in
reaped | exited-first) tap_ok "reap-done: result $(jget result "$l3"), order $(jget order "$l3")" ;;
*) tap_fail "reap-done: $l3" ;;
esac
fk=$(jget freed_kb "$lf") fe=$(jget freed_exit_kb "$lf") fr=$(jget freed_oom_reaper_kb "$lf")
fm=$(jget freed_mrelease_kb "$lf") kf=$(jget kill_to_freed_us "$lf")
case $(jget freed_by "$lf") in
exit | oom-reaper) by_ok=1 ;;
*) by_ok=0 ;;
esac
[ $by_ok = 1 ] && [ -n "$fk" ] && [ "$fk" -ge 16384 ] && [ "$fk" = $((fe + fr + fm)) ] &&
[ -n "$kf" ] && [ "$kf" -lt 2000000 ] && [ "$(jget memcg_id "$lf")" = "$(jget memcg_id "$l1")" ] &&
[ "$(jget uid "$lf")" = 0 ] && [ "$(jget user "$lf")" = root ] &&
	tap_ok "freed: by $(jget freed_by "$lf"), ${fk} kB (the three parts add up), ${kf} us after the kill, the victim's cgroup and user" ||
	tap_fail "freed: $lf"
# The kernel counts it: one more freed, by the way it says
run -j stats
stats1=$(cat $out)
d() { echo $(( $(jget "$1" "$stats1") - $(jget "$1" "$stats0") )); }
if [ "$(d victims)" = 1 ] && [ $(( $(d freed_exit) + $(d freed_oom_reaper) + $(d freed_mrelease) )) = 1 ] &&
   [ "$(d "freed_$(jget freed_by "$lf" | tr - _ | sed 's/process_//')")" = 1 ]; then
	tap_ok "stats: victims and freed (freed_$(jget freed_by "$lf")) one more each"
else tap_fail "stats freed counters: before $stats0 after $stats1"; fi
bad=0
for l in "$l1" "$l2" "$l3" "$lf"; do
	case $l in
	'{"type":"'*'","seq":'*',"ts_mono_ns":'*',"time":"'*'Z","origin":"netlink",'*'}') ;;
	*) bad=1 ;;
	esac
done
[ $bad = 0 ] && tap_ok "each line one JSON object: type, seq, ts_mono_ns, ISO time, origin" ||
	tap_fail "JSON lines"

# ---------------- stats ----------------
run -j stats
line=$(cat $out)
buckets=$(grep -o '"from_us"' $out | wc -l)
closed=$(grep -o '"to_us"' $out | wc -l)
if [ "$rc" = 0 ] && [ "$(jget victims "$line")" -ge 1 ] && [ "$buckets" = 48 ] && [ "$closed" = 46 ]; then
	tap_ok "stats -j: victims $(jget victims "$line"), 2 x 24 latency buckets, the last ones open"
else tap_fail "stats -j (exit $rc, $buckets buckets, $closed with to_us): $line"; fi
case $line in
*'"freed_latency_hist":[{"from_us":0,"to_us":2,'*'{"from_us":8388608,"count":'*'"latency_hist":['*) tap_ok "stats -j: freed_latency_hist with the same bounds, first" ;;
*) tap_fail "stats -j: freed_latency_hist: $line" ;;
esac
case $line in
*'"latency_hist":[{"from_us":0,"to_us":2,'*'{"from_us":2,"to_us":4,'*'{"from_us":8388608,"count":'*) tap_ok "stats -j: the kernel's bounds, [0, 2) first, 2^23 us and up last" ;;
*) tap_fail "stats -j: bucket bounds: $line" ;;
esac
run stats
expect 0 "stats: exit 0"
check "stats: counters and both histograms, kill -> freed first" sh -c "grep -q '^victims ' $out && grep -q '^freed-exit ' $out && grep -q '^freed-oom-reaper ' $out && grep -q '^freed-mrelease ' $out && grep -A 100 '^kill -> freed' $out | grep -q '^kill -> reap-done'"
tap_diag "$out"

# ---------------- the tracefs source on this kernel ----------------
if [ -d /sys/kernel/tracing/instances ]; then
	monitor_bg /tmp/tr.json -j monitor --tracefs --count 4 --timeout 20s
	oom_kill
	wait $mon
	rc=$?
	types=$(sed -nE 's/.*"type":"([a-z-]+)".*/\1/p' /tmp/tr.json | tr '\n' ' ')
	[ $rc = 0 ] && { [ "$types" = "victim reap-queued freed reap-done " ] ||
			 [ "$types" = "victim reap-queued reap-done freed " ]; } &&
	grep -q '"type":"freed","ts_mono_ns":[0-9]*,.*"origin":"tracefs",.*"pid":'"$victim"',.*"freed_by":"[a-z-]*"' /tmp/tr.json &&
	! grep -q victim_freed /tmp/tr.json.err &&
		tap_ok "monitor --tracefs: the same four events (freed from oom:victim_freed)" ||
		{ tap_fail "monitor --tracefs (exit $rc): $types"; tap_diag /tmp/tr.json.err; }
	[ -n "$(find /sys/kernel/tracing/instances -maxdepth 1 -name 'oomctl.*')" ] &&
		tap_fail "monitor left its tracefs instance" || tap_ok "monitor removed its tracefs instance"
else
	tap_skip "monitor --tracefs" "no tracefs instances"
fi

# ---------------- permissions: an unprivileged user ----------------
asuser() { rc=0; su oomtest -s /bin/sh -c "$1" >"$out" 2>"$err" </dev/null || rc=$?; }
asuser "oomctl show"
expect 0 "oomtest: show works without privileges"
asuser "oomctl set delay 100"
expect 4 "oomtest: set is permission denied, exit 4"
check "oomtest: the message names CAP_NET_ADMIN and CAP_SYS_ADMIN" has_re "$err" "CAP_NET_ADMIN and CAP_SYS_ADMIN"
# genetlink checks CAP_NET_ADMIN before it parses: no range error to learn from
asuser "oomctl set delay 10001"
expect 4 "oomtest: set an invalid delay: permission denied too, exit 4"
check "oomtest: no range in that message" sh -c "! grep -q 'range' $err"
check "oomtest: nothing changed" sh -c "[ \$(cat $vm/oom_reap_delay_ms) = 2000 ]"
asuser "oomctl reset"
expect 4 "oomtest: reset, exit 4"
asuser "oomctl apply /tmp/p.conf"
expect 4 "oomtest: apply, exit 4"
asuser "oomctl apply --check /tmp/p.conf"
expect 5 "oomtest: apply --check only reads: exit 5 (drift)"
asuser "oomctl monitor --timeout 1s"
expect 4 "oomtest: monitoring victims needs CAP_SYS_ADMIN, exit 4"
asuser "oomctl monitor --events policy --timeout 1s"
expect 0 "oomtest: monitor --events policy works"

# ---------------- signals ----------------
monitor_bg /tmp/sig.out monitor
kill -INT $mon
wait $mon
rc=$?
expect 0 "monitor: SIGINT ends it with exit 0"

# ---------------- lost events: a reader that falls behind ----------------
# A tiny receive buffer, the reader stopped, 300 policy events: the kernel
# drops what does not fit (ENOBUFS), and the sequence numbers must account
# for every event, seen or lost.
export OOMCTL_RCVBUF=1
monitor_bg /tmp/lost.json -j monitor --timeout 60s
unset OOMCTL_RCVBUF
kill -STOP $mon
i=0
while [ $i -lt 300 ]; do echo $((i % 2)) >$vm/oom_reap_order; i=$((i + 1)); done
kill -CONT $mon
# The reader catches up: what the socket held is read, so the next event fits
waitfor 100 drained $mon || echo "# the monitor did not drain its socket within 10 s"
oomctl set delay 1234 >/dev/null	# one event after the loss
waitfor 100 grep -q '"delay_ms":1234' /tmp/lost.json ||
	echo "# the event after the loss did not arrive within 10 s"
kill -TERM $mon
wait $mon
rc=$?
expect 0 "monitor survives an overrun, SIGTERM: exit 0"
grep -q '"type":"lost".*"reason":"overrun"' /tmp/lost.json &&
	tap_ok "the overrun is reported: $(grep '"type":"lost"' /tmp/lost.json | head -n 1 | sed 's/.*"origin":"netlink",//')" ||
	{ tap_fail "no lost record after an overrun"; tap_diag /tmp/lost.json /tmp/lost.json.err; }
last=$(tail -n 1 /tmp/lost.json)
[ "$(jget delay_ms "$last")" = 1234 ] && tap_ok "monitor goes on after the loss" ||
	tap_fail "last event: $last"
seen=$(grep -vc '"type":"lost"' /tmp/lost.json)
lost=$(sed -nE 's/.*"type":"lost".*"count":([0-9]+).*/\1/p' /tmp/lost.json | awk '{ s += $1 } END { print s + 0 }')
first=$(grep -v '"type":"lost"' /tmp/lost.json | head -n 1)
s1=$(jget seq "$first") s2=$(jget seq "$last")
[ -n "$s1" ] && [ $((seen + lost)) = $((s2 - s1 + 1)) ] &&
	tap_ok "every event accounted for: $seen seen + $lost lost = seq $s1..$s2" ||
	tap_fail "accounting: $seen seen + $lost lost, seq '$s1'..'$s2'"

oomctl reset >/dev/null
tap_finish
