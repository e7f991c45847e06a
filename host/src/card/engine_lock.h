/* SPDX-License-Identifier: MIT */
/*
 * engine_lock.h - who may use which engine of a card during a run.
 *
 * A run (slot allocation, uploads, Run Program, download, slot release)
 * owns its engine from start to end, so that two runs never share an
 * engine's command registers, and its completion interrupt has one reader.
 *
 * Shared cards (hermes__bus_shared: "xdma", a real card or an xdma-fuse
 * mount, possibly used by many processes): the owner of engine e holds
 * flock(LOCK_EX) on the bus's engine_lock_fd (PREFIX_events_e), and
 * within the process a mutex per (device, engine) because flock does not
 * exclude threads sharing a descriptor.
 * The kernel drops the flock when the owner exits or dies. An engine
 * found busy by a new owner was left by a dead one: it is waited for
 * (aborted after the timeout) and acknowledged before use.
 *
 * Cards of this process only ("sim") are not thread-safe: a run holds a
 * mutex for the whole device.
 */
#ifndef HERMES_ENGINE_LOCK_H
#define HERMES_ENGINE_LOCK_H

#include "bus.h"

struct hermes__lock_ent;

struct hermes_engine_lock {
	struct hermes__lock_ent *dev_ent; /* device-wide mutex held (sim) */
	struct hermes__lock_ent *eng_ent; /* engine mutex held (xdma) */
	int fd;                           /* flock'ed node, -1: none */
	unsigned engine;
};

/* Start of a run: take what must be held before the card is touched. */
int hermes__run_lock(struct hermes_dev *dev, struct hermes_engine_lock *lk);

/*
 * Own an engine: want >= 0 that one (waiting until it is free), else an
 * idle one, waiting for the first to become free when all are taken.
 * timeout_ms bounds how long an engine left busy by a dead owner is
 * waited for before it is aborted. Returns 0 with *e, or a negative errno.
 */
int hermes__engine_acquire(struct hermes_dev *dev, struct hermes_engine_lock *lk, unsigned engines,
			   int want, unsigned timeout_ms, unsigned *e);

/* End of a run: drop everything hermes__run_lock/hermes__engine_acquire took. */
void hermes__run_unlock(struct hermes_dev *dev, struct hermes_engine_lock *lk);

/*
 * Engines a queue owns for its life in this process: claim fails with
 * -EBUSY when another claim on dev holds one of them; unclaim takes the
 * same mask back; claimed is the union of the claims on dev.
 */
int hermes__engines_claim(struct hermes_dev *dev, uint32_t mask);
void hermes__engines_unclaim(struct hermes_dev *dev, uint32_t mask);
uint32_t hermes__engines_claimed(const struct hermes_dev *dev);

#endif
