#!/usr/bin/env bash
# Export build/linux commits oomctl-base..HEAD into kernel/*.patch + kernel/series,
# and kernel/0000-cover-letter.patch: its subject and text (everything above
# the shortlog) are kept from the file in kernel/, the shortlog, diffstat and
# base-commit trailer are made anew (git format-patch --cover-letter --base).
# The export is stable: no dates/versions that change on re-export, so an
# unchanged tree gives no diff.  --check exits 1 if kernel/ is out of date.
#
# It refuses to drop a patch that kernel/ has and the tree lacks (neither a
# commit of the same subject nor one of the same diff): a tree whose set-up
# was interrupted has only the first patches, and exporting it would cut the
# series short.  FORCE=1 exports anyway (a patch dropped on purpose).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${TREE:-$top/build/linux}
out=$top/kernel
. "$top/scripts/tree-state.sh"
name=${tree#"$top"/}
log() { printf 'export-series: %s\n' "$*" >&2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tree_made || { log "$name is not a kernel tree with the tag oomctl-base (make tree)"; exit 1; }
gitk format-patch -q --no-signature --zero-commit --no-numbered --abbrev=9 \
	--no-cover-letter -o "$tmp" oomctl-base..HEAD >/dev/null
# --zero-commit already hides the commit id; drop nothing else so the
# patches stay git-am-able and checkpatch-clean.  --abbrev=9: the index
# lines' length that git picks by itself grows with the packed objects, so
# it differs before and after the gc that follows make tree.
(cd "$tmp" && ls *.patch 2>/dev/null || true) > "$tmp/series"

# The cover letter.  The Date is the last commit's, so that an unchanged
# tree exports an unchanged file.
cover=0000-cover-letter.patch
gitk format-patch -q --no-signature --zero-commit --numbered --abbrev=9 \
	--cover-letter --base=oomctl-base -o "$tmp/cl" oomctl-base..HEAD >/dev/null
date=$(gitk log -1 --format=%aD HEAD) from=$(gitk log -1 --format='%an <%ae>' HEAD)
awk -v old="$out/$cover" -v date="$date" -v from="$from" '
	BEGIN {
		# the kept part of the old letter: its subject, and its text up
		# to the shortlog line "Name (N):"
		subj = "*** SUBJECT HERE ***"; blurb = "*** BLURB HERE ***\n\n"
		if ((getline l < old) > 0) {
			hdr = 1; blurb = ""
			do {
				if (hdr && l ~ /^Subject: /) { sub(/^Subject: \[PATCH [0-9]+\/[0-9]+\] /, "", l); subj = l }
				else if (hdr && l == "") hdr = 0
				else if (!hdr) { if (l ~ /^[^ ].* \([0-9]+\):$/) break; blurb = blurb l "\n" }
			} while ((getline l < old) > 0)
		}
	}
	/^Date: / { print "Date: " date; next }
	/^From: / { print "From: " from; next }
	/^Subject: / { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj); print; next }
	/^\*\*\* BLURB HERE \*\*\*$/ { printf "%s", blurb; skip = 1; next }
	skip && /^$/ { skip = 0; next }
	{ skip = 0; print }' "$tmp/cl/$cover" > "$tmp/$cover"

if [ "${1:-}" = --check ]; then
	diff -q "$tmp/series" "$out/series" >/dev/null 2>&1 || exit 1
	cmp -s "$tmp/$cover" "$out/$cover" || exit 1
	while read -r p; do cmp -s "$tmp/$p" "$out/$p" || exit 1; done < "$tmp/series"
	exit 0
fi

if [ "${FORCE:-0}" != 1 ]; then
	tree_relation
	# kernel/'s patches with no commit of the same subject (the file name
	# without its number) nor of the same diff (patch-id) in the tree
	tree_ids=$(printf '%s\n' "${TREE_KEYS[@]}" | cut -d' ' -f2)
	lost=() i=0
	for p in $(series_patches); do
		id=${SERIES_KEYS[i]#* }; i=$((i + 1))
		grep -q -- "^[0-9]*-${p#[0-9][0-9][0-9][0-9]-}\$" "$tmp/series" && continue
		[ -n "$id" ] && grep -qx -- "$id" <<<"$tree_ids" && continue
		lost+=("$p")
	done
	if [ ${#lost[@]} -gt 0 ]; then
		log "kernel/ has ${#lost[@]} patch(es) that $name lacks; exporting would delete them:"
		printf '  %s\n' "${lost[@]}" >&2
		if [ -f "$applying" ]; then
			log "$name's set-up was interrupted after $REL_K of the $REL_N patches;"
			log "'make tree' (or 'make kernel') applies the series again."
		elif [ "$REL" = prefix ]; then
			log "$name has only the first $REL_T of the $REL_N patches of kernel/series and nothing"
			log "else: an interrupted set-up? 'make tree' (or 'make kernel') applies the series again."
		fi
		log "To export anyway: FORCE=1 make export"
		exit 1
	fi
fi
mkdir -p "$out"
# Each file replaced whole, the series last, then the patches it no longer
# names: an interrupted export leaves files git diff can show.
while read -r p; do
	cp "$tmp/$p" "$out/.$p.tmp"
	mv "$out/.$p.tmp" "$out/$p"
done < "$tmp/series"
cp "$tmp/$cover" "$out/.$cover.tmp"
mv "$out/.$cover.tmp" "$out/$cover"
cp "$tmp/series" "$out/.series.tmp"
mv "$out/.series.tmp" "$out/series"
for f in "$out"/*.patch; do
	[ -f "$f" ] || continue
	[ "${f##*/}" = "$cover" ] || grep -qx -- "${f##*/}" "$out/series" || rm -f "$f"
done
# The tree is kernel/ now: its set-up is complete, whatever stopped it.
stamp_applied "$(gitk rev-parse HEAD)"
echo "export-series: $(wc -l < "$out/series") patch(es) in kernel/"
