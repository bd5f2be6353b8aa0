#!/usr/bin/env bash
# Fetch Debian's linux-source-7.3 tarball (trixie-backports) without touching
# the system's apt configuration: a private apt state directory whose sources
# point at the mirror the machine's own apt config already uses.
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

log "downloading $pkg"
(cd "$state/cache/archives" && apt-get "${apt_opts[@]}" -qq download "$pkg" >&2)
deb=$(ls -t "$state"/cache/archives/"$pkg"_*.deb | head -n1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
tar=$(ls "$tmp"/usr/src/"$pkg".tar.* | head -n1)
mv "$tar" "$cache/"
rm -f "$deb"
log "done in $(( $(date +%s) - start ))s: $cache/$(basename "$tar")"
echo "$cache/$(basename "$tar")"
