#!/usr/bin/env bash
# Build the VM kernel from build/linux: tinyconfig + kernel/vm.config, checked
# after merge_config.sh, out of tree in build/kobj, through ccache.
# Env: EXTRA_MAKE="W=1 C=1"  extra make flags;  KOBJ  output dir;
#      EXTRA_FRAGMENT  a second fragment merged after it (kernel/debug.config);
#      TREE + BASE_FRAGMENT + PRISTINE=1  another tree that is not made or
#      repaired here, with its own fragment (scripts/build-stock-kernel.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${TREE:-$top/build/linux}
kobj=${KOBJ:-$top/build/kobj}
frags=("${BASE_FRAGMENT:-$top/kernel/vm.config}")
[ -n "${EXTRA_FRAGMENT:-}" ] && frags+=("$(realpath "$EXTRA_FRAGMENT")")
log() { printf 'build-kernel: %s\n' "$*" >&2; }
# The tree: made if missing, its set-up finished if it was interrupted.
[ "${PRISTINE:-0}" = 1 ] || TREE=$tree "$top/scripts/prepare-tree.sh" --ensure
mkdir -p "$kobj"
cc="gcc"
command -v ccache >/dev/null && cc="ccache gcc"
# Paths relative to the checkout, so that a fresh clone (CI) hits the cache.
export CCACHE_BASEDIR=$top
start=$(date +%s)
mk() { make -s -C "$tree" O="$kobj" CC="$cc" HOSTCC="$cc" -j"$(nproc)" "$@"; }

# Regenerate .config only when the fragment changed: keeps rebuilds
# incremental.  The stamp goes before and comes back after a complete
# config: an interrupted generation is redone by the next run.
stamp=$kobj/.oomctl-fragment
configure() {
	rm -f "$stamp"
	mk tinyconfig >/dev/null
	KCONFIG_CONFIG="$kobj/.config" "$tree/scripts/kconfig/merge_config.sh" \
		-m -O "$kobj" "$kobj/.config" "${frags[@]}" >/dev/null
	mk olddefconfig >/dev/null
	cat "${frags[@]}" >"$stamp.tmp"
	mv "$stamp.tmp" "$stamp"
}
dropped() {	# the fragments' CONFIG_ lines that .config lacks
	local line
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		grep -qx "$line" "$kobj/.config" || echo "$line"
	done < <(cat "${frags[@]}")
}
fresh=0
if ! cat "${frags[@]}" | cmp -s - "$stamp" || [ ! -f "$kobj/.config" ]; then
	configure; fresh=1
fi
missing=$(dropped)
if [ -n "$missing" ] && [ $fresh = 0 ]; then
	# A .config from before: the tree's Kconfig changed since (a series
	# applied again), or an older build-kernel.sh was interrupted.
	log "$kobj/.config lacks ${missing//$'\n'/ }: generating it again"
	configure
	missing=$(dropped)
fi
if [ -n "$missing" ]; then
	while IFS= read -r line; do log "wanted $line, Kconfig dropped it"; done <<<"$missing"
	rm -f "$stamp"
	exit 1
fi

mk ${EXTRA_MAKE:-} bzImage
log "built $kobj/arch/x86/boot/bzImage in $(( $(date +%s) - start ))s"
