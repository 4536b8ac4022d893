# pipecat: netcat for Windows pipes.
#
#   make            cross-compile build/pipecat.exe (static, MinGW-w64)
#   make check      install what is missing, build, run every test under Wine
#   make demo       install what is missing, build, run a serve/connect round trip
#   make install    PREFIX=/usr/local: the exe and the man page
#   make dist       build/dist/pipecat-VERSION-win64.zip, reproducible, and
#                   the Scoop and MSYS2 manifests in packaging/ kept in step
#
# On Windows with MSYS2's MinGW toolchain, CC_WIN=gcc and the tests run natively.

VERSION   = 0.1.0
BUILD     = build
PREFIX    = /usr/local

CC_WIN   ?= x86_64-w64-mingw32-gcc
CC_HOST  ?= cc
PROVE    ?= prove
# The target that pipecat --version names: the compiler's own.
TARGET_WIN := $(shell $(CC_WIN) -dumpmachine 2>/dev/null)

# Where releases are published: the Scoop manifest's homepage and url.
HOMEPAGE  = https://github.com/OWNER/pipecat
DIST_URL  = $(HOMEPAGE)/releases/download/v$(VERSION)

WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS_WIN = -std=c11 -O2 $(WARN) -D_WIN32_WINNT=0x0601 -DUNICODE -D_UNICODE \
	-DPIPECAT_VERSION='"$(VERSION)"' -ffile-prefix-map=$(CURDIR)=. \
	$(if $(TARGET_WIN),-DPIPECAT_TARGET='"$(TARGET_WIN)"')
LDFLAGS_WIN = -static -municode -s -Wl,--no-insert-timestamp
# ADVAPI32 is not linked: src/advapi.c loads it when serve, bench or info
# first needs it; nor is WS2_32, which src/sock.c loads for bridge.
LIBS_WIN  = -lkernel32

# Portable modules: no windows.h; also built natively with sanitizers.
PORTABLE  = pipename opts dacl cli argv stats hexdump pipelist json utf8 addr
# Windows modules.
MODULES   = pipecat command session pipeclient cmd_bridge bridge sock cmd_serve cmd_connect cmd_spawn cmd_bench bench_client bench_server bench_wire bench_part cmd_info cmd_list child exec threads broker pipeserver advapi relay pump dump aio winerr interrupt
SRCS      = $(addprefix src/,$(addsuffix .c,$(PORTABLE) $(MODULES)))
OBJS      = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRCS))
HDRS      = $(wildcard src/*.h)

# Small Windows programs used by the tests only.
HELPERS   = $(patsubst tests/helpers/%.c,$(BUILD)/helpers/%.exe,$(wildcard tests/helpers/*.c))
# Native unit tests of the portable modules, with AddressSanitizer and UBSan.
UNITS     = $(patsubst tests/unit/test_%.c,$(BUILD)/unit/test_%,$(wildcard tests/unit/test_*.c))
SAN       = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# Fuzz harnesses of the portable modules (tests/fuzz/fuzz_NAME.c), each built
# twice: with replay.c's main() by the host compiler, which make check runs
# over the corpora, and with libFuzzer by clang for make fuzz.
FUZZERS   = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAYS = $(addprefix $(BUILD)/fuzz/replay_,$(FUZZERS))
CLANG    ?= clang
FUZZ_SECONDS ?= 60
# make fuzz runs these (FUZZ_ONLY="argv json" for some).
FUZZ_ONLY ?= $(FUZZERS)

.PHONY: all check test unit demo install lint setup clean fuzz dist
all: $(BUILD)/pipecat.exe

$(BUILD)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC_WIN) $(CFLAGS_WIN) -c $< -o $@

$(BUILD)/pipecat.exe: $(OBJS)
	$(CC_WIN) $(LDFLAGS_WIN) $(OBJS) $(LIBS_WIN) -o $@

$(BUILD)/helpers/%.exe: tests/helpers/%.c
	@mkdir -p $(@D)
	$(CC_WIN) -std=c11 -O2 $(WARN) -D_WIN32_WINNT=0x0601 -static $< -o $@

# A unit test links its module, plus the portable modules that one uses.
UNIT_EXTRA_cli = src/opts.c src/utf8.c
UNIT_EXTRA_stats = -lm
UNIT_EXTRA_opts = src/utf8.c
UNIT_EXTRA_pipename = src/utf8.c
UNIT_EXTRA_pipelist = src/utf8.c
UNIT_EXTRA_json = src/utf8.c
UNIT_EXTRA_addr = src/pipename.c src/utf8.c
$(BUILD)/unit/test_%: tests/unit/test_%.c src/%.c src/%.h tests/unit/tap.h src/opts.c src/utf8.c
	@mkdir -p $(@D)
	$(CC_HOST) -std=c11 -g -O1 $(WARN) -Wconversion $(SAN) -Isrc $< src/$*.c $(UNIT_EXTRA_$*) -o $@

# A harness links its module and what that one uses, as its unit test does.
$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h src/%.c src/%.h src/opts.c src/utf8.c
	@mkdir -p $(@D)
	$(CC_HOST) -std=c11 -g -O1 $(WARN) -Wconversion $(SAN) -Isrc -Itests/fuzz $< tests/fuzz/replay.c src/$*.c $(UNIT_EXTRA_$*) -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h src/%.c src/%.h src/opts.c src/utf8.c
	@mkdir -p $(@D)
	$(CLANG) -std=c11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isrc -Itests/fuzz $< src/$*.c $(UNIT_EXTRA_$*) -o $@

setup:
	@sh scripts/setup.sh

# The two README commands: each installs what is missing first.
check: setup
	@$(MAKE) --no-print-directory test

demo: setup
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh scripts/demo.sh

test: all $(HELPERS) $(UNITS) $(FUZZ_REPLAYS) lint
	@BUILD=$(BUILD) PROVE=$(PROVE) sh tests/run.sh

unit: $(UNITS)
	@for t in $(UNITS); do $$t || exit 1; done

# make fuzz: each harness of FUZZ_ONLY under libFuzzer for FUZZ_SECONDS;
# clang and its libFuzzer runtime are installed if missing. New inputs go
# to build/fuzz/corpus/NAME, crashes to build/fuzz/crash-NAME-*.
fuzz:
	@CLANG=$(CLANG) sh tests/fuzz/setup.sh
	@$(MAKE) --no-print-directory $(addprefix $(BUILD)/fuzz/fuzz_,$(FUZZ_ONLY))
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_ONLY)

lint:
	mandoc -Tlint -W warning man/pipecat.1

# make bench: pipecat beside minimal reference programs, on this machine
# (bench/compare.sh); not part of make check. The references are built here.
.PHONY: bench
BENCH_EXES = $(patsubst bench/%.c,$(BUILD)/bench/%.exe,$(wildcard bench/*.c))
$(BUILD)/bench/%.exe: bench/%.c bench/ref.h
	@mkdir -p $(@D)
	$(CC_WIN) -std=c11 -O2 $(WARN) -D_WIN32_WINNT=0x0601 -DUNICODE -D_UNICODE -static -s $< -o $@ $(BENCH_LIBS)
# The pipe <-> TCP reference of bench/bridge.sh links Winsock as usual.
$(BUILD)/bench/ref_bridge.exe: BENCH_LIBS = -lws2_32
bench: setup
	@$(MAKE) --no-print-directory all $(BENCH_EXES)
	@BUILD=$(BUILD) sh scripts/get-node.sh || echo "bench: no node.exe; Node's figures are skipped" >&2
	@BUILD=$(BUILD) bash bench/compare.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/pipecat.exe $(DESTDIR)$(PREFIX)/bin/pipecat.exe
	install -m 644 man/pipecat.1 $(DESTDIR)$(PREFIX)/share/man/man1/pipecat.1

# The Windows release: see packaging/dist.sh. The tests run it with BUILD,
# SCOOP_JSON and PKGBUILD pointing into their own directory.
dist: all
	@BUILD=$(BUILD) VERSION=$(VERSION) HOMEPAGE=$(HOMEPAGE) DIST_URL=$(DIST_URL) \
	    sh packaging/dist.sh

clean:
	rm -rf $(BUILD)/obj $(BUILD)/helpers $(BUILD)/unit $(BUILD)/fuzz $(BUILD)/pipecat.exe $(BUILD)/t $(BUILD)/dist
