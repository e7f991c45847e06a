/* SPDX-License-Identifier: MIT */
/*
 * fuzz_lockstep.c - libFuzzer target: random programs on the RTL engines
 * (the verilated card, "sim" device) against the reference VM ("ref"),
 * instruction by instruction (host/src/debug/cosim.c).
 *
 * Input layout (byte 0 picks the mode; bits 1-3 the engine):
 *  generated  (bit 0 clear) bytes 1-2 the generator's classes (0: all),
 *             byte 3 the body size, byte 4 the flags; the rest drives
 *             every choice of the generator (hermes_gen_program_from_bytes),
 *             so the program is valid and terminates.
 *  raw        (bit 0 set) byte 1 the instruction budget; the rest are
 *             instruction slots after a cheap fix-up (registers r0-r10,
 *             memory offsets near the data and stack windows, jumps inside
 *             the program) and a final `exit`: anything may fault, and the
 *             RTL must fault the same way.
 * The data slot holds 512 bytes derived from the input's hash.
 *
 * One card serves every input. Any difference in a retire record, the
 * result or the fault aborts with the program's disassembly, the first
 * differing record and both results.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "cosim.h"
#include "gen.h"

#define MAX_SLOTS 4096        /* generated programs: ~2 * insns + 64 slots */
#define MAX_RAW_SLOTS 64
#define MAX_BODY_INSNS 96
#define DATA_BYTES 512
#define GEN_BUDGET 200000     /* generated programs terminate well before */
#define RUN_TIMEOUT_MS 5000

struct harness {
	struct hermes_dev *sim, *ref;
	struct hermes_cosim *cosim;
	unsigned engines;
};

static struct harness *harness(void)
{
	static struct harness h;
	struct hermes_info info;

	if (h.sim)
		return &h;
	if (hermes_dev_open("sim", &h.sim) || hermes_dev_open("ref", &h.ref) ||
	    hermes_dev_info(h.sim, &info) || hermes_cosim_attach(h.sim, &h.cosim)) {
		fprintf(stderr, "fuzz_lockstep: cannot set up the card: %s\n",
			hermes_dev_errmsg(h.sim));
		abort();
	}
	h.engines = info.engines;
	return &h;
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static int is_mem(uint8_t op)
{
	unsigned cls = op & 7;

	return cls == HERMES_CLS_LDX || cls == HERMES_CLS_ST || cls == HERMES_CLS_STX;
}

/* Jump offsets that land inside [0, n] (n: one past the end, a fetch fault). */
static int32_t fold_target(size_t pc, int64_t off, size_t n)
{
	int64_t t = ((int64_t)pc + 1 + off) % (int64_t)(n + 1);

	if (t < 0)
		t += (int64_t)n + 1;
	return (int32_t)(t - (int64_t)pc - 1);
}

/* Raw slots from the input, fixed up so that more of them get somewhere. */
static size_t raw_program(const uint8_t *p, size_t len, struct hermes_insn *code)
{
	size_t n = len / 8 > MAX_RAW_SLOTS ? MAX_RAW_SLOTS : len / 8;

	memcpy(code, p, n * 8);
	for (size_t pc = 0; pc < n; pc++) {
		struct hermes_insn *i = &code[pc];
		unsigned cls = i->opcode & 7, dst = hermes_insn_dst(i) % 11, src = hermes_insn_src(i) % 11;

		i->regs = (uint8_t)(src << 4 | dst);
		if (is_mem(i->opcode)) {
			unsigned base = cls == HERMES_CLS_LDX ? src : dst;

			i->off = base == 10 ? (int16_t)-(1 + (i->off & 511)) : (int16_t)(i->off & 511);
		} else if (cls == HERMES_CLS_JMP || cls == HERMES_CLS_JMP32) {
			unsigned op = i->opcode & 0xf0;

			if ((cls == HERMES_CLS_JMP32 && op == HERMES_JMP_JA) ||
			    (op == HERMES_JMP_CALL && src == 1))
				i->imm = fold_target(pc, i->imm, n);
			else if (op != HERMES_JMP_CALL && op != HERMES_JMP_EXIT)
				i->off = (int16_t)fold_target(pc, i->off, n);
		}
	}
	code[n] = (struct hermes_insn){ .opcode = HERMES_CLS_JMP | HERMES_JMP_EXIT };
	return n + 1;
}

static int same_result(const struct hermes_run_result *a, const struct hermes_run_result *b)
{
	if (a->status != b->status || a->insns != b->insns)
		return 0;
	if (a->status == HERMES_ST_SUCCESS)
		return a->r0 == b->r0;
	return a->cause == b->cause && a->pc == b->pc && a->addr == b->addr;
}

static void print_result(const char *who, const struct hermes_run_result *r)
{
	if (r->status == HERMES_ST_SUCCESS)
		fprintf(stderr, "  %s: r0 0x%" PRIx64 " after %" PRIu64 " insns\n", who, r->r0, r->insns);
	else
		fprintf(stderr, "  %s: status %u fault %u pc %u addr 0x%" PRIx64 " after %" PRIu64 " insns\n",
			who, r->status, r->cause, r->pc, r->addr, r->insns);
}

static void print_program(const struct hermes_insn *code, size_t n)
{
	char line[HERMES_DISASM_LEN];

	fprintf(stderr, "--- program (%zu slots) ---\n", n);
	for (size_t pc = 0; pc < n;) {
		int k = hermes_disasm_insn(code, n, pc, line, sizeof(line));

		if (k <= 0)
			break;
		fprintf(stderr, "%5zu: %s\n", pc, line);
		pc += (size_t)k;
	}
	fprintf(stderr, "--- end ---\n");
}

static void fail(const char *what, const struct hermes_insn *code, size_t n, unsigned engine,
		 uint64_t budget)
{
	fprintf(stderr, "fuzz_lockstep: %s (engine %u, budget %" PRIu64 ")\n", what, engine, budget);
	print_program(code, n);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hermes_insn code[MAX_SLOTS];
	struct harness *h = harness();
	struct hermes_run_opts ro = { .sz = sizeof(ro), .timeout_ms = RUN_TIMEOUT_MS };
	struct hermes_run_result rs, rr;
	unsigned char in[DATA_BYTES];
	struct hermes_prog *prog;
	struct hermes_rng rng;
	char report[512];
	unsigned engine;
	size_t n;
	int rc;

	if (size < 5)
		return 0;
	engine = (data[0] >> 1 & 7) % h->engines;
	if (data[0] & 1) {
		ro.max_insns = 16 + 8 * (uint64_t)data[1];
		n = raw_program(data + 2, size - 2, code);
	} else {
		struct hermes_gen_opts go = {
			.sz = sizeof(go),
			.classes = (data[1] | (unsigned)data[2] << 8) & HERMES_GEN_ALL,
			.insns = 1 + data[3] % MAX_BODY_INSNS,
			.flags = data[4] & (HERMES_GEN_FOLD32 | HERMES_GEN_OPAQUE),
			.data_bytes = DATA_BYTES,
		};

		if (!go.classes)
			go.classes = HERMES_GEN_ALL;
		ro.max_insns = GEN_BUDGET;
		if (hermes_gen_program_from_bytes(&go, data + 5, size - 5, code, MAX_SLOTS, &n)) {
			fprintf(stderr, "fuzz_lockstep: the generator refused classes 0x%x insns %u\n",
				go.classes, go.insns);
			abort();
		}
	}
	if (hermes_prog_from_bytecode(code, n * 8, &prog))
		fail("cannot make a program of the slots", code, n, engine, ro.max_insns);
	hermes_rng_seed(&rng, fnv1a(data, size));
	for (size_t i = 0; i < sizeof(in); i += 8) {
		uint64_t v = hermes_rng_next(&rng);

		memcpy(in + i, &v, 8);
	}

	hermes_cosim_clear(h->cosim);
	ro.engine = (int)engine;
	if (hermes_run(h->sim, prog, in, sizeof(in), NULL, 0, &ro, &rs)) {
		fprintf(stderr, "fuzz_lockstep: RTL run failed: %s\n", hermes_dev_errmsg(h->sim));
		fail("RTL run failed", code, n, engine, ro.max_insns);
	}
	ro.engine = -1;
	if (hermes_run(h->ref, prog, in, sizeof(in), NULL, 0, &ro, &rr)) {
		fprintf(stderr, "fuzz_lockstep: reference run failed: %s\n", hermes_dev_errmsg(h->ref));
		fail("reference run failed", code, n, engine, ro.max_insns);
	}
	rc = hermes_cosim_check(h->cosim, (unsigned)rs.engine, prog, in, sizeof(in), 0, ro.max_insns,
				report, sizeof(report));
	if (rc < 0) {
		fprintf(stderr, "fuzz_lockstep: co-simulation error %d\n", rc);
		fail("co-simulation error", code, n, engine, ro.max_insns);
	}
	if (rc > 0 || !same_result(&rs, &rr)) {
		fprintf(stderr, "fuzz_lockstep: RTL and reference VM differ\n  %s\n",
			rc > 0 ? report : "(every retire record agrees)");
		print_result("RTL", &rs);
		print_result("ref", &rr);
		fail("divergence", code, n, engine, ro.max_insns);
	}
	hermes_prog_free(prog);
	return 0;
}
