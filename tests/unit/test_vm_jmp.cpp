// SPDX-License-Identifier: MIT
// test_vm_jmp.cpp - reference VM: conditional jumps (JMP and JMP32, K and X
// forms, signed and unsigned), ja and ja32.
#include "test_vm_helpers.h"

using namespace vmt;

namespace {

constexpr uint64_t ALL = ~0ull;

// r1 = a; r2 = b; J r1, (r2|imm), +2; r0 = 0; exit; r0 = 1; exit
bool taken(hermes_insn j, uint64_t a, uint64_t b)
{
	j.off = 2;
	Code code = prog({ lddw(1, a), lddw(2, b), j, mov64(0, 0), exit_insn(), mov64(0, 1), exit_insn() });
	return r0_of(code) == 1;
}

struct JCase {
	const char *name;
	unsigned op;
	bool is32;
	uint64_t a, b;
	bool want;
};

const JCase x_cases[] = {
	{ "jeq equal", HERMES_JMP_JEQ, false, 5, 5, true },
	{ "jeq differs in upper half", HERMES_JMP_JEQ, false, 0x100000005ull, 5, false },
	{ "jne", HERMES_JMP_JNE, false, 0x100000005ull, 5, true },
	{ "jne equal", HERMES_JMP_JNE, false, 7, 7, false },
	{ "jgt unsigned", HERMES_JMP_JGT, false, ALL, 1, true },
	{ "jgt equal", HERMES_JMP_JGT, false, 3, 3, false },
	{ "jge equal", HERMES_JMP_JGE, false, 3, 3, true },
	{ "jge less", HERMES_JMP_JGE, false, 2, 3, false },
	{ "jlt unsigned", HERMES_JMP_JLT, false, 1, ALL, true },
	{ "jlt equal", HERMES_JMP_JLT, false, 1, 1, false },
	{ "jle equal", HERMES_JMP_JLE, false, 1, 1, true },
	{ "jle greater", HERMES_JMP_JLE, false, ALL, 1, false },
	{ "jsgt signed -1 > 1", HERMES_JMP_JSGT, false, ALL, 1, false },
	{ "jsgt 1 > -1", HERMES_JMP_JSGT, false, 1, ALL, true },
	{ "jsge -1 >= -1", HERMES_JMP_JSGE, false, ALL, ALL, true },
	{ "jsge INT64_MIN >= 0", HERMES_JMP_JSGE, false, 0x8000000000000000ull, 0, false },
	{ "jslt -1 < 1", HERMES_JMP_JSLT, false, ALL, 1, true },
	{ "jslt 1 < -1", HERMES_JMP_JSLT, false, 1, ALL, false },
	{ "jsle -2 <= -1", HERMES_JMP_JSLE, false, (uint64_t)-2, ALL, true },
	{ "jsle 0 <= -1", HERMES_JMP_JSLE, false, 0, ALL, false },
	{ "jset common bit", HERMES_JMP_JSET, false, 0x10, 0x11, true },
	{ "jset no common bit", HERMES_JMP_JSET, false, 0x10, 0x01, false },
	{ "jset upper half", HERMES_JMP_JSET, false, 0x100000000ull, 0x100000000ull, true },

	// JMP32: only the low halves count.
	{ "jeq32 ignores upper bits", HERMES_JMP_JEQ, true, 0xffffffff00000001ull, 1, true },
	{ "jeq32 differs", HERMES_JMP_JEQ, true, 2, 0x100000001ull, false },
	{ "jne32 ignores upper bits", HERMES_JMP_JNE, true, 0x100000000ull, 0, false },
	{ "jgt32 low half 0", HERMES_JMP_JGT, true, 0x100000000ull, 1, false },
	{ "jgt32 unsigned", HERMES_JMP_JGT, true, 0xffffffff, 1, true },
	{ "jge32", HERMES_JMP_JGE, true, 0x500000001ull, 0x600000001ull, true },
	{ "jlt32", HERMES_JMP_JLT, true, 0xffffffff00000005ull, 6, true },
	{ "jle32", HERMES_JMP_JLE, true, 7, 0xff00000006ull, false },
	{ "jsgt32 bit 31 is the sign", HERMES_JMP_JSGT, true, 0x80000000, 0, false },
	{ "jsgt32 upper half ignored", HERMES_JMP_JSGT, true, 0x8000000000000001ull, 0, true },
	{ "jsge32", HERMES_JMP_JSGE, true, 0xffffffff, 0xffffffff, true },
	{ "jslt32", HERMES_JMP_JSLT, true, 0xfffffffe, 1, true },
	{ "jslt32 positive", HERMES_JMP_JSLT, true, 0x7fffffff, 0x80000000, false },
	{ "jsle32", HERMES_JMP_JSLE, true, 0x80000000, 0x7fffffff, true },
	{ "jset32 upper half ignored", HERMES_JMP_JSET, true, 0x100000000ull, 0x100000000ull, false },
	{ "jset32", HERMES_JMP_JSET, true, 0x100000003ull, 2, true },
};

TEST(VmJmp, RegisterForms)
{
	for (const JCase &c : x_cases) {
		hermes_insn j = c.is32 ? j32x(c.op, 1, 2, 0) : jx(c.op, 1, 2, 0);
		EXPECT_EQ(c.want, taken(j, c.a, c.b)) << c.name << ": a " << hex(c.a) << " b " << hex(c.b);
	}
}

TEST(VmJmp, RegisterFormsMatch64VsSigned)
{
	// The same pair, compared 64-bit signed vs unsigned vs 32-bit.
	const uint64_t a = 0x00000000ffffffffull, b = 1;
	EXPECT_TRUE(taken(jx(HERMES_JMP_JGT, 1, 2, 0), a, b));    // 4294967295 > 1
	EXPECT_TRUE(taken(jx(HERMES_JMP_JSGT, 1, 2, 0), a, b));   // positive in 64 bits
	EXPECT_TRUE(taken(j32x(HERMES_JMP_JGT, 1, 2, 0), a, b));  // unsigned 32
	EXPECT_FALSE(taken(j32x(HERMES_JMP_JSGT, 1, 2, 0), a, b)); // -1 > 1 in 32 bits
}

struct JKCase {
	const char *name;
	unsigned op;
	bool is32;
	uint64_t a;
	int32_t imm;
	bool want;
};

const JKCase k_cases[] = {
	{ "jeq K -1 sign-extends", HERMES_JMP_JEQ, false, ALL, -1, true },
	{ "jeq K -1 vs 0xffffffff", HERMES_JMP_JEQ, false, 0xffffffff, -1, false },
	{ "jeq32 K -1 vs 0xffffffff", HERMES_JMP_JEQ, true, 0xffffffff, -1, true },
	{ "jeq32 K ignores upper", HERMES_JMP_JEQ, true, 0x1234567800000009ull, 9, true },
	{ "jgt K -1 is the largest", HERMES_JMP_JGT, false, 0xfffffffffffffffeull, -1, false },
	{ "jlt K -1", HERMES_JMP_JLT, false, 0xfffffffffffffffeull, -1, true },
	{ "jgt32 K -1 is 0xffffffff", HERMES_JMP_JGT, true, 0xfffffffe, -1, false },
	{ "jge K", HERMES_JMP_JGE, false, 10, 10, true },
	{ "jle K", HERMES_JMP_JLE, false, 11, 10, false },
	{ "jsgt K negative", HERMES_JMP_JSGT, false, (uint64_t)-3, -4, true },
	{ "jsge K", HERMES_JMP_JSGE, false, (uint64_t)-4, -4, true },
	{ "jslt K", HERMES_JMP_JSLT, false, (uint64_t)-5, -4, true },
	{ "jsle K", HERMES_JMP_JSLE, false, 0, -1, false },
	{ "jslt32 K -1", HERMES_JMP_JSLT, true, 0xfffffffe, -1, true },
	{ "jsgt32 K", HERMES_JMP_JSGT, true, 0x00000000ffffffffull, 0, false },
	{ "jsle32 K", HERMES_JMP_JSLE, true, 0x7fffffff00000000ull, 0, true },
	{ "jsge32 K", HERMES_JMP_JSGE, true, 0x80000000, (int32_t)0x80000000, true },
	{ "jne K", HERMES_JMP_JNE, false, 1, 1, false },
	{ "jne32 K", HERMES_JMP_JNE, true, 0x100000001ull, 1, false },
	{ "jset K sign-extended mask", HERMES_JMP_JSET, false, 0x8000000000000000ull, (int32_t)0x80000000, true },
	{ "jset32 K", HERMES_JMP_JSET, true, 0x8000000000000000ull, -1, false },
	{ "jlt32 K", HERMES_JMP_JLT, true, 0x100000000ull, 1, true },
	{ "jle32 K", HERMES_JMP_JLE, true, 0xffffffff00000002ull, 2, true },
	{ "jge32 K", HERMES_JMP_JGE, true, 0x1, 2, false },
};

TEST(VmJmp, ImmediateForms)
{
	for (const JKCase &c : k_cases) {
		hermes_insn j = c.is32 ? j32k(c.op, 1, c.imm, 0) : jk(c.op, 1, c.imm, 0);
		EXPECT_EQ(c.want, taken(j, c.a, 0)) << c.name << ": a " << hex(c.a) << " imm " << c.imm;
	}
}

TEST(VmJmp, JaAndJa32)
{
	// ja +1 skips one slot; ja32 uses imm and ignores off.
	Code code = prog({ mov64(0, 1), ja(1), mov64(0, 2), mk(HERMES_CLS_JMP32 | HERMES_JMP_JA, 0, 0, 5, 1),
			   mov64(0, 3), exit_insn() });
	EXPECT_EQ(1u, r0_of(code));
	// ja ignores imm.
	code = prog({ mov64(0, 7), mk(HERMES_CLS_JMP | HERMES_JMP_JA, 0, 0, 1, 1000), mov64(0, 8), exit_insn() });
	EXPECT_EQ(7u, r0_of(code));
}

TEST(VmJmp, BackwardLoop)
{
	// r0 = sum 1..10 with a backward conditional jump.
	Code code = prog({ mov64(0, 0), mov64(1, 10), alu64x(HERMES_ALU_ADD, 0, 1), add64(1, -1),
			   jk(HERMES_JMP_JNE, 1, 0, -3), exit_insn() });
	Vm m;
	hermes_vm_status st = m.run(code);
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(55u, st.r0) << st;
	EXPECT_EQ(2u + 3u * 10u + 1u, st.insns) << st;
}

TEST(VmJmp, Ja32LongBackward)
{
	// ja32 backwards over a block: loop 3 times via ja32.
	Code code = prog({ mov64(0, 0), add64(0, 1), jk(HERMES_JMP_JEQ, 0, 3, 1), ja32(-3), exit_insn() });
	EXPECT_EQ(3u, r0_of(code));
}

TEST(VmJmp, JumpToLastSlotIsFine)
{
	Code code = prog({ mov64(0, 4), jk(HERMES_JMP_JEQ, 0, 4, 1), mov64(0, 5), exit_insn() });
	EXPECT_EQ(4u, r0_of(code));
}

} // namespace
