/* SPDX-License-Identifier: MIT */
/*
 * cli_maps.c - maps as the CLI shows them (docs/ARCHITECTURE.md "CLI"):
 * keys and values are raw bytes in lowercase hex, no 0x; arrays list every
 * index, hashes the keys present; per-engine arrays give a value per engine.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_maps.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cli_hex_parse(const char *s, void *out, size_t len)
{
	unsigned char *o = out;

	if (strlen(s) != 2 * len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		o[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

void cli_hex_print(FILE *f, const void *buf, size_t len)
{
	const unsigned char *b = buf;

	for (size_t i = 0; i < len; i++)
		fprintf(f, "%02x", b[i]);
}

int cli_map_find(const struct hermes_obj *obj, const char *s)
{
	const struct hermes_prog *prog = hermes_obj_prog(obj);
	unsigned long long v;
	int i = hermes_prog_map_index(prog, s);

	if (i >= 0)
		return i;
	if (!cli_parse_u64(s, &v) && v < hermes_prog_map_count(prog))
		return (int)v;
	return -1;
}

const char *cli_map_type_str(uint32_t type)
{
	switch (type) {
	case HERMES_MAP_TYPE_HASH: return "hash";
	case HERMES_MAP_TYPE_ARRAY: return "array";
	case HERMES_MAP_TYPE_PERCPU_ARRAY: return "percpu_array";
	default: return "unknown";
	}
}

struct dump {
	unsigned char *keys, *values;
	int n;
	struct hermes_map_info mi;
	size_t vsize;
	unsigned copies;
};

static int dump_map(struct hermes_obj *obj, unsigned map, struct dump *d)
{
	const struct hermes_prog *prog = hermes_obj_prog(obj);
	int n;

	memset(d, 0, sizeof(*d));
	if (hermes_prog_map_info(prog, map, &d->mi))
		return -EINVAL;
	d->vsize = hermes_map_value_size(obj, map);
	d->copies = (unsigned)(d->vsize / d->mi.value_size);
	d->keys = malloc((size_t)d->mi.max_entries * d->mi.key_size);
	d->values = malloc((size_t)d->mi.max_entries * d->vsize);
	if (!d->keys || !d->values) {
		free(d->keys);
		free(d->values);
		return -ENOMEM;
	}
	n = hermes_map_dump(obj, map, d->keys, d->values, d->mi.max_entries);
	if (n < 0) {
		free(d->keys);
		free(d->values);
		return n;
	}
	d->n = n < (int)d->mi.max_entries ? n : (int)d->mi.max_entries;
	return 0;
}

static void dump_free(struct dump *d)
{
	free(d->keys);
	free(d->values);
}

static void entry_json(FILE *f, const struct dump *d, int i)
{
	const unsigned char *v = d->values + (size_t)i * d->vsize;

	fprintf(f, "{\"key\": \"");
	cli_hex_print(f, d->keys + (size_t)i * d->mi.key_size, d->mi.key_size);
	if (d->mi.type == HERMES_MAP_TYPE_PERCPU_ARRAY) {
		fprintf(f, "\", \"values\": [");
		for (unsigned e = 0; e < d->copies; e++) {
			fprintf(f, "%s\"", e ? ", " : "");
			cli_hex_print(f, v + (size_t)e * d->mi.value_size, d->mi.value_size);
			fprintf(f, "\"");
		}
		fprintf(f, "]}");
	} else {
		fprintf(f, "\", \"value\": \"");
		cli_hex_print(f, v, d->mi.value_size);
		fprintf(f, "\"}");
	}
}

int cli_map_json(FILE *f, struct hermes_obj *obj, unsigned map)
{
	struct dump d;
	int err = dump_map(obj, map, &d);

	if (err)
		return err;
	fprintf(f, "[");
	for (int i = 0; i < d.n; i++) {
		fprintf(f, "%s", i ? ", " : "");
		entry_json(f, &d, i);
	}
	fprintf(f, "]");
	dump_free(&d);
	return 0;
}

int cli_maps_json(FILE *f, struct hermes_obj *obj)
{
	const struct hermes_prog *prog = hermes_obj_prog(obj);
	struct hermes_map_info mi;
	int err;

	fprintf(f, "\"maps\": {");
	for (unsigned m = 0; m < hermes_prog_map_count(prog); m++) {
		hermes_prog_map_info(prog, m, &mi);
		fprintf(f, "%s", m ? ", " : "");
		cli_json_string(f, mi.name);
		fprintf(f, ": ");
		if ((err = cli_map_json(f, obj, m)))
			return err;
	}
	fprintf(f, "}");
	return 0;
}

int cli_map_table(FILE *f, struct hermes_obj *obj, unsigned map)
{
	struct dump d;
	int err = dump_map(obj, map, &d);
	int kw;

	if (err)
		return err;
	fprintf(f, "map %s: %s, key %u bytes, value %u bytes, max_entries %u", d.mi.name, cli_map_type_str(d.mi.type),
		d.mi.key_size, d.mi.value_size, d.mi.max_entries);
	if (d.mi.type == HERMES_MAP_TYPE_HASH)
		fprintf(f, ", %d present", d.n);
	if (d.mi.type == HERMES_MAP_TYPE_PERCPU_ARRAY)
		fprintf(f, ", a value per engine (0 to %u)", d.copies - 1);
	fprintf(f, "\n");
	kw = (int)(2 * d.mi.key_size) < 3 ? 3 : (int)(2 * d.mi.key_size);
	fprintf(f, "  %-*s  %s\n", kw, "key", d.mi.type == HERMES_MAP_TYPE_PERCPU_ARRAY ? "values" : "value");
	for (int i = 0; i < d.n; i++) {
		const unsigned char *v = d.values + (size_t)i * d.vsize;

		fprintf(f, "  ");
		cli_hex_print(f, d.keys + (size_t)i * d.mi.key_size, d.mi.key_size);
		fprintf(f, "%*s  ", kw - (int)(2 * d.mi.key_size), "");
		for (unsigned e = 0; e < d.copies; e++) {
			fprintf(f, "%s", e ? " " : "");
			cli_hex_print(f, v + (size_t)e * d.mi.value_size, d.mi.value_size);
		}
		fprintf(f, "\n");
	}
	dump_free(&d);
	return 0;
}

int cli_maps_table(FILE *f, struct hermes_obj *obj)
{
	int err;

	for (unsigned m = 0; m < hermes_prog_map_count(hermes_obj_prog(obj)); m++)
		if ((err = cli_map_table(f, obj, m)))
			return err;
	return 0;
}

int cli_prog_traces(const struct hermes_prog *prog)
{
	const unsigned char *code = hermes_prog_image(prog);
	size_t n = hermes_prog_code_len(prog) / 8;

	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = code + 8 * i;

		if (p[0] == (HERMES_CLS_JMP | HERMES_JMP_CALL) && (p[1] >> 4) == 0 && p[4] == 6 && !p[5] && !p[6] && !p[7])
			return 1;
		if (p[0] == HERMES_OP_LDDW)
			i++;
	}
	return 0;
}
