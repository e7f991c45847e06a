/* SPDX-License-Identifier: MIT */
/* xdma_drv.c - user-space XDMA driver: descriptor chains, runs, status (see xdma_drv.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "opts.h"
#include "xdma_drv.h"

#define DESC_AREA      (64u << 10)  /* 2048 descriptors */
#define SCRATCH_AREA   (64u << 10)
#define MAX_DESCS      (DESC_AREA / 32u)
#define DEFAULT_DESC   (1u << 20)
#define DEFAULT_TMO    2500000000ull /* 10 s at 250 MHz */
#define IDLE_POLLS     1000u         /* register reads waiting for busy to fall */

/* Interrupt enables written to control (like the Xilinx driver) and to the mask. */
#define IE_BITS (HERMES_XDMA_ST_DESC_STOPPED | HERMES_XDMA_ST_DESC_DONE | HERMES_XDMA_ST_ALIGN | \
		 HERMES_XDMA_ST_MAGIC | HERMES_XDMA_ST_RD_ERRS | HERMES_XDMA_ST_WR_ERRS | \
		 HERMES_XDMA_ST_DESC_ERRS)

struct hermes_xdma {
	struct hermes_dev *dev;
	struct hermes_xdma_io io;
	struct hermes_xdma_opts opts;
	unsigned h2c, c2h;
	/* Channels this driver left idle after a clean run: no busy check before the next. */
	uint8_t idle[2][HERMES_XDMA_MAX_CHANNELS];
};

static int rd(struct hermes_xdma *x, uint32_t off, uint32_t *v)
{
	return x->io.reg_read(x->io.ctx, off, v);
}

static int wr(struct hermes_xdma *x, uint32_t off, uint32_t v)
{
	return x->io.reg_write(x->io.ctx, off, v);
}

static uint64_t now(struct hermes_xdma *x)
{
	return x->io.now ? x->io.now(x->io.ctx) : 0;
}

static int id_ok(uint32_t id, unsigned target, unsigned chan)
{
	return (id & 0xFFF00000u) == 0x1FC00000u && ((id >> 16) & 0xF) == target &&
	       ((id >> 8) & 0xF) == chan && !(id & 0x8000u) /* memory mapped */;
}

int hermes_xdma_probe(const struct hermes_xdma_io *io, unsigned *h2c, unsigned *c2h)
{
	unsigned n[2] = { 0, 0 };

	for (unsigned dir = 0; dir < 2; dir++) {
		for (unsigned ch = 0; ch < HERMES_XDMA_MAX_CHANNELS; ch++) {
			uint32_t id = 0, sg = 0;
			uint32_t base = dir ? HERMES_XDMA_C2H(ch) : HERMES_XDMA_H2C(ch);
			uint32_t sgb = dir ? HERMES_XDMA_C2H_SG(ch) : HERMES_XDMA_H2C_SG(ch);
			int err = io->reg_read(io->ctx, base + HERMES_XDMA_CH_ID, &id);

			if (!err)
				err = io->reg_read(io->ctx, sgb + HERMES_XDMA_CH_ID, &sg);
			if (err)
				return err;
			if (!id_ok(id, dir, ch) || !id_ok(sg, 4 + dir, ch))
				break;
			n[dir]++;
		}
	}
	*h2c = n[0];
	*c2h = n[1];
	return 0;
}

int hermes_xdma_set_opts(struct hermes_xdma *x, const struct hermes_xdma_opts *opts)
{
	struct hermes_xdma_opts o = { .sz = sizeof(o) };
	int err;

	if ((err = hermes__opts_read(x->dev, "xdma", opts, &o, sizeof(o))))
		return err;
	if (!o.max_desc_bytes)
		o.max_desc_bytes = DEFAULT_DESC;
	if (o.max_desc_bytes > HERMES_XDMA_DESC_MAX_LEN)
		return hermes__err(x->dev, -EINVAL, "xdma: max_desc_bytes %zu exceeds the 28-bit length field",
				   o.max_desc_bytes);
	if (!o.timeout_cycles)
		o.timeout_cycles = DEFAULT_TMO;
	if (!x->io.wait_chan_irq)
		o.poll = 1;
	x->opts = o;
	return 0;
}

int hermes_xdma_open(struct hermes_dev *dev, const struct hermes_xdma_io *io,
		     const struct hermes_xdma_opts *opts, struct hermes_xdma **xp)
{
	struct hermes_xdma *x;
	int err;

	if (!io || !io->reg_read || !io->reg_write || !io->mem ||
	    io->mem_size < DESC_AREA + SCRATCH_AREA + (64u << 10) || (io->mem_bus & 63))
		return hermes__err(dev, -EINVAL, "xdma: incomplete I/O description or too little host memory");
	x = calloc(1, sizeof(*x));
	if (!x)
		return hermes__err(dev, -ENOMEM, "xdma: out of memory");
	x->dev = dev;
	x->io = *io;
	err = hermes_xdma_set_opts(x, opts);
	if (!err)
		err = hermes_xdma_probe(io, &x->h2c, &x->c2h);
	/* Like the Xilinx driver at probe: all user interrupts enabled. */
	if (!err)
		err = wr(x, HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_USR_EN_W1S, 0xFFFFu);
	if (err) {
		free(x);
		return err;
	}
	*xp = x;
	return 0;
}

void hermes_xdma_close(struct hermes_xdma *x)
{
	free(x);
}

unsigned hermes_xdma_h2c_channels(const struct hermes_xdma *x)
{
	return x->h2c;
}

unsigned hermes_xdma_c2h_channels(const struct hermes_xdma *x)
{
	return x->c2h;
}

uint8_t *hermes_xdma_scratch(struct hermes_xdma *x, uint64_t *bus, size_t *size)
{
	*bus = x->io.mem_bus + DESC_AREA;
	*size = SCRATCH_AREA;
	return x->io.mem + DESC_AREA;
}

static void put_desc(struct hermes_xdma *x, unsigned i, uint32_t control, uint32_t len,
		     uint64_t src, uint64_t dst, uint64_t next)
{
	struct hermes_xdma_desc d = {
		.control = control, .len = len,
		.src_lo = (uint32_t)src, .src_hi = (uint32_t)(src >> 32),
		.dst_lo = (uint32_t)dst, .dst_hi = (uint32_t)(dst >> 32),
		.next_lo = (uint32_t)next, .next_hi = (uint32_t)(next >> 32),
	};

	/* Host memory is little-endian like the card; the struct is 8 u32 in order. */
	memcpy(x->io.mem + 32u * i, &d, sizeof(d));
}

/* Extra descriptors after the one at bus address a: contiguous, same 4 KiB page, <= 63. */
static unsigned adjacent(uint64_t a, unsigned remaining_after)
{
	unsigned in_page = (unsigned)((4096 - (a & 4095)) / 32) - 1;
	unsigned n = remaining_after < in_page ? remaining_after : in_page;

	return n > 63 ? 63 : n;
}

static const char *dir_name(int c2h)
{
	return c2h ? "C2H" : "H2C";
}

/* Turn a finished run's status into 0 or an errno with a detail. */
static int status_err(struct hermes_xdma *x, int c2h, unsigned chan, uint32_t st,
		      uint64_t card, size_t len)
{
	const char *d = dir_name(c2h);

	if (st & HERMES_XDMA_ST_MAGIC)
		return hermes__err(x->dev, -EIO, "%s channel %u: descriptor with a bad magic (status 0x%08x, magic stopped)",
				   d, chan, st);
	if (st & HERMES_XDMA_ST_DESC_ERRS)
		return hermes__err(x->dev, -EIO, "%s channel %u: fetching a descriptor from host memory failed (status 0x%08x)",
				   d, chan, st);
	if (!c2h && (st & HERMES_XDMA_ST_WR_ERRS))
		return hermes__err(x->dev, -EFAULT, "H2C channel %u: card range [0x%llx, 0x%llx) is outside BAR4 (status 0x%08x, write error)",
				   chan, (unsigned long long)card, (unsigned long long)(card + len), st);
	if (c2h && (st & HERMES_XDMA_ST_RD_ERRS))
		return hermes__err(x->dev, -EFAULT, "C2H channel %u: card range [0x%llx, 0x%llx) is outside BAR4 (status 0x%08x, read error)",
				   chan, (unsigned long long)card, (unsigned long long)(card + len), st);
	if (!c2h && (st & HERMES_XDMA_ST_RD_ERRS))
		return hermes__err(x->dev, (st & HERMES_XDMA_ST_RD_ERR(0)) ? -EFAULT : -EIO,
				   "H2C channel %u: reading host memory failed (status 0x%08x, read error)", chan, st);
	if (c2h && (st & HERMES_XDMA_ST_WR_ERRS))
		return hermes__err(x->dev, (st & HERMES_XDMA_ST_WR_ERR(0)) ? -EFAULT : -EIO,
				   "C2H channel %u: writing host memory failed (status 0x%08x, write error)", chan, st);
	return 0;
}

/*
 * Wait (bounded) for the channel to drop busy; returns the status read. A
 * channel stopped mid-descriptor finishes it first, a line a clock at best:
 * with a card clock, the bound is twice the lines of the largest descriptor
 * this driver builds (at least 256 KiB) and some; without one, IDLE_POLLS
 * reads.
 */
static int wait_idle(struct hermes_xdma *x, uint32_t ch, uint32_t *st)
{
	size_t desc = x->opts.max_desc_bytes > (256u << 10) ? x->opts.max_desc_bytes : (256u << 10);
	uint64_t t0 = now(x), limit = 2 * (uint64_t)desc / 64 + 65536;
	int err = 0;

	for (unsigned i = 0; x->io.now ? now(x) - t0 < limit : i < IDLE_POLLS; i++) {
		if ((err = rd(x, ch + HERMES_XDMA_CH_STATUS, st)))
			return err;
		if (!(*st & HERMES_XDMA_ST_BUSY))
			return 0;
	}
	return -ETIMEDOUT;
}

static int run(struct hermes_xdma *x, int c2h, unsigned chan, uint64_t desc_bus, unsigned adj,
	       unsigned expect, uint64_t card, size_t len, struct hermes_xdma_stats *st)
{
	uint32_t ch = c2h ? HERMES_XDMA_C2H(chan) : HERMES_XDMA_H2C(chan);
	uint32_t sg = c2h ? HERMES_XDMA_C2H_SG(chan) : HERMES_XDMA_H2C_SG(chan);
	uint32_t irq_bit = 1u << (c2h ? x->h2c + chan : chan);
	uint32_t status = 0, s2 = 0, cnt = 0, lo, hi;
	uint64_t t0, t1;
	int err, timed_out = 0;

	/* Known idle unless this is its first run or the last one went wrong. */
	if (!x->idle[c2h][chan]) {
		if ((err = rd(x, ch + HERMES_XDMA_CH_STATUS, &status)))
			return err;
		if (status & HERMES_XDMA_ST_BUSY)
			return hermes__err(x->dev, -EBUSY, "%s channel %u is busy", dir_name(c2h), chan);
	}
	x->idle[c2h][chan] = 0;
	if ((err = wr(x, sg + HERMES_XDMA_SG_DESC_LO, (uint32_t)desc_bus)) ||
	    (err = wr(x, sg + HERMES_XDMA_SG_DESC_HI, (uint32_t)(desc_bus >> 32))) ||
	    (err = wr(x, sg + HERMES_XDMA_SG_DESC_ADJ, adj)) ||
	    (err = wr(x, ch + HERMES_XDMA_CH_IMASK, IE_BITS)) ||
	    (err = wr(x, ch + HERMES_XDMA_CH_PERF_CTRL, HERMES_XDMA_PERF_CLEAR | HERMES_XDMA_PERF_AUTO)) ||
	    (err = wr(x, HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_CH_EN_W1S, irq_bit)))
		return err;
	t0 = now(x);
	if ((err = wr(x, ch + HERMES_XDMA_CH_CTRL, HERMES_XDMA_CTRL_RUN | IE_BITS)))
		return err;

	if (!x->opts.poll) {
		uint32_t pending = 0;

		err = x->io.wait_chan_irq(x->io.ctx, irq_bit, x->opts.timeout_cycles, &pending);
		if (err == -ETIMEDOUT)
			timed_out = 1;
		else if (err)
			return err;
		/* Interrupt service: mask the channel, read and clear its status. */
		if ((err = wr(x, HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_CH_EN_W1C, irq_bit)) ||
		    (err = rd(x, ch + HERMES_XDMA_CH_STATUS_RC, &status)))
			return err;
	} else {
		/* Clear-on-read status, accumulated: the last read shows busy fall. */
		for (;;) {
			if ((err = rd(x, ch + HERMES_XDMA_CH_STATUS_RC, &s2)))
				return err;
			status |= s2;
			if (!(s2 & HERMES_XDMA_ST_BUSY))
				break;
			if (x->io.now && now(x) - t0 > x->opts.timeout_cycles) {
				timed_out = 1;
				break;
			}
		}
		status = (status & ~HERMES_XDMA_ST_BUSY) | (s2 & HERMES_XDMA_ST_BUSY);
	}
	t1 = now(x);

	/* Stop the channel (clear run, keep the enables). */
	if ((err = wr(x, ch + HERMES_XDMA_CH_CTRL, IE_BITS)))
		return err;
	/*
	 * A channel that stopped on its own (the last descriptor's STOP, or an
	 * error) was idle when its status was read, and nothing sets status
	 * bits on an idle channel: no need to wait for busy or read it again.
	 * Otherwise (a timeout) let it drain and collect what it says.
	 */
	if (status & HERMES_XDMA_ST_BUSY) {
		err = wait_idle(x, ch, &s2);
		if (err && err != -ETIMEDOUT)
			return err;
		status |= s2;
		if (err)
			return hermes__err(x->dev, -ETIMEDOUT, "%s channel %u does not go idle after run was cleared (status 0x%08x)",
					   dir_name(c2h), chan, status);
		if ((err = rd(x, ch + HERMES_XDMA_CH_STATUS_RC, &s2)))
			return err;
		status |= s2;
		status &= ~HERMES_XDMA_ST_BUSY;
	}
	if ((err = rd(x, ch + HERMES_XDMA_CH_CMPL_CNT, &cnt)))
		return err;
	if (st) {
		st->runs++;
		st->descs += cnt;
		st->cycles += t1 - t0;
		st->status = status;
		if (x->opts.perf) {
			if (!rd(x, ch + HERMES_XDMA_CH_PERF_CYC_LO, &lo) && !rd(x, ch + HERMES_XDMA_CH_PERF_CYC_HI, &hi))
				st->busy_cycles += (uint64_t)hi << 32 | lo;
			if (!rd(x, ch + HERMES_XDMA_CH_PERF_DAT_LO, &lo) && !rd(x, ch + HERMES_XDMA_CH_PERF_DAT_HI, &hi))
				st->beats += (uint64_t)hi << 32 | lo;
		}
	}
	if (timed_out)
		return hermes__err(x->dev, -ETIMEDOUT,
				   "%s channel %u: no completion within %llu clocks (%u of %u descriptors done, status 0x%08x); channel stopped",
				   dir_name(c2h), chan, (unsigned long long)x->opts.timeout_cycles, cnt, expect, status);
	if ((err = status_err(x, c2h, chan, status, card, len)))
		return err;
	if (cnt != expect)
		return hermes__err(x->dev, -EIO, "%s channel %u stopped after %u of %u descriptors (status 0x%08x)",
				   dir_name(c2h), chan, cnt, expect, status);
	x->idle[c2h][chan] = 1;
	return 0;
}

int hermes_xdma_run_chain(struct hermes_xdma *x, int c2h, unsigned chan, uint64_t desc_bus,
			  unsigned adjacent, unsigned expect, struct hermes_xdma_stats *st)
{
	if (chan >= (c2h ? x->c2h : x->h2c))
		return hermes__err(x->dev, -EINVAL, "%s channel %u does not exist", dir_name(c2h), chan);
	return run(x, c2h, chan, desc_bus, adjacent, expect, 0, 0, st);
}

static int transfer(struct hermes_xdma *x, int c2h, unsigned chan, uint64_t card, uint8_t *buf,
		    size_t len, struct hermes_xdma_stats *st)
{
	size_t off = DESC_AREA + SCRATCH_AREA + ((uintptr_t)buf & 63);
	size_t room = x->io.mem_size - off;
	size_t per_run = (size_t)MAX_DESCS * x->opts.max_desc_bytes;
	size_t done = 0;

	if (chan >= (c2h ? x->c2h : x->h2c))
		return hermes__err(x->dev, -EINVAL, "%s channel %u does not exist (the card has %u)",
				   dir_name(c2h), chan, c2h ? x->c2h : x->h2c);
	if (len && !buf)
		return hermes__err(x->dev, -EINVAL, "xdma: NULL buffer for %zu bytes", len);
	if (per_run > room)
		per_run = room;
	while (done < len) {
		size_t n = len - done < per_run ? len - done : per_run;
		uint64_t data_bus = x->io.mem_bus + off;
		unsigned nd = (unsigned)((n + x->opts.max_desc_bytes - 1) / x->opts.max_desc_bytes);
		int err;

		if (!c2h)
			memcpy(x->io.mem + off, buf + done, n);
		for (unsigned i = 0; i < nd; i++) {
			size_t at = (size_t)i * x->opts.max_desc_bytes;
			size_t dl = n - at < x->opts.max_desc_bytes ? n - at : x->opts.max_desc_bytes;
			uint64_t host = data_bus + at, cardp = card + done + at;
			uint64_t next = i + 1 < nd ? x->io.mem_bus + 32ull * (i + 1) : 0;
			uint32_t ctl = HERMES_XDMA_DESC_MAGIC;

			if (i + 1 < nd)
				ctl |= adjacent(next, nd - i - 2) << 8;
			else
				ctl |= HERMES_XDMA_DESC_STOP | HERMES_XDMA_DESC_COMPLETED | HERMES_XDMA_DESC_EOP;
			put_desc(x, i, ctl, (uint32_t)dl, c2h ? cardp : host, c2h ? host : cardp, next);
		}
		err = run(x, c2h, chan, x->io.mem_bus, adjacent(x->io.mem_bus, nd - 1), nd,
			  card + done, n, st);
		if (err)
			return err;
		if (c2h)
			memcpy(buf + done, x->io.mem + off, n);
		done += n;
		if (st)
			st->bytes += n;
	}
	return 0;
}

int hermes_xdma_write(struct hermes_xdma *x, unsigned chan, uint64_t card_addr,
		      const void *buf, size_t len, struct hermes_xdma_stats *st)
{
	return transfer(x, 0, chan, card_addr, (uint8_t *)buf, len, st);
}

int hermes_xdma_read(struct hermes_xdma *x, unsigned chan, uint64_t card_addr,
		     void *buf, size_t len, struct hermes_xdma_stats *st)
{
	return transfer(x, 1, chan, card_addr, buf, len, st);
}

static int bus_reg_read(void *ctx, uint32_t off, uint32_t *val)
{
	struct hermes_bus *bus = ctx;

	return bus->ops->ctl_read32(bus, off, val);
}

int hermes__dma_channels(struct hermes_dev *dev, uint8_t *h2c, uint8_t *c2h)
{
	struct hermes_xdma_io io = { .ctx = dev->bus, .reg_read = bus_reg_read };
	unsigned h = 0, c = 0;
	int err;

	if (!dev->bus)
		return hermes__err(dev, -ENOTSUP, "device has no BAR2");
	err = hermes_xdma_probe(&io, &h, &c);
	*h2c = (uint8_t)h;
	*c2h = (uint8_t)c;
	return err;
}
