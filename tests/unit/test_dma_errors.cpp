// SPDX-License-Identifier: MIT
// DMA failures end in an error status and an errno, never a hang, and the
// channel works again afterwards: bad descriptor magic, card ranges
// outside BAR4, host addresses outside host memory, descriptor fetches
// that fail, and a descriptor loop stopped by clearing the run bit.
#include "test_dma_helpers.h"

using namespace dma_test;

namespace {

class DmaErr : public Dma {
protected:
	void SetUp() override
	{
		Dma::SetUp();
		scratch = hermes_xdma_scratch(x, &scratch_bus, &scratch_size);
	}
	void desc(unsigned i, uint32_t control, uint32_t len, uint64_t src, uint64_t dst, uint64_t next)
	{
		hermes_xdma_desc d{control, len, uint32_t(src), uint32_t(src >> 32), uint32_t(dst),
				   uint32_t(dst >> 32), uint32_t(next), uint32_t(next >> 32)};
		std::memcpy(scratch + 32 * i, &d, sizeof(d));
	}
	uint64_t desc_bus(unsigned i) const { return scratch_bus + 32ull * i; }
	// Data area inside the scratch window, past the descriptors.
	uint64_t data_bus(unsigned off) const { return scratch_bus + 16384 + off; }
	uint8_t *data(unsigned off) { return scratch + 16384 + off; }

	// The channel is idle and a normal transfer still works.
	void expect_usable()
	{
		EXPECT_EQ(ctl(HERMES_XDMA_H2C(0) + HERMES_XDMA_CH_STATUS) & HERMES_XDMA_ST_BUSY, 0u);
		EXPECT_EQ(ctl(HERMES_XDMA_C2H(0) + HERMES_XDMA_CH_STATUS) & HERMES_XDMA_ST_BUSY, 0u);
		round_trip(0x8000 + 5, 1000, 3, 4, 1234);
	}

	uint8_t *scratch = nullptr;
	uint64_t scratch_bus = 0;
	size_t scratch_size = 0;
};

constexpr uint32_t kLast = HERMES_XDMA_DESC_MAGIC | HERMES_XDMA_DESC_STOP | HERMES_XDMA_DESC_COMPLETED;

} // namespace

TEST_F(DmaErr, BadMagicStopsTheChannelWithMagicStopped)
{
	for (int c2h = 0; c2h < 2; c2h++) {
		SCOPED_TRACE(c2h ? "C2H" : "H2C");
		std::memset(data(0), 0x11, 256);
		desc(0, HERMES_XDMA_DESC_MAGIC, 64, c2h ? 0x100 : data_bus(0), c2h ? data_bus(0) : 0x100, desc_bus(1));
		desc(1, 0xAD4C0000u | HERMES_XDMA_DESC_STOP, 64, data_bus(64), 0x200, 0);
		hermes_xdma_stats st{};
		int err = hermes_xdma_run_chain(x, c2h, 0, desc_bus(0), 0, 2, &st);
		EXPECT_EQ(err, -EIO) << hermes_dev_errmsg(dev);
		EXPECT_NE(std::string(hermes_dev_errmsg(dev)).find("magic"), std::string::npos) << hermes_dev_errmsg(dev);
		EXPECT_TRUE(st.status & HERMES_XDMA_ST_MAGIC) << "status 0x" << std::hex << st.status;
		EXPECT_EQ(st.descs, 1u) << "the good descriptor before the bad one completed";
		expect_usable();
	}
}

TEST_F(DmaErr, BadMagicInAnAdjacentBlockAlsoStops)
{
	// Three adjacent descriptors; the third has a zero magic.
	desc(0, HERMES_XDMA_DESC_MAGIC, 10, data_bus(0), 0x300, 0);
	desc(1, HERMES_XDMA_DESC_MAGIC, 10, data_bus(16), 0x310, 0);
	desc(2, 0, 10, data_bus(32), 0x320, 0);
	hermes_xdma_stats st{};
	EXPECT_EQ(hermes_xdma_run_chain(x, 0, 0, desc_bus(0), 2, 3, &st), -EIO) << hermes_dev_errmsg(dev);
	EXPECT_TRUE(st.status & HERMES_XDMA_ST_MAGIC) << std::hex << st.status;
	EXPECT_EQ(st.descs, 2u);
	expect_usable();
}

// The card's own check, through the driver (the bus refuses such ranges
// before the card sees them: BusRefusesRangesOutsideBar4).
TEST_F(DmaErr, CardRangeOutsideBar4IsAnErrorEachWay)
{
	std::vector<uint8_t> b(300, 0x5c);
	struct { uint64_t addr; size_t len; } cases[] = {
		{kBar4 - 10, 100}, {kBar4, 1}, {1ull << 40, 64}, {~0ull - 4, 8},
	};
	for (auto &c : cases) {
		SCOPED_TRACE("card 0x" + std::to_string(c.addr) + " len " + std::to_string(c.len));
		hermes_xdma_stats st{};
		EXPECT_EQ(hermes_xdma_write(x, 0, c.addr, b.data(), c.len, &st), -EFAULT) << hermes_dev_errmsg(dev);
		EXPECT_NE(std::string(hermes_dev_errmsg(dev)).find("outside BAR4"), std::string::npos)
			<< hermes_dev_errmsg(dev);
		EXPECT_TRUE(st.status & HERMES_XDMA_ST_WR_ERR(0)) << "H2C status 0x" << std::hex << st.status;
		st = {};
		EXPECT_EQ(hermes_xdma_read(x, 0, c.addr, b.data(), c.len, &st), -EFAULT) << hermes_dev_errmsg(dev);
		EXPECT_TRUE(st.status & HERMES_XDMA_ST_RD_ERR(0)) << "C2H status 0x" << std::hex << st.status;
	}
	// Nothing near the end of BAR4 was written by the failed transfer.
	std::vector<uint8_t> tail(10, 0);
	std::vector<uint8_t> bg = pattern(10, 3);
	ASSERT_EQ(to_card(kBar4 - 10, bg.data(), 10), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(hermes_xdma_write(x, 0, kBar4 - 10, b.data(), 11, nullptr), -EFAULT);
	ASSERT_EQ(from_card(kBar4 - 10, tail.data(), 10), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(first_diff(tail.data(), bg.data(), 10), -1) << "a rejected descriptor moves no data";
	expect_usable();
}

TEST_F(DmaErr, HostAddressOutsideHostMemory)
{
	// H2C reading from an unmapped host address: read error (decode).
	desc(0, kLast, 256, 0x1000, 0x500, 0);
	hermes_xdma_stats st{};
	EXPECT_EQ(hermes_xdma_run_chain(x, 0, 0, desc_bus(0), 0, 1, &st), -EFAULT) << hermes_dev_errmsg(dev);
	EXPECT_TRUE(st.status & HERMES_XDMA_ST_RD_ERR(0)) << std::hex << st.status;
	// C2H writing to an unmapped host address: write error (decode).
	desc(0, kLast, 256, 0x500, 0x2000, 0);
	st = {};
	EXPECT_EQ(hermes_xdma_run_chain(x, 1, 0, desc_bus(0), 0, 1, &st), -EFAULT) << hermes_dev_errmsg(dev);
	EXPECT_TRUE(st.status & HERMES_XDMA_ST_WR_ERR(0)) << std::hex << st.status;
	expect_usable();
}

TEST_F(DmaErr, DescriptorFetchFailureIsADescriptorError)
{
	hermes_xdma_stats st{};
	EXPECT_EQ(hermes_xdma_run_chain(x, 0, 0, 0x40, 0, 1, &st), -EIO) << hermes_dev_errmsg(dev);
	EXPECT_TRUE(st.status & HERMES_XDMA_ST_DESC_ERR(0)) << std::hex << st.status;
	// A chain whose next pointer leads outside host memory.
	desc(0, HERMES_XDMA_DESC_MAGIC, 8, data_bus(0), 0x600, 0x80);
	st = {};
	EXPECT_EQ(hermes_xdma_run_chain(x, 1 - 1, 0, desc_bus(0), 0, 2, &st), -EIO) << hermes_dev_errmsg(dev);
	EXPECT_TRUE(st.status & HERMES_XDMA_ST_DESC_ERR(0)) << std::hex << st.status;
	EXPECT_EQ(st.descs, 1u);
	expect_usable();
}

TEST_F(DmaErr, DescriptorLoopIsStoppedByClearingRun)
{
	for (int c2h = 0; c2h < 2; c2h++) {
		SCOPED_TRACE(c2h ? "C2H" : "H2C");
		// Two descriptors pointing at each other, no stop bit.
		desc(0, HERMES_XDMA_DESC_MAGIC, 100, c2h ? 0x700 : data_bus(0), c2h ? data_bus(0) : 0x700, desc_bus(1));
		desc(1, HERMES_XDMA_DESC_MAGIC, 100, c2h ? 0x800 : data_bus(128), c2h ? data_bus(128) : 0x800, desc_bus(0));
		set_desc_bytes(0, 20000);
		hermes_xdma_stats st{};
		EXPECT_EQ(hermes_xdma_run_chain(x, c2h, 0, desc_bus(0), 0, 1, &st), -ETIMEDOUT) << hermes_dev_errmsg(dev);
		EXPECT_GT(st.descs, 10u) << "the loop ran until run was cleared";
		set_desc_bytes(0, 0);
		expect_usable();
	}
}

TEST_F(DmaErr, ZeroLengthDescriptorCompletes)
{
	desc(0, HERMES_XDMA_DESC_MAGIC, 0, data_bus(0), 0x900, desc_bus(1));
	desc(1, kLast, 3, data_bus(0), 0x901, 0);
	std::memcpy(data(0), "abc", 3);
	hermes_xdma_stats st{};
	EXPECT_EQ(hermes_xdma_run_chain(x, 0, 0, desc_bus(0), 0, 2, &st), 0) << hermes_dev_errmsg(dev);
	char back[4] = {};
	ASSERT_EQ(from_card(0x901, back, 3), 0);
	EXPECT_STREQ(back, "abc");
}

// Descriptor lengths are 28 bits (PG195): the largest one, and all ones
// (bits 31:28 reserved), run past BAR4 from address 0 and are refused
// whole, each way; nothing moves.
TEST_F(DmaErr, HugeDescriptorLengthIsARangeErrorAndMovesNothing)
{
	std::vector<uint8_t> bg = pattern(256, 8), back(256, 0);
	ASSERT_EQ(to_card(0, bg.data(), bg.size()), 0) << hermes_dev_errmsg(dev);
	for (uint32_t len : { HERMES_XDMA_DESC_MAX_LEN, 0xffffffffu, uint32_t(kBar4 + 1) }) {
		for (int c2h = 0; c2h < 2; c2h++) {
			SCOPED_TRACE(::testing::Message() << (c2h ? "C2H" : "H2C") << " len 0x" << std::hex << len);
			std::memset(data(0), 0xa7, 256);
			desc(0, kLast, len, c2h ? 0 : data_bus(0), c2h ? data_bus(0) : 0, 0);
			hermes_xdma_stats st{};
			EXPECT_EQ(hermes_xdma_run_chain(x, c2h, 0, desc_bus(0), 0, 1, &st), -EFAULT)
				<< hermes_dev_errmsg(dev);
			EXPECT_TRUE(st.status & (c2h ? HERMES_XDMA_ST_RD_ERR(0) : HERMES_XDMA_ST_WR_ERR(0)))
				<< "status 0x" << std::hex << st.status;
			EXPECT_EQ(st.descs, 0u);
			EXPECT_EQ(data(0)[0], 0xa7) << "host memory untouched";
			EXPECT_EQ(data(0)[255], 0xa7);
		}
	}
	ASSERT_EQ(from_card(0, back.data(), back.size()), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(first_diff(back.data(), bg.data(), back.size()), -1) << "card memory untouched";
	expect_usable();
}

TEST_F(DmaErr, ReservedLengthBitsAreIgnored)
{
	std::memcpy(data(0), "0123456789abcdefXYZ", 19);
	desc(0, kLast, 0xf0000000u | 16, data_bus(0), 0xa00, 0);
	hermes_xdma_stats st{};
	ASSERT_EQ(hermes_xdma_run_chain(x, 0, 0, desc_bus(0), 0, 1, &st), 0) << hermes_dev_errmsg(dev);
	char back[20] = {};
	ASSERT_EQ(from_card(0xa00, back, 19), 0);
	EXPECT_EQ(std::string(back, 16), "0123456789abcdef") << "16 bytes moved, as bits 27:0 say";
	EXPECT_NE(std::string(back + 16, 3), "XYZ");
}

// A chain whose second descriptor runs off the end of BAR4: the first one
// moved its bytes, the second none, the third never ran.
TEST_F(DmaErr, DescriptorLeavingBar4StopsTheChainThere)
{
	for (int c2h = 0; c2h < 2; c2h++) {
		SCOPED_TRACE(c2h ? "C2H" : "H2C");
		std::vector<uint8_t> bg = pattern(4096, 20 + c2h), src = pattern(256, 30 + c2h);
		ASSERT_EQ(to_card(0xb000, bg.data(), 256), 0);
		ASSERT_EQ(to_card(kBar4 - 4096, bg.data(), 4096), 0);
		std::memcpy(data(0), src.data(), 256);
		std::memset(data(1024), 0xee, 1024);
		uint64_t end = kBar4 - 32;
		if (c2h) {
			desc(0, HERMES_XDMA_DESC_MAGIC, 64, 0xb000, data_bus(1024), desc_bus(1));
			desc(1, HERMES_XDMA_DESC_MAGIC, 64, end, data_bus(1088), desc_bus(2));
			desc(2, kLast, 64, 0xb040, data_bus(1152), 0);
		} else {
			desc(0, HERMES_XDMA_DESC_MAGIC, 64, data_bus(0), 0xb000, desc_bus(1));
			desc(1, HERMES_XDMA_DESC_MAGIC, 64, data_bus(64), end, desc_bus(2));
			desc(2, kLast, 64, data_bus(128), 0xb040, 0);
		}
		hermes_xdma_stats st{};
		EXPECT_EQ(hermes_xdma_run_chain(x, c2h, 0, desc_bus(0), 0, 3, &st), -EFAULT) << hermes_dev_errmsg(dev);
		EXPECT_EQ(st.descs, 1u);
		std::vector<uint8_t> card(256), tail(4096);
		ASSERT_EQ(from_card(0xb000, card.data(), 256), 0);
		ASSERT_EQ(from_card(kBar4 - 4096, tail.data(), 4096), 0);
		EXPECT_EQ(first_diff(tail.data(), bg.data(), 4096), -1) << "nothing written at the end of BAR4";
		if (c2h) {
			EXPECT_EQ(first_diff(data(1024), bg.data(), 64), -1) << "the first descriptor moved its bytes";
			EXPECT_EQ(data(1088)[0], 0xee) << "the second none";
			EXPECT_EQ(data(1152)[0], 0xee) << "the third did not run";
		} else {
			EXPECT_EQ(first_diff(card.data(), src.data(), 64), -1) << "the first descriptor moved its bytes";
			EXPECT_EQ(first_diff(card.data() + 64, bg.data() + 64, 64), -1) << "the third did not run";
		}
		expect_usable();
	}
}

// Through the bus (libhermes' own DMA): a range leaving BAR4, however
// large, is refused before anything moves; 0 bytes move nothing anywhere.
TEST_F(DmaErr, BusRefusesRangesOutsideBar4AndMovesNothing)
{
	std::vector<uint8_t> bg = pattern(kBar4, 40), big(kBar4 + 4096, 0x3c), back(kBar4, 0);
	ASSERT_EQ(to_card(0, bg.data(), kBar4), 0) << hermes_dev_errmsg(dev);
	struct { uint64_t addr; size_t len; } cases[] = {
		{0, kBar4 + 1}, {0, kBar4 + 4096}, {kBar4 - 10, 11}, {kBar4, 1}, {4096, kBar4}, {~0ull - 4, 8},
	};
	for (auto &c : cases) {
		SCOPED_TRACE("card 0x" + std::to_string(c.addr) + " len " + std::to_string(c.len));
		EXPECT_EQ(to_card(c.addr, big.data(), c.len), -EFAULT);
		EXPECT_NE(std::string(hermes_dev_errmsg(dev)).find("outside BAR4"), std::string::npos)
			<< hermes_dev_errmsg(dev);
		EXPECT_EQ(last().runs, 0u) << "the channel never started";
		EXPECT_EQ(from_card(c.addr, big.data(), c.len), -EFAULT);
		EXPECT_EQ(last().runs, 0u);
		EXPECT_EQ(big[0], 0x3c) << "host buffer untouched";
	}
	EXPECT_EQ(to_card(kBar4, big.data(), 0), 0) << "0 bytes at the end: nothing to check";
	EXPECT_EQ(from_card(~0ull, big.data(), 0), 0);
	EXPECT_EQ(to_card(0, nullptr, 0), 0);
	ASSERT_EQ(from_card(0, back.data(), kBar4), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(first_diff(back.data(), bg.data(), kBar4), -1) << "no byte of BAR4 changed";
	expect_usable();
}

// A C2H channel streaming without pause (a descriptor loop, stopped by the
// driver's timeout) while an engine's Request Slot waits for its dirty data
// slot to be zeroed: the scrubber gets its turns at the memory port, so the
// command is done by the time the stream is stopped. And the descriptors the
// stopped chain had prefetched do not run at the next start (the next
// transfer completes exactly its own: expect_usable).
TEST_F(DmaErr, StreamingDmaDoesNotStarveSlotAllocation)
{
	hermes_sim *sim = hermes__dev_sim(dev);
	ASSERT_NE(sim, nullptr);
	// A line written at the end of every data slot (free slots, raw DMA)
	// makes each dirty in full: the Request Slot then waits for the lowest
	// to be zeroed on demand (1 MiB, 16384 lines of the port). A card fresh
	// from configuration has no dirty slot to wait for.
	hermes_info info{};
	ASSERT_EQ(hermes_dev_info(dev, &info), 0) << hermes_dev_errmsg(dev);
	const uint8_t line[64] = { 0x5a };
	for (unsigned s = 0; s < info.data_slots; s++)
		ASSERT_EQ(to_card(info.data_slot_off + uint64_t(s + 1) * info.data_slot_size - 64, line, sizeof(line)), 0)
			<< hermes_dev_errmsg(dev);
	const uint32_t req[8] = { HERMES_CMD_REQ_SLOT | 0x5151u << 16, 0, HERMES_SLOT_DATA, 0, 0, 0, 0, 0 };
	for (unsigned i = 0; i < 8; i++)
		ASSERT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDREQ(3) + 4 * i, req[i], 0xf), HERMES_SIM_OKAY);
	ASSERT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDCTRL(3), 0x01000001u, 0xf), HERMES_SIM_OKAY);
	uint32_t waiting = 0;
	ASSERT_EQ(hermes_sim_bar0_read(sim, HERMES_EHCMDCTRL(3), &waiting), HERMES_SIM_OKAY);
	ASSERT_EQ(waiting & 0x101u, 0x001u) << "the Request Slot must wait for a scrub, or the test shows nothing";

	// 256 KiB descriptors, as long as the driver's: the port is busy for
	// thousands of clocks in a row (the host memory behind data_bus is the
	// driver's bounce buffer, unused meanwhile).
	desc(0, HERMES_XDMA_DESC_MAGIC, 256u << 10, 0x0, data_bus(0), desc_bus(1));
	desc(1, HERMES_XDMA_DESC_MAGIC, 256u << 10, 256u << 10, data_bus(0), desc_bus(0));
	set_desc_bytes(0, 100000);
	hermes_xdma_stats st{};
	// Stopped by the driver's timeout, mid-descriptor: ETIMEDOUT, and the
	// driver waited for the channel to finish that descriptor.
	EXPECT_EQ(hermes_xdma_run_chain(x, 1, 0, desc_bus(0), 0, 1, &st), -ETIMEDOUT) << hermes_dev_errmsg(dev);
	set_desc_bytes(0, 0);
	uint32_t ctrl = 0, res = 0;
	ASSERT_EQ(hermes_sim_bar0_read(sim, HERMES_EHCMDCTRL(3), &ctrl), HERMES_SIM_OKAY);
	EXPECT_EQ(ctrl & 0x101u, 0x100u) << "Request Slot still waits after 100,000 clocks of streaming DMA";
	ASSERT_EQ(hermes_sim_bar0_read(sim, HERMES_EHCMDRES(3), &res), HERMES_SIM_OKAY);
	EXPECT_EQ(res, 0x5151u | HERMES_ST_SUCCESS << 16);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDCTRL(3), 0x01000000u, 0xf), HERMES_SIM_OKAY);
	EXPECT_EQ(ctl(HERMES_XDMA_C2H(0) + HERMES_XDMA_CH_STATUS) & HERMES_XDMA_ST_BUSY, 0u)
		<< "the stopped channel drained before the driver returned";
	ctl(HERMES_XDMA_C2H(0) + HERMES_XDMA_CH_STATUS_RC);
	expect_usable();
}
