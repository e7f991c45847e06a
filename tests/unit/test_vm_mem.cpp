// SPDX-License-Identifier: MIT
// test_vm_mem.cpp - reference VM: loads, stores, atomics and the address map
// (docs/ISA.md "Memory").
#include "test_vm_helpers.h"

using namespace vmt;

namespace {

constexpr uint64_t DATA = HERMES_DATA_BASE;
constexpr uint64_t STACK = HERMES_STACK_BASE;
constexpr uint64_t PROGB = HERMES_PROG_BASE;

uint64_t get_le(const std::vector<uint8_t> &buf, size_t off, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = (v << 8) | buf.at(off + i);
	return v;
}

void put_le(std::vector<uint8_t> &buf, size_t off, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		buf.at(off + i) = (uint8_t)v;
}

TEST(VmMem, StartState)
{
	Vm m(0x1000, 0x800);
	ASSERT_EQ(0, m.load(prog({ exit_insn() }), 100, 0));
	EXPECT_EQ(DATA, m.reg(1));
	EXPECT_EQ(0x800u, m.reg(2)) << "data_len 0 means the slot size";
	EXPECT_EQ(STACK + 512, m.reg(10));
	for (unsigned r : { 0u, 3u, 4u, 5u, 6u, 7u, 8u, 9u })
		EXPECT_EQ(0u, m.reg(r)) << "r" << r;
	EXPECT_EQ(0u, hermes_vm_pc(m.vm));
	EXPECT_EQ(0u, hermes_vm_depth(m.vm));

	ASSERT_EQ(0, m.load(prog({ exit_insn() }), 100, 123));
	EXPECT_EQ(123u, m.reg(2));
}

TEST(VmMem, StoreLoadRoundTripUnaligned)
{
	Vm m;
	Code code = prog({ lddw(3, 0x1122334455667788ull), stx(HERMES_SZ_DW, 1, 3, 3),
			   ldx(HERMES_SZ_W, 0, 1, 5), exit_insn() });
	hermes_vm_status st = m.run(code);
	ASSERT_EQ(0u, st.fault) << st;
	EXPECT_EQ(0x1122334455667788ull, get_le(m.data, 3, 8)) << "stxdw is little-endian at offset 3";
	EXPECT_EQ(0u, m.data[2]);
	EXPECT_EQ(0u, m.data[11]);
	EXPECT_EQ(0x33445566u, st.r0) << "ldxw at offset 5";
}

TEST(VmMem, LoadSizesZeroExtendAndSignExtend)
{
	Vm m;
	put_le(m.data, 16, 8, 0x80c0e0f0f8fcfeffull);
	put_le(m.data, 32, 8, 0x0000000075317f7full);
	struct {
		const char *name;
		hermes_insn insn;
		uint64_t want;
	} cases[] = {
		{ "ldxb", ldx(HERMES_SZ_B, 0, 1, 16), 0xff },
		{ "ldxh", ldx(HERMES_SZ_H, 0, 1, 16), 0xfeff },
		{ "ldxw", ldx(HERMES_SZ_W, 0, 1, 16), 0xf8fcfeff },
		{ "ldxdw", ldx(HERMES_SZ_DW, 0, 1, 16), 0x80c0e0f0f8fcfeffull },
		{ "ldxsb negative", ldxs(HERMES_SZ_B, 0, 1, 16), 0xffffffffffffffffull },
		{ "ldxsh negative", ldxs(HERMES_SZ_H, 0, 1, 16), 0xfffffffffffffeffull },
		{ "ldxsw negative", ldxs(HERMES_SZ_W, 0, 1, 16), 0xfffffffff8fcfeffull },
		{ "ldxsb positive", ldxs(HERMES_SZ_B, 0, 1, 32), 0x7f },
		{ "ldxsh positive", ldxs(HERMES_SZ_H, 0, 1, 32), 0x7f7f },
		{ "ldxsw positive", ldxs(HERMES_SZ_W, 0, 1, 32), 0x75317f7f },
		{ "ldxsb unaligned", ldxs(HERMES_SZ_B, 0, 1, 23), 0xffffffffffffff80ull },
		{ "ldxsh unaligned", ldxs(HERMES_SZ_H, 0, 1, 21), 0xffffffffffffc0e0ull },
	};
	for (const auto &c : cases) {
		// Preload r0 with garbage: the load replaces all 64 bits.
		hermes_vm_status st = m.run(prog({ lddw(0, 0xa5a5a5a5a5a5a5a5ull), c.insn, exit_insn() }));
		EXPECT_EQ(0u, st.fault) << c.name << " " << st;
		EXPECT_EQ(c.want, st.r0) << c.name << " want " << hex(c.want) << " got " << hex(st.r0);
	}
}

TEST(VmMem, StoreImmediateSizes)
{
	Vm m;
	std::fill(m.data.begin(), m.data.end(), 0xee);
	hermes_vm_status st = m.run(prog({ sti(HERMES_SZ_B, 1, 0, 0x1ff), sti(HERMES_SZ_H, 1, 8, 0x12345),
					   sti(HERMES_SZ_W, 1, 16, -1), sti(HERMES_SZ_DW, 1, 24, -2),
					   sti(HERMES_SZ_DW, 1, 40, 0x7fffffff), exit_insn() }));
	ASSERT_EQ(0u, st.fault) << st;
	EXPECT_EQ(0xffu, m.data[0]);
	EXPECT_EQ(0xeeu, m.data[1]) << "stb wrote more than one byte";
	EXPECT_EQ(0x2345u, get_le(m.data, 8, 2));
	EXPECT_EQ(0xeeu, m.data[10]);
	EXPECT_EQ(0xffffffffu, get_le(m.data, 16, 4));
	EXPECT_EQ(0xeeu, m.data[20]);
	EXPECT_EQ(0xfffffffffffffffeull, get_le(m.data, 24, 8)) << "stdw sign-extends imm";
	EXPECT_EQ(0x7fffffffull, get_le(m.data, 40, 8));
}

TEST(VmMem, StoreRegisterSizes)
{
	Vm m;
	std::fill(m.data.begin(), m.data.end(), 0xee);
	hermes_vm_status st = m.run(prog({ lddw(3, 0x0102030405060708ull), stx(HERMES_SZ_B, 1, 3, 1),
					   stx(HERMES_SZ_H, 1, 3, 9), stx(HERMES_SZ_W, 1, 3, 17),
					   stx(HERMES_SZ_DW, 1, 3, 25), exit_insn() }));
	ASSERT_EQ(0u, st.fault) << st;
	EXPECT_EQ(0x08u, get_le(m.data, 1, 1));
	EXPECT_EQ(0xeeu, m.data[2]);
	EXPECT_EQ(0x0708u, get_le(m.data, 9, 2));
	EXPECT_EQ(0xeeu, m.data[11]);
	EXPECT_EQ(0x05060708u, get_le(m.data, 17, 4));
	EXPECT_EQ(0xeeu, m.data[21]);
	EXPECT_EQ(0x0102030405060708ull, get_le(m.data, 25, 8));
	EXPECT_EQ(0xeeu, m.data[33]);
	EXPECT_EQ(0xeeu, m.data[0]);
}

TEST(VmMem, DataSlotBounds)
{
	const size_t size = 0x1000;
	Vm m(0x1000, size);
	put_le(m.data, size - 8, 8, 0x8877665544332211ull);
	// Last byte, last dword: in bounds.
	hermes_vm_status st = m.run(prog({ lddw(3, DATA + size - 1), ldx(HERMES_SZ_B, 0, 3, 0), exit_insn() }));
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(0x88u, st.r0);
	st = m.run(prog({ lddw(3, DATA + size - 8), ldx(HERMES_SZ_DW, 0, 3, 0), exit_insn() }));
	EXPECT_EQ(0x8877665544332211ull, st.r0) << st;
	// One byte past the end, and a load straddling the end.
	st = m.run(prog({ lddw(3, DATA + size - 1), ldx(HERMES_SZ_H, 0, 3, 0), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_LOAD, 2, DATA + size - 1);
	st = m.run(prog({ lddw(3, DATA + size), ldx(HERMES_SZ_B, 0, 3, 0), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_LOAD, 2, DATA + size);
	st = m.run(prog({ stx(HERMES_SZ_DW, 1, 1, (int)size - 7), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 0, DATA + size - 7);
	st = m.run(prog({ sti(HERMES_SZ_W, 1, (int)size - 4, 9), exit_insn() }));
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(9u, get_le(m.data, size - 4, 4));
	// Below the base.
	st = m.run(prog({ ldx(HERMES_SZ_B, 0, 1, -1), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_LOAD, 0, DATA - 1);
	st = m.run(prog({ sti(HERMES_SZ_B, 1, -1, 0), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 0, DATA - 1);
}

TEST(VmMem, StackRegion)
{
	Vm m;
	// The whole 4 KiB is addressable from frame 0, also below r10 - 512.
	hermes_vm_status st = m.run(prog({ lddw(3, 0x1122334455667788ull), stx(HERMES_SZ_DW, 10, 3, -8),
					   ldx(HERMES_SZ_DW, 0, 10, -8), exit_insn() }));
	EXPECT_EQ(0x1122334455667788ull, st.r0) << st;
	st = m.run(prog({ lddw(3, STACK + HERMES_STACK_SIZE - 8), sti(HERMES_SZ_DW, 3, 0, 77),
			  ldx(HERMES_SZ_DW, 0, 3, 0), exit_insn() }));
	EXPECT_EQ(77u, st.r0) << st;
	st = m.run(prog({ lddw(3, STACK), sti(HERMES_SZ_B, 3, 0, 5), ldx(HERMES_SZ_B, 0, 3, 0), exit_insn() }));
	EXPECT_EQ(5u, st.r0) << st;
	// Past the top of the 8 frames, below the base.
	st = m.run(prog({ lddw(3, STACK + HERMES_STACK_SIZE - 7), ldx(HERMES_SZ_DW, 0, 3, 0), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_LOAD, 2, STACK + HERMES_STACK_SIZE - 7);
	st = m.run(prog({ lddw(3, STACK), stx(HERMES_SZ_B, 3, 3, -1), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 2, STACK - 1);
}

TEST(VmMem, StackZeroedEveryRun)
{
	Vm m;
	// Fill all 4 KiB with a pattern, then a new run reads zeros everywhere.
	Code fill = prog({ lddw(3, STACK), lddw(4, 0xdeadbeefdeadbeefull), stx(HERMES_SZ_DW, 3, 4, 0),
			   add64(3, 8), lddw(5, STACK + HERMES_STACK_SIZE), jx(HERMES_JMP_JLT, 3, 5, -5),
			   exit_insn() });
	hermes_vm_status st = m.run(fill);
	ASSERT_EQ(0u, st.fault) << st;
	Code sum = prog({ lddw(3, STACK), mov64(0, 0), ldx(HERMES_SZ_DW, 4, 3, 0), alu64x(HERMES_ALU_OR, 0, 4),
			  add64(3, 8), lddw(5, STACK + HERMES_STACK_SIZE), jx(HERMES_JMP_JLT, 3, 5, -6),
			  exit_insn() });
	st = m.run(sum);
	ASSERT_EQ(0u, st.fault) << st;
	EXPECT_EQ(0u, st.r0) << "stack not zeroed between runs";
	// And between runs of the same loaded program (reset only).
	ASSERT_EQ(0, m.load(prog({ ldx(HERMES_SZ_DW, 0, 10, -8), sti(HERMES_SZ_DW, 10, -8, 99), exit_insn() })));
	st = m.run();
	EXPECT_EQ(0u, st.r0) << st;
	hermes_vm_reset(m.vm, 100);
	st = m.run();
	EXPECT_EQ(0u, st.r0) << "reset must zero the stack " << st;
}

TEST(VmMem, ProgramRegion)
{
	Vm m(0x100, 0x100);
	Code code = prog({ ldx(HERMES_SZ_DW, 0, 3, 0), exit_insn() });
	// Globals after the code: loadable and storable.
	put_le(m.pslot, 0x80, 8, 0x0123456789abcdefull);
	hermes_vm_status st = m.run(prog({ lddw(3, PROGB + 0x80), ldx(HERMES_SZ_DW, 0, 3, 0), exit_insn() }));
	EXPECT_EQ(0x0123456789abcdefull, st.r0) << st;
	// Code itself is loadable: slot 0 reads back as its raw encoding.
	code = prog({ lddw(3, PROGB), ldx(HERMES_SZ_DW, 0, 3, 0), exit_insn() });
	st = m.run(code);
	EXPECT_EQ(raw_of(code[0]), st.r0) << st;
	// Last byte of the slot: in bounds; one more: out.
	st = m.run(prog({ lddw(3, PROGB + 0xff), ldx(HERMES_SZ_B, 0, 3, 0), exit_insn() }));
	EXPECT_EQ(0u, st.fault) << st;
	st = m.run(prog({ lddw(3, PROGB + 0xff), ldx(HERMES_SZ_H, 0, 3, 0), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_LOAD, 2, PROGB + 0xff);

	// Code is 4 slots (32 bytes) here: stores below 32 fault, at 32 work.
	code = prog({ lddw(3, PROGB), sti(HERMES_SZ_B, 3, 32, 0x5a), exit_insn() });
	st = m.run(code);
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(0x5au, m.pslot[32]);
	code = prog({ lddw(3, PROGB), sti(HERMES_SZ_B, 3, 31, 0x5a), exit_insn() });
	st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 2, PROGB + 31);
	EXPECT_EQ(0x95u, m.pslot[24]) << "the faulting store changed code";
	code = prog({ lddw(3, PROGB), sti(HERMES_SZ_H, 3, 31, 0x5a5a), exit_insn() });
	st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 2, PROGB + 31);
	code = prog({ lddw(3, PROGB), sti(HERMES_SZ_DW, 3, 0, 0), exit_insn() });
	st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 2, PROGB);
	code = prog({ lddw(3, PROGB), sti(HERMES_SZ_DW, 3, 0xf8, 1), exit_insn() });
	EXPECT_EQ(0u, m.run(code).fault);
	code = prog({ lddw(3, PROGB), sti(HERMES_SZ_DW, 3, 0xf9, 1), exit_insn() });
	EXPECT_FAULT(m.run(code), HERMES_FAULT_STORE, 2, PROGB + 0xf9);
}

TEST(VmMem, UnmappedAddressesAndWrap)
{
	Vm m;
	struct {
		const char *name;
		uint64_t base;
		int off;
		uint64_t addr;
	} cases[] = {
		{ "null", 0, 0, 0 },
		{ "wraps below zero", 0, -1, 0xffffffffffffffffull },
		{ "wraps past 2^64", 0xffffffffffffffffull, 2, 1 },
		{ "gap after program region", PROGB + 0x1000, 0, PROGB + 0x1000 },
		{ "gap after data region", DATA + 0x1000, 0, DATA + 0x1000 },
		{ "gap after stack", STACK + 0x1000, 0, STACK + 0x1000 },
		{ "just past the program region", PROGB + 0x1001, 0, PROGB + 0x1001 },
		{ "just past the data region", DATA + 0x1001, 0, DATA + 0x1001 },
		{ "just past the stack", STACK + 0x1001, 0, STACK + 0x1001 },
		{ "far past the stack", STACK + 0x7fff, 0x7fff, STACK + 0xfffe },
		{ "data alias in upper half", DATA | (1ull << 32), 0, DATA | (1ull << 32) },
		{ "off is signed", DATA + 0x10, -0x11, DATA - 1 },
		{ "0x40000000", 0x40000000, 0, 0x40000000 },
	};
	for (const auto &c : cases) {
		hermes_vm_status st = m.run(prog({ lddw(3, c.base), ldx(HERMES_SZ_B, 0, 3, c.off), exit_insn() }));
		EXPECT_FAULT(st, HERMES_FAULT_LOAD, 2, c.addr);
		st = m.run(prog({ lddw(3, c.base), stx(HERMES_SZ_B, 3, 0, c.off), exit_insn() }));
		EXPECT_FAULT(st, HERMES_FAULT_STORE, 2, c.addr);
	}
	// A negative offset from a pointer past the slot lands back inside it.
	hermes_vm_status st = m.run(prog({ lddw(3, DATA + 0x7fff), ldx(HERMES_SZ_B, 0, 3, -0x7fff), exit_insn() }));
	EXPECT_EQ(0u, st.fault) << st;
}

TEST(VmMem, FaultingAccessChangesNothing)
{
	Vm m;
	Code code = prog({ mov64(0, 11), mov64(4, 22), lddw(3, 0), ldx(HERMES_SZ_DW, 4, 3, 0), exit_insn() });
	hermes_vm_status st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_LOAD, 4, 0);
	EXPECT_EQ(22u, m.reg(4)) << "faulting load wrote its destination";
	EXPECT_EQ(3u, st.insns) << "faulting load counted as retired";
	EXPECT_EQ(4u, hermes_vm_pc(m.vm));

	code = prog({ mov64(2, 5), lddw(3, 0), atomic(HERMES_SZ_DW, HERMES_ATOMIC_ADD | HERMES_ATOMIC_FETCH, 3, 2, 0),
		      exit_insn() });
	st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 3, 0);
	EXPECT_EQ(5u, m.reg(2)) << "faulting atomic fetch wrote src";
}

// ---- atomics ----

struct AtomicCase {
	const char *name;
	unsigned sz;        // HERMES_SZ_W / DW
	int32_t aop;
	uint64_t mem;       // memory before (8 bytes at data+8)
	uint64_t src;       // r2
	uint64_t r0;        // r0 before (cmpxchg)
	uint64_t want_mem;  // 8 bytes at data+8 after
	uint64_t want_src;  // r2 after
	uint64_t want_r0;   // r0 after
};

constexpr int32_t F = HERMES_ATOMIC_FETCH;

const AtomicCase atomic_cases[] = {
	{ "add dw", HERMES_SZ_DW, HERMES_ATOMIC_ADD, 40, 2, 0, 42, 2, 0 },
	{ "add dw wraps", HERMES_SZ_DW, HERMES_ATOMIC_ADD, ~0ull, 2, 0, 1, 2, 0 },
	{ "add w keeps upper word", HERMES_SZ_W, HERMES_ATOMIC_ADD, 0x11111111ffffffffull, 0x100000002ull, 0,
	  0x1111111100000001ull, 0x100000002ull, 0 },
	{ "or dw", HERMES_SZ_DW, HERMES_ATOMIC_OR, 0xf0, 0x0f, 0, 0xff, 0x0f, 0 },
	{ "and dw", HERMES_SZ_DW, HERMES_ATOMIC_AND, 0xff00ff00ff00ff00ull, 0x0ff0, 0, 0x0f00, 0x0ff0, 0 },
	{ "xor w", HERMES_SZ_W, HERMES_ATOMIC_XOR, 0xaaaaaaaa0000ffffull, 0xffffffffffffffffull, 0,
	  0xaaaaaaaaffff0000ull, 0xffffffffffffffffull, 0 },
	{ "fetch add dw", HERMES_SZ_DW, HERMES_ATOMIC_ADD | F, 100, 5, 0, 105, 100, 0 },
	{ "fetch add w zero-extends old", HERMES_SZ_W, HERMES_ATOMIC_ADD | F, 0x22222222fffffff0ull, 0x10, 0,
	  0x2222222200000000ull, 0xfffffff0, 0 },
	{ "fetch or w", HERMES_SZ_W, HERMES_ATOMIC_OR | F, 0x1, 0x6, 0, 0x7, 0x1, 0 },
	{ "fetch and dw", HERMES_SZ_DW, HERMES_ATOMIC_AND | F, 0xff, 0x0f, 0, 0x0f, 0xff, 0 },
	{ "fetch xor dw", HERMES_SZ_DW, HERMES_ATOMIC_XOR | F, 0xff, 0x0f, 0, 0xf0, 0xff, 0 },
	{ "fetch xor w", HERMES_SZ_W, HERMES_ATOMIC_XOR | F, 0x8000000080000000ull, 0x80000001, 0,
	  0x8000000000000001ull, 0x80000000, 0 },
	{ "xchg dw", HERMES_SZ_DW, HERMES_ATOMIC_XCHG, 0x1234, 0xabcdef0011223344ull, 0, 0xabcdef0011223344ull,
	  0x1234, 0 },
	{ "xchg w", HERMES_SZ_W, HERMES_ATOMIC_XCHG, 0x99999999deadbeefull, 0xffffffff00000007ull, 0,
	  0x9999999900000007ull, 0xdeadbeef, 0 },
	{ "cmpxchg dw match", HERMES_SZ_DW, HERMES_ATOMIC_CMPXCHG, 0x55, 0x77, 0x55, 0x77, 0x77, 0x55 },
	{ "cmpxchg dw mismatch", HERMES_SZ_DW, HERMES_ATOMIC_CMPXCHG, 0x55, 0x77, 0x56, 0x55, 0x77, 0x55 },
	{ "cmpxchg dw mismatch in upper half", HERMES_SZ_DW, HERMES_ATOMIC_CMPXCHG, 0x100000055ull, 0x77, 0x55,
	  0x100000055ull, 0x77, 0x100000055ull },
	{ "cmpxchg w compares low half of r0", HERMES_SZ_W, HERMES_ATOMIC_CMPXCHG, 0x33333333000000aaull,
	  0xffffffff000000bbull, 0xdeadbeef000000aaull, 0x33333333000000bbull, 0xffffffff000000bbull, 0xaa },
	{ "cmpxchg w mismatch zero-extends old", HERMES_SZ_W, HERMES_ATOMIC_CMPXCHG, 0x33333333800000aaull, 1,
	  0xab, 0x33333333800000aaull, 1, 0x800000aa },
};

TEST(VmMem, Atomics)
{
	for (const AtomicCase &c : atomic_cases) {
		Vm m;
		put_le(m.data, 8, 8, c.mem);
		hermes_vm_status st = m.run(prog({ lddw(2, c.src), lddw(0, c.r0), atomic(c.sz, c.aop, 1, 2, 8),
						   mov64r(6, 0), mov64(0, 0), exit_insn() }));
		ASSERT_EQ(0u, st.fault) << c.name << " " << st;
		EXPECT_EQ(c.want_mem, get_le(m.data, 8, 8)) << c.name << ": memory " << hex(get_le(m.data, 8, 8))
							    << " want " << hex(c.want_mem);
		EXPECT_EQ(c.want_src, m.reg(2)) << c.name << ": src " << hex(m.reg(2)) << " want " << hex(c.want_src);
		EXPECT_EQ(c.want_r0, m.reg(6)) << c.name << ": r0 " << hex(m.reg(6)) << " want " << hex(c.want_r0);
		EXPECT_EQ(0u, get_le(m.data, 0, 8)) << c.name << ": wrote before the target";
		EXPECT_EQ(0u, get_le(m.data, 16, 8)) << c.name << ": wrote after the target";
	}
}

TEST(VmMem, AtomicsOnStackProgramAndUnaligned)
{
	Vm m(0x100, 0x100);
	// Stack, unaligned.
	hermes_vm_status st = m.run(prog({ sti(HERMES_SZ_DW, 10, -13, 10), mov64(2, 5),
					   atomic(HERMES_SZ_DW, HERMES_ATOMIC_ADD, 10, 2, -13),
					   ldx(HERMES_SZ_DW, 0, 10, -13), exit_insn() }));
	EXPECT_EQ(15u, st.r0) << st;
	// Program globals (after the code): allowed.
	st = m.run(prog({ lddw(3, PROGB + 0x40), mov64(2, 3), atomic(HERMES_SZ_W, HERMES_ATOMIC_ADD, 3, 2, 1),
			  exit_insn() }));
	EXPECT_EQ(0u, st.fault) << st;
	EXPECT_EQ(3u, get_le(m.pslot, 0x41, 4));
	// Code: fault 2, nothing changed.
	Code code = prog({ lddw(3, PROGB), mov64(2, 3), atomic(HERMES_SZ_W, HERMES_ATOMIC_XCHG, 3, 2, 4), exit_insn() });
	st = m.run(code);
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 3, PROGB + 4);
	EXPECT_EQ(3u, m.reg(2));
	// Data slot end.
	st = m.run(prog({ mov64(2, 1), atomic(HERMES_SZ_DW, HERMES_ATOMIC_OR, 1, 2, 0xf9), exit_insn() }));
	EXPECT_FAULT(st, HERMES_FAULT_STORE, 1, DATA + 0xf9);
	st = m.run(prog({ mov64(2, 1), atomic(HERMES_SZ_W, HERMES_ATOMIC_OR, 1, 2, 0xfc), exit_insn() }));
	EXPECT_EQ(0u, st.fault) << st;
}

TEST(VmMem, AtomicSrcEqualsDst)
{
	// lock fetch add [r1+0], r1: address taken before r1 gets the old value.
	Vm m;
	put_le(m.data, 0, 8, 7);
	hermes_vm_status st = m.run(prog({ atomic(HERMES_SZ_DW, HERMES_ATOMIC_ADD | F, 1, 1, 0), mov64r(0, 1),
					   exit_insn() }));
	EXPECT_EQ(7u, st.r0) << st;
	EXPECT_EQ(7u + DATA, get_le(m.data, 0, 8));
	// cmpxchg with src r0.
	put_le(m.data, 0, 8, 0);
	st = m.run(prog({ mov64(0, 0), lddw(0, 0), atomic(HERMES_SZ_DW, HERMES_ATOMIC_CMPXCHG, 1, 0, 0), exit_insn() }));
	EXPECT_EQ(0u, st.r0) << st;
}

TEST(VmMem, StoresGoToCallerBuffer)
{
	Vm m;
	hermes_vm_status st = m.run(prog({ sti(HERMES_SZ_W, 1, 100, 0x01020304), exit_insn() }));
	ASSERT_EQ(0u, st.fault);
	EXPECT_EQ(0x01020304u, get_le(m.data, 100, 4));
}

TEST(VmMem, DataLenInR2)
{
	Vm m(0x1000, 0x1000);
	ASSERT_EQ(0, m.load(prog({ mov64r(0, 2), exit_insn() }), 100, 77));
	EXPECT_EQ(77u, m.run().r0);
}

} // namespace
