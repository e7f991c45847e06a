// SPDX-License-Identifier: MIT
// The slot allocator takes one port's request a clock, round robin, serves
// it the next clock and answers the clock after with an ack: it never hands one slot out twice, even when
// every port asks at once; releases free exactly the named slot and fail
// for slots that are not allocated; dirty slots make a request wait and
// are asked of the scrubber; no port waits for long. Geometry: 4 ports,
// 5 program slots, 3 data slots.
#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <set>

#include "Vslot_alloc.h"
#include "verilated.h"

namespace {

constexpr int kPorts = 4, kProg = 5, kData = 3;

struct Req {
	bool release = false, data = false;
	unsigned slot = 0;
};

struct Answer {
	bool ok, wait;
	unsigned slot;
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
	// One clock: every port with a request holds it; a port acknowledged
	// this clock gets its answer (on_answer) and drops its request after
	// the edge. Returns the ports acknowledged.
	unsigned clock(const std::function<void(int, const Answer &)> &on_answer = nullptr)
	{
		m.req_i = m.release_i = m.type_i = 0;
		m.slot_i = 0;
		for (int p = 0; p < kPorts; p++) {
			if (!busy[p])
				continue;
			m.req_i |= 1u << p;
			m.release_i |= req[p].release << p;
			m.type_i |= req[p].data << p;
			m.slot_i |= req[p].slot << (8 * p);
		}
		m.clk_i = 0;
		m.eval();
		unsigned acked = m.ack_o;
		EXPECT_EQ(acked & ~(unsigned)m.req_i, 0u) << "an answer to a port that did not ask";
		EXPECT_LE(__builtin_popcount(acked), 1) << "one answer a clock";
		Answer a{ (bool)m.ok_o, (bool)m.wait_o, m.slot_o };
		m.clk_i = 1;
		m.eval();
		for (int p = 0; p < kPorts; p++) {
			if (acked & (1u << p)) {
				busy[p] = false;
				answer[p] = a;
				if (on_answer)
					on_answer(p, a);
			}
		}
		return acked;
	}
	void ask(int p, Req r)
	{
		req[p] = r;
		busy[p] = true;
	}
	// Ask on one port and clock until it is answered (at most 2 * kPorts).
	Answer call(int p, Req r)
	{
		ask(p, r);
		for (int t = 0; t < 2 * kPorts && busy[p]; t++)
			clock();
		EXPECT_FALSE(busy[p]) << "port " << p << " not answered";
		return answer[p];
	}
	VerilatedContext ctx;
	Vslot_alloc m{ &ctx };
	Req req[kPorts];
	bool busy[kPorts] = {};
	Answer answer[kPorts] = {};
};

TEST_F(SlotAlloc, PortsAskingAtOnceGetDistinctSlots)
{
	for (int p = 0; p < kPorts; p++)
		ask(p, {});
	std::set<unsigned> seen;
	for (int t = 0; t < 3 * kPorts; t++)
		clock([&](int p, const Answer &a) {
			ASSERT_TRUE(a.ok) << "port " << p;
			EXPECT_TRUE(seen.insert(a.slot).second) << "slot " << a.slot << " handed out twice";
		});
	EXPECT_EQ(seen.size(), (size_t)kPorts);
	// One program slot left: of four requests at once exactly one wins.
	for (int p = 0; p < kPorts; p++)
		ask(p, {});
	int winners = 0;
	for (int t = 0; t < 3 * kPorts; t++)
		clock([&](int, const Answer &a) {
			EXPECT_FALSE(a.wait) << "no slot is dirty: no reason to wait";
			if (a.ok) {
				winners++;
				EXPECT_FALSE(seen.count(a.slot)) << "slot " << a.slot << " handed out twice";
			}
		});
	EXPECT_EQ(winners, 1);
	EXPECT_EQ(m.prog_used_o, (1u << kProg) - 1);
}

TEST_F(SlotAlloc, AnAnswerComesTwoClocksAfterTheRequest)
{
	ask(2, { false, true, 0 });
	EXPECT_EQ(clock(), 0u) << "taken, not answered yet";
	EXPECT_EQ(clock(), 0u) << "served, not answered yet";
	EXPECT_EQ(clock(), 1u << 2);
	EXPECT_TRUE(answer[2].ok);
	EXPECT_EQ(m.data_used_o, 1u);
}

TEST_F(SlotAlloc, ReleaseFreesOnlyAllocatedSlots)
{
	Answer a = call(0, { false, true, 0 });
	ASSERT_TRUE(a.ok);
	unsigned got = a.slot;
	EXPECT_FALSE(call(0, { true, true, (got + 1) % kData }).ok) << "released a free slot";
	EXPECT_FALSE(call(0, { true, true, 200 }).ok) << "released slot 200";
	EXPECT_FALSE(call(0, { true, false, got }).ok) << "released a program slot that was never allocated";
	EXPECT_TRUE(call(0, { true, true, got }).ok);
	EXPECT_EQ(m.data_used_o, 0u);
	// Two ports releasing the same slot at once: it succeeds once.
	got = call(0, { false, true, 0 }).slot;
	ask(0, { true, true, got });
	ask(1, { true, true, got });
	int oks = 0;
	for (int t = 0; t < 2 * kPorts; t++)
		clock([&](int, const Answer &x) { oks += x.ok; });
	EXPECT_EQ(oks, 1) << "double release";
}

TEST_F(SlotAlloc, DirtySlotsAreNotHandedOutAndMakeRequestsWait)
{
	m.prog_dirty_i = 0b00011; // slots 0 and 1 not known to be zero
	Answer a = call(0, {});
	ASSERT_TRUE(a.ok);
	EXPECT_EQ(a.slot, 2u) << "lowest clean free slot";
	EXPECT_TRUE(call(1, {}).ok) << "slot 3";
	EXPECT_TRUE(call(2, {}).ok) << "slot 4";
	// No clean slot, but dirty ones: the request waits, and the lowest dirty
	// free slot is asked of the scrubber in the clock the request is served.
	ask(3, {});
	EXPECT_EQ(clock(), 0u) << "taken";
	EXPECT_EQ(m.prog_want_o, 1u);
	EXPECT_EQ(clock(), 0u) << "served";
	EXPECT_EQ(clock(), 1u << 3) << "answered";
	ASSERT_FALSE(busy[3]);
	EXPECT_FALSE(answer[3].ok);
	EXPECT_TRUE(answer[3].wait) << "wait rather than fail";
	m.prog_dirty_i = 0;
	a = call(3, {});
	EXPECT_TRUE(a.ok);
	EXPECT_EQ(a.slot, 0u);
	// A release is reported to the scrubber in the clock it is served.
	ask(0, { true, false, 3 });
	EXPECT_EQ(clock(), 0u) << "taken";
	EXPECT_EQ(m.prog_release_o, 1u << 3);
	EXPECT_EQ(clock(), 0u) << "served";
	EXPECT_EQ(clock(), 1u) << "answered";
	EXPECT_TRUE(answer[0].ok);
}

TEST_F(SlotAlloc, EveryPortIsServedInTurn)
{
	// Every port asks again as soon as it is answered (a wait loop): each is
	// answered within 2 * kPorts clocks of asking, and all equally often.
	unsigned served[kPorts] = {}, asked_at[kPorts] = {};
	m.data_dirty_i = (1u << kData) - 1; // every data slot dirty: every answer is "wait"
	for (int p = 0; p < kPorts; p++)
		ask(p, { false, true, 0 });
	for (unsigned t = 0; t < 4000; t++) {
		clock([&](int p, const Answer &a) {
			EXPECT_TRUE(a.wait);
			EXPECT_LE(t - asked_at[p], 2u * kPorts) << "port " << p << " waited";
			served[p]++;
		});
		for (int p = 0; p < kPorts; p++)
			if (!busy[p]) {
				ask(p, { false, true, 0 });
				asked_at[p] = t + 1;
			}
	}
	for (int p = 0; p < kPorts; p++)
		EXPECT_NEAR(served[p], 4000.0 / kPorts, 2.0) << "port " << p;
}

// Random traffic against a software model of the bitmaps, applied in the
// order the answers come.
TEST_F(SlotAlloc, RandomTrafficMatchesModel)
{
	std::mt19937 rng(1234);
	bool prog[kProg] = {}, data[kData] = {};
	unsigned answers = 0;
	for (int t = 0; t < 20000; t++) {
		for (int p = 0; p < kPorts; p++)
			if (!busy[p] && rng() % 2)
				ask(p, { (bool)(rng() % 2), (bool)(rng() % 2), (unsigned)(rng() % 7) });
		clock([&](int p, const Answer &a) {
			const Req &r = req[p];
			bool *map = r.data ? data : prog;
			int n = r.data ? kData : kProg;
			answers++;
			if (r.release) {
				bool expect = r.slot < (unsigned)n && map[r.slot];
				ASSERT_EQ(a.ok, expect) << "clock " << t << " port " << p << " release " << r.slot;
				if (expect)
					map[r.slot] = false;
				return;
			}
			int free_slot = -1;
			for (int s = 0; s < n && free_slot < 0; s++)
				if (!map[s])
					free_slot = s;
			ASSERT_EQ(a.ok, free_slot >= 0) << "clock " << t << " port " << p;
			ASSERT_FALSE(a.wait) << "nothing is dirty";
			if (free_slot >= 0) {
				ASSERT_EQ(a.slot, (unsigned)free_slot) << "lowest free slot";
				map[free_slot] = true;
			}
		});
	}
	EXPECT_GT(answers, 8000u);
}

} // namespace
