# shellcheck shell=bash
# Real consumers of oomctl's Prometheus files, for tests/host.sh and
# tests/vm-prom.sh (bash, sourced after scripts/tap.sh):
#   prometheus_client's parser (tests/promcheck.py, Debian's python3),
#   promtool check metrics (Prometheus' own parser and linter), and
#   node_exporter's textfile collector, run as nobody and scraped.
# promtool and node_exporter come from Debian's prometheus and
# prometheus-node-exporter packages, extracted (not installed: no
# services) into build/prom-tools by prom_setup; downloaded once.
#
#   prom_setup TOP       find or fetch the tools; sets prom_py, promtool,
#                        node_exporter, or prom_why_* to why one is missing
#   prom_check FILE WHAT [STATS_JSON]   one TAP result per consumer (not
#                        node_exporter if PROM_NO_NODE_EXPORTER says why)

prom_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

prom_setup() {
	local dir=$1/build/prom-tools deb
	prom_py='' promtool='' node_exporter=''
	prom_why_py='' prom_why_tools=''
	# Debian's python3: a python3 first in PATH (pyenv) may not see it
	for p in /usr/bin/python3 python3; do
		if "$p" -c 'import prometheus_client' 2>/dev/null; then prom_py=$p; break; fi
	done
	[ -n "$prom_py" ] || prom_why_py="python3-prometheus-client is not installed (scripts/deps.sh)"
	if [ ! -x "$dir/usr/bin/promtool" ] || [ ! -x "$dir/usr/bin/prometheus-node-exporter" ]; then
		mkdir -p "$dir/debs"
		if ! (cd "$dir/debs" && apt-get download -q prometheus prometheus-node-exporter) \
			>"$dir/fetch.log" 2>&1; then
			prom_why_tools="apt-get download prometheus prometheus-node-exporter failed (no Debian mirror?): $(tail -n 1 "$dir/fetch.log")"
			return
		fi
		for deb in "$dir"/debs/*.deb; do
			dpkg-deb --fsys-tarfile "$deb" |
				tar -x -C "$dir" ./usr/bin/promtool ./usr/bin/prometheus-node-exporter 2>/dev/null
		done
		rm -rf "$dir/debs"
	fi
	if "$dir/usr/bin/promtool" --version >/dev/null 2>&1 &&
	   "$dir/usr/bin/prometheus-node-exporter" --version >/dev/null 2>&1; then
		promtool=$dir/usr/bin/promtool node_exporter=$dir/usr/bin/prometheus-node-exporter
	else
		prom_why_tools="promtool or node_exporter from Debian's packages does not run here"
	fi
}

# node_exporter as nobody on DIR's *.prom; its /metrics into OUT.
# 0, or 1 with the reason in OUT.
prom_scrape() {
	local dir=$1 out=$2 port pid
	for _ in 1 2 3; do
		port=$((20000 + RANDOM % 30000))
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$node_exporter" --collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$dir" --web.listen-address="127.0.0.1:$port" \
			>"$out.log" 2>&1 &
		pid=$!
		# Until it answers, or has died (a port in use)
		for _ in $(seq 100); do
			curl -sf "http://127.0.0.1:$port/metrics" >"$out" 2>/dev/null && break
			kill -0 $pid 2>/dev/null || break
			sleep 0.05
		done
		kill $pid 2>/dev/null
		wait $pid 2>/dev/null
		[ -s "$out" ] && return 0
	done
	cp "$out.log" "$out"
	return 1
}

prom_check() {
	local file=$1 what=$2 json=${3:-} d
	if [ -n "$prom_py" ]; then
		if "$prom_py" "$prom_here/promcheck.py" "$file" $json >"$file.py" 2>&1; then
			tap_ok "$what: prometheus_client parses it: names, types, cumulative buckets, +Inf = _count${json:+, the numbers of oomctl -j stats}" "$(cat "$file.py")"
		else tap_fail "$what: prometheus_client check"; sed 's/^/#   /' "$file.py" | head -n 20; fi
	else
		tap_skip "$what: prometheus_client check" "$prom_why_py"
	fi
	if [ -z "$promtool" ]; then
		tap_skip "$what: promtool check metrics, node_exporter" "$prom_why_tools"
		return
	fi
	if "$promtool" check metrics <"$file" >"$file.promtool" 2>&1; then
		tap_ok "$what: promtool check metrics: parsed and lint-clean"
	else tap_fail "$what: promtool check metrics"; sed 's/^/#   /' "$file.promtool" | head -n 20; fi
	[ -z "${PROM_NO_NODE_EXPORTER:-}" ] || return 0
	# node_exporter's textfile collector, as another user than the writer
	d=$(mktemp -d /tmp/oomctl-textfile.XXXXXX)
	chmod 755 "$d"
	cp -p "$file" "$d/oomctl.prom"
	if prom_scrape "$d" "$d/scrape" && grep -qx 'node_textfile_scrape_error 0' "$d/scrape" &&
	   { [ -z "$prom_py" ] || "$prom_py" "$prom_here/promcheck.py" --same "$file" "$d/scrape" >"$d/same" 2>&1; }; then
		tap_ok "$what: node_exporter (as nobody) reads every sample unchanged" "$(cat "$d/same" 2>/dev/null)"
	else
		tap_fail "$what: node_exporter's textfile collector"
		cat "$d/same" "$d/scrape" 2>/dev/null | grep -v '^#\|^go_\|^process_\|^promhttp' | sed 's/^/#   /' | head -n 20
	fi
	rm -rf "$d"
}
