// SPDX-License-Identifier: MIT
// Card reset (EHRESET) on the simulated card: a reset during a never-ending
// program, during a DMA in flight, and with slots allocated returns the card
// to its power-on state (engines idle, command registers clear, DMA channel
// and IRQ registers at reset values, every slot free and reading zero) and
// the next run succeeds. A wrong key is refused with SLVERR and changes
// nothing. The pin reset (hermes_sim_reset) leaves the same state.
#include "test_dma_helpers.h"

#include <cerrno>
#include <cstring>

#include "cmd.h"
#include "hostmem.h"

using namespace dma_test;

namespace {

constexpr uint32_t kExecIrq = 0x01000001u, kIrqEnOnly = 0x01000000u;
// ja -1: spins until its budget runs out.
const uint8_t kSpin[8] = { 0x05, 0x00, 0xff, 0xff, 0, 0, 0, 0 };
// mov r0, 42; exit
const uint8_t kRet42[16] = { 0xb7, 0x00, 0, 0, 42, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };

class CardReset : public DmaCard {
protected:
	// These tests look at the RTL's answer to each write (SLVERR for a wrong
	// key, for commands refused while the reset drains) and at BUSY a few
	// clocks into an 18-clock reset: the free bus, where writes are not
	// posted and a read costs its handshake only. The PCIe cost model's
	// resets are covered by test_pcie_cost and the xdma_fuse reset tests.
	CardReset() { uri = "sim:cost=zero"; }

	uint32_t rd(uint32_t off)
	{
		uint32_t v = 0xdeadbeef;
		EXPECT_EQ(dev->bus->ops->read32(dev->bus, off, &v), 0) << hermes_dev_errmsg(dev);
		return v;
	}
	void wr(uint32_t off, uint32_t v)
	{
		EXPECT_EQ(dev->bus->ops->write32(dev->bus, off, v), 0) << hermes_dev_errmsg(dev);
	}

	// Engine e runs kSpin with the largest budget; returns with it running.
	void start_spin(unsigned e)
	{
		unsigned ps, ds;
		ASSERT_EQ(hermes__slot_alloc(dev, e, HERMES_SLOT_PROG, &ps), 0);
		ASSERT_EQ(hermes__slot_alloc(dev, e, HERMES_SLOT_DATA, &ds), 0);
		ASSERT_EQ(to_card(prog_addr(ps), kSpin, sizeof(kSpin)), 0);
		uint32_t req[8] = { HERMES_CMD_RUN | 0x4242u << 16, 0, ps | ds << 8, 8, 0, 0xffffffffu, 0, 0 };
		for (unsigned w = 0; w < 8; w++)
			wr(HERMES_EHCMDREQ(e) + 4 * w, req[w]);
		wr(HERMES_EHCMDCTRL(e), kExecIrq);
		hermes_sim_run(sim, 2000);
		ASSERT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_STATE), HERMES_STATE_RUNNING);
	}

	// Writes the key (the write itself completes OKAY), clocks until EHRESET
	// says done; returns the clocks it took.
	uint64_t reset_card()
	{
		uint64_t t0 = hermes_sim_cycles(sim);
		EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHRESET, HERMES_RESET_KEY, 0xf), HERMES_SIM_OKAY);
		EXPECT_TRUE(rd(HERMES_EHRESET) & HERMES_RESET_BUSY) << "busy right after the key";
		for (int i = 0; i < 100000 && (rd(HERMES_EHRESET) & HERMES_RESET_BUSY); i++)
			hermes_sim_run(sim, 8);
		EXPECT_EQ(rd(HERMES_EHRESET) & (HERMES_RESET_BUSY | HERMES_RESET_SCRUB), 0u) << "reset done";
		return hermes_sim_cycles(sim) - t0;
	}
	unsigned resets() { return rd(HERMES_EHRESET) >> HERMES_RESET_COUNT_SHIFT; }

	// Registers as after power-on: no command, no interrupt, DMA idle.
	void expect_power_on_registers()
	{
		for (unsigned e = 0; e < info.engines; e++) {
			SCOPED_TRACE("engine " + std::to_string(e));
			EXPECT_EQ(rd(HERMES_EHCMDCTRL(e)), kIrqEnOnly) << "EXEC and DONE clear";
			EXPECT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_STATE), HERMES_STATE_IDLE);
			EXPECT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_INSNS), 0u);
			for (unsigned w = 0; w < HERMES_EHCMDRES_LEN; w += 4)
				EXPECT_EQ(rd(HERMES_EHCMDRES(e) + w), 0u) << "response word " << w / 4;
		}
		EXPECT_EQ(hermes_sim_usr_irq(sim), 0u);
		EXPECT_EQ(hermes_sim_chan_irq(sim), 0u);
		for (uint32_t ch : { HERMES_XDMA_H2C(0), HERMES_XDMA_C2H(0) }) {
			EXPECT_EQ(ctl(ch + HERMES_XDMA_CH_CTRL), 0u) << "channel 0x" << std::hex << ch;
			EXPECT_EQ(ctl(ch + HERMES_XDMA_CH_STATUS), 0u) << "channel 0x" << std::hex << ch;
			EXPECT_EQ(ctl(ch + HERMES_XDMA_CH_CMPL_CNT), 0u) << "channel 0x" << std::hex << ch;
		}
		EXPECT_EQ(ctl(HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_CH_EN), 0u);
	}

	// Every slot can be allocated (so all were free), a data slot reads zero
	// where the old owner wrote, and all are given back.
	void expect_all_slots_free_and_zero(size_t check_bytes)
	{
		std::vector<unsigned> p, d;
		for (unsigned i = 0; i < info.prog_slots; i++) {
			unsigned s;
			ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &s), 0) << "program slot " << i;
			p.push_back(s);
		}
		for (unsigned i = 0; i < info.data_slots; i++) {
			unsigned s;
			ASSERT_EQ(hermes__slot_alloc(dev, 1, HERMES_SLOT_DATA, &s), 0) << "data slot " << i;
			d.push_back(s);
		}
		unsigned extra;
		EXPECT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &extra), int(HERMES_ST_NO_SLOT));
		std::vector<uint8_t> buf(check_bytes), zero(check_bytes, 0);
		for (unsigned s : d) {
			ASSERT_EQ(from_card(data_addr(s), buf.data(), buf.size()), 0) << hermes_dev_errmsg(dev);
			EXPECT_EQ(first_diff(buf.data(), zero.data(), buf.size()), -1) << "data slot " << s;
		}
		for (unsigned s : p) {
			ASSERT_EQ(from_card(prog_addr(s), buf.data(), 64), 0);
			EXPECT_EQ(first_diff(buf.data(), zero.data(), 64), -1) << "program slot " << s;
			EXPECT_EQ(hermes__slot_release(dev, 0, HERMES_SLOT_PROG, s), 0);
		}
		for (unsigned s : d)
			EXPECT_EQ(hermes__slot_release(dev, 1, HERMES_SLOT_DATA, s), 0);
	}

	void expect_next_run_succeeds()
	{
		struct hermes_prog *prog = nullptr;
		ASSERT_EQ(hermes_prog_from_bytecode(kRet42, sizeof(kRet42), &prog), 0);
		struct hermes_run_result res;
		uint8_t in[8] = {}, out[8];
		EXPECT_EQ(hermes_run(dev, prog, in, sizeof(in), out, sizeof(out), nullptr, &res), 0)
			<< hermes_dev_errmsg(dev);
		EXPECT_EQ(res.status, HERMES_ST_SUCCESS);
		EXPECT_EQ(res.r0, 42u);
		hermes_prog_free(prog);
	}
};

TEST_F(CardReset, CapabilityBitAndIdleRegister)
{
	EXPECT_TRUE(info.caps & HERMES_CAP_RESET) << "EHCAP 0x" << std::hex << info.caps;
	EXPECT_EQ(rd(HERMES_EHRESET), 0u) << "idle, no reset since power-on";
}

TEST_F(CardReset, WrongKeyIsRefusedWithSlverrAndChangesNothing)
{
	start_spin(2);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHRESET, HERMES_RESET_KEY ^ 1, 0xf), HERMES_SIM_SLVERR);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHRESET, 0, 0xf), HERMES_SIM_SLVERR);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHRESET, HERMES_RESET_KEY, 0x7), HERMES_SIM_SLVERR)
		<< "all four byte lanes are part of the key";
	EXPECT_EQ(dev->bus->ops->write32(dev->bus, HERMES_EHRESET, 0x12345678), -EIO);
	hermes_sim_run(sim, 1000);
	EXPECT_EQ(rd(HERMES_EHRESET), 0u) << "not busy, count unchanged";
	EXPECT_EQ(rd(HERMES_EHENGSTAT(2) + HERMES_STAT_STATE), HERMES_STATE_RUNNING) << "the program still runs";
	EXPECT_EQ(rd(HERMES_EHCMDCTRL(2)) & 0x101u, 1u);
}

TEST_F(CardReset, ResetStopsANeverEndingProgramAndFreesEverything)
{
	start_spin(1);
	start_spin(3);
	uint64_t clocks = reset_card();
	std::printf("reset with two programs running: %llu clocks\n", (unsigned long long)clocks);
	EXPECT_EQ(resets(), 1u);
	expect_power_on_registers();
	expect_all_slots_free_and_zero(4096);
	expect_next_run_succeeds();
}

TEST_F(CardReset, ResetWithSlotsAllocatedScrubsWhatTheOwnersWrote)
{
	unsigned ps, ds[3];
	ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &ps), 0);
	std::vector<uint8_t> secret = pattern(48 << 10, 7);
	ASSERT_EQ(to_card(prog_addr(ps), secret.data(), 4096), 0);
	for (unsigned &d : ds) {
		ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &d), 0);
		ASSERT_EQ(to_card(data_addr(d), secret.data(), secret.size()), 0);
	}
	uint64_t first = reset_card();
	std::printf("reset with 4 slots written: %llu clocks\n", (unsigned long long)first);
	// One clock per line written (64 + 3 x 768), not per line of the slots (3 x 16384 + 1024).
	EXPECT_GE(first, 64u + 3 * 768u);
	EXPECT_LT(first, 4000u);
	expect_power_on_registers();
	// Zero already, before anyone allocates them: nothing survives the reset.
	std::vector<uint8_t> buf(secret.size()), zero(secret.size(), 0);
	for (unsigned d : ds) {
		ASSERT_EQ(from_card(data_addr(d), buf.data(), buf.size()), 0);
		EXPECT_EQ(first_diff(buf.data(), zero.data(), buf.size()), -1) << "data slot " << d;
	}
	expect_all_slots_free_and_zero(secret.size());
	expect_next_run_succeeds();
	// A second reset right away has nothing left to scrub: it is quick.
	uint64_t clocks = reset_card();
	std::printf("reset of a clean card: %llu clocks\n", (unsigned long long)clocks);
	EXPECT_LT(clocks, 100u);
	EXPECT_EQ(resets(), 2u);
}

TEST_F(CardReset, ResetDuringADmaInFlight)
{
	// Two descriptors pointing at each other: the H2C channel never stops.
	uint64_t sbus;
	size_t ssize;
	uint8_t *scratch = hermes_xdma_scratch(x, &sbus, &ssize);
	ASSERT_NE(scratch, nullptr);
	auto desc = [&](unsigned i, uint64_t src, uint64_t dst, uint64_t next) {
		hermes_xdma_desc d{ HERMES_XDMA_DESC_MAGIC, 8192, uint32_t(src), uint32_t(src >> 32), uint32_t(dst),
				    uint32_t(dst >> 32), uint32_t(next), uint32_t(next >> 32) };
		std::memcpy(scratch + 32 * i, &d, sizeof(d));
	};
	unsigned ds;
	ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &ds), 0);
	std::memset(scratch + 16384, 0x5a, 8192);
	desc(0, sbus + 16384, data_addr(ds), sbus + 32);
	desc(1, sbus + 16384, data_addr(ds) + 8192, sbus);
	uint32_t sg = HERMES_XDMA_H2C_SG(0);
	ctl_w(sg + HERMES_XDMA_SG_DESC_LO, uint32_t(sbus));
	ctl_w(sg + HERMES_XDMA_SG_DESC_HI, uint32_t(sbus >> 32));
	ctl_w(sg + HERMES_XDMA_SG_DESC_ADJ, 0);
	ctl_w(HERMES_XDMA_H2C(0) + HERMES_XDMA_CH_CTRL, HERMES_XDMA_CTRL_RUN);
	hermes_sim_run(sim, 3000);
	ASSERT_TRUE(ctl(HERMES_XDMA_H2C(0) + HERMES_XDMA_CH_STATUS) & HERMES_XDMA_ST_BUSY) << "DMA running";
	ASSERT_GT(ctl(HERMES_XDMA_H2C(0) + HERMES_XDMA_CH_CMPL_CNT), 0u);

	struct hermes_hostmem_stats before, after;
	hermes_hostmem_stats(hermes_sim_hostmem(sim), &before);
	uint64_t clocks = reset_card();
	std::printf("reset during a DMA: %llu clocks\n", (unsigned long long)clocks);
	hermes_hostmem_stats(hermes_sim_hostmem(sim), &after);
	EXPECT_EQ(after.errors, before.errors) << "every host burst completed by the AXI rules";
	expect_power_on_registers();
	// The driver's transfers work again, and the slot the DMA wrote is zero.
	ctl_w(HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_USR_EN_W1S, 0xFFFFu);
	expect_all_slots_free_and_zero(16384);
	round_trip(0x8000 + 5, 1000, 3, 4, 1234);
	expect_next_run_succeeds();
}

TEST_F(CardReset, CommandAndDmaWritesAreRefusedWhileTheResetDrains)
{
	// The access right after the key lands in the drain/reset phase.
	start_spin(0);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHRESET, HERMES_RESET_KEY, 0xf), HERMES_SIM_OKAY);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDCTRL(1), kExecIrq, 0xf), HERMES_SIM_SLVERR);
	EXPECT_EQ(hermes_sim_bar2_write(sim, HERMES_XDMA_H2C(0) + HERMES_XDMA_CH_CTRL, HERMES_XDMA_CTRL_RUN, 0xf),
		  HERMES_SIM_SLVERR);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHRESET, HERMES_RESET_KEY, 0xf), HERMES_SIM_OKAY)
		<< "the key while resetting is accepted and joins the reset in progress";
	for (int i = 0; i < 1000 && (rd(HERMES_EHRESET) & HERMES_RESET_BUSY); i++)
		hermes_sim_run(sim, 1000);
	EXPECT_EQ(resets(), 1u);
	expect_power_on_registers();
}

TEST_F(CardReset, LibraryResetEndsWithTheCardUsable)
{
	start_spin(2);
	ASSERT_EQ(hermes_dev_reset(dev), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(resets(), 1u);
	EXPECT_EQ(ctl(HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_USR_EN), 0xFFFu)
		<< "user interrupts (4 engines, 8 hardware queues) enabled again";
	expect_all_slots_free_and_zero(4096);
	expect_next_run_succeeds();
}

TEST_F(CardReset, PinResetLeavesTheSameState)
{
	start_spin(1);
	unsigned ds;
	ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &ds), 0);
	std::vector<uint8_t> secret = pattern(8192, 9);
	ASSERT_EQ(to_card(data_addr(ds), secret.data(), secret.size()), 0);
	hermes_sim_reset(sim);
	ctl_w(HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_USR_EN_W1S, 0xFFFFu);
	EXPECT_EQ(rd(HERMES_EHRESET), 0u);
	expect_power_on_registers();
	expect_all_slots_free_and_zero(secret.size());
	expect_next_run_succeeds();
}

TEST_F(CardReset, TheResetCountTellsSlotHoldersTheirSlotsAreGone)
{
	uint32_t before = 99;
	ASSERT_EQ(hermes__reset_count(dev, &before), 0);
	EXPECT_EQ(before, 0u);
	EXPECT_EQ(hermes__reset_check(dev, before, "the test"), 0) << "no reset yet";
	ASSERT_EQ(hermes_dev_reset(dev), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(hermes__reset_check(dev, before, "the test"), -ECANCELED);
	EXPECT_NE(std::string(hermes_dev_errmsg(dev)).find("card was reset during the test"), std::string::npos)
		<< hermes_dev_errmsg(dev);
}

TEST(CardResetRef, RefHasNoCardToReset)
{
	struct hermes_dev *dev;
	ASSERT_EQ(hermes_dev_open("ref", &dev), 0);
	EXPECT_EQ(hermes_dev_reset(dev), -EOPNOTSUPP);
	EXPECT_NE(std::string(hermes_dev_errmsg(dev)).find("no card to reset"), std::string::npos);
	hermes_dev_close(dev);
}

} // namespace
