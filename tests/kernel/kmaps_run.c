/* SPDX-License-Identifier: MIT */
/*
 * kmaps_run.c - the Linux kernel as the reference for programs with maps.
 *
 * Loads an eBPF ELF object with libbpf, runs one of its programs N times on
 * the same input with BPF_PROG_TEST_RUN, and prints the object's maps and
 * r0 of the last run as JSON in the format of
 * `hermes run PROG --data F --repeat N --dump-maps --json`:
 *
 *   {"r0": 7, "cpu": 0, "runs": 3,
 *    "maps": {"NAME": [{"key": "HEX", "value": "HEX"}, ...], ...}}
 *
 * Keys and values are raw bytes in lowercase hex (key_size and value_size
 * bytes). ARRAY maps list every index in order, HASH maps the present keys
 * (sorted by their bytes; compare as sets), PERCPU_ARRAY maps give
 * "values": one HEX per possible CPU instead of "value". r0 is the
 * kernel's retval: the low 32 bits of r0 only (BPF_PROG_TEST_RUN reports
 * no more). "cpu" is the CPU every run was pinned to (sched_setaffinity),
 * whose copy of a per-CPU map a test compares with a Hermes engine's.
 * libbpf's internal maps (.rodata, .data, .bss, .kconfig) are globals, not
 * maps, and are not listed.
 *
 * The program is loaded as BPF_PROG_TYPE_XDP whatever its section says:
 * XDP gets the input as packet data (ctx->data .. ctx->data_end) the program
 * reads directly, BPF_PROG_TEST_RUN returns its r0 unchanged (no range
 * check on plain XDP programs), and XDP programs may call helpers 1-3 and
 * 5-8. The kernel needs at least 14 bytes of input (an Ethernet header)
 * and at most 3,520 (a page less XDP's head- and tailroom).
 *
 * usage: kmaps_run --data FILE [--repeat N] [--cpu C] [--prog NAME] OBJ
 *
 * Exit 0 ok, 1 error (a sentence on stderr), 2 usage, 77 when bpf(2) is
 * missing or not permitted here (ctest: skipped).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#define SKIP 77
#define XDP_MIN_DATA 14
#define XDP_MAX_DATA 3520

static int verbose;

/* libbpf's messages (the verifier log among them): warnings always, the rest with -v. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: kmaps_run --data FILE [--repeat N] [--cpu C] [--prog NAME] [-v] OBJ\n"
		"  --data FILE  input bytes (the XDP packet, 14..3520 bytes)\n"
		"  --repeat N   runs, each on the same input (default 1)\n"
		"  --cpu C      CPU the runs are pinned to (default 0)\n"
		"  --prog NAME  program (function or section name; default the first)\n"
		"  -v           libbpf's debug messages\n"
		"Prints the maps and r0 of the last run as JSON (the format of hermes run --dump-maps --json).\n");
}

static int read_file(const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	unsigned char *b;

	if (!f) {
		fprintf(stderr, "kmaps_run: cannot open the input file %s: %s\n", path, strerror(errno));
		return -1;
	}
	b = malloc(cap);
	while (b) {
		size_t k = fread(b + n, 1, cap - n, f);

		n += k;
		if (n < cap)
			break;
		if (cap > XDP_MAX_DATA) /* too long already: stop reading */
			break;
		unsigned char *nb = realloc(b, cap * 2);

		if (!nb) {
			free(b);
			b = NULL;
			break;
		}
		b = nb;
		cap *= 2;
	}
	if (!b || ferror(f)) {
		fprintf(stderr, "kmaps_run: cannot read the input file %s: %s\n", path,
			b ? strerror(errno) : "out of memory");
		free(b);
		fclose(f);
		return -1;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

static void print_hex(const unsigned char *p, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar('"');
}

static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

struct key_buf {
	size_t size;
	unsigned char *keys; /* count x size */
	size_t count, cap;
};

static int key_cmp_size;
static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, (size_t)key_cmp_size);
}

/* Every present key of a hash map, sorted by their bytes. */
static int hash_keys(int fd, const char *name, size_t key_size, struct key_buf *kb)
{
	unsigned char *prev = NULL, *next = malloc(key_size);

	kb->size = key_size;
	kb->count = 0;
	kb->cap = 0;
	kb->keys = NULL;
	if (!next)
		goto nomem;
	for (;;) {
		if (bpf_map_get_next_key(fd, prev, next)) {
			if (errno == ENOENT)
				break;
			fprintf(stderr, "kmaps_run: map %s: BPF_MAP_GET_NEXT_KEY fails: %s\n", name,
				strerror(errno));
			free(next);
			return -1;
		}
		if (kb->count == kb->cap) {
			size_t nc = kb->cap ? 2 * kb->cap : 64;
			unsigned char *nk = realloc(kb->keys, nc * key_size);

			if (!nk)
				goto nomem;
			kb->keys = nk;
			kb->cap = nc;
		}
		memcpy(kb->keys + kb->count * key_size, next, key_size);
		prev = kb->keys + kb->count * key_size;
		kb->count++;
		if (kb->count > (1u << 24)) {
			fprintf(stderr, "kmaps_run: map %s: more than 2^24 keys while iterating (a loop?)\n", name);
			free(next);
			return -1;
		}
	}
	free(next);
	key_cmp_size = (int)key_size;
	if (kb->count)
		qsort(kb->keys, kb->count, key_size, key_cmp);
	return 0;
nomem:
	free(next);
	fprintf(stderr, "kmaps_run: map %s: out of memory for its keys\n", name);
	return -1;
}

static int dump_map(const struct bpf_map *map, int ncpus)
{
	const char *name = bpf_map__name(map);
	enum bpf_map_type type = bpf_map__type(map);
	size_t ks = bpf_map__key_size(map), vs = bpf_map__value_size(map);
	size_t vstride = (vs + 7) & ~(size_t)7;
	uint32_t max = bpf_map__max_entries(map);
	int fd = bpf_map__fd(map), percpu = type == BPF_MAP_TYPE_PERCPU_ARRAY;
	size_t vbytes = percpu ? vstride * (size_t)ncpus : vs;
	unsigned char *val = malloc(vbytes ? vbytes : 1);
	struct key_buf kb = { 0 };
	int rc = -1;

	if (!val) {
		fprintf(stderr, "kmaps_run: map %s: out of memory for a value\n", name);
		return -1;
	}
	if (type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY) {
		kb.size = 4;
		kb.count = max;
		kb.keys = malloc((size_t)max * 4 + 4);
		if (!kb.keys) {
			fprintf(stderr, "kmaps_run: map %s: out of memory for %u keys\n", name, max);
			goto out;
		}
		for (uint32_t i = 0; i < max; i++)
			memcpy(kb.keys + 4 * (size_t)i, &i, 4); /* host order = the kernel's */
	} else if (type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_LRU_HASH) {
		if (hash_keys(fd, name, ks, &kb))
			goto out;
	} else {
		fprintf(stderr, "kmaps_run: map %s has type %d, which is not dumped (ARRAY, PERCPU_ARRAY, HASH, LRU_HASH are)\n",
			name, (int)type);
		goto out;
	}
	printf("    ");
	print_json_string(name);
	printf(": [");
	for (size_t i = 0; i < kb.count; i++) {
		const unsigned char *k = kb.keys + i * ks;

		if (bpf_map_lookup_elem(fd, k, val)) {
			fprintf(stderr, "kmaps_run: map %s: lookup of a listed key fails: %s\n", name,
				strerror(errno));
			goto out;
		}
		printf("%s\n      {\"key\": ", i ? "," : "");
		print_hex(k, ks);
		if (percpu) {
			printf(", \"values\": [");
			for (int c = 0; c < ncpus; c++) {
				if (c)
					printf(", ");
				print_hex(val + (size_t)c * vstride, vs);
			}
			printf("]}");
		} else {
			printf(", \"value\": ");
			print_hex(val, vs);
			printf("}");
		}
	}
	printf("%s]", kb.count ? "\n    " : "");
	rc = 0;
out:
	free(kb.keys);
	free(val);
	return rc;
}

/* libbpf's errors above 4000 (LIBBPF_ERRNO__*) have their own texts. */
static const char *errstr(int err)
{
	static char buf[128];

	libbpf_strerror(err, buf, sizeof(buf));
	return buf;
}

/*
 * Is bpf(2) usable here? A verifier rejection is EACCES too, so a
 * two-instruction XDP program tells "not permitted" from "refused".
 */
static int probe_bpf(void)
{
	static const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "kmaps_probe", "Dual MIT/GPL", ret0, 2, NULL);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EPERM || errno == EACCES || errno == ENOSYS) {
		printf("SKIP: bpf(2) BPF_PROG_LOAD is not permitted here (%s; needs root or CAP_BPF)\n",
		       strerror(errno));
		return SKIP;
	}
	fprintf(stderr, "kmaps_run: the kernel refuses a 2-instruction XDP program: %s\n", strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "prog", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data_path = NULL, *prog_name = NULL, *obj_path;
	unsigned long repeat = 1, cpu = 0;
	unsigned char *data = NULL;
	size_t data_len = 0;
	struct bpf_object *obj = NULL;
	struct bpf_program *prog = NULL, *p;
	struct bpf_map *map;
	uint32_t retval = 0;
	int opt, err, ncpus, first, rc = 1;
	char *end;
	cpu_set_t set;

	while ((opt = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': data_path = optarg; break;
		case 'n':
			errno = 0;
			repeat = strtoul(optarg, &end, 0);
			if (errno || *end || !*optarg || repeat < 1 || repeat > 1000000) {
				fprintf(stderr, "kmaps_run: --repeat %s: expected a number of runs from 1 to 1000000\n", optarg);
				return 2;
			}
			break;
		case 'c':
			errno = 0;
			cpu = strtoul(optarg, &end, 0);
			if (errno || *end || !*optarg || cpu >= CPU_SETSIZE) {
				fprintf(stderr, "kmaps_run: --cpu %s: expected a CPU number below %d\n", optarg, CPU_SETSIZE);
				return 2;
			}
			break;
		case 'p': prog_name = optarg; break;
		case 'v': verbose = 1; break;
		case 'h': usage(); return 0;
		default: usage(); return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "kmaps_run: %s\n", optind >= argc ? "no object file given" : "more than one object file given");
		usage();
		return 2;
	}
	obj_path = argv[optind];
	if (!data_path) {
		fprintf(stderr, "kmaps_run: no --data FILE: an XDP test run needs %d to %d bytes of input\n",
			XDP_MIN_DATA, XDP_MAX_DATA);
		return 2;
	}
	if (read_file(data_path, &data, &data_len))
		return 1;
	if (data_len < XDP_MIN_DATA || data_len > XDP_MAX_DATA) {
		fprintf(stderr, "kmaps_run: %s: %s%zu bytes; the kernel runs XDP programs on %d to %d bytes\n",
			data_path, data_len > XDP_MAX_DATA ? "more than " : "", data_len, XDP_MIN_DATA,
			XDP_MAX_DATA);
		goto out;
	}

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "kmaps_run: cannot pin the runs to CPU %lu: %s\n", cpu, strerror(errno));
		goto out;
	}
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0) {
		fprintf(stderr, "kmaps_run: cannot count the possible CPUs: %s\n", errstr(-ncpus));
		goto out;
	}

	rc = probe_bpf();
	if (rc)
		goto out;
	rc = 1;
	libbpf_set_print(libbpf_print);
	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj) {
		fprintf(stderr, "kmaps_run: %s: libbpf cannot open it: %s\n", obj_path, errstr(errno));
		goto out;
	}
	bpf_object__for_each_program(p, obj) {
		if (!prog && (!prog_name || strcmp(bpf_program__name(p), prog_name) == 0 ||
			      strcmp(bpf_program__section_name(p), prog_name) == 0))
			prog = p;
	}
	if (!prog) {
		fprintf(stderr, "kmaps_run: %s: %s\n", obj_path,
			prog_name ? "no program of that name or section (--prog)" : "no program in the object");
		if (prog_name)
			fprintf(stderr, "kmaps_run: asked for '%s'\n", prog_name);
		goto out;
	}
	bpf_object__for_each_program(p, obj) {
		bpf_program__set_autoload(p, p == prog);
		if (p == prog)
			bpf_program__set_type(p, BPF_PROG_TYPE_XDP);
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "kmaps_run: %s: the kernel refuses to load it (program %s; the verifier log: rerun with -v): %s\n",
			obj_path, bpf_program__name(prog), errstr(-err));
		goto out;
	}

	/* Refuse what cannot be dumped before running anything. */
	bpf_object__for_each_map(map, obj) {
		enum bpf_map_type t = bpf_map__type(map);

		if (bpf_map__is_internal(map) || t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
		    t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_LRU_HASH)
			continue;
		fprintf(stderr, "kmaps_run: %s: map %s has type %d, which is not dumped (ARRAY, PERCPU_ARRAY, HASH, LRU_HASH are)\n",
			obj_path, bpf_map__name(map), (int)t);
		goto out;
	}
	for (unsigned long i = 0; i < repeat; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = (uint32_t)data_len,
			    .repeat = 1);

		if (bpf_prog_test_run_opts(bpf_program__fd(prog), &o)) {
			fprintf(stderr, "kmaps_run: BPF_PROG_TEST_RUN of %s (run %lu of %lu) fails: %s\n",
				bpf_program__name(prog), i + 1, repeat, strerror(errno));
			goto out;
		}
		retval = o.retval;
	}
	if (sched_getcpu() != (int)cpu) {
		fprintf(stderr, "kmaps_run: the runs were to be pinned to CPU %lu but ran on %d\n", cpu, sched_getcpu());
		goto out;
	}

	printf("{\n  \"r0\": %" PRIu32 ",\n  \"cpu\": %lu,\n  \"runs\": %lu,\n  \"maps\": {", retval, cpu, repeat);
	first = 1;
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__is_internal(map))
			continue;
		printf("%s\n", first ? "" : ",");
		first = 0;
		if (dump_map(map, ncpus)) {
			printf("\n");
			goto out;
		}
	}
	printf("%s}\n}\n", first ? "" : "\n  ");
	rc = 0;
out:
	bpf_object__close(obj);
	free(data);
	return rc;
}
