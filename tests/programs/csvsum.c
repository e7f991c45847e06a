/* SPDX-License-Identifier: MIT */
/*
 * csvsum.c - sum of one column of comma-separated integers. Byte 0 of the
 * input is the column number, the rest CSV text: fields of optional
 * spaces, an optional sign and decimal digits; an empty field counts as
 * 0, anything else as a bad field (0). After the input: the row count, the
 * bad-field count, then the column's value in every row (64-bit words).
 * r0 is the sum (two's complement, wrapping).
 */
#include "hermes_prog.h"

HERMES_PROG(csvsum)
{
	uint8_t *out = data + hp_out_off(len);
	uint64_t col, i = 1, rows = 0, bad = 0, sum = 0;

	if (len == 0)
		return 0;
	col = data[0];
	while (i < len) {
		uint64_t field = 0, row_val = 0;

		for (;;) { /* one field */
			uint64_t v = 0, digits = 0, neg = 0, junk = 0, trail = 0;

			while (i < len && data[i] == ' ')
				i++;
			if (i < len && (data[i] == '-' || data[i] == '+'))
				neg = data[i++] == '-';
			while (i < len && data[i] != ',' && data[i] != '\n') {
				uint8_t ch = data[i++];

				if (ch >= '0' && ch <= '9' && !trail) {
					v = v * 10 + (ch - '0');
					digits++;
				} else if (ch == ' ' && digits) {
					trail = 1; /* spaces after the number */
				} else {
					junk = 1;
				}
			}
			if (junk || (neg && !digits)) {
				bad++;
				v = 0;
			}
			if (field == col)
				row_val = neg ? (uint64_t)0 - v : v;
			field++;
			if (i >= len || data[i++] == '\n')
				break;
		}
		hp_st64(out + 16 + 8 * rows, row_val);
		sum += row_val;
		rows++;
	}
	hp_st64(out, rows);
	hp_st64(out + 8, bad);
	return sum;
}

#ifndef __bpf__
#include <stdio.h>
#include <string.h>

#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	size_t n = 1, rows = 0, cols = 1 + gallery_below(r, 6);
	char field[32];

	c->buf[0] = (uint8_t)gallery_below(r, cols + 1); /* sometimes a missing column */
	while (n + 6 * 40 < c->max_in && gallery_below(r, 64)) {
		size_t f, fields = gallery_below(r, 8) ? cols : 1 + gallery_below(r, cols + 1);

		for (f = 0; f < fields; f++) {
			uint64_t kind = gallery_below(r, 16);
			int len;

			if (kind == 0)
				len = snprintf(field, sizeof(field), "%s", "");
			else if (kind == 1)
				len = snprintf(field, sizeof(field), "x%u", (unsigned)gallery_below(r, 10));
			else if (kind == 2)
				len = snprintf(field, sizeof(field), " -%llu ", (unsigned long long)gallery_rand(r));
			else if (kind == 3)
				len = snprintf(field, sizeof(field), "%s", gallery_below(r, 2) ? "-" : "1 2");
			else
				len = snprintf(field, sizeof(field), "%s%s%u", gallery_below(r, 4) ? "" : " ",
					       gallery_below(r, 3) ? "" : gallery_below(r, 2) ? "-" : "+",
					       (unsigned)gallery_below(r, 100000));
			memcpy(c->buf + n, field, (size_t)len);
			n += (size_t)len;
			if (f + 1 < fields)
				c->buf[n++] = ',';
		}
		c->buf[n++] = '\n';
		rows++;
	}
	if (n > 1 && gallery_below(r, 2))
		n--; /* no newline after the last row */
	c->in_len = n;
	c->out_len = hp_out_off(n) + 16 + 8 * (rows + 1);
}
#endif
