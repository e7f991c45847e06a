/* SPDX-License-Identifier: MIT */
/* bus_sim.c - the bus to the in-process simulated card (sim/ C API). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "sim_io.h"


struct bus_sim {
	struct hermes_bus bus;
	struct hermes_sim *sim;
	struct hermes_sim_io io;       /* the XDMA driver's view of sim */
	struct hermes_xdma *xdma;
	struct hermes_xdma_stats last; /* statistics of the last DMA */
	char *trace_path;              /* FST being written, NULL: none */
	struct hermes_sim_cost cost;   /* PCIe cost model (sim/hermes_sim.h) */
};

static struct hermes_sim *to_sim(struct hermes_bus *bus)
{
	return ((struct bus_sim *)bus)->sim;
}

static int sim_read32(struct hermes_bus *bus, uint32_t off, uint32_t *val)
{
	return hermes__sim_access(bus->dev, hermes_sim_bar0_read(to_sim(bus), off, val), "BAR0 read", off);
}

static int sim_write32(struct hermes_bus *bus, uint32_t off, uint32_t val)
{
	return hermes__sim_access(bus->dev, hermes_sim_bar0_write(to_sim(bus), off, val, 0xf), "BAR0 write", off);
}

static int sim_ctl_read32(struct hermes_bus *bus, uint32_t off, uint32_t *val)
{
	return hermes__sim_access(bus->dev, hermes_sim_bar2_read(to_sim(bus), off, val), "BAR2 read", off);
}

static int sim_ctl_write32(struct hermes_bus *bus, uint32_t off, uint32_t val)
{
	return hermes__sim_access(bus->dev, hermes_sim_bar2_write(to_sim(bus), off, val, 0xf), "BAR2 write", off);
}

static int sim_dma_to_card(struct hermes_bus *bus, uint64_t addr, const void *buf, size_t len)
{
	struct bus_sim *bs = (struct bus_sim *)bus;
	int err;

	memset(&bs->last, 0, sizeof(bs->last));
	if ((err = hermes__dma_range_check(bus->dev, 1, "the simulated card", addr, len)))
		return err;
	return hermes_xdma_write(bs->xdma, 0, addr, buf, len, &bs->last);
}

static int sim_dma_from_card(struct hermes_bus *bus, uint64_t addr, void *buf, size_t len)
{
	struct bus_sim *bs = (struct bus_sim *)bus;
	int err;

	memset(&bs->last, 0, sizeof(bs->last));
	if ((err = hermes__dma_range_check(bus->dev, 0, "the simulated card", addr, len)))
		return err;
	return hermes_xdma_read(bs->xdma, 0, addr, buf, len, &bs->last);
}

/*
 * Timeouts count card time: the model runs until the interrupt or for
 * timeout_ms of its own clocks, however long that takes the host, so that
 * a run's clock count never depends on how loaded the host is.
 */
static int sim_wait_irq(struct hermes_bus *bus, uint32_t mask, unsigned timeout_ms, uint32_t *pending)
{
	uint64_t clocks = (uint64_t)timeout_ms * 1000u * HERMES_CARD_CLOCKS_PER_US;

	if (hermes_sim_wait_irq(to_sim(bus), mask, 0, clocks, pending, NULL) == 0)
		return 0;
	return -ETIMEDOUT;
}

static uint64_t sim_clocks(struct hermes_bus *bus)
{
	return hermes_sim_cycles(to_sim(bus));
}

static void sim_pause(struct hermes_bus *bus, unsigned us)
{
	hermes_sim_run(to_sim(bus), (uint64_t)us * HERMES_CARD_CLOCKS_PER_US);
}

static struct hermes_sim *sim_sim(struct hermes_bus *bus)
{
	return to_sim(bus);
}

static void sim_close(struct hermes_bus *bus)
{
	hermes_xdma_close(((struct bus_sim *)bus)->xdma);
	hermes_sim_free(to_sim(bus)); /* completes the FST, if any */
	free(((struct bus_sim *)bus)->trace_path);
	free(bus);
}

static int sim_cost_json(struct hermes_bus *bus, char *buf, size_t len)
{
	struct hermes_sim_cost c;

	hermes_sim_get_cost(to_sim(bus), &c);
	return hermes_sim_cost_json(&c, buf, len);
}

static const struct hermes_bus_ops sim_bus_ops = {
	.read32 = sim_read32,
	.write32 = sim_write32,
	.ctl_read32 = sim_ctl_read32,
	.ctl_write32 = sim_ctl_write32,
	.dma_to_card = sim_dma_to_card,
	.dma_from_card = sim_dma_from_card,
	.wait_irq = sim_wait_irq,
	.clocks = sim_clocks,
	.pause = sim_pause,
	.sim = sim_sim,
	.cost_json = sim_cost_json,
	.close = sim_close,
};

/*
 * Waveform options: trace=FILE writes an FST of the run with the
 * trace-enabled model, trace_window=A:B keeps clocks [A, B) only ("A:" to
 * the end, ":B" from the start). $HERMES_TRACE and $HERMES_TRACE_WINDOW
 * give the same when the device string does not.
 */
static int set_trace(struct hermes_dev *dev, struct bus_sim *bs, struct hermes_sim_opts *so,
		     const char *path, const char *window, const char *from)
{
	FILE *f;

	if (window && *window && hermes_trace_window_parse(window, &so->trace_start, &so->trace_end))
		return hermes__err(dev, -EINVAL,
				   "trace window '%s' (%s) is not START:END in clocks with START < END", window,
				   from);
	if (!path)
		return 0;
	if (!*path)
		return hermes__err(dev, -EINVAL, "trace needs a file name (%s)", from);
	if (!hermes_sim_trace_available())
		return hermes__err(dev, -ENOTSUP,
				   "tracing to '%s' needs the trace-enabled model, which this build left out "
				   "(configure with -DHERMES_TRACE_MODEL=ON)", path);
	/* Say now, in words, what the model could only fail on. */
	f = fopen(path, "wb");
	if (!f)
		return hermes__err(dev, -errno, "cannot write trace file '%s': %s", path, strerror(errno));
	fclose(f);
	free(bs->trace_path);
	bs->trace_path = strdup(path);
	if (!bs->trace_path)
		return hermes__err(dev, -ENOMEM, "out of memory");
	so->trace_path = bs->trace_path;
	return 0;
}

/* "sim:key=val,...": the keys of sim_io.c (the PCIe cost model's among them),
 * trace and trace_window as set_trace() says. */
static int parse_opts(struct hermes_dev *dev, struct bus_sim *bs, const char *opts,
		      struct hermes_sim_opts *so, struct hermes_xdma_opts *xo)
{
	struct hermes_sim_config cfg;
	char where[160];
	int err;

	memset(&cfg, 0, sizeof(cfg));
	cfg.sim.sz = sizeof(cfg.sim);
	cfg.xdma.sz = sizeof(cfg.xdma);
	cfg.cost = (struct hermes_sim_cost)HERMES_SIM_COST_PCIE;
	snprintf(where, sizeof(where), "in device 'sim:%.120s'", opts);
	if ((err = hermes__sim_config_parse(dev, opts, where, &cfg)))
		return err;
	bs->cost = cfg.cost;
	*so = cfg.sim;
	so->cost = &bs->cost;
	*xo = cfg.xdma;
	if (cfg.trace)
		err = set_trace(dev, bs, so, cfg.trace, cfg.trace_window, "in the device string");
	else if (cfg.trace_window)
		err = hermes__err(dev, -EINVAL, "sim option trace_window needs trace=FILE too (%s)", where);
	else if (getenv("HERMES_TRACE") && *getenv("HERMES_TRACE"))
		err = set_trace(dev, bs, so, getenv("HERMES_TRACE"), getenv("HERMES_TRACE_WINDOW"),
				"from $HERMES_TRACE / $HERMES_TRACE_WINDOW");
	hermes__sim_config_free(&cfg);
	return err;
}

int hermes__bus_sim_xdma(struct hermes_bus *bus, struct hermes_xdma **xp,
			 struct hermes_xdma_stats *last)
{
	struct bus_sim *bs = (struct bus_sim *)bus;

	if (bus->ops != &sim_bus_ops)
		return hermes__err(bus->dev, -ENOTSUP, "not a simulated card");
	if (xp)
		*xp = bs->xdma;
	if (last)
		*last = bs->last;
	return 0;
}

int hermes__bus_sim_open(struct hermes_dev *dev, const char *opts, struct hermes_bus **busp)
{
	struct hermes_sim_opts so;
	struct hermes_xdma_opts xo;
	struct hermes_xdma_io io;
	struct bus_sim *bs;
	int err;

	bs = calloc(1, sizeof(*bs));
	if (!bs)
		return hermes__err(dev, -ENOMEM, "out of memory for the simulated card");
	err = parse_opts(dev, bs, opts, &so, &xo);
	if (err) {
		free(bs->trace_path);
		free(bs);
		return err;
	}
	bs->sim = hermes_sim_new(&so);
	if (!bs->sim) {
		err = bs->trace_path ? hermes__err(dev, -EIO, "cannot create the traced simulated card (trace file '%s')",
						   bs->trace_path)
				     : hermes__err(dev, -ENOMEM, "cannot create the simulated card");
		free(bs->trace_path);
		free(bs);
		return err;
	}
	bs->bus.ops = &sim_bus_ops;
	bs->bus.dev = dev;
	bs->io.sim = bs->sim;
	bs->io.dev = dev;
	hermes__sim_xdma_io(&bs->io, &io);
	err = hermes_xdma_open(dev, &io, &xo, &bs->xdma);
	if (err) {
		hermes_sim_free(bs->sim);
		free(bs->trace_path);
		free(bs);
		return err;
	}
	*busp = &bs->bus;
	return 0;
}
