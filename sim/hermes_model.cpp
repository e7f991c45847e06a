// SPDX-License-Identifier: MIT
// The thin extern "C" wrapper around the verilated hermes_top. With
// model_alloc.cpp (huge pages for the model), the only C++ in sim/;
// everything else in the harness is C (hermes_sim.c).
//
// Compiled twice (sim/CMakeLists.txt): as is, around the plain model
// Vhermes_top (library hermes_sim), and with HERMES_MODEL_TRACE around
// Vhermes_top_trace, the same RTL verilated with --trace-fst (library
// hermes_sim_trace). The traced build's entry points are named
// hermes_model_trace_* (MODEL_FN below), so both link into one program and
// hermes_sim.c picks one per card at run time; everything else here has
// internal linkage.
#include <memory>

#include "hermes_model.h"
#include "model_alloc.h"
#include "verilated.h"

#ifdef HERMES_MODEL_TRACE
#include "Vhermes_top_trace.h"
#include "verilated_fst_c.h"
typedef Vhermes_top_trace Top;
#define MODEL_FN(name) hermes_model_trace_##name
#else
#include "Vhermes_top.h"
typedef Vhermes_top Top;
#define MODEL_FN(name) hermes_model_##name
#endif

// Bits [lo, lo + w) of a port, whether Verilator made it a scalar or a
// VlWide (ports wider than 64 bits: the per-engine retire buses).
static uint64_t port_bits(uint64_t v, unsigned lo, unsigned w)
{
	v >>= lo;
	return w == 64 ? v : v & ((1ull << w) - 1);
}

template <std::size_t N> static uint64_t port_bits(const VlWide<N> &v, unsigned lo, unsigned w)
{
	uint64_t out = 0;
	for (unsigned b = 0; b < w; b += 32) {
		unsigned bit = lo + b;
		uint64_t word = v[bit / 32] >> (bit % 32);
		if (bit % 32 && bit / 32 + 1 < N)
			word |= (uint64_t)v[bit / 32 + 1] << (32 - bit % 32);
		out |= (word & 0xffffffffull) << b;
	}
	return w == 64 ? out : out & ((1ull << w) - 1);
}

namespace {
struct Model {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Top> top;
#ifdef HERMES_MODEL_TRACE
	std::unique_ptr<VerilatedFstC> fst;
	uint64_t start = 0, end = 0; // clocks [start, end) are dumped; end 0: no end
#endif
	uint64_t clock = 0;          // hermes_model_cycle() calls so far
};

Model *impl(struct hermes_model *m)
{
	return reinterpret_cast<Model *>(m);
}

Model *create()
{
	auto *m = new Model;
	m->ctx = std::make_unique<VerilatedContext>();
#ifdef HERMES_MODEL_TRACE
	m->ctx->traceEverOn(true);
#endif
	{
		hermes_model_huge_scope huge; // the model's memories on huge pages
		m->top = std::make_unique<Top>(m->ctx.get(), "hermes_top");
	}
	m->top->clk_i = 0;
	m->top->rst_ni = 0;
	return m;
}
} // namespace

#ifdef HERMES_MODEL_TRACE
extern "C" int hermes_model_trace_available(void)
{
	return 1;
}

extern "C" struct hermes_model *hermes_model_trace_new(const struct hermes_model_trace *t)
{
	Model *m = create();

	m->start = t->start;
	m->end = t->end;
	m->fst = std::make_unique<VerilatedFstC>();
	m->top->trace(m->fst.get(), 99);
	m->fst->set_time_unit("1ns");
	m->fst->set_time_resolution("1ns");
	m->fst->open(t->path);
	if (!m->fst->isOpen()) {
		m->top->final();
		delete m;
		return nullptr;
	}
	m->top->eval();
	return reinterpret_cast<struct hermes_model *>(m);
}
#else
extern "C" struct hermes_model *hermes_model_new(void)
{
	Model *m = create();

	m->top->eval();
	return reinterpret_cast<struct hermes_model *>(m);
}
#endif

extern "C" unsigned MODEL_FN(engines)(const struct hermes_model *m)
{
	(void)m;
	return HERMES_MODEL_ENGINES; // the NUM_ENGINES the model was verilated with
}

extern "C" void MODEL_FN(free)(struct hermes_model *mp)
{
	Model *m = impl(mp);

	if (!m)
		return;
	m->top->final();
#ifdef HERMES_MODEL_TRACE
	m->fst->close();
#endif
	delete m;
}

extern "C" void MODEL_FN(cycle)(struct hermes_model *mp, struct hermes_pins *p)
{
	Model *m = impl(mp);
	Top *t = m->top.get();
#ifdef HERMES_MODEL_TRACE
	// Clock c: inputs applied with clk low at 4c ns, rising edge at 4c + 2 ns
	// (the F1 shell's 250 MHz), dumped only inside the window.
	bool dump = m->clock >= m->start && (!m->end || m->clock < m->end);
#endif

	t->rst_ni = p->rst_n;
	t->bar0_awaddr_i = p->bar0_awaddr;
	t->bar0_awvalid_i = p->bar0_awvalid;
	t->bar0_wdata_i = p->bar0_wdata;
	t->bar0_wstrb_i = p->bar0_wstrb;
	t->bar0_wvalid_i = p->bar0_wvalid;
	t->bar0_bready_i = p->bar0_bready;
	t->bar0_araddr_i = p->bar0_araddr;
	t->bar0_arvalid_i = p->bar0_arvalid;
	t->bar0_rready_i = p->bar0_rready;
	t->bar2_awaddr_i = p->bar2_awaddr;
	t->bar2_awvalid_i = p->bar2_awvalid;
	t->bar2_wdata_i = p->bar2_wdata;
	t->bar2_wstrb_i = p->bar2_wstrb;
	t->bar2_wvalid_i = p->bar2_wvalid;
	t->bar2_bready_i = p->bar2_bready;
	t->bar2_araddr_i = p->bar2_araddr;
	t->bar2_arvalid_i = p->bar2_arvalid;
	t->bar2_rready_i = p->bar2_rready;
	t->host_arready_i = p->host_arready;
	t->host_rid_i = p->host_rid;
	for (int i = 0; i < 16; i++)
		t->host_rdata_i[i] = p->host_rdata[i];
	t->host_rresp_i = p->host_rresp;
	t->host_rlast_i = p->host_rlast;
	t->host_rvalid_i = p->host_rvalid;
	t->host_awready_i = p->host_awready;
	t->host_wready_i = p->host_wready;
	t->host_bid_i = p->host_bid;
	t->host_bresp_i = p->host_bresp;
	t->host_bvalid_i = p->host_bvalid;
	t->clk_i = 0;
	t->eval();
#ifdef HERMES_MODEL_TRACE
	if (dump)
		m->fst->dump(4 * m->clock);
#endif

	p->bar0_awready = t->bar0_awready_o;
	p->bar0_wready = t->bar0_wready_o;
	p->bar0_bresp = t->bar0_bresp_o;
	p->bar0_bvalid = t->bar0_bvalid_o;
	p->bar0_arready = t->bar0_arready_o;
	p->bar0_rdata = t->bar0_rdata_o;
	p->bar0_rresp = t->bar0_rresp_o;
	p->bar0_rvalid = t->bar0_rvalid_o;
	p->usr_irq = t->usr_irq_o;
	p->usr_irq_ack = t->usr_irq_ack_o;
	p->bar2_awready = t->bar2_awready_o;
	p->bar2_wready = t->bar2_wready_o;
	p->bar2_bresp = t->bar2_bresp_o;
	p->bar2_bvalid = t->bar2_bvalid_o;
	p->bar2_arready = t->bar2_arready_o;
	p->bar2_rdata = t->bar2_rdata_o;
	p->bar2_rresp = t->bar2_rresp_o;
	p->bar2_rvalid = t->bar2_rvalid_o;
	p->chan_irq = t->chan_irq_o;
	p->host_arid = t->host_arid_o;
	p->host_araddr = t->host_araddr_o;
	p->host_arlen = t->host_arlen_o;
	p->host_arvalid = t->host_arvalid_o;
	p->host_rready = t->host_rready_o;
	p->host_awid = t->host_awid_o;
	p->host_awaddr = t->host_awaddr_o;
	p->host_awlen = t->host_awlen_o;
	p->host_awvalid = t->host_awvalid_o;
	for (int i = 0; i < 16; i++)
		p->host_wdata[i] = t->host_wdata_o[i];
	p->host_wstrb = t->host_wstrb_o;
	p->host_wlast = t->host_wlast_o;
	p->host_wvalid = t->host_wvalid_o;
	p->host_bready = t->host_bready_o;
	p->rvfi_valid = t->rvfi_valid_o;
	for (unsigned e = 0; p->rvfi_valid >> e; e++) {
		if (!((p->rvfi_valid >> e) & 1))
			continue;
		struct hermes_pins_retire *r = &p->rvfi[e];
		r->pc = (uint32_t)port_bits(t->rvfi_pc_o, 32 * e, 32);
		r->insn = port_bits(t->rvfi_insn_o, 64 * e, 64);
		r->rd = (uint8_t)port_bits(t->rvfi_rd_o, 8 * e, 8);
		r->rd_value = port_bits(t->rvfi_rd_value_o, 64 * e, 64);
		r->mem_kind = (uint8_t)port_bits(t->rvfi_mem_kind_o, 2 * e, 2);
		r->mem_size = (uint8_t)port_bits(t->rvfi_mem_size_o, 4 * e, 4);
		r->mem_addr = port_bits(t->rvfi_mem_addr_o, 64 * e, 64);
		r->mem_value = port_bits(t->rvfi_mem_value_o, 64 * e, 64);
	}

	t->clk_i = 1;
	t->eval();
#ifdef HERMES_MODEL_TRACE
	if (dump)
		m->fst->dump(4 * m->clock + 2);
#endif
	m->clock++;
}
