/* SPDX-License-Identifier: MIT */
/* bus_sim.c - the bus to the in-process simulated card (sim/ C API). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dev.h"
#include "hermes_sim.h"
#include "hostmem.h"
#include "itrace.h"
#include "xdma_drv.h"


struct bus_sim {
	struct hermes_bus bus;
	struct hermes_sim *sim;
	struct hermes_xdma *xdma;
	struct hermes_xdma_stats last; /* statistics of the last DMA */
	char *trace_path;              /* FST being written, NULL: none */
	struct hermes_sim_cost cost;   /* PCIe cost model (sim/hermes_sim.h) */
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

static int sim_ctl_read32(struct hermes_bus *bus, uint32_t off, uint32_t *val)
{
	int resp = hermes_sim_bar2_read(to_sim(bus), off, val);

	if (resp == HERMES_SIM_OKAY)
		return 0;
	return hermes__err(bus->dev, resp == -ETIMEDOUT ? -ETIMEDOUT : -EIO,
			   "BAR2 read at 0x%04x: %s", off, resp_str(resp));
}

static int sim_ctl_write32(struct hermes_bus *bus, uint32_t off, uint32_t val)
{
	int resp = hermes_sim_bar2_write(to_sim(bus), off, val, 0xf);

	if (resp == HERMES_SIM_OKAY)
		return 0;
	return hermes__err(bus->dev, resp == -ETIMEDOUT ? -ETIMEDOUT : -EIO,
			   "BAR2 write at 0x%04x: %s", off, resp_str(resp));
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

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The host-side timeout is wall-clock time, as on a real card: the model
 * runs in slices of WAIT_SLICE clocks until the interrupt or the deadline.
 */
#define WAIT_SLICE 4096u

static int sim_wait_irq(struct hermes_bus *bus, uint32_t mask, unsigned timeout_ms, uint32_t *pending)
{
	int64_t deadline = wall_ms() + timeout_ms;

	do {
		if (hermes_sim_wait_irq(to_sim(bus), mask, 0, WAIT_SLICE, pending, NULL) == 0)
			return 0;
	} while (wall_ms() < deadline);
	return hermes__err(bus->dev, -ETIMEDOUT, "no user interrupt in 0x%x within %u ms", mask,
			   timeout_ms);
}

/* The XDMA driver's view of the simulated card. */
static int io_reg_read(void *ctx, uint32_t off, uint32_t *val)
{
	return sim_ctl_read32(ctx, off, val);
}

static int io_reg_write(void *ctx, uint32_t off, uint32_t val)
{
	return sim_ctl_write32(ctx, off, val);
}

static int io_wait_chan_irq(void *ctx, uint32_t mask, uint64_t max_cycles, uint32_t *pending)
{
	return hermes_sim_wait_irq(to_sim(ctx), 0, mask, max_cycles, NULL, pending);
}

static uint64_t io_now(void *ctx)
{
	return hermes_sim_cycles(to_sim(ctx));
}

static void sim_close(struct hermes_bus *bus)
{
	hermes_xdma_close(((struct bus_sim *)bus)->xdma);
	hermes_sim_free(to_sim(bus)); /* completes the FST, if any */
	free(((struct bus_sim *)bus)->trace_path);
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

/*
 * "sim:key=val,...": host_latency=CLOCKS (host memory read latency),
 * host_reads=N (outstanding read bursts), desc_bytes=N (largest DMA
 * descriptor the driver builds), dma_poll=1 (complete DMA by polling),
 * trace=FILE and trace_window=A:B (set_trace()), and the PCIe cost model's
 * cost=pcie|zero, bar_rd, bar_wr, bar_wr_delay, link_mbps, host_latency
 * (hermes_sim_cost_option()).
 */
static int parse_opts(struct hermes_dev *dev, struct bus_sim *bs, const char *opts,
		      struct hermes_sim_opts *so, struct hermes_xdma_opts *xo)
{
	const char *trace = NULL, *window = NULL;
	char *copy, *tok, *save = NULL;
	int err = 0;

	const struct hermes_sim_cost pcie = HERMES_SIM_COST_PCIE;

	memset(so, 0, sizeof(*so));
	so->sz = sizeof(*so);
	bs->cost = pcie;
	so->cost = &bs->cost;
	memset(xo, 0, sizeof(*xo));
	xo->sz = sizeof(*xo);
	copy = strdup(opts);
	if (!copy)
		return hermes__err(dev, -ENOMEM, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *end = NULL;
		unsigned long long v = 0;

		if (eq) {
			*eq = '\0';
			if (!strcmp(tok, "trace")) {
				trace = eq + 1;
				continue;
			}
			if (!strcmp(tok, "trace_window")) {
				window = eq + 1;
				continue;
			}
		}
		{
			char msg[160];
			int r = hermes_sim_cost_option(&bs->cost, tok, eq ? eq + 1 : NULL, msg, sizeof(msg));

			if (r < 0) {
				err = hermes__err(dev, r, "%s (in device 'sim:%s')", msg, opts);
				continue;
			}
			if (r > 0)
				continue;
		}
		if (eq) {
			v = strtoull(eq + 1, &end, 0);
		}
		if (!eq || !*(eq + 1) || *end) {
			err = hermes__err(dev, -EINVAL, "sim option '%s' needs a numeric value (in device 'sim:%s')",
					  tok, opts);
		} else if (!strcmp(tok, "host_reads")) {
			so->host_max_reads = (unsigned)v;
		} else if (!strcmp(tok, "desc_bytes")) {
			xo->max_desc_bytes = (size_t)v;
		} else if (!strcmp(tok, "dma_poll")) {
			xo->poll = v != 0;
		} else {
			err = hermes__err(dev, -EINVAL, "unknown sim option '%s' (in device 'sim:%s')", tok, opts);
		}
	}
	if (!err && trace)
		err = set_trace(dev, bs, so, trace, window, "in the device string");
	else if (!err && window)
		err = hermes__err(dev, -EINVAL, "sim option trace_window needs trace=FILE too (in device 'sim:%s')",
				  opts);
	else if (!err && getenv("HERMES_TRACE") && *getenv("HERMES_TRACE"))
		err = set_trace(dev, bs, so, getenv("HERMES_TRACE"), getenv("HERMES_TRACE_WINDOW"),
				"from $HERMES_TRACE / $HERMES_TRACE_WINDOW");
	free(copy);
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
	struct hermes_hostmem *hm;
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
	hm = hermes_sim_hostmem(bs->sim);
	memset(&io, 0, sizeof(io));
	io.ctx = &bs->bus;
	io.reg_read = io_reg_read;
	io.reg_write = io_reg_write;
	io.wait_chan_irq = io_wait_chan_irq;
	io.now = io_now;
	io.mem = hermes_hostmem_data(hm);
	io.mem_bus = hermes_hostmem_cfg(hm)->base;
	io.mem_size = hermes_hostmem_cfg(hm)->size;
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

struct hermes_sim *hermes__dev_sim(struct hermes_dev *dev)
{
	if (!dev || !dev->bus || strcmp(dev->ops->kind, "sim"))
		return NULL;
	return to_sim(dev->bus);
}

int hermes__dev_cost_json(struct hermes_dev *dev, char *buf, size_t len)
{
	struct hermes_sim *sim = hermes__dev_sim(dev);
	struct hermes_sim_cost c;

	if (!sim)
		return snprintf(buf, len, "null");
	hermes_sim_get_cost(sim, &c);
	return hermes_sim_cost_json(&c, buf, len);
}
