/* SPDX-License-Identifier: MIT */
/*
 * prog_maps.c - the maps of a program: what the ELF loader found, or what
 * the caller gives a raw image (hermes_prog_set_maps), whose map loads
 * (lddw src 1/5: the map; src 2/6: an address in an array's value) are
 * resolved here to engine addresses (docs/MAPS.md "Loading").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"
#include "prog.h"

/* lddw src values of Linux (BPF_PSEUDO_*). */
#define PSEUDO_MAP_FD        1
#define PSEUDO_MAP_VALUE     2
#define PSEUDO_MAP_IDX       5
#define PSEUDO_MAP_IDX_VALUE 6

unsigned hermes_prog_map_count(const struct hermes_prog *prog)
{
	return prog ? prog->nmaps : 0;
}

int hermes_prog_map_info(const struct hermes_prog *prog, unsigned index, struct hermes_map_info *info)
{
	const struct hermes_map_def *d;

	if (!prog || !info)
		return hermes__err(NULL, -EINVAL, "hermes_prog_map_info: prog and info are required");
	if (index >= prog->nmaps)
		return hermes__err(NULL, -ENOENT, "the program has %u maps, there is no map %u", prog->nmaps, index);
	d = &prog->maps[index];
	memset(info, 0, sizeof(*info));
	info->name = d->name;
	info->type = d->type;
	info->key_size = d->key_size;
	info->value_size = d->value_size;
	info->max_entries = d->max_entries;
	info->map_flags = d->map_flags;
	return 0;
}

int hermes_prog_map_index(const struct hermes_prog *prog, const char *name)
{
	if (!prog || !name)
		return hermes__err(NULL, -EINVAL, "hermes_prog_map_index: prog and name are required");
	for (unsigned i = 0; i < prog->nmaps; i++)
		if (!strcmp(prog->maps[i].name, name))
			return (int)i;
	return hermes__err(NULL, -ENOENT, "the program has no map named '%s'", name);
}

static uint32_t get32(const unsigned char *p) { return hermes__le32(p); }

/* Resolve every map lddw of the code against descs; 0 or -EINVAL naming the instruction. */
static int resolve_lddw(const struct hermes_prog *prog, const struct hermes_map_def *defs,
			const struct hermes_map_desc *descs, unsigned n, unsigned char *code, int *value_refs)
{
	size_t slots = prog->code_len / 8;

	for (size_t i = 0; i < slots; i++) {
		unsigned char *p = code + 8 * i;
		unsigned src = p[1] >> 4;
		uint32_t idx, off;
		uint64_t addr;

		if (p[0] != HERMES_OP_LDDW)
			continue;
		if (i + 1 >= slots)
			return hermes__err(NULL, -EINVAL, "lddw at instruction %zu has no second slot", i);
		if (src == 0) {
			i++;
			continue;
		}
		idx = get32(p + 4);
		off = get32(p + 12);
		if (src != PSEUDO_MAP_FD && src != PSEUDO_MAP_IDX && src != PSEUDO_MAP_VALUE &&
		    src != PSEUDO_MAP_IDX_VALUE)
			return hermes__err(NULL, -EINVAL,
					   "lddw at instruction %zu has src %u; Hermes resolves src 1 and 5 (a map) and 2 and 6 (a map value)",
					   i, src);
		if (idx >= n)
			return hermes__err(NULL, -EINVAL, "lddw at instruction %zu names map %u, the program has %u",
					   i, idx, n);
		if (src == PSEUDO_MAP_FD || src == PSEUDO_MAP_IDX) {
			if (off)
				return hermes__err(NULL, -EINVAL,
						   "lddw at instruction %zu loads map '%s' with a second immediate of %u (must be 0)",
						   i, defs[idx].name, off);
			addr = HERMES_MAP_BASE + (uint64_t)HERMES_MAP_DESC_SIZE * idx;
		} else {
			if (defs[idx].type != HERMES_MAP_ARRAY)
				return hermes__err(NULL, -EINVAL,
						   "lddw at instruction %zu takes a value address in map '%s', which is not a BPF_MAP_TYPE_ARRAY",
						   i, defs[idx].name);
			if (off >= (uint64_t)descs[idx].capacity * descs[idx].value_stride)
				return hermes__err(NULL, -EINVAL,
						   "lddw at instruction %zu: offset %u lies outside the values of map '%s'",
						   i, off, defs[idx].name);
			addr = HERMES_MAP_BASE + descs[idx].storage + off;
			*value_refs = 1;
		}
		p[1] &= 0x0f;
		hermes__put_le32(p + 4, (uint32_t)addr);
		hermes__put_le32(p + 12, (uint32_t)(addr >> 32));
		i++;
	}
	return 0;
}

int hermes_prog_set_maps(struct hermes_prog *prog, const struct hermes_map_info *maps, unsigned n)
{
	struct hermes_map_def *defs = NULL;
	struct hermes_map_desc *descs = NULL;
	unsigned char *code = NULL;
	int err, value_refs = 0;

	if (!prog || (n && !maps))
		return hermes__err(NULL, -EINVAL, "hermes_prog_set_maps: prog is required, and maps when n > 0");
	if (prog->nmaps)
		return hermes__err(NULL, -EBUSY, "the program has its maps already (%u)", prog->nmaps);
	if (n > HERMES_MAP_MAX)
		return hermes__err(NULL, -E2BIG, "%u maps, more than the %u of a map slot", n, HERMES_MAP_MAX);
	if (!n)
		return 0;
	defs = calloc(n, sizeof(*defs));
	descs = calloc(n, sizeof(*descs));
	code = malloc(prog->code_len);
	if (!defs || !descs || !code) {
		err = hermes__err(NULL, -ENOMEM, "out of memory for %u maps", n);
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!maps[i].name || !*maps[i].name || strlen(maps[i].name) >= HERMES_MAP_NAME_LEN) {
			err = hermes__err(NULL, -EINVAL, "map %u needs a name of 1 to %u characters", i,
					  HERMES_MAP_NAME_LEN - 1);
			goto out;
		}
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(maps[i].name, maps[j].name)) {
				err = hermes__err(NULL, -EINVAL, "two maps are named '%s'", maps[i].name);
				goto out;
			}
		strcpy(defs[i].name, maps[i].name);
		defs[i].type = maps[i].type;
		defs[i].key_size = maps[i].key_size;
		defs[i].value_size = maps[i].value_size;
		defs[i].max_entries = maps[i].max_entries;
		defs[i].map_flags = maps[i].map_flags;
	}
	if ((err = hermes__map_layout(defs, n, HERMES_DEFAULT_ENGINES, HERMES_DEFAULT_MAP_SLOT_SIZE, descs)))
		goto out;
	memcpy(code, prog->image, prog->code_len);
	if ((err = resolve_lddw(prog, defs, descs, n, code, &value_refs)))
		goto out;
	memcpy(prog->image, code, prog->code_len);
	prog->map_value_refs = value_refs;
	prog->maps = defs;
	prog->nmaps = n;
	defs = NULL;
out:
	free(defs);
	free(descs);
	free(code);
	return err;
}
