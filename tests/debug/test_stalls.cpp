// SPDX-License-Identifier: MIT
// Charging the clocks without a retire to causes (host/src/debug/stalls.h),
// on retire records made here: each rule, its order, the distance of a
// load's use, and what the account refuses.
#include <gtest/gtest.h>

#include <cerrno>

#include "../core/ebpf_enc.h"

extern "C" {
#include "stalls.h"
}

namespace {

using namespace enc;

constexpr uint64_t kSlot = 0x20000010, kStack = 0x300001f8;

struct Stream {
	hermes_stalls st{};
	uint64_t clock = 100;

	// Retire insn `gap` clocks after the previous one (1: no clock lost).
	void retire(uint64_t insn, uint64_t gap = 1, unsigned rd = HERMES_RETIRE_NO_REG, uint8_t mem = HERMES_MEM_NONE,
		    uint64_t addr = 0)
	{
		hermes_itrace_rec rec{};
		clock += gap;
		rec.clock = clock;
		rec.r.insn = insn;
		rec.r.rd = (uint8_t)rd;
		rec.r.mem = mem;
		rec.r.mem_size = mem ? 1 : 0;
		rec.r.mem_addr = addr;
		ASSERT_EQ(hermes_stalls_add(&st, &rec), 0);
	}
	void load(unsigned rd, unsigned base, uint64_t addr, uint64_t gap = 1)
	{
		retire(raw(LDX | MEM | B, rd, base, 0, 0), gap, rd, HERMES_MEM_LOAD, addr);
	}
	uint64_t lost(hermes_stall_cause c) const { return st.lost[c]; }
};

TEST(Stalls, ASlotLoadsUseRightAfterOrOneLaterIsChargedToTheSlotLoad)
{
	Stream s;
	s.load(3, 1, kSlot);
	s.retire(alu64k(ADD, 3, 1), 3, 3);          // uses r3 right after: 2 clocks
	s.load(4, 1, kSlot + 1);
	s.retire(mov64k(5, 0), 1, 5);
	s.retire(alu64x(ADD, 5, 4), 2, 5);          // uses r4 one later: 1 clock
	EXPECT_EQ(s.lost(HERMES_STALL_SLOT_LOAD), 3u);
	EXPECT_EQ(hermes_stalls_total(&s.st), 3u);
	EXPECT_EQ(s.st.insns, 5u);
	EXPECT_EQ(s.st.last_clock - s.st.first_clock + 1, 5u + 3u);
}

TEST(Stalls, AStackLoadIsChargedApartAndAStoreOfTheValueCounts)
{
	Stream s;
	s.load(2, 10, kStack);
	s.retire(raw(STX | MEM | DW, 1, 2, 0, 0), 2, HERMES_RETIRE_NO_REG, HERMES_MEM_STORE, kSlot); // stores r2
	EXPECT_EQ(s.lost(HERMES_STALL_STACK_LOAD), 1u);
	EXPECT_EQ(s.lost(HERMES_STALL_SLOT_LOAD), 0u);
}

TEST(Stalls, AnUnrelatedInstructionAfterALoadIsNotChargedToIt)
{
	Stream s;
	s.load(3, 1, kSlot);
	s.retire(alu64k(ADD, 6, 1), 2, 6);          // reads r6 only
	s.retire(raw(LDX | MEM | B, 7, 7, 0, 0), 2, 7, HERMES_MEM_LOAD, kSlot); // r7: not r3
	EXPECT_EQ(s.lost(HERMES_STALL_SLOT_LOAD), 0u);
	EXPECT_EQ(s.lost(HERMES_STALL_OTHER), 2u);
	// mov with an immediate reads nothing, not even its destination
	s.retire(mov64k(7, 1), 2, 7);
	EXPECT_EQ(s.lost(HERMES_STALL_SLOT_LOAD), 0u);
	EXPECT_EQ(s.lost(HERMES_STALL_OTHER), 3u);
}

TEST(Stalls, JumpsCallsAndExitsChargeTheInstructionAfterThem)
{
	Stream s;
	s.retire(raw(JMP | K | JEQ, 1, 0, 4, 0), 1);
	s.retire(mov64k(0, 1), 3, 0);               // after a redirect: 2
	s.retire(raw(JMP | K | CALL, 0, 1, 0, 5), 1, 10);
	s.retire(mov64k(0, 2), 2, 0);               // after a local call: 1
	s.retire(raw(JMP | EXIT, 0, 0, 0, 0), 1, 10);
	s.retire(mov64k(0, 3), 3, 0);               // after an exit: 2
	EXPECT_EQ(s.lost(HERMES_STALL_BRANCH), 2u);
	EXPECT_EQ(s.lost(HERMES_STALL_CALL_EXIT), 3u);
}

TEST(Stalls, UnitsThatWaitChargeThemselvesBeforeAnythingElse)
{
	Stream s;
	s.load(3, 1, kSlot);
	s.retire(alu64x(DIV, 3, 3), 35, 3);          // a div on a loaded value: the divider
	s.retire(raw(JMP | K | CALL, 0, 0, 0, 1), 20, 0); // a helper call
	s.retire(mov64k(1, 0), 3, 1);                // after it: the helper too
	s.retire(raw(STX | ATOMIC | DW, 1, 2, 0, A_ADD), 4, HERMES_RETIRE_NO_REG, HERMES_MEM_ATOMIC, kSlot);
	s.retire(alu64x(MUL, 2, 2), 1, 2);
	s.retire(alu64k(ADD, 2, 1), 2, 2);           // uses the product
	s.retire(raw(STX | MEM | B, 10, 2, -8, 0), 1, HERMES_RETIRE_NO_REG, HERMES_MEM_STORE, kStack);
	s.retire(mov64k(4, 0), 2, 4);                // after a store
	EXPECT_EQ(s.lost(HERMES_STALL_DIVIDE), 34u);
	EXPECT_EQ(s.lost(HERMES_STALL_HELPER), 19u + 2u);
	EXPECT_EQ(s.lost(HERMES_STALL_ATOMIC), 3u);
	EXPECT_EQ(s.lost(HERMES_STALL_MUL), 1u);
	EXPECT_EQ(s.lost(HERMES_STALL_AFTER_STORE), 1u);
	EXPECT_EQ(s.lost(HERMES_STALL_SLOT_LOAD), 0u);
}

TEST(Stalls, CmpxchgReadsR0)
{
	Stream s;
	s.load(0, 1, kSlot);
	s.retire(raw(STX | ATOMIC | DW, 1, 2, 0, A_CMPXCHG), 5, 0, HERMES_MEM_ATOMIC, kSlot);
	EXPECT_EQ(s.lost(HERMES_STALL_ATOMIC), 4u) << "an atomic waits for itself first";
	s.load(0, 1, kSlot);
	s.retire(raw(JMP | X | JEQ, 5, 0, 1, 0), 3);  // jeq r5, r0: reads r0
	EXPECT_EQ(s.lost(HERMES_STALL_SLOT_LOAD), 2u);
}

TEST(Stalls, RecordsWithoutARisingClockAreRefused)
{
	hermes_stalls st{};
	hermes_itrace_rec rec{};
	rec.clock = HERMES_ITRACE_NO_CLOCK;
	EXPECT_EQ(hermes_stalls_add(&st, &rec), -EINVAL);
	rec.clock = 10;
	EXPECT_EQ(hermes_stalls_add(&st, &rec), 0);
	EXPECT_EQ(hermes_stalls_add(&st, &rec), -EINVAL);
	rec.clock = 9;
	EXPECT_EQ(hermes_stalls_add(&st, &rec), -EINVAL);
	EXPECT_EQ(st.insns, 1u);
	EXPECT_STREQ(hermes_stall_name(HERMES_STALL_SLOT_LOAD), "slot-load");
	EXPECT_STREQ(hermes_stall_name((hermes_stall_cause)99), "?");
}

} // namespace
