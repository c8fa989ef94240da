# musl, the guests' C library, built from Debian's source package for
# $(ARCH) into $(AB)/musl/ (include/, lib/libc.a, lib/crt1.o...).
#
#   make musl [ARCH=aarch64] [CC=clang]   fetch once, build, check, link test
#
# The source is fetched once into build/src/musl (unikernel/fetch-src.sh;
# offline after that), shared by every build directory. The build works on
# a copy: musl's assembly that enters the kernel is removed and our files
# (unikernel/musl/, laid out as musl's tree) are copied over it, so every
# system call becomes a C call to the libOS's __mote_syscall. libc.a is
# rebuilt only when those files or this one change.

MUSL_SRC := build/src/musl
MUSL_WORK := $(AB)/musl-build
MUSL_DIR := $(AB)/musl
MUSL_LIB := $(MUSL_DIR)/lib/libc.a
MUSL_OURS := $(shell find unikernel/musl -type f)
MUSL_OBJDUMP := $(CROSS)objdump
MUSL_CFLAGS := -O2 -fno-pic -fno-pie -fno-omit-frame-pointer
# musl's allocator: oldmalloc, its dlmalloc-style one (bins, no metadata
# walk), made malloc/free 0.8x glibc's speed here where mallocng (musl's
# default since 1.2.1, hardened against heap misuse with out-of-band
# metadata) made 0.37x (bench/both/alloc.c, native static builds, same
# machine). MUSL_MALLOC=mallocng builds the hardened one.
MUSL_MALLOC ?= oldmalloc

# musl's arch files with a system call instruction. Without them musl
# builds its generic C instead (clone: -ENOSYS; __unmapself; vfork: fork),
# or ours (syscall_cp, restore, x86_64 __set_thread_area).
MUSL_DROP_x86_64 := src/thread/x86_64/syscall_cp.s src/thread/x86_64/clone.s \
	src/thread/x86_64/__unmapself.s src/thread/x86_64/__set_thread_area.s \
	src/signal/x86_64/restore.s src/process/x86_64/vfork.s
MUSL_DROP_aarch64 := src/thread/aarch64/syscall_cp.s \
	src/thread/aarch64/clone.s src/thread/aarch64/__unmapself.s \
	src/signal/aarch64/restore.s

# musl's own make gets none of ours: command-line variables (CC, CFLAGS,
# ARCH...) would override its configuration.
MUSL_MAKE = MAKEFLAGS= MFLAGS= $(MAKE) -j$(shell nproc) -C $(MUSL_WORK)
MUSL_LOG = $(CURDIR)/$(MUSL_WORK)/build.log
musl_step = { $(1) >>$(MUSL_LOG) 2>&1 || { tail -n 5 $(MUSL_LOG); \
	echo "mote: error: musl: $(2) failed (log: $(MUSL_LOG))" >&2; exit 1; }; }

$(MUSL_SRC)/.unpacked: | unikernel/fetch-src.sh
	$(Q)unikernel/fetch-src.sh musl $(MUSL_SRC)

$(MUSL_LIB): $(MUSL_SRC)/.unpacked $(MUSL_OURS) unikernel/musl.mk \
		unikernel/musl-check.sh
	$(call say,MUSL,$(MUSL_WORK))
	$(Q)rm -rf $(MUSL_WORK) $(MUSL_DIR) && mkdir -p $(dir $(MUSL_WORK))
	$(Q)cp -R $(MUSL_SRC) $(MUSL_WORK)
	$(Q)cd $(MUSL_WORK) && rm $(MUSL_DROP_$(ARCH))
	$(Q)cp -R unikernel/musl/. $(MUSL_WORK)/
	$(Q)$(call musl_step,cd $(MUSL_WORK) && AR=$(CROSS)ar \
		RANLIB=$(CROSS)ranlib ./configure --target=$(ARCH) \
		--prefix=$(CURDIR)/$(MUSL_DIR) --disable-shared \
		--disable-wrapper --with-malloc=$(MUSL_MALLOC) \
		CC="$(CC) $(GUEST_TARGET)" \
		CROSS_COMPILE=$(CROSS) CFLAGS="$(MUSL_CFLAGS)",configure)
	$(Q)$(call musl_step,$(MUSL_MAKE),build)
	$(Q)$(call musl_step,$(MUSL_MAKE) install,install)
	$(call say,CHECK,$@)
	$(Q)unikernel/musl-check.sh $(ARCH) $(MUSL_OBJDUMP) $@ \
		$(MUSL_DIR)/lib/*.o || { rm -f $@; exit 1; }
	@echo "musl: $@: $$(wc -c <$@) bytes, $$($(CROSS)ar t $@ | wc -l) objects"

# The link test: a small program with musl's crt1.o and the whole of
# libc.a (so every object's references must resolve) over a stub
# __mote_syscall. The run test forwards __mote_syscall to the host's kernel
# and runs where the host can (same arch), counting the calls.
MUSL_TEST := $(AB)/musl-test
MUSL_TEST_CFLAGS := $(GUEST_TARGET) -O2 -std=gnu11 $(WARN) -fno-pic \
	-fno-pie -fno-omit-frame-pointer -nostdinc -isystem $(MUSL_DIR)/include
MUSL_LINK = $(CC) $(GUEST_TARGET) -static -nostdlib \
	-Wl,-z,noexecstack -o $@ $(MUSL_DIR)/lib/crt1.o $(MUSL_DIR)/lib/crti.o
MUSL_LINK_END = $(shell $(CC) $(GUEST_TARGET) -print-libgcc-file-name) \
	$(MUSL_DIR)/lib/crtn.o

$(MUSL_TEST)/%.o: tests/musl/%.c $(MUSL_LIB)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(MUSL_TEST_CFLAGS) -c $< -o $@

$(MUSL_TEST)/link.elf: $(MUSL_TEST)/main.o $(MUSL_TEST)/stub.o
	$(call say,LD,$@)
	$(Q)$(MUSL_LINK) $^ -Wl,--whole-archive $(MUSL_LIB) \
		-Wl,--no-whole-archive $(MUSL_LINK_END)

$(MUSL_TEST)/run.elf: $(MUSL_TEST)/main.o $(MUSL_TEST)/forward_$(ARCH).o
	$(call say,LD,$@)
	$(Q)$(MUSL_LINK) $^ $(MUSL_LIB) $(MUSL_LINK_END)

musl: $(MUSL_TEST)/link.elf $(MUSL_TEST)/run.elf
ifeq ($(ARCH),$(HOST_ARCH))
	$(Q)$(MUSL_TEST)/run.elf
else
	@echo "SKIP: musl run test NOT RUN: $(ARCH) binaries do not run on $(HOST_ARCH)"
endif

.PHONY: musl
