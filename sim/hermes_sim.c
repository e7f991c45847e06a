/* SPDX-License-Identifier: MIT */
/* hermes_sim.c - the simulated card: reset, clocking, BAR0 AXI-Lite master. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hermes_sim.h"
#include "hostmem.h"

#define RESET_CLOCKS 8

/* The plain or the trace-enabled model (hermes_model.h), chosen per card. */
struct model_fns {
	void (*cycle)(struct hermes_model *m, struct hermes_pins *p);
	void (*free)(struct hermes_model *m);
	unsigned (*engines)(const struct hermes_model *m);
};

static const struct model_fns plain_model = {
	hermes_model_cycle, hermes_model_free, hermes_model_engines,
};

static const struct model_fns traced_model = {
	hermes_model_trace_cycle, hermes_model_trace_free, hermes_model_trace_engines,
};

#ifndef HERMES_SIM_TRACE_MODEL
/* Built without the traced model (-DHERMES_TRACE_MODEL=OFF): never selected. */
int hermes_model_trace_available(void) { return 0; }
struct hermes_model *hermes_model_trace_new(const struct hermes_model_trace *t) { (void)t; return NULL; }
unsigned hermes_model_trace_engines(const struct hermes_model *m) { (void)m; return 0; }
void hermes_model_trace_free(struct hermes_model *m) { (void)m; }
void hermes_model_trace_cycle(struct hermes_model *m, struct hermes_pins *p) { (void)m; (void)p; }
#endif

int hermes_sim_trace_available(void)
{
	return hermes_model_trace_available();
}

struct hermes_sim {
	struct hermes_model *model;
	const struct model_fns *fns;
	struct hermes_hostmem *hostmem;
	struct hermes_pins pins;
	uint64_t cycles;
	hermes_sim_retire_fn on_retire;
	void *on_retire_ctx;
};

static void report_retires(struct hermes_sim *sim)
{
	struct hermes_sim_retire r;

	for (unsigned e = 0; sim->pins.rvfi_valid >> e; e++) {
		if (!((sim->pins.rvfi_valid >> e) & 1))
			continue;
		r.engine = e;
		r.cycle = sim->cycles;
		r.rec = &sim->pins.rvfi[e];
		sim->on_retire(sim->on_retire_ctx, &r);
	}
}

void hermes_sim_cycle(struct hermes_sim *sim)
{
	hermes_hostmem_drive(sim->hostmem, &sim->pins);
	sim->fns->cycle(sim->model, &sim->pins);
	hermes_hostmem_clock(sim->hostmem, &sim->pins);
	if (sim->on_retire && sim->pins.rvfi_valid)
		report_retires(sim);
	sim->cycles++;
}

unsigned hermes_sim_engines(const struct hermes_sim *sim)
{
	return sim->fns->engines(sim->model);
}

void hermes_sim_on_retire(struct hermes_sim *sim, hermes_sim_retire_fn fn, void *ctx)
{
	sim->on_retire = fn;
	sim->on_retire_ctx = ctx;
}

struct hermes_pins *hermes_sim_pins(struct hermes_sim *sim)
{
	return &sim->pins;
}

void hermes_sim_run(struct hermes_sim *sim, uint64_t n)
{
	while (n--)
		hermes_sim_cycle(sim);
}

void hermes_sim_reset(struct hermes_sim *sim)
{
	struct hermes_pins *p = &sim->pins;

	memset(p, 0, sizeof(*p));
	hermes_hostmem_reset(sim->hostmem);
	p->rst_n = 0;
	hermes_sim_run(sim, RESET_CLOCKS);
	p->rst_n = 1;
	hermes_sim_run(sim, 1);
}

struct hermes_sim *hermes_sim_new(const struct hermes_sim_opts *opts)
{
	struct hermes_sim *sim = calloc(1, sizeof(*sim));
	struct hermes_hostmem_cfg hc = {
		.base = HERMES_HOSTMEM_DEFAULT_BASE,
		.size = HERMES_HOSTMEM_DEFAULT_SIZE,
		.rd_latency = HERMES_HOSTMEM_DEFAULT_RD_LATENCY,
		.max_reads = HERMES_HOSTMEM_DEFAULT_MAX_READS,
		.wr_latency = HERMES_HOSTMEM_DEFAULT_WR_LATENCY,
	};

	if (!sim)
		return NULL;
	if (opts && opts->sz >= offsetof(struct hermes_sim_opts, host_wr_latency) +
					sizeof(opts->host_wr_latency)) {
		if (opts->host_mem_size)
			hc.size = opts->host_mem_size;
		if (opts->host_rd_latency)
			hc.rd_latency = opts->host_rd_latency;
		if (opts->host_max_reads)
			hc.max_reads = opts->host_max_reads;
		if (opts->host_wr_latency)
			hc.wr_latency = opts->host_wr_latency;
	}
	sim->hostmem = hermes_hostmem_new(&hc);
	sim->fns = &plain_model;
	if (opts && opts->sz >= offsetof(struct hermes_sim_opts, trace_end) + sizeof(opts->trace_end) &&
	    opts->trace_path) {
		struct hermes_model_trace t = {
			.path = opts->trace_path, .start = opts->trace_start, .end = opts->trace_end,
		};

		sim->fns = &traced_model;
		sim->model = sim->hostmem ? hermes_model_trace_new(&t) : NULL;
	} else {
		sim->model = sim->hostmem ? hermes_model_new() : NULL;
	}
	if (!sim->model) {
		hermes_hostmem_free(sim->hostmem);
		free(sim);
		return NULL;
	}
	hermes_sim_reset(sim);
	return sim;
}

void hermes_sim_free(struct hermes_sim *sim)
{
	if (!sim)
		return;
	sim->fns->free(sim->model);
	hermes_hostmem_free(sim->hostmem);
	free(sim);
}

uint64_t hermes_sim_cycles(const struct hermes_sim *sim)
{
	return sim->cycles;
}

uint32_t hermes_sim_usr_irq(const struct hermes_sim *sim)
{
	return sim->pins.usr_irq;
}

/* The AXI-Lite pins of BAR0 or BAR2. */
struct lite_pins {
	uint16_t *awaddr, *araddr;
	uint8_t *awvalid, *wvalid, *bready, *arvalid, *rready, *wstrb;
	uint32_t *wdata, *rdata;
	uint8_t *awready, *wready, *bresp, *bvalid, *arready, *rresp, *rvalid;
};

static struct lite_pins lite(struct hermes_pins *p, int bar)
{
	struct lite_pins l;

#define LITE(b) do { \
		l.awaddr = &p->b##_awaddr; l.araddr = &p->b##_araddr; \
		l.awvalid = &p->b##_awvalid; l.wvalid = &p->b##_wvalid; \
		l.bready = &p->b##_bready; l.arvalid = &p->b##_arvalid; \
		l.rready = &p->b##_rready; l.wstrb = &p->b##_wstrb; \
		l.wdata = &p->b##_wdata; l.rdata = &p->b##_rdata; \
		l.awready = &p->b##_awready; l.wready = &p->b##_wready; \
		l.bresp = &p->b##_bresp; l.bvalid = &p->b##_bvalid; \
		l.arready = &p->b##_arready; l.rresp = &p->b##_rresp; \
		l.rvalid = &p->b##_rvalid; \
	} while (0)
	if (bar == 2)
		LITE(bar2);
	else
		LITE(bar0);
#undef LITE
	return l;
}

static int lite_read(struct hermes_sim *sim, int bar, uint32_t off, uint32_t *val)
{
	struct lite_pins l = lite(&sim->pins, bar);
	unsigned t;

	*l.araddr = (uint16_t)off;
	*l.arvalid = 1;
	*l.rready = 1;
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT; t++) {
		hermes_sim_cycle(sim);
		if (*l.arready)
			break;
	}
	*l.arvalid = 0;
	if (t == HERMES_SIM_BAR_TIMEOUT) {
		*l.rready = 0;
		return -ETIMEDOUT;
	}
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT; t++) {
		hermes_sim_cycle(sim);
		if (*l.rvalid) {
			*l.rready = 0;
			*val = *l.rdata;
			return *l.rresp;
		}
	}
	*l.rready = 0;
	return -ETIMEDOUT;
}

static int lite_write(struct hermes_sim *sim, int bar, uint32_t off, uint32_t val, unsigned strb)
{
	struct lite_pins l = lite(&sim->pins, bar);
	unsigned t;

	*l.awaddr = (uint16_t)off;
	*l.awvalid = 1;
	*l.wdata = val;
	*l.wstrb = (uint8_t)strb;
	*l.wvalid = 1;
	*l.bready = 1;
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT && (*l.awvalid || *l.wvalid); t++) {
		hermes_sim_cycle(sim);
		if (*l.awready)
			*l.awvalid = 0;
		if (*l.wready)
			*l.wvalid = 0;
	}
	if (*l.awvalid || *l.wvalid) {
		*l.awvalid = *l.wvalid = *l.bready = 0;
		return -ETIMEDOUT;
	}
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT; t++) {
		hermes_sim_cycle(sim);
		if (*l.bvalid) {
			*l.bready = 0;
			return *l.bresp;
		}
	}
	*l.bready = 0;
	return -ETIMEDOUT;
}

int hermes_sim_bar0_read(struct hermes_sim *sim, uint32_t off, uint32_t *val)
{
	return lite_read(sim, 0, off, val);
}

int hermes_sim_bar0_write(struct hermes_sim *sim, uint32_t off, uint32_t val, unsigned strb)
{
	return lite_write(sim, 0, off, val, strb);
}

int hermes_sim_bar2_read(struct hermes_sim *sim, uint32_t off, uint32_t *val)
{
	return lite_read(sim, 2, off, val);
}

int hermes_sim_bar2_write(struct hermes_sim *sim, uint32_t off, uint32_t val, unsigned strb)
{
	return lite_write(sim, 2, off, val, strb);
}

uint32_t hermes_sim_chan_irq(const struct hermes_sim *sim)
{
	return sim->pins.chan_irq;
}

int hermes_sim_wait_irq(struct hermes_sim *sim, uint32_t usr_mask, uint32_t chan_mask,
			uint64_t max_cycles, uint32_t *usr, uint32_t *chan)
{
	uint64_t n = 0;

	for (;;) {
		uint32_t u = sim->pins.usr_irq & usr_mask, c = sim->pins.chan_irq & chan_mask;

		if (u || c) {
			if (usr)
				*usr = u;
			if (chan)
				*chan = c;
			return 0;
		}
		if (n++ >= max_cycles)
			break;
		hermes_sim_cycle(sim);
	}
	if (usr)
		*usr = 0;
	if (chan)
		*chan = 0;
	return -ETIMEDOUT;
}

struct hermes_hostmem *hermes_sim_hostmem(struct hermes_sim *sim)
{
	return sim->hostmem;
}
