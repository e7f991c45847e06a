/* SPDX-License-Identifier: MIT */
/* map_slot.c - map descriptors: encoding, the rules they follow, placing maps in a slot. */
#include <errno.h>
#include <string.h>

#include "handle.h"
#include "map_slot.h"

static uint32_t round8(uint32_t v) { return (v + 7u) & ~7u; }

void hermes__map_desc_encode(const struct hermes_map_desc *d, uint8_t out[HERMES_MAP_DESC_SIZE])
{
	const uint32_t f[12] = { d->type, d->key_size, d->value_size, d->max_entries,
				 d->storage, d->value_stride, d->entry_stride, d->capacity,
				 d->log2_capacity, d->count, d->copies, d->reserved };

	memset(out, 0, HERMES_MAP_DESC_SIZE);
	for (unsigned i = 0; i < 12; i++)
		hermes__put_le32(out + 4 * i, f[i]);
}

void hermes__map_desc_decode(const uint8_t in[HERMES_MAP_DESC_SIZE], unsigned index,
			     struct hermes_map_desc *d)
{
	uint32_t *f[12] = { &d->type, &d->key_size, &d->value_size, &d->max_entries,
			    &d->storage, &d->value_stride, &d->entry_stride, &d->capacity,
			    &d->log2_capacity, &d->count, &d->copies, &d->reserved };

	for (unsigned i = 0; i < 12; i++)
		*f[i] = hermes__le32(in + 4 * i);
	d->desc_off = HERMES_MAP_DESC_SIZE * index;
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case HERMES_MAP_HASH: return "BPF_MAP_TYPE_HASH";
	case HERMES_MAP_ARRAY: return "BPF_MAP_TYPE_ARRAY";
	case HERMES_MAP_PERCPU_ARRAY: return "BPF_MAP_TYPE_PERCPU_ARRAY";
	case 3: return "BPF_MAP_TYPE_PROG_ARRAY";
	case 4: return "BPF_MAP_TYPE_PERF_EVENT_ARRAY";
	case 5: return "BPF_MAP_TYPE_PERCPU_HASH";
	case 9: return "BPF_MAP_TYPE_LRU_HASH";
	case 10: return "BPF_MAP_TYPE_LRU_PERCPU_HASH";
	case 11: return "BPF_MAP_TYPE_LPM_TRIE";
	case 12: return "BPF_MAP_TYPE_ARRAY_OF_MAPS";
	case 13: return "BPF_MAP_TYPE_HASH_OF_MAPS";
	case 22: return "BPF_MAP_TYPE_QUEUE";
	case 23: return "BPF_MAP_TYPE_STACK";
	case 27: return "BPF_MAP_TYPE_RINGBUF";
	default: return "unknown map type";
	}
}

int hermes__map_def_check(const struct hermes_map_def *def)
{
	const char *n = def->name;

	if (def->type != HERMES_MAP_HASH && def->type != HERMES_MAP_ARRAY &&
	    def->type != HERMES_MAP_PERCPU_ARRAY)
		return hermes__err(NULL, -ENOTSUP,
				   "map '%s' has type %u (%s); Hermes supports BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY",
				   n, def->type, type_name(def->type));
	if (def->type != HERMES_MAP_HASH && def->key_size != 4)
		return hermes__err(NULL, -EINVAL, "map '%s' (%s) has a %u-byte key; array keys are 4-byte indexes",
				   n, type_name(def->type), def->key_size);
	if (def->key_size < 1 || def->key_size > HERMES_MAP_KEY_MAX)
		return hermes__err(NULL, -EINVAL, "map '%s' has a %u-byte key; Hermes supports keys of 1 to %u bytes",
				   n, def->key_size, HERMES_MAP_KEY_MAX);
	if (def->value_size < 1 || def->value_size > HERMES_MAP_VALUE_MAX)
		return hermes__err(NULL, -EINVAL,
				   "map '%s' has a %u-byte value; Hermes supports values of 1 to %u bytes",
				   n, def->value_size, HERMES_MAP_VALUE_MAX);
	if (def->max_entries == 0)
		return hermes__err(NULL, -EINVAL, "map '%s' has max_entries 0", n);
	if (def->map_flags)
		return hermes__err(NULL, -ENOTSUP, "map '%s' has map_flags 0x%x; Hermes supports none",
				   n, def->map_flags);
	return 0;
}

/* Descriptor fields of a map whose storage starts at storage (64-bit sizes: no overflow). */
static void fill_desc(const struct hermes_map_def *def, unsigned engines, uint32_t storage,
		      struct hermes_map_desc *d, uint64_t *bytes)
{
	uint64_t cap = 2, log2 = 1;

	memset(d, 0, sizeof(*d));
	d->type = def->type;
	d->key_size = def->key_size;
	d->value_size = def->value_size;
	d->max_entries = def->max_entries;
	d->storage = storage;
	d->value_stride = round8(def->value_size);
	d->copies = 1;
	if (def->type == HERMES_MAP_HASH) {
		while (cap < 2ull * def->max_entries) {
			cap <<= 1;
			log2++;
		}
		d->entry_stride = 8 + round8(def->key_size) + d->value_stride;
		*bytes = cap * d->entry_stride;
		d->capacity = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
		d->log2_capacity = (uint32_t)log2;
	} else {
		d->entry_stride = d->value_stride;
		d->capacity = def->max_entries;
		if (def->type == HERMES_MAP_PERCPU_ARRAY)
			d->copies = engines;
		*bytes = (uint64_t)d->copies * d->capacity * d->value_stride;
	}
}

int hermes__map_layout(const struct hermes_map_def *defs, unsigned n, unsigned engines,
		       uint32_t slot_size, struct hermes_map_desc *descs)
{
	uint64_t at = HERMES_MAP_STORAGE_OFF, bytes;
	int err;

	if (n > HERMES_MAP_MAX)
		return hermes__err(NULL, -E2BIG, "the object declares %u maps, more than the %u a map slot describes (map '%s' is the %uth)",
				   n, HERMES_MAP_MAX, defs[HERMES_MAP_MAX].name, HERMES_MAP_MAX + 1);
	if (engines < 1 || engines > HERMES_MAP_TRACE_ENGINES)
		return hermes__err(NULL, -EINVAL, "a card of %u engines has no map slot layout", engines);
	for (unsigned i = 0; i < n; i++) {
		if ((err = hermes__map_def_check(&defs[i])))
			return err;
		fill_desc(&defs[i], engines, (uint32_t)(at > UINT32_MAX ? 0 : at), &descs[i], &bytes);
		if (at + bytes > slot_size)
			return hermes__err(NULL, -E2BIG,
					   "map '%s' needs %llu bytes of storage at map-slot offset 0x%llx, past the end of the %u-byte map slot (%u bytes of storage in all, from 0x%x)",
					   defs[i].name, (unsigned long long)bytes, (unsigned long long)at,
					   slot_size, slot_size > HERMES_MAP_STORAGE_OFF ? slot_size - HERMES_MAP_STORAGE_OFF : 0,
					   HERMES_MAP_STORAGE_OFF);
		descs[i].desc_off = HERMES_MAP_DESC_SIZE * i;
		at += bytes; /* a multiple of 8: strides are */
	}
	return 0;
}

uint64_t hermes__map_storage_bytes(const struct hermes_map_desc *d)
{
	if (d->type == HERMES_MAP_HASH)
		return (uint64_t)d->capacity * d->entry_stride;
	return (uint64_t)d->copies * d->capacity * d->value_stride;
}

int hermes__map_desc_valid(const struct hermes_map_desc *d, uint32_t slot_size)
{
	struct hermes_map_def def = { "", d->type, d->key_size, d->value_size, d->max_entries, 0 };
	struct hermes_map_desc want;
	uint64_t bytes;

	if (d->type != HERMES_MAP_HASH && d->type != HERMES_MAP_ARRAY && d->type != HERMES_MAP_PERCPU_ARRAY)
		return 0;
	if (d->key_size < 1 || d->key_size > HERMES_MAP_KEY_MAX || (d->type != HERMES_MAP_HASH && d->key_size != 4) ||
	    d->value_size < 1 || d->value_size > HERMES_MAP_VALUE_MAX || d->max_entries == 0)
		return 0;
	if (d->storage % 8 || d->storage < HERMES_MAP_STORAGE_OFF || d->reserved)
		return 0;
	if (d->type == HERMES_MAP_PERCPU_ARRAY && (d->copies < 1 || d->copies > HERMES_MAP_TRACE_ENGINES))
		return 0;
	fill_desc(&def, d->copies, d->storage, &want, &bytes);
	if (want.value_stride != d->value_stride || want.entry_stride != d->entry_stride ||
	    want.capacity != d->capacity || want.log2_capacity != d->log2_capacity || want.copies != d->copies)
		return 0;
	if (d->type == HERMES_MAP_HASH ? d->count > d->max_entries : d->count != 0)
		return 0;
	return (uint64_t)d->storage + bytes <= slot_size;
}
