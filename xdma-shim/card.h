/* SPDX-License-Identifier: MIT */
/*
 * card.h - the simulated card behind xdma-fuse.
 *
 * One struct shim_card owns a hermes_sim (the verilated card) and the
 * user-space XDMA driver of host/src/bus/xdma_drv.c (the same code bus_sim
 * uses). Every access takes one mutex; a clock thread advances the card
 * while a command is in flight on an engine, while slots of a dead client
 * wait to be released, or (slowly) while somebody waits for an interrupt.
 *
 * After every operation the rises of the card's user interrupt lines since
 * the last look (latched by the harness at every clock,
 * hermes_sim_usr_events) are handed to the irq callback (the events_N nodes
 * latch them): one per engine completion, one per hardware queue event.
 *
 * Clients are the open handles of the user node. Writes of EXEC to an
 * engine's EHCMDCTRL are snooped (the request is read back from EHCMDREQ
 * first); when such a command completes, Request Slot and Release Slot
 * results update the slots owned by the client. Releasing a client aborts
 * its running program, acknowledges what it left, and gives its slots back
 * through an idle engine (saving and restoring that engine's EHCMDREQ).
 * A card reset (the key written to EHRESET) drops all of that ownership.
 *
 * All functions return 0 or a negative errno.
 */
#ifndef XDMA_SHIM_CARD_H
#define XDMA_SHIM_CARD_H

#include <stddef.h>
#include <stdint.h>

#define SHIM_MAX_ENGINES 8u
#define SHIM_EVENTS      16u /* user interrupts, as the Xilinx driver's events_0..15 */

struct shim_card;
struct shim_client;

struct shim_card_cfg {
	/* Rising edges of user interrupt lines (bit N: events_N); called with the card lock held. */
	void (*irq)(void *ctx, uint32_t rising);
	/* How many wait for a user interrupt (blocked reads, poll handles); called with the card lock held. */
	int (*waiting)(void *ctx);
	void *ctx;
	unsigned chunk;       /* clocks per step of the clock thread, 0: 500 */
	int verbose;          /* log to stderr */
	const char *sim_opts; /* "host_latency=N,host_reads=N,desc_bytes=N", may be NULL */
};

struct shim_card_stats {
	uint64_t cycles;              /* card clocks so far */
	uint64_t clock_thread_cycles; /* of which the clock thread ran */
	unsigned clients;             /* user-node handles open */
	unsigned cmds_tracked;        /* EXEC writes snooped */
	unsigned slots_recovered;     /* released on behalf of closed clients */
	unsigned runs_aborted;        /* programs of closed clients aborted */
	unsigned resets;              /* card resets (EHRESET key writes): slot ownership dropped */
};

int shim_card_new(const struct shim_card_cfg *cfg, struct shim_card **cp, char *err, size_t errlen);
/* Start the clock thread (after any fork). */
int shim_card_start(struct shim_card *c);
void shim_card_free(struct shim_card *c);

unsigned shim_card_engines(const struct shim_card *c);
unsigned shim_card_h2c(const struct shim_card *c);
unsigned shim_card_c2h(const struct shim_card *c);
uint64_t shim_card_bar4_size(const struct shim_card *c);
void shim_card_stats(struct shim_card *c, struct shim_card_stats *st);

/* BAR0 (user) and BAR2 (control): off 4-aligned and below 64 KiB. -EIO on SLVERR/DECERR. */
int shim_card_bar0_read(struct shim_card *c, uint32_t off, uint32_t *val);
int shim_card_bar0_write(struct shim_card *c, struct shim_client *cl, uint32_t off, uint32_t val);
int shim_card_bar2_read(struct shim_card *c, uint32_t off, uint32_t *val);
int shim_card_bar2_write(struct shim_card *c, uint32_t off, uint32_t val);

/* DMA through the XDMA driver: -EFAULT outside BAR4, -EIO, -ETIMEDOUT, -EINVAL. */
int shim_card_dma(struct shim_card *c, int c2h, unsigned chan, uint64_t addr, void *buf, size_t len);

/* Somebody started waiting for a user interrupt: wake the clock thread. */
void shim_card_kick(struct shim_card *c);

/* Clients: one per open handle of the user node. */
struct shim_client *shim_card_client_new(struct shim_card *c);
void shim_card_client_release(struct shim_card *c, struct shim_client *cl);

#endif
