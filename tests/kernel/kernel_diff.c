/* SPDX-License-Identifier: MIT */
/*
 * kernel_diff.c - differential test of a Hermes device (default: the
 * reference VM, "ref") against the Linux kernel's eBPF.
 *
 * For each seed, host/src/isa/gen.c builds a kernel-safe program twice: plain
 * (P) and with the 32-bit fold epilogue (F = P; r1 = r0; r1 >>= 32;
 * r0 ^= r1; exit). The kernel returns only the low 32 bits of r0
 * (BPF_PROG_TEST_RUN retval), so a difference in the high half of r0 would
 * be invisible without the fold; with it, the returned word is
 * lo(r0) ^ hi(r0) and depends on all 64 bits. Checks per program:
 *
 *   1. the device runs P and F without a fault;
 *   2. (uint32_t)(r0(P) ^ (r0(P) >> 32)) == (uint32_t)r0(F)
 *      (the fold epilogue does what the C expression does);
 *   3. the kernel accepts F (a verifier rejection is counted separately:
 *      the generator promises kernel-valid programs, so it must be 0);
 *   4. the kernel's retval == (uint32_t)r0(F).
 *
 * The kernel runs F as a BPF_PROG_TYPE_SOCKET_FILTER program on a 64-byte
 * packet (raw bpf(2) calls, no libbpf). Exit 77 (skip) with the reason when
 * bpf(2) is unavailable or not permitted, or the kernel lacks the RFC 9669
 * "cpu v4" instructions (sdiv, movsx, ldsx, bswap, gotol: Linux >= 6.6).
 *
 * usage: kernel_diff [-c CLASSES] [-d DEV] [-n COUNT] [-s SEED] [-i MAXINSNS] [-t SECONDS] [-v]
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "asm.h"
#include "gen.h"
#include "hermes/hermes.h"

#define SKIP 77
#define MAX_SLOTS 8192
#define SHOW_MAX 3

static char vlog[1 << 20];

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* Load a socket filter; with log, the verifier's log goes to vlog. */
static int kload(const struct hermes_insn *insns, size_t n, int log)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uint64_t)(uintptr_t)insns; /* same layout as struct bpf_insn */
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t)"Dual MIT/GPL";
	if (log) {
		vlog[0] = '\0';
		a.log_buf = (uint64_t)(uintptr_t)vlog;
		a.log_size = sizeof(vlog);
		a.log_level = 1;
	}
	return (int)sys_bpf(BPF_PROG_LOAD, &a);
}

static int krun(int fd, uint32_t *retval)
{
	unsigned char pkt[64];
	union bpf_attr a;

	memset(pkt, 0, sizeof(pkt));
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = (uint64_t)(uintptr_t)pkt;
	a.test.data_size_in = sizeof(pkt);
	a.test.repeat = 1;
	if (sys_bpf(BPF_PROG_TEST_RUN, &a))
		return -errno;
	*retval = a.test.retval;
	return 0;
}

/* Last non-empty line of the verifier log (the reason). */
static const char *log_reason(void)
{
	size_t n = strlen(vlog);

	while (n && (vlog[n - 1] == '\n' || vlog[n - 1] == ' '))
		vlog[--n] = '\0';
	char *p = strrchr(vlog, '\n');
	/* The last line is usually the "processed N insns" summary; take the one before. */
	if (p && strstr(p, "processed ")) {
		*p = '\0';
		p = strrchr(vlog, '\n');
	}
	return p ? p + 1 : vlog;
}

#define I(op, dst, src, off, imm) \
	{ (op), (uint8_t)(((src) << 4) | (dst)), (off), (imm) }

/* Returns 0 when the kernel runs the v4 instructions, or SKIP. */
static int probe_kernel(void)
{
	static const struct hermes_insn trivial[] = {
		I(0xb7, 0, 0, 0, 7),   /* mov r0, 7 */
		I(0x95, 0, 0, 0, 0),
	};
	static const struct hermes_insn v4[] = {
		I(0xb7, 0, 0, 0, -7),  /* mov r0, -7 */
		I(0xb7, 1, 0, 0, 2),   /* mov r1, 2 */
		I(0x3f, 0, 1, 1, 0),   /* sdiv r0, r1     -> -3 */
		I(0xbf, 2, 0, 8, 0),   /* movsx8 r2, r0   -> -3 */
		I(0x7b, 10, 2, -8, 0), /* stxdw [r10-8], r2 */
		I(0x91, 3, 10, -8, 0), /* ldxsb r3, [r10-8] */
		I(0xd7, 3, 0, 0, 16),  /* bswap16 r3      -> 0xfdff */
		I(0x06, 0, 0, 0, 0),   /* ja32 +0 */
		I(0xbf, 0, 3, 0, 0),   /* mov r0, r3 */
		I(0x95, 0, 0, 0, 0),
	};
	uint32_t ret = 0;
	int fd, err;

	fd = kload(trivial, 2, 1);
	if (fd < 0) {
		err = errno;
		if (err == ENOSYS)
			printf("SKIP: this kernel has no bpf(2) system call\n");
		else if (err == EPERM || err == EACCES)
			printf("SKIP: bpf(2) BPF_PROG_LOAD is not permitted here (%s; needs root or CAP_BPF)\n",
			       strerror(err));
		else
			printf("SKIP: bpf(2) BPF_PROG_LOAD of a 2-instruction program fails: %s\n",
			       strerror(err));
		return SKIP;
	}
	err = krun(fd, &ret);
	close(fd);
	if (err) {
		printf("SKIP: BPF_PROG_TEST_RUN of a socket filter fails: %s\n", strerror(-err));
		return SKIP;
	}
	if (ret != 7) {
		printf("FAIL: the kernel returned %u for `mov r0, 7; exit`\n", ret);
		return 1;
	}
	fd = kload(v4, sizeof(v4) / sizeof(v4[0]), 1);
	if (fd < 0) {
		printf("SKIP: the kernel rejects RFC 9669 cpu v4 instructions (Linux >= 6.6 needed): %s: %s\n",
		       strerror(errno), log_reason());
		return SKIP;
	}
	err = krun(fd, &ret);
	close(fd);
	if (err || ret != 0xfdff) {
		printf("FAIL: cpu v4 probe: kernel run %s, retval 0x%x, expected 0xfdff\n",
		       err ? strerror(-err) : "ok", ret);
		return 1;
	}
	return 0;
}

/* Does the kernel take bpf-to-bpf calls in a socket filter (without BTF)? */
static int probe_calls(void)
{
	static const struct hermes_insn p[] = {
		I(0xb7, 1, 0, 0, 20),  /* mov r1, 20 */
		I(0x85, 0, 1, 0, 1),   /* call local +1 */
		I(0x95, 0, 0, 0, 0),   /* exit */
		I(0xbf, 0, 1, 0, 0),   /* mov r0, r1 */
		I(0x07, 0, 0, 0, 3),   /* add r0, 3 */
		I(0x95, 0, 0, 0, 0),
	};
	uint32_t ret = 0;
	int fd = kload(p, sizeof(p) / sizeof(p[0]), 1), err;

	if (fd < 0) {
		printf("note: local calls not compared (the kernel rejects them here: %s)\n",
		       log_reason());
		return 0;
	}
	err = krun(fd, &ret);
	close(fd);
	return !err && ret == 23;
}

/*
 * The kernel's __sk_buff.len for our 64-byte test packet (the word a
 * socket filter reads at [r1+0]); HERMES_GEN_OPAQUE programs read the same
 * word from the data slot, so the device gets it as its input. -1: no.
 */
static long probe_ctx_len(void)
{
	static const struct hermes_insn p[] = {
		I(0x61, 0, 1, 0, 0),   /* ldxw r0, [r1+0] */
		I(0x95, 0, 0, 0, 0),
	};
	uint32_t ret = 0;
	int fd = kload(p, 2, 1), err;

	if (fd < 0) {
		printf("note: opaque inputs not used (the kernel refuses ctx->len: %s)\n", log_reason());
		return -1;
	}
	err = krun(fd, &ret);
	close(fd);
	return err ? -1 : (long)ret;
}

static void dump_prog(const struct hermes_insn *p, size_t n)
{
	char line[128];

	for (size_t pc = 0; pc < n;) {
		int k = hermes_disasm_insn(p, n, pc, line, sizeof(line));

		printf("    %4zu: %s\n", pc, line);
		pc += k > 0 ? (size_t)k : 1;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run_dev(struct hermes_dev *dev, const struct hermes_insn *p, size_t n,
		   const void *in, size_t in_len, struct hermes_run_result *res, const char *what,
		   uint64_t seed)
{
	struct hermes_run_opts o = { .sz = sizeof(o), .engine = -1 };
	struct hermes_prog *prog;
	int err = hermes_prog_from_bytecode(p, n * 8, &prog);

	if (err) {
		printf("FAIL seed 0x%" PRIx64 ": %s program: %s\n", seed, what, hermes_dev_errmsg(NULL));
		return -1;
	}
	err = hermes_run(dev, prog, in, in_len, NULL, 0, &o, res);
	hermes_prog_free(prog);
	if (err) {
		printf("FAIL seed 0x%" PRIx64 ": running the %s program: %s\n", seed, what,
		       hermes_dev_errmsg(dev));
		return -1;
	}
	if (res->status != HERMES_ST_SUCCESS) {
		printf("FAIL seed 0x%" PRIx64 ": the %s program ended with status %u (%s), fault %u (%s) at pc %u addr 0x%" PRIx64 "\n",
		       seed, what, res->status, hermes_status_str(res->status), res->cause,
		       hermes_fault_str(res->cause), res->pc, res->addr);
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: kernel_diff [-c CLASSES] [-d DEV] [-n COUNT] [-s SEED] [-i MAXINSNS] [-t SECONDS] [-v]\n"
		"  -c CLASSES  HERMES_GEN_* class bits (default: HERMES_GEN_KERNEL_SAFE, + CALL when the\n"
		"              kernel takes local calls)\n"
		"  -d DEV      Hermes device to compare with the kernel (default ref)\n"
		"  -n COUNT    programs to compare (default 10000)\n"
		"  -s SEED     first seed (default: from the clock; printed for reruns)\n"
		"  -i MAXINSNS largest body size (default 128)\n"
		"  -t SECONDS  stop generating new programs after this long (default 240)\n"
		"  -v          print every program's seed and result\n");
}

int main(int argc, char **argv)
{
	static struct hermes_insn pf[MAX_SLOTS], pp[MAX_SLOTS];
	const char *devname = "ref";
	unsigned long count = 10000, maxinsns = 128;
	double tmax = 240, t0;
	uint64_t seed0;
	int verbose = 0, opt, rc;
	unsigned long done = 0, mismatches = 0, rejects = 0, complexity = 0, kerr = 0, deverr = 0, folderr = 0,
		      shown = 0;
	uint64_t slots_total = 0, insns_total = 0, generated = 0;
	struct hermes_dev *dev;
	unsigned classes, class_set = 0;
	long ctx_len;
	unsigned long opaque_done = 0;

	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed0 = (uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec;
	}
	while ((opt = getopt(argc, argv, "c:d:n:s:i:t:vh")) != -1) {
		switch (opt) {
		case 'c': class_set = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'd': devname = optarg; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': seed0 = strtoull(optarg, NULL, 0); break;
		case 'i': maxinsns = strtoul(optarg, NULL, 0); break;
		case 't': tmax = strtod(optarg, NULL); break;
		case 'v': verbose = 1; break;
		default: usage(); return 2;
		}
	}
	if (maxinsns < 1 || maxinsns > 1000) {
		usage();
		return 2;
	}
	rc = probe_kernel();
	if (rc)
		return rc;
	classes = HERMES_GEN_KERNEL_SAFE;
	if (probe_calls())
		classes |= HERMES_GEN_CALL;
	ctx_len = probe_ctx_len();
	if (class_set)
		classes = class_set;
	if (hermes_dev_open(devname, &dev)) {
		printf("FAIL: cannot open device '%s': %s\n", devname, hermes_dev_errmsg(NULL));
		return 1;
	}
	printf("kernel_diff: device %s, %lu programs, first seed 0x%" PRIx64 " (rerun: kernel_diff -s 0x%" PRIx64 "), classes 0x%x\n",
	       devname, count, seed0, seed0, classes);

	t0 = now();
	for (unsigned long i = 0; i < count; i++) {
		uint64_t seed = seed0 + i;
		struct hermes_rng r;
		struct hermes_gen_opts o = { .sz = sizeof(o) };
		struct hermes_run_result rp, rf;
		uint8_t in_word[4];
		int opaque;
		size_t nf, np;
		uint32_t kret = 0, want;
		int fd, err;

		if (now() - t0 > tmax) {
			printf("note: time limit of %.0f s reached after %lu programs\n", tmax, done);
			break;
		}
		/* Program shape from the seed too: size, classes, stack window. */
		hermes_rng_seed(&r, ~seed);
		o.insns = 1 + (unsigned)(hermes_rng_next(&r) % maxinsns);
		o.classes = classes;
		if (hermes_rng_next(&r) % 4 == 0) {
			o.classes &= (unsigned)hermes_rng_next(&r);
			if (!o.classes)
				o.classes = classes;
		}
		o.stack_bytes = 8 * (1 + (unsigned)(hermes_rng_next(&r) % 16));
		/* Half the programs start from the opaque word (see probe_ctx_len). */
		opaque = ctx_len >= 0 && hermes_rng_next(&r) % 2;
		in_word[0] = (uint8_t)ctx_len;
		in_word[1] = (uint8_t)(ctx_len >> 8);
		in_word[2] = (uint8_t)(ctx_len >> 16);
		in_word[3] = (uint8_t)(ctx_len >> 24);
		o.flags = opaque ? HERMES_GEN_OPAQUE : 0;
		err = hermes_gen_program(&o, seed, pp, MAX_SLOTS, &np);
		o.flags |= HERMES_GEN_FOLD32;
		if (!err)
			err = hermes_gen_program(&o, seed, pf, MAX_SLOTS, &nf);
		if (err) {
			printf("FAIL seed 0x%" PRIx64 ": hermes_gen_program: %s\n", seed, strerror(-err));
			deverr++;
			continue;
		}
		slots_total += nf;
		generated++;

		/* 1, 2: the device, and the fold. */
		if (run_dev(dev, pp, np, in_word, opaque ? 4 : 0, &rp, "plain", seed) ||
		    run_dev(dev, pf, nf, in_word, opaque ? 4 : 0, &rf, "folded", seed)) {
			deverr++;
			if (shown++ < SHOW_MAX)
				dump_prog(pf, nf);
			continue;
		}
		insns_total += rf.insns;
		want = (uint32_t)rf.r0;
		if ((uint32_t)(rp.r0 ^ (rp.r0 >> 32)) != want) {
			printf("FAIL seed 0x%" PRIx64 ": fold mismatch: plain r0 0x%016" PRIx64 " folds to 0x%08x, folded program r0 0x%016" PRIx64 "\n",
			       seed, rp.r0, (uint32_t)(rp.r0 ^ (rp.r0 >> 32)), rf.r0);
			folderr++;
			continue;
		}

		/* 3: the verifier. */
		fd = kload(pf, nf, 0);
		if (fd < 0 && errno == E2BIG) {
			/*
			 * "BPF program is too large. Processed 1000001 insn": the
			 * verifier walks every path whose branch it cannot decide and
			 * gave up. The program is valid; it is just not compared.
			 */
			complexity++;
			if (verbose)
				printf("complexity limit: seed 0x%" PRIx64 " (%zu slots)\n", seed, nf);
			continue;
		}
		if (fd < 0) {
			int e = errno;

			rejects++;
			if (shown++ < SHOW_MAX) {
				fd = kload(pf, nf, 1);
				printf("REJECT seed 0x%" PRIx64 " (%zu slots): %s: %s\n", seed, nf, strerror(e),
				       log_reason());
				dump_prog(pf, nf);
				if (fd >= 0)
					close(fd);
			}
			continue;
		}
		/* 4: the kernel's answer. */
		err = krun(fd, &kret);
		close(fd);
		if (err) {
			kerr++;
			printf("FAIL seed 0x%" PRIx64 ": BPF_PROG_TEST_RUN: %s\n", seed, strerror(-err));
			continue;
		}
		done++;
		opaque_done += opaque;
		if (kret != want) {
			mismatches++;
			printf("MISMATCH seed 0x%" PRIx64 " (%zu slots, %" PRIu64 " insns): kernel 0x%08x, %s 0x%08x (r0 0x%016" PRIx64 ")\n",
			       seed, nf, rf.insns, kret, devname, want, rf.r0);
			if (shown++ < SHOW_MAX)
				dump_prog(pf, nf);
		} else if (verbose) {
			printf("ok seed 0x%" PRIx64 ": 0x%08x (%zu slots, %" PRIu64 " insns)\n", seed, want, nf,
			       rf.insns);
		}
	}
	hermes_dev_close(dev);

	double dt = now() - t0;
	printf("kernel_diff: %lu programs compared with the kernel in %.1f s (%.0f slots, %.0f retired insns on average)\n",
	       done, dt, generated ? (double)slots_total / (double)generated : 0.0,
	       generated ? (double)insns_total / (double)generated : 0.0);
	printf("kernel_diff: %lu of them started from the opaque ctx->len word (%ld)\n", opaque_done,
	       ctx_len);
	printf("kernel_diff: %lu mismatches, %lu verifier rejections, %lu kernel run errors, %lu device errors, %lu fold errors\n",
	       mismatches, rejects, kerr, deverr, folderr);
	printf("kernel_diff: %lu programs not compared: the verifier hit its 1M-instruction complexity limit (path explosion, E2BIG)\n",
	       complexity);
	if (mismatches || rejects || kerr || deverr || folderr)
		return 1;
	/* A few complexity-limit programs are expected with big bodies; many mean a generator change. */
	if (done < count - count / 100) {
		printf("FAIL: only %lu of %lu programs compared\n", done, count);
		return 1;
	}
	return 0;
}
