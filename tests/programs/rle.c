/* SPDX-License-Identifier: MIT */
/*
 * rle.c - run-length encoding (PackBits style) into the data slot after
 * the input: a header byte h < 128 is followed by h + 1 literal bytes, a
 * header byte h >= 128 by one byte repeated h - 125 times (3..130). The
 * program then decodes its own output after that and checks it; r0 is the
 * encoded length, with bit 63 set if the round trip failed.
 */
#include "hermes_prog.h"

HERMES_NOINLINE static uint64_t encode(const uint8_t *in, uint64_t n, uint8_t *out)
{
	uint64_t i = 0, o = 0;

	while (i < n) {
		uint64_t run = 1;

		while (i + run < n && run < 130 && in[i + run] == in[i])
			run++;
		if (run >= 3) {
			out[o++] = (uint8_t)(run + 125);
			out[o++] = in[i];
			i += run;
			continue;
		}
		/* literals up to the next run of 3 (or 128 bytes) */
		uint64_t start = i, lit = 0;

		while (i < n && lit < 128) {
			if (i + 2 < n && in[i] == in[i + 1] && in[i] == in[i + 2])
				break;
			i++;
			lit++;
		}
		out[o++] = (uint8_t)(lit - 1);
		for (uint64_t k = 0; k < lit; k++)
			out[o++] = in[start + k];
	}
	return o;
}

HERMES_NOINLINE static uint64_t decode(const uint8_t *in, uint64_t n, uint8_t *out)
{
	uint64_t i = 0, o = 0;

	while (i < n) {
		uint8_t h = in[i++];

		if (h < 128) {
			for (uint64_t k = 0; k <= h && i < n; k++)
				out[o++] = in[i++];
		} else if (i < n) {
			for (uint64_t k = 0; k < (uint64_t)h - 125; k++)
				out[o++] = in[i];
			i++;
		}
	}
	return o;
}

HERMES_PROG(rle)
{
	uint8_t *enc = data + hp_out_off(len);
	uint64_t elen = encode(data, len, enc);
	uint8_t *dec = enc + hp_out_off(elen);
	uint64_t dlen = decode(enc, elen, dec), bad = dlen != len;

	for (uint64_t i = 0; i < len && !bad; i++)
		bad = dec[i] != data[i];
	return elen | bad << 63;
}

#ifndef __bpf__
#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	size_t n = gallery_below(r, c->max_in + 1), i = 0;

	while (i < n) { /* runs of random length, or noise */
		size_t run = gallery_below(r, 4) ? 1 + gallery_below(r, 3) : 1 + gallery_below(r, 300);
		uint8_t b = (uint8_t)gallery_below(r, 6);

		while (run-- && i < n)
			c->buf[i++] = b;
	}
	c->in_len = n;
	/* worst case: 129 bytes per 128 of input, then the decoded copy */
	c->out_len = hp_out_off(n) + 2 * hp_out_off(n + n / 128 + 8);
}
#endif
