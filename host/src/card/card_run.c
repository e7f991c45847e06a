/* SPDX-License-Identifier: MIT */
/* card_run.c - hermes_run on a card: slots, uploads, Run Program, download. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "card_obj.h"
#include "dma_buf.h"
#include "cmd.h"
#include "engine_lock.h"
#include "prog.h"

#define DEFAULT_TIMEOUT_MS 10000u

/*
 * Own an engine for the whole run (engine_lock.h): on xdma devices an flock
 * on its events node keeps other processes off it until the run ends.
 */
static int pick_engine(struct hermes_dev *dev, struct hermes_engine_lock *lk, const struct hermes_info *info,
		       int want, unsigned timeout_ms, unsigned *e)
{
	return hermes__engine_acquire(dev, lk, info->engines, want, timeout_ms, e);
}

static int slot_status_err(struct hermes_dev *dev, int st, const char *what)
{
	if (st < 0)
		return st;
	return hermes__err(dev, st == HERMES_ST_NO_SLOT ? -ENOSPC : -EIO, "cannot allocate a %s slot: %s",
			   what, hermes_status_str((unsigned)st));
}

static void fill_result(struct hermes_run_result *res, const struct hermes_cmd_res *cr)
{
	uint64_t v;

	memcpy(&v, cr->bytes + 8, 8);
	res->status = hermes_cmd_res_status(cr);
	if (res->status == HERMES_ST_SUCCESS) {
		res->r0 = v;
	} else if (res->status == HERMES_ST_EBPF_ERROR) {
		res->pc = (uint32_t)v;
		res->cause = (unsigned)(v >> 32);
	}
}

/*
 * A run; with obj, on the object's program slot (kept), and the engine's
 * trace buffer is read back into obj->trace_buf when the card has maps.
 */
static int card_run_locked(struct hermes_dev *dev, struct hermes_engine_lock *lk, struct hermes_obj *obj,
			   const struct hermes_prog *prog, const void *in, size_t in_len, void *out,
			   size_t out_len, const struct hermes_run_opts *opts, struct hermes_run_result *res)
{
	const struct hermes_run_opts o = *opts; /* full-size, from hermes_run */
	struct hermes_cmd_req req = { { HERMES_CMD_RUN } };
	struct hermes_cmd_res cr;
	struct hermes_info info;
	unsigned e = 0, pslot = 0, dslot = 0;
	int have_p = 0, have_d = 0, err, st;
	uint32_t resets = 0;
	unsigned char *buf = NULL;
	size_t up_len;
	uint32_t u;

	info = dev->info; /* read when the device was opened */
	if (prog->image_len > info.prog_slot_size)
		return hermes__err(dev, -E2BIG,
				   "program image of %zu bytes (code %zu + globals) does not fit the %u-byte program slot",
				   prog->image_len, prog->code_len, info.prog_slot_size);
	if (in_len > info.data_slot_size || out_len > info.data_slot_size)
		return hermes__err(dev, -E2BIG, "data of %zu bytes in / %zu out does not fit the %u-byte data slot",
				   in_len, out_len, info.data_slot_size);
	if (o.data_len > info.data_slot_size)
		return hermes__err(dev, -E2BIG, "data length %u exceeds the %u-byte data slot", o.data_len,
				   info.data_slot_size);
	if (o.max_insns > UINT32_MAX)
		return hermes__err(dev, -EINVAL, "instruction budget %llu exceeds the card's 32-bit limit",
				   (unsigned long long)o.max_insns);
	if ((err = pick_engine(dev, lk, &info, o.engine, o.timeout_ms ? o.timeout_ms : DEFAULT_TIMEOUT_MS, &e)))
		return err;

	if ((err = hermes__reset_count(dev, &resets)))
		goto out;
	if (obj) {
		if (resets != obj->resets) {
			err = hermes__err(dev, -ECANCELED,
					  "card was reset after the object was loaded: its program slot and maps are gone");
			goto out;
		}
		pslot = obj->pslot;
	} else if ((st = hermes__slot_alloc(dev, e, HERMES_SLOT_PROG, &pslot))) {
		err = slot_status_err(dev, st, "program");
		goto out;
	} else {
		have_p = 1;
	}
	if ((st = hermes__slot_alloc(dev, e, HERMES_SLOT_DATA, &dslot))) {
		err = slot_status_err(dev, st, "data");
		goto out;
	}
	have_d = 1;

	if (!obj && (err = dev->bus->ops->dma_to_card(dev->bus,
						      info.prog_slot_off + (uint64_t)pslot * info.prog_slot_size,
						      prog->image, prog->image_len)))
		goto out;
	/* The input, zero-padded to what will be read back. */
	up_len = in_len > out_len ? in_len : out_len;
	if (up_len) {
		buf = hermes__dma_buf(up_len);
		if (!buf) {
			err = hermes__err(dev, -ENOMEM, "out of memory for %zu bytes of data", up_len);
			goto out;
		}
		if (in_len)
			memcpy(buf, in, in_len);
		err = dev->bus->ops->dma_to_card(dev->bus,
						 info.data_slot_off + (uint64_t)dslot * info.data_slot_size,
						 buf, up_len);
		if (err)
			goto out;
	}

	req.bytes[8] = (uint8_t)pslot;
	req.bytes[9] = (uint8_t)dslot;
	u = (uint32_t)prog->code_len;
	memcpy(req.bytes + 12, &u, 4);
	u = o.data_len ? o.data_len : (uint32_t)in_len;
	memcpy(req.bytes + 16, &u, 4);
	u = (uint32_t)o.max_insns;
	memcpy(req.bytes + 20, &u, 4);
	err = hermes__cmd_exec(dev, e, &req, &cr, o.timeout_ms ? o.timeout_ms : DEFAULT_TIMEOUT_MS);
	if (err)
		goto out;
	fill_result(res, &cr);
	res->engine = (int)e;
	if ((err = hermes__bar0_read64(dev, HERMES_EHENGSTAT(e) + HERMES_STAT_INSNS, &res->insns)) ||
	    (err = hermes__bar0_read64(dev, HERMES_EHENGSTAT(e) + HERMES_STAT_CYCLES, &res->cycles)))
		goto out;
	if (res->status == HERMES_ST_EBPF_ERROR &&
	    (err = hermes__bar0_read64(dev, HERMES_EHENGSTAT(e) + HERMES_STAT_FAULT_ADDR, &res->addr)))
		goto out;
	if (out_len && (err = dev->bus->ops->dma_from_card(dev->bus,
							   info.data_slot_off + (uint64_t)dslot * info.data_slot_size,
							   out, out_len)))
		goto out;
	if (obj && dev->map_slot_size && e < HERMES_MAP_TRACE_ENGINES) {
		err = dev->bus->ops->dma_from_card(dev->bus,
						   dev->map_slot_off + (uint64_t)pslot * dev->map_slot_size + hermes__map_trace_off(e),
						   obj->trace_buf, sizeof(obj->trace_buf));
		obj->trace_valid = !err;
	}
out:
	/* After a card reset our slots are free or someone else's: hands off. */
	if ((have_p || have_d || obj) && (st = hermes__reset_check(dev, resets, "the run"))) {
		err = st;
		have_p = have_d = 0;
	}
	/* Slots are device state: always give them back, keep the first error. */
	if (have_d && (st = hermes__slot_release(dev, e, HERMES_SLOT_DATA, dslot)) && !err)
		err = st < 0 ? st : hermes__err(dev, -EIO, "releasing data slot %u: %s", dslot,
						hermes_status_str((unsigned)st));
	if (have_p && (st = hermes__slot_release(dev, e, HERMES_SLOT_PROG, pslot)) && !err)
		err = st < 0 ? st : hermes__err(dev, -EIO, "releasing program slot %u: %s", pslot,
						hermes_status_str((unsigned)st));
	free(buf);
	return err;
}

int hermes__card_run(struct hermes_dev *dev, const struct hermes_prog *prog,
		     const void *in, size_t in_len, void *out, size_t out_len,
		     const struct hermes_run_opts *opts, struct hermes_run_result *res)
{
	struct hermes_engine_lock lk;
	int err = hermes__run_lock(dev, &lk);

	if (err)
		return err;
	err = card_run_locked(dev, &lk, NULL, prog, in, in_len, out, out_len, opts, res);
	hermes__run_unlock(dev, &lk);
	return err;
}

int hermes__card_obj_run(struct hermes_obj *obj, const void *in, size_t in_len, void *out, size_t out_len,
			 const struct hermes_run_opts *opts, struct hermes_run_result *res)
{
	struct hermes_engine_lock lk;
	int err = hermes__run_lock(obj->dev, &lk);

	if (err)
		return err;
	obj->trace_valid = 0;
	err = card_run_locked(obj->dev, &lk, obj, obj->prog, in, in_len, out, out_len, opts, res);
	hermes__run_unlock(obj->dev, &lk);
	return err;
}
