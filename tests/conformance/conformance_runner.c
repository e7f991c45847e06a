/* SPDX-License-Identifier: MIT */
/*
 * conformance_runner.c - runs the .data cases of tests/conformance (format in
 * README.md) on a device and checks r0 or the fault; prints an RFC 9669 opcode coverage
 * table and fails when an opcode is not exercised.
 *
 *   conformance_runner [-d DEV] [-v] [-q] PATH...          run the cases
 *   conformance_runner --plugin "CMD ARGS" PATH...          run them through a
 *       bpf_conformance plugin (program hex on stdin, memory hex as the last
 *       argument), e.g. --plugin "build/hermes -d ref conformance-plugin"
 *   conformance_runner --roundtrip PATH...                 asm -> disasm -> asm
 *
 * --skip-unavailable: exit 77 (ctest "skipped") when the device cannot run
 * `mov r0, 42; exit` at all (e.g. a card build without engines yet).
 *
 * PATH is a .data file or a directory (its *.data files, sorted).
 *
 * Coverage is counted twice: "cases" = cases whose assembled program
 * contains the opcode (decoded), "run" = cases in which the reference VM
 * (hermes_vm_step, independent of -d) retired it or faulted on it with
 * cause 1, 2, 3, 4, 6 or 8 (the instruction was decoded and attempted). An
 * opcode whose "run" count is 0 fails the run.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "asm.h"
#include "cosim.h"
#include "hermes/hermes.h"
#include "vm.h"

/* ---- one test case ------------------------------------------------------ */

struct tcase {
	char *path;
	const char *name;     /* file name */
	char *asm_text;
	unsigned char *mem;
	size_t mem_len;
	int has_result, has_error;
	uint64_t result;
	unsigned cause;
	uint32_t pc;
	uint64_t addr;
	uint64_t budget;      /* 0: device default */
	uint32_t len;         /* 0: r2 = mem length (slot size without mem) */
	int has_insns;
	uint64_t insns;
	char perr[256];       /* parse error, empty when fine */
};

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

static void set_perr(struct tcase *t, const char *fmt, ...)
{
	va_list ap;

	if (t->perr[0])
		return;
	va_start(ap, fmt);
	vsnprintf(t->perr, sizeof(t->perr), fmt, ap);
	va_end(ap);
}

/* Strip a trailing '#' comment and surrounding blanks in place. */
static char *trim(char *s)
{
	char *e, *h = strchr(s, '#');

	if (h)
		*h = '\0';
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static void parse_mem_line(struct tcase *t, char *line)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(line, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		char *end;
		unsigned long b;

		if (!strncmp(tok, "0x", 2) || !strncmp(tok, "0X", 2))
			tok += 2;
		b = strtoul(tok, &end, 16);
		if (*end || strlen(tok) != 2 || b > 0xff) {
			set_perr(t, "-- mem: '%s' is not a hex byte", tok);
			return;
		}
		t->mem = realloc(t->mem, t->mem_len + 1);
		if (!t->mem) {
			set_perr(t, "out of memory");
			return;
		}
		t->mem[t->mem_len++] = (unsigned char)b;
	}
}

/* `fault CAUSE pc PC addr ADDR` (decimal cause and pc, hex addr). */
static int parse_fault(const char *s, unsigned *cause, uint32_t *pc, uint64_t *addr)
{
	unsigned c;
	unsigned long p;
	unsigned long long a;
	int n = 0;

	if (sscanf(s, "fault %u pc %lu addr 0x%llx%n", &c, &p, &a, &n) != 3 || s[n] != '\0')
		return -1;
	*cause = c;
	*pc = (uint32_t)p;
	*addr = a;
	return 0;
}

static void parse_case(struct tcase *t)
{
	enum { S_NONE, S_ASM, S_MEM, S_RESULT, S_ERROR, S_BUDGET, S_LEN, S_INSNS } sec = S_NONE;
	char *text = read_text(t->path), *line, *save = NULL;
	size_t asm_len = 0;
	int seen[8] = { 0 };

	if (!text) {
		set_perr(t, "cannot read: %s", strerror(errno));
		return;
	}
	t->asm_text = calloc(1, strlen(text) + 1);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "-- ", 3)) {
			char *name = trim(line + 3);

			if (!strcmp(name, "asm")) sec = S_ASM;
			else if (!strcmp(name, "mem")) sec = S_MEM;
			else if (!strcmp(name, "result")) sec = S_RESULT;
			else if (!strcmp(name, "error")) sec = S_ERROR;
			else if (!strcmp(name, "budget")) sec = S_BUDGET;
			else if (!strcmp(name, "len")) sec = S_LEN;
			else if (!strcmp(name, "insns")) sec = S_INSNS;
			else {
				set_perr(t, "unknown section '-- %s'", name);
				break;
			}
			if (seen[sec]++)
				set_perr(t, "section '-- %s' appears twice", name);
			continue;
		}
		if (sec == S_ASM) {
			/* Keep the assembler's line numbers meaningful: copy verbatim. */
			size_t n = strlen(line);

			memcpy(t->asm_text + asm_len, line, n);
			asm_len += n;
			t->asm_text[asm_len++] = '\n';
			continue;
		}
		char *v = trim(line);
		uint64_t x;

		if (!*v)
			continue;
		switch (sec) {
		case S_NONE:
			set_perr(t, "text before the first section: '%s'", v);
			break;
		case S_MEM:
			parse_mem_line(t, v);
			break;
		case S_RESULT:
			if (t->has_result++ || parse_u64(v, &t->result))
				set_perr(t, "-- result: expected one number (0x...), got '%s'", v);
			break;
		case S_ERROR:
			if (t->has_error++ || parse_fault(v, &t->cause, &t->pc, &t->addr))
				set_perr(t, "-- error: expected 'fault CAUSE pc PC addr 0xADDR', got '%s'", v);
			break;
		case S_BUDGET:
			if (parse_u64(v, &t->budget) || !t->budget)
				set_perr(t, "-- budget: expected a positive number, got '%s'", v);
			break;
		case S_LEN:
			if (parse_u64(v, &x) || !x || x > UINT32_MAX)
				set_perr(t, "-- len: expected a positive 32-bit number, got '%s'", v);
			t->len = (uint32_t)x;
			break;
		case S_INSNS:
			t->has_insns = 1;
			if (parse_u64(v, &t->insns))
				set_perr(t, "-- insns: expected a number, got '%s'", v);
			break;
		default:
			break;
		}
	}
	t->asm_text[asm_len] = '\0';
	if (!seen[S_ASM])
		set_perr(t, "no '-- asm' section");
	if (t->has_result + t->has_error != 1)
		set_perr(t, "needs exactly one of '-- result' and '-- error'");
	free(text);
}

static void free_case(struct tcase *t)
{
	free(t->path);
	free(t->asm_text);
	free(t->mem);
}

/* ---- collecting files --------------------------------------------------- */

struct caselist {
	struct tcase *v;
	size_t n, cap;
};

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && !strcmp(s + a - b, suf);
}

static void add_case(struct caselist *l, const char *path)
{
	struct tcase *t;
	const char *slash;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 512;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v) {
			perror("realloc");
			exit(2);
		}
	}
	t = &l->v[l->n++];
	memset(t, 0, sizeof(*t));
	t->path = strdup(path);
	slash = strrchr(t->path, '/');
	t->name = slash ? slash + 1 : t->path;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_path(struct caselist *l, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		if (errno != ENOTDIR) {
			fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
			return -1;
		}
		add_case(l, path);
		return 0;
	}
	while ((e = readdir(d))) {
		if (!has_suffix(e->d_name, ".data"))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names || asprintf(&names[n], "%s/%s", path, e->d_name) < 0) {
			perror("out of memory");
			exit(2);
		}
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		add_case(l, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* ---- opcode coverage ---------------------------------------------------- */

enum key { K_ANY, K_OFF, K_IMM, K_SRC, K_SRC_NZ };

struct cov {
	uint8_t op;
	uint8_t key;
	int32_t val;
	uint8_t illegal;   /* RFC 9669 opcode that this engine rejects (fault 4) */
	char name[40];
	unsigned cases, run;
};

static struct cov cov[256];
static size_t ncov;

static void cov_add(uint8_t op, enum key key, int32_t val, int illegal, const char *fmt, ...)
{
	struct cov *c = &cov[ncov++];
	va_list ap;

	c->op = op;
	c->key = (uint8_t)key;
	c->val = val;
	c->illegal = (uint8_t)illegal;
	va_start(ap, fmt);
	vsnprintf(c->name, sizeof(c->name), fmt, ap);
	va_end(ap);
}

static void cov_init(void)
{
	static const struct { uint8_t op; const char *name; } alu[] = {
		{ 0x00, "add" }, { 0x10, "sub" }, { 0x20, "mul" }, { 0x30, "div" }, { 0x40, "or" },
		{ 0x50, "and" }, { 0x60, "lsh" }, { 0x70, "rsh" }, { 0x90, "mod" }, { 0xa0, "xor" },
		{ 0xb0, "mov" }, { 0xc0, "arsh" },
	};
	static const struct { uint8_t op; const char *name; } jcc[] = {
		{ 0x10, "jeq" }, { 0x20, "jgt" }, { 0x30, "jge" }, { 0x40, "jset" }, { 0x50, "jne" },
		{ 0x60, "jsgt" }, { 0x70, "jsge" }, { 0xa0, "jlt" }, { 0xb0, "jle" }, { 0xc0, "jslt" },
		{ 0xd0, "jsle" },
	};
	static const struct { int32_t imm; const char *name; } atomics[] = {
		{ 0x00, "add" }, { 0x40, "or" }, { 0x50, "and" }, { 0xa0, "xor" },
		{ 0x01, "fetch add" }, { 0x41, "fetch or" }, { 0x51, "fetch and" }, { 0xa1, "fetch xor" },
		{ 0xe1, "xchg" }, { 0xf1, "cmpxchg" },
	};
	static const uint8_t sizes[] = { 0x00, 0x08, 0x10, 0x18 };
	static const char *const sz[] = { "w", "h", "b", "dw" };

	for (int c = 0; c < 2; c++) {
		uint8_t cls = c ? 0x07 : 0x04;
		const char *s = c ? "" : "32";

		for (size_t i = 0; i < sizeof(alu) / sizeof(alu[0]); i++) {
			for (int x = 0; x < 2; x++) {
				uint8_t op = cls | alu[i].op | (x ? 0x08 : 0);
				const char *form = x ? "reg" : "imm";

				if (alu[i].op == 0x30 || alu[i].op == 0x90) {
					cov_add(op, K_OFF, 0, 0, "%s%s %s", alu[i].name, s, form);
					cov_add(op, K_OFF, 1, 0, "s%s%s %s", alu[i].name, s, form);
				} else if (alu[i].op == 0xb0 && x) {
					cov_add(op, K_OFF, 0, 0, "mov%s reg", s);
					cov_add(op, K_OFF, 8, 0, "movsx8%s", c ? "64" : "32");
					cov_add(op, K_OFF, 16, 0, "movsx16%s", c ? "64" : "32");
					if (c)
						cov_add(op, K_OFF, 32, 0, "movsx3264");
				} else {
					cov_add(op, K_ANY, 0, 0, "%s%s %s", alu[i].name, s, form);
				}
			}
		}
		cov_add(cls | 0x80, K_ANY, 0, 0, "neg%s", s);
	}
	for (int w = 16; w <= 64; w *= 2) {
		cov_add(0xd4, K_IMM, w, 0, "le%d", w);
		cov_add(0xdc, K_IMM, w, 0, "be%d", w);
		cov_add(0xd7, K_IMM, w, 0, "bswap%d", w);
	}
	cov_add(0x05, K_ANY, 0, 0, "ja");
	cov_add(0x06, K_ANY, 0, 0, "ja32 (gotol)");
	for (int c = 0; c < 2; c++)
		for (size_t i = 0; i < sizeof(jcc) / sizeof(jcc[0]); i++)
			for (int x = 0; x < 2; x++)
				cov_add((c ? 0x06 : 0x05) | jcc[i].op | (x ? 0x08 : 0), K_ANY, 0, 0, "%s%s %s",
					jcc[i].name, c ? "32" : "", x ? "reg" : "imm");
	cov_add(0x85, K_SRC, 0, 0, "call helper");
	cov_add(0x85, K_SRC, 1, 0, "call local");
	cov_add(0x85, K_SRC, 2, 1, "call btf id (illegal here)");
	cov_add(0x95, K_ANY, 0, 0, "exit");
	cov_add(0x18, K_SRC, 0, 0, "lddw");
	cov_add(0x18, K_SRC_NZ, 0, 1, "lddw src 1-6 (illegal here)");
	for (int i = 0; i < 4; i++) {
		cov_add(0x61 | sizes[i], K_ANY, 0, 0, "ldx%s", sz[i]);
		if (i < 3)
			cov_add(0x81 | sizes[i], K_ANY, 0, 0, "ldxs%s", sz[i]);
		cov_add(0x62 | sizes[i], K_ANY, 0, 0, "st%s", sz[i]);
		cov_add(0x63 | sizes[i], K_ANY, 0, 0, "stx%s", sz[i]);
	}
	for (size_t i = 0; i < sizeof(atomics) / sizeof(atomics[0]); i++) {
		cov_add(0xc3, K_IMM, atomics[i].imm, 0, "lock %s32", atomics[i].name);
		cov_add(0xdb, K_IMM, atomics[i].imm, 0, "lock %s", atomics[i].name);
	}
	/* Legacy packet access (BPF_ABS, BPF_IND): not supported, illegal. */
	for (int i = 0; i < 3; i++) {
		cov_add(0x20 | sizes[i], K_ANY, 0, 1, "ldabs%s (legacy, illegal)", sz[i]);
		cov_add(0x40 | sizes[i], K_ANY, 0, 1, "ldind%s (legacy, illegal)", sz[i]);
	}
}

static int cov_find(const struct hermes_insn *i)
{
	for (size_t k = 0; k < ncov; k++) {
		const struct cov *c = &cov[k];

		if (c->op != i->opcode)
			continue;
		switch (c->key) {
		case K_ANY: return (int)k;
		case K_OFF: if (i->off == c->val) return (int)k; break;
		case K_IMM: if (i->imm == c->val) return (int)k; break;
		case K_SRC: if ((int)hermes_insn_src(i) == c->val) return (int)k; break;
		case K_SRC_NZ: if (hermes_insn_src(i) != 0) return (int)k; break;
		}
	}
	return -1;
}

/* ---- running ------------------------------------------------------------ */

struct outcome {
	int fault;         /* 0: ended with r0 */
	uint64_t r0;
	unsigned cause;
	uint32_t pc;
	uint64_t addr;
	uint64_t insns;
	int have_insns;
	int engine;        /* engine that ran it (card devices) */
};

static void outcome_str(const struct outcome *o, char *buf, size_t len)
{
	if (o->fault)
		snprintf(buf, len, "fault %u pc %" PRIu32 " addr 0x%" PRIx64 " (%s)", o->cause, o->pc,
			 o->addr, hermes_fault_str(o->cause));
	else
		snprintf(buf, len, "r0 0x%" PRIx64, o->r0);
}

static void expected_str(const struct tcase *t, char *buf, size_t len)
{
	if (t->has_error)
		snprintf(buf, len, "fault %u pc %" PRIu32 " addr 0x%" PRIx64 " (%s)", t->cause, t->pc,
			 t->addr, hermes_fault_str(t->cause));
	else
		snprintf(buf, len, "r0 0x%" PRIx64, t->result);
}

static int outcome_matches(const struct tcase *t, const struct outcome *o)
{
	if (t->has_error)
		return o->fault && o->cause == t->cause && o->pc == t->pc && o->addr == t->addr;
	return !o->fault && o->r0 == t->result;
}

static int run_device(struct hermes_dev *dev, const struct tcase *t, const struct hermes_insn *code,
		      size_t n, struct outcome *o, char *err, size_t errlen)
{
	struct hermes_run_opts opts = { .sz = sizeof(opts), .engine = -1 };
	struct hermes_run_result res;
	struct hermes_prog *prog;

	opts.max_insns = t->budget;
	opts.data_len = t->len;
	if (hermes_prog_from_bytecode(code, n * 8, &prog)) {
		snprintf(err, errlen, "%s", hermes_dev_errmsg(NULL));
		return -1;
	}
	if (hermes_run(dev, prog, t->mem, t->mem_len, NULL, 0, &opts, &res)) {
		snprintf(err, errlen, "%s", hermes_dev_errmsg(dev));
		hermes_prog_free(prog);
		return -1;
	}
	hermes_prog_free(prog);
	memset(o, 0, sizeof(*o));
	o->engine = res.engine;
	o->insns = res.insns;
	o->have_insns = 1;
	if (res.status == HERMES_ST_EBPF_ERROR) {
		o->fault = 1;
		o->cause = res.cause;
		o->pc = res.pc;
		o->addr = res.addr;
	} else if (res.status != HERMES_ST_SUCCESS) {
		snprintf(err, errlen, "device status %u (%s)", res.status, hermes_status_str(res.status));
		return -1;
	} else {
		o->r0 = res.r0;
	}
	return 0;
}

/* Run a plugin: program hex on stdin, memory hex as the last argument. */
static int run_plugin(const char *cmd, const struct tcase *t, const struct hermes_insn *code,
		      size_t n, struct outcome *o, char *err, size_t errlen)
{
	char *argv[64], *copy = strdup(cmd), *tok, *save = NULL, *memhex;
	int in[2], out[2], errp[2], argc = 0, status;
	char obuf[4096], ebuf[4096];
	size_t olen = 0, elen = 0;
	pid_t pid;
	FILE *f;

	for (tok = strtok_r(copy, " ", &save); tok && argc < 62; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	memhex = calloc(1, t->mem_len * 3 + 1);
	for (size_t i = 0; i < t->mem_len; i++)
		sprintf(memhex + 3 * i, "%02x ", t->mem[i]);
	argv[argc++] = memhex;
	argv[argc] = NULL;
	if (pipe(in) || pipe(out) || pipe(errp)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free(copy);
		free(memhex);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(errp[1], 2);
		close(in[1]);
		close(out[0]);
		close(errp[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	f = fdopen(in[1], "w");
	for (size_t i = 0; i < n * 8; i++)
		fprintf(f, "%02x ", ((const unsigned char *)code)[i]);
	fprintf(f, "\n");
	fclose(f);
	for (;;) {
		ssize_t r = read(out[0], obuf + olen, sizeof(obuf) - 1 - olen);

		if (r <= 0)
			break;
		olen += (size_t)r;
	}
	for (;;) {
		ssize_t r = read(errp[0], ebuf + elen, sizeof(ebuf) - 1 - elen);

		if (r <= 0)
			break;
		elen += (size_t)r;
	}
	obuf[olen] = ebuf[elen] = '\0';
	close(out[0]);
	close(errp[0]);
	waitpid(pid, &status, 0);
	free(copy);
	free(memhex);
	memset(o, 0, sizeof(*o));
	while (elen && isspace((unsigned char)ebuf[elen - 1]))
		ebuf[--elen] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		char *end;

		errno = 0;
		o->r0 = strtoull(obuf, &end, 16);
		while (isspace((unsigned char)*end))
			end++;
		if (errno || end == obuf || *end) {
			snprintf(err, errlen, "plugin printed '%.300s', not a hex number", obuf);
			return -1;
		}
		return 0;
	}
	if (parse_fault(ebuf, &o->cause, &o->pc, &o->addr) == 0) {
		o->fault = 1;
		return 0;
	}
	snprintf(err, errlen, "plugin exit status 0x%x, stderr '%.300s'", status, ebuf);
	return -1;
}

/* The reference VM, stepped: coverage of what ran, and its own outcome. */
static void run_ref_steps(struct hermes_vm *vm, unsigned char *pslot, unsigned char *dslot,
			  const struct tcase *t, const struct hermes_insn *code, size_t n,
			  unsigned char *ran, struct outcome *o)
{
	struct hermes_vm_status st;
	struct hermes_retire rec;
	uint32_t dlen = t->len ? t->len : (uint32_t)t->mem_len;

	memset(pslot, 0, HERMES_DEFAULT_PROG_SLOT_SIZE);
	memcpy(pslot, code, n * 8);
	memset(dslot, 0, HERMES_DEFAULT_DATA_SLOT_SIZE);
	if (t->mem_len)
		memcpy(dslot, t->mem, t->mem_len);
	memset(o, 0, sizeof(*o));
	if (hermes_vm_load(vm, pslot, n * 8, dslot, dlen)) {
		o->fault = -1;
		return;
	}
	hermes_vm_reset(vm, t->budget ? t->budget : HERMES_DEFAULT_MAX_INSNS);
	while (hermes_vm_step(vm, &rec, &st)) {
		int k = cov_find(&code[rec.pc]);

		if (k >= 0)
			ran[k] = 1;
		if (st.done)
			break;
	}
	if (st.fault) {
		o->fault = 1;
		o->cause = st.fault;
		o->pc = st.fault_pc;
		o->addr = st.fault_addr;
		if (st.fault != HERMES_FAULT_BUDGET && st.fault != HERMES_FAULT_ABORTED &&
		    st.fault_pc < n) {
			int k = cov_find(&code[st.fault_pc]);

			if (k >= 0)
				ran[k] = 1;
		}
	} else {
		o->r0 = st.r0;
	}
	o->insns = st.insns;
	o->have_insns = 1;
}

/* ---- modes -------------------------------------------------------------- */

static int assemble(struct tcase *t, struct hermes_insn **code, size_t *n)
{
	struct hermes_asm_error e;
	int err = hermes_asm(t->asm_text, code, n, &e);

	if (err == -EINVAL) {
		/* Section lines start after the "-- asm" line; report asm-relative. */
		set_perr(t, "-- asm line %u col %u: %s", e.line, e.col, e.msg);
		return -1;
	}
	if (err || *n == 0) {
		set_perr(t, "assembling: %s", err ? strerror(-err) : "no instructions");
		return -1;
	}
	return 0;
}

static int roundtrip(struct caselist *l, int verbose)
{
	unsigned pass = 0, fail = 0, slots = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct tcase *t = &l->v[i];
		struct hermes_insn *code = NULL, *again = NULL;
		size_t n = 0, m = 0, cap = 1024, len = 0;
		char *text = malloc(cap), line[256];
		struct hermes_asm_error e;
		int ok = 0;

		parse_case(t);
		if (t->perr[0] || assemble(t, &code, &n)) {
			printf("FAIL %s: %s\n", t->name, t->perr);
			fail++;
			free(text);
			continue;
		}
		text[0] = '\0';
		for (size_t pc = 0; pc < n;) {
			int k = hermes_disasm_insn(code, n, pc, line, sizeof(line));

			if (k <= 0) {
				snprintf(line, sizeof(line), "<disasm error %d at slot %zu>", k, pc);
				k = 1;
			}
			if (len + strlen(line) + 2 > cap) {
				cap = 2 * (len + strlen(line) + 2);
				text = realloc(text, cap);
			}
			len += (size_t)sprintf(text + len, "%s\n", line);
			pc += (size_t)k;
		}
		if (hermes_asm(text, &again, &m, &e)) {
			printf("FAIL %s: disassembly does not assemble: line %u: %s\n%s", t->name, e.line,
			       e.msg, text);
		} else if (m != n || memcmp(again, code, n * sizeof(*code))) {
			printf("FAIL %s: asm(disasm(x)) != x (%zu vs %zu slots)\n", t->name, m, n);
			for (size_t s = 0; s < n || s < m; s++) {
				uint64_t a = 0, b = 0;

				if (s < n)
					memcpy(&a, &code[s], 8);
				if (s < m)
					memcpy(&b, &again[s], 8);
				printf("  slot %zu: 0x%016" PRIx64 " -> 0x%016" PRIx64 "%s\n", s, a, b,
				       a == b ? "" : "  <--");
			}
			printf("disassembly:\n%s", text);
		} else {
			ok = 1;
		}
		if (ok) {
			pass++;
			slots += (unsigned)n;
			if (verbose)
				printf("ok %s (%zu slots)\n", t->name, n);
		} else {
			fail++;
		}
		free(code);
		free(again);
		free(text);
	}
	printf("roundtrip: %u passed, %u failed (%u slots)\n", pass, fail, slots);
	return fail ? 1 : 0;
}

/* Can the device run anything? 0 yes, -1 no (reason printed). */
static int probe_device(struct hermes_dev *dev, const char *devname)
{
	static const struct hermes_insn p[] = {
		{ 0xb7, 0x00, 0, 42 }, /* mov r0, 42 */
		{ 0x95, 0x00, 0, 0 },  /* exit */
	};
	struct hermes_run_opts opts = { .sz = sizeof(opts), .engine = -1, .timeout_ms = 5000 };
	struct hermes_run_result res;
	struct hermes_prog *prog;
	int err;

	if (hermes_prog_from_bytecode(p, sizeof(p), &prog))
		return -1;
	err = hermes_run(dev, prog, NULL, 0, NULL, 0, &opts, &res);
	hermes_prog_free(prog);
	if (err) {
		printf("SKIP: device '%s' cannot run programs: %s\n", devname, hermes_dev_errmsg(dev));
		return -1;
	}
	if (res.status != HERMES_ST_SUCCESS || res.r0 != 42) {
		printf("SKIP: device '%s' runs `mov r0, 42; exit` with status %u (%s), r0 0x%" PRIx64 "\n",
		       devname, res.status, hermes_status_str(res.status), res.r0);
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: conformance_runner [-d DEV [--skip-unavailable] [--lockstep] | --plugin \"CMD ARGS\"] [-v] [-q] PATH...\n"
		"       conformance_runner --roundtrip [-v] PATH...\n"
		"  PATH: a .data file or a directory of them (format: tests/conformance/README.md)\n"
		"  --lockstep: with -d sim, also compare every retire record of the RTL with the\n"
		"              reference VM's and fail at the first difference\n");
}

int main(int argc, char **argv)
{
	const char *devname = "ref", *plugin = NULL;
	int verbose = 0, quiet = 0, rt = 0, skip_unavail = 0, lockstep = 0, i;
	struct hermes_cosim *cosim = NULL;
	struct caselist l = { 0 };
	struct hermes_dev *dev = NULL;
	struct hermes_vm *vm;
	unsigned char *pslot, *dslot, *ran;
	unsigned pass = 0, fail = 0, skip = 0, uncovered = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			devname = argv[++i];
		else if (!strcmp(argv[i], "--plugin") && i + 1 < argc)
			plugin = argv[++i];
		else if (!strcmp(argv[i], "--roundtrip"))
			rt = 1;
		else if (!strcmp(argv[i], "--lockstep"))
			lockstep = 1;
		else if (!strcmp(argv[i], "--skip-unavailable"))
			skip_unavail = 1;
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-q"))
			quiet = 1;
		else if (argv[i][0] == '-') {
			usage();
			return 2;
		} else if (add_path(&l, argv[i]))
			return 2;
	}
	if (!l.n) {
		usage();
		return 2;
	}
	if (rt)
		return roundtrip(&l, verbose);

	cov_init();
	if (!plugin) {
		struct hermes_info info;

		if (hermes_dev_open(devname, &dev)) {
			printf("FAIL: cannot open device '%s': %s\n", devname, hermes_dev_errmsg(NULL));
			return 1;
		}
		/* The corpus's region-edge cases assume the default slot sizes. */
		if (!hermes_dev_info(dev, &info) &&
		    (info.prog_slot_size != HERMES_DEFAULT_PROG_SLOT_SIZE ||
		     info.data_slot_size != HERMES_DEFAULT_DATA_SLOT_SIZE)) {
			printf("FAIL: device '%s' has %u-byte program and %u-byte data slots; the corpus assumes %u and %u\n",
			       devname, info.prog_slot_size, info.data_slot_size,
			       HERMES_DEFAULT_PROG_SLOT_SIZE, HERMES_DEFAULT_DATA_SLOT_SIZE);
			return 1;
		}
		if (lockstep && hermes_cosim_attach(dev, &cosim)) {
			printf("FAIL: --lockstep: %s\n", hermes_dev_errmsg(dev));
			return 1;
		}
		if (skip_unavail && probe_device(dev, devname))
			return 77;
	}
	vm = hermes_vm_new(HERMES_DEFAULT_PROG_SLOT_SIZE, HERMES_DEFAULT_DATA_SLOT_SIZE);
	pslot = malloc(HERMES_DEFAULT_PROG_SLOT_SIZE);
	dslot = malloc(HERMES_DEFAULT_DATA_SLOT_SIZE);
	ran = malloc(ncov);
	if (!vm || !pslot || !dslot || !ran) {
		printf("FAIL: out of memory\n");
		return 1;
	}

	for (size_t c = 0; c < l.n; c++) {
		struct tcase *t = &l.v[c];
		struct hermes_insn *code = NULL;
		struct outcome got, ref;
		char err[512] = "", want_s[160], got_s[160], ref_s[160];
		size_t n = 0;
		int rc;

		parse_case(t);
		if (t->perr[0] || assemble(t, &code, &n)) {
			printf("FAIL %s: %s\n", t->name, t->perr);
			fail++;
			continue;
		}
		/* Coverage: decoded, and run on the reference VM. */
		memset(ran, 0, ncov);
		{
			unsigned char in_prog[256] = { 0 };

			for (size_t pc = 0; pc < n; pc++) {
				int k = cov_find(&code[pc]);

				if (k >= 0)
					in_prog[k] = 1;
				if (code[pc].opcode == 0x18)
					pc++; /* second slot of lddw */
			}
			run_ref_steps(vm, pslot, dslot, t, code, n, ran, &ref);
			for (size_t k = 0; k < ncov; k++) {
				cov[k].cases += in_prog[k];
				cov[k].run += ran[k];
			}
		}

		if (plugin && (t->budget || t->len || t->has_insns)) {
			if (verbose)
				printf("skip %s: the plugin protocol cannot pass -- budget/len/insns\n", t->name);
			skip++;
			free(code);
			continue;
		}
		if (cosim)
			hermes_cosim_clear(cosim);
		rc = plugin ? run_plugin(plugin, t, code, n, &got, err, sizeof(err))
			    : run_device(dev, t, code, n, &got, err, sizeof(err));
		if (!rc && cosim) {
			struct hermes_prog *prog = NULL;
			char report[600];
			int lc = hermes_prog_from_bytecode(code, n * 8, &prog);

			if (!lc)
				lc = hermes_cosim_check(cosim, (unsigned)got.engine, prog, t->mem, t->mem_len,
							t->len, t->budget, report, sizeof(report));
			hermes_prog_free(prog);
			if (lc) {
				printf("FAIL %s: lockstep: %s\n", t->name,
				       lc < 0 ? "co-simulation error" : report);
				fail++;
				free(code);
				continue;
			}
		}
		expected_str(t, want_s, sizeof(want_s));
		outcome_str(&ref, ref_s, sizeof(ref_s));
		if (rc) {
			printf("FAIL %s: expected %s, the run failed: %s\n", t->name, want_s, err);
			fail++;
		} else if (!outcome_matches(t, &got)) {
			outcome_str(&got, got_s, sizeof(got_s));
			printf("FAIL %s: expected %s, got %s%s%s\n", t->name, want_s, got_s,
			       dev && !strcmp(devname, "ref") ? "" : "; reference VM: ",
			       dev && !strcmp(devname, "ref") ? "" : ref_s);
			fail++;
		} else if (t->has_insns && got.have_insns && got.insns != t->insns) {
			printf("FAIL %s: %s as expected, but %" PRIu64 " instructions retired, expected %" PRIu64 "\n",
			       t->name, want_s, got.insns, t->insns);
			fail++;
		} else {
			pass++;
			if (verbose)
				printf("ok %s: %s\n", t->name, want_s);
		}
		free(code);
	}

	if (!quiet)
		printf("\nRFC 9669 opcode coverage (cases: programs containing it; run: cases in which\n"
		       "the reference VM retired it or faulted on it)\n"
		       "  opcode  instruction                         cases    run\n");
	for (size_t k = 0; k < ncov; k++) {
		int bad = cov[k].run == 0;

		uncovered += bad;
		if (!quiet || bad)
			printf("  0x%02x    %-34s %6u %6u%s\n", cov[k].op, cov[k].name, cov[k].cases,
			       cov[k].run, bad ? "  <-- NOT TESTED" : "");
	}
	printf("coverage: %zu of %zu RFC 9669 opcodes exercised\n", ncov - uncovered, ncov);
	printf("%u passed, %u failed%s", pass, fail, skip ? "" : "\n");
	if (skip)
		printf(", %u skipped\n", skip);
	hermes_vm_free(vm);
	hermes_cosim_detach(cosim);
	hermes_dev_close(dev);
	for (size_t c = 0; c < l.n; c++)
		free_case(&l.v[c]);
	free(l.v);
	free(pslot);
	free(dslot);
	free(ran);
	return fail || uncovered ? 1 : 0;
}
