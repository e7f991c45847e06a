// SPDX-License-Identifier: MIT
// hermes_slot_mem against a reference model: random loads, stores and
// atomics of every size at unaligned addresses (also spanning two lines)
// from three engines at once, DMA line reads and masked writes in between,
// one grant per clock applied in grant order; atomic increments from all
// engines on one word lose nothing; no requester waits more than one
// round of the arbiter.
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

struct Expect {
	unsigned op;
	uint64_t value;
	uint32_t addr;
};

} // namespace

TEST(SlotMem, RandomTrafficMatchesTheReferenceModel)
{
	SlotMemTb tb;
	Ref ref;
	std::mt19937_64 rng(42);
	std::deque<Expect> pending[kEngines];
	std::deque<std::vector<uint8_t>> dma_pending;
	unsigned wait[kEngines + 1] = {}, max_wait = 0;
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
		unsigned grants = 0;
		for (unsigned e = 0; e < kEngines; e++) {
			EnginePins &p = tb.eng[e];
			if (p.rvalid) {
				ASSERT_FALSE(pending[e].empty()) << "engine " << e << ": response without a request";
				Expect x = pending[e].front();
				pending[e].pop_front();
				if (x.op != 1) {
					ASSERT_EQ(p.rdata, x.value) << "engine " << e << " op " << x.op << " at 0x"
								    << std::hex << x.addr << " cycle " << std::dec << cyc;
					checked++;
				}
			}
			if (p.req && p.gnt) {
				grants++;
				pending[e].push_back({p.op, ref.apply(p), p.addr});
				p.req = false;
				wait[e] = 0;
			} else if (p.req) {
				max_wait = std::max(max_wait, ++wait[e]);
			}
		}
		if (tb.dma.rvalid) {
			ASSERT_FALSE(dma_pending.empty());
			ASSERT_EQ(std::memcmp(tb.dma.rdata, dma_pending.front().data(), 64), 0)
				<< "DMA line read, cycle " << cyc;
			dma_pending.pop_front();
			checked++;
		}
		if (tb.dma.req && tb.dma.gnt) {
			grants++;
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
		ASSERT_LE(grants, 1u) << "one grant per clock";
	}
	std::printf("checked %llu responses, longest wait %u clocks\n", (unsigned long long)checked, max_wait);
	EXPECT_GT(checked, 20000u) << "enough loads, atomics and DMA reads were compared";
	// Four requesters, an atomic blocks three extra clocks: at most 4 * 4 clocks.
	EXPECT_LE(max_wait, 16u) << "round robin: nobody starves";
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
	tb.cycle();
	ASSERT_TRUE(p.rvalid);
	EXPECT_EQ(p.rdata, uint64_t(kEngines * per_engine));
}
