// SPDX-License-Identifier: MIT
// Command processors over BAR0 on the verilated card: Request/Release Slot,
// Run Program validation statuses, invalid opcodes, the EXEC/DONE handshake,
// command ids, the completion interrupt, and register access rules.
#include <gtest/gtest.h>

#include <cstring>
#include <set>

#include "hermes/regs.h"
#include "hermes_sim.h"

namespace {

constexpr uint32_t kExec = 1u << HERMES_CTRL_EXEC_SHIFT;
constexpr uint32_t kDone = 1u << HERMES_CTRL_DONE_SHIFT;
constexpr uint32_t kIrqEn = 1u << HERMES_CTRL_IRQEN_SHIFT;

struct Response {
	uint16_t id;
	uint8_t status;
	uint64_t data;
};

class Commands : public ::testing::Test {
protected:
	// The AXI-Lite protocol itself: the free bus, where every write returns
	// the card's answer and costs its handshake only (no PCIe cost model).
	void SetUp() override
	{
		static const struct hermes_sim_cost zero = HERMES_SIM_COST_ZERO;
		struct hermes_sim_opts so = {};

		so.sz = sizeof(so);
		so.cost = &zero;
		sim = hermes_sim_new(&so);
		ASSERT_NE(sim, nullptr);
	}
	void TearDown() override { hermes_sim_free(sim); }

	uint32_t rd(uint32_t off)
	{
		uint32_t v = 0;
		EXPECT_EQ(hermes_sim_bar0_read(sim, off, &v), HERMES_SIM_OKAY) << "read 0x" << std::hex << off;
		return v;
	}
	void wr(uint32_t off, uint32_t v)
	{
		EXPECT_EQ(hermes_sim_bar0_write(sim, off, v, 0xf), HERMES_SIM_OKAY) << "write 0x" << std::hex << off;
	}
	void write_req(unsigned e, const uint8_t (&req)[32])
	{
		for (unsigned i = 0; i < 32; i += 4) {
			uint32_t w;
			memcpy(&w, req + i, 4);
			wr(HERMES_EHCMDREQ(e) + i, w);
		}
	}
	// Issue a command and wait for its interrupt; returns the response.
	Response exec(unsigned e, uint8_t opcode, uint8_t b8 = 0, uint8_t b9 = 0, uint32_t len = 0,
		      uint32_t data_len = 0)
	{
		uint8_t req[32] = {};
		uint16_t id = ++next_id;
		req[0] = opcode;
		req[2] = id & 0xff;
		req[3] = id >> 8;
		req[8] = b8;
		req[9] = b9;
		memcpy(req + 12, &len, 4);
		memcpy(req + 16, &data_len, 4);
		write_req(e, req);
		wr(HERMES_EHCMDCTRL(e), kIrqEn | kExec);
		int t = 0;
		while (!(hermes_sim_usr_irq(sim) & (1u << e)) && t++ < 1000000)
			hermes_sim_run(sim, 1);
		EXPECT_LT(t, 1000000) << "no completion interrupt from engine " << e;
		uint32_t ctrl = rd(HERMES_EHCMDCTRL(e));
		EXPECT_TRUE(ctrl & kDone) << "DONE set at completion";
		EXPECT_FALSE(ctrl & kExec) << "EXEC cleared at completion";
		Response r;
		uint32_t w0 = rd(HERMES_EHCMDRES(e));
		r.id = w0 & 0xffff;
		r.status = (w0 >> 16) & 0xff;
		r.data = rd(HERMES_EHCMDRES(e) + 8) | (uint64_t)rd(HERMES_EHCMDRES(e) + 12) << 32;
		EXPECT_EQ(r.id, id) << "response echoes the command id";
		wr(HERMES_EHCMDCTRL(e), kIrqEn); // acknowledge
		EXPECT_FALSE(hermes_sim_usr_irq(sim) & (1u << e)) << "interrupt cleared by the acknowledge";
		return r;
	}

	struct hermes_sim *sim = nullptr;
	uint16_t next_id = 0x1230;
};

TEST_F(Commands, RequestSlotsUntilNoneLeftThenRelease)
{
	for (uint8_t type : { HERMES_SLOT_PROG, HERMES_SLOT_DATA }) {
		std::set<uint64_t> got;
		unsigned n = type == HERMES_SLOT_PROG ? HERMES_DEFAULT_PROG_SLOTS : HERMES_DEFAULT_DATA_SLOTS;
		for (unsigned i = 0; i < n; i++) {
			Response r = exec(i % HERMES_DEFAULT_ENGINES, HERMES_CMD_REQ_SLOT, type);
			ASSERT_EQ(r.status, HERMES_ST_SUCCESS) << "request " << i;
			EXPECT_LT(r.data, n);
			EXPECT_TRUE(got.insert(r.data).second) << "slot " << r.data << " handed out twice";
		}
		Response r = exec(0, HERMES_CMD_REQ_SLOT, type);
		EXPECT_EQ(r.status, HERMES_ST_NO_SLOT) << "type " << int(type) << " exhausted";
		r = exec(1, HERMES_CMD_REL_SLOT, type, 5);
		EXPECT_EQ(r.status, HERMES_ST_SUCCESS);
		r = exec(2, HERMES_CMD_REQ_SLOT, type);
		EXPECT_EQ(r.status, HERMES_ST_SUCCESS);
		EXPECT_EQ(r.data, 5u) << "the released slot is the free one";
	}
}

TEST_F(Commands, ReleasingAnUnallocatedSlotFails)
{
	EXPECT_EQ(exec(0, HERMES_CMD_REL_SLOT, HERMES_SLOT_PROG, 3).status, HERMES_ST_BAD_PROG_SLOT);
	EXPECT_EQ(exec(0, HERMES_CMD_REL_SLOT, HERMES_SLOT_DATA, 3).status, HERMES_ST_BAD_DATA_SLOT);
	EXPECT_EQ(exec(0, HERMES_CMD_REL_SLOT, HERMES_SLOT_DATA, 200).status, HERMES_ST_BAD_DATA_SLOT);
	Response r = exec(0, HERMES_CMD_REQ_SLOT, HERMES_SLOT_DATA);
	ASSERT_EQ(r.status, HERMES_ST_SUCCESS);
	EXPECT_EQ(exec(1, HERMES_CMD_REL_SLOT, HERMES_SLOT_DATA, r.data).status, HERMES_ST_SUCCESS);
	EXPECT_EQ(exec(1, HERMES_CMD_REL_SLOT, HERMES_SLOT_DATA, r.data).status, HERMES_ST_BAD_DATA_SLOT)
		<< "double release";
}

TEST_F(Commands, UnknownSlotTypeIsRefused)
{
	EXPECT_EQ(exec(0, HERMES_CMD_REQ_SLOT, 7).status, HERMES_ST_BAD_PROG_SLOT);
}

TEST_F(Commands, InvalidOpcodes)
{
	for (uint8_t op : { 0x02, 0x7f, 0x81, 0xff })
		EXPECT_EQ(exec(3, op).status, HERMES_ST_BAD_OPCODE) << "opcode 0x" << std::hex << int(op);
}

TEST_F(Commands, RunValidatesSlotsAndLengths)
{
	Response p = exec(0, HERMES_CMD_REQ_SLOT, HERMES_SLOT_PROG);
	Response d = exec(0, HERMES_CMD_REQ_SLOT, HERMES_SLOT_DATA);
	ASSERT_EQ(p.status, 0);
	ASSERT_EQ(d.status, 0);
	uint8_t ps = p.data, ds = d.data;
	EXPECT_EQ(exec(0, HERMES_CMD_RUN, ps ^ 1, ds, 8).status, HERMES_ST_BAD_PROG_SLOT) << "unallocated program slot";
	EXPECT_EQ(exec(0, HERMES_CMD_RUN, 99, ds, 8).status, HERMES_ST_BAD_PROG_SLOT) << "program slot out of range";
	EXPECT_EQ(exec(0, HERMES_CMD_RUN, ps, ds ^ 1, 8).status, HERMES_ST_BAD_DATA_SLOT) << "unallocated data slot";
	EXPECT_EQ(exec(0, HERMES_CMD_RUN, ps, 99, 8).status, HERMES_ST_BAD_DATA_SLOT) << "data slot out of range";
	EXPECT_EQ(exec(0, HERMES_CMD_RUN, ps, ds, 0).status, HERMES_ST_BAD_ADDR) << "empty program";
	EXPECT_EQ(exec(0, HERMES_CMD_RUN, ps, ds, 12).status, HERMES_ST_BAD_ADDR) << "length not a multiple of 8";
	EXPECT_EQ(exec(0, HERMES_CMD_RUN, ps, ds, HERMES_DEFAULT_PROG_SLOT_SIZE + 8).status, HERMES_ST_BAD_ADDR)
		<< "program longer than its slot";
	EXPECT_EQ(exec(0, HERMES_CMD_RUN, ps, ds, 8, HERMES_DEFAULT_DATA_SLOT_SIZE + 1).status, HERMES_ST_BAD_ADDR)
		<< "data length beyond the slot";
}

TEST_F(Commands, DisabledInterruptStillSetsDone)
{
	uint8_t req[32] = {};
	req[0] = 0x55; // invalid opcode
	write_req(1, req);
	wr(HERMES_EHCMDCTRL(1), kExec); // IRQ enable byte 0
	hermes_sim_run(sim, 20);
	EXPECT_FALSE(hermes_sim_usr_irq(sim) & 2u) << "no interrupt with IRQ enable 0";
	uint32_t ctrl = rd(HERMES_EHCMDCTRL(1));
	EXPECT_TRUE(ctrl & kDone);
	EXPECT_FALSE(ctrl & kIrqEn);
	EXPECT_EQ((rd(HERMES_EHCMDRES(1)) >> 16) & 0xff, HERMES_ST_BAD_OPCODE);
}

TEST_F(Commands, RegisterAccessRules)
{
	uint32_t v;
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDRES(0), 1, 0xf), HERMES_SIM_SLVERR) << "EHCMDRES is read-only";
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHENGSTAT(0), 1, 0xf), HERMES_SIM_SLVERR) << "EHENGSTAT is read-only";
	EXPECT_EQ(hermes_sim_bar0_read(sim, HERMES_EHCMDREQ(HERMES_DEFAULT_ENGINES), &v), HERMES_SIM_SLVERR)
		<< "no engine 4";
	EXPECT_EQ(hermes_sim_bar0_read(sim, HERMES_EHCMDCTRL(HERMES_DEFAULT_ENGINES), &v), HERMES_SIM_SLVERR);
	EXPECT_EQ(hermes_sim_bar0_read(sim, HERMES_EHENGSTAT(HERMES_DEFAULT_ENGINES), &v), HERMES_SIM_SLVERR);
	// The request reads back what was written, per engine.
	wr(HERMES_EHCMDREQ(2) + 20, 0xa5a5f00d);
	EXPECT_EQ(rd(HERMES_EHCMDREQ(2) + 20), 0xa5a5f00du);
	EXPECT_EQ(rd(HERMES_EHCMDREQ(1) + 20), 0u);
	EXPECT_EQ(rd(HERMES_EHCMDCTRL(0)), kIrqEn) << "reset: idle, not done, IRQ enabled";
	EXPECT_EQ(rd(HERMES_EHENGSTAT(0) + HERMES_STAT_STATE), HERMES_STATE_IDLE);
}

} // namespace
