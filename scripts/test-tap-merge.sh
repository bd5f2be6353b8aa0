#!/usr/bin/env bash
# Self-test of scripts/tap-merge.awk, the piece that decides pass/fail for
# every VM test: known guest output in, expected verdicts and counts out.
# TAP on stdout.
set -euo pipefail
cd "$(dirname "$0")"
. ./tap.sh
expect() {	# description, expected merged lines (without numbers), raw input[, rc]
	local got
	got=$(printf '%s\n' "$3" | awk -v stage=vm -v rc="${4:-0}" -f tap-merge.awk |
		grep -v '^#' | sed -E 's/^(not ok|ok) [0-9]+ /\1 /')
	if [ "$got" = "$2" ]; then tap_ok "tap-merge: $1"
	else
		tap_fail "tap-merge: $1"
		diff <(echo "$2") <(echo "$got") | sed 's/^/# /' || true
	fi
}
counts() {	# description, expected "count passed failed skipped", raw input, start
	local st got
	st=$(mktemp)
	printf '%s\n' "$3" | awk -v stage=vm -v rc=0 -v start="$4" -v state="$st" \
		-f tap-merge.awk >/dev/null
	got=$(cat "$st"); rm -f "$st"
	if [ "$got" = "$2" ]; then tap_ok "tap-merge: $1"
	else tap_fail "tap-merge: $1"; echo "# expected '$2', got '$got'"; fi
}
sec() { printf 'OOMCTL-TEST t\n%s\nOOMCTL-TEST-END t rc=%s timeout=%s limit=5s\n' "$1" "$2" "${3:-0}"; }

tap_header
expect "results are renamed and renumbered" $'ok - vm: t: a\nnot ok - vm: t: b\nok - vm: t: c # SKIP why' \
	"$(sec $'TAP version 13\n1..3\nok 1 a\nnot ok 2 - b\nok 3 c # SKIP why' 1)"
expect "plan mismatch fails" $'ok - vm: t: a\nnot ok - vm: t: planned 2 tests, reported 1' \
	"$(sec $'1..2\nok 1 a' 0)"
expect "non-zero exit without not ok fails" $'ok - vm: t: a\nnot ok - vm: t: exited with status 1' \
	"$(sec $'1..1\nok 1 a' 1)"
expect "a crash fails once, not also for the plan" $'ok - vm: t: a\nnot ok - vm: t: killed by signal 11 (SIGSEGV)' \
	"$(sec $'1..3\nok 1 a' 139)"
expect "timeout fails" 'not ok - vm: t: timed out after 5s, killed' "$(sec '1..1' 143 1)"
expect "a plan 1..0 with a SKIP reason is a skip" 'ok - vm: t: skipped # SKIP no sysctl' "$(sec '1..0 # SKIP no sysctl' 4)"
expect "kselftest's SKIP result after a plan is a skip" 'ok - vm: t: test 1 # SKIP no CONFIG_MEMCG' \
	"$(sec $'1..1\nok 1 # SKIP no CONFIG_MEMCG' 4)"
expect "TODO is not a failure" 'ok - vm: t: x # TODO later' "$(sec $'1..1\nnot ok 1 x # TODO later' 0)"
expect "VM death closes the open test" $'ok - vm: t: a\nnot ok - vm: t: did not finish (the VM stopped)\nnot ok - vm: TIMEOUT' \
	$'OOMCTL-TEST t\n1..2\nok 1 a\nOOMCTL-ABORT\nnot ok - TIMEOUT'
# Our own binaries must say what they did: silence is not a pass.
expect "no TAP, exit 0 fails" 'not ok - vm: t: reported no results (no TAP, exit status 0)' "$(sec 'hello' 0)"
expect "empty plan 1..0 without a reason fails" 'not ok - vm: t: empty plan (1..0) without a SKIP reason' \
	"$(sec $'TAP version 13\n1..0' 0)"
expect "exit 4 without a SKIP line fails" 'not ok - vm: t: exit status 4 (KSFT_SKIP) without a SKIP line saying why' \
	"$(sec '' 4)"
expect "a skip without a reason fails" $'ok - vm: t: a\nnot ok - vm: t: b (skipped without a reason)' \
	"$(sec $'1..2\nok 1 a\nok 2 b # SKIP' 0)"
expect "results without a plan fail" $'ok - vm: t: a\nnot ok - vm: t: no plan (1..N) for its 1 result(s)' \
	"$(sec $'TAP version 13\nok 1 a' 0)"
expect "a stage that reports nothing fails" 'not ok - vm: reported no results' '# only talk'
expect "a stage that exits non-zero without a failure fails" 'not ok - vm: exited with status 2' '' 2
# Skips are counted apart from passes, also from a guest binary's stream.
counts "state counts passed, failed and skipped apart" '7 1 1 2' \
	"$(sec $'1..4\nok 1 a\nnot ok 2 b\nok 3 c # SKIP no CONFIG_X\nok 4 d # skip no tool' 1)" 3
counts "a skipped binary counts as skipped, not passed" '1 0 0 1' "$(sec '1..0 # SKIP no CONFIG_X' 4)" 0
tap_finish
