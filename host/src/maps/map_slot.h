/* SPDX-License-Identifier: MIT */
/*
 * map_slot.h - the map slot of a loaded object (docs/MAPS.md): its layout,
 * the 64-byte map descriptor, placing maps in it, and the map operations
 * (lookup, update, delete, next key, iteration) over a memory accessor, so
 * that the reference VM (a buffer), the host library (a buffer read from
 * the card under EHMLOCK) and the tests run the one implementation.
 *
 * The maps layer is below isa: it knows nothing of engines or devices.
 */
#ifndef HERMES_MAP_SLOT_H
#define HERMES_MAP_SLOT_H

#include <stddef.h>
#include <stdint.h>

#include "hermes/regs.h" /* HERMES_EHMSOFF..EHMLOCK, HERMES_CAP_MAPS, the default map slot size */

#ifdef __cplusplus
extern "C" {
#endif

/* Helpers (docs/MAPS.md "Helpers"): Linux's ids. */
#define HERMES_HELPER_MAP_LOOKUP  1
#define HERMES_HELPER_MAP_UPDATE  2
#define HERMES_HELPER_MAP_DELETE  3
#define HERMES_HELPER_KTIME       5
#define HERMES_HELPER_TRACE       6
#define HERMES_HELPER_PRANDOM     7
#define HERMES_HELPER_CPU_ID      8
static inline int hermes__helper_supported(int64_t id)
{
	return (id >= 1 && id <= 3) || (id >= 5 && id <= 8);
}

/* Layout (docs/MAPS.md "Map slot layout"). */
#define HERMES_MAP_DESC_SIZE      64u
#define HERMES_MAP_MAX            64u       /* maps per object */
#define HERMES_MAP_TRACE_OFF      0x1000u
#define HERMES_MAP_TRACE_SIZE     0x800u    /* per engine */
#define HERMES_MAP_TRACE_ENGINES  16u
#define HERMES_MAP_TRACE_REC_OFF  64u
#define HERMES_MAP_TRACE_REC_SIZE 64u
#define HERMES_MAP_TRACE_RECORDS  31u
#define HERMES_MAP_STORAGE_OFF    0x9000u

/* Map types (Linux's BPF_MAP_TYPE_* numbers). */
#define HERMES_MAP_HASH         1u
#define HERMES_MAP_ARRAY        2u
#define HERMES_MAP_PERCPU_ARRAY 6u

/* Limits. */
#define HERMES_MAP_KEY_MAX   64u
#define HERMES_MAP_VALUE_MAX 32768u

/* Update flags (Linux's BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK). */
#define HERMES_MAP_ANY     0u
#define HERMES_MAP_NOEXIST 1u
#define HERMES_MAP_EXIST   2u
#define HERMES_MAP_F_LOCK  4u /* no spin locks in Hermes values: -EINVAL */

/* Hash entry flags. */
#define HERMES_MAP_OCCUPIED 1u

/* A map as declared by the program (what the loader reads from BTF). */
#define HERMES_MAP_NAME_LEN 64u
struct hermes_map_def {
	char name[HERMES_MAP_NAME_LEN];
	uint32_t type, key_size, value_size, max_entries, map_flags;
};

/* The descriptor, decoded; desc_off is where it lives (64 x index). */
struct hermes_map_desc {
	uint32_t type, key_size, value_size, max_entries;
	uint32_t storage, value_stride, entry_stride, capacity;
	uint32_t log2_capacity, count, copies, reserved;
	uint32_t desc_off;
};

/* Little-endian field access. */
static inline uint32_t hermes__le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void hermes__put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void hermes__map_desc_encode(const struct hermes_map_desc *d, uint8_t out[HERMES_MAP_DESC_SIZE]);
void hermes__map_desc_decode(const uint8_t in[HERMES_MAP_DESC_SIZE], unsigned index,
			     struct hermes_map_desc *d);

/*
 * Check a map definition against the limits; 0 or -EINVAL/-ENOTSUP with a
 * sentence naming the map in the thread's detail (hermes__err(NULL, ...)).
 */
int hermes__map_def_check(const struct hermes_map_def *def);

/*
 * Place n maps in a map slot of slot_size bytes for a card of `engines`
 * engines: descs[i] gets map i's descriptor, storage packed from
 * HERMES_MAP_STORAGE_OFF on. 0, or a negative errno with a sentence naming
 * the map (too many maps, storage that does not fit, bad definitions).
 */
int hermes__map_layout(const struct hermes_map_def *defs, unsigned n, unsigned engines,
		       uint32_t slot_size, struct hermes_map_desc *descs);

/* Bytes of storage a descriptor's map takes. */
uint64_t hermes__map_storage_bytes(const struct hermes_map_desc *d);

/*
 * Is the descriptor one the rules of docs/MAPS.md produce, its storage
 * inside a slot of slot_size bytes? 1 or 0 (a helper given it faults with
 * cause 9; the host refuses it with -EBADMSG).
 */
int hermes__map_desc_valid(const struct hermes_map_desc *d, uint32_t slot_size);

/* The hash of docs/MAPS.md "Hash" (before the shift to log2_capacity bits). */
uint32_t hermes__map_hash32(const void *key, uint32_t key_size);
/* The home index of key in a table of 2^log2_capacity entries. */
uint32_t hermes__map_home(const void *key, uint32_t key_size, uint32_t log2_capacity);

/*
 * Memory of one map slot: read/write len bytes at offset off (the caller
 * keeps off + len within size). Return 0 or a negative errno.
 */
struct hermes_map_mem {
	int (*read)(void *ctx, uint32_t off, void *buf, uint32_t len);
	int (*write)(void *ctx, uint32_t off, const void *buf, uint32_t len);
	void *ctx;
	uint32_t size;
};

/* An accessor over a host buffer of size bytes (what the VM uses). */
void hermes__map_mem_buf(struct hermes_map_mem *m, void *buf, uint32_t size);

/* Read descriptor index (0..63); 0, -ENOENT when unused, -EBADMSG when not valid. */
int hermes__map_desc_read(const struct hermes_map_mem *m, unsigned index, struct hermes_map_desc *d);

/*
 * The operations, with Linux's answers (docs/MAPS.md "Helpers"). engine
 * selects a PERCPU_ARRAY copy (< copies); keys are key_size bytes, values
 * value_size bytes (I/O errors of the accessor are passed on).
 *
 * lookup: 0 and *value_off (the map-slot offset of the value), -ENOENT.
 * update: 0, -EINVAL (flags), -E2BIG (index, or the hash is full),
 *         -EEXIST, -ENOENT; checked in the helper's order (an ARRAY
 *         tests BPF_F_LOCK after the index and NOEXIST). Host operations
 *         (bpf(2)) refuse flags other than 0-2 before calling this.
 * delete: 0, -EINVAL (arrays), -ENOENT.
 * next_key: the key after key in entry order (key NULL or absent: the
 *         first); 0, -ENOENT after the last.
 * iterate: the first entry at table position >= *pos: 0 with its key
 *         (key_size bytes) and *value_off (copy 0), *pos past it; -ENOENT
 *         when none is left.
 */
int hermes__map_lookup(const struct hermes_map_mem *m, const struct hermes_map_desc *d,
		       const void *key, unsigned engine, uint32_t *value_off);
int hermes__map_update(const struct hermes_map_mem *m, struct hermes_map_desc *d, const void *key,
		       const void *value, uint64_t flags, unsigned engine);
int hermes__map_delete(const struct hermes_map_mem *m, struct hermes_map_desc *d, const void *key);
/* An update's result decided before its key is read (-EINVAL for flags an
 * ARRAY or HASH does not take; 0: go on), and the one decided before its
 * value is read (present: the HASH holds key); hermes__map_update makes
 * both, the VM's helper makes them between its key and value faults. */
int hermes__map_update_flags_check(const struct hermes_map_desc *d, uint64_t flags);
int hermes__map_update_check(const struct hermes_map_desc *d, const void *key, uint64_t flags, int present);
int hermes__map_next_key(const struct hermes_map_mem *m, const struct hermes_map_desc *d,
			 const void *key, void *next_key);
int hermes__map_iterate(const struct hermes_map_mem *m, const struct hermes_map_desc *d,
			uint32_t *pos, void *key, uint32_t *value_off);

/* Map-slot offset of copy `engine` of array element index. */
static inline uint32_t hermes__map_array_value(const struct hermes_map_desc *d, uint32_t index,
					       unsigned engine)
{
	return d->storage + ((uint32_t)engine * d->capacity + index) * d->value_stride;
}

/* The trace buffer of engine e. */
static inline uint32_t hermes__map_trace_off(unsigned engine)
{
	return HERMES_MAP_TRACE_OFF + HERMES_MAP_TRACE_SIZE * engine;
}

#ifdef __cplusplus
}
#endif

#endif
