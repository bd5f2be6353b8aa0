#!/usr/bin/env bash
# make check's stage "deb": the Debian package, built and installed.
#   make deb (scripts/build-deb.sh); lintian, errors to pedantic tags all
#   failures (the overrides in debian/oomctl.lintian-overrides say why);
#   its file list, modes, conffiles and version; the maintainer scripts
#   parse; dpkg -x into a throwaway root and its oomctl --version; then a
#   real dpkg -i, -r and -P in a copy-on-write root of this host (an
#   overlay of / in a mount namespace of its own, chrooted): the diversion
#   of systemd-oomd's completion and its return, whose completion answers,
#   the units enabled, systemd-analyze verify of the installed units.
# Usage: scripts/test-deb.sh        Output: TAP; about 30 s
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# The copy-on-write root needs a mount namespace: the whole test runs in one
if [ -z "${OOMCTL_DEB_NS:-}" ] && unshare -m true 2>/dev/null; then
	OOMCTL_DEB_NS=1 exec unshare -m "$0" "$@"
fi
. scripts/tap.sh
tmp=$(mktemp -d /tmp/oomctl-deb.XXXXXX)
cow=$tmp/cow
# Unmount the copy-on-write root first, and never remove across a mount
cleanup() {
	umount -R -l "$cow" 2>/dev/null
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
tap_header
ok_if() {	# status description [log]
	if [ "$1" = 0 ]; then tap_ok "$2"; else
		tap_fail "$2"
		[ -z "${3:-}" ] || head -c 3000 "$3" | sed 's/^/#   /'
	fi
}

# --- build ------------------------------------------------------------------------------
t0=$SECONDS
rc=0; deb=$(scripts/build-deb.sh 2>"$tmp/build.log") || rc=$?
ok_if $rc "make deb: ${deb#"$top"/} ($((SECONDS - t0)) s)" "$tmp/build.log"
if [ $rc != 0 ] || [ ! -f "$deb" ]; then
	tail -n 30 "$tmp/build.log" | sed 's/^/#   /'
	tap_finish
fi
changes=${deb%.deb}.changes
version=$(dpkg-deb -f "$deb" Version)

# --- lintian ----------------------------------------------------------------------------
if command -v lintian >/dev/null; then
	rc=0
	lintian -I -E --pedantic --fail-on error,warning,info,pedantic "$changes" >"$tmp/lintian" 2>&1 || rc=$?
	grep -v '^running with root privileges' "$tmp/lintian" >"$tmp/lintian.tags"
	[ $rc = 0 ] && [ ! -s "$tmp/lintian.tags" ]
	ok_if $? "lintian -I -E --pedantic: no tags (errors, warnings, info, pedantic, experimental)" "$tmp/lintian.tags"
else
	tap_fail "lintian is not installed (scripts/deps.sh installs it)"
fi

# --- contents ---------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' >"$tmp/contents"
expected="drwxr-xr-x root/root ./
drwxr-xr-x root/root ./etc/
drwxr-xr-x root/root ./etc/oomctl.d/
-rw-r--r-- root/root ./etc/oomctl.d/README
drwxr-xr-x root/root ./lib/
drwxr-xr-x root/root ./lib/systemd/
drwxr-xr-x root/root ./lib/systemd/system/
-rw-r--r-- root/root ./lib/systemd/system/oomctl-apply.service
-rw-r--r-- root/root ./lib/systemd/system/oomctl-monitor.service
drwxr-xr-x root/root ./usr/
drwxr-xr-x root/root ./usr/sbin/
-rwxr-xr-x root/root ./usr/sbin/oomctl
drwxr-xr-x root/root ./usr/share/
drwxr-xr-x root/root ./usr/share/bash-completion/
drwxr-xr-x root/root ./usr/share/bash-completion/completions/
-rw-r--r-- root/root ./usr/share/bash-completion/completions/oomctl
drwxr-xr-x root/root ./usr/share/doc/
drwxr-xr-x root/root ./usr/share/doc/oomctl/
-rw-r--r-- root/root ./usr/share/doc/oomctl/changelog.gz
-rw-r--r-- root/root ./usr/share/doc/oomctl/copyright
drwxr-xr-x root/root ./usr/share/doc/oomctl/examples/
-rw-r--r-- root/root ./usr/share/doc/oomctl/examples/ansible-oomctl.yml
-rw-r--r-- root/root ./usr/share/doc/oomctl/examples/oomctl-prometheus.cron
-rw-r--r-- root/root ./usr/share/doc/oomctl/examples/vector.toml
drwxr-xr-x root/root ./usr/share/lintian/
drwxr-xr-x root/root ./usr/share/lintian/overrides/
-rw-r--r-- root/root ./usr/share/lintian/overrides/oomctl
drwxr-xr-x root/root ./usr/share/man/
drwxr-xr-x root/root ./usr/share/man/man8/
-rw-r--r-- root/root ./usr/share/man/man8/oomctl.8.gz"
[ "$(cat "$tmp/contents")" = "$expected" ]
ok_if $? "dpkg -c: the file list and modes" <(diff <(echo "$expected") "$tmp/contents")
dpkg-deb --ctrl-tarfile "$deb" | tar -x -C "$tmp" ./conffiles ./preinst ./postinst ./prerm ./postrm 2>/dev/null
[ "$(cat "$tmp/conffiles" 2>/dev/null)" = /etc/oomctl.d/README ]
ok_if $? "conffiles: /etc/oomctl.d/README" "$tmp/conffiles"
bad=
for s in preinst postinst prerm postrm; do
	[ -f "$tmp/$s" ] && sh -n "$tmp/$s" || bad="$bad $s"
done
[ -z "$bad" ]
ok_if $? "maintainer scripts preinst postinst prerm postrm: present, sh -n clean${bad:+ (not:$bad)}"
sd_comp=/usr/share/bash-completion/completions/oomctl
divert_args="--package oomctl --rename --divert $sd_comp.systemd-oomd"
tr -d '\\\n\t' <"$tmp/preinst" | grep -qF -- "dpkg-divert $divert_args --add $sd_comp" &&
	tr -d '\\\n\t' <"$tmp/postrm" | grep -qF -- "dpkg-divert $divert_args --remove $sd_comp"
ok_if $? "preinst adds and postrm removes the same diversion of $sd_comp"

# --- dpkg -x ------------------------------------------------------------------------------
root=$tmp/x
dpkg -x "$deb" "$root"
rc=0; "$root/usr/sbin/oomctl" --version >"$tmp/version" 2>&1 || rc=$?
[ $rc = 0 ] && grep -q "^oomctl $version " "$tmp/version"
ok_if $? "dpkg -x: usr/sbin/oomctl --version runs and says $version, the package's version" "$tmp/version"
grep -qx 'ExecStart=/usr/sbin/oomctl apply' "$root/lib/systemd/system/oomctl-apply.service" &&
	grep -qx 'ExecStart=/usr/sbin/oomctl monitor -o journal' "$root/lib/systemd/system/oomctl-monitor.service"
ok_if $? "dpkg -x: the units run /usr/sbin/oomctl"

# --- dpkg -i, -r, -P in a copy-on-write root of this host ------------------------------------
if [ -z "${OOMCTL_DEB_NS:-}" ]; then
	tap_skip "dpkg -i/-r/-P in a copy-on-write root" "no mount namespace here (unshare -m failed)"
	tap_finish
fi
# The overlay's changes go to a tmpfs; its /dev is a tmpfs of its own with
# the few device nodes dpkg and its scripts use (not the host's /dev)
mkdir -p "$cow"
mount -t tmpfs tmpfs "$cow" && mkdir "$cow/upper" "$cow/work" "$cow/root" &&
	mount -t overlay overlay -o "lowerdir=/,upperdir=$cow/upper,workdir=$cow/work" "$cow/root" &&
	mount -t tmpfs -o mode=755 tmpfs "$cow/root/dev" &&
	mknod -m 666 "$cow/root/dev/null" c 1 3 && mknod -m 666 "$cow/root/dev/zero" c 1 5 &&
	mknod -m 666 "$cow/root/dev/urandom" c 1 9 && mknod -m 666 "$cow/root/dev/random" c 1 8 &&
	ln -s /proc/self/fd "$cow/root/dev/fd" && mount -t proc proc "$cow/root/proc" &&
	mount -t tmpfs tmpfs "$cow/root/run" && mount -t tmpfs tmpfs "$cow/root/tmp"
rc=$?
if [ $rc != 0 ]; then
	tap_skip "dpkg -i/-r/-P in a copy-on-write root" "cannot mount an overlay of / here"
	tap_finish
fi
r=$cow/root
in_root() { chroot "$r" "$@"; }
cp "$deb" "$r/tmp/"
# The candidates bash completion offers for "oomctl " in that root
comp_words() {
	in_root bash -c '. /usr/share/bash-completion/bash_completion
		complete -p oomctl >/dev/null 2>&1 || __load_completion oomctl
		COMP_WORDS=(oomctl ""); COMP_CWORD=1; COMP_LINE="oomctl "; COMP_POINT=7
		_oomctl oomctl "" oomctl; echo "${COMPREPLY[*]}"' 2>/dev/null
}
have_sd=0
if in_root dpkg -S "$sd_comp" 2>/dev/null | grep -q '^systemd-oomd: '; then
	have_sd=1
	cp "$r$sd_comp" "$tmp/sd-comp"
	w=$(comp_words)
	[[ " $w " == *" dump "* && " $w " != *" show "* ]]
	ok_if $? "before: systemd-oomd's completion answers for oomctl ($w)"
else
	echo "# systemd-oomd is not installed here: the diversion has no file to move"
fi

rc=0; in_root dpkg -i --no-triggers "/tmp/${deb##*/}" >"$tmp/dpkg-i" 2>&1 || rc=$?
ok_if $rc "dpkg -i ${deb##*/}: exit 0" "$tmp/dpkg-i"
in_root dpkg-divert --list "$sd_comp" >"$tmp/divert" 2>&1
grep -qx "diversion of $sd_comp to $sd_comp.systemd-oomd by oomctl" "$tmp/divert"
ok_if $? "dpkg-divert --list: $sd_comp diverted by oomctl" "$tmp/divert"
in_root dpkg -S "$sd_comp" >"$tmp/owner" 2>&1
cmp -s "$r$sd_comp" "$top/completions/oomctl" && grep -q 'oomctl.*: '"$sd_comp"'$' "$tmp/owner"
ok_if $? "$sd_comp is this package's completion" "$tmp/owner"
if [ $have_sd = 1 ]; then
	cmp -s "$r$sd_comp.systemd-oomd" "$tmp/sd-comp"
	ok_if $? "systemd-oomd's completion kept aside, unchanged, as $sd_comp.systemd-oomd"
	w=$(comp_words)
	[[ " $w " == *" show "* && " $w " == *" dump "* ]]
	ok_if $? "installed: this package's completion answers, with systemd's dump ($w)"
fi
rc=0; in_root /usr/sbin/oomctl --version >"$tmp/v" 2>&1 || rc=$?
[ $rc = 0 ] && grep -q "^oomctl $version " "$tmp/v"
ok_if $? "installed: /usr/sbin/oomctl --version" "$tmp/v"
[ -L "$r/etc/systemd/system/sysinit.target.wants/oomctl-apply.service" ] &&
	[ -L "$r/etc/systemd/system/multi-user.target.wants/oomctl-monitor.service" ]
ok_if $? "installed: both units enabled (sysinit.target, multi-user.target)"
rc=0; in_root systemd-analyze verify /lib/systemd/system/oomctl-apply.service \
	/lib/systemd/system/oomctl-monitor.service >"$tmp/verify" 2>&1 || rc=$?
[ $rc = 0 ] && [ ! -s "$tmp/verify" ]
ok_if $? "installed: systemd-analyze verify of both units (ExecStart, man:oomctl(8)): clean" "$tmp/verify"

rc=0; in_root dpkg -r oomctl >"$tmp/dpkg-r" 2>&1 || rc=$?
ok_if $rc "dpkg -r oomctl: exit 0" "$tmp/dpkg-r"
in_root dpkg-divert --list "$sd_comp" >"$tmp/divert" 2>&1
[ ! -s "$tmp/divert" ] && [ ! -e "$r$sd_comp.systemd-oomd" ] && [ ! -e "$r/usr/sbin/oomctl" ]
ok_if $? "removed: no diversion left, no oomctl.systemd-oomd, no /usr/sbin/oomctl" "$tmp/divert"
if [ $have_sd = 1 ]; then
	cmp -s "$r$sd_comp" "$tmp/sd-comp"
	ok_if $? "removed: systemd-oomd's completion back in place, unchanged"
fi
[ -f "$r/etc/oomctl.d/README" ]
ok_if $? "removed, not purged: the conffile /etc/oomctl.d/README stays"
rc=0; in_root dpkg -P oomctl >"$tmp/dpkg-p" 2>&1 || rc=$?
[ $rc = 0 ] && [ ! -e "$r/etc/oomctl.d" ] &&
	[ ! -e "$r/etc/systemd/system/multi-user.target.wants/oomctl-monitor.service" ]
ok_if $? "dpkg -P oomctl: /etc/oomctl.d and the enablement links gone" "$tmp/dpkg-p"
tap_finish
