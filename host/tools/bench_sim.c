/* SPDX-License-Identifier: MIT */
/*
 * bench_sim.c - hermes bench sim: how many card clocks per second the
 * in-process Verilator model simulates, with the card idle, with one
 * engine running and with every engine running (tracing off); then the
 * trace-enabled model with one engine and with every engine running,
 * writing an FST, and outside its trace window (the cost of the traced
 * build alone). Each figure is given per wall second and per second of
 * this thread's CPU time: on a shared machine the second one is the
 * model's speed, the first one also the machine's load.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"
#include "cmd.h"
#include "dev.h"
#include "hermes_sim.h"

#define CLOCKS 2000000ull
#define TRACED_CLOCKS 200000ull

/* Start `loop: ja loop` (budget: never ends within the measurement) on engines [0, n). */
static int start_spinners(struct hermes_dev *dev, unsigned n)
{
	static const uint8_t spin[8] = { 0x05, 0x00, 0xff, 0xff, 0, 0, 0, 0 }; /* ja -1 */
	struct hermes_info info;
	unsigned pslot, dslot;
	int err;

	if ((err = hermes_dev_info(dev, &info)))
		return err;
	if ((err = hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &pslot)) ||
	    (err = hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &dslot)))
		return err < 0 ? err : -ENOSPC;
	if ((err = dev->bus->ops->dma_to_card(dev->bus, info.prog_slot_off + (uint64_t)pslot * info.prog_slot_size,
					      spin, sizeof(spin))))
		return err;
	for (unsigned e = 0; e < n; e++) {
		uint32_t req[8] = { HERMES_CMD_RUN, 0, pslot | dslot << 8, sizeof(spin), 0, 0xffffffffu, 0, 0 };

		for (unsigned w = 0; w < 8; w++)
			if ((err = dev->bus->ops->write32(dev->bus, HERMES_EHCMDREQ(e) + 4 * w, req[w])))
				return err;
		if ((err = dev->bus->ops->write32(dev->bus, HERMES_EHCMDCTRL(e), 0x01000001u)))
			return err;
	}
	return 0;
}

/*
 * Before timing: engines [0, n) must really run the spinner, state RUNNING
 * and retired count growing, or the figure would time an idle card.
 */
static int check_running(struct hermes_dev *dev, struct hermes_sim *sim, unsigned n)
{
	uint32_t state, before[HERMES_MODEL_MAX_ENGINES], after;
	int err;

	hermes_sim_run(sim, 1000);
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned e = 0; e < n && e < HERMES_MODEL_MAX_ENGINES; e++) {
			if ((err = hermes__bar0_read(dev, HERMES_EHENGSTAT(e) + HERMES_STAT_STATE, &state)) ||
			    (err = hermes__bar0_read(dev, HERMES_EHENGSTAT(e) + HERMES_STAT_INSNS, &after)))
				return err;
			if (state != HERMES_STATE_RUNNING || (pass && after <= before[e]))
				return hermes__err(dev, -EIO,
						   "engine %u is not running the benchmark program (state %u, %u "
						   "instructions retired%s)", e, state, after, pass ? " and not growing" : "");
			before[e] = after;
		}
		hermes_sim_run(sim, 1000);
	}
	return 0;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Clocks per wall second and per CPU second of this thread. */
struct rate {
	double wall, cpu;
};

static struct rate clocks_per_s_n(struct hermes_sim *sim, uint64_t n)
{
	double t0 = cli_now_s(), c0 = cpu_s();
	struct rate r;

	hermes_sim_run(sim, n);
	r.cpu = n / (cpu_s() - c0);
	r.wall = n / (cli_now_s() - t0);
	return r;
}

static struct rate clocks_per_s(struct hermes_sim *sim)
{
	return clocks_per_s_n(sim, CLOCKS);
}

/*
 * `engines` engines running on the trace-enabled model writing to a
 * scratch FST (window: every clock, or none of the measured ones).
 * Returns the rates, zero when the traced model cannot be used (*why says
 * so); *bytes gets the FST's size.
 */
static struct rate traced_clocks_per_s(unsigned engines, int dump, long long *bytes, char *why,
				       size_t whylen)
{
	const char *dir = getenv("TMPDIR");
	char path[512], uri[600];
	struct hermes_dev *dev;
	struct stat st;
	struct rate r = { 0, 0 };
	int fd;

	snprintf(path, sizeof(path), "%s/hermes-bench-XXXXXX.fst", dir && *dir ? dir : "/tmp");
	fd = mkstemps(path, 4);
	if (fd < 0) {
		snprintf(why, whylen, "cannot create a scratch trace file: %s", strerror(errno));
		return r;
	}
	close(fd);
	/* Outside the window: only clocks from 2^62 on would be dumped. */
	snprintf(uri, sizeof(uri), "sim:trace=%s%s", path, dump ? "" : ",trace_window=0x4000000000000000:");
	if (hermes_dev_open(uri, &dev)) {
		snprintf(why, whylen, "%s", hermes_dev_errmsg(NULL));
	} else if (start_spinners(dev, engines) || check_running(dev, hermes__dev_sim(dev), engines)) {
		snprintf(why, whylen, "cannot start a program: %s", hermes_dev_errmsg(dev));
		hermes_dev_close(dev);
	} else {
		r = clocks_per_s_n(hermes__dev_sim(dev), TRACED_CLOCKS);
		hermes_dev_close(dev);
	}
	*bytes = stat(path, &st) ? 0 : (long long)st.st_size;
	unlink(path);
	return r;
}

int bench_sim(const struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct rate idle, one, all, traced, traced_all = { 0, 0 }, traced_nodump = { 0, 0 };
	long long fst_bytes = 0, all_bytes = 0, nodump_bytes = 0;
	char why[512] = "";
	struct cli_progress bar;
	struct hermes_dev *dev;
	struct hermes_sim *sim;
	unsigned engines;
	int json = 0, c, rc, err;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c != 'j')
			return cli_usage("bench", "bench sim: unknown option '%s'", argv[optind - 1]);
		json = 1;
	}
	if ((rc = cli_open(cli, "bench sim", &dev)))
		return rc;
	sim = hermes__dev_sim(dev);
	if (!sim) {
		hermes_dev_close(dev);
		return cli_fail("bench sim", "needs the in-process simulator (-d sim)");
	}
	engines = hermes_sim_engines(sim);
	cli_progress_start(&bar, 6, NULL, json);
	cli_progress_update(&bar, 0, "card idle");
	idle = clocks_per_s(sim);
	if ((err = start_spinners(dev, 1)) || (err = check_running(dev, sim, 1))) {
		rc = cli_fail("bench sim", "cannot start a program: %s", hermes_dev_errmsg(dev));
		goto out;
	}
	cli_progress_update(&bar, 1, "one engine");
	one = clocks_per_s(sim);
	hermes_sim_reset(sim);
	if ((err = start_spinners(dev, engines)) || (err = check_running(dev, sim, engines))) {
		rc = cli_fail("bench sim", "cannot start programs: %s", hermes_dev_errmsg(dev));
		goto out;
	}
	cli_progress_update(&bar, 2, "all engines");
	all = clocks_per_s(sim);
	cli_progress_update(&bar, 3, "FST, one engine");
	traced = traced_clocks_per_s(1, 1, &fst_bytes, why, sizeof(why));
	if (traced.wall) {
		cli_progress_update(&bar, 4, "FST, all engines");
		traced_all = traced_clocks_per_s(engines, 1, &all_bytes, why, sizeof(why));
		cli_progress_update(&bar, 5, "outside the trace window");
		traced_nodump = traced_clocks_per_s(1, 0, &nodump_bytes, why, sizeof(why));
	}
	cli_progress_end(&bar, 6, NULL, 0);
	if (json) {
		printf("{\"engines\": %u, \"clocks\": %llu, \"idle_clocks_per_s\": %.0f, "
		       "\"one_engine_clocks_per_s\": %.0f, \"all_engines_clocks_per_s\": %.0f, "
		       "\"traced_clocks\": %llu, \"traced_one_engine_clocks_per_s\": %.0f, "
		       "\"traced_fst_bytes_per_clock\": %.1f, \"traced_outside_window_clocks_per_s\": %.0f, "
		       "\"traced_all_engines_clocks_per_s\": %.0f, \"traced_all_engines_fst_bytes_per_clock\": %.1f, "
		       "\"cpu_idle_clocks_per_s\": %.0f, \"cpu_one_engine_clocks_per_s\": %.0f, "
		       "\"cpu_all_engines_clocks_per_s\": %.0f, \"cpu_traced_one_engine_clocks_per_s\": %.0f, "
		       "\"cpu_traced_all_engines_clocks_per_s\": %.0f, \"cpu_traced_outside_window_clocks_per_s\": %.0f, ",
		       engines, CLOCKS, idle.wall, one.wall, all.wall, TRACED_CLOCKS, traced.wall,
		       traced.wall ? (double)fst_bytes / TRACED_CLOCKS : 0.0, traced_nodump.wall,
		       traced_all.wall, traced_all.wall ? (double)all_bytes / TRACED_CLOCKS : 0.0,
		       idle.cpu, one.cpu, all.cpu, traced.cpu, traced_all.cpu, traced_nodump.cpu);
		cli_json_cost_model(stdout, dev);
		printf("}\n");
	} else {
		printf("simulated card clocks per second (%u-engine model, tracing off, %llu clocks each)\n"
		       "                          per wall s   per CPU s\n"
		       "  card idle               %10.0f  %10.0f\n"
		       "  one engine running      %10.0f  %10.0f\n"
		       "  all %2u engines running  %10.0f  %10.0f   (target >= 1,000,000)\n",
		       engines, CLOCKS, idle.wall, idle.cpu, one.wall, one.cpu, engines, all.wall, all.cpu);
		if (traced.wall)
			printf("trace-enabled model (%llu clocks each)\n"
			       "  writing an FST, one engine   %10.0f  %10.0f   (%.1f bytes per clock)\n"
			       "  writing an FST, all engines  %10.0f  %10.0f   (%.1f bytes per clock; target >= 250,000)\n"
			       "  outside its window           %10.0f  %10.0f\n",
			       TRACED_CLOCKS, traced.wall, traced.cpu, (double)fst_bytes / TRACED_CLOCKS,
			       traced_all.wall, traced_all.cpu, (double)all_bytes / TRACED_CLOCKS,
			       traced_nodump.wall, traced_nodump.cpu);
		else
			printf("trace-enabled model: not measured (%s)\n", why);
	}
	rc = CLI_OK;
out:
	cli_progress_end(&bar, bar.done, NULL, 0);
	hermes_sim_reset(sim);
	hermes_dev_close(dev);
	return rc;
}
