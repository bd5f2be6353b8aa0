#!/usr/bin/env bash
# Section 6, host side: what the series adds to the kernel and how big
# oomctl is.  Prints one JSON object on stdout.
#
# Kernel objects touched by the series (mm/oom_kill.o, kernel/freezer.o,
# mm/oom_netlink*.o), `size` (text/data/bss) of:
#   patched   build/kobj: the kernel the VM boots (CONFIG_OOM_NETLINK=y)
#   nonl      the same series built with CONFIG_OOM_NETLINK=n (family out)
#   base      the pristine tree (tag oomctl-base)
# nonl and base need two extra out-of-tree builds of just those objects
# (a `make prepare` each, a few minutes of CPU): they are built only with
# BENCH_FOOTPRINT_BUILD=1, into build/bench-fp/, and reused afterwards.
# Source for them: worktrees of build/linux at oomctl-base, the patched one
# with kernel/series applied by `git apply` (no commits in build/linux).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
fp=build/bench-fp
objs="mm/oom_kill.o kernel/freezer.o mm/oom_netlink.o mm/oom_netlink_autogen.o"
log() { printf 'footprint: %s\n' "$*" >&2; }

cc="gcc"
command -v ccache >/dev/null && cc="ccache gcc"
export CCACHE_BASEDIR=$top

# build_objs NAME SRC-SETUP-FUNCTION NETLINK(y|n)
build_objs() {
	local name=$1 setup=$2 nl=$3 src=$fp/src-$1 obj=$fp/obj-$1 stamp
	# Reused while what they were built from is the same
	stamp=$(git -C build/linux rev-parse --short oomctl-base)
	[ "$setup" = setup_patched ] && stamp+=" + kernel/series of $(git log -1 --format=%h -- kernel/)"
	if [ "$(cat "$obj/.done" 2>/dev/null)" = "$stamp" ]; then return 0; fi
	log "building $name objects (out of tree, $obj)"
	rm -rf "$src" "$obj"
	git -C build/linux worktree prune
	git -C build/linux worktree add -q --detach "$top/$src" oomctl-base
	"$setup" "$src"
	mkdir -p "$obj"
	cp build/kobj/.config "$obj/.config"
	if [ "$nl" = n ]; then
		sed -i 's/^CONFIG_OOM_NETLINK=y/# CONFIG_OOM_NETLINK is not set/' "$obj/.config"
	fi
	local mk=(make -s -C "$src" O="$top/$obj" CC="$cc" HOSTCC="$cc" -j"$(nproc)")
	"${mk[@]}" olddefconfig >/dev/null
	"${mk[@]}" prepare >/dev/null
	local want=()
	for o in $objs; do
		[ -f "$src/${o%.o}.c" ] || continue
		# compiled out: the netlink objects are not part of the build
		[ "$nl" = n ] && case $o in mm/oom_netlink*) continue ;; esac
		want+=("$o")
	done
	"${mk[@]}" "${want[@]}" >/dev/null
	echo "$stamp" > "$obj/.done"
	git -C build/linux worktree remove --force "$top/$src"
}
setup_base() { :; }
setup_patched() {
	local p
	while read -r p; do
		case "$p" in ''|\#*) continue ;; esac
		git -C "$1" apply --whitespace=nowarn "$top/kernel/$p"
	done < kernel/series
}

if [ "${BENCH_FOOTPRINT_BUILD:-0}" = 1 ]; then
	build_objs base setup_base y
	build_objs nonl setup_patched n
fi

# "name": {"text":..,"data":..,"bss":..} per object present in DIR
sizes() {
	local dir=$1 first=1
	printf '{'
	for o in $objs; do
		[ -f "$dir/$o" ] || continue
		read -r t d b _ < <(size "$dir/$o" | tail -n 1)
		[ $first = 1 ] || printf ','
		first=0
		printf '"%s":{"text":%s,"data":%s,"bss":%s}' "$o" "$t" "$d" "$b"
	done
	printf '}'
}

oomctl=build/guest/bin/oomctl
[ -x "$oomctl" ] || oomctl=cli/oomctl
osize=null ounstripped=null
if [ -x "$oomctl" ]; then
	tmp=$(mktemp)
	strip -o "$tmp" "$oomctl"
	osize=$(stat -c %s "$tmp")
	ounstripped=$(stat -c %s "$oomctl")
	rm -f "$tmp"
fi
bsize=null
[ -f build/kobj/vmlinux ] && bsize=$(size build/kobj/vmlinux | tail -n 1 | awk '{print "{\"text\":"$1",\"data\":"$2",\"bss\":"$3"}"}')

printf '{"sec":"footprint","oomctl_path":"%s","oomctl_stripped":%s,"oomctl_unstripped":%s,' \
	"$oomctl" "$osize" "$ounstripped"
printf '"oomctl_libs":"%s",' "$( (ldd "$oomctl" 2>/dev/null || true) | awk '$2 == "=>" {print $1}' | tr '\n' ' ')"
printf '"vmlinux":%s,' "$bsize"
printf '"patched":%s,' "$(sizes build/kobj)"
printf '"nonl":%s,' "$( [ -f $fp/obj-nonl/.done ] && sizes $fp/obj-nonl || echo null)"
printf '"base":%s,' "$( [ -f $fp/obj-base/.done ] && sizes $fp/obj-base || echo null)"
printf '"nonl_commit":"%s","base_commit":"%s"}\n' \
	"$(cat $fp/obj-nonl/.done 2>/dev/null || true)" "$(cat $fp/obj-base/.done 2>/dev/null || true)"
