#!/bin/sh
# The capabilities of the systemd units (CapabilityBoundingSet= of
# systemd/*.service.in, installed beside) in the test VM, which has no
# systemd: root limited to a unit's set the way systemd limits it
# (setpriv --bounding-set, no new privileges) does that unit's job, and
# with any one capability of the set less it does not, so the set is the
# smallest that works.  oomctl-apply: its ExecStart, oomctl apply, with
# no policy file and with one in /etc/oomctl.d, through the oom family;
# the sysctls take no capability.  oomctl-monitor: a real
# memcg OOM kill seen with the victim's cgroup path.  (Installed as
# /tests/oomctl-units.sh; busybox sh, root.)  TAP.
set -u
# cli/tests/guest-lib.sh (run, expect, check, has, jget, waitfor, ...) and scripts/tap.sh
. "${OOMCTL_GUEST_LIB:-/usr/share/oomctl/guest-lib.sh}"
units=/usr/share/oomctl/units
cg=/sys/fs/cgroup/oomctl-units
vm=/proc/sys/vm
out=/tmp/ou.out err=/tmp/ou.err

tap_header
gone() {	# PID has ended (a zombie until waited for)
	case $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) in Z | "") return 0 ;; esac
	return 1
}
listening_or_gone() { in_poll "$1" || gone "$1"; }
# The unit's CapabilityBoundingSet=, e.g. "CAP_NET_ADMIN CAP_SYS_ADMIN"
caps_of() { sed -n 's/^CapabilityBoundingSet=//p' "$units/$1.service.in"; }
# setpriv's bounding set for those capabilities, without $2 if given:
# "-all,+net_admin,+sys_admin"
bset() {
	_l=-all
	for _c in $1; do
		[ "$_c" = "${2:-}" ] && continue
		_l="$_l,+$(echo "${_c#CAP_}" | tr 'A-Z' 'a-z')"
	done
	echo "$_l"
}
# BSET CMD...: CMD as root with only the capabilities of BSET.  util-linux's
# setpriv, not busybox's (which has no --bounding-set, and is /bin/setpriv)
setpriv=/usr/bin/setpriv
as_unit() { _b=$1; shift; $setpriv --bounding-set="$_b" --inh-caps=-all --no-new-privs "$@"; }
# One memcg OOM kill of "tail /dev/zero" in $cg (32M, no swap), which stays
oom_kill() {
	mkdir -p $cg
	echo 32M >$cg/memory.max
	echo 0 >$cg/memory.swap.max 2>/dev/null
	sh -c "echo \$\$ > $cg/cgroup.procs; exec tail /dev/zero" 2>/dev/null &
	victim=$!
	{ wait $victim; } 2>/dev/null
}

run show
if [ "$rc" = 3 ]; then
	tap_skip_all "no oom netlink family in this kernel"
	exit 4
fi
# Parts of this repository's payload (make -C cli guest): missing is a failure
for f in "$units/oomctl-apply.service.in" "$units/oomctl-monitor.service.in" $setpriv; do
	[ -e "$f" ] || { tap_fail "the VM has the units and setpriv: $f is missing"; tap_finish; }
done
$setpriv --version 2>&1 | grep -q util-linux ||
	{ tap_fail "$setpriv is util-linux's: $($setpriv --version 2>&1 | head -n 1)"; tap_finish; }

# --- oomctl-apply ------------------------------------------------------------------
caps=$(caps_of oomctl-apply)
exec_start=$(sed -n 's/^ExecStart=@SBINDIR@\///p' "$units/oomctl-apply.service.in")
oomctl reset >/dev/null
conf=/etc/oomctl.d/50-units.conf
if [ -n "$(ls /etc/oomctl.conf /etc/oomctl.d/*.conf /run/oomctl.d/*.conf 2>/dev/null)" ]; then
	tap_fail "the VM has policy files of its own: $(ls /etc/oomctl.conf /etc/oomctl.d /run/oomctl.d 2>&1)"
fi
# shellcheck disable=SC2086
run_cmd as_unit "$(bset "$caps")" $exec_start
if [ $rc = 0 ] && [ "$(cat $vm/oom_reap_delay_ms)" = 2000 ]; then
	tap_ok "oomctl-apply ($exec_start) without a policy file: nothing to do, exit 0"
else tap_fail "$exec_start without a policy file: exit $rc"; tap_diag "$out" "$err"; fi
mkdir -p /etc/oomctl.d
printf 'delay = 300ms\norder = forward\n' >$conf
# shellcheck disable=SC2086
run_cmd as_unit "$(bset "$caps")" $exec_start
if [ $rc = 0 ] && [ "$(cat $vm/oom_reap_delay_ms) $(cat $vm/oom_reap_order)" = "300 0" ]; then
	tap_ok "oomctl-apply's capabilities ($caps): $exec_start sets $conf's policy through the family"
else tap_fail "$exec_start with $caps: exit $rc"; tap_diag "$out" "$err"; fi
for c in $caps; do
	oomctl reset >/dev/null
	# shellcheck disable=SC2086
	run_cmd as_unit "$(bset "$caps" "$c")" $exec_start
	if [ $rc = 4 ] && [ "$(cat $vm/oom_reap_delay_ms)" = 2000 ]; then
		tap_ok "oomctl-apply without $c: permission denied (exit 4), nothing changed"
	else tap_fail "apply without $c: exit $rc, delay $(cat $vm/oom_reap_delay_ms)"; tap_diag "$err"; fi
done
# A kernel without the family is set through /proc/sys/vm: root's write
# permission, no capability (the unit keeps /proc/sys writable for it)
run_cmd as_unit -all sh -c "echo 400 > $vm/oom_reap_delay_ms"
if [ $rc = 0 ] && [ "$(cat $vm/oom_reap_delay_ms)" = 400 ]; then
	tap_ok "the vm.oom_reap_* sysctls: root with no capability at all writes them"
else tap_fail "sysctl write with no capability: exit $rc"; tap_diag "$err"; fi
oomctl reset >/dev/null
rm -f $conf

# --- oomctl-monitor ----------------------------------------------------------------
caps=$(caps_of oomctl-monitor)
echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
# BSET: a monitor of one victim event with only BSET's capabilities, and a
# kill; its record in $line, its exit status in $rc
monitor_kill() {
	victim=none
	# Not as_unit: a function in the background is a subshell, and $! its pid
	$setpriv --bounding-set="$1" --inh-caps=-all --no-new-privs \
		oomctl -j monitor --events victim --count 1 --timeout 60s \
		>/tmp/ou.mon 2>/tmp/ou.mon.err </dev/null &
	mon=$!
	# It listens (in poll), or it has already ended (refused)
	waitfor 100 listening_or_gone $mon
	in_poll $mon && oom_kill
	rc=0; wait $mon || rc=$?
	line=$(head -n 1 /tmp/ou.mon)
	waitfor 50 rmdir $cg 2>/dev/null
}
# A kernel without open_by_handle_at(2) resolves no cgroup path at all
nofh="Function not implemented (a kernel without CONFIG_FHANDLE?)"
monitor_kill "$(bset "$caps")"
case $rc:$line in
0:*'"type":"victim"'*"\"pid\":$victim,"*)
	tap_ok "oomctl-monitor's capabilities ($caps): the victim's event"
	case $line in
	*'"cgroup":"/oomctl-units"'*) tap_ok "oomctl-monitor's capabilities: the victim's cgroup path" ;;
	*) if has /tmp/ou.mon.err "$nofh"; then
		tap_skip "oomctl-monitor's capabilities: the cgroup path" "this kernel has no CONFIG_FHANDLE"
	   else tap_fail "monitor with $caps: no cgroup path"; tap_diag /tmp/ou.mon /tmp/ou.mon.err; fi ;;
	esac ;;
*) tap_fail "monitor with $caps: exit $rc"; tap_diag /tmp/ou.mon /tmp/ou.mon.err ;;
esac
for c in $caps; do
	monitor_kill "$(bset "$caps" "$c")"
	case $c:$rc:$line in
	CAP_DAC_READ_SEARCH:0:*'"type":"victim"'*)
		if has /tmp/ou.mon.err "$nofh"; then
			tap_skip "oomctl-monitor without $c: no cgroup path" "this kernel has no CONFIG_FHANDLE"
		else case $line in
		*'"cgroup"'*) tap_fail "monitor without $c: resolved the cgroup all the same"; tap_diag /tmp/ou.mon ;;
		*) if has /tmp/ou.mon.err "needs CAP_DAC_READ_SEARCH"; then
			tap_ok "oomctl-monitor without $c: the victim without its cgroup path, and why"
		   else tap_fail "monitor without $c: no word why"; tap_diag /tmp/ou.mon.err; fi ;;
		esac; fi ;;
	CAP_SYS_ADMIN:4:*)
		tap_ok "oomctl-monitor without $c: permission denied (exit 4)" ;;
	*) tap_fail "monitor without $c: exit $rc"; tap_diag /tmp/ou.mon /tmp/ou.mon.err ;;
	esac
done
tap_finish
