/* SPDX-License-Identifier: MIT */
/* card.c - the simulated card of xdma-fuse: lock, clock thread, interrupts, client cleanup. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "card.h"
#include "sim_io.h"

#define DEFAULT_CHUNK     500u
#define IDLE_CLOCKS       100u       /* per tick while only interrupt waiters exist */
#define IDLE_TICK_MS      20u
#define CMD_WAIT_CLOCKS   4000000ull /* bound for a cleanup command or an abort to finish */
#define DMA_TIMEOUT       50000000ull /* clocks: 0.2 s of card time, minutes of simulation */
#define INTERNAL_CMD_ID   0xFFFEu
#define RESET_WAIT_CLOCKS 50000000ull /* a card reset drains, resets and scrubs within this */

#define CTRL_BUSY  HERMES_CTRL_EXEC

struct slot_ref {
	uint8_t type, slot;
};

struct slot_list {
	struct slot_ref *v;
	unsigned n, cap;
};

struct shim_client {
	struct shim_client *next;
	unsigned id;
	struct slot_list slots; /* allocated through this handle and not released */
};

struct inflight {
	struct shim_client *cl; /* NULL: owner gone */
	uint8_t req[HERMES_EHCMDREQ_LEN];
};

struct shim_card {
	pthread_mutex_t lock;
	pthread_cond_t work;
	pthread_t thread;
	int started, stop;
	atomic_int contenders; /* client operations waiting for the lock */

	struct shim_card_cfg cfg;
	struct hermes_sim *sim;
	struct hermes_sim_io io; /* the XDMA driver's view of sim */
	struct hermes_xdma *xdma;
	struct hermes_dev *dev; /* error detail of the XDMA driver */
	unsigned engines, h2c, c2h;
	uint64_t bar4;

	uint32_t level;         /* user interrupt lines at the last look */
	uint32_t inflight_mask; /* engines running a command started through the user node */
	struct inflight inflight[SHIM_MAX_ENGINES];
	struct shim_client *done_owner[SHIM_MAX_ENGINES]; /* completed, not yet acknowledged */
	struct shim_client *clients;
	unsigned next_id;
	struct slot_list orphans; /* slots of closed clients still to release */
	struct shim_card_stats st;
};

static void shim_log(struct shim_card *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void shim_log(struct shim_card *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->cfg.verbose)
		return;
	va_start(ap, fmt);
	fputs("xdma-fuse: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- locking ------------------------------------------------------------ */

static void card_lock(struct shim_card *c)
{
	atomic_fetch_add(&c->contenders, 1);
	pthread_mutex_lock(&c->lock);
	atomic_fetch_sub(&c->contenders, 1);
}

static void card_unlock(struct shim_card *c)
{
	pthread_mutex_unlock(&c->lock);
}

/* ---- raw accesses (lock held) ----------------------------------------------- */

static int resp_err(int resp)
{
	if (resp == HERMES_SIM_OKAY)
		return 0;
	return resp == -ETIMEDOUT ? -ETIMEDOUT : -EIO;
}

static int rd0(struct shim_card *c, uint32_t off, uint32_t *v)
{
	return resp_err(hermes_sim_bar0_read(c->sim, off, v));
}

/*
 * Snooping a client's command (what it starts, whether it is done, what it
 * did) is not traffic a real card sees: no round trip is charged for it
 * (hermes_sim_bar0_snoop()). The shim's own commands use rd0/wr0.
 */
static int snoop0(struct shim_card *c, uint32_t off, uint32_t *v)
{
	return resp_err(hermes_sim_bar0_snoop(c->sim, off, v));
}

static int wr0(struct shim_card *c, uint32_t off, uint32_t v)
{
	return resp_err(hermes_sim_bar0_write(c->sim, off, v, 0xf));
}

/*
 * Hand user interrupt messages to the events nodes: every rise of a request
 * line since the last look, latched by the harness at the clock it happened
 * (a hardware queue's request is held only until the XDMA model's ack, a
 * few clocks: sampling the lines here would miss it).
 */
static void look_at_irqs(struct shim_card *c)
{
	uint32_t rising = hermes_sim_usr_events(c->sim, ~0u);

	c->level = hermes_sim_usr_irq(c->sim);
	if (rising && c->cfg.irq)
		c->cfg.irq(c->cfg.ctx, rising);
}

/* ---- slot bookkeeping ----------------------------------------------------- */

static int list_add(struct slot_list *l, unsigned type, unsigned slot)
{
	if (l->n == l->cap) {
		unsigned cap = l->cap ? 2 * l->cap : 16;
		struct slot_ref *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].type = (uint8_t)type;
	l->v[l->n].slot = (uint8_t)slot;
	l->n++;
	return 0;
}

static int list_del(struct slot_list *l, unsigned type, unsigned slot)
{
	for (unsigned i = 0; i < l->n; i++) {
		if (l->v[i].type == type && l->v[i].slot == slot) {
			l->v[i] = l->v[--l->n];
			return 1;
		}
	}
	return 0;
}

/* A slot was released (by anybody): nobody owns it any more. */
static void slot_released(struct shim_card *c, unsigned type, unsigned slot)
{
	for (struct shim_client *cl = c->clients; cl; cl = cl->next)
		if (list_del(&cl->slots, type, slot))
			return;
	list_del(&c->orphans, type, slot);
}

/* The command snooped on engine e finished: record what it did to slots. */
static int complete(struct shim_card *c, unsigned e)
{
	struct inflight *f = &c->inflight[e];
	uint8_t res[HERMES_EHCMDRES_LEN];
	uint32_t w;
	int err;

	for (unsigned i = 0; i < HERMES_EHCMDRES_LEN; i += 4) {
		if ((err = snoop0(c, HERMES_EHCMDRES(e) + i, &w)))
			return err;
		memcpy(res + i, &w, 4);
	}
	c->inflight_mask &= ~(1u << e);
	c->done_owner[e] = f->cl;
	if (res[2] != HERMES_ST_SUCCESS)
		return 0;
	if (f->req[0] == HERMES_CMD_REQ_SLOT) {
		if (f->cl) {
			if (list_add(&f->cl->slots, f->req[8], res[8]))
				shim_log(c, "out of memory recording slot %u", res[8]);
		} else if (list_add(&c->orphans, f->req[8], res[8]) == 0) {
			pthread_cond_signal(&c->work);
		}
	} else if (f->req[0] == HERMES_CMD_REL_SLOT) {
		slot_released(c, f->req[8], f->req[9]);
	}
	return 0;
}

/* If the snooped command on engine e has finished, record it. */
static int settle(struct shim_card *c, unsigned e)
{
	uint32_t ctrl;
	int err;

	if (!(c->inflight_mask & (1u << e)))
		return 0;
	if ((err = snoop0(c, HERMES_EHCMDCTRL(e), &ctrl)))
		return err;
	return (ctrl & CTRL_BUSY) ? 0 : complete(c, e);
}

static void settle_all(struct shim_card *c)
{
	for (unsigned e = 0; e < c->engines; e++)
		settle(c, e);
}

/* Clock until engine e is idle, at most max clocks. */
static int wait_idle(struct shim_card *c, unsigned e, uint64_t max)
{
	uint64_t t0 = hermes_sim_cycles(c->sim);
	uint32_t ctrl;
	int err;

	for (;;) {
		if ((err = rd0(c, HERMES_EHCMDCTRL(e), &ctrl)))
			return err;
		if (!(ctrl & CTRL_BUSY))
			return 0;
		if (hermes_sim_cycles(c->sim) - t0 > max)
			return -ETIMEDOUT;
		hermes_sim_run(c->sim, 50);
	}
}

/* Acknowledge DONE on engine e, keeping its interrupt enable. */
static int ack(struct shim_card *c, unsigned e)
{
	uint32_t ctrl;
	int err;

	if ((err = rd0(c, HERMES_EHCMDCTRL(e), &ctrl)))
		return err;
	if (!(ctrl & HERMES_CTRL_DONE))
		return 0;
	return wr0(c, HERMES_EHCMDCTRL(e), ctrl & HERMES_CTRL_IRQEN);
}

/*
 * Run one Release Slot on idle engine e on behalf of nobody: the engine's
 * request words are saved and restored around it (a client may be half way
 * through writing its own), its interrupt stays quiet (IRQ enable 0 while
 * it runs, restored with the acknowledgement).
 */
static int internal_release(struct shim_card *c, unsigned e, unsigned type, unsigned slot,
			    unsigned *status)
{
	uint32_t save[HERMES_EHCMDREQ_LEN / 4], ctrl, w;
	int err;

	for (unsigned i = 0; i < HERMES_EHCMDREQ_LEN / 4; i++)
		if ((err = rd0(c, HERMES_EHCMDREQ(e) + 4 * i, &save[i])))
			return err;
	if ((err = rd0(c, HERMES_EHCMDCTRL(e), &ctrl)))
		return err;
	for (unsigned i = 0; i < HERMES_EHCMDREQ_LEN / 4; i++) {
		w = i == 0 ? HERMES_CMD_REL_SLOT | INTERNAL_CMD_ID << 16 : i == 2 ? (type | slot << 8) : 0;
		if ((err = wr0(c, HERMES_EHCMDREQ(e) + 4 * i, w)))
			return err;
	}
	if ((err = wr0(c, HERMES_EHCMDCTRL(e), HERMES_CTRL_EXEC)) ||
	    (err = wait_idle(c, e, CMD_WAIT_CLOCKS)) ||
	    (err = rd0(c, HERMES_EHCMDRES(e), &w)))
		return err;
	*status = (w >> 16) & 0xff;
	if ((err = wr0(c, HERMES_EHCMDCTRL(e), ctrl & HERMES_CTRL_IRQEN)))
		return err;
	for (unsigned i = 0; i < HERMES_EHCMDREQ_LEN / 4; i++)
		if ((err = wr0(c, HERMES_EHCMDREQ(e) + 4 * i, save[i])))
			return err;
	return 0;
}

/* An engine with no command in flight and nothing left to acknowledge. */
static int free_engine(struct shim_card *c, unsigned *e)
{
	uint32_t ctrl;

	for (unsigned i = 0; i < c->engines; i++) {
		if (c->inflight_mask & (1u << i))
			continue;
		if (rd0(c, HERMES_EHCMDCTRL(i), &ctrl) || (ctrl & (CTRL_BUSY | HERMES_CTRL_DONE)))
			continue;
		*e = i;
		return 0;
	}
	return -EBUSY;
}

/* Give back the slots of closed clients, as far as an engine is free. */
static void release_orphans(struct shim_card *c)
{
	while (c->orphans.n) {
		struct slot_ref s = c->orphans.v[c->orphans.n - 1];
		unsigned e, status = 0;
		int err;

		if (free_engine(c, &e))
			return;
		err = internal_release(c, e, s.type, s.slot, &status);
		if (err) {
			shim_log(c, "releasing %s slot %u of a closed client on engine %u: %s",
			     s.type ? "data" : "program", s.slot, e, strerror(-err));
			return;
		}
		c->orphans.n--;
		if (status == HERMES_ST_SUCCESS)
			c->st.slots_recovered++;
		shim_log(c, "released %s slot %u of a closed client through engine %u (status %u)",
		     s.type ? "data" : "program", s.slot, e, status);
	}
}

/* ---- clock thread ----------------------------------------------------------- */

static void add_ms(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += (long)ms * 1000000L;
	ts->tv_sec += ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

static void *clock_main(void *arg)
{
	struct shim_card *c = arg;

	card_lock(c);
	while (!c->stop) {
		uint64_t t0 = hermes_sim_cycles(c->sim);

		if (c->inflight_mask || c->orphans.n) {
			/* Stop early when a running engine raises its interrupt. */
			uint32_t mask = c->inflight_mask & ~c->level;

			if (mask)
				hermes_sim_wait_irq(c->sim, mask, 0, c->cfg.chunk, NULL, NULL);
			else
				hermes_sim_run(c->sim, c->cfg.chunk);
			settle_all(c);
			release_orphans(c);
			look_at_irqs(c);
			c->st.clock_thread_cycles += hermes_sim_cycles(c->sim) - t0;
			card_unlock(c);
			/* Let waiting client operations in between chunks. */
			while (atomic_load(&c->contenders))
				sched_yield();
			card_lock(c);
		} else if (c->cfg.waiting && c->cfg.waiting(c->cfg.ctx) > 0) {
			struct timespec ts;

			hermes_sim_run(c->sim, IDLE_CLOCKS);
			look_at_irqs(c);
			c->st.clock_thread_cycles += hermes_sim_cycles(c->sim) - t0;
			add_ms(&ts, IDLE_TICK_MS);
			pthread_cond_timedwait(&c->work, &c->lock, &ts);
		} else {
			pthread_cond_wait(&c->work, &c->lock);
		}
	}
	card_unlock(c);
	return NULL;
}

/* ---- public ------------------------------------------------------------------- */

static int read_geometry(struct shim_card *c)
{
	uint32_t eng, psoff, pssz, dsoff, dssz, caps, qoff = 0, qsz = 0, msoff = 0, mssz = 0;
	uint64_t p, d;
	int err;

	if ((err = rd0(c, HERMES_EHENG, &eng)) || (err = rd0(c, HERMES_EHPSOFF, &psoff)) ||
	    (err = rd0(c, HERMES_EHPSSZE, &pssz)) || (err = rd0(c, HERMES_EHDSOFF, &dsoff)) ||
	    (err = rd0(c, HERMES_EHDSSZE, &dssz)) || (err = rd0(c, HERMES_EHCAP, &caps)))
		return err;
	/* BAR4 goes on past the slots with the hardware queues' region. */
	if ((caps & HERMES_CAP_HWQUEUE) &&
	    ((err = rd0(c, HERMES_EHQOFF, &qoff)) || (err = rd0(c, HERMES_EHQSZE, &qsz))))
		return err;
	/* ... and ends with the map slots, one per program slot. */
	if ((caps & HERMES_CAP_MAPS) &&
	    ((err = rd0(c, HERMES_EHMSOFF, &msoff)) || (err = rd0(c, HERMES_EHMSSZE, &mssz))))
		return err;
	c->engines = eng & 0xff;
	if (c->engines > SHIM_MAX_ENGINES)
		c->engines = SHIM_MAX_ENGINES;
	p = psoff + (uint64_t)((eng >> 8) & 0xff) * pssz;
	d = dsoff + (uint64_t)((eng >> 16) & 0xff) * dssz;
	c->bar4 = p > d ? p : d;
	if (qsz && (uint64_t)qoff + qsz > c->bar4)
		c->bar4 = (uint64_t)qoff + qsz;
	if (mssz && (uint64_t)msoff + ((eng >> 8) & 0xff) * (uint64_t)mssz > c->bar4)
		c->bar4 = (uint64_t)msoff + ((eng >> 8) & 0xff) * (uint64_t)mssz;
	return 0;
}

int shim_card_new(const struct shim_card_cfg *cfg, struct shim_card **cp, char *errbuf, size_t errlen)
{
	struct hermes_sim_config sc = { .sim = { .sz = sizeof(sc.sim) },
					.xdma = { .sz = sizeof(sc.xdma), .timeout_cycles = DMA_TIMEOUT },
					.cost = HERMES_SIM_COST_PCIE };
	struct hermes_xdma_io io;
	struct shim_card *c;
	int err;

	if ((err = hermes__sim_config_parse(NULL, cfg->sim_opts, "in --sim", &sc))) {
		snprintf(errbuf, errlen, "%s", hermes_dev_errmsg(NULL));
		return err;
	}
	err = sc.trace || sc.trace_window ? -EINVAL : 0;
	hermes__sim_config_free(&sc);
	if (err) {
		snprintf(errbuf, errlen, "--sim: xdma-fuse writes no waveform (trace is for 'hermes -d sim:trace=FILE')");
		return err;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->cfg = *cfg;
	if (!c->cfg.chunk)
		c->cfg.chunk = DEFAULT_CHUNK;
	pthread_mutex_init(&c->lock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&c->work, &ca);
		pthread_condattr_destroy(&ca);
	}
	c->dev = calloc(1, sizeof(*c->dev));
	sc.sim.cost = &sc.cost;
	c->sim = c->dev ? hermes_sim_new(&sc.sim) : NULL;
	if (!c->sim) {
		snprintf(errbuf, errlen, "cannot create the simulated card (out of memory)");
		shim_card_free(c);
		return -ENOMEM;
	}
	if ((err = read_geometry(c))) {
		snprintf(errbuf, errlen, "the simulated card does not answer on BAR0: %s", strerror(-err));
		shim_card_free(c);
		return err;
	}
	c->io.sim = c->sim;
	c->io.dev = c->dev;
	hermes__sim_xdma_io(&c->io, &io);
	if ((err = hermes_xdma_open(c->dev, &io, &sc.xdma, &c->xdma))) {
		snprintf(errbuf, errlen, "XDMA driver: %s", c->dev->errmsg);
		shim_card_free(c);
		return err;
	}
	c->h2c = hermes_xdma_h2c_channels(c->xdma);
	c->c2h = hermes_xdma_c2h_channels(c->xdma);
	c->level = hermes_sim_usr_irq(c->sim);
	hermes_sim_usr_events(c->sim, ~0u);
	*cp = c;
	return 0;
}

int shim_card_start(struct shim_card *c)
{
	sigset_t all, old;
	int err;

	/*
	 * The clock thread takes no signals: SIGTERM and friends must reach the
	 * thread of the FUSE loop (libfuse's workers block them too), or the
	 * loop would not notice that it should end.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&c->thread, NULL, clock_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	if (err)
		return -err;
	c->started = 1;
	return 0;
}

void shim_card_free(struct shim_card *c)
{
	if (!c)
		return;
	if (c->started) {
		card_lock(c);
		c->stop = 1;
		pthread_cond_signal(&c->work);
		card_unlock(c);
		pthread_join(c->thread, NULL);
	}
	while (c->clients) {
		struct shim_client *cl = c->clients;

		c->clients = cl->next;
		free(cl->slots.v);
		free(cl);
	}
	free(c->orphans.v);
	if (c->xdma)
		hermes_xdma_close(c->xdma);
	hermes_sim_free(c->sim);
	free(c->dev);
	pthread_cond_destroy(&c->work);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

unsigned shim_card_engines(const struct shim_card *c) { return c->engines; }
unsigned shim_card_h2c(const struct shim_card *c) { return c->h2c; }
unsigned shim_card_c2h(const struct shim_card *c) { return c->c2h; }
uint64_t shim_card_bar4_size(const struct shim_card *c) { return c->bar4; }

void shim_card_stats(struct shim_card *c, struct shim_card_stats *st)
{
	card_lock(c);
	*st = c->st;
	st->cycles = hermes_sim_cycles(c->sim);
	card_unlock(c);
}

int shim_card_bar0_read(struct shim_card *c, uint32_t off, uint32_t *val)
{
	int err;

	card_lock(c);
	err = rd0(c, off, val);
	look_at_irqs(c);
	card_unlock(c);
	return err;
}

/*
 * The key was written to EHRESET (by any client): the card freed every slot
 * and ended every command. Nobody owns anything any more, so closing an old
 * client must not release slots a new client may hold by then. The card is
 * clocked through its reset here, at once, rather than one poll at a time.
 */
static void card_was_reset(struct shim_card *c)
{
	uint64_t t0 = hermes_sim_cycles(c->sim);
	uint32_t v = HERMES_RESET_BUSY;

	for (struct shim_client *cl = c->clients; cl; cl = cl->next)
		cl->slots.n = 0;
	c->orphans.n = 0;
	c->inflight_mask = 0;
	for (unsigned e = 0; e < c->engines; e++) {
		c->inflight[e].cl = NULL;
		c->done_owner[e] = NULL;
	}
	c->st.resets++;
	while (rd0(c, HERMES_EHRESET, &v) == 0 && (v & HERMES_RESET_BUSY) &&
	       hermes_sim_cycles(c->sim) - t0 < RESET_WAIT_CLOCKS)
		hermes_sim_run(c->sim, c->cfg.chunk);
	shim_log(c, "card reset: every slot and command forgotten (%llu clocks%s)",
		 (unsigned long long)(hermes_sim_cycles(c->sim) - t0),
		 (v & HERMES_RESET_BUSY) ? ", still busy" : "");
}

/* EHCMDCTRL word 0 of engine *e? */
static int is_ctrl(const struct shim_card *c, uint32_t off, unsigned *e)
{
	if (off < HERMES_EHCMDCTRL_BASE || (off - HERMES_EHCMDCTRL_BASE) % HERMES_EHCMDCTRL_STRIDE)
		return 0;
	*e = (off - HERMES_EHCMDCTRL_BASE) / HERMES_EHCMDCTRL_STRIDE;
	return *e < c->engines;
}

int shim_card_bar0_write(struct shim_card *c, struct shim_client *cl, uint32_t off, uint32_t val)
{
	uint8_t req[HERMES_EHCMDREQ_LEN];
	int starts = 0, err;
	unsigned e;

	card_lock(c);
	if (is_ctrl(c, off, &e)) {
		uint32_t ctrl, w;

		/* Whatever ran before is finished before this write changes anything. */
		settle(c, e);
		if ((val & HERMES_CTRL_EXEC) && snoop0(c, HERMES_EHCMDCTRL(e), &ctrl) == 0 && !(ctrl & CTRL_BUSY)) {
			starts = 1;
			for (unsigned i = 0; i < HERMES_EHCMDREQ_LEN && starts; i += 4) {
				if (snoop0(c, HERMES_EHCMDREQ(e) + i, &w))
					starts = 0;
				memcpy(req + i, &w, 4);
			}
		}
	}
	err = wr0(c, off, val);
	if (!err && off == HERMES_EHRESET)
		card_was_reset(c);
	if (!err && is_ctrl(c, off, &e)) {
		if (starts) {
			c->inflight[e].cl = cl;
			memcpy(c->inflight[e].req, req, sizeof(req));
			c->inflight_mask |= 1u << e;
			c->done_owner[e] = NULL;
			c->st.cmds_tracked++;
			pthread_cond_signal(&c->work);
		} else if (!(val & HERMES_CTRL_DONE)) {
			c->done_owner[e] = NULL; /* acknowledged */
		}
	}
	look_at_irqs(c);
	card_unlock(c);
	return err;
}

int shim_card_bar2_read(struct shim_card *c, uint32_t off, uint32_t *val)
{
	int err;

	card_lock(c);
	err = resp_err(hermes_sim_bar2_read(c->sim, off, val));
	look_at_irqs(c);
	card_unlock(c);
	return err;
}

int shim_card_bar2_write(struct shim_card *c, uint32_t off, uint32_t val)
{
	int err;

	card_lock(c);
	err = resp_err(hermes_sim_bar2_write(c->sim, off, val, 0xf));
	look_at_irqs(c);
	card_unlock(c);
	return err;
}

int shim_card_dma(struct shim_card *c, int c2h, unsigned chan, uint64_t addr, void *buf, size_t len)
{
	int err;

	card_lock(c);
	if (addr > c->bar4 || len > c->bar4 - addr) {
		/* The card would answer with a DMA error; say so without running it. */
		err = -EFAULT;
	} else {
		err = c2h ? hermes_xdma_read(c->xdma, chan, addr, buf, len, NULL)
			  : hermes_xdma_write(c->xdma, chan, addr, buf, len, NULL);
		if (err)
			shim_log(c, "%s of %zu bytes at 0x%llx: %s", c2h ? "C2H" : "H2C", len,
			     (unsigned long long)addr, c->dev->errmsg);
	}
	look_at_irqs(c);
	card_unlock(c);
	return err;
}

void shim_card_kick(struct shim_card *c)
{
	card_lock(c);
	pthread_cond_signal(&c->work);
	card_unlock(c);
}

struct shim_client *shim_card_client_new(struct shim_card *c)
{
	struct shim_client *cl = calloc(1, sizeof(*cl));

	if (!cl)
		return NULL;
	card_lock(c);
	cl->id = ++c->next_id;
	cl->next = c->clients;
	c->clients = cl;
	c->st.clients++;
	card_unlock(c);
	return cl;
}

void shim_card_client_release(struct shim_card *c, struct shim_client *cl)
{
	struct shim_client **pp;

	card_lock(c);
	for (unsigned e = 0; e < c->engines; e++) {
		struct inflight *f = &c->inflight[e];
		uint32_t ctrl = 0;

		settle(c, e);
		if ((c->inflight_mask & (1u << e)) && f->cl == cl) {
			if (f->req[0] == HERMES_CMD_RUN && rd0(c, HERMES_EHCMDCTRL(e), &ctrl) == 0) {
				wr0(c, HERMES_EHCMDCTRL(e), (ctrl & HERMES_CTRL_IRQEN) | HERMES_CTRL_ABORT);
				c->st.runs_aborted++;
				shim_log(c, "client %u closed while engine %u ran its program: aborted", cl->id, e);
			}
			if (wait_idle(c, e, CMD_WAIT_CLOCKS) == 0) {
				complete(c, e);
			} else {
				/* Still running: whatever it allocates becomes an orphan. */
				f->cl = NULL;
				shim_log(c, "engine %u does not finish the command of closed client %u", e, cl->id);
			}
		}
		if (c->done_owner[e] == cl) {
			ack(c, e);
			c->done_owner[e] = NULL;
		}
	}
	for (unsigned i = 0; i < cl->slots.n; i++)
		list_add(&c->orphans, cl->slots.v[i].type, cl->slots.v[i].slot);
	if (cl->slots.n)
		shim_log(c, "client %u closed holding %u slots", cl->id, cl->slots.n);
	release_orphans(c);
	for (pp = &c->clients; *pp; pp = &(*pp)->next) {
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	}
	c->st.clients--;
	free(cl->slots.v);
	free(cl);
	look_at_irqs(c);
	if (c->orphans.n)
		pthread_cond_signal(&c->work);
	card_unlock(c);
}
