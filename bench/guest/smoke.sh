#!/bin/sh
# /tests/bench_smoke: every oombench section once, with tiny sizes, so that
# the benchmarks cannot rot.  A smoke test never asserts a time: a section
# passes when it ran to the end and produced records without an error.
# order, lmkd and sparse also run their THP-on configurations (a kernel
# without THP skips those and says so in a "thp" record, not a failure).
# scripts/tap.sh, which scripts/mkinitramfs.sh installs here
. "${OOMCTL_TAP_SH:-/usr/share/oomctl/tap.sh}"
out=/tmp/bench-smoke.jsonl
log=/tmp/bench-smoke.log
sections="order lmkd sparse frozen delay ctl storm profile starved stock robust cost exitcost freed"
tap_header
tap_plan $(echo $sections | wc -w)
for s in $sections; do
	: > $out
	BENCH_MODE=smoke BENCH_OUT=$out /bench/run "$s" > $log 2>&1
	rc=$?
	r=$s
	[ "$s" = cost ] && r=storm	# its blocks are the storm's phase "nonl-cmp"
	recs=$(grep -c "^@B {\"sec\":\"\($r\|${r%ile}\)\"" $out)
	if [ $rc = 0 ] && [ "$recs" -gt 0 ] && ! grep -q '"sec":"error"' $out; then
		tap_ok "$s: $recs record(s)"
	else
		tap_fail "$s: rc=$rc, $recs record(s)"
		sed 's/^/# /' $log | tail -n 20
		grep '"sec":"error"' $out | sed 's/^/# /'
	fi
	grep "^@B {\"sec\":\"$s\"" $out | head -n 2 | cut -c1-400 | sed 's/^/# /'
done
tap_finish
