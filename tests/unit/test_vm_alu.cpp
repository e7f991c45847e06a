// SPDX-License-Identifier: MIT
// test_vm_alu.cpp - reference VM: ALU and ALU64 instructions, byte swaps,
// movsx and lddw (docs/ISA.md "Execution").
#include "test_vm_helpers.h"

using namespace vmt;

namespace {

constexpr uint64_t ALL = ~0ull;
constexpr uint64_t I64_MIN = 0x8000000000000000ull;

struct AluCase {
	const char *name;
	bool is64;
	unsigned op;   // HERMES_ALU_*
	int off;       // 1: sdiv/smod, 8/16/32: movsx
	uint64_t a;    // dst before
	uint64_t b;    // src (X form)
	uint64_t want; // dst after
};

// r1 = a; r2 = b; OP r1, r2; r0 = r1; exit
uint64_t run_x(const AluCase &c)
{
	Code code = prog({ lddw(1, c.a), lddw(2, c.b),
			   c.is64 ? alu64x(c.op, 1, 2, c.off) : alu32x(c.op, 1, 2, c.off),
			   mov64r(0, 1), exit_insn() });
	return r0_of(code);
}

const AluCase x_cases[] = {
	// ALU64, register source.
	{ "add64 wraps", true, HERMES_ALU_ADD, 0, ALL, 2, 1 },
	{ "sub64 wraps", true, HERMES_ALU_SUB, 0, 0, 1, ALL },
	{ "mul64 wraps to 0", true, HERMES_ALU_MUL, 0, 1ull << 32, 1ull << 32, 0 },
	{ "mul64 -1*-1", true, HERMES_ALU_MUL, 0, ALL, ALL, 1 },
	{ "mul64 3*-2", true, HERMES_ALU_MUL, 0, 3, (uint64_t)-2, (uint64_t)-6 },
	{ "div64", true, HERMES_ALU_DIV, 0, 100, 7, 14 },
	{ "div64 is unsigned", true, HERMES_ALU_DIV, 0, ALL, 2, 0x7fffffffffffffffull },
	{ "div64 by zero", true, HERMES_ALU_DIV, 0, 0x123456789abcdef0ull, 0, 0 },
	{ "mod64", true, HERMES_ALU_MOD, 0, 100, 7, 2 },
	{ "mod64 unsigned", true, HERMES_ALU_MOD, 0, ALL, 10, 5 },
	{ "mod64 by zero keeps dividend", true, HERMES_ALU_MOD, 0, 0x123456789abcdef0ull, 0,
	  0x123456789abcdef0ull },
	{ "sdiv64 -7/2", true, HERMES_ALU_DIV, 1, (uint64_t)-7, 2, (uint64_t)-3 },
	{ "sdiv64 7/-2", true, HERMES_ALU_DIV, 1, 7, (uint64_t)-2, (uint64_t)-3 },
	{ "sdiv64 -7/-2", true, HERMES_ALU_DIV, 1, (uint64_t)-7, (uint64_t)-2, 3 },
	{ "sdiv64 INT64_MIN/-1", true, HERMES_ALU_DIV, 1, I64_MIN, ALL, I64_MIN },
	{ "sdiv64 by zero", true, HERMES_ALU_DIV, 1, (uint64_t)-9, 0, 0 },
	{ "smod64 -7%2", true, HERMES_ALU_MOD, 1, (uint64_t)-7, 2, (uint64_t)-1 },
	{ "smod64 7%-2", true, HERMES_ALU_MOD, 1, 7, (uint64_t)-2, 1 },
	{ "smod64 -7%-2", true, HERMES_ALU_MOD, 1, (uint64_t)-7, (uint64_t)-2, (uint64_t)-1 },
	{ "smod64 INT64_MIN%-1", true, HERMES_ALU_MOD, 1, I64_MIN, ALL, 0 },
	{ "smod64 by zero", true, HERMES_ALU_MOD, 1, (uint64_t)-5, 0, (uint64_t)-5 },
	{ "or64", true, HERMES_ALU_OR, 0, 0xf0f0000000000000ull, 0x0f, 0xf0f000000000000full },
	{ "and64", true, HERMES_ALU_AND, 0, 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull,
	  0x0f000f000f000f00ull },
	{ "xor64", true, HERMES_ALU_XOR, 0, ALL, 0x00ff00ff00ff00ffull, 0xff00ff00ff00ff00ull },
	{ "lsh64 by 63", true, HERMES_ALU_LSH, 0, 1, 63, I64_MIN },
	{ "lsh64 count masked (64 -> 0)", true, HERMES_ALU_LSH, 0, 1, 64, 1 },
	{ "lsh64 count masked (65 -> 1)", true, HERMES_ALU_LSH, 0, 1, 65, 2 },
	{ "lsh64 count uses low 6 bits only", true, HERMES_ALU_LSH, 0, 3, 0xffffffff00000004ull, 0x30 },
	{ "rsh64 logical", true, HERMES_ALU_RSH, 0, I64_MIN, 63, 1 },
	{ "rsh64 count masked", true, HERMES_ALU_RSH, 0, I64_MIN, 64, I64_MIN },
	{ "arsh64 negative", true, HERMES_ALU_ARSH, 0, I64_MIN, 63, ALL },
	{ "arsh64 positive", true, HERMES_ALU_ARSH, 0, 0x4000000000000000ull, 1, 0x2000000000000000ull },
	{ "arsh64 count masked", true, HERMES_ALU_ARSH, 0, I64_MIN, 65, 0xc000000000000000ull },
	{ "mov64 copies all bits", true, HERMES_ALU_MOV, 0, 5, 0xfedcba9876543210ull,
	  0xfedcba9876543210ull },
	{ "movsx64 8 negative", true, HERMES_ALU_MOV, 8, 0, 0x123456789abcde80ull,
	  0xffffffffffffff80ull },
	{ "movsx64 8 positive", true, HERMES_ALU_MOV, 8, ALL, 0xff7f, 0x7f },
	{ "movsx64 16", true, HERMES_ALU_MOV, 16, 0, 0x18000, 0xffffffffffff8000ull },
	{ "movsx64 32 negative", true, HERMES_ALU_MOV, 32, 0, 0x80000000, 0xffffffff80000000ull },
	{ "movsx64 32 positive", true, HERMES_ALU_MOV, 32, 0, 0x17fffffffull, 0x7fffffff },

	// ALU (32-bit): operands are the low halves, results zero-extended.
	{ "add32 ignores upper bits", false, HERMES_ALU_ADD, 0, 0xffffffff00000001ull, 0xffffffff, 0 },
	{ "add32 zero-extends", false, HERMES_ALU_ADD, 0, ALL, 0, 0xffffffff },
	{ "sub32 wraps in 32 bits", false, HERMES_ALU_SUB, 0, 0, 1, 0xffffffff },
	{ "mul32 wraps", false, HERMES_ALU_MUL, 0, 0x10000, 0x10000, 0 },
	{ "mul32 -1*-1", false, HERMES_ALU_MUL, 0, 0xffffffff, 0xffffffff, 1 },
	{ "div32", false, HERMES_ALU_DIV, 0, 0x100000064ull, 0x100000007ull, 14 },
	{ "div32 by low-half zero", false, HERMES_ALU_DIV, 0, 100, 0x100000000ull, 0 },
	{ "div32 unsigned", false, HERMES_ALU_DIV, 0, 0xffffffff, 2, 0x7fffffff },
	{ "mod32 by zero keeps low half", false, HERMES_ALU_MOD, 0, 0xabcdef0123456789ull, 0,
	  0x23456789 },
	{ "mod32", false, HERMES_ALU_MOD, 0, 0x100000064ull, 7, 2 },
	{ "sdiv32 INT32_MIN/-1", false, HERMES_ALU_DIV, 1, 0x80000000, 0xffffffff, 0x80000000 },
	{ "sdiv32 -7/2", false, HERMES_ALU_DIV, 1, 0xfffffff9, 2, 0xfffffffd },
	{ "sdiv32 by zero", false, HERMES_ALU_DIV, 1, 0xfffffff9, 0xffffffff00000000ull, 0 },
	{ "smod32 INT32_MIN%-1", false, HERMES_ALU_MOD, 1, 0x80000000, 0xffffffff, 0 },
	{ "smod32 -7%2", false, HERMES_ALU_MOD, 1, 0xfffffff9, 2, 0xffffffff },
	{ "smod32 7%-2", false, HERMES_ALU_MOD, 1, 7, 0xfffffffe, 1 },
	{ "smod32 by zero", false, HERMES_ALU_MOD, 1, 0xfffffffffffffff9ull, 0, 0xfffffff9 },
	{ "or32", false, HERMES_ALU_OR, 0, 0xffffffff00000001ull, 2, 3 },
	{ "and32", false, HERMES_ALU_AND, 0, ALL, 0xffffffff0000ffffull, 0xffff },
	{ "xor32", false, HERMES_ALU_XOR, 0, ALL, 0xffffffff0000ffffull, 0xffff0000 },
	{ "lsh32 by 31", false, HERMES_ALU_LSH, 0, 1, 31, 0x80000000 },
	{ "lsh32 count masked (32 -> 0)", false, HERMES_ALU_LSH, 0, 1, 32, 1 },
	{ "lsh32 drops bits above 31", false, HERMES_ALU_LSH, 0, 0x80000001, 1, 2 },
	{ "rsh32 upper half not shifted in", false, HERMES_ALU_RSH, 0, 0xffffffff80000000ull, 31, 1 },
	{ "rsh32 count masked", false, HERMES_ALU_RSH, 0, 0x80000000, 33, 0x40000000 },
	{ "arsh32 negative", false, HERMES_ALU_ARSH, 0, 0x80000000, 31, 0xffffffff },
	{ "arsh32 count masked", false, HERMES_ALU_ARSH, 0, 0x80000000, 32, 0x80000000 },
	{ "arsh32 sign is bit 31", false, HERMES_ALU_ARSH, 0, 0x800000007fffffffull, 4, 0x07ffffff },
	{ "mov32 truncates", false, HERMES_ALU_MOV, 0, 0, ALL, 0xffffffff },
	{ "movsx32 8", false, HERMES_ALU_MOV, 8, ALL, 0x80, 0xffffff80 },
	{ "movsx32 16", false, HERMES_ALU_MOV, 16, 0, 0xffff8000ull, 0xffff8000 },
	{ "movsx32 16 positive", false, HERMES_ALU_MOV, 16, ALL, 0x7fff, 0x7fff },
};

TEST(VmAlu, RegisterForms)
{
	for (const AluCase &c : x_cases) {
		SCOPED_TRACE(c.name);
		EXPECT_EQ(c.want, run_x(c)) << c.name << ": a " << hex(c.a) << " b " << hex(c.b)
					    << " want " << hex(c.want);
	}
}

struct AluKCase {
	const char *name;
	bool is64;
	unsigned op;
	int off;
	uint64_t a;
	int32_t imm;
	uint64_t want;
};

const AluKCase k_cases[] = {
	{ "add64 K sign-extends", true, HERMES_ALU_ADD, 0, 0, -1, ALL },
	{ "sub64 K", true, HERMES_ALU_SUB, 0, 10, -5, 15 },
	{ "and64 K sign-extends", true, HERMES_ALU_AND, 0, ALL, (int32_t)0x80000000,
	  0xffffffff80000000ull },
	{ "or64 K sign-extends", true, HERMES_ALU_OR, 0, 0, -2, 0xfffffffffffffffeull },
	{ "mov64 K sign-extends", true, HERMES_ALU_MOV, 0, 0, -1, ALL },
	{ "mov64 K positive", true, HERMES_ALU_MOV, 0, ALL, 0x7fffffff, 0x7fffffff },
	{ "div64 K -1 is 2^64-1", true, HERMES_ALU_DIV, 0, ALL, -1, 1 },
	{ "div64 K -1 of small", true, HERMES_ALU_DIV, 0, 5, -1, 0 },
	{ "mod64 K -1", true, HERMES_ALU_MOD, 0, 5, -1, 5 },
	{ "div64 K by zero", true, HERMES_ALU_DIV, 0, 77, 0, 0 },
	{ "mod64 K by zero", true, HERMES_ALU_MOD, 0, 77, 0, 77 },
	{ "sdiv64 K -1 of INT64_MIN", true, HERMES_ALU_DIV, 1, I64_MIN, -1, I64_MIN },
	{ "sdiv64 K", true, HERMES_ALU_DIV, 1, (uint64_t)-100, 7, (uint64_t)-14 },
	{ "smod64 K", true, HERMES_ALU_MOD, 1, (uint64_t)-100, 7, (uint64_t)-2 },
	{ "lsh64 K masked", true, HERMES_ALU_LSH, 0, 1, 65, 2 },
	{ "arsh64 K", true, HERMES_ALU_ARSH, 0, 0xff00000000000000ull, 8, 0xffff000000000000ull },
	{ "xor64 K -1", true, HERMES_ALU_XOR, 0, 0x0123456789abcdefull, -1, 0xfedcba9876543210ull },
	{ "mul64 K negative", true, HERMES_ALU_MUL, 0, 7, -3, (uint64_t)-21 },

	{ "add32 K", false, HERMES_ALU_ADD, 0, 0, -1, 0xffffffff },
	{ "mov32 K -1 zero-extends", false, HERMES_ALU_MOV, 0, 0x1234, -1, 0xffffffff },
	{ "and32 K", false, HERMES_ALU_AND, 0, ALL, (int32_t)0x80000000, 0x80000000 },
	{ "div32 K -1 is 0xffffffff", false, HERMES_ALU_DIV, 0, 0xffffffff, -1, 1 },
	{ "div32 K -1 of small", false, HERMES_ALU_DIV, 0, 5, -1, 0 },
	{ "mod32 K -1", false, HERMES_ALU_MOD, 0, 0x1fffffffeull, -1, 0xfffffffe },
	{ "div32 K by zero", false, HERMES_ALU_DIV, 0, 0x500000005ull, 0, 0 },
	{ "mod32 K by zero", false, HERMES_ALU_MOD, 0, 0x500000005ull, 0, 5 },
	{ "sdiv32 K -1", false, HERMES_ALU_DIV, 1, 7, -1, 0xfffffff9 },
	{ "sdiv32 K INT32_MIN/-1", false, HERMES_ALU_DIV, 1, 0x80000000, -1, 0x80000000 },
	{ "smod32 K", false, HERMES_ALU_MOD, 1, 0xffffff9c /* -100 */, 7, 0xfffffffe },
	{ "lsh32 K masked", false, HERMES_ALU_LSH, 0, 1, 33, 2 },
	{ "rsh32 K", false, HERMES_ALU_RSH, 0, ALL, 28, 0xf },
	{ "arsh32 K", false, HERMES_ALU_ARSH, 0, 0xf0000000, 4, 0xff000000 },
	{ "sub32 K", false, HERMES_ALU_SUB, 0, 0x100000000ull, 1, 0xffffffff },
};

TEST(VmAlu, ImmediateForms)
{
	for (const AluKCase &c : k_cases) {
		SCOPED_TRACE(c.name);
		Code code = prog({ lddw(1, c.a),
				   c.is64 ? alu64k(c.op, 1, c.imm, c.off) : alu32k(c.op, 1, c.imm, c.off),
				   mov64r(0, 1), exit_insn() });
		uint64_t got = r0_of(code);
		EXPECT_EQ(c.want, got) << c.name << ": a " << hex(c.a) << " imm " << c.imm << " want "
				       << hex(c.want) << " got " << hex(got);
	}
}

TEST(VmAlu, Neg)
{
	struct {
		bool is64;
		uint64_t a, want;
	} cases[] = {
		{ true, 1, ALL },
		{ true, 0, 0 },
		{ true, I64_MIN, I64_MIN },
		{ true, ALL, 1 },
		{ false, 1, 0xffffffff },
		{ false, 0x100000000ull, 0 },
		{ false, 0x80000000, 0x80000000 },
		{ false, 0xffffffff00000002ull, 0xfffffffe },
	};
	for (const auto &c : cases) {
		Code code = prog({ lddw(1, c.a),
				   c.is64 ? alu64k(HERMES_ALU_NEG, 1, 0) : alu32k(HERMES_ALU_NEG, 1, 0),
				   mov64r(0, 1), exit_insn() });
		EXPECT_EQ(c.want, r0_of(code)) << (c.is64 ? "neg64 " : "neg32 ") << hex(c.a);
	}
}

TEST(VmAlu, ByteSwaps)
{
	const uint64_t v = 0x1122334455667788ull;
	struct {
		const char *name;
		hermes_insn insn;
		uint64_t want;
	} cases[] = {
		{ "le16", alu32k(HERMES_ALU_END, 1, 16), 0x7788 },
		{ "le32", alu32k(HERMES_ALU_END, 1, 32), 0x55667788 },
		{ "le64", alu32k(HERMES_ALU_END, 1, 64), v },
		{ "be16", mk(HERMES_CLS_ALU | HERMES_SRC_X | HERMES_ALU_END, 1, 0, 0, 16), 0x8877 },
		{ "be32", mk(HERMES_CLS_ALU | HERMES_SRC_X | HERMES_ALU_END, 1, 0, 0, 32), 0x88776655 },
		{ "be64", mk(HERMES_CLS_ALU | HERMES_SRC_X | HERMES_ALU_END, 1, 0, 0, 64),
		  0x8877665544332211ull },
		{ "bswap16", alu64k(HERMES_ALU_END, 1, 16), 0x8877 },
		{ "bswap32", alu64k(HERMES_ALU_END, 1, 32), 0x88776655 },
		{ "bswap64", alu64k(HERMES_ALU_END, 1, 64), 0x8877665544332211ull },
	};
	for (const auto &c : cases) {
		Code code = prog({ lddw(1, v), c.insn, mov64r(0, 1), exit_insn() });
		uint64_t got = r0_of(code);
		EXPECT_EQ(c.want, got) << c.name << " want " << hex(c.want) << " got " << hex(got);
	}
}

TEST(VmAlu, OffIgnoredWhereUnused)
{
	// add/or/... do not check off; K-form src is ignored too.
	Code code = prog({ mov64(1, 40), mk(HERMES_CLS_ALU64 | HERMES_ALU_ADD, 1, 7, 123, 2),
			   mk(HERMES_CLS_ALU | HERMES_SRC_X | HERMES_ALU_LSH, 1, 3, -1, 0), mov64r(0, 1),
			   exit_insn() });
	EXPECT_EQ(42u, r0_of(code)); // r3 = 0, so lsh32 by 0 keeps 42
}

TEST(VmAlu, Lddw)
{
	const uint64_t vals[] = { 0, 1, 0x123456789abcdef0ull, 0xffffffff00000000ull, 0x00000000ffffffffull,
				  0x8000000000000001ull, ALL };
	for (uint64_t v : vals) {
		Code code = prog({ lddw(0, v), exit_insn() });
		EXPECT_EQ(v, r0_of(code)) << "lddw " << hex(v);
	}
	// Two lddw back to back and then an ALU op on each.
	Code code = prog({ lddw(3, 0x100000000ull), lddw(4, 0xffffffffull), alu64x(HERMES_ALU_ADD, 3, 4),
			   mov64r(0, 3), exit_insn() });
	EXPECT_EQ(0x1ffffffffull, r0_of(code));
}

TEST(VmAlu, Alu32ZeroExtendsEveryOp)
{
	// Each 32-bit op on a dst whose upper half is set must clear it.
	const unsigned ops[] = { HERMES_ALU_ADD, HERMES_ALU_SUB, HERMES_ALU_MUL, HERMES_ALU_DIV,
				 HERMES_ALU_OR, HERMES_ALU_AND, HERMES_ALU_LSH, HERMES_ALU_RSH,
				 HERMES_ALU_MOD, HERMES_ALU_XOR, HERMES_ALU_MOV, HERMES_ALU_ARSH };
	for (unsigned op : ops) {
		Code code = prog({ lddw(1, 0xdeadbeef00000010ull), alu32k(op, 1, 1), mov64r(0, 1),
				   alu64k(HERMES_ALU_RSH, 0, 32), exit_insn() });
		EXPECT_EQ(0u, r0_of(code)) << "op " << hex(op) << " left upper bits set";
	}
}

} // namespace
