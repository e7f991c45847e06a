/* SPDX-License-Identifier: MIT */
/*
 * card_obj.c - a loaded object on a card (card_obj.h): the program slot is
 * requested once and the image and descriptor table written by DMA (the
 * card hands the map slot out zeroed with it); host map operations work on
 * a copy of the map's descriptors and storage read and written back under
 * the map lock EHMLOCK, so engines inside a map helper never see half of one.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "bar0.h"
#include "card_obj.h"
#include "cmd.h"
#include "dma_buf.h"
#include "engine_lock.h"

#define OBJ_TIMEOUT_MS 10000u
#define MAP_LOCK_TIMEOUT_US 1000000u

void hermes__obj_desc_table(const struct hermes_obj *obj, uint8_t *out)
{
	for (unsigned i = 0; i < obj->nmaps; i++)
		hermes__map_desc_encode(&obj->descs[i], out + HERMES_MAP_DESC_SIZE * i);
}

static uint64_t map_slot_addr(const struct hermes_obj *obj)
{
	return obj->dev->map_slot_off + (uint64_t)obj->pslot * obj->dev->map_slot_size;
}

int hermes__card_obj_load(struct hermes_obj *obj)
{
	struct hermes_dev *dev = obj->dev;
	struct hermes_engine_lock lk;
	uint8_t *table = NULL;
	unsigned e;
	int err, st;

	if (obj->nmaps && !dev->map_slot_size)
		return hermes__err(dev, -ENOTSUP,
				   "the card has no maps (EHCAP bit 7 is clear, build '%s'), and the program declares %u (map '%s')",
				   dev->info.build, obj->nmaps, obj->prog->maps[0].name);
	if ((err = hermes__run_lock(dev, &lk)))
		return err;
	if ((err = hermes__engine_acquire(dev, &lk, dev->info.engines, -1, OBJ_TIMEOUT_MS, &e)) ||
	    (err = hermes__reset_count(dev, &obj->resets)))
		goto out;
	if ((st = hermes__slot_alloc(dev, e, HERMES_SLOT_PROG, &obj->pslot))) {
		err = st < 0 ? st : hermes__err(dev, st == HERMES_ST_NO_SLOT ? -ENOSPC : -EIO,
						"cannot allocate a program slot: %s", hermes_status_str((unsigned)st));
		goto out;
	}
	obj->have_pslot = 1;
	err = dev->bus->ops->dma_to_card(dev->bus, dev->info.prog_slot_off + (uint64_t)obj->pslot * dev->info.prog_slot_size,
					 obj->prog->image, obj->prog->image_len);
	if (!err && obj->nmaps) {
		size_t len = (size_t)HERMES_MAP_DESC_SIZE * obj->nmaps;

		table = hermes__dma_buf(len);
		if (!table) {
			err = hermes__err(dev, -ENOMEM, "out of memory for a map descriptor table");
			goto out;
		}
		hermes__obj_desc_table(obj, table);
		err = dev->bus->ops->dma_to_card(dev->bus, map_slot_addr(obj), table, len);
	}
out:
	if (err && obj->have_pslot && !hermes__reset_check(dev, obj->resets, "loading the object")) {
		hermes__slot_release(dev, e, HERMES_SLOT_PROG, obj->pslot);
		obj->have_pslot = 0;
	}
	hermes__run_unlock(dev, &lk);
	free(table);
	return err;
}

void hermes__card_obj_unload(struct hermes_obj *obj)
{
	struct hermes_dev *dev = obj->dev;
	struct hermes_engine_lock lk;
	unsigned e;

	if (!obj->have_pslot || hermes__run_lock(dev, &lk))
		return;
	/* After a reset the slot is free or someone else's: hands off. */
	if (!hermes__engine_acquire(dev, &lk, dev->info.engines, -1, OBJ_TIMEOUT_MS, &e) &&
	    !hermes__reset_check(dev, obj->resets, "unloading the object"))
		hermes__slot_release(dev, e, HERMES_SLOT_PROG, obj->pslot);
	obj->have_pslot = 0;
	hermes__run_unlock(dev, &lk);
}

/* ---- host map operations: a copy of the map under EHMLOCK ---- */

static int shadow_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	const struct hermes_obj *obj = ctx;

	memcpy(buf, obj->shadow + off, len);
	return 0;
}

static int shadow_write(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	struct hermes_obj *obj = ctx;

	int r = off >= HERMES_MAP_STORAGE_OFF;

	memmove(obj->shadow + off, buf, len);
	if (off < obj->dirty_lo[r])
		obj->dirty_lo[r] = off;
	if (off + len > obj->dirty_hi[r])
		obj->dirty_hi[r] = off + len;
	return 0;
}

static int map_lock(struct hermes_dev *dev, int take)
{
	uint64_t t0 = hermes__bus_now_us(dev->bus);
	uint32_t v;
	int err;

	if ((err = hermes__bar0_write(dev, HERMES_EHMLOCK, take ? 1 : 0)) || !take)
		return err;
	for (;;) {
		if ((err = hermes__bar0_read(dev, HERMES_EHMLOCK, &v)))
			return err;
		if (v & 1)
			return 0;
		if (hermes__bus_now_us(dev->bus) - t0 > MAP_LOCK_TIMEOUT_US) {
			hermes__bar0_write(dev, HERMES_EHMLOCK, 0);
			return hermes__err(dev, -ETIMEDOUT, "the card did not grant the map lock (EHMLOCK) within %u ms",
					   MAP_LOCK_TIMEOUT_US / 1000);
		}
		if (dev->bus->ops->pause)
			dev->bus->ops->pause(dev->bus, 1);
	}
}

/*
 * Who may take EHMLOCK: one thread of this process (map_mutex, and on
 * "sim" the device lock every card access takes), and on shared cards one
 * process (flock on the bus's map_lock_fd).
 */
static pthread_mutex_t map_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread struct hermes_engine_lock map_lk;
static __thread int map_flock_fd = -1;

static int map_owner_take(struct hermes_dev *dev)
{
	int err, fd;

	pthread_mutex_lock(&map_mutex);
	if ((err = hermes__run_lock(dev, &map_lk))) {
		pthread_mutex_unlock(&map_mutex);
		return err;
	}
	map_flock_fd = -1;
	if (dev->bus->ops->map_lock_fd) {
		if ((err = dev->bus->ops->map_lock_fd(dev->bus, &fd))) {
			hermes__run_unlock(dev, &map_lk);
			pthread_mutex_unlock(&map_mutex);
			return err;
		}
		while (flock(fd, LOCK_EX) && errno == EINTR)
			;
		map_flock_fd = fd;
	}
	return 0;
}

static void map_owner_give(struct hermes_dev *dev)
{
	if (map_flock_fd >= 0)
		flock(map_flock_fd, LOCK_UN);
	map_flock_fd = -1;
	hermes__run_unlock(dev, &map_lk);
	pthread_mutex_unlock(&map_mutex);
}

int hermes__card_map_begin(struct hermes_obj *obj, unsigned map, struct hermes_map_mem *m)
{
	struct hermes_dev *dev = obj->dev;
	const struct hermes_map_desc *d = &obj->descs[map];
	uint64_t bytes = hermes__map_storage_bytes(d);
	int err;

	if (!dev->map_slot_size)
		return hermes__err(dev, -ENOTSUP, "the card has no maps (EHCAP bit 7 is clear)");
	if (!obj->shadow && !(obj->shadow = hermes__dma_buf(dev->map_slot_size)))
		return hermes__err(dev, -ENOMEM, "out of memory for a %u-byte map slot copy", dev->map_slot_size);
	if ((err = map_owner_take(dev)))
		return err;
	if ((err = hermes__reset_check(dev, obj->resets, "the map operation")) || (err = map_lock(dev, 1))) {
		map_owner_give(dev);
		return err;
	}
	err = dev->bus->ops->dma_from_card(dev->bus, map_slot_addr(obj), obj->shadow,
					   (size_t)HERMES_MAP_DESC_SIZE * obj->nmaps);
	if (!err && bytes)
		err = dev->bus->ops->dma_from_card(dev->bus, map_slot_addr(obj) + d->storage,
						   obj->shadow + d->storage, (size_t)bytes);
	if (err) {
		map_lock(dev, 0);
		map_owner_give(dev);
		return err;
	}
	obj->dirty_lo[0] = obj->dirty_lo[1] = UINT32_MAX;
	obj->dirty_hi[0] = obj->dirty_hi[1] = 0;
	m->read = shadow_read;
	m->write = shadow_write;
	m->ctx = obj;
	m->size = dev->map_slot_size;
	return 0;
}

int hermes__card_map_end(struct hermes_obj *obj, int commit)
{
	struct hermes_dev *dev = obj->dev;
	int err = 0, err2;

	/* storage first, the count in the descriptor after it */
	for (int r = 1; r >= 0 && !err; r--)
		if (commit && obj->dirty_hi[r] > obj->dirty_lo[r])
			err = dev->bus->ops->dma_to_card(dev->bus, map_slot_addr(obj) + obj->dirty_lo[r],
							 obj->shadow + obj->dirty_lo[r],
							 obj->dirty_hi[r] - obj->dirty_lo[r]);
	err2 = map_lock(dev, 0);
	map_owner_give(dev);
	return err ? err : err2;
}

int hermes__card_obj_read(struct hermes_obj *obj, int prog, uint32_t off, void *buf, size_t len)
{
	struct hermes_dev *dev = obj->dev;
	uint32_t size = prog ? dev->info.prog_slot_size : dev->map_slot_size;
	uint64_t base = prog ? dev->info.prog_slot_off + (uint64_t)obj->pslot * dev->info.prog_slot_size
			     : map_slot_addr(obj);
	struct hermes_engine_lock lk;
	uint8_t *tmp;
	int err;

	if (!obj->have_pslot)
		return hermes__err(dev, -EINVAL, "the object has no program slot on the card");
	if (!size)
		return hermes__err(dev, -ENOTSUP, "the card has no maps (EHCAP bit 7 is clear)");
	if (off > size || len > size - off)
		return hermes__err(dev, -EINVAL, "%zu bytes at offset %u do not lie inside the %u-byte %s slot", len,
				   off, size, prog ? "program" : "map");
	if (!len)
		return 0;
	if (!(tmp = hermes__dma_buf(len)))
		return hermes__err(dev, -ENOMEM, "out of memory for %zu bytes", len);
	if (!(err = hermes__run_lock(dev, &lk))) {
		if (!(err = hermes__reset_check(dev, obj->resets, "reading the object's slot")))
			err = dev->bus->ops->dma_from_card(dev->bus, base + off, tmp, len);
		hermes__run_unlock(dev, &lk);
	}
	if (!err)
		memcpy(buf, tmp, len);
	free(tmp);
	return err;
}
