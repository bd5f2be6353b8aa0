#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host-side checks of the "oom" netlink spec with the in-tree YNL tooling
# (the VM has no Python).  TAP on stdout, diagnostics as "#" lines.
#
#   selftests/netlink/check-spec.sh
#
# - the spec passes the genetlink schema (pyynl cli.py --validate);
# - what the spec says, for what the tests and the issue rely on: one seq and
#   a timestamp first in every notification, 64-bit values as uint (no pad
#   attributes), "events" needs CAP_SYS_ADMIN, netnsok false, policy-set
#   takes only the three knobs with their limits and is admin-perm,
#   policy-ntf has a set of its own without who changed the policy, the
#   histograms (kill -> reap, kill -> freed) are nested buckets with
#   explicit bounds, victim-freed-ntf says who, when and how;
# - every file generated from it (found by their YNL-GEN markers, as
#   tools/net/ynl/ynl-regen.sh does) regenerates byte for byte: the UAPI
#   header and the kernel glue in the series' tree, and the copy committed
#   here at include/uapi/linux/oom_netlink.h;
# - the generated kernel tables carry the group flag and netnsok (the stock
#   7.3 generator drops mcast group flags);
# - the YNL C library code for the family generates and compiles (-Werror),
#   and the RST documentation renders.
# Env: KSRC (default build/linux: the kernel tree with the series applied)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ksrc=${KSRC:-$top/build/linux}
spec_rel=Documentation/netlink/specs/oom.yaml
spec=$ksrc/$spec_rel
ynl=$ksrc/tools/net/ynl
gen=$ynl/pyynl/ynl_gen_c.py
committed=${UAPI_HEADER:-$top/include/uapi/linux/oom_netlink.h}

. "$top/scripts/tap.sh"
diag() { sed 's/^/# /'; }
check() {	# check "description" command...: ok iff the command succeeds
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then tap_ok "$what"; else tap_fail "$what"; fi
	[ -n "$out" ] && [ $rc != 0 ] && printf '%s\n' "$out" | head -n 30 | diag
	return $rc
}

tap_header
# The kernel tree is part of this project (make tree): without it, or with
# a tree that has no generator, nothing here can be checked: a failure.
if [ ! -f "$gen" ]; then
	tap_fail "YNL generator at ${gen#"$top"/} (make tree)"
	tap_finish
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
	tap_skip_all "python3 with PyYAML (python3-yaml) is not installed"
	exit 4
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$spec" ]; then
	tap_fail "spec $spec_rel is in the kernel tree"
	tap_finish
fi
tap_ok "spec $spec_rel is in the kernel tree"

# 1. Schema.
if python3 -c 'import jsonschema' 2>/dev/null; then
	check "spec validates against the genetlink schema" \
		python3 "$ynl/pyynl/cli.py" --spec "$spec" --validate
else
	tap_skip "spec validates against the genetlink schema" "python3-jsonschema is not installed"
fi

# 2. Semantics the tests and the issue rely on.
check "spec: notifications, groups, permissions and limits as specified" \
	python3 - "$ynl/pyynl" "$spec" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
from lib import SpecFamily
f = SpecFamily(sys.argv[2])
bad = []
def want(cond, msg):
    if not cond:
        bad.append(msg)
want(f.name == 'oom', f'family name {f.name}')
want(f.yaml.get('uapi-header') == 'linux/oom_netlink.h', 'uapi-header')
want(f.yaml.get('kernel-family', {}).get('netnsok') is False, 'kernel-family netnsok must be false')
groups = {g['name']: g for g in f.yaml['mcast-groups']['list']}
want(set(groups) == {'config', 'events'}, f'groups {sorted(groups)}')
want(groups.get('events', {}).get('flags') == ['cap-sys-admin'], 'events needs cap-sys-admin')
want(not groups.get('config', {}).get('flags'), 'config takes no flags')
consts = {c['name']: c for c in f.yaml['definitions'] if c['type'] == 'const'}
want(consts.get('reap-delay-max-ms', {}).get('value') == 10000, 'reap-delay-max-ms 10000')
ops = {o['name']: o for o in f.yaml['operations']['list']}
want({'policy-get', 'policy-set', 'stats-get'} <= set(ops), 'do commands')
ps = ops['policy-set']['do']['request']['attributes']
want(sorted(ps) == ['frozen-bypass', 'reap-delay-ms', 'reap-order'], f'policy-set takes {ps}')
pol = {a['name']: a for a in f.yaml['attribute-sets'][0]['attributes']} \
    if f.yaml['attribute-sets'][0]['name'] == 'policy' else {}
want(pol.get('reap-delay-ms', {}).get('checks', {}).get('max') == 'reap-delay-max-ms',
     'reap-delay-ms checks max reap-delay-max-ms')
want(pol.get('frozen-bypass', {}).get('checks', {}).get('max') == 1, 'frozen-bypass max 1')
want(pol.get('reap-order', {}).get('enum') == 'reap-order', 'reap-order is the enum')
ntfs = {'policy-ntf': 'config', 'victim-ntf': 'events',
        'reap-queued-ntf': 'events', 'reap-done-ntf': 'events',
        'victim-freed-ntf': 'events'}
for name, grp in ntfs.items():
    o = ops.get(name)
    want(o is not None, f'{name} missing')
    if not o:
        continue
    want(o.get('mcgrp') == grp, f'{name} goes to {o.get("mcgrp")}, not {grp}')
    attrs = o['event']['attributes']
    want(attrs[:2] == ['seq', 'timestamp-ns'], f'{name} starts with {attrs[:2]}')
    aset = {a['name']: a for s in f.yaml['attribute-sets'] if s['name'] == o['attribute-set']
            for a in s['attributes']}
    want(aset['seq']['type'] == 'uint' and aset['timestamp-ns']['type'] == 'uint',
         f'{name}: seq and timestamp-ns are uint')
want(ops['policy-set'].get('flags') == ['admin-perm'],
     'policy-set is admin-perm (CAP_NET_ADMIN before parsing)')
sets = {s['name']: {a['name']: a for a in s['attributes']} for s in f.yaml['attribute-sets']}
want(ops['policy-ntf']['attribute-set'] == 'policy-ntf', 'policy-ntf has its own attribute set')
want(sorted(sets.get('policy-ntf', {})) == sorted(['seq', 'timestamp-ns', 'reap-delay-ms',
     'frozen-bypass', 'reap-order', 'changed-via']),
     f'policy-ntf attributes {sorted(sets.get("policy-ntf", {}))}')
want(sorted(sets.get('policy', {})) == sorted(['reap-delay-ms', 'frozen-bypass', 'reap-order',
     'reap-delay-max-ms']), f'policy attributes {sorted(sets.get("policy", {}))}')
for sname, attrs in sets.items():
    for aname, a in attrs.items():
        want(a['type'] not in ('u64', 'pad'), f'{sname}.{aname} is {a["type"]}, not uint')
stats = ops['stats-get']['do']['reply']['attributes']
want('latency-bucket' in stats and 'events-dropped' in stats, 'stats-get reply')
for h in ('latency-bucket', 'freed-latency-bucket'):
    lb = sets.get('stats', {}).get(h, {})
    want(h in stats, f'stats-get reply has {h}')
    want(lb.get('type') == 'nest' and lb.get('multi-attr') is True and
         lb.get('nested-attributes') == 'latency-bucket', f'stats {h}: a multi-attr nest')
want({'freed-exit', 'freed-oom-reaper', 'freed-mrelease'} <= set(stats),
     'stats-get reply has the freed counters by way')
fr = ops.get('victim-freed-ntf', {}).get('event', {}).get('attributes', [])
want({'pid', 'tgid', 'comm', 'memcg-id', 'kill-to-freed-us', 'freed-kb', 'freed-by',
      'freed-exit-kb', 'freed-oom-reaper-kb', 'freed-mrelease-kb'} <= set(fr),
     f'victim-freed-ntf attributes {fr}')
want(sets.get('event', {}).get('freed-by', {}).get('enum') == 'freed-by', 'freed-by is the enum')
want(sorted(sets.get('latency-bucket', {})) == ['count', 'high-us', 'low-us'],
     'latency-bucket: low-us, high-us, count')
want(not any(c['name'] == 'latency-buckets' for c in f.yaml['definitions']),
     'no bucket-count constant in the UAPI')
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF

# 3. Regenerate every file that says it came from the spec.
regen() {	# regen FILE: regenerate like ynl-regen.sh does and compare
	local f=$1 mode kind args out
	read -r mode kind < <(sed -n 's@^/\* YNL-GEN \([a-z]*\) \([a-z]*\) \*/$@\1 \2@p' "$f")
	args=$(sed -n 's@^/\* YNL-ARG \(.*\) \*/$@\1@p' "$f")
	if [ -z "$mode" ]; then
		echo "no YNL-GEN marker in $f"
		return 1
	fi
	mkdir -p "$tmp/regen"
	out=$tmp/regen/$(basename "$f")
	# shellcheck disable=SC2086 # YNL-ARG holds several arguments
	python3 "$gen" --mode "$mode" "--$kind" --spec "$spec" $args -o "$out" || return 1
	if ! cmp -s "$out" "$f"; then
		echo "${f#"$top"/} differs from what $spec_rel generates ($mode $kind):"
		diff -u "$f" "$out" | head -n 40
		return 1
	fi
}
mapfile -t gen_files < <(cd "$ksrc" && grep -rlF --include='*.[ch]' "/*	$spec_rel */" \
	include/uapi mm kernel net lib 2>/dev/null | sort)
have_uapi=0 have_ksrc=0 have_khdr=0
for f in "${gen_files[@]}"; do
	case $(sed -n 's@^/\* YNL-GEN \([a-z]* [a-z]*\) \*/$@\1@p' "$ksrc/$f") in
	"uapi header") have_uapi=1 ;;
	"kernel source") have_ksrc=1; kernel_src=$ksrc/$f ;;
	"kernel header") have_khdr=1 ;;
	esac
	check "tree: $f regenerates from the spec byte for byte" regen "$ksrc/$f"
done
[ $have_uapi = 1 ] && tap_ok "tree: a UAPI header is generated from the spec" ||
	tap_fail "tree: a UAPI header is generated from the spec"
if [ $have_ksrc = 1 ] && [ $have_khdr = 1 ]; then
	tap_ok "tree: kernel glue (source + header) is generated from the spec"
else
	tap_fail "tree: kernel glue (source + header) is generated from the spec (found: ${gen_files[*]:-none})"
fi

# 4. The copy committed in this repository.
check "repo: include/uapi/linux/oom_netlink.h regenerates from the spec byte for byte" \
	regen "$committed"
if [ -f "$ksrc/include/uapi/linux/oom_netlink.h" ]; then
	check "repo: include/uapi/linux/oom_netlink.h is the series' header byte for byte" \
		cmp "$committed" "$ksrc/include/uapi/linux/oom_netlink.h"
else
	tap_fail "repo: include/uapi/linux/oom_netlink.h is the series' header (no include/uapi/linux/oom_netlink.h in the tree)"
fi

# 5. What the generated kernel tables must say.
if [ -n "${kernel_src:-}" ]; then
	check "kernel glue: \"events\" is GENL_MCAST_CAP_SYS_ADMIN, \"config\" has no flags" \
		bash -c 'grep -qE "\[OOM_NLGRP_EVENTS\] = \{ \"events\", \.flags = GENL_MCAST_CAP_SYS_ADMIN, \}" "$1" &&
			 grep -qE "\[OOM_NLGRP_CONFIG\] = \{ \"config\", \}" "$1"' _ "$kernel_src"
	check "kernel glue: .netnsok = false" grep -qE '^\s*\.netnsok\s*= false,' "$kernel_src"
	check "kernel glue: policy-set is GENL_ADMIN_PERM" \
		bash -c 'grep -A6 "\.cmd\s*= OOM_CMD_POLICY_SET," "$1" | grep -q "GENL_ADMIN_PERM"' _ "$kernel_src"
	check "kernel glue: policy-set limits (delay <= OOM_REAP_DELAY_MAX_MS, bypass/order <= 1)" \
		bash -c 'grep -q "\[OOM_A_POLICY_REAP_DELAY_MS\] = NLA_POLICY_MAX(NLA_U32, OOM_REAP_DELAY_MAX_MS)" "$1" &&
			 grep -q "\[OOM_A_POLICY_FROZEN_BYPASS\] = NLA_POLICY_MAX(NLA_U32, 1)" "$1" &&
			 grep -q "\[OOM_A_POLICY_REAP_ORDER\] = NLA_POLICY_MAX(NLA_U32, 1)" "$1"' _ "$kernel_src"
fi

# 6. The YNL C library for the family.
ygen() {
	python3 "$gen" --mode user --header --spec "$spec" -o "$tmp/oom-user.h" &&
	python3 "$gen" --mode user --source --spec "$spec" -o "$tmp/oom-user.c" &&
	gcc -std=gnu11 -O2 -W -Wall -Wextra -Wno-unused-parameter -Wshadow -Werror \
		-I"$tmp" -I"$ynl/lib" -idirafter "$ksrc/include/uapi" \
		-include "$committed" -c "$tmp/oom-user.c" -o "$tmp/oom-user.o"
}
check "YNL C library code for the family generates and compiles" ygen

# 7. Documentation.
check "RST documentation renders from the spec" \
	python3 "$ynl/pyynl/ynl_gen_rst.py" -i "$spec" -o "$tmp/oom.rst"

tap_finish
