// SPDX-License-Identifier: MIT
// hermes_slot_mem against a reference model: random loads, stores and
// atomics of every size at unaligned addresses (also spanning two lines)
// from three engines at once, DMA line reads and masked writes in between,
// one grant per clock applied in the memory's grant order; atomic
// increments from all engines on one word lose nothing; no requester
// waits more than one round of the arbiter for its grant, nor two for its
// answer. An engine access is applied to the model when it answers: the
// memory answers one clock after its own grant, which with the port queues
// (SLOT_MEM_PORT_QUEUE) comes clocks after the engine's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <random>
#include <set>

#include "slot_mem_tb.h"

namespace {

struct Ref {
	uint8_t m[kBytes] = {};

	uint64_t load(uint32_t a, unsigned n) const
	{
		uint64_t v = 0;
		for (unsigned i = 0; i < n; i++)
			v |= uint64_t(m[a + i]) << (8 * i);
		return v;
	}
	void store(uint32_t a, unsigned n, uint64_t v)
	{
		for (unsigned i = 0; i < n; i++)
			m[a + i] = uint8_t(v >> (8 * i));
	}
	// Apply an access as the card does; returns the response value.
	uint64_t apply(const EnginePins &p)
	{
		unsigned n = 1u << p.size;
		uint64_t old = load(p.addr, n), mask = n == 8 ? ~0ull : (1ull << (8 * n)) - 1;
		if (p.op == 0)
			return old;
		if (p.op == 1) {
			store(p.addr, n, p.wdata & mask);
			return 0;
		}
		uint64_t src = p.wdata & mask, nv = old;
		bool w = true;
		switch (p.amo & 0xf0) {
		case 0x00: nv = old + src; break;
		case 0x40: nv = old | src; break;
		case 0x50: nv = old & src; break;
		case 0xa0: nv = old ^ src; break;
		case 0xe0: nv = src; break;
		case 0xf0: w = old == (p.cmp & mask); nv = src; break;
		}
		if (w)
			store(p.addr, n, nv & mask);
		return old;
	}
};

const uint8_t kAmos[] = {0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1};

// Clocks from an engine's grant to its answer when nothing competes.
constexpr unsigned kLatency = SLOT_MEM_PORT_QUEUE ? 2 : 1;

struct Accepted {
	EnginePins pins;
	int cycle;
};

} // namespace

TEST(SlotMem, RandomTrafficMatchesTheReferenceModel)
{
	SlotMemTb tb;
	Ref ref;
	std::mt19937_64 rng(42);
	std::deque<Accepted> pending[kEngines];
	std::deque<std::vector<uint8_t>> dma_pending;
	unsigned wait[kEngines + 1] = {}, max_wait = 0, max_latency = 0;
	bool dma_granted_before = false;
	uint64_t checked = 0;

	// Start from known contents: DMA-write every line.
	for (uint32_t line = 0; line < kBytes / 64; line++) {
		tb.dma.req = true;
		tb.dma.we = true;
		tb.dma.line = line;
		tb.dma.be = ~0ull;
		for (auto &b : tb.dma.wdata)
			b = uint8_t(rng());
		do
			tb.cycle();
		while (!tb.dma.gnt);
		std::memcpy(ref.m + 64 * line, tb.dma.wdata, 64);
	}
	tb.dma.req = false;
	tb.cycle();

	for (int cyc = 0; cyc < 60000; cyc++) {
		for (unsigned e = 0; e < kEngines; e++) {
			EnginePins &p = tb.eng[e];
			if (!p.req && rng() % 4 != 0) {
				p.req = true;
				p.op = rng() % 3;
				p.size = p.op == 2 ? 2 + rng() % 2 : rng() % 4;
				// A small hot region so that engines collide, and lines edges.
				uint32_t base = rng() % 2 ? 4096 - 128 : uint32_t(rng() % (kBytes - 8));
				p.addr = base + uint32_t(rng() % 120);
				if (p.addr > kBytes - 8)
					p.addr = kBytes - 8;
				p.amo = kAmos[rng() % sizeof(kAmos)];
				p.wdata = rng();
				p.cmp = rng() % 2 ? ref.load(p.addr, 1u << p.size) : rng();
			}
		}
		if (!tb.dma.req && rng() % 3 == 0) {
			tb.dma.req = true;
			tb.dma.we = rng() % 2;
			tb.dma.line = uint32_t(rng() % (kBytes / 64));
			tb.dma.be = rng() & rng();
			for (auto &b : tb.dma.wdata)
				b = uint8_t(rng());
		}
		tb.cycle();
		// The memory's grants of the previous clock: the engines that
		// answer now, and a DMA request granted then.
		unsigned grants = dma_granted_before;
		for (unsigned e = 0; e < kEngines; e++) {
			EnginePins &p = tb.eng[e];
			if (p.rvalid) {
				ASSERT_FALSE(pending[e].empty()) << "engine " << e << ": response without a request";
				Accepted x = pending[e].front();
				pending[e].pop_front();
				grants++;
				max_latency = std::max(max_latency, unsigned(cyc - x.cycle));
				uint64_t value = ref.apply(x.pins);
				if (x.pins.op != 1) {
					ASSERT_EQ(p.rdata, value) << "engine " << e << " op " << x.pins.op << " at 0x"
								  << std::hex << x.pins.addr << " cycle " << std::dec << cyc;
					checked++;
				}
			}
			if (p.req && p.gnt) {
				pending[e].push_back({p, cyc});
				p.req = false;
				wait[e] = 0;
			} else if (p.req) {
				max_wait = std::max(max_wait, ++wait[e]);
			}
		}
		ASSERT_LE(grants, 1u) << "one grant per clock, cycle " << cyc;
		dma_granted_before = tb.dma.req && tb.dma.gnt;
		if (tb.dma.rvalid) {
			ASSERT_FALSE(dma_pending.empty());
			ASSERT_EQ(std::memcmp(tb.dma.rdata, dma_pending.front().data(), 64), 0)
				<< "DMA line read, cycle " << cyc;
			dma_pending.pop_front();
			checked++;
		}
		if (tb.dma.req && tb.dma.gnt) {
			if (tb.dma.we) {
				for (unsigned b = 0; b < 64; b++)
					if (tb.dma.be >> b & 1)
						ref.m[64 * tb.dma.line + b] = tb.dma.wdata[b];
			} else {
				dma_pending.emplace_back(ref.m + 64 * tb.dma.line, ref.m + 64 * tb.dma.line + 64);
			}
			tb.dma.req = false;
			wait[kEngines] = 0;
		} else if (tb.dma.req) {
			max_wait = std::max(max_wait, ++wait[kEngines]);
		}
	}
	std::printf("checked %llu responses, longest wait %u clocks, longest answer %u clocks\n",
		    (unsigned long long)checked, max_wait, max_latency);
	EXPECT_GT(checked, 20000u) << "enough loads, atomics and DMA reads were compared";
	// Four requesters, an atomic blocks three extra clocks: a round of the
	// arbiter is at most 4 * 4 clocks. With the queues an engine's grant
	// waits for nothing but its own queue, and a request has at most one
	// ahead of it in the queue: two rounds, then the answer.
	EXPECT_LE(max_wait, 16u) << "round robin: nobody starves";
	EXPECT_LE(max_latency, SLOT_MEM_PORT_QUEUE ? 2 * 16 + 1 : 1u) << "grant to answer";
	EXPECT_GT(max_latency, SLOT_MEM_PORT_QUEUE ? kLatency : 0u) << "the engines collided";
}

TEST(SlotMem, OneEngineAloneStreamsARequestEveryClock)
{
	SlotMemTb tb;
	const int n = 200;
	std::deque<int> granted;
	int grants = 0, answers = 0;
	for (int cyc = 0; cyc < n + 8; cyc++) {
		EnginePins &p = tb.eng[0];
		p.req = cyc < n;
		p.op = cyc % 2;  // loads and stores
		p.size = cyc % 4;
		p.addr = uint32_t(8 * cyc + cyc % 7);
		p.wdata = uint64_t(cyc);
		tb.cycle();
		if (p.rvalid) {
			ASSERT_FALSE(granted.empty());
			EXPECT_EQ(unsigned(cyc - granted.front()), kLatency) << "answer " << answers;
			granted.pop_front();
			answers++;
		}
		if (p.req) {
			EXPECT_TRUE(p.gnt) << "cycle " << cyc << ": an engine alone is never held";
			if (p.gnt) {
				granted.push_back(cyc);
				grants++;
			}
		}
	}
	EXPECT_EQ(grants, n);
	EXPECT_EQ(answers, n);
}

TEST(SlotMem, AtomicIncrementsFromAllEnginesLoseNothing)
{
	SlotMemTb tb;
	const uint32_t addr = 8192 + 60; // a 64-bit word spanning two lines
	const unsigned per_engine = 500;
	unsigned issued[kEngines] = {}, done[kEngines] = {};
	std::set<uint64_t> olds;

	// Zero the two lines first.
	for (uint32_t line : {addr / 64, addr / 64 + 1}) {
		tb.dma = DmaPins{};
		tb.dma.req = tb.dma.we = true;
		tb.dma.line = line;
		tb.dma.be = ~0ull;
		do
			tb.cycle();
		while (!tb.dma.gnt);
	}
	tb.dma.req = false;
	for (int cyc = 0; cyc < 20000; cyc++) {
		for (unsigned e = 0; e < kEngines; e++) {
			EnginePins &p = tb.eng[e];
			p.req = issued[e] < per_engine;
			p.op = 2;
			p.size = 3;
			p.amo = 0x01; // fetch-add
			p.addr = addr;
			p.wdata = 1;
		}
		tb.cycle();
		for (unsigned e = 0; e < kEngines; e++) {
			if (tb.eng[e].rvalid) {
				EXPECT_TRUE(olds.insert(tb.eng[e].rdata).second)
					<< "two atomics read the same old value " << tb.eng[e].rdata;
				done[e]++;
			}
			if (tb.eng[e].req && tb.eng[e].gnt)
				issued[e]++;
		}
	}
	for (unsigned e = 0; e < kEngines; e++)
		EXPECT_EQ(done[e], per_engine) << "engine " << e;
	EXPECT_EQ(olds.size(), kEngines * per_engine);
	EXPECT_EQ(*olds.rbegin(), kEngines * per_engine - 1) << "old values are 0 .. n-1";
	// Read the final value.
	EnginePins &p = tb.eng[0];
	p.req = true;
	p.op = 0;
	p.size = 3;
	p.addr = addr;
	tb.eng[1].req = tb.eng[2].req = false;
	do
		tb.cycle();
	while (!p.gnt);
	p.req = false;
	for (unsigned i = 0; i < kLatency; i++) {
		ASSERT_FALSE(p.rvalid) << "answered " << i << " clocks after the grant";
		tb.cycle();
	}
	ASSERT_TRUE(p.rvalid);
	EXPECT_EQ(p.rdata, uint64_t(kEngines * per_engine));
}
