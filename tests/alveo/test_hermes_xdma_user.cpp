// SPDX-License-Identifier: MIT
// hermes_xdma_user (rtl/boards/alveo) driven only through the ports the
// Xilinx XDMA IP connects (PG195 names), as the IP would: identity over
// M_AXI_LITE (the user BAR), a program and its data written with M_AXI
// bursts (the H2C channel), Run Program, usr_irq_req held high until the
// host acknowledges DONE, the data read back with an M_AXI burst (C2H),
// out-of-range bursts answered DECERR without a hang; a hardware queue's
// usr_irq_req held until its usr_irq_ack and raised again for what came
// meanwhile, with no register write in between.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "Vhermes_xdma_user.h"
#include "hermes/hwq.h"
#include "hermes/regs.h"
#include "verilated.h"

namespace {

constexpr int kOkay = 0, kSlverr = 2, kDecerr = 3;
constexpr unsigned kTimeout = 20000; // clocks any handshake may take

class XdmaUser : public ::testing::Test {
protected:
	void SetUp() override
	{
		ctx = std::make_unique<VerilatedContext>();
		top = std::make_unique<Vhermes_xdma_user>(ctx.get(), "hermes_xdma_user");
		top->axi_aresetn = 0;
		for (int i = 0; i < 8; i++)
			tick();
		top->axi_aresetn = 1;
		for (int i = 0; i < 4; i++)
			tick();
	}
	void TearDown() override { top->final(); }

	// Inputs settle with the clock low (this edge's handshakes are read
	// then, by the callers), then the rising edge.
	void settle()
	{
		top->axi_aclk = 0;
		top->eval();
	}
	void tick()
	{
		settle();
		top->axi_aclk = 1;
		top->eval();
	}

	// ---- M_AXI_LITE ----
	int lite_read(uint32_t addr, uint32_t *val)
	{
		top->m_axil_araddr = addr;
		top->m_axil_arvalid = 1;
		top->m_axil_rready = 1;
		for (unsigned t = 0; t < kTimeout; t++) {
			settle();
			bool ar = top->m_axil_arvalid && top->m_axil_arready;
			bool r = top->m_axil_rvalid;
			uint32_t data = top->m_axil_rdata;
			int resp = top->m_axil_rresp;
			tick();
			if (ar)
				top->m_axil_arvalid = 0;
			if (r && !top->m_axil_arvalid) {
				top->m_axil_rready = 0;
				*val = data;
				return resp;
			}
		}
		ADD_FAILURE() << "M_AXI_LITE read at 0x" << std::hex << addr << " hung";
		return -1;
	}
	uint32_t rd(uint32_t addr)
	{
		uint32_t v = 0xdeadbeef;
		EXPECT_EQ(lite_read(addr, &v), kOkay) << "read 0x" << std::hex << addr;
		return v;
	}
	int lite_write(uint32_t addr, uint32_t val)
	{
		top->m_axil_awaddr = addr;
		top->m_axil_awvalid = 1;
		top->m_axil_wdata = val;
		top->m_axil_wstrb = 0xf;
		top->m_axil_wvalid = 1;
		top->m_axil_bready = 1;
		for (unsigned t = 0; t < kTimeout; t++) {
			settle();
			bool aw = top->m_axil_awvalid && top->m_axil_awready;
			bool w = top->m_axil_wvalid && top->m_axil_wready;
			bool b = top->m_axil_bvalid && !top->m_axil_awvalid && !top->m_axil_wvalid;
			int resp = top->m_axil_bresp;
			tick();
			if (aw)
				top->m_axil_awvalid = 0;
			if (w)
				top->m_axil_wvalid = 0;
			if (b) {
				top->m_axil_bready = 0;
				return resp;
			}
		}
		ADD_FAILURE() << "M_AXI_LITE write at 0x" << std::hex << addr << " hung";
		return -1;
	}
	void wr(uint32_t addr, uint32_t val) { EXPECT_EQ(lite_write(addr, val), kOkay) << "write 0x" << std::hex << addr; }

	// ---- M_AXI: 64-byte INCR beats ----
	int axi_write(uint64_t addr, const std::vector<uint8_t> &bytes, uint8_t id = 0x9)
	{
		size_t beats = bytes.size() / 64, beat = 0;
		top->m_axi_awid = id;
		top->m_axi_awaddr = addr;
		top->m_axi_awlen = uint8_t(beats - 1);
		top->m_axi_awsize = 6;
		top->m_axi_awburst = 1;
		top->m_axi_awvalid = 1;
		top->m_axi_bready = 1;
		for (unsigned t = 0; t < kTimeout; t++) {
			top->m_axi_wvalid = beat < beats;
			if (beat < beats) {
				memcpy(top->m_axi_wdata.data(), &bytes[64 * beat], 64);
				top->m_axi_wstrb = ~0ull;
				top->m_axi_wlast = beat + 1 == beats;
			}
			settle();
			bool aw = top->m_axi_awvalid && top->m_axi_awready;
			bool w = top->m_axi_wvalid && top->m_axi_wready;
			bool b = top->m_axi_bvalid;
			int resp = top->m_axi_bresp;
			uint8_t bid = top->m_axi_bid;
			tick();
			if (aw)
				top->m_axi_awvalid = 0;
			if (w)
				beat++;
			if (b) {
				top->m_axi_bready = 0;
				top->m_axi_wvalid = 0;
				EXPECT_EQ(bid, id) << "BID echoes AWID";
				EXPECT_EQ(beat, beats) << "B before every W beat";
				return resp;
			}
		}
		ADD_FAILURE() << "M_AXI write at 0x" << std::hex << addr << " hung";
		return -1;
	}
	int axi_read(uint64_t addr, unsigned n, std::vector<uint8_t> *out, uint8_t id = 0x6)
	{
		top->m_axi_arid = id;
		top->m_axi_araddr = addr;
		top->m_axi_arlen = uint8_t(n - 1);
		top->m_axi_arsize = 6;
		top->m_axi_arburst = 1;
		top->m_axi_arvalid = 1;
		top->m_axi_rready = 1;
		out->clear();
		int worst = kOkay;
		for (unsigned t = 0; t < kTimeout && out->size() < 64u * n; t++) {
			settle();
			bool ar = top->m_axi_arvalid && top->m_axi_arready;
			if (top->m_axi_rvalid) {
				const uint8_t *p = reinterpret_cast<const uint8_t *>(top->m_axi_rdata.data());
				out->insert(out->end(), p, p + 64);
				EXPECT_EQ(top->m_axi_rid, id) << "RID echoes ARID";
				EXPECT_EQ(bool(top->m_axi_rlast), out->size() == 64u * n) << "RLAST on the last beat only";
				worst = top->m_axi_rresp > worst ? top->m_axi_rresp : worst;
			}
			tick();
			if (ar)
				top->m_axi_arvalid = 0;
		}
		top->m_axi_rready = 0;
		if (out->size() != 64u * n)
			ADD_FAILURE() << "M_AXI read at 0x" << std::hex << addr << " hung";
		return worst;
	}

	// A command on engine e; usr_irq_req[e] rises when it is done and stays
	// high (acks or not) until DONE is acknowledged. EHCMDRES words 0 and 2.
	void command(unsigned e, const uint32_t (&req)[8], uint32_t *res0, uint32_t *res2)
	{
		for (unsigned i = 0; i < 8; i++)
			wr(HERMES_EHCMDREQ(e) + 4 * i, req[i]);
		wr(HERMES_EHCMDCTRL(e), 0x01000001u);
		unsigned t = 0;
		while (!((top->usr_irq_req >> e) & 1) && t++ < 200000)
			tick();
		ASSERT_TRUE((top->usr_irq_req >> e) & 1) << "usr_irq_req[" << e << "] rises";
		top->usr_irq_ack = uint8_t(1u << e); // the IP: message sent
		tick();
		top->usr_irq_ack = 0;
		for (int i = 0; i < 20; i++)
			tick();
		EXPECT_TRUE((top->usr_irq_req >> e) & 1) << "held after the ack, until the host services it";
		*res0 = rd(HERMES_EHCMDRES(e));
		*res2 = rd(HERMES_EHCMDRES(e) + 8);
		wr(HERMES_EHCMDCTRL(e), 0x01000000u); // DONE 0: serviced
		tick();
		EXPECT_FALSE((top->usr_irq_req >> e) & 1) << "released once DONE is acknowledged";
	}

	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vhermes_xdma_user> top;
};

TEST_F(XdmaUser, IdentityOverTheUserBar)
{
	EXPECT_EQ(rd(HERMES_EHVER), 1u);
	EXPECT_EQ(rd(HERMES_EHENG) & 0xff, 4u);
	uint32_t v = 0;
	EXPECT_EQ(lite_read(0x10000, &v), kSlverr) << "past the 64 KiB register window";
	EXPECT_EQ(top->usr_irq_req, 0u);
}

TEST_F(XdmaUser, ProgramAndDataOverMAxiRunAndInterrupt)
{
	uint32_t r0, r2;

	command(2, { HERMES_CMD_REQ_SLOT | 1u << 16, 0, HERMES_SLOT_PROG, 0, 0, 0, 0, 0 }, &r0, &r2);
	ASSERT_EQ((r0 >> 16) & 0xff, 0u) << "Request Slot (program)";
	unsigned ps = r2 & 0xff;
	command(2, { HERMES_CMD_REQ_SLOT | 2u << 16, 0, HERMES_SLOT_DATA, 0, 0, 0, 0, 0 }, &r0, &r2);
	ASSERT_EQ((r0 >> 16) & 0xff, 0u) << "Request Slot (data)";
	unsigned ds = r2 & 0xff;
	uint64_t prog_at = rd(HERMES_EHPSOFF) + uint64_t(ps) * rd(HERMES_EHPSSZE);
	uint64_t data_at = rd(HERMES_EHDSOFF) + uint64_t(ds) * rd(HERMES_EHDSSZE);

	// ldxdw r0, [r1 + 72]; exit (a word of the second beat)
	std::vector<uint8_t> prog(64, 0);
	const uint8_t code[16] = { 0x79, 0x10, 72, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
	memcpy(prog.data(), code, sizeof(code));
	EXPECT_EQ(axi_write(prog_at, prog), kOkay);
	std::vector<uint8_t> data(128);
	for (size_t i = 0; i < data.size(); i++)
		data[i] = uint8_t(i * 29 + 3);
	EXPECT_EQ(axi_write(data_at, data), kOkay);

	command(2, { HERMES_CMD_RUN | 3u << 16, 0, ps | ds << 8, 16, 128, 0, 0, 0 }, &r0, &r2);
	EXPECT_EQ((r0 >> 16) & 0xff, 0u) << "Run Program succeeded";
	uint64_t want;
	memcpy(&want, &data[72], 8);
	EXPECT_EQ(r2, uint32_t(want));
	EXPECT_EQ(rd(HERMES_EHCMDRES(2) + 12), uint32_t(want >> 32));

	std::vector<uint8_t> back;
	EXPECT_EQ(axi_read(data_at, 2, &back), kOkay);
	EXPECT_EQ(back, data);
}

// A hardware queue's interrupt (docs/HWQUEUE.md) through the IP's ports:
// moderation (every completion) raises usr_irq_req[NUM_ENGINES + q], which
// stays up until usr_irq_ack however long the IP takes; completions
// meanwhile raise it again right after the ack, with no doorbell.
TEST_F(XdmaUser, QueueInterruptIsHeldUntilItsAckAndRaisedAgainWithoutADoorbell)
{
	uint32_t r0, r2;
	command(0, { HERMES_CMD_REQ_SLOT | 1u << 16, 0, HERMES_SLOT_PROG, 0, 0, 0, 0, 0 }, &r0, &r2);
	ASSERT_EQ((r0 >> 16) & 0xff, 0u) << "Request Slot (program)";
	unsigned ps = r2 & 0xff;
	// mov r0, 7; exit
	std::vector<uint8_t> prog(64, 0);
	const uint8_t code[16] = { 0xb7, 0, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
	memcpy(prog.data(), code, sizeof(code));
	ASSERT_EQ(axi_write(rd(HERMES_EHPSOFF) + uint64_t(ps) * rd(HERMES_EHPSSZE), prog), kOkay);

	const uint32_t num = rd(HERMES_EHQNUM);
	const unsigned q = 1, vec = ((num >> 8) & 0xff) + q;
	const uint64_t base = rd(HERMES_EHQOFF) + uint64_t(q) * (rd(HERMES_EHQSZE) / (num & 0xff));
	const uint64_t sq = base, cq = base + 0x4000;
	ASSERT_EQ(axi_write(cq, std::vector<uint8_t>(16 * 32, 0)), kOkay);
	std::vector<uint8_t> ring(3 * 64, 0);
	for (unsigned i = 0; i < 3; i++) {
		hermes_hwq_sqe e{};
		e.opcode = HERMES_QOP_RUN;
		e.version = HERMES_QE_VERSION;
		e.prog_slot = uint8_t(ps);
		e.prog_len = 16;
		e.user_tag = 100 + i;
		memcpy(&ring[64 * i], &e, sizeof(e));
	}
	ASSERT_EQ(axi_write(sq, ring), kOkay);
	wr(HERMES_EHQ(q) + HERMES_Q_SQBASE, uint32_t(sq));
	wr(HERMES_EHQ(q) + HERMES_Q_CQBASE, uint32_t(cq));
	wr(HERMES_EHQ(q) + HERMES_Q_SIZE, 4u | 4u << 8);
	wr(HERMES_EHQ(q) + HERMES_Q_MOD, 1); // every completion, no timer
	wr(HERMES_EHQ(q) + HERMES_Q_CTRL, HERMES_QCTRL_EN);
	auto req = [&] { return bool((top->usr_irq_req >> vec) & 1); };

	wr(HERMES_EHQ(q) + HERMES_Q_SQTAIL, 1);
	for (unsigned t = 0; !req() && t < 200000; t++)
		tick();
	ASSERT_TRUE(req()) << "the first completion raises usr_irq_req[" << vec << "]";
	// The other two while the IP has not acknowledged: still the one request.
	wr(HERMES_EHQ(q) + HERMES_Q_SQTAIL, 3);
	for (unsigned t = 0; (rd(HERMES_EHQ(q) + HERMES_Q_STAT) >> 16) != 3 && t < 2000; t++)
		for (int i = 0; i < 50; i++)
			tick();
	EXPECT_EQ(rd(HERMES_EHQ(q) + HERMES_Q_STAT) >> 16, 3u);
	for (int i = 0; i < 2000; i++) {
		tick();
		ASSERT_TRUE(req()) << "held until the ack, clock " << i;
	}
	// The ack: dropped at once, raised again the clock after for the two.
	top->usr_irq_ack = 1u << vec;
	tick();
	top->usr_irq_ack = 0;
	EXPECT_FALSE(req()) << "dropped with the ack";
	tick();
	EXPECT_TRUE(req()) << "raised again: two completions came while it was held";
	for (int i = 0; i < 100; i++) {
		tick();
		ASSERT_TRUE(req()) << "held until its ack";
	}
	top->usr_irq_ack = 1u << vec;
	tick();
	top->usr_irq_ack = 0;
	for (int i = 0; i < 5000; i++) {
		tick();
		ASSERT_FALSE(req()) << "nothing left to signal";
	}
	std::vector<uint8_t> back;
	ASSERT_EQ(axi_read(cq, 2, &back), kOkay);
	for (unsigned i = 0; i < 3; i++) {
		hermes_hwq_cqe c{};
		memcpy(&c, &back[32 * i], sizeof(c));
		EXPECT_EQ(c.user_tag, 100u + i);
		EXPECT_EQ(c.status, 0);
		EXPECT_EQ(c.r0, 7u);
		EXPECT_EQ(c.flags & HERMES_HWQ_CQE_PHASE, 1);
	}
}

TEST_F(XdmaUser, OutOfRangeBurstsAnswerDecerr)
{
	// BAR4 ends after the map slots (one per program slot), the last thing in it.
	uint64_t end = uint64_t(rd(HERMES_EHMSOFF)) + ((rd(HERMES_EHENG) >> 8) & 0xff) * uint64_t(rd(HERMES_EHMSSZE));
	std::vector<uint8_t> back;

	EXPECT_EQ(axi_write(end, std::vector<uint8_t>(128, 0xa5)), kDecerr);
	EXPECT_EQ(axi_read(end - 64, 2, &back), kDecerr);
	EXPECT_EQ(rd(HERMES_EHVER), 1u) << "still answering";
}

} // namespace
