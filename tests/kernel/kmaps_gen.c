/* SPDX-License-Identifier: MIT */
/*
 * kmaps_gen.c - random programs with maps for the kernel differential,
 * and what docs/MAPS.md says they must leave behind.
 *
 * For a seed, writes
 *
 *   PREFIX.bpf.c          a program in the examples/maps style (maps_prog.h:
 *                         one source, Hermes and kernel builds) with an ARRAY
 *                         map "arr", a PERCPU_ARRAY "pca" of the same shape
 *                         and a HASH map "hsh" of random sizes, and
 *                         a straight line of 4..40 helper calls (1 lookup,
 *                         2 update with random flags 0-5 and 8, 3 delete) on
 *                         random keys, some of them taken from the input;
 *                         every helper's result is folded into r0
 *   PREFIX.in             its input (16..64 bytes)
 *   PREFIX.expected.json  the maps and r0 after RUNS runs, computed by a
 *                         model of docs/MAPS.md's helper semantics, in the
 *                         format of kmaps_run (compare with maps_json.py);
 *                         "pca" holds the copy of CPU 0 only, where
 *                         kmaps_gen.sh pins the runs
 *
 * usage: kmaps_gen SEED PREFIX [RUNS]      (RUNS default 2)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPS 40
#define MAX_KEY 20
#define MAX_VAL 24
#define MAX_ARR 8
#define MAX_HASH 6
#define POOL (MAX_HASH + 2)
#define IN_MAX 64

#define E2BIG_ 7
#define EEXIST_ 17
#define ENOENT_ 2
#define EINVAL_ 22

static uint64_t rng;

static uint64_t rnd(void) /* splitmix64 */
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }

enum kind { A_LOOKUP, A_UPDATE, A_DELETE, H_LOOKUP, H_UPDATE, H_DELETE, KINDS };

struct op {
	enum kind kind;
	int from_input;     /* key taken from input byte `in_byte` */
	unsigned in_byte;
	uint32_t index;     /* array: constant index */
	int pcpu;           /* array ops: on the PERCPU_ARRAY "pca" instead of "arr" */
	unsigned pool;      /* hash: key pool entry */
	uint64_t flags;
	uint8_t val[MAX_VAL];
	unsigned byte;      /* lookup: value byte read and bumped */
	uint8_t bump;
};

/* The program's shape. */
static unsigned arr_n, arr_vs, h_n, h_ks, h_vs, nops, in_len;
static uint8_t pool[POOL][MAX_KEY];
static struct op ops[MAX_OPS];
static uint8_t input[IN_MAX];

/* The model's state (docs/MAPS.md: Helpers). */
static uint8_t arr[MAX_ARR][MAX_VAL];
static uint8_t pca[MAX_ARR][MAX_VAL]; /* the copy of CPU (engine) 0, where the runs are */
static struct {
	int used;
	uint8_t key[MAX_KEY], val[MAX_VAL];
} hsh[MAX_HASH];

static const unsigned val_sizes[] = { 1, 3, 4, 8, 12, 16, 24 };

static void gen(void)
{
	arr_n = 1 + below(MAX_ARR);
	arr_vs = val_sizes[below(sizeof(val_sizes) / sizeof(val_sizes[0]))];
	h_n = 1 + below(MAX_HASH);
	h_ks = 1 + below(MAX_KEY);
	h_vs = val_sizes[below(sizeof(val_sizes) / sizeof(val_sizes[0]))];
	nops = 4 + below(MAX_OPS - 3);
	in_len = 16 + below(IN_MAX - 16 + 1);
	for (unsigned i = 0; i < in_len; i++)
		input[i] = (uint8_t)rnd();
	for (unsigned p = 0; p < POOL; p++)
		for (unsigned b = 0; b < h_ks; b++)
			pool[p][b] = (uint8_t)(h_ks < 3 ? below(4) : rnd()); /* tiny keys collide on purpose */
	for (unsigned i = 0; i < nops; i++) {
		static const uint64_t flag_pool[] = { 0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 8 };
		struct op *o = &ops[i];

		o->kind = (enum kind)below(KINDS);
		o->from_input = below(3) == 0;
		o->in_byte = below(in_len);
		o->pcpu = below(3) == 0;
		o->index = below(8) == 0 ? 0xffffffffu : below(arr_n + 2);
		o->pool = below(POOL);
		o->flags = flag_pool[below(sizeof(flag_pool) / sizeof(flag_pool[0]))];
		for (unsigned b = 0; b < MAX_VAL; b++)
			o->val[b] = (uint8_t)rnd();
		o->byte = below(o->kind == A_LOOKUP ? arr_vs : h_vs);
		o->bump = (uint8_t)(1 + below(255));
	}
}

/* ---- the program ---- */

static void hex_bytes(FILE *f, const uint8_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s0x%02x", i ? ", " : "", b[i]);
}

static void emit_key(FILE *f, const struct op *o)
{
	if (o->kind <= A_DELETE) {
		if (o->from_input)
			fprintf(f, "\t\t__u32 k = data[%u] %% %u;\n", o->in_byte, arr_n + 2);
		else
			fprintf(f, "\t\t__u32 k = 0x%" PRIx32 ";\n", o->index);
	} else {
		fprintf(f, "\t\tstruct hk k = { { ");
		hex_bytes(f, pool[o->pool], h_ks);
		fprintf(f, " } };\n");
		if (o->from_input)
			fprintf(f, "\t\tk.b[0] ^= data[%u] & 1;\n", o->in_byte);
	}
}

static int write_program(const char *path, uint64_t seed)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "kmaps_gen: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "/* kmaps_gen seed 0x%" PRIx64 ": %u helper calls (generated; see tests/kernel/kmaps_gen.c) */\n",
		seed, nops);
	fprintf(f, "#include \"maps_prog.h\"\n\n");
	fprintf(f, "struct av { __u8 b[%u]; };\nstruct hk { __u8 b[%u]; };\nstruct hv { __u8 b[%u]; };\n\n",
		arr_vs, h_ks, h_vs);
	fprintf(f, "struct {\n\t__uint(type, BPF_MAP_TYPE_ARRAY);\n\t__uint(max_entries, %u);\n"
		   "\t__type(key, __u32);\n\t__type(value, struct av);\n} arr SEC(\".maps\");\n\n", arr_n);
	fprintf(f, "struct {\n\t__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);\n\t__uint(max_entries, %u);\n"
		   "\t__type(key, __u32);\n\t__type(value, struct av);\n} pca SEC(\".maps\");\n\n", arr_n);
	fprintf(f, "struct {\n\t__uint(type, BPF_MAP_TYPE_HASH);\n\t__uint(max_entries, %u);\n"
		   "\t__type(key, struct hk);\n\t__type(value, struct hv);\n} hsh SEC(\".maps\");\n\n", h_n);
	fprintf(f, "MAPS_PROG(gen)\n{\n\t__u64 acc = 0;\n\n\tif (data + %u > data_end)\n\t\treturn 0;\n", in_len);
	for (unsigned i = 0; i < nops; i++) {
		const struct op *o = &ops[i];
		int is_arr = o->kind <= A_DELETE;
		const char *map = !is_arr ? "&hsh" : o->pcpu ? "&pca" : "&arr";

		fprintf(f, "\t{ /* %u */\n", i);
		emit_key(f, o);
		switch (o->kind) {
		case A_LOOKUP:
		case H_LOOKUP:
			fprintf(f, "\t\tstruct %s *p = bpf_map_lookup_elem(%s, &k);\n\n", is_arr ? "av" : "hv", map);
			fprintf(f, "\t\tif (p) {\n\t\t\tacc = acc * 31 + p->b[%u];\n\t\t\tp->b[%u] += %u;\n"
				   "\t\t} else {\n\t\t\tacc = acc * 31 + 7;\n\t\t}\n", o->byte, o->byte, o->bump);
			break;
		case A_UPDATE:
		case H_UPDATE:
			fprintf(f, "\t\tstruct %s v = { { ", is_arr ? "av" : "hv");
			hex_bytes(f, o->val, is_arr ? arr_vs : h_vs);
			fprintf(f, " } };\n\n\t\tacc = acc * 31 + (__u64)bpf_map_update_elem(%s, &k, &v, %" PRIu64 ");\n",
				map, o->flags);
			break;
		default:
			fprintf(f, "\n\t\tacc = acc * 31 + (__u64)bpf_map_delete_elem(%s, &k);\n", map);
			break;
		}
		fprintf(f, "\t}\n");
	}
	fprintf(f, "\treturn (__u32)(acc ^ acc >> 32);\n}\n\nMAPS_LICENSE;\n");
	if (fclose(f)) {
		fprintf(stderr, "kmaps_gen: writing %s fails: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- the model ---- */

static int hash_find(const uint8_t *key)
{
	for (unsigned i = 0; i < h_n; i++)
		if (hsh[i].used && memcmp(hsh[i].key, key, h_ks) == 0)
			return (int)i;
	return -1;
}

static uint64_t run_model(void)
{
	uint64_t acc = 0;

	for (unsigned i = 0; i < nops; i++) {
		const struct op *o = &ops[i];
		uint32_t idx = o->from_input ? input[o->in_byte] % (arr_n + 2) : o->index;
		uint8_t key[MAX_KEY], (*a)[MAX_VAL] = o->pcpu ? pca : arr;
		int64_t r = 0;
		int h;

		memcpy(key, pool[o->pool], h_ks);
		if (o->from_input)
			key[0] ^= input[o->in_byte] & 1;
		h = hash_find(key);
		switch (o->kind) {
		case A_LOOKUP:
			if (idx < arr_n) {
				acc = acc * 31 + a[idx][o->byte];
				a[idx][o->byte] += o->bump;
			} else {
				acc = acc * 31 + 7;
			}
			continue;
		case H_LOOKUP:
			if (h >= 0) {
				acc = acc * 31 + hsh[h].val[o->byte];
				hsh[h].val[o->byte] += o->bump;
			} else {
				acc = acc * 31 + 7;
			}
			continue;
		case A_UPDATE:
			if ((o->flags & ~4ull) > 2)
				r = -EINVAL_;
			else if (idx >= arr_n)
				r = -E2BIG_;
			else if (o->flags & 1)
				r = -EEXIST_;
			else if (o->flags & 4)
				r = -EINVAL_;
			else
				memcpy(a[idx], o->val, arr_vs);
			break;
		case H_UPDATE:
			if (o->flags > 2) {
				r = -EINVAL_;
			} else if (h >= 0 && o->flags == 1) {
				r = -EEXIST_;
			} else if (h < 0 && o->flags == 2) {
				r = -ENOENT_;
			} else if (h >= 0) {
				memcpy(hsh[h].val, o->val, h_vs);
			} else {
				unsigned j;

				for (j = 0; j < h_n && hsh[j].used; j++)
					;
				if (j == h_n) {
					r = -E2BIG_;
				} else {
					hsh[j].used = 1;
					memcpy(hsh[j].key, key, h_ks);
					memcpy(hsh[j].val, o->val, h_vs);
				}
			}
			break;
		case A_DELETE:
			r = -EINVAL_;
			break;
		case H_DELETE:
			if (h < 0)
				r = -ENOENT_;
			else
				hsh[h].used = 0;
			break;
		default:
			break;
		}
		acc = acc * 31 + (uint64_t)r;
	}
	return acc;
}

static void json_hex(FILE *f, const uint8_t *b, unsigned n)
{
	fputc('"', f);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
	fputc('"', f);
}

static int write_expected(const char *path, unsigned runs)
{
	uint64_t acc = 0;
	FILE *f;
	int first = 1;

	for (unsigned r = 0; r < runs; r++)
		acc = run_model();
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "kmaps_gen: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "{\"r0\": %" PRIu32 ", \"cpu\": 0, \"runs\": %u, \"maps\": {\"arr\": [", (uint32_t)(acc ^ acc >> 32), runs);
	for (uint32_t i = 0; i < arr_n; i++) {
		uint8_t k[4] = { (uint8_t)i, (uint8_t)(i >> 8), (uint8_t)(i >> 16), (uint8_t)(i >> 24) };

		fprintf(f, "%s{\"key\": ", i ? ", " : "");
		json_hex(f, k, 4);
		fprintf(f, ", \"value\": ");
		json_hex(f, arr[i], arr_vs);
		fprintf(f, "}");
	}
	fprintf(f, "], \"pca\": [");
	for (uint32_t i = 0; i < arr_n; i++) {
		uint8_t k[4] = { (uint8_t)i, (uint8_t)(i >> 8), (uint8_t)(i >> 16), (uint8_t)(i >> 24) };

		fprintf(f, "%s{\"key\": ", i ? ", " : "");
		json_hex(f, k, 4);
		fprintf(f, ", \"values\": [");
		json_hex(f, pca[i], arr_vs);
		fprintf(f, "]}");
	}
	fprintf(f, "], \"hsh\": [");
	for (unsigned i = 0; i < h_n; i++) {
		if (!hsh[i].used)
			continue;
		fprintf(f, "%s{\"key\": ", first ? "" : ", ");
		json_hex(f, hsh[i].key, h_ks);
		fprintf(f, ", \"value\": ");
		json_hex(f, hsh[i].val, h_vs);
		fprintf(f, "}");
		first = 0;
	}
	fprintf(f, "]}}\n");
	if (fclose(f)) {
		fprintf(stderr, "kmaps_gen: writing %s fails: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096];
	unsigned long runs = 2;
	uint64_t seed;
	char *end;
	FILE *f;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: kmaps_gen SEED PREFIX [RUNS]: writes PREFIX.bpf.c, PREFIX.in, PREFIX.expected.json\n");
		return 2;
	}
	errno = 0;
	seed = strtoull(argv[1], &end, 0);
	if (errno || *end || !*argv[1]) {
		fprintf(stderr, "kmaps_gen: SEED '%s' is not a number\n", argv[1]);
		return 2;
	}
	if (argc == 4) {
		runs = strtoul(argv[3], &end, 0);
		if (*end || !*argv[3] || runs < 1 || runs > 1000) {
			fprintf(stderr, "kmaps_gen: RUNS '%s': expected 1 to 1000\n", argv[3]);
			return 2;
		}
	}
	if (strlen(argv[2]) > sizeof(path) - 32) {
		fprintf(stderr, "kmaps_gen: PREFIX is longer than %zu characters\n", sizeof(path) - 32);
		return 2;
	}
	rng = seed;
	gen();
	snprintf(path, sizeof(path), "%s.bpf.c", argv[2]);
	if (write_program(path, seed))
		return 1;
	snprintf(path, sizeof(path), "%s.in", argv[2]);
	f = fopen(path, "wb");
	if (!f || fwrite(input, 1, in_len, f) != in_len || fclose(f)) {
		fprintf(stderr, "kmaps_gen: writing %s fails: %s\n", path, strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s.expected.json", argv[2]);
	return write_expected(path, (unsigned)runs) ? 1 : 0;
}
