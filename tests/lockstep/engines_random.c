/* SPDX-License-Identifier: MIT */
/*
 * engines_random - atomics between engines: rounds of random programs
 * (gen.h HERMES_GEN_SHARED) that run at the same time on every engine of
 * the simulated card against one queue data slot, each in a window of its
 * own and all on a shared area of order-independent atomics and a ticket
 * counter. The reference VM then runs the same programs one after another
 * on the same initial slot. Must agree: every job's status, r0 and retired
 * count, the whole slot except the ticket records, and which records were
 * written; the card's tickets must all differ and lie below the counter.
 * The round also checks that the engines did run side by side (the jobs'
 * engine clocks add up to well over the clocks the round took), or it
 * would not test what it claims.
 *
 *   engines_random [-n ROUNDS] [-s SEED] [-i INSNS] [-d DEVICE] [-v]
 *
 * DEVICE: a simulated card, default "sim:cost=zero" (the free bus, so the
 * host's dispatch keeps every engine busy). Prints each failure with its
 * round's seed (rerun it alone with -n 1 -s SEED) and closes with
 * "N passed, M failed".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "gen.h"
#include "hermes_sim.h"

#define MAX_SLOTS 8192
#define WINDOW 256u                                    /* each job's data window */
#define RECORDS (8u * HERMES_GEN_RECORDS)              /* its ticket records after it */
#define STRIDE (WINDOW + RECORDS)
#define MAX_JOBS 64u
#define SENTINEL UINT64_MAX                            /* a record no ticket wrote */

struct round {
	unsigned jobs;
	size_t len;
	uint8_t *init, *card, *ref;
	struct hermes_prog *prog[MAX_JOBS];
	struct hermes_completion cpl[MAX_JOBS];
	struct hermes_run_result res[MAX_JOBS];
};

static size_t window_off(unsigned j)
{
	return HERMES_GEN_SHARED_BYTES + (size_t)j * STRIDE;
}

static int is_record(size_t off)
{
	return off >= HERMES_GEN_SHARED_BYTES && (off - HERMES_GEN_SHARED_BYTES) % STRIDE >= WINDOW;
}

static uint64_t word(const uint8_t *buf, size_t off)
{
	uint64_t v;

	memcpy(&v, buf + off, 8);
	return v;
}

/* The programs and the initial slot of round `seed`. */
static int make_round(struct round *r, uint64_t seed, unsigned insns, struct hermes_insn *code)
{
	struct hermes_rng rng;

	hermes_rng_seed(&rng, seed ^ 0x5a17e5ull);
	for (size_t i = 0; i < r->len; i += 8) {
		uint64_t v = hermes_rng_next(&rng);

		if (i == 8 * HERMES_GEN_SHARED_TICKET)
			v = 0;
		else if (is_record(i))
			v = SENTINEL;
		memcpy(r->init + i, &v, 8);
	}
	for (unsigned j = 0; j < r->jobs; j++) {
		struct hermes_gen_opts go = {
			.sz = sizeof(go), .insns = insns, .data_bytes = WINDOW, .max_loop_iters = 8,
			.classes = HERMES_GEN_ALL | HERMES_GEN_SHARED, .data_offset = (unsigned)window_off(j),
		};
		size_t n;

		if (hermes_gen_program(&go, seed * MAX_JOBS + j, code, MAX_SLOTS, &n) ||
		    hermes_prog_from_bytecode(code, n * 8, &r->prog[j]))
			return -1;
	}
	return 0;
}

/* Every job on the card at once, on one queue slot; the round's clocks. */
static int run_card(struct hermes_dev *dev, struct round *r, uint64_t *clocks, char *why, size_t len)
{
	struct hermes_queue_opts qo = { .sz = sizeof(qo) };
	struct hermes_job jobs[MAX_JOBS];
	struct hermes_queue *q = NULL;
	struct hermes_sim *sim = hermes__dev_sim(dev);
	uint32_t slot;
	unsigned got = 0;
	uint64_t t0;
	int rc;

	if ((rc = hermes_queue_create(dev, &qo, &q))) {
		snprintf(why, len, "queue: %s", hermes_dev_errmsg(dev));
		return rc;
	}
	if ((rc = hermes_queue_slot_create(q, r->init, r->len, &slot)))
		goto fail;
	memset(jobs, 0, sizeof(jobs));
	for (unsigned j = 0; j < r->jobs; j++) {
		jobs[j].prog = r->prog[j];
		jobs[j].flags = HERMES_JOB_SLOT;
		jobs[j].slot = slot;
		jobs[j].data_len = (uint32_t)r->len;
		jobs[j].user_data = j;
	}
	t0 = hermes_sim_cycles(sim);
	if ((rc = hermes_queue_submit(q, jobs, r->jobs)) != (int)r->jobs) {
		rc = rc < 0 ? rc : -EAGAIN;
		goto fail;
	}
	while (got < r->jobs) {
		struct hermes_completion c[MAX_JOBS];

		if ((rc = hermes_queue_wait(q, 1, 60000)) < 0 ||
		    (rc = hermes_queue_reap(q, c, MAX_JOBS)) < 0)
			goto fail;
		for (int i = 0; i < rc; i++)
			r->cpl[c[i].user_data] = c[i];
		got += (unsigned)rc;
	}
	*clocks = hermes_sim_cycles(sim) - t0;
	if ((rc = hermes_queue_slot_read(q, slot, 0, r->card, r->len)) ||
	    (rc = hermes_queue_slot_destroy(q, slot)))
		goto fail;
	hermes_queue_destroy(q);
	return 0;
fail:
	snprintf(why, len, "card queue: %s", hermes_queue_errmsg(q));
	hermes_queue_destroy(q);
	return rc < 0 ? rc : -EIO;
}

/* The same jobs on the reference VM, one after another. */
static int run_ref(struct hermes_dev *ref, struct round *r, char *why, size_t len)
{
	memcpy(r->ref, r->init, r->len);
	for (unsigned j = 0; j < r->jobs; j++) {
		if (hermes_run(ref, r->prog[j], r->ref, r->len, r->ref, r->len, NULL, &r->res[j])) {
			snprintf(why, len, "ref job %u: %s", j, hermes_dev_errmsg(ref));
			return -1;
		}
	}
	return 0;
}

static int compare(const struct round *r, char *why, size_t len)
{
	uint64_t counter = word(r->card, 8 * HERMES_GEN_SHARED_TICKET);
	uint64_t tickets[MAX_JOBS * HERMES_GEN_RECORDS];
	unsigned nt = 0;

	for (unsigned j = 0; j < r->jobs; j++) {
		const struct hermes_completion *c = &r->cpl[j];
		const struct hermes_run_result *x = &r->res[j];

		if (c->res || c->status != x->status || c->insns != x->insns ||
		    (x->status == HERMES_ST_SUCCESS && c->r0 != x->r0) ||
		    (x->status != HERMES_ST_SUCCESS && (c->cause != x->cause || c->pc != x->pc))) {
			snprintf(why, len,
				 "job %u (engine %d): card res %d status %u r0 0x%" PRIx64 " insns %" PRIu64
				 " cause %u pc %u; ref status %u r0 0x%" PRIx64 " insns %" PRIu64 " cause %u pc %u",
				 j, c->engine, c->res, c->status, c->r0, c->insns, c->cause, c->pc, x->status, x->r0,
				 x->insns, x->cause, x->pc);
			return 1;
		}
	}
	for (size_t off = 0; off < r->len; off += 8) {
		uint64_t a = word(r->card, off), b = word(r->ref, off);

		if (!is_record(off)) {
			if (a != b) {
				snprintf(why, len, "slot offset %zu (%s): card 0x%016" PRIx64 ", ref 0x%016" PRIx64,
					 off, off < HERMES_GEN_SHARED_BYTES ? "shared area" : "a job's window", a, b);
				return 1;
			}
			continue;
		}
		if ((a == SENTINEL) != (b == SENTINEL)) {
			snprintf(why, len, "ticket record at %zu: written on %s only", off,
				 a == SENTINEL ? "the reference" : "the card");
			return 1;
		}
		if (a == SENTINEL)
			continue;
		if (a >= counter) {
			snprintf(why, len, "ticket record at %zu: %" PRIu64 ", not below the counter %" PRIu64,
				 off, a, counter);
			return 1;
		}
		for (unsigned i = 0; i < nt; i++) {
			if (tickets[i] == a) {
				snprintf(why, len, "ticket %" PRIu64 " handed out twice (record at %zu)", a, off);
				return 1;
			}
		}
		tickets[nt++] = a;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long rounds = 40, seed = 1, insns = 200;
	const char *device = "sim:cost=zero";
	int verbose = 0;
	struct hermes_dev *dev = NULL, *ref = NULL;
	struct hermes_insn *code = malloc(MAX_SLOTS * sizeof(*code));
	unsigned pass = 0, fail = 0;
	uint64_t busy = 0, span = 0, shared_ops = 0;
	struct hermes_info info;
	struct round r;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			rounds = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-i") && i + 1 < argc)
			insns = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-d") && i + 1 < argc)
			device = argv[++i];
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else {
			fprintf(stderr, "usage: engines_random [-n ROUNDS] [-s SEED] [-i INSNS] [-d DEVICE] [-v]\n");
			return 2;
		}
	}
	if (!code || hermes_dev_open(device, &dev) || hermes_dev_open("ref", &ref)) {
		printf("FAIL: cannot open the devices: %s\n", hermes_dev_errmsg(NULL));
		return 1;
	}
	if (hermes_dev_info(dev, &info) || !hermes__dev_sim(dev)) {
		printf("FAIL: %s needs the in-process simulated card\n", device);
		return 1;
	}
	memset(&r, 0, sizeof(r));
	r.jobs = 4 * info.engines < MAX_JOBS ? 4 * info.engines : MAX_JOBS;
	r.len = window_off(r.jobs);
	r.init = malloc(r.len);
	r.card = malloc(r.len);
	r.ref = malloc(r.len);
	if (!r.init || !r.card || !r.ref)
		return 1;
	printf("engines_random: %llu rounds of %u programs (~%llu body instructions) on %u engines from seed %llu\n",
	       rounds, r.jobs, insns, info.engines, seed);
	for (unsigned long long k = 0; k < rounds; k++) {
		uint64_t s = seed + k, clocks = 0, cycles = 0;
		char why[512] = "";

		if (make_round(&r, s, (unsigned)insns, code)) {
			printf("FAIL seed %" PRIu64 ": cannot generate the programs\n", s);
			fail++;
			continue;
		}
		if (run_card(dev, &r, &clocks, why, sizeof(why)) || run_ref(ref, &r, why, sizeof(why)) ||
		    compare(&r, why, sizeof(why))) {
			printf("FAIL seed %" PRIu64 ": %s\n", s, why);
			fail++;
		} else {
			pass++;
			for (unsigned j = 0; j < r.jobs; j++)
				cycles += r.cpl[j].cycles;
			busy += cycles;
			span += clocks;
			shared_ops += word(r.card, 8 * HERMES_GEN_SHARED_TICKET);
			if (verbose)
				printf("ok seed %" PRIu64 ": %" PRIu64 " engine clocks in %" PRIu64 " clocks, %" PRIu64
				       " tickets\n", s, cycles, clocks, word(r.card, 8 * HERMES_GEN_SHARED_TICKET));
		}
		for (unsigned j = 0; j < r.jobs; j++)
			hermes_prog_free(r.prog[j]);
	}
	/*
	 * Engines side by side: the jobs' engine clocks over the rounds' clocks.
	 * With one engine at a time it would be at most 1.
	 */
	double overlap = span ? (double)busy / (double)span : 0;
	printf("engines side by side: %.2f on average (%" PRIu64 " engine clocks in %" PRIu64 " card clocks); %" PRIu64
	       " tickets\n", overlap, busy, span, shared_ops);
	if (pass && info.engines > 1 && overlap < 1.5) {
		printf("FAIL: the engines hardly overlapped (%.2f < 1.5): the rounds did not test atomics between engines\n",
		       overlap);
		fail++;
	}
	printf("%u passed, %u failed\n", pass, fail);
	free(r.init);
	free(r.card);
	free(r.ref);
	hermes_dev_close(dev);
	hermes_dev_close(ref);
	free(code);
	return fail ? 1 : 0;
}
