#!/usr/bin/env bash
# make check's stage "docs": README's fleet story against docs/examples/.
#   README shows each example file as it is (the fenced block after its
#   "<!-- docs/examples/NAME -->" line); the Ansible playbook passes
#   --syntax-check and runs for real (ansible-playbook, connection local)
#   with a stand-in oomctl that records its arguments and answers
#   apply --check with 5, 0 or 3 (the claim is the playbook's logic: which
#   commands it runs, what it reports, in normal and in check mode); the
#   Vector configuration parses as TOML with the keys Vector needs, and is
#   validated by vector itself where it is installed (Vector and Fluent
#   Bit are not packaged in Debian 12); the journal fields the examples use
#   are the ones oomctl(8) documents; the cron line is a valid oomctl
#   command line.
# Usage: scripts/test-docs.sh        Output: TAP; about 20 s
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. scripts/tap.sh
tmp=$(mktemp -d /tmp/oomctl-docs.XXXXXX)
trap 'rm -rf --one-file-system "$tmp"' EXIT
tap_header
ok_if() {	# status description [log]
	if [ "$1" = 0 ]; then tap_ok "$2"; else
		tap_fail "$2"
		[ -z "${3:-}" ] || head -c 3000 "$3" | sed 's/^/#   /'
	fi
}
ex=docs/examples
py=python3

# --- README shows the files as they are ----------------------------------------------------
# The block after "<!-- docs/examples/NAME -->": its lines, fences removed
shown() {
	awk -v m="<!-- $1 -->" '
		$0 == m { want = 1; next }
		want && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' README.md
}
for f in "$ex"/*; do
	shown "$f" >"$tmp/shown"
	cmp -s "$tmp/shown" "$f"
	ok_if $? "README shows $f as it is" <(diff "$f" "$tmp/shown")
done
missing=
for m in $(sed -n 's/^<!-- \(docs\/examples\/[^ ]*\) -->$/\1/p' README.md); do
	[ -f "$m" ] || missing="$missing $m"
done
[ -z "$missing" ]
ok_if $? "every example README shows is a file${missing:+ (not:$missing)}"

# --- Ansible ----------------------------------------------------------------------------------
pb=$ex/ansible-oomctl.yml
if command -v ansible-playbook >/dev/null; then
	export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_HOME=$tmp/ansible \
		ANSIBLE_LOCAL_TEMP=$tmp/ansible/tmp ANSIBLE_REMOTE_TEMP=$tmp/ansible/rtmp
	rc=0; ansible-playbook -i localhost, --syntax-check "$pb" >"$tmp/syntax" 2>&1 || rc=$?
	ok_if $rc "ansible-playbook --syntax-check $pb" "$tmp/syntax"
	# The stand-in: logs its arguments, answers apply --check with fake.rc
	cat >"$tmp/oomctl" <<EOF
#!/bin/sh
echo "\$*" >>"$tmp/fake.log"
[ "\$*" = "apply --check" ] && exit \$(cat "$tmp/fake.rc")
exit 0
EOF
	chmod +x "$tmp/oomctl"
	play() {	# check-rc conf [ansible-playbook options]: recap in $recap, log in $calls
		echo "$1" >"$tmp/fake.rc"
		: >"$tmp/fake.log"
		rc=0
		ansible-playbook -i localhost, -c local -e ansible_become=false \
			-e ansible_python_interpreter=/usr/bin/python3 \
			-e oomctl="$tmp/oomctl" -e oomctl_conf="$2" "${@:3}" "$pb" >"$tmp/play" 2>&1 || rc=$?
		recap=$(sed -n 's/^localhost *: //p' "$tmp/play" | tr -s ' ')
		calls=$(paste -sd, "$tmp/fake.log")
	}
	conf=$tmp/etc/50-fleet.conf
	mkdir -p "$tmp/etc"
	play 5 "$conf"
	[ $rc = 0 ] && [ "$calls" = "apply --check,apply" ] && cmp -s "$conf" <(sed -n '/^    oomctl_policy: |$/,/^  tasks:$/p' "$pb" | sed '1d;$d;s/^      //') &&
		[[ $recap == "ok=4 changed=2 "*"failed=0 "* ]]
	ok_if $? "ansible: a host that drifted gets the file, then oomctl apply ($calls; $recap)" "$tmp/play"
	play 0 "$conf"
	[ $rc = 0 ] && [ "$calls" = "apply --check" ] && [[ $recap == "ok=3 changed=0 "*"failed=0 skipped=1 "* ]]
	ok_if $? "ansible: again, in sync: only apply --check, nothing changed ($calls; $recap)" "$tmp/play"
	play 5 "$tmp/etc/new.conf" --check
	[ $rc = 0 ] && [ "$calls" = "apply --check" ] && [ ! -e "$tmp/etc/new.conf" ] &&
		[[ $recap == "ok=3 changed=2 "*"failed=0 skipped=1 "* ]]
	ok_if $? "ansible --check: nothing written, no apply; the file and the drift (exit 5) reported changed ($recap)" "$tmp/play"
	play 3 "$conf"
	[ $rc != 0 ] && [ "$calls" = "apply --check" ] && [[ $recap == *"failed=1 "* ]]
	ok_if $? "ansible: apply --check exit 3 (a kernel without the oomctl patches) fails the host ($recap)" "$tmp/play"
else
	tap_fail "ansible-playbook is not installed (scripts/deps.sh installs ansible-core)"
fi

# --- Vector -------------------------------------------------------------------------------------
vec=$ex/vector.toml
unit=$($py - "$vec" <<'EOF' 2>"$tmp/vector.err"
import sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))
comps = {}
for kind in ("sources", "transforms", "sinks"):
    for name, v in c.get(kind, {}).items():
        assert "type" in v, f"{kind}.{name} has no type"
        comps[name] = (kind, v)
srcs = [v for k, v in comps.values() if k == "sources"]
assert len(srcs) == 1 and srcs[0]["type"] == "journald", srcs
units = srcs[0]["include_matches"]["_SYSTEMD_UNIT"]
for name, (kind, v) in comps.items():
    if kind == "sources":
        continue
    assert v["inputs"] and all(i in comps and comps[i][0] != "sinks" for i in v["inputs"]), \
        f"{name}: inputs {v['inputs']}"
assert any(k == "sinks" for k, v in comps.values()), "no sink"
print(" ".join(units))
EOF
)
rc=$?
ok_if $rc "Vector config parses as TOML: a journald source, every input defined, a sink" "$tmp/vector.err"
[ "$unit" = oomctl-monitor.service ] && [ -f "systemd/$unit.in" ] &&
	grep -qx 'ExecStart=@SBINDIR@/oomctl monitor -o journal' "systemd/$unit.in"
ok_if $? "Vector reads the unit that runs oomctl monitor -o journal ($unit)"
if command -v vector >/dev/null; then
	rc=0; vector validate --no-environment "$vec" >"$tmp/vv" 2>&1 || rc=$?
	ok_if $rc "vector validate $vec" "$tmp/vv"
else
	tap_skip "vector validate $vec" "Vector is not installed (not packaged in Debian 12; nor is Fluent Bit)"
fi

# --- the journal fields the examples name are oomctl(8)'s ---------------------------------------
man -l man/oomctl.8 2>/dev/null | col -b >"$tmp/man.txt"
fields=$(grep -ohE '\bOOM_[A-Z_]+' "$ex"/* README.md | sort -u)
missing=
for f in $fields; do grep -qw -- "$f" "$tmp/man.txt" || missing="$missing $f"; done
[ -n "$fields" ] && [ -z "$missing" ]
ok_if $? "the journal fields the examples and README name are in oomctl(8):${missing:- $(echo $fields)}"

# --- the cron line ------------------------------------------------------------------------------
cron=$ex/oomctl-prometheus.cron
line=$(grep -v '^#' "$cron" | grep -v '^$')
read -r -a w <<<"$line"
[ "$(grep -cv '^#\|^$' "$cron")" = 1 ] && [ "${#w[@]}" -ge 7 ] && [ "${w[5]}" = root ] &&
	[ "${w[6]}" = /usr/sbin/oomctl ]
ok_if $? "$cron: one line, five time fields, user root, /usr/sbin/oomctl"
make -s -C cli oomctl >"$tmp/make" 2>&1 || ok_if 1 "make -C cli oomctl" "$tmp/make"
args=("${w[@]:7}")
args[-1]=$tmp/textfile
mkdir -p "$tmp/textfile"
rc=0; cli/oomctl "${args[@]}" >"$tmp/stats" 2>&1 || rc=$?
[ $rc != 2 ]
ok_if $? "its command line is oomctl's, not a usage error (oomctl ${w[*]:7}: exit $rc here)" "$tmp/stats"
tap_finish
