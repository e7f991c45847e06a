/* SPDX-License-Identifier: MIT */
/*
 * hermes_model.h - pin-level access to the verilated hermes_top.
 *
 * The C harness drives the card's ports through struct hermes_pins; one
 * call to hermes_model_cycle() is one rising clock edge. Outputs in the
 * struct are the values seen at that edge (after the inputs settled), so a
 * handshake "valid && ready" in the struct is one that happened at the edge.
 */
#ifndef HERMES_MODEL_H
#define HERMES_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Most engines a model can have (hermes_top NUM_ENGINES). */
#define HERMES_MODEL_MAX_ENGINES 16

/* One engine's retire port (docs/ISA.md "Retire records"). */
struct hermes_pins_retire {
	uint32_t pc;
	uint8_t rd;
	uint8_t mem_kind;
	uint8_t mem_size;
	uint64_t insn;
	uint64_t rd_value;
	uint64_t mem_addr;
	uint64_t mem_value;
};

struct hermes_pins {
	/* inputs */
	uint8_t rst_n;
	uint16_t bar0_awaddr;
	uint8_t bar0_awvalid;
	uint32_t bar0_wdata;
	uint8_t bar0_wstrb;
	uint8_t bar0_wvalid;
	uint8_t bar0_bready;
	uint16_t bar0_araddr;
	uint8_t bar0_arvalid;
	uint8_t bar0_rready;
	/* outputs */
	uint8_t bar0_awready;
	uint8_t bar0_wready;
	uint8_t bar0_bresp;
	uint8_t bar0_bvalid;
	uint8_t bar0_arready;
	uint32_t bar0_rdata;
	uint8_t bar0_rresp;
	uint8_t bar0_rvalid;
	uint32_t usr_irq;   /* user interrupt request lines of the card */
	uint32_t usr_irq_ack; /* the XDMA model's usr_irq_ack: a message went out (one clock) */

	/* BAR2 (XDMA register block), AXI4-Lite; inputs then outputs. */
	uint16_t bar2_awaddr;
	uint8_t bar2_awvalid;
	uint32_t bar2_wdata;
	uint8_t bar2_wstrb;
	uint8_t bar2_wvalid;
	uint8_t bar2_bready;
	uint16_t bar2_araddr;
	uint8_t bar2_arvalid;
	uint8_t bar2_rready;
	uint8_t bar2_awready;
	uint8_t bar2_wready;
	uint8_t bar2_bresp;
	uint8_t bar2_bvalid;
	uint8_t bar2_arready;
	uint32_t bar2_rdata;
	uint8_t bar2_rresp;
	uint8_t bar2_rvalid;
	uint32_t chan_irq;  /* channel interrupts pending (H2C channels, then C2H) */

	/* Host memory: the card's AXI4 master (512-bit data). Inputs. */
	uint8_t host_arready;
	uint8_t host_rid;
	uint32_t host_rdata[16];
	uint8_t host_rresp;
	uint8_t host_rlast;
	uint8_t host_rvalid;
	uint8_t host_awready;
	uint8_t host_wready;
	uint8_t host_bid;
	uint8_t host_bresp;
	uint8_t host_bvalid;
	/* Outputs. */
	uint8_t host_arid;
	uint64_t host_araddr;
	uint8_t host_arlen;
	uint8_t host_arvalid;
	uint8_t host_rready;
	uint8_t host_awid;
	uint64_t host_awaddr;
	uint8_t host_awlen;
	uint8_t host_awvalid;
	uint32_t host_wdata[16];
	uint64_t host_wstrb;
	uint8_t host_wlast;
	uint8_t host_wvalid;
	uint8_t host_bready;

	/* Retire ports: bit e of rvfi_valid says rvfi[e] holds a record. */
	uint32_t rvfi_valid;
	struct hermes_pins_retire rvfi[HERMES_MODEL_MAX_ENGINES];
};

struct hermes_model;

struct hermes_model *hermes_model_new(void);

/* Number of engines the model was built with. */
unsigned hermes_model_engines(const struct hermes_model *m);
void hermes_model_free(struct hermes_model *m);

/* Apply the inputs, capture the outputs at the rising edge, then clock. */
void hermes_model_cycle(struct hermes_model *m, struct hermes_pins *p);

/*
 * The trace-enabled model: the same RTL verilated a second time with
 * --trace-fst (library hermes_sim_trace), so that the plain model above
 * keeps its speed. Same calls with a hermes_model_trace_ prefix; a handle
 * from one family must only be passed to that family (hermes_sim.c keeps
 * the pairing). Clock c is dumped at 4c ns (clk low, inputs applied) and
 * 4c + 2 ns (after the rising edge), for start <= c < end (end 0: no end);
 * c counts hermes_model_trace_cycle() calls from 0.
 */
struct hermes_model_trace {
	const char *path;  /* FST file to write */
	uint64_t start;    /* first clock dumped */
	uint64_t end;      /* first clock not dumped, 0: none */
};

/* 1 when the traced model was built (cmake -DHERMES_TRACE_MODEL=ON), else 0. */
int hermes_model_trace_available(void);
/* NULL when the traced model is not built or the file cannot be written. */
struct hermes_model *hermes_model_trace_new(const struct hermes_model_trace *t);
unsigned hermes_model_trace_engines(const struct hermes_model *m);
void hermes_model_trace_free(struct hermes_model *m);
void hermes_model_trace_cycle(struct hermes_model *m, struct hermes_pins *p);

#ifdef __cplusplus
}
#endif
#endif
