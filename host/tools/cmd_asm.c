/* SPDX-License-Identifier: MIT */
/*
 * cmd_asm.c - `hermes asm IN.s [-o OUT.bin]`: assemble text into raw
 * bytecode (8 little-endian bytes per slot). Errors print as
 * FILE:LINE:COL: message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "cli.h"
#include "prog.h"

static char *default_output(const char *in)
{
	size_t n = strlen(in);
	char *out;

	if (n > 2 && !strcmp(in + n - 2, ".s"))
		n -= 2;
	else if (n > 4 && !strcmp(in + n - 4, ".asm"))
		n -= 4;
	out = malloc(n + 5);
	if (!out)
		return NULL;
	memcpy(out, in, n);
	memcpy(out + n, ".bin", 5);
	return out;
}

static int write_slots(const char *path, const struct hermes_insn *insns, size_t n)
{
	int to_stdout = !strcmp(path, "-");
	FILE *f = to_stdout ? stdout : fopen(path, "wb");
	int ok;

	if (!f)
		return -errno;
	ok = 1;
	for (size_t i = 0; i < n && ok; i++) {
		const struct hermes_insn *s = &insns[i];
		uint32_t imm = (uint32_t)s->imm;
		uint16_t off = (uint16_t)s->off;
		unsigned char b[8] = {
			s->opcode, s->regs, (unsigned char)off, (unsigned char)(off >> 8),
			(unsigned char)imm, (unsigned char)(imm >> 8),
			(unsigned char)(imm >> 16), (unsigned char)(imm >> 24),
		};

		ok = fwrite(b, 1, sizeof(b), f) == sizeof(b);
	}
	if (to_stdout)
		ok = fflush(f) == 0 && ok;
	else
		ok = fclose(f) == 0 && ok;
	return ok ? 0 : -EIO;
}

int cmd_asm(const struct cli *cli, int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	struct hermes_asm_error aerr;
	struct hermes_insn *insns = NULL;
	char *text = NULL, *outbuf = NULL;
	size_t len, n = 0;
	int err, ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (i + 1 >= argc)
				return cli_usage(argv[0], "option '%s' needs a file name", argv[i]);
			out = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: hermes asm IN.s [-o OUT.bin]\n"
			       "Assemble IN.s (syntax: docs/ASSEMBLY.md) into raw bytecode;\n"
			       "OUT.bin defaults to IN with a .bin suffix, '-' is stdout.\n");
			return CLI_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage(argv[0], "unknown option '%s'", argv[i]);
		} else if (in) {
			return cli_usage(argv[0], "more than one input file ('%s', '%s')", in, argv[i]);
		} else {
			in = argv[i];
		}
	}
	if (!in)
		return cli_usage(argv[0], "no input file");

	err = hermes__read_file(in, &text, &len);
	if (err)
		return cli_fail(argv[0], "%s", hermes_dev_errmsg(NULL));
	if (strlen(text) != len) {
		ret = cli_fail(argv[0], "%s: NUL byte at offset %zu: not a text file", in, strlen(text));
		goto out;
	}
	err = hermes_asm(text, &insns, &n, &aerr);
	if (err == -EINVAL) {
		fprintf(stderr, "%s:%u:%u: %s\n", in, aerr.line, aerr.col, aerr.msg);
		ret = CLI_FAIL;
		goto out;
	}
	if (err) {
		ret = cli_fail(argv[0], "%s: %s", in, strerror(-err));
		goto out;
	}
	if (n == 0) {
		ret = cli_fail(argv[0], "%s: no instructions", in);
		goto out;
	}
	if (!out) {
		outbuf = default_output(in);
		if (!outbuf) {
			ret = cli_fail(argv[0], "out of memory");
			goto out;
		}
		out = outbuf;
	}
	err = write_slots(out, insns, n);
	if (err) {
		ret = cli_fail(argv[0], "cannot write '%s': %s", out, strerror(-err));
		goto out;
	}
	ret = CLI_OK;
out:
	free(insns);
	free(text);
	free(outbuf);
	return ret;
}
