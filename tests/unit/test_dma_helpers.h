// SPDX-License-Identifier: MIT
// Shared fixture of the DMA tests: a simulated card opened through
// libhermes, with its XDMA driver and raw BAR2 access.
#ifndef HERMES_TEST_DMA_HELPERS_H
#define HERMES_TEST_DMA_HELPERS_H

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "dev.h"
#include "hermes/hermes.h"
#include "hermes_sim.h"
#include "xdma_drv.h"

namespace dma_test {

constexpr uint64_t kBar4 = HERMES_DEFAULT_PROG_SLOTS * uint64_t(HERMES_DEFAULT_PROG_SLOT_SIZE) + HERMES_DEFAULT_QUEUE_BYTES +
			   HERMES_DEFAULT_DATA_SLOTS * uint64_t(HERMES_DEFAULT_DATA_SLOT_SIZE) +
			   HERMES_DEFAULT_PROG_SLOTS * uint64_t(HERMES_DEFAULT_MAP_SLOT_SIZE);

inline std::vector<uint8_t> pattern(size_t n, uint32_t seed)
{
	std::vector<uint8_t> v(n);
	std::mt19937 rng(seed);
	for (auto &b : v)
		b = static_cast<uint8_t>(rng());
	return v;
}

// Index of the first differing byte, or -1.
inline long first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return static_cast<long>(i);
	return -1;
}


class Dma : public ::testing::Test {
protected:
	void open(const char *uri = "sim")
	{
		ASSERT_EQ(hermes_dev_open(uri, &dev), 0) << hermes_dev_errmsg(nullptr);
		ASSERT_EQ(hermes__bus_sim_xdma(dev->bus, &x, nullptr), 0);
	}
	void SetUp() override { open(uri); }
	void TearDown() override { hermes_dev_close(dev); }

	// The device SetUp opens; a fixture that looks at the card's answers
	// to BAR writes sets "sim:cost=zero" (a posted write's answer is lost).
	const char *uri = "sim";

	uint32_t ctl(uint32_t off)
	{
		uint32_t v = 0xdeadbeef;
		EXPECT_EQ(dev->bus->ops->ctl_read32(dev->bus, off, &v), 0)
			<< "BAR2 read 0x" << std::hex << off << ": " << hermes_dev_errmsg(dev);
		return v;
	}
	void ctl_w(uint32_t off, uint32_t v)
	{
		EXPECT_EQ(dev->bus->ops->ctl_write32(dev->bus, off, v), 0)
			<< "BAR2 write 0x" << std::hex << off << ": " << hermes_dev_errmsg(dev);
	}
	int to_card(uint64_t addr, const void *buf, size_t len)
	{
		return dev->bus->ops->dma_to_card(dev->bus, addr, buf, len);
	}
	int from_card(uint64_t addr, void *buf, size_t len)
	{
		return dev->bus->ops->dma_from_card(dev->bus, addr, buf, len);
	}
	hermes_xdma_stats last()
	{
		hermes_xdma_stats st{};
		hermes__bus_sim_xdma(dev->bus, nullptr, &st);
		return st;
	}
	void set_desc_bytes(size_t n, uint64_t timeout = 0)
	{
		hermes_xdma_opts o{};
		o.sz = sizeof(o);
		o.max_desc_bytes = n;
		o.timeout_cycles = timeout;
		o.perf = 1; // the tests look at the performance counters too
		ASSERT_EQ(hermes_xdma_set_opts(x, &o), 0) << hermes_dev_errmsg(dev);
	}

	// Fill [card - guard, card + len + guard) with a background, DMA data
	// into the middle from a host buffer at offset ho_w (mod 64), read the
	// whole span back into a buffer at offset ho_r: the data inside, the
	// background outside, byte for byte.
	void round_trip(uint64_t card, size_t len, unsigned ho_w, unsigned ho_r, uint32_t seed,
			size_t guard = 80)
	{
		uint64_t lo = card >= guard ? card - guard : 0;
		uint64_t hi = card + len + guard <= kBar4 ? card + len + guard : kBar4;
		size_t span = static_cast<size_t>(hi - lo);
		std::vector<uint8_t> bg = pattern(span, seed ^ 0x5a5a5a5a);
		std::vector<uint8_t> data = pattern(len + 64, seed);
		std::vector<uint8_t> back(span + 64, 0xee);

		ASSERT_EQ(to_card(lo, bg.data(), span), 0) << hermes_dev_errmsg(dev);
		ASSERT_EQ(to_card(card, data.data() + ho_w, len), 0)
			<< "H2C of " << len << " bytes to 0x" << std::hex << card << ": " << hermes_dev_errmsg(dev);
		ASSERT_EQ(from_card(lo, back.data() + ho_r, span), 0)
			<< "C2H of " << span << " bytes from 0x" << std::hex << lo << ": " << hermes_dev_errmsg(dev);
		const uint8_t *b = back.data() + ho_r;
		size_t pre = static_cast<size_t>(card - lo);
		long d = first_diff(b, bg.data(), pre);
		EXPECT_EQ(d, -1) << "a byte before the target changed at card 0x" << std::hex << lo + d;
		d = first_diff(b + pre, data.data() + ho_w, len);
		EXPECT_EQ(d, -1) << "len " << std::dec << len << " card 0x" << std::hex << card
				 << " host offsets " << std::dec << ho_w << "/" << ho_r
				 << ": first difference at byte " << d << " (got 0x" << std::hex
				 << unsigned(d >= 0 ? b[pre + d] : 0) << ", want 0x"
				 << unsigned(d >= 0 ? data[ho_w + d] : 0) << ")";
		d = first_diff(b + pre + len, bg.data() + pre + len, span - pre - len);
		EXPECT_EQ(d, -1) << "a byte after the target changed at card 0x" << std::hex << card + len + d;
	}

	hermes_dev *dev = nullptr;
	hermes_xdma *x = nullptr;
};

// The same card with its geometry and the model behind it, for tests that
// work with slots (card reset, the scrubber).
class DmaCard : public Dma {
protected:
	void SetUp() override
	{
		Dma::SetUp();
		ASSERT_EQ(hermes_dev_info(dev, &info), 0) << hermes_dev_errmsg(dev);
		sim = hermes__dev_sim(dev);
		ASSERT_NE(sim, nullptr);
	}
	uint64_t prog_addr(unsigned s) const { return info.prog_slot_off + uint64_t(s) * info.prog_slot_size; }
	uint64_t data_addr(unsigned s) const { return info.data_slot_off + uint64_t(s) * info.data_slot_size; }

	struct hermes_info info {};
	struct hermes_sim *sim = nullptr;
};

} // namespace dma_test

#endif
