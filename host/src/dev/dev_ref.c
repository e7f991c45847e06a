/* SPDX-License-Identifier: MIT */
/*
 * dev_ref.c - the "ref" device: runs programs on the reference VM with the
 * card's default geometry. Program level only (no registers, slots or
 * DMA); a run gives the same results as a card would.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "prog.h"
#include "vm.h"

#define REF_BUILD "reference-vm"
#define REF_CAPS (HERMES_CAP_ATOMICS | HERMES_CAP_LOCAL_CALLS | HERMES_CAP_ABORT | HERMES_CAP_ITRACE | \
		  HERMES_CAP_MAPS)

struct ref_dev {
	struct hermes_vm *vm;
	unsigned char *prog_slot; /* HERMES_DEFAULT_PROG_SLOT_SIZE bytes */
	unsigned char *data_slot; /* HERMES_DEFAULT_DATA_SLOT_SIZE bytes */
	unsigned char *map_slot;  /* a plain run's (zeroed every run, as Request Slot does) */
};

void hermes__vm_result(const struct hermes_vm_status *st, struct hermes_run_result *res)
{
	res->insns = st->insns;
	res->cycles = 0;
	res->engine = 0;
	if (st->fault) {
		res->status = HERMES_ST_EBPF_ERROR;
		res->cause = st->fault;
		res->pc = st->fault_pc;
		res->addr = st->fault_addr;
	} else {
		res->status = HERMES_ST_SUCCESS;
		res->r0 = st->r0;
	}
}

static int ref_info(struct hermes_dev *dev, struct hermes_info *info)
{
	info->version = HERMES_VERSION;
	strncpy(info->build, REF_BUILD, sizeof(info->build) - 1);
	info->engines = HERMES_DEFAULT_ENGINES;
	info->prog_slots = HERMES_DEFAULT_PROG_SLOTS;
	info->data_slots = HERMES_DEFAULT_DATA_SLOTS;
	info->prog_slot_off = 0;
	info->prog_slot_size = HERMES_DEFAULT_PROG_SLOT_SIZE;
	info->data_slot_off = HERMES_DEFAULT_PROG_SLOTS * HERMES_DEFAULT_PROG_SLOT_SIZE;
	info->data_slot_size = HERMES_DEFAULT_DATA_SLOT_SIZE;
	info->caps = REF_CAPS;
	info->max_insns = HERMES_DEFAULT_MAX_INSNS;
	info->h2c_channels = 0;
	info->c2h_channels = 0;
	return 0;
}

static int check_image(struct hermes_dev *dev, const struct hermes_prog *prog)
{
	if (prog->image_len > HERMES_DEFAULT_PROG_SLOT_SIZE)
		return hermes__err(dev, -E2BIG,
				   "program image of %zu bytes does not fit a %u-byte program slot",
				   prog->image_len, HERMES_DEFAULT_PROG_SLOT_SIZE);
	return 0;
}

/* Load prog's image into a program slot: code, then its globals as built. */
static void load_image(unsigned char *prog_slot, const struct hermes_prog *prog)
{
	memset(prog_slot, 0, HERMES_DEFAULT_PROG_SLOT_SIZE);
	memcpy(prog_slot, prog->image, prog->image_len);
}

/* A run of the image in prog_slot (loaded from prog, globals as the last
 * run left them) with map_slot as its map slot
 * (HERMES_DEFAULT_MAP_SLOT_SIZE bytes). */
static int ref_run_on(struct hermes_dev *dev, const struct hermes_prog *prog, unsigned char *prog_slot,
		      unsigned char *map_slot,
		      const void *in, size_t in_len, void *out, size_t out_len,
		      const struct hermes_run_opts *opts, struct hermes_run_result *res)
{
	struct ref_dev *ref = dev->priv;
	uint64_t max_insns = opts->max_insns; /* opts: full-size, from hermes_run */
	uint32_t data_len = opts->data_len;
	int engine = opts->engine;
	struct hermes_vm_status st;
	int err;

	if (in_len > HERMES_DEFAULT_DATA_SLOT_SIZE)
		return hermes__err(dev, -E2BIG, "input of %zu bytes does not fit a %u-byte data slot",
				   in_len, HERMES_DEFAULT_DATA_SLOT_SIZE);
	if (out_len > HERMES_DEFAULT_DATA_SLOT_SIZE)
		return hermes__err(dev, -E2BIG,
				   "output of %zu bytes requested but a data slot holds %u bytes",
				   out_len, HERMES_DEFAULT_DATA_SLOT_SIZE);
	if (engine < -1 || engine >= (int)HERMES_DEFAULT_ENGINES)
		return hermes__err(dev, -EINVAL, "engine %d does not exist (the device has %u)",
				   engine, HERMES_DEFAULT_ENGINES);

	memset(ref->data_slot, 0, HERMES_DEFAULT_DATA_SLOT_SIZE);
	if (in_len)
		memcpy(ref->data_slot, in, in_len);
	if (!data_len)
		data_len = in_len ? (uint32_t)in_len : HERMES_DEFAULT_DATA_SLOT_SIZE;

	err = hermes_vm_load(ref->vm, prog_slot, prog->code_len, ref->data_slot, data_len);
	if (err)
		return hermes__err(dev, err, "the reference VM rejected a program of %zu code bytes",
				   prog->code_len);
	hermes_vm_set_map_slot(ref->vm, map_slot, HERMES_DEFAULT_MAP_SLOT_SIZE, 0);
	hermes_vm_reset(ref->vm, max_insns ? max_insns : HERMES_DEFAULT_MAX_INSNS);
	hermes_vm_run(ref->vm, &st);
	hermes_vm_set_map_slot(ref->vm, NULL, 0, 0);

	hermes__vm_result(&st, res);
	if (out_len)
		memcpy(out, ref->data_slot, out_len);
	return 0;
}

static int ref_run(struct hermes_dev *dev, const struct hermes_prog *prog,
		   const void *in, size_t in_len, void *out, size_t out_len,
		   const struct hermes_run_opts *opts, struct hermes_run_result *res)
{
	struct ref_dev *ref = dev->priv;
	int err;

	if ((err = check_image(dev, prog)))
		return err;
	load_image(ref->prog_slot, prog);
	memset(ref->map_slot, 0, HERMES_DEFAULT_MAP_SLOT_SIZE);
	return ref_run_on(dev, prog, ref->prog_slot, ref->map_slot, in, in_len, out, out_len, opts, res);
}

/* ---- loaded objects: a program slot and a map slot of their own ---- */

static void ref_obj_unload(struct hermes_obj *obj)
{
	free(obj->map_slot);
	free(obj->prog_slot);
	obj->map_slot = NULL;
	obj->prog_slot = NULL;
}

static int ref_obj_load(struct hermes_obj *obj)
{
	int err;

	if ((err = check_image(obj->dev, obj->prog)))
		return err;
	obj->map_slot = calloc(1, HERMES_DEFAULT_MAP_SLOT_SIZE);
	obj->prog_slot = malloc(HERMES_DEFAULT_PROG_SLOT_SIZE);
	if (!obj->map_slot || !obj->prog_slot) {
		ref_obj_unload(obj);
		return hermes__err(obj->dev, -ENOMEM, "out of memory for a %u-byte map slot and a %u-byte program slot",
				   HERMES_DEFAULT_MAP_SLOT_SIZE, HERMES_DEFAULT_PROG_SLOT_SIZE);
	}
	load_image(obj->prog_slot, obj->prog);
	hermes__obj_desc_table(obj, obj->map_slot);
	return 0;
}

static int ref_obj_run(struct hermes_obj *obj, const void *in, size_t in_len, void *out, size_t out_len,
		       const struct hermes_run_opts *opts, struct hermes_run_result *res)
{
	int err;

	pthread_mutex_lock(&obj->lock);
	err = ref_run_on(obj->dev, obj->prog, obj->prog_slot, obj->map_slot, in, in_len, out, out_len, opts, res);
	if (!err) {
		memcpy(obj->trace_buf, obj->map_slot + hermes__map_trace_off(0), sizeof(obj->trace_buf));
		obj->trace_valid = 1;
	}
	pthread_mutex_unlock(&obj->lock);
	return err;
}

static int ref_map_begin(struct hermes_obj *obj, unsigned map, struct hermes_map_mem *m)
{
	(void)map;
	hermes__map_mem_buf(m, obj->map_slot, HERMES_DEFAULT_MAP_SLOT_SIZE);
	return 0;
}

static int ref_map_end(struct hermes_obj *obj, int commit)
{
	(void)obj, (void)commit;
	return 0;
}

static void ref_close(struct hermes_dev *dev)
{
	struct ref_dev *ref = dev->priv;

	if (!ref)
		return;
	hermes_vm_free(ref->vm);
	free(ref->prog_slot);
	free(ref->data_slot);
	free(ref->map_slot);
	free(ref);
	dev->priv = NULL;
}

static const struct hermes_dev_ops ref_ops = {
	.info = ref_info,
	.run = ref_run,
	.close = ref_close,
	.obj_load = ref_obj_load,
	.obj_unload = ref_obj_unload,
	.obj_run = ref_obj_run,
	.map_begin = ref_map_begin,
	.map_end = ref_map_end,
};

/* The ref device has no options yet: name the first one given. */
static int parse_opts(struct hermes_dev *dev, const char *opts)
{
	size_t len;

	if (!opts || !*opts)
		return 0;
	len = strcspn(opts, "=,");
	return hermes__err(dev, -EINVAL, "unknown ref option '%.*s' (in device 'ref:%s'; ref takes no options)",
			   (int)len, opts, opts);
}

int hermes__dev_ref_open(struct hermes_dev *dev, const char *opts)
{
	struct ref_dev *ref;
	int err = parse_opts(dev, opts);

	if (err)
		return err;
	ref = calloc(1, sizeof(*ref));
	if (!ref)
		return hermes__err(dev, -ENOMEM, "out of memory opening the 'ref' device");
	ref->vm = hermes_vm_new(HERMES_DEFAULT_PROG_SLOT_SIZE, HERMES_DEFAULT_DATA_SLOT_SIZE);
	ref->prog_slot = malloc(HERMES_DEFAULT_PROG_SLOT_SIZE);
	ref->data_slot = malloc(HERMES_DEFAULT_DATA_SLOT_SIZE);
	ref->map_slot = malloc(HERMES_DEFAULT_MAP_SLOT_SIZE);
	dev->priv = ref;
	dev->ops = &ref_ops;
	dev->kind = "ref";
	dev->bus = NULL;
	if (!ref->vm || !ref->prog_slot || !ref->data_slot || !ref->map_slot) {
		ref_close(dev);
		return hermes__err(dev, -ENOMEM, "out of memory opening the 'ref' device");
	}
	return 0;
}
