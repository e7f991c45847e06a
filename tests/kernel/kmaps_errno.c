/* SPDX-License-Identifier: MIT */
/*
 * kmaps_errno.c - the kernel's return codes for every map operation case
 * docs/MAPS.md specifies: lookup, update with each flag value, delete, on
 * ARRAY, PERCPU_ARRAY and HASH maps, keys present, absent, out of range,
 * and a full HASH.
 *
 * Each case runs twice on fresh maps in the same state:
 *
 *   helper   a 10-instruction XDP program calling the helper (map by fd:
 *            lddw src 1), run with BPF_PROG_TEST_RUN; its r0 (low 32 bits,
 *            sign-extended: the kernel reports no more)
 *   syscall  the same operation from user space (bpf(2) BPF_MAP_*_ELEM),
 *            0 or -errno
 *
 * and prints one line per case. tests/kernel/maps_errno.expected holds
 * what Linux 6.18 printed; the ctest kmaps.errno diffs the two, so a kernel
 * that disagrees (and with it docs/MAPS.md, which follows the helper
 * column) shows.
 *
 * usage: kmaps_errno        exit 0, 1 on an error, 77 when bpf(2) is not permitted
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#define SKIP 77
#define MAX_ENTRIES 4
#define VALUE 0x1234

enum op { OP_LOOKUP, OP_UPDATE, OP_DELETE };
enum state { ST_PLAIN, ST_FULL };

struct map_kind {
	const char *name;
	enum bpf_map_type type;
};

static const struct map_kind kinds[] = {
	{ "ARRAY", BPF_MAP_TYPE_ARRAY },
	{ "PERCPU_ARRAY", BPF_MAP_TYPE_PERCPU_ARRAY },
	{ "HASH", BPF_MAP_TYPE_HASH },
};

struct key_case {
	const char *what;
	uint32_t key;
	enum state state;
	int hash; /* 1: HASH cases, 0: array cases */
};

/*
 * Hash maps hold key 1 (and, full, keys 10..13: max_entries 4 with key 1
 * replaced by 10). Arrays have max_entries 4.
 */
static const struct key_case keys[] = {
	{ "index 0", 0, ST_PLAIN, 0 },
	{ "index 3 (last)", 3, ST_PLAIN, 0 },
	{ "index 4 (= max_entries)", 4, ST_PLAIN, 0 },
	{ "index 0xffffffff", 0xffffffffu, ST_PLAIN, 0 },
	{ "present", 1, ST_PLAIN, 1 },
	{ "absent", 2, ST_PLAIN, 1 },
	{ "present, table full", 10, ST_FULL, 1 },
	{ "absent, table full", 2, ST_FULL, 1 },
};

static const uint64_t flag_values[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x100000000ull };

static int ncpus;

static const char *flag_name(uint64_t f)
{
	static char buf[32];

	switch (f) {
	case BPF_ANY: return "ANY (0)";
	case BPF_NOEXIST: return "NOEXIST (1)";
	case BPF_EXIST: return "EXIST (2)";
	case BPF_F_LOCK: return "F_LOCK (4)";
	}
	snprintf(buf, sizeof(buf), "0x%" PRIx64, f);
	return buf;
}

static const char *ret_name(long r)
{
	static char buf[32];

	switch (r) {
	case 0: return "0";
	case -EINVAL: return "-EINVAL";
	case -ENOENT: return "-ENOENT";
	case -EEXIST: return "-EEXIST";
	case -E2BIG: return "-E2BIG";
	case -ENOSPC: return "-ENOSPC";
	case -ENOMEM: return "-ENOMEM";
	case -EPERM: return "-EPERM";
	}
	snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

/* A fresh map of kind k in state st; its fd, or -1 with a message. */
static int make_map(const struct map_kind *k, enum state st)
{
	uint64_t *val = calloc((size_t)ncpus, 8);
	int fd = bpf_map_create(k->type, NULL, 4, 8, MAX_ENTRIES, NULL), err = 0;

	if (!val) {
		fprintf(stderr, "kmaps_errno: out of memory\n");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (fd < 0) {
		fprintf(stderr, "kmaps_errno: BPF_MAP_CREATE of a %s map fails: %s\n", k->name, strerror(errno));
		free(val);
		return -1;
	}
	for (int c = 0; c < ncpus; c++)
		val[c] = 0x1111;
	if (k->type == BPF_MAP_TYPE_HASH) {
		if (st == ST_FULL) {
			for (uint32_t key = 10; key < 10 + MAX_ENTRIES && !err; key++)
				err = bpf_map_update_elem(fd, &key, val, BPF_ANY);
		} else {
			uint32_t key = 1;

			err = bpf_map_update_elem(fd, &key, val, BPF_ANY);
		}
	}
	free(val);
	if (err) {
		fprintf(stderr, "kmaps_errno: filling a %s map fails: %s\n", k->name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

/* The helper's result for op on map fd: r0 of an XDP program (low 32 bits). */
static int run_helper(int map_fd, enum op op, uint32_t key, uint64_t flags, long *ret)
{
	struct bpf_insn p[20];
	size_t n = 0;
	int fd, err;

	p[n++] = INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd);
	p[n++] = INSN(0, 0, 0, 0, 0);
	p[n++] = INSN(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -8, (int32_t)key);
	p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	p[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -8);
	switch (op) {
	case OP_LOOKUP:
		p[n++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
		p[n++] = INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 1, 0);  /* NULL: r0 = 0 */
		p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1); /* found: 1 */
		break;
	case OP_UPDATE:
		p[n++] = INSN(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -16, VALUE);
		p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0);
		p[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, -16);
		p[n++] = INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_4, 0, 0, (int32_t)(uint32_t)flags);
		p[n++] = INSN(0, 0, 0, 0, (int32_t)(uint32_t)(flags >> 32));
		p[n++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_update_elem);
		break;
	case OP_DELETE:
		p[n++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_delete_elem);
		break;
	}
	p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "kmaps_errno", "Dual MIT/GPL", p, n, NULL);
	if (fd < 0) {
		err = errno;
		if (err == EPERM) {
			printf("SKIP: bpf(2) BPF_PROG_LOAD is not permitted here (%s; needs root or CAP_BPF)\n",
			       strerror(err));
			return SKIP;
		}
		fprintf(stderr, "kmaps_errno: the verifier refuses the helper program: %s\n", strerror(err));
		return 1;
	}
	{
		unsigned char pkt[64] = { 0 };
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt), .repeat = 1);

		err = bpf_prog_test_run_opts(fd, &o);
		if (err) {
			fprintf(stderr, "kmaps_errno: BPF_PROG_TEST_RUN fails: %s\n", strerror(errno));
			close(fd);
			return 1;
		}
		*ret = (int32_t)o.retval;
	}
	close(fd);
	return 0;
}

/* The same operation through bpf(2) from user space: 0 or -errno (lookup: 1 found). */
static long run_syscall(int map_fd, enum op op, uint32_t key, uint64_t flags)
{
	uint64_t *val = calloc((size_t)ncpus, 8);
	long r;

	if (!val)
		return -ENOMEM;
	for (int c = 0; c < ncpus; c++)
		val[c] = VALUE;
	switch (op) {
	case OP_LOOKUP: r = bpf_map_lookup_elem(map_fd, &key, val) ? -errno : 1; break;
	case OP_UPDATE: r = bpf_map_update_elem(map_fd, &key, val, flags) ? -errno : 0; break;
	default: r = bpf_map_delete_elem(map_fd, &key) ? -errno : 0; break;
	}
	free(val);
	return r;
}

static const char *show(enum op op, long r)
{
	if (op == OP_LOOKUP && r == 1)
		return "found";
	if (op == OP_LOOKUP && r == 0)
		return "NULL";
	return ret_name(r);
}

static int one_case(const struct map_kind *k, const struct key_case *kc, enum op op, uint64_t flags)
{
	char what[64];
	long hret = 0, sret;
	int fd, rc;

	fd = make_map(k, kc->state);
	if (fd < 0)
		return 1;
	rc = run_helper(fd, op, kc->key, flags, &hret);
	close(fd);
	if (rc)
		return rc;
	fd = make_map(k, kc->state);
	if (fd < 0)
		return 1;
	sret = run_syscall(fd, op, kc->key, flags);
	close(fd);
	if (op == OP_UPDATE)
		snprintf(what, sizeof(what), "update %s", flag_name(flags));
	else
		snprintf(what, sizeof(what), "%s", op == OP_LOOKUP ? "lookup" : "delete");
	printf("%-13s %-24s %-18s %-8s", k->name, kc->what, what, show(op, hret));
	printf(" %s\n", show(op, sret));
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc != 1) {
		fprintf(stderr, "usage: kmaps_errno (no arguments): prints the kernel's map return codes\n");
		return 2;
	}
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0) {
		fprintf(stderr, "kmaps_errno: cannot count the possible CPUs\n");
		return 1;
	}
	libbpf_set_print(NULL);
	rc = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, NULL);
	if (rc < 0 && (errno == EPERM || errno == ENOSYS)) {
		printf("SKIP: bpf(2) BPF_MAP_CREATE is not permitted here (%s; needs root or CAP_BPF)\n",
		       strerror(errno));
		return SKIP;
	}
	if (rc >= 0)
		close(rc);
	printf("# Map operation return codes of the Linux kernel (tests/kernel/kmaps_errno.c).\n");
	printf("# maps: key u32, value u64, max_entries %d; a HASH holds key 1, a full one keys 10..13.\n",
	       MAX_ENTRIES);
	printf("# helper: BPF program (docs/MAPS.md follows this); syscall: bpf(2) from user space.\n");
	printf("%-13s %-24s %-18s %-8s %s\n", "# map", "key", "operation", "helper", "syscall");
	for (size_t m = 0; m < sizeof(kinds) / sizeof(kinds[0]); m++) {
		int hash = kinds[m].type == BPF_MAP_TYPE_HASH;

		for (size_t c = 0; c < sizeof(keys) / sizeof(keys[0]); c++) {
			if (keys[c].hash != hash)
				continue;
			rc = one_case(&kinds[m], &keys[c], OP_LOOKUP, 0);
			for (size_t f = 0; !rc && f < sizeof(flag_values) / sizeof(flag_values[0]); f++)
				rc = one_case(&kinds[m], &keys[c], OP_UPDATE, flag_values[f]);
			if (!rc)
				rc = one_case(&kinds[m], &keys[c], OP_DELETE, 0);
			if (rc)
				return rc;
		}
	}
	return 0;
}
