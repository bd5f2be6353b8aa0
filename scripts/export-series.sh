#!/usr/bin/env bash
# Export build/linux commits oomctl-base..HEAD into kernel/*.patch + kernel/series.
# The export is stable: no dates/versions that change on re-export, so an
# unchanged tree gives no diff.  --check exits 1 if kernel/ is out of date.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${TREE:-$top/build/linux}
out=$top/kernel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

git -C "$tree" format-patch -q --no-signature --zero-commit --no-numbered \
	--no-cover-letter -o "$tmp" oomctl-base..HEAD >/dev/null
# --zero-commit already hides the commit id; drop nothing else so the
# patches stay git-am-able and checkpatch-clean.
(cd "$tmp" && ls *.patch 2>/dev/null || true) > "$tmp/series"

if [ "${1:-}" = --check ]; then
	diff -q "$tmp/series" "$out/series" >/dev/null 2>&1 || exit 1
	while read -r p; do cmp -s "$tmp/$p" "$out/$p" || exit 1; done < "$tmp/series"
	exit 0
fi
mkdir -p "$out"
rm -f "$out"/*.patch
while read -r p; do cp "$tmp/$p" "$out/$p"; done < "$tmp/series"
cp "$tmp/series" "$out/series"
echo "export-series: $(wc -l < "$out/series") patch(es) in kernel/"
