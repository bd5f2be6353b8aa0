#!/usr/bin/env bash
# A sparse that can check Linux 7.3: Debian's sparse 0.6.4 source package
# plus the patches in scripts/sparse/ (0.6.4 cannot parse __typeof_unqual__,
# and 7.3's scripts/checker-valid.sh then makes kbuild drop C=1 silently).
# Built once into the cache and reused while the patches stay the same.
#
# Usage: scripts/build-sparse.sh            prints the path of the sparse binary
# Env:   OOMCTL_CACHE  cache directory (default ~/.cache/oomctl)
#
# The source comes through scripts/debian-apt.sh (a private apt state with
# deb-src lines for the machine's own mirror); the .dsc and tarballs are kept
# in $OOMCTL_CACHE/sparse-src so that a new patch needs no download.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${OOMCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oomctl}
log() { printf 'build-sparse: %s\n' "$*" >&2; }
upstream=0.6.4		# the version the patches are written against

patches=("$top"/scripts/sparse/*.patch)
[ -f "${patches[0]}" ] || { log "no patches in scripts/sparse"; exit 1; }
hash=$(cat "${patches[@]}" | sha256sum | cut -c1-12)

# A build of these patches, from any Debian revision of $upstream.
for bin in "$cache"/sparse-"$upstream"-*-"$hash"/sparse; do
	[ -x "$bin" ] && { log "cached: $bin"; echo "$bin"; exit 0; }
done

start=$(date +%s)
src=$cache/sparse-src
mkdir -p "$src"
dsc=$(ls -t "$src"/sparse_"$upstream"-*.dsc 2>/dev/null | head -n1 || true)
if [ -z "$dsc" ]; then
	. "$top/scripts/debian-apt.sh"
	# The machine's own Debian release first; trixie and bookworm carry 0.6.4.
	suites=$( (. /etc/os-release 2>/dev/null && [ "${ID:-}" = debian ] && echo "${VERSION_CODENAME:-}"
		   echo trixie bookworm) |
		  tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' ')
	debian_apt "$cache/apt-src" deb-src "$suites" || exit 1
	# The first suite that has it (a mirror may list a .dsc it lacks).
	for suite in $suites; do
		log "downloading the source of sparse from $suite"
		(cd "$src" && apt-get "${apt_opts[@]}" -qq source --download-only "sparse/$suite" >&2) ||
			continue
		dsc=$(ls -t "$src"/sparse_"$upstream"-*.dsc 2>/dev/null | head -n1 || true)
		[ -n "$dsc" ] && break
		log "$suite's sparse is not $upstream"
	done
	[ -n "$dsc" ] || { log "no sparse $upstream source package at $(debian_mirror) ($suites)"; exit 1; }
	rm -rf "$cache/apt-src"	# 40 MB of indices; the source is kept in $src
fi
ver=$(basename "$dsc" .dsc); ver=${ver#sparse_}
out=$cache/sparse-$ver-$hash

tmp=$(mktemp -d "$cache/.sparse-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Debian's own patches (quilt) are applied by dpkg-source, ours after them.
dpkg-source -q --no-check -x "$dsc" "$tmp/src" >&2
for p in "${patches[@]}"; do
	log "applying $(basename "$p")"
	patch -d "$tmp/src" -p1 -s --no-backup-if-mismatch <"$p" >&2
done
# Only the checker itself: no GTK, LLVM, libxml or sqlite tools.  CC: Debian
# pins gcc-12 in the Makefile; any gcc will do.
log "building sparse $ver + ${#patches[@]} patch(es)"
nice make -C "$tmp/src" -s -j"$(nproc)" CC=gcc HAVE_GTK=no HAVE_LLVM=no \
	HAVE_LIBXML=no HAVE_SQLITE=no sparse >"$tmp/build.log" 2>&1 ||
	{ tail -n 30 "$tmp/build.log" >&2; log "make failed"; exit 1; }
# The tests the patches add (validation/*.c new in the patches), by sparse's
# own test runner.
for t in $(sed -n 's|^+++ b/validation/\(.*\.c\)$|\1|p' "${patches[@]}"); do
	(cd "$tmp/src/validation" && ./test-suite single "$t" >"$tmp/test.log" 2>&1) ||
		{ cat "$tmp/test.log" >&2; log "sparse's validation test $t fails"; exit 1; }
done
mkdir -p "$tmp/out"
install -m 755 "$tmp/src/sparse" "$tmp/out/sparse"
cp "${patches[@]}" "$tmp/out/"
# Atomic: a build interrupted above leaves no half-made $out behind; a
# concurrent one that won the race is as good as ours.
mv -T "$tmp/out" "$out" 2>/dev/null || [ -x "$out/sparse" ]
log "done in $(( $(date +%s) - start ))s: $out/sparse"
echo "$out/sparse"
