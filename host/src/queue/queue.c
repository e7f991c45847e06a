/* SPDX-License-Identifier: MIT */
/* queue.c - hermes_queue: create/destroy, submit, reap, wait, queue data slots, stats. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cmd.h"
#include "opts.h"
#include "prog.h"
#include "queue.h"

#define DEFAULT_DEPTH 256u
#define MAX_DEPTH (1u << 20)
#define DEFAULT_TIMEOUT_MS 10000u
#define DEFAULT_PROG_CACHE 4u

uint64_t queue__now_ns(void)
{
	return hermes__now_ns();
}

/* Bus time (bus.h): what job timeouts count, card time on a card clocked here. */
uint64_t queue__bus_ns(struct hermes_queue *q)
{
	return hermes__bus_now_us(q->dev->bus) * 1000u;
}

/* Card clocks, where this host counts them (bus.h), else 0. */
uint64_t queue__clock(struct hermes_queue *q)
{
	struct hermes_bus *bus = q->dev->bus;

	return bus->ops->clocks ? bus->ops->clocks(bus) : 0;
}

int queue__err(struct hermes_queue *q, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->errmsg, sizeof(q->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

const char *hermes_queue_errmsg(const struct hermes_queue *q)
{
	return q ? q->errmsg : "no queue";
}

void queue__list_push(struct qlist *l, struct qjob *j)
{
	j->next = NULL;
	if (l->tail)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
	l->n++;
}

void queue__list_push_front(struct qlist *l, struct qjob *j)
{
	j->next = l->head;
	l->head = j;
	if (!l->tail)
		l->tail = j;
	l->n++;
}

struct qjob *queue__list_pop(struct qlist *l)
{
	struct qjob *j = l->head;

	if (!j)
		return NULL;
	l->head = j->next;
	if (!l->head)
		l->tail = NULL;
	l->n--;
	j->next = NULL;
	return j;
}

static int job_ok(const struct qjob *j)
{
	return j->c.res == 0 && j->c.status == HERMES_ST_SUCCESS;
}

static void mark_done(struct hermes_queue *q, struct qjob *j)
{
	j->state = QJ_DONE;
	q->ready++;
	q->st.completed++;
	if (!job_ok(j))
		q->st.failed++;
	if (!(q->flags & HERMES_QUEUE_ORDERED))
		queue__list_push(&q->done, j);
}

void queue__finish(struct hermes_queue *q, struct qjob *j)
{
	struct qjob *next = j->chain_next;

	if (j->prog) {
		queue__prog_put(q, j->prog);
		j->prog = NULL;
	}
	if (next && job_ok(j)) {
		/* The chain goes on, on the same data slot. */
		next->dslot = j->dslot;
		next->dslot_owned = j->dslot_owned;
		if (next->job.data_len)
			next->data_len = next->job.data_len;
		else if (next->job.in)
			next->data_len = (uint32_t)next->job.in_len;
		else
			next->data_len = j->data_len;
		next->state = QJ_PENDING;
		queue__list_push_front(&q->pending, next);
	} else {
		for (struct qjob *k = next; k; k = k->chain_next) {
			memset(&k->c, 0, sizeof(k->c));
			k->c.user_data = k->job.user_data;
			k->c.res = -ECANCELED;
			k->c.engine = -1;
			mark_done(q, k);
		}
		if (j->dslot >= 0 && j->dslot_owned)
			queue__slots_put(q, &q->rel_data, j->dslot);
	}
	j->dslot = -1;
	j->dslot_owned = 0;
	mark_done(q, j);
}

/* The device lock of "sim" devices (engine_lock.h) for the length of one call. */
static int lock(struct hermes_queue *q, struct hermes_engine_lock *lk)
{
	int err = hermes__run_lock(q->dev, lk);

	if (err)
		return queue__err(q, err, "%s", hermes_dev_errmsg(q->dev));
	return 0;
}

static void unlock(struct hermes_queue *q, struct hermes_engine_lock *lk)
{
	hermes__run_unlock(q->dev, lk);
}

static int claim(struct hermes_queue *q)
{
	int err = hermes__engines_claim(q->dev, q->engine_mask);

	q->claimed = !err;
	return err;
}

static void unclaim(struct hermes_queue *q)
{
	if (q->claimed)
		hermes__engines_unclaim(q->dev, q->engine_mask);
	q->claimed = 0;
}

/* Take every engine of the mask: on a shared card they are owned (flock) for the queue's life. */
static int take_engines(struct hermes_queue *q)
{
	uint32_t ctrl;
	int err;

	for (unsigned i = 0; i < q->n_eng; i++) {
		struct qeng *e = &q->eng[i];
		unsigned got;

		if (q->local) {
			/* One process, device lock held: settle what an earlier user left. */
			if ((err = hermes__bar0_read(q->dev, HERMES_EHCMDCTRL(e->idx), &ctrl)))
				return err;
			if (ctrl & HERMES_CTRL_EXEC)
				return hermes__err(q->dev, -EBUSY, "engine %u is busy with a command of another user",
						   e->idx);
			if ((ctrl & HERMES_CTRL_DONE) &&
			    (err = hermes__bar0_write(q->dev, HERMES_EHCMDCTRL(e->idx), HERMES_CTRL_IRQEN)))
				return err;
			continue;
		}
		if ((err = hermes__run_lock(q->dev, &e->lk)))
			return err;
		err = hermes__engine_acquire(q->dev, &e->lk, q->info.engines, (int)e->idx, q->timeout_ms, &got);
		if (err) {
			hermes__run_unlock(q->dev, &e->lk);
			return err;
		}
		e->locked = 1;
	}
	return 0;
}

static void drop_engines(struct hermes_queue *q)
{
	for (unsigned i = 0; i < q->n_eng; i++) {
		if (q->eng[i].locked)
			hermes__run_unlock(q->dev, &q->eng[i].lk);
		q->eng[i].locked = 0;
	}
}

static void queue_free(struct hermes_queue *q)
{
	for (unsigned i = 0; i < q->n_progs; i++)
		free(q->progs[i].image);
	free(q->progs);
	free(q->jobs);
	free(q->order);
	free(q->user_slots);
	free(q->spare_data.ids);
	free(q->spare_prog.ids);
	free(q->rel_data.ids);
	free(q->rel_prog.ids);
	free(q);
}

/*
 * The hardware queue path: a queue pair of the card, unless the card has
 * none, the caller asked for the register path (flag or $HERMES_QUEUE_PATH),
 * or every pair is taken (then the register path, as on older cards).
 */
static int hw_open(struct hermes_queue *q)
{
	struct hermes_hwq_opts o = { .sz = sizeof(o) };
	const char *env = getenv("HERMES_QUEUE_PATH");
	int err;

	if (env && *env && strcmp(env, "register") && strcmp(env, "hw"))
		return hermes__err(q->dev, -EINVAL, "$HERMES_QUEUE_PATH is '%s': 'hw' or 'register'", env);
	if ((q->flags & HERMES_QUEUE_REGISTER_PATH) || (env && !strcmp(env, "register")) ||
	    !(q->info.caps & HERMES_CAP_HWQUEUE) || !q->prog_cache)
		return 0;
	o.entries = HW_ENTRIES;
	o.max_in = o.max_out = HW_MAX_IO;
	/* An interrupt per batch: as many completions as engines, or 2,000 clocks after the first. */
	o.irq_batch = q->n_eng;
	o.irq_clocks = 2000;
	o.engine_mask = q->engine_mask;
	err = hermes_hwq_init(q->dev, &o, &q->hwq);
	if (err == -EBUSY || err == -EOPNOTSUPP) {
		q->hwq = NULL;
		return 0;
	}
	return err;
}

int hermes_queue_create(struct hermes_dev *dev, const struct hermes_queue_opts *opts, struct hermes_queue **qp)
{
	struct hermes_queue_opts o = { .sz = sizeof(o) };
	struct hermes_engine_lock lk;
	struct hermes_queue *q;
	uint32_t all;
	int err;

	if (!dev || !qp)
		return hermes__err(dev, -EINVAL, "hermes_queue_create: dev and qp are required");
	if ((err = hermes__opts_read(dev, "hermes_queue_create", opts, &o, sizeof(o))))
		return err;
	if (!dev->bus)
		return hermes__err(dev, -ENOTSUP, "queues need a card: the '%s' device has no engines to share",
				   hermes_dev_kind(dev));
	if (o.depth > MAX_DEPTH)
		return hermes__err(dev, -EINVAL, "queue depth %u exceeds %u", o.depth, MAX_DEPTH);
	if (o.flags & ~(HERMES_QUEUE_ORDERED | HERMES_QUEUE_NO_PROG_CACHE | HERMES_QUEUE_REGISTER_PATH))
		return hermes__err(dev, -EINVAL, "unknown queue flags 0x%x", o.flags);
	q = calloc(1, sizeof(*q));
	if (!q)
		return hermes__err(dev, -ENOMEM, "out of memory for a queue");
	q->dev = dev;
	q->local = !hermes__bus_shared(dev->bus);
	q->depth = o.depth ? o.depth : DEFAULT_DEPTH;
	q->flags = o.flags;
	q->timeout_ms = o.timeout_ms ? o.timeout_ms : DEFAULT_TIMEOUT_MS;
	q->prog_cache = (o.flags & HERMES_QUEUE_NO_PROG_CACHE) ? 0 : o.prog_cache ? o.prog_cache : DEFAULT_PROG_CACHE;

	if ((err = hermes__run_lock(dev, &lk))) {
		free(q);
		return err;
	}
	if ((err = hermes_dev_info(dev, &q->info)) || (err = hermes__reset_count(dev, &q->resets)))
		goto fail;
	if (!q->info.engines) {
		err = hermes__err(dev, -ENODEV, "the card reports no engines");
		goto fail;
	}
	all = q->info.engines >= 32 ? ~0u : (1u << q->info.engines) - 1;
	if (q->info.engines > HERMES_QUEUE_MAX_ENGINES)
		all = (1u << HERMES_QUEUE_MAX_ENGINES) - 1;
	q->engine_mask = o.engine_mask ? o.engine_mask & all : all;
	if (!q->engine_mask || (o.engine_mask & ~all)) {
		err = hermes__err(dev, -EINVAL, "engine mask 0x%x names engines the card (%u engines) does not have",
				  o.engine_mask, q->info.engines);
		goto fail;
	}
	for (unsigned e = 0; e < HERMES_QUEUE_MAX_ENGINES; e++) {
		if (q->engine_mask & (1u << e)) {
			q->eng[q->n_eng].idx = e;
			q->eng[q->n_eng].lk.fd = -1;
			q->n_eng++;
		}
	}
	q->jobs = calloc(q->depth, sizeof(*q->jobs));
	q->order = (q->flags & HERMES_QUEUE_ORDERED) ? calloc(q->depth, sizeof(*q->order)) : NULL;
	/* Cached programs, plus one per job that may be staged or running. */
	q->n_progs = q->prog_cache + 2 * q->n_eng + 2;
	q->progs = calloc(q->n_progs, sizeof(*q->progs));
	if (!q->jobs || !q->progs || ((q->flags & HERMES_QUEUE_ORDERED) && !q->order)) {
		err = hermes__err(dev, -ENOMEM, "out of memory for a queue of depth %u", q->depth);
		goto fail;
	}
	for (unsigned i = 0; i < q->n_progs; i++)
		q->progs[i].slot = -1;
	for (unsigned i = q->depth; i-- > 0;) {
		q->jobs[i].dslot = -1;
		queue__list_push_front(&q->free_jobs, &q->jobs[i]);
	}
	if ((err = claim(q)) || (err = take_engines(q)))
		goto fail;
	q->t0_ns = queue__now_ns();
	q->clk0 = queue__clock(q);
	q->st.engines = q->n_eng;
	q->st.engine_mask = q->engine_mask;
	unlock(q, &lk);
	if ((err = hw_open(q))) {
		hermes_queue_destroy(q);
		return err;
	}
	*qp = q;
	return 0;
fail:
	drop_engines(q);
	unclaim(q);
	unlock(q, &lk);
	queue_free(q);
	return err;
}

void hermes_queue_destroy(struct hermes_queue *q)
{
	struct hermes_engine_lock lk;

	if (!q)
		return;
	if (lock(q, &lk) == 0) {
		queue__abort_all(q);
		queue__slots_drain(q);
		unlock(q, &lk);
	}
	hermes_hwq_exit(q->hwq);
	drop_engines(q);
	unclaim(q);
	queue_free(q);
}

unsigned hermes_queue_pending(const struct hermes_queue *q)
{
	return q ? q->inflight : 0;
}

struct quser_slot *queue__user_slot(struct hermes_queue *q, uint32_t slot)
{
	for (unsigned i = 0; i < q->n_user_slots; i++)
		if (q->user_slots[i].slot >= 0 && (uint32_t)q->user_slots[i].slot == slot)
			return &q->user_slots[i];
	return NULL;
}

/* Check one job; follower: not the first of its chain. */
static int check_job(struct hermes_queue *q, const struct hermes_job *j, unsigned i, int follower)
{
	const struct hermes_prog *p = j->prog;

	if (!p)
		return queue__err(q, -EINVAL, "job %u: no program", i);
	if (p->nmaps)
		return queue__err(q, -ENOTSUP, "job %u: the program has maps (map '%s'): run it as a loaded object (hermes_obj_load)",
				  i, p->maps[0].name);
	if (p->image_len > q->info.prog_slot_size)
		return queue__err(q, -E2BIG, "job %u: program image of %zu bytes does not fit the %u-byte program slot",
				  i, p->image_len, q->info.prog_slot_size);
	if ((j->in_len && !j->in) || (j->out_len && !j->out))
		return queue__err(q, -EINVAL, "job %u: a non-zero length needs its buffer", i);
	if (j->in_len > q->info.data_slot_size || j->out_len > q->info.data_slot_size ||
	    j->data_len > q->info.data_slot_size)
		return queue__err(q, -E2BIG, "job %u: data of %zu bytes in / %zu out / r2 %u does not fit the %u-byte data slot",
				  i, j->in_len, j->out_len, j->data_len, q->info.data_slot_size);
	if (j->max_insns > UINT32_MAX)
		return queue__err(q, -EINVAL, "job %u: instruction budget %llu exceeds the card's 32-bit limit", i,
				  (unsigned long long)j->max_insns);
	if (j->flags & ~(HERMES_JOB_LINK | HERMES_JOB_SLOT))
		return queue__err(q, -EINVAL, "job %u: unknown flags 0x%x", i, j->flags);
	if (j->reserved[0] || j->reserved[1] || j->reserved[2])
		return queue__err(q, -EINVAL, "job %u: reserved fields must be zero", i);
	if (j->flags & HERMES_JOB_SLOT) {
		if (follower)
			return queue__err(q, -EINVAL,
					  "job %u: a linked job runs on its chain's data slot; only the first may name one", i);
		if (!queue__user_slot(q, j->slot))
			return queue__err(q, -EINVAL, "job %u: data slot %u is not a slot of this queue", i, j->slot);
	}
	return 0;
}

/* Can one hardware queue entry carry this job (a chain of one) as the register path would run it? */
static int hw_fits(const struct hermes_queue *q, const struct hermes_job *j)
{
	const struct hermes_prog *p = j->prog;

	return q->hwq && !(j->flags & (HERMES_JOB_LINK | HERMES_JOB_SLOT)) && q->prog_cache &&
	       p->image_len == p->code_len && j->in_len <= HW_MAX_IO && j->out_len <= HW_MAX_IO;
}

int hermes_queue_submit(struct hermes_queue *q, const struct hermes_job *jobs, unsigned n)
{
	struct hermes_engine_lock lk;
	unsigned i, accepted = 0;
	int err;

	if (!q || (n && !jobs))
		return q ? queue__err(q, -EINVAL, "hermes_queue_submit: no jobs") : -EINVAL;
	if (!n)
		return 0;
	if (jobs[n - 1].flags & HERMES_JOB_LINK)
		return queue__err(q, -EINVAL, "job %u: HERMES_JOB_LINK on the last job of a submission", n - 1);
	for (i = 0; i < n; i++)
		if ((err = check_job(q, &jobs[i], i, i > 0 && (jobs[i - 1].flags & HERMES_JOB_LINK))))
			return err;
	/* Whole chains while they fit. */
	for (i = 0; i < n;) {
		unsigned len = 1;

		while (jobs[i + len - 1].flags & HERMES_JOB_LINK)
			len++;
		if (len > q->depth)
			return accepted ? (int)accepted
					: queue__err(q, -EINVAL, "a chain of %u linked jobs exceeds the queue depth %u",
						     len, q->depth);
		if (q->inflight + len > q->depth)
			break;
		int uslot = (jobs[i].flags & HERMES_JOB_SLOT) ? (int)jobs[i].slot : -1;
		struct qjob *prev = NULL;

		for (unsigned k = 0; k < len; k++) {
			struct qjob *j = queue__list_pop(&q->free_jobs);
			const struct hermes_job *src = &jobs[i + k];

			memset(j, 0, sizeof(*j));
			j->job = *src;
			j->seq = q->seq++;
			j->dslot = -1;
			j->c.user_data = src->user_data;
			j->c.engine = -1;
			j->prog_hash = queue__hash(src->prog->image, src->prog->image_len);
			j->uslot = uslot;
			if (uslot >= 0)
				queue__user_slot(q, (uint32_t)uslot)->refs++;
			if (prev) {
				prev->chain_next = j;
				j->state = QJ_WAIT;
			} else {
				j->state = QJ_PENDING;
				j->data_len = src->data_len ? src->data_len : (uint32_t)src->in_len;
				j->dslot = uslot;
				j->hw = len == 1 && hw_fits(q, src);
				queue__list_push(j->hw ? &q->hw_pending : &q->pending, j);
			}
			if (q->order)
				q->order[(q->order_head + q->order_n++) % q->depth] = j;
			q->inflight++;
			prev = j;
		}
		accepted += len;
		i += len;
	}
	q->st.submitted += accepted;
	if (!accepted)
		return queue__err(q, -EAGAIN, "the queue is full (%u jobs of depth %u)", q->inflight, q->depth);
	/* Start what can start; device trouble shows again at reap/wait. */
	if (lock(q, &lk) == 0) {
		queue__progress(q, 1);
		unlock(q, &lk);
	}
	return (int)accepted;
}

/* Take the next completion in reap order, NULL: none ready. */
static struct qjob *take_done(struct hermes_queue *q)
{
	struct qjob *j;

	if (!q->order)
		return queue__list_pop(&q->done);
	if (!q->order_n || q->order[q->order_head]->state != QJ_DONE)
		return NULL;
	j = q->order[q->order_head];
	q->order_head = (q->order_head + 1) % q->depth;
	q->order_n--;
	return j;
}

/* Completions that hermes_queue_reap would return now. */
static unsigned reapable(struct hermes_queue *q)
{
	unsigned n = 0;

	if (!q->order)
		return q->ready;
	while (n < q->order_n && q->order[(q->order_head + n) % q->depth]->state == QJ_DONE)
		n++;
	return n;
}

int hermes_queue_reap(struct hermes_queue *q, struct hermes_completion *completions, unsigned max)
{
	struct hermes_engine_lock lk;
	unsigned n = 0;
	int err;

	if (!q || (max && !completions))
		return q ? queue__err(q, -EINVAL, "hermes_queue_reap: no completion array") : -EINVAL;
	if ((err = lock(q, &lk)))
		return err;
	/* Reap never sleeps, so it looks at the hardware queue's ring itself (one DMA). */
	if (q->hw_inflight && !q->card_reset && (err = queue__hwq_collect(q->hwq)) < 0)
		queue__err(q, err, "%s", hermes_dev_errmsg(q->dev));
	err = queue__progress(q, 0);
	unlock(q, &lk);
	while (n < max) {
		struct qjob *j = take_done(q);

		if (!j)
			break;
		completions[n++] = j->c;
		if (j->uslot >= 0) {
			struct quser_slot *u = queue__user_slot(q, (uint32_t)j->uslot);

			if (u)
				u->refs--;
		}
		j->state = QJ_FREE;
		queue__list_push_front(&q->free_jobs, j);
		q->inflight--;
		q->ready--;
	}
	if (n)
		return (int)n;
	return err;
}

static int64_t ms_left(struct hermes_queue *q, uint64_t deadline_ns)
{
	uint64_t now = queue__bus_ns(q);

	return now >= deadline_ns ? 0 : (int64_t)((deadline_ns - now + 999999) / 1000000);
}

/* Wait until cond(q) holds (after progress), sleeping on interrupts; timeout_ms in bus time. */
static int wait_for(struct hermes_queue *q, int (*cond)(struct hermes_queue *q, void *arg), void *arg,
		    int timeout_ms)
{
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX : queue__bus_ns(q) + (uint64_t)timeout_ms * 1000000u;
	struct hermes_engine_lock lk;
	int err;

	if ((err = lock(q, &lk)))
		return err;
	for (;;) {
		int64_t left;

		if ((err = queue__progress(q, 0)))
			break;
		if (cond(q, arg))
			break;
		left = timeout_ms < 0 ? 1000 : ms_left(q, deadline);
		if (left <= 0) {
			err = -ETIMEDOUT;
			break;
		}
		err = queue__sleep(q, left > 1000 ? 1000u : (unsigned)left);
		if (err && err != -ETIMEDOUT)
			break;
	}
	unlock(q, &lk);
	return err;
}

static int enough_ready(struct hermes_queue *q, void *arg)
{
	unsigned min = *(unsigned *)arg, r = reapable(q);

	/* Ordered: jobs done behind an unfinished one count only once it is. */
	return r >= min || (q->ready == q->inflight && r == q->ready);
}

int hermes_queue_wait(struct hermes_queue *q, unsigned min, int timeout_ms)
{
	int err;

	if (!q)
		return -EINVAL;
	err = wait_for(q, enough_ready, &min, timeout_ms);
	if (err == -ETIMEDOUT)
		return queue__err(q, -ETIMEDOUT, "%u completions ready after %d ms, %u wanted", reapable(q),
				  timeout_ms, min);
	return err ? err : (int)reapable(q);
}

static int engine_idle(struct hermes_queue *q, void *arg)
{
	(void)arg;
	return queue__idle_engine(q) >= 0;
}

int hermes_queue_slot_create(struct hermes_queue *q, const void *init, size_t len, uint32_t *slot)
{
	struct hermes_engine_lock lk;
	struct quser_slot *u = NULL;
	unsigned id = 0;
	int err, st, e;

	if (!q || !slot || (len && !init))
		return q ? queue__err(q, -EINVAL, "hermes_queue_slot_create: slot is required, and init for len") : -EINVAL;
	if (len > q->info.data_slot_size)
		return queue__err(q, -E2BIG, "%zu bytes do not fit the %u-byte data slot", len, q->info.data_slot_size);
	/* Slot commands go through an idle engine. */
	if ((err = wait_for(q, engine_idle, NULL, (int)q->timeout_ms)))
		return err == -ETIMEDOUT ? queue__err(q, err, "no engine became idle within %u ms", q->timeout_ms) : err;
	if ((err = lock(q, &lk)))
		return err;
	if (queue__reset_seen(q)) {
		err = queue__err(q, -ECANCELED, "card was reset: the queue is over (create a new one)");
		goto out;
	}
	e = queue__idle_engine(q);
	st = e < 0 ? -EBUSY : hermes__slot_alloc(q->dev, q->eng[e].idx, HERMES_SLOT_DATA, &id);
	if (st) {
		err = st < 0 ? queue__err(q, st, "%s", e < 0 ? "no idle engine" : hermes_dev_errmsg(q->dev))
			     : queue__err(q, st == HERMES_ST_NO_SLOT ? -ENOSPC : -EIO, "cannot allocate a data slot: %s",
					  hermes_status_str((unsigned)st));
		goto out;
	}
	for (unsigned i = 0; i < q->n_user_slots; i++)
		if (q->user_slots[i].slot < 0)
			u = &q->user_slots[i];
	if (!u) {
		struct quser_slot *n = realloc(q->user_slots, (q->n_user_slots + 1) * sizeof(*n));

		if (!n) {
			queue__slots_put(q, &q->rel_data, (int)id);
			err = queue__err(q, -ENOMEM, "out of memory");
			goto out;
		}
		q->user_slots = n;
		u = &n[q->n_user_slots++];
	}
	u->slot = (int)id;
	u->refs = 0;
	if (len && (err = q->dev->bus->ops->dma_to_card(q->dev->bus,
							 q->info.data_slot_off + (uint64_t)id * q->info.data_slot_size,
							 init, len))) {
		err = queue__err(q, err, "%s", hermes_dev_errmsg(q->dev));
		u->slot = -1;
		queue__slots_put(q, &q->rel_data, (int)id);
		goto out;
	}
	q->st.bytes_to_card += len;
	*slot = id;
out:
	unlock(q, &lk);
	return err;
}

int hermes_queue_slot_read(struct hermes_queue *q, uint32_t slot, size_t off, void *buf, size_t len)
{
	struct hermes_engine_lock lk;
	int err;

	if (!q || (len && !buf))
		return q ? queue__err(q, -EINVAL, "hermes_queue_slot_read: no buffer") : -EINVAL;
	if (!queue__user_slot(q, slot))
		return queue__err(q, -EINVAL, "data slot %u is not a slot of this queue", slot);
	if (off > q->info.data_slot_size || len > q->info.data_slot_size - off)
		return queue__err(q, -EINVAL, "%zu bytes at %zu are outside the %u-byte data slot", len, off,
				  q->info.data_slot_size);
	if (!len)
		return 0;
	if ((err = lock(q, &lk)))
		return err;
	/* After a card reset the slot may be someone else's. */
	if (queue__reset_seen(q)) {
		err = queue__err(q, -ECANCELED, "card was reset: data slot %u is gone", slot);
	} else {
		err = q->dev->bus->ops->dma_from_card(q->dev->bus,
						      q->info.data_slot_off + (uint64_t)slot * q->info.data_slot_size +
						      off, buf, len);
		if (err)
			queue__err(q, err, "%s", hermes_dev_errmsg(q->dev));
		else
			q->st.bytes_from_card += len;
	}
	unlock(q, &lk);
	return err;
}

int hermes_queue_slot_destroy(struct hermes_queue *q, uint32_t slot)
{
	struct hermes_engine_lock lk;
	struct quser_slot *u;
	int err;

	if (!q)
		return -EINVAL;
	u = queue__user_slot(q, slot);
	if (!u)
		return queue__err(q, -EINVAL, "data slot %u is not a slot of this queue", slot);
	if (u->refs)
		return queue__err(q, -EBUSY, "data slot %u is named by %u queued jobs", slot, u->refs);
	u->slot = -1;
	if ((err = queue__slots_put(q, &q->rel_data, (int)slot)))
		return err;
	/* Released by the next slot commands (now if an engine is idle). */
	if ((err = lock(q, &lk)))
		return err;
	err = queue__progress(q, 0);
	unlock(q, &lk);
	return err;
}

int hermes_queue_get_stats(struct hermes_queue *q, struct hermes_queue_stats *stats)
{
	struct hermes_queue_stats s;

	if (!q || !stats || stats->sz < sizeof(size_t))
		return q ? queue__err(q, -EINVAL, "hermes_queue_get_stats: stats->sz is not set") : -EINVAL;
	s = q->st;
	s.sz = stats->sz;
	s.wall_ns = queue__now_ns() - q->t0_ns;
	s.clocks = queue__clock(q) - q->clk0;
	memcpy(stats, &s, stats->sz < sizeof(s) ? stats->sz : sizeof(s));
	return 0;
}
