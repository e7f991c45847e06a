/* SPDX-License-Identifier: MIT */
/*
 * cmd_conformance_plugin.c - `hermes [-d DEV] conformance-plugin [--elf] [MEMHEX]`
 *
 * The bpf_conformance plugin protocol: the program arrives on stdin as hex
 * bytes ("b7 00 00 00 2a 00 00 00 95 00 ..."; any whitespace, optional 0x
 * prefixes), the input memory as hex bytes in the last argument (may be
 * empty or absent). The program runs once on the selected device with that
 * memory in the data slot (r1 = its base, r2 = its length); r0 is printed in
 * hex on stdout and the exit status is 0. Any failure - bad input, a device
 * error, or a program fault - exits 1 with one line on stderr and nothing
 * on stdout (bpf_conformance then compares that line with the test's
 * `-- error` text). A fault reads exactly "fault CAUSE pc PC addr 0xADDR"
 * (decimal cause and pc, lower-case hex address), the format of the
 * `-- error` sections of the conformance corpus (tests/conformance).
 *
 * --elf: stdin is an ELF object (raw, or hex like the bytecode), loaded with
 * hermes_prog_load() from a temporary file.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char *CMD = "conformance-plugin";

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static int buf_put(struct buf *b, unsigned char c)
{
	if (b->len == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		unsigned char *p = realloc(b->p, cap);

		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	b->p[b->len++] = c;
	return 0;
}

static int read_all(FILE *f, struct buf *b)
{
	int c;

	while ((c = fgetc(f)) != EOF)
		if (buf_put(b, (unsigned char)c))
			return -ENOMEM;
	return ferror(f) ? -EIO : 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Decode hex text: bytes are pairs of hex digits; whitespace, commas and
 * "0x" prefixes between bytes are skipped. Returns 0 or -EINVAL with the
 * offending offset in *bad.
 */
static int hex_decode(const char *s, size_t n, struct buf *out, size_t *bad)
{
	size_t i = 0;

	while (i < n) {
		int hi, lo;

		if (isspace((unsigned char)s[i]) || s[i] == ',') {
			i++;
			continue;
		}
		if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
		    i + 2 < n && hexval(s[i + 2]) >= 0) {
			/* "0x" prefix, unless it is the byte 0x0? followed by 'x' (impossible) */
			i += 2;
			continue;
		}
		hi = hexval((unsigned char)s[i]);
		lo = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
		if (hi < 0 || lo < 0) {
			*bad = i;
			return -EINVAL;
		}
		if (buf_put(out, (unsigned char)(hi << 4 | lo)))
			return -ENOMEM;
		i += 2;
	}
	return 0;
}

static int load_elf(const struct buf *in, struct hermes_prog **progp)
{
	struct buf raw = { 0 };
	const struct buf *elf = in;
	char path[] = "/tmp/hermes-conformance-XXXXXX";
	size_t bad;
	int fd, err;
	FILE *f;

	if (in->len < 4 || memcmp(in->p, "\177ELF", 4)) {
		err = hex_decode((const char *)in->p, in->len, &raw, &bad);
		if (err) {
			free(raw.p);
			return cli_fail(CMD, "stdin is neither an ELF object nor hex bytes (offset %zu)", bad);
		}
		elf = &raw;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		free(raw.p);
		return cli_fail(CMD, "cannot create a temporary file: %s", strerror(errno));
	}
	f = fdopen(fd, "wb");
	if (!f || fwrite(elf->p, 1, elf->len, f) != elf->len || fclose(f)) {
		if (!f)
			close(fd);
		unlink(path);
		free(raw.p);
		return cli_fail(CMD, "cannot write a temporary file: %s", strerror(errno));
	}
	free(raw.p);
	err = hermes_prog_load(path, NULL, progp);
	unlink(path);
	if (err)
		return cli_fail(CMD, "%s", hermes_dev_errmsg(NULL));
	return CLI_OK;
}

static int load_bytecode(const struct buf *in, struct hermes_prog **progp)
{
	struct buf code = { 0 };
	size_t bad = 0;
	int err = hex_decode((const char *)in->p, in->len, &code, &bad);

	if (err == -ENOMEM) {
		free(code.p);
		return cli_fail(CMD, "out of memory");
	}
	if (err) {
		free(code.p);
		return cli_fail(CMD, "program on stdin: not a hex byte at offset %zu", bad);
	}
	if (code.len == 0 || code.len % 8) {
		free(code.p);
		return cli_fail(CMD, "program on stdin: %zu bytes, expected a non-zero multiple of 8",
				code.len);
	}
	err = hermes_prog_from_bytecode(code.p, code.len, progp);
	free(code.p);
	if (err)
		return cli_fail(CMD, "%s", hermes_dev_errmsg(NULL));
	return CLI_OK;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hermes [-d DEV] conformance-plugin [--elf] [MEMHEX]\n"
		"  program: hex bytes on stdin (--elf: an ELF object); MEMHEX: data slot contents\n"
		"  prints r0 in hex; on an error or fault exits 1 with the reason on stderr\n");
}

int cmd_conformance_plugin(const struct cli *cli, int argc, char **argv)
{
	struct hermes_run_opts opts = { .sz = sizeof(opts), .engine = -1 };
	struct hermes_run_result res;
	struct hermes_prog *prog = NULL;
	struct hermes_dev *dev = NULL;
	struct buf in = { 0 }, mem = { 0 };
	const char *memhex = NULL;
	int elf = 0, rc, i;
	size_t bad = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--elf")) {
			elf = 1;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return CLI_OK;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			usage(stderr);
			return cli_usage(CMD, "unknown option '%s'", argv[i]);
		} else if (argv[i][0]) {
			/*
			 * The memory is the last argument; bpf_conformance may pass an
			 * empty plugin-options argument after it, so empty strings are
			 * skipped rather than taken as "no memory".
			 */
			memhex = argv[i];
		}
	}
	if (memhex) {
		rc = hex_decode(memhex, strlen(memhex), &mem, &bad);
		if (rc) {
			free(mem.p);
			return cli_usage(CMD, "memory argument: not a hex byte at offset %zu", bad);
		}
	}
	if (read_all(stdin, &in)) {
		rc = cli_fail(CMD, "cannot read the program from stdin");
		goto out;
	}
	rc = elf ? load_elf(&in, &prog) : load_bytecode(&in, &prog);
	if (rc)
		goto out;
	rc = cli_open(cli, CMD, &dev);
	if (rc)
		goto out;
	opts.data_len = (uint32_t)mem.len;
	if (hermes_run(dev, prog, mem.p, mem.len, NULL, 0, &opts, &res)) {
		rc = cli_fail(CMD, "%s", hermes_dev_errmsg(dev));
		goto out;
	}
	if (res.status == HERMES_ST_EBPF_ERROR) {
		/* Not via cli_fail: the line is compared verbatim with `-- error`. */
		fprintf(stderr, "fault %u pc %" PRIu32 " addr 0x%" PRIx64 "\n", res.cause, res.pc,
			res.addr);
		rc = CLI_FAIL;
		goto out;
	}
	if (res.status != HERMES_ST_SUCCESS) {
		rc = cli_fail(CMD, "device status %u (%s)", res.status, hermes_status_str(res.status));
		goto out;
	}
	printf("%" PRIx64 "\n", res.r0);
	rc = CLI_OK;
out:
	hermes_dev_close(dev);
	hermes_prog_free(prog);
	free(in.p);
	free(mem.p);
	return rc;
}
