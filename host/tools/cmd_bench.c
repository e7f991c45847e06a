/* SPDX-License-Identifier: MIT */
/* cmd_bench.c - hermes bench NAME: dispatch to the benchmarks. */
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(const struct cli *cli, int argc, char **argv);
} benches[] = {
	{ "ref", bench_ref },
	{ "dma", bench_dma },
	{ "xdma", bench_xdma },
	{ "ipc", bench_ipc },
	{ "sim", bench_sim },
	{ "scale", bench_scale },
	{ "prog", bench_prog },
	{ "queue", bench_queue },
};

int cmd_bench(const struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("bench", "which benchmark? one of: ref, dma, xdma, ipc, sim, scale, prog, queue");
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (!strcmp(benches[i].name, argv[1]))
			return benches[i].fn(cli, argc - 1, argv + 1);
	return cli_usage("bench", "unknown benchmark '%s' (one of: ref, dma, xdma, ipc, sim, scale, prog, queue)", argv[1]);
}
