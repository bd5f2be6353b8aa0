# shellcheck shell=bash
# shellcheck disable=SC2154  # tmp, oomctl, unit, top, sanitized: tests/host.sh's
# Sourced by tests/host.sh (its helpers run, rc_is, has, t and $tmp,
# $oomctl, $unit, $top, $sanitized): stats -o prometheus and --textfile.
# This host's kernel has no oom family, so here: the bad --textfile paths
# (checked before the kernel is asked), and the writer's renderings of
# tests/t_prom.c, written by its --textfile code, read by real consumers.
# The VM writes the real kernel's (tests/guest-prom.sh, tests/vm-prom.sh).

# --- --textfile DIR: a clear error, its exit code, nothing created ------------
tf=$(mktemp -d /tmp/oomctl-textfile.XXXXXX)
chmod 755 "$tf"	# nobody may look, not write
nothing_in() { [ -z "$(ls -A "$1")" ]; }
rc_is 1 "stats --textfile, no such directory" stats --textfile "$tf/none"
t "  says so, creates nothing" sh -c "grep -qF 'stats: --textfile $tf/none: No such file or directory' '$tmp/err' && [ ! -e '$tf/none' ]"
rc_is 1 "stats --textfile, a file" stats --textfile /dev/null
t "  says it is not a directory" grep -qF "stats: --textfile /dev/null: Not a directory" "$tmp/err"
rc_is 1 "stats --textfile ''" stats --textfile ""
long=$tf$(printf '/%0200d' $(seq 21))	# 4221 bytes: more than PATH_MAX
rc_is 1 "stats --textfile, a path longer than PATH_MAX" stats --textfile "$long"
t "  says the name is too long" grep -qF "File name too long" "$tmp/err"
rc=0; setpriv --reuid=nobody --regid=nogroup --clear-groups "$oomctl" stats --textfile "$tf" \
	>"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
if [ $rc = 4 ] && has "$tmp/err" "stats: --textfile $tf: Permission denied" && nothing_in "$tf"; then
	tap_ok "stats --textfile, as nobody in root's directory: permission denied, exit 4, nothing written"
else tap_fail "stats --textfile as nobody: exit $rc, $(cat "$tmp/err")"; fi
# A read-only file system: a read-only bind mount in a mount namespace
rc=0; unshare -m sh -c 'mount -o bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
	exec "$2" stats --textfile "$1"' sh "$tf" "$oomctl" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
if [ $rc = 1 ] && has "$tmp/err" "stats: --textfile $tf: Read-only file system"; then
	tap_ok "stats --textfile on a read-only file system: says so, exit 1"
elif [ $rc != 1 ] && ! unshare -m true 2>/dev/null; then
	tap_skip "stats --textfile on a read-only file system" "no mount namespaces here (unshare -m); the VM test has it"
else tap_fail "stats --textfile, read-only: exit $rc, $(cat "$tmp/err")"; fi
rc_is 2 "-j stats --textfile" -j stats --textfile "$tf"
t "  says --textfile is Prometheus only" grep -qF "stats: --textfile writes the Prometheus format, not JSON" "$tmp/err"
rc_is 2 "stats -o text --textfile" stats -o text --textfile "$tf"
rc_is 2 "show --textfile" show --textfile "$tf"
rc_is 2 "stats --textfile without DIR" stats --textfile
run show
if [ "$rc" = 3 ]; then
	rc_is 3 "stats --textfile, a good directory, a stock kernel" stats --textfile "$tf"
	rc_is 3 "stats -o prometheus, a stock kernel" stats -o prometheus
fi
t "--textfile: no file, no temporary file left by any of these" nothing_in "$tf"
rm -rf "$tf"

# --- the renderings of tests/t_prom.c, by prometheus_client, promtool and
# node_exporter's textfile collector -----------------------------------------------
if [ "$sanitized" = 0 ]; then
	. tests/promlib.sh
	prom_setup "$top"
	pd=$(mktemp -d /tmp/oomctl-promdump.XXXXXX)
	chmod 755 "$pd"
	OOMCTL_PROM_DUMP=$pd "$unit" >"$pd/unit.out" 2>&1 ||
		{ tap_fail "OOMCTL_PROM_DUMP=$pd tests/unit"; tail -n 5 "$pd/unit.out" | sed 's/^/#   /'; }
	for c in full empty older policy policy-unknown units; do
		prom_check "$pd/$c/oomctl.prom" "stats -o prometheus ($c)"
	done
	# node_exporter keeps a bucket as a uint64: past 2^63 it has no right value
	PROM_NO_NODE_EXPORTER="node_exporter holds histogram buckets as uint64" \
		prom_check "$pd/huge/oomctl.prom" "stats -o prometheus (counts near UINT64_MAX)"
	rm -rf "$pd"
fi
