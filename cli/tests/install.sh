#!/usr/bin/env bash
# make install / make uninstall (scripts/install.sh) into DESTDIRs: the exact
# file list with modes for the default and for custom directories, the
# units' ExecStart, systemd-analyze verify of the installed units, and the
# dpkg -S decisions: this host's real dpkg database (systemd-oomd's
# completions/oomctl: ours goes to /etc/bash_completion.d and wins there;
# SBINDIR=/usr/bin is refused) and a fake dpkg in PATH that claims the
# paths a case needs (refusal, /usr-merge aliases, DPKG_CHECK=0, uninstall
# keeping a package's file).
# Usage: tests/install.sh (from cli/, after make oomctl)     Output: TAP
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(realpath ..)
# shellcheck source=../../scripts/tap.sh
. "$top/scripts/tap.sh"
tmp=$(mktemp -d /tmp/oomctl-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
tap_header

mk() {	# make -C cli ARGS: output in $tmp/log, status in $rc
	rc=0; make -s --no-print-directory "$@" >"$tmp/log" 2>&1 || rc=$?
}
# The files under a directory: "MODE PATH" lines, sorted
tree() { (cd "$1" && find . -type f -printf '%m %P\n' -o -type l -printf 'link %P\n' | sort); }
same() {	# description expected-lines dir
	local got
	got=$(tree "$3")
	if [ "$got" = "$2" ]; then tap_ok "$1"; else
		tap_fail "$1"
		diff <(echo "$2") <(echo "$got") | sed 's/^/#   /'
		sed 's/^/#   log: /' "$tmp/log" | head -n 10
	fi
}
ok_if() {	# status description
	if [ "$1" = 0 ]; then tap_ok "$2"; else tap_fail "$2"; sed 's/^/#   log: /' "$tmp/log" | head -n 10; fi
}

# --- the default: PREFIX=/usr/local ---------------------------------------------
d=$tmp/default
mk install DESTDIR="$d"
same "make install: sbin, man8, completion, both units, /etc/oomctl.d/README, modes" \
"644 etc/oomctl.d/README
644 usr/local/lib/systemd/system/oomctl-apply.service
644 usr/local/lib/systemd/system/oomctl-monitor.service
644 usr/local/share/bash-completion/completions/oomctl
644 usr/local/share/man/man8/oomctl.8
755 usr/local/sbin/oomctl" "$d"
grep -qx 'ExecStart=/usr/local/sbin/oomctl apply' "$d/usr/local/lib/systemd/system/oomctl-apply.service" &&
	grep -qx 'ExecStart=/usr/local/sbin/oomctl monitor -o journal' "$d/usr/local/lib/systemd/system/oomctl-monitor.service"
ok_if $? "the units run SBINDIR's oomctl (apply; monitor -o journal)"
cmp -s oomctl "$d/usr/local/sbin/oomctl" && cmp -s ../man/oomctl.8 "$d/usr/local/share/man/man8/oomctl.8" &&
	cmp -s ../completions/oomctl "$d/usr/local/share/bash-completion/completions/oomctl" &&
	cmp -s ../systemd/oomctl.d/README "$d/etc/oomctl.d/README"
ok_if $? "installed files are the tree's"
mk install DESTDIR="$d"
ok_if $rc "make install again over its own files: exit 0"
mk uninstall DESTDIR="$d"
same "make uninstall: every file gone, and the empty /etc/oomctl.d" "" "$d"
[ ! -e "$d/etc/oomctl.d" ]
ok_if $? "make uninstall removes the /etc/oomctl.d it left empty"
mk install DESTDIR="$d"
echo 'delay = 250ms' >"$d/etc/oomctl.d/50-fleet.conf"
mk uninstall DESTDIR="$d"
same "make uninstall keeps the admin's policy file (and its directory)" \
	"644 etc/oomctl.d/50-fleet.conf" "$d"

# --- every directory variable -------------------------------------------------
d=$tmp/custom
mk install DESTDIR="$d" PREFIX=/opt/o SBINDIR=/opt/o/bin MANDIR=/opt/o/man \
	BASHCOMPDIR=/opt/o/bc UNITDIR=/opt/o/units SYSCONFDIR=/opt/o/etc
same "make install SBINDIR MANDIR BASHCOMPDIR UNITDIR SYSCONFDIR: each honoured" \
"644 opt/o/bc/oomctl
644 opt/o/etc/oomctl.d/README
644 opt/o/man/man8/oomctl.8
644 opt/o/units/oomctl-apply.service
644 opt/o/units/oomctl-monitor.service
755 opt/o/bin/oomctl" "$d"
grep -qx 'ExecStart=/opt/o/bin/oomctl apply' "$d/opt/o/units/oomctl-apply.service"
ok_if $? "the units' ExecStart follows SBINDIR"
mk uninstall DESTDIR="$d" PREFIX=/opt/o SBINDIR=/opt/o/bin MANDIR=/opt/o/man \
	BASHCOMPDIR=/opt/o/bc UNITDIR=/opt/o/units SYSCONFDIR=/opt/o/etc
same "make uninstall with the same variables: nothing left" "" "$d"
mk -C .. install DESTDIR="$tmp/top" SBINDIR=/x/sbin UNITDIR=/x/units
[ -x "$tmp/top/x/sbin/oomctl" ] && [ -f "$tmp/top/x/units/oomctl-apply.service" ] &&
	[ -f "$tmp/top/usr/local/share/man/man8/oomctl.8" ]
ok_if $? "the top Makefile's install passes the variables on"
mk -C .. uninstall DESTDIR="$tmp/top" SBINDIR=/x/sbin UNITDIR=/x/units
same "the top Makefile's uninstall" "" "$tmp/top"

# --- systemd-analyze verify of the installed units ------------------------------
# Installed under a real prefix (no DESTDIR), so that ExecStart names a
# binary that exists; MANPATH for the Documentation=man:oomctl(8) check
if command -v systemd-analyze >/dev/null; then
	d=$tmp/real
	mk install PREFIX="$d/usr" SYSCONFDIR="$d/etc"
	rc=0; MANPATH=$d/usr/share/man systemd-analyze verify \
		"$d"/usr/lib/systemd/system/oomctl-{apply,monitor}.service >"$tmp/log" 2>&1 || rc=$?
	[ $rc = 0 ] && [ ! -s "$tmp/log" ]
	ok_if $? "systemd-analyze verify: both units, installed, clean"
else
	tap_skip "systemd-analyze verify of the units" "systemd-analyze is not installed"
fi

# --- the units' SystemCallFilter= allows what oomctl calls ---------------------------
# The system calls oomctl names: the libc imports of oomctl and of libmnl
# that are system calls systemd knows (open_by_handle_at is in @privileged,
# not in @system-service).  libc's own calls (write for printf) are the
# basics every filter allows.  Not the units' business: execv (running
# systemd's oomctl), and for oomctl-apply open_by_handle_at (monitor's
# cgroup paths).
if command -v systemd-analyze >/dev/null && command -v nm >/dev/null; then
	declare -A group=()
	expand() {	# filter words -> system call names, groups expanded
		local w
		for w in "$@"; do
			case $w in
			@*) [ -n "${group[$w]+x}" ] ||
				group[$w]=$(systemd-analyze syscall-filter "$w" | tail -n +2 | grep -v '^ *#' | tr -d ' ')
			    # shellcheck disable=SC2086
			    expand ${group[$w]} ;;
			*) echo "$w" ;;
			esac
		done
	}
	known=$(systemd-analyze syscall-filter 2>/dev/null | grep -E '^    [a-z0-9_]+$' | tr -d ' ' | sort -u)
	mnl=$(ldd oomctl | awk '$1 ~ /^libmnl/ { print $3 }')
	called=$(for b in oomctl $mnl; do nm -D --undefined-only "$b"; done | awk '{ print $2 }' |
		sed 's/@.*//' | sort -u | comm -12 - <(echo "$known"))
	for u in oomctl-apply oomctl-monitor; do
		# shellcheck disable=SC2046
		allowed=$( (expand $(sed -n 's/^SystemCallFilter=//p' "../systemd/$u.service.in")
			echo execv; [ $u = oomctl-apply ] && echo open_by_handle_at) | sort -u)
		missing=$(comm -23 <(echo "$called") <(echo "$allowed") | tr '\n' ' ')
		[ -n "$called" ] && [ -n "$allowed" ] && [ -z "$missing" ]
		ok_if $? "$u's SystemCallFilter allows what oomctl calls: $(echo $called)${missing:+; not: $missing}"
	done
else
	tap_skip "the units' SystemCallFilter" "systemd-analyze or nm (binutils) is not installed"
fi

# --- dpkg -S: a fake dpkg that claims what a case needs -------------------------
# FAKE_OWNED: "package:path" words; dpkg -S answers for those paths
mkdir -p "$tmp/fakebin"
cat >"$tmp/fakebin/dpkg" <<'EOF'
#!/bin/sh
[ "$1" = -S ] || exit 2
for w in $FAKE_OWNED; do
	[ "${w#*:}" = "$2" ] && { echo "${w%%:*}: $2"; exit 0; }
done
echo "dpkg-query: no path found matching pattern $2" >&2
exit 1
EOF
chmod +x "$tmp/fakebin/dpkg"
fk() { PATH="$tmp/fakebin:$PATH" FAKE_OWNED=$1 mk "${@:2}"; }

d=$tmp/fake1
fk "somepkg:/usr/local/sbin/oomctl" install DESTDIR="$d"
[ $rc != 0 ] && grep -q '/usr/local/sbin/oomctl belongs to the Debian package somepkg: not overwriting it' "$tmp/log" &&
	[ -z "$(tree "$d" 2>/dev/null)" ]
ok_if $? "a destination owned by a package: make install fails, says which, installs nothing"
fk "pkg-a:/usr/local/share/man/man8/oomctl.8 pkg-b:/etc/oomctl.d/README" install DESTDIR="$d"
[ $rc != 0 ] && grep -q 'man8/oomctl.8 belongs to the Debian package pkg-a' "$tmp/log" &&
	grep -q 'README belongs to the Debian package pkg-b' "$tmp/log"
ok_if $? "every taken destination is named, not only the first"
fk "unitpkg:/lib/systemd/system/oomctl-apply.service" install DESTDIR="$d" PREFIX=/usr
[ $rc != 0 ] && grep -q 'oomctl-apply.service belongs to the Debian package unitpkg' "$tmp/log"
ok_if $? "/usr/lib/systemd/system/x is /lib/systemd/system/x on a merged /usr: refused too"
fk "somepkg:/usr/local/sbin/oomctl" install DESTDIR="$d" DPKG_CHECK=0
[ $rc = 0 ] && [ -x "$d/usr/local/sbin/oomctl" ]
ok_if $? "DPKG_CHECK=0 (the package's own build): installed"
fk "manpkg:/usr/local/share/man/man8/oomctl.8" uninstall DESTDIR="$d"
same "make uninstall keeps a file a package owns" "644 usr/local/share/man/man8/oomctl.8" "$d"
grep -q 'man8/oomctl.8 belongs to the Debian package manpkg: kept' "$tmp/log"
ok_if $? "make uninstall says what it kept"
d=$tmp/fake2
fk "compkg:/usr/local/share/bash-completion/completions/oomctl" install DESTDIR="$d"
[ $rc = 0 ] && [ -f "$d/etc/bash_completion.d/oomctl" ] &&
	[ ! -e "$d/usr/local/share/bash-completion/completions/oomctl" ]
ok_if $? "the completion's place taken: ours goes to /etc/bash_completion.d/oomctl"
fk "" uninstall DESTDIR="$d"
same "make uninstall finds the completion in /etc/bash_completion.d too" "" "$d"

# --- this host's dpkg database --------------------------------------------------------
sdcomp=/usr/share/bash-completion/completions/oomctl
if command -v dpkg >/dev/null && dpkg -S "$sdcomp" 2>/dev/null | grep -q '^systemd-oomd: '; then
	d=$tmp/usr
	mk install DESTDIR="$d" PREFIX=/usr
	same "PREFIX=/usr beside systemd-oomd (dpkg -S $sdcomp): completion in /etc/bash_completion.d" \
"644 etc/bash_completion.d/oomctl
644 etc/oomctl.d/README
644 usr/lib/systemd/system/oomctl-apply.service
644 usr/lib/systemd/system/oomctl-monitor.service
644 usr/share/man/man8/oomctl.8
755 usr/sbin/oomctl" "$d"
	grep -q "$sdcomp belongs to the Debian package systemd-oomd" "$tmp/log"
	ok_if $? "make install says where the completion went and why"
	# An interactive bash: bash_completion reads /etc/bash_completion.d
	# (here the DESTDIR's) when it starts; the loader would find
	# systemd-oomd's completions/oomctl only for a command without one
	complete_words() {	# compat-dir: the candidates for "oomctl "
		BASH_COMPLETION_COMPAT_DIR=$1 bash -c '
			. /usr/share/bash-completion/bash_completion
			complete -p oomctl >/dev/null 2>&1 || __load_completion oomctl
			COMP_WORDS=(oomctl ""); COMP_CWORD=1; COMP_LINE="oomctl "; COMP_POINT=7
			_oomctl oomctl "" oomctl; echo "${COMPREPLY[*]}"' 2>/dev/null
	}
	w=$(complete_words "$d/etc/bash_completion.d")
	[[ " $w " == *" show "* && " $w " == *" dump "* ]]
	ok_if $? "installed so, ours answers for oomctl: $w"
	w=$(complete_words "$tmp/empty-compat")
	[[ " $w " != *" show "* && " $w " == *" dump "* ]]
	ok_if $? "without it, systemd-oomd's answers ($w): the test tells them apart"
	mk uninstall DESTDIR="$d" PREFIX=/usr
	same "make uninstall PREFIX=/usr: nothing left" "" "$d"
	mk install DESTDIR="$tmp/usrbin" PREFIX=/usr SBINDIR=/usr/bin
	[ $rc != 0 ] && grep -q '/usr/bin/oomctl belongs to the Debian package systemd-oomd: not overwriting it' "$tmp/log" &&
		[ -z "$(tree "$tmp/usrbin" 2>/dev/null)" ]
	ok_if $? "SBINDIR=/usr/bin: systemd-oomd's /usr/bin/oomctl is not overwritten, nothing installed"
else
	tap_skip "make install PREFIX=/usr against this host's dpkg database" \
		"systemd-oomd (which owns $sdcomp) is not installed"
fi
tap_finish
