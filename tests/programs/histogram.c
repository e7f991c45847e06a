/* SPDX-License-Identifier: MIT */
/*
 * histogram.c - byte histogram: 256 32-bit counters written after the
 * input; r0 holds the most frequent byte (lowest on ties) in bits 0-7 and
 * its count from bit 8.
 */
#include "hermes_prog.h"

HERMES_PROG(histogram)
{
	uint8_t *out = data + hp_out_off(len);
	uint32_t best = 0, best_count = 0;

	for (uint64_t i = 0; i < len; i++) {
		uint8_t *cnt = out + 4 * data[i];

		hp_st32(cnt, hp_ld32(cnt) + 1);
	}
	for (uint32_t b = 0; b < 256; b++) {
		uint32_t n = hp_ld32(out + 4 * b);

		if (n > best_count) {
			best = b;
			best_count = n;
		}
	}
	return best | (uint64_t)best_count << 8;
}

#ifndef __bpf__
#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	size_t n = gallery_below(r, c->max_in + 1), i;
	unsigned skew = (unsigned)gallery_below(r, 4);

	for (i = 0; i < n; i++) {
		uint64_t x = gallery_rand(r);

		/* some inputs favour a few values so that ties and maxima vary */
		c->buf[i] = skew ? (uint8_t)(x % (16u << (2 * skew))) : (uint8_t)x;
	}
	c->in_len = n;
	c->out_len = hp_out_off(n) + 4 * 256;
}
#endif
