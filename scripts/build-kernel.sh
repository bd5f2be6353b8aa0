#!/usr/bin/env bash
# Build the VM kernel from build/linux: tinyconfig + kernel/vm.config, checked
# after merge_config.sh, out of tree in build/kobj, through ccache.
# Env: EXTRA_MAKE="W=1 C=1"  extra make flags;  KOBJ  output dir;
#      EXTRA_FRAGMENT  a second fragment merged after it (kernel/debug.config).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${TREE:-$top/build/linux}
kobj=${KOBJ:-$top/build/kobj}
frags=("$top/kernel/vm.config")
[ -n "${EXTRA_FRAGMENT:-}" ] && frags+=("$(realpath "$EXTRA_FRAGMENT")")
log() { printf 'build-kernel: %s\n' "$*" >&2; }
[ -f "$tree/Makefile" ] || { log "no kernel tree at $tree (make tree)"; exit 1; }
mkdir -p "$kobj"
cc="gcc"
command -v ccache >/dev/null && cc="ccache gcc"
# Paths relative to the checkout, so that a fresh clone (CI) hits the cache.
export CCACHE_BASEDIR=$top
start=$(date +%s)
mk() { make -s -C "$tree" O="$kobj" CC="$cc" HOSTCC="$cc" -j"$(nproc)" "$@"; }

# Regenerate .config only when the fragment changed: keeps rebuilds incremental.
stamp=$kobj/.oomctl-fragment
if ! cat "${frags[@]}" | cmp -s - "$stamp" || [ ! -f "$kobj/.config" ]; then
	mk tinyconfig >/dev/null
	KCONFIG_CONFIG="$kobj/.config" "$tree/scripts/kconfig/merge_config.sh" \
		-m -O "$kobj" "$kobj/.config" "${frags[@]}" >/dev/null
	mk olddefconfig >/dev/null
	cat "${frags[@]}" > "$stamp"
fi
missing=0
while IFS= read -r line; do
	case "$line" in CONFIG_*=*) ;; *) continue ;; esac
	grep -qx "$line" "$kobj/.config" || { log "wanted $line, Kconfig dropped it"; missing=1; }
done < <(cat "${frags[@]}")
[ "$missing" = 0 ] || { rm -f "$stamp"; exit 1; }

mk ${EXTRA_MAKE:-} bzImage
log "built $kobj/arch/x86/boot/bzImage in $(( $(date +%s) - start ))s"
