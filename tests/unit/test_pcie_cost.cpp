// SPDX-License-Identifier: MIT
// The harness's PCIe cost model (sim/hermes_sim.h, docs/RTL_INTERFACES.md
// "PCIe cost model"): on by default, a BAR read stalls the host for its
// round trip, a BAR write is posted (the host pays a little, the card sees
// it later, in order, before any later read), DMA moves at most the link
// rate, MMIO is counted, a snoop is free; the sim: options set every
// figure. Also: no BAR0 read has a side effect (docs/REGISTERS.md).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "cmd.h"
#include "dev.h"
#include "hermes/hermes.h"
#include "hermes/regs.h"
#include "hermes_sim.h"

namespace {

struct Sim {
	explicit Sim(const struct hermes_sim_cost *cost)
	{
		struct hermes_sim_opts so = {};

		so.sz = sizeof(so);
		so.cost = cost;
		sim = hermes_sim_new(cost ? &so : nullptr);
	}
	~Sim() { hermes_sim_free(sim); }
	struct hermes_sim *sim;
};

// Clocks one call takes.
template <typename F> uint64_t clocks(struct hermes_sim *sim, F f)
{
	uint64_t t0 = hermes_sim_cycles(sim);
	f();
	return hermes_sim_cycles(sim) - t0;
}

const struct hermes_sim_cost kZero = HERMES_SIM_COST_ZERO;
const struct hermes_sim_cost kPcie = HERMES_SIM_COST_PCIE;

TEST(PcieCost, OnByDefault)
{
	Sim s(nullptr);
	struct hermes_sim_cost c;

	ASSERT_NE(s.sim, nullptr);
	hermes_sim_get_cost(s.sim, &c);
	EXPECT_STREQ(hermes_sim_cost_name(&c), "pcie");
	EXPECT_EQ(c.bar_read, 250u);
	EXPECT_EQ(c.link_mbps, 12000u);
	EXPECT_EQ(c.host_latency, 125u);
}

TEST(PcieCost, ABarReadCostsItsRoundTripOnTopOfTheHandshake)
{
	Sim z(&kZero), p(&kPcie);
	uint32_t v = 0;

	uint64_t hz = clocks(z.sim, [&] { EXPECT_EQ(hermes_sim_bar0_read(z.sim, HERMES_EHVER, &v), 0); });
	uint64_t hp = clocks(p.sim, [&] { EXPECT_EQ(hermes_sim_bar0_read(p.sim, HERMES_EHVER, &v), 0); });
	EXPECT_EQ(v, uint32_t(HERMES_VERSION));
	EXPECT_GT(hz, 0u);
	EXPECT_LT(hz, 10u) << "the free bus costs the AXI-Lite handshake only";
	EXPECT_EQ(hp, hz + 250) << "exactly the round trip more, in card clocks";
}

TEST(PcieCost, WritesArePostedInOrderAndLaterReadsSeeThem)
{
	Sim p(&kPcie);
	struct hermes_sim_mmio st;
	uint32_t v = 0;

	// The host pays bar_write clocks per write, whatever the card does.
	uint64_t hw = clocks(p.sim, [&] {
		for (uint32_t i = 0; i < 8; i++)
			EXPECT_EQ(hermes_sim_bar0_write(p.sim, HERMES_EHCMDREQ(1) + 4 * i, 0x1000u + i, 0xf), 0);
	});
	EXPECT_EQ(hw, 8u * 8u);
	// None has reached the card yet: the first arrives 125 clocks after it left.
	EXPECT_EQ(hermes_sim_pins(p.sim)->bar0_awvalid, 0);
	// A read goes after them (PCIe ordering) and sees every one.
	for (uint32_t i = 0; i < 8; i++) {
		EXPECT_EQ(hermes_sim_bar0_read(p.sim, HERMES_EHCMDREQ(1) + 4 * i, &v), 0);
		EXPECT_EQ(v, 0x1000u + i) << "word " << i;
	}
	hermes_sim_mmio_stats(p.sim, &st);
	EXPECT_EQ(st.bar0_writes, 8u);
	EXPECT_EQ(st.bar0_reads, 8u);
	EXPECT_EQ(st.posted_errors, 0u);
}

// xdma-fuse's snooping (hermes_sim_bar0_snoop): it sees the posted writes
// before it, costs only the handshake and is not a host read.
TEST(PcieCost, ASnoopSeesPostedWritesWithoutARoundTripAndIsNotCounted)
{
	Sim z(&kZero), p(&kPcie);
	struct hermes_sim_mmio st;
	uint32_t v = 0;

	uint64_t hz = clocks(z.sim, [&] { EXPECT_EQ(hermes_sim_bar0_snoop(z.sim, HERMES_EHVER, &v), 0); });
	uint64_t hp = clocks(p.sim, [&] { EXPECT_EQ(hermes_sim_bar0_snoop(p.sim, HERMES_EHVER, &v), 0); });
	EXPECT_EQ(v, uint32_t(HERMES_VERSION));
	EXPECT_EQ(hp, hz) << "no round trip charged";
	EXPECT_LT(hp, 10u);

	EXPECT_EQ(hermes_sim_bar0_write(p.sim, HERMES_EHCMDREQ(2), 0xabcdu, 0xf), 0);
	EXPECT_EQ(hermes_sim_bar0_snoop(p.sim, HERMES_EHCMDREQ(2), &v), 0);
	EXPECT_EQ(v, 0xabcdu) << "the posted write landed before the snoop";
	hermes_sim_mmio_stats(p.sim, &st);
	EXPECT_EQ(st.bar0_reads, 0u) << "a snoop is not a host read";
	EXPECT_EQ(st.bar0_writes, 1u);
}

TEST(PcieCost, APostedWriteArrivesAfterItsDelay)
{
	Sim p(&kPcie), z(&kZero);

	uint64_t hz = clocks(z.sim, [&] { EXPECT_EQ(hermes_sim_bar0_write(z.sim, HERMES_EHCMDREQ(0), 1, 0xf), 0); });
	uint64_t t0 = hermes_sim_cycles(p.sim);
	EXPECT_EQ(hermes_sim_bar0_write(p.sim, HERMES_EHCMDREQ(0), 1, 0xf), 0);
	EXPECT_EQ(hermes_sim_flush(p.sim), 0);
	EXPECT_EQ(hermes_sim_cycles(p.sim) - t0, 125 + hz) << "delay, then the card's handshake";
}

TEST(PcieCost, APostedWriteTheCardRefusesIsCountedNotReturned)
{
	Sim p(&kPcie);
	struct hermes_sim_mmio st;
	uint32_t v = 0;

	EXPECT_EQ(hermes_sim_bar0_write(p.sim, HERMES_EHVER, 7, 0xf), HERMES_SIM_OKAY) << "posted";
	EXPECT_EQ(hermes_sim_flush(p.sim), HERMES_SIM_SLVERR);
	EXPECT_EQ(hermes_sim_flush(p.sim), 0) << "reported once";
	hermes_sim_mmio_stats(p.sim, &st);
	EXPECT_EQ(st.posted_errors, 1u);
	EXPECT_EQ(hermes_sim_bar0_read(p.sim, HERMES_EHVER, &v), 0);
	EXPECT_EQ(v, uint32_t(HERMES_VERSION));
}

TEST(PcieCost, OptionsSetEveryFigureAndRefuseBadValues)
{
	struct hermes_sim_cost c = kPcie;
	char err[160];

	EXPECT_EQ(hermes_sim_cost_option(&c, "bar_rd", "100", err, sizeof(err)), 1);
	EXPECT_EQ(hermes_sim_cost_option(&c, "bar_wr", "2", err, sizeof(err)), 1);
	EXPECT_EQ(hermes_sim_cost_option(&c, "bar_wr_delay", "60", err, sizeof(err)), 1);
	EXPECT_EQ(hermes_sim_cost_option(&c, "link_mbps", "0", err, sizeof(err)), 1);
	EXPECT_EQ(hermes_sim_cost_option(&c, "host_latency", "300", err, sizeof(err)), 1);
	EXPECT_EQ(c.bar_read, 100u);
	EXPECT_EQ(c.bar_write, 2u);
	EXPECT_EQ(c.bar_write_delay, 60u);
	EXPECT_EQ(c.link_mbps, 0u);
	EXPECT_EQ(c.host_latency, 300u);
	EXPECT_STREQ(hermes_sim_cost_name(&c), "custom");
	EXPECT_EQ(hermes_sim_cost_option(&c, "cost", "zero", err, sizeof(err)), 1);
	EXPECT_STREQ(hermes_sim_cost_name(&c), "zero");
	EXPECT_EQ(hermes_sim_cost_option(&c, "desc_bytes", "4096", err, sizeof(err)), 0) << "not a cost option";
	EXPECT_EQ(hermes_sim_cost_option(&c, "cost", "free", err, sizeof(err)), -EINVAL);
	EXPECT_NE(strstr(err, "'pcie' or 'zero'"), nullptr) << err;
	EXPECT_EQ(hermes_sim_cost_option(&c, "bar_rd", "-1", err, sizeof(err)), -EINVAL);
	EXPECT_EQ(hermes_sim_cost_option(&c, "bar_rd", "12x", err, sizeof(err)), -EINVAL);
	EXPECT_EQ(hermes_sim_cost_option(&c, "bar_rd", nullptr, err, sizeof(err)), -EINVAL);
	EXPECT_EQ(hermes_sim_cost_option(&c, "host_latency", "0", err, sizeof(err)), -EINVAL);
	EXPECT_STREQ(hermes_sim_cost_name(&c), "zero") << "a refused value changes nothing";

	struct hermes_dev *dev = nullptr;
	EXPECT_EQ(hermes_dev_open("sim:bar_rd=often", &dev), -EINVAL);
	EXPECT_NE(strstr(hermes_dev_errmsg(nullptr), "bar_rd='often'"), nullptr) << hermes_dev_errmsg(nullptr);
	ASSERT_EQ(hermes_dev_open("sim:cost=zero,bar_rd=40", &dev), 0) << hermes_dev_errmsg(nullptr);
	hermes_sim_get_cost(hermes__dev_sim(dev), &c);
	EXPECT_EQ(c.bar_read, 40u);
	EXPECT_EQ(c.bar_write_delay, 0u);
	hermes_dev_close(dev);
}

// DMA through the shell model's XDMA channels: at 12 GB/s a byte costs at
// least 1/48 clock each way; without a link limit the same copy is faster.
TEST(PcieCost, DmaMovesAtMostTheLinkRate)
{
	std::vector<uint8_t> buf(1 << 20), back(1 << 20);
	uint64_t took[2][2];
	const char *uris[2] = { "sim", "sim:link_mbps=0" };

	for (size_t i = 0; i < buf.size(); i++)
		buf[i] = uint8_t(i * 7 + 3);
	for (int u = 0; u < 2; u++) {
		struct hermes_dev *dev = nullptr;
		ASSERT_EQ(hermes_dev_open(uris[u], &dev), 0) << hermes_dev_errmsg(nullptr);
		struct hermes_sim *sim = hermes__dev_sim(dev);
		struct hermes_info info;
		ASSERT_EQ(hermes_dev_info(dev, &info), 0);
		took[u][0] = clocks(sim, [&] {
			EXPECT_EQ(dev->bus->ops->dma_to_card(dev->bus, info.data_slot_off, buf.data(), buf.size()), 0)
				<< hermes_dev_errmsg(dev);
		});
		took[u][1] = clocks(sim, [&] {
			EXPECT_EQ(dev->bus->ops->dma_from_card(dev->bus, info.data_slot_off, back.data(), back.size()), 0)
				<< hermes_dev_errmsg(dev);
		});
		EXPECT_EQ(memcmp(buf.data(), back.data(), buf.size()), 0);
		hermes_dev_close(dev);
	}
	for (int d = 0; d < 2; d++) {
		SCOPED_TRACE(d ? "C2H" : "H2C");
		EXPECT_GE(took[0][d], buf.size() / 48) << "12 GB/s at 250 MHz is 48 bytes a clock";
		EXPECT_LT(took[0][d], buf.size() / 48 * 13 / 10) << "and the link is kept busy";
		EXPECT_LT(took[1][d], took[0][d]) << "the unlimited link is faster";
	}
}

// docs/REGISTERS.md: reading BAR0 never changes the card (F2's BARs are
// prefetchable). A finished command's DONE and interrupt, every register's
// value, stay as they were however often every offset is read.
TEST(Bar0Reads, HaveNoSideEffects)
{
	struct hermes_dev *dev = nullptr;
	ASSERT_EQ(hermes_dev_open("sim:cost=zero", &dev), 0) << hermes_dev_errmsg(nullptr);
	struct hermes_sim *sim = hermes__dev_sim(dev);
	struct hermes_info info;
	ASSERT_EQ(hermes_dev_info(dev, &info), 0);
	unsigned ps = 0, ds = 0;
	ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &ps), 0) << hermes_dev_errmsg(dev);
	ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &ds), 0) << hermes_dev_errmsg(dev);
	static const uint8_t ret42[16] = { 0xb7, 0x00, 0, 0, 42, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
	ASSERT_EQ(dev->bus->ops->dma_to_card(dev->bus, info.prog_slot_off + uint64_t(ps) * info.prog_slot_size,
					     ret42, sizeof(ret42)), 0);
	const uint32_t req[8] = { HERMES_CMD_RUN | 0x77u << 16, 0, uint32_t(ps | ds << 8), 16, 0, 0, 0, 0 };
	for (unsigned i = 0; i < 8; i++)
		ASSERT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDREQ(2) + 4 * i, req[i], 0xf), 0);
	ASSERT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDCTRL(2), 0x01000001u, 0xf), 0);
	uint32_t pending = 0;
	ASSERT_EQ(hermes_sim_wait_irq(sim, 1u << 2, 0, 100000, &pending, nullptr), 0);
	hermes_sim_run(sim, 50);

	// Every offset of the register window, twice over.
	std::vector<uint32_t> dump[2];
	std::vector<int> resp[2];
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t off = 0; off < 0x4000; off += 4) {
			uint32_t v = 0;
			resp[pass].push_back(hermes_sim_bar0_read(sim, off, &v));
			dump[pass].push_back(v);
		}
		EXPECT_EQ(hermes_sim_usr_irq(sim) & (1u << 2), 1u << 2) << "the interrupt is still pending";
	}
	for (size_t i = 0; i < dump[0].size(); i++) {
		ASSERT_EQ(resp[0][i], resp[1][i]) << "offset 0x" << std::hex << 4 * i;
		ASSERT_EQ(dump[0][i], dump[1][i]) << "offset 0x" << std::hex << 4 * i;
	}
	uint32_t ctrl = dump[0][HERMES_EHCMDCTRL(2) / 4];
	EXPECT_EQ(ctrl & (1u << HERMES_CTRL_DONE_SHIFT), 1u << HERMES_CTRL_DONE_SHIFT) << "DONE still set";
	EXPECT_EQ(dump[0][HERMES_EHCMDRES(2) / 4] & 0xffff, 0x77u);
	EXPECT_EQ(dump[0][(HERMES_EHCMDRES(2) + 8) / 4], 42u);
	EXPECT_EQ(resp[0][0x54 / 4], HERMES_SIM_SLVERR) << "unmapped offsets answer SLVERR, also the second time";
	hermes_dev_close(dev);
}

} // namespace
