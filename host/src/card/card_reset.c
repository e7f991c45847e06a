/* SPDX-License-Identifier: MIT */
/* card_reset.c - the card reset (EHRESET) and its count. */
#include <errno.h>

#include "card.h"
#include "cmd.h"
#include "engine_lock.h"
#include "xdma_drv.h"

/* A reset drains DMA and scrubs what was written: bounded, but not instant (bus time). */
#define RESET_TIMEOUT_MS 10000u
/* Between two polls of EHRESET: 4096 clocks of a card at 250 MHz. */
#define POLL_US 16u

int hermes__reset_count(struct hermes_dev *dev, uint32_t *count)
{
	uint32_t v;
	int err = hermes__bar0_read(dev, HERMES_EHRESET, &v);

	if (!err)
		*count = v >> HERMES_RESET_COUNT_SHIFT;
	return err;
}

int hermes__reset_check(struct hermes_dev *dev, uint32_t since, const char *what)
{
	uint32_t now;
	int err = hermes__reset_count(dev, &now);

	if (err)
		return err;
	if (now == since)
		return 0;
	return hermes__err(dev, -ECANCELED, "card was reset during %s (its slots and commands are gone)", what);
}

/* Poll EHRESET until the sequence (quiesce, reset, scrub) is over. */
static int wait_reset_done(struct hermes_dev *dev)
{
	uint64_t deadline = hermes__bus_now_us(dev->bus) + RESET_TIMEOUT_MS * 1000ull;
	uint32_t v;
	int err;

	for (;;) {
		if ((err = hermes__bar0_read(dev, HERMES_EHRESET, &v)))
			return err;
		if (!(v & HERMES_RESET_BUSY))
			return 0;
		if (hermes__bus_now_us(dev->bus) >= deadline)
			return hermes__err(dev, -ETIMEDOUT,
					   "card reset still %s after %u ms (EHRESET 0x%08x)",
					   v & HERMES_RESET_SCRUB ? "scrubbing slots" : "draining engines and DMA",
					   RESET_TIMEOUT_MS, v);
		dev->bus->ops->pause(dev->bus, POLL_US);
	}
}

int hermes__card_reset(struct hermes_dev *dev)
{
	struct hermes_engine_lock lk;
	int err;

	if (!(dev->info.caps & HERMES_CAP_RESET))
		return hermes__err(dev, -EOPNOTSUPP,
				   "this card has no reset register (EHCAP 0x%x lacks bit 5): reload its bitstream",
				   dev->info.caps);
	/* On a card of this process this waits for a run in another thread: the model is not thread-safe. */
	if ((err = hermes__run_lock(dev, &lk)))
		return err;
	err = hermes__bar0_write(dev, HERMES_EHRESET, HERMES_RESET_KEY);
	if (!err)
		err = wait_reset_done(dev);
	/* The reset cleared the XDMA IRQ block too: enable user interrupts again, as at probe. */
	if (!err)
		err = dev->bus->ops->ctl_write32(dev->bus, HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_USR_EN_W1S, 0xFFFFu);
	hermes__run_unlock(dev, &lk);
	return err;
}
