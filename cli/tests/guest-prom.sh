#!/bin/sh
# stats -o prometheus and --textfile in the test VM (installed as
# /tests/oomctl-prom.sh; busybox sh, root): the real kernel's counters and
# histogram after real OOM kills, held to `oomctl -j stats` and to the
# sysctls; --textfile's atomic replacement and its failures (a full
# tmpfs, a read-only one, a file size limit, an unprivileged user): the
# old file intact, no temporary file left.  The guest has no Python: the
# output goes to the host as "# prom| " lines, where tests/vm-prom.sh
# hands it to prometheus_client, promtool and node_exporter.  TAP on stdout.
set -u
# cli/tests/guest-lib.sh (run, expect, check, has, jget, waitfor, ...) and scripts/tap.sh
. "${OOMCTL_GUEST_LIB:-/usr/share/oomctl/guest-lib.sh}"
out=/tmp/prom-t.out err=/tmp/prom-t.err
cg=/sys/fs/cgroup/oomctl-prom
vm=/proc/sys/vm
tf=/tmp/prom-textfile full=/tmp/prom-full

tap_header
# The value of a sample line of $out, by its name{labels}
pget() { awk -v s="$1" '$1 == s { print $2 }' "$out"; }

run show
if [ "$rc" = 3 ]; then
	tap_skip_all "no oom netlink family in this kernel"
	exit 4
fi

# Reaps with the delay 0 so that the oom_reaper reaps and the histogram
# counts; then a policy the gauges must show
oomctl set delay 0 >/dev/null
oom_kill
oom_kill
oomctl set delay 1500 frozen-bypass on order forward >/dev/null

run -j stats
json=$(cat "$out")
run stats -o prometheus
expect 0 "stats -o prometheus: exit 0"
cp "$out" /tmp/prom.txt

# The text format's structure, by awk: every sample after its family's
# TYPE; le increasing, buckets cumulative, +Inf last and equal to _count
check "every sample follows the TYPE line of its family, counters end in _total" awk '
	/^# TYPE / { fam = $3; type = $4; next }
	/^#/ { next }
	{ n = $1; sub(/\{.*/, "", n)
	  if (type == "histogram") ok = n == fam "_bucket" || n == fam "_sum" || n == fam "_count"
	  else ok = n == fam
	  if (!ok || (type == "counter" && n !~ /_total$/)) { print "bad: " $0; bad = 1 } }
	END { exit bad }' "$out"
check "histogram: le increasing, buckets cumulative, +Inf last and equal to _count" awk '
	/^oomctl_reap_latency_seconds_bucket/ {
		le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le)
		if (inf || (n && le != "+Inf" && le + 0 <= prev) || $2 + 0 < last) bad = 1
		if (le == "+Inf") { inf = 1; total = $2 }
		prev = le + 0; last = $2 + 0; n++ }
	/^oomctl_reap_latency_seconds_count / { count = $2 }
	END { exit bad || !inf || count != total || n != 24 }' "$out"

# The same numbers as oomctl -j stats
bad=
for kv in victims:oomctl_victims_total \
	  queued_delay:'oomctl_reap_queued_total{reason="delay"}' \
	  queued_zero_delay:'oomctl_reap_queued_total{reason="zero-delay"}' \
	  queued_frozen_bypass:'oomctl_reap_queued_total{reason="frozen-bypass"}' \
	  reaped:'oomctl_reap_done_total{result="reaped"}' \
	  exited_first:'oomctl_reap_done_total{result="exited-first"}' \
	  gave_up:'oomctl_reap_done_total{result="gave-up"}' \
	  mrelease_calls:oomctl_mrelease_calls_total events_dropped:oomctl_events_dropped_total \
	  freed_exit:'oomctl_freed_total{by="exit"}' \
	  freed_oom_reaper:'oomctl_freed_total{by="oom-reaper"}' \
	  freed_mrelease:'oomctl_freed_total{by="process-mrelease"}'; do
	k=${kv%%:*} s=${kv#*:}
	[ "$(jget "$k" "$json")" = "$(pget "$s")" ] || bad="$bad $k=$(jget "$k" "$json")/$(pget "$s")"
done
victims=$(pget oomctl_victims_total)
[ -z "$bad" ] && [ "$victims" -ge 2 ] &&
	tap_ok "counters: the kernel's, as -j stats has them ($victims victims, $(pget 'oomctl_reap_done_total{result="reaped"}') reaped)" ||
	tap_fail "counters against -j stats:$bad (victims $victims)"
# The per-bucket counts of one histogram of -j stats, summed
hsum() { printf '%s\n' "$json" | sed "s/.*\"$1\":\[//; s/\].*//" | grep -o '"count":[0-9]*' |
	 cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'; }
sum=$(hsum latency_hist)
[ "$sum" = "$(pget 'oomctl_reap_latency_seconds_bucket{le="+Inf"}')" ] &&
	tap_ok "le=\"+Inf\": the sum of -j stats' per-bucket counts ($sum)" ||
	tap_fail "+Inf $(pget 'oomctl_reap_latency_seconds_bucket{le="+Inf"}'), -j stats buckets sum to $sum"
check "no _sum: the kernel reports none" sh -c "! grep -q '^oomctl_reap_latency_seconds_sum' $out"
# kill -> freed: one observation per address space torn down, as counted by way
fsum=$(hsum freed_latency_hist)
freed=$(( $(pget 'oomctl_freed_total{by="exit"}') + $(pget 'oomctl_freed_total{by="oom-reaper"}') +
	  $(pget 'oomctl_freed_total{by="process-mrelease"}') ))
[ "$fsum" = "$(pget 'oomctl_freed_latency_seconds_bucket{le="+Inf"}')" ] &&
[ "$fsum" = "$(pget oomctl_freed_latency_seconds_count)" ] && [ "$fsum" = "$freed" ] && [ "$freed" -ge 2 ] &&
! grep -q '^oomctl_freed_latency_seconds_sum' "$out" &&
[ "$(grep -c '^oomctl_freed_latency_seconds_bucket{' "$out")" = 24 ] &&
	tap_ok "oomctl_freed_latency_seconds: 24 buckets, +Inf = _count = -j stats' freed_latency_hist ($fsum) = oomctl_freed_total summed, no _sum" ||
	{ tap_fail "freed histogram: +Inf $(pget 'oomctl_freed_latency_seconds_bucket{le="+Inf"}'), json $fsum, freed $freed"; grep freed "$out" | tap_diag; }
[ "$(pget oomctl_policy_reap_delay_seconds)" = 1.5 ] && [ "$(cat $vm/oom_reap_delay_ms)" = 1500 ] &&
[ "$(pget oomctl_policy_reap_frozen_bypass)" = 1 ] &&
[ "$(pget 'oomctl_policy_reap_order{order="forward"}')" = 1 ] &&
[ "$(pget 'oomctl_policy_reap_order{order="reverse"}')" = 0 ] &&
	tap_ok "policy gauges: 1.5 s, frozen-bypass 1, order forward, as the sysctls say" ||
	{ tap_fail "policy gauges"; grep policy "$out" | tap_diag; }
# For tests/vm-prom.sh on the host
sed 's/^/# prom| /' "$out"
printf '# prom-json| %s\n' "$json"

# ---------------- --textfile ----------------
mkdir -p $tf
run stats --textfile $tf
expect 0 "stats --textfile DIR: exit 0"
check "  prints nothing, writes DIR/oomctl.prom: what -o prometheus prints" \
	sh -c "[ ! -s $out ] && cmp -s $tf/oomctl.prom /tmp/prom.txt"
check "  mode 644, and no temporary file beside it" \
	sh -c "[ \"\$(stat -c %a $tf/oomctl.prom)\" = 644 ] && [ \"\$(ls -A $tf)\" = oomctl.prom ]"
ino=$(stat -c %i $tf/oomctl.prom)
exec 5<$tf/oomctl.prom	# a reader of the old file, as node_exporter may be
run stats --textfile $tf
check "  again: a new file renamed over the old one (inode $ino -> $(stat -c %i $tf/oomctl.prom)), the reader's intact" \
	sh -c "[ $rc = 0 ] && [ \"\$(stat -c %i $tf/oomctl.prom)\" != $ino ] && cmp -s /proc/self/fd/5 /tmp/prom.txt"
exec 5<&-

# Failures: the old file stays, no temporary file is left
mkdir -p $full
mount -t tmpfs -o size=8k tmpfs $full
echo "old 1" >$full/oomctl.prom
dd if=/dev/zero of=$full/fill bs=1k count=64 2>/dev/null	# fills it: ENOSPC
ls -A $full | tr '\n' ' ' >/tmp/prom.ls
run stats --textfile $full
expect 1 "--textfile on a full file system: exit 1"
check "  says No space left on device, old file intact, no temporary file" \
	sh -c "grep -q 'oomctl.prom: write: No space left on device (the old file' $err && [ \"\$(cat $full/oomctl.prom)\" = 'old 1' ] && [ \"\$(ls -A $full | tr '\n' ' ')\" = \"\$(cat /tmp/prom.ls)\" ]"
rm $full/fill
mount -o remount,ro $full
run stats --textfile $full
expect 1 "--textfile on a read-only file system: exit 1"
check "  says Read-only file system, old file intact" \
	sh -c "grep -q 'stats: --textfile $full: Read-only file system' $err && [ \"\$(cat $full/oomctl.prom)\" = 'old 1' ]"
umount $full
echo "old 1" >$tf/oomctl.prom
rc=0; (ulimit -f 1; exec oomctl stats --textfile $tf) >"$out" 2>"$err" || rc=$?
expect 1 "--textfile under a file size limit (ulimit -f 1): exit 1, not killed by SIGXFSZ"
check "  says File too large, old file intact, no temporary file" \
	sh -c "grep -q 'write: File too large' $err && [ \"\$(cat $tf/oomctl.prom)\" = 'old 1' ] && [ \"\$(ls -A $tf)\" = oomctl.prom ]"
chmod 755 $tf
rc=0; su oomtest -s /bin/sh -c "oomctl stats --textfile $tf" >"$out" 2>"$err" </dev/null || rc=$?
expect 4 "--textfile as oomtest in root's directory: permission denied, exit 4"
check "  says so, old file intact" \
	sh -c "grep -q 'stats: --textfile $tf: Permission denied' $err && [ \"\$(cat $tf/oomctl.prom)\" = 'old 1' ]"
rc=0; su oomtest -s /bin/sh -c "oomctl stats -o prometheus" >"$out" 2>"$err" </dev/null || rc=$?
expect 0 "stats -o prometheus as oomtest: stats and the policy are open to everyone"
rm -rf $tf $full
oomctl reset >/dev/null
tap_finish
