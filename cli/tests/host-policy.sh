# shellcheck shell=bash
# Sourced by tests/host.sh (its helpers: run, rc_is, has, t, vg; $oomctl,
# $tmp): `oomctl apply` over policy directories under --root, as an image
# build or a test sees them.  /etc, /run, /usr/local/lib and /usr/lib
# drop-ins, masking, several files merged with notes naming both
# file:line, sysctl.d conflicts, every bad input with nothing applied.
# What the kernel is asked depends on this host's kernel: the checks that
# need one kernel or another say so.

root=$tmp/root
mkroot() {	# a fresh, empty root
	rm -rf "$root"
	mkdir -p "$root"
}
put() {	# put REL TEXT: a file under the root
	mkdir -p "$(dirname "$root/$1")"
	printf '%b' "$2" >"$root/$1"
}
jcheck() {	# jcheck DESCRIPTION PYTHON: the JSON in $tmp/out, as d, passes the asserts
	if [ "$have_python" != 1 ]; then
		tap_skip "$1" "no python3"
		return
	fi
	if python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
$2" "$tmp/out" 2>"$tmp/py.err"; then tap_ok "$1"; else
		tap_fail "$1"
		sed 's/^/#   /' "$tmp/out" "$tmp/py.err" | head -n 10
	fi
}

# Nothing there: nothing to do, and no kernel asked (exit 0 on any kernel)
mkroot
rc_is 0 "apply --root of an empty root" apply --root "$root"
has "$tmp/out" "no policy files (/etc/oomctl.conf, oomctl.d/*.conf in /etc, /run, /usr/local/lib, /usr/lib): nothing to do" &&
	tap_ok "apply: no policy files, says where it looked" || tap_fail "apply, no files: $(cat "$tmp/out")"
rc_is 0 "apply --check --root of an empty root" apply --check --root "$root"
rc_is 2 "apply --root of a directory that does not exist" apply --root "$root/nonexistent"
has "$tmp/err" "--root $root/nonexistent: No such file or directory" &&
	tap_ok "apply --root: a mistyped image path is an error, not an image without files" ||
	tap_fail "apply --root nonexistent: $(cat "$tmp/err")"
rc_is 2 "apply --root of a file" apply --root /etc/passwd
run -j apply --check --root "$root"
jcheck "apply -j, no files: files [], no change, no source (no kernel asked)" '
assert d["files"] == [] and d["mode"] == "check" and d["changed"] is False, d
assert d["changes"] == [] and "source" not in d and "file" not in d, d'
put etc/oomctl.conf '# nothing yet\n'
put usr/lib/oomctl.d/10-empty.conf ''
rc_is 0 "apply files without settings" apply --root "$root"
has "$tmp/out" "no settings in the policy files: nothing to do" &&
	tap_ok "apply: files without settings, nothing to do" || tap_fail "$(cat "$tmp/out")"

# The drop-ins: sorted by name across the directories, /etc masking /run
# and /usr/lib, /run masking /usr/lib, /dev/null masking, later wins
mkroot
put etc/oomctl.conf 'delay = 1s\n'
put usr/lib/oomctl.d/10-vendor.conf 'order = forward\nfrozen-bypass = on\n'
put usr/lib/oomctl.d/50-fleet.conf 'delay = 100\n'	# masked by /etc
put run/oomctl.d/50-fleet.conf 'delay = 200\n'		# masked by /etc
put etc/oomctl.d/50-fleet.conf '\xef\xbb\xbf# fleet\nvm.oom_reap_delay_ms = 2000\n-vm.oom_reap_future = 1\n'
put run/oomctl.d/60-run.conf 'vm/oom_reap_order = 1\n'
put usr/lib/oomctl.d/60-run.conf 'order = forward\n'	# masked by /run
put usr/local/lib/oomctl.d/70-local.conf 'frozen-bypass = off\n'
put usr/lib/oomctl.d/80-masked.conf 'delay = 9\n'
mkdir -p "$root/etc/oomctl.d"
ln -s /dev/null "$root/etc/oomctl.d/80-masked.conf"
put etc/oomctl.d/README 'not a .conf file\n'
put etc/oomctl.d/.50-hidden.conf 'delay = 7\n'
put etc/oomctl.d/50-fleet.conf.dpkg-old 'delay = 8\n'
run -j apply --dry-run --root "$root"
files='"/etc/oomctl.conf", "/usr/lib/oomctl.d/10-vendor.conf", "/etc/oomctl.d/50-fleet.conf", "/run/oomctl.d/60-run.conf", "/usr/local/lib/oomctl.d/70-local.conf"'
jcheck "apply --root -j: the files in order, masked ones and other names left out" "
assert d['files'] == [$files], d['files']
assert 'file' not in d and d['mode'] == 'dry-run', d"
if has "$tmp/err" "/etc/oomctl.d/50-fleet.conf:2: delay set again: this wins over /etc/oomctl.conf:1" &&
   has "$tmp/err" "/run/oomctl.d/60-run.conf:1: order set again: this wins over /usr/lib/oomctl.d/10-vendor.conf:1" &&
   has "$tmp/err" "/usr/local/lib/oomctl.d/70-local.conf:1: frozen-bypass set again: this wins over /usr/lib/oomctl.d/10-vendor.conf:2" &&
   has "$tmp/err" "/etc/oomctl.d/50-fleet.conf:3: unknown key 'vm.oom_reap_future' ignored (leading '-')"; then
	tap_ok "apply: a note for each setting set again, naming both file:line; an unknown '-' key ignored"
else tap_fail "apply notes: $(cat "$tmp/err")"; fi
! has "$tmp/err" "delay = 9" && ! has "$tmp/err" "80-masked" &&
	tap_ok "a file masked by /dev/null is not read" || tap_fail "masked file read: $(cat "$tmp/err")"

# The merged policy is delay 2000, order reverse, frozen-bypass off: what
# Linux 6.18 and later do, stock or patched at its defaults
run -j show
source=$(sed -n 's/.*"source":"\([a-z-]*\)".*/\1/p' "$tmp/out")
builtin_default=0
[ "$source" = built-in ] && grep -q '"delay_ms":2000,"frozen_bypass":false,"order":"reverse"' "$tmp/out" &&
	builtin_default=1
if [ $builtin_default = 1 ]; then
	rc_is 0 "apply --check --root: the merged policy is what this stock kernel does" apply --check --root "$root"
	run -j apply --check --root "$root"
	jcheck "apply --check -j: source built-in, no changes" '
assert d["source"] == "built-in" and d["changes"] == [] and d["changed"] is False, d'
	put etc/oomctl.d/90-drift.conf 'order = forward\n'
	rc_is 3 "apply --check --root, a setting this stock kernel does not have" apply --check --root "$root"
	has "$tmp/out" "order: running reverse, file says forward (/etc/oomctl.d/90-drift.conf:1)" &&
		tap_ok "apply --check: the drifting setting with its file:line" || tap_fail "$(cat "$tmp/out")"
	run -j apply --check --root "$root"
	jcheck "apply --check -j: the change with its file and line" '
assert d["changes"] == [{"setting": "order", "from": "reverse", "to": "forward",
                         "file": "/etc/oomctl.d/90-drift.conf", "line": 1}], d["changes"]'
	rc_is 3 "apply --root on a stock kernel that would have to change" apply --root "$root"
	# A leading '-' on the setting the kernel cannot take
	put etc/oomctl.d/90-drift.conf '-order = forward\n'
	rc_is 3 "'-' does not make a stock kernel's policy changeable" apply --root "$root"
	rm "$root/etc/oomctl.d/90-drift.conf"
else
	tap_skip "apply --root against this kernel's policy" \
		"this kernel's policy is not the stock 6.18+ one (source '$source'; the VM tests the others)"
fi

# sysctl.d files that set the same sysctl to something else: two owners
put etc/sysctl.d/90-oom.conf '# tuning\nvm.oom_reap_delay_ms = 700\nvm.oom_reap_order = 1\n'
put usr/lib/sysctl.d/50-glob.conf 'vm/oom_reap_frozen_* = 0\n'
run apply --dry-run --root "$root"
if has "$tmp/err" "warning: /etc/sysctl.d/90-oom.conf:2 sets vm.oom_reap_delay_ms = 700, /etc/oomctl.d/50-fleet.conf:2 sets it to 2000" &&
   has "$tmp/err" "oomctl-apply.service runs after systemd-sysctl.service and 2000 wins, until something runs sysctl --system" &&
   ! has "$tmp/err" "sets vm.oom_reap_order" && ! has "$tmp/err" "oom_reap_frozen_bypass ="; then
	tap_ok "apply: warns of a sysctl.d file that sets the delay to another value, naming both files; equal values are no conflict"
else tap_fail "sysctl.d warning ($rc): $(cat "$tmp/err")"; fi
[ "$rc" = 0 ] || [ "$rc" = 3 ] && tap_ok "a sysctl.d conflict is a warning, not an error (exit $rc)" ||
	tap_fail "sysctl.d conflict: exit $rc"
run -j apply --dry-run --root "$root"
jcheck "apply -j: conflicts, each with both files and lines" '
c = d["conflicts"]
assert c == [{"setting": "delay", "sysctl_file": "/etc/sysctl.d/90-oom.conf", "sysctl_line": 2,
              "sysctl_value": "700", "file": "/etc/oomctl.d/50-fleet.conf", "line": 2,
              "value": 2000}], c'
ln -sf /dev/null "$root/etc/sysctl.d/90-oom.conf"
run apply --dry-run --root "$root"
! has "$tmp/err" "warning" && tap_ok "a sysctl.d file masked by /dev/null sets nothing" ||
	tap_fail "masked sysctl.d file: $(cat "$tmp/err")"
rm "$root/etc/sysctl.d/90-oom.conf"
mkdir "$root/etc/sysctl.d/95-dir.conf"
run apply --dry-run --root "$root"
has "$tmp/err" "the sysctl.d files were not checked for vm.oom_reap_*: /etc/sysctl.d/95-dir.conf: not a regular file" &&
	[ "$rc" != 2 ] && [ "$rc" != 1 ] && tap_ok "a sysctl.d entry that cannot be read: said, not fatal" ||
	tap_fail "sysctl.d unreadable ($rc): $(cat "$tmp/err")"
rmdir "$root/etc/sysctl.d/95-dir.conf"

# Bad input: every error named, nothing applied, the kernel not asked
bad_root() {	# expected-status description pattern: apply --root fails, says pattern
	rc_is "$1" "$2" apply --root "$root"
	if has "$tmp/err" "$3" && has "$tmp/err" "${4:-}" && [ ! -s "$tmp/out" ]; then
		tap_ok "$2: says '$3', prints no result"
	else tap_fail "$2: $(cat "$tmp/err" "$tmp/out")"; fi
}
put run/oomctl.d/55-bad.conf 'delay = soon\ncolour = red\n'
put usr/lib/oomctl.d/56-bad.conf 'vm.oom_reap_order = 2\n'
bad_root 2 "two bad files among good ones" "/run/oomctl.d/55-bad.conf:1: delay: bad value 'soon'" \
	"/usr/lib/oomctl.d/56-bad.conf:1: vm.oom_reap_order: '2' is out of range"
has "$tmp/err" "/run/oomctl.d/55-bad.conf:2: unknown key 'colour'" &&
	has "$tmp/err" "apply: errors in the policy files: nothing changed" &&
	tap_ok "every error of every file, then: nothing changed" || tap_fail "$(cat "$tmp/err")"
rm "$root/run/oomctl.d/55-bad.conf" "$root/usr/lib/oomctl.d/56-bad.conf"
head -c 2000 /dev/urandom >"$root/usr/lib/oomctl.d/57-junk.conf"
bad_root 2 "a binary file among the drop-ins" "/usr/lib/oomctl.d/57-junk.conf:"
rm "$root/usr/lib/oomctl.d/57-junk.conf"
head -c 70000 /dev/zero | tr '\0' '#' >"$root/etc/oomctl.d/58-huge.conf"
bad_root 2 "a drop-in over 64 KiB" "/etc/oomctl.d/58-huge.conf: larger than 65536 bytes"
rm "$root/etc/oomctl.d/58-huge.conf"
mkdir "$root/etc/oomctl.d/59-dir.conf"
bad_root 2 "a directory named *.conf" "/etc/oomctl.d/59-dir.conf: not a regular file"
rmdir "$root/etc/oomctl.d/59-dir.conf"
ln -s /nonexistent/policy.conf "$root/etc/oomctl.d/59-dangling.conf"
bad_root 1 "a dangling symlink" "/etc/oomctl.d/59-dangling.conf: No such file or directory"
rm "$root/etc/oomctl.d/59-dangling.conf"
mv "$root/run/oomctl.d" "$root/run/moved.d"
put run/oomctl.d 'a file where a directory belongs\n'
bad_root 1 "a file where a drop-in directory belongs" "/run/oomctl.d: Not a directory"
rm "$root/run/oomctl.d"
mv "$root/run/moved.d" "$root/run/oomctl.d"
for i in $(seq 0 256); do : >"$root/usr/lib/oomctl.d/x$i.conf"; done
bad_root 2 "257 drop-ins in one directory" "/usr/lib/oomctl.d: more than 256 *.conf files"
rm -f "$root"/usr/lib/oomctl.d/x*.conf

# Several FILE arguments: merged in their order, later wins
printf 'delay = 300\norder = forward\n' >"$tmp/a.conf"
printf 'vm.oom_reap_delay_ms = 400\n' >"$tmp/b.conf"
rc=0; "$oomctl" -j apply --dry-run "$tmp/a.conf" - "$tmp/b.conf" <"$tmp/a.conf" >"$tmp/out" 2>"$tmp/err" || rc=$?
has "$tmp/err" "<stdin>:1: delay set again: this wins over $tmp/a.conf:1" &&
	has "$tmp/err" "$tmp/b.conf:1: delay set again: this wins over <stdin>:1" &&
	tap_ok "apply FILE - FILE: in their order, stdin named <stdin>, later wins" ||
	tap_fail "apply FILE - FILE ($rc): $(cat "$tmp/err")"
jcheck "apply FILE - FILE -j: files in order, no single \"file\"" "
assert d['files'] == ['$tmp/a.conf', '<stdin>', '$tmp/b.conf'] and 'file' not in d, d"
rc_is 2 "apply a good and a bad file" apply "$tmp/a.conf" "$tmp/bad.conf"
has "$tmp/err" "bad.conf:3: unknown key 'colour'" && ! has "$tmp/out" "delay" &&
	tap_ok "a bad file among FILEs: nothing applied" || tap_fail "$(cat "$tmp/err")"
rc_is 1 "apply a good and a missing file" apply "$tmp/a.conf" "$tmp/none.conf"
run -j apply --dry-run "$tmp/a.conf"
jcheck "apply -j of one FILE keeps \"file\"" "
assert d['file'] == '$tmp/a.conf' and d['files'] == ['$tmp/a.conf'], d"

if [ "$sanitized" = 0 ] && [ "$have_vg" = 1 ]; then
	for args in "apply --dry-run --root $root" "apply --root $root/nothing" "-j apply --check --root $root" \
		    "apply --dry-run $tmp/a.conf - $tmp/bad.conf"; do
		rc=0
		# shellcheck disable=SC2086
		vg "$oomctl" $args </dev/null >/dev/null 2>"$tmp/vg.err" || rc=$?
		if [ $rc != 99 ] && ! grep -q '^==' "$tmp/vg.err"; then tap_ok "valgrind: oomctl $args (exit $rc)"
		else tap_fail "valgrind: oomctl $args"; grep '^==' "$tmp/vg.err" | head -n 20 | sed 's/^/#   /'; fi
	done
fi

# The man page documents the directories, the keys and the options above
if [ "$sanitized" = 0 ] && command -v man >/dev/null; then
	LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$top/man/oomctl.8" 2>/dev/null | col -b >"$tmp/man-policy.txt"
	missing=
	for w in /etc/oomctl.conf /etc/oomctl.d /run/oomctl.d /usr/local/lib/oomctl.d /usr/lib/oomctl.d \
		 /etc/sysctl.d /etc/sysctl.conf oomctl-apply.service systemd-sysctl.service --root \
		 files conflicts sysctl_file sysctl_line sysctl_value '<stdin>' vm/oom_reap_order \
		 'byte order mark' /dev/null built-in 5.4.191 5.18-rc4 6.18-rc1 e4a38402c36e 5e1953dc71af \
		 /proc/version_signature 'one by one'; do
		grep -qF -- "$w" "$tmp/man-policy.txt" || missing="$missing $w"
	done
	[ -z "$missing" ] && tap_ok "man page: policy directories, sysctl.d, apply's JSON keys, stock kernels" ||
		tap_fail "man page lacks:$missing"
fi
