// SPDX-License-Identifier: MIT
// test_vm_ctrl.cpp - reference VM: local calls and frames, every fault cause
// with its exact pc and address, the order of checks, the instruction
// budget, abort, and illegal encodings (docs/ISA.md "Decoding rules",
// "Faults").
#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>

#include "test_vm_helpers.h"

using namespace vmt;

namespace {

constexpr uint64_t STACK = HERMES_STACK_BASE;
constexpr uint64_t PROGB = HERMES_PROG_BASE;

// ---- calls ----

TEST(VmCall, CalleeSavedRegistersRestored)
{
	Code code = prog({
		/* 0 */ mov64(6, 6), mov64(7, 7), mov64(8, 8), mov64(9, 9), mov64(1, 1),
		/* 5 */ call_local(4),          // -> 10
		/* 6 */ alu64x(HERMES_ALU_ADD, 0, 6), alu64x(HERMES_ALU_ADD, 0, 9),
		/* 8 */ alu64x(HERMES_ALU_ADD, 0, 1),
		/* 9 */ exit_insn(),
		/* 10 */ mov64(6, 600), mov64(7, 700), mov64(8, 800), mov64(9, 900), mov64(1, 100),
		/* 15 */ mov64r(0, 10), exit_insn(),
	});
	Vm m;
	hermes_vm_status st = m.run(code);
	ASSERT_EQ(0u, st.fault) << st;
	// r0 = callee's r10 (frame 1 top) + r6 + r9 restored + r1 as the callee left it.
	EXPECT_EQ(STACK + 1024 + 6 + 9 + 100, st.r0) << st;
	EXPECT_EQ(6u, m.reg(6));
	EXPECT_EQ(7u, m.reg(7));
	EXPECT_EQ(8u, m.reg(8));
	EXPECT_EQ(9u, m.reg(9));
	EXPECT_EQ(STACK + 512, m.reg(10));
	EXPECT_EQ(0u, hermes_vm_depth(m.vm));
}

TEST(VmCall, ArgumentsAndReturnValuePass)
{
	// f(a, b) = a * 10 + b
	Code code = prog({ mov64(1, 4), mov64(2, 2), call_local(1), exit_insn(), mov64r(0, 1),
			   alu64k(HERMES_ALU_MUL, 0, 10), alu64x(HERMES_ALU_ADD, 0, 2), exit_insn() });
	EXPECT_EQ(42u, r0_of(code));
}

TEST(VmCall, FramesAreIsolatedButAddressable)
{
	Code code = prog({
		/* 0 */ sti(HERMES_SZ_DW, 10, -8, 111),
		/* 1 */ call_local(3),                 // -> 5
		/* 2 */ ldx(HERMES_SZ_DW, 0, 10, -8),  // still 111
		/* 3 */ alu64x(HERMES_ALU_ADD, 0, 5),  // + what the callee read from our frame
		/* 4 */ exit_insn(),
		/* 5 */ ldx(HERMES_SZ_DW, 4, 10, -8),  // own frame: zero
		/* 6 */ sti(HERMES_SZ_DW, 10, -8, 222),
		/* 7 */ ldx(HERMES_SZ_DW, 5, 10, -520), // caller's slot through a pointer
		/* 8 */ alu64x(HERMES_ALU_ADD, 5, 4),
		/* 9 */ exit_insn(),
	});
	Vm m;
	hermes_vm_status st = m.run(code);
	ASSERT_EQ(0u, st.fault) << st;
	EXPECT_EQ(111u + 111u, st.r0) << st;
}

// f(n): n == 0 ? exit : f(n - 1), called from main with r1 = n.
Code recursion(int n)
{
	return prog({ mov64(1, n), call_local(1), exit_insn(),
		      /* 3 */ jk(HERMES_JMP_JEQ, 1, 0, 3), add64(1, -1), add64(0, 1), call_local(-4),
		      /* 7 */ exit_insn() });
}

TEST(VmCall, EightFramesWork)
{
	// main + 7 nested calls = 8 frames.
	Vm m;
	hermes_vm_status st = m.run(recursion(6));
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(6u, st.r0);
}

TEST(VmCall, NinthFrameFaults)
{
	Vm m;
	hermes_vm_status st = m.run(recursion(7));
	EXPECT_FAULT(st, HERMES_FAULT_CALL_DEPTH, 6, 0);
	EXPECT_EQ(7u, hermes_vm_depth(m.vm));
	EXPECT_EQ(7u, m.reg(0));
	EXPECT_EQ(STACK + 8 * 512, m.reg(10)) << "r10 at the deepest frame's top";
}

TEST(VmCall, DepthIsCheckedBeforeTarget)
{
	// At depth 7 a call with a bad target reports 6, not 3.
	Code code = prog({ mov64(1, 7), call_local(1), exit_insn(),
			   /* 3 */ jk(HERMES_JMP_JEQ, 1, 1, 4), add64(1, -1), call_local(-3), exit_insn(),
			   /* 7 */ exit_insn(), /* 8 */ call_local(1000), exit_insn() });
	Vm m;
	// Depth: main calls (1), f recurses while r1 > 1: r1 7..2 -> 6 more calls (depth 7),
	// then jeq to 8 at depth 7 whose call would open a 9th frame.
	hermes_vm_status st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_CALL_DEPTH, 8, 0);
	// With one frame less the same call reports its bad target.
	code[0] = mov64(1, 6);
	st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 8, PROGB + 8 * (8 + 1000 + 1));
}

TEST(VmCall, CallAsLastSlotFaultsOnReturn)
{
	// The callee's exit would resume past the end: fault 3 at that exit.
	Code code = prog({ ja(2), mov64(0, 5), exit_insn(), call_local(-3) });
	Vm m;
	hermes_vm_status st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 2, PROGB + 8 * 4);
	EXPECT_EQ(1u, hermes_vm_depth(m.vm)) << "the faulting exit popped its frame";
	EXPECT_EQ(3u, st.insns);
}

// Helpers Hermes lacks (4 bpf_probe_read, docs/MAPS.md) fault with cause 8.
TEST(VmCall, HelperCallFaults8)
{
	Vm m;
	hermes_vm_status st = m.run(prog({ mov64(0, 1), call_helper(4), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_UNKNOWN_HELPER, 1, 4);
	st = m.run(prog({ call_helper(-1), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_UNKNOWN_HELPER, 0, 0xffffffffull);
}

TEST(VmCall, BadTargets)
{
	Vm m;
	hermes_vm_status st = m.run(prog({ mov64(0, 0), call_local(1), exit_insn() })); // target 3 == len
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 8 * 3);
	EXPECT_EQ(0u, hermes_vm_depth(m.vm));
	EXPECT_EQ(STACK + 512, m.reg(10));
	st = m.run(prog({ mov64(0, 0), call_local(-5), exit_insn() })); // target -3
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB - 24);
	st = m.run(prog({ call_local(INT32_MIN), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 0, PROGB + 8 * (uint64_t)((int64_t)INT32_MIN + 1));
}

// ---- fetch / jump faults ----

TEST(VmFault, JumpTargetsOutside)
{
	Vm m;
	hermes_vm_status st = m.run(prog({ mov64(0, 0), ja(1), exit_insn() })); // target 3
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 24);
	EXPECT_EQ(1u, st.insns);
	st = m.run(prog({ mov64(0, 0), ja(-3), exit_insn() })); // target -1
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB - 8);
	st = m.run(prog({ mov64(0, 0), ja(-32768), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 8 * (uint64_t)(int64_t)(1 - 32768 + 1));
	st = m.run(prog({ mov64(0, 0), ja32(0x7fffffff), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 8 * (uint64_t)(1 + 0x7fffffffll + 1));
	st = m.run(prog({ mov64(0, 0), ja32(-1000), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 8 * (uint64_t)(int64_t)(1 - 1000 + 1));
	// Taken conditional jump outside; not taken is fine.
	st = m.run(prog({ mov64(0, 1), jk(HERMES_JMP_JEQ, 0, 1, 100), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 8 * 102);
	st = m.run(prog({ mov64(0, 2), jk(HERMES_JMP_JEQ, 0, 1, 100), exit_insn() }));
	EXPECT_EQ(0u, st.fault) << st;
	st = m.run(prog({ mov64(0, 1), j32x(HERMES_JMP_JEQ, 0, 0, -5), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 8 * (uint64_t)(int64_t)-3);
}

TEST(VmFault, RunningOffTheEnd)
{
	Vm m;
	// An ALU op in the last slot faults instead of retiring: r0 unchanged.
	hermes_vm_status st = m.run(prog({ mov64(0, 5), mov64(0, 6) }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 16);
	EXPECT_EQ(5u, m.reg(0));
	EXPECT_EQ(1u, st.insns);
	// A not-taken conditional jump in the last slot.
	st = m.run(prog({ mov64(0, 5), jk(HERMES_JMP_JEQ, 0, 4, -2) }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 16);
	// Store in the last slot: faults 3, memory unchanged.
	st = m.run(prog({ sti(HERMES_SZ_B, 1, 0, 7) }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 0, PROGB + 8);
	EXPECT_EQ(0u, m.data[0]);
	// lddw ending exactly at the end, and lddw whose second slot is outside.
	st = m.run(prog({ mov64(0, 1), lddw(0, 0x55) }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 24);
	EXPECT_EQ(1u, m.reg(0));
	Code half = prog({ mov64(0, 1), lddw(0, 0x55) });
	half.pop_back();
	st = m.run(half);
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 16);
	EXPECT_EQ(1u, m.reg(0));
	// An atomic in the last slot.
	st = m.run(prog({ mov64(2, 1), atomic(HERMES_SZ_W, HERMES_ATOMIC_ADD | HERMES_ATOMIC_FETCH, 1, 2, 0) }));
	EXPECT_FAULT(st, HERMES_FAULT_FETCH, 1, PROGB + 16);
	EXPECT_EQ(1u, m.reg(2));
}

TEST(VmFault, MemoryFaultBeforeRunningOffTheEnd)
{
	Vm m;
	hermes_vm_status st = m.run(prog({ mov64(3, 0), ldx(HERMES_SZ_B, 0, 3, 0) }));
	EXPECT_FAULT(st, HERMES_FAULT_LOAD, 1, 0);
	st = m.run(prog({ mov64(3, 0), stx(HERMES_SZ_B, 3, 0, 0) }));
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 1, 0);
}

TEST(VmFault, JumpIntoLddwSecondSlot)
{
	// The second slot of an lddw executes as its own encoding (opcode 0: illegal).
	Code code = prog({ ja(1), lddw(0, 0x1234), exit_insn() });
	Vm m;
	hermes_vm_status st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_ILLEGAL, 2, 0);
}

// ---- budget ----

TEST(VmBudget, ExactlyAtTheLimit)
{
	// 5 instructions: mov, lddw (one unit), add, mov, exit.
	Code code = prog({ mov64(0, 1), lddw(1, 2), alu64x(HERMES_ALU_ADD, 0, 1), mov64(2, 0), exit_insn() });
	Vm m;
	ASSERT_EQ(0, m.load(code, 5));
	hermes_vm_status st = m.run();
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(5u, st.insns);
	EXPECT_EQ(3u, st.r0);

	ASSERT_EQ(0, m.load(code, 4));
	st = m.run();
	EXPECT_FAULT(st, HERMES_FAULT_BUDGET, 5, 0); // the exit, not executed
	EXPECT_EQ(4u, st.insns);

	ASSERT_EQ(0, m.load(code, 2));
	st = m.run();
	EXPECT_FAULT(st, HERMES_FAULT_BUDGET, 3, 0); // after lddw (slots 1-2)
	EXPECT_EQ(2u, st.insns);
	EXPECT_EQ(2u, m.reg(1));

	ASSERT_EQ(0, m.load(code, 0));
	st = m.run();
	EXPECT_FAULT(st, HERMES_FAULT_BUDGET, 0, 0);
	EXPECT_EQ(0u, st.insns);
	EXPECT_EQ(0u, m.reg(0));
}

TEST(VmBudget, InfiniteLoop)
{
	Vm m;
	ASSERT_EQ(0, m.load(prog({ mov64(0, 0), add64(0, 1), ja(-2), exit_insn() }), 1000001));
	hermes_vm_status st = m.run();
	// 1 + 2 * 500000 = 1000001 retired, then the add at pc 1.
	EXPECT_FAULT(st, HERMES_FAULT_BUDGET, 1, 0);
	EXPECT_EQ(1000001u, st.insns);
	EXPECT_EQ(500000u, st.r0);
}

TEST(VmBudget, LargeBudgetAcrossAbortChunks)
{
	// More than one abort-check chunk: the budget count stays exact.
	Vm m;
	ASSERT_EQ(0, m.load(prog({ ja(-1) }), 200003));
	hermes_vm_status st = m.run();
	EXPECT_FAULT(st, HERMES_FAULT_BUDGET, 0, 0);
	EXPECT_EQ(200003u, st.insns);
}

TEST(VmBudget, BudgetBeforeIllegal)
{
	Vm m;
	ASSERT_EQ(0, m.load(prog({ mov64(0, 0), mk(0xff, 0, 0, 0, 0) }), 1));
	EXPECT_FAULT(m.run(), HERMES_FAULT_BUDGET, 1, 0);
}

// ---- abort ----

TEST(VmAbort, BeforeRun)
{
	Vm m;
	ASSERT_EQ(0, m.load(prog({ mov64(0, 1), exit_insn() })));
	hermes_vm_abort(m.vm);
	hermes_vm_status st = m.run();
	EXPECT_FAULT(st, HERMES_FAULT_ABORTED, 0, 0);
	EXPECT_EQ(0u, st.insns);
	EXPECT_EQ(0u, m.reg(0));
}

TEST(VmAbort, WhileStepping)
{
	Vm m;
	ASSERT_EQ(0, m.load(prog({ mov64(0, 1), mov64(0, 2), mov64(0, 3), exit_insn() })));
	hermes_retire rec;
	hermes_vm_status st;
	ASSERT_EQ(1, hermes_vm_step(m.vm, &rec, &st));
	ASSERT_EQ(1, hermes_vm_step(m.vm, &rec, &st));
	hermes_vm_abort(m.vm);
	EXPECT_EQ(0, hermes_vm_step(m.vm, &rec, &st));
	EXPECT_FAULT(st, HERMES_FAULT_ABORTED, 2, 0);
	EXPECT_EQ(2u, st.insns);
	EXPECT_EQ(2u, m.reg(0));
	// Further steps do nothing.
	EXPECT_EQ(0, hermes_vm_step(m.vm, &rec, &st));
	EXPECT_FAULT(st, HERMES_FAULT_ABORTED, 2, 0);
}

TEST(VmAbort, AbortWinsOverBudget)
{
	Vm m;
	ASSERT_EQ(0, m.load(prog({ exit_insn() }), 0));
	hermes_vm_abort(m.vm);
	EXPECT_FAULT(m.run(), HERMES_FAULT_ABORTED, 0, 0);
}

TEST(VmAbort, AfterTheEndAndAfterReset)
{
	Vm m;
	ASSERT_EQ(0, m.load(prog({ mov64(0, 9), exit_insn() })));
	hermes_vm_status st = m.run();
	EXPECT_EQ(0u, st.fault);
	hermes_vm_abort(m.vm); // the run is over: no effect
	st = m.run();
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(9u, st.r0);
	hermes_vm_reset(m.vm, 100); // reset clears a pending abort
	st = m.run();
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(9u, st.r0);
}

TEST(VmAbort, FromAnotherThreadStopsARun)
{
	Vm m;
	ASSERT_EQ(0, m.load(prog({ ja(-1) }), UINT64_MAX));
	std::thread t([&] {
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
		hermes_vm_abort(m.vm);
	});
	hermes_vm_status st = m.run();
	t.join();
	EXPECT_FAULT(st, HERMES_FAULT_ABORTED, 0, 0);
	EXPECT_GT(st.insns, 0u);
}

// ---- illegal encodings ----

struct IllegalCase {
	const char *name;
	hermes_insn insn;
};

const IllegalCase illegal_cases[] = {
	{ "opcode 0x00 (LD W IMM)", mk(0x00, 0, 0, 0, 0) },
	{ "legacy abs 0x20", mk(0x20, 0, 0, 0, 0) },
	{ "legacy abs 0x28", mk(0x28, 0, 0, 0, 0) },
	{ "legacy abs 0x30", mk(0x30, 0, 0, 0, 0) },
	{ "legacy ind 0x40", mk(0x40, 0, 1, 0, 0) },
	{ "legacy ind 0x50", mk(0x50, 0, 1, 0, 0) },
	{ "lddw with src 1 (map fd)", mk(HERMES_OP_LDDW, 1, 1, 0, 0) },
	{ "lddw with src 2", mk(HERMES_OP_LDDW, 1, 2, 0, 0) },
	{ "lddw to r10", mk(HERMES_OP_LDDW, 10, 0, 0, 0) },
	{ "ld dw mem 0x78", mk(0x78, 0, 0, 0, 0) },
	{ "ldx imm mode 0x79^0x60", mk(0x19, 0, 1, 0, 0) },
	{ "ldxsdw 0x99", ldxs(HERMES_SZ_DW, 0, 1, 0) },
	{ "ldx atomic mode 0xdb^2", mk(0xd9, 0, 1, 0, 0) },
	{ "ldx to r10", ldx(HERMES_SZ_DW, 10, 1, 0) },
	{ "ldxsb to r10", ldxs(HERMES_SZ_B, 10, 1, 0) },
	{ "ldx dst r11", ldx(HERMES_SZ_DW, 11, 1, 0) },
	{ "ldx src r11", ldx(HERMES_SZ_DW, 0, 11, 0) },
	{ "st memsx 0x82", mk(0x82, 1, 0, 0, 0) },
	{ "st atomic 0xdb^1", mk(0xda, 1, 0, 0, 0) },
	{ "st dst r15", sti(HERMES_SZ_W, 15, 0, 0) },
	{ "stx memsx 0x83", mk(0x83, 1, 2, 0, 0) },
	{ "stx dst r11", stx(HERMES_SZ_B, 11, 1, 0) },
	{ "stx src r12", stx(HERMES_SZ_B, 1, 12, 0) },
	{ "atomic B", atomic(HERMES_SZ_B, HERMES_ATOMIC_ADD, 1, 2, 0) },
	{ "atomic H", atomic(HERMES_SZ_H, HERMES_ATOMIC_ADD, 1, 2, 0) },
	{ "atomic imm 0x02", atomic(HERMES_SZ_W, 0x02, 1, 2, 0) },
	{ "atomic imm 0x10 (sub)", atomic(HERMES_SZ_DW, 0x10, 1, 2, 0) },
	{ "atomic xchg without fetch 0xe0", atomic(HERMES_SZ_DW, 0xe0, 1, 2, 0) },
	{ "atomic cmpxchg without fetch 0xf0", atomic(HERMES_SZ_DW, 0xf0, 1, 2, 0) },
	{ "atomic fetch add into r10", atomic(HERMES_SZ_DW, HERMES_ATOMIC_ADD | HERMES_ATOMIC_FETCH, 1, 10, 0) },
	{ "atomic xchg into r10", atomic(HERMES_SZ_W, HERMES_ATOMIC_XCHG, 1, 10, 0) },
	{ "atomic src r11", atomic(HERMES_SZ_W, HERMES_ATOMIC_ADD, 1, 11, 0) },
	{ "alu64 op 0xe0", mk(0xe7, 1, 0, 0, 0) },
	{ "alu64 op 0xf0", mk(0xf7, 1, 0, 0, 0) },
	{ "alu op 0xe0 X", mk(0xec, 1, 2, 0, 0) },
	{ "alu op 0xf0 X", mk(0xfc, 1, 2, 0, 0) },
	{ "neg32 X 0x8c", mk(0x8c, 1, 0, 0, 0) },
	{ "neg64 X 0x8f", mk(0x8f, 1, 0, 0, 0) },
	{ "alu64 end X 0xdf", mk(0xdf, 1, 0, 0, 16) },
	{ "le imm 8", alu32k(HERMES_ALU_END, 1, 8) },
	{ "be imm 0", mk(0xdc, 1, 0, 0, 0) },
	{ "bswap imm 48", alu64k(HERMES_ALU_END, 1, 48) },
	{ "add64 to r10", add64(10, 1) },
	{ "mov64 to r10", mov64(10, 1) },
	{ "mov32 r10, r1", alu32x(HERMES_ALU_MOV, 10, 1) },
	{ "neg64 r10", alu64k(HERMES_ALU_NEG, 10, 0) },
	{ "le16 r10", alu32k(HERMES_ALU_END, 10, 16) },
	{ "add64 dst r11", add64(11, 1) },
	{ "add64 src r11", alu64x(HERMES_ALU_ADD, 1, 11) },
	{ "add32 src r15", alu32x(HERMES_ALU_ADD, 1, 15) },
	{ "div64 off 2", alu64x(HERMES_ALU_DIV, 1, 2, 2) },
	{ "div32 K off -1", alu32k(HERMES_ALU_DIV, 1, 3, -1) },
	{ "mod64 K off 2", alu64k(HERMES_ALU_MOD, 1, 3, 2) },
	{ "mod32 off 8", alu32x(HERMES_ALU_MOD, 1, 2, 8) },
	{ "mov64 K off 8", alu64k(HERMES_ALU_MOV, 1, 3, 8) },
	{ "mov32 K off 1", alu32k(HERMES_ALU_MOV, 1, 3, 1) },
	{ "mov32 X off 32", alu32x(HERMES_ALU_MOV, 1, 2, 32) },
	{ "mov64 X off 1", alu64x(HERMES_ALU_MOV, 1, 2, 1) },
	{ "mov64 X off 64", alu64x(HERMES_ALU_MOV, 1, 2, 64) },
	{ "movsx64 src r11", alu64x(HERMES_ALU_MOV, 1, 11, 8) },
	{ "ja X 0x0d", mk(0x0d, 0, 0, 1, 0) },
	{ "call X 0x8d (callx)", mk(0x8d, 1, 0, 0, 0) },
	{ "exit X 0x9d", mk(0x9d, 0, 0, 0, 0) },
	{ "jmp op 0xe0", mk(0xe5, 0, 0, 0, 0) },
	{ "jmp op 0xf0 X", mk(0xfd, 0, 1, 0, 0) },
	{ "call src 2 (kfunc)", mk(0x85, 0, 2, 0, 1) },
	{ "call src 15", mk(0x85, 0, 15, 0, 1) },
	{ "ja32 X 0x0e", mk(0x0e, 0, 0, 0, 1) },
	{ "jmp32 call 0x86", mk(0x86, 0, 1, 0, 1) },
	{ "jmp32 exit 0x96", mk(0x96, 0, 0, 0, 0) },
	{ "jmp32 op 0xe0", mk(0xe6, 0, 0, 0, 0) },
	{ "jeq dst r11", jk(HERMES_JMP_JEQ, 11, 0, 0) },
	{ "jeq src r11", jx(HERMES_JMP_JEQ, 0, 11, 0) },
	{ "jeq32 src r13", j32x(HERMES_JMP_JEQ, 0, 13, 0) },
};

TEST(VmDecode, IllegalEncodingsFault4)
{
	for (const IllegalCase &c : illegal_cases) {
		Vm m;
		// mov r0, 77 ; <illegal> ; exit
		hermes_vm_status st = m.run(prog({ mov64(0, 77), c.insn, exit_insn() }));
		SCOPED_TRACE(c.name);
		EXPECT_FAULT(st, HERMES_FAULT_ILLEGAL, 1, 0);
		EXPECT_EQ(1u, st.insns) << c.name;
		EXPECT_EQ(77u, m.reg(0)) << c.name;
	}
}

TEST(VmDecode, LegalCornerEncodings)
{
	struct {
		const char *name;
		Code code;
	} cases[] = {
		{ "cmpxchg with src r10 (writes r0 only)",
		  prog({ atomic(HERMES_SZ_DW, HERMES_ATOMIC_CMPXCHG, 1, 10, 0), exit_insn() }) },
		{ "atomic add reading r10", prog({ atomic(HERMES_SZ_DW, HERMES_ATOMIC_ADD, 1, 10, 0), exit_insn() }) },
		{ "stx of r10", prog({ stx(HERMES_SZ_DW, 10, 10, -8), exit_insn() }) },
		{ "ldx from r10 base", prog({ ldx(HERMES_SZ_DW, 0, 10, -8), exit_insn() }) },
		{ "K-form src field ignored", prog({ mk(0x07, 0, 12, 0, 1), exit_insn() }) },
		{ "neg src field ignored", prog({ mk(0x87, 0, 15, 0, 0), exit_insn() }) },
		{ "le src field ignored", prog({ mk(0xd4, 0, 15, 0, 32), exit_insn() }) },
		{ "be src field ignored", prog({ mk(0xdc, 0, 15, 0, 64), exit_insn() }) },
		{ "add off ignored", prog({ mk(0x0f, 0, 1, 99, 0), exit_insn() }) },
		{ "sdiv off 1", prog({ mk(0x3f, 0, 1, 1, 0), exit_insn() }) },
		{ "smod32 K off 1", prog({ mk(0x94, 0, 0, 1, 3), exit_insn() }) },
		{ "movsx64 32", prog({ alu64x(HERMES_ALU_MOV, 0, 1, 32), exit_insn() }) },
		{ "ja ignores regs", prog({ mk(0x05, 15, 15, 0, 0), exit_insn() }) },
		{ "exit ignores regs", prog({ mk(0x95, 15, 15, 0, 0) }) },
		{ "call local ignores dst", prog({ mk(0x85, 15, 1, 0, 1), exit_insn(), exit_insn() }) },
		{ "lddw second slot fields ignored", prog({ mk(0x18, 0, 0, 0, 1), mk(0xff, 0xf, 0xf, 77, 0),
							   exit_insn() }) },
		{ "JMP K src field ignored", prog({ mk(0x15, 0, 15, 0, 0), exit_insn() }) },
		{ "ST src field ignored", prog({ mk(0x62, 1, 15, 0, 0), exit_insn() }) },
		{ "r10 as ALU source", prog({ alu64x(HERMES_ALU_MOV, 0, 10), exit_insn() }) },
	};
	for (const auto &c : cases) {
		Vm m;
		hermes_vm_status st = m.run(c.code);
		EXPECT_EQ(0u, st.fault) << c.name << " " << st;
		EXPECT_EQ(1, st.done) << c.name;
	}
}

TEST(VmDecode, IllegalBeforeOwnFault)
{
	Vm m;
	// ldx to r10 from an unmapped address: 4, not 1.
	hermes_vm_status st = m.run(prog({ mov64(3, 0), ldx(HERMES_SZ_DW, 10, 3, 0), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_ILLEGAL, 1, 0);
	// Illegal instruction in the last slot: 4, not 3.
	st = m.run(prog({ mov64(3, 0), add64(10, 1) }));
	EXPECT_FAULT(st, HERMES_FAULT_ILLEGAL, 1, 0);
	// lddw with src 1 in the last slot.
	st = m.run(prog({ mov64(3, 0), mk(HERMES_OP_LDDW, 1, 1, 0, 0) }));
	EXPECT_FAULT(st, HERMES_FAULT_ILLEGAL, 1, 0);
}

TEST(VmDecode, LoadRejectsBadCode)
{
	hermes_vm *vm = hermes_vm_new(0x100, 0x100);
	ASSERT_NE(nullptr, vm);
	std::vector<uint8_t> p(0x100), d(0x100);
	EXPECT_EQ(-EINVAL, hermes_vm_load(vm, p.data(), 0, d.data(), 0)) << "empty code";
	EXPECT_EQ(-EINVAL, hermes_vm_load(vm, p.data(), 12, d.data(), 0)) << "not a multiple of 8";
	EXPECT_EQ(-EINVAL, hermes_vm_load(vm, p.data(), 0x108, d.data(), 0)) << "larger than the slot";
	EXPECT_EQ(0, hermes_vm_load(vm, p.data(), 0x100, d.data(), 0)) << "the whole slot";
	hermes_vm_free(vm);
	EXPECT_EQ(nullptr, hermes_vm_new(0x10000001, 0x100)) << "regions are at most 256 MiB";
}

} // namespace
