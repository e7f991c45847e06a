// SPDX-License-Identifier: MIT
// hermes_engine: every fault cause with its exact pc and address (checked
// against values written here and, in lockstep, against the reference VM),
// the budget, abort, and the illegal encodings of docs/ISA.md.
#include <cstdio>
#include <cstring>
#include <random>

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

struct Expect {
	unsigned cause;
	uint32_t pc;
	uint64_t addr;
	size_t retired;
};

void expect_fault(const Prog &p, const Expect &e, RunOpts o = RunOpts(), const char *what = "")
{
	LockstepResult lr;
	EXPECT_TRUE(lockstep(tb(), p.w, o, &lr)) << what;
	EXPECT_EQ(lr.rtl.fault, e.cause) << what;
	EXPECT_EQ(lr.rtl.fault_pc, e.pc) << what;
	EXPECT_EQ(lr.rtl.fault_addr, e.addr) << what << std::hex << " got 0x" << lr.rtl.fault_addr;
	EXPECT_EQ(lr.rtl.trace.size(), e.retired) << what;
}

}  // namespace

TEST(CoreFaults, LoadOutOfBounds)
{
	Prog p;
	p << mov64k(0, 1);
	p.lddw(3, kData + 0x100000 - 4) << ldx(DW, 2, 3, 0) << exit_();
	expect_fault(p, { 1, 3, kData + 0x100000 - 4, 2 }, RunOpts(), "past the data slot");
}

TEST(CoreFaults, LoadOutOfBoundsEdges)
{
	struct { uint64_t base; int16_t off; uint8_t sz; bool ok; } cases[] = {
		{ kData + 0x100000 - 8, 0, DW, true },  { kData + 0x100000 - 7, 0, DW, false },
		{ kData + 0x100000 - 1, 0, B, true },   { kData + 0x100000, 0, B, false },
		{ kData - 1, 0, B, false },             { kData - 2, 0, H, false }, { kData - 1, 0, H, false },
		{ kStack + 4096 - 4, 0, W, true },      { kStack + 4095, 0, H, false },
		{ kStack - 1, 1, B, true },             { kStack - 1, 0, DW, false },
		{ kProg + 0x10000 - 8, 0, DW, true },   { kProg + 0x10000 - 4, 0, DW, false },
		{ kProg, 0, DW, true },                 { 0, 0, B, false }, { 0x50000000, 0, B, false },
		// the map window (docs/MAPS.md): the run's map slot, 256 KiB
		{ 0x40000000, 0, B, true },             { 0x40000000 + 0x40000 - 8, 0, DW, true },
		{ 0x40000000 + 0x40000 - 4, 0, DW, false }, { 0x40000000 - 1, 0, B, false },
		{ 0x120000000ull, 0, B, false },        { ~0ull, 1, B, false },
		{ 0xffffffff20000000ull, 0, B, false }, { kData, -1, B, false },
	};
	for (auto &c : cases) {
		Prog p;
		p.lddw(3, c.base) << ldx(c.sz, 0, 3, c.off) << exit_();
		uint64_t ea = c.base + (uint64_t)(int64_t)c.off;
		if (c.ok) {
			LockstepResult lr;
			EXPECT_TRUE(lockstep(tb(), p.w, RunOpts(), &lr));
			EXPECT_EQ(lr.rtl.fault, 0u) << std::hex << "ea 0x" << ea;
		} else {
			expect_fault(p, { 1, 2, ea, 1 });
		}
	}
}

// Every region's edges (its start, its end, the program's length for
// stores, the map's storage for stores) reached from bases on either side
// with offsets of every sign and size, loads, stores and atomics, against
// the reference VM in lockstep (cause, pc and address). The engine checks
// the base against ranges ID computed from the offset (hermes_lsu_bounds),
// the VM the sum: both must agree on every side of every edge, including
// bases whose high bits are set and sums that wrap.
TEST(CoreFaults, BoundsAtEveryRegionEdge)
{
	std::mt19937_64 g(0x6b6f756e64);
	const uint64_t prog_len = 5 * 8;  // the 5 slots below
	const uint64_t edges[] = {
		kProg, kProg + prog_len, kProg + 0x10000,
		kData, kData + 0x100000,
		kStack, kStack + 4096,
		0x40000000, 0x40000000 + 0x9000, 0x40000000 + 0x40000,
		0, 0x100000000ull,
	};
	const uint8_t sizes[] = { B, H, W, DW };
	unsigned ok = 0, faults = 0;
	for (int i = 0; i < 600; i++) {
		uint64_t edge = edges[g() % (sizeof(edges) / sizeof(edges[0]))];
		uint64_t ea = edge + (int64_t)(g() % 19) - 9;
		int16_t off;
		switch (g() % 4) {
		case 0: off = 0; break;
		case 1: off = (int16_t)((int)(g() % 33) - 16); break;
		case 2: off = (g() & 1) ? INT16_MAX - (int16_t)(g() % 4) : INT16_MIN + (int16_t)(g() % 4); break;
		default: off = (int16_t)g(); break;
		}
		uint64_t base = ea - (uint64_t)(int64_t)off;
		if (g() % 8 == 0)  // high bits set: never in bounds, whatever the low ones
			base ^= 1ull << (33 + g() % 31);
		unsigned kind = g() % 3;
		uint8_t sz = sizes[g() % 4];
		Prog p;
		p.lddw(3, base) << mov64k(1, 0x11);
		if (kind == 0)
			p << ldx(sz, 0, 3, off);
		else if (kind == 1)
			p << stx(sz, 3, 1, off);
		else
			p << atomic((g() & 1) ? DW : W, 3, 1, off, A_ADD);
		p << exit_();
		ASSERT_EQ(p.w.size() * 8, prog_len);
		LockstepResult lr;
		ASSERT_TRUE(lockstep(tb(), p.w, RunOpts(), &lr))
		    << std::hex << "base 0x" << base << " off " << std::dec << off << " kind " << kind;
		(lr.rtl.fault ? faults : ok)++;
	}
	// Both outcomes are exercised in earnest.
	EXPECT_GT(ok, 100u);
	EXPECT_GT(faults, 100u);
}

TEST(CoreFaults, StoreOutOfBoundsAndIntoCode)
{
	// Store past the data slot.
	Prog p;
	p.lddw(3, kData + 0x100000 - 2) << stx(W, 3, 1, 0) << exit_();
	expect_fault(p, { 2, 2, kData + 0x100000 - 2, 1 });
	// Stores and atomics into the code: every offset below the length faults,
	// the first byte past it works.
	Prog q;
	q.lddw(3, kProg) << st(B, 3, 31, 1) << exit_() << exit_();  // code is 5 slots = 40 bytes
	expect_fault(q, { 2, 2, kProg + 31, 1 });
	Prog r;
	r.lddw(3, kProg + 44) << st(W, 3, 0, 1) << mov64k(0, 5) << exit_() << exit_();  // 48 bytes
	expect_fault(r, { 2, 2, kProg + 44, 1 });
	Prog r2;
	r2.lddw(3, kProg + 44) << st(DW, 3, 0, 1) << mov64k(0, 5) << exit_() << exit_();
	expect_fault(r2, { 2, 2, kProg + 44, 1 }, RunOpts(), "straddling the end of the code");
	Prog s;
	s.lddw(3, kProg + 40) << st(W, 3, 0, 1) << atomic(W, 3, 3, 0, A_ADD) << exit_();
	// 5 slots = 40 bytes: offset 40 is past the code: fine.
	LockstepResult lr;
	EXPECT_TRUE(lockstep(tb(), s.w, RunOpts(), &lr));
	EXPECT_EQ(lr.rtl.fault, 0u);
	Prog t;
	t.lddw(3, kProg + 8) << atomic(DW, 3, 3, 0, A_ADD | A_FETCH) << exit_();
	expect_fault(t, { 2, 2, kProg + 8, 1 }, RunOpts(), "atomic into code");
	Prog u;
	u << atomic(W, 10, 1, 0xdfe, A_XCHG) << exit_();
	expect_fault(u, { 2, 0, kStack + 0xffe, 0 }, RunOpts(), "atomic past the stack");
}

TEST(CoreFaults, JumpOutsideProgram)
{
	Prog p;
	p << mov64k(0, 1) << ja(5) << exit_();
	expect_fault(p, { 3, 1, kProg + 8 * 7, 1 }, RunOpts(), "forward");
	Prog q;
	q << mov64k(0, 1) << jk(JEQ, 0, 1, -3) << exit_();
	expect_fault(q, { 3, 1, kProg + 8 * (uint64_t)(int64_t)-1, 1 }, RunOpts(), "backward to -1");
	Prog r;
	r << ja32(-100000) << exit_();
	expect_fault(r, { 3, 0, kProg + 8 * (uint64_t)(int64_t)-99999, 0 }, RunOpts(), "ja32 far back");
	Prog s;
	s << ja32(0x7fffffff) << exit_();
	expect_fault(s, { 3, 0, kProg + 8 * 0x80000000ull, 0 }, RunOpts(), "ja32 far forward");
	Prog t;
	t << mov64k(0, 1) << call(-3) << exit_();
	expect_fault(t, { 3, 1, kProg + 8 * (uint64_t)(int64_t)-1, 1 }, RunOpts(), "call target");
	// A not-taken jump does not check the target.
	Prog u;
	u << mov64k(0, 1) << jk(JEQ, 0, 2, 100) << exit_();
	LockstepResult lr;
	EXPECT_TRUE(lockstep(tb(), u.w, RunOpts(), &lr));
	EXPECT_EQ(lr.rtl.fault, 0u);
}

// ID predicts without waiting for the slot's legality or for its target
// to be inside the code (docs/PIPELINE.md, round 6): nothing the
// prediction fetched may fire behind the fault, and a jump predicted out
// of the code that falls through runs on.
TEST(CoreFaults, PredictedPastLegalityAndRange)
{
	uint8_t *d = tb().data_slot(0);
	Prog p;  // an illegal ja (X set), predicted to a store
	p << mov64k(0, 1) << raw(JMP | X | JA, 0, 0, 2, 0) << exit_() << exit_() << st(DW, 1, 0, 0x55) << exit_();
	memset(d, 0, 64);
	expect_fault(p, { 4, 1, 0, 1 }, RunOpts(), "illegal ja predicted to a store");
	EXPECT_EQ(d[0], 0);
	Prog q;  // an illegal exit in a callee, predicted to its return pc: a store
	q << mov64k(0, 1) << call(2) << st(DW, 1, 0, 0x66) << exit_() << raw(JMP | X | EXIT, 0, 0, 0, 0);
	memset(d, 0, 64);
	expect_fault(q, { 4, 4, 0, 2 }, RunOpts(), "illegal exit predicted to its return pc");
	EXPECT_EQ(d[0], 0);
	Prog r;  // backward (predicted taken) to before the code, not taken
	r << mov64k(0, 1) << jk(JEQ, 0, 2, -5) << mov64k(0, 7) << exit_();
	LockstepResult lr;
	EXPECT_TRUE(lockstep(tb(), r.w, RunOpts(), &lr));
	EXPECT_EQ(lr.rtl.fault, 0u);
	EXPECT_EQ(lr.rtl.r0, 7u);
	EXPECT_EQ(lr.rtl.trace.size(), 4u);
	Prog s;  // the same jump taken: the fetch fault names the target
	s << mov64k(0, 2) << jk(JEQ, 0, 2, -5) << mov64k(0, 7) << exit_();
	expect_fault(s, { 3, 1, kProg + 8 * (uint64_t)(int64_t)-3, 1 }, RunOpts(), "taken to before the code");
}

TEST(CoreFaults, FaultingStackStoreLeavesNoTrace)
{
	// A stack store past the stack's end faults and must write nothing: a
	// stack write enable that did not wait for the bounds (the offset is 12
	// bits, so such a write would wrap inside the stack) would leave bytes
	// the next run reads.
	// r10 is the stack's base + 0x200, so r10 + 0xe00 is one past its end
	// (offset 0x000 wrapped) and r10 + 0xdfc straddles it (0xffc-0x003).
	LockstepResult lr;
	Prog fill;  // the frame's first and the stack's last words non-zero in some earlier run
	fill << mov64k(3, -1) << stx(DW, 10, 3, -512) << stx(DW, 10, 3, 0xdf8) << exit_();
	Prog read;  // r0 = both words, then write nothing
	read << ldx(DW, 0, 10, -512) << ldx(DW, 5, 10, 0xdf8) << alu64x(OR, 0, 5) << exit_();
	Prog p, q;
	p << mov64k(3, 0x5a) << stx(DW, 10, 3, 0xe00) << exit_();
	q << mov64k(3, 0x5a) << stx(DW, 10, 3, 0xdfc) << exit_();
	struct { const Prog *prog; uint64_t addr; } cases[] = {
		{ &p, kStack + 0x1000 }, { &q, kStack + 0xffc },
	};
	for (auto &c : cases) {
		ASSERT_TRUE(lockstep(tb(), fill.w, RunOpts(), &lr));
		expect_fault(*c.prog, { 2, 1, c.addr, 1 }, RunOpts(), "stack store past the end");
		ASSERT_TRUE(lockstep(tb(), read.w, RunOpts(), &lr));
		EXPECT_EQ(lr.rtl.fault, 0u);
		EXPECT_EQ(lr.rtl.r0, 0u) << "a faulting store's bytes seen by the next run at 0x" << std::hex << c.addr;
	}
}

TEST(CoreFaults, RunningOffTheEnd)
{
	Prog p;
	p << mov64k(0, 1) << mov64k(0, 2);
	expect_fault(p, { 3, 1, kProg + 16, 1 }, RunOpts(), "alu at end");
	Prog q;
	q << mov64k(0, 1) << jk(JEQ, 0, 2, -2);
	expect_fault(q, { 3, 1, kProg + 16, 1 }, RunOpts(), "not-taken jump at end");
	Prog r;
	r << mov64k(0, 1);
	r.lddw(2, 5);
	expect_fault(r, { 3, 1, kProg + 24, 1 }, RunOpts(), "lddw at end");
	Prog s;
	s << mov64k(0, 1) << raw(LD | DW, 2, 0, 0, 5);  // second slot missing
	expect_fault(s, { 3, 1, kProg + 16, 1 }, RunOpts(), "lddw second slot outside");
	Prog t;
	t << mov64k(0, 1) << ldx(DW, 0, 10, -8);
	expect_fault(t, { 3, 1, kProg + 16, 1 }, RunOpts(), "load at end");
	Prog u;
	u << mov64k(0, 1) << ldx(DW, 0, 10, 0xe00);
	expect_fault(u, { 1, 1, kStack + 0x1000, 1 }, RunOpts(), "bad load at end: load fault first");
	// A program whose last slot is a call: returning runs off the end.
	Prog v;
	v << ja(1) << exit_() << call(-2);
	expect_fault(v, { 3, 1, kProg + 24, 2 }, RunOpts(), "return past the end");
}

TEST(CoreFaults, IllegalInstructions)
{
	const uint64_t bad[] = {
		raw(0x00, 0, 0, 0, 0),                   // LD class other than lddw
		raw(0x20, 0, 0, 0, 0),                   // legacy ABS
		raw(0x40, 0, 0, 0, 0),                   // legacy IND
		raw(LD | DW, 1, 1, 0, 0),                // lddw src != 0 (map load)
		raw(LD | DW, 10, 0, 0, 0),               // lddw r10
		raw(LD | DW, 11, 0, 0, 0),               // lddw r11
		alu64k(0xe0, 1, 0), alu32x(0xf0, 1, 2),  // no such ALU op
		alu64k(ADD, 10, 1),                      // writes r10
		alu32k(MOV, 11, 1),                      // r11
		alu64x(ADD, 1, 12),                      // src r12
		alu64k(DIV, 1, 3, 2), alu32x(MOD, 1, 2, -1),  // div/mod off
		alu64k(MOV, 1, 3, 8),                    // mov K with off
		alu32x(MOV, 1, 2, 32), alu64x(MOV, 1, 2, 4),  // movsx widths
		raw(ALU | X | NEG, 1, 0, 0, 0), raw(ALU64 | X | NEG, 1, 0, 0, 0),
		raw(ALU64 | X | END, 1, 0, 0, 16),       // ALU64 end with X
		raw(ALU | K | END, 1, 0, 0, 8), raw(ALU64 | K | END, 1, 0, 0, 0),  // end width
		raw(LDX | MEM | DW, 10, 1, 0, 0),        // ldx into r10
		raw(LDX | MEMSX | DW, 2, 1, 0, 0),       // ldxsdw
		raw(LDX | 0x20 | W, 2, 1, 0, 0),         // LDX with ABS mode
		raw(LDX | MEM | W, 2, 11, 0, 0),         // base r11
		raw(ST | 0x80 | W, 1, 0, 0, 0),          // ST with MEMSX mode
		raw(ST | MEM | W, 13, 0, 0, 0),          // ST base r13
		raw(STX | ATOMIC | B, 1, 2, 0, A_ADD),   // atomic byte
		raw(STX | ATOMIC | H, 1, 2, 0, A_ADD),   // atomic half
		raw(STX | ATOMIC | W, 1, 2, 0, 0x10),    // unknown atomic op
		raw(STX | ATOMIC | DW, 1, 2, 0, 0xe0),   // xchg without fetch
		raw(STX | ATOMIC | DW, 1, 2, 0, 0x100),  // imm upper bits
		raw(STX | ATOMIC | DW, 1, 10, 0, A_ADD | A_FETCH),  // fetch into r10
		raw(STX | 0x80 | W, 1, 2, 0, 0),         // STX MEMSX mode
		raw(JMP | X | JA, 0, 0, 1, 0),           // ja X
		raw(JMP | 0xe0, 1, 0, 0, 0), raw(JMP32 | 0xf0, 1, 0, 0, 0),
		raw(JMP | X | CALL, 0, 1, 0, 1),         // callx
		raw(JMP | CALL, 0, 2, 0, 1),             // call src 2 (BTF helper)
		raw(JMP32 | CALL, 0, 1, 0, 1), raw(JMP32 | EXIT, 0, 0, 0, 0),
		raw(JMP | X | EXIT, 0, 0, 0, 0),
		raw(JMP32 | X | JA, 0, 0, 0, 1),
		jk(JEQ, 11, 0, 0), jx(JGT, 1, 14, 0),    // bad registers in jumps
	};
	for (uint64_t insn : bad) {
		Prog p;
		p << mov64k(0, 1) << insn << exit_() << exit_();
		char what[64];
		snprintf(what, sizeof(what), "insn %016llx", (unsigned long long)insn);
		expect_fault(p, { 4, 1, 0, 1 }, RunOpts(), what);
	}
}

TEST(CoreFaults, LegalEdgeEncodings)
{
	// Unused fields are ignored; cmpxchg may name r10 as src; exit/ja ignore registers.
	const uint64_t good[] = {
		raw(ALU64 | K | ADD, 1, 15, 77, 1),       // src and off of a K op
		raw(ALU | K | END, 1, 15, 0, 32),         // src of le
		raw(ALU | X | END, 1, 15, 0, 16),         // be ignores src
		raw(ALU64 | K | NEG, 1, 15, 0, 99),       // neg ignores src/imm
		raw(STX | ATOMIC | DW, 10, 10, -8, A_CMPXCHG),
		raw(STX | ATOMIC | W, 10, 10, -8, A_ADD),
		raw(JMP | JA, 15, 15, 0, 1234),
		raw(JMP32 | JA, 15, 15, 5, 0),
		raw(ST | MEM | W, 10, 15, -4, 7),         // ST ignores src
	};
	for (uint64_t insn : good) {
		Prog p;
		p << mov64k(0, 1) << insn << exit_();
		LockstepResult lr;
		EXPECT_TRUE(lockstep(tb(), p.w, RunOpts(), &lr)) << std::hex << insn;
		EXPECT_EQ(lr.rtl.fault, 0u) << std::hex << insn;
	}
}

TEST(CoreFaults, Budget)
{
	Prog p;
	p << mov64k(0, 0) << alu64k(ADD, 0, 1) << ja(-2);  // endless loop
	for (uint32_t n : { 0u, 1u, 2u, 3u, 10u, 1000u }) {
		RunOpts o;
		o.max_insns = n;
		uint32_t pc = n == 0 ? 0 : 1 + (n - 1) % 2;
		expect_fault(p, { 5, pc, 0, n }, o, "budget");
	}
	// Exactly enough budget: success.
	Prog q;
	q << mov64k(0, 1) << mov64k(0, 2) << exit_();
	RunOpts o;
	o.max_insns = 3;
	LockstepResult lr;
	EXPECT_TRUE(lockstep(tb(), q.w, o, &lr));
	EXPECT_EQ(lr.rtl.fault, 0u);
	o.max_insns = 2;
	expect_fault(q, { 5, 2, 0, 2 }, o, "one short");
}

TEST(CoreFaults, BudgetBeforeIllegalAndAbortFirst)
{
	Prog p;
	p << mov64k(0, 0) << raw(0x00, 0, 0, 0, 0);
	RunOpts o;
	o.max_insns = 1;
	expect_fault(p, { 5, 1, 0, 1 }, o, "budget before illegal");
}

TEST(CoreFaults, CallDepth)
{
	// Recursion without end: the 8th call (would open a 9th frame) faults.
	Prog p;
	p << call(-1);
	expect_fault(p, { 6, 0, 0, 7 }, RunOpts(), "depth");
	// Depth is checked before the target.
	Prog q;
	q << mov64k(1, 0) << call(0) << jk(JEQ, 1, 6, 2) << alu64k(ADD, 1, 1) << call(-3) << call(100);
	expect_fault(q, { 6, 5, 0, 21 }, RunOpts(), "depth before target");
}

TEST(CoreFaults, UnknownHelper)
{
	Prog p;
	p << mov64k(0, 1) << helper(-5) << exit_();
	expect_fault(p, { 8, 1, 0xfffffffbull, 1 }, RunOpts(), "helper");
}

TEST(CoreFaults, Abort)
{
	Prog p;
	p << mov64k(0, 0) << alu64k(ADD, 0, 1) << ja(-2);  // endless
	for (int64_t at : { 1, 2, 5, 20, 57, 200, 1001 }) {
		RunOpts o;
		o.abort_after = at;
		LockstepResult lr;
		EXPECT_TRUE(lockstep(tb(), p.w, o, &lr)) << "abort at " << at;
		EXPECT_EQ(lr.rtl.fault, 7u);
		EXPECT_EQ(lr.rtl.fault_addr, 0u);
	}
	// Abort while a division and a slow load are in flight.
	Prog q;
	q << mov64k(0, 0) << mov64k(3, 7) << alu64x(DIV, 3, 3) << ldx(DW, 4, 1, 0) << alu64x(ADD, 0, 4)
	  << ja(-5);
	tb().mem = MemCfg{ 5, 9, 0.3, 11 };
	for (int64_t at = 30; at < 400; at += 37) {
		RunOpts o;
		o.abort_after = at;
		LockstepResult lr;
		EXPECT_TRUE(lockstep(tb(), q.w, o, &lr)) << "abort at " << at;
		EXPECT_EQ(lr.rtl.fault, 7u);
	}
	tb().mem = MemCfg();
	// Abort inside calls.
	Prog r;
	r << call(1) << ja(-2) << mov64k(6, 3) << call(1) << exit_() << exit_();
	for (int64_t at = 15; at < 120; at += 3) {
		RunOpts o;
		o.abort_after = at;
		LockstepResult lr;
		EXPECT_TRUE(lockstep(tb(), r.w, o, &lr)) << "abort at " << at;
		EXPECT_EQ(lr.rtl.fault, 7u);
	}
}

TEST(CoreFaults, FaultChangesNothing)
{
	// A faulting store must not write; later instructions must not run.
	Prog p;
	p.lddw(4, kData + 0x100000);
	p << st(DW, 1, 0, 0x55) << st(DW, 1, 8, 0x66) << ldx(DW, 2, 4, 0)
	  << ldx(DW, 3, 1, 0) << stx(DW, 10, 3, 0) << st(DW, 1, 16, 0x77) << exit_();
	uint8_t *d = tb().data_slot(0);
	memset(d, 0, 64);
	expect_fault(p, { 1, 4, kData + 0x100000, 3 }, RunOpts(), "load fault");
	EXPECT_EQ(d[0], 0x55);
	EXPECT_EQ(d[8], 0x66);
	EXPECT_EQ(d[16], 0);
}

TEST(CoreFaults, ControlPulsesOutsideTheirTime)
{
	// abort while idle is forgotten; start while busy is ignored.
	Prog p;
	p << mov64k(0, 0) << alu64k(ADD, 0, 1) << jk(JLT, 0, 50, -2) << exit_();
	tb().pulse_abort();
	tb().idle(3);
	LockstepResult lr;
	EXPECT_TRUE(lockstep(tb(), p.w, RunOpts(), &lr));
	EXPECT_EQ(lr.rtl.fault, 0u);
	EXPECT_EQ(lr.rtl.r0, 50u);
	for (int64_t at : { 1, 2, 10, 40 }) {
		RunOpts o;
		o.restart_after = at;
		EXPECT_TRUE(lockstep(tb(), p.w, o, &lr)) << "second start at " << at;
		EXPECT_EQ(lr.rtl.r0, 50u);
	}
}
