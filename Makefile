# oomctl: kernel patches for a runtime OOM-reaper policy, a CLI, and the VM
# harness that tests them.  `make help` lists the targets.
#
# Variables: PREFIX DESTDIR SBINDIR MANDIR BASHCOMPDIR UNITDIR SYSCONFDIR
# (install, uninstall: cli/Makefile), FILTER=GLOB (only these /tests in the
# VM), TEST_TIMEOUT (s per test binary), VM_TIMEOUT (s per boot), VM_MEM,
# SKIP_KERNEL_BUILD=1 (check: boot the existing bzImage), STAGES="..." (check:
# only these stages of scripts/check.sh: deps harness host docs deb series forward setup kernel guest initramfs vm vm-nonl).
# The variables below are exported, so the scripts see them as env.

PREFIX ?= /usr/local
DESTDIR ?=
# Not PREFIX/DESTDIR: selftests/Makefile has its own DESTDIR (?=), which an
# exported empty value would turn into "/".
export FILTER TEST_TIMEOUT VM_TIMEOUT VM_MEM VERBOSE SKIP_KERNEL_BUILD

BZIMAGE := build/kobj/arch/x86/boot/bzImage
MAKEQ := $(MAKE) --no-print-directory

.NOTPARALLEL:
.PHONY: help check demo demo-boot tree export kernel kernel-debug kernel-stock kernel-nonl guest guest-build initramfs vm vm-debug vm-nonl shell bench fuzz install clean \
	fuzz-netlink soak forward-port uninstall deb

help:
	@echo 'make check      everything: deps, host tests, kernel, VM tests -> one TAP stream'
	@echo 'make demo       deps, kernel, guest binaries, boot the VM: oomctl show/set, five real OOM kills streamed by oomctl monitor, stats'
	@echo 'make tree       build/linux: pristine kernel + kernel/series (scripts/prepare-tree.sh)'
	@echo 'make export     build/linux commits -> kernel/*.patch (scripts/export-series.sh)'
	@echo 'make forward-port  kernel/series on Debian'"'"'s newest linux-source (sid/experimental): apply + W=1 build (build/linux-fwd)'
	@echo 'make kernel     build the VM kernel (build/kobj), making or repairing the tree first'
	@echo 'make guest      build the binaries the VM runs into build/guest/'
	@echo 'make initramfs  pack build/initramfs.cpio.gz (busybox + build/guest)'
	@echo 'make vm         guest + initramfs + boot the plain kernel in check mode (no kernel rebuild)'
	@echo 'make kernel-debug  the sanitizer kernel make check boots: KASAN, UBSAN, lockdep, kmemleak, ... (build/kobj-debug)'
	@echo 'make kernel-stock  stock Linux 7.3 from the same base and config, for make bench (build/kobj-stock)'
	@echo 'make kernel-nonl   the patched kernel with CONFIG_OOM_NETLINK=n, for make bench (build/kobj-nonl)'
	@echo 'make vm-debug   make vm on that kernel: any kernel report fails the test that caused it'
	@echo 'make vm-nonl    guest + initramfs + the CONFIG_OOM_NETLINK=n kernel with the policy test (the sysctl path)'
	@echo 'make shell      guest + initramfs + interactive shell in the VM (Ctrl-A X quits)'
	@echo 'make bench      run bench/run.sh'
	@echo 'make fuzz       libFuzzer on the oomctl CLI parsers, FUZZ_SECONDS (300) each (cli/fuzz/run.sh)'
	@echo 'make fuzz-netlink  the oom family netlink fuzzer alone in the VM, FUZZ_NL_MSGS ($(FUZZ_NL_MSGS)) messages'
	@echo 'make soak       the OOM storm soak alone on the sanitizer kernel, SOAK_S ($(SOAK_S)) seconds of storm'
	@echo 'make install    install oomctl, man page, completion, units (PREFIX=$(PREFIX) DESTDIR=$(DESTDIR); SBINDIR MANDIR BASHCOMPDIR UNITDIR SYSCONFDIR)'
	@echo 'make uninstall  remove what make install put (the same variables)'
	@echo 'make deb        the Debian package: build/deb/oomctl_VERSION_ARCH.deb (dpkg-buildpackage, from a copy of the tree)'
	@echo 'make clean      remove build outputs except the kernel tree and objects'

check:
	@scripts/check.sh $(STAGES)

# scripts/lock.sh: one build/VM pipeline at a time in this checkout.
demo:
	@scripts/deps.sh
	@scripts/lock.sh $(MAKEQ) kernel guest initramfs demo-boot

demo-boot:
	@scripts/run-vm.sh demo

tree:
	scripts/prepare-tree.sh

export:
	scripts/export-series.sh

# kernel/series applied to and built on Debian's newest linux-source in
# unstable/experimental (build/linux-fwd, build/kobj-fwd); make check's
# stage "forward".  scripts/forward-port.sh --record updates docs/forward-port.md.
forward-port:
	scripts/forward-port.sh

# build-kernel.sh makes build/linux first if it is missing, and finishes a
# set-up that was interrupted (scripts/prepare-tree.sh --ensure).
kernel:
	scripts/build-kernel.sh

# Guest binaries: each sub-project installs into build/guest/{tests,bin,bench}.
# Every sub-project is part of the repo: a missing or broken one fails.
guest:
	@scripts/lock.sh $(MAKEQ) guest-build

guest-build:
	@rm -rf build/guest && mkdir -p build/guest/tests
	@$(MAKEQ) -C selftests GUEST=$(CURDIR)/build/guest
	@$(MAKEQ) -C cli guest GUEST=$(CURDIR)/build/guest
	@$(MAKEQ) -C bench guest GUEST=$(CURDIR)/build/guest

initramfs:
	scripts/mkinitramfs.sh

# The plain kernel, for quick runs; make check and vm-debug boot the
# sanitizer kernel.
vm:
	@KERNEL=$${KERNEL:-$(BZIMAGE)} scripts/check.sh guest initramfs vm

# The sanitizer kernel: the same plus kernel/debug.config, in its own object
# dir (a cold build the first time, ~20 min on 2 cores).  make check builds
# and boots it.
DEBUG_KOBJ := $(CURDIR)/build/kobj-debug
kernel-debug:
	KOBJ=$(DEBUG_KOBJ) EXTRA_FRAGMENT=kernel/debug.config scripts/build-kernel.sh

# Stock 7.3 (tag oomctl-base, series removed) with the same config, for
# the bench's comparisons against the patched kernel (build/kobj-stock).
kernel-stock:
	scripts/build-stock-kernel.sh

# The patched kernel with the netlink family compiled out, for make bench's
# no-listener comparison (build/kobj-nonl).
kernel-nonl:
	scripts/build-nonl-kernel.sh

vm-debug:
	@KERNEL=$(DEBUG_KOBJ)/arch/x86/boot/bzImage scripts/check.sh guest initramfs vm

# The patched kernel built without the family: the policy test through the
# vm.oom_reap_* sysctls (make check's stage vm-nonl; builds make kernel-nonl)
vm-nonl:
	@scripts/check.sh guest initramfs vm-nonl

# Not under one lock: an interactive session would block everybody's checks.
shell:
	@$(MAKEQ) guest initramfs
	scripts/run-vm.sh shell

bench:
	@bench/run.sh

# The CLI's libFuzzer targets, longer than make check's few seconds each
fuzz:
	@$(MAKEQ) -C cli fuzz

# The netlink fuzzer (selftests/netlink/oomnl_fuzz.c) alone, longer than in
# make check (100000 messages): FUZZ_NL_MSGS messages, FUZZ_NL_SEED=N replays
# a run.  The plain kernel unless KERNEL= names another bzImage.  The
# guest's init gets OOMNL_FUZZ_* from the kernel command line.  10 million
# take about 4 minutes on the plain kernel under TCG (50000 a second); the
# limits allow 500 a second (the sanitizer kernel does 700-1000).
FUZZ_NL_MSGS ?= 10000000
fuzz-netlink:
	@s=$$(( $(FUZZ_NL_MSGS) / 500 + 120 )); \
	KERNEL=$${KERNEL:-$(BZIMAGE)} FILTER=oomnl_fuzz TEST_TIMEOUT=$$((2 * s)) \
	VM_TIMEOUT=$$((2 * s + 600)) VM_APPEND="$${VM_APPEND:+$$VM_APPEND }OOMNL_FUZZ_MSGS=$(FUZZ_NL_MSGS) OOMNL_FUZZ_TIMEOUT=$$s$(if $(FUZZ_NL_SEED), OOMNL_FUZZ_SEED=$(FUZZ_NL_SEED))" \
	scripts/check.sh guest initramfs vm

# The other directory variables reach cli/Makefile from the command line
install uninstall:
	$(MAKE) -C cli $@ PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

deb:
	@scripts/build-deb.sh

clean:
	rm -rf build/guest build/initramfs.root build/initramfs.cpio.gz build/logs \
		build/vm-*.log build/vm-*.tap build/deb
	@for d in cli selftests; do $(MAKEQ) -C $$d clean || exit 1; done

# The OOM storm soak (selftests/netlink/oomnl_soak.c) alone and longer than
# make check's 150 s, on the sanitizer kernel unless KERNEL= names another
# bzImage.  The guest's init gets OOMCTL_SOAK_S from the kernel command line.
SOAK_S ?= 1800
soak:
	@KERNEL=$${KERNEL:-$(DEBUG_KOBJ)/arch/x86/boot/bzImage} FILTER=oomnl_soak \
	TEST_TIMEOUT=$$(( $(SOAK_S) + 600 )) VM_TIMEOUT=$$(( $(SOAK_S) + 1200 )) \
	VM_APPEND="$${VM_APPEND:+$$VM_APPEND }OOMCTL_SOAK_S=$(SOAK_S)" \
	scripts/check.sh guest initramfs vm
