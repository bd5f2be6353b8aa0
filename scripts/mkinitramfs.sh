#!/usr/bin/env bash
# Build build/initramfs.cpio.gz, the whole root filesystem of the test VM:
#   busybox-static + applet symlinks, /init (scripts/guest-init.sh),
#   /demo.sh (scripts/demo-guest.sh), /usr/share/oomctl/tap.sh (scripts/tap.sh,
#   sourced by the guest's shell tests), everything under build/guest/
#   (bin/ -> /usr/bin, any other dir -> /<dir>, e.g. tests/ -> /tests),
#   and the shared libraries + dynamic loader those executables need (ldd).
# Plain userspace: a staging directory packed by cpio with every file owned
# by root, so no root and no kernel-tree tool (gen_init_cpio) is needed.
# Env: GUEST (default build/guest), OUT (default build/initramfs.cpio.gz)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lock.sh"	# never repack under a booting VM
guest=${GUEST:-$top/build/guest}
out=${OUT:-$top/build/initramfs.cpio.gz}
root=$top/build/initramfs.root
log() { printf 'mkinitramfs: %s\n' "$*" >&2; }

# The busybox binary must be static: the root has no libc of its own unless a
# payload executable brings one.
bb=/bin/busybox
if [ ! -x "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
	log "need the static busybox at $bb: apt-get install busybox-static (scripts/deps.sh)"
	exit 1
fi

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,root,tmp,home/oomtest}
chmod 1777 "$root/tmp"
cp "$bb" "$root/bin/busybox"
# --list-full gives each applet's canonical path (bin/sh, usr/bin/timeout...).
for a in $("$bb" --list-full); do
	[ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done

# All parts of this repository: a missing one fails the build (set -e).
install -m 755 "$top/scripts/guest-init.sh" "$root/init"
install -m 755 "$top/scripts/demo-guest.sh" "$root/demo.sh"
install -D -m 644 "$top/scripts/tap.sh" "$root/usr/share/oomctl/tap.sh"

# Users for permission tests: root, an ordinary user, and nobody.
cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
oomtest:x:1000:1000:oomctl unprivileged test user:/home/oomtest:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
oomtest:x:1000:
nogroup:x:65534:
EOF
echo 'root::0:0:99999:7:::' > "$root/etc/shadow"
chmod 600 "$root/etc/shadow"

# Guest payload: same relative paths, except bin/ which lands in /usr/bin.
# No payload is an error, not an empty /tests: make guest builds it.
if [ ! -d "$guest/tests" ]; then
	log "no ${guest#"$top"/}/tests: build the guest binaries first (make guest)"
	exit 1
fi
for d in "$guest"/*/; do
	[ -d "$d" ] || continue
	name=$(basename "$d")
	dest=$root/$name
	[ "$name" = bin ] && dest=$root/usr/bin
	mkdir -p "$dest"
	cp -a --remove-destination "$d". "$dest"/
done

# Shared libraries: every "=> /path" and the loader ("/lib64/ld-...") that ldd
# reports for every dynamic ELF in the payload, copied to the same path.
while IFS= read -r -d '' f; do
	head -c 4 "$f" | grep -q 'ELF' || continue
	{ ldd "$f" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done < <(find "$root" -type f -perm -u+x -print0) |
	sort -u | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done

# Pack: sorted names and --reproducible give the same archive for the same input.
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
log "$(find "$root/tests" -type f -perm -u+x 2>/dev/null | wc -l) test(s), $(du -h "$out" | cut -f1) -> ${out#"$top"/}"
