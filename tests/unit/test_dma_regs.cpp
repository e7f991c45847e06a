// SPDX-License-Identifier: MIT
// BAR2 XDMA registers at their PG195 offsets and bit positions:
// identifiers, control W1S/W1C, status W1C and clear-on-read, completed
// descriptor count, alignments, interrupt masks, performance counters,
// the IRQ block (enables, request, pending) and channel interrupts.
#include "test_dma_helpers.h"

using namespace dma_test;

namespace {
const uint32_t H2C = HERMES_XDMA_H2C(0), C2H = HERMES_XDMA_C2H(0);
const uint32_t IRQ = HERMES_XDMA_IRQ;
}

TEST_F(Dma, IdentifiersOfEveryBlock)
{
	EXPECT_EQ(ctl(0x0000), 0x1FC00006u) << "H2C channel 0";
	EXPECT_EQ(ctl(0x1000), 0x1FC10006u) << "C2H channel 0";
	EXPECT_EQ(ctl(0x2000), 0x1FC20006u) << "IRQ block";
	EXPECT_EQ(ctl(0x3000), 0x1FC30006u) << "config block";
	EXPECT_EQ(ctl(0x4000), 0x1FC40006u) << "H2C SGDMA 0";
	EXPECT_EQ(ctl(0x5000), 0x1FC50006u) << "C2H SGDMA 0";
	EXPECT_EQ(ctl(0x6000), 0x1FC60006u) << "SGDMA common";
	EXPECT_EQ(ctl(0x0100), 0u) << "no H2C channel 1";
	EXPECT_EQ(ctl(0x1100), 0u) << "no C2H channel 1";
	EXPECT_EQ(ctl(0x3018), 3u) << "512-bit datapath";
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_ALIGN), 0x00010140u) << "any alignment, 64 address bits";
	uint32_t v;
	EXPECT_NE(dev->bus->ops->ctl_read32(dev->bus, 0x7000, &v), 0) << "unmapped target answers an error";
}

TEST_F(Dma, ControlWriteSetClear)
{
	ctl_w(C2H + HERMES_XDMA_CH_CTRL, 0x00F00000u);
	EXPECT_EQ(ctl(C2H + HERMES_XDMA_CH_CTRL), 0x00F00000u);
	ctl_w(C2H + HERMES_XDMA_CH_CTRL_W1S, 0x00000014u);
	EXPECT_EQ(ctl(C2H + HERMES_XDMA_CH_CTRL), 0x00F00014u);
	ctl_w(C2H + HERMES_XDMA_CH_CTRL_W1C, 0x00300004u);
	EXPECT_EQ(ctl(C2H + HERMES_XDMA_CH_CTRL), 0x00C00010u);
	ctl_w(H2C + HERMES_XDMA_CH_IMASK, 0x6u);
	ctl_w(H2C + HERMES_XDMA_CH_IMASK + 4, 0x10u);
	ctl_w(H2C + HERMES_XDMA_CH_IMASK + 8, 0x2u);
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_IMASK), 0x14u) << "interrupt enable mask with W1S/W1C";
	ctl_w(HERMES_XDMA_H2C_SG(0) + HERMES_XDMA_SG_DESC_LO, 0x12345660u);
	ctl_w(HERMES_XDMA_H2C_SG(0) + HERMES_XDMA_SG_DESC_HI, 0xabcdu);
	ctl_w(HERMES_XDMA_H2C_SG(0) + HERMES_XDMA_SG_DESC_ADJ, 0x7fu);
	EXPECT_EQ(ctl(HERMES_XDMA_H2C_SG(0) + HERMES_XDMA_SG_DESC_LO), 0x12345660u);
	EXPECT_EQ(ctl(HERMES_XDMA_H2C_SG(0) + HERMES_XDMA_SG_DESC_HI), 0xabcdu);
	EXPECT_EQ(ctl(HERMES_XDMA_H2C_SG(0) + HERMES_XDMA_SG_DESC_ADJ), 0x3fu) << "6-bit adjacent count";
}

TEST_F(Dma, StatusCountAndPerformanceCountersAfterATransfer)
{
	set_desc_bytes(1000);
	std::vector<uint8_t> a = pattern(10000, 1);
	ASSERT_EQ(to_card(0x10003, a.data() + 1, 9999), 0) << hermes_dev_errmsg(dev);
	hermes_xdma_stats st = last();
	EXPECT_EQ(st.descs, 10u);
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_CMPL_CNT), 10u) << "completed descriptor count";
	// Each descriptor reads the 64-byte beats its host bytes touch.
	uint64_t host = (reinterpret_cast<uintptr_t>(a.data() + 1)) & 63, beats = 0;
	for (unsigned i = 0; i < 10; i++) {
		uint64_t s = (host + 1000 * i) & 63, n = i < 9 ? 1000 : 999;
		beats += (s + n + 63) / 64;
	}
	EXPECT_EQ(st.beats, beats) << "perf data count: one per 64-byte beat";
	EXPECT_GE(st.busy_cycles, beats + 125u) << "perf cycles cover at least the data and one round trip";
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_PERF_DAT_LO), beats);
	EXPECT_TRUE(st.status & HERMES_XDMA_ST_DESC_DONE) << std::hex << st.status;
	EXPECT_TRUE(st.status & HERMES_XDMA_ST_DESC_STOPPED) << std::hex << st.status;
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_STATUS), 0u) << "the driver's clear-on-read left status clean";
	ctl_w(H2C + HERMES_XDMA_CH_PERF_CTRL, HERMES_XDMA_PERF_CLEAR);
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_PERF_CYC_LO), 0u);
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_PERF_DAT_LO), 0u);
	ctl_w(H2C + HERMES_XDMA_CH_PERF_CTRL, HERMES_XDMA_PERF_RUN);
	uint32_t c1 = ctl(H2C + HERMES_XDMA_CH_PERF_CYC_LO), c2 = ctl(H2C + HERMES_XDMA_CH_PERF_CYC_LO);
	EXPECT_GT(c2, c1) << "perf run counts clocks";
}

TEST_F(Dma, StatusWriteOneToClearAndClearOnReadAndTheChannelInterrupt)
{
	// A hand-driven run: one descriptor with stop + completed, interrupts on.
	uint64_t bus;
	size_t sz;
	uint8_t *s = hermes_xdma_scratch(x, &bus, &sz);
	hermes_xdma_desc d{HERMES_XDMA_DESC_MAGIC | 3u, 64, uint32_t(bus + 1024), uint32_t((bus + 1024) >> 32),
			   0x40, 0, 0, 0};
	std::memcpy(s, &d, sizeof(d));
	ctl_w(HERMES_XDMA_H2C_SG(0) + HERMES_XDMA_SG_DESC_LO, uint32_t(bus));
	ctl_w(HERMES_XDMA_H2C_SG(0) + HERMES_XDMA_SG_DESC_HI, uint32_t(bus >> 32));
	ctl_w(HERMES_XDMA_H2C_SG(0) + HERMES_XDMA_SG_DESC_ADJ, 0);
	ctl_w(H2C + HERMES_XDMA_CH_IMASK, 0x6);
	ctl_w(IRQ + HERMES_XDMA_IRQ_CH_EN, 0);
	ctl_w(H2C + HERMES_XDMA_CH_CTRL, 0x7);
	// Wait for completion by polling busy.
	uint32_t st = 1;
	for (int i = 0; i < 500 && (st & 1); i++)
		st = ctl(H2C + HERMES_XDMA_CH_STATUS);
	EXPECT_EQ(st, 0x6u) << "descriptor completed + stopped, not busy";
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_REQ), 1u) << "channel 0 requests an interrupt";
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_PEND), 0u) << "not pending while disabled";
	ctl_w(IRQ + HERMES_XDMA_IRQ_CH_EN_W1S, 0x3);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_EN), 0x3u);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_PEND), 1u);
	ctl_w(IRQ + HERMES_XDMA_IRQ_CH_EN_W1C, 0x2);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_EN), 0x1u);
	// W1C one bit; the other stays and keeps the interrupt.
	ctl_w(H2C + HERMES_XDMA_CH_STATUS, 0x4);
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_STATUS), 0x2u);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_PEND), 1u);
	// Clear on read: returns the bits, then they are gone with the interrupt.
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_STATUS_RC), 0x2u);
	EXPECT_EQ(ctl(H2C + HERMES_XDMA_CH_STATUS), 0x0u);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_REQ), 0u);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_PEND), 0u);
	ctl_w(H2C + HERMES_XDMA_CH_CTRL, 0);
}

TEST_F(Dma, UserInterruptEnablesInTheIrqBlock)
{
	// 4 engines, then 8 hardware queues: 12 user interrupts.
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_USR_EN), 0xFFFu) << "the driver enabled all 12 user interrupts at probe";
	ctl_w(IRQ + HERMES_XDMA_IRQ_USR_EN_W1C, 0x5);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_USR_EN), 0xFFAu);
	ctl_w(IRQ + HERMES_XDMA_IRQ_USR_EN, 0x1);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_USR_EN), 0x1u);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_USR_REQ), 0u) << "no engine asks for one";
	ctl_w(IRQ + 0x80, 0x03020100);
	EXPECT_EQ(ctl(IRQ + 0x80), 0x03020100u) << "user vector numbers";
}

TEST_F(Dma, DriverWaitsForTheChannelInterrupt)
{
	// With the channel interrupt masked in the IRQ block, an interrupt-driven
	// driver would time out; the driver enables it itself, so DMA completes
	// and leaves it disabled again after servicing (like the Linux ISR).
	std::vector<uint8_t> a = pattern(4096, 8);
	ctl_w(IRQ + HERMES_XDMA_IRQ_CH_EN, 0);
	ASSERT_EQ(to_card(0x2000, a.data(), a.size()), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_EN) & 1u, 0u) << "serviced: masked again";
	EXPECT_EQ(ctl(IRQ + HERMES_XDMA_IRQ_CH_PEND), 0u);
}
