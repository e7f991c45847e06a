// SPDX-License-Identifier: MIT
// hermes_engine against the reference VM on random programs from
// host/src/gen.h: every retire record, the end status and memory must
// match, under varying memory latency and stalls.
#include <cstring>

#include <gtest/gtest.h>

#include "engine_tb.h"
#include "gen.h"

using namespace core_tb;

namespace {

EngineTb &tb()
{
	static EngineTb t;
	return t;
}

std::vector<uint64_t> to_raw(const hermes_insn *in, size_t n)
{
	std::vector<uint64_t> w(n);
	for (size_t i = 0; i < n; i++)
		w[i] = (uint64_t)in[i].opcode | (uint64_t)in[i].regs << 8 |
		       (uint64_t)(uint16_t)in[i].off << 16 | (uint64_t)(uint32_t)in[i].imm << 32;
	return w;
}

void run_seeds(unsigned classes, unsigned insns, uint64_t first, unsigned count, bool vary_mem)
{
	std::vector<hermes_insn> buf(4 * insns + 512);
	for (uint64_t seed = first; seed < first + count; seed++) {
		hermes_gen_opts o{};
		o.sz = sizeof(o);
		o.insns = insns;
		o.classes = classes;
		o.flags = (seed & 1) ? HERMES_GEN_FOLD32 : 0;
		size_t n = 0;
		ASSERT_EQ(hermes_gen_program(&o, seed, buf.data(), buf.size(), &n), 0) << "seed " << seed;
		std::vector<uint64_t> code = to_raw(buf.data(), n);
		tb().fill_data(seed % kDataSlots, seed * 7919, 65536 + 64);
		if (vary_mem)
			tb().mem = MemCfg{ 1 + (unsigned)(seed % 3), 1 + (unsigned)(seed % 7), (seed % 5) * 0.1, seed };
		else
			tb().mem = MemCfg();
		RunOpts ro;
		ro.prog_slot = (unsigned)(seed % kProgSlots);
		ro.data_slot = (unsigned)(seed % kDataSlots);
		ro.data_len = 65536;
		LockstepResult lr;
		ASSERT_TRUE(lockstep(tb(), code, ro, &lr)) << "seed " << seed << " classes 0x" << std::hex
							  << classes << std::dec << " (" << n << " slots)";
		ASSERT_EQ(lr.rtl.fault, 0u) << "seed " << seed << ": generated programs end with exit";
	}
	tb().mem = MemCfg();
}

}  // namespace

TEST(CoreLockstep, RandomAlu)
{
	run_seeds(HERMES_GEN_ALU32 | HERMES_GEN_ALU64 | HERMES_GEN_LDDW, 200, 1, 150, false);
}

TEST(CoreLockstep, RandomJumpsAndLoops)
{
	run_seeds(HERMES_GEN_ALU32 | HERMES_GEN_ALU64 | HERMES_GEN_JMP | HERMES_GEN_JMP32 | HERMES_GEN_LOOP,
		  200, 1000, 150, false);
}

TEST(CoreLockstep, RandomStackAndAtomics)
{
	run_seeds(HERMES_GEN_ALU64 | HERMES_GEN_STACK | HERMES_GEN_ATOMIC | HERMES_GEN_JMP, 200, 2000,
		  150, false);
}

TEST(CoreLockstep, RandomDataSlotWithLatency)
{
	run_seeds(HERMES_GEN_ALU64 | HERMES_GEN_DATA | HERMES_GEN_ATOMIC | HERMES_GEN_LOOP, 200, 3000,
		  150, true);
}

TEST(CoreLockstep, RandomCalls)
{
	run_seeds(HERMES_GEN_ALL, 200, 4000, 150, true);
}

// What the pipeline overlaps: loads followed by jumps on their value,
// mispredicted backward jumps, stores before jumps, calls inside loops.
TEST(CoreLockstep, RandomOverlap)
{
	run_seeds(HERMES_GEN_ALL | HERMES_GEN_OVERLAP, 400, 6000, 150, true);
}

TEST(CoreLockstep, RandomEverythingLong)
{
	run_seeds(HERMES_GEN_ALL, 1500, 5000, 40, true);
}
