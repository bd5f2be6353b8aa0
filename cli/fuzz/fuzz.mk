# libFuzzer targets for the parsers of what oomctl reads from others:
# policy files, durations, the kernel's netlink replies and notifications,
# trace_pipe lines.  clang only; built as a variant of their own:
#   make OBJDIR=build/fuzz CC=clang SANITIZE=fuzzer fuzz-targets
# fuzz/run.sh builds and runs them (make test: a few seconds each; make
# fuzz: FUZZ_SECONDS each).  Included by the Makefile.
FUZZ_TARGETS := policyfile duration nlreply traceline
FUZZ_BINS := $(addprefix $(B)fuzz/,$(FUZZ_TARGETS))
FUZZ_OBJS := $(FUZZ_BINS:=.o)

# Each target with the objects its parsers need, no more
$(B)fuzz/policyfile: $(addprefix $(B),policyfile.o settings.o parse.o output.o)
$(B)fuzz/duration: $(addprefix $(B),settings.o parse.o output.o)
$(B)fuzz/nlreply: $(addprefix $(B),nl.o oomnl.o event.o settings.o parse.o output.o)
$(B)fuzz/traceline: $(addprefix $(B),tracefs.o event.o settings.o parse.o output.o)

$(FUZZ_BINS): %: %.o
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

$(FUZZ_OBJS): CPPFLAGS += -I.
$(FUZZ_OBJS): fuzz/fuzz.h

.PHONY: fuzz-targets fuzz
fuzz-targets: $(FUZZ_BINS)

# The longer run: FUZZ_SECONDS per target (default 300)
fuzz:
	@MAKE='$(MAKE)' fuzz/run.sh $(or $(FUZZ_SECONDS),300)
