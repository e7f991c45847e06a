/* SPDX-License-Identifier: MIT */
/*
 * isort.c - stable insertion sort of records in place in the data slot.
 * Input: a 64-bit record count n, then n 16-byte records
 * { u32 key; u32 id; u64 payload }, sorted by key (equal keys keep their
 * order). r0 counts the record moves; the sorted records are compared.
 */
#include "hermes_prog.h"

#define REC 16

HERMES_PROG(isort)
{
	uint64_t n = hp_ld64(data), moves = 0;
	uint8_t *rec = data + 8;

	if (len < 8 || n > (len - 8) / REC)
		return ~0ull; /* the records do not fit the input */
	for (uint64_t i = 1; i < n; i++) {
		uint64_t w0 = hp_ld64(rec + i * REC), w1 = hp_ld64(rec + i * REC + 8);
		uint32_t key = (uint32_t)w0;
		uint64_t j = i;

		while (j > 0 && hp_ld32(rec + (j - 1) * REC) > key) {
			hp_st64(rec + j * REC, hp_ld64(rec + (j - 1) * REC));
			hp_st64(rec + j * REC + 8, hp_ld64(rec + (j - 1) * REC + 8));
			j--;
			moves++;
		}
		hp_st64(rec + j * REC, w0);
		hp_st64(rec + j * REC + 8, w1);
	}
	return moves;
}

#ifndef __bpf__
#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	size_t max = (c->max_in - 8) / REC, n = gallery_below(r, (max < 160 ? max : 160) + 1), i;
	uint32_t keys = (uint32_t)(1 + gallery_below(r, 2) * 1000 + gallery_below(r, 20));

	hp_st64(c->buf, n);
	for (i = 0; i < n; i++) {
		uint8_t *p = c->buf + 8 + i * REC;

		hp_st32(p, (uint32_t)gallery_below(r, keys)); /* few keys: many ties */
		hp_st32(p + 4, (uint32_t)i);
		hp_st64(p + 8, gallery_rand(r));
	}
	c->in_len = 8 + n * REC;
	if (gallery_below(r, 16) == 0) /* a count that does not fit */
		hp_st64(c->buf, n + 1);
	c->out_len = c->in_len + 16;
}
#endif
