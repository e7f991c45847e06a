/* SPDX-License-Identifier: MIT */
/*
 * bus.h - how a card is reached: BAR0 and BAR2 registers, DMA to and from
 * BAR4, user interrupts, and the card's notion of time.
 *
 * The layers above reach a backend (bus_sim.c: the in-process simulated
 * card; bus_xdma.c: the Xilinx XDMA driver's device nodes) only through
 * these operations and the helpers below, never by its name.
 *
 * Every op returns 0 or a negative errno and, on failure, writes a
 * sentence into the device's error buffer through hermes__err().
 */
#ifndef HERMES_BUS_H
#define HERMES_BUS_H

#include <stddef.h>
#include <stdint.h>

#include "handle.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_bus;
struct hermes_sim;

/* The card's clock: card time is counted in its clocks on the simulator. */
#define HERMES_CARD_CLOCKS_PER_US 250u

struct hermes_bus_ops {
	int (*read32)(struct hermes_bus *bus, uint32_t off, uint32_t *val);   /* BAR0 */
	int (*write32)(struct hermes_bus *bus, uint32_t off, uint32_t val);   /* BAR0 */
	int (*ctl_read32)(struct hermes_bus *bus, uint32_t off, uint32_t *val);  /* BAR2 */
	int (*ctl_write32)(struct hermes_bus *bus, uint32_t off, uint32_t val);  /* BAR2 */
	int (*dma_to_card)(struct hermes_bus *bus, uint64_t card_addr, const void *buf, size_t len);
	int (*dma_from_card)(struct hermes_bus *bus, uint64_t card_addr, void *buf, size_t len);
	/*
	 * Wait until a user interrupt in mask is pending, at most timeout_ms
	 * of bus time (hermes__bus_now_us); *pending gets them. -ETIMEDOUT
	 * without a sentence: a timeout is the caller's to explain.
	 */
	int (*wait_irq)(struct hermes_bus *bus, uint32_t mask, unsigned timeout_ms, uint32_t *pending);
	/*
	 * Card clocks since the bus was opened, where this host can count
	 * them (a card simulated in this process, advanced only by the thread
	 * that uses it); NULL for a real card.
	 */
	uint64_t (*clocks)(struct hermes_bus *bus);
	/* Let the card make progress for us microseconds of bus time. */
	void (*pause)(struct hermes_bus *bus, unsigned us);
	/*
	 * Cards that other processes may use too: the descriptor whose flock
	 * owns engine n (opened on first use). NULL when the card lives in
	 * this process only.
	 */
	int (*engine_lock_fd)(struct hermes_bus *bus, unsigned n, int *fd);
	/*
	 * The same cards: the descriptor whose flock a process holds while it
	 * holds the card's map lock EHMLOCK (docs/MAPS.md). NULL otherwise.
	 */
	int (*map_lock_fd)(struct hermes_bus *bus, int *fd);
	/* The simulated card behind the bus (debug, co-simulation); NULL when there is none. */
	struct hermes_sim *(*sim)(struct hermes_bus *bus);
	/* The PCIe cost model this bus charges, as a JSON object; NULL when the
	 * bus is a real one (nothing is modelled). Returns what snprintf returns. */
	int (*cost_json)(struct hermes_bus *bus, char *buf, size_t len);
	void (*close)(struct hermes_bus *bus);
};

struct hermes_bus {
	const struct hermes_bus_ops *ops;
	struct hermes_dev *dev; /* for error reporting */
};

/*
 * Bus time in microseconds: the card's clocks on a card this host clocks
 * (so that a wait never depends on how loaded the host is), the host's
 * monotonic clock on a real card. Timeouts above the bus count in it.
 */
uint64_t hermes__bus_now_us(struct hermes_bus *bus);

/* 1 when other processes may use the card (engines are owned by flock). */
static inline int hermes__bus_shared(const struct hermes_bus *bus)
{
	return bus->ops->engine_lock_fd != NULL;
}

/*
 * Before a DMA: 0 when [addr, addr + len) lies in BAR4 (or len is 0),
 * else -EFAULT naming the transfer (where: the node or card), so that a
 * transfer leaving BAR4 moves nothing at all. BAR4's extent comes from
 * the identity read at open.
 */
int hermes__dma_range_check(struct hermes_dev *dev, int to_card, const char *where, uint64_t addr, size_t len);

/* Backends. Each parses its own option string (the part after "kind:"). */
int hermes__bus_sim_open(struct hermes_dev *dev, const char *opts, struct hermes_bus **busp);
int hermes__bus_xdma_open(struct hermes_dev *dev, const char *prefix, struct hermes_bus **busp);

#ifdef __cplusplus
}
#endif

#endif
