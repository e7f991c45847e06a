/* SPDX-License-Identifier: MIT */
/*
 * lexer.c - a switch-heavy state machine: a tokenizer for C-like text
 * (identifiers, decimal and hex numbers, strings with escapes, // and
 * block comments, operators). The character classes and the per-kind
 * weights are constant tables in .rodata (clang 14 emits no jump tables
 * for eBPF, so the tables are explicit). The kind of every token is
 * written after the input, one byte each; r0 hashes kinds and lengths.
 */
#include "hermes_prog.h"

enum cls { C_OTHER, C_SPACE, C_NL, C_ALPHA, C_DIGIT, C_QUOTE, C_SLASH, C_STAR, C_BSLASH, C_OP, C_X, C_EOF };
enum state { S_START, S_IDENT, S_ZERO, S_DEC, S_HEX, S_STR, S_STR_ESC, S_SLASH, S_LINE_CMT, S_BLOCK_CMT, S_BLOCK_STAR };
enum kind { T_NONE, T_IDENT, T_NUMBER, T_HEX, T_STRING, T_OP, T_COMMENT, T_ERROR };

static const uint8_t cls_of[256] = {
	[' '] = C_SPACE, ['\t'] = C_SPACE, ['\r'] = C_SPACE, ['\n'] = C_NL,
	['a' ... 'w'] = C_ALPHA, ['x'] = C_X, ['y'] = C_ALPHA, ['z'] = C_ALPHA,
	['A' ... 'Z'] = C_ALPHA, ['_'] = C_ALPHA, ['0' ... '9'] = C_DIGIT,
	['"'] = C_QUOTE, ['/'] = C_SLASH, ['*'] = C_STAR, ['\\'] = C_BSLASH,
	['+'] = C_OP, ['-'] = C_OP, ['<'] = C_OP, ['>'] = C_OP, ['='] = C_OP, ['!'] = C_OP,
	['&'] = C_OP, ['|'] = C_OP, ['^'] = C_OP, ['%'] = C_OP, ['~'] = C_OP, ['?'] = C_OP,
	[':'] = C_OP, [';'] = C_OP, [','] = C_OP, ['.'] = C_OP, ['('] = C_OP, [')'] = C_OP,
	['{'] = C_OP, ['}'] = C_OP, ['['] = C_OP, [']'] = C_OP,
};

static const uint32_t weight[8] = { 0, 0x9e37, 0x79b9, 0x7f4a, 0x7c15, 0xf39c, 0xc060, 0x5ced };

struct lex {
	uint8_t *out;
	uint64_t ntok, hash;
};

HERMES_NOINLINE static void emit(struct lex *lx, enum kind k, uint64_t start, uint64_t end)
{
	lx->out[lx->ntok++] = (uint8_t)k;
	lx->hash = (lx->hash ^ (weight[k] + (end - start))) * 0x100000001b3ull;
}

HERMES_PROG(lexer)
{
	struct lex lx = { .out = data + hp_out_off(len), .ntok = 0, .hash = 0xcbf29ce484222325ull };
	enum state st = S_START;
	uint64_t start = 0;

	for (uint64_t i = 0; i <= len; i++) {
		enum cls c = i < len ? (enum cls)cls_of[data[i]] : C_EOF;
		uint8_t ch = i < len ? data[i] : 0;

		switch (st) {
		case S_START:
		again:
			start = i;
			switch (c) {
			case C_ALPHA: case C_X: st = S_IDENT; break;
			case C_DIGIT: st = ch == '0' ? S_ZERO : S_DEC; break;
			case C_QUOTE: st = S_STR; break;
			case C_SLASH: st = S_SLASH; break;
			case C_STAR: case C_OP: emit(&lx, T_OP, i, i + 1); break;
			case C_SPACE: case C_NL: case C_EOF: break;
			default: emit(&lx, T_ERROR, i, i + 1); break;
			}
			break;
		case S_IDENT:
			if (c == C_ALPHA || c == C_X || c == C_DIGIT)
				break;
			emit(&lx, T_IDENT, start, i);
			st = S_START;
			goto again;
		case S_ZERO:
			if (c == C_X) {
				st = S_HEX;
				break;
			}
			/* fall through */
		case S_DEC:
			if (c == C_DIGIT) {
				st = S_DEC;
				break;
			}
			emit(&lx, T_NUMBER, start, i);
			st = S_START;
			goto again;
		case S_HEX:
			if (c == C_DIGIT || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))
				break;
			emit(&lx, i - start > 2 ? T_HEX : T_ERROR, start, i);
			st = S_START;
			goto again;
		case S_STR:
			switch (c) {
			case C_QUOTE: emit(&lx, T_STRING, start, i + 1); st = S_START; break;
			case C_BSLASH: st = S_STR_ESC; break;
			case C_NL: case C_EOF: emit(&lx, T_ERROR, start, i); st = S_START; goto again;
			default: break;
			}
			break;
		case S_STR_ESC:
			if (c == C_EOF) {
				emit(&lx, T_ERROR, start, i);
				break;
			}
			st = S_STR;
			break;
		case S_SLASH:
			switch (c) {
			case C_SLASH: st = S_LINE_CMT; break;
			case C_STAR: st = S_BLOCK_CMT; break;
			default: emit(&lx, T_OP, start, i); st = S_START; goto again;
			}
			break;
		case S_LINE_CMT:
			if (c == C_NL || c == C_EOF) {
				emit(&lx, T_COMMENT, start, i);
				st = S_START;
			}
			break;
		case S_BLOCK_CMT:
		case S_BLOCK_STAR:
			if (c == C_EOF) {
				emit(&lx, T_ERROR, start, i);
				break;
			}
			if (st == S_BLOCK_STAR && c == C_SLASH) {
				emit(&lx, T_COMMENT, start, i + 1);
				st = S_START;
				break;
			}
			st = c == C_STAR ? S_BLOCK_STAR : S_BLOCK_CMT;
			break;
		}
	}
	return lx.hash ^ lx.ntok << 48;
}

#ifndef __bpf__
#include <string.h>

#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	static const char *const pieces[] = {
		"int", " ", "x1", "_foo", "0", "0x1F", "0x", "123", "\"str\"", "\"a\\\"b\"", "\"open",
		"// note\n", "/* block */", "/* * */", "/*", "\n", "+", "==", "(", ")", ";", "@", "\t",
		"x", "/", "*", "\\", "\"esc\\", "\xff", "0x0g",
	};
	size_t n = 0, target = gallery_below(r, c->max_in + 1);

	while (n < target) {
		const char *p = pieces[gallery_below(r, sizeof(pieces) / sizeof(pieces[0]))];
		size_t l = strlen(p);

		if (n + l > target)
			break;
		memcpy(c->buf + n, p, l);
		n += l;
	}
	c->in_len = n;
	c->out_len = hp_out_off(n) + n + 8;
}
#endif
