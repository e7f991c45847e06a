// SPDX-License-Identifier: MIT
// Command registers misused (docs/REGISTERS.md "Per-engine command
// registers"): EXEC and request writes while a program runs, EXEC with an
// unacknowledged DONE, ABORT with nothing to abort, and Run Program with
// lengths far beyond a slot. Each has one defined outcome and leaves the
// engine usable.
#include <gtest/gtest.h>

#include <cstring>

#include "cmd.h"
#include "dev.h"
#include "hermes/hermes.h"
#include "hermes_sim.h"

namespace {

constexpr uint32_t kExecIrq = 0x01000001u, kAbortIrq = 0x01010000u, kAckIrq = 0x01000000u;
constexpr uint32_t kBusy = 1u << HERMES_CTRL_EXEC_SHIFT, kDone = 1u << HERMES_CTRL_DONE_SHIFT;

class EngineMisuse : public ::testing::Test {
protected:
	void SetUp() override
	{
		// The RTL's answer to each write is checked: no posted writes.
		ASSERT_EQ(hermes_dev_open("sim:cost=zero", &dev), 0) << hermes_dev_errmsg(nullptr);
		ASSERT_EQ(hermes_dev_info(dev, &info), 0) << hermes_dev_errmsg(dev);
		sim = hermes__dev_sim(dev);
		ASSERT_NE(sim, nullptr);
		ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &ps), 0) << hermes_dev_errmsg(dev);
		ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &ds), 0) << hermes_dev_errmsg(dev);
	}
	void TearDown() override { hermes_dev_close(dev); }

	// Raw BAR0 accesses: the AXI response, not an errno.
	int write(uint32_t off, uint32_t v) { return hermes_sim_bar0_write(sim, off, v, 0xf); }
	uint32_t rd(uint32_t off)
	{
		uint32_t v = 0;
		EXPECT_EQ(hermes_sim_bar0_read(sim, off, &v), HERMES_SIM_OKAY) << "read 0x" << std::hex << off;
		return v;
	}
	void write_req(unsigned e, const uint32_t (&w)[8])
	{
		for (unsigned i = 0; i < 8; i++)
			ASSERT_EQ(write(HERMES_EHCMDREQ(e) + 4 * i, w[i]), HERMES_SIM_OKAY) << "request word " << i;
	}
	// Run Program of the slots, prog_len and data_len as given, never-ending
	// budget, command id `id`.
	void start_run(unsigned e, uint16_t id, uint32_t prog_len = 8, uint32_t data_len = 0)
	{
		write_req(e, { HERMES_CMD_RUN | uint32_t(id) << 16, 0, ps | ds << 8, prog_len, data_len, 0xffffffffu, 0, 0 });
		ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kExecIrq), HERMES_SIM_OKAY);
	}
	void load_spin()
	{
		static const uint8_t spin[8] = { 0x05, 0x00, 0xff, 0xff, 0, 0, 0, 0 }; // ja -1
		ASSERT_EQ(dev->bus->ops->dma_to_card(dev->bus, info.prog_slot_off + uint64_t(ps) * info.prog_slot_size,
						     spin, sizeof(spin)), 0) << hermes_dev_errmsg(dev);
	}
	// Clock until engine e raises DONE (bounded); its EHCMDRES word 0.
	uint32_t wait_done(unsigned e)
	{
		uint32_t pending = 0;
		EXPECT_EQ(hermes_sim_wait_irq(sim, 1u << e, 0, 200000, &pending, nullptr), 0) << "no completion";
		return rd(HERMES_EHCMDRES(e));
	}

	hermes_dev *dev = nullptr;
	hermes_sim *sim = nullptr;
	hermes_info info{};
	unsigned ps = 0, ds = 0;
};

TEST_F(EngineMisuse, ExecAndRequestWritesWhileBusyLeaveTheRunningCommandAlone)
{
	const unsigned e = 1;
	load_spin();
	start_run(e, 0x4242);
	hermes_sim_run(sim, 3000);
	ASSERT_EQ(rd(HERMES_EHCMDCTRL(e)) & (kBusy | kDone), kBusy) << "the program runs";

	// A new request is refused word by word and changes nothing.
	for (unsigned i = 0; i < 8; i++)
		EXPECT_EQ(write(HERMES_EHCMDREQ(e) + 4 * i, 0x5a5a0000u | i), HERMES_SIM_SLVERR) << "request word " << i;
	EXPECT_EQ(rd(HERMES_EHCMDREQ(e)), HERMES_CMD_RUN | 0x4242u << 16) << "request kept";
	EXPECT_EQ(rd(HERMES_EHCMDREQ(e) + 12), 8u) << "program length kept";

	// EXEC again (alone, with an acknowledge, with IRQ enable off): accepted
	// on the bus, ignored by the engine; the program keeps running.
	uint32_t insns = rd(HERMES_EHENGSTAT(e) + HERMES_STAT_INSNS);
	for (uint32_t v : { kExecIrq, 0x00000001u, kExecIrq | kDone }) {
		EXPECT_EQ(write(HERMES_EHCMDCTRL(e), v), HERMES_SIM_OKAY) << "EXEC write 0x" << std::hex << v;
		hermes_sim_run(sim, 500);
		uint32_t now = rd(HERMES_EHENGSTAT(e) + HERMES_STAT_INSNS);
		EXPECT_GT(now, insns) << "the running program stopped after EXEC 0x" << std::hex << v;
		insns = now;
		EXPECT_EQ(rd(HERMES_EHCMDCTRL(e)) & (kBusy | kDone), kBusy);
		EXPECT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_STATE), HERMES_STATE_RUNNING);
	}
	EXPECT_EQ(hermes_sim_usr_irq(sim) & (1u << e), 0u) << "no completion interrupt while it runs";

	// The original command ends (by ABORT) with its own id, once.
	ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kAbortIrq | (kExecIrq & 0xff)), HERMES_SIM_OKAY);
	uint32_t res = wait_done(e);
	EXPECT_EQ(res & 0xffff, 0x4242u) << "the response is the running command's";
	EXPECT_EQ((res >> 16) & 0xff, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(rd(HERMES_EHCMDRES(e) + 12), uint32_t(HERMES_FAULT_ABORTED));
	ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kAckIrq), HERMES_SIM_OKAY);
	hermes_sim_run(sim, 2000);
	EXPECT_EQ(rd(HERMES_EHCMDCTRL(e)) & (kBusy | kDone), 0u) << "an EXEC refused while busy is not queued";
	EXPECT_EQ(hermes_sim_usr_irq(sim) & (1u << e), 0u);

	// The engine takes the next command normally.
	write_req(e, { HERMES_CMD_REQ_SLOT | 0x77u << 16, 0, HERMES_SLOT_DATA, 0, 0, 0, 0, 0 });
	ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kExecIrq), HERMES_SIM_OKAY);
	res = wait_done(e);
	EXPECT_EQ(res & 0xffff, 0x77u);
	EXPECT_EQ((res >> 16) & 0xff, HERMES_ST_SUCCESS);
}

TEST_F(EngineMisuse, ExecWithDoneUnacknowledgedStartsTheNextCommand)
{
	const unsigned e = 2;
	write_req(e, { 0x55u | 0x1111u << 16, 0, 0, 0, 0, 0, 0, 0 }); // invalid opcode
	ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kExecIrq), HERMES_SIM_OKAY);
	EXPECT_EQ((wait_done(e) >> 16) & 0xff, HERMES_ST_BAD_OPCODE);
	ASSERT_TRUE(rd(HERMES_EHCMDCTRL(e)) & kDone);
	// No acknowledge: the request is writable (the engine is idle) and EXEC
	// starts the command; DONE and the interrupt drop until it completes.
	write_req(e, { 0x66u | 0x2222u << 16, 0, 0, 0, 0, 0, 0, 0 });
	ASSERT_EQ(write(HERMES_EHCMDCTRL(e), 0x01000101u), HERMES_SIM_OKAY) << "EXEC with DONE written 1";
	uint32_t res = wait_done(e);
	EXPECT_EQ(res & 0xffff, 0x2222u) << "the second command ran";
	EXPECT_EQ((res >> 16) & 0xff, HERMES_ST_BAD_OPCODE);
	ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kAckIrq), HERMES_SIM_OKAY);
	EXPECT_EQ(rd(HERMES_EHCMDCTRL(e)) & (kBusy | kDone), 0u);
}

TEST_F(EngineMisuse, AbortWithNothingToAbortIsIgnored)
{
	const unsigned e = 3;
	// Idle engine.
	ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kAbortIrq), HERMES_SIM_OKAY);
	hermes_sim_run(sim, 200);
	EXPECT_EQ(rd(HERMES_EHCMDCTRL(e)) & (kBusy | kDone), 0u) << "no command appeared";
	EXPECT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_STATE), HERMES_STATE_IDLE);
	// Together with EXEC of a slot command: the command completes normally.
	write_req(e, { HERMES_CMD_REQ_SLOT | 0x3333u << 16, 0, HERMES_SLOT_PROG, 0, 0, 0, 0, 0 });
	ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kAbortIrq | 1u), HERMES_SIM_OKAY);
	uint32_t res = wait_done(e);
	EXPECT_EQ(res & 0xffff, 0x3333u);
	EXPECT_EQ((res >> 16) & 0xff, HERMES_ST_SUCCESS) << "ABORT does not touch a slot command";
	EXPECT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_STATE), HERMES_STATE_IDLE);
}

TEST_F(EngineMisuse, RunWithHugeLengthsIsRefusedWithoutRunning)
{
	const unsigned e = 0;
	load_spin();
	struct { uint32_t prog, data; } cases[] = {
		{ HERMES_DEFAULT_PROG_SLOT_SIZE + 8, 0 }, { 1u << 28, 0 }, { 0x0ffffff8u, 0 },
		{ 0x80000000u, 0 }, { 0xfffffff8u, 0 }, { 8, HERMES_DEFAULT_DATA_SLOT_SIZE + 1 },
		{ 8, 1u << 28 }, { 8, 0x80000000u }, { 8, 0xffffffffu }, { 0xfffffff8u, 0xffffffffu },
	};
	for (auto &c : cases) {
		SCOPED_TRACE(::testing::Message() << std::hex << "prog_len 0x" << c.prog << " data_len 0x" << c.data);
		uint32_t insns = rd(HERMES_EHENGSTAT(e) + HERMES_STAT_INSNS);
		start_run(e, 0x0100, c.prog, c.data);
		uint32_t res = wait_done(e);
		EXPECT_EQ((res >> 16) & 0xff, HERMES_ST_BAD_ADDR);
		EXPECT_EQ(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_INSNS), insns) << "the program did not start";
		ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kAckIrq), HERMES_SIM_OKAY);
	}
	// The largest valid lengths still run (and the budget stops the spin).
	write_req(e, { HERMES_CMD_RUN | 0x0200u << 16, 0, ps | ds << 8, HERMES_DEFAULT_PROG_SLOT_SIZE,
		       HERMES_DEFAULT_DATA_SLOT_SIZE, 100, 0, 0 });
	ASSERT_EQ(write(HERMES_EHCMDCTRL(e), kExecIrq), HERMES_SIM_OKAY);
	uint32_t res = wait_done(e);
	EXPECT_EQ((res >> 16) & 0xff, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(rd(HERMES_EHCMDRES(e) + 12), uint32_t(HERMES_FAULT_BUDGET)) << "ran until its budget";
}

} // namespace
