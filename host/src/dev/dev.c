/* SPDX-License-Identifier: MIT */
/* dev.c - opening devices by URI and the calls every device kind shares. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hermes/regs.h"
#include "card.h"
#include "dev.h"
#include "opts.h"

static void card_close(struct hermes_dev *dev)
{
	if (dev->bus)
		dev->bus->ops->close(dev->bus);
}

/* Both card devices ("sim" and "xdma"): they differ only in their bus. */
static const struct hermes_dev_ops card_ops = {
	.info = hermes__card_info,
	.run = hermes__card_run,
	.close = card_close,
	.obj_load = hermes__card_obj_load,
	.obj_unload = hermes__card_obj_unload,
	.obj_run = hermes__card_obj_run,
	.map_begin = hermes__card_map_begin,
	.map_end = hermes__card_map_end,
};

/* Split "kind:opts" and check the kind; returns the options or NULL. */
static const char *uri_match(const char *uri, const char *kind)
{
	size_t n = strlen(kind);

	if (strncmp(uri, kind, n))
		return NULL;
	if (uri[n] == '\0')
		return "";
	if (uri[n] == ':')
		return uri + n + 1;
	return NULL;
}

int hermes_dev_open(const char *uri, struct hermes_dev **devp)
{
	struct hermes_dev *dev;
	const char *opts;
	int err;

	if (!devp)
		return hermes__err(NULL, -EINVAL, "hermes_dev_open: devp is NULL");
	if (!uri || !*uri)
		uri = getenv("HERMES_DEVICE");
	if (!uri || !*uri)
		uri = "sim";
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return hermes__err(NULL, -ENOMEM, "out of memory opening '%s'", uri);

	if ((opts = uri_match(uri, "sim"))) {
		dev->ops = &card_ops;
		dev->kind = "sim";
		err = hermes__bus_sim_open(dev, opts, &dev->bus);
	} else if ((opts = uri_match(uri, "ref"))) {
		err = hermes__dev_ref_open(dev, opts);
	} else if ((opts = uri_match(uri, "xdma"))) {
		dev->ops = &card_ops;
		dev->kind = "xdma";
		err = hermes__bus_xdma_open(dev, opts, &dev->bus);
	} else {
		err = hermes__err(dev, -EINVAL,
				  "unknown device '%s' (expected sim[:options], ref, or xdma:/dev/xdma0)", uri);
	}
	/* A card must answer with its identity before it is used (and its
	 * geometry is cached here, before any thread shares the handle). */
	if (!err && dev->bus) {
		err = hermes_dev_info(dev, &dev->info);
		if (err)
			dev->ops->close(dev);
		else
			dev->info_valid = 1;
	}
	if (err) {
		/* The backend wrote its detail into dev; keep it for the caller. */
		hermes__err(NULL, err, "%s", dev->errmsg);
		free(dev);
		return err;
	}
	*devp = dev;
	return 0;
}

void hermes_dev_close(struct hermes_dev *dev)
{
	if (!dev)
		return;
	if (dev->ops && dev->ops->close)
		dev->ops->close(dev);
	free(dev);
}

const char *hermes_dev_kind(const struct hermes_dev *dev)
{
	return dev->kind;
}

int hermes_dev_info(struct hermes_dev *dev, struct hermes_info *info)
{
	if (!dev || !info)
		return hermes__err(dev, -EINVAL, "hermes_dev_info: dev and info are required");
	memset(info, 0, sizeof(*info));
	return dev->ops->info(dev, info);
}

int hermes_dev_map_slots(struct hermes_dev *dev, uint32_t *count, uint32_t *size, uint32_t *off)
{
	struct hermes_info info;
	int err;

	if (!dev || !count || !size || !off)
		return hermes__err(dev, -EINVAL, "hermes_dev_map_slots: dev, count, size and off are required");
	*count = *size = *off = 0;
	if ((err = hermes_dev_info(dev, &info)))
		return err;
	if (!(info.caps & HERMES_CAP_MAPS))
		return 0;
	*count = info.prog_slots;
	if (!dev->bus) {
		*size = HERMES_DEFAULT_MAP_SLOT_SIZE;
		return 0;
	}
	*size = dev->map_slot_size;
	*off = dev->map_slot_off;
	return 0;
}

static int need_bus(struct hermes_dev *dev, const char *what)
{
	if (!dev)
		return hermes__err(NULL, -EINVAL, "%s: dev is NULL", what);
	if (!dev->bus)
		return hermes__err(dev, -ENOTSUP, "%s: the '%s' device has no registers", what,
				   dev->kind);
	return 0;
}

static int check_reg_offset(struct hermes_dev *dev, uint32_t off)
{
	if (off % 4)
		return hermes__err(dev, -EINVAL, "BAR0 offset 0x%x is not 4-byte aligned", off);
	return 0;
}

int hermes_dev_read32(struct hermes_dev *dev, uint32_t off, uint32_t *val)
{
	int err = need_bus(dev, "hermes_dev_read32");

	if (!err)
		err = check_reg_offset(dev, off);
	return err ? err : dev->bus->ops->read32(dev->bus, off, val);
}

int hermes_dev_write32(struct hermes_dev *dev, uint32_t off, uint32_t val)
{
	int err = need_bus(dev, "hermes_dev_write32");

	if (!err)
		err = check_reg_offset(dev, off);
	return err ? err : dev->bus->ops->write32(dev->bus, off, val);
}

static int run_once_loaded(struct hermes_dev *dev, const struct hermes_prog *prog, const void *in, size_t in_len,
			   void *out, size_t out_len, const struct hermes_run_opts *o, struct hermes_run_result *res)
{
	struct hermes_obj *obj;
	int err = hermes_obj_load(dev, prog, NULL, &obj);

	if (err)
		return err;
	err = hermes_obj_run(obj, in, in_len, out, out_len, o, res);
	hermes_obj_unload(obj);
	return err;
}

int hermes_run(struct hermes_dev *dev, const struct hermes_prog *prog,
	       const void *in, size_t in_len, void *out, size_t out_len,
	       const struct hermes_run_opts *opts, struct hermes_run_result *res)
{
	struct hermes_run_opts o = { .sz = sizeof(o), .engine = -1 };
	int err;

	if (!dev)
		return hermes__err(NULL, -EINVAL, "hermes_run: dev is NULL");
	if (!prog || !res || (in_len && !in) || (out_len && !out))
		return hermes__err(dev, -EINVAL,
				   "hermes_run: prog and res are required, and buffers for non-zero lengths");
	/* The device kinds read one full-size copy, defaults filled in. */
	if ((err = hermes__opts_read(dev, "hermes_run", opts, &o, sizeof(o))))
		return err;
	memset(res, 0, sizeof(*res));
	if (prog->nmaps) /* its maps live as long as this run: a loaded object for it */
		return run_once_loaded(dev, prog, in, in_len, out, out_len, &o, res);
	return dev->ops->run(dev, prog, in, in_len, out, out_len, &o, res);
}

int hermes_dev_reset(struct hermes_dev *dev)
{
	if (!dev)
		return hermes__err(NULL, -EINVAL, "hermes_dev_reset: dev is NULL");
	if (!dev->bus)
		return hermes__err(dev, -EOPNOTSUPP, "the '%s' device has no card to reset", hermes_dev_kind(dev));
	return hermes__card_reset(dev);
}

struct hermes_sim *hermes__dev_sim(struct hermes_dev *dev)
{
	if (!dev || !dev->bus || !dev->bus->ops->sim)
		return NULL;
	return dev->bus->ops->sim(dev->bus);
}

int hermes__dev_cost_json(struct hermes_dev *dev, char *buf, size_t len)
{
	if (!dev || !dev->bus || !dev->bus->ops->cost_json)
		return snprintf(buf, len, "null");
	return dev->bus->ops->cost_json(dev->bus, buf, len);
}
