/* SPDX-License-Identifier: MIT */
/* cmd.h - the eid-hermes command layer over a card's BAR0 (docs/ARCHITECTURE.md "Register map as built"). */
#ifndef HERMES_CMD_H
#define HERMES_CMD_H

#include <stdint.h>

#include "bar0.h"

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
 * Card resets (card_reset.c). The card counts the resets it accepted
 * (EHRESET bits 31:16); whoever holds slots or waits for a command reads
 * the count first and compares it later, so that a reset by anyone (this
 * process or another) is noticed and its slots, now free or someone
 * else's, are never released again. hermes__reset_check returns 0 when
 * the count is still `since`, -ECANCELED "card was reset ..." when not.
 */
int hermes__reset_count(struct hermes_dev *dev, uint32_t *count);
int hermes__reset_check(struct hermes_dev *dev, uint32_t since, const char *what);

#ifdef __cplusplus
}
#endif

#endif
