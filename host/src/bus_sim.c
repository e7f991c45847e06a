/* SPDX-License-Identifier: MIT */
/* bus_sim.c - the bus to the in-process simulated card (sim/ C API). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "hermes_sim.h"

struct bus_sim {
	struct hermes_bus bus;
	struct hermes_sim *sim;
};

static struct hermes_sim *to_sim(struct hermes_bus *bus)
{
	return ((struct bus_sim *)bus)->sim;
}

static const char *resp_str(int resp)
{
	switch (resp) {
	case HERMES_SIM_SLVERR: return "SLVERR (unmapped, read-only or misaligned register)";
	case HERMES_SIM_DECERR: return "DECERR";
	case -ETIMEDOUT: return "no response (bus hung)";
	default: return "unexpected response";
	}
}

static int sim_read32(struct hermes_bus *bus, uint32_t off, uint32_t *val)
{
	int resp = hermes_sim_bar0_read(to_sim(bus), off, val);

	if (resp == HERMES_SIM_OKAY)
		return 0;
	return hermes__err(bus->dev, resp == -ETIMEDOUT ? -ETIMEDOUT : -EIO,
			   "BAR0 read at 0x%04x: %s", off, resp_str(resp));
}

static int sim_write32(struct hermes_bus *bus, uint32_t off, uint32_t val)
{
	int resp = hermes_sim_bar0_write(to_sim(bus), off, val, 0xf);

	if (resp == HERMES_SIM_OKAY)
		return 0;
	return hermes__err(bus->dev, resp == -ETIMEDOUT ? -ETIMEDOUT : -EIO,
			   "BAR0 write at 0x%04x: %s", off, resp_str(resp));
}

static int sim_not_yet(struct hermes_bus *bus, const char *what)
{
	return hermes__err(bus->dev, -ENOTSUP, "%s on the simulated card is not implemented yet", what);
}

static int sim_ctl_read32(struct hermes_bus *bus, uint32_t off, uint32_t *val)
{
	return sim_not_yet(bus, "BAR2 access");
}

static int sim_ctl_write32(struct hermes_bus *bus, uint32_t off, uint32_t val)
{
	return sim_not_yet(bus, "BAR2 access");
}

static int sim_dma_to_card(struct hermes_bus *bus, uint64_t addr, const void *buf, size_t len)
{
	return sim_not_yet(bus, "DMA");
}

static int sim_dma_from_card(struct hermes_bus *bus, uint64_t addr, void *buf, size_t len)
{
	return sim_not_yet(bus, "DMA");
}

static int sim_wait_irq(struct hermes_bus *bus, uint32_t mask, unsigned timeout_ms, uint32_t *pending)
{
	return sim_not_yet(bus, "waiting for interrupts");
}

static void sim_close(struct hermes_bus *bus)
{
	hermes_sim_free(to_sim(bus));
	free(bus);
}

static const struct hermes_bus_ops sim_bus_ops = {
	.read32 = sim_read32,
	.write32 = sim_write32,
	.ctl_read32 = sim_ctl_read32,
	.ctl_write32 = sim_ctl_write32,
	.dma_to_card = sim_dma_to_card,
	.dma_from_card = sim_dma_from_card,
	.wait_irq = sim_wait_irq,
	.close = sim_close,
};

/* "sim:key=val,key=val": no options are defined yet, so any is an error. */
static int parse_opts(struct hermes_dev *dev, const char *opts, struct hermes_sim_opts *so)
{
	char *copy, *tok, *save = NULL;
	int err = 0;

	memset(so, 0, sizeof(*so));
	so->sz = sizeof(*so);
	if (!*opts)
		return 0;
	copy = strdup(opts);
	if (!copy)
		return hermes__err(dev, -ENOMEM, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (eq)
			*eq = '\0';
		err = hermes__err(dev, -EINVAL, "unknown sim option '%s' (in device 'sim:%s')", tok, opts);
	}
	free(copy);
	return err;
}

int hermes__bus_sim_open(struct hermes_dev *dev, const char *opts, struct hermes_bus **busp)
{
	struct hermes_sim_opts so;
	struct bus_sim *bs;
	int err;

	err = parse_opts(dev, opts, &so);
	if (err)
		return err;
	bs = calloc(1, sizeof(*bs));
	if (!bs)
		return hermes__err(dev, -ENOMEM, "out of memory for the simulated card");
	bs->sim = hermes_sim_new(&so);
	if (!bs->sim) {
		free(bs);
		return hermes__err(dev, -ENOMEM, "cannot create the simulated card");
	}
	bs->bus.ops = &sim_bus_ops;
	bs->bus.dev = dev;
	*busp = &bs->bus;
	return 0;
}
