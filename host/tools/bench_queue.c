/* SPDX-License-Identifier: MIT */
/*
 * bench_queue.c - hermes bench queue: jobs per second and engine
 * utilisation through the card's hardware queues (docs/HWQUEUE.md) and,
 * in the same run, through the register path (hermes_queue, docs/QUEUE.md).
 *
 * Jobs: a counting loop of about 100, 1,000 and 10,000 instructions with
 * 64 B and 4 KiB of input and output; 1, 4 and 8 engines (as many as the
 * card has: 8 needs a card built with HERMES_ENGINES=8); batches of 1, 8
 * and 32 jobs per doorbell (the register path has no batches). On "sim"
 * time is card clocks at 250 MHz, with the PCIe cost model in force, and
 * the BAR0 accesses per job are counted by the harness, as are the queue's
 * interrupts. Utilisation is engine clocks running (one job's EHENGSTAT
 * clocks times the jobs) over engines x elapsed clocks.
 *
 * The table runs --jobs a row (fill and drain weigh there); the rows of
 * the targets run once more with --steady-jobs (default 1,024: steady
 * state), and the fixed figures of the throughput targets come from those.
 * The BAR0 figures are the largest over the batch-32 rows of both.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dev.h"
#include "hermes_sim.h"

#define NAME "bench queue"
#define CARD_HZ 250e6

struct qb_row {
	int hw;                     /* 1 hardware queue, 0 register path */
	int steady;                 /* a row of the targets with --steady-jobs */
	unsigned insns, bytes, engines, batch, jobs, failed;
	uint64_t clocks;
	double jobs_per_s, util, bar0_rd, bar0_wr, bar2_rd, bar2_wr, dma, irqs;
};

static uint8_t buf_in[4096];
/* Interrupt timer of the hardware queue pairs (--irq-clocks). */
static unsigned irq_clocks = 2000;
static uint8_t buf_out[64][4096];

/* About n instructions: mov r0,0; mov r3,k; loop: add r0,1; sub r3,1; jne r3,0,loop; exit (3k + 3). */
static struct hermes_prog *loop_prog(unsigned n)
{
	uint32_t k = n > 6 ? (n - 3) / 3 : 1;
	uint8_t code[6 * 8] = {
		0xb7, 0x00, 0, 0, 0, 0, 0, 0,
		0xb7, 0x03, 0, 0, 0, 0, 0, 0,
		0x07, 0x00, 0, 0, 1, 0, 0, 0,
		0x17, 0x03, 0, 0, 1, 0, 0, 0,
		0x55, 0x03, 0xfd, 0xff, 0, 0, 0, 0,
		0x95, 0, 0, 0, 0, 0, 0, 0,
	};
	struct hermes_prog *p = NULL;

	memcpy(&code[12], &k, 4);
	return hermes_prog_from_bytecode(code, sizeof(code), &p) ? NULL : p;
}

static uint64_t now_clocks(struct hermes_dev *dev)
{
	struct hermes_sim *sim = hermes__dev_sim(dev);

	return sim ? hermes_sim_cycles(sim) : 0;
}

static void mmio(struct hermes_dev *dev, struct hermes_sim_mmio *m)
{
	struct hermes_sim *sim = hermes__dev_sim(dev);

	memset(m, 0, sizeof(*m));
	if (sim)
		hermes_sim_mmio_stats(sim, m);
}

/* Ring entries: room for several batches of 32 in flight where the queue's
 * share of the region (1 MiB) holds them: 256 for 64 B jobs, 64 for 4 KiB. */
static unsigned hw_ring(unsigned bytes)
{
	return bytes <= 1024 ? 256 : 64;
}

/* Run jobs through a hardware queue pair, `batch` per doorbell, keeping as
 * many in flight as the ring holds. */
static int hw_jobs(struct hermes_hwq *q, const struct hermes_prog *prog, unsigned jobs, unsigned batch,
		   unsigned bytes, unsigned *failed)
{
	const unsigned ring = hw_ring(bytes);
	unsigned sent = 0, got = 0;

	while (got < jobs) {
		struct hermes_hwq_cpl *c;
		int err;

		/* Whole batches only, while the ring (entries - 1 jobs) has room for one. */
		for (;;) {
			unsigned want = jobs - sent < batch ? jobs - sent : batch, k = 0;

			if (!want || ring - 1 - (sent - got) < want)
				break;
			while (k < want) {
				struct hermes_hwq_job *j = hermes_hwq_get_job(q);

				if (!j)
					return -ENOBUFS;
				j->prog = prog;
				j->in = buf_in;
				j->in_len = bytes;
				j->out = buf_out[(sent + k) % 64];
				j->out_len = bytes;
				j->user_tag = sent + k;
				k++;
			}
			if ((err = hermes_hwq_submit(q)) < 0)
				return err;
			sent += k;
		}
		if ((err = hermes_hwq_wait(q, &c, 60000)))
			return err;
		/* Everything that read brought back, without reading the ring again. */
		do {
			if (c->status != HERMES_ST_SUCCESS)
				(*failed)++;
			hermes_hwq_seen(q, c);
			got++;
		} while (hermes_hwq_ready(q) && hermes_hwq_peek(q, &c) == 0);
	}
	return 0;
}

static int hw_row(struct hermes_dev *dev, const struct hermes_prog *prog, uint64_t run_clocks, struct qb_row *r)
{
	struct hermes_hwq_opts o = { .sz = sizeof(o) };
	struct hermes_hwq_stats s0 = { .sz = sizeof(s0) }, s1 = { .sz = sizeof(s1) };
	struct hermes_sim_mmio m0, m1;
	struct hermes_sim *sim = hermes__dev_sim(dev);
	struct hermes_hwq *q;
	uint64_t t0, irq0 = 0;
	unsigned vec;
	int err;

	o.entries = hw_ring(r->bytes);
	o.max_in = o.max_out = r->bytes;
	o.irq_batch = r->batch;
	o.irq_clocks = irq_clocks;
	if ((err = hermes_dev_write32(dev, HERMES_EHQENG, (1u << r->engines) - 1)))
		return cli_fail(NAME, "%s", hermes_dev_errmsg(dev));
	if ((err = hermes_hwq_init(dev, &o, &q)))
		return cli_fail(NAME, "%s", hermes_dev_errmsg(dev));
	/* Warm-up: the program upload and the first use of each data slot. */
	if ((err = hw_jobs(q, prog, 2 * r->engines, r->batch, r->bytes, &r->failed)))
		goto out;
	hermes_hwq_get_stats(q, &s0);
	vec = dev->hwq_first_irq + s0.queue;
	if (sim)
		irq0 = hermes_sim_usr_irq_count(sim, vec);
	mmio(dev, &m0);
	t0 = now_clocks(dev);
	if ((err = hw_jobs(q, prog, r->jobs, r->batch, r->bytes, &r->failed)))
		goto out;
	r->clocks = now_clocks(dev) - t0;
	mmio(dev, &m1);
	hermes_hwq_get_stats(q, &s1);
	r->bar0_rd = (double)(m1.bar0_reads - m0.bar0_reads) / r->jobs;
	r->bar0_wr = (double)(m1.bar0_writes - m0.bar0_writes) / r->jobs;
	r->bar2_rd = (double)(m1.bar2_reads - m0.bar2_reads) / r->jobs;
	r->bar2_wr = (double)(m1.bar2_writes - m0.bar2_writes) / r->jobs;
	r->dma = (double)(s1.dma_to_card + s1.dma_from_card - s0.dma_to_card - s0.dma_from_card) / r->jobs;
	r->irqs = sim ? (double)(hermes_sim_usr_irq_count(sim, vec) - irq0) / r->jobs : 0;
	r->jobs_per_s = r->clocks ? r->jobs / (r->clocks / CARD_HZ) : 0;
	r->util = r->clocks ? (double)run_clocks * r->jobs / ((double)r->engines * r->clocks) : 0;
out:
	hermes_hwq_exit(q);
	if (err)
		return cli_fail(NAME, "%s", hermes_dev_errmsg(dev));
	return 0;
}

static int reg_jobs(struct hermes_queue *q, const struct hermes_prog *prog, unsigned jobs, unsigned bytes,
		    unsigned *failed)
{
	struct hermes_completion c[64];
	unsigned sent = 0, got = 0;
	int r;

	while (got < jobs) {
		while (sent < jobs) {
			struct hermes_job j = { .prog = prog, .user_data = sent, .in = buf_in, .in_len = bytes,
						.out = buf_out[sent % 64], .out_len = bytes };

			r = hermes_queue_submit(q, &j, 1);
			if (r == -EAGAIN)
				break;
			if (r < 0)
				return r;
			sent++;
		}
		if ((r = hermes_queue_wait(q, 1, 60000)) < 0 || (r = hermes_queue_reap(q, c, 64)) < 0)
			return r;
		for (int i = 0; i < r; i++)
			if (c[i].res || c[i].status != HERMES_ST_SUCCESS)
				(*failed)++;
		got += (unsigned)r;
	}
	return 0;
}

static int reg_row(struct hermes_dev *dev, const struct hermes_prog *prog, uint64_t run_clocks, struct qb_row *r)
{
	struct hermes_queue_opts o = { .sz = sizeof(o) };
	struct hermes_sim_mmio m0, m1;
	struct hermes_queue *q;
	uint64_t t0;
	int err;

	o.depth = 4 * r->engines;
	o.engine_mask = (1u << r->engines) - 1;
	/* The command registers only: what the hardware queues are measured against. */
	o.flags = HERMES_QUEUE_REGISTER_PATH;
	if ((err = hermes_queue_create(dev, &o, &q)))
		return cli_fail(NAME, "%s", hermes_dev_errmsg(dev));
	if ((err = reg_jobs(q, prog, 2 * r->engines, r->bytes, &r->failed)))
		goto out;
	mmio(dev, &m0);
	t0 = now_clocks(dev);
	if ((err = reg_jobs(q, prog, r->jobs, r->bytes, &r->failed)))
		goto out;
	r->clocks = now_clocks(dev) - t0;
	mmio(dev, &m1);
	r->bar0_rd = (double)(m1.bar0_reads - m0.bar0_reads) / r->jobs;
	r->bar0_wr = (double)(m1.bar0_writes - m0.bar0_writes) / r->jobs;
	r->bar2_rd = (double)(m1.bar2_reads - m0.bar2_reads) / r->jobs;
	r->bar2_wr = (double)(m1.bar2_writes - m0.bar2_writes) / r->jobs;
	r->dma = 2; /* one upload and one download per job; the program is cached */
	r->jobs_per_s = r->clocks ? r->jobs / (r->clocks / CARD_HZ) : 0;
	r->util = r->clocks ? (double)run_clocks * r->jobs / ((double)r->engines * r->clocks) : 0;
out:
	if (err)
		err = cli_fail(NAME, "%s", hermes_queue_errmsg(q));
	hermes_queue_destroy(q);
	return err;
}

/* Fills *r with the row `want` describes (its instructions from one
 * reference run `one`) and measures it on the queue path it names. */
static int measure_row(struct hermes_dev *dev, const struct hermes_prog *prog, const struct hermes_run_result *one,
		       struct qb_row *r, const struct qb_row *want)
{
	*r = *want;
	r->insns = (unsigned)one->insns;
	return r->hw ? hw_row(dev, prog, one->cycles, r) : reg_row(dev, prog, one->cycles, r);
}

static const struct qb_row *find(const struct qb_row *rows, unsigned n, int steady, int hw, unsigned insns,
				 unsigned bytes, unsigned engines, unsigned batch)
{
	for (unsigned i = 0; i < n; i++)
		if (rows[i].steady == steady && rows[i].hw == hw && rows[i].insns == insns && rows[i].bytes == bytes &&
		    rows[i].engines == engines && (!hw || rows[i].batch == batch))
			return &rows[i];
	return NULL;
}

int bench_queue(const struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "jobs", required_argument, NULL, 'n' },
		{ "insns", required_argument, NULL, 'i' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "engines", required_argument, NULL, 'e' },
		{ "batch", required_argument, NULL, 'B' },
		{ "irq-clocks", required_argument, NULL, 'T' },
		{ "steady-jobs", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned insns_set[] = { 100, 1000, 10000 }, bytes_set[] = { 64, 4096 },
			      eng_set[] = { 1, 4, 8 }, batch_set[] = { 1, 8, 32 };
	struct qb_row rows[3 * 2 * 3 * 4 + 2 * 2];
	unsigned nrows = 0, jobs = 96, max_eng = 0, only_insns = 0, only_bytes = 0, only_eng = 0, only_batch = 0;
	unsigned steady_jobs = 1024, steady_eng = 0;
	struct hermes_dev *dev = NULL;
	struct hermes_info info;
	unsigned long long v;
	int json = 0, c, rc = CLI_OK;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'n':
			if (cli_parse_u64(optarg, &v) || v < 32 || v > 100000)
				return cli_usage("bench", "bench queue: --jobs needs a number from 32 to 100000");
			jobs = (unsigned)v;
			break;
		case 'S':
			if (cli_parse_u64(optarg, &v) || (v && v < 32) || v > 100000)
				return cli_usage("bench", "bench queue: --steady-jobs needs 0 (none) or a number from 32 to 100000");
			steady_jobs = (unsigned)v;
			break;
		case 'i': case 'b': case 'e': case 'B': case 'T': {
			/* One row set only: --insns 100|1000|10000, --bytes 64|4096, --engines 1|4|8, --batch 1|8|32. */
			static const char *const what[] = { "insns 100, 1000 or 10000", "bytes 64 or 4096",
							    "engines 1, 4 or 8", "batch 1, 8 or 32",
							    "irq-clocks 1 to 65535" };
			int k = c == 'i' ? 0 : c == 'b' ? 1 : c == 'e' ? 2 : c == 'B' ? 3 : 4;

			if (cli_parse_u64(optarg, &v) ||
			    (k == 0 && v != 100 && v != 1000 && v != 10000) || (k == 1 && v != 64 && v != 4096) ||
			    (k == 2 && v != 1 && v != 4 && v != 8) || (k == 3 && v != 1 && v != 8 && v != 32) ||
			    (k == 4 && (v < 1 || v > 65535)))
				return cli_usage("bench", "bench queue: --%s needs %s, got '%s'",
						 longopts[c == 'i' ? 2 : c == 'b' ? 3 : c == 'e' ? 4 : c == 'B' ? 5 : 6].name,
						 what[k], optarg);
			if (k == 0) only_insns = (unsigned)v;
			else if (k == 1) only_bytes = (unsigned)v;
			else if (k == 2) only_eng = (unsigned)v;
			else if (k == 3) only_batch = (unsigned)v;
			else irq_clocks = (unsigned)v;
			break;
		}
		case ':': return cli_usage("bench", "bench queue: option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage("bench", "bench queue: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("bench", "bench queue: unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open(cli, NAME, &dev)))
		return rc;
	if (hermes_dev_info(dev, &info) || !(info.caps & HERMES_CAP_HWQUEUE)) {
		rc = cli_fail(NAME, "needs a card with hardware queues (EHCAP bit 6): %s", hermes_dev_errmsg(dev));
		goto out;
	}
	/* The first use of each data slot after a reset is a whole-slot scrub: not measured. */
	if ((rc = cli_warm_card(dev, NAME)))
		goto out;
	/* The steady rows: 64 B jobs on the most engines measured, batch 32. */
	for (unsigned e = 0; e < 3; e++)
		if (eng_set[e] <= info.engines && (!only_eng || eng_set[e] == only_eng))
			steady_eng = eng_set[e];
	if ((only_bytes && only_bytes != 64) || (only_batch && only_batch != 32))
		steady_eng = 0;
	for (unsigned a = 0; a < 3; a++) {
		struct hermes_prog *prog;
		struct hermes_run_result res;

		if (only_insns && insns_set[a] != only_insns)
			continue;
		prog = loop_prog(insns_set[a]);

		if (!prog) {
			rc = cli_fail(NAME, "cannot build the benchmark program");
			goto out;
		}
		/* One job's engine clocks, for the utilisation. */
		if (hermes_run(dev, prog, buf_in, 64, NULL, 0, NULL, &res) || res.status) {
			hermes_prog_free(prog);
			rc = cli_fail(NAME, "a reference run failed: %s", hermes_dev_errmsg(dev));
			goto out;
		}
		for (unsigned b = 0; b < 2; b++)
			for (unsigned e = 0; e < 3; e++) {
				if (eng_set[e] > info.engines || (only_bytes && bytes_set[b] != only_bytes) ||
				    (only_eng && eng_set[e] != only_eng))
					continue;
				if (eng_set[e] > max_eng)
					max_eng = eng_set[e];
				for (unsigned k = 0; k <= 3; k++) {
					if (only_batch && k < 3 && batch_set[k] != only_batch)
						continue;
					rc = measure_row(dev, prog, &res, &rows[nrows],
							 &(struct qb_row){ .hw = k < 3, .bytes = bytes_set[b],
									   .engines = eng_set[e],
									   .batch = k < 3 ? batch_set[k] : 1, .jobs = jobs });
					if (rc) {
						hermes_prog_free(prog);
						goto out;
					}
					nrows++;
				}
			}
		/* The targets' rows in steady state: 100 (against the register path) and 1,000 instructions. */
		for (unsigned k = 0; steady_jobs && steady_eng && a < 2 && k < 2 - a; k++) {
			rc = measure_row(dev, prog, &res, &rows[nrows],
					 &(struct qb_row){ .steady = 1, .hw = k == 0, .bytes = 64, .engines = steady_eng,
							   .batch = k == 0 ? 32 : 1, .jobs = steady_jobs });
			if (rc) {
				hermes_prog_free(prog);
				goto out;
			}
			nrows++;
		}
		hermes_prog_free(prog);
	}
	hermes_dev_write32(dev, HERMES_EHQENG, 0xffffffffu);
	{
		/*
		 * The fixed figures. BAR0 reads and writes per job: the largest
		 * over the batch-32 rows (table and steady); writes per batch: the
		 * largest over every hardware-queue row. Speed-up and utilisation:
		 * the steady rows (the table's where none ran); 64 B jobs.
		 */
		unsigned i100 = 0, i1000 = 0;
		const struct qb_row *hq, *rg, *u;
		double rd = 0, wr = 0, wrb = 0;
		int st;

		for (unsigned i = 0; i < nrows; i++) {
			if (rows[i].insns > 500 && rows[i].insns < 5000)
				i1000 = rows[i].insns;
			if (rows[i].insns < 500)
				i100 = rows[i].insns;
			if (rows[i].hw && rows[i].batch == 32) {
				rd = rows[i].bar0_rd > rd ? rows[i].bar0_rd : rd;
				wr = rows[i].bar0_wr > wr ? rows[i].bar0_wr : wr;
			}
			if (rows[i].hw && rows[i].bar0_wr * rows[i].batch > wrb)
				wrb = rows[i].bar0_wr * rows[i].batch;
		}
		st = find(rows, nrows, 1, 1, i100, 64, steady_eng, 32) != NULL;
		hq = find(rows, nrows, st, 1, i100, 64, st ? steady_eng : max_eng, 32);
		rg = find(rows, nrows, st, 0, i100, 64, st ? steady_eng : max_eng, 1);
		st = find(rows, nrows, 1, 1, i1000, 64, steady_eng, 32) != NULL;
		u = find(rows, nrows, st, 1, i1000, 64, st ? steady_eng : max_eng, 32);
		/* The speed-up needs both 100-instruction rows; not measured without them. */
		int have_speedup = hq && rg && rg->jobs_per_s > 0;
		double speedup = have_speedup ? hq->jobs_per_s / rg->jobs_per_s : 0;
		if (json) {
			printf("{\"device\": \"%s\", \"card_engines\": %u, \"jobs_per_row\": %u, \"steady_jobs\": %u, "
			       "\"irq_clocks\": %u, \"time_base\": \"%s\", ",
			       hermes_dev_kind(dev), info.engines, jobs, steady_eng ? steady_jobs : 0, irq_clocks,
			       hermes__dev_sim(dev) ? "card clocks at 250 MHz" : "wall");
			cli_json_cost_model(stdout, dev);
			printf(", \"engines_measured\": [");
			for (unsigned e = 0, f = 0; e < 3; e++)
				if (eng_set[e] <= info.engines)
					printf("%s%u", f++ ? ", " : "", eng_set[e]);
			printf("], \"not_measured\": %s, \"rows\": [",
			       info.engines < 8 ? "\"8 engines: needs a card built with HERMES_ENGINES=8\"" : "null");
			for (unsigned i = 0; i < nrows; i++) {
				const struct qb_row *r = &rows[i];

				printf("%s{\"path\": \"%s\", \"set\": \"%s\", \"insns\": %u, \"bytes\": %u, \"engines\": %u, ",
				       i ? ", " : "", r->hw ? "hwqueue" : "register", r->steady ? "steady" : "table", r->insns,
				       r->bytes, r->engines);
				if (r->hw)
					printf("\"batch\": %u, ", r->batch);
				printf("\"jobs\": %u, \"failed\": %u, \"clocks\": %llu, \"jobs_per_s\": %.1f, "
				       "\"utilisation\": %.4f, \"bar0_reads_per_job\": %.3f, \"bar0_writes_per_job\": %.3f, "
				       "\"bar2_reads_per_job\": %.3f, \"bar2_writes_per_job\": %.3f, \"dma_per_job\": %.3f",
				       r->jobs, r->failed, (unsigned long long)r->clocks, r->jobs_per_s, r->util, r->bar0_rd,
				       r->bar0_wr, r->bar2_rd, r->bar2_wr, r->dma);
				if (r->hw)
					printf(", \"bar0_writes_per_batch\": %.3f, \"irqs_per_job\": %.3f", r->bar0_wr * r->batch,
					       r->irqs);
				printf("}");
			}
			printf("], \"queue_bar0_reads_per_job\": %.3f, \"queue_bar0_writes_per_job\": %.3f, "
			       "\"queue_bar0_writes_per_batch\": %.3f, ", rd, wr, wrb);
			/* null: this run did not measure the rows the figure needs (--insns, --engines, --batch) */
			if (have_speedup)
				printf("\"speedup_100_insns\": %.2f, ", speedup);
			else
				printf("\"speedup_100_insns\": null, ");
			if (u)
				printf("\"util_1000_insns\": %.4f, \"fixed_figures_jobs\": %u}\n", u->util, u->jobs);
			else
				printf("\"util_1000_insns\": null, \"fixed_figures_jobs\": null}\n");
		} else {
			printf("hardware queues against the register path on '%s' (%u-engine card), %u jobs a row",
			       hermes_dev_kind(dev), info.engines, jobs);
			if (steady_eng && steady_jobs)
				printf("; the targets' rows also with %u jobs (steady)", steady_jobs);
			printf("\ntime base: %s\n\n", hermes__dev_sim(dev) ? "card clocks at 250 MHz" : "wall clock");
			printf("path       insns bytes eng batch  jobs      jobs/s   util  BAR0 rd/job  wr/job  wr/batch  "
			       "BAR2 rd/job  wr/job  DMA/job  irq/job\n");
			for (unsigned i = 0; i < nrows; i++) {
				const struct qb_row *r = &rows[i];
				char wrb_s[16] = "-", irq_s[16] = "-", batch_s[8] = "-";

				if (r->hw) {
					snprintf(wrb_s, sizeof(wrb_s), "%.3f", r->bar0_wr * r->batch);
					snprintf(irq_s, sizeof(irq_s), "%.3f", r->irqs);
					snprintf(batch_s, sizeof(batch_s), "%u", r->batch);
				}
				printf("%-9s %6u %5u %3u %5s %5u %11.1f %5.1f%% %12.3f %7.3f %9s %12.3f %7.3f %8.3f %8s%s\n",
				       r->hw ? "hwqueue" : "register", r->insns, r->bytes, r->engines, batch_s, r->jobs,
				       r->jobs_per_s, 100 * r->util, r->bar0_rd, r->bar0_wr, wrb_s, r->bar2_rd, r->bar2_wr,
				       r->dma, irq_s, r->failed ? "  (FAILED JOBS)" : "");
			}
			printf("\nbatch 32: BAR0 reads per job %.3f, writes per job %.3f; BAR0 writes per batch %.3f at most; ",
			       rd, wr, wrb);
			if (have_speedup)
				printf("100-instruction 64 B jobs at %u engines: %.2fx the register path; ", hq->engines,
				       speedup);
			else
				printf("100-instruction jobs against the register path: not measured in this run; ");
			if (u)
				printf("1,000-instruction jobs at %u engines: %.1f%% engine utilisation (%u jobs)\n",
				       u->engines, 100 * u->util, u->jobs);
			else
				printf("1,000-instruction utilisation: not measured in this run\n");
			if (info.engines < 8)
				printf("(8 engines need a card built with HERMES_ENGINES=8)\n");
		}
	}
	for (unsigned i = 0; i < nrows; i++)
		if (rows[i].failed) {
			rc = cli_fail(NAME, "%u jobs failed in row %u", rows[i].failed, i);
			break;
		}
out:
	hermes_dev_close(dev);
	return rc;
}
