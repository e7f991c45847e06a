/* SPDX-License-Identifier: MIT */
/*
 * cmd_batch.c - hermes batch PROG --jobs N [--out-dir DIR] FILES...|DIR
 * (also `hermes run PROG --jobs N ...`): one program over many input
 * files, in parallel across the card's engines through a hermes_queue.
 * Each file is one job (its bytes are the data slot, r2 its length); the
 * first --out-len bytes of the slot after the run (default: the input's
 * length) go to DIR/NAME. At most N jobs are in flight; files are read as
 * their jobs are submitted. A summary follows (count, failures, jobs/s,
 * per-engine utilisation); a progress bar is drawn while stderr is a
 * terminal. Exit 0 only when every job succeeded.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

#define CMD "batch"

struct batch_args {
	const char *prog_path, *section, *out_dir;
	unsigned jobs, timeout_ms;
	uint64_t max_insns;
	long long out_len;           /* -1: each input's length */
	uint32_t engine_mask;
	int json, verbose, register_path;
	char **files;
	size_t nfiles;
};

struct batch_job {
	const char *path;
	unsigned char *in, *out;
	size_t in_len, out_len;
	struct hermes_completion c;
	int err;                      /* reading or writing the files */
	int done;
};

struct batch {
	struct batch_args a;
	struct batch_job *jobs;
	struct hermes_info info;
	unsigned failed, completed;
	struct cli_progress bar;
};

static void free_files(struct batch_args *a)
{
	for (size_t i = 0; i < a->nfiles; i++)
		free(a->files[i]);
	free(a->files);
	a->files = NULL;
	a->nfiles = 0;
}

static int add_file(struct batch_args *a, const char *path)
{
	char **n = realloc(a->files, (a->nfiles + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	a->files = n;
	if (!(a->files[a->nfiles] = strdup(path)))
		return -ENOMEM;
	a->nfiles++;
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The regular files of dir, sorted by name (not recursive). */
static int add_dir(struct batch_args *a, const char *dir)
{
	struct dirent *de;
	size_t first = a->nfiles;
	DIR *d = opendir(dir);
	int err = 0;

	if (!d)
		return cli_fail(CMD, "cannot read directory '%s': %s", dir, strerror(errno));
	while (!err && (de = readdir(d))) {
		char path[4096];
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &sb) || !S_ISREG(sb.st_mode))
			continue;
		if (add_file(a, path))
			err = cli_fail(CMD, "out of memory");
	}
	closedir(d);
	if (!err)
		qsort(a->files + first, a->nfiles - first, sizeof(*a->files), cmp_str);
	return err;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int cmp_base(const void *x, const void *y)
{
	return strcmp(base_name(*(char *const *)x), base_name(*(char *const *)y));
}

/* Two inputs with one name would write one output file. */
static int check_names(const struct batch_args *a)
{
	char **sorted = malloc(a->nfiles * sizeof(*sorted));
	int rc = CLI_OK;

	if (!sorted)
		return cli_fail(CMD, "out of memory");
	memcpy(sorted, a->files, a->nfiles * sizeof(*sorted));
	qsort(sorted, a->nfiles, sizeof(*sorted), cmp_base);
	for (size_t i = 1; i < a->nfiles && rc == CLI_OK; i++)
		if (!strcmp(base_name(sorted[i - 1]), base_name(sorted[i])))
			rc = cli_usage(CMD, "inputs '%s' and '%s' would write the same output file", sorted[i - 1],
				       sorted[i]);
	free(sorted);
	return rc;
}

static int parse_args(int argc, char **argv, struct batch_args *a)
{
	static const struct option longopts[] = {
		{ "jobs", required_argument, NULL, 'J' },
		{ "out-dir", required_argument, NULL, 'O' },
		{ "out-len", required_argument, NULL, 'L' },
		{ "section", required_argument, NULL, 's' },
		{ "max-insns", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "engines", required_argument, NULL, 'E' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "register-path", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	struct stat sb;
	int c, rc;

	memset(a, 0, sizeof(*a));
	a->out_len = -1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		const char *opt = argv[optind - 1];

		switch (c) {
		case 'J':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > 65536)
				return cli_usage(CMD, "--jobs needs a number from 1 to 65536, got '%s'", optarg);
			a->jobs = (unsigned)v;
			break;
		case 'O': a->out_dir = optarg; break;
		case 'L':
			if (cli_parse_u64(optarg, &v) || v > UINT32_MAX)
				return cli_usage(CMD, "--out-len needs a byte count, got '%s'", optarg);
			a->out_len = (long long)v;
			break;
		case 's': a->section = optarg; break;
		case 'm':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > UINT32_MAX)
				return cli_usage(CMD, "--max-insns needs a number from 1 to %u, got '%s'", UINT32_MAX,
						 optarg);
			a->max_insns = v;
			break;
		case 't':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > 3600000)
				return cli_usage(CMD, "--timeout needs milliseconds from 1 to 3600000, got '%s'", optarg);
			a->timeout_ms = (unsigned)v;
			break;
		case 'E':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > 0xffff)
				return cli_usage(CMD, "--engines needs a non-zero engine mask, got '%s'", optarg);
			a->engine_mask = (uint32_t)v;
			break;
		case 'j': a->json = 1; break;
		case 'v': a->verbose = 1; break;
		case 'R': a->register_path = 1; break;
		case ':': return cli_usage(CMD, "option '%s' needs a value", opt);
		default: return cli_usage(CMD, "unknown option '%s'", opt);
		}
	}
	if (optind >= argc)
		return cli_usage(CMD, "which program? give an ELF object, a .s or a .bin file");
	if (!a->jobs)
		return cli_usage(CMD, "how many jobs in flight? give --jobs N");
	a->prog_path = argv[optind++];
	if (optind >= argc)
		return cli_usage(CMD, "which inputs? give files or a directory");
	for (; optind < argc; optind++) {
		if (stat(argv[optind], &sb)) {
			rc = cli_fail(CMD, "cannot read '%s': %s", argv[optind], strerror(errno));
			free_files(a);
			return rc;
		}
		rc = S_ISDIR(sb.st_mode) ? add_dir(a, argv[optind])
					 : add_file(a, argv[optind]) ? cli_fail(CMD, "out of memory") : CLI_OK;
		if (rc) {
			free_files(a);
			return rc;
		}
	}
	if (!a->nfiles) {
		free_files(a);
		return cli_fail(CMD, "no input files");
	}
	if (a->out_dir && (rc = check_names(a))) {
		free_files(a);
		return rc;
	}
	return CLI_OK;
}

static int read_file(const char *path, size_t max, unsigned char **bufp, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	if ((size_t)len > max) {
		fclose(f);
		return -E2BIG;
	}
	buf = malloc(len ? (size_t)len : 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*bufp = buf;
	*lenp = (size_t)len;
	return 0;
}

static int write_file(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[4096];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")))
		return -errno;
	if (len && fwrite(buf, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* The bar's note: how many jobs failed so far. */
static void draw_bar(struct batch *b, int final)
{
	char note[32];

	snprintf(note, sizeof(note), "%u failed", b->failed);
	if (final)
		cli_progress_end(&b->bar, b->completed, note, 1);
	else
		cli_progress_update(&b->bar, b->completed, note);
}

/* Say what went wrong with a job (stderr), counting it as failed. */
static void report_failure(struct batch *b, struct batch_job *j, const char *qerr)
{
	const struct hermes_completion *c = &j->c;

	b->failed++;
	cli_progress_clear(&b->bar);
	if (j->err)
		fprintf(stderr, "hermes batch: %s: %s\n", j->path, strerror(-j->err));
	else if (c->res == -ECANCELED)
		fprintf(stderr, "hermes batch: %s: canceled\n", j->path);
	else if (c->res)
		fprintf(stderr, "hermes batch: %s: %s\n", j->path, qerr && *qerr ? qerr : strerror(-c->res));
	else if (c->status == HERMES_ST_EBPF_ERROR)
		fprintf(stderr, "hermes batch: %s: eBPF error: %s at pc %u (address 0x%llx), engine %d\n", j->path,
			hermes_fault_str(c->cause), c->pc, (unsigned long long)c->addr, c->engine);
	else
		fprintf(stderr, "hermes batch: %s: %s\n", j->path, hermes_status_str(c->status));
}

/* A job's completion is in: write its output, count it, free its buffers. */
static void complete(struct batch *b, struct batch_job *j, const char *qerr)
{
	int ok = !j->err && j->c.res == 0 && j->c.status == HERMES_ST_SUCCESS;

	if (ok && b->a.out_dir && (j->err = write_file(b->a.out_dir, base_name(j->path), j->out, j->out_len)))
		ok = 0;
	if (!ok)
		report_failure(b, j, qerr);
	else if (b->a.verbose && !b->a.json)
		printf("%s: r0 0x%llx, %llu insns, engine %d\n", j->path, (unsigned long long)j->c.r0,
		       (unsigned long long)j->c.insns, j->c.engine);
	j->done = 1;
	b->completed++;
	free(j->in);
	free(j->out);
	j->in = j->out = NULL;
	draw_bar(b, 0);
}

/* Read input i and describe its job; 0, or the file error (the job is then complete). */
static int prepare(struct batch *b, size_t i, struct hermes_job *hj, const struct hermes_prog *prog)
{
	struct batch_job *j = &b->jobs[i];
	int err;

	j->path = b->a.files[i];
	err = read_file(j->path, b->info.data_slot_size, &j->in, &j->in_len);
	if (!err) {
		j->out_len = b->a.out_len >= 0 ? (size_t)b->a.out_len : j->in_len;
		if (j->out_len > b->info.data_slot_size)
			err = -E2BIG;
		else if (!(j->out = calloc(1, j->out_len ? j->out_len : 1)))
			err = -ENOMEM;
	}
	if (err) {
		j->err = err;
		return err;
	}
	memset(hj, 0, sizeof(*hj));
	hj->prog = prog;
	hj->in = j->in;
	hj->in_len = j->in_len;
	hj->out = j->out;
	hj->out_len = b->a.out_dir ? j->out_len : 0;
	hj->max_insns = b->a.max_insns;
	hj->user_data = i;
	return 0;
}

static void engine_summary(struct batch *b, const struct hermes_queue_stats *st, FILE *f, int json)
{
	int first = 1;

	for (unsigned e = 0; e < HERMES_QUEUE_MAX_ENGINES; e++) {
		double busy;

		if (!(st->engine_mask & (1u << e)))
			continue;
		/* Simulated card: clocks; else wall time from start to completion seen. */
		busy = st->clocks ? (double)st->eng_busy_clocks[e] / (double)st->clocks
				  : st->wall_ns ? (double)st->eng_busy_ns[e] / (double)st->wall_ns : 0.0;
		if (json)
			fprintf(f, "%s{\"engine\": %u, \"jobs\": %llu, \"utilisation\": %.4f}", first ? "" : ", ", e,
				(unsigned long long)st->eng_jobs[e], busy);
		else
			fprintf(f, "  engine %-2u %8llu jobs  %5.1f%% busy\n", e, (unsigned long long)st->eng_jobs[e],
				100.0 * busy);
		first = 0;
	}
	(void)b;
}

static void summary(struct batch *b, const struct hermes_queue_stats *st, double secs)
{
	double jps = secs > 0 ? b->a.nfiles / secs : 0.0;

	if (b->a.json) {
		printf("{\"files\": %zu, \"failed\": %u, \"seconds\": %.3f, \"jobs_per_s\": %.1f", b->a.nfiles,
		       b->failed, secs, jps);
		if (st->clocks)
			printf(", \"card_clocks\": %llu, \"jobs_per_card_s\": %.1f", (unsigned long long)st->clocks,
			       b->a.nfiles / (st->clocks / 250e6));
		printf(", \"hw_queue_jobs\": %llu", (unsigned long long)st->hw_jobs);
		printf(", \"engines\": [");
		engine_summary(b, st, stdout, 1);
		printf("]}\n");
		return;
	}
	printf("files      %zu\n", b->a.nfiles);
	printf("failed     %u\n", b->failed);
	printf("time       %.3f s, %.1f jobs/s\n", secs, jps);
	if (st->clocks)
		printf("card       %llu clocks, %.1f jobs/s at 250 MHz\n", (unsigned long long)st->clocks,
		       b->a.nfiles / (st->clocks / 250e6));
	if (b->info.caps & HERMES_CAP_HWQUEUE)
		printf("path       %llu jobs through the hardware queue, %llu through the command registers\n",
		       (unsigned long long)st->hw_jobs, (unsigned long long)(st->completed - st->hw_jobs));
	engine_summary(b, st, stdout, 0);
}

/* Devices without engines to share ("ref"): one job after the other. */
static int run_serial(struct batch *b, struct hermes_dev *dev, const struct hermes_prog *prog,
		      struct hermes_queue_stats *st)
{
	struct hermes_run_opts o = { .sz = sizeof(o), .engine = -1, .max_insns = b->a.max_insns,
				     .timeout_ms = b->a.timeout_ms };
	uint64_t t0 = (uint64_t)(cli_now_s() * 1e9);

	memset(st, 0, sizeof(*st));
	st->engine_mask = 1;
	for (size_t i = 0; i < b->a.nfiles; i++) {
		struct batch_job *j = &b->jobs[i];
		struct hermes_run_result r;
		struct hermes_job hj;
		double t = cli_now_s();

		if (prepare(b, i, &hj, prog) == 0) {
			if (hermes_run(dev, prog, j->in, j->in_len, j->out, b->a.out_dir ? j->out_len : 0, &o, &r)) {
				j->c.res = -EIO;
				complete(b, j, hermes_dev_errmsg(dev));
				continue;
			}
			j->c.status = r.status;
			j->c.r0 = r.r0;
			j->c.cause = r.cause;
			j->c.pc = r.pc;
			j->c.addr = r.addr;
			j->c.insns = r.insns;
			j->c.engine = r.engine;
			st->eng_jobs[0]++;
			st->eng_busy_ns[0] += (uint64_t)((cli_now_s() - t) * 1e9);
		}
		complete(b, j, NULL);
	}
	st->wall_ns = (uint64_t)(cli_now_s() * 1e9) - t0;
	return 0;
}

static int run_queue(struct batch *b, struct hermes_queue *q, const struct hermes_prog *prog,
		     struct hermes_queue_stats *st)
{
	struct hermes_completion cs[64];
	size_t next = 0;
	int r;

	while (b->completed < b->a.nfiles) {
		/* Keep the queue full. */
		while (next < b->a.nfiles && hermes_queue_pending(q) < b->a.jobs) {
			struct hermes_job hj;

			if (prepare(b, next, &hj, prog)) {
				complete(b, &b->jobs[next++], NULL);
				continue;
			}
			r = hermes_queue_submit(q, &hj, 1);
			if (r == -EAGAIN)
				break;
			if (r < 0) {
				b->jobs[next].c.res = r;
				complete(b, &b->jobs[next++], hermes_queue_errmsg(q));
				continue;
			}
			next++;
		}
		if (b->completed >= b->a.nfiles)
			break;
		if (hermes_queue_pending(q)) {
			r = hermes_queue_wait(q, 1, -1);
			if (r < 0)
				return cli_fail(CMD, "%s", hermes_queue_errmsg(q));
		}
		while ((r = hermes_queue_reap(q, cs, 64)) > 0) {
			for (int i = 0; i < r; i++) {
				struct batch_job *j = &b->jobs[cs[i].user_data];

				j->c = cs[i];
				complete(b, j, cs[i].res ? hermes_queue_errmsg(q) : NULL);
			}
		}
		if (r < 0)
			return cli_fail(CMD, "%s", hermes_queue_errmsg(q));
	}
	st->sz = sizeof(*st);
	return hermes_queue_get_stats(q, st) ? cli_fail(CMD, "%s", hermes_queue_errmsg(q)) : CLI_OK;
}

int cmd_batch(const struct cli *cli, int argc, char **argv)
{
	struct hermes_prog_opts popts = { .sz = sizeof(popts) };
	struct hermes_queue_opts qo = { .sz = sizeof(qo) };
	struct hermes_queue_stats st = { .sz = sizeof(st) };
	struct hermes_prog *prog = NULL;
	struct hermes_dev *dev = NULL;
	struct hermes_queue *q = NULL;
	struct batch b;
	struct stat sb;
	int rc, err;

	memset(&b, 0, sizeof(b));
	if ((rc = parse_args(argc, argv, &b.a)))
		return rc;
	if (b.a.out_dir && (stat(b.a.out_dir, &sb) || !S_ISDIR(sb.st_mode))) {
		rc = cli_fail(CMD, "output directory '%s' does not exist", b.a.out_dir);
		goto out;
	}
	popts.section = b.a.section;
	if (hermes_prog_load(b.a.prog_path, &popts, &prog)) {
		rc = cli_fail(CMD, "%s", hermes_dev_errmsg(NULL));
		goto out;
	}
	b.jobs = calloc(b.a.nfiles, sizeof(*b.jobs));
	if (!b.jobs) {
		rc = cli_fail(CMD, "out of memory for %zu jobs", b.a.nfiles);
		goto out;
	}
	if ((rc = cli_open(cli, CMD, &dev)))
		goto out;
	if (hermes_dev_info(dev, &b.info)) {
		rc = cli_fail(CMD, "%s", hermes_dev_errmsg(dev));
		goto out;
	}
	qo.depth = b.a.jobs;
	qo.engine_mask = b.a.engine_mask;
	qo.timeout_ms = b.a.timeout_ms;
	if (b.a.register_path)
		qo.flags |= HERMES_QUEUE_REGISTER_PATH;
	err = hermes_queue_create(dev, &qo, &q);
	if (err && err != -ENOTSUP) {
		rc = cli_fail(CMD, "%s", hermes_dev_errmsg(dev));
		goto out;
	}
	if (!b.info.data_slot_size)
		b.info.data_slot_size = HERMES_DEFAULT_DATA_SLOT_SIZE;
	cli_progress_start(&b.bar, (unsigned)b.a.nfiles, "jobs", b.a.json);
	rc = q ? run_queue(&b, q, prog, &st) : run_serial(&b, dev, prog, &st);
	draw_bar(&b, 1);
	if (rc == CLI_OK) {
		summary(&b, &st, cli_now_s() - b.bar.t0);
		rc = b.failed ? CLI_FAIL : CLI_OK;
	}
out:
	hermes_queue_destroy(q);
	hermes_dev_close(dev);
	hermes_prog_free(prog);
	if (b.jobs) {
		for (size_t i = 0; i < b.a.nfiles; i++) {
			free(b.jobs[i].in);
			free(b.jobs[i].out);
		}
		free(b.jobs);
	}
	free_files(&b.a);
	return rc;
}
