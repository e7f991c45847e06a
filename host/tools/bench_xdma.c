/* SPDX-License-Identifier: MIT */
/*
 * bench_xdma.c - hermes bench xdma: the same card in-process ("sim") and
 * through XDMA device nodes, side by side.
 *
 *   hermes [-d xdma:PREFIX | -d sim[:OPTS]] bench xdma [--runs N] [--shim PATH] [--json]
 *
 * The node side is -d (or $HERMES_DEVICE) when that is an xdma: device (an
 * xdma-fuse mount or a real card); otherwise the benchmark starts its own
 * xdma-fuse (--shim, else next to this binary, else from PATH) on a
 * temporary directory and stops it at the end. With -d sim:OPTS the
 * in-process card is opened with OPTS and the server started with
 * --sim OPTS, so both sides run the same card (cost model included).
 *
 * Figures, all wall-clock on this host:
 *   run latency   hermes_run of a two-instruction program with 64 bytes of
 *                 data in and out (slot allocation, two uploads, Run Program,
 *                 download, two releases): mean, median, 99th percentile;
 *   BAR0 read     one 4-byte register read;
 *   DMA           MB/s of single transfers each way, 4 KiB to 4 MiB.
 * The simulated card runs at a few hundred thousand clocks per second, so
 * DMA rates measure the simulation plus the transport, not the RTL (hermes
 * bench dma reports card clocks).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"
#include "dev.h"

#define NSIZES 4
static const size_t dma_sizes[NSIZES] = { 4u << 10, 64u << 10, 1u << 20, 4u << 20 };
#define DMA_ADDR 0x100000u /* data slot 0 */

struct figures {
	double run_mean, run_p50, run_p99; /* microseconds */
	double reg_us;
	double h2c[NSIZES], c2h[NSIZES];   /* MB/s */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int measure(struct hermes_dev *dev, const struct hermes_prog *prog, unsigned runs, uint8_t *buf,
		   struct figures *f, struct cli_progress *bar)
{
	struct hermes_run_result res;
	uint8_t in[64], out[64];
	double *lat, t0, sum = 0;
	uint32_t v;
	unsigned n;
	int err;

	lat = calloc(runs, sizeof(*lat));
	if (!lat)
		return cli_fail("bench xdma", "out of memory");
	memset(in, 0x5a, sizeof(in));
	/* Warm up (opens the events node, first slot allocations). */
	if ((err = hermes_run(dev, prog, in, sizeof(in), out, sizeof(out), NULL, &res))) {
		free(lat);
		return cli_fail("bench xdma", "run on %s: %s", hermes_dev_kind(dev), hermes_dev_errmsg(dev));
	}
	for (unsigned i = 0; i < runs; i++) {
		t0 = cli_now_s();
		err = hermes_run(dev, prog, in, sizeof(in), out, sizeof(out), NULL, &res);
		lat[i] = (cli_now_s() - t0) * 1e6;
		if (err || res.status != HERMES_ST_SUCCESS || res.r0 != 7) {
			free(lat);
			return cli_fail("bench xdma", "run %u on %s: %s", i, hermes_dev_kind(dev),
					err ? hermes_dev_errmsg(dev) : "wrong result");
		}
		sum += lat[i];
		cli_progress_add(bar, 1, hermes_dev_kind(dev));
	}
	qsort(lat, runs, sizeof(*lat), cmp_double);
	f->run_mean = sum / runs;
	f->run_p50 = lat[runs / 2];
	f->run_p99 = lat[(runs * 99) / 100 < runs ? (runs * 99) / 100 : runs - 1];
	free(lat);

	n = 2000;
	t0 = cli_now_s();
	for (unsigned i = 0; i < n; i++)
		if ((err = hermes_dev_read32(dev, HERMES_EHVER, &v)))
			return cli_fail("bench xdma", "BAR0 read: %s", hermes_dev_errmsg(dev));
	f->reg_us = (cli_now_s() - t0) * 1e6 / n;

	for (unsigned s = 0; s < NSIZES; s++) {
		size_t len = dma_sizes[s];
		unsigned reps = len >= (1u << 20) ? 3 : 10;

		for (int c2h = 0; c2h < 2; c2h++) {
			t0 = cli_now_s();
			for (unsigned r = 0; r < reps; r++) {
				err = c2h ? dev->bus->ops->dma_from_card(dev->bus, DMA_ADDR, buf, len)
					  : dev->bus->ops->dma_to_card(dev->bus, DMA_ADDR, buf, len);
				if (err)
					return cli_fail("bench xdma", "%s of %zu bytes on %s: %s", c2h ? "C2H" : "H2C",
							len, hermes_dev_kind(dev), hermes_dev_errmsg(dev));
			}
			(c2h ? f->c2h : f->h2c)[s] = (double)len * reps / (cli_now_s() - t0) / 1e6;
		}
	}
	return CLI_OK;
}

/* xdma-fuse: --shim, else next to this binary, else $PATH. */
static void shim_path(const char *opt, char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n;

	if (opt) {
		snprintf(buf, len, "%s", opt);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(buf, len, "%s/xdma-fuse", self) < (int)len && access(buf, X_OK) == 0)
				return;
		}
	}
	snprintf(buf, len, "xdma-fuse");
}

static int start_shim(const char *shim, const char *sim_opts, char *mnt, size_t len, pid_t *pidp)
{
	char user[PATH_MAX + 16];
	pid_t pid;

	snprintf(mnt, len, "%s/hermes-bench-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(mnt))
		return cli_fail("bench xdma", "mkdtemp: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		return cli_fail("bench xdma", "fork: %s", strerror(errno));
	if (pid == 0) {
		/* --sim OPTS only when given: a NULL in its place ends the list. */
		char *args[] = { (char *)shim, mnt, "-f", sim_opts ? "--sim" : NULL, (char *)sim_opts, NULL };
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, 1);
		execvp(shim, args);
		fprintf(stderr, "hermes bench xdma: cannot run %s: %s\n", shim, strerror(errno));
		_exit(127);
	}
	snprintf(user, sizeof(user), "%s/xdma0_user", mnt);
	for (unsigned i = 0; i < 400; i++) {
		int ws;

		if (access(user, F_OK) == 0) {
			*pidp = pid;
			return CLI_OK;
		}
		if (waitpid(pid, &ws, WNOHANG) == pid) {
			rmdir(mnt);
			return cli_fail("bench xdma", "%s %s -f exited (status %d) without mounting", shim, mnt,
					WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
		}
		usleep(50000);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	rmdir(mnt);
	return cli_fail("bench xdma", "%s did not mount %s within 20 s", shim, mnt);
}

static void stop_shim(pid_t pid, const char *mnt)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	rmdir(mnt);
}

static void print_json(const char *name, const char *uri, struct hermes_dev *dev, const struct figures *f)
{
	printf("\"%s\": {\"device\": ", name);
	cli_json_string(stdout, uri);
	printf(", ");
	cli_json_cost_model(stdout, dev);
	printf(", \"run_us_mean\": %.1f, \"run_us_p50\": %.1f, \"run_us_p99\": %.1f, \"bar0_read_us\": %.2f, "
	       "\"dma\": [", f->run_mean, f->run_p50, f->run_p99, f->reg_us);
	for (unsigned s = 0; s < NSIZES; s++)
		printf("%s{\"bytes\": %zu, \"h2c_mb_per_s\": %.2f, \"c2h_mb_per_s\": %.2f}", s ? ", " : "",
		       dma_sizes[s], f->h2c[s], f->c2h[s]);
	printf("]}");
}

static void print_row(const char *what, double a, double b, const char *fmt)
{
	printf("%-22s ", what);
	printf(fmt, a);
	printf(" ");
	printf(fmt, b);
	printf("   x%.2f\n", a > 0 ? b / a : 0.0);
}

int bench_xdma(const struct cli *cli, int argc, char **argv)
{
	const char *dev = cli->device ? cli->device : getenv("HERMES_DEVICE");
	const char *node_uri = NULL, *sim_uri = "sim", *sim_opts = NULL;
	const char *shim_opt = NULL;
	static const uint8_t code[] = {
		0xb7, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, /* mov r0, 7 */
		0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* exit */
	};
	struct hermes_dev *sim = NULL, *node = NULL;
	struct hermes_prog *prog = NULL;
	struct figures fs = { 0 }, fx = { 0 };
	struct cli_progress bar;
	char shim[PATH_MAX], mnt[PATH_MAX], uri[PATH_MAX + 16];
	unsigned long long runs = 200;
	pid_t pid = 0;
	uint8_t *buf = NULL;
	int json = 0, ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			if (cli_parse_u64(argv[++i], &runs) || runs < 1 || runs > 1000000)
				return cli_usage("bench xdma", "--runs needs a number from 1 to 1000000");
		} else if (!strcmp(argv[i], "--shim") && i + 1 < argc) {
			shim_opt = argv[++i];
		} else {
			return cli_usage("bench xdma", "unknown argument '%s' (usage: hermes [-d xdma:PREFIX|sim[:OPTS]] bench xdma "
					 "[--runs N] [--shim PATH] [--json])", argv[i]);
		}
	}
	if (dev && !*dev)
		dev = NULL; /* empty: unset, as hermes_dev_open() takes it */
	if (dev && !strncmp(dev, "xdma:", 5)) {
		node_uri = dev;
	} else if (dev && (!strcmp(dev, "sim") || !strncmp(dev, "sim:", 4))) {
		sim_uri = dev; /* both sides: this card, the node side our own xdma-fuse */
		sim_opts = dev[3] == ':' && dev[4] ? dev + 4 : NULL;
	} else if (dev) {
		return cli_usage("bench xdma", "device '%s': needs xdma:PREFIX (the node side) or sim[:OPTS] "
				 "(the in-process side, OPTS also given to xdma-fuse --sim)", dev);
	}
	if (!node_uri) {
		shim_path(shim_opt, shim, sizeof(shim));
		if ((ret = start_shim(shim, sim_opts, mnt, sizeof(mnt), &pid)))
			return ret;
		snprintf(uri, sizeof(uri), "xdma:%s/xdma0", mnt);
		node_uri = uri;
	}
	ret = CLI_FAIL;
	buf = aligned_alloc(64, 4u << 20);
	if (!buf) {
		cli_fail("bench xdma", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < (4u << 20); i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	if (hermes_prog_from_bytecode(code, sizeof(code), &prog)) {
		cli_fail("bench xdma", "%s", hermes_dev_errmsg(NULL));
		goto out;
	}
	if (hermes_dev_open(sim_uri, &sim)) {
		cli_fail("bench xdma", "cannot open %s: %s", sim_uri, hermes_dev_errmsg(NULL));
		goto out;
	}
	if (hermes_dev_open(node_uri, &node)) {
		cli_fail("bench xdma", "cannot open %s: %s", node_uri, hermes_dev_errmsg(NULL));
		goto out;
	}
	cli_progress_start(&bar, 2 * (unsigned)runs, NULL, json);
	ret = measure(sim, prog, (unsigned)runs, buf, &fs, &bar);
	if (!ret)
		ret = measure(node, prog, (unsigned)runs, buf, &fx, &bar);
	cli_progress_end(&bar, 2 * (unsigned)runs, NULL, 0);
	if (ret)
		goto out;
	if (json) {
		printf("{\"runs\": %llu, ", runs);
		print_json("sim", "sim", sim, &fs);
		printf(", ");
		print_json("xdma", node_uri, node, &fx);
		printf("}\n");
	} else {
		char label[64];

		printf("%llu runs of a 2-instruction program, 64 bytes in and out; wall clock on this host\n", runs);
		printf("%-22s %12s %12s   %s\n", "", "sim", "xdma", "xdma/sim");
		printf("%-22s %12s %12s\n", "", "(in-process)", pid ? "(xdma-fuse)" : "(nodes)");
		print_row("run latency mean, us", fs.run_mean, fx.run_mean, "%12.1f");
		print_row("run latency p50, us", fs.run_p50, fx.run_p50, "%12.1f");
		print_row("run latency p99, us", fs.run_p99, fx.run_p99, "%12.1f");
		print_row("BAR0 read, us", fs.reg_us, fx.reg_us, "%12.2f");
		for (unsigned s = 0; s < NSIZES; s++) {
			snprintf(label, sizeof(label), "H2C %zu KiB, MB/s", dma_sizes[s] >> 10);
			print_row(label, fs.h2c[s], fx.h2c[s], "%12.2f");
			snprintf(label, sizeof(label), "C2H %zu KiB, MB/s", dma_sizes[s] >> 10);
			print_row(label, fs.c2h[s], fx.c2h[s], "%12.2f");
		}
		printf("node side: %s\n", node_uri);
	}
	ret = CLI_OK;
out:
	hermes_dev_close(node);
	hermes_dev_close(sim);
	hermes_prog_free(prog);
	free(buf);
	if (pid)
		stop_shim(pid, mnt);
	return ret;
}
