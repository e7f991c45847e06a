/* SPDX-License-Identifier: MIT */
/*
 * keywords.c - counts the C keywords among the identifiers of the input.
 * The keyword table is an array of pointers to string constants, so the
 * object carries R_BPF_64_ABS64 relocations inside .rodata (pointers to
 * .rodata.str1.1) that the loader must patch. One 32-bit count per
 * keyword is written after the input; r0: keyword hits in bits 0-31,
 * identifiers from bit 32.
 */
#include "hermes_prog.h"

static const char *const kw_table[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"int", "long", "register", "return", "short", "signed", "sizeof", "static",
	"struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
};
#define NKW (sizeof(kw_table) / sizeof(kw_table[0]))

static inline int ident_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

HERMES_NOINLINE static int lookup(const uint8_t *w, uint64_t n)
{
	for (uint32_t k = 0; k < NKW; k++) {
		const char *kw = kw_table[k];
		uint64_t i = 0;

		while (i < n && kw[i] && (uint8_t)kw[i] == w[i])
			i++;
		if (i == n && kw[i] == '\0')
			return (int)k;
	}
	return -1;
}

HERMES_PROG(keywords)
{
	uint8_t *out = data + hp_out_off(len);
	uint64_t i = 0, hits = 0, idents = 0;

	while (i < len) {
		uint64_t start;
		int k;

		if (!ident_char(data[i]) || (data[i] >= '0' && data[i] <= '9')) {
			/* skip non-identifiers, and numbers with their suffixes */
			if (data[i] >= '0' && data[i] <= '9')
				while (i < len && ident_char(data[i]))
					i++;
			else
				i++;
			continue;
		}
		start = i;
		while (i < len && ident_char(data[i]))
			i++;
		idents++;
		k = lookup(data + start, i - start);
		if (k >= 0) {
			hp_st32(out + 4 * (uint32_t)k, hp_ld32(out + 4 * (uint32_t)k) + 1);
			hits++;
		}
	}
	return hits | idents << 32;
}

#ifndef __bpf__
#include <string.h>

#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	static const char *const words[] = {
		"int", "if", "iff", "while", "whiles", "x", "for", "format", "return", "_do", "do",
		"2do", "unsigned", "unsigne", "struct", "typedef", "volatile", "sizeof", "goto", "Auto",
	};
	static const char *const seps[] = { " ", "\n", "(", ");", " = ", ", ", "{", "}", "0x12", " 42 " };
	size_t n = 0, target = gallery_below(r, c->max_in + 1);

	for (;;) {
		const char *w = words[gallery_below(r, sizeof(words) / sizeof(words[0]))];
		const char *s = seps[gallery_below(r, sizeof(seps) / sizeof(seps[0]))];
		size_t lw = strlen(w), ls = strlen(s);

		if (n + lw + ls > target)
			break;
		memcpy(c->buf + n, w, lw);
		memcpy(c->buf + n + lw, s, ls);
		n += lw + ls;
	}
	c->in_len = n;
	c->out_len = hp_out_off(n) + 4 * NKW;
}
#endif
