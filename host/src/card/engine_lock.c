/* SPDX-License-Identifier: MIT */
/* engine_lock.c - engine ownership across threads and processes (see engine_lock.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "bar0.h"
#include "engine_lock.h"

#define CTRL_BUSY HERMES_CTRL_EXEC

#define ABORT_GRACE_MS 1000u
#define BACKOFF_MIN_US 200u
#define BACKOFF_MAX_US 5000u

/*
 * In-process mutexes, one per (device, index) in use: an entry lives while
 * a thread holds or waits for it, so closed devices leave nothing behind.
 */
struct hermes__lock_ent {
	struct hermes__lock_ent *next;
	const struct hermes_dev *dev;
	int idx; /* -1: the whole device, else an engine */
	unsigned refs;
	pthread_mutex_t m;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hermes__lock_ent *registry;

static struct hermes__lock_ent *ent_get(const struct hermes_dev *dev, int idx)
{
	struct hermes__lock_ent *t;

	pthread_mutex_lock(&registry_lock);
	for (t = registry; t; t = t->next)
		if (t->dev == dev && t->idx == idx)
			break;
	if (!t && (t = calloc(1, sizeof(*t)))) {
		t->dev = dev;
		t->idx = idx;
		pthread_mutex_init(&t->m, NULL);
		t->next = registry;
		registry = t;
	}
	if (t)
		t->refs++;
	pthread_mutex_unlock(&registry_lock);
	return t;
}

static void ent_put(struct hermes__lock_ent *t)
{
	pthread_mutex_lock(&registry_lock);
	if (--t->refs == 0) {
		for (struct hermes__lock_ent **pp = &registry; *pp; pp = &(*pp)->next) {
			if (*pp == t) {
				*pp = t->next;
				break;
			}
		}
		pthread_mutex_destroy(&t->m);
		free(t);
	}
	pthread_mutex_unlock(&registry_lock);
}

/* Take (block) or try the mutex of (dev, idx); NULL when not taken. */
static struct hermes__lock_ent *ent_lock(const struct hermes_dev *dev, int idx, int block)
{
	struct hermes__lock_ent *t = ent_get(dev, idx);

	if (!t)
		return NULL;
	if (block ? pthread_mutex_lock(&t->m) : pthread_mutex_trylock(&t->m)) {
		ent_put(t);
		return NULL;
	}
	return t;
}

static void ent_unlock(struct hermes__lock_ent *t)
{
	pthread_mutex_unlock(&t->m);
	ent_put(t);
}

/* Other processes may use the card: engines are owned by flock. */
static int is_shared(const struct hermes_dev *dev)
{
	return hermes__bus_shared(dev->bus);
}

int hermes__run_lock(struct hermes_dev *dev, struct hermes_engine_lock *lk)
{
	memset(lk, 0, sizeof(*lk));
	lk->fd = -1;
	if (is_shared(dev))
		return 0;
	lk->dev_ent = ent_lock(dev, -1, 1);
	if (!lk->dev_ent)
		return hermes__err(dev, -ENOMEM, "out of memory for the device lock");
	return 0;
}

void hermes__run_unlock(struct hermes_dev *dev, struct hermes_engine_lock *lk)
{
	(void)dev;
	if (lk->fd >= 0)
		flock(lk->fd, LOCK_UN);
	if (lk->eng_ent)
		ent_unlock(lk->eng_ent);
	if (lk->dev_ent)
		ent_unlock(lk->dev_ent);
	lk->fd = -1;
	lk->eng_ent = lk->dev_ent = NULL;
}

static int rd_ctrl(struct hermes_dev *dev, unsigned e, uint32_t *ctrl)
{
	return hermes__bar0_read(dev, HERMES_EHCMDCTRL(e), ctrl);
}

/* Wait until engine e is idle, at most timeout_ms (interrupts merge: DONE decides). */
static int wait_idle(struct hermes_dev *dev, unsigned e, unsigned timeout_ms)
{
	uint64_t deadline = hermes__bus_now_us(dev->bus) / 1000 + timeout_ms;
	uint32_t ctrl, pending;
	int err;

	for (;;) {
		int64_t left;

		if ((err = rd_ctrl(dev, e, &ctrl)))
			return err;
		if (!(ctrl & CTRL_BUSY))
			return 0;
		left = (int64_t)(deadline - hermes__bus_now_us(dev->bus) / 1000);
		if (left <= 0)
			return -ETIMEDOUT;
		err = dev->bus->ops->wait_irq(dev->bus, 1u << e, left > 100 ? 100u : (unsigned)left, &pending);
		if (err && err != -ETIMEDOUT)
			return err;
	}
}

/*
 * A new owner found engine e as the previous one left it. Busy means its
 * owner died with a command in flight: let it finish (abort it after
 * timeout_ms). DONE still set means nobody acknowledged: do it.
 */
static int settle(struct hermes_dev *dev, unsigned e, unsigned timeout_ms)
{
	uint32_t ctrl;
	int err;

	if ((err = rd_ctrl(dev, e, &ctrl)))
		return err;
	if (ctrl & CTRL_BUSY) {
		err = wait_idle(dev, e, timeout_ms);
		if (err == -ETIMEDOUT) {
			if ((err = hermes__bar0_write(dev, HERMES_EHCMDCTRL(e), HERMES_CTRL_IRQEN | HERMES_CTRL_ABORT)))
				return err;
			err = wait_idle(dev, e, ABORT_GRACE_MS);
			if (err == -ETIMEDOUT)
				return hermes__err(dev, -EBUSY,
						   "engine %u stays busy with a command left by a previous owner, even after ABORT",
						   e);
		}
		if (err)
			return err;
		if ((err = rd_ctrl(dev, e, &ctrl)))
			return err;
	}
	if (ctrl & HERMES_CTRL_DONE)
		return hermes__bar0_write(dev, HERMES_EHCMDCTRL(e), HERMES_CTRL_IRQEN);
	return 0;
}

/* Shared card: try (or wait for) engine e: in-process mutex, then flock on its node. */
static int take_xdma(struct hermes_dev *dev, struct hermes_engine_lock *lk, unsigned e, int block)
{
	struct hermes__lock_ent *t;
	int fd, err;

	if ((err = dev->bus->ops->engine_lock_fd(dev->bus, e, &fd)))
		return err;
	t = ent_lock(dev, (int)e, block);
	if (!t)
		return -EWOULDBLOCK;
	for (;;) {
		if (flock(fd, block ? LOCK_EX : LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno == EINTR)
			continue;
		err = errno;
		ent_unlock(t);
		if (err == EWOULDBLOCK)
			return -EWOULDBLOCK;
		return hermes__err(dev, -err, "flock on the events node of engine %u: %s", e, strerror(err));
	}
	lk->eng_ent = t;
	lk->fd = fd;
	lk->engine = e;
	return 0;
}

static void drop_xdma(struct hermes_engine_lock *lk)
{
	flock(lk->fd, LOCK_UN);
	ent_unlock(lk->eng_ent);
	lk->fd = -1;
	lk->eng_ent = NULL;
}

static int acquire_xdma(struct hermes_dev *dev, struct hermes_engine_lock *lk, unsigned engines,
			int want, unsigned timeout_ms, unsigned *e)
{
	unsigned start = (unsigned)getpid() % engines, backoff = BACKOFF_MIN_US;
	uint32_t ctrl;
	int err;

	if (want >= 0) {
		if ((err = take_xdma(dev, lk, (unsigned)want, 1)))
			return err;
	} else {
		int left_busy = -1;

		/* Free and idle first; an unowned busy one was left by a dead process. */
		for (;;) {
			int got = 0;

			for (unsigned i = 0; i < engines && !got; i++) {
				unsigned c = (start + i) % engines;

				err = take_xdma(dev, lk, c, 0);
				if (err == -EWOULDBLOCK)
					continue;
				if (err)
					return err;
				if ((err = rd_ctrl(dev, c, &ctrl))) {
					drop_xdma(lk);
					return err;
				}
				if (!(ctrl & CTRL_BUSY)) {
					got = 1;
				} else {
					drop_xdma(lk);
					left_busy = (int)c;
				}
			}
			if (got)
				break;
			if (left_busy >= 0) {
				if ((err = take_xdma(dev, lk, (unsigned)left_busy, 1)))
					return err;
				break;
			}
			/* All owned by others: wait for the first to be given back. */
			usleep(backoff);
			backoff = backoff * 2 > BACKOFF_MAX_US ? BACKOFF_MAX_US : backoff * 2;
		}
	}
	if ((err = settle(dev, lk->engine, timeout_ms))) {
		drop_xdma(lk);
		return err;
	}
	*e = lk->engine;
	return 0;
}

int hermes__engine_acquire(struct hermes_dev *dev, struct hermes_engine_lock *lk, unsigned engines,
			   int want, unsigned timeout_ms, unsigned *e)
{
	uint32_t ctrl, claimed;
	int err;

	if (want >= 0 && (unsigned)want >= engines)
		return hermes__err(dev, -EINVAL, "engine %d does not exist (the card has %u)", want, engines);
	if (!engines)
		return hermes__err(dev, -ENODEV, "the card reports no engines");
	if (is_shared(dev))
		return acquire_xdma(dev, lk, engines, want, timeout_ms, e);
	/* In-process: the device lock is held, any idle engine will do. */
	if (want >= 0) {
		*e = (unsigned)want;
		return 0;
	}
	/*
	 * An engine a queue of this process claimed may look idle between its
	 * jobs (its result not yet collected): it is not ours to take.
	 */
	claimed = hermes__engines_claimed(dev);
	for (unsigned i = 0; i < engines; i++) {
		if (claimed & (1u << i))
			continue;
		if ((err = rd_ctrl(dev, i, &ctrl)))
			return err;
		if (!(ctrl & CTRL_BUSY)) {
			*e = i;
			return 0;
		}
	}
	if (claimed)
		return hermes__err(dev, -EBUSY, "all %u engines are busy or used by queues of this process (0x%x)",
				   engines, claimed);
	return hermes__err(dev, -EBUSY, "all %u engines are busy", engines);
}

/*
 * Engines claimed for a long time (a queue's life) in this process, per
 * device: a second claim of one of them is refused (-EBUSY) rather than
 * sharing its command registers (local card) or waiting for itself
 * (shared card), and single runs pass them by.
 */
struct claim {
	struct claim *next;
	const struct hermes_dev *dev;
	uint32_t mask;
};

static pthread_mutex_t claims_lock = PTHREAD_MUTEX_INITIALIZER;
static struct claim *claims;

int hermes__engines_claim(struct hermes_dev *dev, uint32_t mask)
{
	struct claim *c;
	int err = 0;

	pthread_mutex_lock(&claims_lock);
	for (c = claims; c; c = c->next) {
		if (c->dev == dev && (c->mask & mask)) {
			err = hermes__err(dev, -EBUSY, "engines 0x%x are used by another queue on this device",
					  c->mask & mask);
			break;
		}
	}
	if (!err) {
		c = calloc(1, sizeof(*c));
		if (c) {
			c->dev = dev;
			c->mask = mask;
			c->next = claims;
			claims = c;
		} else {
			err = hermes__err(dev, -ENOMEM, "out of memory claiming engines 0x%x", mask);
		}
	}
	pthread_mutex_unlock(&claims_lock);
	return err;
}

void hermes__engines_unclaim(struct hermes_dev *dev, uint32_t mask)
{
	pthread_mutex_lock(&claims_lock);
	for (struct claim **pp = &claims; *pp; pp = &(*pp)->next) {
		if ((*pp)->dev == dev && (*pp)->mask == mask) {
			struct claim *c = *pp;

			*pp = c->next;
			free(c);
			break;
		}
	}
	pthread_mutex_unlock(&claims_lock);
}

uint32_t hermes__engines_claimed(const struct hermes_dev *dev)
{
	uint32_t mask = 0;

	pthread_mutex_lock(&claims_lock);
	for (struct claim *c = claims; c; c = c->next)
		if (c->dev == dev)
			mask |= c->mask;
	pthread_mutex_unlock(&claims_lock);
	return mask;
}
