/* SPDX-License-Identifier: MIT */
/*
 * queue_dispatch.c - the engines of a queue: start staged jobs on idle
 * engines (Run Program without waiting), collect finished runs, abort runs
 * that overstay, and the progress loop that ties this to staging and DMA.
 */
#include <errno.h>
#include <string.h>

#include "cmd.h"
#include "prog.h"
#include "queue.h"


/* After ABORT, how long an engine may take to stop before it is given up. */
#define ABORT_GRACE_MS 1000u

static int rd(struct hermes_queue *q, uint32_t off, uint32_t *v)
{
	int err = hermes__bar0_read(q->dev, off, v);

	return err ? queue__err(q, err, "%s", hermes_dev_errmsg(q->dev)) : 0;
}

static int wr(struct hermes_queue *q, uint32_t off, uint32_t v)
{
	int err = hermes__bar0_write(q->dev, off, v);

	return err ? queue__err(q, err, "%s", hermes_dev_errmsg(q->dev)) : 0;
}

static int rd64(struct hermes_queue *q, uint32_t off, uint64_t *v)
{
	int err = hermes__bar0_read64(q->dev, off, v);

	return err ? queue__err(q, err, "%s", hermes_dev_errmsg(q->dev)) : 0;
}

static int start_run(struct hermes_queue *q, struct qeng *e, struct qjob *j)
{
	uint32_t req[6] = { 0 };
	uint16_t id = ++q->cmd_id;
	int err;

	req[0] = HERMES_CMD_RUN | (uint32_t)id << 16;
	req[2] = (uint32_t)j->prog->slot | (uint32_t)j->dslot << 8;
	req[3] = (uint32_t)j->prog->code_len;
	req[4] = j->data_len;
	req[5] = (uint32_t)j->job.max_insns;
	for (unsigned w = 0; w < 6; w++)
		if ((err = wr(q, HERMES_EHCMDREQ(e->idx) + 4 * w, req[w])))
			goto fail;
	if ((err = wr(q, HERMES_EHCMDCTRL(e->idx), HERMES_CTRL_IRQEN | HERMES_CTRL_EXEC)))
		goto fail;
	e->job = j;
	e->cmd_id = id;
	e->aborted = 0;
	e->start_ns = queue__now_ns();
	e->start_bus = queue__bus_ns(q);
	e->start_clk = queue__clock(q);
	j->state = QJ_RUNNING;
	j->c.engine = (int)e->idx;
	return 0;
fail:
	j->c.res = err;
	queue__finish(q, j);
	return err;
}

/* The run on e ended (or was given up): its job goes to download or completes. */
static void run_ended(struct hermes_queue *q, struct qeng *e, struct qjob *j)
{
	uint64_t now = queue__now_ns(), clk = queue__clock(q);

	q->st.eng_jobs[e->idx]++;
	q->st.eng_cycles[e->idx] += j->c.cycles;
	q->st.eng_busy_ns[e->idx] += now - e->start_ns;
	q->st.eng_busy_clocks[e->idx] += clk - e->start_clk;
	e->job = NULL;
	queue__prog_put(q, j->prog);
	j->prog = NULL;
	if (j->job.out_len && (j->c.res == 0 || j->c.res == -ETIMEDOUT)) {
		j->state = QJ_POST;
		queue__list_push(&q->post, j);
	} else {
		queue__finish(q, j);
	}
}

/* A job the card reset took away, or submitted after it. */
static void cancel_job(struct hermes_queue *q, struct qjob *j)
{
	j->c.res = -ECANCELED;
	queue__finish(q, j);
}

/*
 * The card was reset (docs/REGISTERS.md "EHRESET"): the runs in flight are
 * gone and the queue's slots are free or someone else's. Every job not
 * completed ends with -ECANCELED, nothing is released again, and jobs
 * submitted later are cancelled too: the queue is over.
 */
static void card_was_reset(struct hermes_queue *q)
{
	struct qjob *j;

	if (!q->card_reset)
		queue__err(q, -ECANCELED, "card was reset: the queue's runs and slots are gone (create a new queue)");
	q->card_reset = 1;
	for (unsigned i = 0; i < q->n_eng; i++) {
		if ((j = q->eng[i].job)) {
			q->eng[i].job = NULL;
			cancel_job(q, j);
		}
	}
	while ((j = queue__list_pop(&q->staged)))
		cancel_job(q, j);
	while ((j = queue__list_pop(&q->post)))
		cancel_job(q, j);
	while ((j = queue__list_pop(&q->pending)))
		cancel_job(q, j);
	while ((j = queue__list_pop(&q->hw_pending)))
		cancel_job(q, j);
	/* The reset disabled the hardware queue: what was sent never completes. */
	for (unsigned i = 0; i < q->depth; i++) {
		if (q->jobs[i].state == QJ_HW) {
			q->jobs[i].prog = NULL;
			cancel_job(q, &q->jobs[i]);
		}
	}
	q->hw_inflight = 0;
	queue__slots_forget(q);
}

int queue__reset_seen(struct hermes_queue *q)
{
	uint32_t now;

	if (q->card_reset)
		return 1;
	/* A failed read says nothing about resets; the next access reports it. */
	if (hermes__reset_count(q->dev, &now) || now == q->resets)
		return 0;
	card_was_reset(q);
	return 1;
}

/* Engine e: if its run is done, read the response and counters, acknowledge. 1: collected. */
static int collect(struct hermes_queue *q, struct qeng *e)
{
	struct qjob *j = e->job;
	uint32_t ctrl, w[4];
	uint64_t v;
	int err;

	if ((err = rd(q, HERMES_EHCMDCTRL(e->idx), &ctrl)))
		return err;
	/* A run only leaves EXEC by setting DONE: both clear, the card was reset. */
	if (!(ctrl & (HERMES_CTRL_DONE | HERMES_CTRL_EXEC))) {
		card_was_reset(q);
		return 1;
	}
	if (!(ctrl & HERMES_CTRL_DONE))
		return 0;
	for (unsigned i = 0; i < 4; i++)
		if ((err = rd(q, HERMES_EHCMDRES(e->idx) + 4 * i, &w[i])))
			return err;
	if ((err = rd64(q, HERMES_EHENGSTAT(e->idx) + HERMES_STAT_INSNS, &j->c.insns)) ||
	    (err = rd64(q, HERMES_EHENGSTAT(e->idx) + HERMES_STAT_CYCLES, &j->c.cycles)))
		return err;
	j->c.status = (w[0] >> 16) & 0xff;
	v = (uint64_t)w[3] << 32 | w[2];
	if (j->c.status == HERMES_ST_SUCCESS) {
		j->c.r0 = v;
	} else if (j->c.status == HERMES_ST_EBPF_ERROR) {
		j->c.pc = (uint32_t)v;
		j->c.cause = (unsigned)(v >> 32);
		if ((err = rd64(q, HERMES_EHENGSTAT(e->idx) + HERMES_STAT_FAULT_ADDR, &j->c.addr)))
			return err;
	}
	if ((err = wr(q, HERMES_EHCMDCTRL(e->idx), HERMES_CTRL_IRQEN)))
		return err;
	if ((w[0] & 0xffff) != e->cmd_id)
		j->c.res = queue__err(q, -EPROTO, "engine %u: response carries command id %u, expected %u", e->idx,
				      w[0] & 0xffff, e->cmd_id);
	else if (e->aborted)
		j->c.res = queue__err(q, -ETIMEDOUT, "engine %u: job %llu ran longer than %u ms and was aborted",
				      e->idx, (unsigned long long)j->job.user_data, q->timeout_ms);
	run_ended(q, e, j);
	return 1;
}

/* ABORT runs past the queue's job timeout; give up engines that do not stop. */
static int check_timeouts(struct hermes_queue *q)
{
	uint64_t now = queue__bus_ns(q), limit = (uint64_t)q->timeout_ms * 1000000u;
	int err;

	for (unsigned i = 0; i < q->n_eng; i++) {
		struct qeng *e = &q->eng[i];

		if (!e->job)
			continue;
		if (!e->aborted && now - e->start_bus > limit) {
			if ((err = wr(q, HERMES_EHCMDCTRL(e->idx), HERMES_CTRL_IRQEN | HERMES_CTRL_ABORT)))
				return err;
			e->aborted = 1;
			e->abort_bus = now;
		} else if (e->aborted && now - e->abort_bus > (uint64_t)ABORT_GRACE_MS * 1000000u) {
			struct qjob *j = e->job;

			j->c.res = queue__err(q, -ETIMEDOUT, "engine %u stays busy after ABORT; not used again",
					      e->idx);
			e->dead = 1;
			run_ended(q, e, j);
		}
	}
	return 0;
}

static uint64_t data_addr(struct hermes_queue *q, int slot)
{
	return q->info.data_slot_off + (uint64_t)slot * q->info.data_slot_size;
}

static void download(struct hermes_queue *q, struct qjob *j)
{
	int err;

	/* After a reset the slot may hold someone else's data by now. */
	if (queue__reset_seen(q)) {
		cancel_job(q, j);
		return;
	}
	err = q->dev->bus->ops->dma_from_card(q->dev->bus, data_addr(q, j->dslot), j->job.out, j->job.out_len);

	if (err)
		j->c.res = queue__err(q, err, "downloading %zu bytes of output: %s", j->job.out_len,
				      hermes_dev_errmsg(q->dev));
	else
		q->st.bytes_from_card += j->job.out_len;
	queue__finish(q, j);
}

/* Stage the first pending job. 1: staged (or failed and completed), 0: it waits for slots. */
static int stage_head(struct hermes_queue *q)
{
	struct qjob *j;
	int r;

	/* Never upload into slots a reset may have handed to someone else. */
	if (queue__reset_seen(q))
		return 1;
	j = queue__list_pop(&q->pending);
	r = queue__stage(q, j);

	if (r == 0)
		queue__list_push_front(&q->pending, j);
	return r != 0;
}

static int any_running(const struct hermes_queue *q)
{
	for (unsigned i = 0; i < q->n_eng; i++)
		if (q->eng[i].job)
			return 1;
	return 0;
}

/* A hardware-queue completion: the job ends as a register-path run would. */
static void hw_complete(struct hermes_queue *q, const struct hermes_hwq_cpl *c)
{
	struct qjob *j = &q->jobs[c->user_tag];
	int e = c->engine;

	j->c.status = c->status;
	j->c.r0 = c->status == HERMES_ST_SUCCESS ? c->r0 : 0;
	j->c.cause = c->status == HERMES_ST_EBPF_ERROR ? c->cause : 0;
	j->c.pc = c->status == HERMES_ST_EBPF_ERROR ? c->fault_pc : 0;
	j->c.addr = c->status == HERMES_ST_EBPF_ERROR ? c->fault_addr : 0;
	j->c.insns = c->retired;
	j->c.cycles = c->cycles;
	j->c.engine = e;
	if (e >= 0 && e < HERMES_QUEUE_MAX_ENGINES) {
		q->st.eng_jobs[e]++;
		q->st.eng_cycles[e] += c->cycles;
		q->st.eng_busy_clocks[e] += c->cycles;
		q->st.eng_busy_ns[e] += c->cycles * 1000u / HERMES_CARD_CLOCKS_PER_US;
		if (c->cause == HERMES_FAULT_ABORTED && (q->hw_aborted & (1u << e))) {
			q->hw_aborted &= ~(1u << e);
			j->c.res = queue__err(q, -ETIMEDOUT, "engine %d: job %llu ran longer than %u ms and was aborted",
					      e, (unsigned long long)j->job.user_data, q->timeout_ms);
		}
	}
	if (j->job.out_len)
		q->st.bytes_from_card += j->job.out_len;
	q->st.hw_jobs++;
	q->hw_inflight--;
	queue__prog_put(q, j->prog);
	j->prog = NULL;
	queue__finish(q, j);
}

/*
 * Jobs of the hardware queue that waited longer than the job timeout:
 * abort the queue's engines whose current run is older than it (the
 * dispatcher's runs included). A run's age is its clocks in EHENGSTAT at
 * 250 MHz, or, where the bus counts wall time and the card may run slower
 * (xdma-fuse), how long scans have seen it running (its clocks never
 * falling: the same run). Register reads only while a job is overdue,
 * never per job.
 */
static int hw_check_timeouts(struct hermes_queue *q)
{
	uint64_t now = queue__bus_ns(q), limit = (uint64_t)q->timeout_ms * 1000000u, oldest = UINT64_MAX;
	int err;

	if (!q->hw_inflight || now < q->hw_next_scan)
		return 0;
	for (unsigned i = 0; i < q->depth; i++)
		if (q->jobs[i].state == QJ_HW && q->jobs[i].hw_sent_bus < oldest)
			oldest = q->jobs[i].hw_sent_bus;
	if (oldest == UINT64_MAX || now - oldest <= limit) {
		q->hw_next_scan = oldest == UINT64_MAX ? UINT64_MAX : oldest + limit + 1;
		/* Runs seen by scans before this pause are not known to be the same later. */
		memset(q->hw_run_since, 0, sizeof(q->hw_run_since));
		return 0;
	}
	for (unsigned i = 0; i < q->n_eng; i++) {
		unsigned e = q->eng[i].idx;
		uint32_t state;
		uint64_t clocks;

		uint64_t age;

		if (q->eng[i].job || (q->hw_aborted & (1u << e)))
			continue;
		if ((err = rd(q, HERMES_EHENGSTAT(e) + HERMES_STAT_STATE, &state)))
			return err;
		if (state != 1) {
			q->hw_run_since[e] = 0;
			continue;
		}
		if ((err = rd64(q, HERMES_EHENGSTAT(e) + HERMES_STAT_CYCLES, &clocks)))
			return err;
		if (!q->hw_run_since[e] || clocks < q->hw_run_clocks[e])
			q->hw_run_since[e] = now;
		q->hw_run_clocks[e] = clocks;
		age = clocks * 1000u / HERMES_CARD_CLOCKS_PER_US;
		if (now - q->hw_run_since[e] > age)
			age = now - q->hw_run_since[e];
		if (age > limit) {
			if ((err = wr(q, HERMES_EHCMDCTRL(e), HERMES_CTRL_IRQEN | HERMES_CTRL_ABORT)))
				return err;
			q->hw_aborted |= 1u << e;
			q->hw_run_since[e] = 0;
		}
	}
	q->hw_next_scan = now + (limit / 8 > 1000000u ? limit / 8 : 1000000u);
	return 0;
}

int queue__hw_round(struct hermes_queue *q, int submitting)
{
	struct hermes_hwq_cpl *c;
	struct qjob *j;
	unsigned n = 0;
	int did = 0, r;

	if (!q->hwq)
		return 0;
	while (queue__hwq_take(q->hwq, &c) == 0) {
		hw_complete(q, c);
		hermes_hwq_seen(q->hwq, c);
		did = 1;
	}
	/*
	 * Everything waiting that the ring has room for, in one batch. A
	 * submit sends at once only while engines may be idle (fewer jobs in
	 * the ring than engines); beyond that its jobs wait for the next wait
	 * or reap, which sends them together: one DMA and one doorbell for
	 * what a loop of single submits queued.
	 */
	while (q->hw_pending.n && !(submitting && q->hw_inflight >= q->n_eng)) {
		j = queue__list_pop(&q->hw_pending);
		r = queue__stage_hw(q, j);
		if (r == 0) {
			queue__list_push_front(&q->hw_pending, j);
			break;
		}
		did = 1;
		if (r > 0) {
			j->hw_sent_bus = queue__bus_ns(q);
			q->hw_inflight++;
			n++;
		}
	}
	if (n) {
		if ((r = queue__hwq_submit(q->hwq)) < 0)
			return queue__err(q, r, "sending %u jobs to the hardware queue: %s", n, hermes_dev_errmsg(q->dev));
		if (q->hw_next_scan == 0 || q->hw_next_scan == UINT64_MAX)
			q->hw_next_scan = queue__bus_ns(q) + (uint64_t)q->timeout_ms * 1000000u + 1;
	}
	if ((r = hw_check_timeouts(q)))
		return r;
	return did;
}

/* One round: returns 1 if anything moved, or a negative errno. */
static int round_once(struct hermes_queue *q, int submitting)
{
	int did = 0, r, idle_unfed = 0;

	if ((r = queue__hw_round(q, submitting)) < 0)
		return r;
	did |= r;

	for (unsigned i = 0; i < q->n_eng; i++) {
		if (!q->eng[i].job)
			continue;
		if ((r = collect(q, &q->eng[i])) < 0)
			return r;
		did |= r;
	}
	if ((r = check_timeouts(q)))
		return r;
	/* Idle engines are fed round robin, from the one after the engine fed
	 * last: where jobs end faster than the host starts them (short jobs, a
	 * slow bus), a first-idle rule would keep feeding engine 0 alone. */
	for (unsigned k = 0; k < q->n_eng; k++) {
		unsigned i = (q->next_eng + k) % q->n_eng;
		struct qeng *e = &q->eng[i];

		if (e->job || e->dead)
			continue;
		if (queue__slot_commands_wanted(q)) {
			if ((r = queue__slot_commands(q, i)) < 0)
				return r;
			did |= r;
		}
		if (q->staged.n) {
			start_run(q, e, queue__list_pop(&q->staged));
			q->next_eng = (i + 1) % q->n_eng;
			did = 1;
		} else {
			idle_unfed = 1;
		}
	}
	/* One transfer: feed starving engines first, else finish runs, else stage ahead. */
	if (q->pending.n && (idle_unfed || !q->post.n) && q->staged.n < q->n_eng && stage_head(q))
		return 1;
	if (q->post.n) {
		download(q, queue__list_pop(&q->post));
		return 1;
	}
	return did;
}

int queue__progress(struct hermes_queue *q, int submitting)
{
	int r;

	if (q->card_reset) {
		card_was_reset(q); /* cancels what was submitted since */
		return 0;
	}
	for (;;) {
		while ((r = round_once(q, submitting)) > 0)
			;
		if (r < 0)
			return r;
		/*
		 * Nothing of ours in flight and the first job still cannot get a
		 * slot: ask the card once more, then give up on that job.
		 */
		if (!q->pending.n || any_running(q) || q->staged.n || q->post.n || q->hw_inflight)
			return 0;
		if (queue__idle_engine(q) < 0)
			return queue__err(q, -EIO, "every engine of the queue stopped responding");
		q->starved_data = q->starved_prog = 0;
		if ((r = queue__slot_commands(q, (unsigned)queue__idle_engine(q))) < 0)
			return r;
		if (stage_head(q))
			continue;
		{
			struct qjob *j = queue__list_pop(&q->pending);

			j->c.res = queue__err(q, -ENOSPC, "job %llu: the card has no free %s slot",
					      (unsigned long long)j->job.user_data,
					      q->spare_data.n || j->dslot >= 0 ? "program" : "data");
			queue__finish(q, j);
		}
	}
}

int queue__sleep(struct hermes_queue *q, unsigned timeout_ms)
{
	uint64_t now = queue__bus_ns(q), limit = (uint64_t)q->timeout_ms * 1000000u;
	uint32_t mask = 0, pending;
	int err;

	for (unsigned i = 0; i < q->n_eng; i++) {
		struct qeng *e = &q->eng[i];
		uint64_t end;

		if (!e->job)
			continue;
		mask |= 1u << e->idx;
		/* Wake up in time to abort an overdue run. */
		end = e->aborted ? e->abort_bus + (uint64_t)ABORT_GRACE_MS * 1000000u : e->start_bus + limit;
		if (end <= now)
			timeout_ms = 0;
		else if ((end - now) / 1000000u + 1 < timeout_ms)
			timeout_ms = (unsigned)((end - now) / 1000000u + 1);
	}
	if (q->hw_inflight) {
		uint32_t bit = 1u << queue__hwq_irq(q->hwq);
		int ready, woke;

		/* The CQ head alone only where the card needs the credit (hwq.c). */
		if ((ready = queue__hwq_before_sleep(q->hwq)) != 0)
			return ready < 0 ? queue__err(q, ready, "%s", hermes_dev_errmsg(q->dev)) : 0;
		if (q->hw_next_scan > now && (q->hw_next_scan - now) / 1000000u + 1 < timeout_ms)
			timeout_ms = (unsigned)((q->hw_next_scan - now) / 1000000u + 1);
		/*
		 * Slices of 1 ms of bus time: the interrupt comes at most 2,000
		 * clocks after a completion, so an empty slice means nothing
		 * completed and is when a card reset (which disables the queue
		 * and completes nothing) is looked for. 5 ms slices on an
		 * events node (as hermes_hwq_wait). Each wake-up of the queue's
		 * event, and each slice's end, is one look at the ring.
		 */
		if (timeout_ms > (queue__hwq_edge_sliced(q->hwq) ? 5u : 1u))
			timeout_ms = queue__hwq_edge_sliced(q->hwq) ? 5u : 1u;
		err = q->dev->bus->ops->wait_irq(q->dev->bus, mask | bit, timeout_ms, &pending);
		if (err && err != -ETIMEDOUT)
			return queue__err(q, err, "%s", hermes_dev_errmsg(q->dev));
		woke = !err && (pending & bit);
		if (woke || err == -ETIMEDOUT) {
			if ((ready = queue__hwq_after_sleep(q->hwq)) < 0)
				return queue__err(q, ready, "%s", hermes_dev_errmsg(q->dev));
			/* Nothing came: has the card been reset (which disables the queue)? */
			if (!ready && !woke)
				queue__reset_seen(q);
		}
		return err;
	}
	if (!mask) {
		if (queue__idle_engine(q) < 0)
			return queue__err(q, -EIO, "every engine of the queue stopped responding");
		/* Nothing runs: let a millisecond of bus time pass (card time on "sim"). */
		q->dev->bus->ops->pause(q->dev->bus, 1000);
		return -ETIMEDOUT;
	}
	err = q->dev->bus->ops->wait_irq(q->dev->bus, mask, timeout_ms, &pending);
	if (err && err != -ETIMEDOUT)
		return queue__err(q, err, "%s", hermes_dev_errmsg(q->dev));
	return err;
}

/*
 * Destroy with jobs in the hardware queue: take no more entries, abort
 * the queue's engines still running, and let the dispatcher finish them
 * (their program slots are released next).
 */
static void hw_abort_all(struct hermes_queue *q)
{
	uint64_t deadline = queue__bus_ns(q) + (uint64_t)ABORT_GRACE_MS * 1000000u;
	uint32_t state, pending;

	if (!q->hwq || !q->hw_inflight || q->card_reset)
		return;
	queue__hwq_disable(q->hwq);
	/*
	 * Entries the dispatcher took before the disable still run, one after
	 * another as engines come free: abort whatever runs until every taken
	 * entry has its completion (and so its data slot back).
	 */
	while (queue__bus_ns(q) < deadline && queue__hwq_drained(q->hwq) == 0) {
		for (unsigned i = 0; i < q->n_eng; i++)
			if (!q->eng[i].job && !rd(q, HERMES_EHENGSTAT(q->eng[i].idx) + HERMES_STAT_STATE, &state) &&
			    state == 1)
				wr(q, HERMES_EHCMDCTRL(q->eng[i].idx), HERMES_CTRL_IRQEN | HERMES_CTRL_ABORT);
		q->dev->bus->ops->wait_irq(q->dev->bus, 0, 1, &pending);
	}
}

void queue__abort_all(struct hermes_queue *q)
{
	uint64_t deadline = queue__bus_ns(q) + (uint64_t)ABORT_GRACE_MS * 1000000u;

	hw_abort_all(q);

	for (unsigned i = 0; i < q->n_eng; i++)
		if (q->eng[i].job)
			wr(q, HERMES_EHCMDCTRL(q->eng[i].idx), HERMES_CTRL_IRQEN | HERMES_CTRL_ABORT);
	for (unsigned i = 0; i < q->n_eng; i++) {
		struct qeng *e = &q->eng[i];
		uint32_t ctrl, pending;

		while (e->job) {
			uint64_t now = queue__bus_ns(q);

			if (rd(q, HERMES_EHCMDCTRL(e->idx), &ctrl) || !(ctrl & HERMES_CTRL_EXEC) || (ctrl & HERMES_CTRL_DONE) ||
			    now >= deadline) {
				wr(q, HERMES_EHCMDCTRL(e->idx), HERMES_CTRL_IRQEN);
				e->job = NULL;
				break;
			}
			q->dev->bus->ops->wait_irq(q->dev->bus, 1u << e->idx,
						   (unsigned)((deadline - now) / 1000000u + 1), &pending);
		}
	}
}
