/* SPDX-License-Identifier: MIT */
/*
 * map_ops.c - lookup, update, delete, next key and iteration on a map slot
 * (docs/MAPS.md "Hash table"): arrays are indexed, hashes use open
 * addressing with linear probing and backward-shift deletion, no
 * tombstones. Every access goes through the slot's accessor, so the same
 * code serves a buffer in this process and a copy of card memory.
 */
#include <errno.h>
#include <string.h>

#include "map_slot.h"

#define COPY_CHUNK 512u

static uint32_t round8(uint32_t v) { return (v + 7u) & ~7u; }

static int buf_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	memcpy(buf, (const uint8_t *)ctx + off, len);
	return 0;
}

static int buf_write(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	memmove((uint8_t *)ctx + off, buf, len);
	return 0;
}

void hermes__map_mem_buf(struct hermes_map_mem *m, void *buf, uint32_t size)
{
	m->read = buf_read;
	m->write = buf_write;
	m->ctx = buf;
	m->size = size;
}

int hermes__map_desc_read(const struct hermes_map_mem *m, unsigned index, struct hermes_map_desc *d)
{
	uint8_t raw[HERMES_MAP_DESC_SIZE];
	int err;

	if (index >= HERMES_MAP_MAX)
		return -ENOENT;
	if ((err = m->read(m->ctx, HERMES_MAP_DESC_SIZE * index, raw, sizeof(raw))))
		return err;
	hermes__map_desc_decode(raw, index, d);
	if (d->type == 0)
		return -ENOENT;
	return hermes__map_desc_valid(d, m->size) ? 0 : -EBADMSG;
}

static uint32_t entry_off(const struct hermes_map_desc *d, uint32_t i)
{
	return d->storage + i * d->entry_stride;
}

static uint32_t entry_value_off(const struct hermes_map_desc *d, uint32_t i)
{
	return entry_off(d, i) + 8 + round8(d->key_size);
}

/* Flags and home of entry i. */
static int entry_head(const struct hermes_map_mem *m, const struct hermes_map_desc *d, uint32_t i,
		      uint32_t *flags, uint32_t *home)
{
	uint8_t h[8];
	int err = m->read(m->ctx, entry_off(d, i), h, 8);

	*flags = hermes__le32(h);
	*home = hermes__le32(h + 4);
	return err;
}

/*
 * Probe for key: 0 with *pos its entry; -ENOENT with *pos the first
 * unoccupied entry of its probe sequence (UINT32_MAX: none in capacity probes).
 */
static int hash_find(const struct hermes_map_mem *m, const struct hermes_map_desc *d, const void *key,
		     uint32_t *pos)
{
	uint32_t mask = d->capacity - 1, i = hermes__map_home(key, d->key_size, d->log2_capacity);
	uint8_t k[HERMES_MAP_KEY_MAX];
	uint32_t flags, home;
	int err;

	for (uint32_t probe = 0; probe < d->capacity; probe++, i = (i + 1) & mask) {
		if ((err = entry_head(m, d, i, &flags, &home)))
			return err;
		if (!(flags & HERMES_MAP_OCCUPIED)) {
			*pos = i;
			return -ENOENT;
		}
		if ((err = m->read(m->ctx, entry_off(d, i) + 8, k, d->key_size)))
			return err;
		if (!memcmp(k, key, d->key_size)) {
			*pos = i;
			return 0;
		}
	}
	*pos = UINT32_MAX;
	return -ENOENT;
}

static int write_count(const struct hermes_map_mem *m, struct hermes_map_desc *d, uint32_t count)
{
	uint8_t c[4];

	hermes__put_le32(c, count);
	d->count = count;
	return m->write(m->ctx, d->desc_off + 36, c, 4);
}

/* value_size bytes of value, then zeros to value_stride. */
static int write_value(const struct hermes_map_mem *m, const struct hermes_map_desc *d, uint32_t off,
		       const void *value)
{
	static const uint8_t zeros[8];
	int err = m->write(m->ctx, off, value, d->value_size);

	if (!err && d->value_stride > d->value_size)
		err = m->write(m->ctx, off + d->value_size, zeros, d->value_stride - d->value_size);
	return err;
}

static int zero_range(const struct hermes_map_mem *m, uint32_t off, uint32_t len)
{
	static const uint8_t zeros[COPY_CHUNK];
	int err = 0;

	for (uint32_t at = 0; !err && at < len; at += COPY_CHUNK)
		err = m->write(m->ctx, off + at, zeros, len - at < COPY_CHUNK ? len - at : COPY_CHUNK);
	return err;
}

static int copy_range(const struct hermes_map_mem *m, uint32_t to, uint32_t from, uint32_t len)
{
	uint8_t buf[COPY_CHUNK];
	int err = 0;

	for (uint32_t at = 0; !err && at < len; at += COPY_CHUNK) {
		uint32_t n = len - at < COPY_CHUNK ? len - at : COPY_CHUNK;

		err = m->read(m->ctx, from + at, buf, n);
		if (!err)
			err = m->write(m->ctx, to + at, buf, n);
	}
	return err;
}

static int is_array(const struct hermes_map_desc *d)
{
	return d->type == HERMES_MAP_ARRAY || d->type == HERMES_MAP_PERCPU_ARRAY;
}

int hermes__map_lookup(const struct hermes_map_mem *m, const struct hermes_map_desc *d,
		       const void *key, unsigned engine, uint32_t *value_off)
{
	uint32_t pos;
	int err;

	if (is_array(d)) {
		uint32_t idx = hermes__le32(key);

		if (idx >= d->max_entries || (d->type == HERMES_MAP_PERCPU_ARRAY && engine >= d->copies))
			return -ENOENT;
		*value_off = hermes__map_array_value(d, idx, d->type == HERMES_MAP_PERCPU_ARRAY ? engine : 0);
		return 0;
	}
	if ((err = hash_find(m, d, key, &pos)))
		return err;
	*value_off = entry_value_off(d, pos);
	return 0;
}

int hermes__map_update_flags_check(const struct hermes_map_desc *d, uint64_t flags)
{
	/* Linux's order (docs/MAPS.md): arrays let BPF_F_LOCK through to the
	 * index and NOEXIST checks and refuse it after them. */
	return (is_array(d) ? flags & ~(uint64_t)HERMES_MAP_F_LOCK : flags) > HERMES_MAP_EXIST ? -EINVAL : 0;
}

int hermes__map_update_check(const struct hermes_map_desc *d, const void *key, uint64_t flags, int present)
{
	if (is_array(d)) {
		if (hermes__le32(key) >= d->max_entries)
			return -E2BIG;
		if (flags & HERMES_MAP_NOEXIST)
			return -EEXIST;
		return flags & HERMES_MAP_F_LOCK ? -EINVAL : 0; /* no spin locks in Hermes values */
	}
	if (present && flags == HERMES_MAP_NOEXIST)
		return -EEXIST;
	if (!present && flags == HERMES_MAP_EXIST)
		return -ENOENT;
	if (!present && d->count >= d->max_entries)
		return -E2BIG;
	return 0;
}

int hermes__map_update(const struct hermes_map_mem *m, struct hermes_map_desc *d, const void *key,
		       const void *value, uint64_t flags, unsigned engine)
{
	uint8_t head[8], k[HERMES_MAP_KEY_MAX] = { 0 };
	uint32_t pos;
	int err, found;

	if ((err = hermes__map_update_flags_check(d, flags)))
		return err;
	if (is_array(d)) {
		if ((err = hermes__map_update_check(d, key, flags, 1)))
			return err;
		if (d->type == HERMES_MAP_PERCPU_ARRAY && engine >= d->copies)
			return -EINVAL;
		return write_value(m, d,
				   hermes__map_array_value(d, hermes__le32(key),
							   d->type == HERMES_MAP_PERCPU_ARRAY ? engine : 0),
				   value);
	}
	err = hash_find(m, d, key, &pos);
	if (err && err != -ENOENT)
		return err;
	found = err == 0;
	if ((err = hermes__map_update_check(d, key, flags, found)))
		return err;
	if (!found && pos == UINT32_MAX)
		return -E2BIG;
	if (found)
		return write_value(m, d, entry_value_off(d, pos), value);
	/* key, value and home first, occupied last, then the count */
	memcpy(k, key, d->key_size);
	hermes__put_le32(head, HERMES_MAP_OCCUPIED);
	hermes__put_le32(head + 4, hermes__map_home(key, d->key_size, d->log2_capacity));
	if ((err = m->write(m->ctx, entry_off(d, pos) + 4, head + 4, 4)) ||
	    (err = m->write(m->ctx, entry_off(d, pos) + 8, k, round8(d->key_size))) ||
	    (err = write_value(m, d, entry_value_off(d, pos), value)) ||
	    (err = m->write(m->ctx, entry_off(d, pos), head, 4)))
		return err;
	return write_count(m, d, d->count + 1);
}

/* Is k cyclically in (i, j] of a table of mask + 1 entries? */
static int in_cyclic_range(uint32_t k, uint32_t i, uint32_t j, uint32_t mask)
{
	uint32_t dk = (k - i) & mask, dj = (j - i) & mask;

	return dk != 0 && dk <= dj;
}

int hermes__map_delete(const struct hermes_map_mem *m, struct hermes_map_desc *d, const void *key)
{
	uint32_t mask, i, j, flags, home;
	int err;

	if (is_array(d))
		return -EINVAL;
	if ((err = hash_find(m, d, key, &i)))
		return err;
	mask = d->capacity - 1;
	if ((err = zero_range(m, entry_off(d, i), d->entry_stride)))
		return err;
	/* Backward shift: pull later entries of broken probe sequences into the hole. */
	for (j = (i + 1) & mask; j != i; j = (j + 1) & mask) {
		if ((err = entry_head(m, d, j, &flags, &home)))
			return err;
		if (!(flags & HERMES_MAP_OCCUPIED))
			break;
		if (in_cyclic_range(home & mask, i, j, mask))
			continue;
		if ((err = copy_range(m, entry_off(d, i), entry_off(d, j), d->entry_stride)) ||
		    (err = zero_range(m, entry_off(d, j), d->entry_stride)))
			return err;
		i = j;
	}
	return write_count(m, d, d->count ? d->count - 1 : 0);
}

/* First occupied entry at position >= from: 0 with *pos, -ENOENT. */
static int hash_next_occupied(const struct hermes_map_mem *m, const struct hermes_map_desc *d,
			      uint32_t from, uint32_t *pos)
{
	uint32_t flags, home;
	int err;

	for (uint32_t i = from; i < d->capacity; i++) {
		if ((err = entry_head(m, d, i, &flags, &home)))
			return err;
		if (flags & HERMES_MAP_OCCUPIED) {
			*pos = i;
			return 0;
		}
	}
	return -ENOENT;
}

int hermes__map_next_key(const struct hermes_map_mem *m, const struct hermes_map_desc *d,
			 const void *key, void *next_key)
{
	uint32_t from = 0, pos;
	int err;

	if (is_array(d)) {
		uint32_t idx = key ? hermes__le32(key) : UINT32_MAX;

		if (idx >= d->max_entries)
			idx = 0;
		else if (idx + 1 >= d->max_entries)
			return -ENOENT;
		else
			idx++;
		hermes__put_le32(next_key, idx);
		return 0;
	}
	if (key) {
		err = hash_find(m, d, key, &pos);
		if (!err)
			from = pos + 1;
		else if (err != -ENOENT)
			return err;
	}
	if ((err = hash_next_occupied(m, d, from, &pos)))
		return err;
	return m->read(m->ctx, entry_off(d, pos) + 8, next_key, d->key_size);
}

int hermes__map_iterate(const struct hermes_map_mem *m, const struct hermes_map_desc *d,
			uint32_t *pos, void *key, uint32_t *value_off)
{
	uint32_t at;
	int err;

	if (is_array(d)) {
		if (*pos >= d->max_entries)
			return -ENOENT;
		hermes__put_le32(key, *pos);
		*value_off = hermes__map_array_value(d, *pos, 0);
		(*pos)++;
		return 0;
	}
	if ((err = hash_next_occupied(m, d, *pos, &at)))
		return err;
	*pos = at + 1;
	*value_off = entry_value_off(d, at);
	return m->read(m->ctx, entry_off(d, at) + 8, key, d->key_size);
}
