/* SPDX-License-Identifier: MIT */
/*
 * crc32.c - CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320) of the input,
 * table-driven. The 1 KiB table lives in .bss and is built on the first
 * call, so the program also checks that .bss starts zeroed. The CRC of
 * every 64-byte prefix is written after the input.
 */
#include "hermes_prog.h"

static uint32_t table[256];
static uint32_t table_ready;

HERMES_NOINLINE static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	table_ready = 1;
}

HERMES_PROG(crc32)
{
	uint8_t *out = data + hp_out_off(len);
	uint32_t c = 0xffffffffu;

	if (!table_ready)
		crc_init();
	for (uint64_t i = 0; i < len; i++) {
		c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
		if ((i & 63) == 63) {
			hp_st32(out, c ^ 0xffffffffu);
			out += 4;
		}
	}
	return c ^ 0xffffffffu;
}

#ifndef __bpf__
#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	size_t n = gallery_below(r, c->max_in + 1), i;

	if (gallery_below(r, 8) == 0) /* the check value input */
		n = 9;
	for (i = 0; i < n; i++)
		c->buf[i] = n == 9 ? (uint8_t)('1' + i) : (uint8_t)gallery_rand(r);
	c->in_len = n;
	c->out_len = hp_out_off(n) + 4 * (n / 64) + 8;
}
#endif
