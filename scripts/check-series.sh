#!/usr/bin/env bash
# Checks of the kernel series itself, as TAP on stdout:
#  - kernel/series applies with git am to the pristine tree (oomctl-base);
#  - every patch is checkpatch --strict clean;
#  - every patch compiles the objects the series touches with W=1 and
#    sparse (C=1, the sparse of scripts/build-sparse.sh: Debian's 0.6.4 with
#    __typeof_unqual__) and adds no warning over the pristine tree;
#  - the spec checks of selftests/netlink/check-spec.sh on the series as
#    applied (schema, regeneration byte for byte, the UAPI copy here);
#  - the patched generator emits for every other family what it did before.
# Works in a throwaway worktree of build/linux (build/series) so that the
# editable tree is never touched.  Full builds of each patch: see README.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
wt=$top/build/series
obj=$top/build/series-obj
. "$top/scripts/tap.sh"
log() { printf 'check-series: %s\n' "$*" >&2; }
# checkpatch's SPDX check wants Debian's python3 (ply, git modules).
export PATH=/usr/bin:$PATH
cc=gcc; command -v ccache >/dev/null && cc="ccache gcc"
export CCACHE_BASEDIR=$top

tap_header
# build/linux made, or its interrupted set-up finished (its oomctl-base is used here)
TREE=$tree "$top/scripts/prepare-tree.sh" --ensure >&2 ||
	{ tap_fail "build/linux is a complete set-up (scripts/prepare-tree.sh --ensure)"; tap_finish; }

git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git -C "$tree" worktree prune
git -C "$tree" worktree add -q --detach "$wt" oomctl-base >&2
gitw() { git -C "$wt" -c user.name=oomctl -c user.email=oomctl@localhost "$@"; }

mapfile -t patches < <(grep -v '^\s*\(#\|$\)' "$top/kernel/series")
applied=1
for p in "${patches[@]}"; do
	gitw am -q --keep-cr "$top/kernel/$p" >&2 || { applied=0; gitw am --abort >/dev/null 2>&1; break; }
done
tap_check "${#patches[@]} patches apply with git am to oomctl-base" [ $applied = 1 ]
[ $applied = 1 ] || tap_finish

for p in "${patches[@]}"; do
	out=$(cd "$wt" && ./scripts/checkpatch.pl --strict --terse "$top/kernel/$p" 2>&1 |
	      grep -E ': (ERROR|WARNING|CHECK):')
	tap_check "checkpatch --strict clean: $p" [ -z "$out" ]
	[ -z "$out" ] || sed 's/^/#   /' <<<"$out"
done

# The .c files the series touches, and a config in which all of them build.
mapfile -t cfiles < <(gitw diff --name-only oomctl-base HEAD -- '*.c' | grep -v '^tools/')
mk() { make -s -C "$wt" O="$obj" CC="$cc" HOSTCC="$cc" -j"$(nproc)" "$@"; }
# Linux 7.3's checker-valid.sh wants a sparse that knows __typeof_unqual__;
# Debian's 0.6.4 (bookworm and trixie) does not, and kbuild then silently
# drops C=.  build-sparse.sh patches it (cached after the first run); the
# kernel's own test must accept it, or the run below would not be a sparse
# run at all.
sparse_ok=0
if sparse=$("$top/scripts/build-sparse.sh"); then
	[ "$(sh "$wt/scripts/checker-valid.sh" "$sparse" -m64 2>/dev/null)" = 1 ] && sparse_ok=1
	tap_check "sparse $(basename "$(dirname "$sparse")") passes Linux's scripts/checker-valid.sh" \
		[ $sparse_ok = 1 ]
else
	tap_fail "scripts/build-sparse.sh builds a sparse for Linux 7.3 (log: stderr)"
fi
checker=W=1; [ $sparse_ok = 1 ] && checker="W=1 and sparse"
sparse_args=(); [ $sparse_ok = 1 ] && sparse_args=(C=1 CHECK="$sparse")
# The VM config for the tree state checked out now (the fragment names
# options that only exist from some patch on).
config() {
	mk tinyconfig >/dev/null 2>&1
	KCONFIG_CONFIG="$obj/.config" "$wt/scripts/kconfig/merge_config.sh" -m -O "$obj" \
		"$obj/.config" "$top/kernel/vm.config" >/dev/null 2>&1
	mk olddefconfig >/dev/null 2>&1
}
# Warnings of one tree state, line numbers dropped so that moved code matches.
warnings() {
	local f objs=()
	for f in "${cfiles[@]}"; do
		[ -f "$wt/$f" ] || continue
		objs+=("${f%.c}.o"); rm -f "$obj/${f%.c}.o"
	done
	mk W=1 "${sparse_args[@]}" "${objs[@]}" 2>&1 | grep -iE 'warning|error' |
		sed -E 's/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/; s/:[0-9]+ / /' | sort -u
}
mkdir -p "$obj"
head=$(gitw rev-parse HEAD)
gitw checkout -q oomctl-base
log "$checker baseline on the pristine tree"
config && mk prepare >/dev/null 2>&1
base_warn=$(warnings)
i=0
for c in $(gitw rev-list --reverse oomctl-base.."$head"); do
	i=$((i + 1))
	gitw checkout -q "$c"
	# Reconfiguring is slow; only a patch that touches Kconfig needs it.
	gitw diff --quiet "$c~1" "$c" -- '*Kconfig*' || config
	log "$checker patch $i"
	w=$(warnings)
	new=$(comm -13 <(echo "$base_warn") <(echo "$w"))
	tap_check "patch $i compiles the ${#cfiles[@]} touched files with $checker, no new warnings" [ -z "$new" ]
	[ -z "$new" ] || sed 's/^/#   /' <<<"$new" | head -20
done
# The family is optional: with CONFIG_OOM_NETLINK=n the rest must build alone.
log "$checker, CONFIG_OOM_NETLINK=n"
grep -v '^CONFIG_OOM_NETLINK=' "$top/kernel/vm.config" >"$obj/no-netlink.config"
echo '# CONFIG_OOM_NETLINK is not set' >>"$obj/no-netlink.config"
w=$(mk tinyconfig >/dev/null 2>&1
    KCONFIG_CONFIG="$obj/.config" "$wt/scripts/kconfig/merge_config.sh" -m -O "$obj" \
	"$obj/.config" "$obj/no-netlink.config" >/dev/null 2>&1
    mk olddefconfig >/dev/null 2>&1
    objs=(); for f in "${cfiles[@]}"; do case $f in mm/oom_netlink*) ;; *) objs+=("${f%.c}.o"); rm -f "$obj/${f%.c}.o";; esac; done
    mk W=1 "${sparse_args[@]}" "${objs[@]}" 2>&1 | grep -iE 'warning|error' |
	sed -E 's/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/; s/:[0-9]+ / /' | sort -u)
new=$(comm -13 <(echo "$base_warn") <(echo "$w"))
off=$(grep -c '^CONFIG_OOM_NETLINK=y' "$obj/.config")
tap_check "with CONFIG_OOM_NETLINK=n the other touched files compile with $checker, no new warnings" test -z "$new" -a "$off" = 0
[ -z "$new" ] || sed 's/^/#   /' <<<"$new" | head -20

# The spec and everything generated from it, checked on the series as
# applied here (selftests/netlink/check-spec.sh; its results join this stream).
spec_results=0
while IFS= read -r line; do
	case $line in
	"ok "*" # SKIP "*) d=${line#ok * - }; d=${d#spec: }; tap_skip "${d%% # SKIP *}" "${d#* # SKIP }" ;;
	"ok "*)		d=${line#ok * - }; tap_ok "${d#spec: }" ;;
	"not ok "*)	d=${line#not ok * - }; tap_fail "${d#spec: }" ;;
	"1..0 # SKIP "*) tap_skip "spec checks (check-spec.sh)" "${line#1..0 # SKIP }" ;;
	"# Totals: "*)	continue ;;	# check-spec's own; ours comes at the end
	"#"*)		echo "$line"; continue ;;
	*)		continue ;;
	esac
	spec_results=$((spec_results + 1))
done < <(KSRC="$wt" "$top/selftests/netlink/check-spec.sh" 2>&1 ||
	 { rc=$?; [ $rc = 4 ] || echo "not ok 0 - check-spec.sh exited $rc"; })	# 4: skipped all
[ $spec_results -gt 0 ] || tap_fail "check-spec.sh reported no results"

gen=tools/net/ynl/pyynl/ynl_gen_c.py
spec=Documentation/netlink/specs/oom.yaml
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Spec paths relative to the tree: the generator writes them into its output.
regen() { (cd "$wt" && timeout 60 python3 "$gen" --spec "$1" --mode "$2" "--$3" -o "$4" >/dev/null 2>&1); }
# The patched generator must emit, for every other genetlink family, what the
# pristine one emits.
mkdir -p "$tmp/base"
# ynl_gen_c.py looks for MAINTAINERS above the spec and loops forever at /
# without one: copy it, and bound every run.
gitw archive oomctl-base MAINTAINERS tools/net/ynl Documentation/netlink | tar -x -C "$tmp/base"
same=1 nfam=0
for y in "$wt"/Documentation/netlink/specs/*.yaml; do
	s=Documentation/netlink/specs/$(basename "$y")
	[ "$s" = "$spec" ] && continue
	grep -q '^protocol: genetlink$' "$y" || continue
	nfam=$((nfam + 1))
	for mode in "uapi header" "kernel source" "kernel header"; do
		set -- $mode
		if ! (cd "$tmp/base" && timeout 60 python3 "$gen" --spec "$s" --mode "$1" "--$2" -o "$tmp/a" >/dev/null 2>&1) ||
		   ! regen "$s" "$1" "$2" "$tmp/b"; then
			same=0; echo "#   generator failed: $s $mode"
		elif ! cmp -s "$tmp/a" "$tmp/b"; then
			same=0; echo "#   differs: $s $mode"
		fi
	done
done
tap_check "patched ynl-gen emits the same code as before for all $nfam other genetlink families" [ $same = 1 ]

git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1
tap_finish
