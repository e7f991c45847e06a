// SPDX-License-Identifier: MIT
// The multiplier (rtl/core/hermes_multiplier.sv) on its own, assertions on,
// against the C product: (uint64_t)a * b for 64-bit operations and
// (uint32_t)a * (uint32_t)b zero-extended for 32-bit ones (random high
// halves, which must not matter). Every operation also checks the
// protocol: the result the clock after start_i, a start every clock
// allowed (the engine starts a mul as it leaves EX), the result held
// while start_i is low whatever the inputs do.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "Vhermes_multiplier.h"
#include "verilated.h"

namespace {

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
		m.eval();
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

	// One operation: start, check the next clock, then (with noise) hold
	// a few clocks with other inputs and start_i low.
	void run(uint64_t a, uint64_t b, bool is64, bool noise = true)
	{
		m.a_i = a;
		m.b_i = b;
		m.is64_i = is64;
		m.start_i = 1;
		tick();
		m.start_i = 0;
		const uint64_t want = expected(a, b, is64);
		ASSERT_EQ(m.result_o, want) << std::hex << "a 0x" << a << " b 0x" << b << " is64 " << is64;
		unsigned hold = noise ? rng() % 3 : 0;
		for (unsigned c = 0; c < hold; c++) {
			scramble_inputs();
			tick();
			ASSERT_EQ(m.result_o, want) << "result changed without a start";
		}
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

// A start every clock, as back-to-back muls leave EX: each result the
// clock after its own start, whatever came before.
TEST_F(MultiplierRtl, StartEveryClock)
{
	for (unsigned i = 0; i < 100000 && !HasFatalFailure(); i++) {
		const uint64_t a = operand(), b = operand();
		const bool is64 = rng() & 1;
		m.a_i = a;
		m.b_i = b;
		m.is64_i = is64;
		m.start_i = 1;
		tick();
		ASSERT_EQ(m.result_o, expected(a, b, is64)) << "start " << i;
	}
	m.start_i = 0;
}

} // namespace
