// SPDX-License-Identifier: MIT
// The thin extern "C" wrapper around the verilated hermes_top: the only
// C++ in sim/. Everything else in the harness is C (hermes_sim.c).
#include <memory>

#include "Vhermes_top.h"
#include "hermes_model.h"
#include "verilated.h"

struct hermes_model {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vhermes_top> top;
};

extern "C" struct hermes_model *hermes_model_new(void)
{
	auto *m = new hermes_model;
	m->ctx = std::make_unique<VerilatedContext>();
	m->top = std::make_unique<Vhermes_top>(m->ctx.get(), "hermes_top");
	m->top->clk_i = 0;
	m->top->rst_ni = 0;
	m->top->eval();
	return m;
}

extern "C" void hermes_model_free(struct hermes_model *m)
{
	if (!m)
		return;
	m->top->final();
	delete m;
}

extern "C" void hermes_model_cycle(struct hermes_model *m, struct hermes_pins *p)
{
	Vhermes_top *t = m->top.get();

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
	t->clk_i = 0;
	t->eval();

	p->bar0_awready = t->bar0_awready_o;
	p->bar0_wready = t->bar0_wready_o;
	p->bar0_bresp = t->bar0_bresp_o;
	p->bar0_bvalid = t->bar0_bvalid_o;
	p->bar0_arready = t->bar0_arready_o;
	p->bar0_rdata = t->bar0_rdata_o;
	p->bar0_rresp = t->bar0_rresp_o;
	p->bar0_rvalid = t->bar0_rvalid_o;
	p->usr_irq = t->usr_irq_o;

	t->clk_i = 1;
	t->eval();
}
