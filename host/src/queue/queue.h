/* SPDX-License-Identifier: MIT */
/*
 * queue.h - internals of hermes_queue (docs/QUEUE.md): the job table, the
 * per-engine state, the slot pools and the program cache.
 *
 * A job moves through these states:
 *
 *   WAIT     a linked job whose predecessor has not finished yet
 *   PENDING  ready; waits for a program slot, a data slot and its upload
 *   STAGED   program and data are on the card; waits for an idle engine
 *   RUNNING  Run Program in flight on an engine
 *   POST     the run ended; its output waits for the DMA channel
 *   DONE     completion ready to reap
 *
 * On a card with hardware queues (docs/HWQUEUE.md) a job that one entry
 * can carry (no link, no queue slot, a cacheable program, input and output
 * within HW_MAX_IO) goes instead PENDING (on hw_pending) -> HW (sent in a
 * batch: one DMA, one doorbell) -> DONE (its wide completion read back with
 * the others of the batch); the rest take the register path above.
 *
 * Everything is driven from hermes_queue_submit/reap/wait on the caller's
 * thread (queue__progress): collect finished engines, run slot commands
 * through idle engines, start staged jobs, then one DMA transfer, again
 * until nothing can move without waiting for an interrupt.
 */
#ifndef HERMES_QUEUE_H
#define HERMES_QUEUE_H

#include <stdint.h>

#include "dev.h"
#include "engine_lock.h"

enum qjob_state {
	QJ_FREE,
	QJ_WAIT,
	QJ_PENDING,
	QJ_STAGED,
	QJ_RUNNING,
	QJ_POST,
	QJ_DONE,
	QJ_HW,       /* in the card's hardware queue */
};

/* Largest input and output of a job on the hardware queue path. */
#define HW_MAX_IO 4096u
/* Ring entries of the queue pair (HW_MAX_IO buffers: 1 MiB, a queue's share). */
#define HW_ENTRIES 64u

struct qprog;

struct qjob {
	struct hermes_job job;
	struct hermes_completion c;
	enum qjob_state state;
	uint64_t seq;
	struct qjob *next;       /* list link (free, pending, staged, post, done) */
	struct qjob *chain_next; /* next job of a linked chain */
	struct qprog *prog;      /* program slot in use while STAGED/RUNNING */
	int dslot;               /* card data slot, -1: none yet */
	int dslot_owned;         /* allocated for this chain (released at its end) */
	int uslot;               /* queue data slot named by the chain, -1: none */
	uint32_t data_len;       /* r2 of the run */
	uint64_t prog_hash;      /* of the program image (cache lookups) */
	int hw;                  /* goes through the hardware queue */
	uint64_t hw_sent_bus;    /* bus time (ns) it was sent */
};

struct qlist {
	struct qjob *head, *tail;
	unsigned n;
};

/* A program slot: a cache entry (shared by jobs) or one job's own. */
struct qprog {
	int slot;                  /* card program slot, -1: entry unused */
	unsigned char *image;      /* copy of what was uploaded (cache key) */
	uint64_t hash;
	size_t image_len, code_len;
	unsigned refs;             /* jobs STAGED/RUNNING on it */
	uint64_t last_use;
	int cached;                /* kept after its jobs end */
};

struct qeng {
	unsigned idx;              /* card engine number */
	struct qjob *job;          /* running, NULL: idle */
	uint16_t cmd_id;
	int aborted;               /* ABORT written after the job timeout */
	int dead;                  /* stayed busy after ABORT: not used again */
	uint64_t start_ns, start_clk; /* host time and card clocks at the start (statistics) */
	uint64_t start_bus, abort_bus; /* bus time in ns (timeouts: card time on a card clocked here) */
	struct hermes_engine_lock lk; /* "xdma": ownership for the queue's life */
	int locked;
};

/* Slot ids of one type the queue holds for later use or must give back. */
struct qslots {
	int *ids;
	unsigned n, cap;
};

struct quser_slot {
	int slot;
	unsigned refs;             /* queued jobs naming it */
};

struct hermes_queue {
	struct hermes_dev *dev;
	struct hermes_info info;
	unsigned depth, flags, timeout_ms;
	int local;                 /* the card is this process's only (bus.h) */

	struct qjob *jobs;         /* depth entries */
	struct qlist free_jobs, pending, staged, post, done;
	struct qjob **order;       /* HERMES_QUEUE_ORDERED: ring of jobs by submission */
	unsigned order_head, order_n;
	unsigned inflight;         /* submitted, not reaped */
	unsigned ready;            /* DONE, not reaped */
	uint64_t seq;

	struct qeng eng[HERMES_QUEUE_MAX_ENGINES];
	unsigned n_eng;
	unsigned next_eng;         /* where the search for an idle engine starts: round robin */
	uint32_t engine_mask;

	struct qprog *progs;       /* program cache + per-job program slots */
	unsigned n_progs, prog_cache;
	uint64_t use_clock;

	struct qslots spare_data, spare_prog;  /* allocated, clean, unused */
	struct qslots rel_data, rel_prog;      /* to release through an idle engine */
	int starved_data, starved_prog;        /* the card answered "no free slot" */
	uint32_t resets;                       /* the card's reset count at creation (cmd.h) */
	int card_reset;                        /* a card reset was seen: slots forgotten, jobs cancelled */

	struct quser_slot *user_slots;
	unsigned n_user_slots;

	int claimed;

	/* The hardware queue path (NULL: register path only). */
	struct hermes_hwq *hwq;
	struct qlist hw_pending;
	unsigned hw_inflight;
	uint64_t hw_next_scan;                 /* bus ns: look for overdue runs then */
	uint32_t hw_aborted;                   /* engines aborted for overdue hardware-queue jobs */
	/* Per engine at the last scan for overdue runs: running since (bus ns, 0: not running), its clocks then. */
	uint64_t hw_run_since[HERMES_QUEUE_MAX_ENGINES], hw_run_clocks[HERMES_QUEUE_MAX_ENGINES];

	uint16_t cmd_id;
	uint64_t t0_ns, clk0;
	struct hermes_queue_stats st;
	char errmsg[512];
};

/* queue.c */
uint64_t queue__now_ns(void);
uint64_t queue__bus_ns(struct hermes_queue *q);
uint64_t queue__clock(struct hermes_queue *q);
int queue__err(struct hermes_queue *q, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void queue__list_push(struct qlist *l, struct qjob *j);
void queue__list_push_front(struct qlist *l, struct qjob *j);
struct qjob *queue__list_pop(struct qlist *l);
/* The job ends with its completion filled in: release what it holds, go on with or cancel its chain. */
void queue__finish(struct hermes_queue *q, struct qjob *j);

/* queue_slots.c: slot pools, program cache, uploads. */
uint64_t queue__hash(const void *buf, size_t len);
int queue__slots_take(struct qslots *s, int *id);
int queue__slots_put(struct hermes_queue *q, struct qslots *s, int id);
/* Slot commands through idle engine e: releases first, then top-ups. Returns 1 if any ran. */
int queue__slot_commands(struct hermes_queue *q, unsigned e);
/* Are slot commands waiting for an idle engine? */
int queue__slot_commands_wanted(struct hermes_queue *q);
/* Give a program slot back after a job (cached entries stay loaded). */
void queue__prog_put(struct hermes_queue *q, struct qprog *p);
/* Stage the pending head: 1 staged, 0 blocked on slots, negative: the job failed (it was finished). */
int queue__stage(struct hermes_queue *q, struct qjob *j);
/* Release everything the queue holds (destroy). */
void queue__slots_drain(struct hermes_queue *q);
/* After a card reset: forget every slot (they are free or someone else's), release none. */
void queue__slots_forget(struct hermes_queue *q);
struct quser_slot *queue__user_slot(struct hermes_queue *q, uint32_t slot);
int queue__idle_engine(struct hermes_queue *q);

/* Stage a hardware-queue job: program loaded, entry filled. 1, 0 blocked on slots, <0 failed (finished). */
int queue__stage_hw(struct hermes_queue *q, struct qjob *j);

/* hwq.c: a queue pair driven by hermes_queue; the caller holds the device. */
void queue__hwq_name_prog(struct hermes_hwq *q, struct hermes_hwq_job *j, unsigned slot, uint32_t code_len,
			  uint32_t data_len);
unsigned queue__hwq_room(const struct hermes_hwq *q);
int queue__hwq_submit(struct hermes_hwq *q);
unsigned queue__hwq_irq(const struct hermes_hwq *q);
int queue__hwq_take(struct hermes_hwq *q, struct hermes_hwq_cpl **cpl);
int queue__hwq_collect(struct hermes_hwq *q);
int queue__hwq_before_sleep(struct hermes_hwq *q);
int queue__hwq_after_sleep(struct hermes_hwq *q);
int queue__hwq_edge_sliced(const struct hermes_hwq *q);
int queue__hwq_disable(struct hermes_hwq *q);
/* 1 when every entry the dispatcher took has completed, 0 if not, or -errno. */
int queue__hwq_drained(struct hermes_hwq *q);

/* queue_dispatch.c: engines. */
/* Move everything that can move. submitting: called by hermes_queue_submit,
 * which sends jobs to the hardware queue only while engines may be idle
 * (the rest go as one batch at the next wait or reap). */
int queue__progress(struct hermes_queue *q, int submitting);
/* Block until an interrupt of a running engine (or timeout_ms). */
int queue__sleep(struct hermes_queue *q, unsigned timeout_ms);
/* Abort and collect every running job (destroy). */
void queue__abort_all(struct hermes_queue *q);
/* The hardware queue path's round: completions, then a batch. 1 if anything moved. */
int queue__hw_round(struct hermes_queue *q, int submitting);
/*
 * Was the card reset since the queue was created (by anyone)? Then every
 * job not completed ends with -ECANCELED, the queue forgets its slots and
 * cancels later jobs too: returns 1. Reads EHRESET once unless known.
 */
int queue__reset_seen(struct hermes_queue *q);

#endif
