// SPDX-License-Identifier: MIT
#include "slot_mem_tb.h"

#include <cstring>

#include "Vhermes_slot_mem.h"
#include "verilated.h"

struct SlotMemTb::Impl {
	VerilatedContext ctx;
	Vhermes_slot_mem top{&ctx};
};

SlotMemTb::SlotMemTb() : impl(new Impl) { reset(); }
SlotMemTb::~SlotMemTb() { impl->top.final(); }

void SlotMemTb::reset()
{
	auto &t = impl->top;
	t.rst_ni = 0;
	t.clk_i = 0;
	t.eval();
	t.clk_i = 1;
	t.eval();
	t.clk_i = 0;
	t.rst_ni = 1;
	t.eval();
}

void SlotMemTb::cycle()
{
	auto &t = impl->top;
	uint32_t req = 0;
	for (unsigned e = 0; e < kEngines; e++) {
		const EnginePins &p = eng[e];
		req |= uint32_t(p.req) << e;
		// Packed [kEngines-1:0][w-1:0] ports: engine e in slice e.
		auto set_bits = [](auto &port, unsigned lsb, unsigned width, uint64_t v) {
			for (unsigned b = 0; b < width; b++) {
				unsigned bit = lsb + b;
				auto *w = reinterpret_cast<uint32_t *>(&port);
				w[bit / 32] = (w[bit / 32] & ~(1u << (bit % 32))) | (uint32_t((v >> b) & 1) << (bit % 32));
			}
		};
		set_bits(t.dmem_op_i, 2 * e, 2, p.op);
		set_bits(t.dmem_size_i, 2 * e, 2, p.size);
		set_bits(t.dmem_amo_i, 8 * e, 8, p.amo);
		set_bits(t.dmem_addr_i, 32 * e, 32, p.addr);
		set_bits(t.dmem_wdata_i, 64 * e, 64, p.wdata);
		set_bits(t.dmem_cmp_i, 64 * e, 64, p.cmp);
	}
	t.dmem_req_i = req;
	t.dma_req_i = dma.req;
	t.dma_we_i = dma.we;
	t.dma_addr_i = dma.line;
	std::memcpy(&t.dma_wdata_i, dma.wdata, 64);
	t.dma_be_i = dma.be;
	t.clk_i = 0;
	t.eval();
	for (unsigned e = 0; e < kEngines; e++) {
		eng[e].gnt = (t.dmem_gnt_o >> e) & 1;
		eng[e].rvalid = (t.dmem_rvalid_o >> e) & 1;
		const auto *w = reinterpret_cast<const uint32_t *>(&t.dmem_rdata_o);
		eng[e].rdata = uint64_t(w[2 * e]) | uint64_t(w[2 * e + 1]) << 32;
	}
	dma.gnt = t.dma_gnt_o;
	dma.rvalid = t.dma_rvalid_o;
	std::memcpy(dma.rdata, &t.dma_rdata_o, 64);
	t.clk_i = 1;
	t.eval();
}
