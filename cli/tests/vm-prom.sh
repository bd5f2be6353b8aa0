#!/usr/bin/env bash
# The real kernel's stats -o prometheus, carried out of the VM as "# prom| "
# lines by tests/guest-prom.sh (with "# prom-json| ", its oomctl -j stats),
# read by prometheus_client, promtool and node_exporter on the host.
# Usage: cli/tests/vm-prom.sh VM_TAP (build/logs/vm.tap)    Output: TAP
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/scripts/tap.sh"
. "$here/promlib.sh"
log=${1:?usage: vm-prom.sh VM_TAP}
tap_header
if ! grep -q '^OOMCTL-TEST oomctl-prom.sh$' "$log" 2>/dev/null; then
	tap_skip "VM stats -o prometheus by real parsers" \
		"the VM run did not run oomctl-prom.sh (FILTER=${FILTER:-})"
	tap_finish
fi
d=$(mktemp -d /tmp/oomctl-vmprom.XXXXXX)
trap 'rm -rf "$d"' EXIT
tr -d '\r' <"$log" | sed -n 's/^# prom| //p' >"$d/oomctl.prom"
tr -d '\r' <"$log" | sed -n 's/^# prom-json| //p' >"$d/stats.json"
if [ -s "$d/oomctl.prom" ] && [ "$(wc -l <"$d/stats.json")" = 1 ]; then
	tap_ok "the VM's stats -o prometheus and -j stats came back ($(wc -l <"$d/oomctl.prom") lines)"
	prom_setup "$top"
	prom_check "$d/oomctl.prom" "VM, real kernel: stats -o prometheus" "$d/stats.json"
else
	tap_fail "oomctl-prom.sh ran but printed no '# prom| ' block and one '# prom-json| ' line"
fi
tap_finish
