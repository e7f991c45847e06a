// SPDX-License-Identifier: MIT
// ABORT on the simulated card: a program that never ends is stopped by the
// host with EHCMDCTRL ABORT, completes with status 5 / fault 7 at the next
// instruction, and the engine runs the next command normally. Also the
// instruction budget and the timeout of hermes_run, which on the simulator
// counts card time (its clocks at 250 MHz), not the host's.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "cmd.h"
#include "dev.h"
#include "hermes/hermes.h"
#include "hermes_sim.h"

namespace {

constexpr uint32_t kExecIrq = 0x01000001u, kAbortIrq = 0x01010000u, kAckIrq = 0x01000000u;

class CardAbort : public ::testing::Test {
protected:
	void SetUp() override
	{
		ASSERT_EQ(hermes_dev_open("sim", &dev), 0) << hermes_dev_errmsg(nullptr);
		ASSERT_EQ(hermes_dev_info(dev, &info), 0) << hermes_dev_errmsg(dev);
	}
	void TearDown() override { hermes_dev_close(dev); }

	uint32_t rd(uint32_t off)
	{
		uint32_t v = 0;
		EXPECT_EQ(dev->bus->ops->read32(dev->bus, off, &v), 0) << hermes_dev_errmsg(dev);
		return v;
	}
	void wr(uint32_t off, uint32_t v) { EXPECT_EQ(dev->bus->ops->write32(dev->bus, off, v), 0); }

	struct hermes_dev *dev = nullptr;
	struct hermes_info info;
};

TEST_F(CardAbort, AbortStopsARunawayProgramAndTheEngineIsReusable)
{
	static const uint8_t spin[8] = { 0x05, 0x00, 0xff, 0xff, 0, 0, 0, 0 }; // ja -1
	unsigned ps, ds, e = 2;
	ASSERT_EQ(hermes__slot_alloc(dev, e, HERMES_SLOT_PROG, &ps), 0);
	ASSERT_EQ(hermes__slot_alloc(dev, e, HERMES_SLOT_DATA, &ds), 0);
	ASSERT_EQ(dev->bus->ops->dma_to_card(dev->bus, info.prog_slot_off + (uint64_t)ps * info.prog_slot_size,
					     spin, sizeof(spin)), 0);
	uint32_t req[8] = { HERMES_CMD_RUN | 0x4242u << 16, 0, ps | ds << 8, 8, 0, 0xffffffffu, 0, 0 };
	for (unsigned w = 0; w < 8; w++)
		wr(HERMES_EHCMDREQ(e) + 4 * w, req[w]);
	wr(HERMES_EHCMDCTRL(e), kExecIrq);
	hermes_sim_run(hermes__dev_sim(dev), 5000);
	EXPECT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_STATE), HERMES_STATE_RUNNING);
	EXPECT_EQ(rd(HERMES_EHCMDCTRL(e)) & 0x101u, 1u) << "busy, not done";
	uint32_t before = rd(HERMES_EHENGSTAT(e) + HERMES_STAT_INSNS);
	EXPECT_GT(before, 1000u) << "the program is running";

	wr(HERMES_EHCMDCTRL(e), kAbortIrq);
	uint32_t pending = 0;
	ASSERT_EQ(dev->bus->ops->wait_irq(dev->bus, 1u << e, 1000, &pending), 0) << "completion after ABORT";
	uint32_t res0 = rd(HERMES_EHCMDRES(e));
	EXPECT_EQ(res0 & 0xffff, 0x4242u) << "command id";
	EXPECT_EQ((res0 >> 16) & 0xff, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(rd(HERMES_EHCMDRES(e) + 12), (uint32_t)HERMES_FAULT_ABORTED) << "cause in the response";
	EXPECT_EQ(rd(HERMES_EHCMDRES(e) + 8), 0u) << "fault pc: the next instruction (pc 0)";
	EXPECT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_FAULT_CAUSE), (uint32_t)HERMES_FAULT_ABORTED);
	EXPECT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_STATE), HERMES_STATE_FAULT);
	wr(HERMES_EHCMDCTRL(e), kAckIrq);
	EXPECT_EQ(hermes__slot_release(dev, e, HERMES_SLOT_DATA, ds), 0);
	EXPECT_EQ(hermes__slot_release(dev, e, HERMES_SLOT_PROG, ps), 0);

	// The same engine runs the next program normally.
	static const uint8_t ret7[16] = { 0xb7, 0x00, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
	struct hermes_prog *prog;
	ASSERT_EQ(hermes_prog_from_bytecode(ret7, sizeof(ret7), &prog), 0);
	struct hermes_run_opts ro = { .sz = sizeof(ro), .engine = (int)e };
	struct hermes_run_result res;
	ASSERT_EQ(hermes_run(dev, prog, nullptr, 0, nullptr, 0, &ro, &res), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(res.status, HERMES_ST_SUCCESS);
	EXPECT_EQ(res.r0, 7u);
	EXPECT_EQ(res.insns, 2u);
	hermes_prog_free(prog);
}

TEST_F(CardAbort, HostTimeoutAbortsAndReportsIt)
{
	static const uint8_t spin[8] = { 0x05, 0x00, 0xff, 0xff, 0, 0, 0, 0 };
	struct hermes_prog *prog;
	ASSERT_EQ(hermes_prog_from_bytecode(spin, sizeof(spin), &prog), 0);
	// 2 ms of card time: 500,000 clocks, seconds of simulation.
	struct hermes_run_opts ro = { .sz = sizeof(ro), .engine = 1, .max_insns = 0xffffffffu, .timeout_ms = 2 };
	struct hermes_run_result res;
	EXPECT_EQ(hermes_run(dev, prog, nullptr, 0, nullptr, 0, &ro, &res), -ETIMEDOUT);
	std::printf("timeout message: %s\n", hermes_dev_errmsg(dev));
	EXPECT_NE(strstr(hermes_dev_errmsg(dev), "did not complete"), nullptr);
	EXPECT_EQ(rd(HERMES_EHCMDCTRL(1)) & 1u, 0u) << "engine 1 idle again";
	// Budget: the same program stops by itself with fault 5 after exactly the budget.
	ro.max_insns = 1000;
	ro.timeout_ms = 0;
	ASSERT_EQ(hermes_run(dev, prog, nullptr, 0, nullptr, 0, &ro, &res), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(res.status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(res.cause, (unsigned)HERMES_FAULT_BUDGET);
	EXPECT_EQ(res.insns, 1000u);
	hermes_prog_free(prog);
}

// The timeout is card time: however loaded the host, the run is given up
// after 2 ms of the card's clocks (500,000), and not much later: the
// ABORT and its acknowledgement take a few hundred clocks.
TEST_F(CardAbort, TimeoutCountsCardClocksNotHostTime)
{
	static const uint8_t spin[8] = { 0x05, 0x00, 0xff, 0xff, 0, 0, 0, 0 };
	struct hermes_prog *prog;
	ASSERT_EQ(hermes_prog_from_bytecode(spin, sizeof(spin), &prog), 0);
	struct hermes_run_opts ro = { .sz = sizeof(ro), .engine = 0, .max_insns = 0xffffffffu, .timeout_ms = 2 };
	struct hermes_run_result res;
	uint64_t t0 = hermes_sim_cycles(hermes__dev_sim(dev));
	EXPECT_EQ(hermes_run(dev, prog, nullptr, 0, nullptr, 0, &ro, &res), -ETIMEDOUT);
	uint64_t clocks = hermes_sim_cycles(hermes__dev_sim(dev)) - t0;
	EXPECT_GE(clocks, 500000u);
	EXPECT_LT(clocks, 560000u) << "timed out after " << clocks << " clocks";
	hermes_prog_free(prog);
}

} // namespace
