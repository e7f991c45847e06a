/* SPDX-License-Identifier: MIT */
/* sim_io.c - the simulated card as XDMA driver I/O, and the sim: options (sim_io.h). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hostmem.h"
#include "sim_io.h"

static const char *resp_str(int resp)
{
	switch (resp) {
	case HERMES_SIM_SLVERR: return "SLVERR (unmapped, read-only or misaligned register)";
	case HERMES_SIM_DECERR: return "DECERR";
	case -ETIMEDOUT: return "no response (bus hung)";
	default: return "unexpected response";
	}
}

int hermes__sim_access(struct hermes_dev *dev, int resp, const char *what, uint32_t off)
{
	if (resp == HERMES_SIM_OKAY)
		return 0;
	return hermes__err(dev, resp == -ETIMEDOUT ? -ETIMEDOUT : -EIO, "%s at 0x%04x: %s", what, off,
			   resp_str(resp));
}

static int io_reg_read(void *ctx, uint32_t off, uint32_t *val)
{
	struct hermes_sim_io *s = ctx;

	return hermes__sim_access(s->dev, hermes_sim_bar2_read(s->sim, off, val), "BAR2 read", off);
}

static int io_reg_write(void *ctx, uint32_t off, uint32_t val)
{
	struct hermes_sim_io *s = ctx;

	return hermes__sim_access(s->dev, hermes_sim_bar2_write(s->sim, off, val, 0xf), "BAR2 write", off);
}

static int io_wait_chan_irq(void *ctx, uint32_t mask, uint64_t max_cycles, uint32_t *pending)
{
	return hermes_sim_wait_irq(((struct hermes_sim_io *)ctx)->sim, 0, mask, max_cycles, NULL, pending);
}

static uint64_t io_now(void *ctx)
{
	return hermes_sim_cycles(((struct hermes_sim_io *)ctx)->sim);
}

void hermes__sim_xdma_io(struct hermes_sim_io *ctx, struct hermes_xdma_io *io)
{
	struct hermes_hostmem *hm = hermes_sim_hostmem(ctx->sim);

	memset(io, 0, sizeof(*io));
	io->ctx = ctx;
	io->reg_read = io_reg_read;
	io->reg_write = io_reg_write;
	io->wait_chan_irq = io_wait_chan_irq;
	io->now = io_now;
	io->mem = hermes_hostmem_data(hm);
	io->mem_bus = hermes_hostmem_cfg(hm)->base;
	io->mem_size = hermes_hostmem_cfg(hm)->size;
}

/* ---- options ------------------------------------------------------------- */

enum opt_kind {
	OPT_UINT, /* unsigned */
	OPT_SIZE, /* size_t */
	OPT_FLAG, /* int, set to value != 0 */
	OPT_TEXT, /* const char *, kept as written */
};

/* One row a key: add a key here and it is accepted by "sim:" and --sim alike.
 * The cost model's keys are hermes_sim_cost_option()'s (sim/hermes_sim.h). */
static const struct sim_option {
	const char *key;
	enum opt_kind kind;
	size_t off; /* in struct hermes_sim_config */
} options[] = {
	{ "host_reads", OPT_UINT, offsetof(struct hermes_sim_config, sim.host_max_reads) },
	{ "desc_bytes", OPT_SIZE, offsetof(struct hermes_sim_config, xdma.max_desc_bytes) },
	{ "dma_poll", OPT_FLAG, offsetof(struct hermes_sim_config, xdma.poll) },
	{ "dma_perf", OPT_FLAG, offsetof(struct hermes_sim_config, xdma.perf) },
	{ "trace", OPT_TEXT, offsetof(struct hermes_sim_config, trace) },
	{ "trace_window", OPT_TEXT, offsetof(struct hermes_sim_config, trace_window) },
};

static const struct sim_option *find_option(const char *key)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (!strcmp(options[i].key, key))
			return &options[i];
	return NULL;
}

static int set_option(struct hermes_dev *dev, const struct sim_option *o, char *val, const char *where,
		      struct hermes_sim_config *cfg)
{
	char *field = (char *)cfg + o->off, *end = NULL;
	unsigned long long v;

	if (o->kind == OPT_TEXT) {
		*(const char **)field = val;
		return 0;
	}
	errno = 0;
	v = *val ? strtoull(val, &end, 0) : 0;
	if (!*val || *end || errno)
		return hermes__err(dev, -EINVAL, "sim option '%s' needs a numeric value (%s)", o->key, where);
	switch (o->kind) {
	case OPT_UINT:
		*(unsigned *)field = (unsigned)v;
		break;
	case OPT_SIZE:
		*(size_t *)field = (size_t)v;
		break;
	case OPT_FLAG:
		*(int *)field = v != 0;
		break;
	default:
		break;
	}
	return 0;
}

int hermes__sim_config_parse(struct hermes_dev *dev, const char *opts, const char *where,
			     struct hermes_sim_config *cfg)
{
	char *tok, *save = NULL;
	int err = 0;

	cfg->trace = cfg->trace_window = NULL;
	cfg->text = strdup(opts ? opts : "");
	if (!cfg->text)
		return hermes__err(dev, -ENOMEM, "out of memory");
	for (tok = strtok_r(cfg->text, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), msg[160];
		const struct sim_option *o;
		int r;

		if (eq)
			*eq = '\0';
		r = hermes_sim_cost_option(&cfg->cost, tok, eq ? eq + 1 : NULL, msg, sizeof(msg));
		if (r < 0)
			err = hermes__err(dev, r, "%s (%s)", msg, where);
		else if (r > 0)
			continue;
		else if (!(o = find_option(tok)))
			err = hermes__err(dev, -EINVAL, "unknown sim option '%s' (%s)", tok, where);
		else if (!eq)
			err = hermes__err(dev, -EINVAL, "sim option '%s' needs a value: %s=... (%s)", tok, tok, where);
		else
			err = set_option(dev, o, eq + 1, where, cfg);
	}
	if (err)
		hermes__sim_config_free(cfg);
	return err;
}

void hermes__sim_config_free(struct hermes_sim_config *cfg)
{
	free(cfg->text);
	cfg->text = NULL;
	cfg->trace = cfg->trace_window = NULL;
}

int hermes_trace_window_parse(const char *s, uint64_t *start, uint64_t *end)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	unsigned long long a = 0, b = 0;
	char *e;

	if (!colon || (colon == s && !colon[1]))
		return -1;
	if (colon != s) {
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		a = strtoull(s, &e, 0);
		if (errno || e != colon)
			return -1;
	}
	if (colon[1]) {
		if (colon[1] < '0' || colon[1] > '9')
			return -1;
		errno = 0;
		b = strtoull(colon + 1, &e, 0);
		if (errno || *e || b <= a)
			return -1;
	}
	*start = a;
	*end = b;
	return 0;
}
