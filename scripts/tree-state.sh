# shellcheck shell=bash
# What build/linux holds compared with kernel/series, for prepare-tree.sh and
# export-series.sh (sourced; they set $top and $tree).
#
# The set-up stamps applying the series in the tree's .git (the files go
# with the tree, and git never shows them):
#   oomctl-applying  written before the first git am, removed after the
#                    last: while it exists the set-up has not finished
#   oomctl-applied   written after the last git am (and by make export):
#                      series SHA256  of kernel/series and its patches as
#                                     applied (or exported)
#                      head   COMMIT  HEAD at that moment: a tree still at
#                                     it has no commits of the user's own
#                                     ("unknown" when that cannot be known)
# A tree made before the stamps existed has neither.

applying=$tree/.git/oomctl-applying
applied=$tree/.git/oomctl-applied

# git in DIR and never above it: a tree without .git must not fall through
# to the oomctl checkout around it.  Without fd 8, prepare-tree.sh's lock:
# the gc that git detaches after a commit would hold it for minutes.
gitd() {
	local d=$1; shift
	git -C "$d" --git-dir=.git -c user.name=oomctl -c user.email=oomctl@localhost "$@" 8>&-
}
gitk() { gitd "$tree" "$@"; }

# build/linux is a git tree tagged oomctl-base (else it is absent, or the
# half-made tree of an interrupted older prepare-tree.sh).
tree_made() {
	[ -d "$tree/.git" ] && gitk rev-parse -q --verify oomctl-base >/dev/null 2>&1
}

series_patches() { grep -v '^[[:space:]]*\(#\|$\)' "$top/kernel/series" 2>/dev/null || true; }

series_hash() {
	local p
	{ cat "$top/kernel/series" 2>/dev/null || true
	  for p in $(series_patches); do cat "$top/kernel/$p" 2>/dev/null || true; done
	} | sha256sum | cut -c1-64
}

stamp_get() { sed -n "s/^$1 //p" "$applied" 2>/dev/null; }

# Mark the set-up complete; HEAD is the tree right after the series (or
# "unknown").
stamp_applied() {
	printf 'series %s\nhead %s\n' "$(series_hash)" "$1" >"$applied.tmp"
	mv "$applied.tmp" "$applied"
	rm -f "$applying"
}

# complete     kernel/ is what was applied or exported last
# stale        it was, but kernel/ has changed since
# interrupted  the series was being applied when the set-up was stopped
# unstamped    made before the stamps (or the stamp was removed)
tree_state() {
	if [ -f "$applying" ]; then echo interrupted
	elif [ ! -f "$applied" ]; then echo unstamped
	elif [ "$(stamp_get series)" = "$(series_hash)" ]; then echo complete
	else echo stale
	fi
}

# An identity for one mail of format-patch: its headers and message (the
# text above the first "---") and the patch-id of its diff.  A commit that
# git am made from a patch has the same identity as the patch, also after
# a hand edit of the diff's context in kernel/.
mail_key() {
	printf '%s %s\n' "$(sed '/^---$/q' "$1" | sha256sum | cut -c1-16)" \
		"$(git patch-id --stable <"$1" | cut -c1-40)"
}

# Compare the tree's commits oomctl-base..HEAD with kernel/series, in order.
# Sets REL to
#   equal     the same patches
#   prefix    the first T of the N patches and nothing else (T may be 0)
#   extends   all N patches, then commits of its own
#   diverges  anything else: some commit is not the series' patch at its place
# and REL_T (commits), REL_N (patches), REL_K (how many agree from the start),
# TREE_SUBJECTS (one line per commit), TREE_KEYS ("KEY COMMIT" per commit)
# and SERIES_KEYS (KEY per patch).
tree_relation() {
	local tmp c p i
	tmp=$(mktemp)
	TREE_KEYS=() SERIES_KEYS=()
	# One commit at a time: format-patch skips merges (and may skip empty
	# commits), which must not shift the others.
	for c in $(gitk rev-list --reverse oomctl-base..HEAD); do
		gitk format-patch -1 --stdout --no-signature --zero-commit --no-numbered \
			--abbrev=9 "$c" >"$tmp"
		TREE_KEYS+=("$(mail_key "$tmp") $c")
	done
	rm -f "$tmp"
	for p in $(series_patches); do
		if [ -f "$top/kernel/$p" ]; then SERIES_KEYS+=("$(mail_key "$top/kernel/$p")")
		else SERIES_KEYS+=("missing $p"); fi
	done
	TREE_SUBJECTS=$(gitk log --reverse --format='%h %s' oomctl-base..HEAD)
	REL_T=${#TREE_KEYS[@]} REL_N=${#SERIES_KEYS[@]} REL_K=0
	for ((i = 0; i < REL_T && i < REL_N; i++)); do
		[ "${TREE_KEYS[i]% *}" = "${SERIES_KEYS[i]}" ] || break
		REL_K=$((i + 1))
	done
	if [ $REL_K = "$REL_T" ] && [ $REL_K = "$REL_N" ]; then REL=equal
	elif [ $REL_K = "$REL_T" ]; then REL=prefix
	elif [ $REL_K = "$REL_N" ]; then REL=extends
	else REL=diverges
	fi
}

# The tree's commits from number $1 on, as "  abc1234 subject" lines.
tree_commits_from() { sed -n "$1,\$s/^/  /p" <<<"$TREE_SUBJECTS"; }

tree_dirty() { [ -n "$(gitk status --porcelain --untracked-files=no)" ]; }
