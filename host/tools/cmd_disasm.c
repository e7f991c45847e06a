/* SPDX-License-Identifier: MIT */
/*
 * cmd_disasm.c - `hermes disasm PROG [--raw] [--section S]`: print a
 * program's code one instruction per line ("  PC: text"), or with --raw
 * as plain text that `hermes asm` turns back into the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "cli.h"

int cmd_disasm(const struct cli *cli, int argc, char **argv)
{
	struct hermes_prog_opts opts = { .sz = sizeof(opts) };
	struct hermes_prog *prog = NULL;
	struct hermes_insn *insns;
	const unsigned char *code;
	const char *path = NULL;
	size_t n, image_len;
	int raw = 0, err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--raw")) {
			raw = 1;
		} else if (!strcmp(argv[i], "--section") || !strcmp(argv[i], "-s")) {
			if (i + 1 >= argc)
				return cli_usage(argv[0], "option '%s' needs a section or function name", argv[i]);
			opts.section = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: hermes disasm PROG [--raw] [--section S]\n"
			       "Disassemble PROG (ELF object, .s or raw .bin bytecode), one\n"
			       "instruction per line with its pc; --raw prints text only, which\n"
			       "`hermes asm` assembles back into the same bytes.\n");
			return CLI_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage(argv[0], "unknown option '%s'", argv[i]);
		} else if (path) {
			return cli_usage(argv[0], "more than one program ('%s', '%s')", path, argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return cli_usage(argv[0], "no program file");

	err = hermes_prog_load(path, &opts, &prog);
	if (err)
		return cli_fail(argv[0], "%s", hermes_dev_errmsg(NULL));
	code = hermes_prog_image(prog);
	n = hermes_prog_code_len(prog) / 8;
	image_len = hermes_prog_image_len(prog);
	insns = calloc(n ? n : 1, sizeof(*insns));
	if (!insns) {
		hermes_prog_free(prog);
		return cli_fail(argv[0], "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		const unsigned char *b = code + 8 * i;

		insns[i].opcode = b[0];
		insns[i].regs = b[1];
		insns[i].off = (int16_t)(uint16_t)(b[2] | b[3] << 8);
		insns[i].imm = (int32_t)((uint32_t)b[4] | (uint32_t)b[5] << 8 |
					 (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24);
	}
	for (size_t pc = 0; pc < n;) {
		char text[HERMES_DISASM_LEN];
		int k = hermes_disasm_insn(insns, n, pc, text, sizeof(text));

		if (k <= 0) { /* cannot happen with HERMES_DISASM_LEN */
			snprintf(text, sizeof(text), "# cannot disassemble slot %zu", pc);
			k = 1;
		}
		if (raw)
			printf("%s\n", text);
		else
			printf("%4zu: %s\n", pc, text);
		pc += (size_t)k;
	}
	if (!raw && image_len > 8 * n)
		printf("# %zu bytes of data (globals) follow the code\n", image_len - 8 * n);
	free(insns);
	hermes_prog_free(prog);
	if (fflush(stdout))
		return cli_fail(argv[0], "cannot write the output");
	return CLI_OK;
}
