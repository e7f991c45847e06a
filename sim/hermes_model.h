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
	uint32_t usr_irq;
};

struct hermes_model;

struct hermes_model *hermes_model_new(void);
void hermes_model_free(struct hermes_model *m);

/* Apply the inputs, capture the outputs at the rising edge, then clock. */
void hermes_model_cycle(struct hermes_model *m, struct hermes_pins *p);

#ifdef __cplusplus
}
#endif
#endif
