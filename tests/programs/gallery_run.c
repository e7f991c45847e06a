/* SPDX-License-Identifier: MIT */
/*
 * gallery_run.c - differential runner of the program gallery.
 *
 * Linked with one program's native build (its HERMES_PROG function and its
 * gallery_gen), it loads the same source compiled by clang -target bpf from
 * OBJ, and for each generated case runs the program on a device and
 * natively on an identical zeroed buffer of the data slot's size, then
 * compares r0 and the first out_len bytes of the data slot.
 *
 *   gallery_NAME [--device DEV] [--seed N] [--iters N] [--max-in N] [--save-input FILE] [-v] OBJ
 *
 * --save-input writes the largest input of the cases run (all compared
 * equal) to FILE: `make bench-report` times the programs on it.
 *
 * DEV defaults to $HERMES_DEVICE, else "ref". Each native case runs in a
 * forked child, so the program's globals start from their initial values
 * every time (as on the card, which loads the image for every run), and a
 * native crash is reported rather than fatal.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gallery.h"
#include "hermes/hermes.h"

extern uint64_t (*const hermes_native_entry)(uint8_t *, uint64_t);
extern const char hermes_native_name[];

uint64_t gallery_rand(struct gallery_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t gallery_below(struct gallery_rng *r, uint64_t n)
{
	return gallery_rand(r) % n;
}

struct shared {
	uint64_t r0;
	int done;
	uint8_t slot[]; /* the native "data slot" */
};

static int run_native(struct shared *sh, const uint8_t *in, size_t slot, uint64_t r2)
{
	pid_t pid;
	int ws;

	memcpy(sh->slot, in, slot);
	sh->done = 0;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		sh->r0 = hermes_native_entry(sh->slot, r2);
		sh->done = 1;
		_exit(0);
	}
	if (waitpid(pid, &ws, 0) < 0)
		return -errno;
	if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0 || !sh->done) {
		fprintf(stderr, "native %s crashed (wait status 0x%x)\n", hermes_native_name, ws);
		return -EIO;
	}
	return 0;
}

static void hexdump(const char *tag, const uint8_t *p, size_t from, size_t to)
{
	size_t i;

	fprintf(stderr, "  %-7s@0x%06zx:", tag, from);
	for (i = from; i < to; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "\n");
}

static int usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--device DEV] [--seed N] [--iters N] [--max-in N] [--save-input FILE] [-v] OBJ\n",
		argv0);
	return 2;
}

int main(int argc, char **argv)
{
	const char *dev_uri = getenv("HERMES_DEVICE"), *obj = NULL, *save_path = NULL;
	uint64_t seed = 1, iters = 100, max_in = 4096;
	uint64_t insns_min = UINT64_MAX, insns_max = 0, insns_sum = 0, compared = 0;
	struct hermes_prog_opts popts = { .sz = sizeof(popts) };
	struct hermes_info info;
	struct hermes_dev *dev;
	struct hermes_prog *prog;
	struct shared *sh;
	uint8_t *in, *out, *saved;
	size_t slot, saved_len = 0;
	int verbose = 0, err, i;
	uint64_t it;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--device") && i + 1 < argc)
			dev_uri = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--iters") && i + 1 < argc)
			iters = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--max-in") && i + 1 < argc)
			max_in = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--save-input") && i + 1 < argc)
			save_path = argv[++i];
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (argv[i][0] == '-' || obj)
			return usage(argv[0]);
		else
			obj = argv[i];
	}
	if (!obj)
		return usage(argv[0]);
	if (!dev_uri || !*dev_uri)
		dev_uri = "ref";

	if (hermes_dev_open(dev_uri, &dev)) {
		fprintf(stderr, "cannot open device '%s': %s\n", dev_uri, hermes_dev_errmsg(NULL));
		return 1;
	}
	if (hermes_dev_info(dev, &info)) {
		fprintf(stderr, "device info: %s\n", hermes_dev_errmsg(dev));
		return 1;
	}
	slot = info.data_slot_size;
	if (hermes_prog_load(obj, &popts, &prog)) {
		fprintf(stderr, "%s\n", hermes_dev_errmsg(NULL));
		return 1;
	}
	printf("%s: %s on %s: %zu bytes of code, %zu of globals; data slot %zu bytes; seed %" PRIu64 "\n",
	       hermes_native_name, obj, dev_uri, hermes_prog_code_len(prog),
	       hermes_prog_image_len(prog) - hermes_prog_code_len(prog), slot, seed);

	in = malloc(slot);
	out = malloc(slot);
	saved = malloc(slot);
	sh = mmap(NULL, sizeof(*sh) + slot, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!in || !out || !saved || sh == MAP_FAILED) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}

	for (it = 0; it < iters; it++) {
		struct gallery_rng rng = { seed * 0x100000001b3ull + it };
		struct gallery_case c = { .buf = in, .cap = slot, .max_in = max_in };
		struct hermes_run_opts ropts = { .sz = sizeof(ropts), .engine = -1 };
		struct hermes_run_result res;
		uint64_t r2;
		size_t k;

		memset(in, 0, slot);
		gallery_gen(&rng, &c);
		if (c.in_len > slot || c.out_len > slot) {
			fprintf(stderr, "case %" PRIu64 ": generator gave in_len %zu / out_len %zu beyond the %zu-byte slot\n",
				it, c.in_len, c.out_len, slot);
			return 1;
		}
		/* r2 = 0 cannot be asked for (data_len 0 means the whole slot):
		 * an empty input is run as one zero byte */
		if (c.in_len == 0)
			c.in_len = 1;
		/* what the generator left beyond the input is not input */
		memset(in + c.in_len, 0, slot - c.in_len);
		r2 = c.in_len;
		ropts.data_len = (uint32_t)r2;
		if (run_native(sh, in, slot, r2))
			return 1;
		memset(out, 0xa5, slot);
		err = hermes_run(dev, prog, in, c.in_len, out, c.out_len, &ropts, &res);
		if (err) {
			fprintf(stderr, "case %" PRIu64 " (seed %" PRIu64 "): run failed: %s\n", it, seed,
				hermes_dev_errmsg(dev));
			return 1;
		}
		if (res.status != HERMES_ST_SUCCESS) {
			fprintf(stderr,
				"case %" PRIu64 " (seed %" PRIu64 ", input %zu bytes): status %u (%s), cause %u (%s) at pc %u addr 0x%" PRIx64
				"; native r0 0x%" PRIx64 "\n",
				it, seed, c.in_len, res.status, hermes_status_str(res.status), res.cause,
				hermes_fault_str(res.cause), res.pc, res.addr, sh->r0);
			return 1;
		}
		if (res.r0 != sh->r0) {
			fprintf(stderr, "case %" PRIu64 " (seed %" PRIu64 ", input %zu bytes): r0 differs: %s 0x%" PRIx64
				", native 0x%" PRIx64 "\n",
				it, seed, c.in_len, dev_uri, res.r0, sh->r0);
			return 1;
		}
		for (k = 0; k < c.out_len && out[k] == sh->slot[k]; k++)
			;
		if (k < c.out_len) {
			size_t from = k & ~(size_t)15, to = from + 32 < c.out_len ? from + 32 : c.out_len;

			fprintf(stderr, "case %" PRIu64 " (seed %" PRIu64 ", input %zu bytes, r0 0x%" PRIx64
				" both): data slot differs at byte 0x%zx of %zu compared\n",
				it, seed, c.in_len, res.r0, k, c.out_len);
			hexdump(dev_uri, out, from, to);
			hexdump("native", sh->slot, from, to);
			return 1;
		}
		if (verbose)
			printf("  case %3" PRIu64 ": input %5zu bytes, r0 0x%016" PRIx64 " both, %zu slot bytes equal, %" PRIu64
			       " insns\n", it, c.in_len, res.r0, c.out_len, res.insns);
		if (c.in_len > saved_len) {
			memcpy(saved, in, c.in_len);
			saved_len = c.in_len;
		}
		compared += c.out_len;
		insns_sum += res.insns;
		insns_min = res.insns < insns_min ? res.insns : insns_min;
		insns_max = res.insns > insns_max ? res.insns : insns_max;
	}
	printf("%s: %" PRIu64 " cases equal on %s and native (r0 and %" PRIu64 " data-slot bytes); insns min %" PRIu64
	       " avg %" PRIu64 " max %" PRIu64 "\n",
	       hermes_native_name, iters, dev_uri, compared, iters ? insns_min : 0, iters ? insns_sum / iters : 0,
	       insns_max);
	if (save_path) {
		FILE *f = fopen(save_path, "wb");

		if (!f || fwrite(saved, 1, saved_len, f) != saved_len || fclose(f)) {
			fprintf(stderr, "cannot write %s: %s\n", save_path, strerror(errno));
			return 1;
		}
	}
	hermes_prog_free(prog);
	hermes_dev_close(dev);
	munmap(sh, sizeof(*sh) + slot);
	free(in);
	free(out);
	free(saved);
	return 0;
}
