/* SPDX-License-Identifier: MIT */
/*
 * hostmem.h - host memory as seen by the card's DMA: an AXI4 slave model
 * (512-bit data) over a byte array, served by the C harness.
 *
 * Reads model PCIe round trips: a burst accepted at clock t returns its
 * first beat at t + read_latency, one beat per clock after that, bursts in
 * acceptance order, at most max_reads bursts outstanding (ARREADY drops at
 * the limit). Writes take AW then W beats and answer B after
 * write_latency clocks. With a link rate, R beats (host to card) and W
 * beats (card to host) each move at most link_mbps MB/s at 250 MHz (a beat
 * waits until its direction has earned 64 bytes), as a PCIe link would. Addresses outside [base, base + size) answer
 * DECERR (reads return zeros, writes are dropped).
 */
#ifndef HERMES_HOSTMEM_H
#define HERMES_HOSTMEM_H

#include <stddef.h>
#include <stdint.h>

#include "hermes_model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HERMES_HOSTMEM_DEFAULT_BASE        0x100000000ull /* above 4 GiB */
#define HERMES_HOSTMEM_DEFAULT_SIZE        (40u << 20)
#define HERMES_HOSTMEM_DEFAULT_RD_LATENCY  125u /* 500 ns at 250 MHz */
#define HERMES_HOSTMEM_DEFAULT_MAX_READS   32u
#define HERMES_HOSTMEM_DEFAULT_WR_LATENCY  8u

struct hermes_hostmem_cfg {
	uint64_t base;         /* bus address of byte 0 */
	size_t size;           /* bytes */
	unsigned rd_latency;   /* clocks from AR to the first R beat (>= 1) */
	unsigned max_reads;    /* outstanding read bursts (>= 1) */
	unsigned wr_latency;   /* clocks from the last W beat to B (>= 1) */
	unsigned link_mbps;    /* per direction, MB/s at a 250 MHz clock; 0: no limit */
};

struct hermes_hostmem;

/* cfg NULL: the defaults above. Returns NULL when out of memory. */
struct hermes_hostmem *hermes_hostmem_new(const struct hermes_hostmem_cfg *cfg);
void hermes_hostmem_free(struct hermes_hostmem *hm);
void hermes_hostmem_reset(struct hermes_hostmem *hm);

/* The memory itself: byte 0 is bus address cfg.base. */
uint8_t *hermes_hostmem_data(struct hermes_hostmem *hm);
const struct hermes_hostmem_cfg *hermes_hostmem_cfg(const struct hermes_hostmem *hm);

/* Before a clock edge: drive the slave outputs into the pins. */
void hermes_hostmem_drive(struct hermes_hostmem *hm, struct hermes_pins *p);
/* After it: act on the handshakes the pins show. */
void hermes_hostmem_clock(struct hermes_hostmem *hm, const struct hermes_pins *p);

/* Counters since reset (for tests and benchmarks). */
struct hermes_hostmem_stats {
	uint64_t rd_bursts, rd_beats, wr_bursts, wr_beats, errors;
	unsigned max_outstanding; /* highest number of read bursts in flight */
};
void hermes_hostmem_stats(const struct hermes_hostmem *hm, struct hermes_hostmem_stats *st);

#ifdef __cplusplus
}
#endif
#endif
