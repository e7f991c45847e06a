/* SPDX-License-Identifier: MIT */
/*
 * cmd_map.c - hermes map: bpftool-like map operations on a loaded object.
 * The CLI process owns the object it loads, so one command line loads
 * PROG and then performs its operations in order, runs included:
 *
 *   hermes map PROG [--data FILE] [--section S] [--max-insns N] [--timeout MS] [--json] OP...
 *   OP: run | dump [MAP] | lookup MAP KEY | update MAP KEY VALUE [any|noexist|exist]
 *       | delete MAP KEY | next MAP [KEY]
 *
 * KEY and VALUE are raw bytes in hex, as the dumps print them. Text output
 * is a line (or a table) per operation; --json prints one JSON object per
 * operation, one per line. The first operation that fails ends the
 * command with status 1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_maps.h"
#include "prog.h"

struct map_args {
	const char *prog_path, *data_path, *section;
	struct hermes_run_opts opts;
	int json;
	int first_op; /* argv index of the first operation */
};

static int is_op(const char *s);

/* Options before PROG or between PROG and the first operation. */
static int parse_args(int argc, char **argv, struct map_args *a)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'D' },
		{ "section", required_argument, NULL, 's' },
		{ "max-insns", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int i;

	memset(a, 0, sizeof(*a));
	a->opts.sz = sizeof(a->opts);
	a->opts.engine = -1;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = NULL, *eq;
		size_t n;
		int k, found = -1;

		if (strncmp(arg, "--", 2)) {
			if (!a->prog_path) {
				a->prog_path = arg;
				continue;
			}
			break; /* the first operation */
		}
		eq = strchr(arg, '=');
		n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		for (k = 0; longopts[k].name; k++)
			if (strlen(longopts[k].name) == n && !strncmp(arg + 2, longopts[k].name, n))
				found = k;
		if (found < 0)
			return cli_usage("map", "unknown option '%s'", arg);
		if (longopts[found].has_arg == required_argument) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return cli_usage("map", "option '%s' needs a value", arg);
		} else if (eq) {
			return cli_usage("map", "option '--%s' takes no value", longopts[found].name);
		}
		switch (longopts[found].val) {
		case 'D': a->data_path = val; break;
		case 's': a->section = val; break;
		case 'j': a->json = 1; break;
		case 'm':
			if (cli_parse_u64(val, &v) || v == 0 || v > UINT32_MAX)
				return cli_usage("map", "--max-insns needs a number from 1 to %u, got '%s'", UINT32_MAX, val);
			a->opts.max_insns = v;
			break;
		case 't':
			if (cli_parse_u64(val, &v) || v == 0 || v > 3600000)
				return cli_usage("map", "--timeout needs milliseconds from 1 to 3600000, got '%s'", val);
			a->opts.timeout_ms = (unsigned)v;
			break;
		}
	}
	if (!a->prog_path)
		return cli_usage("map", "which program? give an ELF object (or .s/.bin) and then operations");
	if (i >= argc)
		return cli_usage("map", "no operation: give run, dump [MAP], lookup MAP KEY, update MAP KEY VALUE [FLAG], "
				 "delete MAP KEY or next MAP [KEY]");
	if (!is_op(argv[i]))
		return cli_usage("map", "unknown operation '%s' (run, dump, lookup, update, delete, next)", argv[i]);
	a->first_op = i;
	return CLI_OK;
}

static int is_op(const char *s)
{
	static const char *const ops[] = { "run", "dump", "lookup", "update", "delete", "next" };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(s, ops[i]))
			return 1;
	return 0;
}

struct ctx {
	struct hermes_dev *dev;
	struct hermes_obj *obj;
	const struct map_args *a;
	const unsigned char *data;
	size_t data_len;
	unsigned runs;
};

/* The answers of the map operations (Linux's), in words; other errors carry the device's sentence. */
static int op_fail(const struct ctx *c, const char *what, int err)
{
	switch (err) {
	case -ENOENT: return cli_fail("map", "%s: no such key (-ENOENT)", what);
	case -EEXIST: return cli_fail("map", "%s: the key exists (-EEXIST)", what);
	case -E2BIG: return cli_fail("map", "%s: no room: an index past max_entries, or the hash is full (-E2BIG)", what);
	case -EINVAL: return cli_fail("map", "%s: not possible on this map (-EINVAL: an array's entries cannot be deleted)", what);
	default: return cli_fail("map", "%s: %s: %s", what, strerror(-err), hermes_dev_errmsg(c->dev));
	}
}

/* "OP MAP KEY" for messages. */
static const char *what_str(char *buf, size_t len, const struct ctx *c, const char *op, int map,
			    const unsigned char *key)
{
	struct hermes_map_info mi;
	size_t n;

	hermes_prog_map_info(hermes_obj_prog(c->obj), (unsigned)map, &mi);
	n = (size_t)snprintf(buf, len, "%s %s", op, mi.name);
	for (uint32_t b = 0; key && b < mi.key_size && n + 3 < len; b++)
		n += (size_t)snprintf(buf + n, len - n, "%s%02x", b ? "" : " ", key[b]);
	return buf;
}

/* MAP and KEY arguments: the map index and the key bytes (key NULL: none wanted). */
static int map_key(const struct ctx *c, const char *op, const char *mname, const char *khex, int *map,
		   unsigned char *key)
{
	struct hermes_map_info mi;

	if ((*map = cli_map_find(c->obj, mname)) < 0)
		return cli_usage("map", "%s: the program has no map '%s'", op, mname);
	hermes_prog_map_info(hermes_obj_prog(c->obj), (unsigned)*map, &mi);
	if (khex && cli_hex_parse(khex, key, mi.key_size))
		return cli_usage("map", "%s %s: KEY must be %u bytes in hex (%u digits), got '%s'", op, mname, mi.key_size,
				 2 * mi.key_size, khex);
	return CLI_OK;
}

static void print_kv(const struct ctx *c, const char *op, int map, const unsigned char *key,
		     const unsigned char *value, size_t vlen)
{
	struct hermes_map_info mi;
	int percpu;
	unsigned copies;

	hermes_prog_map_info(hermes_obj_prog(c->obj), (unsigned)map, &mi);
	percpu = mi.type == HERMES_MAP_TYPE_PERCPU_ARRAY;
	copies = (unsigned)(vlen / mi.value_size);
	if (c->a->json) {
		printf("{\"op\": \"%s\", \"map\": ", op);
		cli_json_string(stdout, mi.name);
		printf(", \"key\": \"");
		cli_hex_print(stdout, key, mi.key_size);
		printf("\"");
		if (value) {
			printf(percpu ? ", \"values\": [" : ", \"value\": ");
			for (unsigned e = 0; e < copies; e++) {
				printf("%s\"", e ? ", " : "");
				cli_hex_print(stdout, value + (size_t)e * mi.value_size, mi.value_size);
				printf("\"");
			}
			printf(percpu ? "]" : "");
		}
		printf("}\n");
		return;
	}
	printf("%s %s key ", op, mi.name);
	cli_hex_print(stdout, key, mi.key_size);
	if (value) {
		printf(percpu ? " values" : " value");
		for (unsigned e = 0; e < copies; e++) {
			printf(" ");
			cli_hex_print(stdout, value + (size_t)e * mi.value_size, mi.value_size);
		}
	}
	printf("\n");
}

static int op_run(struct ctx *c)
{
	struct hermes_run_result r;

	if (hermes_obj_run(c->obj, c->data, c->data_len, NULL, 0, &c->a->opts, &r))
		return cli_fail("map", "run: %s", hermes_dev_errmsg(c->dev));
	c->runs++;
	if (c->a->json) {
		printf("{\"op\": \"run\", \"run\": %u, \"status\": %u, \"r0\": %llu, \"insns\": %llu", c->runs, r.status,
		       (unsigned long long)r.r0, (unsigned long long)r.insns);
		if (r.status == HERMES_ST_EBPF_ERROR)
			printf(", \"cause\": %u, \"pc\": %u, \"addr\": %llu", r.cause, r.pc, (unsigned long long)r.addr);
		printf(", \"trace\": [");
		for (unsigned i = 0; i < hermes_obj_trace_count(c->obj); i++) {
			printf("%s", i ? ", " : "");
			cli_json_string(stdout, hermes_obj_trace_line(c->obj, i));
		}
		printf("], \"trace_lost\": %u}\n", hermes_obj_trace_lost(c->obj));
	} else {
		printf("run %u: status %u (%s)", c->runs, r.status, hermes_status_str(r.status));
		if (r.status == HERMES_ST_SUCCESS)
			printf(", r0 0x%llx (%llu)", (unsigned long long)r.r0, (unsigned long long)r.r0);
		if (r.status == HERMES_ST_EBPF_ERROR)
			printf(", fault %u (%s) at pc %u, address 0x%llx", r.cause, hermes_fault_str(r.cause), r.pc,
			       (unsigned long long)r.addr);
		printf(", %llu instructions\n", (unsigned long long)r.insns);
		for (unsigned i = 0; i < hermes_obj_trace_count(c->obj); i++)
			printf("trace %s\n", hermes_obj_trace_line(c->obj, i));
		if (hermes_obj_trace_lost(c->obj))
			printf("trace (%u lines lost)\n", hermes_obj_trace_lost(c->obj));
	}
	return r.status == HERMES_ST_SUCCESS ? CLI_OK
		: cli_fail("map", "run %u did not succeed: %s", c->runs, hermes_status_str(r.status));
}

static int op_dump(struct ctx *c, int map)
{
	unsigned n = hermes_prog_map_count(hermes_obj_prog(c->obj));

	for (unsigned m = map < 0 ? 0 : (unsigned)map; m < (map < 0 ? n : (unsigned)map + 1); m++) {
		struct hermes_map_info mi;
		int err;

		hermes_prog_map_info(hermes_obj_prog(c->obj), m, &mi);
		if (c->a->json) {
			printf("{\"op\": \"dump\", \"map\": ");
			cli_json_string(stdout, mi.name);
			printf(", \"entries\": ");
			err = cli_map_json(stdout, c->obj, m);
			printf("}\n");
		} else {
			err = cli_map_table(stdout, c->obj, m);
		}
		if (err)
			return op_fail(c, "dump", err);
	}
	return CLI_OK;
}

static int parse_flag(const char *s, uint64_t *flags)
{
	if (!strcmp(s, "any"))
		*flags = HERMES_MAP_UPDATE_ANY;
	else if (!strcmp(s, "noexist"))
		*flags = HERMES_MAP_UPDATE_NOEXIST;
	else if (!strcmp(s, "exist"))
		*flags = HERMES_MAP_UPDATE_EXIST;
	else
		return -1;
	return 0;
}

/* Perform the operations in argv[i..argc); CLI_OK or the first failure. */
static int do_ops(struct ctx *c, int argc, char **argv, int i)
{
	unsigned char key[64], next[64];
	char what[256];
	int map, rc;

	while (i < argc) {
		const char *op = argv[i++];

		if (!strcmp(op, "run")) {
			if ((rc = op_run(c)))
				return rc;
		} else if (!strcmp(op, "dump")) {
			map = -1;
			if (i < argc && !is_op(argv[i]) && (map = cli_map_find(c->obj, argv[i])) < 0)
				return cli_usage("map", "dump: the program has no map '%s'", argv[i]);
			if (map >= 0)
				i++;
			if ((rc = op_dump(c, map)))
				return rc;
		} else if (!strcmp(op, "lookup") || !strcmp(op, "delete")) {
			if (argc - i < 2)
				return cli_usage("map", "%s needs MAP KEY", op);
			if ((rc = map_key(c, op, argv[i], argv[i + 1], &map, key)))
				return rc;
			i += 2;
			if (op[0] == 'l') {
				size_t vlen = hermes_map_value_size(c->obj, (unsigned)map);
				unsigned char *value = malloc(vlen);
				int err = value ? hermes_map_lookup(c->obj, (unsigned)map, key, value) : -ENOMEM;

				if (!err)
					print_kv(c, "lookup", map, key, value, vlen);
				free(value);
				if (err)
					return op_fail(c, what_str(what, sizeof(what), c, "lookup", map, key), err);
			} else {
				int err = hermes_map_delete(c->obj, (unsigned)map, key);

				if (err)
					return op_fail(c, what_str(what, sizeof(what), c, "delete", map, key), err);
				print_kv(c, "delete", map, key, NULL, 0);
			}
		} else if (!strcmp(op, "update")) {
			struct hermes_map_info mi;
			uint64_t flags = HERMES_MAP_UPDATE_ANY;
			size_t vlen;
			unsigned char *value;
			int err;

			if (argc - i < 3)
				return cli_usage("map", "update needs MAP KEY VALUE [any|noexist|exist]");
			if ((rc = map_key(c, op, argv[i], argv[i + 1], &map, key)))
				return rc;
			hermes_prog_map_info(hermes_obj_prog(c->obj), (unsigned)map, &mi);
			vlen = hermes_map_value_size(c->obj, (unsigned)map);
			value = malloc(vlen);
			if (!value)
				return cli_fail("map", "out of memory");
			/* a per-engine array takes one value for every engine, or all of them */
			if (cli_hex_parse(argv[i + 2], value, vlen)) {
				if (cli_hex_parse(argv[i + 2], value, mi.value_size)) {
					free(value);
					return cli_usage("map", "update %s: VALUE must be %u bytes in hex (%u digits)%s, got '%s'",
							 mi.name, mi.value_size, 2 * mi.value_size,
							 vlen != mi.value_size ? " or one per engine" : "", argv[i + 2]);
				}
				for (size_t at = mi.value_size; at < vlen; at += mi.value_size)
					memcpy(value + at, value, mi.value_size);
			}
			i += 3;
			if (i < argc && !parse_flag(argv[i], &flags))
				i++;
			err = hermes_map_update(c->obj, (unsigned)map, key, value, flags);
			if (!err)
				print_kv(c, "update", map, key, value, vlen);
			free(value);
			if (err)
				return op_fail(c, what_str(what, sizeof(what), c, "update", map, key), err);
		} else if (!strcmp(op, "next")) {
			const unsigned char *from = NULL;
			struct hermes_map_info mi;
			int err;

			if (argc - i < 1)
				return cli_usage("map", "next needs MAP [KEY]");
			if ((rc = map_key(c, op, argv[i], NULL, &map, NULL)))
				return rc;
			hermes_prog_map_info(hermes_obj_prog(c->obj), (unsigned)map, &mi);
			i++;
			if (i < argc && !is_op(argv[i])) {
				if (cli_hex_parse(argv[i], key, mi.key_size))
					return cli_usage("map", "next %s: KEY must be %u bytes in hex (%u digits), got '%s'",
							 mi.name, mi.key_size, 2 * mi.key_size, argv[i]);
				from = key;
				i++;
			}
			err = hermes_map_next_key(c->obj, (unsigned)map, from, next);
			if (err)
				return op_fail(c, what_str(what, sizeof(what), c, "next", map, from), err);
			print_kv(c, "next", map, next, NULL, 0);
		} else {
			return cli_usage("map", "unknown operation '%s' (run, dump, lookup, update, delete, next)", op);
		}
	}
	return CLI_OK;
}

int cmd_map(const struct cli *cli, int argc, char **argv)
{
	struct hermes_prog_opts popts = { .sz = sizeof(popts) };
	struct hermes_prog *prog = NULL;
	struct ctx c = { 0 };
	unsigned char *data = NULL;
	struct map_args a;
	int rc, err;

	if ((rc = parse_args(argc, argv, &a)))
		return rc;
	popts.section = a.section;
	if (hermes_prog_load(a.prog_path, &popts, &prog))
		return cli_fail("map", "%s", hermes_dev_errmsg(NULL));
	if (a.data_path && (err = hermes__read_file(a.data_path, (char **)&data, &c.data_len))) {
		rc = cli_fail("map", "data file: %s", hermes_dev_errmsg(NULL));
		goto out;
	}
	c.data = data;
	c.a = &a;
	if ((rc = cli_open(cli, "map", &c.dev)))
		goto out;
	if (hermes_obj_load(c.dev, prog, NULL, &c.obj)) {
		rc = cli_fail("map", "%s", hermes_dev_errmsg(c.dev));
		goto out;
	}
	rc = do_ops(&c, argc, argv, a.first_op);
out:
	hermes_obj_unload(c.obj);
	hermes_dev_close(c.dev);
	hermes_prog_free(prog);
	free(data);
	return rc;
}
