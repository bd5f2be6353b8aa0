#!/usr/bin/env bash
# monitor -o journal against a real systemd-journald on this host, run
# privately: in a mount namespace of its own with tmpfs on /run/systemd,
# /run/log and /var/log/journal, so that the host's journal (if it has one)
# is never touched.  Read back with journalctl -o json.  The events are a
# stock kernel's, from a fake tracefs as in host.sh: this host's kernel has
# no oom family (the VM test, tests/guest-journal.sh, has real kills).
# Also what must fail: no journald, a dead one, libsystemd missing or
# broken, a journald that goes away while the monitor runs.
# Usage: tests/journal.sh ./oomctl         Output: TAP
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(realpath ..)
. "$top/scripts/tap.sh"
journald=/lib/systemd/systemd-journald
sock=/run/systemd/journal/socket

if [ "${1:-}" != --ns ]; then
	if [ ! -x $journald ] || ! command -v journalctl >/dev/null; then
		tap_header
		tap_skip_all "systemd-journald is not installed (scripts/deps.sh: systemd)"
		exit 0
	fi
	if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
		tap_header
		tap_skip_all "a private journald needs root and unshare -m"
		exit 0
	fi
	if ! command -v python3 >/dev/null; then
		tap_header
		tap_skip_all "python3 is not installed (reads journalctl -o json)"
		exit 0
	fi
	exec unshare -m --propagation private "$BASH" "$0" --ns "$(realpath "$1")"
fi
oomctl=$2
tmp=$(mktemp -d /tmp/oomctl-journal.XXXXXX)
jd=
trap '[ -n "$jd" ] && kill $jd 2>/dev/null; wait; rm -rf "$tmp"' EXIT

# run ARGS: oomctl's stdout in $tmp/out, stderr in $tmp/err, status in $rc
run() { rc=0; "$oomctl" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?; }
has() { grep -qF -- "$2" "$1"; }
# waitfor TENTHS CMD...: until CMD succeeds, every 0.1 s; 1 after TENTHS tries
waitfor() {
	local n=$1; shift
	until "$@"; do
		[ "$n" -gt 0 ] || return 1
		sleep 0.1; n=$((n - 1))
	done
}
start_journald() {
	rm -f $sock
	$journald >"$tmp/journald.log" 2>&1 &
	jd=$!
	waitfor 100 test -S $sock || echo "# journald did not make $sock within 10 s"
}
stop_journald() {	# its socket file stays: a dead journald, ECONNREFUSED
	kill $jd
	wait $jd 2>/dev/null
	jd=
}
entries() { journalctl -o json --no-pager SYSLOG_IDENTIFIER=oomctl 2>/dev/null; }
# journald takes what is queued on its socket in its own time: wait for N
has_entries() { [ "$(entries | wc -l)" -ge "$1" ]; }
in_journal() { entries | grep -q "\"OOM_PID\":\"$1\""; }

tap_header
if ldd "$oomctl" | grep -q libsystemd; then
	tap_fail "oomctl is not linked against libsystemd (it loads it for -o journal only)"
else tap_ok "oomctl is not linked against libsystemd (it loads it for -o journal only)"; fi

for d in /run/systemd /run/log /var/log/journal; do
	[ -d $d ] || continue
	mount -t tmpfs -o mode=755 tmpfs $d || { tap_fail "tmpfs on $d"; tap_finish; }
done
mkdir -p /run/systemd/journal

# A fake tracefs, as host.sh's: five records of a stock kernel's kill
fake=$tmp/tracefs
. "$top/cli/tests/faketracefs.sh"
fake_tracefs "$fake" "$tmp/pipe.txt"
export OOMCTL_TRACEFS=$fake
feed() { rm -f "$fake/trace_pipe"; cp "$tmp/pipe.txt" "$fake/trace_pipe"; }
untouched() { ! grep -q 1 "$fake"/events/oom/*/enable && [ "$(cat "$fake/trace_pipe")" = "$(cat "$tmp/pipe.txt")" ]; }

# --- no journal: a clear error before anything starts -------------------------
feed
run monitor -o journal
if [ $rc = 1 ] && [ ! -s "$tmp/out" ] && untouched &&
   has "$tmp/err" "monitor: -o journal: cannot reach systemd-journald at $sock: No such file or directory (is systemd-journald running?)"; then
	tap_ok "no journald (no $sock): says so, exit 1, no event read"
else tap_fail "no journald: exit $rc: $(cat "$tmp/err" "$tmp/out")"; fi
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])' $sock
run monitor --journal
if [ $rc = 1 ] && untouched && has "$tmp/err" "cannot reach systemd-journald at $sock: Connection refused"; then
	tap_ok "a dead journald (its socket left, nobody on it): Connection refused, exit 1"
else tap_fail "dead journald: exit $rc: $(cat "$tmp/err")"; fi
rm -f $sock

# --- libsystemd missing or broken: a clear error -------------------------------
mkdir "$tmp/badlib"
for _ in $(seq 100); do echo "not a library"; done >"$tmp/badlib/libsystemd.so.0"
rc=0; LD_LIBRARY_PATH=$tmp/badlib "$oomctl" monitor -o journal >"$tmp/out" 2>"$tmp/err" || rc=$?
if [ $rc = 1 ] && untouched && has "$tmp/err" "monitor: -o journal needs libsystemd.so.0: " &&
   has "$tmp/err" "invalid ELF header"; then
	tap_ok "a libsystemd.so.0 that is no library: says which and why, exit 1"
else tap_fail "bad libsystemd.so.0: exit $rc: $(cat "$tmp/err")"; fi
echo 'int sd_journal_print(int p, const char *f, ...) { (void)p; (void)f; return 0; }' >"$tmp/lib.c"
if cc -shared -fPIC -o "$tmp/badlib/libsystemd.so.0" "$tmp/lib.c" 2>"$tmp/err"; then
	rc=0; LD_LIBRARY_PATH=$tmp/badlib "$oomctl" monitor -o journal >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ $rc = 1 ] && untouched && has "$tmp/err" "needs libsystemd.so.0: " &&
	   has "$tmp/err" "undefined symbol: sd_journal_sendv"; then
		tap_ok "a libsystemd.so.0 without sd_journal_sendv: says so, exit 1"
	else tap_fail "libsystemd.so.0 without the symbol: exit $rc: $(cat "$tmp/err")"; fi
else tap_fail "cc -shared: $(cat "$tmp/err")"; fi
# Gone altogether: a copy of the library directory with just what oomctl
# links, over the real one, in a mount namespace of its own
libc=$(ldd "$oomctl" | awk '$1 ~ /^libc\.so/ { print $3 }')
libdir=$(dirname "$(realpath "$libc")")
found=$(ldconfig -p | awk '$1 == "libsystemd.so.0" && /x86-64/ { print $NF; exit }')
if [ -z "$found" ] || [ "$(dirname "$(realpath "$found")")" != "$libdir" ]; then
	tap_skip "libsystemd.so.0 missing" "it is not in $libdir here, where libc is"
else
	mkdir "$tmp/libs"
	for l in $(ldd "$oomctl" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		cp -L "$l" "$tmp/libs/$(basename "$(realpath "$l")")"
		[ "$(basename "$l")" = "$(basename "$(realpath "$l")")" ] ||
			ln -s "$(basename "$(realpath "$l")")" "$tmp/libs/$(basename "$l")"
	done
	rc=0
	unshare -m --propagation private "$BASH" -c 'mount --bind "$1" "$2" && exec "$3" monitor -o journal' \
		sh "$tmp/libs" "$libdir" "$oomctl" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ $rc = 1 ] && untouched &&
	   has "$tmp/err" "monitor: -o journal needs libsystemd.so.0: libsystemd.so.0: cannot open shared object file: No such file or directory"; then
		tap_ok "libsystemd.so.0 not installed: says so, exit 1"
	else tap_fail "no libsystemd.so.0: exit $rc: $(cat "$tmp/err")"; fi
fi

# --- a real journald: every record, every field --------------------------------
start_journald
feed
# (not freed: this stock tracefs has none, which monitor says on stderr)
run monitor -o journal --events victim,reap,policy
mon_rc=$rc; cp "$tmp/err" "$tmp/mon.err"
feed
run -n monitor
cp "$tmp/out" "$tmp/text"
feed
run -j monitor
cp "$tmp/out" "$tmp/json"
waitfor 100 has_entries 5 || echo "# fewer than 5 entries in the journal after 10 s"
entries >"$tmp/entries"
if [ $mon_rc = 0 ] && [ ! -s "$tmp/mon.err" ] && [ "$(wc -l <"$tmp/entries")" = 5 ]; then
	tap_ok "monitor -o journal: five records, five journal entries, exit 0, nothing on stdout or stderr"
else tap_fail "monitor -o journal: exit $mon_rc, $(wc -l <"$tmp/entries") entries: $(cat "$tmp/mon.err")"; fi
python3 - "$tmp/entries" "$tmp/text" "$tmp/json" "$top/man/oomctl.8" >"$tmp/py.out" 2>&1 <<'EOF'
import json, re, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
text = [l.rstrip("\n") for l in open(sys.argv[2])]
objs = [json.loads(l) for l in open(sys.argv[3])]
# The MESSAGE_ID table of oomctl(8)
ids = dict((m.group(1).replace("\\-", "-"), m.group(2)) for m in
           re.finditer(r"^(\S+) +([0-9a-f]{32})$", open(sys.argv[4]).read(), re.M))
boot = open("/proc/sys/kernel/random/boot_id").read().strip()
renamed = {"type": "OOM_EVENT", "memcg_id": "OOM_CGROUP_ID", "oom_score_adj": "OOM_SCORE_ADJ"}
prio = {"victim": "4", "lost": "4", "reap-wake": "6", "reap-start": "6", "reap-done": "6"}
def check(what, cond):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)
check("the same records", [o["type"] for o in objs] == [e["OOM_EVENT"] for e in entries]
      == ["victim", "reap-wake", "lost", "reap-start", "reap-done"])
check("oomctl(8) has 9 MESSAGE_IDs", len(ids) == 9)
for e, o, t in zip(entries, objs, text):
    ty = o["type"]
    check(ty + ": MESSAGE is the text line", e["MESSAGE"] == t)
    check(ty + ": MESSAGE_ID of oomctl(8)", e["MESSAGE_ID"] == ids[ty])
    check(ty + ": PRIORITY", e["PRIORITY"] == prio[ty])
    check(ty + ": SYSLOG_IDENTIFIER, native protocol",
          e["SYSLOG_IDENTIFIER"] == "oomctl" and e["_TRANSPORT"] == "journal")
    check(ty + ": OOM_BOOT_ID is this boot, journald's _BOOT_ID",
          e["OOM_BOOT_ID"] == boot == o["boot_id"] and e["_BOOT_ID"] == boot.replace("-", ""))
    want = dict((renamed.get(k, "OOM_" + k.upper()),
                 ("on" if v else "off") if isinstance(v, bool) else str(v)) for k, v in o.items())
    got = dict((k, v) for k, v in e.items() if k.startswith("OOM_"))
    if ty == "lost":	# stamped when read: by each run at its own time
        for k in "OOM_TS_MONO_NS", "OOM_TIME":
            want[k] = got.get(k)
    check(ty + ": one OOM_ field per JSON key, the same values: %s != %s" % (got, want), got == want)
v = entries[0]
check("victim fields", v["OOM_PID"] == "95" and v["OOM_COMM"] == "tail" and v["OOM_UID"] == "0" and
      v["OOM_USER"] == "root" and v["OOM_TS_MONO_NS"] == "12345678000" and v["OOM_ORIGIN"] == "tracefs")
check("lost fields", entries[2]["OOM_COUNT"] == "3" and entries[2]["OOM_REASON"] == "trace-buffer")
EOF
if [ $? = 0 ]; then
	tap_ok "journalctl -o json: MESSAGE the text line, MESSAGE_ID of oomctl(8), PRIORITY, SYSLOG_IDENTIFIER, OOM_BOOT_ID = _BOOT_ID, one OOM_ field per JSON key with its value"
else tap_fail "journal entries: $(cat "$tmp/py.out")"; tap_diag "$tmp/entries"; fi

feed
run monitor --journal --count 1
waitfor 100 has_entries 6 || echo "# fewer than 6 entries in the journal after 10 s"
n=$(entries | wc -l)
if [ $rc = 0 ] && [ "$n" = 6 ] && entries | tail -n 1 | grep -q '"OOM_EVENT":"victim"'; then
	tap_ok "monitor --journal is -o journal (--count 1: one more entry)"
else tap_fail "monitor --journal: exit $rc, $n entries: $(cat "$tmp/err")"; fi

if command -v valgrind >/dev/null; then
	feed
	rc=0
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
		--error-exitcode=99 "$oomctl" monitor -o journal >/dev/null 2>"$tmp/vg.err" || rc=$?
	if [ $rc = 0 ] && ! grep -q '^==' "$tmp/vg.err"; then tap_ok "valgrind: oomctl monitor -o journal"
	else tap_fail "valgrind: oomctl monitor -o journal (exit $rc)"; tap_diag "$tmp/vg.err"; fi
else
	tap_skip "valgrind: oomctl monitor -o journal" "valgrind is not installed"
fi

# --- journald goes away and comes back while the monitor runs --------------------
rm -f "$fake/trace_pipe"
mkfifo "$fake/trace_pipe"
exec 7<>"$fake/trace_pipe"	# a writer, so the reader never sees EOF
victim() { echo "  tail-$1 [001] d..1. 20.0000$1: mark_victim: pid=$1 comm=tail uid=0" >&7; }
"$oomctl" monitor -o journal --events victim >"$tmp/live.out" 2>"$tmp/live.err" &
mon=$!
victim 201
waitfor 100 in_journal 201 || echo "# pid 201 not in the journal within 10 s"
stop_journald
victim 202
waitfor 100 grep -q "the journal refused a record: Connection refused" "$tmp/live.err" ||
	echo "# no refusal within 10 s"
start_journald
victim 203
waitfor 100 in_journal 203 || echo "# pid 203 not in the journal within 10 s"
entries | python3 -c '
import json, sys
e = [json.loads(l) for l in sys.stdin][-3:]
got = [(x["OOM_EVENT"], x.get("OOM_PID"), x.get("OOM_COUNT"), x.get("OOM_REASON"), x["PRIORITY"]) for x in e]
want = [("victim", "201", None, None, "4"), ("lost", None, "1", "journal", "4"), ("victim", "203", None, None, "4")]
sys.exit(0 if got == want else print(got) or 1)' >"$tmp/py.out" 2>&1
if [ $? = 0 ] && ! in_journal 202 &&
   has "$tmp/live.err" "the journal takes records again; 1 were lost, a lost record says so"; then
	tap_ok "journald stopped and started again: the record it refused becomes a lost entry (reason journal, count 1) before the next one"
else tap_fail "journald restarted: $(cat "$tmp/py.out" "$tmp/live.err")"; fi
# Gone with its socket: libsystemd drops records silently then (ENOENT)
stop_journald
rm $sock
victim 204
waitfor 100 grep -q "the journal refused a record: No such file or directory" "$tmp/live.err" ||
	echo "# no second refusal within 10 s"
kill -TERM $mon
rc=0; wait $mon || rc=$?
exec 7>&-
if [ $rc = 1 ] && [ ! -s "$tmp/live.out" ] &&
   has "$tmp/live.err" "monitor: the journal refused records to the end, 1 lost: No such file or directory"; then
	tap_ok "journald and its socket gone at the end (libsystemd would drop the record silently): the loss is said on stderr, exit 1"
else tap_fail "journald gone at the end: exit $rc: $(cat "$tmp/live.err")"; fi
tap_finish
