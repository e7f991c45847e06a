/* SPDX-License-Identifier: MIT */
/* dev_reset.c - hermes_dev_reset: the card reset (EHRESET) and its count. */
#include <errno.h>
#include <time.h>

#include "cmd.h"
#include "engine_lock.h"
#include "hermes_sim.h"
#include "xdma_drv.h"

/* A reset drains DMA and scrubs what was written: bounded, but not instant. */
#define RESET_TIMEOUT_MS 10000u
/* Clocks the simulated card runs between two polls of EHRESET. */
#define SIM_POLL_CLOCKS 4096u

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int hermes__reset_count(struct hermes_dev *dev, uint32_t *count)
{
	uint32_t v;
	int err = dev->bus->ops->read32(dev->bus, HERMES_EHRESET, &v);

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
static int wait_reset_done(struct hermes_dev *dev, struct hermes_sim *sim)
{
	int64_t deadline = now_ms() + RESET_TIMEOUT_MS;
	uint32_t v;
	int err;

	for (;;) {
		if ((err = dev->bus->ops->read32(dev->bus, HERMES_EHRESET, &v)))
			return err;
		if (!(v & HERMES_RESET_BUSY))
			return 0;
		if (now_ms() >= deadline)
			return hermes__err(dev, -ETIMEDOUT,
					   "card reset still %s after %u ms (EHRESET 0x%08x)",
					   v & HERMES_RESET_SCRUB ? "scrubbing slots" : "draining engines and DMA",
					   RESET_TIMEOUT_MS, v);
		if (sim) {
			hermes_sim_run(sim, SIM_POLL_CLOCKS);
		} else {
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
		}
	}
}

int hermes_dev_reset(struct hermes_dev *dev)
{
	struct hermes_engine_lock lk;
	int err;

	if (!dev)
		return hermes__err(NULL, -EINVAL, "hermes_dev_reset: dev is NULL");
	if (!dev->bus)
		return hermes__err(dev, -EOPNOTSUPP, "the '%s' device has no card to reset",
				   hermes_dev_kind(dev));
	if (!(dev->info.caps & HERMES_CAP_RESET))
		return hermes__err(dev, -EOPNOTSUPP,
				   "this card has no reset register (EHCAP 0x%x lacks bit 5): reload its bitstream",
				   dev->info.caps);
	/* On "sim" this waits for a run in another thread: the model is not thread-safe. */
	if ((err = hermes__run_lock(dev, &lk)))
		return err;
	err = dev->bus->ops->write32(dev->bus, HERMES_EHRESET, HERMES_RESET_KEY);
	if (!err)
		err = wait_reset_done(dev, hermes__dev_sim(dev));
	/* The reset cleared the XDMA IRQ block too: enable user interrupts again, as at probe. */
	if (!err)
		err = dev->bus->ops->ctl_write32(dev->bus, HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_USR_EN_W1S, 0xFFFFu);
	hermes__run_unlock(dev, &lk);
	return err;
}
