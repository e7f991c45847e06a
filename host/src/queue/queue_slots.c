/* SPDX-License-Identifier: MIT */
/*
 * queue_slots.c - the slots of a queue: spare data and program slots
 * allocated ahead through idle engines, releases deferred until an engine
 * is idle, the program cache, and staging (uploads) of pending jobs.
 *
 * Slot commands need an engine's command registers, and an engine running
 * a program has none to spare; so they are run whenever one of the
 * queue's engines is idle, in particular right after it finished a job
 * and before it starts the next one. Uploads (DMA) need no engine and
 * overlap the runs of the others.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "prog.h"
#include "queue.h"

/* How far down the pending list spare slots are allocated for. */
#define LOOKAHEAD(q) ((q)->n_eng)

int queue__slots_take(struct qslots *s, int *id)
{
	if (!s->n)
		return 0;
	*id = s->ids[--s->n];
	return 1;
}

int queue__slots_put(struct hermes_queue *q, struct qslots *s, int id)
{
	if (s->n == s->cap) {
		unsigned cap = s->cap ? 2 * s->cap : 16;
		int *n = realloc(s->ids, cap * sizeof(*n));

		if (!n)
			return queue__err(q, -ENOMEM, "out of memory (slot list)");
		s->ids = n;
		s->cap = cap;
	}
	s->ids[s->n++] = id;
	return 0;
}

int queue__idle_engine(struct hermes_queue *q)
{
	for (unsigned i = 0; i < q->n_eng; i++)
		if (!q->eng[i].job && !q->eng[i].dead)
			return (int)i;
	return -1;
}

static int cacheable(const struct hermes_queue *q, const struct hermes_prog *p)
{
	/* Globals are per run: a program with any gets its own slot every time. */
	return q->prog_cache && p->image_len == p->code_len;
}

/* FNV-1a, 64 bit: program images are compared by hash first. */
uint64_t queue__hash(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* The cache entry holding j's program; exact says whether to compare the images. */
static struct qprog *prog_lookup(struct hermes_queue *q, const struct qjob *j, int exact)
{
	const struct hermes_prog *p = j->job.prog;

	for (unsigned i = 0; i < q->n_progs; i++) {
		struct qprog *c = &q->progs[i];

		if (c->slot >= 0 && c->cached && c->hash == j->prog_hash && c->image_len == p->image_len &&
		    c->code_len == p->code_len && (!exact || !memcmp(c->image, p->image, p->image_len)))
			return c;
	}
	return NULL;
}

/* Spare slots wanted for the head of the pending list (an estimate). */
static void demand(struct hermes_queue *q, unsigned *want_prog, unsigned *want_data)
{
	unsigned np = 0, nd = 0, k = 0;

	/* Hardware-queue jobs want a program slot only: the card gives them data slots. */
	for (struct qjob *j = q->hw_pending.head; j && k < LOOKAHEAD(q); j = j->next, k++) {
		int need_prog = !prog_lookup(q, j, 0);

		for (struct qjob *o = q->hw_pending.head; o != j && need_prog; o = o->next)
			if (o->prog_hash == j->prog_hash)
				need_prog = 0;
		np += need_prog;
	}
	k = 0;
	for (struct qjob *j = q->pending.head; j && k < LOOKAHEAD(q); j = j->next, k++) {
		int need_prog = 1;

		nd += j->dslot < 0;
		if (cacheable(q, j->job.prog)) {
			if (prog_lookup(q, j, 0)) {
				need_prog = 0;
			} else {
				/* One upload serves every job of the window with this program. */
				for (struct qjob *o = q->pending.head; o != j; o = o->next)
					if (o->prog_hash == j->prog_hash)
						need_prog = 0;
			}
		}
		np += need_prog;
	}
	*want_prog = np;
	*want_data = nd;
}

int queue__slot_commands_wanted(struct hermes_queue *q)
{
	unsigned wp, wd;

	if (q->rel_data.n || q->rel_prog.n)
		return 1;
	if (!q->pending.n && !q->hw_pending.n)
		return 0;
	demand(q, &wp, &wd);
	return (wd > q->spare_data.n && !q->starved_data) || (wp > q->spare_prog.n && !q->starved_prog);
}

static int release_all(struct hermes_queue *q, unsigned e, struct qslots *s, unsigned type, int *did)
{
	int id, st;

	while (queue__slots_take(s, &id)) {
		st = hermes__slot_release(q->dev, q->eng[e].idx, type, (unsigned)id);
		if (st < 0) {
			queue__slots_put(q, s, id);
			return queue__err(q, st, "%s", hermes_dev_errmsg(q->dev));
		}
		/* A status here means the card did not hold it for us: nothing to give back. */
		*did = 1;
		if (type == HERMES_SLOT_DATA)
			q->starved_data = 0;
		else
			q->starved_prog = 0;
	}
	return 0;
}

static int top_up(struct hermes_queue *q, unsigned e, struct qslots *s, unsigned type, unsigned want,
		  int *starved, int *did)
{
	unsigned id;
	int st;

	while (s->n < want && !*starved) {
		st = hermes__slot_alloc(q->dev, q->eng[e].idx, type, &id);
		if (st < 0)
			return queue__err(q, st, "%s", hermes_dev_errmsg(q->dev));
		if (st) {
			*starved = 1;
			break;
		}
		if ((st = queue__slots_put(q, s, (int)id)))
			return st;
		*did = 1;
	}
	return 0;
}

int queue__slot_commands(struct hermes_queue *q, unsigned e)
{
	unsigned wp, wd;
	int did = 0, err;

	/* After a reset, releasing could free someone else's slot. */
	if (queue__reset_seen(q))
		return 1;
	if ((err = release_all(q, e, &q->rel_data, HERMES_SLOT_DATA, &did)) ||
	    (err = release_all(q, e, &q->rel_prog, HERMES_SLOT_PROG, &did)))
		return err;
	demand(q, &wp, &wd);
	if ((err = top_up(q, e, &q->spare_data, HERMES_SLOT_DATA, wd, &q->starved_data, &did)) ||
	    (err = top_up(q, e, &q->spare_prog, HERMES_SLOT_PROG, wp, &q->starved_prog, &did)))
		return err;
	return did;
}

static void prog_drop(struct hermes_queue *q, struct qprog *p)
{
	queue__slots_put(q, &q->rel_prog, p->slot);
	free(p->image);
	memset(p, 0, sizeof(*p));
	p->slot = -1;
}

void queue__prog_put(struct hermes_queue *q, struct qprog *p)
{
	if (--p->refs == 0 && !p->cached)
		prog_drop(q, p);
}

/* Make room for one more cached program: evict the least recently used idle one. */
static int cache_room(struct hermes_queue *q)
{
	struct qprog *lru = NULL;
	unsigned n = 0;

	for (unsigned i = 0; i < q->n_progs; i++) {
		struct qprog *c = &q->progs[i];

		if (c->slot < 0 || !c->cached)
			continue;
		n++;
		if (!c->refs && (!lru || c->last_use < lru->last_use))
			lru = c;
	}
	if (n < q->prog_cache)
		return 1;
	if (!lru)
		return 0;
	prog_drop(q, lru);
	return 1;
}

static struct qprog *prog_entry(struct hermes_queue *q)
{
	for (unsigned i = 0; i < q->n_progs; i++)
		if (q->progs[i].slot < 0)
			return &q->progs[i];
	return NULL;
}

static uint64_t prog_addr(struct hermes_queue *q, int slot)
{
	return q->info.prog_slot_off + (uint64_t)slot * q->info.prog_slot_size;
}

static uint64_t data_addr(struct hermes_queue *q, int slot)
{
	return q->info.data_slot_off + (uint64_t)slot * q->info.data_slot_size;
}

/* The job failed before it ran: complete it with err. */
static int fail(struct hermes_queue *q, struct qjob *j, int err)
{
	j->c.res = err;
	queue__finish(q, j);
	return err;
}

/* Give back a fresh data slot taken for a job that could not be staged. */
static void unstage_data(struct hermes_queue *q, struct qjob *j)
{
	queue__slots_put(q, &q->spare_data, j->dslot);
	j->dslot = -1;
	j->dslot_owned = 0;
}

/* j's program into a program slot (cached or uploaded now): 1, 0 no slot free yet, <0 failed. */
static int stage_prog(struct hermes_queue *q, struct qjob *j)
{
	const struct hermes_prog *p = j->job.prog;
	struct qprog *c = NULL;
	int err, slot = -1;

	if (cacheable(q, p) && (c = prog_lookup(q, j, 1))) {
		q->st.prog_cache_hits++;
	} else {
		if (!q->spare_prog.n || !(c = prog_entry(q)))
			return 0;
		c->cached = cacheable(q, p) && cache_room(q);
		c->image = malloc(p->image_len);
		if (!c->image) {
			c->cached = 0;
			return queue__err(q, -ENOMEM, "out of memory for a program image");
		}
		queue__slots_take(&q->spare_prog, &slot);
		c->slot = slot;
		memcpy(c->image, p->image, p->image_len);
		c->image_len = p->image_len;
		c->code_len = p->code_len;
		c->hash = j->prog_hash;
		c->refs = 0;
		err = q->dev->bus->ops->dma_to_card(q->dev->bus, prog_addr(q, slot), p->image, p->image_len);
		if (err) {
			prog_drop(q, c);
			return queue__err(q, err, "uploading the program: %s", hermes_dev_errmsg(q->dev));
		}
		q->st.prog_uploads++;
		q->st.bytes_to_card += p->image_len;
	}
	c->refs++;
	c->last_use = ++q->use_clock;
	j->prog = c;
	return 1;
}

int queue__stage_hw(struct hermes_queue *q, struct qjob *j)
{
	struct hermes_hwq_job *h;
	uint32_t r2;
	int r;

	if (!queue__hwq_room(q->hwq))
		return 0;
	if ((r = stage_prog(q, j)) <= 0)
		return r < 0 ? fail(q, j, r) : 0;
	h = hermes_hwq_get_job(q->hwq);
	h->prog = j->job.prog;
	h->in = j->job.in;
	h->in_len = (uint32_t)j->job.in_len;
	h->out = j->job.out;
	h->out_len = (uint32_t)j->job.out_len;
	h->budget = (uint32_t)j->job.max_insns;
	h->user_tag = (uint64_t)(j - q->jobs);
	/* r2 as the command registers give it: in_len, or the slot size without input. */
	r2 = j->data_len ? j->data_len : q->info.data_slot_size;
	queue__hwq_name_prog(q->hwq, h, (unsigned)j->prog->slot, (uint32_t)j->prog->code_len, r2);
	j->state = QJ_HW;
	q->st.bytes_to_card += j->job.in_len;
	return 1;
}

int queue__stage(struct hermes_queue *q, struct qjob *j)
{
	int err, r, fresh_data = 0;

	if (j->dslot < 0) {
		if (!q->spare_data.n)
			return 0;
		queue__slots_take(&q->spare_data, &j->dslot);
		j->dslot_owned = 1;
		fresh_data = 1;
	}
	if ((r = stage_prog(q, j)) <= 0) {
		if (r < 0)
			return fail(q, j, r);
		if (fresh_data)
			unstage_data(q, j);
		return 0;
	}
	if (j->job.in_len) {
		err = q->dev->bus->ops->dma_to_card(q->dev->bus, data_addr(q, j->dslot), j->job.in, j->job.in_len);
		if (err)
			return fail(q, j, queue__err(q, err, "uploading %zu bytes of input: %s", j->job.in_len,
						     hermes_dev_errmsg(q->dev)));
		q->st.bytes_to_card += j->job.in_len;
	}
	j->state = QJ_STAGED;
	queue__list_push(&q->staged, j);
	return 1;
}

void queue__slots_forget(struct hermes_queue *q)
{
	for (unsigned i = 0; i < q->n_progs; i++) {
		if (q->progs[i].slot >= 0) {
			q->progs[i].refs = 0;
			prog_drop(q, &q->progs[i]);
		}
	}
	for (unsigned i = 0; i < q->n_user_slots; i++)
		q->user_slots[i].slot = -1;
	q->spare_data.n = q->spare_prog.n = q->rel_data.n = q->rel_prog.n = 0;
}

void queue__slots_drain(struct hermes_queue *q)
{
	int id, e;

	/* Jobs are gone (queue__abort_all): every slot they held goes back. */
	for (unsigned i = 0; i < q->depth; i++) {
		struct qjob *j = &q->jobs[i];

		if (j->state != QJ_FREE && j->dslot >= 0 && j->dslot_owned)
			queue__slots_put(q, &q->rel_data, j->dslot);
		j->dslot = -1;
		j->prog = NULL;
		j->state = QJ_FREE;
	}
	memset(&q->pending, 0, sizeof(q->pending));
	memset(&q->staged, 0, sizeof(q->staged));
	memset(&q->post, 0, sizeof(q->post));
	memset(&q->done, 0, sizeof(q->done));
	memset(&q->hw_pending, 0, sizeof(q->hw_pending));
	for (unsigned i = 0; i < q->n_progs; i++) {
		if (q->progs[i].slot >= 0) {
			q->progs[i].refs = 0;
			prog_drop(q, &q->progs[i]);
		}
	}
	for (unsigned i = 0; i < q->n_user_slots; i++) {
		if (q->user_slots[i].slot >= 0)
			queue__slots_put(q, &q->rel_data, q->user_slots[i].slot);
		q->user_slots[i].slot = -1;
	}
	while (queue__slots_take(&q->spare_data, &id))
		queue__slots_put(q, &q->rel_data, id);
	while (queue__slots_take(&q->spare_prog, &id))
		queue__slots_put(q, &q->rel_prog, id);
	if (queue__reset_seen(q))
		return; /* forgotten: after a reset they may be someone else's */
	e = queue__idle_engine(q);
	if (e >= 0)
		queue__slot_commands(q, (unsigned)e);
}
