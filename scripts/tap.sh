# shellcheck shell=sh
# TAP helpers for the shell tests, sourced (". scripts/tap.sh"), modelled on
# the kernel's tools/testing/selftests/kselftest/ktap_helpers.sh.  POSIX sh:
# the guest scripts source it under busybox sh, where it is
# /usr/share/oomctl/tap.sh (scripts/mkinitramfs.sh puts it there).
#
#   tap_header                  "TAP version 13"
#   tap_ok DESC [NOTE]          "ok N - DESC"; NOTE becomes a "# DESC: NOTE" line
#   tap_fail DESC               "not ok N - DESC"
#   tap_skip DESC REASON        "ok N - DESC # SKIP REASON"; the reason names
#                               what is missing outside this repository
#                               (a kernel option, a tool): never empty
#   tap_check DESC CMD...       tap_ok if CMD succeeds, else tap_fail
#   tap_diag [FILE...]          stdin or FILEs as "#   " lines (first 20)
#   tap_plan [COUNT]            "1..COUNT" up front (then tap_finish checks
#                               it), or without COUNT "1..N" for the results
#                               so far (a trailing plan)
#   tap_skip_all REASON         "1..0 # SKIP REASON" (nothing was run)
#   tap_totals                  "# Totals: pass:P fail:F skip:S"
#   tap_finish                  the trailing plan (none if one came up
#                               front) + tap_totals, then exit 0 iff nothing
#                               failed (and a plan up front was kept)
# Counters: TAP_N (results), TAP_PASS, TAP_FAIL, TAP_SKIP.  A script that
# merges another stream's results bumps them with tap_ok/tap_fail/tap_skip;
# scripts/check.sh adds the per-stage counts of scripts/tap-merge.awk.

TAP_N=0 TAP_PASS=0 TAP_FAIL=0 TAP_SKIP=0 TAP_PLANNED=

tap_header() { echo "TAP version 13"; }

tap_ok() {
	TAP_N=$((TAP_N + 1)) TAP_PASS=$((TAP_PASS + 1))
	echo "ok $TAP_N - $1"
	[ -z "${2:-}" ] || echo "# $1: $2"
}

tap_fail() {
	TAP_N=$((TAP_N + 1)) TAP_FAIL=$((TAP_FAIL + 1))
	echo "not ok $TAP_N - $1"
}

tap_skip() {
	if [ -z "${2:-}" ]; then	# a skip must say why: a bug in the test
		tap_fail "$1 (skipped without a reason)"
		return
	fi
	TAP_N=$((TAP_N + 1)) TAP_SKIP=$((TAP_SKIP + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

tap_check() {
	_tap_d=$1
	shift
	if "$@"; then tap_ok "$_tap_d"; else tap_fail "$_tap_d"; fi
}

tap_diag() { sed 's/^/#   /' "$@" | head -n 20; }

tap_plan() {
	TAP_PLANNED=${1:-}
	echo "1..${1:-$TAP_N}"
}

tap_skip_all() {
	[ -n "${1:-}" ] || { echo "Bail out! tap_skip_all without a reason"; exit 1; }
	echo "1..0 # SKIP $1"
}

tap_totals() { echo "# Totals: pass:$TAP_PASS fail:$TAP_FAIL skip:$TAP_SKIP"; }

tap_finish() {
	if [ -z "$TAP_PLANNED" ]; then tap_plan
	elif [ "$TAP_PLANNED" != "$TAP_N" ]; then
		echo "# planned $TAP_PLANNED tests, ran $TAP_N"
		TAP_FAIL=$((TAP_FAIL + 1))
	fi
	tap_totals
	[ "$TAP_FAIL" = 0 ] && exit 0
	exit 1
}
