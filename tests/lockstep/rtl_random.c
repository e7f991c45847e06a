/* SPDX-License-Identifier: MIT */
/*
 * rtl_random - random-program differential testing of the RTL engines:
 * programs from the seeded generator (host/src/gen.c) run on the simulated
 * card while the reference VM steps beside them (host/src/cosim.c); every
 * retire record, the result and any fault must agree.
 *
 *   rtl_random [-n COUNT] [-s SEED] [-i INSNS] [-e ENGINE] [-c CLASSES] [-v]
 *
 * CLASSES: the generator's class bits (gen.h), default HERMES_GEN_ALL;
 * "overlap" = HERMES_GEN_ALL | HERMES_GEN_OVERLAP.
 *
 * Prints each failure with its seed (rerun it alone with -n 1 -s SEED) and
 * closes with "N passed, M failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosim.h"
#include "gen.h"

#define MAX_SLOTS 8192
#define DATA_BYTES 512

static int same_result(const struct hermes_run_result *a, const struct hermes_run_result *b)
{
	if (a->status != b->status || a->insns != b->insns)
		return 0;
	if (a->status == HERMES_ST_SUCCESS)
		return a->r0 == b->r0;
	return a->cause == b->cause && a->pc == b->pc && a->addr == b->addr;
}

static void result_str(const struct hermes_run_result *r, char *buf, size_t len)
{
	if (r->status == HERMES_ST_SUCCESS)
		snprintf(buf, len, "r0 0x%" PRIx64 " after %" PRIu64 " insns", r->r0, r->insns);
	else
		snprintf(buf, len, "status %u fault %u pc %u addr 0x%" PRIx64 " after %" PRIu64 " insns",
			 r->status, r->cause, r->pc, r->addr, r->insns);
}

int main(int argc, char **argv)
{
	unsigned long long count = 2000, seed = 1, insns = 64;
	unsigned classes = HERMES_GEN_ALL;
	int engine = -1, verbose = 0;
	struct hermes_dev *sim = NULL, *ref = NULL;
	struct hermes_cosim *cosim = NULL;
	struct hermes_insn *code = malloc(MAX_SLOTS * sizeof(*code));
	unsigned pass = 0, fail = 0;
	struct hermes_info info;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-i") && i + 1 < argc)
			insns = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-e") && i + 1 < argc)
			engine = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			i++;
			classes = !strcmp(argv[i], "overlap") ? HERMES_GEN_ALL | HERMES_GEN_OVERLAP
							      : (unsigned)strtoul(argv[i], NULL, 0);
		} else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else {
			fprintf(stderr, "usage: rtl_random [-n COUNT] [-s SEED] [-i INSNS] [-e ENGINE] "
				"[-c CLASSES] [-v]\n");
			return 2;
		}
	}
	if (!code || hermes_dev_open("sim", &sim) || hermes_dev_open("ref", &ref)) {
		printf("FAIL: cannot open the devices: %s\n", hermes_dev_errmsg(NULL));
		return 1;
	}
	if (hermes_dev_info(sim, &info) || hermes_cosim_attach(sim, &cosim)) {
		printf("FAIL: %s\n", hermes_dev_errmsg(sim));
		return 1;
	}
	printf("rtl_random: %llu programs from seed %llu, ~%llu body instructions, classes 0x%x, %u engines\n",
	       count, seed, insns, classes, info.engines);
	for (unsigned long long k = 0; k < count; k++) {
		uint64_t s = seed + k;
		struct hermes_gen_opts go = { .sz = sizeof(go), .insns = (unsigned)insns,
					      .classes = classes, .data_bytes = DATA_BYTES };
		struct hermes_run_opts ro = { .sz = sizeof(ro) };
		struct hermes_run_result rs, rr;
		unsigned char data[DATA_BYTES];
		struct hermes_prog *prog;
		struct hermes_rng rng;
		char report[512], a[128], b[128];
		size_t n;
		int rc;

		if (hermes_gen_program(&go, s, code, MAX_SLOTS, &n) ||
		    hermes_prog_from_bytecode(code, n * 8, &prog)) {
			printf("FAIL seed %" PRIu64 ": cannot generate the program\n", s);
			fail++;
			continue;
		}
		hermes_rng_seed(&rng, s ^ 0x9e3779b97f4a7c15ull);
		for (size_t i = 0; i < sizeof(data); i += 8) {
			uint64_t v = hermes_rng_next(&rng);
			memcpy(data + i, &v, 8);
		}
		ro.engine = engine >= 0 ? engine : (int)(k % info.engines);
		hermes_cosim_clear(cosim);
		if (hermes_run(sim, prog, data, sizeof(data), NULL, 0, &ro, &rs)) {
			printf("FAIL seed %" PRIu64 ": sim run: %s\n", s, hermes_dev_errmsg(sim));
			fail++;
		} else if (ro.engine = -1, hermes_run(ref, prog, data, sizeof(data), NULL, 0, &ro, &rr)) {
			printf("FAIL seed %" PRIu64 ": ref run: %s\n", s, hermes_dev_errmsg(ref));
			fail++;
		} else if ((rc = hermes_cosim_check(cosim, (unsigned)rs.engine, prog, data, sizeof(data), 0, 0,
						    report, sizeof(report)))) {
			printf("FAIL seed %" PRIu64 " (%zu slots, engine %d): %s\n", s, n, rs.engine,
			       rc < 0 ? "co-simulation error" : report);
			fail++;
		} else if (!same_result(&rs, &rr)) {
			result_str(&rs, a, sizeof(a));
			result_str(&rr, b, sizeof(b));
			printf("FAIL seed %" PRIu64 ": RTL %s, reference VM %s\n", s, a, b);
			fail++;
		} else {
			pass++;
			if (verbose) {
				result_str(&rs, a, sizeof(a));
				printf("ok seed %" PRIu64 ": %s\n", s, a);
			}
		}
		hermes_prog_free(prog);
	}
	printf("%u passed, %u failed\n", pass, fail);
	hermes_cosim_detach(cosim);
	hermes_dev_close(sim);
	hermes_dev_close(ref);
	free(code);
	return fail ? 1 : 0;
}
