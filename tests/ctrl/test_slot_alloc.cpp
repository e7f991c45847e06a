// SPDX-License-Identifier: MIT
// The slot allocator never hands one slot out twice, even when every
// engine asks in the same clock; releases free exactly the named slot and
// fail for slots that are not allocated. Geometry: 4 engines, 5 program
// slots, 3 data slots.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "Vslot_alloc.h"
#include "verilated.h"

namespace {

constexpr int kEngines = 4, kProg = 5, kData = 3;

struct Req {
	bool valid = false, release = false, data = false;
	unsigned slot = 0;
};

class SlotAlloc : public ::testing::Test {
protected:
	void SetUp() override
	{
		m.rst_ni = 0;
		tick();
		m.rst_ni = 1;
		tick();
	}
	void tick()
	{
		m.clk_i = 0;
		m.eval();
		m.clk_i = 1;
		m.eval();
	}
	// Present the requests for one clock; returns ok bits and granted slots.
	void cycle(const Req (&r)[kEngines], bool (&ok)[kEngines], unsigned (&slot)[kEngines])
	{
		m.req_i = m.release_i = m.type_i = 0;
		m.slot_i = 0;
		for (int e = 0; e < kEngines; e++) {
			m.req_i |= r[e].valid << e;
			m.release_i |= r[e].release << e;
			m.type_i |= r[e].data << e;
			m.slot_i |= r[e].slot << (8 * e);
		}
		m.clk_i = 0;
		m.eval();
		for (int e = 0; e < kEngines; e++) {
			ok[e] = (m.ok_o >> e) & 1;
			slot[e] = (m.slot_o >> (8 * e)) & 0xff;
		}
		m.clk_i = 1;
		m.eval();
		m.req_i = 0;
	}
	VerilatedContext ctx;
	Vslot_alloc m{&ctx};
};

TEST_F(SlotAlloc, SameClockRequestsGetDistinctSlots)
{
	Req r[kEngines];
	bool ok[kEngines];
	unsigned slot[kEngines];
	for (auto &q : r)
		q.valid = true;
	cycle(r, ok, slot);
	std::set<unsigned> seen;
	for (int e = 0; e < kEngines; e++) {
		ASSERT_TRUE(ok[e]) << "engine " << e;
		std::printf("engine %d got program slot %u\n", e, slot[e]);
		EXPECT_TRUE(seen.insert(slot[e]).second) << "slot " << slot[e] << " handed out twice";
	}
	// One program slot left: of four simultaneous requests exactly one wins.
	cycle(r, ok, slot);
	int winners = 0;
	for (int e = 0; e < kEngines; e++)
		if (ok[e]) {
			winners++;
			EXPECT_FALSE(seen.count(slot[e])) << "slot " << slot[e] << " handed out twice";
		}
	EXPECT_EQ(winners, 1);
	EXPECT_EQ(m.prog_used_o, (1u << kProg) - 1);
}

TEST_F(SlotAlloc, ReleaseFreesOnlyAllocatedSlots)
{
	Req r[kEngines];
	bool ok[kEngines];
	unsigned slot[kEngines];
	r[0] = { true, false, true, 0 };
	cycle(r, ok, slot);
	ASSERT_TRUE(ok[0]);
	unsigned got = slot[0];
	// Releasing a free data slot, a slot out of range, or the wrong type fails.
	r[0] = { true, true, true, (got + 1) % kData };
	cycle(r, ok, slot);
	EXPECT_FALSE(ok[0]) << "released a free slot";
	r[0] = { true, true, true, 200 };
	cycle(r, ok, slot);
	EXPECT_FALSE(ok[0]) << "released slot 200";
	r[0] = { true, true, false, got };
	cycle(r, ok, slot);
	EXPECT_FALSE(ok[0]) << "released a program slot that was never allocated";
	r[0] = { true, true, true, got };
	cycle(r, ok, slot);
	EXPECT_TRUE(ok[0]);
	EXPECT_EQ(m.data_used_o, 0u);
	// A double release in the same clock succeeds once.
	r[0] = { true, false, true, 0 };
	cycle(r, ok, slot);
	got = slot[0];
	r[0] = { true, true, true, got };
	r[1] = { true, true, true, got };
	cycle(r, ok, slot);
	EXPECT_EQ(ok[0] + ok[1], 1) << "double release in one clock";
}

TEST_F(SlotAlloc, DirtySlotsAreNotHandedOutAndMakeRequestsWait)
{
	Req r[kEngines];
	bool ok[kEngines];
	unsigned slot[kEngines];
	m.prog_dirty_i = 0b00011; // slots 0 and 1 not known to be zero
	r[0] = { true, false, false, 0 };
	cycle(r, ok, slot);
	ASSERT_TRUE(ok[0]);
	EXPECT_EQ(slot[0], 2u) << "lowest clean free slot";
	r[0] = { true, false, false, 0 };
	r[1] = { true, false, false, 0 };
	r[2] = { true, false, false, 0 };
	cycle(r, ok, slot);
	EXPECT_TRUE(ok[0] && ok[1]) << "slots 3 and 4";
	EXPECT_FALSE(ok[2]);
	EXPECT_TRUE((m.wait_o >> 2) & 1) << "no clean slot, but dirty ones: wait rather than fail";
	EXPECT_EQ(m.prog_want_o, 1u) << "the lowest dirty free slot is asked of the scrubber";
	m.prog_dirty_i = 0;
	r[0] = { true, false, false, 0 };
	cycle(r, ok, slot);
	EXPECT_TRUE(ok[0]);
	EXPECT_EQ(slot[0], 0u);
	// A release is reported to the scrubber in the clock it happens.
	r[0] = { true, true, false, 3 };
	m.req_i = 1; m.release_i = 1; m.type_i = 0; m.slot_i = 3;
	m.clk_i = 0;
	m.eval();
	EXPECT_EQ(m.prog_release_o, 1u << 3);
	m.clk_i = 1;
	m.eval();
}

// Random traffic against a software model of the bitmaps.
TEST_F(SlotAlloc, RandomTrafficMatchesModel)
{
	std::mt19937 rng(1234);
	bool prog[kProg] = {}, data[kData] = {};
	for (int t = 0; t < 20000; t++) {
		Req r[kEngines];
		for (auto &q : r) {
			q.valid = rng() % 2;
			q.release = rng() % 2;
			q.data = rng() % 2;
			q.slot = rng() % 7;
		}
		bool ok[kEngines];
		unsigned slot[kEngines];
		cycle(r, ok, slot);
		// A slot released in this clock is not clean yet: not allocatable.
		bool released_p[kProg] = {}, released_d[kData] = {};
		for (int e = 0; e < kEngines; e++) {
			if (!r[e].valid) {
				ASSERT_FALSE(ok[e]);
				continue;
			}
			bool *map = r[e].data ? data : prog;
			int n = r[e].data ? kData : kProg;
			if (r[e].release) {
				bool expect = r[e].slot < (unsigned)n && map[r[e].slot];
				ASSERT_EQ(ok[e], expect) << "cycle " << t << " engine " << e << " release " << r[e].slot;
				if (expect) {
					map[r[e].slot] = false;
					(r[e].data ? released_d : released_p)[r[e].slot] = true;
				}
			} else {
				int free_slot = -1;
				bool *rel = r[e].data ? released_d : released_p;
				for (int s = 0; s < n && free_slot < 0; s++)
					if (!map[s] && !rel[s])
						free_slot = s;
				ASSERT_EQ(ok[e], free_slot >= 0) << "cycle " << t << " engine " << e;
				if (free_slot >= 0) {
					ASSERT_EQ(slot[e], (unsigned)free_slot) << "lowest free slot";
					map[free_slot] = true;
				}
			}
		}
	}
}

} // namespace
