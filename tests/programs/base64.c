/* SPDX-License-Identifier: MIT */
/*
 * base64.c - base64 encoding (RFC 4648, with padding) after the input,
 * using the alphabet as a string constant (.rodata.str1.1), then decoding
 * it back with a table built at run time in .bss and checking the round
 * trip. r0: encoded length, bit 63 set if the round trip failed.
 */
#include "hermes_prog.h"

static uint8_t dec_table[256];

HERMES_NOINLINE static void init_dec(const char *alpha)
{
	for (int i = 0; i < 256; i++)
		dec_table[i] = 0xff;
	for (int i = 0; i < 64; i++)
		dec_table[(uint8_t)alpha[i]] = (uint8_t)i;
}

HERMES_PROG(base64)
{
	const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t *enc = data + hp_out_off(len), *dec;
	uint64_t i, o = 0, d = 0, bad = 0;

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];

		enc[o++] = (uint8_t)alpha[v >> 18];
		enc[o++] = (uint8_t)alpha[(v >> 12) & 63];
		enc[o++] = (uint8_t)alpha[(v >> 6) & 63];
		enc[o++] = (uint8_t)alpha[v & 63];
	}
	if (len - i == 1) {
		enc[o++] = (uint8_t)alpha[data[i] >> 2];
		enc[o++] = (uint8_t)alpha[(data[i] & 3) << 4];
		enc[o++] = '=';
		enc[o++] = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)data[i] << 8 | data[i + 1];

		enc[o++] = (uint8_t)alpha[v >> 10];
		enc[o++] = (uint8_t)alpha[(v >> 4) & 63];
		enc[o++] = (uint8_t)alpha[(v << 2) & 63];
		enc[o++] = '=';
	}

	init_dec(alpha);
	dec = enc + hp_out_off(o);
	for (i = 0; i < o; i += 4) {
		uint32_t v = 0, pad = 0;

		for (int k = 0; k < 4; k++) {
			uint8_t x = enc[i + k];

			if (x == '=') {
				pad++;
				x = 'A';
			}
			if (dec_table[x] == 0xff)
				bad = 1;
			v = v << 6 | dec_table[x];
		}
		dec[d++] = (uint8_t)(v >> 16);
		if (pad < 2)
			dec[d++] = (uint8_t)(v >> 8);
		if (pad < 1)
			dec[d++] = (uint8_t)v;
	}
	bad |= d != len;
	for (i = 0; i < len && !bad; i++)
		bad = dec[i] != data[i];
	return o | bad << 63;
}

#ifndef __bpf__
#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	size_t n = gallery_below(r, c->max_in / 2 + 1), i;

	for (i = 0; i < n; i++)
		c->buf[i] = (uint8_t)gallery_rand(r);
	c->in_len = n;
	c->out_len = hp_out_off(n) + hp_out_off(4 * (n / 3 + 1)) + n + 8;
}
#endif
