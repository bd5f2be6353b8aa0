#!/usr/bin/env bash
# Fetch Debian's linux-source-7.3 tarball (trixie-backports) without touching
# the system's apt configuration: a private apt state directory whose sources
# point at the mirror the machine's own apt config already uses.
#
# The tarball enters the cache by a rename, whole: the .deb is downloaded
# and unpacked in the cache's partial/ (emptied by every run), checked
# against the archive's SHA256, and the tarball renamed out of it.  An
# interrupted run leaves nothing under the cached name.
#
# Usage: scripts/fetch-kernel.sh            prints the path of the tarball
# Env:   OOMCTL_CACHE  cache directory (default ~/.cache/oomctl)
#        KVER          kernel series (default 7.3; 7.2 is the fallback)
set -euo pipefail

cache=${OOMCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oomctl}
want=${KVER:-7.3}
mkdir -p "$cache"
log() { printf 'fetch-kernel: %s\n' "$*" >&2; }

for v in "$want" 7.2; do
	for t in "$cache"/linux-source-"$v".tar.*; do
		[ -f "$t" ] && { log "cached: $t"; echo "$t"; exit 0; }
	done
done

. "$(dirname "$0")/debian-apt.sh"
start=$(date +%s)
state=$cache/apt
debian_apt "$state" deb "trixie-backports trixie" || { log "set KSRC=/path/to/linux"; exit 1; }

pkg=
for v in "$want" 7.2; do
	if apt-cache "${apt_opts[@]}" show "linux-source-$v" >/dev/null 2>&1; then
		pkg=linux-source-$v; break
	fi
	log "linux-source-$v not available"
done
[ -n "$pkg" ] || { log "neither linux-source-$want nor linux-source-7.2 is in trixie-backports at $(debian_mirror); set KSRC=/path/to/linux"; exit 1; }

# Debs left by older versions of this script (interrupted: maybe partial).
rm -f "$state"/cache/archives/linux-source-*.deb
tmp=$cache/partial
rm -rf "$tmp"
mkdir -p "$tmp/deb" "$tmp/x"
trap 'rm -rf "$tmp"' EXIT
log "downloading $pkg"
(cd "$tmp/deb" && apt-get "${apt_opts[@]}" -qq download "$pkg" >&2)
deb=$(ls "$tmp"/deb/"$pkg"_*.deb | head -n1)
# pkg_VERSION_ARCH.deb, with the epoch's ':' as %3a
ver=${deb##*/}; ver=${ver#"$pkg"_}; ver=${ver%_*.deb}; ver=${ver//%3a/:}
sha_want=$(apt-cache "${apt_opts[@]}" show "$pkg=$ver" 2>/dev/null | sed -n 's/^SHA256: //p' | head -n1)
sha_got=$(sha256sum "$deb" | cut -d' ' -f1)
if [ -z "$sha_want" ] || [ "$sha_got" != "$sha_want" ]; then
	log "${deb##*/} is incomplete or damaged: sha256 $sha_got, the archive says ${sha_want:-nothing}; run again"
	exit 1
fi
dpkg-deb -x "$deb" "$tmp/x"
tar=$(ls "$tmp"/x/usr/src/"$pkg".tar.* | head -n1)
mv "$tar" "$cache/"
log "done in $(( $(date +%s) - start ))s: $cache/$(basename "$tar")"
echo "$cache/$(basename "$tar")"
