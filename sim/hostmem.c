/* SPDX-License-Identifier: MIT */
/* hostmem.c - host memory behind the card's AXI4 DMA master (see hostmem.h). */
#include <stdlib.h>
#include <string.h>

#include "hostmem.h"

#define AXI_OKAY   0
#define AXI_DECERR 3
#define WQ_DEPTH   32u
#define BQ_DEPTH   64u
/* Link budget: a direction earns link_mbps units a clock, a beat costs 64
 * bytes at 250 MHz (64 * 250 units); an idle direction saves up at most
 * one beat and one clock's earnings, so the long-run rate is exact. */
#define BEAT_COST  (64u * 250u)

struct rd_burst {
	uint64_t addr;     /* beat 0 address, 64-byte aligned */
	uint64_t ready;    /* clock at which beat 0 may be returned */
	unsigned beats, beat;
	uint8_t id;
};

struct wr_burst {
	uint64_t addr;
	unsigned beats, beat;
	uint8_t id, resp;
};

struct wr_resp {
	uint64_t ready;
	uint8_t id, resp;
};

struct hermes_hostmem {
	struct hermes_hostmem_cfg cfg;
	uint8_t *mem;
	uint64_t now;
	struct rd_burst *rq; /* ring of cfg.max_reads */
	unsigned rq_head, rq_count;
	struct wr_burst wq[WQ_DEPTH];
	unsigned wq_head, wq_count;
	struct wr_resp bq[BQ_DEPTH];
	unsigned bq_head, bq_count;
	struct hermes_hostmem_stats st;
	unsigned rd_credit, wr_credit; /* link budget of each direction */
};

struct hermes_hostmem *hermes_hostmem_new(const struct hermes_hostmem_cfg *cfg)
{
	struct hermes_hostmem *hm = calloc(1, sizeof(*hm));

	if (!hm)
		return NULL;
	if (cfg) {
		hm->cfg = *cfg;
	} else {
		hm->cfg.base = HERMES_HOSTMEM_DEFAULT_BASE;
		hm->cfg.size = HERMES_HOSTMEM_DEFAULT_SIZE;
		hm->cfg.rd_latency = HERMES_HOSTMEM_DEFAULT_RD_LATENCY;
		hm->cfg.max_reads = HERMES_HOSTMEM_DEFAULT_MAX_READS;
		hm->cfg.wr_latency = HERMES_HOSTMEM_DEFAULT_WR_LATENCY;
	}
	if (!hm->cfg.rd_latency)
		hm->cfg.rd_latency = 1;
	if (!hm->cfg.max_reads)
		hm->cfg.max_reads = 1;
	if (!hm->cfg.wr_latency)
		hm->cfg.wr_latency = 1;
	hm->rd_credit = hm->wr_credit = BEAT_COST;
	hm->mem = calloc(1, hm->cfg.size ? hm->cfg.size : 1);
	hm->rq = calloc(hm->cfg.max_reads, sizeof(*hm->rq));
	if (!hm->mem || !hm->rq) {
		hermes_hostmem_free(hm);
		return NULL;
	}
	return hm;
}

void hermes_hostmem_free(struct hermes_hostmem *hm)
{
	if (!hm)
		return;
	free(hm->mem);
	free(hm->rq);
	free(hm);
}

void hermes_hostmem_reset(struct hermes_hostmem *hm)
{
	hm->rd_credit = hm->wr_credit = BEAT_COST;
	hm->rq_head = hm->rq_count = 0;
	hm->wq_head = hm->wq_count = 0;
	hm->bq_head = hm->bq_count = 0;
	memset(&hm->st, 0, sizeof(hm->st));
}

uint8_t *hermes_hostmem_data(struct hermes_hostmem *hm)
{
	return hm->mem;
}

const struct hermes_hostmem_cfg *hermes_hostmem_cfg(const struct hermes_hostmem *hm)
{
	return &hm->cfg;
}

void hermes_hostmem_stats(const struct hermes_hostmem *hm, struct hermes_hostmem_stats *st)
{
	*st = hm->st;
}

/* Offset of a 64-byte beat in mem, or -1 outside the window. */
static int64_t beat_off(const struct hermes_hostmem *hm, uint64_t addr)
{
	if (addr < hm->cfg.base || addr - hm->cfg.base > hm->cfg.size - 64 || hm->cfg.size < 64)
		return -1;
	return (int64_t)(addr - hm->cfg.base);
}

void hermes_hostmem_drive(struct hermes_hostmem *hm, struct hermes_pins *p)
{
	const struct rd_burst *r = &hm->rq[hm->rq_head];

	p->host_arready = hm->rq_count < hm->cfg.max_reads;
	p->host_rvalid = hm->rq_count && hm->now >= r->ready &&
			 (!hm->cfg.link_mbps || hm->rd_credit >= BEAT_COST);
	if (p->host_rvalid) {
		uint64_t a = r->addr + 64ull * r->beat;
		int64_t off = beat_off(hm, a);

		p->host_rid = r->id;
		p->host_rlast = r->beat + 1 == r->beats;
		if (off < 0) {
			memset(p->host_rdata, 0, sizeof(p->host_rdata));
			p->host_rresp = AXI_DECERR;
		} else {
			memcpy(p->host_rdata, hm->mem + off, 64);
			p->host_rresp = AXI_OKAY;
		}
	} else {
		p->host_rlast = 0;
	}
	p->host_awready = hm->wq_count < WQ_DEPTH && hm->bq_count + hm->wq_count < BQ_DEPTH;
	p->host_wready = hm->wq_count != 0 && (!hm->cfg.link_mbps || hm->wr_credit >= BEAT_COST);
	p->host_bvalid = hm->bq_count && hm->now >= hm->bq[hm->bq_head].ready;
	if (p->host_bvalid) {
		p->host_bid = hm->bq[hm->bq_head].id;
		p->host_bresp = hm->bq[hm->bq_head].resp;
	}
}

static void write_beat(struct hermes_hostmem *hm, struct wr_burst *w, const struct hermes_pins *p)
{
	int64_t off = beat_off(hm, w->addr + 64ull * w->beat);

	if (off < 0) {
		w->resp = AXI_DECERR;
		hm->st.errors++;
		return;
	}
	const uint8_t *src = (const uint8_t *)p->host_wdata;
	for (unsigned b = 0; b < 64; b++)
		if (p->host_wstrb >> b & 1)
			hm->mem[off + b] = src[b];
}

void hermes_hostmem_clock(struct hermes_hostmem *hm, const struct hermes_pins *p)
{
	if (hm->cfg.link_mbps) {
		if (p->host_rvalid && p->host_rready)
			hm->rd_credit -= BEAT_COST;
		if (p->host_wvalid && p->host_wready)
			hm->wr_credit -= BEAT_COST;
		hm->rd_credit += hm->cfg.link_mbps;
		hm->wr_credit += hm->cfg.link_mbps;
		if (hm->rd_credit > BEAT_COST + hm->cfg.link_mbps)
			hm->rd_credit = BEAT_COST + hm->cfg.link_mbps;
		if (hm->wr_credit > BEAT_COST + hm->cfg.link_mbps)
			hm->wr_credit = BEAT_COST + hm->cfg.link_mbps;
	}
	if (p->host_rvalid && p->host_rready) {
		struct rd_burst *r = &hm->rq[hm->rq_head];

		hm->st.rd_beats++;
		if (p->host_rresp != AXI_OKAY)
			hm->st.errors++;
		if (++r->beat == r->beats) {
			hm->rq_head = (hm->rq_head + 1) % hm->cfg.max_reads;
			hm->rq_count--;
		}
	}
	if (p->host_arvalid && p->host_arready) {
		struct rd_burst *r = &hm->rq[(hm->rq_head + hm->rq_count) % hm->cfg.max_reads];

		r->addr = p->host_araddr & ~63ull;
		r->beats = p->host_arlen + 1u;
		r->beat = 0;
		r->id = p->host_arid;
		r->ready = hm->now + hm->cfg.rd_latency;
		hm->rq_count++;
		hm->st.rd_bursts++;
		if (hm->rq_count > hm->st.max_outstanding)
			hm->st.max_outstanding = hm->rq_count;
	}
	if (p->host_bvalid && p->host_bready) {
		hm->bq_head = (hm->bq_head + 1) % BQ_DEPTH;
		hm->bq_count--;
	}
	if (p->host_wvalid && p->host_wready) {
		struct wr_burst *w = &hm->wq[hm->wq_head];

		write_beat(hm, w, p);
		hm->st.wr_beats++;
		w->beat++;
		if (p->host_wlast || w->beat == w->beats) {
			struct wr_resp *b = &hm->bq[(hm->bq_head + hm->bq_count) % BQ_DEPTH];

			/* WLAST on the wrong beat is a protocol error: answer SLVERR. */
			b->resp = (p->host_wlast && w->beat == w->beats) ? w->resp : 2;
			b->id = w->id;
			b->ready = hm->now + hm->cfg.wr_latency;
			hm->bq_count++;
			hm->wq_head = (hm->wq_head + 1) % WQ_DEPTH;
			hm->wq_count--;
		}
	}
	if (p->host_awvalid && p->host_awready) {
		struct wr_burst *w = &hm->wq[(hm->wq_head + hm->wq_count) % WQ_DEPTH];

		w->addr = p->host_awaddr & ~63ull;
		w->beats = p->host_awlen + 1u;
		w->beat = 0;
		w->id = p->host_awid;
		w->resp = AXI_OKAY;
		hm->wq_count++;
		hm->st.wr_bursts++;
	}
	hm->now++;
}
