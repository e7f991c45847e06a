/* SPDX-License-Identifier: MIT */
/*
 * hermes_sim.h - C API of the simulated Hermes card (the verilated RTL).
 *
 * All functions run the model forward as needed; a simulated card is not
 * thread-safe (callers serialise access).
 */
#ifndef HERMES_SIM_H
#define HERMES_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "hermes_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* AXI response codes returned by the BAR accessors. */
#define HERMES_SIM_OKAY   0
#define HERMES_SIM_SLVERR 2
#define HERMES_SIM_DECERR 3

/* Clocks a BAR access may take before it is reported as hung. */
#define HERMES_SIM_BAR_TIMEOUT 1000u

struct hermes_sim_opts {
	size_t sz;                /* sizeof(struct hermes_sim_opts) */
	/* Host memory model (0: the defaults of hostmem.h). */
	size_t host_mem_size;     /* bytes */
	unsigned host_rd_latency; /* clocks from a read request to its data */
	unsigned host_max_reads;  /* outstanding read bursts */
	unsigned host_wr_latency; /* clocks from the last write beat to its response */
	/*
	 * Waveform: non-NULL selects the trace-enabled model, which writes an
	 * FST of clocks [trace_start, trace_end) (trace_end 0: to the end) to
	 * this file; clock c is at 4c ns, as hermes_sim_cycles() counts them.
	 * The file is complete once the card is freed.
	 */
	const char *trace_path;
	uint64_t trace_start;
	uint64_t trace_end;
};

/* 1 when this build has the trace-enabled model (needed for trace_path). */
int hermes_sim_trace_available(void);

struct hermes_hostmem;

struct hermes_sim;

/* Create a card (held in reset for a few clocks, then released). */
struct hermes_sim *hermes_sim_new(const struct hermes_sim_opts *opts);
void hermes_sim_free(struct hermes_sim *sim);

/* Pulse reset: the whole card returns to its power-on state. */
void hermes_sim_reset(struct hermes_sim *sim);

/* Advance n idle clocks. */
void hermes_sim_run(struct hermes_sim *sim, uint64_t n);

/* Clocks since creation. */
uint64_t hermes_sim_cycles(const struct hermes_sim *sim);

/*
 * BAR0 accesses through real AXI-Lite handshakes. Return the AXI response
 * (HERMES_SIM_OKAY, _SLVERR, _DECERR), or -ETIMEDOUT when the slave does
 * not complete within HERMES_SIM_BAR_TIMEOUT clocks.
 */
int hermes_sim_bar0_read(struct hermes_sim *sim, uint32_t off, uint32_t *val);
int hermes_sim_bar0_write(struct hermes_sim *sim, uint32_t off, uint32_t val, unsigned strb);

/* BAR2 (XDMA register block) accesses, same conventions as BAR0. */
int hermes_sim_bar2_read(struct hermes_sim *sim, uint32_t off, uint32_t *val);
int hermes_sim_bar2_write(struct hermes_sim *sim, uint32_t off, uint32_t val, unsigned strb);

/*
 * Interrupts as the host sees them: the XDMA IRQ block's pending bits
 * (request & enable). User interrupt e is engine e's; channel interrupt
 * bits are the H2C channels, then the C2H channels.
 */
uint32_t hermes_sim_usr_irq(const struct hermes_sim *sim);
uint32_t hermes_sim_chan_irq(const struct hermes_sim *sim);

/*
 * Clock the card until a user interrupt in usr_mask or a channel interrupt
 * in chan_mask is pending, at most max_cycles clocks. Returns 0 with the
 * pending bits of the masks in *usr and *chan (either may be NULL), or
 * -ETIMEDOUT.
 */
int hermes_sim_wait_irq(struct hermes_sim *sim, uint32_t usr_mask, uint32_t chan_mask,
			uint64_t max_cycles, uint32_t *usr, uint32_t *chan);

/* The host memory the card's DMA reads and writes (hostmem.h). */
struct hermes_hostmem *hermes_sim_hostmem(struct hermes_sim *sim);

/* Number of eBPF engines of the model. */
unsigned hermes_sim_engines(const struct hermes_sim *sim);

/*
 * Retire records: fn is called for every instruction any engine retires,
 * in clock order (engines in index order within a clock). NULL turns it off.
 */
struct hermes_sim_retire {
	unsigned engine;
	uint64_t cycle;
	const struct hermes_pins_retire *rec;
};
typedef void (*hermes_sim_retire_fn)(void *ctx, const struct hermes_sim_retire *r);
void hermes_sim_on_retire(struct hermes_sim *sim, hermes_sim_retire_fn fn, void *ctx);

/* Pin-level access for protocol tests: edit the pins, then cycle. */
struct hermes_pins *hermes_sim_pins(struct hermes_sim *sim);
void hermes_sim_cycle(struct hermes_sim *sim);

#ifdef __cplusplus
}
#endif
#endif
