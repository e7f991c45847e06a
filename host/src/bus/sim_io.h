/* SPDX-License-Identifier: MIT */
/*
 * sim_io.h - the simulated card (sim/hermes_sim.h) as the XDMA driver's
 * I/O, and the "sim:" options: what the in-process bus (bus_sim.c) and
 * xdma-fuse (xdma-shim/card.c) share.
 */
#ifndef HERMES_SIM_IO_H
#define HERMES_SIM_IO_H

#include <stdint.h>

#include "handle.h"
#include "hermes_sim.h"
#include "xdma_drv.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The AXI response of a simulated register access as 0, -EIO (SLVERR,
 * DECERR) or -ETIMEDOUT (no response), with a sentence on dev naming the
 * access ("BAR0 read") and its offset.
 */
int hermes__sim_access(struct hermes_dev *dev, int resp, const char *what, uint32_t off);

/* What the XDMA driver reaches through io: the card's BAR2, its channel
 * interrupts and clock, its host memory; errors recorded on dev. */
struct hermes_sim_io {
	struct hermes_sim *sim;
	struct hermes_dev *dev;
};

/* Fill io for ctx, which must outlive the driver opened on io. */
void hermes__sim_xdma_io(struct hermes_sim_io *ctx, struct hermes_xdma_io *io);

/*
 * "key=value,..." options of a simulated card, from a device string
 * ("sim:OPTIONS") or xdma-fuse's --sim. The table in sim_io.c names each
 * key, its meaning and the field it sets; trace and trace_window are kept
 * as text for the caller (bus_sim.c opens the file).
 */
struct hermes_sim_config {
	struct hermes_sim_opts sim;
	struct hermes_xdma_opts xdma;
	/* The PCIe cost model: its keys (cost=pcie|zero, bar_rd, bar_wr,
	 * bar_wr_delay, link_mbps, host_latency) are hermes_sim_cost_option()'s.
	 * The caller sets the defaults (HERMES_SIM_COST_PCIE) and points
	 * sim.cost at a copy that lives until the card is created. */
	struct hermes_sim_cost cost;
	const char *trace;        /* trace=FILE, NULL: not given */
	const char *trace_window; /* trace_window=A:B, NULL: not given */
	char *text;               /* owns the strings above */
};

/*
 * Parse opts (NULL or "" for none) into cfg, whose sim and xdma parts the
 * caller may have set to its defaults first. 0, or -EINVAL naming the
 * option (where: "in device 'sim:...'", "in --sim"), -ENOMEM; the
 * sentence goes to dev (NULL: the thread's detail).
 */
int hermes__sim_config_parse(struct hermes_dev *dev, const char *opts, const char *where,
			     struct hermes_sim_config *cfg);
void hermes__sim_config_free(struct hermes_sim_config *cfg);

/*
 * Parse a clock window "A:B" (clocks A to B-1), "A:" (from A on) or ":B"
 * (from 0 to B-1) into *start and *end (0: no end). Returns 0, or -1 when
 * the text is not such a window or B <= A.
 */
int hermes_trace_window_parse(const char *s, uint64_t *start, uint64_t *end);

#ifdef __cplusplus
}
#endif

#endif
