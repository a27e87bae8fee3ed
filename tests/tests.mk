# SPDX-License-Identifier: GPL-2.0-or-later
# Tests: unit binaries, helpers, fuzz targets; included by the top Makefile.

UNIT_SRCS   := $(wildcard tests/unit/*.c)
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRCS:tests/helpers/%.c=$(BUILD)/tests/%)
FUZZ_SRCS   := $(wildcard tests/fuzz/*.c)
FUZZ_BINS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_FLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
               $(CPPFLAGS) -Itools/common $(LIBINSPECT_CFLAGS) -Wall -Wno-unused-parameter
# The presentation layer is fuzzed too: its sources go into every target.
FUZZ_TOOL_SRCS := tools/common/text.c tools/common/json.c tools/common/xalloc.c

.PHONY: test-build run

test-build: $(UNIT_BINS) $(HELPER_BINS) $(FUZZ_BINS)

# The frontends' own logic (escaping, tables, units, top's views) is unit-tested too.
TOOL_UNIT_OBJS := $(filter $(BUILD)/tools/common/%,$(TOOL_OBJS)) $(BUILD)/tools/top/top_view.o

$(BUILD)/tests/unit_%: tests/unit/unit_%.c $(LIB_A) $(TOOL_UNIT_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itools/common -Itools/top $(LIBINSPECT_CFLAGS) -o $@ $< $(TOOL_UNIT_OBJS) $(LIB_A) \
		$(LIBINSPECT_LIBS) -lm

# Runs inside sandboxes: a bare busybox root, a seccomp filter that denies ptrace.
$(BUILD)/tests/sandboxprobe: tests/helpers/sandboxprobe.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNINGS) -static -o $@ $<

$(BUILD)/tests/seccompfixture: tests/helpers/seccompfixture.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(SECCOMP_LIBS) -lpthread

# Links the library: the scanner's eBPF walk against a /proc scan.
$(BUILD)/tests/scancheck: tests/helpers/scancheck.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LIBINSPECT_CFLAGS) -o $@ $< $(LIB_A) $(LIBINSPECT_LIBS)

$(BUILD)/tests/%: tests/helpers/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $<

# libFuzzer targets are always built with clang and the sanitizers, from the
# library's sources, so they run the same way under `make test` and `make check`.
$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRCS) $(FUZZ_TOOL_SRCS) | $(BPF_SKELS) $(GEN_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRCS) $(FUZZ_TOOL_SRCS) $(LIBINSPECT_LIBS)

-include $(UNIT_BINS:=.d) $(HELPER_BINS:=.d)

# The README's test command: install what is missing, build, run everything.
test:
	@tests/deps.sh check >/dev/null 2>&1 || tests/deps.sh install
	@$(MAKE) --no-print-directory all test-build
	@tests/run $(BUILD)

# The same under AddressSanitizer and UBSan, in a build tree of its own.
check:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/san SANITIZE=1 test

# Long coverage-guided fuzzing of one target: make fuzz TARGET=procfs SECONDS=600
fuzz: $(FUZZ_BINS)
	@mkdir -p $(BUILD)/fuzz/corpus-$(or $(TARGET),procfs)
	$(BUILD)/fuzz/fuzz_$(or $(TARGET),procfs) -max_total_time=$(or $(SECONDS),300) \
		$(BUILD)/fuzz/corpus-$(or $(TARGET),procfs) tests/fuzz/corpus/$(or $(TARGET),procfs)

bench: all $(HELPER_BINS)
	@tests/bench/run $(BUILD)

# The README's run command: install what is missing, build, then run nsctl.
run:
	@tests/deps.sh check >/dev/null 2>&1 || tests/deps.sh install
	@$(MAKE) --no-print-directory all
	@$(NSCTL) $(or $(ARGS),ls)
