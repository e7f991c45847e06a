# Hermes: the two commands a user needs are `make demo` and `make test`.
# Everything is built by CMake into build/ (HERMES_ENGINES selects the
# engine count of the simulated card).

BUILD      ?= build
JOBS       ?= 2
CMAKE_ARGS ?=

# Debian packages the build and the tests need.
DEPS_PKGS = build-essential cmake pkg-config verilator yosys libelf-dev libbpf-dev zlib1g-dev \
            libgtest-dev libgmock-dev libfuse3-dev fuse3 clang llvm bpftool gtkwave gnuplot-nox python3 \
            python3-pytest dpkg-dev file man-db

# Debian packages (docs/INSTALL.md): libhermes0, libhermes-dev, hermes-tools, python3-hermes.
package: deps build
	cd $(BUILD) && cpack -G DEB

.PHONY: package all deps build demo test lint area fuzz fuzz-rtl wave clean reliability-report bench-report bench-queue

all: build

deps:
	@./scripts/deps.sh $(DEPS_PKGS)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# The demo builds only what it runs (the simulated card and the CLI);
# `make test` builds everything else.
demo: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS) --target hermes_cli
	@./scripts/demo.sh $(BUILD)

test: deps build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Long random-program lockstep run of the RTL against the reference VM.
FUZZ_RTL_COUNT ?= 200000
FUZZ_RTL_SEED  ?= $(shell date +%s)
fuzz-rtl: build
	$(BUILD)/tests/lockstep/rtl_random -n $(FUZZ_RTL_COUNT) -s $(FUZZ_RTL_SEED) -i 128

# Long fuzzing (tests/fuzz/README.md): every libFuzzer target and rtl_random
# for FUZZ_SECONDS each, FUZZ_JOBS at a time; logs with a fuzz-summary line,
# corpora and crashes in $(BUILD)/fuzz/. FUZZERS picks some of them.
FUZZ_SECONDS ?= 3600
FUZZ_JOBS    ?= 1
FUZZERS      ?= fuzz_elf fuzz_asm fuzz_lockstep fuzz_cmds rtl_random
fuzz: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS) --target $(FUZZERS)
	./tests/fuzz/run_fuzz.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZERS)

# docs/RELIABILITY.md from the robustness tests of this build and the long
# fuzzer logs `make fuzz` leaves in $(BUILD)/fuzz/.
reliability-report: build
	./scripts/reliability_report.sh $(BUILD) docs/RELIABILITY.md

# The generated blocks of docs/BENCHMARKS.md (between its bench-report
# markers; the rest of the page is kept) and its plots (docs/bench/*.png)
# from every benchmark run on this build; FULL=1 runs longer, AREA=1 adds
# the yosys area flow when build/area/area.md is missing or older than the RTL.
bench-report: deps build
	FULL=$(FULL) AREA=$(AREA) ./scripts/bench_report.sh $(BUILD)

# The hardware-queue block of docs/BENCHMARKS.md alone (bench queue, ~12 min).
bench-queue: build
	./scripts/bench_report.sh $(BUILD) queue

lint area:
	$(MAKE) -f Makefile.verilator $@

# Open a waveform in GTKWave with a save file of docs/waves (docs/DEBUGGING.md):
# TRACE (default $HERMES_TRACE, else the newest *.fst here or in $(BUILD)),
# WAVE_VIEW = hermes (overview), engine, cmd or dma.
WAVE_VIEW ?= hermes
wave:
	@trace="$(or $(TRACE),$(HERMES_TRACE))"; \
	if [ -z "$$trace" ]; then trace=$$(ls -t *.fst $(BUILD)/*.fst 2>/dev/null | head -n 1); fi; \
	if [ -z "$$trace" ] || [ ! -f "$$trace" ]; then \
	  echo "make wave: no trace '$$trace': run e.g. hermes run PROG --trace run.fst, or set TRACE=FILE"; exit 1; fi; \
	if [ ! -f docs/waves/$(WAVE_VIEW).gtkw ]; then \
	  echo "make wave: WAVE_VIEW=$(WAVE_VIEW): no docs/waves/$(WAVE_VIEW).gtkw (hermes, engine, cmd, dma)"; exit 1; fi; \
	echo "gtkwave -a docs/waves/$(WAVE_VIEW).gtkw $$trace"; \
	gtkwave -a docs/waves/$(WAVE_VIEW).gtkw "$$trace"

clean:
	rm -rf $(BUILD)
