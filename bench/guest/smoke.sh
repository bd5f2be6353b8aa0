#!/bin/sh
# /tests/bench_smoke: every oombench section once, with tiny sizes, so that
# the benchmarks cannot rot.  A smoke test never asserts a time: a section
# passes when it ran to the end and produced records without an error.
out=/tmp/bench-smoke.jsonl
log=/tmp/bench-smoke.log
sections="order lmkd frozen delay ctl storm profile"
echo "TAP version 13"
echo "1..7"
n=0 bad=0
for s in $sections; do
	n=$((n + 1))
	: > $out
	BENCH_MODE=smoke BENCH_OUT=$out /bench/run "$s" > $log 2>&1
	rc=$?
	recs=$(grep -c "^@B {\"sec\":\"\($s\|${s%ile}\)\"" $out)
	if [ $rc = 0 ] && [ "$recs" -gt 0 ] && ! grep -q '"sec":"error"' $out; then
		echo "ok $n $s: $recs record(s)"
	else
		echo "not ok $n $s: rc=$rc, $recs record(s)"
		sed 's/^/# /' $log | tail -n 20
		grep '"sec":"error"' $out | sed 's/^/# /'
		bad=$((bad + 1))
	fi
	grep "^@B {\"sec\":\"$s\"" $out | head -n 2 | cut -c1-400 | sed 's/^/# /'
done
[ $bad = 0 ]
