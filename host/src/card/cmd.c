/* SPDX-License-Identifier: MIT */
/* cmd.c - command layer: requests, EXEC/DONE handshake, responses, slots. */
#include <errno.h>
#include <string.h>

#include "cmd.h"

/* After a timeout, how long the ABORT may take before the engine is declared wedged. */
#define ABORT_GRACE_MS 1000u

/*
 * Request/Release Slot. A Request Slot waits for its slot to be zeroed, and
 * for the slots queued for scrubbing before it: after a card reset up to
 * 16 x 16,384 lines, over a second of simulated card on a loaded machine.
 */
#define SLOT_CMD_TIMEOUT_MS 10000u

static uint16_t next_cmd_id(struct hermes_dev *dev)
{
	static __thread uint16_t counter;

	(void)dev;
	return ++counter;
}

/*
 * How often a waiter looks at EXEC: a card reset clears EXEC and DONE
 * without an interrupt, and should end the wait at once, not at the timeout.
 */
#define WAIT_SLICE_MS 50u

/*
 * Wait until DONE is set on engine e (interrupts merge, so re-check DONE).
 * A command only leaves EXEC by setting DONE; both clear means the card
 * was reset under it: -ECANCELED.
 */
static int wait_done(struct hermes_dev *dev, unsigned e, unsigned timeout_ms)
{
	/* Bus time: card clocks on a card this host clocks, so a wait never depends on host load. */
	int64_t deadline = (int64_t)(hermes__bus_now_us(dev->bus) / 1000) + timeout_ms;
	/*
	 * A card of this process only is reset by this process, which waits
	 * for the command first: no slices, whose extra register reads would
	 * only cost card clocks.
	 */
	int64_t slice = hermes__bus_shared(dev->bus) ? WAIT_SLICE_MS : timeout_ms;
	uint32_t ctrl, pending;
	int err;

	for (;;) {
		int64_t left = deadline - (int64_t)(hermes__bus_now_us(dev->bus) / 1000);

		if ((err = hermes__bar0_read(dev, HERMES_EHCMDCTRL(e), &ctrl)))
			return err;
		if (ctrl & HERMES_CTRL_DONE)
			return 0;
		if (!(ctrl & HERMES_CTRL_EXEC))
			return hermes__err(dev, -ECANCELED, "engine %u: card was reset while its command ran", e);
		if (left <= 0)
			return -ETIMEDOUT;
		err = dev->bus->ops->wait_irq(dev->bus, 1u << e, (unsigned)(left < slice ? left : slice), &pending);
		/* A timeout may be a missed interrupt; DONE is the truth. */
		if (err && err != -ETIMEDOUT)
			return err;
	}
}

int hermes__cmd_exec(struct hermes_dev *dev, unsigned engine, struct hermes_cmd_req *req,
		     struct hermes_cmd_res *res, unsigned timeout_ms)
{
	uint16_t id = next_cmd_id(dev);
	uint32_t ctrl, w;
	int err, timed_out = 0;

	req->bytes[2] = (uint8_t)id;
	req->bytes[3] = (uint8_t)(id >> 8);
	if ((err = hermes__bar0_read(dev, HERMES_EHCMDCTRL(engine), &ctrl)))
		return err;
	if (ctrl & HERMES_CTRL_EXEC)
		return hermes__err(dev, -EBUSY, "engine %u is busy with another command", engine);
	for (unsigned i = 0; i < HERMES_EHCMDREQ_LEN; i += 4) {
		memcpy(&w, req->bytes + i, 4);
		if ((err = hermes__bar0_write(dev, HERMES_EHCMDREQ(engine) + i, w)))
			return err;
	}
	if ((err = hermes__bar0_write(dev, HERMES_EHCMDCTRL(engine), HERMES_CTRL_IRQEN | HERMES_CTRL_EXEC)))
		return err;
	err = wait_done(dev, engine, timeout_ms);
	if (err == -ETIMEDOUT) {
		/*
		 * Stop a program so the engine is usable again. ABORT does not
		 * stop a slot command; one that ends in the grace time is taken
		 * as it is (a slot it allocated must not be lost).
		 */
		if ((err = hermes__bar0_write(dev, HERMES_EHCMDCTRL(engine), HERMES_CTRL_IRQEN | HERMES_CTRL_ABORT)) == 0)
			err = wait_done(dev, engine, ABORT_GRACE_MS);
		if (err == -ETIMEDOUT)
			return hermes__err(dev, -ETIMEDOUT,
					   "engine %u: command 0x%02x did not complete within %u ms, nor %u ms after "
					   "ABORT; the engine stays busy until it does",
					   engine, req->bytes[0], timeout_ms, ABORT_GRACE_MS);
		timed_out = req->bytes[0] == HERMES_CMD_RUN;
	}
	if (err)
		return err;
	for (unsigned i = 0; i < HERMES_EHCMDRES_LEN; i += 4) {
		if ((err = hermes__bar0_read(dev, HERMES_EHCMDRES(engine) + i, &w)))
			return err;
		memcpy(res->bytes + i, &w, 4);
	}
	/* Acknowledge: clear DONE (and the interrupt line). */
	if ((err = hermes__bar0_write(dev, HERMES_EHCMDCTRL(engine), HERMES_CTRL_IRQEN)))
		return err;
	if (res->bytes[0] != (uint8_t)id || res->bytes[1] != (uint8_t)(id >> 8))
		return hermes__err(dev, -EPROTO,
				   "engine %u: response carries command id %u, expected %u",
				   engine, res->bytes[0] | res->bytes[1] << 8, id);
	if (timed_out)
		return hermes__err(dev, -ETIMEDOUT, "engine %u: command 0x%02x did not complete within %u ms (aborted)",
				   engine, req->bytes[0], timeout_ms);
	return 0;
}

int hermes__slot_alloc(struct hermes_dev *dev, unsigned engine, unsigned type, unsigned *slot)
{
	struct hermes_cmd_req req = { { HERMES_CMD_REQ_SLOT } };
	struct hermes_cmd_res res;
	int err;

	req.bytes[8] = (uint8_t)type;
	if ((err = hermes__cmd_exec(dev, engine, &req, &res, SLOT_CMD_TIMEOUT_MS)))
		return err;
	if (hermes_cmd_res_status(&res) != HERMES_ST_SUCCESS)
		return (int)hermes_cmd_res_status(&res);
	*slot = res.bytes[8];
	return 0;
}

int hermes__slot_release(struct hermes_dev *dev, unsigned engine, unsigned type, unsigned slot)
{
	struct hermes_cmd_req req = { { HERMES_CMD_REL_SLOT } };
	struct hermes_cmd_res res;
	int err;

	req.bytes[8] = (uint8_t)type;
	req.bytes[9] = (uint8_t)slot;
	if ((err = hermes__cmd_exec(dev, engine, &req, &res, SLOT_CMD_TIMEOUT_MS)))
		return err;
	return (int)hermes_cmd_res_status(&res);
}
