#!/usr/bin/env bash
# oomctl beside systemd's oomctl(1): what this oomctl does not know (dump,
# any other command, --no-pager alone) runs systemd's with the same command
# line, found by PATH and never this oomctl itself; without systemd's it is
# this oomctl's error.  Three kinds of checks:
# - a fake systemd oomctl in a test PATH dir that prints its argv: the exec
#   logic (which program, which arguments);
# - systemd's oomctl hidden: a mount namespace (unshare -m) with /dev/null
#   bound over /usr/bin/oomctl, or a host without it;
# - the installed systemd oomctl itself, really run.
# Usage: tests/systemd-oomctl.sh ./oomctl       Output: TAP
# fake and without run commands for run(): SC2317 sees no caller
# shellcheck disable=SC2317
set -u
oomctl=$(realpath "$1")
top=$(realpath "$(dirname "$0")/../..")
# shellcheck source=../../scripts/tap.sh
. "$top/scripts/tap.sh"
tmp=$(mktemp -d /tmp/oomctl-sd.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
tap_header

# Run "$@": stdout in $out, stderr in $err, status in $rc
run() { rc=0; "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?; out=$(cat "$tmp/out"); err=$(cat "$tmp/err"); }
verdict() {	# status description: ok if the status (of the test before it) is 0
	local st=$1 what=$2
	if [ "$st" = 0 ]; then tap_ok "$what"; else
		tap_fail "$what"
		echo "# exit $rc; stdout, stderr:"
		head -c 600 "$tmp/out" | sed 's/^/#   /'
		head -c 600 "$tmp/err" | sed 's/^/#   /'
	fi
}

# PATH dirs: ours (a link to this oomctl) and a fake systemd oomctl that
# prints its arguments and exits 7
mkdir -p "$tmp/ours" "$tmp/systemd"
ln -s "$oomctl" "$tmp/ours/oomctl"
printf '#!/bin/sh\necho "systemd-oomctl $*"\nexit 7\n' >"$tmp/systemd/oomctl"
chmod +x "$tmp/systemd/oomctl"
fake() { PATH="$tmp/ours:$tmp/systemd:/usr/bin:/bin" "$@"; }

run fake oomctl dump --no-pager
[ "$out|$rc" = "systemd-oomctl dump --no-pager|7" ]
verdict $? "dump runs systemd's oomctl (next in PATH, not ourselves) with its arguments"
run fake oomctl --no-pager dump -x
[ "$out|$rc" = "systemd-oomctl --no-pager dump -x|7" ]
verdict $? "--no-pager dump: systemd's oomctl gets the options before the command too"
run fake oomctl -n frobnicate --count 3 'two words'
[ "$out|$rc" = "systemd-oomctl -n frobnicate --count 3 two words|7" ]
verdict $? "an unknown command runs systemd's oomctl with the same command line"
[ "$err" = "oomctl: 'frobnicate' is not a command of this oomctl: running systemd's oomctl(1), $tmp/systemd/oomctl" ]
verdict $? "an unknown command: says on stderr which program answers"
run fake oomctl --no-pager
[ "$out|$rc" = "systemd-oomctl --no-pager|7" ]
verdict $? "--no-pager alone runs systemd's oomctl (its default command is dump)"
run fake oomctl --no-pager help
[ $rc = 0 ] && [[ $out == "Usage: oomctl "* ]] && [[ $out == *"runs systemd's oomctl(1)"* ]]
verdict $? "--no-pager help: this oomctl's help, --no-pager ignored"
run fake oomctl help
[ $rc = 0 ] && [ "$out" = "$("$oomctl" --help)" ]
verdict $? "help is this oomctl's --help"
run fake oomctl stats --no-pager -o json
[[ $out != *systemd-oomctl* ]] && [ $rc != 7 ]
verdict $? "stats --no-pager: this oomctl's stats (systemd's was not run)"
run fake oomctl --version
[ $rc = 0 ] && [[ $out == "oomctl "* ]]
verdict $? "--version is this oomctl's"

# A wrapper named oomctl that runs this oomctl, first in PATH: without the
# guard (OOMCTL_SYSTEMD_TRIED) each run took it for systemd's and ran it
# again, forever
mkdir -p "$tmp/wrap"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$oomctl" >"$tmp/wrap/oomctl"
chmod +x "$tmp/wrap/oomctl"
run env PATH="$tmp/wrap:$tmp/systemd:/usr/bin:/bin" timeout 5 "$tmp/wrap/oomctl" dump --no-pager
[ "$out|$rc" = "systemd-oomctl dump --no-pager|7" ]
verdict $? "dump passes over a wrapper that runs this oomctl, runs systemd's next in PATH"
run env PATH="$tmp/wrap:$tmp/systemd:/usr/bin:/bin" timeout 5 "$tmp/wrap/oomctl" frob
[ "$out|$rc" = "systemd-oomctl frob|7" ] && [ "$(grep -c "not a command of this oomctl" "$tmp/err")" = 1 ]
verdict $? "an unknown command behind a wrapper: systemd's oomctl, one note"

# --- without systemd's oomctl -------------------------------------------------------
# Run "$@" on a system without systemd's oomctl: PATH without test dirs,
# and /usr/bin/oomctl (where the oomctl search ends) hidden by /dev/null
# (not a regular file: not an oomctl) in a mount namespace of its own.
if [ ! -e /usr/bin/oomctl ]; then
	without() { PATH=/usr/bin:/bin "$@"; }
	hidden="(this host has no /usr/bin/oomctl)"
elif unshare -m sh -c 'mount --bind /dev/null /usr/bin/oomctl && [ ! -f /usr/bin/oomctl ]' 2>/dev/null; then
	without() { PATH=/usr/bin:/bin unshare -m sh -c 'mount --bind /dev/null /usr/bin/oomctl && exec "$@"' sh "$@"; }
	hidden="(/usr/bin/oomctl hidden in a mount namespace)"
fi
if [ -n "${hidden:-}" ]; then
	run without "$oomctl" frobnicate
	[ $rc = 2 ]
	verdict $? "unknown command, no systemd oomctl: exit 2 $hidden"
	[[ $err == "oomctl: unknown command 'frobnicate': not one of this oomctl's, and systemd's oomctl(1), which runs the others, is not installed"* ]]
	verdict $? "unknown command, no systemd oomctl: names both possibilities"
	run without "$oomctl" --no-pager
	[ $rc = 2 ] && [[ $err == *"--no-pager without a command is for systemd's oomctl(1) (its dump), which is not installed"* ]]
	verdict $? "--no-pager alone, no systemd oomctl: exit 2, says why"
	run without "$oomctl" dump
	[ $rc = 1 ] && [[ $err == *"systemd's oomctl(1), which is not installed" ]]
	verdict $? "dump, no systemd oomctl: exit 1, says so"
	run without "$oomctl" help
	[ $rc = 0 ] && [[ $out == "Usage: oomctl "* ]]
	verdict $? "help, no systemd oomctl: this oomctl's help, exit 0"
	# The wrapper again, alone: it runs this oomctl once more at most
	run without env PATH="$tmp/wrap:/usr/bin:/bin" timeout 5 "$tmp/wrap/oomctl" dump
	[ $rc = 1 ] && [[ $err == *"not installed ($tmp/wrap/oomctl, taken for it, ran this oomctl again: a wrapper?)"* ]]
	verdict $? "dump behind a wrapper, no systemd oomctl: runs itself once more at most, says why, exit 1"
	run without env PATH="$tmp/wrap:/usr/bin:/bin" timeout 5 "$tmp/wrap/oomctl" frob
	[ $rc = 2 ] && [[ $err == *"ran this oomctl again: a wrapper?"* ]]
	verdict $? "unknown command behind a wrapper, no systemd oomctl: exit 2 (124: ran itself until killed)"
else
	tap_skip "unknown command, dump, --no-pager without systemd's oomctl" \
		"/usr/bin/oomctl exists and unshare -m cannot hide it here (no CAP_SYS_ADMIN?)"
fi

# --- the installed systemd oomctl, really run ---------------------------------------
if [ -x /usr/bin/oomctl ] && /usr/bin/oomctl --version 2>/dev/null | grep -q '^systemd '; then
	sd_version=$(/usr/bin/oomctl --version | head -n 1)
	run env PATH=/usr/bin:/bin "$oomctl" dump --version
	[ "$(head -n 1 "$tmp/out")|$rc" = "$sd_version|0" ]
	verdict $? "dump --version runs the installed systemd oomctl: $sd_version"
	run env PATH=/usr/bin:/bin "$oomctl" dump --help
	[ $rc = 0 ] && [[ $out == *"Output the current state of systemd-oomd"* ]]
	verdict $? "dump --help: systemd's help (its dump command)"
	# Its commands and options, from its --help, are this oomctl's
	# commands or the options of systemd's it knows (__complete)
	missing=
	for w in $(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$tmp/out") \
		 $(grep -oE -- '(^| )--?[a-z][a-z-]*' "$tmp/out"); do
		"$oomctl" __complete | grep -qE -- "(^| )$w( |$)" || missing="$missing $w"
	done
	[ -z "$missing" ]
	verdict $? "systemd's commands and options (its --help) are known to this oomctl"
	[ -z "$missing" ] || echo "# not known:$missing"
	run env PATH=/usr/bin:/bin "$oomctl" frobnicate
	[ $rc = 1 ] && [[ $err == *"Unknown command verb frobnicate"* ]]
	verdict $? "an unknown command: systemd's oomctl answers (Unknown command verb), exit 1"
else
	tap_skip "the installed systemd oomctl" "systemd-oomd (systemd's /usr/bin/oomctl) is not installed"
fi
tap_finish
