# shellcheck shell=sh
# What the shell tests of oomctl in the VM (cli/tests/guest-*.sh) share,
# sourced with ". "${OOMCTL_GUEST_LIB:-/usr/share/oomctl/guest-lib.sh}"":
# make -C cli guest installs it there.  It brings scripts/tap.sh (at
# $OOMCTL_TAP_SH, else where scripts/mkinitramfs.sh installs it).  busybox
# sh.  The caller names the files of run's output, $out and $err, and
# oom_kill's cgroup, $cg.
#
#   run ARGS                 oomctl ARGS: stdout in $out, stderr in $err,
#                            status in $rc (stdin /dev/null)
#   run_cmd CMD...           the same for any command
#   expect STATUS DESC       tap_ok if the last run's status is STATUS,
#                            else tap_fail + $out and $err
#   check DESC CMD...        tap_ok if CMD succeeds, else tap_fail + $out, $err
#   has FILE TEXT            FILE has TEXT in a line (fixed string)
#   has_re FILE RE           a line of FILE matches the basic regex RE
#   jget KEY LINE            KEY of a one-line JSON object: the number, or
#                            the string without its quotes
#   waitfor TENTHS CMD...    until CMD succeeds, checking every 0.1 s; 1 if
#                            it has not after TENTHS checks.  For a state
#                            to be reached, not a guessed time.
#   in_poll PID              PID waits in poll(2): it listens
#   oom_kill                 one memcg OOM kill in cgroup $cg (the caller's):
#                            sets $victim, removes $cg.  A test that kills
#                            otherwise defines its own after sourcing this.
# shellcheck source=../../scripts/tap.sh
. "${OOMCTL_TAP_SH:-/usr/share/oomctl/tap.sh}"

# shellcheck disable=SC2154 # $out and $err: the caller's
run_cmd() { rc=0; "$@" >"$out" 2>"$err" </dev/null || rc=$?; }
run() { run_cmd oomctl "$@"; }
expect() {
	if [ "$rc" = "$1" ]; then tap_ok "$2"; else
		tap_fail "$2 (exit $rc, expected $1)"
		tap_diag "$out" "$err"
	fi
}
check() {
	d=$1; shift
	if "$@"; then tap_ok "$d"; else tap_fail "$d"; tap_diag "$out" "$err"; fi
}
has() { grep -qF -- "$2" "$1"; }
has_re() { grep -q -- "$2" "$1"; }
jget() { printf '%s\n' "$2" | sed -nE "s/.*\"$1\":(\"[^\"]*\"|[-0-9a-z]+).*/\\1/p" | tr -d '"'; }
waitfor() {
	_w=$1; shift
	until "$@"; do
		[ "$_w" -gt 0 ] || return 1
		sleep 0.1; _w=$((_w - 1))
	done
}
# x86-64: 7 poll, 271 ppoll.  A monitor gets there only once it has joined
# the multicast groups (or set up its tracefs instance), as
# scripts/demo-guest.sh's monitor_start knows.
in_poll() {
	nr=
	read -r nr _ 2>/dev/null <"/proc/$1/syscall"
	case $nr in 7 | 271) return 0 ;; esac
	return 1
}
# One memcg OOM kill: a process that keeps allocating in a 32M cgroup with
# no swap.  "tail /dev/zero" never sees a newline, so it buffers forever.
# shellcheck disable=SC2154,SC2086 # $cg: the caller's, a plain path
oom_kill() {
	rmdir $cg 2>/dev/null
	mkdir $cg
	echo 32M >$cg/memory.max
	echo 0 >$cg/memory.swap.max 2>/dev/null
	sh -c "echo \$\$ > $cg/cgroup.procs; exec tail /dev/zero" 2>/dev/null &
	victim=$!
	{ wait $victim; } 2>/dev/null	# no "Killed" from the shell
	i=0
	while ! rmdir $cg 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
