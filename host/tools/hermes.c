/* SPDX-License-Identifier: MIT */
/* hermes.c - the hermes command-line tool: global options and dispatch. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "dev.h"
#include "json.h"

static int cmd_help(const struct cli *cli, int argc, char **argv);

/*
 * One row a command: its usage line(s) and its options, the text that
 * `hermes help COMMAND`, `hermes COMMAND --help`, hermes(1) (generated from
 * them) and the bash completion (read from them) all show. An option a
 * command accepts must be described here: ctest cli.help_covers_options
 * checks every option the sources parse against these texts.
 */
static const struct {
	const char *name;
	int (*fn)(const struct cli *cli, int argc, char **argv);
	const char *usage;
	const char *help;
} commands[] = {
	{ "info", cmd_info, "info [--json]",
	  "Print the card's identity and geometry: build id, engines, program and data\n"
	  "slots (count, size, BAR4 offset), capabilities, default instruction budget,\n"
	  "DMA channels found; on sim also the PCIe cost model in force.\n"
	  "  --json        one JSON object instead of the table\n" },
	{ "reset", cmd_reset, "reset   (reset the card: stop everything, free and zero every slot)",
	  "Reset the whole card through EHRESET: running commands and DMA end, every slot\n"
	  "is freed and zeroed, interrupts and DMA channels return to their power-on\n"
	  "state. Other processes' waiting commands end with 'card was reset'.\n" },
	{ "run", cmd_run,
	  "run PROG [--data FILE] [--out FILE] [--section S] [--engine N] [--max-insns N]\n"
	  "                  [--timeout MS] [--trace F.fst] [--trace-window A:B] [--itrace[=noclock]]\n"
	  "                  [--repeat N] [--dump-maps] [--json] [--jobs N FILES...|DIR]",
	  "Run PROG (an ELF object, .s assembly or .bin bytecode) once on a data slot\n"
	  "holding FILE's bytes (r1 = the slot, r2 = its length); print r0, the\n"
	  "instructions retired and the clocks, or the fault with a report.\n"
	  "  --data FILE        input bytes (default: none, r2 = 0)\n"
	  "  --out FILE         write the data slot after the run (as many bytes as the input,\n"
	  "                     the whole slot without one)\n"
	  "  --section S        ELF entry: section or function name (default: the only one)\n"
	  "  --engine N         run on engine N (default: any idle one)\n"
	  "  --max-insns N      instruction budget (default: the card's, EHMAXI)\n"
	  "  --timeout MS       give up after MS milliseconds (on sim: of card time)\n"
	  "  --trace F.fst      write a waveform of the run (sim)\n"
	  "  --trace-window A:B only clocks A to B-1 in the waveform (A: or :B open-ended)\n"
	  "  --itrace[=noclock] print every retired instruction (without clock counts: noclock)\n"
	  "  --json             one JSON object: status, r0, insns, cycles, engine (cause, pc, addr)\n"
	  "  --repeat N         run N times on one loaded object: the maps persist, the input is\n"
	  "                     uploaded for every run, r0 is the last run's (a fault stops early)\n"
	  "  --dump-maps        after the runs print every map (--json: \"maps\": {NAME: [{\"key\": HEX,\n"
	  "                     \"value\": HEX}]}, per-engine arrays \"values\": [HEX per engine]; arrays\n"
	  "                     list every index, hashes the keys present)\n"
	  "Programs with maps (docs/MAPS.md), trace_printk calls, --repeat or --dump-maps run as a\n"
	  "loaded object: each run's trace_printk lines are printed (--json: \"runs\", \"trace\": [lines\n"
	  "of every run, in order], \"trace_lost\").\n"
	  "With --jobs N, PROG runs once per input file, N jobs in flight on all engines:\n"
	  "  --jobs N           jobs in flight (1..65536); inputs are FILES or a DIR's files\n"
	  "  --out-dir DIR      write each job's output to DIR/NAME\n"
	  "  --out-len N        bytes of output per job (default: the input's length)\n"
	  "  --engines MASK     engines to use (default: all)\n"
	  "  --register-path    drive the engines through their command registers only\n"
	  "                     (default: the card's hardware queue for the jobs that fit)\n"
	  "  --verbose          a line per job\n"
	  "  --section, --max-insns, --timeout, --json as above (the JSON is the summary);\n"
	  "  a progress bar is drawn on a terminal, never into a pipe or beside --json.\n" },
	{ "map", cmd_map,
	  "map PROG [--data FILE] [--section S] [--max-insns N] [--timeout MS] [--json] OP...\n"
	  "                  OP: run | dump [MAP] | lookup MAP KEY | update MAP KEY VALUE [any|noexist|exist]\n"
	  "                      | delete MAP KEY | next MAP [KEY]",
	  "Load PROG with its maps (docs/MAPS.md) as one loaded object and perform the\n"
	  "operations in order, like bpftool map on a program this command owns: runs and\n"
	  "map operations interleave, the maps persist until the command ends. MAP is a\n"
	  "map's name (or index); KEY and VALUE are raw bytes in hex, no 0x, as dumps print\n"
	  "them (array keys: 4-byte little-endian indexes, e.g. 01000000). A per-engine\n"
	  "array's VALUE is one value for every engine, or one per engine back to back.\n"
	  "  run                  run PROG once on FILE's bytes; print r0 and its trace lines\n"
	  "  dump [MAP]           print MAP (default: every map): arrays every index, hashes the keys present\n"
	  "  lookup MAP KEY       print KEY's value\n"
	  "  update MAP KEY VALUE [any|noexist|exist]   create or overwrite (default any)\n"
	  "  delete MAP KEY       remove KEY from a hash\n"
	  "  next MAP [KEY]       the key after KEY in entry order (no KEY: the first)\n"
	  "  --data FILE          the input of every run (default: none)\n"
	  "  --section S          ELF entry: section or function name\n"
	  "  --max-insns N        instruction budget of a run\n"
	  "  --timeout MS         limit of a run\n"
	  "  --json               one JSON object per operation, one a line\n"
	  "The first operation that fails (a key not found included) ends the command with\n"
	  "status 1.\n" },
	{ "asm", cmd_asm, "asm IN.s [-o OUT.bin]",
	  "Assemble IN.s (docs/ASSEMBLY.md) into raw bytecode.\n"
	  "  -o, --output OUT.bin  where to write it (default: IN.bin)\n" },
	{ "disasm", cmd_disasm, "disasm PROG [--raw] [--section S]",
	  "Disassemble PROG (ELF object, .s or .bin) in the assembler's syntax.\n"
	  "  --raw             also print each instruction's bytes\n"
	  "  -s, --section S   ELF entry: section or function name\n" },
	{ "bench", cmd_bench, "bench NAME [OPTIONS] [--json]   (NAME: ref, dma, xdma, ipc, sim, scale, prog, queue)",
	  "Measure and print figures with their conditions; --json prints one JSON object\n"
	  "(on sim it names the PCIe cost model in force, cost_model). ipc, sim, scale,\n"
	  "prog and xdma draw a progress bar on a terminal, never into a pipe or beside\n"
	  "--json.\n"
	  "  ref [--insns N]                   reference VM speed, instructions per second\n"
	  "  dma                               DMA throughput by transfer size, H2C and C2H\n"
	  "  xdma [--runs N] [--shim PATH]     in-process sim against XDMA nodes (xdma-fuse);\n"
	  "                                    -d xdma:PREFIX: those nodes; -d sim:OPTS: both sides\n"
	  "  ipc                               one engine's IPC per instruction class, penalties\n"
	  "  sim                               simulated card clocks per second\n"
	  "  scale [--iters N] [--per-engine N] [--bytes N]\n"
	  "                                    throughput at 1, 2, 4, 8 engines, efficiency\n"
	  "  prog PROG [--data FILE] [--section S] [--runs N] [--stalls]\n"
	  "                                    the cost of one program on one input\n"
	  "  prog --gallery DIR [--stalls]     IPC of every gallery program and their geometric mean;\n"
	  "                                    --stalls (sim): the clocks without a retire, per cause\n"
	  "  queue [--jobs N] [--steady-jobs N] [--insns N] [--bytes N] [--engines N] [--batch N]\n"
	  "        [--irq-clocks N]            hardware queues against the register path (docs/HWQUEUE.md);\n"
	  "                                    --insns etc. measure those rows only; the targets' rows\n"
	  "                                    again with --steady-jobs (default 1024, 0: none)\n" },
	{ "conformance-plugin", cmd_conformance_plugin, "conformance-plugin [--elf] [MEMHEX]",
	  "The bpf_conformance plugin protocol: program as hex bytes on stdin, input\n"
	  "memory as hex in MEMHEX, r0 printed in hex on stdout.\n"
	  "  --elf   the program on stdin is an ELF object, not bytecode\n" },
	{ "help", cmd_help, "help [COMMAND]   (this text, or one command's)",
	  "Print the usage of hermes, or of COMMAND with its options.\n" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: hermes [-d DEV] COMMAND [ARGS]\n"
		   "       hermes --version | --help | COMMAND --help\n\n"
		   "  -d DEV   device: sim[:opts] (default, or $HERMES_DEVICE), ref, xdma:/dev/xdma0\n\n"
		   "commands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  hermes %s\n", commands[i].usage);
	fprintf(f, "\nExit status: 0 success, 1 the operation failed, 2 wrong usage.\n"
		   "docs/ARCHITECTURE.md describes the CLI, docs/ the rest.\n");
}

/* The command named by name's first word ("bench xdma": bench); -1 if none. */
static int command_index(const char *name)
{
	size_t n = name ? strcspn(name, " ") : 0;

	for (size_t i = 0; name && i < N_COMMANDS; i++)
		if (strlen(commands[i].name) == n && !strncmp(commands[i].name, name, n))
			return (int)i;
	return -1;
}

static void command_usage(FILE *f, int c)
{
	fprintf(f, "usage: hermes [-d DEV] %s\n", commands[c].usage);
}

/* The usage and the options: what `help COMMAND` and `COMMAND --help` print. */
static void command_help(FILE *f, int c)
{
	command_usage(f, c);
	fprintf(f, "\n%s", commands[c].help);
}

/* hermes help [COMMAND] */
static int cmd_help(const struct cli *cli, int argc, char **argv)
{
	int c;

	(void)cli;
	if (argc < 2) {
		usage(stdout);
		return CLI_OK;
	}
	if (argc > 2)
		return cli_usage("help", "unexpected argument '%s'", argv[2]);
	if ((c = command_index(argv[1])) < 0)
		return cli_usage("help", "unknown command '%s'", argv[1]);
	command_help(stdout, c);
	return CLI_OK;
}

/* "-h" or "--help" among a command's arguments (before "--"). */
static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

static void vreport(const char *cmd, const char *fmt, va_list ap)
{
	cli_progress_clear_active(); /* a message never lands beside a bar */
	fprintf(stderr, "hermes%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
	if (command_index(cmd) >= 0)
		command_usage(stderr, command_index(cmd));
	else if (!cmd)
		usage(stderr);
	return CLI_USAGE;
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
	return CLI_FAIL;
}

int cli_open(const struct cli *cli, const char *cmd, struct hermes_dev **devp)
{
	int err = hermes_dev_open(cli->device, devp);

	if (err)
		return cli_fail(cmd, "%s", hermes_dev_errmsg(NULL));
	return CLI_OK;
}

int cli_parse_u64(const char *s, unsigned long long *val)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*val = strtoull(s, &end, 0);
	return (errno || *end) ? -1 : 0;
}

/*
 * After reset the card counts every slot as dirty and scrubs a slot whole
 * (16 K clocks for 1 MiB) the first time it is allocated. Allocate and
 * release every free data slot once, so that this one-off cost does not
 * land in the measurements.
 */
int cli_warm_card(struct hermes_dev *dev, const char *name)
{
	struct hermes_queue_opts o = { .sz = sizeof(o) };
	struct hermes_queue *q;
	uint32_t slots[256];
	unsigned n = 0;
	int err;

	if ((err = hermes_queue_create(dev, &o, &q)))
		return cli_fail(name, "%s", hermes_dev_errmsg(dev));
	while (n < 256 && (err = hermes_queue_slot_create(q, NULL, 0, &slots[n])) == 0)
		n++;
	if (err && err != -ENOSPC)
		err = cli_fail(name, "%s", hermes_queue_errmsg(q));
	else
		err = 0;
	while (n)
		hermes_queue_slot_destroy(q, slots[--n]);
	hermes_queue_destroy(q);
	return err;
}

void cli_json_cost_model(FILE *f, struct hermes_dev *dev)
{
	char buf[512];

	if (hermes__dev_cost_json(dev, buf, sizeof(buf)) >= (int)sizeof(buf))
		snprintf(buf, sizeof(buf), "null");
	fprintf(f, "\"cost_model\": %s", buf);
}

void cli_json_string(FILE *f, const char *s)
{
	hermes__json_string(f, s);
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	int i = 1, c;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-d") || !strcmp(argv[i], "--device")) {
			if (i + 1 >= argc)
				return cli_usage(NULL, "option '%s' needs a device (sim, ref, xdma:/dev/xdma0)", argv[i]);
			cli.device = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--device=", 9)) {
			cli.device = argv[i] + 9;
			i++;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return CLI_OK;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("hermes %s (card build id %s, interface version %u)\n", HERMES_CLI_VERSION,
			       HERMES_CLI_BUILD_ID, HERMES_VERSION);
			return CLI_OK;
		} else {
			fprintf(stderr, "hermes: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	if ((c = command_index(argv[i])) >= 0) {
		if (wants_help(argc - i, argv + i)) {
			command_help(stdout, c);
			return CLI_OK;
		}
		return commands[c].fn(&cli, argc - i, argv + i);
	}
	fprintf(stderr, "hermes: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return CLI_USAGE;
}
