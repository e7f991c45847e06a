// SPDX-License-Identifier: MIT
// hermes_engine: every instruction class, hand-written programs. Each run
// is checked twice: against an expected value computed here (independent
// of the reference VM) and record by record against the VM (lockstep).
#include <cstring>

#include <gtest/gtest.h>

#include "ebpf_enc.h"
#include "engine_tb.h"

using namespace enc;
using namespace core_tb;

namespace {

constexpr uint64_t kData = 0x20000000, kStack = 0x30000000, kProg = 0x10000000;

EngineTb &tb()
{
	static EngineTb t;
	return t;
}

// Lockstep-run prog and return r0 (fails the test on any mismatch).
uint64_t run_r0(const Prog &p, RunOpts o = RunOpts())
{
	LockstepResult lr;
	EXPECT_TRUE(lockstep(tb(), p.w, o, &lr));
	EXPECT_EQ(lr.rtl.fault, 0u) << "fault pc " << lr.rtl.fault_pc;
	return lr.rtl.r0;
}

const uint64_t kVals[] = {
	0, 1, 2, 7, 0xffffffffffffffffull, 0x8000000000000000ull, 0x7fffffffffffffffull,
	0x80000000ull, 0x7fffffffull, 0xffffffffull, 0x123456789abcdef0ull, 0xfedcba9876543210ull,
	0x00000000fffffffeull, 0xffffffff80000000ull, 63, 64, 31, 32, 0x100000001ull,
};

// Independent ALU model for the expected values.
uint64_t ref_alu(uint8_t op, bool is64, uint64_t a, uint64_t b, int16_t off)
{
	if (!is64) {
		uint32_t x = (uint32_t)a, y = (uint32_t)b, r = 0;
		switch (op) {
		case ADD: r = x + y; break;
		case SUB: r = x - y; break;
		case MUL: r = x * y; break;
		case DIV:
			if (off) r = y == 0 ? 0 : (y == 0xffffffffu ? 0u - x : (uint32_t)((int32_t)x / (int32_t)y));
			else r = y ? x / y : 0;
			break;
		case MOD:
			if (off) r = y == 0 ? x : (y == 0xffffffffu ? 0 : (uint32_t)((int32_t)x % (int32_t)y));
			else r = y ? x % y : x;
			break;
		case OR: r = x | y; break;
		case AND: r = x & y; break;
		case XOR: r = x ^ y; break;
		case LSH: r = x << (y & 31); break;
		case RSH: r = x >> (y & 31); break;
		case ARSH: r = (uint32_t)((int32_t)x >> (y & 31)); break;
		case NEG: r = 0u - x; break;
		case MOV:
			r = off == 8 ? (uint32_t)(int32_t)(int8_t)y : off == 16 ? (uint32_t)(int32_t)(int16_t)y : y;
			break;
		}
		return r;
	}
	switch (op) {
	case ADD: return a + b;
	case SUB: return a - b;
	case MUL: return a * b;
	case DIV:
		if (off) return b == 0 ? 0 : (b == ~0ull ? 0 - a : (uint64_t)((int64_t)a / (int64_t)b));
		return b ? a / b : 0;
	case MOD:
		if (off) return b == 0 ? a : (b == ~0ull ? 0 : (uint64_t)((int64_t)a % (int64_t)b));
		return b ? a % b : a;
	case OR: return a | b;
	case AND: return a & b;
	case XOR: return a ^ b;
	case LSH: return a << (b & 63);
	case RSH: return a >> (b & 63);
	case ARSH: return (uint64_t)((int64_t)a >> (b & 63));
	case NEG: return 0 - a;
	case MOV:
		return off == 8 ? (uint64_t)(int8_t)b : off == 16 ? (uint64_t)(int16_t)b
			: off == 32 ? (uint64_t)(int32_t)b : b;
	}
	return 0;
}

}  // namespace

TEST(CoreIsa, AluRegisterForms)
{
	const uint8_t ops[] = { ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, MOD, XOR, MOV, ARSH };
	for (uint8_t op : ops)
		for (int is64 = 0; is64 < 2; is64++)
			for (int16_t off : { 0, 1 })
				for (uint64_t a : kVals)
					for (uint64_t b : std::initializer_list<uint64_t>{
						     0ull, 1ull, 3ull, 0xffffffffffffffffull, 0x8000000000000000ull,
						     0xffffffffull, 0x1full, 0x12345ull, a }) {
						if (off && op != DIV && op != MOD)
							continue;
						Prog p;
						p.lddw(3, a).lddw(4, b)
						 << (is64 ? alu64x(op, 3, 4, off) : alu32x(op, 3, 4, off))
						 << mov64x(0, 3) << exit_();
						uint64_t want = ref_alu(op, is64, a, b, off);
						ASSERT_EQ(run_r0(p), want)
							<< "op 0x" << std::hex << (int)op << " is64 " << is64
							<< " off " << off << " a 0x" << a << " b 0x" << b;
					}
}

TEST(CoreIsa, AluImmediateForms)
{
	const uint8_t ops[] = { ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, MOD, XOR, MOV, ARSH };
	const int32_t imms[] = { 0, 1, -1, 5, -7, 31, 63, 0x7fffffff, (int32_t)0x80000000, 0x1234 };
	for (uint8_t op : ops)
		for (int is64 = 0; is64 < 2; is64++)
			for (uint64_t a : kVals)
				for (int32_t imm : imms) {
					Prog p;
					p.lddw(5, a) << (is64 ? alu64k(op, 5, imm) : alu32k(op, 5, imm))
						     << mov64x(0, 5) << exit_();
					uint64_t b = is64 ? (uint64_t)(int64_t)imm : (uint64_t)(uint32_t)imm;
					ASSERT_EQ(run_r0(p), ref_alu(op, is64, a, b, 0))
						<< "op 0x" << std::hex << (int)op << " is64 " << is64 << " a 0x" << a
						<< " imm " << std::dec << imm;
				}
}

TEST(CoreIsa, NegMovsxSignedDivImmediate)
{
	for (uint64_t a : kVals) {
		for (int is64 = 0; is64 < 2; is64++) {
			Prog p;
			p.lddw(6, a) << (is64 ? alu64k(NEG, 6, 0) : alu32k(NEG, 6, 0)) << mov64x(0, 6) << exit_();
			EXPECT_EQ(run_r0(p), ref_alu(NEG, is64, a, 0, 0)) << "neg " << is64;
			for (int16_t w : { 8, 16, 32 }) {
				if (w == 32 && !is64)
					continue;
				Prog q;
				q.lddw(7, a) << (is64 ? alu64x(MOV, 0, 7, w) : alu32x(MOV, 0, 7, w)) << exit_();
				EXPECT_EQ(run_r0(q), ref_alu(MOV, is64, 0, a, w)) << "movsx" << w << " " << is64;
			}
			for (int32_t imm : { -1, -3, 3, 0, (int32_t)0x80000000 })
				for (uint8_t op : { DIV, MOD }) {
					Prog q;
					q.lddw(1, a) << (is64 ? alu64k(op, 1, imm, 1) : alu32k(op, 1, imm, 1))
						     << mov64x(0, 1) << exit_();
					uint64_t b = is64 ? (uint64_t)(int64_t)imm : (uint64_t)(uint32_t)imm;
					EXPECT_EQ(run_r0(q), ref_alu(op, is64, a, b, 1))
						<< "s" << (op == DIV ? "div" : "mod") << " imm " << imm;
				}
		}
	}
}

TEST(CoreIsa, ByteSwaps)
{
	const uint64_t a = 0x0123456789abcdefull;
	struct { uint64_t insn; uint64_t want; } cases[] = {
		{ le(2, 16), 0xcdef }, { le(2, 32), 0x89abcdef }, { le(2, 64), a },
		{ be(2, 16), 0xefcd }, { be(2, 32), 0xefcdab89 }, { be(2, 64), 0xefcdab8967452301ull },
		{ bswap(2, 16), 0xefcd }, { bswap(2, 32), 0xefcdab89 }, { bswap(2, 64), 0xefcdab8967452301ull },
	};
	for (auto &c : cases) {
		Prog p;
		p.lddw(2, a) << c.insn << mov64x(0, 2) << exit_();
		EXPECT_EQ(run_r0(p), c.want) << std::hex << c.insn;
	}
}

TEST(CoreIsa, Lddw)
{
	Prog p;
	p.lddw(0, 0xfedcba9876543210ull) << exit_();
	EXPECT_EQ(run_r0(p), 0xfedcba9876543210ull);
	// lddw back to back, then dependent ALU ops forwarding through.
	Prog q;
	q.lddw(1, 5).lddw(2, 0x100000000ull) << alu64x(ADD, 1, 2) << alu64x(MUL, 1, 1)
						<< mov64x(0, 1) << exit_();
	EXPECT_EQ(run_r0(q), 0x100000005ull * 0x100000005ull);
}

TEST(CoreIsa, StartRegisters)
{
	RunOpts o;
	o.data_len = 0x1234;
	Prog p;
	p << mov64x(0, 1) << exit_();
	EXPECT_EQ(run_r0(p, o), kData);
	Prog q;
	q << mov64x(0, 2) << exit_();
	EXPECT_EQ(run_r0(q, o), 0x1234u);
	Prog r;
	r << mov64x(0, 10) << exit_();
	EXPECT_EQ(run_r0(r, o), kStack + 512);
	// r0 and r3-r9 start at 0, also after a run that set them.
	Prog dirty;
	for (unsigned r = 0; r <= 9; r++)
		dirty << mov64k(r, -1 - (int)r);
	dirty << exit_();
	run_r0(dirty, o);
	Prog s;
	s << mov64k(0, 0) << alu64x(OR, 0, 3) << alu64x(OR, 0, 4) << alu64x(OR, 0, 5) << alu64x(OR, 0, 6)
	  << alu64x(OR, 0, 7) << alu64x(OR, 0, 8) << alu64x(OR, 0, 9) << exit_();
	EXPECT_EQ(run_r0(s, o), 0u);
}

// Conditional jumps: r0 = 1 when taken, 2 when not.
TEST(CoreIsa, ConditionalJumps)
{
	const uint8_t ops[] = { JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE };
	const uint64_t vals[] = { 0, 1, 0xffffffffffffffffull, 0x8000000000000000ull, 0x7fffffffull,
				  0x80000000ull, 0xffffffffull, 0x100000000ull, 0x1ffffffffull, 5 };
	auto cond = [](uint8_t op, bool j32, uint64_t a, uint64_t b) -> bool {
		if (j32) {
			uint32_t x = (uint32_t)a, y = (uint32_t)b;
			switch (op) {
			case JEQ: return x == y; case JGT: return x > y; case JGE: return x >= y;
			case JSET: return (x & y) != 0; case JNE: return x != y;
			case JSGT: return (int32_t)x > (int32_t)y; case JSGE: return (int32_t)x >= (int32_t)y;
			case JLT: return x < y; case JLE: return x <= y;
			case JSLT: return (int32_t)x < (int32_t)y; case JSLE: return (int32_t)x <= (int32_t)y;
			}
			return false;
		}
		switch (op) {
		case JEQ: return a == b; case JGT: return a > b; case JGE: return a >= b;
		case JSET: return (a & b) != 0; case JNE: return a != b;
		case JSGT: return (int64_t)a > (int64_t)b; case JSGE: return (int64_t)a >= (int64_t)b;
		case JLT: return a < b; case JLE: return a <= b;
		case JSLT: return (int64_t)a < (int64_t)b; case JSLE: return (int64_t)a <= (int64_t)b;
		}
		return false;
	};
	for (uint8_t op : ops)
		for (int j32 = 0; j32 < 2; j32++)
			for (uint64_t a : vals)
				for (uint64_t b : vals) {
					Prog p;
					p.lddw(3, a).lddw(4, b)
					 << (j32 ? j32x(op, 3, 4, 2) : jx(op, 3, 4, 2)) << mov64k(0, 2) << exit_()
					 << mov64k(0, 1) << exit_();
					ASSERT_EQ(run_r0(p), cond(op, j32, a, b) ? 1u : 2u)
						<< "X op 0x" << std::hex << (int)op << " j32 " << j32 << " a 0x" << a
						<< " b 0x" << b;
					int32_t imm = (int32_t)(uint32_t)b;
					uint64_t bk = j32 ? (uint32_t)imm : (uint64_t)(int64_t)imm;
					Prog q;
					q.lddw(3, a) << (j32 ? j32k(op, 3, imm, 2) : jk(op, 3, imm, 2)) << mov64k(0, 2)
						     << exit_() << mov64k(0, 1) << exit_();
					ASSERT_EQ(run_r0(q), cond(op, j32, a, bk) ? 1u : 2u)
						<< "K op 0x" << std::hex << (int)op << " j32 " << j32 << " a 0x" << a
						<< " imm 0x" << imm;
				}
}

TEST(CoreIsa, UnconditionalJumpsAndLoop)
{
	// ja forward over a poison, ja32 backward into a counted loop.
	Prog p;
	p << mov64k(0, 0) << mov64k(1, 10) << ja(1) << mov64k(0, 99)   // 0..3
	  << alu64k(ADD, 0, 3)                                         // 4: loop body
	  << alu64k(SUB, 1, 1)                                         // 5
	  << jk(JEQ, 1, 0, 1)                                          // 6: done?
	  << ja32(-4)                                                  // 7: back to 4
	  << exit_();                                                  // 8
	EXPECT_EQ(run_r0(p), 30u);
}

// Loads and stores of every size on every region and byte lane, aligned
// or not; the values come back through a checksum in r0.
TEST(CoreIsa, LoadsAndStoresAllSizesAndLanes)
{
	tb().fill_data(0, 42, 8192);
	const uint8_t sizes[] = { B, H, W, DW };
	for (uint8_t sz : sizes)
		for (int region = 0; region < 3; region++)
			for (int lane = 0; lane < 16; lane++) {
				// base register: r1 data, r10 stack (below the top), r9 program slot past code.
				unsigned base = region == 0 ? 1 : region == 1 ? 10 : 9;
				int16_t off = region == 1 ? (int16_t)(-64 + lane) : (int16_t)(24 + lane);
				Prog p;
				p.lddw(9, kProg + 0x800).lddw(3, 0x8877665544332211ull)
				 << stx(sz, base, 3, off) << ldx(sz, 4, base, off) << ldxs(sz == DW ? W : sz, 5, base, off)
				 << st(sz, base, (int16_t)(off + 16), -2) << ldx(sz, 6, base, (int16_t)(off + 16))
				 << ldx(DW, 7, base, (int16_t)(off - 8 - lane)) << ldx(DW, 8, base, (int16_t)(off + 8))
				 << mov64x(0, 4) << alu64k(LSH, 0, 1) << alu64x(XOR, 0, 5) << alu64k(LSH, 0, 1)
				 << alu64x(XOR, 0, 6) << alu64x(ADD, 0, 7) << alu64x(ADD, 0, 8) << exit_();
				LockstepResult lr;
				ASSERT_TRUE(lockstep(tb(), p.w, RunOpts(), &lr))
					<< "size 0x" << std::hex << (int)sz << " region " << region << " lane " << lane;
				ASSERT_EQ(lr.rtl.fault, 0u);
			}
}

TEST(CoreIsa, LoadValuesExact)
{
	uint8_t *d = tb().data_slot(0);
	for (int i = 0; i < 32; i++)
		d[i] = (uint8_t)(0xf0 + i);
	struct { uint64_t insn; uint64_t want; } cases[] = {
		{ ldx(B, 0, 1, 3), 0xf3 },
		{ ldx(H, 0, 1, 7), 0xf8f7 },
		{ ldx(W, 0, 1, 5), 0xf8f7f6f5 },
		{ ldx(DW, 0, 1, 6), 0xfdfcfbfaf9f8f7f6ull },
		{ ldxs(B, 0, 1, 3), 0xfffffffffffffff3ull },
		{ ldxs(H, 0, 1, 9), 0xfffffffffffffaf9ull },
		{ ldxs(W, 0, 1, 13), 0xfffffffff0fffefdull & 0xffffffffffffffffull },
	};
	d[16] = 0xf0;
	cases[6].want = (uint64_t)(int64_t)(int32_t)(0xf0u << 24 | 0xffu << 16 | 0xfeu << 8 | 0xfdu);
	for (auto &c : cases) {
		Prog p;
		p << c.insn << exit_();
		EXPECT_EQ(run_r0(p), c.want) << std::hex << c.insn;
	}
}

TEST(CoreIsa, ProgramSlotGlobals)
{
	// Read a constant placed after the code, write a global, read it back.
	Prog p;
	p.lddw(2, kProg + 0x100) << ldx(DW, 3, 2, 0) << stx(DW, 2, 3, 8) << st(W, 2, 16, 7)
				  << ldx(DW, 0, 2, 8) << ldx(W, 4, 2, 16) << alu64x(ADD, 0, 4) << exit_();
	uint8_t *ps = tb().prog_slot(0);
	uint64_t k = 0x1122334455667788ull;
	memcpy(ps + 0x100, &k, 8);
	EXPECT_EQ(run_r0(p), k + 7);
}

TEST(CoreIsa, StackIsZeroAtEveryRun)
{
	// Dirty the whole stack, then a second run must read zeros everywhere.
	Prog w;
	w << mov64x(2, 10) << alu64k(ADD, 2, 3584)  // r2 = stack end
	  << mov64k(3, -1) << mov64x(4, 10) << alu64k(SUB, 4, 512)  // r4 = stack base
	  << stx(DW, 4, 3, 0) << st(B, 4, 3, 0x5a) << alu64k(ADD, 4, 8) << jx(JLT, 4, 2, -4) << exit_();
	Prog r;
	r << mov64k(0, 0) << mov64x(2, 10) << alu64k(ADD, 2, 3584) << mov64x(4, 10) << alu64k(SUB, 4, 512)
	  << ldx(DW, 5, 4, 0) << alu64x(OR, 0, 5) << ldx(B, 5, 4, 5) << alu64x(OR, 0, 5) << alu64k(ADD, 4, 8)
	  << jx(JLT, 4, 2, -6) << exit_();
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(run_r0(w), 0u);
		EXPECT_EQ(run_r0(r), 0u) << "stack not zero in run " << i;
	}
}

TEST(CoreIsa, StackZeroAcrossTagWrap)
{
	// The stack's run tags wrap after 255 runs; data from any earlier run
	// must never reappear. Each run writes a marker in a different word
	// and checks that the whole frame 0 still reads zero before writing.
	Prog p;
	p << ldx(W, 3, 2, 0)  // r3 = run index from the data slot
	  << mov64k(0, 0) << mov64x(4, 10) << alu64k(SUB, 4, 512)
	  << ldx(DW, 5, 4, 0) << alu64x(OR, 0, 5) << alu64k(ADD, 4, 8) << jx(JLT, 4, 10, -4)
	  << mov64x(4, 3) << alu64k(AND, 4, 63) << alu64k(LSH, 4, 3) << alu64x(ADD, 4, 10)
	  << alu64k(SUB, 4, 512) << st(H, 4, 2, 0x77) << exit_();
	RunOpts o;
	o.data_len = 0;
	for (uint32_t i = 0; i < 300; i++) {
		// r2 = data_len = an address holding i: use data slot word 0 via r1.
		Prog q;
		q.lddw(2, kData) << st(W, 2, 0, (int32_t)i);
		q.w.insert(q.w.end(), p.w.begin(), p.w.end());
		LockstepResult lr;
		o.data_len = 0x100;
		ASSERT_TRUE(lockstep(tb(), q.w, o, &lr)) << "run " << i;
		ASSERT_EQ(lr.rtl.r0, 0u) << "stale stack data in run " << i;
	}
}

TEST(CoreIsa, Atomics)
{
	const int32_t ops[] = { A_ADD, A_OR, A_AND, A_XOR, A_ADD | A_FETCH, A_OR | A_FETCH,
				A_AND | A_FETCH, A_XOR | A_FETCH, A_XCHG, A_CMPXCHG };
	for (int32_t op : ops)
		for (uint8_t sz : { W, DW })
			for (int region = 0; region < 2; region++)
				for (int lane : { 0, 3, 4, 6 })
					for (int match = 0; match < 2; match++) {
						unsigned base = region ? 10 : 1;
						int16_t off = (int16_t)((region ? -40 : 40) + lane);
						Prog p;
						p.lddw(3, 0xf0f0f0f0a5a5a5a5ull).lddw(4, 0x0ff0123456789abcull)
						 << stx(DW, base, 3, off) << stx(DW, base, 3, (int16_t)(off + 8));
						if (match)
							p << ldx(sz, 0, base, off);
						else
							p.lddw(0, 0x1111);
						p << atomic(sz, base, 4, off, op) << ldx(DW, 5, base, off)
						  << alu64x(XOR, 0, 4) << alu64x(ADD, 0, 5) << exit_();
						ASSERT_TRUE(lockstep(tb(), p.w, RunOpts()))
							<< "op 0x" << std::hex << op << " size " << (int)sz << " region "
							<< region << " lane " << lane << " match " << match;
					}
}

TEST(CoreIsa, AtomicValuesExact)
{
	// Data-slot fetch-add (memory does it) and stack cmpxchg (engine does it).
	Prog p;
	p << st(DW, 1, 0, 40) << mov64k(3, 2) << atomic(DW, 1, 3, 0, A_ADD | A_FETCH)  // r3 = 40, mem 42
	  << ldx(DW, 4, 1, 0)                                                         // 42
	  << st(W, 10, -8, 5) << mov64k(0, 5) << mov64k(5, 9)
	  << atomic(W, 10, 5, -8, A_CMPXCHG)                                          // match: mem 9, r0 5
	  << ldx(W, 6, 10, -8)                                                        // 9
	  << alu64k(MUL, 0, 1000) << alu64x(ADD, 0, 6) << alu64k(MUL, 0, 1000) << alu64x(ADD, 0, 4)
	  << alu64k(MUL, 0, 1000) << alu64x(ADD, 0, 3) << exit_();
	EXPECT_EQ(run_r0(p), 5009042040ull);
}

TEST(CoreIsa, CallsSaveAndRestoreCalleeSaved)
{
	// main: r6..r9 = 6..9, call f; f clobbers r6..r9 and returns r10;
	// main checks r6..r9 and combines.
	Prog p;
	p << mov64k(6, 6) << mov64k(7, 7) << mov64k(8, 8) << mov64k(9, 9)   // 0-3
	  << call(6)                                                     // 4 -> 11
	  << alu64k(MUL, 0, 100) << alu64x(ADD, 0, 6) << alu64x(ADD, 0, 7)  // 5-7
	  << alu64x(ADD, 0, 8) << alu64x(ADD, 0, 9) << exit_()           // 8-10
	  << mov64k(6, 60) << mov64k(7, 70) << mov64k(8, 80) << mov64k(9, 90)  // 11-14
	  << mov64x(0, 10) << alu64k(SUB, 0, 0x30000000)                 // 15-16: r0 = 0x400
	  << call(1) << exit_()                                         // 17-18: nested -> 19
	  << alu64x(ADD, 0, 10) << mov64k(6, 1) << exit_();              // 19-21
	// r0 = 0x400 + 0x30000600 after the nested call.
	uint64_t r0 = 0x400 + 0x30000600ull;
	EXPECT_EQ(run_r0(p), r0 * 100 + 30);
}

TEST(CoreIsa, CallsWithShortCalleesKeepR6ToR9)
{
	// An empty callee (its exit reaches EX while the call is still in WB,
	// before the call has saved its frame); writes to r6/r7 right before an
	// exit (still in MEM and WB when it restores them) and a read of r6
	// right after a return.
	Prog p;
	p << mov64k(6, 16) << mov64k(7, 17)                                // 0-1
	  << call(7)                                                       // 2 -> 10
	  << alu64k(ADD, 6, 1)                                             // 3: r6 = 17
	  << call(6)                                                       // 4 -> 11
	  << alu64x(ADD, 6, 7) << mov64x(0, 6) << alu64k(MUL, 0, 1000)     // 5-7: r6 = 34
	  << alu64x(ADD, 0, 7) << exit_()                                  // 8-9
	  << exit_()                                                       // 10: E
	  << call(3) << mov64k(7, 200) << mov64k(6, 100) << exit_()        // 11-14: F
	  << exit_();                                                      // 15: G
	EXPECT_EQ(run_r0(p), 34017u);
}

TEST(CoreIsa, RecursionToMaximumDepth)
{
	// f(n): if n == 0 return r10; else return f(n - 1). 7 nested calls fit.
	Prog p;
	p << mov64k(1, 6) << call(1) << exit_()
	  << jk(JEQ, 1, 0, 3) << alu64k(SUB, 1, 1) << call(-3) << exit_()
	  << mov64x(0, 10) << exit_();
	EXPECT_EQ(run_r0(p), kStack + 8 * 512);
}

TEST(CoreIsa, MemoryLatencyAndStalls)
{
	// The same program gives the same records at any latency / stall rate.
	tb().fill_data(0, 7, 4096);
	Prog p;
	p << mov64k(0, 0) << mov64k(3, 0)
	  << ldx(DW, 4, 1, 0) << alu64x(ADD, 0, 4) << stx(W, 1, 0, 9) << ldx(H, 5, 1, 9)
	  << alu64x(XOR, 0, 5) << atomic(DW, 1, 0, 17, A_XOR | A_FETCH) << alu64x(ADD, 0, 0)
	  << stx(B, 1, 3, 3) << st(DW, 1, 200, 1) << st(DW, 1, 208, 2) << ldx(DW, 6, 1, 200)
	  << alu64x(ADD, 0, 6) << alu64k(ADD, 3, 1) << jk(JLT, 3, 20, -14) << exit_();
	const MemCfg cfgs[] = { { 1, 1, 0.0, 1 }, { 2, 2, 0.0, 2 }, { 1, 6, 0.0, 3 },
				{ 1, 1, 0.5, 4 }, { 3, 9, 0.3, 5 }, { 10, 10, 0.1, 6 } };
	std::vector<uint8_t> snap(tb().data_slot(0), tb().data_slot(0) + 4096);
	for (const MemCfg &c : cfgs) {
		memcpy(tb().data_slot(0), snap.data(), snap.size());
		tb().mem = c;
		EXPECT_TRUE(lockstep(tb(), p.w, RunOpts()))
			<< "latency " << c.min_latency << ".." << c.max_latency << " stall " << c.stall;
	}
	tb().mem = MemCfg();
}

TEST(CoreIsa, CountersAndDonePulse)
{
	Prog p;
	p << mov64k(0, 1) << mov64k(0, 2) << mov64k(0, 3) << exit_();
	for (int i = 0; i < 2; i++) {
		tb().load_code(0, p.w);
		RunOpts o;
		o.prog_len = (uint32_t)p.size() * 8;
		RunResult r = tb().run(o);
		EXPECT_EQ(r.done_pulses, 1u);
		EXPECT_EQ(r.insns, 4u);
		EXPECT_EQ(r.trace.size(), 4u);
		EXPECT_EQ(r.r0, 3u);
		EXPECT_GT(r.cycles, 4u);
		EXPECT_LE(r.cycles, r.clocks);
	}
}

// The program copy runs in the background of execution.
TEST(CoreIsa, CopyOverlapsExecution)
{
	const MemCfg cfgs[] = { { 1, 1, 0.0, 1 }, { 4, 12, 0.4, 2 } };
	for (const MemCfg &c : cfgs) {
		tb().mem = c;
		// Jump from pc 0 to the last slots of a 4000-slot program: the fetch
		// waits for the copy to get there.
		Prog p;
		p << ja(3995);
		for (int i = 1; i < 3996; i++)
			p << mov64k(0, i);
		p << mov64k(0, 77) << alu64k(ADD, 0, 1) << ldx(DW, 2, 1, 0) << alu64x(ADD, 0, 2) << exit_();
		LockstepResult lr;
		EXPECT_TRUE(lockstep(tb(), p.w, RunOpts(), &lr));
		EXPECT_EQ(lr.rtl.fault, 0u);
		// exit at pc 0 of the same long program: the run ends without
		// waiting for the whole copy (only for the requests in flight).
		Prog q = p;
		q.w[0] = exit_();
		EXPECT_TRUE(lockstep(tb(), q.w, RunOpts(), &lr));
		EXPECT_LT(lr.rtl.cycles, 200u) << "latency " << c.min_latency << ".." << c.max_latency;
		// Abort during the copy.
		for (int64_t at : { 1, 3, 8, 30, 200 }) {
			RunOpts o;
			o.abort_after = at;
			EXPECT_TRUE(lockstep(tb(), p.w, o, &lr)) << "abort at " << at;
			EXPECT_EQ(lr.rtl.fault, 7u);
		}
	}
	tb().mem = MemCfg();
}

TEST(CoreIsa, ProgramSlotsAndDataSlots)
{
	// Every slot pair maps to its own BAR4 window.
	for (unsigned ps = 0; ps < kProgSlots; ps += 5)
		for (unsigned ds = 0; ds < kDataSlots; ds += 3) {
			tb().fill_data(ds, ds * 100 + ps, 64);
			Prog p;
			p.lddw(3, 0x10000000 + 0x200) << ldx(DW, 0, 1, 8) << ldx(DW, 4, 3, 0) << alu64x(ADD, 0, 4)
						       << stx(DW, 1, 0, 16) << stx(DW, 3, 0, 8) << exit_();
			uint64_t g = 0x1000 + ps;
			memcpy(tb().prog_slot(ps) + 0x200, &g, 8);
			RunOpts o;
			o.prog_slot = ps;
			o.data_slot = ds;
			uint64_t want;
			memcpy(&want, tb().data_slot(ds) + 8, 8);
			want += g;
			EXPECT_EQ(run_r0(p, o), want) << "prog slot " << ps << " data slot " << ds;
		}
}

TEST(CoreIsa, StackAtomicsBackToBack)
{
	// A stack atomic spends two clocks in MEM: atomics on one word back to
	// back, each followed at once by the next atomic, a stack load of that
	// word, a data-slot load (EX's port request waits through both clocks
	// and must not be withdrawn) or a store to it; all in lockstep.
	const int32_t ops[] = { A_ADD | A_FETCH, A_XCHG, A_CMPXCHG, A_XOR, A_AND | A_FETCH };
	for (int32_t first : ops)
		for (int32_t second : ops)
			for (int follow = 0; follow < 4; follow++) {
				Prog p;
				p << st(DW, 1, 8, 0x1234) << mov64k(0, 7) << mov64k(3, 5) << mov64k(4, 9)
				  << st(DW, 10, -16, 7) << atomic(DW, 10, 3, -16, first)
				  << atomic(W, 10, 4, -16, second);
				switch (follow) {
				case 0: p << ldx(DW, 5, 10, -16); break;
				case 1: p << ldx(DW, 5, 1, 8); break;
				case 2: p << stx(W, 10, 0, -12) << ldx(DW, 5, 10, -16); break;
				default: p << atomic(DW, 10, 3, -16, A_ADD | A_FETCH) << mov64x(5, 3); break;
				}
				p << alu64x(ADD, 0, 5) << alu64x(ADD, 0, 3) << alu64x(ADD, 0, 4)
				  << ldx(DW, 6, 10, -16) << alu64x(ADD, 0, 6) << exit_();
				LockstepResult lr;
				ASSERT_TRUE(lockstep(tb(), p.w, RunOpts(), &lr))
					<< "ops 0x" << std::hex << first << " 0x" << second << " follow " << follow;
				EXPECT_EQ(lr.rtl.fault, 0u);
			}
}

TEST(CoreIsa, StackPartialWritesAfterADirtyRun)
{
	// Run 1 fills the stack with ones. Run 2 writes single bytes, halves
	// and words (some straddling two words) into it and reads the whole
	// words back: every byte not written in run 2 must read as zero.
	Prog fill;
	fill << mov64x(2, 10) << alu64k(ADD, 2, 3584) << mov64k(3, -1) << mov64x(4, 10) << alu64k(SUB, 4, 512)
	     << stx(DW, 4, 3, 0) << alu64k(ADD, 4, 8) << jx(JLT, 4, 2, -3) << exit_();
	struct { uint8_t sz; int16_t off; } wr[] = {
		{ B, -512 }, { B, -501 }, { H, -487 }, { W, -470 }, { H, -449 }, { W, -427 },
		{ DW, -403 }, { B, 3583 }, { W, 3000 }, { H, 8 * 20 + 7 },
	};
	for (auto &w : wr) {
		EXPECT_EQ(run_r0(fill), 0u);
		Prog p;
		p << mov64k(3, 0x5a) << stx(w.sz, 10, 3, w.off)
		  // r0 = sum of the two aligned words around the store
		  << mov64x(4, 10) << alu64k(ADD, 4, w.off) << alu64k(AND, 4, -8)
		  << ldx(DW, 0, 4, 0) << ldx(DW, 5, 4, 8) << alu64x(ADD, 0, 5) << exit_();
		if (w.off >= 3576)
			p.w[6] = mov64k(5, 0);  // no word after the stack's last
		EXPECT_EQ(run_r0(p), 0x5aull << (8 * (w.off & 7)))
			<< "size 0x" << std::hex << (int)w.sz << " off " << std::dec << w.off;
	}
}
