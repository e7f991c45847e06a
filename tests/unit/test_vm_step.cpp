// SPDX-License-Identifier: MIT
// test_vm_step.cpp - reference VM: retire records of every kind of
// instruction (docs/ISA.md "Retire records") and step-vs-run equivalence.
#include "test_vm_helpers.h"

using namespace vmt;

namespace {

constexpr uint64_t DATA = HERMES_DATA_BASE;
constexpr uint64_t STACK = HERMES_STACK_BASE;
constexpr uint8_t NOREG = HERMES_RETIRE_NO_REG;

struct Want {
	uint32_t pc;
	uint8_t rd;
	uint64_t rd_value;
	uint8_t mem;
	uint64_t mem_addr;
	uint8_t mem_size;
	uint64_t mem_value;
};

std::string describe(const hermes_retire &r)
{
	std::ostringstream s;
	s << "{pc " << r.pc << ", insn " << hex(r.insn) << ", rd " << (unsigned)r.rd << " = " << hex(r.rd_value)
	  << ", mem " << (unsigned)r.mem << " @" << hex(r.mem_addr) << " size " << (unsigned)r.mem_size << " = "
	  << hex(r.mem_value) << "}";
	return s.str();
}

void expect_record(const Code &code, const hermes_retire &got, const Want &w)
{
	SCOPED_TRACE(describe(got));
	EXPECT_EQ(w.pc, got.pc);
	ASSERT_LT(got.pc, code.size());
	EXPECT_EQ(raw_of(code[got.pc]), got.insn) << "insn of pc " << got.pc;
	EXPECT_EQ(w.rd, got.rd) << "rd of pc " << w.pc;
	if (w.rd != NOREG)
		EXPECT_EQ(w.rd_value, got.rd_value) << "rd_value of pc " << w.pc;
	EXPECT_EQ(w.mem, got.mem) << "mem kind of pc " << w.pc;
	if (w.mem != HERMES_MEM_NONE) {
		EXPECT_EQ(w.mem_addr, got.mem_addr) << "mem_addr of pc " << w.pc;
		EXPECT_EQ(w.mem_size, got.mem_size) << "mem_size of pc " << w.pc;
		EXPECT_EQ(w.mem_value, got.mem_value) << "mem_value of pc " << w.pc;
	} else {
		EXPECT_EQ(0u, got.mem_size) << "mem_size of pc " << w.pc;
	}
}

TEST(VmRetire, EveryKind)
{
	Code code = prog({
		/* 0 */ mov64(3, 5),
		/* 1 */ alu32k(HERMES_ALU_ADD, 3, -1),
		/* 2 */ lddw(4, 0x1122334455667788ull),
		/* 4 */ stx(HERMES_SZ_DW, 1, 4, 8),
		/* 5 */ sti(HERMES_SZ_B, 1, 0, 0x1ff),
		/* 6 */ ldxs(HERMES_SZ_B, 5, 1, 0),
		/* 7 */ ldx(HERMES_SZ_H, 6, 1, 8),
		/* 8 */ atomic(HERMES_SZ_DW, HERMES_ATOMIC_ADD, 1, 3, 8),
		/* 9 */ atomic(HERMES_SZ_W, HERMES_ATOMIC_OR | HERMES_ATOMIC_FETCH, 1, 3, 16),
		/* 10 */ mov64(0, 7),
		/* 11 */ atomic(HERMES_SZ_DW, HERMES_ATOMIC_CMPXCHG, 1, 6, 16),
		/* 12 */ jk(HERMES_JMP_JEQ, 0, 4, 1),
		/* 13 */ mov64(0, 99),
		/* 14 */ call_local(2),
		/* 15 */ exit_insn(),
		/* 16 */ mov64(0, 98),
		/* 17 */ atomic(HERMES_SZ_W, HERMES_ATOMIC_CMPXCHG, 1, 6, 16),
		/* 18 */ atomic(HERMES_SZ_DW, HERMES_ATOMIC_XCHG, 1, 5, 24),
		/* 19 */ exit_insn(),
	});
	const Want want[] = {
		{ 0, 3, 5, HERMES_MEM_NONE, 0, 0, 0 },
		{ 1, 3, 4, HERMES_MEM_NONE, 0, 0, 0 },
		{ 2, 4, 0x1122334455667788ull, HERMES_MEM_NONE, 0, 0, 0 },
		{ 4, NOREG, 0, HERMES_MEM_STORE, DATA + 8, 8, 0x1122334455667788ull },
		{ 5, NOREG, 0, HERMES_MEM_STORE, DATA, 1, 0xff },
		{ 6, 5, ~0ull, HERMES_MEM_LOAD, DATA, 1, 0xff },
		{ 7, 6, 0x7788, HERMES_MEM_LOAD, DATA + 8, 2, 0x7788 },
		{ 8, NOREG, 0, HERMES_MEM_ATOMIC, DATA + 8, 8, 0x112233445566778cull },
		{ 9, 3, 0, HERMES_MEM_ATOMIC, DATA + 16, 4, 4 },
		{ 10, 0, 7, HERMES_MEM_NONE, 0, 0, 0 },
		{ 11, 0, 4, HERMES_MEM_ATOMIC, DATA + 16, 8, 4 },      // mismatch: unchanged
		{ 12, NOREG, 0, HERMES_MEM_NONE, 0, 0, 0 },            // taken
		{ 14, 10, STACK + 1024, HERMES_MEM_NONE, 0, 0, 0 },    // call
		{ 17, 0, 4, HERMES_MEM_ATOMIC, DATA + 16, 4, 0x7788 }, // match: r0 == 4
		{ 18, 5, 0, HERMES_MEM_ATOMIC, DATA + 24, 8, ~0ull },  // xchg
		{ 19, 10, STACK + 512, HERMES_MEM_NONE, 0, 0, 0 },     // exit from callee
		{ 15, NOREG, 0, HERMES_MEM_NONE, 0, 0, 0 },            // final exit
	};
	Vm m;
	ASSERT_EQ(0, m.load(code));
	hermes_vm_status st;
	std::vector<hermes_retire> recs = m.step_all(&st);
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(1, st.done);
	ASSERT_EQ(sizeof(want) / sizeof(want[0]), recs.size());
	for (size_t i = 0; i < recs.size(); i++)
		expect_record(code, recs[i], want[i]);
	EXPECT_EQ(recs.size(), st.insns);
	EXPECT_EQ(4u, st.r0);
	// After the end, step retires nothing.
	hermes_retire rec;
	EXPECT_EQ(0, hermes_vm_step(m.vm, &rec, &st));
	EXPECT_EQ(1, st.done);
	EXPECT_EQ(recs.size(), st.insns);
}

TEST(VmRetire, MoreForms)
{
	Code code = prog({
		/* 0 */ lddw(2, 0xffffffff80000000ull),
		/* 2 */ alu32x(HERMES_ALU_MOV, 3, 2, 16),          // movsx32 16 -> 0
		/* 3 */ alu64x(HERMES_ALU_MOV, 4, 2, 32),          // movsx64 32
		/* 4 */ alu32k(HERMES_ALU_END, 4, 16),             // le16
		/* 5 */ mk(0xdc, 2, 0, 0, 32),                     // be32 -> 0x80
		/* 6 */ alu64k(HERMES_ALU_NEG, 2, 0),
		/* 7 */ alu32x(HERMES_ALU_DIV, 2, 3),              // by zero
		/* 8 */ ja(0),
		/* 9 */ ja32(0),
		/* 10 */ j32k(HERMES_JMP_JNE, 2, 0, 5),            // not taken
		/* 11 */ ldxs(HERMES_SZ_W, 5, 10, -4),
		/* 12 */ stx(HERMES_SZ_H, 10, 4, -2),
		/* 13 */ ldxs(HERMES_SZ_H, 5, 10, -4),
		/* 14 */ exit_insn(),
	});
	const Want want[] = {
		{ 0, 2, 0xffffffff80000000ull, HERMES_MEM_NONE, 0, 0, 0 },
		{ 2, 3, 0, HERMES_MEM_NONE, 0, 0, 0 },
		{ 3, 4, 0xffffffff80000000ull, HERMES_MEM_NONE, 0, 0, 0 },
		{ 4, 4, 0, HERMES_MEM_NONE, 0, 0, 0 },
		{ 5, 2, 0x80, HERMES_MEM_NONE, 0, 0, 0 },
		{ 6, 2, (uint64_t)-0x80, HERMES_MEM_NONE, 0, 0, 0 },
		{ 7, 2, 0, HERMES_MEM_NONE, 0, 0, 0 },
		{ 8, NOREG, 0, HERMES_MEM_NONE, 0, 0, 0 },
		{ 9, NOREG, 0, HERMES_MEM_NONE, 0, 0, 0 },
		{ 10, NOREG, 0, HERMES_MEM_NONE, 0, 0, 0 },
		{ 11, 5, 0, HERMES_MEM_LOAD, STACK + 512 - 4, 4, 0 },
		{ 12, NOREG, 0, HERMES_MEM_STORE, STACK + 512 - 2, 2, 0 },
		{ 13, 5, 0, HERMES_MEM_LOAD, STACK + 512 - 4, 2, 0 },
		{ 14, NOREG, 0, HERMES_MEM_NONE, 0, 0, 0 },
	};
	Vm m;
	ASSERT_EQ(0, m.load(code));
	hermes_vm_status st;
	std::vector<hermes_retire> recs = m.step_all(&st);
	EXPECT_EQ(0u, st.fault) << st;
	ASSERT_EQ(sizeof(want) / sizeof(want[0]), recs.size());
	for (size_t i = 0; i < recs.size(); i++)
		expect_record(code, recs[i], want[i]);
}

TEST(VmRetire, SignExtendingLoadRecordsRawValue)
{
	Vm m;
	m.data[3] = 0x80;
	m.data[4] = 0xff;
	Code code = prog({ ldxs(HERMES_SZ_H, 0, 1, 3), exit_insn() });
	ASSERT_EQ(0, m.load(code));
	hermes_vm_status st;
	std::vector<hermes_retire> recs = m.step_all(&st);
	ASSERT_EQ(2u, recs.size());
	expect_record(code, recs[0], { 0, 0, 0xffffffffffffff80ull, HERMES_MEM_LOAD, DATA + 3, 2, 0xff80 });
}

TEST(VmRetire, FaultRetiresNothing)
{
	Vm m;
	ASSERT_EQ(0, m.load(prog({ mov64(0, 1), ldx(HERMES_SZ_B, 0, 0, 0), exit_insn() })));
	hermes_retire rec;
	hermes_vm_status st;
	EXPECT_EQ(1, hermes_vm_step(m.vm, &rec, &st));
	EXPECT_EQ(0, st.done);
	EXPECT_EQ(0, hermes_vm_step(m.vm, &rec, &st));
	EXPECT_FAULT(st, HERMES_FAULT_LOAD, 1, 1);
	EXPECT_EQ(1u, st.insns);
	EXPECT_EQ(0, hermes_vm_step(m.vm, &rec, &st));
	EXPECT_EQ(1, st.done);
}

// ---- step vs run ----

struct Outcome {
	hermes_vm_status st;
	uint64_t regs[11];
	uint32_t pc;
	unsigned depth;
	std::vector<uint8_t> data;
	size_t records;
};

Outcome outcome(Vm &m, bool stepped)
{
	Outcome o;
	if (stepped) {
		o.records = m.step_all(&o.st, 10000000).size();
	} else {
		o.st = m.run();
		o.records = 0;
	}
	for (unsigned r = 0; r < 11; r++)
		o.regs[r] = m.reg(r);
	o.pc = hermes_vm_pc(m.vm);
	o.depth = hermes_vm_depth(m.vm);
	o.data = m.data;
	return o;
}

void expect_same(const char *name, const Code &code, uint64_t budget, const std::vector<uint8_t> &input = {})
{
	SCOPED_TRACE(name);
	Vm a, b;
	std::copy(input.begin(), input.end(), a.data.begin());
	std::copy(input.begin(), input.end(), b.data.begin());
	ASSERT_EQ(0, a.load(code, budget));
	ASSERT_EQ(0, b.load(code, budget));
	Outcome run = outcome(a, false), step = outcome(b, true);
	EXPECT_EQ(run.st.done, step.st.done);
	EXPECT_EQ(run.st.fault, step.st.fault) << "run " << run.st << " step " << step.st;
	EXPECT_EQ(run.st.fault_pc, step.st.fault_pc);
	EXPECT_EQ(run.st.fault_addr, step.st.fault_addr);
	EXPECT_EQ(run.st.r0, step.st.r0);
	EXPECT_EQ(run.st.insns, step.st.insns);
	EXPECT_EQ(step.st.insns, step.records) << "one record per retired instruction";
	for (unsigned r = 0; r < 11; r++)
		EXPECT_EQ(run.regs[r], step.regs[r]) << "r" << r;
	EXPECT_EQ(run.pc, step.pc);
	EXPECT_EQ(run.depth, step.depth);
	EXPECT_TRUE(run.data == step.data) << "data slots differ";
}

TEST(VmStepVsRun, Programs)
{
	// Checksum-like loop over input bytes with loads, stores and atomics.
	Code checksum = prog({
		/* 0 */ mov64(0, 0), mov64(3, 0),
		/* 2 */ mov64r(4, 1), alu64x(HERMES_ALU_ADD, 4, 3), ldx(HERMES_SZ_B, 5, 4, 0),
		/* 5 */ alu64k(HERMES_ALU_MUL, 0, 31), alu64x(HERMES_ALU_ADD, 0, 5), alu32k(HERMES_ALU_XOR, 0, 0x5bd1e995),
		/* 8 */ stx(HERMES_SZ_B, 4, 0, 256), atomic(HERMES_SZ_DW, HERMES_ATOMIC_ADD, 1, 5, 512),
		/* 10 */ add64(3, 1), jk(HERMES_JMP_JLT, 3, 200, -10),
		/* 12 */ exit_insn(),
	});
	std::vector<uint8_t> input(200);
	for (size_t i = 0; i < input.size(); i++)
		input[i] = (uint8_t)(i * 37 + 11);
	expect_same("checksum", checksum, 1000000, input);
	expect_same("checksum out of budget", checksum, 777, input);

	// Recursion through all 8 frames, then the 9th.
	Code rec = prog({ mov64(1, 6), call_local(1), exit_insn(), jk(HERMES_JMP_JEQ, 1, 0, 4),
			  stx(HERMES_SZ_DW, 10, 1, -8), add64(1, -1), call_local(-4), exit_insn(),
			  ldx(HERMES_SZ_DW, 0, 10, -8), exit_insn() });
	expect_same("recursion", rec, 1000);
	rec[0] = mov64(1, 7);
	expect_same("recursion too deep", rec, 1000);

	// Signed arithmetic and JMP32 in a branchy loop.
	Code branchy = prog({ mov64(0, 0), mov64(6, 1000), lddw(7, 0x9e3779b97f4a7c15ull),
			      /* 4 */ alu64k(HERMES_ALU_MUL, 7, 1103515245), add64(7, 12345), mov64r(8, 7),
			      alu64k(HERMES_ALU_ARSH, 8, 40), jk(HERMES_JMP_JSGT, 8, 0, 2), alu64x(HERMES_ALU_SUB, 0, 8),
			      ja(1), alu64x(HERMES_ALU_ADD, 0, 8), j32k(HERMES_JMP_JSLT, 7, 0, 1), alu32k(HERMES_ALU_DIV, 0, 3, 1),
			      add64(6, -1), jk(HERMES_JMP_JNE, 6, 0, -12), exit_insn() });
	expect_same("branchy", branchy, 1000000);

	// Faults of several kinds.
	expect_same("load fault", prog({ mov64(0, 1), ldx(HERMES_SZ_B, 0, 0, 0), exit_insn() }), 100);
	expect_same("illegal", prog({ mov64(0, 1), add64(10, 1), exit_insn() }), 100);
	expect_same("off the end", prog({ mov64(0, 1), mov64(0, 2) }), 100);
	expect_same("helper", prog({ call_helper(12), exit_insn() }), 100);
	expect_same("budget", prog({ ja(-1) }), 5000);
}

} // namespace
