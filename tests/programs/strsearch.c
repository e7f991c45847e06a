/* SPDX-License-Identifier: MIT */
/*
 * strsearch.c - substring search (Knuth-Morris-Pratt). Input: a 16-bit
 * needle length m, the needle, then the haystack. The failure table is a
 * global (.bss); every match offset is written after the input as a
 * 32-bit word; r0 is the number of matches, or ~0 for a bad needle.
 */
#include "hermes_prog.h"

#define MAX_NEEDLE 256

static uint16_t fail[MAX_NEEDLE];

HERMES_NOINLINE static void build_fail(const uint8_t *p, uint64_t m)
{
	uint64_t k = 0;

	fail[0] = 0;
	for (uint64_t i = 1; i < m; i++) {
		while (k > 0 && p[i] != p[k])
			k = fail[k - 1];
		if (p[i] == p[k])
			k++;
		fail[i] = (uint16_t)k;
	}
}

HERMES_PROG(strsearch)
{
	uint64_t m, k = 0, found = 0;
	const uint8_t *needle, *hay;
	uint8_t *out = data + hp_out_off(len);
	uint64_t hay_len;

	if (len < 2)
		return ~0ull;
	m = hp_ld16(data);
	if (m == 0 || m > MAX_NEEDLE || m > len - 2)
		return ~0ull;
	needle = data + 2;
	hay = needle + m;
	hay_len = len - 2 - m;
	build_fail(needle, m);
	for (uint64_t i = 0; i < hay_len; i++) {
		while (k > 0 && hay[i] != needle[k])
			k = fail[k - 1];
		if (hay[i] == needle[k])
			k++;
		if (k == m) {
			hp_st32(out + 4 * found, (uint32_t)(i + 1 - m));
			found++;
			k = fail[k - 1];
		}
	}
	return found;
}

#ifndef __bpf__
#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	size_t hay = gallery_below(r, c->max_in / 2 + 1), m = 1 + gallery_below(r, 12), i;
	unsigned alpha = 1 + (unsigned)gallery_below(r, 4);
	uint8_t *h;

	if (gallery_below(r, 32) == 0)
		m = MAX_NEEDLE + gallery_below(r, 2); /* the longest needle, or one too long */
	h = c->buf + 2 + m;
	for (i = 0; i < hay; i++)
		h[i] = (uint8_t)('a' + gallery_below(r, alpha));
	for (i = 0; i < m; i++) /* a slice of the haystack, or random */
		c->buf[2 + i] = hay > m && gallery_below(r, 2) ? h[i] : (uint8_t)('a' + gallery_below(r, alpha));
	if (hay > m && gallery_below(r, 2)) {
		size_t at = gallery_below(r, hay - m);

		for (i = 0; i < m; i++)
			c->buf[2 + i] = h[at + i];
	}
	hp_st16(c->buf, (uint16_t)m);
	c->in_len = 2 + m + hay;
	if (gallery_below(r, 32) == 0)
		c->in_len = gallery_below(r, 3); /* too short for a needle */
	c->out_len = hp_out_off(c->in_len) + 4 * hay + 8;
	if (c->out_len > c->cap)
		c->out_len = c->cap;
}
#endif
