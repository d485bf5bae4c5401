# spinner: spinner-thread and spinner-async.  GNU make.
#
#   make              build both binaries into build/
#   make run          build, then run the demo of spinner-thread
#   make test         build and run every test (installs what it lacks)
#   make lint, tsan, fuzz   slower checks, as CI runs them
#   make bench        measurements, into bench/results.md
#   make install      PREFIX=/usr/local DESTDIR= (binaries, man pages,
#                     shell completions); make uninstall
#   make installcheck the end-to-end suites on the installed binaries
#   make dist, distcheck    the release tarball, built and tested alone
#   make deb, autopkgtest   the Debian package, checked and tested
#
# CC, CFLAGS, CPPFLAGS, LDFLAGS, LDLIBS and PKG_CONFIG are honoured.

# The version, defined once, in src/version.h.
VERSION := $(shell sed -n 's/^\#define SPINNER_VERSION "\(.*\)"$$/\1/p' \
             src/version.h)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANPREFIX ?= $(PREFIX)/share/man
# Where each shell looks for a command's completion by the command's name.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes \
       -Wmissing-prototypes -Wno-missing-field-initializers
ifeq ($(CI),true)
WARN += -Werror
endif
SPINNER_CPPFLAGS = -D_XOPEN_SOURCE=700
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS)
B = build

# libuv's and cmocka's flags come from pkg-config, asked once each, when a
# rule first needs them (after the -dev packages are in); without a .pc
# file, the plain -l is tried.
PKG_CONFIG ?= pkg-config
pkg = $(shell $(PKG_CONFIG) $(1) $(2) 2>/dev/null)
UV_CFLAGS = $(eval UV_CFLAGS := $(call pkg,--cflags,libuv))$(UV_CFLAGS)
UV_LIBS = $(eval UV_LIBS := $(or $(call pkg,--libs,libuv),-luv))$(UV_LIBS)
CMOCKA_CFLAGS = $(eval CMOCKA_CFLAGS := \
                $(call pkg,--cflags,cmocka))$(CMOCKA_CFLAGS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := \
              $(or $(call pkg,--libs,cmocka),$(CMOCKA_LIBS)))$(CMOCKA_LIBS)

LIB_SRC = src/options.c src/styles.c src/render.c src/line.c src/term.c \
          src/signals.c src/outcome.c src/command.c src/say.c src/engine.c \
          src/cli.c src/vt.c src/board.c src/batch.c src/kept.c src/stats.c \
          src/words.c src/color.c
LIB_OBJ = $(LIB_SRC:src/%.c=$(B)/%.o)

UNIT_TESTS = options styles render line outcome command engine vt board batch \
             stats words color
E2E_TESTS = thread async tasks_thread tasks_async
TEST_BINS = $(UNIT_TESTS:%=$(B)/test_%) $(E2E_TESTS:%=$(B)/e2e_%) \
            $(B)/e2e_parity $(B)/e2e_tasks_parity
HARNESS_OBJ = $(B)/t_harness.o $(B)/t_screen.o
BENCH_BINS = $(B)/spinner-thread $(B)/spinner-async

.PHONY: all run test tests test-build san-tests bench bench-deps install \
        uninstall clean lint static tsan san-bins

all: $(B)/spinner-thread $(B)/spinner-async

run: $(B)/spinner-thread
	./$(B)/spinner-thread

# --- dependencies: a missing Debian package is installed when we can,
# otherwise the exact command to run is printed.  apt_install is the
# shell that installs package $(2), missing for $(1).
define apt_install
{ if [ "$$(id -u)" = 0 ]; then SUDO=; \
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; \
  else echo "missing $(1): run 'sudo apt-get install $(2)'" >&2; exit 1; fi; \
  echo "installing $(2) for $(1)" >&2; \
  $$SUDO apt-get update -qq && \
  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(2) >/dev/null || { \
    echo "could not install $(2): run 'sudo apt-get install $(2)'" >&2; exit 1; }; }
endef

# A library: its pkg-config module $(3), else its header $(1).
define need
	@$(PKG_CONFIG) --exists $(3) 2>/dev/null || printf '#include <stddef.h>\n#include <stdarg.h>\n#include <setjmp.h>\n#include <stdint.h>\n#include <%s>\n' '$(1)' \
	  | $(CC) $(CPPFLAGS) -E -x c - >/dev/null 2>&1 || $(call apt_install,<$(1)>,$(2))
endef

define need_tool
	@command -v $(1) >/dev/null 2>&1 || $(call apt_install,$(1),$(2))
endef

define need_file
	@[ -f $(1) ] || $(call apt_install,$(1),$(2))
endef

$(B)/.deps-build:
	$(call need_tool,$(PKG_CONFIG),pkgconf)
	$(call need,uv.h,libuv1-dev,libuv)
	@mkdir -p $(B) && touch $@

# What the end-to-end suites need to be built and run, alone (make
# installcheck, on installed binaries); then what every test needs.
$(B)/.deps-suites:
	$(call need_tool,$(PKG_CONFIG),pkgconf)
	$(call need,cmocka.h,libcmocka-dev,cmocka)
	$(call need_tool,less,less)
	@mkdir -p $(B) && touch $@

$(B)/.deps-test: $(B)/.deps-build $(B)/.deps-suites
	$(if $(filter yes,$(VALGRIND)),$(call need_tool,valgrind,valgrind))
	$(call need_tool,mandoc,mandoc)
	$(call need_tool,clang,clang)
	$(call need_file,/usr/share/bash-completion/bash_completion,bash-completion)
	$(call need_tool,zsh,zsh)
	$(call need_tool,fish,fish)
	@mkdir -p $(B) && touch $@

# --- build
$(B)/%.o: src/%.c src/*.h $(B)/.deps-build
	$(CC) $(SPINNER_CPPFLAGS) $(CPPFLAGS) $(ALL_CFLAGS) -Isrc -c -o $@ $<

$(B)/spinner-async.o: src/spinner-async.c src/*.h $(B)/.deps-build
	$(CC) $(SPINNER_CPPFLAGS) $(CPPFLAGS) $(UV_CFLAGS) $(ALL_CFLAGS) -Isrc \
	  -c -o $@ $<

$(B)/spinner-thread: $(B)/spinner-thread.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -lpthread $(LDLIBS)

$(B)/spinner-async: $(B)/spinner-async.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(UV_LIBS) $(LDLIBS)

# Statically linked (make static), into $(B)/static: no shared library
# to map, so the resident size is what the spinner itself touches (see
# bench/results.md).  The linker warns about getpwuid_r in libuv, which
# the spinner never calls.
UV_STATIC = $(shell pkg-config --static --libs libuv-static 2>/dev/null || \
              echo -luv)
static: $(B)/static/spinner-thread $(B)/static/spinner-async

$(B)/static/spinner-thread: $(B)/spinner-thread.o $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -static -o $@ $^ -lpthread $(LDLIBS)

$(B)/static/spinner-async: $(B)/spinner-async.o $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -static -o $@ $^ $(UV_STATIC) $(LDLIBS)

# --- tests: one cmocka binary per module, plus end-to-end suites that run
# the built binaries on a pseudo-terminal and in pipes.
# The tests' own code is built at -O1: a third of the time -O2 takes, and
# nothing in it is timed.
TEST_OPT ?= -O1
TEST_CFLAGS = $(SPINNER_CPPFLAGS) $(CPPFLAGS) $(CMOCKA_CFLAGS) $(ALL_CFLAGS) \
              $(TEST_OPT) -Isrc -Itests
$(B)/t_%.o: tests/%.c tests/*.h src/*.h $(B)/.deps-suites
	$(CC) -D_DEFAULT_SOURCE $(TEST_CFLAGS) -c -o $@ $<

# The engine runs against a faked clock, kill, waitpid, COMMAND and
# suspend: each fake is listed here once and defined in tests/fakes.c.
ENGINE_FAKES = clock_gettime kill waitpid command_start command_read \
               command_resize signals_stop signals_reraise \
               term_open_ctty term_foreground term_give term_holder
# fork is wrapped to look at the child the moment it exists.
$(B)/test_command: tests/test_command.c $(LIB_OBJ) $(B)/.deps-test
	$(CC) -D_DEFAULT_SOURCE $(TEST_CFLAGS) $(LDFLAGS) -Wl,--wrap=fork \
	  -o $@ $< $(LIB_OBJ) $(CMOCKA_LIBS)

$(B)/test_engine: tests/test_engine.c tests/fakes.c tests/fakes.h $(LIB_OBJ) $(HARNESS_OBJ) $(B)/.deps-test
	$(CC) -D_DEFAULT_SOURCE $(TEST_CFLAGS) $(LDFLAGS) \
	  $(ENGINE_FAKES:%=-Wl,--wrap=%) -o $@ tests/test_engine.c \
	  tests/fakes.c $(LIB_OBJ) $(HARNESS_OBJ) $(CMOCKA_LIBS) -lutil

# Shell completions (completions/): each in its shell, on the built
# binaries.
UNIT_TESTS += completion

$(B)/test_%: tests/test_%.c $(LIB_OBJ) $(HARNESS_OBJ) $(B)/.deps-test
	$(CC) -D_DEFAULT_SOURCE $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(HARNESS_OBJ) $(CMOCKA_LIBS) -lpthread -lutil

$(B)/e2e_parity: tests/e2e_parity.c $(HARNESS_OBJ) $(B)/.deps-suites
	$(CC) -D_DEFAULT_SOURCE $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(HARNESS_OBJ) $(CMOCKA_LIBS) -lutil

$(B)/e2e_tasks_parity: tests/e2e_tasks_parity.c $(HARNESS_OBJ) $(B)/.deps-suites
	$(CC) -D_DEFAULT_SOURCE $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(HARNESS_OBJ) $(CMOCKA_LIBS) -lutil

# The completions as installed, for make installcheck alone.
$(B)/e2e_installed: tests/e2e_installed.c $(HARNESS_OBJ) $(B)/.deps-suites
	$(CC) -D_DEFAULT_SOURCE $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(HARNESS_OBJ) $(CMOCKA_LIBS) -lutil

# Many tasks at once (-c, -T), per binary; e2e_% below is every other.
$(B)/e2e_tasks_%: tests/e2e_tasks.c $(HARNESS_OBJ) $(B)/.deps-suites
	$(CC) -D_DEFAULT_SOURCE -DSPINNER_BIN='"spinner-$*"' $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(HARNESS_OBJ) $(CMOCKA_LIBS) -lutil

$(B)/e2e_%: tests/e2e.c $(HARNESS_OBJ) $(B)/.deps-suites
	$(CC) -D_DEFAULT_SOURCE -DSPINNER_BIN='"spinner-$*"' $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(HARNESS_OBJ) $(CMOCKA_LIBS) -lutil

# Faults: each front end, its main renamed spinner_main, run with the
# calls it makes failing on purpose (tests/test_faults.c).  Every call a
# fault may hit is wrapped here; a wrapper passes through until a case
# arms it.
FAULT_WRAPS = write ioctl fork posix_openpt pipe2 posix_spawn posix_spawnp
FAULT_WRAPS_thread = $(FAULT_WRAPS) pthread_create
FAULT_WRAPS_async = $(FAULT_WRAPS) uv_loop_init uv_signal_start \
                    uv_timer_start uv_poll_init uv_poll_start uv_loop_close
FAULT_LIBS_thread = -lpthread
FAULT_LIBS_async = $(UV_LIBS) -lpthread
TEST_BINS += $(B)/test_faults_thread $(B)/test_faults_async

.SECONDARY: $(B)/f_spinner-thread.o $(B)/f_spinner-async.o
$(B)/f_spinner-%.o: src/spinner-%.c src/*.h tests/faults.h $(B)/.deps-test
	$(CC) $(TEST_CFLAGS) $(UV_CFLAGS) -Dmain=spinner_main \
	  -include tests/faults.h \
	  -c -o $@ $<

$(B)/test_faults_%: tests/test_faults.c $(B)/f_spinner-%.o $(LIB_OBJ) $(HARNESS_OBJ) $(B)/.deps-test
	$(CC) -D_DEFAULT_SOURCE -DFAULTS_$* $(TEST_CFLAGS) $(LDFLAGS) \
	  $(FAULT_WRAPS_$*:%=-Wl,--wrap=%) -o $@ $< $(B)/f_spinner-$*.o \
	  $(LIB_OBJ) $(HARNESS_OBJ) $(CMOCKA_LIBS) -lutil $(FAULT_LIBS_$*)

# --- fuzzing (make fuzz).  A libFuzzer target per parser and for the
# renderer, tests/fuzz/fuzz_<target>.c (its top says what it checks), built
# with clang and the sanitizers into $(B)/fuzz and run one after another,
# FUZZ_SECONDS each.  What they find goes to a scratch corpus,
# $(B)/fuzz/corpus/<target>, read along with the seeds in
# tests/fuzz/<target>; FUZZ_MERGE=1 merges the inputs that add coverage
# into the seeds.  make fuzz fails if any target finds a crash, a leak,
# undefined behaviour or a hang (-timeout), and names the input kept.
# test_fuzz_corpus replays every seed through the same checks in make test.
FUZZ_TARGETS = options duration render output
FUZZ_SECONDS ?= 30
FUZZ_MERGE ?= 0
FUZZ_LEN_options = 512
FUZZ_LEN_duration = 64
FUZZ_LEN_render = 1024
FUZZ_LEN_output = 256
FUZZ_B = $(B)/fuzz
FUZZ_LIB = $(patsubst %,$(FUZZ_B)/%.o,options styles render line vt outcome \
           signals color board)
FUZZ_SRC = $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%.c) tests/fuzz/fuzz.c
FUZZ_CFLAGS = $(SPINNER_CPPFLAGS) -std=c11 $(WARN) -g -O1 \
              -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined -Isrc -Itests/fuzz
UNIT_TESTS += fuzz_corpus

.PHONY: fuzz
.SECONDARY: $(FUZZ_LIB)

$(B)/test_fuzz_corpus: tests/test_fuzz_corpus.c $(FUZZ_SRC) tests/fuzz/fuzz.h $(LIB_OBJ) $(B)/.deps-test
	$(CC) -D_DEFAULT_SOURCE $(TEST_CFLAGS) $(LDFLAGS) -o $@ \
	  tests/test_fuzz_corpus.c $(FUZZ_SRC) $(LIB_OBJ) $(CMOCKA_LIBS)

# clang, and libFuzzer with it (Debian ships it apart, in libclang-rt-N-dev).
$(FUZZ_B)/.deps:
	$(call need_tool,clang,clang)
	@mkdir -p $(FUZZ_B)
	@echo 'int LLVMFuzzerTestOneInput(void) { return 0; }' \
	  | clang -fsanitize=fuzzer -x c -o $(FUZZ_B)/.try - >/dev/null 2>&1 || { \
	  pkg=libclang-rt-$$(clang -dumpversion | cut -d. -f1)-dev; \
	  $(call apt_install,libFuzzer,$$pkg); }
	@rm -f $(FUZZ_B)/.try && touch $@

$(FUZZ_B)/%.o: src/%.c src/*.h $(FUZZ_B)/.deps
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/libfuzzer.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_TARGET=$* -o $@ \
	  tests/fuzz/libfuzzer.c tests/fuzz/fuzz_$*.c tests/fuzz/fuzz.c \
	  $(FUZZ_LIB)

fuzz: $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz_%)
	@failed=; \
	for tl in $(foreach t,$(FUZZ_TARGETS),$(t):$(FUZZ_LEN_$(t))); do \
	  t=$${tl%:*} len=$${tl#*:}; \
	  corpus=$(FUZZ_B)/corpus/$$t found=$(FUZZ_B)/found/$$t/; \
	  log=$(FUZZ_B)/$$t.log; \
	  mkdir -p $$corpus $$found; \
	  UBSAN_OPTIONS=print_stacktrace=1 ./$(FUZZ_B)/fuzz_$$t \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=$$len -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=$$found \
	    $$corpus tests/fuzz/$$t >$$log 2>&1; \
	  rc=$$?; \
	  printf 'fuzz %-9s %9s runs %7s/s  corpus %s\n' $$t \
	    "$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log)" \
	    "$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log)" \
	    "$$(ls $$corpus | wc -l)"; \
	  if [ $$rc -ne 0 ]; then \
	    failed="$$failed $$t"; \
	    grep -E 'check failed|ERROR:|SUMMARY:|runtime error' $$log | head -n 5; \
	    for f in $$(sed -n 's/.*Test unit written to \(.*\)/\1/p' $$log); do \
	      echo "fuzz $$t: the input is in $$f (again: $(FUZZ_B)/fuzz_$$t $$f)"; \
	    done; \
	    echo "fuzz $$t: the whole report is in $$log"; \
	  elif [ "$(FUZZ_MERGE)" = 1 ]; then \
	    ./$(FUZZ_B)/fuzz_$$t -merge=1 -max_len=$$len tests/fuzz/$$t \
	      $$corpus >>$$log 2>&1 || exit 1; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed" >&2; exit 1; fi

# The same tests three ways: natively, under valgrind, and built with
# AddressSanitizer and UndefinedBehaviorSanitizer (in $(B)/san).  Both
# builds and the lint go side by side, one job per processor unless make
# was given -j; tests/run.sh then runs the suites side by side too.
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer \
      -fno-sanitize-recover=undefined
NPROC := $(shell nproc 2>/dev/null || echo 1)
# VALGRIND=no: leave the runs under valgrind out, where it does not exist.
VALGRIND ?= yes
tests: all $(TEST_BINS)

test: $(B)/.deps-test
	@$(MAKE) --no-print-directory \
	  $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC)) test-build
	@SPINNER_BUILD=$(B) sh tests/run.sh \
	  $(if $(filter yes,$(VALGRIND)),--valgrind) --also $(B)/san \
	  $(TEST_BINS)

test-build: all $(TEST_BINS) lint-quick san-tests

# The end-to-end suites themselves run as built natively, on the
# binaries built with the sanitizers: only those need building again.
san-tests: $(B)/.deps-test
	@$(MAKE) --no-print-directory B=$(B)/san CFLAGS="-O1 -g $(SAN)" \
	  LDFLAGS="$(SAN)" san-bins >/dev/null

san-bins: all $(filter-out $(B)/e2e_%,$(TEST_BINS))

# ThreadSanitizer (make tsan): spinner-thread, the unit tests and the
# thread binary's fault and end-to-end suites built with -fsanitize=thread
# (clang), in $(B)/tsan.  spinner-async is built too, for the cases that
# nest one binary in the other.  The runtime comes with libFuzzer's (see
# fuzzing); the suites run without address randomization, which this TSan
# cannot map around on kernels with many random bits.  Any report fails
# the run: TSan writes it to $(B)/tsan/report.PID and exits 66, and the
# run fails if a report exists.
TSAN = -fsanitize=thread -fno-omit-frame-pointer
TSAN_TESTS = $(UNIT_TESTS:%=test_%) test_faults_thread e2e_thread e2e_tasks_thread
tsan: $(B)/.deps-test $(FUZZ_B)/.deps
	@$(MAKE) --no-print-directory B=$(B)/tsan CC=clang \
	  CFLAGS="-O1 -g $(TSAN)" LDFLAGS="$(TSAN)" all \
	  $(TSAN_TESTS:%=$(B)/tsan/%) >/dev/null
	@rm -f $(B)/tsan/report.*
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 log_path=$(CURDIR)/$(B)/tsan/report" \
	  SPINNER_TSAN=1 SPINNER_BUILD=$(B)/tsan setarch $$(uname -m) -R \
	  sh tests/run.sh \
	  $(TSAN_TESTS:%=$(B)/tsan/%)
	@if ls $(B)/tsan/report.* >/dev/null 2>&1; then \
	  cat $(B)/tsan/report.*; echo "ThreadSanitizer reported the above" >&2; \
	  exit 1; fi

# Measurements, never asserted by tests: see bench/bench.c.  One table,
# both binaries side by side, also written to bench/results.md with the
# machine.  QUICK=1: fewer runs and tasks, under a minute.  BENCH=part
# (or part,part) runs those alone and leaves bench/results.md as it was;
# BENCH=limits, never run otherwise, finds where each binary stops
# starting more tasks at once.
BENCH_SRC = bench/bench.c bench/run.c bench/stats.c bench/table.c \
            bench/spin.c bench/tasks.c

$(B)/bench: $(BENCH_SRC) bench/bench.h
	@mkdir -p $(B)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(BENCH_SRC) -lutil

$(B)/floor: bench/floor.c
	@mkdir -p $(B)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ bench/floor.c

# The peers: GNU parallel (moreutils has a parallel of its own) and strace.
bench-deps:
	$(call need_tool,strace,strace)
	$(call need_tool,parallel,parallel)
	@parallel --version 2>/dev/null | grep -q '^GNU parallel' || { \
	  echo "parallel is not GNU parallel: run 'sudo apt-get install parallel'" >&2; exit 1; }

bench: all static $(B)/bench $(B)/floor bench-deps
	CC='$(CC)' ./$(B)/bench $(if $(filter-out 0,$(QUICK)),-q) \
	  $(if $(BENCH),-o $(BENCH)) -r bench/results.md -F $(B)/floor \
	  $(BENCH_BINS)

# make lint: all of the below, side by side, as CI runs it.  make test
# runs lint-quick alone: it has no time to spare for clang-tidy.
# What each tool checks and leaves, and why: .clang-tidy and
# .cppcheck-suppressions.
.PHONY: lint-quick lint-tidy lint-cppcheck
PROGRAM_SRC = $(LIB_SRC) src/spinner-thread.c src/spinner-async.c
TIDY_FLAGS = -std=c11 $(SPINNER_CPPFLAGS) $(CPPFLAGS) $(UV_CFLAGS) -Isrc
TIDY_OK = $(PROGRAM_SRC:src/%.c=$(B)/tidy/%.ok)
# -D: the one configuration built, as on Linux, not every #ifdef's.
CPPCHECK_FLAGS = --quiet --std=c11 \
    --enable=warning,style,performance,portability --error-exitcode=1 \
    --inline-suppr --suppressions-list=.cppcheck-suppressions \
    --library=posix --library=gnu \
    -D__linux__ -DPR_SET_CHILD_SUBREAPER $(SPINNER_CPPFLAGS) -Isrc

$(B)/.deps-lint: $(B)/.deps-test
	$(call need_tool,clang-tidy,clang-tidy)
	$(call need_tool,cppcheck,cppcheck)
	@touch $@

lint: $(B)/.deps-lint
	@$(MAKE) --no-print-directory \
	  $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC)) \
	  lint-quick lint-tidy lint-cppcheck

# clang's warnings on every file (gcc's come with the build), and the
# man pages.
lint-quick: $(B)/.deps-test
	@for f in $(PROGRAM_SRC) tests/*.c; do \
	  clang -D_DEFAULT_SOURCE $(SPINNER_CPPFLAGS) -std=c11 $(WARN) -Werror -Isrc -Itests -fsyntax-only $$f || exit 1; done
	@mandoc -Tlint -Wwarning man/*.1

# clang-tidy a file at a time, so that make runs them side by side; a
# file is checked again when it, a header or .clang-tidy changes.  Its
# output is held until it is done, so that two never interleave.
# A .clang-tidy that clang-tidy cannot parse fails here too: clang-tidy
# itself only says so, falls back on its defaults and passes.
lint-tidy: $(TIDY_OK)
	@:

$(B)/tidy/%.ok: src/%.c src/*.h .clang-tidy $(B)/.deps-lint
	@mkdir -p $(@D)
	@echo "clang-tidy $<"
	@clang-tidy --quiet $< -- $(TIDY_FLAGS) >$@.log 2>&1; rc=$$?; \
	  grep -v -E '^[0-9]+ warnings? generated\.$$' $@.log >&2; \
	  if [ $$rc = 0 ] && ! grep -q '^Error parsing' $@.log; then \
	    rm -f $@.log; touch $@; else rm -f $@.log; exit 1; fi

lint-cppcheck: $(B)/.deps-lint
	cppcheck $(CPPCHECK_FLAGS) $(PROGRAM_SRC)

# --- install
install: all
	install -d -m 755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1
	for p in spinner-thread spinner-async; do \
	  cp -f $(B)/$$p $(DESTDIR)$(BINDIR)/ && \
	  chmod 755 $(DESTDIR)$(BINDIR)/$$p && \
	  cp -f man/$$p.1 $(DESTDIR)$(MANPREFIX)/man1/ && \
	  chmod 644 $(DESTDIR)$(MANPREFIX)/man1/$$p.1 || exit 1; done
	install -d -m 755 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
	  $(DESTDIR)$(FISHCOMPDIR)
	for p in spinner-thread spinner-async; do \
	  cp -f completions/spinner.bash $(DESTDIR)$(BASHCOMPDIR)/$$p && \
	  chmod 644 $(DESTDIR)$(BASHCOMPDIR)/$$p && \
	  cp -f completions/spinner.fish $(DESTDIR)$(FISHCOMPDIR)/$$p.fish && \
	  chmod 644 $(DESTDIR)$(FISHCOMPDIR)/$$p.fish || exit 1; done
	cp -f completions/_spinner $(DESTDIR)$(ZSHCOMPDIR)/_spinner
	chmod 644 $(DESTDIR)$(ZSHCOMPDIR)/_spinner

uninstall:
	for p in spinner-thread spinner-async; do \
	  rm -f $(DESTDIR)$(BINDIR)/$$p $(DESTDIR)$(MANPREFIX)/man1/$$p.1; done
	for p in spinner-thread spinner-async; do \
	  rm -f $(DESTDIR)$(BASHCOMPDIR)/$$p $(DESTDIR)$(FISHCOMPDIR)/$$p.fish; \
	done
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_spinner

clean:
	rm -rf $(B)

# --- release (make dist, make distcheck, make installcheck)
#
#   make dist          spinner-$(VERSION).tar.gz, here: the files of the
#                      release under spinner-$(VERSION)/
#   make distcheck     that tarball unpacked under $(B)/distcheck, with no
#                      git to see: make test, install, installcheck,
#                      uninstall and clean there, and make dist again
#   make installcheck  the end-to-end suites on the installed binaries,
#                      $(DESTDIR)$(BINDIR) (the same PREFIX, BINDIR and
#                      DESTDIR as make install)
.PHONY: dist distcheck installcheck lint-version
DIST = spinner-$(VERSION)
DISTCHECK = $(B)/distcheck

# The files of a release: in a clone, those git tracks; elsewhere (an
# unpacked tarball) every file but what .gitignore leaves out, which is
# what the build makes.  Its patterns are read as git reads the forms
# used there: /x at the top only, x at any depth, x/ a folder alone.
# The same files give the same bytes: names in order, owner root, one time
# for every file (SOURCE_DATE_EPOCH, else the last commit's, else the
# newest file's), no time or name in the gzip header.
dist:
	@set -e; \
	if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ]; then \
	  files=$$(git ls-files); t=$$(git log -1 --format=%ct); \
	elif [ -f .gitignore ]; then \
	  files=$$(find . -name .git -prune -o \( -type f -o -type l \) -print | \
	  sed 's,^\./,,' | while IFS= read -r f; do \
	    keep=1; \
	    while IFS= read -r p; do \
	      case $$p in ''|'#'*|'!'*) continue ;; esac; \
	      dir=; case $$p in */) dir=1 p=$${p%/} ;; esac; \
	      case $$p in \
	      /*) case $$f in $${p#/}/*) keep= ;; $${p#/}) [ -n "$$dir" ] || keep= ;; esac ;; \
	      *) case /$$f in */$$p/*) keep= ;; */$$p) [ -n "$$dir" ] || keep= ;; esac ;; \
	      esac; \
	    done <.gitignore; \
	    if [ -n "$$keep" ]; then echo "$$f"; fi; \
	  done); \
	  t=$$(stat -c %Y $$files | sort -n | tail -n 1); \
	else \
	  echo "make dist: no git and no .gitignore here, to tell the sources from what is built" >&2; \
	  exit 1; \
	fi; \
	t=$${SOURCE_DATE_EPOCH:-$$t}; \
	rm -f $(DIST).tar.gz.tmp; \
	printf '%s\n' $$files | LC_ALL=C sort | tar -cf - --format=gnu \
	  --owner=0 --group=0 --numeric-owner --mode=u+rw,go=u,go-w \
	  --mtime=@$$t --transform='s,^,$(DIST)/,' \
	  --no-recursion --verbatim-files-from -T - | gzip -9n \
	  >$(DIST).tar.gz.tmp; \
	mv $(DIST).tar.gz.tmp $(DIST).tar.gz; \
	echo "$(DIST).tar.gz: $$(printf '%s\n' $$files | wc -l) files"

# Git is kept out of the unpacked tree (GIT_CEILING_DIRECTORIES), so
# that its make dist lists files as in any tarball; the tarball it makes
# must be this one, byte for byte, before and after a build.  What make
# uninstall leaves must be folders only, and make clean must leave the
# files of the tarball, no more and no fewer.
distcheck: dist
	@set -e; top=$(CURDIR)/$(DISTCHECK); src=$$top/$(DIST); \
	rm -rf $$top; mkdir -p $$top/inst; \
	tar -xzf $(DIST).tar.gz -C $$top; \
	tar -tzf $(DIST).tar.gz | sed -n 's,^$(DIST)/,,p' | LC_ALL=C sort \
	  >$$top/files; \
	export GIT_CEILING_DIRECTORIES=$$top; \
	sub() { echo "distcheck: make $$*"; \
	  $(MAKE) --no-print-directory -C $$src "$$@"; }; \
	same() { cmp -s $(DIST).tar.gz $$src/$(DIST).tar.gz || { \
	  echo "distcheck: make dist in the tarball $$1 makes another tarball" >&2; \
	  exit 1; }; }; \
	sub dist >/dev/null; same "as unpacked"; \
	sub test; \
	sub dist >/dev/null; same "after make test"; \
	sub install DESTDIR=$$top/inst; \
	sub installcheck DESTDIR=$$top/inst; \
	sub uninstall DESTDIR=$$top/inst; \
	left=$$(find $$top/inst ! -type d); \
	if [ -n "$$left" ]; then \
	  echo "distcheck: make uninstall left:" >&2; echo "$$left" >&2; exit 1; fi; \
	sub clean; rm -f $$src/$(DIST).tar.gz; \
	(cd $$src && find . ! -type d | sed 's,^\./,,' | LC_ALL=C sort) \
	  >$$top/after; \
	if ! cmp -s $$top/files $$top/after; then \
	  echo "distcheck: the tree after make clean is not the tarball's:" >&2; \
	  diff $$top/files $$top/after >&2; exit 1; fi; \
	rm -rf $$top; \
	echo "$(DIST).tar.gz is ready"

# The suites find the binaries in $SPINNER_BUILD (tests/harness.c);
# nothing else of the build tree is read.  The man pages (as installed,
# or as a package compresses them) and the completions are checked for;
# e2e_installed checks that each shell finds the completions by itself,
# when they are where the shells look (PREFIX=/usr, no DESTDIR).
E2E_BINS = $(filter $(B)/e2e_%,$(TEST_BINS))
installcheck: $(E2E_BINS) $(B)/e2e_installed
	@for p in spinner-thread spinner-async; do \
	  b=$(DESTDIR)$(BINDIR)/$$p m=$(DESTDIR)$(MANPREFIX)/man1/$$p.1; \
	  [ -x "$$b" ] || { echo "installcheck: no $$b: make install first" >&2; exit 1; }; \
	  [ -f "$$m" ] || [ -f "$$m.gz" ] || { echo "installcheck: no $$m" >&2; exit 1; }; \
	  for f in $(BASHCOMPDIR)/$$p $(FISHCOMPDIR)/$$p.fish \
	      $(ZSHCOMPDIR)/_spinner; do \
	    [ -f "$(DESTDIR)$$f" ] || { echo "installcheck: no $(DESTDIR)$$f" >&2; exit 1; }; \
	  done; \
	done
	@SPINNER_BUILD=$(DESTDIR)$(BINDIR) SPINNER_PREFIX=$(PREFIX) \
	  SPINNER_DESTDIR=$(DESTDIR) sh tests/run.sh $(E2E_BINS) \
	  $(B)/e2e_installed

# The Debian package's version (the first line of debian/changelog) is
# the one in src/version.h; make test checks it with lint-quick.
lint-quick: lint-version
lint-version:
	@[ ! -f debian/changelog ] || { \
	  v=$$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog); \
	  [ "$$v" = "$(VERSION)" ] || { \
	    echo "debian/changelog: version $$v, not $(VERSION) as in src/version.h" >&2; \
	    exit 1; }; }

# --- the Debian package (make deb, make autopkgtest)
#
#   make deb           the .deb as dpkg-buildpackage builds it: make
#                      clean first (all of $(B) goes), then make test with
#                      Debian's hardening flags; lintian must find no
#                      error or warning; the files end in $(B)/deb
#   make autopkgtest   debian/tests on that .deb, installed here (as
#                      root; removed again after, unless it was
#                      installed before): the suites on
#                      /usr/bin/spinner-thread and /usr/bin/spinner-async
# What each needs is installed first: the build dependencies that
# dpkg-checkbuilddeps finds missing, and the tools.
.PHONY: deb autopkgtest
DEB_ARCH = $(shell dpkg --print-architecture 2>/dev/null)
DEB_NAME = spinner-tools
DEB = $(B)/deb/$(DEB_NAME)_$(VERSION)_$(DEB_ARCH).deb

deb:
	$(call need_tool,dpkg-buildpackage,dpkg-dev)
	$(call need_tool,lintian,lintian)
	@missing=$$(dpkg-checkbuilddeps 2>&1 >/dev/null | \
	  sed -n 's/.*Unmet build dependencies: //p' | sed 's/ *([^)]*)//g'); \
	  [ -z "$$missing" ] || $(call apt_install,the build,$$missing)
	dpkg-buildpackage -us -uc -b
	@mkdir -p $(B)/deb
	@mv ../$(DEB_NAME)_$(VERSION)_$(DEB_ARCH).* \
	  ../$(DEB_NAME)-dbgsym_$(VERSION)_$(DEB_ARCH).* $(B)/deb/ 2>/dev/null; \
	  ls $(DEB) >/dev/null
	lintian --fail-on error,warning $(B)/deb/$(DEB_NAME)_$(VERSION)_$(DEB_ARCH).changes
	@echo "$(DEB) is ready"

autopkgtest: deb
	$(call need_tool,autopkgtest,autopkgtest)
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  had=$$(dpkg-query -W -f '$${Status}' $(DEB_NAME) 2>/dev/null); rc=0; \
	  $$SUDO autopkgtest $(DEB) . -- null || rc=$$?; \
	  case $$had in *" installed") ;; \
	  *) $$SUDO apt-get purge -y -qq $(DEB_NAME) >/dev/null 2>&1 ;; esac; \
	  exit $$rc
