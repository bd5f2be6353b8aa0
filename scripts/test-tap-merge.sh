#!/usr/bin/env bash
# Self-test of scripts/tap-merge.awk, the piece that decides pass/fail for
# every VM test: known guest output in, expected verdicts out.  TAP on stdout.
set -euo pipefail
cd "$(dirname "$0")"
n=0 bad=0
expect() {	# description, expected merged lines (without numbers), raw input
	local got
	got=$(printf '%s\n' "$3" | awk -v stage=vm -v rc=0 -f tap-merge.awk |
		grep -v '^#' | sed -E 's/^(not ok|ok) [0-9]+ /\1 /')
	n=$((n + 1))
	if [ "$got" = "$2" ]; then echo "ok $n - tap-merge: $1"
	else
		bad=$((bad + 1)); echo "not ok $n - tap-merge: $1"
		diff <(echo "$2") <(echo "$got") | sed 's/^/# /' || true
	fi
}
sec() { printf 'OOMCTL-TEST t\n%s\nOOMCTL-TEST-END t rc=%s timeout=%s limit=5s\n' "$1" "$2" "${3:-0}"; }

echo "TAP version 13"
expect "results are renamed and renumbered" $'ok - vm: t: a\nnot ok - vm: t: b\nok - vm: t: c # SKIP why' \
	"$(sec $'TAP version 13\n1..3\nok 1 a\nnot ok 2 - b\nok 3 c # SKIP why' 1)"
expect "plan mismatch fails" $'ok - vm: t: a\nnot ok - vm: t: planned 2 tests, reported 1' \
	"$(sec $'1..2\nok 1 a' 0)"
expect "non-zero exit without not ok fails" $'ok - vm: t: a\nnot ok - vm: t: exited with status 1' \
	"$(sec $'1..1\nok 1 a' 1)"
expect "a crash fails once, not also for the plan" $'ok - vm: t: a\nnot ok - vm: t: killed by signal 11 (SIGSEGV)' \
	"$(sec $'1..3\nok 1 a' 139)"
expect "timeout fails" 'not ok - vm: t: timed out after 5s, killed' "$(sec '1..1' 143 1)"
expect "exit 4 is a skip" 'ok - vm: t # SKIP exit status 4 (KSFT_SKIP)' "$(sec '' 4)"
expect "1..0 # SKIP is a skip" 'ok - vm: t: skipped # SKIP no sysctl' "$(sec '1..0 # SKIP no sysctl' 4)"
expect "no TAP, exit 0 passes" 'ok - vm: t' "$(sec 'hello' 0)"
expect "TODO is not a failure" 'ok - vm: t: x # TODO later' "$(sec $'1..1\nnot ok 1 x # TODO later' 0)"
expect "VM death closes the open test" $'ok - vm: t: a\nnot ok - vm: t: did not finish (the VM stopped)\nnot ok - vm: TIMEOUT' \
	$'OOMCTL-TEST t\n1..2\nok 1 a\nOOMCTL-ABORT\nnot ok - TIMEOUT'
echo "1..$n"
[ $bad = 0 ]
