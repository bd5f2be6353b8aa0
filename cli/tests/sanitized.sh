#!/usr/bin/env bash
# The host suite's second pass: oomctl and the unit tests built by clang
# with ASan and UBSan (make OBJDIR=DIR CC=clang SANITIZE=1), then the unit
# tests and tests/host.sh run on that build.  The build shows that clang
# compiles the CLI without a warning (-Werror); any sanitizer report, from
# any process of the run, fails.
# Usage: tests/sanitized.sh DIR        Output: TAP streams, results prefixed
# "asan+ubsan: "
set -u
cd "$(dirname "$0")/.." || exit 1
dir=${1:?usage: tests/sanitized.sh DIR}
top=$(realpath ..)
. "$top/scripts/tap.sh"

tap_header
if ! command -v clang >/dev/null; then
	tap_skip "asan+ubsan: the host suite on a clang ASan/UBSan build" \
		"clang is not installed (scripts/deps.sh installs it)"
	tap_finish
fi
logs=$(mktemp -d /tmp/oomctl-san.XXXXXX)
trap 'rm -rf "$logs"' EXIT
if ${MAKE:-make} -s --no-print-directory OBJDIR="$dir" CC=clang SANITIZE=1 bins \
	>"$logs/build.log" 2>&1; then
	tap_ok "asan+ubsan: clang -fsanitize=address,undefined -Wall -Wextra -Werror builds oomctl and the unit tests"
else
	tap_fail "asan+ubsan: clang build"
	tap_diag "$logs/build.log"
	tap_finish
fi
tap_plan

# Reports go to files, one per process, so that none is lost in a test's
# captured stderr; exit status 99 (valgrind's in host.sh) tells a run that
# was stopped by one from the CLI's own failures.
export ASAN_OPTIONS="log_path=$logs/asan:exitcode=99:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$logs/ubsan:exitcode=99:print_stacktrace=1:halt_on_error=1"
prefix() { sed -E 's/^((not )?ok [0-9]+ - )/\1asan+ubsan: /'; }
set -o pipefail
u=0 h=0
"$dir/tests/unit" | prefix || u=$?
tests/host.sh --sanitized "$dir/oomctl" "$dir/tests/unit" | prefix || h=$?

# A pass stopped by a report may not say "not ok" itself; and the reports
# of processes whose status nobody checked (the completion test's, a
# monitor in the background) are only seen here.
TAP_N=0 TAP_PASS=0 TAP_FAIL=0 TAP_SKIP=0 TAP_PLANNED=
tap_header
[ $u = 0 ] && tap_ok "asan+ubsan: the unit tests passed" || tap_fail "asan+ubsan: the unit tests exited $u"
[ $h = 0 ] && tap_ok "asan+ubsan: host.sh passed" || tap_fail "asan+ubsan: host.sh exited $h"
reports=$(find "$logs" -name 'asan.*' -o -name 'ubsan.*')
if [ -z "$reports" ]; then
	tap_ok "asan+ubsan: no sanitizer report from any process of the run"
else
	tap_fail "asan+ubsan: sanitizer reports: $(echo "$reports" | wc -l)"
	for f in $reports; do tap_diag "$f"; done
fi
tap_finish
