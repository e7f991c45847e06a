// SPDX-License-Identifier: MIT
// Tiny eBPF encoder for hand-written RTL test programs (RFC 9669 layout:
// opcode, dst | src << 4, off, imm; lddw takes two slots).
#ifndef HERMES_TESTS_CORE_EBPF_ENC_H
#define HERMES_TESTS_CORE_EBPF_ENC_H

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace enc {

// Opcode building blocks (same values as hermes/isa.h).
enum : uint8_t {
	LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, JMP32 = 0x06, ALU64 = 0x07,
	K = 0x00, X = 0x08,
	ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70,
	NEG = 0x80, MOD = 0x90, XOR = 0xa0, MOV = 0xb0, ARSH = 0xc0, END = 0xd0,
	JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40, JNE = 0x50, JSGT = 0x60, JSGE = 0x70,
	CALL = 0x80, EXIT = 0x90, JLT = 0xa0, JLE = 0xb0, JSLT = 0xc0, JSLE = 0xd0,
	W = 0x00, H = 0x08, B = 0x10, DW = 0x18,
	MEM = 0x60, MEMSX = 0x80, ATOMIC = 0xc0,
};
enum : int32_t {
	A_ADD = 0x00, A_OR = 0x40, A_AND = 0x50, A_XOR = 0xa0, A_FETCH = 0x01,
	A_XCHG = 0xe1, A_CMPXCHG = 0xf1,
};

inline uint64_t raw(uint8_t op, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	return (uint64_t)op | ((uint64_t)(dst & 0xf) << 8) | ((uint64_t)(src & 0xf) << 12) |
	       ((uint64_t)(uint16_t)off << 16) | ((uint64_t)(uint32_t)imm << 32);
}

// ALU: alu64/alu32 with an immediate or a register source.
inline uint64_t alu64k(uint8_t op, unsigned dst, int32_t imm, int16_t off = 0) { return raw(ALU64 | K | op, dst, 0, off, imm); }
inline uint64_t alu64x(uint8_t op, unsigned dst, unsigned src, int16_t off = 0) { return raw(ALU64 | X | op, dst, src, off, 0); }
inline uint64_t alu32k(uint8_t op, unsigned dst, int32_t imm, int16_t off = 0) { return raw(ALU | K | op, dst, 0, off, imm); }
inline uint64_t alu32x(uint8_t op, unsigned dst, unsigned src, int16_t off = 0) { return raw(ALU | X | op, dst, src, off, 0); }
inline uint64_t mov64k(unsigned dst, int32_t imm) { return alu64k(MOV, dst, imm); }
inline uint64_t mov64x(unsigned dst, unsigned src) { return alu64x(MOV, dst, src); }
inline uint64_t le(unsigned dst, int32_t width) { return raw(ALU | K | END, dst, 0, 0, width); }
inline uint64_t be(unsigned dst, int32_t width) { return raw(ALU | X | END, dst, 0, 0, width); }
inline uint64_t bswap(unsigned dst, int32_t width) { return raw(ALU64 | K | END, dst, 0, 0, width); }

// Memory.
inline uint64_t ldx(uint8_t size, unsigned dst, unsigned src, int16_t off) { return raw(LDX | MEM | size, dst, src, off, 0); }
inline uint64_t ldxs(uint8_t size, unsigned dst, unsigned src, int16_t off) { return raw(LDX | MEMSX | size, dst, src, off, 0); }
inline uint64_t st(uint8_t size, unsigned dst, int16_t off, int32_t imm) { return raw(ST | MEM | size, dst, 0, off, imm); }
inline uint64_t stx(uint8_t size, unsigned dst, unsigned src, int16_t off) { return raw(STX | MEM | size, dst, src, off, 0); }
inline uint64_t atomic(uint8_t size, unsigned dst, unsigned src, int16_t off, int32_t op) { return raw(STX | ATOMIC | size, dst, src, off, op); }

// Jumps.
inline uint64_t ja(int16_t off) { return raw(JMP | JA, 0, 0, off, 0); }
inline uint64_t ja32(int32_t imm) { return raw(JMP32 | JA, 0, 0, 0, imm); }
inline uint64_t jk(uint8_t op, unsigned dst, int32_t imm, int16_t off) { return raw(JMP | K | op, dst, 0, off, imm); }
inline uint64_t jx(uint8_t op, unsigned dst, unsigned src, int16_t off) { return raw(JMP | X | op, dst, src, off, 0); }
inline uint64_t j32k(uint8_t op, unsigned dst, int32_t imm, int16_t off) { return raw(JMP32 | K | op, dst, 0, off, imm); }
inline uint64_t j32x(uint8_t op, unsigned dst, unsigned src, int16_t off) { return raw(JMP32 | X | op, dst, src, off, 0); }
inline uint64_t call(int32_t imm) { return raw(JMP | CALL, 0, 1, 0, imm); }
inline uint64_t helper(int32_t id) { return raw(JMP | CALL, 0, 0, 0, id); }
inline uint64_t exit_() { return raw(JMP | EXIT, 0, 0, 0, 0); }

// A program under construction.
struct Prog {
	std::vector<uint64_t> w;

	Prog &operator<<(uint64_t insn) { w.push_back(insn); return *this; }
	Prog &lddw(unsigned dst, uint64_t v)
	{
		w.push_back(raw(LD | DW, dst, 0, 0, (int32_t)(uint32_t)v));
		w.push_back(raw(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
		return *this;
	}
	Prog &add(std::initializer_list<uint64_t> l) { w.insert(w.end(), l); return *this; }
	size_t size() const { return w.size(); }
};

}  // namespace enc

#endif
