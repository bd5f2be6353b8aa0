#!/bin/sh
# oomctl's policy files in the test VM (installed as /tests/oomctl-policy.sh;
# busybox sh, run as root): `oomctl apply` over files in /etc/oomctl.d,
# /run/oomctl.d and /usr/lib/oomctl.d, then show and the real sysctls
# agree; apply --check names the file:line that drifted; a sysctl.d file
# that sets the same sysctl is a warning; a bad file among good ones
# changes nothing.  On the patched kernel the policy goes through the oom
# family; on the same kernel built without it (make check's vm-nonl stage,
# oomctl.source=sysctl on the kernel command line) through the
# vm.oom_reap_* sysctls, one by one, a failure part-way undone.  TAP.
set -u
# cli/tests/guest-lib.sh (run, expect, check, has, jget, waitfor, ...) and scripts/tap.sh
. "${OOMCTL_GUEST_LIB:-/usr/share/oomctl/guest-lib.sh}"
out=/tmp/policy-t.out err=/tmp/policy-t.err
vm=/proc/sys/vm

# The source this kernel must have: netlink unless the command line says
expect_source=netlink
for a in $(cat /proc/cmdline); do
	case $a in oomctl.source=*) expect_source=${a#*=} ;; esac
done

tap_header
sysctls() { echo "$(cat $vm/oom_reap_delay_ms) $(cat $vm/oom_reap_frozen_bypass) $(cat $vm/oom_reap_order)"; }
sysctls_are() { [ "$(sysctls)" = "$1" ]; }
# shellcheck disable=SC2059 # TEXT is a format: \n and octal escapes
put() {	# put PATH TEXT (printf escapes)
	mkdir -p "$(dirname "$1")"
	printf "$2" >"$1"
}
clean() {
	rm -rf /etc/oomctl.conf /etc/oomctl.d /run/oomctl.d /usr/local/lib/oomctl.d \
	       /usr/lib/oomctl.d /etc/sysctl.d /etc/sysctl.conf /tmp/img
}

clean
oomctl reset >/dev/null 2>&1
echo "# expected source: $expect_source; sysctls: $(sysctls)"

# ---------------- show: exit 0, where the policy comes from ----------------
run -j show
line=$(cat $out)
expect 0 "show -j: exit 0"
[ "$(jget source "$line")" = "$expect_source" ] &&
	tap_ok "show -j: source $expect_source" || tap_fail "show -j: source: $line"
[ "$(jget delay_ms "$line")" = "$(cat $vm/oom_reap_delay_ms)" ] &&
	tap_ok "show -j: the delay of the sysctl" || tap_fail "show -j: $line vs $(sysctls)"

# ---------------- nothing to apply ----------------
run apply
expect 0 "apply without policy files: exit 0"
check "apply: says there is nothing to do" has "$out" "no policy files"
check "apply without files: nothing changed" sysctls_are "2000 0 1"

# ---------------- the directories ----------------
# /etc/oomctl.conf first, then by name across the directories: delay from
# /etc's 50-fleet (masking /usr/lib's), frozen-bypass from /usr/lib's
# 10-vendor over /etc/oomctl.conf, the order from /run (masking /usr/lib)
put /etc/oomctl.conf 'frozen-bypass = off\norder = reverse\n'
put /usr/lib/oomctl.d/10-vendor.conf 'delay = 1s\nfrozen-bypass = on\n'
put /usr/lib/oomctl.d/50-fleet.conf 'delay = 100\n'
put /etc/oomctl.d/50-fleet.conf '\357\273\277# fleet\nvm.oom_reap_delay_ms = 300\n-vm.oom_reap_future = 1\n'
put /run/oomctl.d/60-run.conf 'vm/oom_reap_order = 0\n'
put /usr/lib/oomctl.d/60-run.conf 'order = reverse\n'
put /usr/lib/oomctl.d/70-masked.conf 'delay = 9\n'
ln -s /dev/null /etc/oomctl.d/70-masked.conf
run apply
expect 0 "apply (the directories): exit 0"
check "apply: the sysctls follow the merged policy (300 1 0)" sysctls_are "300 1 0"
if has "$out" "delay: 2000 ms -> 300 ms (/etc/oomctl.d/50-fleet.conf:2)" &&
   has "$out" "frozen-bypass: off -> on (/usr/lib/oomctl.d/10-vendor.conf:2)" &&
   has "$out" "order: reverse -> forward (/run/oomctl.d/60-run.conf:1)"; then
	tap_ok "apply: each change with the file:line it comes from"
else tap_fail "apply output"; tap_diag "$out"; fi
check "apply: notes the override and the unknown '-' key" sh -c \
	"grep -qF '/usr/lib/oomctl.d/10-vendor.conf:2: frozen-bypass set again: this wins over /etc/oomctl.conf:1' $err &&
	 grep -qF \"unknown key 'vm.oom_reap_future' ignored\" $err"
if [ "$expect_source" = sysctl ]; then
	check "apply through the sysctls says it is not one atomic update" has "$err" "one by one, not in one atomic update"
else
	check "apply through the family: no word of sysctls" sh -c "! grep -q 'one by one' $err"
fi
run -j show
line=$(cat $out)
[ "$(jget delay_ms "$line")" = 300 ] && [ "$(jget frozen_bypass "$line")" = true ] &&
[ "$(jget order "$line")" = forward ] && [ "$(jget source "$line")" = "$expect_source" ] &&
	tap_ok "show agrees: 300 ms, on, forward, source $expect_source" || tap_fail "show after apply: $line"
run apply
expect 0 "apply again: exit 0"
check "apply again: no change" has "$out" "no change: the policy already matches the policy files"

# ---------------- drift ----------------
echo 500 >$vm/oom_reap_delay_ms
run apply --check
expect 5 "apply --check after a sysctl write: exit 5 (drift)"
check "apply --check names the file:line of the value" has "$out" \
	"delay: running 500 ms, file says 300 ms (/etc/oomctl.d/50-fleet.conf:2)"
run -j apply --check
line=$(cat $out)
case $line in
*'"changes":[{"setting":"delay","from":500,"to":300,"file":"/etc/oomctl.d/50-fleet.conf","line":2}]'*)
	tap_ok "apply --check -j: the change with its file and line" ;;
*) tap_fail "apply --check -j: $line" ;;
esac
rc=0; su oomtest -s /bin/sh -c "oomctl apply --check" >$out 2>$err </dev/null || rc=$?
expect 5 "an unprivileged user checks for drift too: exit 5"
check "apply --check changed nothing" sysctls_are "500 1 0"

# ---------------- a sysctl.d file with another value ----------------
put /etc/sysctl.d/90-oom.conf '# tuning\nvm.oom_reap_delay_ms = 700\nvm.oom_reap_order = 0\n'
run apply
expect 0 "apply with a sysctl.d conflict: exit 0"
check "apply warns: both files and lines, and who wins at boot" sh -c \
	"grep -qF 'warning: /etc/sysctl.d/90-oom.conf:2 sets vm.oom_reap_delay_ms = 700, /etc/oomctl.d/50-fleet.conf:2 sets it to 300' $err &&
	 grep -qF 'oomctl-apply.service runs after systemd-sysctl.service and 300 wins' $err &&
	 ! grep -q 'sets vm.oom_reap_order' $err"
check "apply: the delay back to the file's 300" sysctls_are "300 1 0"
run -j apply --check
case $(cat $out) in
*'"conflicts":[{"setting":"delay","sysctl_file":"/etc/sysctl.d/90-oom.conf","sysctl_line":2,"sysctl_value":"700","file":"/etc/oomctl.d/50-fleet.conf","line":2,"value":300}]'*)
	tap_ok "apply --check -j: the conflict" ;;
*) tap_fail "apply --check -j conflicts: $(cat $out)" ;;
esac
rm -rf /etc/sysctl.d

# ---------------- bad input: nothing half applied ----------------
put /usr/lib/oomctl.d/20-new.conf 'delay = 400\norder = reverse\n'
put /etc/oomctl.d/80-bad.conf 'frozen-bypass = maybe\n'
run apply
expect 2 "one bad file among several: exit 2"
check "it names the bad line, and nothing changed" sh -c \
	"grep -qF \"/etc/oomctl.d/80-bad.conf:1: frozen-bypass: bad value 'maybe'\" $err &&
	 grep -qF 'nothing changed' $err"
check "the good files' values were not applied either (300 1 0)" sysctls_are "300 1 0"
rm /etc/oomctl.d/80-bad.conf
ln -s /nonexistent.conf /etc/oomctl.d/80-dangling.conf
run apply
expect 1 "a dangling symlink among the files: exit 1"
check "nothing applied (300 1 0)" sysctls_are "300 1 0"
rm /etc/oomctl.d/80-dangling.conf
rm /usr/lib/oomctl.d/20-new.conf

# A delay above the kernel's limit: with '-' passed over, the rest goes on
put /etc/oomctl.d/90-limit.conf '-delay = 20000\nfrozen-bypass = off\n'
run apply
expect 0 "'-delay = 20000': exit 0"
check "the delay passed over (noted), frozen-bypass applied (300 0 0)" sh -c \
	"[ \"\$(cat $vm/oom_reap_delay_ms) \$(cat $vm/oom_reap_frozen_bypass)\" = '300 0' ] &&
	 grep -q 'ignored (leading' $err"
# without '-': an error, and nothing of the same change applied
put /etc/oomctl.d/90-limit.conf 'delay = 20000\nfrozen-bypass = on\n'
run apply
if [ "$expect_source" = sysctl ]; then
	expect 1 "'delay = 20000' through the sysctls: the kernel refuses it, exit 1"
	check "it says which sysctl and why" has "$err" "writing vm.oom_reap_delay_ms = 20000: Invalid argument"
else
	expect 2 "'delay = 20000' through the family: above its limit, exit 2"
	check "it names the line and the limit" has "$err" "/etc/oomctl.d/90-limit.conf:1: delay: 20000 ms is above the kernel's limit of 10000 ms"
fi
check "frozen-bypass of the same change not applied (300 0 0)" sysctls_are "300 0 0"
rm /etc/oomctl.d/90-limit.conf

# A write refused part-way (sysctls only; the family's policy-set is one
# update): oom_reap_order made read-only for everyone, root too, by
# binding a read-only sysctl over it.  The delay and frozen-bypass were
# written before it: they must be restored.
if [ "$expect_source" = sysctl ]; then
	put /etc/oomctl.d/95-part.conf 'delay = 250\nfrozen-bypass = on\norder = reverse\n'
	if mount -o bind /proc/sys/kernel/cap_last_cap $vm/oom_reap_order; then
		run apply
		umount $vm/oom_reap_order
		expect 4 "a write refused part-way (EACCES): exit 4"
		check "what was written before it is restored (300 0 0)" sysctls_are "300 0 0"
		check "it says what failed and what it restored" sh -c \
			"grep -qF 'writing vm.oom_reap_order = 1: Permission denied' $err &&
			 grep -qF 'restored vm.oom_reap_delay_ms to 300' $err &&
			 grep -qF 'restored vm.oom_reap_frozen_bypass to 0' $err"
	else
		tap_fail "bind-mount a read-only sysctl over vm.oom_reap_order"
	fi
	rm /etc/oomctl.d/95-part.conf
fi

# ---------------- several FILEs, stdin ----------------
printf 'delay = 600\n' >/tmp/p1.conf
rc=0; printf 'delay = 700\norder = reverse\n' | oomctl apply /tmp/p1.conf - >$out 2>$err || rc=$?
expect 0 "apply FILE -: exit 0"
check "the later (stdin) wins: 700 ms, reverse" sh -c \
	"[ \"\$(cat $vm/oom_reap_delay_ms) \$(cat $vm/oom_reap_order)\" = '700 1' ] &&
	 grep -qF '<stdin>:1: delay set again: this wins over /tmp/p1.conf:1' $err"

# ---------------- --root: an image's files against this kernel ----------------
put /tmp/img/etc/oomctl.d/50-img.conf 'delay = 700\n'
run apply --check --root /tmp/img
expect 0 "apply --check --root: the image's policy is the running one: exit 0"
put /tmp/img/usr/lib/oomctl.d/60-img.conf 'order = forward\n'
run apply --check --root /tmp/img
expect 5 "apply --check --root: the image's policy differs: exit 5"
check "... named with the image's own paths" has "$out" "file says forward (/usr/lib/oomctl.d/60-img.conf:1)"

# ---------------- set, reset, stats ----------------
run set delay 250 order forward
expect 0 "set delay 250 order forward: exit 0"
check "set: the sysctls (250 . 0)" sh -c "[ \"\$(cat $vm/oom_reap_delay_ms) \$(cat $vm/oom_reap_order)\" = '250 0' ]"
check "set prints the resulting policy" sh -c "grep -q '^delay  *250 ms' $out && grep -q '^order  *forward' $out"
run -j set delay 20000
expect 1 "set delay 20000: refused by the kernel, exit 1"
check "set delay 20000: nothing changed" sh -c "[ \$(cat $vm/oom_reap_delay_ms) = 250 ]"
run -j reset
expect 0 "reset: exit 0"
check "reset: 2000 0 1" sysctls_are "2000 0 1"
[ "$(jget source "$(cat $out)")" = "$expect_source" ] && tap_ok "reset -j: source $expect_source" ||
	tap_fail "reset -j: $(cat $out)"
if [ "$expect_source" = sysctl ]; then
	run stats
	expect 3 "stats without the family: exit 3"
	check "stats: says what it needs" has "$err" "was built without CONFIG_OOM_NETLINK, which stats needs"
fi

clean
oomctl reset >/dev/null 2>&1
tap_finish
