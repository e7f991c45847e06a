/* SPDX-License-Identifier: MIT */
/* cmd.h - the eid-hermes command layer over a card's BAR0 (DESIGN.md "Commands"). */
#ifndef HERMES_CMD_H
#define HERMES_CMD_H

#include <stdint.h>

#include "dev.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_cmd_req {
	uint8_t bytes[HERMES_EHCMDREQ_LEN];
};

struct hermes_cmd_res {
	uint8_t bytes[HERMES_EHCMDRES_LEN];
};

static inline unsigned hermes_cmd_res_status(const struct hermes_cmd_res *r) { return r->bytes[2]; }

/* BAR0 accesses through the device's bus (0 or a negative errno). */
static inline int hermes__bar0_read(struct hermes_dev *dev, uint32_t off, uint32_t *v)
{
	return dev->bus->ops->read32(dev->bus, off, v);
}

static inline int hermes__bar0_write(struct hermes_dev *dev, uint32_t off, uint32_t v)
{
	return dev->bus->ops->write32(dev->bus, off, v);
}

/* A 64-bit register pair, low word first. */
static inline int hermes__bar0_read64(struct hermes_dev *dev, uint32_t off, uint64_t *v)
{
	uint32_t lo, hi;
	int err;

	if ((err = hermes__bar0_read(dev, off, &lo)) || (err = hermes__bar0_read(dev, off + 4, &hi)))
		return err;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

/*
 * Run one command on engine e: write the request, set EXEC, wait for the
 * completion interrupt (timeout_ms; on expiry ABORT is tried once), read
 * the response and check that it echoes the command id. Returns 0 (the
 * status is in the response) or a negative errno with the detail on dev.
 */
int hermes__cmd_exec(struct hermes_dev *dev, unsigned engine, struct hermes_cmd_req *req,
		     struct hermes_cmd_res *res, unsigned timeout_ms);

/* Request/Release Slot on engine e. Return 0, a negative errno, or the
 * positive command status (HERMES_ST_*) when the card refused. */
int hermes__slot_alloc(struct hermes_dev *dev, unsigned engine, unsigned type, unsigned *slot);
int hermes__slot_release(struct hermes_dev *dev, unsigned engine, unsigned type, unsigned slot);

/*
 * Card resets (dev_reset.c). The card counts the resets it accepted
 * (EHRESET bits 31:16); whoever holds slots or waits for a command reads
 * the count first and compares it later, so that a reset by anyone (this
 * process or another) is noticed and its slots, now free or someone
 * else's, are never released again. hermes__reset_check returns 0 when
 * the count is still `since`, -ECANCELED "card was reset ..." when not.
 */
int hermes__reset_count(struct hermes_dev *dev, uint32_t *count);
int hermes__reset_check(struct hermes_dev *dev, uint32_t since, const char *what);

/* Card program runs (hermes_run on "sim" and "xdma"). */
int hermes__card_run(struct hermes_dev *dev, const struct hermes_prog *prog,
		     const void *in, size_t in_len, void *out, size_t out_len,
		     const struct hermes_run_opts *opts, struct hermes_run_result *res);

#ifdef __cplusplus
}
#endif

#endif
