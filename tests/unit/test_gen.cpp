// SPDX-License-Identifier: MIT
// Random program generator (host/src/isa/gen.c): determinism, option checking,
// and that its programs are valid and terminate on the reference VM for
// every class mix, with every instruction reachable and every generated
// opcode variant showing up.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "asm.h"
#include "gen.h"
#include "hermes/regs.h"
#include "vm.h"

namespace {

constexpr size_t kMaxSlots = 16384;

std::vector<hermes_insn> gen(const hermes_gen_opts &o, uint64_t seed)
{
	std::vector<hermes_insn> p(kMaxSlots);
	size_t n = 0;
	int err = hermes_gen_program(&o, seed, p.data(), p.size(), &n);
	EXPECT_EQ(err, 0) << "seed " << seed;
	p.resize(err ? 0 : n);
	return p;
}

hermes_gen_opts opts(unsigned classes, unsigned insns = 64)
{
	hermes_gen_opts o{};
	o.sz = sizeof(o);
	o.classes = classes;
	o.insns = insns;
	return o;
}

std::string listing(const std::vector<hermes_insn> &p)
{
	std::string s;
	char line[128];

	for (size_t pc = 0; pc < p.size();) {
		int k = hermes_disasm_insn(p.data(), p.size(), pc, line, sizeof(line));
		s += std::to_string(pc) + ": " + line + "\n";
		pc += k > 0 ? (size_t)k : 1;
	}
	return s;
}

bool same(const std::vector<hermes_insn> &a, const std::vector<hermes_insn> &b)
{
	return a.size() == b.size() && !memcmp(a.data(), b.data(), a.size() * sizeof(hermes_insn));
}

class Vm {
public:
	Vm() : prog(HERMES_DEFAULT_PROG_SLOT_SIZE), data(HERMES_DEFAULT_DATA_SLOT_SIZE)
	{
		vm = hermes_vm_new(prog.size(), data.size());
	}
	~Vm() { hermes_vm_free(vm); }

	// Runs p with a seeded data slot; returns the status.
	hermes_vm_status run(const std::vector<hermes_insn> &p, uint64_t seed,
			     std::set<std::pair<uint8_t, int32_t>> *seen = nullptr, uint32_t data_len = 4096)
	{
		hermes_vm_status st{};
		hermes_rng r;

		std::fill(prog.begin(), prog.end(), 0);
		memcpy(prog.data(), p.data(), p.size() * 8);
		hermes_rng_seed(&r, seed);
		for (size_t i = 0; i < 4096; i += 8) {
			uint64_t v = hermes_rng_next(&r);
			memcpy(&data[i], &v, 8);
		}
		EXPECT_EQ(hermes_vm_load(vm, prog.data(), p.size() * 8, data.data(), data_len), 0);
		hermes_vm_reset(vm, 10'000'000);
		if (!seen) {
			hermes_vm_run(vm, &st);
			return st;
		}
		hermes_retire rec;
		while (hermes_vm_step(vm, &rec, &st) && !st.done) {
			const hermes_insn &i = p[rec.pc];
			seen->insert({ i.opcode, variant(i) });
		}
		return st;
	}

	// What distinguishes opcode variants: off for div/mod/movsx, imm for end and atomics.
	static int32_t variant(const hermes_insn &i)
	{
		uint8_t cls = i.opcode & 7, op = i.opcode & 0xf0;

		if ((cls == HERMES_CLS_ALU || cls == HERMES_CLS_ALU64) &&
		    (op == HERMES_ALU_DIV || op == HERMES_ALU_MOD ||
		     (op == HERMES_ALU_MOV && (i.opcode & HERMES_SRC_X))))
			return i.off;
		if ((cls == HERMES_CLS_ALU || cls == HERMES_CLS_ALU64) && op == HERMES_ALU_END)
			return i.imm;
		if (cls == HERMES_CLS_STX && (i.opcode & 0xe0) == HERMES_MODE_ATOMIC)
			return i.imm;
		return 0;
	}

	hermes_vm *vm;
	std::vector<uint8_t> prog, data;
};

// Every slot reachable from pc 0 through fall-through, jumps and calls.
std::vector<bool> reachable(const std::vector<hermes_insn> &p)
{
	std::vector<bool> seen(p.size());
	std::vector<size_t> work{ 0 };

	while (!work.empty()) {
		size_t pc = work.back();
		work.pop_back();
		if (pc >= p.size() || seen[pc])
			continue;
		seen[pc] = true;
		const hermes_insn &i = p[pc];
		uint8_t cls = i.opcode & 7, op = i.opcode & 0xf0;

		if (i.opcode == HERMES_OP_LDDW) {
			seen[pc + 1] = true;
			work.push_back(pc + 2);
			continue;
		}
		if (cls == HERMES_CLS_JMP || cls == HERMES_CLS_JMP32) {
			if (op == HERMES_JMP_EXIT)
				continue;
			if (op == HERMES_JMP_CALL) {
				work.push_back(pc + 1 + i.imm);
				work.push_back(pc + 1);
				continue;
			}
			if (op == HERMES_JMP_JA) {
				work.push_back(pc + 1 + (cls == HERMES_CLS_JMP32 ? i.imm : i.off));
				continue;
			}
			work.push_back(pc + 1 + i.off);
		}
		work.push_back(pc + 1);
	}
	return seen;
}

TEST(Gen, SameSeedSameProgram)
{
	hermes_gen_opts o = opts(HERMES_GEN_ALL, 100);

	for (uint64_t seed = 0; seed < 50; seed++)
		EXPECT_TRUE(same(gen(o, seed), gen(o, seed))) << "seed " << seed;
}

TEST(Gen, DifferentSeedsDifferentPrograms)
{
	hermes_gen_opts o = opts(HERMES_GEN_KERNEL_SAFE);
	std::set<std::string> texts;

	for (uint64_t seed = 0; seed < 100; seed++)
		texts.insert(listing(gen(o, seed)));
	EXPECT_EQ(texts.size(), 100u);
}

TEST(Gen, Fold32OnlyChangesTheEpilogue)
{
	hermes_gen_opts o = opts(HERMES_GEN_KERNEL_SAFE);

	for (uint64_t seed = 0; seed < 20; seed++) {
		auto plain = gen(o, seed);
		o.flags = HERMES_GEN_FOLD32;
		auto folded = gen(o, seed);
		o.flags = 0;
		ASSERT_EQ(folded.size(), plain.size() + 3) << "seed " << seed;
		EXPECT_EQ(memcmp(plain.data(), folded.data(), (plain.size() - 1) * 8), 0) << "seed " << seed;
	}
}

TEST(Gen, RejectsBadOptions)
{
	std::vector<hermes_insn> p(kMaxSlots);
	size_t n;
	hermes_gen_opts o = opts(HERMES_GEN_ALU64);

	EXPECT_EQ(hermes_gen_program(nullptr, 1, p.data(), p.size(), &n), 0) << "NULL opts: defaults";
	o.stack_bytes = 12;
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), -EINVAL) << "stack_bytes % 8";
	o.stack_bytes = 520;
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), -EINVAL) << "stack_bytes > 512";
	o = opts(1u << 30);
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), -EINVAL) << "unknown class";
	o = opts(HERMES_GEN_ALU64);
	o.flags = 1u << 7;
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), -EINVAL) << "unknown flag";
	o = opts(HERMES_GEN_ALU64);
	o.sz = 0;
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), -EINVAL) << "sz not set";
	o = opts(HERMES_GEN_ALU64, 200);
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), 50, &n), -ENOSPC) << "too few slots";
	EXPECT_EQ(hermes_gen_program(&o, 1, nullptr, 50, &n), -EINVAL);
}

// Class mixes: each class alone (with what it needs), kernel-safe, everything.
const unsigned kMixes[] = {
	HERMES_GEN_ALU32,
	HERMES_GEN_ALU64,
	HERMES_GEN_ALU64 | HERMES_GEN_JMP,
	HERMES_GEN_ALU32 | HERMES_GEN_JMP32,
	HERMES_GEN_ALU64 | HERMES_GEN_LDDW,
	HERMES_GEN_ALU64 | HERMES_GEN_STACK,
	HERMES_GEN_ALU64 | HERMES_GEN_ATOMIC | HERMES_GEN_ATOMIC_FETCH,
	HERMES_GEN_ALU64 | HERMES_GEN_LOOP | HERMES_GEN_JMP,
	HERMES_GEN_ALU64 | HERMES_GEN_DATA | HERMES_GEN_ATOMIC_FETCH,
	HERMES_GEN_ALU64 | HERMES_GEN_CALL | HERMES_GEN_STACK,
	HERMES_GEN_KERNEL_SAFE,
	HERMES_GEN_KERNEL_SAFE | HERMES_GEN_CALL,
	HERMES_GEN_ALL,
	HERMES_GEN_ALU64 | HERMES_GEN_STACK | HERMES_GEN_JMP | HERMES_GEN_OVERLAP,
	HERMES_GEN_ALL | HERMES_GEN_OVERLAP,
};

TEST(Gen, ProgramsTerminateWithoutFaultAndEveryInstructionIsReachable)
{
	Vm vm;

	for (unsigned mix : kMixes) {
		for (uint64_t seed = 0; seed < 300; seed++) {
			hermes_gen_opts o = opts(mix, 1 + seed % 150);
			o.stack_bytes = 8 * (1 + seed % 64);
			auto p = gen(o, seed);
			ASSERT_FALSE(p.empty());
			hermes_vm_status st = vm.run(p, seed);
			ASSERT_TRUE(st.done);
			ASSERT_EQ(st.fault, 0u) << "classes 0x" << std::hex << mix << std::dec << " seed " << seed
						<< ": fault " << st.fault << " (" << hermes_fault_str(st.fault)
						<< ") at pc " << st.fault_pc << "\n" << listing(p);
			auto r = reachable(p);
			for (size_t pc = 0; pc < p.size(); pc++)
				ASSERT_TRUE(r[pc]) << "classes 0x" << std::hex << mix << std::dec << " seed " << seed
						   << ": slot " << pc << " unreachable\n" << listing(p);
			EXPECT_EQ(p.back().opcode, HERMES_CLS_JMP | HERMES_JMP_EXIT);
		}
	}
}

TEST(Gen, KernelSafeProgramsDoNotDependOnR2OrTheData)
{
	// The kernel passes a context pointer in r1 (and nothing defined in r2);
	// a kernel-safe program's result must not depend on r2 or the data slot.
	Vm vm;
	hermes_gen_opts o = opts(HERMES_GEN_KERNEL_SAFE | HERMES_GEN_CALL, 100);

	for (uint64_t seed = 0; seed < 300; seed++) {
		auto p = gen(o, seed);
		hermes_vm_status a = vm.run(p, 1);
		hermes_vm_status b = vm.run(p, 2, nullptr, 64); // other data, other r2
		ASSERT_EQ(a.fault, 0u);
		EXPECT_EQ(a.r0, b.r0) << "seed " << seed << "\n" << listing(p);
	}
}

TEST(Gen, SharedOptionsAreChecked)
{
	std::vector<hermes_insn> p(kMaxSlots);
	size_t n;
	hermes_gen_opts o = opts(HERMES_GEN_ALU64 | HERMES_GEN_SHARED);

	o.data_offset = 256;
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), -EINVAL) << "SHARED needs DATA";
	o = opts(HERMES_GEN_ALL | HERMES_GEN_SHARED);
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), -EINVAL) << "window over the shared area";
	o.data_offset = HERMES_GEN_SHARED_BYTES;
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), 0);
	o.data_offset = 32769;
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), -EINVAL) << "out of a 16-bit offset";
	o.data_offset = 32768;
	o.data_bytes = 32513;
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), -EINVAL) << "records out of reach";
	o.data_bytes = 32512;
	EXPECT_EQ(hermes_gen_program(&o, 1, p.data(), p.size(), &n), 0);
}

// HERMES_GEN_SHARED: the shared area is touched only by the order-free
// operation of each word (gen.h), a fetched value is overwritten before
// anything reads it (a ticket is first stored into a record), records are
// written only by those stores, and the programs run on the reference VM.
TEST(Gen, SharedAreaTakesOnlyOrderFreeAtomics)
{
	const int32_t word_op[4] = { HERMES_ATOMIC_ADD, HERMES_ATOMIC_OR, HERMES_ATOMIC_AND, HERMES_ATOMIC_XOR };
	const int window = 256, base = 1024;
	Vm vm;
	unsigned shared = 0, tickets = 0;

	for (uint64_t seed = 0; seed < 300; seed++) {
		hermes_gen_opts o = opts(HERMES_GEN_ALL | HERMES_GEN_SHARED | (seed % 2 ? HERMES_GEN_OVERLAP : 0),
					 1 + seed % 150);
		o.data_bytes = window;
		o.data_offset = base;
		auto p = gen(o, seed);
		ASSERT_FALSE(p.empty());
		for (size_t pc = 0; pc < p.size(); pc++) {
			const hermes_insn &i = p[pc];
			uint8_t cls = i.opcode & 7, mode = i.opcode & 0xe0;
			bool mem = cls == HERMES_CLS_ST || cls == HERMES_CLS_STX || cls == HERMES_CLS_LDX;
			unsigned reg = cls == HERMES_CLS_LDX ? hermes_insn_src(&i) : hermes_insn_dst(&i);
			if (!mem || reg != 9)
				continue;
			int at = base + i.off;
			std::string where = "seed " + std::to_string(seed) + " pc " + std::to_string(pc);
			if (at >= base && at < base + window)
				continue;
			if (at >= base + window) {
				EXPECT_TRUE(at < base + window + 128 && at % 8 == 0 &&
					    i.opcode == (HERMES_CLS_STX | HERMES_MODE_MEM | HERMES_SZ_DW))
					<< where << ": only a ticket's store reaches the records";
				EXPECT_TRUE(pc > 0 && (p[pc - 1].imm & HERMES_ATOMIC_FETCH) && hermes_insn_src(&p[pc - 1]) == hermes_insn_src(&i) &&
					    p[pc - 1].off == 8 * (int)HERMES_GEN_SHARED_TICKET - base)
					<< where << ": a record holds the ticket just taken";
				continue;
			}
			ASSERT_GE(at, 0) << where;
			ASSERT_EQ(mode, HERMES_MODE_ATOMIC) << where << ": the shared area takes atomics only";
			ASSERT_EQ(at % 8, 0) << where;
			unsigned w = (unsigned)at / 8;
			int32_t op = i.imm & ~HERMES_ATOMIC_FETCH;
			shared++;
			if (w == HERMES_GEN_SHARED_TICKET) {
				EXPECT_EQ(i.opcode & 0x18, HERMES_SZ_DW) << where;
				EXPECT_EQ(i.imm, HERMES_ATOMIC_ADD | HERMES_ATOMIC_FETCH) << where;
				ASSERT_LT(pc + 2, p.size());
				EXPECT_EQ(p[pc + 1].opcode, HERMES_CLS_STX | HERMES_MODE_MEM | HERMES_SZ_DW) << where;
				EXPECT_EQ(p[pc + 2].opcode, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_K) << where;
				EXPECT_EQ(hermes_insn_dst(&p[pc + 2]), hermes_insn_src(&i)) << where << ": the ticket is overwritten after its store";
				tickets++;
				continue;
			}
			EXPECT_EQ(i.opcode & 0x18, w < 8 ? HERMES_SZ_DW : HERMES_SZ_W) << where;
			EXPECT_EQ(op, word_op[w % 4]) << where << ": word " << w << " takes one operation";
			if (i.imm & HERMES_ATOMIC_FETCH) {
				ASSERT_LT(pc + 1, p.size());
				EXPECT_EQ(p[pc + 1].opcode, HERMES_CLS_ALU64 | HERMES_ALU_MOV | HERMES_SRC_K) << where;
				EXPECT_EQ(hermes_insn_dst(&p[pc + 1]), hermes_insn_src(&i)) << where << ": the fetched value is overwritten at once";
			}
		}
		hermes_vm_status st = vm.run(p, seed, nullptr, base + window + 128);
		ASSERT_TRUE(st.done);
		EXPECT_EQ(st.fault, 0u) << "seed " << seed << ": fault " << hermes_fault_str(st.fault) << "\n"
				       << listing(p);
	}
	EXPECT_GT(shared, 500u) << "the class is drawn often enough";
	EXPECT_GT(tickets, 50u);
}

TEST(Gen, AllGeneratedVariantsRun)
{
	// Over a few hundred programs with every class, each instruction
	// variant the generator can produce is executed at least once.
	Vm vm;
	std::set<std::pair<uint8_t, int32_t>> seen;
	hermes_gen_opts o = opts(HERMES_GEN_ALL, 120);

	for (uint64_t seed = 0; seed < 400; seed++)
		vm.run(gen(o, seed), seed, &seen);

	std::vector<std::pair<uint8_t, int32_t>> want;
	for (uint8_t cls : { HERMES_CLS_ALU, HERMES_CLS_ALU64 }) {
		for (uint8_t op : { 0x00, 0x10, 0x20, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0 })
			for (uint8_t x : { 0x00, 0x08 })
				want.push_back({ (uint8_t)(cls | op | x), 0 });
		for (uint8_t op : { 0x30, 0x90 })
			for (uint8_t x : { 0x00, 0x08 })
				for (int32_t off : { 0, 1 })
					want.push_back({ (uint8_t)(cls | op | x), off });
		want.push_back({ (uint8_t)(cls | 0x80), 0 });
		for (int32_t off : { 8, 16 })
			want.push_back({ (uint8_t)(cls | 0xb8), off });
	}
	want.push_back({ 0xbf, 32 });
	for (int32_t w : { 16, 32, 64 }) {
		want.push_back({ 0xd4, w });
		want.push_back({ 0xdc, w });
		want.push_back({ 0xd7, w });
	}
	for (uint8_t cls : { HERMES_CLS_JMP, HERMES_CLS_JMP32 }) {
		want.push_back({ (uint8_t)(cls | 0x00), 0 });
		for (uint8_t op : { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0 })
			for (uint8_t x : { 0x00, 0x08 })
				want.push_back({ (uint8_t)(cls | op | x), 0 });
	}
	want.push_back({ 0x85, 0 }); // call local (variant 0: imm is not keyed)
	want.push_back({ 0x18, 0 });
	for (uint8_t op : { 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63,
			    0x6b, 0x73, 0x7b })
		want.push_back({ op, 0 });
	for (uint8_t op : { 0xc3, 0xdb })
		for (int32_t imm : { 0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1 })
			want.push_back({ op, imm });
	for (auto &w : want)
		EXPECT_TRUE(seen.count(w)) << "opcode 0x" << std::hex << (int)w.first << " variant "
					   << std::dec << w.second << " never executed";
}

} // namespace
