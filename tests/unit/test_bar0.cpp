// SPDX-License-Identifier: MIT
// BAR0 over the verilated card: identity registers, AXI-Lite protocol
// (back-to-back accesses, AW/W ordering, byte fields), unmapped and
// read-only offsets.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "hermes/regs.h"
#include "hermes_sim.h"

namespace {

class Bar0 : public ::testing::Test {
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

	uint32_t read_ok(uint32_t off)
	{
		uint32_t v = 0xdeadbeef;
		int resp = hermes_sim_bar0_read(sim, off, &v);
		EXPECT_EQ(resp, HERMES_SIM_OKAY) << "read at 0x" << std::hex << off;
		return v;
	}

	struct hermes_sim *sim = nullptr;
};

TEST_F(Bar0, IdentityRegistersHoldTheDefaultGeometry)
{
	EXPECT_EQ(read_ok(HERMES_EHVER), HERMES_VERSION);
	uint32_t eng = read_ok(HERMES_EHENG);
	EXPECT_EQ(eng & 0xff, HERMES_DEFAULT_ENGINES) << "EHENG";
	EXPECT_EQ((eng >> 8) & 0xff, HERMES_DEFAULT_PROG_SLOTS) << "EHPSLOT";
	EXPECT_EQ((eng >> 16) & 0xff, HERMES_DEFAULT_DATA_SLOTS) << "EHDSLOT";
	EXPECT_EQ(eng >> 24, 0u) << "byte 0x37 is reserved and reads 0";
	EXPECT_EQ(read_ok(HERMES_EHPSOFF), 0u);
	EXPECT_EQ(read_ok(HERMES_EHPSSZE), HERMES_DEFAULT_PROG_SLOT_SIZE);
	EXPECT_EQ(read_ok(HERMES_EHDSOFF), HERMES_DEFAULT_PROG_SLOTS * HERMES_DEFAULT_PROG_SLOT_SIZE)
		<< "data slots follow the program slots";
	EXPECT_EQ(read_ok(HERMES_EHDSSZE), HERMES_DEFAULT_DATA_SLOT_SIZE);
	EXPECT_EQ(read_ok(HERMES_EHMAXI), HERMES_DEFAULT_MAX_INSNS);
}

TEST_F(Bar0, BuildIdIsGitDescribeNulPadded)
{
	std::string id;
	for (uint32_t off = 0; off < HERMES_EHBLD_LEN; off += 4) {
		uint32_t w = read_ok(HERMES_EHBLD + off);
		for (int b = 0; b < 4; b++)
			id.push_back(static_cast<char>(w >> (8 * b)));
	}
	std::string text = id.c_str();
	std::printf("EHBLD = '%s'\n", text.c_str());
	EXPECT_EQ(text.rfind("hermes-", 0), 0u) << "build id starts with hermes-";
	EXPECT_GT(text.size(), strlen("hermes-"));
	for (size_t i = text.size(); i < id.size(); i++)
		EXPECT_EQ(id[i], '\0') << "padding byte " << i;
}

TEST_F(Bar0, UnmappedReadsAnswerSlverrWithZero)
{
	for (uint32_t off : {0x54u, 0x0ffcu, 0x4010u, 0x4200u, 0x5000u, 0xfffcu}) {
		uint32_t v = 0x12345678;
		EXPECT_EQ(hermes_sim_bar0_read(sim, off, &v), HERMES_SIM_SLVERR) << "offset 0x" << std::hex << off;
		EXPECT_EQ(v, 0u) << "offset 0x" << std::hex << off;
	}
}

// Every word of the command pages (0x1000-0x3fff): inside an engine's
// window it answers OKAY and reaches that engine's register, anywhere else
// SLVERR. The windows' strides (48, 8, 64) are the eid-hermes layout.
TEST_F(Bar0, CommandWindowsDecodeEveryWordToItsEngine)
{
	const uint32_t engines = HERMES_DEFAULT_ENGINES;
	auto window_of = [&](uint32_t off, uint32_t *engine) -> const char * {
		for (uint32_t e = 0; e < engines; e++) {
			*engine = e;
			if (off >= HERMES_EHCMDREQ(e) && off < HERMES_EHCMDREQ(e) + HERMES_EHCMDREQ_LEN)
				return "EHCMDREQ";
			if (off >= HERMES_EHCMDRES(e) && off < HERMES_EHCMDRES(e) + HERMES_EHCMDRES_LEN)
				return "EHCMDRES";
			if (off >= HERMES_EHCMDCTRL(e) && off < HERMES_EHCMDCTRL(e) + HERMES_EHCMDCTRL_STRIDE)
				return "EHCMDCTRL";
			if (off >= HERMES_EHENGSTAT(e) && off < HERMES_EHENGSTAT(e) + HERMES_EHENGSTAT_STRIDE)
				return "EHENGSTAT";
		}
		return nullptr;
	};

	// The windows of one engine reach one command processor: a command
	// written through engine e's EHCMDREQ and started through its
	// EHCMDCTRL answers in its EHCMDRES with its own id (an unknown opcode,
	// so that nothing else happens).
	for (uint32_t e = 0; e < engines; e++)
		ASSERT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDREQ(e), (0x100u + e) << 16 | 0xee, 0xf),
			  HERMES_SIM_OKAY);
	for (uint32_t e = 0; e < engines; e++) {
		ASSERT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDCTRL(e), HERMES_CTRL_EXEC, 0x1), HERMES_SIM_OKAY);
		uint32_t ctrl = 0;
		for (int i = 0; i < 100 && !(ctrl & HERMES_CTRL_DONE); i++)
			ASSERT_EQ(hermes_sim_bar0_read(sim, HERMES_EHCMDCTRL(e), &ctrl), HERMES_SIM_OKAY);
		ASSERT_TRUE(ctrl & HERMES_CTRL_DONE) << "engine " << e << " did not finish its command";
		uint32_t res = 0;
		ASSERT_EQ(hermes_sim_bar0_read(sim, HERMES_EHCMDRES(e), &res), HERMES_SIM_OKAY);
		EXPECT_EQ(res & 0xffff, 0x100u + e) << "EHCMDRES of engine " << e << " answers another's command";
		EXPECT_EQ((res >> 16) & 0xff, HERMES_ST_BAD_OPCODE) << "engine " << e;
	}

	// A value of its own in every request word of every engine (after the
	// commands above), and the interrupt enable cleared on every other one.
	for (uint32_t e = 0; e < engines; e++) {
		for (uint32_t w = 0; w < HERMES_EHCMDREQ_LEN / 4; w++)
			ASSERT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDREQ(e) + 4 * w, 0xa5000000u | e << 8 | w, 0xf),
				  HERMES_SIM_OKAY);
		ASSERT_EQ(hermes_sim_bar0_write(sim, HERMES_EHCMDCTRL(e), e % 2 ? 0 : HERMES_CTRL_IRQEN, 0x8),
			  HERMES_SIM_OKAY);
	}

	for (uint32_t off = 0x1000; off < 0x4000; off += 4) {
		uint32_t e = 0, v = 0x12345678;
		const char *win = window_of(off, &e);
		int resp = hermes_sim_bar0_read(sim, off, &v);
		if (!win) {
			EXPECT_EQ(resp, HERMES_SIM_SLVERR) << "offset 0x" << std::hex << off << " is in no window";
			EXPECT_EQ(v, 0u) << "offset 0x" << std::hex << off;
			continue;
		}
		EXPECT_EQ(resp, HERMES_SIM_OKAY) << win << " of engine " << e << " at 0x" << std::hex << off;
		if (off >= HERMES_EHCMDREQ(e) && off < HERMES_EHCMDREQ(e) + HERMES_EHCMDREQ_LEN) {
			uint32_t w = (off - HERMES_EHCMDREQ(e)) / 4;
			EXPECT_EQ(v, 0xa5000000u | e << 8 | w) << "EHCMDREQ word " << w << " of engine " << e;
		} else if (off == HERMES_EHCMDCTRL(e)) {
			EXPECT_EQ(v & HERMES_CTRL_IRQEN, e % 2 ? 0 : HERMES_CTRL_IRQEN) << "EHCMDCTRL of engine " << e;
		}
	}
}

TEST_F(Bar0, MisalignedAccessesAnswerSlverr)
{
	uint32_t v = 1;
	EXPECT_EQ(hermes_sim_bar0_read(sim, HERMES_EHENG + 1, &v), HERMES_SIM_SLVERR);
	EXPECT_EQ(v, 0u);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHVER + 2, 0, 0xf), HERMES_SIM_SLVERR);
}

TEST_F(Bar0, WritesToReadOnlyRegistersAreRefusedAndIgnored)
{
	uint32_t before = read_ok(HERMES_EHPSSZE);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHPSSZE, 0x1234, 0xf), HERMES_SIM_SLVERR);
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHVER, 7, 0x1), HERMES_SIM_SLVERR);
	EXPECT_EQ(read_ok(HERMES_EHPSSZE), before);
	EXPECT_EQ(read_ok(HERMES_EHVER), HERMES_VERSION);
}

TEST_F(Bar0, UnmappedWritesAnswerSlverr)
{
	EXPECT_EQ(hermes_sim_bar0_write(sim, 0x0800, 1, 0xf), HERMES_SIM_SLVERR);
	EXPECT_EQ(read_ok(HERMES_EHVER), HERMES_VERSION) << "the bus still works afterwards";
}

TEST_F(Bar0, BackToBackReadsReturnTheirOwnData)
{
	// Each access must see its own address even when issued with no gap.
	for (int round = 0; round < 50; round++) {
		EXPECT_EQ(read_ok(HERMES_EHPSSZE), HERMES_DEFAULT_PROG_SLOT_SIZE);
		EXPECT_EQ(read_ok(HERMES_EHDSSZE), HERMES_DEFAULT_DATA_SLOT_SIZE);
		EXPECT_EQ(read_ok(HERMES_EHVER), HERMES_VERSION);
	}
}

// Pin-level AXI-Lite: W before AW, AW before W, read arriving with a write.
class Bar0Pins : public Bar0 {
protected:
	struct hermes_pins *p() { return hermes_sim_pins(sim); }

	// Cycle until cond holds; false after a bound so a hang fails the test.
	template <typename F> bool cycle_until(F cond, int limit = 100)
	{
		for (int i = 0; i < limit; i++) {
			hermes_sim_cycle(sim);
			if (cond())
				return true;
		}
		return false;
	}
};

TEST_F(Bar0Pins, WriteWaitsForBothAddressAndData)
{
	p()->bar0_awaddr = HERMES_EHVER;
	p()->bar0_awvalid = 1;
	p()->bar0_bready = 1;
	for (int i = 0; i < 5; i++) {
		hermes_sim_cycle(sim);
		EXPECT_FALSE(p()->bar0_awready) << "AW accepted without W, cycle " << i;
	}
	p()->bar0_wdata = 0;
	p()->bar0_wstrb = 0xf;
	p()->bar0_wvalid = 1;
	ASSERT_TRUE(cycle_until([&] { return p()->bar0_awready && p()->bar0_wready; }));
	p()->bar0_awvalid = p()->bar0_wvalid = 0;
	ASSERT_TRUE(cycle_until([&] { return p()->bar0_bvalid != 0; }));
	EXPECT_EQ(p()->bar0_bresp, HERMES_SIM_SLVERR) << "EHVER is read-only";
	p()->bar0_bready = 0;
	EXPECT_EQ(read_ok(HERMES_EHVER), HERMES_VERSION);
}

TEST_F(Bar0Pins, ReadHeldWhileResponseIsNotAccepted)
{
	p()->bar0_araddr = HERMES_EHDSSZE;
	p()->bar0_arvalid = 1;
	ASSERT_TRUE(cycle_until([&] { return p()->bar0_arready != 0; }));
	p()->bar0_arvalid = 0;
	ASSERT_TRUE(cycle_until([&] { return p()->bar0_rvalid != 0; }));
	EXPECT_EQ(p()->bar0_rdata, HERMES_DEFAULT_DATA_SLOT_SIZE);
	// rready low: rvalid must stay up with stable data.
	for (int i = 0; i < 4; i++) {
		hermes_sim_cycle(sim);
		EXPECT_TRUE(p()->bar0_rvalid);
		EXPECT_EQ(p()->bar0_rdata, HERMES_DEFAULT_DATA_SLOT_SIZE);
	}
	// A second read is not accepted while the first response is pending.
	p()->bar0_araddr = HERMES_EHVER;
	p()->bar0_arvalid = 1;
	hermes_sim_cycle(sim);
	EXPECT_FALSE(p()->bar0_arready);
	p()->bar0_rready = 1;
	hermes_sim_cycle(sim); // first response accepted here
	EXPECT_EQ(p()->bar0_rdata, HERMES_DEFAULT_DATA_SLOT_SIZE);
	ASSERT_TRUE(cycle_until([&] { return p()->bar0_arready != 0; }));
	p()->bar0_arvalid = 0;
	ASSERT_TRUE(cycle_until([&] { return p()->bar0_rvalid != 0; }));
	EXPECT_EQ(p()->bar0_rdata, HERMES_VERSION);
	p()->bar0_rready = 0;
}

TEST_F(Bar0Pins, SimultaneousReadAndWriteAreBothServed)
{
	p()->bar0_araddr = HERMES_EHPSSZE;
	p()->bar0_arvalid = 1;
	p()->bar0_awaddr = 0x0800;
	p()->bar0_awvalid = 1;
	p()->bar0_wvalid = 1;
	p()->bar0_wstrb = 0xf;
	p()->bar0_rready = 1;
	p()->bar0_bready = 1;
	bool got_r = false, got_b = false;
	for (int i = 0; i < 50 && !(got_r && got_b); i++) {
		hermes_sim_cycle(sim);
		if (p()->bar0_arready)
			p()->bar0_arvalid = 0;
		if (p()->bar0_awready)
			p()->bar0_awvalid = p()->bar0_wvalid = 0;
		if (p()->bar0_rvalid) {
			EXPECT_EQ(p()->bar0_rdata, HERMES_DEFAULT_PROG_SLOT_SIZE);
			EXPECT_EQ(p()->bar0_rresp, HERMES_SIM_OKAY);
			got_r = true;
		}
		if (p()->bar0_bvalid) {
			EXPECT_EQ(p()->bar0_bresp, HERMES_SIM_SLVERR);
			got_b = true;
		}
	}
	EXPECT_TRUE(got_r) << "read response";
	EXPECT_TRUE(got_b) << "write response";
}

TEST_F(Bar0, ResetKeepsIdentityAndCountsCycles)
{
	uint64_t c0 = hermes_sim_cycles(sim);
	hermes_sim_run(sim, 100);
	EXPECT_EQ(hermes_sim_cycles(sim), c0 + 100);
	hermes_sim_reset(sim);
	EXPECT_EQ(read_ok(HERMES_EHVER), HERMES_VERSION);
}

} // namespace
