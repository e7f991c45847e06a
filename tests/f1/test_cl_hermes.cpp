// SPDX-License-Identifier: MIT
// cl_hermes (rtl/boards/f1) driven only through its AWS F1 shell ports, as
// the shell would: identity over OCL (AppPF BAR0), slots requested with
// commands, a program and its data written with DMA_PCIS bursts (AppPF
// BAR4), Run Program, the interrupt pulse on cl_sh_apppf_irq_req and its
// acknowledge, the result read back over OCL and the data over DMA_PCIS;
// bad bursts answered SLVERR/DECERR without a hang; function-level reset.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "Vcl_hermes.h"
#include "hermes/regs.h"
#include "verilated.h"

namespace {

constexpr int kOkay = 0, kSlverr = 2, kDecerr = 3;
constexpr unsigned kTimeout = 20000; // clocks any handshake may take

class ClHermes : public ::testing::Test {
protected:
	void SetUp() override
	{
		ctx = std::make_unique<VerilatedContext>();
		top = std::make_unique<Vcl_hermes>(ctx.get(), "cl_hermes");
		top->rst_main_n = 0;
		for (int i = 0; i < 8; i++)
			tick();
		top->rst_main_n = 1;
		for (int i = 0; i < 4; i++)
			tick();
	}
	void TearDown() override { top->final(); }

	// One clock: inputs settle with the clock low (the handshakes of this
	// edge are read then), then the rising edge. The shell's side of the
	// interrupts: a request is counted and acknowledged ack_delay clocks on.
	void tick()
	{
		top->clk_main_a0 = 0;
		top->sh_cl_apppf_irq_ack = ack_next;
		top->eval();
		ack_next = 0;
		for (unsigned v = 0; v < 16; v++) {
			if (!((top->cl_sh_apppf_irq_req >> v) & 1))
				continue;
			irq_pulses[v]++;
			pending_ack.push_back({ clock + ack_delay, v });
		}
		for (size_t i = 0; i < pending_ack.size();) {
			if (pending_ack[i].first <= clock + 1) {
				ack_next |= uint16_t(1u << pending_ack[i].second);
				pending_ack.erase(pending_ack.begin() + long(i));
			} else {
				i++;
			}
		}
		top->clk_main_a0 = 1;
		top->eval();
		clock++;
	}

	// ---- OCL: AXI4-Lite ----
	int ocl_read(uint32_t addr, uint32_t *val)
	{
		top->sh_ocl_araddr = addr;
		top->sh_ocl_arvalid = 1;
		top->sh_ocl_rready = 1;
		for (unsigned t = 0; t < kTimeout; t++) {
			top->clk_main_a0 = 0;
			top->eval();
			bool ar = top->sh_ocl_arvalid && top->ocl_sh_arready;
			bool r = top->ocl_sh_rvalid;
			uint32_t data = top->ocl_sh_rdata;
			int resp = top->ocl_sh_rresp;
			tick();
			if (ar)
				top->sh_ocl_arvalid = 0;
			if (r && !top->sh_ocl_arvalid) {
				top->sh_ocl_rready = 0;
				*val = data;
				return resp;
			}
		}
		ADD_FAILURE() << "OCL read at 0x" << std::hex << addr << " hung";
		return -1;
	}
	uint32_t rd(uint32_t addr)
	{
		uint32_t v = 0xdeadbeef;
		EXPECT_EQ(ocl_read(addr, &v), kOkay) << "OCL read 0x" << std::hex << addr;
		return v;
	}
	int ocl_write(uint32_t addr, uint32_t val)
	{
		top->sh_ocl_awaddr = addr;
		top->sh_ocl_awvalid = 1;
		top->sh_ocl_wdata = val;
		top->sh_ocl_wstrb = 0xf;
		top->sh_ocl_wvalid = 1;
		top->sh_ocl_bready = 1;
		for (unsigned t = 0; t < kTimeout; t++) {
			top->clk_main_a0 = 0;
			top->eval();
			bool aw = top->sh_ocl_awvalid && top->ocl_sh_awready;
			bool w = top->sh_ocl_wvalid && top->ocl_sh_wready;
			bool b = top->ocl_sh_bvalid && !top->sh_ocl_awvalid && !top->sh_ocl_wvalid;
			int resp = top->ocl_sh_bresp;
			tick();
			if (aw)
				top->sh_ocl_awvalid = 0;
			if (w)
				top->sh_ocl_wvalid = 0;
			if (b) {
				top->sh_ocl_bready = 0;
				return resp;
			}
		}
		ADD_FAILURE() << "OCL write at 0x" << std::hex << addr << " hung";
		return -1;
	}
	void wr(uint32_t addr, uint32_t val) { EXPECT_EQ(ocl_write(addr, val), kOkay) << "OCL write 0x" << std::hex << addr; }

	// ---- DMA_PCIS: AXI4, 64-byte beats ----
	// A write burst of beats.size() beats from addr; returns BRESP.
	int pcis_write(uint64_t addr, const std::vector<std::vector<uint8_t>> &beats, unsigned size = 6,
		       uint64_t strb = ~0ull, uint8_t id = 0x2a)
	{
		top->sh_cl_dma_pcis_awid = id;
		top->sh_cl_dma_pcis_awaddr = addr;
		top->sh_cl_dma_pcis_awlen = uint8_t(beats.size() - 1);
		top->sh_cl_dma_pcis_awsize = size;
		top->sh_cl_dma_pcis_awvalid = 1;
		top->sh_cl_dma_pcis_bready = 1;
		size_t beat = 0;
		for (unsigned t = 0; t < kTimeout; t++) {
			if (beat < beats.size()) {
				for (int w = 0; w < 16; w++) {
					uint32_t v;
					memcpy(&v, beats[beat].data() + 4 * w, 4);
					top->sh_cl_dma_pcis_wdata[w] = v;
				}
				top->sh_cl_dma_pcis_wstrb = strb;
				top->sh_cl_dma_pcis_wlast = beat + 1 == beats.size();
				top->sh_cl_dma_pcis_wvalid = 1;
			} else {
				top->sh_cl_dma_pcis_wvalid = 0;
			}
			top->clk_main_a0 = 0;
			top->eval();
			bool aw = top->sh_cl_dma_pcis_awvalid && top->cl_sh_dma_pcis_awready;
			bool w = top->sh_cl_dma_pcis_wvalid && top->cl_sh_dma_pcis_wready;
			bool b = top->cl_sh_dma_pcis_bvalid;
			int resp = top->cl_sh_dma_pcis_bresp;
			uint8_t bid = top->cl_sh_dma_pcis_bid;
			tick();
			if (aw)
				top->sh_cl_dma_pcis_awvalid = 0;
			if (w)
				beat++;
			if (b) {
				top->sh_cl_dma_pcis_bready = 0;
				top->sh_cl_dma_pcis_wvalid = 0;
				EXPECT_EQ(bid, id) << "BID echoes AWID";
				EXPECT_EQ(beat, beats.size()) << "B before all W beats";
				return resp;
			}
		}
		ADD_FAILURE() << "DMA_PCIS write at 0x" << std::hex << addr << " hung";
		return -1;
	}
	// A read burst of n beats; returns the worst RRESP, data in *out.
	// RREADY is dropped every stall_every-th clock (0: never).
	int pcis_read(uint64_t addr, unsigned n, std::vector<uint8_t> *out, unsigned size = 6,
		      unsigned stall_every = 0, uint8_t id = 0x15)
	{
		top->sh_cl_dma_pcis_arid = id;
		top->sh_cl_dma_pcis_araddr = addr;
		top->sh_cl_dma_pcis_arlen = uint8_t(n - 1);
		top->sh_cl_dma_pcis_arsize = size;
		top->sh_cl_dma_pcis_arvalid = 1;
		out->clear();
		int worst = kOkay;
		unsigned got = 0;
		for (unsigned t = 0; t < kTimeout; t++) {
			top->sh_cl_dma_pcis_rready = !(stall_every && t % stall_every == 0);
			top->clk_main_a0 = 0;
			top->eval();
			bool ar = top->sh_cl_dma_pcis_arvalid && top->cl_sh_dma_pcis_arready;
			bool r = top->cl_sh_dma_pcis_rvalid && top->sh_cl_dma_pcis_rready;
			if (r) {
				for (int w = 0; w < 16; w++) {
					uint32_t v = top->cl_sh_dma_pcis_rdata[w];
					const uint8_t *p = reinterpret_cast<const uint8_t *>(&v);
					out->insert(out->end(), p, p + 4);
				}
				EXPECT_EQ(top->cl_sh_dma_pcis_rid, id) << "RID echoes ARID";
				EXPECT_EQ(bool(top->cl_sh_dma_pcis_rlast), got + 1 == n) << "RLAST on beat " << got;
				if (top->cl_sh_dma_pcis_rresp > worst)
					worst = top->cl_sh_dma_pcis_rresp;
				got++;
			}
			tick();
			if (ar)
				top->sh_cl_dma_pcis_arvalid = 0;
			if (got == n) {
				top->sh_cl_dma_pcis_rready = 0;
				return worst;
			}
		}
		ADD_FAILURE() << "DMA_PCIS read at 0x" << std::hex << addr << " hung";
		return -1;
	}

	void wait_irq(unsigned v, unsigned pulses_before)
	{
		for (unsigned t = 0; t < 200000 && irq_pulses[v] == pulses_before; t++)
			tick();
		ASSERT_EQ(irq_pulses[v], pulses_before + 1) << "one pulse on vector " << v;
	}

	// A command on engine e: request words, EXEC, the interrupt, its
	// acknowledge, DONE acknowledged; returns EHCMDRES words 0 and 2.
	void command(unsigned e, const uint32_t (&req)[8], uint32_t *res0, uint32_t *res2)
	{
		for (unsigned i = 0; i < 8; i++)
			wr(HERMES_EHCMDREQ(e) + 4 * i, req[i]);
		unsigned before = irq_pulses[e];
		wr(HERMES_EHCMDCTRL(e), 0x01000001u);
		wait_irq(e, before);
		for (int i = 0; i < 20; i++)
			tick(); // the shell's acknowledge has come back by now
		EXPECT_EQ(irq_pulses[e], before + 1) << "no second pulse while DONE is still set";
		EXPECT_NE(rd(HERMES_EHCMDCTRL(e)) & (1u << HERMES_CTRL_DONE_SHIFT), 0u);
		*res0 = rd(HERMES_EHCMDRES(e));
		*res2 = rd(HERMES_EHCMDRES(e) + 8);
		wr(HERMES_EHCMDCTRL(e), 0x01000000u); // DONE 0: acknowledge
	}

	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vcl_hermes> top;
	uint64_t clock = 0;
	unsigned irq_pulses[16] = {};
	std::vector<std::pair<uint64_t, unsigned>> pending_ack;
	uint16_t ack_next = 0;
	unsigned ack_delay = 5;
};

std::vector<uint8_t> beat_of(const uint8_t *p, size_t n)
{
	std::vector<uint8_t> b(64, 0);
	memcpy(b.data(), p, n < 64 ? n : 64);
	return b;
}

TEST_F(ClHermes, IdentityOverOcl)
{
	EXPECT_EQ(top->cl_sh_id0, 0xF0001D0Fu);
	EXPECT_EQ(top->cl_sh_id1, 0x1D51FEDDu);
	EXPECT_EQ(top->cl_sh_status1, 0x4845524Du);
	EXPECT_EQ(rd(HERMES_EHVER), 1u);
	EXPECT_EQ(rd(HERMES_EHENG) & 0xff, 4u);
	EXPECT_EQ(rd(HERMES_EHPSSZE), 65536u);
	uint32_t v = 0;
	EXPECT_EQ(ocl_read(0x10000, &v), kSlverr) << "past the 64 KiB register window";
	EXPECT_EQ(ocl_read(0x1000000 + HERMES_EHVER, &v), kSlverr) << "no alias of EHVER higher up BAR0";
	EXPECT_EQ(ocl_write(0x10000 + HERMES_EHCMDCTRL(0), 0x01000001u), kSlverr);
	EXPECT_EQ(rd(HERMES_EHCMDCTRL(0)) & 1u, 0u) << "the refused write started nothing";
	EXPECT_EQ(top->cl_sh_dma_wr_full, 0);
	EXPECT_EQ(top->cl_sh_dma_rd_full, 0);
	EXPECT_EQ(top->cl_sh_pcim_awvalid, 0) << "the host master is idle";
	EXPECT_EQ(top->cl_sh_pcim_arvalid, 0);
}

TEST_F(ClHermes, ProgramAndDataOverDmaPcisRunAndInterrupt)
{
	uint32_t r0, r2;

	command(0, { HERMES_CMD_REQ_SLOT | 1u << 16, 0, HERMES_SLOT_PROG, 0, 0, 0, 0, 0 }, &r0, &r2);
	ASSERT_EQ((r0 >> 16) & 0xff, 0u) << "Request Slot (program) succeeded";
	unsigned ps = r2 & 0xff;
	command(0, { HERMES_CMD_REQ_SLOT | 2u << 16, 0, HERMES_SLOT_DATA, 0, 0, 0, 0, 0 }, &r0, &r2);
	ASSERT_EQ((r0 >> 16) & 0xff, 0u) << "Request Slot (data) succeeded";
	unsigned ds = r2 & 0xff;
	uint64_t prog_at = rd(HERMES_EHPSOFF) + uint64_t(ps) * rd(HERMES_EHPSSZE);
	uint64_t data_at = rd(HERMES_EHDSOFF) + uint64_t(ds) * rd(HERMES_EHDSSZE);

	// ldxdw r0, [r1 + 8]; exit
	const uint8_t prog[16] = { 0x79, 0x10, 8, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
	EXPECT_EQ(pcis_write(prog_at, { beat_of(prog, 16) }, 6, 0xffff), kOkay);
	// Two beats of data in one burst.
	std::vector<uint8_t> data(128);
	for (size_t i = 0; i < data.size(); i++)
		data[i] = uint8_t(i * 37 + 11);
	EXPECT_EQ(pcis_write(data_at, { beat_of(&data[0], 64), beat_of(&data[64], 64) }), kOkay);

	command(0, { HERMES_CMD_RUN | 3u << 16, 0, ps | ds << 8, 16, 128, 0, 0, 0 }, &r0, &r2);
	EXPECT_EQ(r0 & 0xffff, 3u) << "command id echoed";
	EXPECT_EQ((r0 >> 16) & 0xff, 0u) << "Run Program succeeded";
	uint64_t want;
	memcpy(&want, &data[8], 8);
	EXPECT_EQ(r2, uint32_t(want)) << "r0 is the data slot's second word";
	EXPECT_EQ(rd(HERMES_EHCMDRES(0) + 12), uint32_t(want >> 32));

	// The data comes back over DMA_PCIS, also with RREADY stalls.
	std::vector<uint8_t> back;
	EXPECT_EQ(pcis_read(data_at, 2, &back, 6, 3), kOkay);
	EXPECT_EQ(back, data);
	EXPECT_EQ(pcis_read(prog_at, 1, &back), kOkay);
	EXPECT_EQ(memcmp(back.data(), prog, 16), 0);
}

TEST_F(ClHermes, BadBurstsAnswerAnErrorAndNeverHang)
{
	// The end of card memory: the map slots (one per program slot) come last.
	uint64_t card = uint64_t(rd(HERMES_EHMSOFF)) + ((rd(HERMES_EHENG) >> 8) & 0xff) * uint64_t(rd(HERMES_EHMSSZE));
	std::vector<uint8_t> back;
	std::vector<std::vector<uint8_t>> two(2, std::vector<uint8_t>(64, 0xa5));

	EXPECT_EQ(pcis_write(card, two), kDecerr) << "past the end of the slot memory";
	EXPECT_EQ(pcis_write(card - 64, two), kDecerr) << "last beat past the end";
	EXPECT_EQ(pcis_read(card, 3, &back), kDecerr);
	EXPECT_EQ(back.size(), 3u * 64);
	EXPECT_EQ(pcis_write(0, two, 5), kSlverr) << "narrow (32-byte) beats";
	EXPECT_EQ(pcis_read(0, 1, &back, 3), kSlverr);
	std::vector<std::vector<uint8_t>> many(65, std::vector<uint8_t>(64, 0x5a));
	EXPECT_EQ(pcis_write(0, many), kSlverr) << "65 beats is more than 64";
	EXPECT_EQ(pcis_read(0, 65, &back), kSlverr);
	// 64 beats is fine, and nothing of the refused bursts landed.
	std::vector<std::vector<uint8_t>> max(64);
	for (unsigned b = 0; b < 64; b++)
		max[b] = std::vector<uint8_t>(64, uint8_t(b));
	EXPECT_EQ(pcis_write(64 * 64, max), kOkay);
	EXPECT_EQ(pcis_read(0, 64, &back), kOkay);
	for (uint8_t x : back)
		ASSERT_EQ(x, 0) << "a refused burst wrote";
	EXPECT_EQ(pcis_read(64 * 64, 64, &back, 6, 5), kOkay);
	for (unsigned i = 0; i < back.size(); i++)
		ASSERT_EQ(back[i], uint8_t(i / 64)) << "byte " << i;
	EXPECT_EQ(rd(HERMES_EHVER), 1u) << "still answering";
}

TEST_F(ClHermes, FunctionLevelResetIsAcknowledged)
{
	uint32_t r0, r2;

	command(1, { HERMES_CMD_REQ_SLOT | 1u << 16, 0, HERMES_SLOT_PROG, 0, 0, 0, 0, 0 }, &r0, &r2);
	ASSERT_EQ((r0 >> 16) & 0xff, 0u);
	unsigned first = r2 & 0xff;
	top->sh_cl_flr_assert = 1;
	unsigned t = 0;
	while (!top->cl_sh_flr_done && t++ < 10)
		tick();
	EXPECT_EQ(top->cl_sh_flr_done, 1) << "done within a few clocks";
	for (int i = 0; i < 5; i++)
		tick();
	EXPECT_EQ(top->cl_sh_flr_done, 1) << "held while the shell asserts FLR";
	top->sh_cl_flr_assert = 0;
	tick();
	tick();
	EXPECT_EQ(top->cl_sh_flr_done, 0);
	EXPECT_EQ(rd(HERMES_EHVER), 1u);
	command(1, { HERMES_CMD_REQ_SLOT | 2u << 16, 0, HERMES_SLOT_PROG, 0, 0, 0, 0, 0 }, &r0, &r2);
	EXPECT_EQ((r0 >> 16) & 0xff, 0u);
	EXPECT_EQ(r2 & 0xff, first) << "the reset freed every slot";
}

} // namespace
