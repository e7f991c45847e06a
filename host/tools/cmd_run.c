/* SPDX-License-Identifier: MIT */
/* cmd_run.c - hermes run: load a program, run it once, print the result. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct run_args {
	const char *prog_path;
	const char *data_path;
	const char *out_path;
	const char *section;
	struct hermes_run_opts opts;
	int json;
};

static int read_all(const char *path, unsigned char **bufp, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return -errno;
	do {
		if (len == cap) {
			unsigned char *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*bufp = buf;
	*lenp = len;
	return 0;
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

static void print_result(const struct run_args *a, const struct hermes_run_result *r)
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
	printf("cycles  %llu\n", (unsigned long long)r->cycles);
	printf("engine  %d\n", r->engine);
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
		{ NULL, 0, NULL, 0 },
	};
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
	return CLI_OK;
}

int cmd_run(const struct cli *cli, int argc, char **argv)
{
	struct hermes_prog_opts popts = { .sz = sizeof(popts) };
	struct hermes_run_result res;
	struct hermes_prog *prog = NULL;
	struct hermes_dev *dev = NULL;
	unsigned char *data = NULL, *out = NULL;
	size_t data_len = 0, out_len = 0;
	struct run_args a;
	int rc, err;

	if ((rc = parse_args(argc, argv, &a)))
		return rc;
	popts.section = a.section;
	if (hermes_prog_load(a.prog_path, &popts, &prog))
		return cli_fail("run", "%s", hermes_dev_errmsg(NULL));
	if (a.data_path && (err = read_all(a.data_path, &data, &data_len))) {
		rc = cli_fail("run", "cannot read data file '%s': %s", a.data_path, strerror(-err));
		goto out;
	}
	if ((rc = cli_open(cli, "run", &dev)))
		goto out;
	if (a.out_path) {
		struct hermes_info info;

		out_len = data_len;
		if (!out_len) {
			if (hermes_dev_info(dev, &info)) {
				rc = cli_fail("run", "%s", hermes_dev_errmsg(dev));
				goto out;
			}
			out_len = info.data_slot_size;
		}
		out = calloc(1, out_len);
		if (!out) {
			rc = cli_fail("run", "out of memory for %zu output bytes", out_len);
			goto out;
		}
	}
	if (hermes_run(dev, prog, data, data_len, out, out_len, &a.opts, &res)) {
		rc = cli_fail("run", "%s", hermes_dev_errmsg(dev));
		goto out;
	}
	print_result(&a, &res);
	if (a.out_path && (err = write_all(a.out_path, out, out_len))) {
		rc = cli_fail("run", "cannot write output file '%s': %s", a.out_path, strerror(-err));
		goto out;
	}
	rc = res.status == HERMES_ST_SUCCESS ? CLI_OK : CLI_FAIL;
out:
	hermes_dev_close(dev);
	hermes_prog_free(prog);
	free(data);
	free(out);
	return rc;
}
