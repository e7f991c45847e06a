/* SPDX-License-Identifier: MIT */
/* cli.h - shared pieces of the hermes command-line tool. */
#ifndef HERMES_CLI_H
#define HERMES_CLI_H

#include <stdio.h>

#include "hermes/hermes.h"

/* Exit codes: 0 success, 1 the operation failed, 2 bad usage. */
#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

struct cli {
	const char *device; /* -d DEV, NULL: $HERMES_DEVICE or "sim" */
};

/* Print "hermes CMD: message" to stderr; returns CLI_USAGE or CLI_FAIL. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open the selected device, printing the reason on failure. */
int cli_open(const struct cli *cli, const char *cmd, struct hermes_dev **devp);

/* Parse an unsigned number (decimal or 0x hex) into *val; 0 or -1. */
int cli_parse_u64(const char *s, unsigned long long *val);

/* Print s as a JSON string literal. */
void cli_json_string(FILE *f, const char *s);
/* Print "cost_model": the PCIe cost model of a "sim" device (its figures,
 * sim/hermes_sim.h), null for devices whose bus is not modelled here. */
void cli_json_cost_model(FILE *f, struct hermes_dev *dev);
/* Allocate and release every free data slot once (the first allocation
 * after a reset scrubs a slot whole); 0 or a CLI exit code. */
int cli_warm_card(struct hermes_dev *dev, const char *name);

/* Subcommands: argv[0] is the subcommand name. */
int cmd_info(const struct cli *cli, int argc, char **argv);
int cmd_reset(const struct cli *cli, int argc, char **argv);
int cmd_run(const struct cli *cli, int argc, char **argv);
/* hermes map PROG [options] OP... : map operations on a loaded object (cmd_map.c) */
int cmd_map(const struct cli *cli, int argc, char **argv);
int cmd_asm(const struct cli *cli, int argc, char **argv);
int cmd_disasm(const struct cli *cli, int argc, char **argv);
int cmd_bench(const struct cli *cli, int argc, char **argv);
int cmd_conformance_plugin(const struct cli *cli, int argc, char **argv);
/* hermes batch PROG --jobs N [--out-dir DIR] FILES...|DIR (also run PROG --jobs N ...) */
int cmd_batch(const struct cli *cli, int argc, char **argv);

/* Benchmarks (hermes bench NAME): each in its own bench_NAME.c. */
int bench_ref(const struct cli *cli, int argc, char **argv);
int bench_dma(const struct cli *cli, int argc, char **argv);
int bench_xdma(const struct cli *cli, int argc, char **argv);
int bench_ipc(const struct cli *cli, int argc, char **argv);
int bench_sim(const struct cli *cli, int argc, char **argv);
int bench_scale(const struct cli *cli, int argc, char **argv);
int bench_prog(const struct cli *cli, int argc, char **argv);
int bench_queue(const struct cli *cli, int argc, char **argv);

#endif
