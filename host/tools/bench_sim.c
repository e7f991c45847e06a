/* SPDX-License-Identifier: MIT */
/*
 * bench_sim.c - hermes bench sim: how many card clocks per second the
 * in-process Verilator model simulates, with the card idle, with one
 * engine running and with every engine running (tracing off).
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd.h"
#include "hermes_sim.h"

#define CLOCKS 2000000ull

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

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

static double clocks_per_s(struct hermes_sim *sim)
{
	double t0 = now_s();

	hermes_sim_run(sim, CLOCKS);
	return CLOCKS / (now_s() - t0);
}

int bench_sim(const struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	double idle, one, all;
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
	idle = clocks_per_s(sim);
	if ((err = start_spinners(dev, 1))) {
		rc = cli_fail("bench sim", "cannot start a program: %s", hermes_dev_errmsg(dev));
		goto out;
	}
	one = clocks_per_s(sim);
	hermes_sim_reset(sim);
	if ((err = start_spinners(dev, engines))) {
		rc = cli_fail("bench sim", "cannot start programs: %s", hermes_dev_errmsg(dev));
		goto out;
	}
	all = clocks_per_s(sim);
	if (json)
		printf("{\"engines\": %u, \"clocks\": %llu, \"idle_clocks_per_s\": %.0f, "
		       "\"one_engine_clocks_per_s\": %.0f, \"all_engines_clocks_per_s\": %.0f}\n",
		       engines, CLOCKS, idle, one, all);
	else
		printf("simulated card clocks per second (%u-engine model, tracing off, %llu clocks each)\n"
		       "  card idle             %10.0f\n"
		       "  one engine running    %10.0f\n"
		       "  all %u engines running %10.0f   (target >= 1,000,000)\n",
		       engines, CLOCKS, idle, one, engines, all);
	rc = CLI_OK;
out:
	hermes_sim_reset(sim);
	hermes_dev_close(dev);
	return rc;
}
