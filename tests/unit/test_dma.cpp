// SPDX-License-Identifier: MIT
// DMA through the RTL XDMA channels: round trips of many sizes and
// alignments (byte for byte, with the bytes around the target checked
// untouched), zero length, slot boundaries, long descriptor chains,
// driver options, and the channels reported by hermes_dev_info.
#include "test_dma_helpers.h"

using namespace dma_test;

TEST_F(Dma, SmallSizesAtEveryAlignment)
{
	uint32_t seed = 1;
	for (size_t len : {1, 2, 3, 7, 8, 31, 63, 64, 65, 127, 128, 129, 200})
		for (unsigned co : {0u, 1u, 17u, 63u})
			for (unsigned ho : {0u, 5u, 62u}) {
				SCOPED_TRACE("len " + std::to_string(len) + " card offset " + std::to_string(co) +
					     " host offset " + std::to_string(ho));
				round_trip(0x120000 + 4096 * (seed % 7) + co, len, ho, (ho * 7 + 3) % 64, seed);
				seed++;
				if (HasFatalFailure())
					return;
			}
}

TEST_F(Dma, RandomSizesAndAlignmentsUpToSeveralMiB)
{
	std::mt19937_64 rng(20261123);
	for (int i = 0; i < 14; i++) {
		size_t len;
		switch (i % 4) {
		case 0: len = 1 + rng() % 256; break;
		case 1: len = 1 + rng() % 8192; break;
		case 2: len = 1 + rng() % (256 << 10); break;
		default: len = (1 << 20) + rng() % (3 << 20); break;
		}
		uint64_t card = rng() % (kBar4 - len);
		unsigned hw = rng() % 64, hr = rng() % 64;
		SCOPED_TRACE("iteration " + std::to_string(i));
		round_trip(card, len, hw, hr, static_cast<uint32_t>(rng()));
		if (HasFatalFailure())
			return;
	}
}

TEST_F(Dma, ZeroLengthMovesNothing)
{
	std::vector<uint8_t> a = pattern(256, 7), b(256, 0);
	ASSERT_EQ(to_card(0x1000, a.data(), a.size()), 0) << hermes_dev_errmsg(dev);
	ASSERT_EQ(to_card(0x1010, a.data(), 0), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(last().runs, 0u) << "a zero-length transfer starts no channel";
	ASSERT_EQ(from_card(0x1010, b.data(), 0), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(b[0], 0) << "nothing copied to the host";
	ASSERT_EQ(from_card(0x1000, b.data(), b.size()), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(first_diff(a.data(), b.data(), a.size()), -1);
}

TEST_F(Dma, TransfersSpanSlotBoundaries)
{
	const uint64_t ps = HERMES_DEFAULT_PROG_SLOT_SIZE, ds = HERMES_DEFAULT_DATA_SLOT_SIZE;
	const uint64_t data0 = HERMES_DEFAULT_PROG_SLOTS * ps;
	round_trip(ps - 3, 70, 1, 2, 11);                    // program slot 0 -> 1
	round_trip(data0 - 100, 300, 3, 60, 12);             // last program slot -> data slot 0
	round_trip(data0 + ds - 4097, 8192 + 5, 33, 0, 13);  // data slot 0 -> 1
	round_trip(kBar4 - 777, 777, 0, 9, 14, 64);          // up to the very end of BAR4
}

TEST_F(Dma, WholeBar4InOneTransferEachWay)
{
	std::vector<uint8_t> a = pattern(kBar4, 99), b(kBar4, 0);
	ASSERT_EQ(to_card(0, a.data(), a.size()), 0) << hermes_dev_errmsg(dev);
	ASSERT_EQ(from_card(0, b.data(), b.size()), 0) << hermes_dev_errmsg(dev);
	long d = first_diff(a.data(), b.data(), a.size());
	EXPECT_EQ(d, -1) << "first difference at card 0x" << std::hex << d;
}

TEST_F(Dma, LongDescriptorChainsAndSeveralRuns)
{
	// 100-byte descriptors: 3000 of them, more than one run holds (2048).
	set_desc_bytes(100);
	round_trip(0x200003, 300000, 7, 21, 5);
	hermes_xdma_stats st = last();
	// The read-back covers 300160 bytes: 3002 descriptors, two runs of at most 2048.
	EXPECT_EQ(st.runs, 2u);
	EXPECT_EQ(st.descs, (300000u + 160u + 99u) / 100u) << "every descriptor completed";

	// Page-sized descriptors, as the Xilinx driver builds from user pages.
	set_desc_bytes(4096);
	round_trip(0x300040, 1 << 20, 0, 0, 6);
	st = last();
	EXPECT_EQ(st.runs, 1u);
	EXPECT_EQ(st.descs, ((1u << 20) + 160u + 4095u) / 4096u);
}

TEST_F(Dma, PollingModeGivesTheSameResults)
{
	hermes_dev_close(dev);
	dev = nullptr;
	open("sim:dma_poll=1,desc_bytes=5000,host_latency=40,host_reads=4");
	round_trip(0x4321, 100000, 13, 50, 77);
}

TEST_F(Dma, DevInfoReportsTheChannelsFoundByIdentifier)
{
	uint8_t h2c = 0, c2h = 0;
	ASSERT_EQ(hermes__dma_channels(dev, &h2c, &c2h), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(h2c, 1u);
	EXPECT_EQ(c2h, 1u);
	EXPECT_EQ(hermes_xdma_h2c_channels(x), 1u);
	EXPECT_EQ(hermes_xdma_c2h_channels(x), 1u);
}

TEST_F(Dma, MissingChannelIsAnError)
{
	uint8_t b[16] = {};
	EXPECT_EQ(hermes_xdma_write(x, 1, 0, b, sizeof(b), nullptr), -EINVAL);
	EXPECT_NE(std::string(hermes_dev_errmsg(dev)).find("does not exist"), std::string::npos)
		<< hermes_dev_errmsg(dev);
}
