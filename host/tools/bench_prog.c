/* SPDX-License-Identifier: MIT */
/*
 * bench_prog.c - hermes bench prog: the cost of one program on one input,
 * on the selected device.
 *
 *   hermes [-d DEV] bench prog PROG [--data FILE] [--section S] [--runs N] [--stalls] [--json]
 *   hermes [-d DEV] bench prog --gallery DIR [--stalls] [--json]
 *
 * PROG runs once to warm up (program upload, first use of a data slot),
 * then N times (default 20) with FILE as its input (r2 = its length).
 * Figures: r0, retired instructions and engine clocks of a run (clocks
 * are 0 on "ref"), the engine time at 250 MHz, and the host wall time of a
 * hermes_run call (mean and fastest): on "sim" that is the time the host
 * takes to simulate the card, on "ref" the reference VM's. On "sim" also
 * the card clocks a hermes_run call takes (everything the host waits for
 * under the PCIe cost model in force, cost_model in --json) and the BAR
 * accesses it makes (MMIO, counted by the harness).
 * Every run must succeed with the same r0, else the benchmark fails.
 *
 * --gallery DIR: the program gallery of tests/programs as
 * scripts/gallery_inputs.sh leaves it in DIR (NAME.bpf.o and NAME.input):
 * each program runs once after its warm-up run; retired instructions,
 * engine clocks and IPC per program, and the geometric mean of the IPCs.
 *
 * --stalls ("sim" only): one more run (for PROG) or the measured run (for
 * the gallery) follows the retire stream, and the clocks in which nothing
 * retired are charged to causes (stalls.h): the slot load whose value an
 * instruction waits for, a branch's redirect, and so on.
 */
#include <math.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "dev.h"
#include "hermes_sim.h"
#include "itrace.h"
#include "prog.h"
#include "stalls.h"

#define NAME "bench prog"
#define CARD_HZ 250e6

static int usage(const char *why, const char *arg)
{
	return cli_usage(NAME, "%s%s (usage: hermes [-d DEV] bench prog PROG [--data FILE] [--section S] "
			 "[--runs N] [--stalls] [--json] | --gallery DIR [--stalls] [--json])", why, arg);
}

static void add_stall(void *ctx, const struct hermes_itrace_rec *rec)
{
	struct hermes_stalls *st = ctx;

	hermes_stalls_add(st, rec); /* (sim's records always carry rising clocks) */
}

/*
 * One run: fails (CLI_FAIL, message printed) unless it succeeds with r0 ==
 * *want (set by the first). With st, the run follows the retire stream
 * into that (zeroed) account.
 */
static int run_once(struct hermes_dev *dev, const struct hermes_prog *prog, const void *data, size_t len,
		    struct hermes_run_result *res, uint64_t *want, int first, struct hermes_stalls *st)
{
	struct hermes_run_opts o = { .sz = sizeof(o), .engine = -1, .data_len = (uint32_t)len };
	int err;

	if (st)
		err = hermes_itrace_run(dev, prog, data, len, NULL, 0, &o, res, add_stall, st, NULL);
	else
		err = hermes_run(dev, prog, data, len, NULL, 0, &o, res);
	if (err)
		return cli_fail(NAME, "%s", hermes_dev_errmsg(dev));
	if (res->status != HERMES_ST_SUCCESS)
		return cli_fail(NAME, "the program ended with status %u (%s), cause %u (%s) at pc %u", res->status,
				hermes_status_str(res->status), res->cause, hermes_fault_str(res->cause), res->pc);
	if (first)
		*want = res->r0;
	else if (res->r0 != *want)
		return cli_fail(NAME, "r0 changed between runs: 0x%" PRIx64 " then 0x%" PRIx64, *want, res->r0);
	return CLI_OK;
}

/* Clocks of a run outside its first-to-last retire span (start and finish). */
static uint64_t edge_clocks(const struct hermes_stalls *st, uint64_t cycles)
{
	uint64_t span = st->insns ? st->last_clock - st->first_clock + 1 : 0;

	return cycles > span ? cycles - span : 0;
}

/* n clocks in % of a run's clocks. */
static double share(uint64_t n, uint64_t cycles)
{
	return 100.0 * (double)n / (double)cycles;
}

static void json_stalls(const struct hermes_stalls *st, uint64_t cycles)
{
	printf(", \"stalls\": {");
	for (int c = 0; c < HERMES_STALL_CAUSES; c++)
		printf("\"%s\": %" PRIu64 ", ", hermes_stall_name(c), st->lost[c]);
	printf("\"start-finish\": %" PRIu64 "}", edge_clocks(st, cycles));
}

/* --stalls needs the RTL's retire stream, which only "sim" has. */
static int stalls_supported(struct hermes_dev *dev)
{
	if (hermes__dev_sim(dev))
		return CLI_OK;
	return cli_fail(NAME, "--stalls reads the RTL engines' retire stream, which device '%s' does not give "
			"(use -d sim)", hermes_dev_kind(dev));
}

static const char *const gallery[] = {
	"crc32", "fnv1a", "histogram", "isort", "strsearch", "rle",
	"ipcsum", "csvsum", "lexer", "exprcalc", "base64", "keywords",
};
#define NGALLERY (sizeof(gallery) / sizeof(gallery[0]))

/* The gallery's clocks without a retire, per cause, in % of each run's clocks. */
static void print_stall_table(const struct hermes_stalls *st, const uint64_t *cycles)
{
	printf("\n  clocks in which nothing retired, %% of the run's clocks (docs/BENCHMARKS.md \"Where the clocks go\"):\n");
	printf("  %-10s", "program");
	for (int c = 0; c < HERMES_STALL_CAUSES; c++)
		printf(" %11s", hermes_stall_name(c));
	printf(" %12s\n", "start-finish");
	for (size_t i = 0; i < NGALLERY; i++) {
		printf("  %-10s", gallery[i]);
		for (int c = 0; c < HERMES_STALL_CAUSES; c++)
			printf(" %10.1f%%", share(st[i].lost[c], cycles[i]));
		printf(" %11.1f%%\n", share(edge_clocks(&st[i], cycles[i]), cycles[i]));
	}
}

static int bench_gallery(const struct cli *cli, const char *dir, int stalls, int json)
{
	struct hermes_dev *dev = NULL;
	struct cli_progress bar;
	struct hermes_stalls st[NGALLERY];
	uint64_t cycles[NGALLERY];
	double logsum = 0;
	int rc;

	if ((rc = cli_open(cli, NAME, &dev)))
		return rc;
	if (stalls && (rc = stalls_supported(dev))) {
		hermes_dev_close(dev);
		return rc;
	}
	memset(st, 0, sizeof(st));
	cli_progress_start(&bar, NGALLERY, NULL, json);
	if (!json)
		printf("  %-10s %10s %10s %7s\n", "program", "insns", "clocks", "IPC");
	else
		printf("{\"device\": \"%s\", \"programs\": [", hermes_dev_kind(dev));
	for (size_t i = 0; i < NGALLERY; i++) {
		struct hermes_prog_opts popts = { .sz = sizeof(popts) };
		struct hermes_prog *prog = NULL;
		struct hermes_run_result res;
		char path[4096], in[4096];
		char *data = NULL;
		size_t len = 0;
		uint64_t r0 = 0;
		double ipc;
		int err;

		cli_progress_update(&bar, (unsigned)i, gallery[i]);
		snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, gallery[i]);
		snprintf(in, sizeof(in), "%s/%s.input", dir, gallery[i]);
		if (hermes_prog_load(path, &popts, &prog)) {
			rc = cli_fail(NAME, "%s", hermes_dev_errmsg(NULL));
			goto out;
		}
		if ((err = hermes__read_file(in, &data, &len))) {
			hermes_prog_free(prog);
			rc = cli_fail(NAME, "data file: %s", hermes_dev_errmsg(NULL));
			goto out;
		}
		rc = run_once(dev, prog, data, len, &res, &r0, 1, NULL);
		if (!rc)
			rc = run_once(dev, prog, data, len, &res, &r0, 0, stalls ? &st[i] : NULL);
		hermes_prog_free(prog);
		free(data);
		if (rc)
			goto out;
		cli_progress_clear(&bar);
		if (!res.cycles) {
			rc = cli_fail(NAME, "device '%s' counts no engine clocks", hermes_dev_kind(dev));
			goto out;
		}
		ipc = (double)res.insns / (double)res.cycles;
		logsum += log(ipc);
		cycles[i] = res.cycles;
		if (json) {
			printf("%s{\"program\": \"%s\", \"input_bytes\": %zu, \"insns\": %" PRIu64
			       ", \"cycles\": %" PRIu64 ", \"ipc\": %.3f", i ? ", " : "", gallery[i], len,
			       res.insns, res.cycles, ipc);
			if (stalls)
				json_stalls(&st[i], res.cycles);
			printf("}");
		} else
			printf("  %-10s %10" PRIu64 " %10" PRIu64 " %7.3f\n", gallery[i], res.insns, res.cycles, ipc);
	}
	if (json)
		printf("], \"ipc_geomean\": %.3f}\n", exp(logsum / NGALLERY));
	else
		printf("  %-10s %10s %10s %7.3f\n", "geomean", "", "", exp(logsum / NGALLERY));
	if (stalls && !json)
		print_stall_table(st, cycles);
	rc = CLI_OK;
out:
	cli_progress_end(&bar, NGALLERY, NULL, 0);
	hermes_dev_close(dev);
	return rc;
}

int bench_prog(const struct cli *cli, int argc, char **argv)
{
	struct hermes_prog_opts popts = { .sz = sizeof(popts) };
	const char *path = NULL, *data_path = NULL, *gallery_dir = NULL;
	unsigned long long runs = 20;
	struct hermes_run_result res;
	struct hermes_prog *prog = NULL;
	struct hermes_dev *dev = NULL;
	char *data = NULL;
	size_t len = 0;
	double sum = 0, best = 0;
	uint64_t r0 = 0, clk0 = 0, clocks = 0;
	struct hermes_sim_mmio m0 = { 0 }, m1 = { 0 };
	struct hermes_sim *sim;
	struct cli_progress bar;
	struct hermes_stalls st = { 0 };
	struct hermes_run_result sres;
	int json = 0, stalls = 0, runs_set = 0, rc, err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--stalls")) {
			stalls = 1;
		} else if (!strcmp(argv[i], "--gallery") && i + 1 < argc) {
			gallery_dir = argv[++i];
		} else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			data_path = argv[++i];
		} else if (!strcmp(argv[i], "--section") && i + 1 < argc) {
			popts.section = argv[++i];
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs_set = 1;
			if (cli_parse_u64(argv[++i], &runs) || runs < 1 || runs > 1000000)
				return usage("--runs needs a number from 1 to 1000000, got ", argv[i]);
		} else if (argv[i][0] == '-' || path) {
			return usage("unexpected argument ", argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (gallery_dir && (path || data_path || popts.section || runs_set))
		return usage("--gallery takes no PROG, --data, --section or --runs (each program runs once)", "");
	if (gallery_dir)
		return bench_gallery(cli, gallery_dir, stalls, json);
	if (!path)
		return usage("which program?", "");
	if (hermes_prog_load(path, &popts, &prog))
		return cli_fail(NAME, "%s", hermes_dev_errmsg(NULL));
	if (data_path && (err = hermes__read_file(data_path, &data, &len))) {
		rc = cli_fail(NAME, "data file: %s", hermes_dev_errmsg(NULL));
		goto out;
	}
	if ((rc = cli_open(cli, NAME, &dev)))
		goto out;
	if (stalls && (rc = stalls_supported(dev)))
		goto out;
	if ((rc = run_once(dev, prog, data, len, &res, &r0, 1, NULL)))
		goto out;
	sim = hermes__dev_sim(dev);
	if (sim) {
		clk0 = hermes_sim_cycles(sim);
		hermes_sim_mmio_stats(sim, &m0);
	}
	cli_progress_start(&bar, (unsigned)runs, NULL, json);
	for (unsigned long long i = 0; i < runs; i++) {
		double t0 = cli_now_s(), dt;

		cli_progress_update(&bar, (unsigned)i, NULL);
		if ((rc = run_once(dev, prog, data, len, &res, &r0, 0, NULL)))
			break;
		dt = cli_now_s() - t0;
		sum += dt;
		best = i == 0 || dt < best ? dt : best;
	}
	cli_progress_end(&bar, (unsigned)runs, NULL, 0);
	if (rc)
		goto out;
	if (sim) {
		clocks = hermes_sim_cycles(sim) - clk0;
		hermes_sim_mmio_stats(sim, &m1);
	}
	/* (after the timed runs, so that following the retire stream costs them nothing) */
	if (stalls && (rc = run_once(dev, prog, data, len, &sres, &r0, 0, &st)))
		goto out;
	if (json) {
		printf("{\"device\": \"%s\", \"program\": ", hermes_dev_kind(dev));
		cli_json_string(stdout, path);
		printf(", \"input_bytes\": %zu, \"runs\": %llu, \"r0\": \"0x%" PRIx64 "\", \"insns\": %" PRIu64
		       ", \"cycles\": %" PRIu64 ", \"engine_us_at_250mhz\": %.3f, \"wall_us_mean\": %.1f"
		       ", \"wall_us_min\": %.1f, ",
		       len, runs, r0, res.insns, res.cycles, res.cycles / CARD_HZ * 1e6, sum / runs * 1e6, best * 1e6);
		if (sim)
			printf("\"run_clocks_mean\": %.1f, \"run_us_at_250mhz\": %.3f, \"bar0_reads_per_run\": %.2f"
			       ", \"bar0_writes_per_run\": %.2f, \"bar2_reads_per_run\": %.2f, \"bar2_writes_per_run\": %.2f, ",
			       (double)clocks / runs, clocks / CARD_HZ * 1e6 / runs,
			       (double)(m1.bar0_reads - m0.bar0_reads) / runs, (double)(m1.bar0_writes - m0.bar0_writes) / runs,
			       (double)(m1.bar2_reads - m0.bar2_reads) / runs, (double)(m1.bar2_writes - m0.bar2_writes) / runs);
		cli_json_cost_model(stdout, dev);
		if (stalls)
			json_stalls(&st, sres.cycles);
		printf("}\n");
	} else {
		printf("%s on '%s', %zu input bytes, %llu runs: r0 0x%" PRIx64 "\n", path, hermes_dev_kind(dev), len,
		       runs, r0);
		printf("  instructions        %" PRIu64 "\n", res.insns);
		if (res.cycles)
			printf("  engine clocks       %" PRIu64 " (%.2f us at 250 MHz, IPC %.3f)\n", res.cycles,
			       res.cycles / CARD_HZ * 1e6, (double)res.insns / res.cycles);
		if (sim) {
			struct hermes_sim_cost c;

			hermes_sim_get_cost(sim, &c);
			printf("  card clocks per run %.1f (%.2f us at 250 MHz, PCIe cost model '%s')\n",
			       (double)clocks / runs, clocks / CARD_HZ * 1e6 / runs, hermes_sim_cost_name(&c));
			printf("  MMIO per run        BAR0 %.2f reads, %.2f writes; BAR2 %.2f reads, %.2f writes\n",
			       (double)(m1.bar0_reads - m0.bar0_reads) / runs, (double)(m1.bar0_writes - m0.bar0_writes) / runs,
			       (double)(m1.bar2_reads - m0.bar2_reads) / runs, (double)(m1.bar2_writes - m0.bar2_writes) / runs);
		}
		printf("  wall time per run   %.1f us mean, %.1f us fastest\n", sum / runs * 1e6, best * 1e6);
		if (stalls) {
			uint64_t edge = edge_clocks(&st, sres.cycles);

			printf("  clocks in which nothing retired (one more run, %" PRIu64 " clocks):\n", sres.cycles);
			for (int c = 0; c < HERMES_STALL_CAUSES; c++)
				if (st.lost[c])
					printf("    %-12s %10" PRIu64 " %5.1f%%\n", hermes_stall_name(c), st.lost[c],
					       share(st.lost[c], sres.cycles));
			printf("    %-12s %10" PRIu64 " %5.1f%%\n", "start-finish", edge, share(edge, sres.cycles));
		}
	}
	rc = CLI_OK;
out:
	hermes_dev_close(dev);
	hermes_prog_free(prog);
	free(data);
	return rc;
}
