/* SPDX-License-Identifier: MIT */
/*
 * bench_ipc.c - hermes bench ipc: instructions per clock of one RTL engine
 * by instruction class, and the taken-branch, load-use and division costs,
 * measured from the engine's retired-instruction and cycle counters.
 *
 * Every figure is a difference between two runs of the same loop with
 * different trip counts, so the fixed costs of a run (code copy into the
 * engine, pipeline fill, exit) cancel out: IPC = d(insns) / d(cycles).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "cli.h"
#include "progress.h"

#define BODY_REPEAT 32   /* copies of the measured pattern per loop iteration */
#define ITERS_SHORT 50
#define ITERS_LONG  150

struct klass {
	const char *name;
	const char *setup;  /* before the loop */
	const char *body;   /* one copy of the measured pattern */
	unsigned body_insns;
};

static const struct klass classes[] = {
	{ "alu64", "mov %r3, 3\nmov %r4, 5\n",
	  "add %r3, %r4\nxor %r4, 0x55\nlsh %r3, 1\nsub %r4, %r3\n", 4 },
	{ "alu32", "mov %r3, 3\nmov %r4, 5\n",
	  "add32 %r3, %r4\nxor32 %r4, 0x55\nlsh32 %r3, 1\nsub32 %r4, %r3\n", 4 },
	{ "mul", "mov %r3, 3\nmov %r4, 5\n", "mul %r3, %r4\nmul %r4, 7\n", 2 },
	{ "lddw", "", "lddw %r3, 0x123456789abcdef\nlddw %r4, 0x1122334455667788\n", 2 },
	{ "load", "", "ldxdw %r3, [%r1+0]\nldxw %r4, [%r1+8]\nldxh %r5, [%r10-8]\n", 3 },
	{ "store", "", "stxdw [%r1+0], %r3\nstw [%r1+8], 7\nstxb [%r10-8], %r4\n", 3 },
	{ "atomic", "", "lock add [%r1+0], %r3\nlock add [%r10-8], %r3\n", 2 },
	{ "not-taken", "mov %r3, 1\n", "jeq %r3, 0, +0\njne32 %r3, 1, +0\n", 2 },
	{ "taken", "mov %r3, 1\n", "ja +0\njeq %r3, 1, +0\n", 2 },
	/* taken on every other loop iteration (r6 counts down): the engine's
	 * 2-bit counter per jump gets every one wrong */
	{ "mispredict", "", "jset %r6, 1, +0\njset %r6, 1, +0\n", 2 },
	{ "load-use", "", "ldxdw %r3, [%r1+0]\nadd %r4, %r3\n", 2 },
	{ "load-indep", "", "ldxdw %r3, [%r1+0]\nadd %r4, %r5\n", 2 },
	{ "call", "", "call local fn_%u\n", 2 }, /* call + exit of an empty callee */
	{ "div64", "lddw %r3, 0x7fffffffffffffff\nmov %r4, 3\n", "div %r3, %r4\n", 1 },
	{ "mod64", "lddw %r3, 0x7fffffffffffffff\nmov %r4, 3\n", "mod %r3, %r4\n", 1 },
	{ "sdiv64", "lddw %r3, -0x7fffffffffffffff\nmov %r4, 3\n", "sdiv %r3, %r4\n", 1 },
};

#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

static size_t class_index(const char *name)
{
	for (size_t i = 0; i < NCLASSES; i++)
		if (!strcmp(classes[i].name, name))
			return i;
	abort(); /* a name below that is not in classes[] */
}

/* Program: setup; r6 = iters; loop: BODY_REPEAT x body; r6 -= 1; jne r6, 0, loop; exit. */
static int build(const struct klass *k, unsigned iters, struct hermes_prog **progp)
{
	size_t cap = 65536, len = 0;
	char *text = malloc(cap);
	struct hermes_asm_error aerr;
	struct hermes_insn *insns;
	size_t n;
	int err;

	if (!text)
		return -ENOMEM;
	len += (size_t)snprintf(text + len, cap - len, "%smov %%r6, %u\nloop:\n", k->setup, iters);
	for (unsigned i = 0; i < BODY_REPEAT; i++) {
		if (!strcmp(k->name, "call"))
			len += (size_t)snprintf(text + len, cap - len, k->body, i);
		else
			len += (size_t)snprintf(text + len, cap - len, "%s", k->body);
	}
	len += (size_t)snprintf(text + len, cap - len, "sub %%r6, 1\njne %%r6, 0, loop\nmov %%r0, 0\nexit\n");
	if (!strcmp(k->name, "call"))
		for (unsigned i = 0; i < BODY_REPEAT; i++)
			len += (size_t)snprintf(text + len, cap - len, "fn_%u:\nexit\n", i);
	err = hermes_asm(text, &insns, &n, &aerr);
	free(text);
	if (err)
		return err;
	err = hermes_prog_from_bytecode(insns, n * 8, progp);
	free(insns);
	return err;
}

static int measure(struct hermes_dev *dev, const struct klass *k, double *ipc, double *cpp)
{
	struct hermes_run_opts ro = { .sz = sizeof(ro), .engine = 0 };
	unsigned char data[64] = { 0 };
	uint64_t insns[2], cycles[2];
	unsigned iters[2] = { ITERS_SHORT, ITERS_LONG };

	for (int r = 0; r < 2; r++) {
		struct hermes_run_result res;
		struct hermes_prog *prog;
		int err = build(k, iters[r], &prog);

		if (err)
			return err;
		err = hermes_run(dev, prog, data, sizeof(data), NULL, 0, &ro, &res);
		hermes_prog_free(prog);
		if (err)
			return err;
		if (res.status != HERMES_ST_SUCCESS)
			return -EIO;
		insns[r] = res.insns;
		cycles[r] = res.cycles;
	}
	*ipc = (double)(insns[1] - insns[0]) / (double)(cycles[1] - cycles[0]);
	/* clocks per pattern copy, loop overhead (2 insns + taken branch) included */
	*cpp = (double)(cycles[1] - cycles[0]) / ((iters[1] - iters[0]) * (double)BODY_REPEAT);
	return 0;
}

int bench_ipc(const struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	double ipc[NCLASSES], cpp[NCLASSES];
	struct cli_progress bar;
	struct hermes_dev *dev;
	int json = 0, c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c != 'j')
			return cli_usage("bench", "bench ipc: unknown option '%s'", argv[optind - 1]);
		json = 1;
	}
	if ((rc = cli_open(cli, "bench ipc", &dev)))
		return rc;
	cli_progress_start(&bar, NCLASSES, NULL, json);
	for (size_t i = 0; i < NCLASSES; i++) {
		int err;

		cli_progress_update(&bar, (unsigned)i, classes[i].name);
		err = measure(dev, &classes[i], &ipc[i], &cpp[i]);
		if (err) {
			cli_progress_end(&bar, (unsigned)i, NULL, 0);
			rc = cli_fail("bench ipc", "class %s: %s", classes[i].name,
				      err == -EIO ? "the program did not succeed" : hermes_dev_errmsg(dev));
			hermes_dev_close(dev);
			return rc;
		}
	}
	cli_progress_end(&bar, NCLASSES, NULL, 0);

	/*
	 * Derived costs, each a difference of two patterns of equal length:
	 * two taken vs two not-taken branches, a load feeding the next
	 * instruction vs an independent one.
	 */
	double branch_pen = (cpp[class_index("taken")] - cpp[class_index("not-taken")]) / 2;
	double load_use_pen = cpp[class_index("load-use")] - cpp[class_index("load-indep")];
	double mispredict_pen = (cpp[class_index("mispredict")] - cpp[class_index("not-taken")]) / 2;
	double call_exit = cpp[class_index("call")];
	double div_clocks = cpp[class_index("div64")], mod_clocks = cpp[class_index("mod64")];
	double sdiv_clocks = cpp[class_index("sdiv64")];

	if (json) {
		printf("{\"device\": \"%s\"", cli->device ? cli->device : "default");
		for (size_t i = 0; i < NCLASSES; i++)
			printf(", \"ipc_%s\": %.3f, \"clocks_per_copy_%s\": %.2f", classes[i].name, ipc[i],
			       classes[i].name, cpp[i]);
		printf(", \"taken_branch_penalty\": %.2f, \"mispredict_penalty\": %.2f, \"load_use_penalty\": %.2f"
		       ", \"call_exit_clocks\": %.2f"
		       ", \"div64_clocks\": %.1f, \"mod64_clocks\": %.1f, \"sdiv64_clocks\": %.1f, ",
		       branch_pen, mispredict_pen, load_use_pen, call_exit, div_clocks, mod_clocks, sdiv_clocks);
		cli_json_cost_model(stdout, dev);
		printf("}\n");
		hermes_dev_close(dev);
		return CLI_OK;
	}
	hermes_dev_close(dev);
	printf("IPC of one engine by instruction class (loops of %u copies, difference of %u and %u\n"
	       "iterations; each loop iteration also runs sub + a taken jne)\n\n", BODY_REPEAT,
	       ITERS_SHORT, ITERS_LONG);
	printf("  %-10s %8s %14s\n", "class", "IPC", "clocks/copy");
	for (size_t i = 0; i < NCLASSES; i++)
		printf("  %-10s %8.3f %14.2f\n", classes[i].name, ipc[i], cpp[i]);
	printf("\n  taken-branch penalty   %.2f clocks (mean of ja and a forward taken jeq, both\n"
	       "                         predicted taken: ja always, jeq by its counter)\n", branch_pen);
	printf("  mispredict penalty     %.2f clocks (a jump taken every other time)\n", mispredict_pen);
	printf("  load-use penalty       %.2f clocks (target <= 1)\n", load_use_pen);
	printf("  call + exit            %.2f clocks (empty callee; target <= 3 each)\n", call_exit);
	printf("  64-bit div / mod / sdiv %.1f / %.1f / %.1f clocks (target <= 36)\n", div_clocks,
	       mod_clocks, sdiv_clocks);
	printf("  ALU IPC                %.3f (target >= 0.9; includes one taken jne per %u ALU ops)\n",
	       ipc[0], BODY_REPEAT * classes[0].body_insns);
	return CLI_OK;
}
