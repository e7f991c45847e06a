/* SPDX-License-Identifier: MIT */
/*
 * hwq.c - hermes_hwq_*: the card's hardware command queues
 * (docs/HWQUEUE.md), shaped like liburing.
 *
 * A queue pair's share of the card's queue region is laid out as
 *
 *   [SQ ring: E x 64][inputs: E x max_in][CQ ring: E x 64][outputs: E x max_out]
 *
 * and job i of the ring uses entry i, input buffer i and output buffer i.
 * The host keeps a mirror of each half: submit copies the new entries and
 * inputs into the first and writes the span that covers them with one
 * DMA (bytes in the span that are not new are written with what the card
 * already holds, so nothing in flight is disturbed); wait reads the CQ ring
 * and the outputs of the jobs in flight with one DMA.
 *
 * Ring indices are reused only once the job on them completed and was
 * seen, oldest first: an input buffer may still be waiting to be copied
 * and an output buffer to be written until then.
 *
 * The queue's interrupt is an event per moderation trigger that needs no
 * doorbell to re-arm (docs/HWQUEUE.md): a wait sleeps on it and then reads
 * the CQ ring with one DMA, the phase bits telling what is new; every
 * wake-up is followed by that look before the next sleep, and moderation's
 * timer raises an event for completions that came after the look. The CQ
 * head is only credit for the card's dispatcher: it rides on the next SQ
 * tail doorbell (credit() says why that always suffices).
 *
 * Completions are wide (64 bytes: engine, clocks and fault address too),
 * so hermes_queue (queue.c) can run its jobs here with the completions
 * of its register path; it names program slots itself (hwq.h internals
 * in queue.h) and sleeps on this queue's interrupt among its engines'.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "bar0.h"
#include "bus.h"
#include "cmd.h"
#include "engine_lock.h"
#include "hermes/hwq.h"
#include "opts.h"
#include "prog.h"
#include "queue.h"

#define DEFAULT_ENTRIES 32u
#define MAX_ENTRIES     1024u
#define DEFAULT_BUF     4096u
#define DEFAULT_CLOCKS  2000u
#define CMD_TIMEOUT_MS  5000u
#define DRAIN_SLICE_MS  1u
#define EDGE_SLICE_MS   5u

struct hwq_prog {
	const struct hermes_prog *prog;
	unsigned slot;
};

struct hermes_hwq {
	struct hermes_dev *dev;
	unsigned qn, entries;
	uint32_t max_in, max_out;
	int lock_fd;                  /* flock'ed events node ("xdma:"), -1 */
	uint64_t sq_base, in_base, cq_base, out_base;
	unsigned char *h2c;           /* mirror of [SQ ring][inputs] */
	unsigned char *c2h;           /* mirror of [CQ ring][outputs] */
	size_t h2c_len, c2h_len;
	struct hermes_hwq_job *jobs;  /* by ring index */
	struct hermes_hwq_cpl *cpls;  /* by ring index of the job */
	unsigned char *done;          /* job i completed (cpls[i] valid) */
	unsigned char *seen;          /* ... and seen */
	unsigned oldest;              /* oldest ring index not yet seen */
	unsigned staged_from, tail;   /* jobs [staged_from, tail) got, not submitted */
	unsigned in_flight;           /* submitted, not completed */
	unsigned used;                /* got and not yet seen */
	unsigned cq_head, phase;      /* next completion to look at */
	unsigned submitted_n;         /* entries submitted, ever (mod 2^32) */
	unsigned collected_n;         /* completions read, ever */
	unsigned reported_n;          /* collected_n when the card was last told the CQ head */
	unsigned *ready;              /* ring indices completed, not yet handed out (FIFO) */
	unsigned ready_r, ready_n;
	int *slot_of;                 /* by ring index: program slot named by the caller, -1: prog_slot() */
	uint32_t *code_len_of, *data_len_of;
	uint32_t engine_mask;
	struct hwq_prog *progs;
	unsigned n_progs;
	struct hermes_hwq_stats st;
};

static uint32_t round64(uint32_t v)
{
	return (v + 63u) & ~63u;
}

static uint32_t qreg(const struct hermes_hwq *q, uint32_t off)
{
	return HERMES_EHQ(q->qn) + off;
}

/* Hold the device against other threads while the card is touched ("sim"). */
static int lock(struct hermes_hwq *q, struct hermes_engine_lock *lk)
{
	return hermes__run_lock(q->dev, lk);
}

static int h2c(struct hermes_hwq *q, uint64_t addr, const void *buf, size_t len)
{
	q->st.dma_to_card++;
	q->st.bytes_to_card += len;
	return q->dev->bus->ops->dma_to_card(q->dev->bus, addr, buf, len);
}

static int c2h(struct hermes_hwq *q, uint64_t addr, void *buf, size_t len)
{
	q->st.dma_from_card++;
	q->st.bytes_from_card += len;
	return q->dev->bus->ops->dma_from_card(q->dev->bus, addr, buf, len);
}

static int doorbell(struct hermes_hwq *q, uint32_t off, uint32_t v)
{
	q->st.doorbells++;
	return hermes__bar0_write(q->dev, qreg(q, off), v);
}

/* Own queue qn: flock on its events node where processes share the card,
 * a bit in the device where only this process uses it. */
static int claim(struct hermes_hwq *q, unsigned qn)
{
	struct hermes_dev *dev = q->dev;

	if (dev->bus->ops->engine_lock_fd) {
		int fd;

		if (dev->bus->ops->engine_lock_fd(dev->bus, dev->hwq_first_irq + qn, &fd))
			return 0;
		if (flock(fd, LOCK_EX | LOCK_NB))
			return 0;
		q->lock_fd = fd;
	}
	if (__atomic_fetch_or(&dev->hwq_claimed, 1u << qn, __ATOMIC_ACQ_REL) & (1u << qn)) {
		if (q->lock_fd >= 0)
			flock(q->lock_fd, LOCK_UN);
		q->lock_fd = -1;
		return 0;
	}
	q->qn = qn;
	return 1;
}

static void unclaim(struct hermes_hwq *q)
{
	__atomic_fetch_and(&q->dev->hwq_claimed, ~(1u << q->qn), __ATOMIC_ACQ_REL);
	if (q->lock_fd >= 0)
		flock(q->lock_fd, LOCK_UN);
	q->lock_fd = -1;
}

static void hwq_free(struct hermes_hwq *q)
{
	free(q->h2c);
	free(q->c2h);
	free(q->jobs);
	free(q->cpls);
	free(q->done);
	free(q->seen);
	free(q->ready);
	free(q->slot_of);
	free(q->code_len_of);
	free(q->data_len_of);
	free(q->progs);
	free(q);
}

/*
 * Wait until the dispatcher has no job of the (disabled) queue in hand:
 * jobs a previous owner left running (a process that died, or exited with
 * jobs in flight) still complete into the queue's ring and output
 * buffers, which this owner is about to reuse. Bus time, as a command's
 * wait: card clocks on a card this host clocks.
 */
static int drain(struct hermes_hwq *q)
{
	struct hermes_dev *dev = q->dev;
	int64_t deadline = (int64_t)(hermes__bus_now_us(dev->bus) / 1000) + CMD_TIMEOUT_MS;
	uint32_t ctrl, pending;
	int err;

	for (;;) {
		if ((err = hermes__bar0_read(dev, qreg(q, HERMES_Q_CTRL), &ctrl)))
			return err;
		if (!(ctrl & HERMES_QCTRL_BUSY))
			return 0;
		if ((int64_t)(hermes__bus_now_us(dev->bus) / 1000) >= deadline)
			return hermes__err(dev, -EBUSY,
					   "hardware queue %u: jobs its previous owner left are still running after %u ms",
					   q->qn, CMD_TIMEOUT_MS);
		/* (a disabled queue raises no event: a sleep of one slice) */
		err = dev->bus->ops->wait_irq(dev->bus, 1u << (dev->hwq_first_irq + q->qn), DRAIN_SLICE_MS,
					      &pending);
		if (err && err != -ETIMEDOUT)
			return err;
	}
}

/* Configure and enable the claimed queue: disabled and drained, rings
 * zeroed first. */
static int setup(struct hermes_hwq *q, const struct hermes_hwq_opts *o)
{
	struct hermes_dev *dev = q->dev;
	unsigned log2 = 0;
	uint32_t ctrl;
	int err;

	while ((1u << log2) < q->entries)
		log2++;
	if ((err = hermes__bar0_write(dev, qreg(q, HERMES_Q_CTRL), 0)) ||
	    (err = drain(q)) ||
	    (err = h2c(q, q->sq_base, q->h2c, q->h2c_len)) ||
	    (err = h2c(q, q->cq_base, q->c2h, q->c2h_len)) ||
	    (err = hermes__bar0_write(dev, qreg(q, HERMES_Q_SQBASE), (uint32_t)q->sq_base)) ||
	    (err = hermes__bar0_write(dev, qreg(q, HERMES_Q_CQBASE), (uint32_t)q->cq_base)) ||
	    (err = hermes__bar0_write(dev, qreg(q, HERMES_Q_SIZE),
				      log2 | log2 << 8 | HERMES_QSIZE_WIDE | HERMES_QSIZE_ENG(q->engine_mask))) ||
	    (err = hermes__bar0_write(dev, qreg(q, HERMES_Q_MOD),
				      (o->irq_batch ? o->irq_batch : 1u) |
				      (o->irq_clocks ? o->irq_clocks : DEFAULT_CLOCKS) << 16)) ||
	    (err = hermes__bar0_write(dev, qreg(q, HERMES_Q_CTRL), HERMES_QCTRL_EN)) ||
	    (err = hermes__bar0_read(dev, qreg(q, HERMES_Q_CTRL), &ctrl)))
		return err;
	if ((ctrl & (HERMES_QCTRL_EN | HERMES_QCTRL_ERR)) != HERMES_QCTRL_EN)
		return hermes__err(dev, -EIO, "hardware queue %u did not enable (control 0x%x)", q->qn, ctrl);
	return 0;
}

int hermes_hwq_init(struct hermes_dev *dev, const struct hermes_hwq_opts *opts, struct hermes_hwq **qp)
{
	struct hermes_hwq_opts o = { .sz = sizeof(o) };
	struct hermes_engine_lock lk;
	struct hermes_hwq *q;
	uint64_t share, need;
	int err;

	if (!dev || !qp)
		return hermes__err(dev, -EINVAL, "hermes_hwq_init: dev and qp are required");
	if ((err = hermes__opts_read(dev, "hermes_hwq_init", opts, &o, sizeof(o))))
		return err;
	if (!dev->bus || !dev->hwq_num)
		return hermes__err(dev, -EOPNOTSUPP, "the '%s' device has no hardware command queues",
				   hermes_dev_kind(dev));
	if (!o.entries)
		o.entries = DEFAULT_ENTRIES;
	if (o.entries < 2 || o.entries > MAX_ENTRIES || (o.entries & (o.entries - 1)))
		return hermes__err(dev, -EINVAL, "hermes_hwq_init: entries %u is not a power of two in 2..%u",
				   o.entries, MAX_ENTRIES);
	if (o.irq_batch > 0xffff || o.irq_clocks > 0xffff)
		return hermes__err(dev, -EINVAL, "hermes_hwq_init: irq_batch and irq_clocks are at most 65535");
	if (o.queue < 0 || (unsigned)o.queue > dev->hwq_num)
		return hermes__err(dev, -EINVAL, "hermes_hwq_init: queue %d: the card has %u queues (1..%u, or 0: any)",
				   o.queue, dev->hwq_num, dev->hwq_num);
	if (o.max_in > dev->info.data_slot_size || o.max_out > dev->info.data_slot_size)
		return hermes__err(dev, -EINVAL, "hermes_hwq_init: max_in and max_out are at most a data slot (%u bytes)",
				   dev->info.data_slot_size);
	if (o.engine_mask & ~((1ull << dev->info.engines) - 1) & 0xffffffffu)
		return hermes__err(dev, -EINVAL, "hermes_hwq_init: engine mask 0x%x names engines the card (%u) does not have",
				   o.engine_mask, dev->info.engines);
	q = calloc(1, sizeof(*q));
	if (!q)
		return hermes__err(dev, -ENOMEM, "out of memory (hardware queue)");
	q->dev = dev;
	q->lock_fd = -1;
	q->entries = o.entries;
	q->max_in = round64(o.max_in ? o.max_in : DEFAULT_BUF);
	q->max_out = round64(o.max_out ? o.max_out : DEFAULT_BUF);
	share = dev->hwq_size / dev->hwq_num;
	q->engine_mask = o.engine_mask;
	need = (uint64_t)q->entries * (64u + 64u + q->max_in + q->max_out);
	if (need > share) {
		err = hermes__err(dev, -ENOSPC,
				  "hermes_hwq_init: %u entries with %u + %u byte buffers need %llu bytes; a queue has %llu",
				  q->entries, q->max_in, q->max_out, (unsigned long long)need, (unsigned long long)share);
		free(q);
		return err;
	}
	q->h2c_len = (size_t)q->entries * (64u + q->max_in);
	q->c2h_len = (size_t)q->entries * (64u + q->max_out);
	q->h2c = calloc(1, q->h2c_len);
	q->c2h = calloc(1, q->c2h_len);
	q->jobs = calloc(q->entries, sizeof(*q->jobs));
	q->cpls = calloc(q->entries, sizeof(*q->cpls));
	q->done = calloc(q->entries, 1);
	q->seen = calloc(q->entries, 1);
	q->ready = calloc(q->entries, sizeof(*q->ready));
	q->slot_of = malloc(q->entries * sizeof(*q->slot_of));
	q->code_len_of = calloc(q->entries, sizeof(*q->code_len_of));
	q->data_len_of = calloc(q->entries, sizeof(*q->data_len_of));
	if (!q->h2c || !q->c2h || !q->jobs || !q->cpls || !q->done || !q->seen || !q->ready || !q->slot_of ||
	    !q->code_len_of || !q->data_len_of) {
		hwq_free(q);
		return hermes__err(dev, -ENOMEM, "out of memory (hardware queue)");
	}
	if (o.queue) {
		if (!claim(q, (unsigned)o.queue - 1)) {
			hwq_free(q);
			return hermes__err(dev, -EBUSY, "hardware queue %d is in use", o.queue - 1);
		}
	} else {
		unsigned n;

		for (n = 0; n < dev->hwq_num && !claim(q, n); n++)
			;
		if (n == dev->hwq_num) {
			hwq_free(q);
			return hermes__err(dev, -EBUSY, "all %u hardware queues are in use", dev->hwq_num);
		}
	}
	q->sq_base = dev->hwq_off + (uint64_t)q->qn * share;
	q->in_base = q->sq_base + (uint64_t)q->entries * 64u;
	q->cq_base = q->in_base + (uint64_t)q->entries * q->max_in;
	q->out_base = q->cq_base + (uint64_t)q->entries * 64u;
	for (unsigned i = 0; i < q->entries; i++)
		q->slot_of[i] = -1;
	q->phase = 1;
	q->st.sz = sizeof(q->st);
	q->st.queue = q->qn;
	if ((err = lock(q, &lk))) {
		unclaim(q);
		hwq_free(q);
		return err;
	}
	err = setup(q, &o);
	hermes__run_unlock(dev, &lk);
	if (err) {
		unclaim(q);
		hwq_free(q);
		return err;
	}
	*qp = q;
	return 0;
}

/* Program slots go back through the register path (an idle engine). */
static void release_progs(struct hermes_hwq *q)
{
	struct hermes_engine_lock lk;
	unsigned e;

	if (!q->n_progs || lock(q, &lk))
		return;
	if (!hermes__engine_acquire(q->dev, &lk, q->dev->info.engines, -1, CMD_TIMEOUT_MS, &e))
		for (unsigned i = 0; i < q->n_progs; i++)
			hermes__slot_release(q->dev, e, HERMES_SLOT_PROG, q->progs[i].slot);
	hermes__run_unlock(q->dev, &lk);
}

void hermes_hwq_exit(struct hermes_hwq *q)
{
	struct hermes_engine_lock lk;

	if (!q)
		return;
	if (!lock(q, &lk)) {
		hermes__bar0_write(q->dev, qreg(q, HERMES_Q_CTRL), 0);
		hermes__run_unlock(q->dev, &lk);
	}
	release_progs(q);
	unclaim(q);
	hwq_free(q);
}

struct hermes_hwq_job *hermes_hwq_get_job(struct hermes_hwq *q)
{
	struct hermes_hwq_job *j;

	if (!q || q->used >= q->entries - 1)
		return NULL;
	j = &q->jobs[q->tail];
	memset(j, 0, sizeof(*j));
	q->slot_of[q->tail] = -1;
	q->data_len_of[q->tail] = 0;
	q->tail = (q->tail + 1) & (q->entries - 1);
	q->used++;
	return j;
}

/* The program slot of prog, loading it on first use. */
static int prog_slot(struct hermes_hwq *q, const struct hermes_prog *prog, unsigned *slot)
{
	struct hermes_dev *dev = q->dev;
	struct hermes_engine_lock lk;
	struct hwq_prog *n;
	unsigned e;
	int err;

	for (unsigned i = 0; i < q->n_progs; i++)
		if (q->progs[i].prog == prog) {
			*slot = q->progs[i].slot;
			return 0;
		}
	if (prog->image_len > dev->info.prog_slot_size || !prog->code_len || prog->code_len % 8)
		return hermes__err(dev, -EINVAL, "hermes_hwq_submit: program of %zu bytes does not fit a program slot",
				   prog->image_len);
	if (prog->nmaps)
		return hermes__err(dev, -ENOTSUP, "hermes_hwq_submit: the program has maps (map '%s'): run it as a loaded object (hermes_obj_load)",
				   prog->maps[0].name);
	n = realloc(q->progs, (q->n_progs + 1) * sizeof(*n));
	if (!n)
		return hermes__err(dev, -ENOMEM, "out of memory (hardware queue programs)");
	q->progs = n;
	if ((err = hermes__run_lock(dev, &lk)))
		return err;
	err = hermes__engine_acquire(dev, &lk, dev->info.engines, -1, CMD_TIMEOUT_MS, &e);
	if (!err) {
		err = hermes__slot_alloc(dev, e, HERMES_SLOT_PROG, slot);
		if (err > 0)
			err = hermes__err(dev, -ENOSPC, "no free program slot for a hardware queue program (status %d)",
					  err);
	}
	if (!err)
		err = h2c(q, dev->info.prog_slot_off + (uint64_t)*slot * dev->info.prog_slot_size, prog->image,
			  prog->image_len);
	hermes__run_unlock(dev, &lk);
	if (err)
		return err;
	q->progs[q->n_progs].prog = prog;
	q->progs[q->n_progs++].slot = *slot;
	return 0;
}

static int submit_locked(struct hermes_hwq *q, unsigned first, unsigned n);

int hermes_hwq_submit(struct hermes_hwq *q)
{
	struct hermes_engine_lock lk;
	unsigned n, first, i, idx;
	int err;

	if (!q)
		return -EINVAL;
	first = q->staged_from;
	n = (q->tail - first) & (q->entries - 1);
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		const struct hermes_hwq_job *j = &q->jobs[(first + i) & (q->entries - 1)];

		if (!j->prog || j->in_len > q->max_in || j->out_len > q->max_out || (j->in_len && !j->in) ||
		    (j->out_len && !j->out) || (j->flags & ~(HERMES_QF_LINK | HERMES_QF_DRAIN)))
			return hermes__err(q->dev, -EINVAL,
					   "hermes_hwq_submit: job %u of the batch is invalid (program, lengths up to %u/%u, buffers, flags)",
					   i, q->max_in, q->max_out);
	}
	/* Programs first: loading one takes an engine through the register path. */
	for (i = 0; i < n; i++) {
		unsigned slot;

		idx = (first + i) & (q->entries - 1);
		if (q->slot_of[idx] < 0 && (err = prog_slot(q, q->jobs[idx].prog, &slot)))
			return err;
	}
	if ((err = lock(q, &lk)))
		return err;
	err = submit_locked(q, first, n);
	hermes__run_unlock(q->dev, &lk);
	return err;
}

/* Entries and inputs of jobs [first, first + n) with one DMA, then the doorbell. */
static int submit_locked(struct hermes_hwq *q, unsigned first, unsigned n)
{
	unsigned i, idx, wrap;
	uint64_t lo, hi;
	int err;

	wrap = first + n > q->entries;
	lo = wrap ? 0 : (uint64_t)first * 64u;
	hi = 0;
	for (i = 0; i < n; i++) {
		struct hermes_hwq_job *j;
		struct hermes_hwq_sqe e = { 0 };
		uint64_t in_off;
		unsigned slot;

		idx = (first + i) & (q->entries - 1);
		j = &q->jobs[idx];
		if (q->slot_of[idx] >= 0)
			slot = (unsigned)q->slot_of[idx];
		else if ((err = prog_slot(q, j->prog, &slot)))
			return err;
		in_off = (uint64_t)q->entries * 64u + (uint64_t)idx * q->max_in;
		e.opcode = HERMES_QOP_RUN;
		e.flags = (uint8_t)j->flags;
		e.version = HERMES_QE_VERSION;
		e.prog_slot = (uint8_t)slot;
		e.budget = j->budget;
		e.prog_len = q->slot_of[idx] >= 0 ? q->code_len_of[idx] : (uint32_t)j->prog->code_len;
		e.data_len = q->data_len_of[idx];
		e.in_addr = q->sq_base + in_off;
		e.in_len = j->in_len;
		e.out_addr = q->out_base + (uint64_t)idx * q->max_out;
		e.out_len = j->out_len;
		e.user_tag = j->user_tag;
		memcpy(q->h2c + (size_t)idx * 64u, &e, sizeof(e));
		if (j->in_len)
			memcpy(q->h2c + in_off, j->in, j->in_len);
		if ((uint64_t)(idx + 1) * 64u > hi)
			hi = (uint64_t)(idx + 1) * 64u;
		if (in_off + j->in_len > hi)
			hi = in_off + j->in_len;
		q->done[idx] = q->seen[idx] = 0;
	}
	if ((err = h2c(q, q->sq_base + lo, q->h2c + lo, (size_t)(hi - lo))))
		return err;
	/* One write: the new SQ tail, and the CQ head as far as read (credit). */
	err = doorbell(q, HERMES_Q_SQTAIL, q->tail | 1u << 31 | q->cq_head << 16);
	if (err)
		return err;
	q->reported_n = q->collected_n;
	q->submitted_n += n;
	q->staged_from = q->tail;
	q->in_flight += n;
	q->st.submitted += n;
	return (int)n;
}

/* Read the CQ ring and the outputs in flight; queue what is new. Returns how many. */
static int collect(struct hermes_hwq *q)
{
	unsigned hi = q->entries, got = 0;
	size_t lo = 0, len;
	int err;

	/* Outputs of ring indices below the newest submitted, unless wrapped. */
	if (q->oldest < q->staged_from)
		hi = q->staged_from;
	/* Completions from the CQ head on, unless the ones in flight wrap past the ring's end. */
	if (q->cq_head + q->in_flight <= q->entries)
		lo = (size_t)q->cq_head * 64u;
	len = (size_t)q->entries * 64u + (size_t)hi * q->max_out - lo;
	if ((err = c2h(q, q->cq_base + lo, q->c2h + lo, len)))
		return err;
	for (;;) {
		struct hermes_hwq_cqe_wide w;
		struct hermes_hwq_cpl *p;
		unsigned idx;

		memcpy(&w, q->c2h + (size_t)q->cq_head * 64u, sizeof(w));
		if ((w.c.flags & HERMES_HWQ_CQE_PHASE) != q->phase)
			break;
		idx = w.c.sq_index & (q->entries - 1);
		p = &q->cpls[idx];
		p->user_tag = w.c.user_tag;
		p->r0 = w.c.r0;
		p->retired = w.c.retired;
		p->fault_pc = w.c.fault_pc;
		p->status = w.c.status;
		p->cause = w.c.cause;
		p->engine = w.engine == 0xff ? -1 : w.engine;
		p->cycles = w.cycles;
		p->fault_addr = w.fault_addr;
		if (q->jobs[idx].out_len)
			memcpy(q->jobs[idx].out, q->c2h + (size_t)q->entries * 64u + (size_t)idx * q->max_out,
			       q->jobs[idx].out_len);
		q->done[idx] = 1;
		q->ready[(q->ready_r + q->ready_n) % q->entries] = idx;
		q->ready_n++;
		q->in_flight--;
		q->st.completed++;
		q->cq_head = (q->cq_head + 1) & (q->entries - 1);
		if (!q->cq_head)
			q->phase ^= 1;
		q->collected_n++;
		got++;
	}
	return (int)got;
}

/*
 * The CQ head alone (Q_CQHEAD), only where the dispatcher could be held
 * back for want of it. It takes the k-th entry ever submitted only while
 * k < reported head + entries - 1 (the ring keeps one entry free). Every
 * entry was had through get_job while fewer than entries - 1 were unseen,
 * and seen <= read = the head the SQ tail doorbell of its batch reported,
 * so that never happens with the head riding on the SQ tail doorbells:
 * this is the rule's guard, not a cost paid per wake-up.
 */
static int credit(struct hermes_hwq *q)
{
	int err;

	if (q->submitted_n - q->reported_n <= q->entries - 1 || q->collected_n == q->reported_n)
		return 0;
	if ((err = doorbell(q, HERMES_Q_CQHEAD, q->cq_head)))
		return err;
	q->reported_n = q->collected_n;
	return 0;
}

static int take(struct hermes_hwq *q, struct hermes_hwq_cpl **cpl)
{
	*cpl = &q->cpls[q->ready[q->ready_r]];
	q->ready_r = (q->ready_r + 1) % q->entries;
	q->ready_n--;
	return 0;
}

int hermes_hwq_peek(struct hermes_hwq *q, struct hermes_hwq_cpl **cpl)
{
	struct hermes_engine_lock lk;
	int err;

	if (!q || !cpl)
		return -EINVAL;
	if (q->ready_n)
		return take(q, cpl);
	if (!q->in_flight)
		return -ENODATA;
	if ((err = lock(q, &lk)))
		return err;
	err = collect(q);
	hermes__run_unlock(q->dev, &lk);
	if (err < 0)
		return err;
	return q->ready_n ? take(q, cpl) : -EAGAIN;
}

int hermes_hwq_wait(struct hermes_hwq *q, struct hermes_hwq_cpl **cpl, unsigned timeout_ms)
{
	struct hermes_engine_lock lk;
	struct hermes_bus *bus;
	uint64_t deadline;
	int err = 0;

	if (!q || !cpl)
		return -EINVAL;
	if (q->ready_n)
		return take(q, cpl);
	if (!q->in_flight)
		return -ENODATA;
	bus = q->dev->bus;
	if ((err = lock(q, &lk)))
		return err;
	deadline = hermes__bus_now_us(bus) / 1000 + timeout_ms;
	while (!q->ready_n) {
		uint64_t now = hermes__bus_now_us(bus) / 1000;
		uint32_t pending = 0;
		unsigned slice;

		if ((err = credit(q)))
			break;
		if (now >= deadline) {
			/* One look before giving up (a wait of 0 ms is a poll). */
			if ((err = collect(q)) >= 0)
				err = -ETIMEDOUT;
			break;
		}
		/*
		 * Sleep on the queue's event. Nothing is missed by sleeping
		 * without a look first: every event taken was followed by a
		 * look, and completions after a look count toward the next
		 * event (N of them, or irq_clocks after the first). An events
		 * node (a card shared by processes, "xdma") is slept on in
		 * slices, each followed by a look: a safety net only.
		 */
		slice = (unsigned)(deadline - now);
		if (hermes__bus_shared(bus) && slice > EDGE_SLICE_MS)
			slice = EDGE_SLICE_MS;
		err = bus->ops->wait_irq(bus, 1u << (q->dev->hwq_first_irq + q->qn), slice, &pending);
		if (err && err != -ETIMEDOUT)
			break;
		/* One C2H DMA of the ring: the phase bits tell what is new. */
		if ((err = collect(q)) < 0)
			break;
		err = 0;
	}
	hermes__run_unlock(q->dev, &lk);
	if (err < 0 && !q->ready_n) {
		if (err == -ETIMEDOUT)
			hermes__err(q->dev, err, "hardware queue %u: no completion within %u ms", q->qn, timeout_ms);
		return err;
	}
	return take(q, cpl);
}

unsigned hermes_hwq_ready(const struct hermes_hwq *q)
{
	return q ? q->ready_n : 0;
}

void hermes_hwq_seen(struct hermes_hwq *q, struct hermes_hwq_cpl *cpl)
{
	unsigned idx;

	if (!q || !cpl || cpl < q->cpls || cpl >= q->cpls + q->entries)
		return;
	idx = (unsigned)(cpl - q->cpls);
	q->seen[idx] = 1;
	/* Ring indices come back oldest first. */
	while (q->used && q->done[q->oldest] && q->seen[q->oldest]) {
		q->done[q->oldest] = q->seen[q->oldest] = 0;
		q->oldest = (q->oldest + 1) & (q->entries - 1);
		q->used--;
	}
}

int hermes_hwq_get_stats(const struct hermes_hwq *q, struct hermes_hwq_stats *stats)
{
	size_t n;

	if (!q || !stats || stats->sz < sizeof(size_t))
		return -EINVAL;
	n = stats->sz < sizeof(*stats) ? stats->sz : sizeof(*stats);
	memcpy((char *)stats + sizeof(size_t), (const char *)&q->st + sizeof(size_t), n - sizeof(size_t));
	return 0;
}

/* ---- hermes_queue's use of a queue pair (queue.h); the caller holds the device ---- */

void queue__hwq_name_prog(struct hermes_hwq *q, struct hermes_hwq_job *j, unsigned slot, uint32_t code_len,
			  uint32_t data_len)
{
	unsigned idx = (unsigned)(j - q->jobs);

	q->slot_of[idx] = (int)slot;
	q->code_len_of[idx] = code_len;
	q->data_len_of[idx] = data_len;
}

int queue__hwq_submit(struct hermes_hwq *q)
{
	unsigned first = q->staged_from, n = (q->tail - first) & (q->entries - 1);

	return n ? submit_locked(q, first, n) : 0;
}

unsigned queue__hwq_irq(const struct hermes_hwq *q)
{
	return q->dev->hwq_first_irq + q->qn;
}

unsigned queue__hwq_in_flight(const struct hermes_hwq *q)
{
	return q->in_flight;
}

int queue__hwq_take(struct hermes_hwq *q, struct hermes_hwq_cpl **cpl)
{
	return q->ready_n ? take(q, cpl) : -EAGAIN;
}

int queue__hwq_collect(struct hermes_hwq *q)
{
	int err = q->in_flight ? collect(q) : 0;

	return err < 0 ? err : (int)q->ready_n;
}

/*
 * Before sleeping on the interrupt (as hermes_hwq_wait does): the CQ head
 * alone only where the card needs the credit (never in practice, credit()).
 */
int queue__hwq_before_sleep(struct hermes_hwq *q)
{
	int err;

	if (q->in_flight && (err = credit(q)))
		return err;
	return (int)q->ready_n;
}

/* After a sleep, whether the event came or the slice ended: one look at the ring. */
int queue__hwq_after_sleep(struct hermes_hwq *q)
{
	int err;

	if (!q->in_flight)
		return (int)q->ready_n;
	if ((err = collect(q)) < 0)
		return err;
	return (int)q->ready_n;
}

int queue__hwq_edge_sliced(const struct hermes_hwq *q)
{
	return hermes__bus_shared(q->dev->bus);
}

unsigned queue__hwq_room(const struct hermes_hwq *q)
{
	return q->entries - 1 - q->used;
}

int queue__hwq_disable(struct hermes_hwq *q)
{
	return hermes__bar0_write(q->dev, qreg(q, HERMES_Q_CTRL), 0);
}

int queue__hwq_drained(struct hermes_hwq *q)
{
	uint32_t stat;
	int err = hermes__bar0_read(q->dev, qreg(q, HERMES_Q_STAT), &stat);

	if (err)
		return err;
	/* Every entry taken has its completion written (Q_STAT: SQ head, CQ tail). */
	return (stat & 0xffff) == (stat >> 16);
}
