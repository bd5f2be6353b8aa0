#!/usr/bin/env bash
# The patched kernel with the oom netlink family compiled out
# (CONFIG_OOM_NETLINK=n), otherwise the VM kernel's config, in
# build/kobj-nonl: make bench compares its OOM path with the family's when
# nobody listens (bench/src/sec_cost.c).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kobj=${KOBJ:-$top/build/kobj-nonl}
mkdir -p "$kobj"
frag=$kobj/.oomctl-nonl.config
{ grep -v '^CONFIG_OOM_NETLINK=' "$top/kernel/vm.config"
  echo '# CONFIG_OOM_NETLINK is not set'; } > "$frag.tmp"
mv "$frag.tmp" "$frag"
KOBJ=$kobj BASE_FRAGMENT=$frag "$top/scripts/build-kernel.sh"
grep -qx '# CONFIG_OOM_NETLINK is not set' "$kobj/.config" ||
	{ echo "build-nonl-kernel: CONFIG_OOM_NETLINK is still set" >&2; exit 1; }
