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

/* Card program runs (hermes_run on "sim" and "xdma"). */
int hermes__card_run(struct hermes_dev *dev, const struct hermes_prog *prog,
		     const void *in, size_t in_len, void *out, size_t out_len,
		     const struct hermes_run_opts *opts, struct hermes_run_result *res);

#ifdef __cplusplus
}
#endif

#endif
