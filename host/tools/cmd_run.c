/* SPDX-License-Identifier: MIT */
/*
 * cmd_run.c - hermes run: load a program, run it once, print the result.
 *
 * Programs with maps, or calling trace_printk, or --repeat/--dump-maps,
 * run as a loaded object (hermes_obj_*): the maps persist over the
 * --repeat runs, the trace lines of every run are printed, --dump-maps
 * prints the maps after the last run (cli_maps.c).
 *
 * Debugging (docs/DEBUGGING.md): --itrace prints every retired instruction
 * (itrace.h) as it retires, a fault is explained by a report (fault_report.h)
 * after the result, and --trace FILE [--trace-window A:B] has the
 * simulated card write a waveform (the sim device's trace= option).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_maps.h"
#include "prog.h"
#include "fault_report.h"
#include "itrace.h"

struct run_args {
	const char *prog_path;
	const char *data_path;
	const char *out_path;
	const char *section;
	const char *trace_path;    /* --trace FILE */
	const char *trace_window;  /* --trace-window A:B */
	struct hermes_run_opts opts;
	int json;
	int itrace;                /* --itrace */
	unsigned itrace_flags;     /* --itrace=noclock: HERMES_ITRACE_NOCLOCK */
	unsigned long long repeat; /* --repeat N (0: not given) */
	int dump_maps;             /* --dump-maps */
};

/* trace_printk lines of the runs of a loaded object, in order. */
struct trace_acc {
	char **lines;
	unsigned *run;
	unsigned n, lost;
};

static int trace_add(struct trace_acc *t, struct hermes_obj *obj, unsigned run)
{
	unsigned k = hermes_obj_trace_count(obj);
	char **nl = realloc(t->lines, (t->n + k + 1) * sizeof(*nl));
	unsigned *nr = realloc(t->run, (t->n + k + 1) * sizeof(*nr));

	if (nl)
		t->lines = nl;
	if (nr)
		t->run = nr;
	if (!nl || !nr)
		return -ENOMEM;
	for (unsigned i = 0; i < k; i++) {
		if (!(t->lines[t->n] = strdup(hermes_obj_trace_line(obj, i))))
			return -ENOMEM;
		t->run[t->n++] = run;
	}
	t->lost += hermes_obj_trace_lost(obj);
	return 0;
}

static void trace_free(struct trace_acc *t)
{
	for (unsigned i = 0; i < t->n; i++)
		free(t->lines[i]);
	free(t->lines);
	free(t->run);
}

/* --itrace: one line per retired instruction, as it retires. */
struct itrace_out {
	const struct hermes_prog *prog;
	unsigned flags;
};

static void print_itrace(void *ctx, const struct hermes_itrace_rec *rec)
{
	const struct itrace_out *o = ctx;
	char line[HERMES_ITRACE_LINE];

	hermes_itrace_line(rec, o->prog, o->flags, line, sizeof(line));
	puts(line);
}

static int write_all(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (!f)
		return -errno;
	if (fwrite(buf, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

static void print_result(const struct run_args *a, const struct hermes_run_result *r,
			 const char *report, struct hermes_obj *obj, const struct trace_acc *tr, unsigned runs)
{
	if (a->json) {
		printf("{\"status\": %u, \"status_name\": ", r->status);
		cli_json_string(stdout, hermes_status_str(r->status));
		printf(", \"r0\": %llu, \"r0_hex\": \"0x%llx\", \"insns\": %llu, \"cycles\": %llu, \"engine\": %d",
		       (unsigned long long)r->r0, (unsigned long long)r->r0,
		       (unsigned long long)r->insns, (unsigned long long)r->cycles, r->engine);
		if (r->status == HERMES_ST_EBPF_ERROR) {
			printf(", \"cause\": %u, \"cause_name\": ", r->cause);
			cli_json_string(stdout, hermes_fault_str(r->cause));
			printf(", \"pc\": %u, \"addr\": %llu, \"addr_hex\": \"0x%llx\"", r->pc,
			       (unsigned long long)r->addr, (unsigned long long)r->addr);
			if (report)
				printf(", \"fault\": %s", report);
		}
		if (obj) {
			printf(", \"runs\": %u, \"trace\": [", runs);
			for (unsigned i = 0; i < tr->n; i++) {
				printf("%s", i ? ", " : "");
				cli_json_string(stdout, tr->lines[i]);
			}
			printf("], \"trace_lost\": %u", tr->lost);
			if (a->dump_maps) {
				printf(", ");
				cli_maps_json(stdout, obj); /* after the runs: only out of memory fails */
			}
		}
		printf("}\n");
		return;
	}
	printf("status  %u (%s)\n", r->status, hermes_status_str(r->status));
	if (r->status == HERMES_ST_SUCCESS)
		printf("r0      0x%llx (%llu)\n", (unsigned long long)r->r0, (unsigned long long)r->r0);
	if (r->status == HERMES_ST_EBPF_ERROR) {
		printf("cause   %u (%s)\n", r->cause, hermes_fault_str(r->cause));
		printf("pc      %u\n", r->pc);
		printf("addr    0x%llx\n", (unsigned long long)r->addr);
	}
	printf("insns   %llu\n", (unsigned long long)r->insns);
	/* --itrace=noclock: nothing that differs between sim and ref. */
	if (!(a->itrace_flags & HERMES_ITRACE_NOCLOCK))
		printf("cycles  %llu\n", (unsigned long long)r->cycles);
	printf("engine  %d\n", r->engine);
	if (obj && a->repeat)
		printf("runs    %u\n", runs);
	for (unsigned i = 0; obj && i < tr->n; i++) {
		if (a->repeat > 1)
			printf("trace   run %u: %s\n", tr->run[i], tr->lines[i]);
		else
			printf("trace   %s\n", tr->lines[i]);
	}
	if (obj && tr->lost)
		printf("trace   (%u lines lost: an engine keeps %u trace_printk records per run)\n", tr->lost, 31u);
	if (report)
		printf("\n%s", report);
	if (obj && a->dump_maps) {
		printf("\n");
		if (cli_maps_table(stdout, obj))
			printf("(out of memory reading the maps)\n");
	}
}

static int parse_args(int argc, char **argv, struct run_args *a)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'D' },
		{ "out", required_argument, NULL, 'o' },
		{ "section", required_argument, NULL, 's' },
		{ "engine", required_argument, NULL, 'e' },
		{ "max-insns", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "trace", required_argument, NULL, 'T' },
		{ "trace-window", required_argument, NULL, 'W' },
		{ "itrace", optional_argument, NULL, 'I' },
		{ "repeat", required_argument, NULL, 'R' },
		{ "dump-maps", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t w0, w1;
	unsigned long long v;
	int c;

	memset(a, 0, sizeof(*a));
	a->opts.sz = sizeof(a->opts);
	a->opts.engine = -1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		const char *opt = argv[optind - 1];

		switch (c) {
		case 'D': a->data_path = optarg; break;
		case 'o': a->out_path = optarg; break;
		case 's': a->section = optarg; break;
		case 'j': a->json = 1; break;
		case 'e':
			if (cli_parse_u64(optarg, &v) || v > 255)
				return cli_usage("run", "--engine needs an engine number, got '%s'", optarg);
			a->opts.engine = (int)v;
			break;
		case 'm':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > UINT32_MAX)
				return cli_usage("run", "--max-insns needs a number from 1 to %u, got '%s'",
						 UINT32_MAX, optarg);
			a->opts.max_insns = v;
			break;
		case 't':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > 3600000)
				return cli_usage("run", "--timeout needs milliseconds from 1 to 3600000, got '%s'",
						 optarg);
			a->opts.timeout_ms = (unsigned)v;
			break;
		case 'T':
			if (!*optarg || strchr(optarg, ','))
				return cli_usage("run", "--trace needs a file name without ',', got '%s'", optarg);
			a->trace_path = optarg;
			break;
		case 'W':
			if (hermes_trace_window_parse(optarg, &w0, &w1))
				return cli_usage("run", "--trace-window needs START:END in clocks (START < END; "
						 "START: or :END), got '%s'", optarg);
			a->trace_window = optarg;
			break;
		case 'I':
			a->itrace = 1;
			if (optarg && !strcmp(optarg, "noclock"))
				a->itrace_flags |= HERMES_ITRACE_NOCLOCK;
			else if (optarg)
				return cli_usage("run", "--itrace takes no value or 'noclock', got '%s'", optarg);
			break;
		case 'R':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > 100000000)
				return cli_usage("run", "--repeat needs a number of runs from 1 to 100000000, got '%s'", optarg);
			a->repeat = v;
			break;
		case 'M': a->dump_maps = 1; break;
		case ':':
			return cli_usage("run", "option '%s' needs a value", opt);
		default:
			return cli_usage("run", "unknown option '%s'", opt);
		}
	}
	if (optind >= argc)
		return cli_usage("run", "which program? give an ELF object, a .s or a .bin file");
	a->prog_path = argv[optind++];
	if (optind < argc)
		return cli_usage("run", "unexpected argument '%s'", argv[optind]);
	if (a->itrace && a->json)
		return cli_usage("run", "--itrace prints text lines; it cannot be combined with --json");
	if (a->itrace && (a->repeat || a->dump_maps))
		return cli_usage("run", "--itrace follows one run of a program without maps; not with --repeat or --dump-maps");
	if (a->trace_window && !a->trace_path && !(getenv("HERMES_TRACE") && *getenv("HERMES_TRACE")))
		return cli_usage("run", "--trace-window needs --trace FILE (or $HERMES_TRACE)");
	return CLI_OK;
}

/*
 * --trace: the simulated card with the trace options added to its device
 * string, e.g. "sim:host_latency=40" -> "sim:host_latency=40,trace=F".
 */
static int open_traced(const struct cli *cli, const struct run_args *a, struct hermes_dev **devp)
{
	const char *dev = cli->device && *cli->device ? cli->device : getenv("HERMES_DEVICE");
	const char *path = a->trace_path ? a->trace_path : getenv("HERMES_TRACE");
	char *uri = NULL;
	int err;

	if (!dev || !*dev)
		dev = "sim";
	if (strncmp(dev, "sim", 3) || (dev[3] != '\0' && dev[3] != ':'))
		return cli_usage("run", "--trace and --trace-window need the simulated card (-d sim), not '%s'",
				 dev);
	if (asprintf(&uri, "sim:%s%strace=%s%s%s", dev[3] ? dev + 4 : "", dev[3] && dev[4] ? "," : "",
		     path, a->trace_window ? ",trace_window=" : "", a->trace_window ? a->trace_window : "") < 0)
		return cli_fail("run", "out of memory");
	err = hermes_dev_open(uri, devp);
	free(uri);
	if (err)
		return cli_fail("run", "%s", hermes_dev_errmsg(NULL));
	return CLI_OK;
}

/*
 * Run, keeping what a fault report needs: on sim the retire stream is
 * followed during the run (--itrace or not); on ref a faulting run is
 * stepped again (it is deterministic) for its registers, so that runs
 * without a fault keep the VM's fast path.
 */
static int run_prog(struct hermes_dev *dev, const struct run_args *a, const struct hermes_prog *prog,
		    const void *data, size_t data_len, void *out, size_t out_len,
		    struct hermes_run_result *res, struct hermes_itrace_state *st)
{
	struct itrace_out io = { prog, a->itrace_flags };
	struct hermes_run_result again;
	char line[HERMES_ITRACE_LINE];
	int is_ref = !strcmp(hermes_dev_kind(dev), "ref");

	if (a->itrace) {
		hermes_itrace_header(a->itrace_flags, line, sizeof(line));
		puts(line);
		return hermes_itrace_run(dev, prog, data, data_len, out, out_len, &a->opts, res,
					 print_itrace, &io, st);
	}
	if (!is_ref)
		return hermes_itrace_run(dev, prog, data, data_len, out, out_len, &a->opts, res, NULL, NULL, st);
	memset(st, 0, sizeof(*st));
	if (hermes_run(dev, prog, data, data_len, out, out_len, &a->opts, res))
		return -1;
	if (res->status == HERMES_ST_EBPF_ERROR &&
	    hermes_itrace_run(dev, prog, data, data_len, NULL, 0, &a->opts, &again, NULL, NULL, st))
		memset(st, 0, sizeof(*st));
	return 0;
}

/*
 * As a loaded object: a.repeat runs (at least one), the input uploaded for
 * each, stopping at the first that does not succeed; res is the last run's.
 */
static int run_loaded(struct hermes_dev *dev, const struct run_args *a, const struct hermes_prog *prog,
		      const void *data, size_t data_len, void *out, size_t out_len, struct hermes_run_result *res,
		      struct hermes_obj **objp, struct trace_acc *tr, unsigned *runs)
{
	unsigned long long n = a->repeat ? a->repeat : 1;

	if (hermes_obj_load(dev, prog, NULL, objp))
		return -1;
	for (*runs = 0; *runs < n;) {
		if (hermes_obj_run(*objp, data, data_len, out, out_len, &a->opts, res))
			return -1;
		++*runs;
		if (trace_add(tr, *objp, *runs))
			return -1;
		if (res->status != HERMES_ST_SUCCESS)
			break;
	}
	return 0;
}

int cmd_run(const struct cli *cli, int argc, char **argv)
{
	struct hermes_prog_opts popts = { .sz = sizeof(popts) };
	struct hermes_run_result res;
	struct hermes_prog *prog = NULL;
	struct hermes_dev *dev = NULL;
	unsigned char *data = NULL, *out = NULL;
	size_t data_len = 0, out_len = 0;
	struct hermes_itrace_state st;
	struct hermes_info info;
	struct hermes_obj *obj = NULL;
	struct trace_acc tr = { 0 };
	unsigned runs = 0;
	char *report = NULL;
	struct run_args a;
	int rc, err, loaded;

	/* run PROG --jobs N FILES...: many inputs through a queue (cmd_batch.c). */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--jobs") || !strncmp(argv[i], "--jobs=", 7))
			return cmd_batch(cli, argc, argv);
	if ((rc = parse_args(argc, argv, &a)))
		return rc;
	popts.section = a.section;
	if (hermes_prog_load(a.prog_path, &popts, &prog))
		return cli_fail("run", "%s", hermes_dev_errmsg(NULL));
	if (a.data_path && (err = hermes__read_file(a.data_path, (char **)&data, &data_len))) {
		rc = cli_fail("run", "data file: %s", hermes_dev_errmsg(NULL));
		goto out;
	}
	if ((rc = a.trace_path || a.trace_window ? open_traced(cli, &a, &dev) : cli_open(cli, "run", &dev)))
		goto out;
	if (hermes_dev_info(dev, &info)) {
		rc = cli_fail("run", "%s", hermes_dev_errmsg(dev));
		goto out;
	}
	if (a.out_path) {
		out_len = data_len;
		if (!out_len)
			out_len = info.data_slot_size;
		out = calloc(1, out_len);
		if (!out) {
			rc = cli_fail("run", "out of memory for %zu output bytes", out_len);
			goto out;
		}
	}
	loaded = hermes_prog_map_count(prog) || a.repeat || a.dump_maps || cli_prog_traces(prog);
	if (loaded && a.itrace) {
		rc = cli_usage("run", "--itrace follows programs without maps or trace_printk calls (the trace "
			       "would need the object's maps)");
		goto out;
	}
	memset(&st, 0, sizeof(st));
	if (loaded ? run_loaded(dev, &a, prog, data, data_len, out, out_len, &res, &obj, &tr, &runs)
		   : run_prog(dev, &a, prog, data, data_len, out, out_len, &res, &st)) {
		rc = cli_fail("run", "%s", hermes_dev_errmsg(dev));
		goto out;
	}
	if (res.status == HERMES_ST_EBPF_ERROR &&
	    (a.json ? hermes_fault_report_json(prog, &res, &st, &info, &report)
		    : hermes_fault_report_text(prog, &res, &st, &info, a.itrace_flags, &report)))
		report = NULL;
	print_result(&a, &res, report, obj, &tr, runs);
	if (a.out_path && (err = write_all(a.out_path, out, out_len))) {
		rc = cli_fail("run", "cannot write output file '%s': %s", a.out_path, strerror(-err));
		goto out;
	}
	rc = res.status == HERMES_ST_SUCCESS ? CLI_OK : CLI_FAIL;
out:
	hermes_obj_unload(obj);
	trace_free(&tr);
	hermes_dev_close(dev); /* completes the waveform, if any */
	if (dev && a.trace_path && rc != CLI_USAGE && !a.json)
		fprintf(stderr, "hermes run: waveform written to %s (docs/DEBUGGING.md: make wave)\n",
			a.trace_path);
	free(report);
	hermes_prog_free(prog);
	free(data);
	free(out);
	return rc;
}
