// SPDX-License-Identifier: MIT
// test_vm_helpers.h - bytecode encoders and a small harness around the
// reference VM (host/src/isa/vm.h) shared by the test_vm*.cpp suites.
#ifndef HERMES_TEST_VM_HELPERS_H
#define HERMES_TEST_VM_HELPERS_H

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "hermes/isa.h"
#include "vm.h"

namespace vmt {
inline std::string hex(uint64_t v);
}

// Found by argument-dependent lookup from gtest (hermes_vm_status is global).
inline std::ostream &operator<<(std::ostream &os, const hermes_vm_status &st)
{
	return os << "{done " << st.done << ", fault " << st.fault << ", pc " << st.fault_pc
		  << ", addr " << vmt::hex(st.fault_addr) << ", r0 " << vmt::hex(st.r0) << ", insns " << st.insns
		  << "}";
}

namespace vmt {

using Code = std::vector<hermes_insn>;

inline hermes_insn mk(unsigned op, unsigned dst, unsigned src, int off, int32_t imm)
{
	hermes_insn i;
	i.opcode = (uint8_t)op;
	i.regs = (uint8_t)((dst & 0xf) | ((src & 0xf) << 4));
	i.off = (int16_t)off;
	i.imm = imm;
	return i;
}

// ALU, op = HERMES_ALU_* (opcode bits 7:4).
inline hermes_insn alu64k(unsigned op, unsigned dst, int32_t imm, int off = 0)
{ return mk(HERMES_CLS_ALU64 | HERMES_SRC_K | op, dst, 0, off, imm); }
inline hermes_insn alu64x(unsigned op, unsigned dst, unsigned src, int off = 0)
{ return mk(HERMES_CLS_ALU64 | HERMES_SRC_X | op, dst, src, off, 0); }
inline hermes_insn alu32k(unsigned op, unsigned dst, int32_t imm, int off = 0)
{ return mk(HERMES_CLS_ALU | HERMES_SRC_K | op, dst, 0, off, imm); }
inline hermes_insn alu32x(unsigned op, unsigned dst, unsigned src, int off = 0)
{ return mk(HERMES_CLS_ALU | HERMES_SRC_X | op, dst, src, off, 0); }
inline hermes_insn mov64(unsigned dst, int32_t imm) { return alu64k(HERMES_ALU_MOV, dst, imm); }
inline hermes_insn mov64r(unsigned dst, unsigned src) { return alu64x(HERMES_ALU_MOV, dst, src); }
inline hermes_insn add64(unsigned dst, int32_t imm) { return alu64k(HERMES_ALU_ADD, dst, imm); }
inline hermes_insn exit_insn() { return mk(HERMES_CLS_JMP | HERMES_JMP_EXIT, 0, 0, 0, 0); }

// lddw: two slots.
inline Code lddw(unsigned dst, uint64_t v)
{
	return { mk(HERMES_OP_LDDW, dst, 0, 0, (int32_t)(uint32_t)v),
		 mk(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)) };
}

// Jumps, op = HERMES_JMP_*.
inline hermes_insn ja(int off) { return mk(HERMES_CLS_JMP | HERMES_JMP_JA, 0, 0, off, 0); }
inline hermes_insn ja32(int32_t imm) { return mk(HERMES_CLS_JMP32 | HERMES_JMP_JA, 0, 0, 0, imm); }
inline hermes_insn jk(unsigned op, unsigned dst, int32_t imm, int off)
{ return mk(HERMES_CLS_JMP | HERMES_SRC_K | op, dst, 0, off, imm); }
inline hermes_insn jx(unsigned op, unsigned dst, unsigned src, int off)
{ return mk(HERMES_CLS_JMP | HERMES_SRC_X | op, dst, src, off, 0); }
inline hermes_insn j32k(unsigned op, unsigned dst, int32_t imm, int off)
{ return mk(HERMES_CLS_JMP32 | HERMES_SRC_K | op, dst, 0, off, imm); }
inline hermes_insn j32x(unsigned op, unsigned dst, unsigned src, int off)
{ return mk(HERMES_CLS_JMP32 | HERMES_SRC_X | op, dst, src, off, 0); }
inline hermes_insn call_local(int32_t imm) { return mk(HERMES_CLS_JMP | HERMES_JMP_CALL, 0, 1, 0, imm); }
inline hermes_insn call_helper(int32_t imm) { return mk(HERMES_CLS_JMP | HERMES_JMP_CALL, 0, 0, 0, imm); }

// Memory, sz = HERMES_SZ_*.
inline hermes_insn ldx(unsigned sz, unsigned dst, unsigned src, int off)
{ return mk(HERMES_CLS_LDX | HERMES_MODE_MEM | sz, dst, src, off, 0); }
inline hermes_insn ldxs(unsigned sz, unsigned dst, unsigned src, int off)
{ return mk(HERMES_CLS_LDX | HERMES_MODE_MEMSX | sz, dst, src, off, 0); }
inline hermes_insn sti(unsigned sz, unsigned dst, int off, int32_t imm)
{ return mk(HERMES_CLS_ST | HERMES_MODE_MEM | sz, dst, 0, off, imm); }
inline hermes_insn stx(unsigned sz, unsigned dst, unsigned src, int off)
{ return mk(HERMES_CLS_STX | HERMES_MODE_MEM | sz, dst, src, off, 0); }
inline hermes_insn atomic(unsigned sz, int32_t aop, unsigned dst, unsigned src, int off)
{ return mk(HERMES_CLS_STX | HERMES_MODE_ATOMIC | sz, dst, src, off, aop); }

// Program builder: prog({insn, lddw(...), insn, ...}).
struct Part {
	Code v;
	Part(hermes_insn i) : v{ i } {}
	Part(Code c) : v(std::move(c)) {}
};
inline Code prog(std::initializer_list<Part> parts)
{
	Code v;
	for (const Part &p : parts)
		v.insert(v.end(), p.v.begin(), p.v.end());
	return v;
}

inline uint64_t raw_of(const hermes_insn &i)
{
	uint8_t b[8];
	std::memcpy(b, &i, 8);
	uint64_t v = 0;
	for (int k = 7; k >= 0; k--)
		v = (v << 8) | b[k];
	return v;
}

inline std::string hex(uint64_t v)
{
	std::ostringstream s;
	s << "0x" << std::hex << v;
	return s.str();
}

// A VM with its own program and data slots.
struct Vm {
	std::vector<uint8_t> pslot, data; // program slot, data slot
	hermes_vm *vm = nullptr;
	Code code;

	explicit Vm(size_t prog_size = 0x1000, size_t data_size = 0x1000)
		: pslot(prog_size), data(data_size)
	{
		vm = hermes_vm_new(prog_size, data_size);
	}
	~Vm() { hermes_vm_free(vm); }
	Vm(const Vm &) = delete;
	Vm &operator=(const Vm &) = delete;

	// Copy code into the program slot (rest unchanged), load and reset.
	int load(const Code &c, uint64_t max_insns = 1000000, uint32_t data_len = 0)
	{
		code = c;
		std::memcpy(pslot.data(), c.data(), c.size() * 8);
		int err = hermes_vm_load(vm, pslot.data(), c.size() * 8, data.data(), data_len);
		if (!err)
			hermes_vm_reset(vm, max_insns);
		return err;
	}

	hermes_vm_status run()
	{
		hermes_vm_status st;
		std::memset(&st, 0xa5, sizeof(st));
		hermes_vm_run(vm, &st);
		return st;
	}

	hermes_vm_status run(const Code &c, uint64_t max_insns = 1000000)
	{
		EXPECT_EQ(0, load(c, max_insns));
		return run();
	}

	// Step to the end; returns the records of every retired instruction.
	std::vector<hermes_retire> step_all(hermes_vm_status *st, size_t cap = 1000000)
	{
		std::vector<hermes_retire> recs;
		hermes_retire rec;
		for (size_t i = 0; i < cap; i++) {
			std::memset(&rec, 0x5a, sizeof(rec));
			int r = hermes_vm_step(vm, &rec, st);
			if (r)
				recs.push_back(rec);
			if (st->done)
				break;
			EXPECT_EQ(1, r) << "step returned 0 without the run being done";
			if (!r)
				break;
		}
		return recs;
	}

	uint64_t reg(unsigned r) const { return hermes_vm_reg(vm, r); }
};

// Run code to the end and return r0; fails the test on a fault.
inline uint64_t r0_of(const Code &c)
{
	Vm m;
	hermes_vm_status st = m.run(c);
	EXPECT_EQ(1, st.done);
	EXPECT_EQ(0u, st.fault) << "fault " << hermes_fault_str(st.fault) << " at pc " << st.fault_pc;
	return st.r0;
}

// Expect a fault with exactly this cause, pc and address.
#define EXPECT_FAULT(st, cause, pc, addr) \
	do { \
		const hermes_vm_status &st_ = (st); \
		EXPECT_EQ(1, st_.done) << st_; \
		EXPECT_EQ((unsigned)(cause), st_.fault) << st_; \
		EXPECT_EQ((uint32_t)(pc), st_.fault_pc) << st_; \
		EXPECT_EQ((uint64_t)(addr), st_.fault_addr) << "got " << vmt::hex(st_.fault_addr) \
							     << " want " << vmt::hex((uint64_t)(addr)); \
	} while (0)

} // namespace vmt

#endif
