/* SPDX-License-Identifier: MIT */
/* map_hash.c - the hash of hash maps (docs/MAPS.md "Hash"), the one the engines compute. */
#include <string.h>

#include "map_slot.h"

static uint64_t rotl64(uint64_t x, unsigned r) { return (x << r) | (x >> (64 - r)); }

uint32_t hermes__map_hash32(const void *key, uint32_t key_size)
{
	const uint8_t *k = key;
	uint64_t x = key_size;
	uint32_t y;

	for (uint32_t at = 0; at < key_size; at += 8) {
		uint64_t w = 0;

		/* little-endian word, zero padded past the key */
		for (uint32_t b = 0; b < 8 && at + b < key_size; b++)
			w |= (uint64_t)k[at + b] << (8 * b);
		x = rotl64(x, 23) ^ w;
	}
	y = (uint32_t)x ^ (uint32_t)(x >> 32);
	return y * 0x9E3779B1u;
}

uint32_t hermes__map_home(const void *key, uint32_t key_size, uint32_t log2_capacity)
{
	uint32_t h = hermes__map_hash32(key, key_size);

	return log2_capacity ? h >> (32 - log2_capacity) : 0;
}
