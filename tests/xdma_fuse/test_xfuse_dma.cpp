// SPDX-License-Identifier: MIT
// DMA round trips through libhermes' xdma backend (bus_xdma: pwrite/pread
// on h2c_0/c2h_0 with short-transfer handling) on an xdma-fuse mount: the
// same cases tests/unit/test_dma.cpp runs in-process, checked byte for
// byte with a background around the target. The fixture owns every slot
// (OwnAllSlots) so that no background scrub of a released slot zeroes the
// memory under test.
#include <memory>
#include <random>

#include "dev.h"
#include "xfuse_helpers.h"

using namespace xfuse;

namespace {

constexpr uint64_t kBar4 = HERMES_DEFAULT_PROG_SLOTS * uint64_t(HERMES_DEFAULT_PROG_SLOT_SIZE) + HERMES_DEFAULT_QUEUE_BYTES +
			   HERMES_DEFAULT_DATA_SLOTS * uint64_t(HERMES_DEFAULT_DATA_SLOT_SIZE) +
			   HERMES_DEFAULT_PROG_SLOTS * uint64_t(HERMES_DEFAULT_MAP_SLOT_SIZE);

long first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return long(i);
	return -1;
}

class XDma : public ::testing::Test {
protected:
	void SetUp() override
	{
		XFUSE_NEED_MOUNT();
		ASSERT_EQ(hermes_dev_open(device().c_str(), &dev), 0) << hermes_dev_errmsg(nullptr);
		ASSERT_STREQ(hermes_dev_kind(dev), "xdma");
		own.reset(new OwnAllSlots);
		ASSERT_TRUE(own->all()) << "could not allocate every slot: " << strerror(-own->err);
	}
	void TearDown() override
	{
		own.reset();
		hermes_dev_close(dev);
	}
	std::unique_ptr<OwnAllSlots> own;

	int to_card(uint64_t a, const void *b, size_t n) { return dev->bus->ops->dma_to_card(dev->bus, a, b, n); }
	int from_card(uint64_t a, void *b, size_t n) { return dev->bus->ops->dma_from_card(dev->bus, a, b, n); }

	// Background over [card - guard, card + len + guard), data in the middle
	// from a host buffer at offset ho_w, read back at offset ho_r.
	void round_trip(uint64_t card, size_t len, unsigned ho_w, unsigned ho_r, uint32_t seed, size_t guard = 80)
	{
		uint64_t lo = card >= guard ? card - guard : 0;
		uint64_t hi = card + len + guard <= kBar4 ? card + len + guard : kBar4;
		size_t span = size_t(hi - lo), pre = size_t(card - lo);
		std::vector<uint8_t> bg = pattern(span, seed ^ 0x5a5a5a5a);
		std::vector<uint8_t> data = pattern(len + 64, seed);
		std::vector<uint8_t> back(span + 64, 0xee);

		ASSERT_EQ(to_card(lo, bg.data(), span), 0) << hermes_dev_errmsg(dev);
		ASSERT_EQ(to_card(card, data.data() + ho_w, len), 0)
			<< "H2C of " << len << " bytes to 0x" << std::hex << card << ": " << hermes_dev_errmsg(dev);
		ASSERT_EQ(from_card(lo, back.data() + ho_r, span), 0)
			<< "C2H of " << span << " bytes from 0x" << std::hex << lo << ": " << hermes_dev_errmsg(dev);
		const uint8_t *b = back.data() + ho_r;
		long d = first_diff(b, bg.data(), pre);
		EXPECT_EQ(d, -1) << "a byte before the target changed at card 0x" << std::hex << lo + d << ": got 0x"
				 << unsigned(d >= 0 ? b[d] : 0) << ", want 0x" << unsigned(d >= 0 ? bg[d] : 0);
		d = first_diff(b + pre, data.data() + ho_w, len);
		EXPECT_EQ(d, -1) << "len " << std::dec << len << " card 0x" << std::hex << card << " host offsets "
				 << std::dec << ho_w << "/" << ho_r << ": first difference at byte " << d << " (got 0x"
				 << std::hex << unsigned(d >= 0 ? b[pre + d] : 0) << ", want 0x"
				 << unsigned(d >= 0 ? data[ho_w + d] : 0) << ")";
		d = first_diff(b + pre + len, bg.data() + pre + len, span - pre - len);
		EXPECT_EQ(d, -1) << "a byte after the target changed at card 0x" << std::hex << card + len + d;
	}
	hermes_dev *dev = nullptr;
};

TEST_F(XDma, SmallSizesAtEveryAlignment)
{
	unsigned seed = 1;
	for (size_t len : { 1, 2, 3, 7, 63, 64, 65, 129 })
		for (unsigned a = 0; a < 64; a += 7)
			round_trip(0x100000 + 4096 + a, len, (a * 3) % 64, (a * 5) % 64, seed++);
}

TEST_F(XDma, RandomSizesAndAlignmentsUpToSeveralMiB)
{
	std::mt19937 rng(2024);
	for (unsigned i = 0; i < 12; i++) {
		size_t len = i < 8 ? 1 + rng() % 70000 : 1 + rng() % (3u << 20);
		uint64_t card = rng() % (kBar4 - len);
		round_trip(card, len, rng() % 64, rng() % 64, 100 + i);
	}
}

TEST_F(XDma, ZeroLengthMovesNothing)
{
	uint8_t b[16];
	memset(b, 0x33, sizeof(b));
	EXPECT_EQ(to_card(0x200000, b, 0), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(from_card(0x200000, b, 0), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(b[0], 0x33);
}

TEST_F(XDma, TransfersSpanSlotBoundaries)
{
	// Last program slot into the first data slot, and across two data slots.
	round_trip(HERMES_DEFAULT_PROG_SLOTS * uint64_t(HERMES_DEFAULT_PROG_SLOT_SIZE) - 100, 300, 3, 9, 7);
	round_trip(0x100000 + HERMES_DEFAULT_DATA_SLOT_SIZE - 5000, 20000, 11, 0, 8);
}

TEST_F(XDma, WholeBar4InOneTransferEachWay)
{
	std::vector<uint8_t> all = pattern(kBar4, 31), back(kBar4, 0);
	ASSERT_EQ(to_card(0, all.data(), all.size()), 0) << hermes_dev_errmsg(dev);
	ASSERT_EQ(from_card(0, back.data(), back.size()), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(first_diff(all.data(), back.data(), all.size()), -1);
}

TEST_F(XDma, OutsideBar4IsAnErrorNamingTheNode)
{
	uint8_t b[256] = {};
	EXPECT_EQ(to_card(kBar4 - 16, b, sizeof(b)), -EFAULT);
	EXPECT_NE(std::string(hermes_dev_errmsg(dev)).find(node("h2c_0")), std::string::npos)
		<< hermes_dev_errmsg(dev);
	EXPECT_EQ(from_card(kBar4 + 4096, b, sizeof(b)), -EFAULT);
	EXPECT_NE(std::string(hermes_dev_errmsg(dev)).find(node("c2h_0")), std::string::npos)
		<< hermes_dev_errmsg(dev);
}

TEST_F(XDma, InfoFindsTheChannelsThroughTheControlNode)
{
	hermes_info info{};
	ASSERT_EQ(hermes_dev_info(dev, &info), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(info.engines, 4u);
	EXPECT_EQ(info.h2c_channels, 1u);
	EXPECT_EQ(info.c2h_channels, 1u);
}

TEST(XDmaOpen, MissingNodesAreNamed)
{
	hermes_dev *dev = nullptr;
	EXPECT_EQ(hermes_dev_open("xdma:/nonexistent/xdma7", &dev), -ENOENT);
	std::string msg = hermes_dev_errmsg(nullptr);
	EXPECT_NE(msg.find("/nonexistent/xdma7_user"), std::string::npos) << msg;
}

} // namespace
