#!/bin/sh
# monitor -o journal in the test VM (installed as /tests/oomctl-journal.sh;
# busybox sh, root) against a real systemd-journald that this test starts
# (no systemd in the VM: journald binds its socket itself), with real memcg
# OOM kills of a process of the unprivileged user oomtest in a cgroup two
# levels down; read back with journalctl -o json.  Also: no journald, no
# libsystemd.so.0, a victim's cgroup removed before the monitor looked it
# up, and a monitor without cgroupfs.  The MESSAGE_IDs come from oomctl(8),
# installed beside.  TAP.
set -u
# cli/tests/guest-lib.sh (run, expect, check, has, jget, waitfor, ...) and scripts/tap.sh
. "${OOMCTL_GUEST_LIB:-/usr/share/oomctl/guest-lib.sh}"
out=/tmp/oj.out err=/tmp/oj.err
journald=/lib/systemd/systemd-journald
sock=/run/systemd/journal/socket
man=/usr/share/man/man8/oomctl.8
top=/sys/fs/cgroup/oomctl-journal
cg=$top/victims
boot=$(cat /proc/sys/kernel/random/boot_id)

tap_header
monitor_bg() {	# FILE CMD...: a monitor in the background, once it listens
	f=$1; shift
	case $1 in unshare) ;; *) set -- oomctl "$@" ;; esac
	"$@" >"$f" 2>"$f.err" </dev/null &
	mon=$!
	waitfor 100 in_poll $mon || echo "# the monitor did not reach poll(2) within 10 s"
}
# One memcg OOM kill of oomtest's "tail /dev/zero" in cgroup $1 (32M, no
# swap), which stays: the monitor looks it up.  Sets $victim.
oom_kill() {
	mkdir -p "$1"
	echo 32M >"$1/memory.max"
	echo 0 >"$1/memory.swap.max" 2>/dev/null
	sh -c "echo \$\$ > $1/cgroup.procs; exec su oomtest -s /bin/sh -c 'exec tail /dev/zero'" 2>/dev/null &
	victim=$!
	{ wait $victim; } 2>/dev/null
}
rmcg() { waitfor 50 rmdir "$1" 2>/dev/null; }
# The MESSAGE_ID of an event type, from oomctl(8)'s table
msgid() { sed -n "s/^$(echo "$1" | sed 's/-/\\\\-/g')  *\([0-9a-f]\{32\}\)\$/\1/p" $man; }
# fields LINE KEY=VALUE...: each KEY of the journal's JSON line LINE has its
# VALUE; those that do not go into $bad as " KEY=VALUE(what it has)"
fields() {
	_l=$1; shift
	for _kv; do
		[ "$(jget "${_kv%%=*}" "$_l")" = "${_kv#*=}" ] || bad="$bad $_kv($(jget "${_kv%%=*}" "$_l"))"
	done
}

run show
if [ "$rc" = 3 ]; then
	tap_skip_all "no oom netlink family in this kernel"
	exit 4
fi
lib=
for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64; do
	[ -e $d/libsystemd.so.0 ] && lib=$d/libsystemd.so.0 && break
done
# Parts of this repository's payload (make -C cli guest): missing is a failure
for f in $journald /usr/bin/journalctl "$lib" $man; do
	[ -n "$f" ] && [ -e "$f" ] || { tap_fail "the VM has $journald, journalctl, libsystemd.so.0 and oomctl(8): ${f:-libsystemd.so.0} is missing"; tap_finish; }
done
[ -n "$(msgid victim)" ] || { tap_fail "oomctl(8) lists the MESSAGE_IDs"; tap_finish; }

# --- no journald yet ------------------------------------------------------------
run monitor -o journal --timeout 20s
if [ $rc = 1 ] && has "$err" "cannot reach systemd-journald at $sock: No such file or directory"; then
	tap_ok "monitor -o journal without journald: says so, exit 1"
else tap_fail "monitor -o journal without journald: exit $rc"; tap_diag "$err"; fi

# journald, by hand as systemd would start it: its directories, a machine id
[ -s /etc/machine-id ] || tr -d - </proc/sys/kernel/random/uuid >/etc/machine-id
mkdir -p /run/systemd/journal /run/log
$journald >/tmp/journald.log 2>&1 &
jd=$!
waitfor 100 test -S $sock || echo "# journald did not make $sock within 10 s"
if [ -S $sock ] && journalctl -q --no-pager -n 1 >/dev/null 2>&1; then
	tap_ok "systemd-journald runs in the VM ($(journalctl --no-pager -o cat -n 1 _PID=$jd 2>/dev/null | head -n 1))"
else tap_fail "systemd-journald in the VM"; tap_diag /tmp/journald.log; fi

# --- no libsystemd.so.0 -----------------------------------------------------------
mv "$lib" "$lib.away"
run monitor --journal --timeout 20s
mv "$lib.away" "$lib"
if [ $rc = 1 ] && has "$err" "monitor: -o journal needs libsystemd.so.0: libsystemd.so.0: cannot open shared object file: No such file or directory"; then
	tap_ok "monitor --journal without libsystemd.so.0: says so, exit 1"
else tap_fail "monitor --journal without libsystemd.so.0: exit $rc"; tap_diag "$err"; fi

# --- two real kills, every field read back ----------------------------------------
oomctl set delay 100 >/dev/null	# the reaps come 100 ms after the kills
mkdir -p $top
echo +memory >$top/cgroup.subtree_control
monitor_bg /tmp/oj.mon monitor -o journal --events victim,reap,freed --count 8 --timeout 120s
oom_kill $cg
v1=$victim
oom_kill $cg
v2=$victim
wait $mon
rc=$?
cgid=$(stat -c %i $cg)
rmcg $cg
if [ $rc = 0 ] && [ ! -s /tmp/oj.mon ] && [ ! -s /tmp/oj.mon.err ]; then
	tap_ok "monitor -o journal --count 8: two kills, exit 0, nothing on stdout or stderr"
else tap_fail "monitor -o journal: exit $rc"; tap_diag /tmp/oj.mon /tmp/oj.mon.err; fi
# journald takes what is queued on its socket in its own time: the eight
# events (lost records, which --count does not count, come on top)
events() { [ "$(journalctl -o json --no-pager SYSLOG_IDENTIFIER=oomctl 2>/dev/null |
		grep -vc '"OOM_EVENT":"lost"')" -ge "$1" ]; }
waitfor 100 events 8 || echo "# fewer than 8 events in the journal after 10 s"
journalctl -o json --no-pager SYSLOG_IDENTIFIER=oomctl >/tmp/oj.all 2>&1
journalctl -o json --no-pager MESSAGE_ID="$(msgid victim)" >/tmp/oj.victims 2>&1
journalctl -o json --no-pager MESSAGE_ID="$(msgid freed)" >/tmp/oj.freed 2>&1
# freed comes before or after reap-done (the victim's exit or the reaper
# first): the order is checked without it, freed apart
grep -v '"OOM_EVENT":"lost"' /tmp/oj.all | grep -v '"OOM_EVENT":"freed"' >/tmp/oj.events
echo "# victims $v1 $v2, cgroup $cg (id $cgid); the journal has:"
sed -nE 's/.*"MESSAGE":"([^"]*)".*/\1/p' /tmp/oj.all | tap_diag
n=$(wc -l </tmp/oj.events)
[ "$n" = 6 ] && [ "$(wc -l </tmp/oj.victims)" = 2 ] && [ "$(wc -l </tmp/oj.freed)" = 2 ] &&
	tap_ok "journalctl: eight events of oomctl, two with the victim's MESSAGE_ID, two with freed's" ||
	{ tap_fail "journalctl: $n events"; tap_diag /tmp/oj.all; }
bad=
i=0
for v in $v1 $v2; do
	i=$((i + 1))
	l=$(sed -n ${i}p /tmp/oj.victims)
	fields "$l" OOM_EVENT=victim OOM_PID=$v OOM_TGID=$v OOM_COMM=tail OOM_UID=1000 OOM_USER=oomtest \
		OOM_CGROUP=/oomctl-journal/victims OOM_CGROUP_ID=$cgid OOM_BOOT_ID=$boot \
		_BOOT_ID=$(echo "$boot" | tr -d -) PRIORITY=4 SYSLOG_IDENTIFIER=oomctl \
		OOM_ORIGIN=netlink _TRANSPORT=journal
	case $(jget MESSAGE "$l") in
	"victim seq=$(jget OOM_SEQ "$l") pid=$v tgid=$v comm=tail uid=1000 user=oomtest memcg_id=$cgid cgroup=/oomctl-journal/victims "*) ;;
	*) bad="$bad MESSAGE($(jget MESSAGE "$l"))" ;;
	esac
done
[ -z "$bad" ] &&
	tap_ok "victims: OOM_PID, OOM_COMM, OOM_UID/OOM_USER oomtest, OOM_CGROUP /oomctl-journal/victims and its id, OOM_BOOT_ID = _BOOT_ID = boot_id, PRIORITY 4, MESSAGE the text line" ||
	{ tap_fail "victim entries:$bad"; tap_diag /tmp/oj.victims; }
# Types, pids and MESSAGE_IDs in the order of the journal
got=$(while read -r l; do
	printf '%s/%s/%s ' "$(jget OOM_EVENT "$l")" "$(jget OOM_PID "$l")" "$(jget MESSAGE_ID "$l")"
done </tmp/oj.events)
want="victim/$v1/$(msgid victim) reap-queued/$v1/$(msgid reap-queued) reap-done/$v1/$(msgid reap-done) victim/$v2/$(msgid victim) reap-queued/$v2/$(msgid reap-queued) reap-done/$v2/$(msgid reap-done) "
[ "$got" = "$want" ] && tap_ok "victim, reap-queued, reap-done twice, each with its MESSAGE_ID of oomctl(8)" ||
	{ tap_fail "entries in order"; echo "# got  $got"; echo "# want $want"; }
# The kernel's sequence: each OOM_SEQ one more than the last, or than the
# last plus the OOM_COUNT of the lost entries between them (events the
# monitor could not show: the kernel sends event types this oomctl may
# not know, and they leave a gap)
seqs=$(while read -r l; do
	case $(jget OOM_EVENT "$l") in
	lost) printf '+%s(%s) ' "$(jget OOM_COUNT "$l")" "$(jget OOM_REASON "$l")" ;;
	*) printf '%s ' "$(jget OOM_SEQ "$l")" ;;
	esac
done </tmp/oj.all)
ok=1 last= skip=0
for w in $seqs; do
	case $w in
	+*) c=${w#+}; skip=$((skip + ${c%%(*})) ;;
	*) [ -z "$last" ] || [ "$w" = $((last + 1 + skip)) ] || ok=0; last=$w skip=0 ;;
	esac
done
[ $ok = 1 ] && [ -n "$last" ] && tap_ok "OOM_SEQ consecutive, gaps told by lost entries: $seqs" ||
	tap_fail "OOM_SEQ: $seqs"
case $seqs in
*'(seq-gap)'*) tap_fail "seq gaps: every notification of this kernel is known, none may be lost: $seqs" ;;
*) tap_ok "no seq gap: the freed notifications are known" ;;
esac
bad=
i=0
for v in $v1 $v2; do
	i=$((i + 1))
	l=$(sed -n ${i}p /tmp/oj.freed)
	fields "$l" OOM_EVENT=freed OOM_PID=$v OOM_TGID=$v OOM_COMM=tail OOM_UID=1000 OOM_USER=oomtest \
		OOM_CGROUP=/oomctl-journal/victims OOM_CGROUP_ID=$cgid OOM_BOOT_ID=$boot \
		PRIORITY=6 SYSLOG_IDENTIFIER=oomctl OOM_ORIGIN=netlink
	case $(jget OOM_FREED_BY "$l") in exit | oom-reaper) ;; *) bad="$bad OOM_FREED_BY" ;; esac
	[ -n "$(jget OOM_KILL_TO_FREED_US "$l")" ] && [ -n "$(jget OOM_FREED_KB "$l")" ] || bad="$bad OOM_KILL_TO_FREED_US/OOM_FREED_KB"
	case $(jget MESSAGE "$l") in
	"freed seq=$(jget OOM_SEQ "$l") pid=$v tgid=$v comm=tail uid=1000 user=oomtest memcg_id=$cgid cgroup=/oomctl-journal/victims kill_to_freed_us="*) ;;
	*) bad="$bad MESSAGE($(jget MESSAGE "$l"))" ;;
	esac
done
[ -z "$bad" ] &&
	tap_ok "freed: one entry per victim, its MESSAGE_ID, PRIORITY 6, OOM_FREED_BY, the victim's user and cgroup, MESSAGE the text line" ||
	{ tap_fail "freed entries:$bad"; tap_diag /tmp/oj.freed; }
q=$(sed -n 2p /tmp/oj.events) d=$(sed -n 3p /tmp/oj.events)
if [ "$(jget OOM_DELAY_MS "$q")" = 100 ] && [ "$(jget OOM_REASON "$q")" = delay ] &&
   [ "$(jget PRIORITY "$q")" = 6 ] && [ "$(jget PRIORITY "$d")" = 6 ] &&
   [ "$(jget OOM_BOOT_ID "$d")" = "$boot" ]; then
	case $(jget OOM_RESULT "$d") in
	reaped | exited-first) tap_ok "reap-queued: OOM_DELAY_MS 100, OOM_REASON delay; reap-done: OOM_RESULT $(jget OOM_RESULT "$d"); PRIORITY 6" ;;
	*) tap_fail "reap-done: $d" ;;
	esac
else tap_fail "reap entries: $q $d"; fi
# The kernel's own report of the same kills, which journald read from /dev/kmsg
killed() { journalctl -k -o cat --no-pager 2>/dev/null | grep -q "Killed process $1 (tail)"; }
if waitfor 100 killed $v1 && killed $v2; then
	tap_ok "the kernel's 'Killed process' lines in the same journal name the same pids"
else tap_fail "the kernel's OOM report in the journal"; journalctl -k -o cat --no-pager | grep -i kill | tap_diag; fi

# --- a victim's cgroup removed before the monitor looks it up, and a monitor
# with no cgroupfs (a container without it) ------------------------------------
monitor_bg /tmp/oj.gone -j monitor --events victim --count 1 --timeout 60s
gonemon=$mon
kill -STOP $gonemon
monitor_bg /tmp/oj.nocg unshare -m sh -c 'umount /sys/fs/cgroup && exec oomctl -j monitor --events victim --count 1 --timeout 60s'
nocg=$mon
oom_kill $top/gone
gone=$(stat -c %i $top/gone)
rmcg $top/gone
kill -CONT $gonemon
rc=0; wait $gonemon || rc=$?
rc2=0; wait $nocg || rc2=$?
l=$(cat /tmp/oj.gone)
if [ $rc = 0 ] && [ ! -e $top/gone ] && [ "$(jget memcg_id "$l")" = "$gone" ] &&
   [ "$(jget pid "$l")" = "$victim" ] && [ "$(jget user "$l")" = oomtest ] &&
   [ "$(jget boot_id "$l")" = "$boot" ] && [ -z "$(jget cgroup "$l")" ] && [ ! -s /tmp/oj.gone.err ]; then
	tap_ok "a cgroup removed before the lookup: memcg_id $gone alone, no cgroup, nothing on stderr"
else tap_fail "removed cgroup (exit $rc): $l"; tap_diag /tmp/oj.gone.err; fi
l=$(cat /tmp/oj.nocg)
if [ $rc2 = 0 ] && [ "$(jget memcg_id "$l")" = "$gone" ] && [ "$(jget pid "$l")" = "$victim" ] &&
   [ -z "$(jget cgroup "$l")" ] && [ "$(jget user "$l")" = oomtest ] && [ ! -s /tmp/oj.nocg.err ]; then
	tap_ok "a monitor without cgroupfs (unshare -m, umount /sys/fs/cgroup): the same victim, its memcg_id alone, nothing on stderr"
else tap_fail "monitor without cgroupfs (exit $rc2): $l"; tap_diag /tmp/oj.nocg.err; fi

kill $jd
wait $jd 2>/dev/null
rmdir $top 2>/dev/null
oomctl reset >/dev/null
tap_finish
