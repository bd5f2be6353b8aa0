#!/usr/bin/env bash
# Test of completions/oomctl: source it the way bash-completion does, ask it
# for the candidates of a few command lines, and hold its word lists to what
# `oomctl __complete` prints from oomctl's own tables.
# Usage: completion.bash OOMCTL COMPLETION_FILE     Output: TAP
set -u
oomctl=$1 file=$2
# shellcheck source=../../scripts/tap.sh
. "$(dirname "$0")/../../scripts/tap.sh"
tap_header

bc=/usr/share/bash-completion/bash_completion
if [ ! -f "$bc" ]; then
	tap_skip_all "bash-completion is not installed ($bc)"
	exit 4
fi
# shellcheck disable=SC1090
source "$bc"
# shellcheck disable=SC1090
source "$file"

# The list NAME of `oomctl __complete`, sorted, one line
list() { "$oomctl" __complete | awk -v k="$1" '$1 == k { $1 = ""; print }' | words; }
words() { tr ' ' '\n' | grep -v '^$' | sort | tr '\n' ' '; }

# Candidates for a command line; the cursor is at its end
candidates() {
	local line=$1
	COMP_LINE=$line
	COMP_POINT=${#line}
	read -ra COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_oomctl oomctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}" | words
}

check() {	# what line expected
	local got
	got=$(candidates "$2")
	if [ "$got" = "$3" ]; then
		tap_ok "completion: $1"
	else
		tap_fail "completion: $1"
		echo "# '$2<TAB>': got [$got], expected [$3]"
	fi
}

long_globals=$(list global-options | tr ' ' '\n' | grep -- '^--' | words)
check "commands, as oomctl lists them" "oomctl " "$(list commands)"
check "global options" "oomctl -" "$(list global-options)"
check "a command after global options" "oomctl -j st" "stats "
check "set: the settings" "oomctl set " "$(list settings)"
check "set: frozen-bypass values" "oomctl set frozen-bypass " "$(list values-frozen-bypass)"
check "set: order values" "oomctl set order " "$(list values-order)"
check "set: a delay is free text" "oomctl set delay " ""
check "set: settings not given yet" "oomctl set delay 250ms " \
	"$(list settings | tr ' ' '\n' | grep -vx delay | words)"
check "set: two given, one left" "oomctl -j set order forward delay 1s " "frozen-bypass "
check "monitor options" "oomctl monitor --" "$(echo "$(list monitor-options) $long_globals" | words)"
check "monitor --events list" "oomctl monitor --events " "$(list events)"
first_event=$("$oomctl" __complete | awk '$1 == "events" { print $2 }')
check "monitor --events, second element" "oomctl monitor --events $first_event," \
	"$(list events | tr ' ' '\n' | sed "/^\$/d; s/^/$first_event,/" | words)"
check "-o: the output formats" "oomctl -o " "$(list formats)"
check "-o after a command" "oomctl stats --output " "$(list formats)"
check "monitor --count takes a number" "oomctl monitor --count " ""
check "apply options" "oomctl apply --" "$(echo "$(list apply-options) $long_globals" | words)"
check "stats options" "oomctl stats --" "$(echo "$(list stats-options) $long_globals" | words)"
check "help takes nothing" "oomctl help " ""
check "dump: systemd's oomctl's options" "oomctl dump -" "$(list systemd-options)"
check "another command of systemd's: its options" "oomctl -n frob --" \
	"$(list systemd-options | tr ' ' '\n' | grep -- '^--' | words)"
check "--no-pager before a command" "oomctl --no-pager d" "dump "
# systemd's own oomctl, where installed: its commands and options (from its
# --help) are offered
if [ -x /usr/bin/oomctl ] && /usr/bin/oomctl --help >"${TMPDIR:-/tmp}/sd-help.$$" 2>/dev/null; then
	h=${TMPDIR:-/tmp}/sd-help.$$
	sd_cmds=$(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$h" | words)
	sd_opts=$(grep -oE -- '(^| )--?[a-z][a-z-]*' "$h" | words)
	rm -f "$h"
	got=$(candidates "oomctl ")
	missing=
	for w in $sd_cmds; do [[ " $got" == *" $w "* ]] || missing+=" $w"; done
	[ -n "$sd_cmds" ] && [ -z "$missing" ] && tap_ok "completion: systemd's oomctl's commands ($sd_cmds)" ||
		tap_fail "completion: systemd's commands [$sd_cmds] lack:$missing"
	check "systemd's oomctl's options (its --help) after dump" "oomctl dump -" "$sd_opts"
else
	tap_skip "completion: systemd's oomctl's commands and options" \
		"systemd-oomd (/usr/bin/oomctl) is not installed"
fi
tmp=$(mktemp -d)
touch "$tmp/fleet.conf" "$tmp/other.conf"
cd "$tmp" || exit 1
check "apply: files, and - for stdin" "oomctl apply " "- fleet.conf other.conf "
check "apply: file name prefix" "oomctl apply fl" "fleet.conf "
check "apply: several files, - once" "oomctl apply fleet.conf - " "fleet.conf other.conf "
mkdir "$tmp/image"
check "apply --root: directories only" "oomctl apply --check --root " "image "
cd - >/dev/null || exit 1
rm -rf "$tmp"
tmp=$(mktemp -d)
mkdir "$tmp/node-exporter"
touch "$tmp/not-a-dir"
cd "$tmp" || exit 1
check "stats --textfile: directories only" "oomctl stats --textfile " "node-exporter "
cd - >/dev/null || exit 1
rm -rf "$tmp"
tap_finish
