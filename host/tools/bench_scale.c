/* SPDX-License-Identifier: MIT */
/*
 * bench_scale.c - hermes bench scale: how aggregate throughput grows with
 * the number of engines a queue drives. A compute-bound program (a loop
 * of --iters iterations, 3 instructions each, no memory traffic) runs
 * --per-engine times per engine through one hermes_queue restricted to 1,
 * 2, 4 and 8 engines (as many as the card has), after a warm-up round
 * that is not counted (see run_one). On "sim" the figures are
 * in card clocks (jobs per second at the F1 shell's 250 MHz), so they do
 * not depend on how fast the host simulates; elsewhere in wall time.
 * Efficiency = throughput(N) / (N x throughput(1)); the target is >= 0.9.
 * --bytes N gives every job N bytes of input and of output (uploaded into
 * and read back from its data slot). On "sim" the BAR accesses per job
 * (MMIO, counted by the harness) are reported, and the card clocks include
 * whatever the PCIe cost model in force charges (cost_model in --json).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "dev.h"
#include "hermes_sim.h"

#define NAME "bench scale"
#define CARD_HZ 250e6

struct scale_run {
	unsigned engines, jobs, failed;
	double seconds;               /* card time on sim, else wall time */
	double wall;
	double jobs_per_s;
	double util[HERMES_QUEUE_MAX_ENGINES]; /* engine clocks running / elapsed */
	double util_mean;
	uint64_t clocks, insns;
	double bar0_rd, bar0_wr, bar2_rd, bar2_wr; /* per job, on sim */
	uint64_t hw_jobs;             /* of the measured jobs, through the hardware queue */
};

/* Input and output of every job (--bytes); the output is not checked. */
static uint8_t job_in[4096], job_out[4096];
static size_t job_bytes;

static struct hermes_prog *spin_prog(unsigned iters)
{
	/* mov r0,0; mov r3,iters; loop: add r0,r3; sub r3,1; jne r3,0,loop; exit */
	const uint8_t code[] = {
		0xb7, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0xb7, 0x03, 0x00, 0x00, (uint8_t)iters, (uint8_t)(iters >> 8), (uint8_t)(iters >> 16),
		(uint8_t)(iters >> 24),
		0x0f, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x17, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x55, 0x03, 0xfd, 0xff, 0x00, 0x00, 0x00, 0x00,
		0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct hermes_prog *p = NULL;

	return hermes_prog_from_bytecode(code, sizeof(code), &p) ? NULL : p;
}

/* Run count jobs through q and wait for all; counts wrong results. */
static int run_jobs(struct hermes_queue *q, const struct hermes_prog *prog, unsigned count, uint64_t want,
		    unsigned *failed, uint64_t *insns, struct cli_progress *bar)
{
	struct hermes_completion c[64];
	unsigned sent = 0, got = 0;
	int r;

	while (got < count) {
		while (sent < count) {
			struct hermes_job j = { .prog = prog, .user_data = sent };

			if (job_bytes) {
				j.in = job_in;
				j.in_len = job_bytes;
				j.out = job_out;
				j.out_len = job_bytes;
			}

			r = hermes_queue_submit(q, &j, 1);
			if (r == -EAGAIN)
				break;
			if (r < 0)
				return cli_fail(NAME, "%s", hermes_queue_errmsg(q));
			sent++;
		}
		if ((r = hermes_queue_wait(q, 1, 60000)) < 0 || (r = hermes_queue_reap(q, c, 64)) < 0)
			return cli_fail(NAME, "%s", hermes_queue_errmsg(q));
		for (int i = 0; i < r; i++) {
			if (c[i].res || c[i].status != HERMES_ST_SUCCESS || c[i].r0 != want)
				(*failed)++;
			*insns += c[i].insns;
		}
		got += (unsigned)r;
		cli_progress_add(bar, (unsigned)r, NULL);
	}
	return 0;
}

/*
 * One configuration: a warm-up round of 2 jobs per engine (the program
 * upload, and the first use of each data slot after reset, which the card
 * scrubs whole), then the measured jobs; figures are the difference.
 */
static int run_one(struct hermes_dev *dev, const struct hermes_prog *prog, unsigned n, unsigned per_engine,
		   unsigned iters, struct scale_run *out, struct cli_progress *bar)
{
	struct hermes_queue_opts o = { .sz = sizeof(o) };
	struct hermes_queue_stats s0 = { .sz = sizeof(s0) }, s1 = { .sz = sizeof(s1) };
	uint64_t want = (uint64_t)iters * (iters + 1) / 2, insns = 0;
	struct hermes_queue *q;
	struct hermes_sim *sim = hermes__dev_sim(dev);
	struct hermes_sim_mmio m0 = { 0 }, m1 = { 0 };
	unsigned warm_failed = 0;
	int err;

	o.depth = 4 * n;
	o.engine_mask = (1u << n) - 1;
	if ((err = hermes_queue_create(dev, &o, &q)))
		return cli_fail(NAME, "%s", hermes_dev_errmsg(dev));
	memset(out, 0, sizeof(*out));
	out->engines = n;
	out->jobs = n * per_engine;
	if ((err = run_jobs(q, prog, 2 * n, want, &warm_failed, &insns, bar)))
		goto out;
	insns = 0;
	if (sim)
		hermes_sim_mmio_stats(sim, &m0);
	if (hermes_queue_get_stats(q, &s0) ||
	    (err = run_jobs(q, prog, out->jobs, want, &out->failed, &out->insns, bar)) ||
	    hermes_queue_get_stats(q, &s1)) {
		err = err ? err : cli_fail(NAME, "%s", hermes_queue_errmsg(q));
		goto out;
	}
	out->failed += warm_failed;
	if (sim) {
		hermes_sim_mmio_stats(sim, &m1);
		out->bar0_rd = (double)(m1.bar0_reads - m0.bar0_reads) / out->jobs;
		out->bar0_wr = (double)(m1.bar0_writes - m0.bar0_writes) / out->jobs;
		out->bar2_rd = (double)(m1.bar2_reads - m0.bar2_reads) / out->jobs;
		out->bar2_wr = (double)(m1.bar2_writes - m0.bar2_writes) / out->jobs;
	}
	out->hw_jobs = s1.hw_jobs - s0.hw_jobs;
	out->clocks = s1.clocks - s0.clocks;
	out->wall = (s1.wall_ns - s0.wall_ns) * 1e-9;
	out->seconds = out->clocks ? out->clocks / CARD_HZ : out->wall;
	out->jobs_per_s = out->seconds > 0 ? out->jobs / out->seconds : 0;
	for (unsigned e = 0; e < n; e++) {
		out->util[e] = out->clocks ? (double)(s1.eng_cycles[e] - s0.eng_cycles[e]) / (double)out->clocks
			       : out->wall > 0 ? (s1.eng_busy_ns[e] - s0.eng_busy_ns[e]) * 1e-9 / out->wall : 0;
		out->util_mean += out->util[e] / n;
	}
out:
	hermes_queue_destroy(q);
	return err;
}

int bench_scale(const struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "iters", required_argument, NULL, 'i' },
		{ "per-engine", required_argument, NULL, 'p' },
		{ "bytes", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned counts[] = { 1, 2, 4, 8 };
	struct scale_run runs[4];
	unsigned iters = 10000, per_engine = 8, nruns = 0, total_jobs = 0;
	struct cli_progress bar;
	struct hermes_prog *prog = NULL;
	struct hermes_dev *dev = NULL;
	struct hermes_info info;
	unsigned long long v;
	int json = 0, c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'i':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > 0x7fffffff)
				return cli_usage("bench", "bench scale: --iters needs a number from 1 to 2^31-1");
			iters = (unsigned)v;
			break;
		case 'p':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > 10000)
				return cli_usage("bench", "bench scale: --per-engine needs a number from 1 to 10000");
			per_engine = (unsigned)v;
			break;
		case 'b':
			if (cli_parse_u64(optarg, &v) || v > sizeof(job_in))
				return cli_usage("bench", "bench scale: --bytes needs a number from 0 to %zu", sizeof(job_in));
			job_bytes = (size_t)v;
			break;
		case ':': return cli_usage("bench", "bench scale: option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage("bench", "bench scale: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("bench", "bench scale: unexpected argument '%s'", argv[optind]);
	if (!(prog = spin_prog(iters)))
		return cli_fail(NAME, "cannot build the benchmark program");
	if ((rc = cli_open(cli, NAME, &dev)))
		goto out;
	if (hermes_dev_info(dev, &info) || !info.engines) {
		rc = cli_fail(NAME, "needs a card with engines (-d sim or -d xdma:...): %s", hermes_dev_errmsg(dev));
		goto out;
	}
	if ((rc = cli_warm_card(dev, NAME)))
		goto out;
	for (unsigned i = 0; i < 4 && counts[i] <= info.engines && counts[i] <= HERMES_QUEUE_MAX_ENGINES; i++)
		total_jobs += counts[i] * (2 + per_engine); /* warm-up and measured */
	cli_progress_start(&bar, total_jobs, NULL, json);
	for (unsigned i = 0; i < 4 && counts[i] <= info.engines && counts[i] <= HERMES_QUEUE_MAX_ENGINES; i++) {
		if ((rc = run_one(dev, prog, counts[i], per_engine, iters, &runs[nruns], &bar)))
			break;
		nruns++;
	}
	cli_progress_end(&bar, total_jobs, NULL, 0);
	if (rc)
		goto out;
	if (json) {
		printf("{\"device\": \"%s\", \"card_engines\": %u, \"iters\": %u, \"jobs_per_engine\": %u, "
		       "\"job_bytes\": %zu, \"time_base\": \"%s\", ",
		       hermes_dev_kind(dev), info.engines, iters, per_engine, job_bytes,
		       runs[0].clocks ? "card clocks at 250 MHz" : "wall");
		cli_json_cost_model(stdout, dev);
		printf(", \"runs\": [");
		for (unsigned i = 0; i < nruns; i++) {
			const struct scale_run *r = &runs[i];
			double eff = r->jobs_per_s / (r->engines * runs[0].jobs_per_s);

			printf("%s{\"engines\": %u, \"jobs\": %u, \"failed\": %u, \"clocks\": %llu, \"seconds\": %.6f, "
			       "\"wall_seconds\": %.3f, \"jobs_per_s\": %.1f, \"speedup\": %.3f, \"efficiency\": %.3f, "
			       "\"utilisation\": [",
			       i ? ", " : "", r->engines, r->jobs, r->failed, (unsigned long long)r->clocks, r->seconds,
			       r->wall, r->jobs_per_s, r->jobs_per_s / runs[0].jobs_per_s, eff);
			for (unsigned e = 0; e < r->engines; e++)
				printf("%s%.4f", e ? ", " : "", r->util[e]);
			printf("], \"hw_queue_jobs\": %llu", (unsigned long long)r->hw_jobs);
			if (hermes__dev_sim(dev))
				printf(", \"bar0_reads_per_job\": %.2f, \"bar0_writes_per_job\": %.2f"
				       ", \"bar2_reads_per_job\": %.2f, \"bar2_writes_per_job\": %.2f",
				       r->bar0_rd, r->bar0_wr, r->bar2_rd, r->bar2_wr);
			printf("}");
		}
		printf("]}\n");
	} else {
		printf("queue scaling on '%s' (%u-engine card): %u jobs per engine, each %u loop iterations "
		       "(%llu instructions), %zu bytes in and out\n",
		       hermes_dev_kind(dev), info.engines, per_engine, iters,
		       nruns ? (unsigned long long)(runs[0].insns / runs[0].jobs) : 0ull, job_bytes);
		printf("time base: %s\n", nruns && runs[0].clocks ? "card clocks at 250 MHz" : "wall clock");
		/* Which of hermes_queue's two paths ran the jobs (docs/QUEUE.md "Two paths"). */
		printf("path: %s\n\n", !nruns ? "-" : runs[nruns - 1].hw_jobs == runs[nruns - 1].jobs ? "hardware queue"
					 : runs[nruns - 1].hw_jobs ? "hardware queue and command registers"
					 : "command registers");
		printf("engines  jobs     jobs/s  speedup  efficiency  utilisation (mean, per engine)\n");
		for (unsigned i = 0; i < nruns; i++) {
			const struct scale_run *r = &runs[i];

			printf("%7u %5u %10.1f %8.2f %11.3f  %5.1f%%  ", r->engines, r->jobs, r->jobs_per_s,
			       r->jobs_per_s / runs[0].jobs_per_s, r->jobs_per_s / (r->engines * runs[0].jobs_per_s),
			       100 * r->util_mean);
			for (unsigned e = 0; e < r->engines; e++)
				printf(" %.0f", 100 * r->util[e]);
			printf("%s\n", r->failed ? "  (FAILED JOBS)" : "");
		}
		if (nruns && hermes__dev_sim(dev)) {
			struct hermes_sim_cost cm;

			hermes_sim_get_cost(hermes__dev_sim(dev), &cm);
			printf("\nPCIe cost model '%s'; MMIO per job (1 engine): BAR0 %.2f reads, %.2f writes; "
			       "BAR2 %.2f reads, %.2f writes\n", hermes_sim_cost_name(&cm), runs[0].bar0_rd,
			       runs[0].bar0_wr, runs[0].bar2_rd, runs[0].bar2_wr);
		}
		if (info.engines < 8)
			printf("\n(8 engines need a card built with HERMES_ENGINES=8: tests/queue builds one)\n");
	}
	rc = CLI_OK;
	for (unsigned i = 0; i < nruns; i++)
		if (runs[i].failed)
			rc = cli_fail(NAME, "%u of %u jobs on %u engines did not return the expected r0", runs[i].failed,
				      runs[i].jobs, runs[i].engines);
out:
	hermes_dev_close(dev);
	hermes_prog_free(prog);
	return rc;
}
