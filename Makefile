# SPDX-License-Identifier: GPL-2.0-or-later
# nsctl: one GNU make build, all output under $(BUILD).

# A target whose recipe fails or is interrupted is removed, never left half-written.
.DELETE_ON_ERROR:

VERSION     := 0.1.0
SOVERSION   := 0
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/sbin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
DESTDIR     ?=

BUILD       ?= build
CC          ?= cc
CLANG       ?= clang
BPFTOOL     ?= bpftool
PKG_CONFIG  ?= pkg-config
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

ARCH        := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/ppc64le/powerpc/' -e 's/s390x/s390/')

CFLAGS      ?= -O2 -g
WARNINGS    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wno-unused-parameter
ifneq ($(WERROR),)
WARNINGS    += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS    := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
CPPFLAGS    += -D_GNU_SOURCE -DNSCTL_VERSION='"$(VERSION)"' -Iinclude -Ilibinspect -I$(BUILD)/bpf -I$(BUILD)/gen -Ibpf
ALL_CFLAGS   = $(CPPFLAGS) $(CFLAGS) $(WARNINGS) $(SANFLAGS) -MMD -MP
LIB_CFLAGS   = $(ALL_CFLAGS) $(LIBINSPECT_CFLAGS) -fPIC -fvisibility=hidden

LIBINSPECT_PKGS := libbpf json-c libcap libseccomp
LIBINSPECT_LIBS := $(shell $(PKG_CONFIG) --libs $(LIBINSPECT_PKGS) 2>/dev/null || echo -lbpf -ljson-c -lcap -lseccomp)
LIBINSPECT_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(LIBINSPECT_PKGS) 2>/dev/null)
TOOL_PKGS       := $(LIBINSPECT_PKGS) ncursesw libevent_extra libevent_core zlib
TOOL_LIBS       := $(shell $(PKG_CONFIG) --libs $(TOOL_PKGS) 2>/dev/null || echo -lbpf -ljson-c -lcap -lseccomp -lncursesw -ltinfo -levent_extra -levent_core -lz)
TOOL_CFLAGS     := $(shell $(PKG_CONFIG) --cflags $(TOOL_PKGS) 2>/dev/null)

# nsctl is one static file: nothing to install beside it on a host in
# trouble, and no dynamic loading at each start, which is a sixth of what
# `nsctl enter` costs. STATIC= links it dynamically; sanitizer builds always are.
STATIC ?= 1
ifeq ($(SANITIZE)$(filter-out 1,$(STATIC)),)
NSCTL_LDFLAGS := -static-pie
TOOL_LIBS     := $(shell $(PKG_CONFIG) --static --libs $(TOOL_PKGS) 2>/dev/null || echo -lbpf -lelf -lz -ljson-c -lcap -lseccomp -lncursesw -ltinfo -levent_extra -levent_core)
endif

LIB_SRCS  := $(wildcard libinspect/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
TOOL_SRCS := $(wildcard tools/*.c tools/*/*.c)
TOOL_OBJS := $(TOOL_SRCS:%.c=$(BUILD)/%.o)
BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/bpf/%.bpf.o)
BPF_SKELS := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/bpf/%.lskel.h)
GEN_HDRS  := $(BUILD)/gen/seccomp_default.h
# The default seccomp filter is compiled by libseccomp at build time, for this machine.
SECCOMP_LIBS := $(shell $(PKG_CONFIG) --libs libseccomp 2>/dev/null || echo -lseccomp)

SONAME    := libinspect.so.$(SOVERSION)
LIB_SO    := $(BUILD)/$(SONAME)
LIB_A     := $(BUILD)/libinspect.a
# Made at install time from the install-time PREFIX and LIBDIR.
LIB_PC    := $(BUILD)/install/libinspect.pc
NSCTL     := $(BUILD)/nsctl

MANPAGES  := $(wildcard man/*.8 man/*.3)

.PHONY: all deps image deb test check bench fuzz install uninstall install-manifest clean
.DEFAULT_GOAL := all

all: $(NSCTL) $(LIB_SO) $(LIB_A)

# ---- eBPF: vmlinux.h from the running kernel, CO-RE objects, light skeletons
$(BUILD)/vmlinux.h:
	@mkdir -p $(@D)
	@test -r $(VMLINUX_BTF) || { echo "nsctl: $(VMLINUX_BTF): kernel BTF missing; set VMLINUX_BTF=path" >&2; exit 1; }
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -I$(BUILD) -Ibpf -MMD -MP -c $< -o $@

$(BUILD)/bpf/%.lskel.h: $(BUILD)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton -L $< name $* > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/seccomp_filter: libinspect/gen/seccomp_filter.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNINGS) -o $@ $< $(SECCOMP_LIBS)

$(GEN_HDRS): $(BUILD)/gen/seccomp_filter
	$< > $@.tmp && mv $@.tmp $@

# ---- libinspect
$(BUILD)/libinspect/%.o: libinspect/%.c | $(BPF_SKELS) $(GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(LIB_SO): $(LIB_OBJS) libinspect/libinspect.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=libinspect/libinspect.map \
		$(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(LIB_OBJS) $(LIBINSPECT_LIBS)
	ln -sf $(SONAME) $(BUILD)/libinspect.so

$(LIB_A): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# ---- nsctl (links libinspect statically: one self-contained binary)
$(BUILD)/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itools/common $(TOOL_CFLAGS) -c $< -o $@

$(NSCTL): $(TOOL_OBJS) $(LIB_A)
	$(CC) $(CFLAGS) $(SANFLAGS) $(NSCTL_LDFLAGS) $(LDFLAGS) -o $@ $(TOOL_OBJS) $(LIB_A) $(TOOL_LIBS) -lm -lpthread

-include $(LIB_OBJS:.o=.d) $(TOOL_OBJS:.o=.d) $(BPF_OBJS:.o=.d)

include tests/tests.mk

# ---- dependencies, install
deps:
	@tests/deps.sh install

# The node agent's image (tools/deploy/Dockerfile): FROM scratch, the static nsctl alone.
IMAGE         ?= nsctl:$(VERSION)
CONTAINER_CLI ?= docker
image: $(NSCTL)
	@rm -rf $(BUILD)/image && mkdir -p $(BUILD)/image && cp $(NSCTL) $(BUILD)/image/
	$(CONTAINER_CLI) build -t $(IMAGE) -f tools/deploy/Dockerfile $(BUILD)/image

# What install puts where, relative to DESTDIR; uninstall removes exactly this.
INSTALLED = $(BINDIR)/nsctl $(LIBDIR)/$(SONAME) $(LIBDIR)/libinspect.so $(LIBDIR)/libinspect.a \
	$(LIBDIR)/pkgconfig/libinspect.pc $(addprefix $(INCLUDEDIR)/,$(patsubst include/%,%,$(wildcard include/inspect/*.h))) \
	$(addprefix $(MANDIR)/man8/,$(notdir $(filter %.8,$(MANPAGES)))) \
	$(addprefix $(MANDIR)/man3/,$(notdir $(filter %.3,$(MANPAGES)))) \
	$(BASHCOMPDIR)/nsctl $(ZSHCOMPDIR)/_nsctl

install: all
	@mkdir -p $(dir $(LIB_PC))
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@LIBS_PRIVATE@|$(LIBINSPECT_LIBS)|' libinspect/libinspect.pc.in > $(LIB_PC)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/inspect \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(NSCTL) $(DESTDIR)$(BINDIR)/nsctl
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libinspect.so
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/libinspect.a
	install -m 644 $(LIB_PC) $(DESTDIR)$(LIBDIR)/pkgconfig/libinspect.pc
	install -m 644 include/inspect/*.h $(DESTDIR)$(INCLUDEDIR)/inspect/
	install -m 644 $(filter %.8,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man8/
	install -m 644 $(filter %.3,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man3/
	install -m 644 tools/completion/nsctl.bash $(DESTDIR)$(BASHCOMPDIR)/nsctl
	install -m 644 tools/completion/_nsctl $(DESTDIR)$(ZSHCOMPDIR)/_nsctl

# Debian packages, built with dpkg-deb from a staged install under $(BUILD)/deb:
# nsctl (the static binary, man pages, completions), libinspect0 and libinspect-dev.
DEB_VERSION ?= $(VERSION)$(shell git describe --always --dirty 2>/dev/null | sed 's/^/+g/; s/-/./g')
deb: all
	@tools/deploy/mkdeb.sh $(BUILD) $(DEB_VERSION)

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/inspect 2>/dev/null

# The list, for packaging and the install check.
install-manifest:
	@printf '%s\n' $(INSTALLED)

clean:
	rm -rf $(BUILD)
