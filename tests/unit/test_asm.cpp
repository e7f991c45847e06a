// SPDX-License-Identifier: MIT
// Assembler and disassembler: encodings (RFC 9669 opcode values), errors
// with line/column, labels, and the round trip asm(disasm(x)) == x.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "asm.h"

namespace {

struct Slot {
	uint8_t opcode, regs;
	int16_t off;
	int32_t imm;
};

std::string slot_str(const hermes_insn &s)
{
	char buf[96];
	snprintf(buf, sizeof(buf), "{op 0x%02x regs 0x%02x off %d imm %d (0x%08x)}", s.opcode, s.regs,
		 s.off, s.imm, (uint32_t)s.imm);
	return buf;
}

std::string slots_str(const std::vector<hermes_insn> &v)
{
	std::string s;
	for (const auto &i : v)
		s += slot_str(i) + " ";
	return s;
}

bool same(const std::vector<hermes_insn> &a, const std::vector<hermes_insn> &b)
{
	return a.size() == b.size() &&
	       (a.empty() || memcmp(a.data(), b.data(), a.size() * sizeof(hermes_insn)) == 0);
}

// Assemble; on failure returns the error code and fills err.
int assemble(const std::string &text, std::vector<hermes_insn> *out, hermes_asm_error *err)
{
	hermes_insn *insns = nullptr;
	size_t n = 0;
	int rc = hermes_asm(text.c_str(), &insns, &n, err);
	out->clear();
	if (rc == 0 && n)
		out->assign(insns, insns + n);
	free(insns);
	return rc;
}

std::vector<hermes_insn> asm_ok(const std::string &text)
{
	hermes_asm_error err;
	std::vector<hermes_insn> v;
	int rc = assemble(text, &v, &err);
	EXPECT_EQ(rc, 0) << "assembling:\n" << text << "\nerror " << err.line << ":" << err.col
			 << ": " << err.msg;
	return v;
}

// Disassemble a whole sequence (public API or raw decoder), one line each.
std::string disasm_one(const std::vector<hermes_insn> &v, bool decoder_only)
{
	std::string out;
	for (size_t pc = 0; pc < v.size();) {
		char buf[HERMES_DISASM_LEN];
		int k = decoder_only ? hermes__disasm_decode(v.data(), v.size(), pc, buf, sizeof(buf))
				     : hermes_disasm_insn(v.data(), v.size(), pc, buf, sizeof(buf));
		EXPECT_GE(k, 1) << "pc " << pc;
		if (k < 1)
			return out;
		out += buf;
		out += "\n";
		pc += (size_t)k;
	}
	return out;
}

// Public disassembly, checking that the decoder alone gives the same text:
// the public function's re-assembly fallback must never be needed.
std::string disasm_all(const std::vector<hermes_insn> &v)
{
	std::string text = disasm_one(v, false);
	std::string raw = disasm_one(v, true);
	EXPECT_EQ(raw, text) << "the decoder alone disagrees with the checked disassembler";
	return text;
}

hermes_insn mk(uint8_t op, uint8_t regs, int16_t off, int32_t imm)
{
	hermes_insn i;
	i.opcode = op;
	i.regs = regs;
	i.off = off;
	i.imm = imm;
	return i;
}

// ---------------------------------------------------------------------
// Encodings: every mnemonic, expected fields written from RFC 9669.

struct EncCase {
	const char *text;
	uint8_t op, regs;
	int16_t off;
	int32_t imm;
};

const EncCase enc_cases[] = {
	// ALU64 K and X (class 0x07).
	{ "add %r1, 5", 0x07, 0x01, 0, 5 },
	{ "add %r1, %r2", 0x0f, 0x21, 0, 0 },
	{ "sub %r3, -1", 0x17, 0x03, 0, -1 },
	{ "sub %r3, %r4", 0x1f, 0x43, 0, 0 },
	{ "mul %r0, 0x10", 0x27, 0x00, 0, 16 },
	{ "mul %r0, %r9", 0x2f, 0x90, 0, 0 },
	{ "div %r1, 3", 0x37, 0x01, 0, 3 },
	{ "div %r1, %r2", 0x3f, 0x21, 0, 0 },
	{ "or %r1, 0xff", 0x47, 0x01, 0, 255 },
	{ "or %r1, %r2", 0x4f, 0x21, 0, 0 },
	{ "and %r1, 7", 0x57, 0x01, 0, 7 },
	{ "and %r1, %r2", 0x5f, 0x21, 0, 0 },
	{ "lsh %r1, 63", 0x67, 0x01, 0, 63 },
	{ "lsh %r1, %r2", 0x6f, 0x21, 0, 0 },
	{ "rsh %r1, 1", 0x77, 0x01, 0, 1 },
	{ "rsh %r1, %r2", 0x7f, 0x21, 0, 0 },
	{ "neg %r4", 0x87, 0x04, 0, 0 },
	{ "mod %r1, 10", 0x97, 0x01, 0, 10 },
	{ "mod %r1, %r2", 0x9f, 0x21, 0, 0 },
	{ "xor %r1, -2", 0xa7, 0x01, 0, -2 },
	{ "xor %r1, %r2", 0xaf, 0x21, 0, 0 },
	{ "mov %r1, 2", 0xb7, 0x01, 0, 2 },
	{ "mov %r1, %r2", 0xbf, 0x21, 0, 0 },
	{ "arsh %r1, 3", 0xc7, 0x01, 0, 3 },
	{ "arsh %r1, %r2", 0xcf, 0x21, 0, 0 },
	{ "sdiv %r1, -3", 0x37, 0x01, 1, -3 },
	{ "sdiv %r1, %r2", 0x3f, 0x21, 1, 0 },
	{ "smod %r1, 5", 0x97, 0x01, 1, 5 },
	{ "smod %r1, %r2", 0x9f, 0x21, 1, 0 },
	{ "movsx864 %r0, %r1", 0xbf, 0x10, 8, 0 },
	{ "movsx1664 %r0, %r1", 0xbf, 0x10, 16, 0 },
	{ "movsx3264 %r0, %r1", 0xbf, 0x10, 32, 0 },
	{ "movsx8 %r2, %r3", 0xbf, 0x32, 8, 0 },
	{ "movsx16 %r2, %r3", 0xbf, 0x32, 16, 0 },
	{ "movsx32 %r2, %r3", 0xbf, 0x32, 32, 0 },
	{ "bswap16 %r1", 0xd7, 0x01, 0, 16 },
	{ "bswap32 %r1", 0xd7, 0x01, 0, 32 },
	{ "bswap64 %r1", 0xd7, 0x01, 0, 64 },
	{ "swap16 %r1", 0xd7, 0x01, 0, 16 },
	{ "swap64 %r1", 0xd7, 0x01, 0, 64 },
	// ALU (32-bit, class 0x04).
	{ "add32 %r1, 5", 0x04, 0x01, 0, 5 },
	{ "add32 %r1, %r2", 0x0c, 0x21, 0, 0 },
	{ "sub32 %r1, 5", 0x14, 0x01, 0, 5 },
	{ "sub32 %r1, %r2", 0x1c, 0x21, 0, 0 },
	{ "mul32 %r1, 5", 0x24, 0x01, 0, 5 },
	{ "mul32 %r1, %r2", 0x2c, 0x21, 0, 0 },
	{ "div32 %r1, 5", 0x34, 0x01, 0, 5 },
	{ "div32 %r1, %r2", 0x3c, 0x21, 0, 0 },
	{ "or32 %r1, 5", 0x44, 0x01, 0, 5 },
	{ "or32 %r1, %r2", 0x4c, 0x21, 0, 0 },
	{ "and32 %r1, 5", 0x54, 0x01, 0, 5 },
	{ "and32 %r1, %r2", 0x5c, 0x21, 0, 0 },
	{ "lsh32 %r1, 5", 0x64, 0x01, 0, 5 },
	{ "lsh32 %r1, %r2", 0x6c, 0x21, 0, 0 },
	{ "rsh32 %r1, 5", 0x74, 0x01, 0, 5 },
	{ "rsh32 %r1, %r2", 0x7c, 0x21, 0, 0 },
	{ "neg32 %r1", 0x84, 0x01, 0, 0 },
	{ "mod32 %r1, 5", 0x94, 0x01, 0, 5 },
	{ "mod32 %r1, %r2", 0x9c, 0x21, 0, 0 },
	{ "xor32 %r1, 5", 0xa4, 0x01, 0, 5 },
	{ "xor32 %r1, %r2", 0xac, 0x21, 0, 0 },
	{ "mov32 %r0, 0", 0xb4, 0x00, 0, 0 },
	{ "mov32 %r1, %r2", 0xbc, 0x21, 0, 0 },
	{ "arsh32 %r1, 5", 0xc4, 0x01, 0, 5 },
	{ "arsh32 %r1, %r2", 0xcc, 0x21, 0, 0 },
	{ "sdiv32 %r1, 5", 0x34, 0x01, 1, 5 },
	{ "sdiv32 %r1, %r2", 0x3c, 0x21, 1, 0 },
	{ "smod32 %r1, 5", 0x94, 0x01, 1, 5 },
	{ "smod32 %r1, %r2", 0x9c, 0x21, 1, 0 },
	{ "movsx832 %r0, %r1", 0xbc, 0x10, 8, 0 },
	{ "movsx1632 %r0, %r1", 0xbc, 0x10, 16, 0 },
	{ "le16 %r1", 0xd4, 0x01, 0, 16 },
	{ "le32 %r1", 0xd4, 0x01, 0, 32 },
	{ "le64 %r1", 0xd4, 0x01, 0, 64 },
	{ "be16 %r1", 0xdc, 0x01, 0, 16 },
	{ "be32 %r1", 0xdc, 0x01, 0, 32 },
	{ "be64 %r1", 0xdc, 0x01, 0, 64 },
	// Immediates: both spellings of 32-bit patterns.
	{ "mov32 %r0, 0xffffffff", 0xb4, 0x00, 0, -1 },
	{ "mov32 %r0, -1", 0xb4, 0x00, 0, -1 },
	{ "mov %r0, -2147483648", 0xb7, 0x00, 0, INT32_MIN },
	{ "mov %r0, 0x80000000", 0xb7, 0x00, 0, INT32_MIN },
	{ "mov %r0, 4294967295", 0xb7, 0x00, 0, -1 },
	{ "mov %r0, -0x10", 0xb7, 0x00, 0, -16 },
	{ "mov %r0, +7", 0xb7, 0x00, 0, 7 },
	{ "mov %r10, 0XAbC", 0xb7, 0x0a, 0, 0xabc },
	// Loads and stores.
	{ "ldxw %r0, [%r1+2]", 0x61, 0x10, 2, 0 },
	{ "ldxh %r0, [%r1-2]", 0x69, 0x10, -2, 0 },
	{ "ldxb %r0, [%r1-4]", 0x71, 0x10, -4, 0 },
	{ "ldxdw %r0, [%r1+2]", 0x79, 0x10, 2, 0 },
	{ "ldxdw %r0, [%r1]", 0x79, 0x10, 0, 0 },
	{ "ldxdw %r0, [ %r1 + 0x7fff ]", 0x79, 0x10, 32767, 0 },
	{ "ldxdw %r0, [%r1-32768]", 0x79, 0x10, -32768, 0 },
	{ "ldxsw %r2, [%r3+4]", 0x81, 0x32, 4, 0 },
	{ "ldxsh %r2, [%r3+4]", 0x89, 0x32, 4, 0 },
	{ "ldxsb %r2, [%r3+4]", 0x91, 0x32, 4, 0 },
	{ "stw [%r10-8], 1", 0x62, 0x0a, -8, 1 },
	{ "sth [%r10-8], 1", 0x6a, 0x0a, -8, 1 },
	{ "stb [%r10-8], 1", 0x72, 0x0a, -8, 1 },
	{ "stdw [%r10-16], 0xab", 0x7a, 0x0a, -16, 0xab },
	{ "stxw [%r10-8], %r1", 0x63, 0x1a, -8, 0 },
	{ "stxh [%r10-8], %r1", 0x6b, 0x1a, -8, 0 },
	{ "stxb [%r10-8], %r1", 0x73, 0x1a, -8, 0 },
	{ "stxdw [%r10-8], %r1", 0x7b, 0x1a, -8, 0 },
	// Atomics: 0xdb (DW) / 0xc3 (W), operation in imm.
	{ "lock add [%r1+0], %r2", 0xdb, 0x21, 0, 0x00 },
	{ "lock or [%r1], %r2", 0xdb, 0x21, 0, 0x40 },
	{ "lock and [%r1], %r2", 0xdb, 0x21, 0, 0x50 },
	{ "lock xor [%r1], %r2", 0xdb, 0x21, 0, 0xa0 },
	{ "lock fetch add [%r1], %r2", 0xdb, 0x21, 0, 0x01 },
	{ "lock fetch or [%r1], %r2", 0xdb, 0x21, 0, 0x41 },
	{ "lock fetch and [%r1], %r2", 0xdb, 0x21, 0, 0x51 },
	{ "lock fetch xor [%r1], %r2", 0xdb, 0x21, 0, 0xa1 },
	{ "lock xchg [%r1+8], %r2", 0xdb, 0x21, 8, 0xe1 },
	{ "lock cmpxchg [%r10-8], %r1", 0xdb, 0x1a, -8, 0xf1 },
	{ "lock add32 [%r1], %r2", 0xc3, 0x21, 0, 0x00 },
	{ "lock or32 [%r1], %r2", 0xc3, 0x21, 0, 0x40 },
	{ "lock and32 [%r1], %r2", 0xc3, 0x21, 0, 0x50 },
	{ "lock xor32 [%r1], %r2", 0xc3, 0x21, 0, 0xa0 },
	{ "lock fetch add32 [%r1], %r2", 0xc3, 0x21, 0, 0x01 },
	{ "lock fetch or32 [%r10-8], %r1", 0xc3, 0x1a, -8, 0x41 },
	{ "lock fetch and32 [%r1], %r2", 0xc3, 0x21, 0, 0x51 },
	{ "lock fetch xor32 [%r1], %r2", 0xc3, 0x21, 0, 0xa1 },
	{ "lock xchg32 [%r1], %r2", 0xc3, 0x21, 0, 0xe1 },
	{ "lock cmpxchg32 [%r10-8], %r1", 0xc3, 0x1a, -8, 0xf1 },
	{ "lock fetch xchg [%r1], %r2", 0xdb, 0x21, 0, 0xe1 },
	// Jumps (class 0x05) and JMP32 (0x06).
	{ "ja +3", 0x05, 0x00, 3, 0 },
	{ "ja -1", 0x05, 0x00, -1, 0 },
	{ "ja +0", 0x05, 0x00, 0, 0 },
	{ "ja32 +5", 0x06, 0x00, 0, 5 },
	{ "ja32 -100000", 0x06, 0x00, 0, -100000 },
	{ "jeq %r1, 0, +2", 0x15, 0x01, 2, 0 },
	{ "jeq %r1, %r2, -2", 0x1d, 0x21, -2, 0 },
	{ "jgt %r1, 1, +1", 0x25, 0x01, 1, 1 },
	{ "jgt %r1, %r2, +1", 0x2d, 0x21, 1, 0 },
	{ "jge %r1, 1, +1", 0x35, 0x01, 1, 1 },
	{ "jge %r1, %r2, +1", 0x3d, 0x21, 1, 0 },
	{ "jset %r1, 1, +1", 0x45, 0x01, 1, 1 },
	{ "jset %r1, %r2, +1", 0x4d, 0x21, 1, 0 },
	{ "jne %r1, 1, +1", 0x55, 0x01, 1, 1 },
	{ "jne %r1, %r2, +1", 0x5d, 0x21, 1, 0 },
	{ "jsgt %r1, -1, +1", 0x65, 0x01, 1, -1 },
	{ "jsgt %r1, %r2, +1", 0x6d, 0x21, 1, 0 },
	{ "jsge %r1, 1, +1", 0x75, 0x01, 1, 1 },
	{ "jsge %r1, %r2, +1", 0x7d, 0x21, 1, 0 },
	{ "jlt %r1, 1, +1", 0xa5, 0x01, 1, 1 },
	{ "jlt %r1, %r2, +1", 0xad, 0x21, 1, 0 },
	{ "jle %r1, 1, +1", 0xb5, 0x01, 1, 1 },
	{ "jle %r1, %r2, +1", 0xbd, 0x21, 1, 0 },
	{ "jslt %r1, 1, +1", 0xc5, 0x01, 1, 1 },
	{ "jslt %r1, %r2, +1", 0xcd, 0x21, 1, 0 },
	{ "jsle %r1, 1, +1", 0xd5, 0x01, 1, 1 },
	{ "jsle %r1, %r2, +1", 0xdd, 0x21, 1, 0 },
	{ "jeq32 %r1, 0xb, +2", 0x16, 0x01, 2, 11 },
	{ "jeq32 %r1, %r2, +2", 0x1e, 0x21, 2, 0 },
	{ "jgt32 %r1, 1, +1", 0x26, 0x01, 1, 1 },
	{ "jgt32 %r1, %r2, +1", 0x2e, 0x21, 1, 0 },
	{ "jge32 %r1, 1, +1", 0x36, 0x01, 1, 1 },
	{ "jge32 %r1, %r2, +1", 0x3e, 0x21, 1, 0 },
	{ "jset32 %r1, 1, +1", 0x46, 0x01, 1, 1 },
	{ "jset32 %r1, %r2, +1", 0x4e, 0x21, 1, 0 },
	{ "jne32 %r1, 1, +1", 0x56, 0x01, 1, 1 },
	{ "jne32 %r1, %r2, +1", 0x5e, 0x21, 1, 0 },
	{ "jsgt32 %r1, 1, +1", 0x66, 0x01, 1, 1 },
	{ "jsgt32 %r1, %r2, +1", 0x6e, 0x21, 1, 0 },
	{ "jsge32 %r1, 1, +1", 0x76, 0x01, 1, 1 },
	{ "jsge32 %r1, %r2, +1", 0x7e, 0x21, 1, 0 },
	{ "jlt32 %r1, 1, +1", 0xa6, 0x01, 1, 1 },
	{ "jlt32 %r1, %r2, +1", 0xae, 0x21, 1, 0 },
	{ "jle32 %r1, 1, +1", 0xb6, 0x01, 1, 1 },
	{ "jle32 %r1, %r2, +1", 0xbe, 0x21, 1, 0 },
	{ "jslt32 %r1, 1, +1", 0xc6, 0x01, 1, 1 },
	{ "jslt32 %r1, %r2, +1", 0xce, 0x21, 1, 0 },
	{ "jsle32 %r1, 1, +1", 0xd6, 0x01, 1, 1 },
	{ "jsle32 %r1, %r2, +1", 0xde, 0x21, 1, 0 },
	{ "call 1", 0x85, 0x00, 0, 1 },
	{ "call helper 0x20", 0x85, 0x00, 0, 0x20 },
	{ "call local +3", 0x85, 0x10, 0, 3 },
	{ "call local -7", 0x85, 0x10, 0, -7 },
	{ "call runtime 5", 0x85, 0x20, 0, 5 },
	{ "exit", 0x95, 0x00, 0, 0 },
	// callx (not RFC 9669; bpf_conformance spelling).
	{ "call %r2", 0x8d, 0x02, 0, 0 },
	{ "call helper r3", 0x8d, 0x03, 0, 0 },
	// Registers without % (newer bpf_conformance tests).
	{ "mov r0, r1", 0xbf, 0x10, 0, 0 },
	{ "ldxb r9, [r0+1]", 0x71, 0x09, 1, 0 },
	{ "jne r10, r9, +1", 0x5d, 0x9a, 1, 0 },
	{ "lock fetch add [r1-8], r2", 0xdb, 0x21, -8, 0x01 },
	// Raw slots: V little-endian, so the opcode is the low byte.
	{ ".quad 0x0000000500000b07", 0x07, 0x0b, 0, 5 },
	{ ".quad 0x8765432112344321", 0x21, 0x43, 0x1234, (int32_t)0x87654321 },
	{ ".quad 0", 0x00, 0x00, 0, 0 },
	{ ".quad -1", 0xff, 0xff, -1, -1 },
};

TEST(AsmEncode, EveryMnemonic)
{
	for (const auto &c : enc_cases) {
		auto v = asm_ok(c.text);
		ASSERT_EQ(v.size(), 1u) << c.text;
		hermes_insn want = mk(c.op, c.regs, c.off, c.imm);
		EXPECT_TRUE(same(v, { want }))
			<< c.text << "\n  got  " << slot_str(v[0]) << "\n  want " << slot_str(want);
	}
}

TEST(AsmEncode, SlotBytesAreLittleEndian)
{
	// The slot layout in memory must match RFC 9669 byte order.
	auto v = asm_ok("stdw [%r10-16], 0x11223344");
	ASSERT_EQ(v.size(), 1u);
	const unsigned char want[8] = { 0x7a, 0x0a, 0xf0, 0xff, 0x44, 0x33, 0x22, 0x11 };
	EXPECT_EQ(memcmp(v.data(), want, 8), 0) << slot_str(v[0]);
	// .quad V stores V's little-endian bytes.
	auto q = asm_ok(".quad 0x0123456789abcdef");
	const unsigned char wq[8] = { 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01 };
	EXPECT_EQ(memcmp(q.data(), wq, 8), 0) << slot_str(q[0]);
}

TEST(AsmEncode, Lddw)
{
	auto v = asm_ok("lddw %r0, 0x123456789");
	EXPECT_TRUE(same(v, { mk(0x18, 0, 0, 0x23456789), mk(0, 0, 0, 1) })) << slots_str(v);
	v = asm_ok("lddw %r9, -1");
	EXPECT_TRUE(same(v, { mk(0x18, 9, 0, -1), mk(0, 0, 0, -1) })) << slots_str(v);
	v = asm_ok("lddw %r1, 0xffffffffffffffff");
	EXPECT_TRUE(same(v, { mk(0x18, 1, 0, -1), mk(0, 0, 0, -1) })) << slots_str(v);
	v = asm_ok("lddw %r1, -9223372036854775808");
	EXPECT_TRUE(same(v, { mk(0x18, 1, 0, 0), mk(0, 0, 0, INT32_MIN) })) << slots_str(v);
	v = asm_ok("lddw %r1, 18446744073709551615");
	EXPECT_TRUE(same(v, { mk(0x18, 1, 0, -1), mk(0, 0, 0, -1) })) << slots_str(v);
}

TEST(AsmEncode, CommentsBlankLinesAndSpacing)
{
	const char *text = "# header comment\n"
			   "\n"
			   "   \t  \n"
			   "mov32 %r0, 0 # trailing\n"
			   "\tadd32\t%r0 ,\t1 ; semicolon comment\n"
			   "exit // slash comment\r\n"
			   "; only a comment";
	auto v = asm_ok(text);
	EXPECT_TRUE(same(v, { mk(0xb4, 0, 0, 0), mk(0x04, 0, 0, 1), mk(0x95, 0, 0, 0) }))
		<< slots_str(v);
	// Empty text and comment-only text assemble to zero slots.
	EXPECT_EQ(asm_ok("").size(), 0u);
	EXPECT_EQ(asm_ok("# nothing\n\n").size(), 0u);
}

// ---------------------------------------------------------------------
// Errors: exact line, column and message.

struct ErrCase {
	const char *text;
	unsigned line, col;
	const char *msg;
};

const ErrCase err_cases[] = {
	{ "mov %r1, %x7", 1, 10, "expected register, got '%x7'" },
	{ "exit\n  movv %r1, 2", 2, 3, "unknown mnemonic 'movv'" },
	{ "mov32 %r1, 0x1ffffffff", 1, 12, "immediate 0x1ffffffff does not fit in 32 bits" },
	{ "mov32 %r1, -2147483649", 1, 12, "immediate -2147483649 does not fit in 32 bits" },
	{ "stw [%r1], 4294967296", 1, 12, "immediate 4294967296 does not fit in 32 bits" },
	{ "mov %r0, 0\njeq %r1, 0, done\nexit", 2, 13, "undefined label 'done'" },
	{ "mov %r11, 1", 1, 5, "register r11 does not exist (r0-r10)" },
	{ "ldxdw %r0, [%r15+0]", 1, 13, "register r15 does not exist (r0-r10)" },
	{ "ja +32768", 1, 4, "jump offset +32768 out of range (-32768..32767)" },
	{ "jeq %r1, 0, -32769", 1, 13, "jump offset -32769 out of range (-32768..32767)" },
	{ "ldxw %r0, [%r1+32768]", 1, 15, "offset +32768 out of range (-32768..32767)" },
	{ "a: exit\nb:\na: exit", 3, 1, "duplicate label 'a' (first defined on line 1)" },
	{ "add %r1", 1, 8, "expected ',', got end of line" },
	{ "add %r1 5", 1, 9, "expected ',', got '5'" },
	{ "add %r1, 2, 3", 1, 11, "unexpected ',' after the add instruction" },
	{ "exit %r0", 1, 6, "unexpected '%r0' after the exit instruction" },
	{ "neg %r1, 2", 1, 8, "unexpected ',' after the neg instruction" },
	{ "add %r1, foo", 1, 10, "expected register or immediate, got 'foo'" },
	{ "ldxw %r0, %r1", 1, 11, "expected memory operand '[%rN+offset]', got '%r1'" },
	{ "ldxw %r0, [%r1+2", 1, 17, "expected '+', '-' or ']', got end of line" },
	{ "ldxw %r0, [%r1*2]", 1, 15, "expected '+', '-' or ']', got '*'" },
	{ "stxw [%r1], 5", 1, 13, "expected register, got '5'" },
	{ "stw [%r1], %r2", 1, 12, "expected immediate, got '%r2'" },
	{ "ja 3", 1, 4, "expected jump target (+N, -N or a label), got '3'" },
	{ "ja", 1, 3, "expected jump target (+N, -N or a label), got end of line" },
	{ "call local 3", 1, 12, "expected jump target (+N, -N or a label), got '3'" },
	{ "call foo", 1, 6, "expected helper number, register, 'local', 'helper' or 'runtime', got 'foo'" },
	{ "lock inc [%r1], %r2", 1, 6,
	  "unknown atomic operation 'inc' (add, or, and, xor, xchg, cmpxchg, optionally with a 32 suffix)" },
	{ "lock fetch", 1, 11,
	  "expected atomic operation (add, or, and, xor, xchg, cmpxchg), got end of line" },
	{ "mov %r1, 12ab", 1, 10, "invalid number '12ab'" },
	{ "mov %r1, 0x", 1, 10, "invalid number '0x'" },
	{ "lddw %r1, 0x10000000000000000", 1, 11, "number '0x10000000000000000' does not fit in 64 bits" },
	{ "lddw %r1, -0x8000000000000001", 1, 11,
	  "immediate -0x8000000000000001 does not fit in 64 bits" },
	{ "1: exit", 1, 1, "invalid label name '1' (must not start with a digit)" },
	{ "  , exit", 1, 3, "expected mnemonic or label, got ','" },
	{ "mov%r1, 1", 1, 1, "unknown mnemonic 'mov%r1,'" },
	{ ".quad", 1, 6, "expected immediate, got end of line" },
	{ "ja exit", 1, 4, "undefined label 'exit'" },
	{ "mov %r1, \x01", 1, 10, "expected register or immediate, got '\\x01'" },
	{ "\tmov %r1, %r2\n\tjne %r1, %r2, nowhere # comment", 2, 16, "undefined label 'nowhere'" },
	{ "movsx864 %r1, 5", 1, 15, "expected register, got '5'" },
	{ "le16 5", 1, 6, "expected register, got '5'" },
	{ "mov %r, 1", 1, 5, "expected register, got '%r'" },
	{ "mov %r1a, 1", 1, 5, "expected register, got '%r1a'" },
	{ "mov r11, 1", 1, 5, "register r11 does not exist (r0-r10)" },
	{ "mov r1x, 1", 1, 5, "expected register, got 'r1x'" },
	{ "mov r0, r16", 1, 9, "register r16 does not exist (r0-r10)" },
	{ "call %r11", 1, 6, "register r11 does not exist (r0-r10)" },
	{ "add r1, rx", 1, 9, "expected register or immediate, got 'rx'" },
};

TEST(AsmErrors, LineColumnMessage)
{
	for (const auto &c : err_cases) {
		hermes_asm_error err;
		std::vector<hermes_insn> v;
		memset(&err, 0x55, sizeof(err));
		int rc = assemble(c.text, &v, &err);
		EXPECT_EQ(rc, -EINVAL) << c.text;
		EXPECT_EQ(err.line, c.line) << c.text << " -> " << err.msg;
		EXPECT_EQ(err.col, c.col) << c.text << " -> " << err.msg;
		EXPECT_STREQ(err.msg, c.msg) << c.text;
	}
}

TEST(AsmErrors, NullArguments)
{
	hermes_insn *insns = nullptr;
	size_t n = 0;
	EXPECT_EQ(hermes_asm(nullptr, &insns, &n, nullptr), -EINVAL);
	EXPECT_EQ(hermes_asm("exit", nullptr, &n, nullptr), -EINVAL);
	EXPECT_EQ(hermes_asm("exit", &insns, nullptr, nullptr), -EINVAL);
	// A NULL error pointer is allowed.
	EXPECT_EQ(hermes_asm("bogus", &insns, &n, nullptr), -EINVAL);
	ASSERT_EQ(hermes_asm("exit", &insns, &n, nullptr), 0);
	EXPECT_EQ(n, 1u);
	free(insns);
}

TEST(AsmErrors, LongLinesAndTokensAreQuotedSafely)
{
	std::string text = "mov %r1, " + std::string(5000, 'z');
	hermes_asm_error err;
	std::vector<hermes_insn> v;
	ASSERT_EQ(assemble(text, &v, &err), -EINVAL);
	EXPECT_EQ(err.col, 10u);
	EXPECT_LT(strlen(err.msg), sizeof(err.msg));
	EXPECT_NE(strstr(err.msg, "..."), nullptr) << err.msg;
}

// ---------------------------------------------------------------------
// Labels.

TEST(AsmLabels, ForwardAndBackward)
{
	const char *text = "start:\n"
			   "    mov %r0, 0\n"          // 0
			   "loop: add %r0, 1\n"        // 1
			   "    jne %r0, 10, loop\n"   // 2: off 1-2-1 = -2
			   "    ja done\n"             // 3: off 6-3-1 = 2
			   "    lddw %r1, 1\n"         // 4, 5
			   "done:\n"
			   "end: exit\n"               // 6
			   "    ja start\n"            // 7: off 0-7-1 = -8
			   "    ja32 done\n"           // 8: imm 6-8-1 = -3
			   "    call local fn\n"       // 9: imm 11-9-1 = 1
			   "    jeq32 %r1, %r2, end\n" // 10: off 6-10-1 = -5
			   "fn: exit\n"                // 11
			   "after:\n"
			   "    ja after\n";           // 12: off 12-12-1 = -1
	auto v = asm_ok(text);
	ASSERT_EQ(v.size(), 13u) << slots_str(v);
	EXPECT_EQ(v[2].off, -2);
	EXPECT_EQ(v[3].off, 2);
	EXPECT_EQ(v[7].off, -8);
	EXPECT_EQ(v[8].imm, -3);
	EXPECT_EQ(v[8].off, 0);
	EXPECT_EQ(v[9].imm, 1);
	EXPECT_EQ(v[9].regs, 0x10);
	EXPECT_EQ(v[10].off, -5);
	EXPECT_EQ(v[12].off, -1);
}

TEST(AsmLabels, LabelAtEndAndSeveralPerLine)
{
	auto v = asm_ok("ja out\na: b: exit\nja a\nja b\nout:");
	ASSERT_EQ(v.size(), 4u);
	EXPECT_EQ(v[0].off, 3); // target 4 = one past the end
	EXPECT_EQ(v[2].off, -2);
	EXPECT_EQ(v[3].off, -3);
}

TEST(AsmLabels, ExitMeansFirstExitUnlessDefined)
{
	// bpf_conformance: the target 'exit' is the first exit instruction.
	auto v = asm_ok("jne %r1, %r0, exit\nmov %r0, 1\nexit\nexit\n");
	ASSERT_EQ(v.size(), 4u);
	EXPECT_EQ(v[0].off, 1);
	// A real label named exit wins.
	v = asm_ok("jne %r1, %r0, exit\nexit\nexit: mov %r0, 1\nexit\n");
	ASSERT_EQ(v.size(), 4u);
	EXPECT_EQ(v[0].off, 1);
	v = asm_ok("exit\njne %r1, %r0, exit\n");
	EXPECT_EQ(v[1].off, -2);
}

TEST(AsmLabels, Out16BitRange)
{
	// 32767 slots between the jump and the label fit; 32768 do not.
	for (int gap : { 32767, 32768 }) {
		std::string text = "ja far\n";
		for (int i = 0; i < gap; i++)
			text += "exit\n";
		text += "far: exit\n";
		hermes_asm_error err;
		std::vector<hermes_insn> v;
		int rc = assemble(text, &v, &err);
		if (gap == 32767) {
			ASSERT_EQ(rc, 0) << err.msg;
			EXPECT_EQ(v[0].off, 32767);
		} else {
			ASSERT_EQ(rc, -EINVAL);
			EXPECT_EQ(err.line, 1u);
			EXPECT_EQ(err.col, 4u);
			EXPECT_STREQ(err.msg,
				     "jump offset out of range: label 'far' is 32768 slots away (-32768..32767)");
		}
		// ja32 carries the offset in imm: always fits.
		text.replace(0, 2, "ja32");
		ASSERT_EQ(assemble(text, &v, &err), 0) << err.msg;
		EXPECT_EQ(v[0].imm, gap);
	}
}

TEST(AsmLabels, RegisterLikeLabelNames)
{
	// Jump targets are never registers, so r1 / r10 are plain labels there.
	auto v = asm_ok("ja r1\nr1: exit\ncall local r10\nr10: exit\n");
	ASSERT_EQ(v.size(), 4u);
	EXPECT_EQ(v[0].off, 0);
	EXPECT_EQ(v[2].imm, 0);
	EXPECT_EQ(v[2].regs, 0x10);
}

TEST(AsmLabels, ManyLabels)
{
	// Exercises the label table growth: 5000 labels, each jumped to.
	std::string text;
	for (int i = 0; i < 5000; i++)
		text += "l" + std::to_string(i) + ": ja l" + std::to_string((i * 7919) % 5000) + "\n";
	auto v = asm_ok(text);
	ASSERT_EQ(v.size(), 5000u);
	for (int i = 0; i < 5000; i++)
		ASSERT_EQ(v[i].off, (i * 7919) % 5000 - i - 1) << "slot " << i;
}

// ---------------------------------------------------------------------
// Disassembler.

TEST(Disasm, CanonicalTextRoundTrips)
{
	// text -> bytes -> text gives the same text for canonical lines.
	const char *lines[] = {
		"mov32 %r0, 0", "mov %r1, %r2", "add32 %r1, 5", "ldxdw %r0, [%r1+2]",
		"ldxb %r0, [%r1-4]", "ldxh %r3, [%r10]", "stdw [%r10-16], 171",
		"stxw [%r10-8], %r1", "lock add [%r1], %r2", "lock fetch add32 [%r1+8], %r2",
		"lock xchg [%r1], %r3", "lock cmpxchg [%r10-8], %r1", "lock cmpxchg32 [%r10-8], %r1",
		"lock fetch xor [%r0-1], %r9", "jeq32 %r1, 11, +2", "ja +3", "ja -32768",
		"ja32 +5", "ja32 -2147483648", "call local +26", "call 7", "call -1",
		"call runtime 5", "call %r3", "exit", "lddw %r0, 0x123456789", "lddw %r2, -1",
		"lddw %r3, 65535", "lddw %r3, 0x10000", "neg %r1", "neg32 %r1", "le16 %r1",
		"be64 %r2", "bswap32 %r3", "sdiv %r1, %r2", "smod32 %r1, -7", "movsx864 %r0, %r1",
		"movsx832 %r0, %r1", "movsx1632 %r0, %r1", "movsx1664 %r0, %r1",
		"movsx3264 %r0, %r1", "ldxsb %r0, [%r1-4]", "ldxsh %r0, [%r1]",
		"ldxsw %r0, [%r1+32767]", "mov32 %r0, -1", "mov32 %r0, 0x80000000",
		"mov %r0, 65535", "mov %r0, -65535", "mov %r0, 0x10000", "mov %r0, 0xfffeffff",
		"jsle %r10, %r10, -32768", "jset %r1, 0x7fffffff, +0",
		".quad 0x0000000500000b07", ".quad 0x0000000000000000",
	};
	for (const char *line : lines) {
		auto v = asm_ok(line);
		std::string text = disasm_all(v);
		EXPECT_EQ(text, std::string(line) + "\n") << line;
		EXPECT_TRUE(same(asm_ok(text), v)) << line;
	}
}

TEST(Disasm, ProgramRoundTrip)
{
	const char *prog = "start: mov %r0, 0\n"
			   "lddw %r1, 0xdeadbeefcafe\n"
			   "loop: add %r0, 1\n"
			   "jlt %r0, 100, loop\n"
			   "call local fn\n"
			   "ja end\n"
			   "fn: lock fetch add [%r10-8], %r0\n"
			   "exit\n"
			   "end: exit\n";
	auto a = asm_ok(prog);
	std::string t1 = disasm_all(a);
	auto b = asm_ok(t1);
	EXPECT_TRUE(same(a, b)) << t1;
	EXPECT_EQ(disasm_all(b), t1);
	EXPECT_NE(t1.find("jlt %r0, 100, -2\n"), std::string::npos) << t1;
}

TEST(Disasm, NonCanonicalFieldsBecomeQuad)
{
	struct {
		hermes_insn i;
		const char *text;
	} cases[] = {
		{ mk(0x07, 0x21, 0, 5), ".quad 0x0000000500002107" },       // add K with src set
		{ mk(0x0f, 0x21, 0, 5), ".quad 0x000000050000210f" },       // add X with imm set
		{ mk(0x07, 0x01, 3, 5), ".quad 0x0000000500030107" },       // add with off set
		{ mk(0x3f, 0x21, 2, 0), ".quad 0x000000000002213f" },       // div off 2
		{ mk(0xbf, 0x21, 7, 0), ".quad 0x00000000000721bf" },       // movsx off 7
		{ mk(0xbc, 0x21, 32, 0), ".quad 0x00000000002021bc" },      // ALU movsx32
		{ mk(0xb7, 0x01, 8, 0), ".quad 0x00000000000801b7" },       // mov K with off
		{ mk(0x8c, 0x01, 0, 0), ".quad 0x000000000000018c" },       // neg X
		{ mk(0xdf, 0x01, 0, 16), ".quad 0x00000010000001df" },      // bswap X
		{ mk(0xd4, 0x01, 0, 8), ".quad 0x00000008000001d4" },       // le8
		{ mk(0x95, 0x00, 0, 1), ".quad 0x0000000100000095" },       // exit imm
		{ mk(0x85, 0x30, 0, 1), ".quad 0x0000000100003085" },       // call src 3
		{ mk(0x86, 0x00, 0, 1), ".quad 0x0000000100000086" },       // JMP32 call
		{ mk(0x8d, 0x02, 0, 1), ".quad 0x000000010000028d" },       // callx with imm
		{ mk(0x8d, 0x20, 0, 0), ".quad 0x000000000000208d" },       // callx with src
		{ mk(0x05, 0x00, 1, 1), ".quad 0x0000000100010005" },       // ja with imm
		{ mk(0x06, 0x00, 1, 1), ".quad 0x0000000100010006" },       // ja32 with off
		{ mk(0x99, 0x10, 0, 0), ".quad 0x0000000000001099" },       // ldxsdw
		{ mk(0x20, 0x00, 0, 4), ".quad 0x0000000400000020" },       // legacy ld abs
		{ mk(0xdb, 0x21, 0, 0xe0), ".quad 0x000000e0000021db" },    // xchg without fetch
		{ mk(0xdb, 0x21, 0, 0x02), ".quad 0x00000002000021db" },    // bad atomic op
		{ mk(0xd3, 0x21, 0, 0x00), ".quad 0x00000000000021d3" },    // atomic B size
		{ mk(0x61, 0x1b, 0, 0), ".quad 0x0000000000001b61" },       // dst r11
		{ mk(0x61, 0xf0, 0, 0), ".quad 0x000000000000f061" },       // src r15
		{ mk(0x00, 0x00, 0, 0), ".quad 0x0000000000000000" },
		{ mk(0xff, 0xff, -1, -1), ".quad 0xffffffffffffffff" },
	};
	for (const auto &c : cases) {
		std::vector<hermes_insn> v{ c.i };
		EXPECT_EQ(disasm_all(v), std::string(c.text) + "\n") << slot_str(c.i);
		EXPECT_TRUE(same(asm_ok(disasm_all(v)), v)) << slot_str(c.i);
	}
}

TEST(Disasm, LddwSecondSlot)
{
	// Well-formed: one instruction over two slots.
	std::vector<hermes_insn> v{ mk(0x18, 0x01, 0, 1), mk(0, 0, 0, 2) };
	EXPECT_EQ(disasm_all(v), "lddw %r1, 0x200000001\n");
	// Second slot with a nonzero opcode/regs/off, src != 0, or missing.
	for (auto bad : { std::vector<hermes_insn>{ mk(0x18, 0x01, 0, 1), mk(0x95, 0, 0, 0) },
			  std::vector<hermes_insn>{ mk(0x18, 0x01, 0, 1), mk(0, 1, 0, 0) },
			  std::vector<hermes_insn>{ mk(0x18, 0x01, 0, 1), mk(0, 0, 1, 0) },
			  std::vector<hermes_insn>{ mk(0x18, 0x11, 0, 1), mk(0, 0, 0, 0) },
			  std::vector<hermes_insn>{ mk(0x18, 0x01, 4, 1), mk(0, 0, 0, 0) },
			  std::vector<hermes_insn>{ mk(0x18, 0x01, 0, 1) } }) {
		std::string t = disasm_all(bad);
		EXPECT_EQ(t.rfind(".quad", 0), 0u) << t;
		EXPECT_TRUE(same(asm_ok(t), bad)) << t;
	}
	// The 2-slot return value.
	char buf[HERMES_DISASM_LEN];
	EXPECT_EQ(hermes_disasm_insn(v.data(), v.size(), 0, buf, sizeof(buf)), 2);
	EXPECT_EQ(hermes_disasm_insn(v.data(), 1, 0, buf, sizeof(buf)), 1);
}

TEST(Disasm, BadArguments)
{
	std::vector<hermes_insn> v{ mk(0x95, 0, 0, 0) };
	char buf[HERMES_DISASM_LEN];
	EXPECT_EQ(hermes_disasm_insn(v.data(), 1, 1, buf, sizeof(buf)), -EINVAL);
	EXPECT_EQ(hermes_disasm_insn(nullptr, 1, 0, buf, sizeof(buf)), -EINVAL);
	EXPECT_EQ(hermes_disasm_insn(v.data(), 1, 0, nullptr, 10), -EINVAL);
	EXPECT_EQ(hermes_disasm_insn(v.data(), 1, 0, buf, 4), -ENOSPC); // "exit" needs 5
	EXPECT_EQ(hermes_disasm_insn(v.data(), 1, 0, buf, 5), 1);
	EXPECT_STREQ(buf, "exit");
}

// Every RFC 9669 opcode (minus the legacy packet group) has a text form;
// every other opcode byte only disassembles as .quad.
TEST(Disasm, OpcodeCoverage)
{
	const uint8_t valid[] = {
		// ALU
		0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c,
		0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4, 0xac, 0xb4, 0xbc, 0xc4, 0xcc, 0xd4, 0xdc,
		// ALU64
		0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f, 0x67, 0x6f,
		0x77, 0x7f, 0x87, 0x97, 0x9f, 0xa7, 0xaf, 0xb7, 0xbf, 0xc7, 0xcf, 0xd7,
		// JMP
		0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0x75,
		0x7d, 0x85, 0x95, 0xa5, 0xad, 0xb5, 0xbd, 0xc5, 0xcd, 0xd5, 0xdd,
		// JMP32
		0x06, 0x16, 0x1e, 0x26, 0x2e, 0x36, 0x3e, 0x46, 0x4e, 0x56, 0x5e, 0x66, 0x6e, 0x76,
		0x7e, 0xa6, 0xae, 0xb6, 0xbe, 0xc6, 0xce, 0xd6, 0xde,
		// LD, LDX, ST, STX
		0x18, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b,
		0x73, 0x7b, 0xc3, 0xdb,
		// callx: not RFC 9669, but bpf_conformance has a text form for it
		0x8d,
	};
	bool is_valid[256] = {};
	for (uint8_t o : valid)
		is_valid[o] = true;
	int text_forms = 0;
	for (int op = 0; op < 256; op++) {
		bool any_text = false;
		for (uint8_t regs : { 0x00, 0x21 })
			for (int16_t off : { 0, 1, 8 })
				for (int32_t imm : { 0, 1, 16 }) {
					std::vector<hermes_insn> v{ mk((uint8_t)op, regs, off, imm), mk(0, 0, 0, 0) };
					char buf[HERMES_DISASM_LEN], raw[HERMES_DISASM_LEN];
					int k = hermes_disasm_insn(v.data(), v.size(), 0, buf, sizeof(buf));
					ASSERT_GE(k, 1);
					ASSERT_EQ(hermes__disasm_decode(v.data(), v.size(), 0, raw, sizeof(raw)), k);
					ASSERT_STREQ(raw, buf) << slot_str(v[0]);
					if (strncmp(buf, ".quad", 5) != 0)
						any_text = true;
				}
		EXPECT_EQ(any_text, is_valid[op]) << "opcode 0x" << std::hex << op;
		text_forms += any_text;
	}
	EXPECT_EQ(text_forms, (int)sizeof(valid));
}

// ---------------------------------------------------------------------
// Random slots: asm(disasm(x)) == x, and the decoder alone agrees with the
// checked public disassembler (its .quad fallback never had to kick in).

hermes_insn random_slot(std::mt19937_64 &rng)
{
	static const uint8_t ops[] = {
		0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c,
		0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4, 0xac, 0xb4, 0xbc, 0xc4, 0xcc, 0xd4, 0xdc, 0x07,
		0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f, 0x67, 0x6f, 0x77,
		0x7f, 0x87, 0x97, 0x9f, 0xa7, 0xaf, 0xb7, 0xbf, 0xc7, 0xcf, 0xd7, 0x05, 0x15, 0x1d,
		0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0x75, 0x7d, 0x85, 0x95,
		0xa5, 0xad, 0xb5, 0xbd, 0xc5, 0xcd, 0xd5, 0xdd, 0x06, 0x16, 0x1e, 0x26, 0x2e, 0x36,
		0x3e, 0x46, 0x4e, 0x56, 0x5e, 0x66, 0x6e, 0x76, 0x7e, 0xa6, 0xae, 0xb6, 0xbe, 0xc6,
		0xce, 0xd6, 0xde, 0x18, 0x18, 0x18, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62,
		0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb, 0xc3, 0xdb,
	};
	static const int32_t imms[] = { 0, 0, 0, 1, 16, 32, 64, -1, 0x01, 0x40, 0x41, 0x50,
					0x51, 0xa0, 0xa1, 0xe1, 0xf1, 65535, 65536, -65535,
					-65536, INT32_MIN, INT32_MAX };
	static const int16_t offs[] = { 0, 0, 0, 1, 8, 16, 32, -1, -32768, 32767 };
	uint64_t r = rng(), s = rng();
	hermes_insn i;
	if ((r & 3) == 0) { // anything at all
		i.opcode = (uint8_t)(r >> 8);
		i.regs = (uint8_t)(r >> 16);
		i.off = (int16_t)(r >> 24);
		i.imm = (int32_t)(r >> 32);
		return i;
	}
	i.opcode = (r >> 4) & 3 ? ops[(r >> 8) % sizeof(ops)] : (uint8_t)(r >> 8);
	if ((r & 3) == 3) { // a known opcode, random fields
		i.regs = (uint8_t)(s >> 8);
		i.off = (int16_t)(s >> 16);
		i.imm = (int32_t)(s >> 32);
		return i;
	}
	// A known opcode with plausible fields (mostly zero, registers 0-11).
	unsigned dst = (r >> 16) % 12, src = (r >> 20) % 12;
	if ((r >> 24) & 1)
		src = 0;
	if (((r >> 25) & 7) == 0)
		dst = 0;
	i.regs = (uint8_t)(dst | src << 4);
	switch (s & 7) { // off: mostly 0
	case 0: i.off = (int16_t)(s >> 8); break;
	case 1: case 2: i.off = offs[(s >> 8) % (sizeof(offs) / sizeof(offs[0]))]; break;
	default: i.off = 0; break;
	}
	switch ((s >> 3) & 7) { // imm: often 0
	case 0: i.imm = (int32_t)(s >> 32); break;
	case 1: case 2: case 3: case 4:
		i.imm = imms[(s >> 40) % (sizeof(imms) / sizeof(imms[0]))];
		break;
	default: i.imm = 0; break;
	}
	if ((s >> 6) & 1) {
		// Clear the field the form does not use (K: src, X: imm), as
		// compilers do; keep the rest.
		unsigned cls = i.opcode & 7;
		bool alu_jmp = cls == 4 || cls == 5 || cls == 6 || cls == 7;
		if (alu_jmp && (i.opcode & 8))
			i.imm = 0;
		else if (alu_jmp || cls == 2)
			i.regs &= 0x0f;
		if (cls == 1 || cls == 3)
			i.imm = (cls == 3 && (i.opcode & 0xe0) == 0xc0) ? i.imm : 0;
		if ((cls == 4 || cls == 7) && (i.opcode & 0xf0) != 0xb0 && (i.opcode & 0xf0) != 0x30 &&
		    (i.opcode & 0xf0) != 0x90)
			i.off = 0;
	}
	return i;
}

TEST(Disasm, RandomSlotRoundTrip)
{
	std::mt19937_64 rng(0x4e524d4553ull); // fixed seed: reproducible
	const int sequences = 100000;
	size_t slots = 0, quads = 0, texts = 0;
	for (int n = 0; n < sequences; n++) {
		std::vector<hermes_insn> v;
		size_t len = 1 + rng() % 6;
		while (v.size() < len) {
			v.push_back(random_slot(rng));
			// lddw: usually follow with a well-formed second slot.
			if (v.back().opcode == 0x18 && rng() % 4)
				v.push_back(mk(0, 0, 0, (int32_t)rng()));
		}
		slots += v.size();
		std::string text = disasm_one(v, false);
		std::string raw = disasm_one(v, true);
		ASSERT_EQ(raw, text) << "decoder alone disagrees with the checked disassembler for "
				     << slots_str(v);
		hermes_asm_error err;
		std::vector<hermes_insn> back;
		int rc = assemble(text, &back, &err);
		ASSERT_EQ(rc, 0) << text << "\nerror " << err.line << ":" << err.col << ": " << err.msg;
		ASSERT_TRUE(same(back, v)) << "slots " << slots_str(v) << "\ntext\n" << text
					   << "gives " << slots_str(back);
		std::istringstream lines(text);
		for (std::string l; std::getline(lines, l);)
			(l.rfind(".quad", 0) == 0 ? quads : texts)++;
	}
	printf("random round trip: %d sequences, %zu slots, %zu text instructions, %zu .quad\n",
	       sequences, slots, texts, quads);
	// The generator must exercise the decoder, not only .quad.
	EXPECT_GT(texts, slots / 5);
	EXPECT_GT(quads, slots / 10);
}

// ---------------------------------------------------------------------
// Robustness: random text never crashes; errors point inside the text.

TEST(AsmFuzz, RandomTextNeverCrashes)
{
	static const char *const toks[] = {
		"mov", "mov32", "add", "lddw", "ldxdw", "stdw", "stxw", "lock", "fetch", "cmpxchg32",
		"ja", "ja32", "jeq", "jne32", "call", "local", "helper", "exit", ".quad", "le16",
		"movsx832", "%r0", "%r1", "%r10", "%r11", "%r", "%x", "[", "]", "+", "-", ",", ":",
		"#", ";", "//", "0", "1", "-1", "0x", "0xffffffff", "0x1ffffffff", "99999999999999999999",
		"32768", "-32768", "label", "l1", "l1:", "exit:", " ", " ", "\t", "\n", "\n", "\r\n",
		"\x80", "\x01", "+3", "-2",
	};
	std::mt19937_64 rng(12345);
	int ok = 0;
	for (int n = 0; n < 20000; n++) {
		std::string text;
		int len = (int)(rng() % 24);
		for (int k = 0; k < len; k++) {
			if (rng() % 16 == 0)
				text += (char)(1 + rng() % 255);
			else
				text += toks[rng() % (sizeof(toks) / sizeof(toks[0]))];
			if (rng() % 3 == 0)
				text += ' ';
		}
		unsigned lines = 1;
		for (char ch : text)
			lines += ch == '\n';
		hermes_asm_error err;
		std::vector<hermes_insn> v;
		int rc = assemble(text, &v, &err);
		ASSERT_TRUE(rc == 0 || rc == -EINVAL) << rc;
		if (rc) {
			ASSERT_GE(err.line, 1u);
			ASSERT_LE(err.line, lines);
			ASSERT_GE(err.col, 1u);
			ASSERT_GT(strlen(err.msg), 0u);
		} else {
			ok++;
			ASSERT_TRUE(same(asm_ok(disasm_all(v)), v)) << text;
		}
	}
	printf("random text: %d of 20000 assembled\n", ok);
}

} // namespace
