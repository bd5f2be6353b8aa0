#!/usr/bin/env bash
# Host checks of the oomctl binary (run by `make test` after the unit tests):
# exit codes, the stock-kernel behaviour of this host, the tracefs fallback
# against a fake tracefs, dump, valgrind runs, man page, completion, install.
# Usage: tests/host.sh [--sanitized] ./oomctl tests/unit    Output: one TAP stream
# --sanitized: an ASan/UBSan build (tests/sanitized.sh): the checks of the
# binary only; valgrind, its size, the man page and install are the plain
# build's.
set -u
cd "$(dirname "$0")/.." || exit 1
sanitized=0
[ "$1" = --sanitized ] && { sanitized=1; shift; }
oomctl=$(realpath "$1")
unit=$(realpath "$2")
top=$(realpath ..)
. "$top/scripts/tap.sh"
tmp=$(mktemp -d /tmp/oomctl-host.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

tap_header
t() {	# description, then a command that must succeed
	local what=$1; shift
	if "$@" >"$tmp/t.out" 2>&1; then tap_ok "$what"; else
		tap_fail "$what"
		sed 's/^/#   /' "$tmp/t.out" | head -n 15
	fi
}
# Run oomctl: stdout to $tmp/out, stderr to $tmp/err, status in $rc
run() { rc=0; "$oomctl" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?; }
rc_is() {	# expected-status description oomctl-args...
	local want=$1 what=$2; shift 2
	run "$@"
	if [ "$rc" = "$want" ]; then tap_ok "$what: exit $want"; else
		tap_fail "$what: exit $rc, expected $want"
		sed 's/^/#   /' "$tmp/err" | head -n 5
	fi
}
has() { grep -qF -- "$2" "$1"; }
json_lines() {	# every line of the file is one JSON object
	python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    assert isinstance(json.loads(line), dict), line
    n += 1
assert n > 0
' "$1"
}
# Another TAP script's results, renumbered into this stream; its exit
# status 4 with "1..0 # SKIP why" is a skip of it all
merge_tap() {	# name command...
	local name=$1 results=0 line d; shift
	while IFS= read -r line; do
		case $line in
		"ok "*" # SKIP "*) d=${line#ok * - }; tap_skip "${d%% # SKIP *}" "${d#* # SKIP }" ;;
		"1..0 # SKIP "*) tap_skip "$name" "${line#1..0 # SKIP }" ;;
		"ok "*) tap_ok "${line#ok * - }" ;;
		"not ok "*) tap_fail "${line#not ok * - }" ;;
		"TAP version "* | [0-9]*..[0-9]* | "# Totals: "*) continue ;;
		*) echo "$line"; continue ;;
		esac
		results=$((results + 1))
	done < <("$@" 2>&1 || { rc=$?; [ $rc = 4 ] || echo "not ok 0 - $name exited $rc"; })
	[ $results -gt 0 ] || tap_fail "$name reported no results"
}
have_python=0
command -v python3 >/dev/null && python3 -c 'import json' 2>/dev/null && have_python=1

# --- valgrind: the unit tests -------------------------------------------------
vg() { valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	--error-exitcode=99 "$@"; }
have_vg=0
command -v valgrind >/dev/null && have_vg=1
if [ $sanitized = 1 ]; then
	echo "# sanitized build: no valgrind, size, man page or install checks (the plain pass has them)"
elif [ $have_vg = 1 ]; then
	rc=0; vg "$unit" >"$tmp/vg.out" 2>"$tmp/vg.err" || rc=$?
	if [ $rc = 0 ]; then tap_ok "valgrind: unit tests run clean (no errors, no leaks)"
	else tap_fail "valgrind: unit tests (exit $rc)"; sed 's/^/#   /' "$tmp/vg.err" | head -n 20; fi
else
	tap_skip "valgrind: unit tests" "valgrind is not installed"
fi

# --- the binary ---------------------------------------------------------------
if [ $sanitized = 0 ]; then
	strip -o "$tmp/stripped" "$oomctl"
	size=$(stat -c %s "$tmp/stripped")
	if [ "$size" -le 131072 ]; then tap_ok "size: $size bytes stripped (at most 128 KiB)"
	else tap_fail "size: $size bytes stripped, more than 128 KiB"; fi
fi
t "linked against libmnl" sh -c "ldd '$oomctl' | grep -q libmnl"

rc_is 0 "--help" --help
lists=$("$oomctl" __complete)
missing=
for w in $(echo "$lists" | awk '$1 == "commands" || $1 == "settings" || $1 ~ /options$/ { $1 = ""; print }'); do
	case $w in -?) continue ;; esac
	grep -qE -- "(^|[ ,])$w([ ,=]|$)" "$tmp/out" || missing="$missing $w"
done
if [ -z "$missing" ]; then tap_ok "--help names every command, setting and option of the tables"
else tap_fail "--help lacks:$missing"; fi
for s in on off forward reverse 'MS|DURATION'; do has "$tmp/out" "$s" || missing="$missing $s"; done
if [ -z "$missing" ]; then tap_ok "--help shows the setting values"; else tap_fail "--help lacks:$missing"; fi
t "--help documents exit codes 0-5" sh -c "grep -q 'Exit status: 0 ok, 1 failed, 2 usage' '$tmp/out' && grep -q '5 apply --check' '$tmp/out'"
t "--help says which settings can leave robust-futex waiters hanging" sh -c "grep -q 'Robust futexes: delay 0' '$tmp/out' && grep -q 'or frozen-bypass on can leave' '$tmp/out'"
rc_is 0 "-V" -V
has "$tmp/out" "oomctl " && tap_ok "-V prints the version" || tap_fail "-V prints the version"

# --- usage errors: exit 2, before any kernel contact ---------------------------
rc_is 2 "unknown option" --frobnicate
rc_is 2 "set without settings" set
rc_is 2 "set delay without a value" set delay
rc_is 2 "set delay soon" set delay soon
rc_is 2 "set delay out of u32 range" set delay 5000000000
rc_is 2 "set an unknown setting" set colour red
rc_is 2 "set a setting twice" set delay 1 delay 2
rc_is 2 "set frozen-bypass maybe" set frozen-bypass maybe
rc_is 2 "set order up" set order up
has "$tmp/err" "order: bad value 'up' (expected forward|reverse)" &&
	tap_ok "usage error names the setting and its values" || tap_fail "usage error message: $(cat "$tmp/err")"
rc_is 2 "show with an argument" show extra
rc_is 2 "a monitor option on show" show --count 1
rc_is 2 "monitor --count 0" monitor --count 0
rc_is 2 "monitor --events bogus" monitor --events bogus
rc_is 2 "monitor --timeout soon" monitor --timeout soon
rc_is 2 "apply - -: standard input twice" apply - -
rc_is 2 "apply --root DIR FILE" apply --root / x
rc_is 2 "apply --check --dry-run" apply --check --dry-run x

# --- policy files: validated completely before the kernel is asked ------------
printf 'delay = 250ms\nfrozen-bypass = on\norder = reverse\n' >"$tmp/good.conf"
printf '# fleet\ndelay = 250ms\ncolour = red\norder\n' >"$tmp/bad.conf"
rc_is 2 "apply a bad file" apply "$tmp/bad.conf"
if has "$tmp/err" "bad.conf:3: unknown key 'colour'" && has "$tmp/err" "bad.conf:4: expected KEY = VALUE"; then
	tap_ok "apply: every error, by file:line"
else tap_fail "apply errors: $(cat "$tmp/err")"; fi
rc_is 1 "apply a missing file" apply "$tmp/none.conf"
head -c 3000 /dev/urandom >"$tmp/junk.conf"
rc_is 2 "apply binary junk" apply "$tmp/junk.conf"
: >"$tmp/empty.conf"
rc_is 0 "apply an empty file: nothing to do" apply "$tmp/empty.conf"
# Drop-in directories under --root, sysctl.d, several files, provenance
. tests/host-policy.sh

# --- this host's kernel -----------------------------------------------------------
run -j show
source=$(sed -n 's/.*"source":"\([a-z-]*\)".*/\1/p' "$tmp/out")
if [ "$rc" = 0 ] && [ "$source" = built-in ]; then
	release=$(uname -r)
	# Which values a release has is tests/t_stock.c's table; here, that
	# show prints one of them, exit 0 (it printed the policy)
	tap_ok "stock kernel $release: show -j exits 0, source built-in"
	if [ $have_python = 1 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["delay_ms"] in (0, 2000) and d["frozen_bypass"] is False and d["source"] == "built-in", d
assert d["order"] in ("forward", "reverse"), d
' "$tmp/out"; then
		tap_ok "show -j: JSON with numbers and booleans"
	else tap_fail "show -j: $(cat "$tmp/out")"; fi
	run show
	if [ "$rc" = 0 ] && has "$tmp/err" 'has neither the "oom" netlink family nor the vm.oom_reap_* sysctls' &&
	   has "$tmp/err" "built-in policy"; then
		tap_ok "show: exit 0, says the policy is the kernel's built-in one"
	else tap_fail "show ($rc): $(cat "$tmp/err")"; fi
	if grep -qE '^delay  *(0|2000) ms$' "$tmp/out" && grep -q '^frozen-bypass  *off$' "$tmp/out" &&
	   grep -qE '^order  *(forward|reverse)$' "$tmp/out"; then
		tap_ok "show: the built-in policy of $release ($(awk 'NR > 1 { printf "%s%s", sep, $2; sep = ", " }' "$tmp/out"))"
	else tap_fail "show output: $(cat "$tmp/out")"; fi
	rc_is 3 "set on a stock kernel" set delay 250
	if has "$tmp/err" 'has no "oom" generic netlink family' && has "$tmp/err" "built in; a kernel with the oomctl patches"; then
		tap_ok "set: says what is missing and what is needed"
	else tap_fail "set message: $(cat "$tmp/err")"; fi
	rc_is 3 "reset on a stock kernel" reset
	rc_is 3 "stats on a stock kernel" stats
	has "$tmp/err" "/proc/vmstat" && tap_ok "stats: points at oom_kill in /proc/vmstat" || tap_fail "stats message"
	# What the kernel does already is no change; anything else cannot be done
	awk 'NR > 1 { print $1 " = " $2 }' "$tmp/out" >"$tmp/builtin.conf"
	rc_is 0 "apply a file of the built-in policy: nothing to change" apply "$tmp/builtin.conf"
	rc_is 0 "apply --check a file of the built-in policy" apply --check "$tmp/builtin.conf"
	rc_is 3 "apply a good file on a stock kernel" apply "$tmp/good.conf"
	rc_is 3 "apply --check on a stock kernel: it differs and cannot be changed" apply --check "$tmp/good.conf"
	has "$tmp/out" "delay: running" && has "$tmp/out" "file says 250 ms ($tmp/good.conf:1)" &&
		tap_ok "apply --check on a stock kernel: what differs, from which line" ||
		tap_fail "apply --check output: $(cat "$tmp/out")"
	rc=0; "$oomctl" apply - <"$tmp/good.conf" >/dev/null 2>&1 || rc=$?
	[ $rc = 3 ] && tap_ok "apply - reads stdin: exit 3" || tap_fail "apply - : exit $rc"
elif [ "$rc" = 0 ] && [ "$source" = sysctl ]; then
	tap_skip "stock kernel checks" "this kernel has the vm.oom_reap_* sysctls (the VM's vm-nonl stage tests them)"
else
	tap_skip "stock kernel checks" "this kernel has the oom family (show: exit $rc, source '$source')"
fi

# --- monitor: real tracefs, if this host has it mounted -----------------------
if [ -r /sys/kernel/tracing/events/oom/mark_victim/enable ] && [ -w /sys/kernel/tracing/instances ]; then
	rc_is 0 "monitor --tracefs --timeout 1s on this host's tracefs" monitor --tracefs --timeout 1s
	[ -n "$(find /sys/kernel/tracing/instances -maxdepth 1 -name 'oomctl.*')" ] &&
		tap_fail "monitor left its tracefs instance behind" || tap_ok "monitor removed its tracefs instance"
else
	tap_skip "monitor on this host's tracefs" "tracefs is not mounted or not writable here"
	if [ "$(cd /sys/kernel/tracing 2>/dev/null && ls)" = "" ]; then
		rc_is 3 "monitor without the family or tracefs" monitor --timeout 1s
		has "$tmp/err" "tracefs is not mounted" && tap_ok "monitor says tracefs is not mounted" ||
			tap_fail "monitor message: $(cat "$tmp/err")"
	fi
fi

# --- monitor: the tracefs fallback against a fake tracefs ---------------------
fake=$tmp/tracefs
. "$top/cli/tests/faketracefs.sh"
fake_tracefs "$fake" "$tmp/pipe.txt"
cp "$tmp/pipe.txt" "$fake/trace_pipe"
export OOMCTL_TRACEFS=$fake
run -j monitor
if [ "$rc" = 0 ] && [ "$(wc -l <"$tmp/out")" = 5 ]; then tap_ok "monitor -j (fake tracefs): 5 records, exit 0"
else tap_fail "monitor -j: exit $rc, $(wc -l <"$tmp/out") lines: $(cat "$tmp/err")"; fi
if [ $have_python = 1 ]; then
	t "monitor -j: every line is one JSON object" json_lines "$tmp/out"
	t "monitor -j: types, numbers, ISO time, lost count, boot_id in each, user" python3 -c '
import json, sys, re
ev = [json.loads(l) for l in open(sys.argv[1])]
assert [e["type"] for e in ev] == ["victim", "reap-wake", "lost", "reap-start", "reap-done"], ev
v = ev[0]
assert v["pid"] == 95 and v["comm"] == "tail" and v["anon_rss_kb"] == 33000 and v["oom_score_adj"] == 0, v
assert v["origin"] == "tracefs" and v["ts_mono_ns"] == 12345678000 and "seq" not in v, v
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", v["time"]), v["time"]
assert ev[2]["count"] == 3 and ev[2]["reason"] == "trace-buffer", ev[2]
boot = open("/proc/sys/kernel/random/boot_id").read().strip()
assert all(e["boot_id"] == boot for e in ev) and v["user"] == "root", ev
' "$tmp/out"
else
	tap_skip "monitor -j: JSON checks" "no python3"
fi
cp "$tmp/pipe.txt" "$fake/trace_pipe"
run monitor --count 2
if [ "$rc" = 0 ] && has "$tmp/out" "monitoring OOM events (victim,reap,policy,freed) via tracefs" &&
   [ "$(grep -c '^victim\|^reap-' "$tmp/out")" = 2 ]; then
	tap_ok "monitor --count 2: header, then two events, exit 0"
else tap_fail "monitor --count 2: exit $rc: $(cat "$tmp/out" "$tmp/err")"; fi
# A stock kernel has no oom:victim_freed: said once, at the start, when asked for
if [ "$(grep -c 'no oom:victim_freed trace event: freed events do not exist here' "$tmp/err")" = 1 ]; then
	tap_ok "monitor (stock tracefs, all classes): says once on stderr that freed events do not exist"
else tap_fail "monitor, stock tracefs: stderr: $(cat "$tmp/err")"; fi
cp "$tmp/pipe.txt" "$fake/trace_pipe"
run monitor --events freed
# (no family here either: exit 3)
if [ "$rc" = 3 ] && has "$tmp/err" "no oom:victim_freed: freed events do not exist in it" &&
   [ ! -s "$tmp/out" ]; then
	tap_ok "monitor --events freed (stock tracefs): nothing to follow, says why, exit 3"
else tap_fail "monitor --events freed, stock tracefs: exit $rc: $(cat "$tmp/out" "$tmp/err")"; fi
cp "$tmp/pipe.txt" "$fake/trace_pipe"
run monitor --events victim --count 1
if [ "$rc" = 0 ] && ! has "$tmp/err" "victim_freed"; then
	tap_ok "monitor --events victim (stock tracefs): no word of freed events"
else tap_fail "monitor --events victim, stock tracefs: exit $rc: $(cat "$tmp/err")"; fi
cp "$tmp/pipe.txt" "$fake/trace_pipe"
run monitor --count 2
grep -q '^victim pid=95 comm=tail uid=0 user=root oom_score_adj=0 anon_rss_kb=33000 .* total_vm_kb=70000' "$tmp/out" &&
	tap_ok "monitor: text line key=value, the user name after the uid" || tap_fail "monitor text: $(cat "$tmp/out")"
has "$tmp/out" ", boot $(cat /proc/sys/kernel/random/boot_id); Ctrl-C stops" &&
	tap_ok "monitor: the header names the boot" || tap_fail "monitor header: $(head -n 1 "$tmp/out")"
cp "$tmp/pipe.txt" "$fake/trace_pipe"
run -n monitor --events victim --timestamp
if [ "$rc" = 0 ] && [ "$(wc -l <"$tmp/out")" = 2 ] &&
   grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z victim pid=95' "$tmp/out" &&
   grep -q ' lost 3 events (trace-buffer)$' "$tmp/out"; then
	tap_ok "monitor -n --events victim --timestamp: no header, victim and lost only, timed"
else tap_fail "monitor --events victim: $(cat "$tmp/out")"; fi
cp "$tmp/pipe.txt" "$fake/trace_pipe"
rc_is 1 "monitor --count 9 on 4 events: the file ends first" monitor --count 9
if grep -q 1 "$fake"/events/oom/*/enable; then tap_fail "monitor left oom events enabled"
else tap_ok "monitor put the event enable files back"; fi

# A time stamp beyond 64 bits of ns (only a corrupt line has one) used to
# wrap and overflow into a garbage date: the event comes with the time of
# reading instead
printf '  a-1 [000] ..... 99999999999999999999.000000: mark_victim: pid=4\n' >"$fake/trace_pipe"
run -j monitor
if [ "$rc" = 0 ] && grep -q '"pid":4' "$tmp/out" && grep -q "\"time\":\"$(date -u +%Y)-" "$tmp/out"; then
	tap_ok "monitor -j: a trace line's out-of-range time stamp becomes the time of reading"
else tap_fail "monitor -j, out-of-range time stamp: exit $rc: $(cat "$tmp/out" "$tmp/err")"; fi

# A pipe that stays open: events reach stdout as they come, SIGTERM ends it
rm "$fake/trace_pipe"
mkfifo "$fake/trace_pipe"
exec 7<>"$fake/trace_pipe"	# a writer, so the reader never sees EOF
"$oomctl" -j monitor >"$tmp/live.out" 2>"$tmp/live.err" &
mon=$!
sleep 0.5
head -n 1 "$tmp/pipe.txt" >&7
for _ in $(seq 50); do [ -s "$tmp/live.out" ] && break; sleep 0.1; done
if [ "$(wc -l <"$tmp/live.out")" = 1 ]; then tap_ok "monitor -j: an event is written out at once (flushed)"
else tap_fail "monitor -j: nothing written within 5 s of the event"; fi
grep -q 1 "$fake/events/oom/mark_victim/enable" && tap_ok "monitor: event enabled while running" ||
	tap_fail "monitor: mark_victim not enabled while running"
kill -TERM $mon
rc=0; wait $mon || rc=$?
[ $rc = 0 ] && tap_ok "monitor: SIGTERM ends it cleanly, exit 0" || tap_fail "monitor after SIGTERM: exit $rc"
grep -q 1 "$fake"/events/oom/*/enable && tap_fail "monitor: events left enabled after SIGTERM" ||
	tap_ok "monitor: SIGTERM still puts the enable files back"
"$oomctl" monitor --timeout 300ms >/dev/null 2>&1; rc=$?
[ $rc = 0 ] && tap_ok "monitor --timeout 300ms: exit 0" || tap_fail "monitor --timeout: exit $rc"

enabled() {	# within 5 s: the monitor in the background has enabled $1
	for _ in $(seq 50); do grep -q 1 "$1" && return 0; sleep 0.1; done
	return 1
}
stop_monitor() {	# kill -$1 $mon; its exit status in rc, 137 if it did not end within 5 s
	kill -"$1" "$mon"
	for _ in $(seq 50); do
		# One that ended is a zombie until waited for
		case $(cut -d' ' -f3 "/proc/$mon/stat" 2>/dev/null) in Z | "") break ;; esac
		sleep 0.1
	done
	kill -KILL "$mon" 2>/dev/null
	rc=0; wait "$mon" || rc=$?
}
# A dropped ssh session (SIGHUP) and Ctrl-\ (SIGQUIT) end it as SIGTERM does.
# (This shell starts background jobs with SIGQUIT ignored: blocked by the
# monitor, it comes all the same.)
for sig in HUP QUIT; do
	"$oomctl" monitor >/dev/null 2>"$tmp/live.err" &
	mon=$!
	enabled "$fake/events/oom/mark_victim/enable"
	stop_monitor $sig
	if [ $rc = 0 ] && ! grep -q 1 "$fake"/events/oom/*/enable; then
		tap_ok "monitor: SIG$sig ends it cleanly (exit 0) and puts the enable files back"
	else tap_fail "monitor after SIG$sig: exit $rc, enable files: $(cat "$fake"/events/oom/*/enable | tr '\n' ' ')"; fi
done
[ "$(cat "$fake/buffer_size_kb")" = 1408 ] &&
	tap_ok "monitor at the top level leaves the size of the global trace buffer alone" ||
	tap_fail "monitor resized the global trace buffer: $(cat "$fake/buffer_size_kb")"
# nohup asks to survive a hangup: an ignored SIGHUP stays ignored
sh -c 'trap "" HUP; exec "$1" monitor' sh "$oomctl" >/dev/null 2>"$tmp/live.err" &
mon=$!
enabled "$fake/events/oom/mark_victim/enable"
kill -HUP $mon
sleep 0.5
if kill -0 $mon 2>/dev/null && grep -q 1 "$fake/events/oom/mark_victim/enable"; then
	tap_ok "monitor under nohup (SIGHUP ignored): a hangup leaves it running"
else tap_fail "monitor under nohup: a hangup stopped it"; fi
stop_monitor TERM
exec 7>&-

# With an instances directory: an instance of its own, its buffer sized down,
# removed at the end.  A real tracefs fills a new instance and removes it
# with what it holds; here a shell fills it for the pid it execs oomctl as,
# with a trace_pipe fifo that oomctl itself holds open for writing (so it
# never ends), and the test empties it before the signal.
mkdir "$fake/instances"
sh -c 'd=$1/instances/oomctl.$$
	mkdir -p "$d/events/oom/mark_victim"
	echo 0 >"$d/events/oom/mark_victim/enable"
	echo 1408 >"$d/buffer_size_kb"
	mkfifo "$d/trace_pipe"
	exec 8<>"$d/trace_pipe"
	exec "$2" monitor' sh "$fake" "$oomctl" >/dev/null 2>"$tmp/live.err" &
mon=$!
inst=$fake/instances/oomctl.$mon
if enabled "$inst/events/oom/mark_victim/enable"; then
	tap_ok "monitor: reads the events of its own tracefs instance"
else tap_fail "monitor: nothing enabled in $inst: $(cat "$tmp/live.err")"; fi
kb=$(cat "$inst/buffer_size_kb")
[ "$kb" = 64 ] && tap_ok "monitor: its instance's buffer is 64 KiB a CPU, not 1.4 MB" ||
	tap_fail "monitor: instance buffer_size_kb is $kb"
rm -rf "${inst:?}"/*
stop_monitor HUP
if [ $rc = 0 ] && [ ! -e "$inst" ]; then
	tap_ok "monitor: SIGHUP (a dropped ssh session) removes its tracefs instance, exit 0"
else tap_fail "monitor after SIGHUP: exit $rc, instance $( [ -e "$inst" ] && echo left behind || echo removed)"; fi
rm -rf "$fake/instances"
unset OOMCTL_TRACEFS

# --- write errors: output that did not reach stdout is a failure ----------------
full() {	# expected-status description oomctl-args...: stdout is /dev/full
	local want=$1 what=$2; shift 2
	rc=0; "$oomctl" "$@" >/dev/full 2>"$tmp/err" </dev/null || rc=$?
	if [ "$rc" = "$want" ] && has "$tmp/err" "write error on standard output: No space left on device"; then
		tap_ok "$what >/dev/full: exit $want, says so"
	else tap_fail "$what >/dev/full: exit $rc, expected $want: $(cat "$tmp/err")"; fi
}
full 1 "--help" --help
full 1 "-V" -V
run show	# a failed command keeps its own exit code
full "$([ "$rc" = 0 ] && echo 1 || echo "$rc")" "show (alone: exit $rc)" show
rm -f "$fake/trace_pipe"; cp "$tmp/pipe.txt" "$fake/trace_pipe"
OOMCTL_TRACEFS=$fake full 1 "monitor -j (fake tracefs)" -j monitor
# A pipe whose reader has gone: monitor ignores SIGPIPE (to clean up), so
# it sees EPIPE; that is no news to anyone: exit 1 without a message
rm -f "$fake/trace_pipe"; cp "$tmp/pipe.txt" "$fake/trace_pipe"
mkfifo "$tmp/gone"
exec 8<>"$tmp/gone" 9>"$tmp/gone" 8<&-
# (not freed: that a stock kernel has none of them is a message)
rc=0; OOMCTL_TRACEFS=$fake "$oomctl" -j monitor --events victim,reap,policy >&9 2>"$tmp/err" || rc=$?
exec 9>&-
if [ "$rc" = 1 ] && [ ! -s "$tmp/err" ]; then tap_ok "monitor -j into a pipe nobody reads: exit 1, no message"
else tap_fail "monitor -j into a closed pipe: exit $rc: $(cat "$tmp/err")"; fi

# --- systemd's oomctl(1): dump, other commands, --no-pager ---------------------------
merge_tap tests/systemd-oomctl.sh tests/systemd-oomctl.sh "$oomctl"

# --- stats -o prometheus, --textfile -------------------------------------------
. tests/host-prom.sh

# --- valgrind: real invocations -------------------------------------------------
if [ $sanitized = 1 ]; then
	:
elif [ $have_vg = 1 ]; then
	cp "$tmp/pipe.txt" "$fake/trace_pipe.txt"
	rm -f "$fake/trace_pipe"; cp "$tmp/pipe.txt" "$fake/trace_pipe"
	for args in "show" "-j -p show" "set delay 250 order forward" "reset" "stats" "stats --textfile /nonexistent" \
		    "apply $tmp/bad.conf" "apply --dry-run $tmp/good.conf" "--help" \
		    "monitor --timeout 200ms" "set bogus 1"; do
		rc=0
		# shellcheck disable=SC2086
		vg "$oomctl" $args >/dev/null 2>"$tmp/vg.err" || rc=$?
		if [ $rc != 99 ] && ! grep -q '^==' "$tmp/vg.err"; then tap_ok "valgrind: oomctl $args (exit $rc)"
		else tap_fail "valgrind: oomctl $args"; grep '^==' "$tmp/vg.err" | head -n 20 | sed 's/^/#   /'; fi
	done
	rc=0
	OOMCTL_TRACEFS=$fake vg "$oomctl" -j monitor >/dev/null 2>"$tmp/vg.err" || rc=$?
	if [ $rc = 0 ] && ! grep -q '^==' "$tmp/vg.err"; then tap_ok "valgrind: oomctl -j monitor (fake tracefs)"
	else tap_fail "valgrind: oomctl -j monitor (exit $rc)"; grep '^==' "$tmp/vg.err" | head -n 20 | sed 's/^/#   /'; fi
else
	tap_skip "valgrind: oomctl invocations" "valgrind is not installed"
fi

# --- man page ---------------------------------------------------------------------
man=$top/man/oomctl.8
if [ $sanitized = 1 ]; then
	:
elif ! command -v man >/dev/null; then
	tap_skip "man page" "man is not installed"
else
	warn=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null)
	[ -z "$warn" ] && tap_ok "man --warnings -l man/oomctl.8: no warnings" ||
		{ tap_fail "man page warnings"; echo "$warn" | head -n 10 | sed 's/^/#   /'; }
	LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$man" 2>/dev/null | col -b >"$tmp/man.txt"
	missing=
	for w in $(echo "$lists" | awk '$1 != "global-options" { $1 = ""; print }') \
		 $(echo "$lists" | awk '$1 == "global-options" { $1 = ""; print }'); do
		grep -qF -- "$w" "$tmp/man.txt" || missing="$missing $w"
	done
	[ -z "$missing" ] && tap_ok "man page names every command, option, setting and value" ||
		tap_fail "man page lacks:$missing"
	missing=
	for k in delay_ms frozen_bypass order delay_max_ms source type seq ts_mono_ns time origin \
		 pid tgid comm uid user memcg_id cgroup boot_id oom_score_adj frozen reason result \
		 attempts duration_us OOM_CGROUP_ID OOM_EVENT OOM_SCORE_ADJ MESSAGE_ID PRIORITY \
		 anon_rss_kb file_rss_kb shmem_rss_kb total_vm_kb pgtables_kb changed_via \
		 count victims queued_delay events_dropped latency_hist from_us \
		 to_us changes OOMCTL_TRACEFS vm.oom_reap_delay_ms vm.oom_reap_frozen_bypass \
		 vm.oom_reap_order 'process_mrelease(2)' 'sysctl(8)' 'oomctl(1)' systemd-oomd; do
		grep -qF -- "$k" "$tmp/man.txt" || missing="$missing $k"
	done
	[ -z "$missing" ] && tap_ok "man page documents the JSON keys, sysctls, environment, SEE ALSO" ||
		tap_fail "man page lacks:$missing"
	# policy notifications no longer say who changed the policy
	! grep -qE 'changer_(pid|uid)' "$tmp/man.txt" && tap_ok "man page: no changer_pid/changer_uid" ||
		tap_fail "man page still documents changer_pid/changer_uid"
	for code in 0 1 2 3 4 5; do
		grep -qE "^ +$code( |$)" "$tmp/man.txt" || missing="$missing $code"
	done
	[ -z "$missing" ] && tap_ok "man page: EXIT STATUS 0-5" || tap_fail "man page lacks exit codes:$missing"
fi

# --- bash completion ------------------------------------------------------------------
merge_tap tests/completion.bash bash tests/completion.bash "$oomctl" "$top/completions/oomctl"

# --- make install, make uninstall ------------------------------------------------------
[ $sanitized = 1 ] || merge_tap tests/install.sh tests/install.sh

tap_finish
