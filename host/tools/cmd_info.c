/* SPDX-License-Identifier: MIT */
/* cmd_info.c - hermes info: the device's identity and geometry. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void print_caps(FILE *f, uint32_t caps, int json)
{
	static const char *const names[] = { "atomics", "local-calls", "abort", "perf-counters",
					     "itrace", "card-reset", "hw-queues", "maps" };
	int first = 1;

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(caps & (1u << i)))
			continue;
		if (json)
			fprintf(f, "%s\"%s\"", first ? "" : ", ", names[i]);
		else
			fprintf(f, "%s%s", first ? "" : " ", names[i]);
		first = 0;
	}
	if (first && !json)
		fputs("none", f);
}

struct map_region {
	uint32_t count, size, off;
};

static void print_text(const struct hermes_dev *dev, const struct hermes_info *in, const struct map_region *m)
{
	printf("device        %s\n", hermes_dev_kind(dev));
	printf("version       %u\n", in->version);
	printf("build         %s\n", in->build);
	printf("engines       %u\n", in->engines);
	printf("program slots %u x %u bytes at BAR4 0x%08x\n", in->prog_slots, in->prog_slot_size,
	       in->prog_slot_off);
	printf("data slots    %u x %u bytes at BAR4 0x%08x\n", in->data_slots, in->data_slot_size,
	       in->data_slot_off);
	if (m->count)
		printf("map slots     %u x %u bytes at BAR4 0x%08x\n", m->count, m->size, m->off);
	else
		printf("map slots     none (the card has no maps)\n");
	printf("max insns     %u\n", in->max_insns);
	printf("dma channels  %u H2C, %u C2H\n", in->h2c_channels, in->c2h_channels);
	printf("capabilities  ");
	print_caps(stdout, in->caps, 0);
	printf(" (0x%x)\n", in->caps);
}

static void print_json(struct hermes_dev *dev, const struct hermes_info *in, const struct map_region *m)
{
	printf("{\"device\": ");
	cli_json_string(stdout, hermes_dev_kind(dev));
	printf(", \"version\": %u, \"build\": ", in->version);
	cli_json_string(stdout, in->build);
	printf(", \"engines\": %u, \"prog_slots\": %u, \"prog_slot_size\": %u, \"prog_slot_off\": %u"
	       ", \"data_slots\": %u, \"data_slot_size\": %u, \"data_slot_off\": %u"
	       ", \"max_insns\": %u, \"h2c_channels\": %u, \"c2h_channels\": %u, \"caps\": %u"
	       ", \"capabilities\": [",
	       in->engines, in->prog_slots, in->prog_slot_size, in->prog_slot_off, in->data_slots,
	       in->data_slot_size, in->data_slot_off, in->max_insns, in->h2c_channels,
	       in->c2h_channels, in->caps);
	print_caps(stdout, in->caps, 1);
	printf("], \"map_slots\": %u, \"map_slot_size\": %u, \"map_slot_off\": %u, ", m->count, m->size, m->off);
	cli_json_cost_model(stdout, dev);
	printf("}\n");
}

int cmd_info(const struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct hermes_info info;
	struct map_region maps;
	struct hermes_dev *dev;
	int json = 0, c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else
			return cli_usage("info", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage("info", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open(cli, "info", &dev)))
		return rc;
	if (hermes_dev_info(dev, &info) || hermes_dev_map_slots(dev, &maps.count, &maps.size, &maps.off)) {
		rc = cli_fail("info", "%s", hermes_dev_errmsg(dev));
	} else {
		if (json)
			print_json(dev, &info, &maps);
		else
			print_text(dev, &info, &maps);
		rc = CLI_OK;
	}
	hermes_dev_close(dev);
	return rc;
}
