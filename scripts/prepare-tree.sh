#!/usr/bin/env bash
# Create, refresh or repair build/linux: a git repo whose tag oomctl-base is
# the pristine Debian linux-source tree, with kernel/series applied by git am.
#
# Usage: scripts/prepare-tree.sh           (make tree) apply kernel/series
#                                          afresh from oomctl-base; stops if
#                                          the tree has commits of its own
#        scripts/prepare-tree.sh --ensure  (build-kernel.sh, check-series.sh)
#                                          nothing if the set-up is complete,
#                                          else make, finish or repair it when
#                                          that loses none of the user's work
#
# An interrupt (Ctrl-C, a dropped ssh session, a CI timeout) anywhere leaves
# a state that the next run repairs by itself:
#  - the pristine tree is extracted, committed and tagged in
#    build/linux.partial, then renamed to build/linux: build/linux is a
#    tagged git tree or absent.  A finished extraction is reused.
#  - applying the series is stamped (scripts/tree-state.sh): a tree whose
#    set-up did not finish has only a prefix of kernel/series, and is
#    re-applied.  If it has commits that are not the series', they are the
#    user's: nothing is changed, and the message says what to do.
#
# Env: KSRC=/path   use an existing kernel tree instead of Debian's tarball
#      TREE         output directory (default build/linux)
#      FORCE=1      make tree: discard commits that are not in kernel/series
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${TREE:-$top/build/linux}
. "$top/scripts/tree-state.sh"
name=${tree#"$top"/}
part=$tree.partial
log() { printf 'prepare-tree: %s\n' "$*" >&2; }
die() { log "$@"; exit 1; }
mode=refresh
case "${1:-}" in
--ensure) mode=ensure ;;
'') ;;
*) die "usage: $0 [--ensure]" ;;
esac
start=$(date +%s)

# One prepare-tree.sh at a time on a tree (make kernel and make kernel-debug
# may start together).
mkdir -p "$(dirname "$tree")"
exec 8>"$tree.lock"
flock -n 8 || { log "another prepare-tree.sh is at work on $name; waiting"; flock 8; }

# tar -xf TARBALL into DIR; a damaged tarball (an older fetch-kernel.sh,
# interrupted while it copied it into the cache) is fetched again, once.
extract() {
	local t=$1 dir=$2
	log "extracting $t"
	tar -xf "$t" -C "$dir" --strip-components=1 && return
	tar -tf "$t" >/dev/null 2>&1 && die "tar could not extract $t into $dir (disk full?)"
	log "$t is truncated or damaged (an interrupted download?): fetching it again"
	rm -f "$t"
	t=$("$top/scripts/fetch-kernel.sh")
	rm -rf "$dir" && mkdir -p "$dir"
	log "extracting $t"
	tar -xf "$t" -C "$dir" --strip-components=1
}

# The pristine tree, tagged oomctl-base, made in $part/tree and renamed to
# $tree when complete.  $part/source names what was extracted once the
# extraction has finished.
make_pristine() {
	local src=$part/tree from
	if [ -n "${KSRC:-}" ]; then from="rsync $KSRC"
	else from="tar $("$top/scripts/fetch-kernel.sh")"; fi
	if [ "$(cat "$part/source" 2>/dev/null)" = "$from" ] && [ -d "$src" ]; then
		log "reusing the extracted tree in ${part#"$top"/}"
	else
		rm -rf "$part"
		mkdir -p "$src"
		if [ -n "${KSRC:-}" ]; then
			log "copying $KSRC"
			rsync -a --exclude=.git "$KSRC"/ "$src"/
		else
			extract "${from#tar }" "$src"
		fi
		echo "$from" >"$part/source"
	fi
	if ! gitd "$src" rev-parse -q --verify oomctl-base >/dev/null 2>&1; then
		rm -rf "$src/.git"
		gitd "$src" init -q
		# Debian's tarball ships a .gitignore that ignores everything at
		# the top level ("/*"): force-add the pristine tree.
		log "committing the pristine tree"
		gitd "$src" add -f -A .
		# A fixed date: the same source gives the same commit id on every
		# machine, the base-commit of kernel/0000-cover-letter.patch.
		GIT_AUTHOR_DATE='@0 +0000' GIT_COMMITTER_DATE='@0 +0000' \
			gitd "$src" commit -q -m "Pristine $(make -s -C "$src" kernelversion 2>/dev/null || echo source)"
		gitd "$src" tag oomctl-base
	fi
	rm -rf "$tree"
	mv "$src" "$tree"
	rm -rf "$part"
	log "pristine tree tagged oomctl-base"
}

# Apply kernel/series to oomctl-base, from the start.
apply_series() {
	local p f n=0
	printf 'series %s\n' "$(series_hash)" >"$applying"
	gitk am --abort >/dev/null 2>&1 || true
	rm -rf "$tree/.git/rebase-apply"
	gitk checkout -q -f -B oomctl oomctl-base
	# A git am that was killed may have left behind files its patch
	# creates: they would stop the same patch now.
	for p in $(series_patches); do
		for f in $(git apply --summary "$top/kernel/$p" 2>/dev/null |
			   sed -n 's/^ create mode [0-7]* //p'); do
			rm -f "$tree/$f"
		done
	done
	for p in $(series_patches); do
		gitk am -q --keep-cr "$top/kernel/$p" || {
			gitk am --abort >/dev/null 2>&1 || true
			die "git am failed on kernel/$p: kernel/series does not apply to oomctl-base"
		}
		n=$((n + 1))
	done
	stamp_applied "$(gitk rev-parse HEAD)"
	log "applied $n patch(es) in $(( $(date +%s) - start ))s"
}

# The set-up was interrupted and the user has committed on top of the
# partial series: which commits to keep is the user's call.
die_interrupted_work() {
	local first
	first=$(gitk rev-list --reverse oomctl-base..HEAD | sed -n "$((REL_K + 1))p")
	log "$name: its set-up was interrupted after $REL_K of the $REL_N patches of kernel/series,"
	log "and it has commits that are not the series':"
	tree_commits_from $((REL_K + 1)) >&2
	log "They look like your work, so nothing was changed. Save them"
	log "(git -C $name format-patch -o DIR ${first:0:12}^..HEAD), make the tree again with"
	die "'FORCE=1 make tree', then git am them."
}

if ! tree_made; then
	[ ! -e "$tree" ] ||
		log "$name has no tagged pristine tree (an older prepare-tree.sh was interrupted): making it again"
	make_pristine
	apply_series
	exit 0
fi
rm -rf "$part"	# an older, interrupted attempt at a tree that exists now

state=$(tree_state)
[ $mode = ensure ] && [ "$state" = complete ] && exit 0
tree_relation
head=$(gitk rev-parse HEAD)
in_am=; [ -d "$tree/.git/rebase-apply" ] && in_am=1

if [ $mode = ensure ]; then
	case $state,$REL in
	stale,equal)		# make export elsewhere, or kernel/ edited to the tree
		stamp_applied "$head"; exit 0 ;;
	stale,*)
		if [ "$head" = "$(stamp_get head)" ] && ! tree_dirty; then
			log "kernel/series changed since $name was set up, and $name has no work of its own: applying it again (the old HEAD was ${head:0:12})"
			apply_series; exit 0
		fi
		log "warning: kernel/series changed since $name was set up, and $name has work of its own"
		log "(commits or uncommitted changes): using it as it is. 'make export' writes its commits"
		log "to kernel/, 'FORCE=1 make tree' replaces them with kernel/series."
		exit 0 ;;
	interrupted,equal)	# stopped after the last git am
		if [ -z "$in_am" ] && ! tree_dirty; then stamp_applied "$head"; exit 0; fi ;;
	unstamped,equal|unstamped,extends|interrupted,extends)
		# All of the series is there (the rest is the user's): the set-up
		# finished, before the stamps existed or just before its stamp.
		stamp_applied "$(gitk rev-list --reverse oomctl-base..HEAD | sed -n "${REL_N}p")"
		exit 0 ;;
	unstamped,diverges)
		# An interrupted set-up leaves a prefix of the series; anything
		# else was committed by someone: the user's work, built as it is.
		log "$name predates the set-up stamps and has commits that are not kernel/series': taken as your work"
		stamp_applied unknown
		exit 0 ;;
	interrupted,diverges)
		die_interrupted_work ;;
	esac
	# A prefix of the series and nothing else: the set-up did not finish.
	if [ "$state" = unstamped ] && [ -z "$in_am" ] && tree_dirty; then
		log "$name has $REL_K of the $REL_N patches of kernel/series, no set-up stamp, and uncommitted"
		log "changes: an interrupted set-up, or your work? Commit your changes, or discard them and"
		die "apply the series again: git -C $name reset --hard && make tree"
	fi
	log "$name has $REL_K of the $REL_N patches of kernel/series: its set-up did not finish"
	log "(interrupted: Ctrl-C, a dropped session, a timeout). Applying the series again."
	apply_series
	exit 0
fi

# make tree: apply kernel/series afresh, unless that would lose work.
if [ "${FORCE:-0}" != 1 ]; then
	case $REL in
	diverges|extends)
		[ "$state" = interrupted ] && [ $REL = diverges ] && die_interrupted_work
		log "$name has commits that are not in kernel/series:"
		tree_commits_from $((REL_K + 1)) >&2
		die "Run 'make export' to write them to kernel/, or 'FORCE=1 make tree' to discard them." ;;
	esac
fi
if tree_dirty && [ "$state" != interrupted ] && [ -z "$in_am" ]; then
	die "$name has uncommitted changes; commit or stash them first"
fi
[ "$REL" = prefix ] && [ "$REL_T" -lt "$REL_N" ] && [ "$state" != complete ] &&
	log "$name has $REL_K of the $REL_N patches: its set-up did not finish; applying the series again"
apply_series
