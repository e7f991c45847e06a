/* SPDX-License-Identifier: MIT */
/* hermes_sim.c - the simulated card: reset, clocking, BAR0 AXI-Lite master. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hermes_sim.h"

#define RESET_CLOCKS 8

struct hermes_sim {
	struct hermes_model *model;
	struct hermes_pins pins;
	uint64_t cycles;
};

void hermes_sim_cycle(struct hermes_sim *sim)
{
	hermes_model_cycle(sim->model, &sim->pins);
	sim->cycles++;
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
	p->rst_n = 0;
	hermes_sim_run(sim, RESET_CLOCKS);
	p->rst_n = 1;
	hermes_sim_run(sim, 1);
}

struct hermes_sim *hermes_sim_new(const struct hermes_sim_opts *opts)
{
	struct hermes_sim *sim = calloc(1, sizeof(*sim));

	(void)opts;
	if (!sim)
		return NULL;
	sim->model = hermes_model_new();
	if (!sim->model) {
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
	hermes_model_free(sim->model);
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

int hermes_sim_bar0_read(struct hermes_sim *sim, uint32_t off, uint32_t *val)
{
	struct hermes_pins *p = &sim->pins;
	unsigned t;

	p->bar0_araddr = (uint16_t)off;
	p->bar0_arvalid = 1;
	p->bar0_rready = 1;
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT; t++) {
		hermes_sim_cycle(sim);
		if (p->bar0_arready)
			break;
	}
	p->bar0_arvalid = 0;
	if (t == HERMES_SIM_BAR_TIMEOUT) {
		p->bar0_rready = 0;
		return -ETIMEDOUT;
	}
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT; t++) {
		hermes_sim_cycle(sim);
		if (p->bar0_rvalid) {
			p->bar0_rready = 0;
			*val = p->bar0_rdata;
			return p->bar0_rresp;
		}
	}
	p->bar0_rready = 0;
	return -ETIMEDOUT;
}

int hermes_sim_bar0_write(struct hermes_sim *sim, uint32_t off, uint32_t val, unsigned strb)
{
	struct hermes_pins *p = &sim->pins;
	unsigned t;

	p->bar0_awaddr = (uint16_t)off;
	p->bar0_awvalid = 1;
	p->bar0_wdata = val;
	p->bar0_wstrb = (uint8_t)strb;
	p->bar0_wvalid = 1;
	p->bar0_bready = 1;
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT && (p->bar0_awvalid || p->bar0_wvalid); t++) {
		hermes_sim_cycle(sim);
		if (p->bar0_awready)
			p->bar0_awvalid = 0;
		if (p->bar0_wready)
			p->bar0_wvalid = 0;
	}
	if (p->bar0_awvalid || p->bar0_wvalid) {
		p->bar0_awvalid = p->bar0_wvalid = p->bar0_bready = 0;
		return -ETIMEDOUT;
	}
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT; t++) {
		hermes_sim_cycle(sim);
		if (p->bar0_bvalid) {
			p->bar0_bready = 0;
			return p->bar0_bresp;
		}
	}
	p->bar0_bready = 0;
	return -ETIMEDOUT;
}
