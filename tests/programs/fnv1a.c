/* SPDX-License-Identifier: MIT */
/*
 * fnv1a.c - 64-bit FNV-1a of the whole input, and of every line (split at
 * '\n'), written as 64-bit words after the input. r0 is the whole-input
 * hash xor the line count.
 */
#include "hermes_prog.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

HERMES_PROG(fnv1a)
{
	uint8_t *out = data + hp_out_off(len);
	uint64_t all = FNV_OFFSET, line = FNV_OFFSET, lines = 0;

	for (uint64_t i = 0; i < len; i++) {
		uint8_t b = data[i];

		all = (all ^ b) * FNV_PRIME;
		if (b == '\n') {
			hp_st64(out + 8 * lines, line);
			lines++;
			line = FNV_OFFSET;
		} else {
			line = (line ^ b) * FNV_PRIME;
		}
	}
	hp_st64(out + 8 * lines, line);
	return all ^ lines;
}

#ifndef __bpf__
#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	size_t n = gallery_below(r, c->max_in + 1), i, lines = 0;

	for (i = 0; i < n; i++) {
		uint64_t x = gallery_below(r, 40);

		c->buf[i] = x == 0 ? '\n' : x < 30 ? (uint8_t)('a' + x % 26) : (uint8_t)gallery_rand(r);
		lines += c->buf[i] == '\n';
	}
	c->in_len = n;
	c->out_len = hp_out_off(n) + 8 * (lines + 2);
}
#endif
