#!/usr/bin/env bash
# make install / make uninstall (cli/Makefile, and the top Makefile through
# it): oomctl, its man page, bash completion, the two systemd units and the
# example /etc/oomctl.d/README.
#
# Usage: scripts/install.sh install|uninstall
# Env (the Makefile's variables): DESTDIR PREFIX SBINDIR MANDIR BASHCOMPDIR
#   UNITDIR SYSCONFDIR, OOMCTL (the binary to install), DPKG_CHECK (1; 0 for
#   the Debian package's own build, whose files are meant to be dpkg's).
#
# Never overwrites a file that belongs to a Debian package (`dpkg -S`, on
# the path without DESTDIR, and its /usr-merge alias: /usr/lib/x and /lib/x
# are one file on a merged /usr): install checks every destination first
# and installs nothing if one is taken.  One exception has a way out: the
# completion.  systemd-oomd ships completions/oomctl for its own oomctl(1);
# bash-completion's loader takes the first of oomctl, oomctl.bash, _oomctl
# in a directory, so beside systemd's no name of ours would be read.  Ours
# then goes to SYSCONFDIR/bash_completion.d/oomctl, which bash-completion
# sources when bash starts: `complete -F _oomctl oomctl` is then defined
# before the loader would look for one, and ours (which completes systemd's
# dump and options too) answers.  The Debian package diverts systemd-oomd's
# file instead (debian/oomctl.preinst).
#
# uninstall removes the same files, wherever install put the completion,
# unless a package owns them, and /etc/oomctl.d if it is left empty.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
action=${1:-}
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
SBINDIR=${SBINDIR:-$PREFIX/sbin}
MANDIR=${MANDIR:-$PREFIX/share/man}
BASHCOMPDIR=${BASHCOMPDIR:-$PREFIX/share/bash-completion/completions}
UNITDIR=${UNITDIR:-$PREFIX/lib/systemd/system}
# Not PREFIX/etc: oomctl reads /etc/oomctl.d whatever its PREFIX
SYSCONFDIR=${SYSCONFDIR:-/etc}
OOMCTL=${OOMCTL:-$top/cli/oomctl}
DPKG_CHECK=${DPKG_CHECK:-1}

say() { printf 'install.sh: %s\n' "$*" >&2; }

# The packages that own path (or its /usr-merge alias), comma-separated;
# nothing if none does or there is no dpkg
owners() {
	local p=$1 alias=
	[ "$DPKG_CHECK" != 0 ] && command -v dpkg >/dev/null || return 0
	case $p in
	/usr/bin/* | /usr/sbin/* | /usr/lib/* | /usr/lib32/* | /usr/lib64/*) alias=${p#/usr} ;;
	/bin/* | /sbin/* | /lib/* | /lib32/* | /lib64/*) alias=/usr$p ;;
	esac
	# "pkg1, pkg2: path" lines; "diversion by ..." lines are not owners
	{ dpkg -S "$p" 2>/dev/null || :; [ -z "$alias" ] || dpkg -S "$alias" 2>/dev/null || :; } |
		awk -F': ' '!/^diversion by / { n = split($1, a, ", "); for (i = 1; i <= n; i++) print a[i] }' |
		sort -u | paste -sd, - | sed 's/,/, /g'
}

# What goes where: "mode source destination" (destination without DESTDIR)
comp_dest=$BASHCOMPDIR/oomctl
comp_alt=$SYSCONFDIR/bash_completion.d/oomctl
files() {
	echo "755 $OOMCTL $SBINDIR/oomctl"
	echo "644 $top/man/oomctl.8 $MANDIR/man8/oomctl.8"
	echo "644 $top/completions/oomctl $comp_dest"
	echo "644 $top/systemd/oomctl-apply.service.in $UNITDIR/oomctl-apply.service"
	echo "644 $top/systemd/oomctl-monitor.service.in $UNITDIR/oomctl-monitor.service"
	echo "644 $top/systemd/oomctl.d/README $SYSCONFDIR/oomctl.d/README"
}

install_all() {
	local mode src dest who taken=0
	[ -x "$OOMCTL" ] || { say "no $OOMCTL: build it first (make -C cli)"; exit 1; }
	who=$(owners "$comp_dest")
	if [ -n "$who" ]; then
		say "$comp_dest belongs to the Debian package $who; this completion (which"
		say "  completes systemd's oomctl too) goes to $comp_alt, which bash reads first"
		comp_dest=$comp_alt
	fi
	while read -r mode src dest; do
		who=$(owners "$dest")
		[ -z "$who" ] && continue
		say "$dest belongs to the Debian package $who: not overwriting it"
		taken=1
	done < <(files)
	if [ $taken = 1 ]; then
		say "nothing installed; choose other directories (PREFIX, SBINDIR, ...), or remove the package"
		exit 1
	fi
	while read -r mode src dest; do
		echo "install -m $mode $src $DESTDIR$dest"
		install -d "$DESTDIR${dest%/*}"
		case $src in
		*.in) sed "s|@SBINDIR@|$SBINDIR|g" "$src" >"$DESTDIR$dest.tmp"
		      chmod "$mode" "$DESTDIR$dest.tmp"
		      mv "$DESTDIR$dest.tmp" "$DESTDIR$dest" ;;
		*) install -m "$mode" "$src" "$DESTDIR$dest" ;;
		esac
	done < <(files)
}

uninstall_all() {
	local mode src dest who
	while read -r mode src dest; do
		for d in "$dest" $([ "$dest" = "$comp_dest" ] && echo "$comp_alt"); do
			[ -e "$DESTDIR$d" ] || [ -L "$DESTDIR$d" ] || continue
			who=$(owners "$d")
			if [ -n "$who" ]; then
				say "$d belongs to the Debian package $who: kept"
				continue
			fi
			echo "rm -f $DESTDIR$d"
			rm -f "$DESTDIR$d"
		done
	done < <(files)
	rmdir "$DESTDIR$SYSCONFDIR/oomctl.d" 2>/dev/null || true
}

case $action in
install) install_all ;;
uninstall) uninstall_all ;;
*) say "usage: install.sh install|uninstall"; exit 2 ;;
esac
