// SPDX-License-Identifier: MIT
// The multiplier (rtl/core/hermes_multiplier.sv) on its own, assertions on,
// against the C product: (uint64_t)a * b for 64-bit operations and
// (uint32_t)a * (uint32_t)b zero-extended for 32-bit ones (random high
// halves, which must not matter). Every operation also checks the
// protocol: done_o exactly kLatency clocks after start_i, the result held
// while done, start_i ignored while busy, clear_i back to idle.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "Vhermes_multiplier.h"
#include "verilated.h"

namespace {

constexpr unsigned kLatency = 1;

uint64_t expected(uint64_t a, uint64_t b, bool is64)
{
	if (is64)
		return a * b;
	return (uint32_t)((uint32_t)a * (uint32_t)b);
}

class MultiplierRtl : public ::testing::Test {
protected:
	Vhermes_multiplier m;
	std::mt19937_64 rng{42};
	uint64_t ops = 0;

	void SetUp() override
	{
		m.clk_i = 0;
		m.start_i = 0;
		m.clear_i = 0;
		m.rst_ni = 0;
		m.eval();
		m.rst_ni = 1;
		m.eval();
		ASSERT_TRUE(m.idle_o);
		ASSERT_FALSE(m.done_o);
	}

	void tick()
	{
		m.clk_i = 1;
		m.eval();
		m.clk_i = 0;
		m.eval();
	}

	// Inputs a caller might leave on the bus while it does not start.
	void scramble_inputs()
	{
		m.a_i = rng();
		m.b_i = rng();
		m.is64_i = rng() & 1;
	}

	// One operation: start, wait kLatency clocks (with noise on the inputs,
	// sometimes a start_i the busy unit must ignore), check, hold a few
	// clocks, clear.
	void run(uint64_t a, uint64_t b, bool is64, bool noise = true)
	{
		ASSERT_TRUE(m.idle_o);
		ASSERT_FALSE(m.done_o);
		m.a_i = a;
		m.b_i = b;
		m.is64_i = is64;
		m.start_i = 1;
		tick();
		m.start_i = 0;
		const uint64_t want = expected(a, b, is64);
		for (unsigned c = 1; c < kLatency; c++) {
			ASSERT_FALSE(m.idle_o) << "clock " << c << " after start";
			ASSERT_FALSE(m.done_o) << "clock " << c << " after start";
			if (noise) {
				scramble_inputs();
				m.start_i = rng() & 1;
			}
			tick();
			m.start_i = 0;
		}
		ASSERT_TRUE(m.done_o) << "not done " << kLatency << " clocks after start";
		ASSERT_FALSE(m.idle_o);
		ASSERT_EQ(m.result_o, want) << std::hex << "a 0x" << a << " b 0x" << b << " is64 " << is64;
		unsigned hold = noise ? rng() % 3 : 0;
		for (unsigned c = 0; c < hold; c++) {
			scramble_inputs();
			m.start_i = rng() & 1;
			tick();
			m.start_i = 0;
			ASSERT_TRUE(m.done_o);
			ASSERT_EQ(m.result_o, want) << "result changed while done";
		}
		m.clear_i = 1;
		tick();
		m.clear_i = 0;
		ASSERT_TRUE(m.idle_o);
		ASSERT_FALSE(m.done_o);
		ops++;
	}

	// A random operand: uniform, or built 8 bits at a time from all-zero,
	// all-one and random bytes (long carries between the DSP chunks), or
	// small, or one bit.
	uint64_t operand()
	{
		switch (rng() % 4) {
		case 0:
			return rng();
		case 1: {
			uint64_t v = 0;
			for (unsigned i = 0; i < 64; i += 8) {
				unsigned k = rng() % 3;
				uint64_t byte = k == 0 ? 0 : k == 1 ? 0xff : rng() & 0xff;
				v |= byte << i;
			}
			return v;
		}
		case 2:
			return rng() >> (rng() % 64);
		default:
			return uint64_t(1) << (rng() % 64);
		}
	}

	// 100,000 operations on random operands of one width.
	void random_runs(bool is64)
	{
		for (unsigned i = 0; i < 100000 && !HasFatalFailure(); i++) {
			const uint64_t a = operand(), b = operand();
			run(a, b, is64);
		}
	}
};

// 0, 1, -1, INT64_MIN/MAX, INT32_MIN/MAX (and sign-extended), powers of
// two, and around every chunk boundary of the multiplier (a: 21, 47; b:
// 17, 30, 47) values of all ones below it, a single bit at it, all ones
// above it.
std::vector<uint64_t> corner_values()
{
	std::vector<uint64_t> v = {0, 1, ~uint64_t(0), 2, 3, 0x8000000000000000, 0x7fffffffffffffff,
				   0x80000000, 0xffffffff80000000, 0x7fffffff, 0xffffffff, 0x100000000,
				   0xffffffff00000000, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa,
				   0x0123456789abcdef, 0xfedcba9876543210};
	for (unsigned k = 0; k < 64; k++)
		v.push_back(uint64_t(1) << k);
	for (unsigned k : {13u, 16u, 17u, 21u, 30u, 32u, 34u, 38u, 47u, 48u, 51u}) {
		v.push_back((uint64_t(1) << k) - 1);
		v.push_back(~((uint64_t(1) << k) - 1));
		v.push_back((uint64_t(1) << k) | ((uint64_t(1) << (k - 1)) - 1));
	}
	return v;
}

TEST_F(MultiplierRtl, CornerPairsBothWidths)
{
	const std::vector<uint64_t> v = corner_values();
	for (uint64_t a : v)
		for (uint64_t b : v)
			for (bool is64 : {true, false}) {
				run(a, b, is64, false);
				if (HasFatalFailure())
					return;
			}
	EXPECT_GT(ops, 2 * 100u * 100u);
}

TEST_F(MultiplierRtl, Random64)
{
	random_runs(true);
}

TEST_F(MultiplierRtl, Random32)
{
	random_runs(false);
}

// Operands and width are latched at start: starting again while done
// (or running, were kLatency above 1) changes neither the result nor the
// clock it comes in.
TEST_F(MultiplierRtl, StartWhileBusyIgnored)
{
	for (unsigned i = 0; i < 1000 && !HasFatalFailure(); i++) {
		const uint64_t a = operand(), b = operand();
		const bool is64 = i & 1;
		m.a_i = a;
		m.b_i = b;
		m.is64_i = is64;
		m.start_i = 1;
		tick();
		// start_i stays high, with other operands, every clock until clear.
		for (unsigned c = 1; c < kLatency; c++) {
			ASSERT_FALSE(m.done_o);
			scramble_inputs();
			tick();
		}
		ASSERT_TRUE(m.done_o);
		ASSERT_EQ(m.result_o, expected(a, b, is64));
		for (unsigned c = 0; c < 3; c++) {
			scramble_inputs();
			tick();
			ASSERT_TRUE(m.done_o);
			ASSERT_EQ(m.result_o, expected(a, b, is64));
		}
		m.start_i = 0;
		m.clear_i = 1;
		tick();
		m.clear_i = 0;
		ASSERT_TRUE(m.idle_o);
	}
}

// clear_i ends the operation at any clock after its start (done or not):
// idle the next clock, done_o stays low until the next start, and the next
// operation is right. clear_i wins over a start_i in the same clock.
TEST_F(MultiplierRtl, ClearReturnsToIdle)
{
	for (unsigned i = 0; i < 1000 && !HasFatalFailure(); i++) {
		m.a_i = operand();
		m.b_i = operand();
		m.is64_i = i & 1;
		m.start_i = 1;
		m.clear_i = 1;
		tick();
		ASSERT_TRUE(m.idle_o) << "start_i with clear_i started";
		m.clear_i = 0;
		tick(); // start_i alone: starts
		m.start_i = 0;
		ASSERT_FALSE(m.idle_o);
		const unsigned kill_at = i % (kLatency + 1); // further clocks
		for (unsigned c = 0; c < kill_at; c++)
			tick();
		m.clear_i = 1;
		tick();
		m.clear_i = 0;
		ASSERT_TRUE(m.idle_o);
		for (unsigned c = 0; c < kLatency + 1; c++) {
			tick();
			ASSERT_TRUE(m.idle_o);
			ASSERT_FALSE(m.done_o);
		}
		run(operand(), operand(), i & 2);
	}
}

// Back to back, as the engine would issue them: start the clock after clear.
TEST_F(MultiplierRtl, BackToBack)
{
	uint64_t a = 0x0123456789abcdef, b = 0xfedcba9876543210;
	for (unsigned i = 0; i < 10000 && !HasFatalFailure(); i++) {
		run(a, b, i % 3 != 0, false);
		a = a * 6364136223846793005u + 1442695040888963407u;
		b ^= a >> 7;
	}
}

} // namespace
