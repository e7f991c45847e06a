// SPDX-License-Identifier: MIT
// Pin-level harness of hermes_slot_mem (3 engines, 24 KiB): one call of
// cycle() is one clock; inputs are set before, outputs read at the edge.
#ifndef HERMES_SLOT_MEM_TB_H
#define HERMES_SLOT_MEM_TB_H

#include <cstdint>
#include <memory>

constexpr unsigned kEngines = 3;
constexpr unsigned kBytes = 2 * 4096 + 2 * 8192;

struct EnginePins {
	bool req = false;
	unsigned op = 0, size = 0;
	uint8_t amo = 0;
	uint32_t addr = 0;
	uint64_t wdata = 0, cmp = 0;
	// outputs
	bool gnt = false, rvalid = false;
	uint64_t rdata = 0;
};

struct DmaPins {
	bool req = false, we = false;
	uint32_t line = 0;
	uint8_t wdata[64] = {};
	uint64_t be = 0;
	bool gnt = false, rvalid = false;
	uint8_t rdata[64] = {};
};

class SlotMemTb {
public:
	SlotMemTb();
	~SlotMemTb();
	void reset();
	void cycle();
	EnginePins eng[kEngines];
	DmaPins dma;

private:
	struct Impl;
	std::unique_ptr<Impl> impl;
};

#endif
