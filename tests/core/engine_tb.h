// SPDX-License-Identifier: MIT
// Verilator harness for hermes_engine on its own: a C++ model of BAR4
// (program slots, then data slots) serving the engine's dmem port with a
// configurable latency and random grant stalls, run control, retire-record
// capture, and lockstep comparison against the reference VM (host/src/vm.h).
#ifndef HERMES_TESTS_CORE_ENGINE_TB_H
#define HERMES_TESTS_CORE_ENGINE_TB_H

#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vm.h"

class Vhermes_engine;

namespace core_tb {

// Default geometry of hermes_engine (hermes_pkg DEFAULT_*), which the test
// model is verilated with.
constexpr unsigned kProgSlots = 16;
constexpr unsigned kDataSlots = 16;
constexpr uint32_t kProgSlotBytes = 0x10000;
constexpr uint32_t kDataSlotBytes = 0x100000;
constexpr uint32_t kDataRegion = kProgSlots * kProgSlotBytes;
constexpr uint32_t kMapSlotBytes = 0x40000;
// Map slots (docs/MAPS.md) after the data slots, one per program slot: the
// model is verilated with MAP_OFF = kMapRegion (CMakeLists.txt).
constexpr uint32_t kMapRegion = kDataRegion + kDataSlots * kDataSlotBytes;

// Memory model behaviour.
struct MemCfg {
	unsigned min_latency = 1;  // clocks from grant to response (>= 1)
	unsigned max_latency = 1;  // uniform in [min, max]
	double stall = 0.0;        // probability of refusing a request in a clock
	uint64_t seed = 1;
};

struct Retire {
	uint32_t pc = 0;
	uint64_t insn = 0;
	uint8_t rd = 0xff;
	uint64_t rd_value = 0;
	uint8_t mem = 0;
	uint8_t mem_size = 0;
	uint64_t mem_addr = 0;
	uint64_t mem_value = 0;
	uint64_t cycle = 0;  // clock of the record (not compared)
};

std::string to_string(const Retire &r);
std::string to_string(const hermes_retire &r);

struct RunOpts {
	unsigned prog_slot = 0;
	unsigned data_slot = 0;
	uint32_t prog_len = 0;        // bytes; 0: the whole loaded code
	uint32_t data_len = 0x100;    // r2
	uint32_t max_insns = 1u << 24;
	int64_t abort_after = -1;     // pulse abort_i this many clocks after start
	int64_t restart_after = -1;   // pulse start_i again (other fields) while busy
	uint64_t timeout = 5000000;   // clocks
};

struct RunResult {
	bool timed_out = false;
	unsigned fault = 0;
	uint32_t fault_pc = 0;
	uint64_t fault_addr = 0;
	uint64_t r0 = 0;
	uint64_t insns = 0;           // insns_o
	uint64_t cycles = 0;          // cycles_o
	uint64_t clocks = 0;          // start pulse to done pulse, as seen here
	unsigned done_pulses = 0;
	std::vector<Retire> trace;
};

class EngineTb {
public:
	EngineTb();
	~EngineTb();
	EngineTb(const EngineTb &) = delete;
	EngineTb &operator=(const EngineTb &) = delete;

	uint8_t *prog_slot(unsigned s) { return &bar4_[(size_t)s * kProgSlotBytes]; }
	uint8_t *data_slot(unsigned s) { return &bar4_[kDataRegion + (size_t)s * kDataSlotBytes]; }
	uint8_t *map_slot(unsigned s) { return &bar4_[kMapRegion + (size_t)s * kMapSlotBytes]; }
	void load_code(unsigned slot, const std::vector<uint64_t> &code);
	void fill_data(unsigned slot, uint64_t seed, size_t bytes = 4096);

	MemCfg mem;
	bool check_protocol = true;   // fail on dmem protocol violations
	std::string protocol_error;   // first violation seen

	RunResult run(const RunOpts &o);
	void idle(unsigned clocks);   // clock the engine with start low
	void pulse_abort();           // one clock of abort_i (while idle)

	uint64_t requests = 0;        // dmem requests granted, all runs

private:
	void reset();
	void tick();

	std::unique_ptr<Vhermes_engine> top_;
	std::vector<uint8_t> bar4_;
	struct Resp { uint64_t ready; uint64_t data; };
	std::deque<Resp> resp_;
	std::mt19937_64 rng_;
	uint64_t cycle_ = 0;
	uint64_t last_ready_ = 0;
	// A request must hold its fields until granted.
	bool held_ = false;
	uint64_t held_sig_[4] = {};
};

// Run code on the RTL and on the reference VM with the same slot contents;
// compare every retire record field by field, the end status and memory.
// The program is loaded at o.prog_slot; the data slot keeps its contents.
struct LockstepResult {
	RunResult rtl;
	hermes_vm_status vm{};
	size_t vm_retired = 0;
};
::testing::AssertionResult lockstep(EngineTb &tb, const std::vector<uint64_t> &code,
				      const RunOpts &o, LockstepResult *out = nullptr);

}  // namespace core_tb

#endif
