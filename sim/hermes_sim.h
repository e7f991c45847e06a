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

/*
 * PCIe cost model (docs/RTL_INTERFACES.md "PCIe cost model"): what the bus
 * between host and card charges, in card clocks (250 MHz). The host's time
 * spent waiting is card clocks that pass, so every figure in clocks includes
 * it. HERMES_SIM_COST_PCIE (the default) is an F1-like card; HERMES_SIM_COST_ZERO
 * the free bus of earlier versions: BAR accesses cost their AXI-Lite
 * handshake only, writes are not posted, DMA has no link limit.
 */
struct hermes_sim_cost {
	/* A BAR read stalls the host for this round trip (half before the card
	 * sees the read, half after it answered) plus the card's handshake. */
	unsigned bar_read;
	/*
	 * BAR writes are posted when bar_write or bar_write_delay is non-zero:
	 * the host pays bar_write clocks and goes on; the card sees the write
	 * bar_write_delay clocks after it was issued, in issue order, and a
	 * later BAR read reaches the card only after every earlier write did
	 * (PCIe ordering). The card's answer to a posted write never reaches the
	 * host (hermes_sim_posted_errors() counts the ones that were not OKAY).
	 * Both 0: a write waits for the card's answer and returns it.
	 */
	unsigned bar_write;
	unsigned bar_write_delay;
	/* DMA link rate per direction in MB/s (10^6 bytes per second), 0: none. */
	unsigned link_mbps;
	/* Host memory read latency in clocks (hostmem.h), 0: its default. */
	unsigned host_latency;
};

#define HERMES_SIM_COST_PCIE { .bar_read = 250, .bar_write = 8, .bar_write_delay = 125, \
			       .link_mbps = 12000, .host_latency = 125 }
#define HERMES_SIM_COST_ZERO { .bar_read = 0, .bar_write = 0, .bar_write_delay = 0, \
			       .link_mbps = 0, .host_latency = 125 }

/*
 * One "sim:" option of the cost model: cost=pcie|zero (the whole model),
 * bar_rd=CLOCKS, bar_wr=CLOCKS, bar_wr_delay=CLOCKS, link_mbps=MB/s
 * (0: unlimited), host_latency=CLOCKS. Returns 1 when key is one of these and
 * val was applied to *c, 0 when key is not a cost option, -EINVAL (with a
 * message in err) when val is not valid for it.
 */
int hermes_sim_cost_option(struct hermes_sim_cost *c, const char *key, const char *val,
			   char *err, size_t errlen);
/* The model as a JSON object (no newline): {"name":..,"bar_read_clocks":..,..}. */
int hermes_sim_cost_json(const struct hermes_sim_cost *c, char *buf, size_t len);
/* "pcie", "zero" or "custom". */
const char *hermes_sim_cost_name(const struct hermes_sim_cost *c);

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
	/* PCIe cost model; NULL (or an opts struct without it): HERMES_SIM_COST_PCIE.
	 * A non-zero host_rd_latency above overrides cost->host_latency. */
	const struct hermes_sim_cost *cost;
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

/* The cost model in force. */
void hermes_sim_get_cost(const struct hermes_sim *sim, struct hermes_sim_cost *c);

/* BAR accesses the host made since creation (counted by the harness). */
struct hermes_sim_mmio {
	uint64_t bar0_reads, bar0_writes, bar2_reads, bar2_writes;
	uint64_t posted_errors; /* posted writes the card answered other than OKAY */
};
void hermes_sim_mmio_stats(const struct hermes_sim *sim, struct hermes_sim_mmio *st);

/*
 * Clock the card until every posted write has reached it (at most
 * HERMES_SIM_BAR_TIMEOUT clocks per write past its arrival time). Returns
 * 0, or the first non-OKAY answer among them (or -ETIMEDOUT).
 */
int hermes_sim_flush(struct hermes_sim *sim);

/*
 * BAR0 accesses through real AXI-Lite handshakes, priced by the cost model.
 * Return the AXI response (HERMES_SIM_OKAY, _SLVERR, _DECERR), or
 * -ETIMEDOUT when the slave does not complete within HERMES_SIM_BAR_TIMEOUT
 * clocks. A posted write (see struct hermes_sim_cost) returns
 * HERMES_SIM_OKAY once issued: its answer is not seen by the host.
 */
int hermes_sim_bar0_read(struct hermes_sim *sim, uint32_t off, uint32_t *val);
int hermes_sim_bar0_write(struct hermes_sim *sim, uint32_t off, uint32_t val, unsigned strb);

/*
 * A BAR0 read by an observer beside the host, not by the host: xdma-fuse
 * snooping the commands its clients start, which no read over the link
 * does on a real card. The posted writes before it land first and the
 * AXI-Lite handshake is real (a few clocks), but the cost model charges no
 * round trip and struct hermes_sim_mmio does not count it. Only for
 * registers whose reads have no side effects. Returns as
 * hermes_sim_bar0_read().
 */
int hermes_sim_bar0_snoop(struct hermes_sim *sim, uint32_t off, uint32_t *val);

/* BAR2 (XDMA register block) accesses, same conventions as BAR0. */
int hermes_sim_bar2_read(struct hermes_sim *sim, uint32_t off, uint32_t *val);
int hermes_sim_bar2_write(struct hermes_sim *sim, uint32_t off, uint32_t val, unsigned strb);

/*
 * Interrupt lines: the card's user request lines (usr_irq_req) and the
 * XDMA IRQ block's pending channel bits. User interrupt e is engine e's,
 * NUM_ENGINES + q hardware queue q's; channel interrupt bits are the H2C
 * channels, then the C2H channels.
 */
uint32_t hermes_sim_usr_irq(const struct hermes_sim *sim);
uint32_t hermes_sim_chan_irq(const struct hermes_sim *sim);

/*
 * User interrupts the host was sent since the last call, latched at the
 * clock they happen (bit N: vector N), for the vectors in mask; those are
 * cleared. A hardware queue's vector (engines and up) is an event per
 * moderation trigger whose request the XDMA model acknowledges once the
 * message went out (docs/HWQUEUE.md): its line is seldom high when looked
 * at; each ack is one interrupt here. An engine's vector is a level: each
 * rise is one here.
 */
uint32_t hermes_sim_usr_events(struct hermes_sim *sim, uint32_t mask);
/* The same counted: interrupts sent on vector since the model was made (exact, for tests and benchmarks). */
uint64_t hermes_sim_usr_irq_count(const struct hermes_sim *sim, unsigned vector);

/*
 * Clock the card until a user interrupt in usr_mask or a channel interrupt
 * in chan_mask is pending, at most max_cycles clocks. Posted writes still in
 * flight reach the card before the lines are looked at. An engine's vector
 * is pending while its line is high; a hardware queue's vector (engines and
 * up) while an interrupt of it is latched (hermes_sim_usr_events), which
 * the return consumes: one wake-up per event, none lost while nobody waits.
 * Returns 0 with the pending bits of the masks in *usr and *chan (either
 * may be NULL), or -ETIMEDOUT.
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
