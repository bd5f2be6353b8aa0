#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz/fuzz.mk: one a fuzz/*.c file, clang)
# and run each for SECONDS, from its committed seeds (fuzz/corpus/TARGET)
# and what earlier runs found (build/fuzz/corpus/TARGET: new inputs go
# there, never into the seeds), with fuzz/TARGET.dict if there is one.
# A crash, a leak, a hang or a sanitizer report fails, its input kept in
# build/fuzz/crashes/ (run build/fuzz/fuzz/TARGET FILE to see it again).
# Usage: fuzz/run.sh SECONDS [TARGET...]   Output: TAP, one result a target
set -u
cd "$(dirname "$0")/.." || exit 1
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
top=$(realpath ..)
. "$top/scripts/tap.sh"
out=build/fuzz
if [ $# -gt 0 ]; then targets=("$@")
else targets=(); for f in fuzz/*.c; do t=${f#fuzz/}; targets+=("${t%.c}"); done; fi

tap_header
if ! command -v clang >/dev/null; then
	tap_skip "fuzz: ${targets[*]}" "clang is not installed (scripts/deps.sh installs it)"
	tap_finish
fi
mkdir -p "$out/crashes" "$out/logs"
if ! ${MAKE:-make} -s --no-print-directory OBJDIR="$out" CC=clang SANITIZE=fuzzer fuzz-targets \
	>"$out/logs/build.log" 2>&1; then
	tap_fail "fuzz: clang -fsanitize=fuzzer,address,undefined builds the targets"
	tap_diag "$out/logs/build.log"
	tap_finish
fi
for t in "${targets[@]}"; do
	log=$out/logs/$t.log
	dict=()
	[ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
	mkdir -p "$out/corpus/$t"
	rc=0
	"$out/fuzz/$t" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$t-" "${dict[@]}" \
		"$out/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
	kept=$(find "$out/corpus/$t" "fuzz/corpus/$t" -type f | wc -l)
	if [ $rc = 0 ] && [ -n "$runs" ]; then
		tap_ok "fuzz: $t: $runs runs in ${took:-$secs} s, no crash (corpus $kept inputs)"
	else
		tap_fail "fuzz: $t: exit $rc after ${runs:-?} runs: $(grep -m1 -E 'ERROR|runtime error|deadly signal|Timeout' "$log")"
		grep -E -A 14 'ERROR|runtime error|deadly signal|Timeout' "$log" | tap_diag
		tap_diag <<<"input kept: $(ls -t "$out/crashes/$t-"* 2>/dev/null | head -n 1)"
	fi
done
tap_finish
