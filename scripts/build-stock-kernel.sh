#!/usr/bin/env bash
# Stock Linux 7.3 for the bench's comparisons (bench/README.md): the tree at
# tag oomctl-base of build/linux (the pristine source the series applies
# to, series removed) in build/linux-stock, built with the same config as
# the patched VM kernel (tinyconfig + kernel/vm.config, less the options the
# series adds) into build/kobj-stock, through the same ccache.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/build/linux
tree=$top/build/linux-stock
kobj=${KOBJ:-$top/build/kobj-stock}
log() { printf 'build-stock-kernel: %s\n' "$*" >&2; }

# build/linux (made or repaired first) holds the base as a tag.
TREE=$src "$top/scripts/prepare-tree.sh" --ensure
base=$(git -C "$src" rev-parse "oomctl-base^{tree}")	# the source, whatever commit holds it

# Exported anew when the base changed; a stamp marks a complete export, so
# an interrupted one is redone.
stamp=$tree/.oomctl-stock-base
if [ "$(cat "$stamp" 2>/dev/null)" != "$base" ]; then
	log "exporting oomctl-base (tree ${base:0:12}) to ${tree#"$top"/}"
	rm -rf "$tree" "$tree.partial"
	mkdir -p "$tree.partial"
	git -C "$src" archive "$base" | tar -x -C "$tree.partial"
	echo "$base" > "$tree.partial/.oomctl-stock-base"
	mv "$tree.partial" "$tree"
fi

# The same fragment, less what only the series defines (Kconfig would drop
# it and build-kernel.sh would rightly stop on that).
mkdir -p "$kobj"
frag=$kobj/.oomctl-stock.config
find "$tree" -name 'Kconfig*' -exec sed -n 's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Z0-9_]*\).*/\2/p' {} + |
	sort -u > "$frag.syms"
awk -v syms="$frag.syms" '
	BEGIN { while ((getline s < syms) > 0) known[s] = 1 }
	/^CONFIG_[A-Z0-9_]+=/ {
		sym = $0; sub(/^CONFIG_/, "", sym); sub(/=.*/, "", sym)
		if (!(sym in known)) { print "# not in stock 7.3: " $0; next }
	}
	{ print }' "$top/kernel/vm.config" > "$frag.tmp"
mv "$frag.tmp" "$frag"
grep '^# not in stock' "$frag" >&2 || true
TREE=$tree KOBJ=$kobj BASE_FRAGMENT=$frag PRISTINE=1 "$top/scripts/build-kernel.sh"
