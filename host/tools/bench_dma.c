/* SPDX-License-Identifier: MIT */
/*
 * bench_dma.c - hermes bench dma: DMA throughput of the simulated card's
 * XDMA channels, each way, for transfers of 4 KiB to 4 MiB.
 *
 * For each size one transfer runs through the user-space XDMA driver at
 * the default host memory latency (sim options can change it). Figures:
 * card clocks from the run bit to the completion interrupt (end to end,
 * including the descriptor fetch and the first read round trip), bytes per
 * clock and GB/s at 250 MHz, and the share of the 64 bytes/clock datapath.
 * A last row per direction moves 4 MiB as a chain of 64 KiB descriptors:
 * the steady state of back-to-back descriptors.
 *
 * What limits a single small transfer: at the default host latency of
 * 125 clocks (500 ns) an H2C run needs two dependent round trips before
 * its first data beat lands (the descriptor, then the data), about 260
 * clocks; a C2H run needs one (the descriptor; writes are posted), about
 * 145. 64 KiB is 1024 beats, so one 64 KiB transfer can reach at most
 * 1024 / (1024 + 260) = 80% (H2C) and 1024 / (1024 + 145) = 88% (C2H) of
 * 64 B/clock, whatever the channel does. From 256 KiB on a single transfer
 * is above 90%, and descriptor chains stream at 99% (descriptors are
 * prefetched and 16 read bursts of 1 KiB stay outstanding).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dev.h"
#include "xdma_drv.h"

#define CLOCK_HZ 250e6
#define DATAPATH 64.0
#define CARD_ADDR 0x100000u /* data slot 0 (program slots are 1 MiB) */

struct row {
	const char *dir;
	size_t size, desc;
	unsigned descs;
	uint64_t cycles, busy;
	double bpc, gbs, pct;
};

static int measure(struct hermes_dev *dev, struct hermes_xdma *x, int c2h, size_t size,
		   size_t desc, uint8_t *buf, struct row *r)
{
	struct hermes_xdma_opts o = { .sz = sizeof(o), .max_desc_bytes = desc, .perf = 1 };
	struct hermes_xdma_stats st = { 0 };
	int err = hermes_xdma_set_opts(x, &o);

	if (!err)
		err = c2h ? hermes_xdma_read(x, 0, CARD_ADDR, buf, size, &st)
			  : hermes_xdma_write(x, 0, CARD_ADDR, buf, size, &st);
	if (err)
		return cli_fail("bench dma", "%s of %zu bytes: %s", c2h ? "C2H" : "H2C", size,
				hermes_dev_errmsg(dev));
	r->dir = c2h ? "c2h" : "h2c";
	r->size = size;
	r->desc = desc;
	r->descs = st.descs;
	r->cycles = st.cycles;
	r->busy = st.busy_cycles;
	r->bpc = st.cycles ? (double)size / (double)st.cycles : 0;
	r->gbs = r->bpc * CLOCK_HZ / 1e9;
	r->pct = 100.0 * r->bpc / DATAPATH;
	return 0;
}

int bench_dma(const struct cli *cli, int argc, char **argv)
{
	static const size_t sizes[] = { 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20 };
	struct row rows[2 * (sizeof(sizes) / sizeof(sizes[0]) + 1)];
	struct hermes_dev *dev = NULL;
	struct hermes_xdma *x = NULL;
	unsigned n = 0;
	uint8_t *buf;
	int json = 0, ret = CLI_OK;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else
			return cli_usage("bench dma", "unknown argument '%s' (usage: hermes bench dma [--json])", argv[i]);
	}
	if ((ret = cli_open(cli, "bench dma", &dev)))
		return ret;
	if (!dev->bus || hermes__bus_sim_xdma(dev->bus, &x, NULL)) {
		hermes_dev_close(dev);
		return cli_fail("bench dma", "needs the simulated card (-d sim): it counts card clocks");
	}
	buf = aligned_alloc(64, 4 << 20);
	if (!buf) {
		hermes_dev_close(dev);
		return cli_fail("bench dma", "out of memory");
	}
	for (size_t i = 0; i < (4u << 20); i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	for (int c2h = 0; c2h < 2 && ret == CLI_OK; c2h++) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && ret == CLI_OK; i++)
			ret = measure(dev, x, c2h, sizes[i], 0, buf, &rows[n++]);
		if (ret == CLI_OK)
			ret = measure(dev, x, c2h, 4 << 20, 64 << 10, buf, &rows[n++]);
	}
	if (ret == CLI_OK) {
		if (json) {
			printf("{\"clock_mhz\": 250, \"datapath_bytes_per_clock\": 64, ");
			cli_json_cost_model(stdout, dev);
			printf(", \"rows\": [");
			for (unsigned i = 0; i < n; i++)
				printf("%s{\"dir\": \"%s\", \"bytes\": %zu, \"desc_bytes\": %zu, \"descriptors\": %u, "
				       "\"cycles\": %llu, \"busy_cycles\": %llu, \"bytes_per_clock\": %.2f, "
				       "\"gb_per_s\": %.2f, \"percent_of_datapath\": %.1f}",
				       i ? ", " : "", rows[i].dir, rows[i].size, rows[i].desc ? rows[i].desc : (size_t)1 << 20,
				       rows[i].descs, (unsigned long long)rows[i].cycles,
				       (unsigned long long)rows[i].busy, rows[i].bpc, rows[i].gbs, rows[i].pct);
			printf("]}\n");
		} else {
			printf("DMA through the XDMA channels, 250 MHz, 64 B/clock datapath\n");
			printf("%-4s %9s %6s %10s %10s %8s %7s %6s\n", "dir", "bytes", "descs", "clocks",
			       "busy", "B/clock", "GB/s", "%");
			for (unsigned i = 0; i < n; i++)
				printf("%-4s %9zu %6u %10llu %10llu %8.2f %7.2f %5.1f%s\n", rows[i].dir, rows[i].size,
				       rows[i].descs, (unsigned long long)rows[i].cycles,
				       (unsigned long long)rows[i].busy, rows[i].bpc, rows[i].gbs, rows[i].pct,
				       rows[i].desc ? "  (chain of 64 KiB descriptors)" : "");
		}
	}
	free(buf);
	hermes_dev_close(dev);
	return ret;
}
