/* SPDX-License-Identifier: MIT */
/*
 * hermes_sim.c - the simulated card: reset, clocking, the BAR0/BAR2
 * AXI-Lite masters and the PCIe cost model (posted writes, read round trips).
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hermes_sim.h"
#include "hostmem.h"

#define RESET_CLOCKS 8
#define POSTED_MAX   64u /* posted writes in flight; the host waits beyond */

/* The plain or the trace-enabled model (hermes_model.h), chosen per card. */
struct model_fns {
	void (*cycle)(struct hermes_model *m, struct hermes_pins *p);
	void (*free)(struct hermes_model *m);
	unsigned (*engines)(const struct hermes_model *m);
};

static const struct model_fns plain_model = {
	hermes_model_cycle, hermes_model_free, hermes_model_engines,
};

static const struct model_fns traced_model = {
	hermes_model_trace_cycle, hermes_model_trace_free, hermes_model_trace_engines,
};

#ifndef HERMES_SIM_TRACE_MODEL
/* Built without the traced model (-DHERMES_TRACE_MODEL=OFF): never selected. */
int hermes_model_trace_available(void) { return 0; }
struct hermes_model *hermes_model_trace_new(const struct hermes_model_trace *t) { (void)t; return NULL; }
unsigned hermes_model_trace_engines(const struct hermes_model *m) { (void)m; return 0; }
void hermes_model_trace_free(struct hermes_model *m) { (void)m; }
void hermes_model_trace_cycle(struct hermes_model *m, struct hermes_pins *p) { (void)m; (void)p; }
#endif

int hermes_sim_trace_available(void)
{
	return hermes_model_trace_available();
}

/* A posted BAR write on its way to the card. */
struct posted {
	uint64_t due;    /* clock at which the card may see it */
	uint32_t off, val;
	uint8_t bar, strb;
};

/* The AXI-Lite pins of BAR0 or BAR2. */
struct lite_pins {
	uint16_t *awaddr, *araddr;
	uint8_t *awvalid, *wvalid, *bready, *arvalid, *rready, *wstrb;
	uint32_t *wdata, *rdata;
	uint8_t *awready, *wready, *bresp, *bvalid, *arready, *rresp, *rvalid;
};

struct hermes_sim {
	struct hermes_model *model;
	const struct model_fns *fns;
	struct hermes_hostmem *hostmem;
	struct hermes_pins pins;
	uint64_t cycles;
	hermes_sim_retire_fn on_retire;
	void *on_retire_ctx;
	struct hermes_sim_cost cost;
	int posted_mode;             /* BAR writes are posted */
	struct hermes_sim_mmio mmio;
	/* Posted writes: a ring, the head one being delivered when pw_phase. */
	struct posted pw[POSTED_MAX];
	unsigned pw_head, pw_count;
	int pw_phase;                /* 0 idle, 1 address/data, 2 response */
	unsigned pw_clocks;          /* clocks the head write has been on the bus */
	int pw_first_err;            /* first non-OKAY answer since the last flush */
	uint32_t usr_prev;           /* user request lines at the last clock */
	uint32_t usr_events;         /* their rises not yet taken (hermes_sim_usr_events) */
	uint32_t edge_mask;          /* vectors that are events: the hardware queues' */
	uint64_t usr_count[32];      /* interrupts sent per vector since the model was made */
};

static struct lite_pins lite(struct hermes_pins *p, int bar);
static void posted_pre(struct hermes_sim *sim);
static void posted_post(struct hermes_sim *sim);

static void report_retires(struct hermes_sim *sim)
{
	struct hermes_sim_retire r;

	for (unsigned e = 0; sim->pins.rvfi_valid >> e; e++) {
		if (!((sim->pins.rvfi_valid >> e) & 1))
			continue;
		r.engine = e;
		r.cycle = sim->cycles;
		r.rec = &sim->pins.rvfi[e];
		sim->on_retire(sim->on_retire_ctx, &r);
	}
}

void hermes_sim_cycle(struct hermes_sim *sim)
{
	if (sim->pw_count)
		posted_pre(sim);
	hermes_hostmem_drive(sim->hostmem, &sim->pins);
	sim->fns->cycle(sim->model, &sim->pins);
	hermes_hostmem_clock(sim->hostmem, &sim->pins);
	if (sim->pw_phase)
		posted_post(sim);
	if (sim->on_retire && sim->pins.rvfi_valid)
		report_retires(sim);
	/* Engines: rises of their levels; queues: the messages the XDMA model sent. */
	{
		uint32_t ev = (sim->pins.usr_irq & ~sim->usr_prev & ~sim->edge_mask) |
			      (sim->pins.usr_irq_ack & sim->edge_mask);

		sim->usr_prev = sim->pins.usr_irq;
		if (ev) {
			sim->usr_events |= ev;
			for (unsigned v = 0; v < 32; v++)
				sim->usr_count[v] += ev >> v & 1;
		}
	}
	sim->cycles++;
}

unsigned hermes_sim_engines(const struct hermes_sim *sim)
{
	return sim->fns->engines(sim->model);
}

void hermes_sim_on_retire(struct hermes_sim *sim, hermes_sim_retire_fn fn, void *ctx)
{
	sim->on_retire = fn;
	sim->on_retire_ctx = ctx;
}

struct hermes_pins *hermes_sim_pins(struct hermes_sim *sim)
{
	return &sim->pins;
}

void hermes_sim_run(struct hermes_sim *sim, uint64_t n)
{
	while (n--)
		hermes_sim_cycle(sim);
}

void hermes_sim_reset(struct hermes_sim *sim)
{
	struct hermes_pins *p = &sim->pins;

	memset(p, 0, sizeof(*p));
	sim->pw_head = sim->pw_count = 0;
	sim->pw_phase = 0;
	sim->pw_first_err = 0;
	hermes_hostmem_reset(sim->hostmem);
	p->rst_n = 0;
	hermes_sim_run(sim, RESET_CLOCKS);
	p->rst_n = 1;
	hermes_sim_run(sim, 1);
	sim->usr_prev = p->usr_irq;
	sim->usr_events = 0;
}

struct hermes_sim *hermes_sim_new(const struct hermes_sim_opts *opts)
{
	struct hermes_sim *sim = calloc(1, sizeof(*sim));
	const struct hermes_sim_cost pcie = HERMES_SIM_COST_PCIE;
	struct hermes_hostmem_cfg hc = {
		.base = HERMES_HOSTMEM_DEFAULT_BASE,
		.size = HERMES_HOSTMEM_DEFAULT_SIZE,
		.rd_latency = HERMES_HOSTMEM_DEFAULT_RD_LATENCY,
		.max_reads = HERMES_HOSTMEM_DEFAULT_MAX_READS,
		.wr_latency = HERMES_HOSTMEM_DEFAULT_WR_LATENCY,
	};

	if (!sim)
		return NULL;
	sim->cost = pcie;
	if (opts && opts->sz >= offsetof(struct hermes_sim_opts, cost) + sizeof(opts->cost) && opts->cost)
		sim->cost = *opts->cost;
	if (sim->cost.host_latency)
		hc.rd_latency = sim->cost.host_latency;
	hc.link_mbps = sim->cost.link_mbps;
	if (opts && opts->sz >= offsetof(struct hermes_sim_opts, host_wr_latency) +
					sizeof(opts->host_wr_latency)) {
		if (opts->host_mem_size)
			hc.size = opts->host_mem_size;
		if (opts->host_rd_latency)
			hc.rd_latency = opts->host_rd_latency;
		if (opts->host_max_reads)
			hc.max_reads = opts->host_max_reads;
		if (opts->host_wr_latency)
			hc.wr_latency = opts->host_wr_latency;
	}
	sim->cost.host_latency = hc.rd_latency;
	sim->posted_mode = sim->cost.bar_write || sim->cost.bar_write_delay;
	sim->hostmem = hermes_hostmem_new(&hc);
	sim->fns = &plain_model;
	if (opts && opts->sz >= offsetof(struct hermes_sim_opts, trace_end) + sizeof(opts->trace_end) &&
	    opts->trace_path) {
		struct hermes_model_trace t = {
			.path = opts->trace_path, .start = opts->trace_start, .end = opts->trace_end,
		};

		sim->fns = &traced_model;
		sim->model = sim->hostmem ? hermes_model_trace_new(&t) : NULL;
	} else {
		sim->model = sim->hostmem ? hermes_model_new() : NULL;
	}
	if (!sim->model) {
		hermes_hostmem_free(sim->hostmem);
		free(sim);
		return NULL;
	}
	/* Vectors from the engines' count up are the hardware queues' events. */
	sim->edge_mask = sim->fns->engines(sim->model) >= 32 ? 0 : ~0u << sim->fns->engines(sim->model);
	hermes_sim_reset(sim);
	return sim;
}

void hermes_sim_free(struct hermes_sim *sim)
{
	if (!sim)
		return;
	sim->fns->free(sim->model);
	hermes_hostmem_free(sim->hostmem);
	free(sim);
}

uint64_t hermes_sim_cycles(const struct hermes_sim *sim)
{
	return sim->cycles;
}

uint32_t hermes_sim_usr_irq(const struct hermes_sim *sim)
{
	return sim->pins.usr_irq;
}

uint64_t hermes_sim_usr_irq_count(const struct hermes_sim *sim, unsigned vector)
{
	return vector < 32 ? sim->usr_count[vector] : 0;
}

uint32_t hermes_sim_usr_events(struct hermes_sim *sim, uint32_t mask)
{
	uint32_t ev = sim->usr_events & mask;

	sim->usr_events &= ~mask;
	return ev;
}

static struct lite_pins lite(struct hermes_pins *p, int bar)
{
	struct lite_pins l;

#define LITE(b) do { \
		l.awaddr = &p->b##_awaddr; l.araddr = &p->b##_araddr; \
		l.awvalid = &p->b##_awvalid; l.wvalid = &p->b##_wvalid; \
		l.bready = &p->b##_bready; l.arvalid = &p->b##_arvalid; \
		l.rready = &p->b##_rready; l.wstrb = &p->b##_wstrb; \
		l.wdata = &p->b##_wdata; l.rdata = &p->b##_rdata; \
		l.awready = &p->b##_awready; l.wready = &p->b##_wready; \
		l.bresp = &p->b##_bresp; l.bvalid = &p->b##_bvalid; \
		l.arready = &p->b##_arready; l.rresp = &p->b##_rresp; \
		l.rvalid = &p->b##_rvalid; \
	} while (0)
	if (bar == 2)
		LITE(bar2);
	else
		LITE(bar0);
#undef LITE
	return l;
}

static int lite_read_raw(struct hermes_sim *sim, int bar, uint32_t off, uint32_t *val)
{
	struct lite_pins l = lite(&sim->pins, bar);
	unsigned t;

	*l.araddr = (uint16_t)off;
	*l.arvalid = 1;
	*l.rready = 1;
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT; t++) {
		hermes_sim_cycle(sim);
		if (*l.arready)
			break;
	}
	*l.arvalid = 0;
	if (t == HERMES_SIM_BAR_TIMEOUT) {
		*l.rready = 0;
		return -ETIMEDOUT;
	}
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT; t++) {
		hermes_sim_cycle(sim);
		if (*l.rvalid) {
			*l.rready = 0;
			*val = *l.rdata;
			return *l.rresp;
		}
	}
	*l.rready = 0;
	return -ETIMEDOUT;
}

static int lite_write_raw(struct hermes_sim *sim, int bar, uint32_t off, uint32_t val, unsigned strb)
{
	struct lite_pins l = lite(&sim->pins, bar);
	unsigned t;

	*l.awaddr = (uint16_t)off;
	*l.awvalid = 1;
	*l.wdata = val;
	*l.wstrb = (uint8_t)strb;
	*l.wvalid = 1;
	*l.bready = 1;
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT && (*l.awvalid || *l.wvalid); t++) {
		hermes_sim_cycle(sim);
		if (*l.awready)
			*l.awvalid = 0;
		if (*l.wready)
			*l.wvalid = 0;
	}
	if (*l.awvalid || *l.wvalid) {
		*l.awvalid = *l.wvalid = *l.bready = 0;
		return -ETIMEDOUT;
	}
	for (t = 0; t < HERMES_SIM_BAR_TIMEOUT; t++) {
		hermes_sim_cycle(sim);
		if (*l.bvalid) {
			*l.bready = 0;
			return *l.bresp;
		}
	}
	*l.bready = 0;
	return -ETIMEDOUT;
}

/* ---- posted writes: delivered in the background, one at a time ---- */

static void posted_pre(struct hermes_sim *sim)
{
	const struct posted *w = &sim->pw[sim->pw_head];
	struct lite_pins l;

	if (sim->pw_phase || sim->cycles < w->due)
		return;
	l = lite(&sim->pins, w->bar);
	*l.awaddr = (uint16_t)w->off;
	*l.awvalid = 1;
	*l.wdata = w->val;
	*l.wstrb = w->strb;
	*l.wvalid = 1;
	*l.bready = 1;
	sim->pw_phase = 1;
	sim->pw_clocks = 0;
}

static void posted_done(struct hermes_sim *sim, int resp)
{
	struct lite_pins l = lite(&sim->pins, sim->pw[sim->pw_head].bar);

	*l.awvalid = *l.wvalid = *l.bready = 0;
	if (resp != HERMES_SIM_OKAY) {
		sim->mmio.posted_errors++;
		if (!sim->pw_first_err)
			sim->pw_first_err = resp;
	}
	sim->pw_head = (sim->pw_head + 1) % POSTED_MAX;
	sim->pw_count--;
	sim->pw_phase = 0;
}

static void posted_post(struct hermes_sim *sim)
{
	struct lite_pins l = lite(&sim->pins, sim->pw[sim->pw_head].bar);

	if (++sim->pw_clocks > HERMES_SIM_BAR_TIMEOUT) {
		posted_done(sim, -ETIMEDOUT);
		return;
	}
	if (sim->pw_phase == 1) {
		if (*l.awready)
			*l.awvalid = 0;
		if (*l.wready)
			*l.wvalid = 0;
		if (!*l.awvalid && !*l.wvalid)
			sim->pw_phase = 2;
	} else if (*l.bvalid) {
		posted_done(sim, *l.bresp);
	}
}

/* Clock the card until every posted write has reached it. */
static void posted_land(struct hermes_sim *sim)
{
	while (sim->pw_count)
		hermes_sim_cycle(sim);
}

int hermes_sim_flush(struct hermes_sim *sim)
{
	int err;

	posted_land(sim);
	err = sim->pw_first_err;
	sim->pw_first_err = 0;
	return err;
}

/* Read: half the round trip out (after the posted writes before it), the
 * card's handshake, the other half back. */
static int lite_read(struct hermes_sim *sim, int bar, uint32_t off, uint32_t *val)
{
	uint64_t arrive = sim->cycles + sim->cost.bar_read / 2;
	int resp;

	if (bar == 2)
		sim->mmio.bar2_reads++;
	else
		sim->mmio.bar0_reads++;
	while (sim->cycles < arrive || sim->pw_count)
		hermes_sim_cycle(sim);
	resp = lite_read_raw(sim, bar, off, val);
	hermes_sim_run(sim, sim->cost.bar_read - sim->cost.bar_read / 2);
	return resp;
}

static int lite_write(struct hermes_sim *sim, int bar, uint32_t off, uint32_t val, unsigned strb)
{
	struct posted *w;

	if (bar == 2)
		sim->mmio.bar2_writes++;
	else
		sim->mmio.bar0_writes++;
	if (!sim->posted_mode)
		return lite_write_raw(sim, bar, off, val, strb);
	/* A full queue of writes in flight holds the host back, as credits would. */
	while (sim->pw_count == POSTED_MAX)
		hermes_sim_cycle(sim);
	w = &sim->pw[(sim->pw_head + sim->pw_count) % POSTED_MAX];
	w->due = sim->cycles + sim->cost.bar_write_delay;
	w->off = off;
	w->val = val;
	w->strb = (uint8_t)strb;
	w->bar = (uint8_t)bar;
	sim->pw_count++;
	hermes_sim_run(sim, sim->cost.bar_write);
	return HERMES_SIM_OKAY;
}

int hermes_sim_bar0_read(struct hermes_sim *sim, uint32_t off, uint32_t *val)
{
	return lite_read(sim, 0, off, val);
}

int hermes_sim_bar0_snoop(struct hermes_sim *sim, uint32_t off, uint32_t *val)
{
	posted_land(sim);
	return lite_read_raw(sim, 0, off, val);
}

int hermes_sim_bar0_write(struct hermes_sim *sim, uint32_t off, uint32_t val, unsigned strb)
{
	return lite_write(sim, 0, off, val, strb);
}

int hermes_sim_bar2_read(struct hermes_sim *sim, uint32_t off, uint32_t *val)
{
	return lite_read(sim, 2, off, val);
}

int hermes_sim_bar2_write(struct hermes_sim *sim, uint32_t off, uint32_t val, unsigned strb)
{
	return lite_write(sim, 2, off, val, strb);
}

uint32_t hermes_sim_chan_irq(const struct hermes_sim *sim)
{
	return sim->pins.chan_irq;
}

int hermes_sim_wait_irq(struct hermes_sim *sim, uint32_t usr_mask, uint32_t chan_mask,
			uint64_t max_cycles, uint32_t *usr, uint32_t *chan)
{
	uint64_t n = 0;

	/*
	 * Engines' interrupt lines are levels, queues' are events whose rises
	 * are latched every clock; the host's writes still on their way
	 * (an acknowledge, a new EXEC) reach the card first, so a level seen
	 * here never predates them. The clocks this takes count as waiting.
	 */
	while (sim->pw_count && n < max_cycles) {
		hermes_sim_cycle(sim);
		n++;
	}
	for (;;) {
		uint32_t u = ((sim->pins.usr_irq & ~sim->edge_mask) | (sim->usr_events & sim->edge_mask)) & usr_mask;
		uint32_t c = sim->pins.chan_irq & chan_mask;

		if (u || c) {
			sim->usr_events &= ~(u & sim->edge_mask);
			if (usr)
				*usr = u;
			if (chan)
				*chan = c;
			return 0;
		}
		if (n++ >= max_cycles)
			break;
		hermes_sim_cycle(sim);
	}
	if (usr)
		*usr = 0;
	if (chan)
		*chan = 0;
	return -ETIMEDOUT;
}

struct hermes_hostmem *hermes_sim_hostmem(struct hermes_sim *sim)
{
	return sim->hostmem;
}

void hermes_sim_get_cost(const struct hermes_sim *sim, struct hermes_sim_cost *c)
{
	*c = sim->cost;
}

void hermes_sim_mmio_stats(const struct hermes_sim *sim, struct hermes_sim_mmio *st)
{
	*st = sim->mmio;
}

/* ---- the cost model's options and description ---- */

static int cost_eq(const struct hermes_sim_cost *a, const struct hermes_sim_cost *b)
{
	return a->bar_read == b->bar_read && a->bar_write == b->bar_write &&
	       a->bar_write_delay == b->bar_write_delay && a->link_mbps == b->link_mbps &&
	       a->host_latency == b->host_latency;
}

const char *hermes_sim_cost_name(const struct hermes_sim_cost *c)
{
	const struct hermes_sim_cost pcie = HERMES_SIM_COST_PCIE, zero = HERMES_SIM_COST_ZERO;

	if (cost_eq(c, &pcie))
		return "pcie";
	if (cost_eq(c, &zero))
		return "zero";
	return "custom";
}

int hermes_sim_cost_option(struct hermes_sim_cost *c, const char *key, const char *val,
			   char *err, size_t errlen)
{
	static const struct {
		const char *key;
		size_t field;
		unsigned long max;
	} nums[] = {
		{ "bar_rd", offsetof(struct hermes_sim_cost, bar_read), 1000000 },
		{ "bar_wr", offsetof(struct hermes_sim_cost, bar_write), 1000000 },
		{ "bar_wr_delay", offsetof(struct hermes_sim_cost, bar_write_delay), 1000000 },
		{ "link_mbps", offsetof(struct hermes_sim_cost, link_mbps), 1000000 },
		{ "host_latency", offsetof(struct hermes_sim_cost, host_latency), 1000000 },
	};
	char *end = NULL;
	unsigned long v = 0;

	if (!strcmp(key, "cost")) {
		const struct hermes_sim_cost pcie = HERMES_SIM_COST_PCIE, zero = HERMES_SIM_COST_ZERO;

		if (val && !strcmp(val, "pcie")) {
			*c = pcie;
		} else if (val && !strcmp(val, "zero")) {
			*c = zero;
		} else {
			snprintf(err, errlen, "sim option cost='%s': the cost model is 'pcie' or 'zero'",
				 val ? val : "");
			return -EINVAL;
		}
		return 1;
	}
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strcmp(key, nums[i].key))
			continue;
		if (val && *val && *val != '-') {
			errno = 0;
			v = strtoul(val, &end, 0);
		}
		if (!val || !*val || *val == '-' || *end || errno || v > nums[i].max) {
			snprintf(err, errlen, "sim option %s='%s' needs a whole number from 0 to %lu%s",
				 key, val ? val : "", nums[i].max,
				 !strcmp(key, "link_mbps") ? " (MB/s, 0: no limit)" : " (card clocks)");
			return -EINVAL;
		}
		if (!strcmp(key, "host_latency") && v == 0) {
			snprintf(err, errlen, "sim option host_latency='%s': host memory needs at least 1 clock",
				 val);
			return -EINVAL;
		}
		*(unsigned *)((char *)c + nums[i].field) = (unsigned)v;
		return 1;
	}
	return 0;
}

int hermes_sim_cost_json(const struct hermes_sim_cost *c, char *buf, size_t len)
{
	return snprintf(buf, len,
			"{\"name\": \"%s\", \"bar_read_clocks\": %u, \"bar_write_clocks\": %u, "
			"\"bar_write_delay_clocks\": %u, \"posted_writes\": %s, \"link_mbps\": %u, "
			"\"host_latency_clocks\": %u, \"clock_mhz\": 250}",
			hermes_sim_cost_name(c), c->bar_read, c->bar_write, c->bar_write_delay,
			c->bar_write || c->bar_write_delay ? "true" : "false", c->link_mbps, c->host_latency);
}
