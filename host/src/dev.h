/* SPDX-License-Identifier: MIT */
/*
 * dev.h - internals shared by the device front end (dev.c), the bus
 * backends (bus_sim.c, bus_xdma.c) and the reference device (dev_ref.c).
 */
#ifndef HERMES_DEV_H
#define HERMES_DEV_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "hermes/hermes.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_bus;

/*
 * struct hermes_bus - how a card is reached (DESIGN.md "Data path").
 * Every op returns 0 or a negative errno and, on failure, writes a sentence
 * into the device's error buffer through hermes__err().
 */
struct hermes_bus_ops {
	int (*read32)(struct hermes_bus *bus, uint32_t off, uint32_t *val);   /* BAR0 */
	int (*write32)(struct hermes_bus *bus, uint32_t off, uint32_t val);   /* BAR0 */
	int (*ctl_read32)(struct hermes_bus *bus, uint32_t off, uint32_t *val);  /* BAR2 */
	int (*ctl_write32)(struct hermes_bus *bus, uint32_t off, uint32_t val);  /* BAR2 */
	int (*dma_to_card)(struct hermes_bus *bus, uint64_t card_addr, const void *buf, size_t len);
	int (*dma_from_card)(struct hermes_bus *bus, uint64_t card_addr, void *buf, size_t len);
	/* Wait until a user interrupt in mask is pending; *pending gets them. */
	int (*wait_irq)(struct hermes_bus *bus, uint32_t mask, unsigned timeout_ms, uint32_t *pending);
	void (*close)(struct hermes_bus *bus);
};

struct hermes_bus {
	const struct hermes_bus_ops *ops;
	struct hermes_dev *dev; /* for error reporting */
};

/* Program-level operations; card devices share the command layer's. */
struct hermes_dev_ops {
	const char *kind;
	int (*info)(struct hermes_dev *dev, struct hermes_info *info);
	int (*run)(struct hermes_dev *dev, const struct hermes_prog *prog,
		   const void *in, size_t in_len, void *out, size_t out_len,
		   const struct hermes_run_opts *opts, struct hermes_run_result *res);
	void (*close)(struct hermes_dev *dev);
};

struct hermes_dev {
	const struct hermes_dev_ops *ops;
	struct hermes_bus *bus; /* NULL on "ref" */
	void *priv;
	char errmsg[512];
	/* Identity and geometry, read once: they are fixed for a card's life. */
	struct hermes_info info;
	int info_valid;
};

/* The device's identity and geometry from the cache (read on first use). */
int hermes__dev_geometry(struct hermes_dev *dev, struct hermes_info *info);

/* Record a failure on dev (NULL: the thread's no-device detail); returns err. */
int hermes__err(struct hermes_dev *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Backends. Each parses its own option string (the part after "kind:"). */
int hermes__bus_sim_open(struct hermes_dev *dev, const char *opts, struct hermes_bus **busp);
int hermes__bus_xdma_open(struct hermes_dev *dev, const char *prefix, struct hermes_bus **busp);
int hermes__dev_ref_open(struct hermes_dev *dev, const char *opts);

/* The simulated card behind a "sim" device (NULL for other kinds): for
 * co-simulation and instruction traces. */
struct hermes_sim;
struct hermes_sim *hermes__dev_sim(struct hermes_dev *dev);
/* The PCIe cost model of a "sim" device as JSON (hermes_sim_cost_json()),
 * "null" for any other device (its bus is not modelled here). */
int hermes__dev_cost_json(struct hermes_dev *dev, char *buf, size_t len);

/* Card devices: info from BAR0/BAR2 registers. */
int hermes__card_info(struct hermes_dev *dev, struct hermes_info *info);

/*
 * Bus backends, before a DMA: 0 when [addr, addr + len) lies in BAR4 (or
 * len is 0), else -EFAULT naming the transfer (where: the node or card),
 * so that a transfer leaving BAR4 moves nothing at all.
 */
int hermes__dma_range_check(struct hermes_dev *dev, int to_card, const char *where, uint64_t addr, size_t len);

#ifdef __cplusplus
}
#endif

#endif
