#!/usr/bin/env bash
# Create (or refresh) build/linux: a git repo whose tag oomctl-base is the
# pristine Debian linux-source tree, with kernel/series applied by git am.
#
# Env: KSRC=/path   use an existing kernel tree instead of Debian's tarball
#      TREE         output directory (default build/linux)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${TREE:-$top/build/linux}
log() { printf 'prepare-tree: %s\n' "$*" >&2; }
start=$(date +%s)

gitk() { git -C "$tree" -c user.name=oomctl -c user.email=oomctl@localhost "$@"; }

if [ ! -d "$tree/.git" ] || ! gitk rev-parse -q --verify oomctl-base >/dev/null; then
	rm -rf "$tree"
	mkdir -p "$tree"
	if [ -n "${KSRC:-}" ]; then
		log "copying $KSRC"
		rsync -a --exclude=.git "$KSRC"/ "$tree"/
	else
		tarball=$("$top/scripts/fetch-kernel.sh")
		log "extracting $tarball"
		tar -xf "$tarball" -C "$tree" --strip-components=1
	fi
	gitk init -q
	# Debian's tarball ships a .gitignore that ignores everything at the
	# top level ("/*"): force-add the pristine tree.
	gitk add -f -A .
	gitk commit -q -m "Pristine $(make -s -C "$tree" kernelversion 2>/dev/null || echo source)"
	gitk tag oomctl-base
	log "pristine tree tagged oomctl-base"
fi

# Refresh: reset to the pristine tag and apply the series with git am.
if [ -n "$(gitk status --porcelain --untracked-files=no)" ]; then
	log "build/linux has uncommitted changes; commit or stash them first"
	exit 1
fi
ahead=$(gitk rev-list --count oomctl-base..HEAD)
if [ "${FORCE:-0}" != 1 ] && [ "$ahead" -gt 0 ] &&
   ! "$top/scripts/export-series.sh" --check >/dev/null 2>&1; then
	log "build/linux has commits not exported to kernel/; run 'make export' (or FORCE=1)"
	exit 1
fi
gitk am --abort >/dev/null 2>&1 || true
gitk checkout -q -B oomctl oomctl-base
n=0
while read -r p; do
	case "$p" in ''|\#*) continue ;; esac
	gitk am -q --keep-cr "$top/kernel/$p" || { log "git am failed on $p"; exit 1; }
	n=$((n + 1))
done < <(cat "$top/kernel/series" 2>/dev/null || true)
log "applied $n patch(es) in $(( $(date +%s) - start ))s"
