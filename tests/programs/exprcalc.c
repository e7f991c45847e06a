/* SPDX-License-Identifier: MIT */
/*
 * exprcalc.c - a recursive-descent evaluator: static non-inline functions
 * calling each other (eBPF-to-eBPF calls, one frame each) over parser state
 * kept in globals (.bss), with limits and counters in .data. Input:
 * expressions separated by ';' over unsigned 64-bit numbers with + - | * &
 * and parentheses nested at most max_depth deep (7 frames: the engine
 * allows 8). Each value is written after the input; r0 mixes the count,
 * the errors and a .data counter that must start at its initial value on
 * every run.
 */
#include "hermes_prog.h"

static const uint8_t *src;
static uint64_t pos, end;
static uint32_t depth, errors;
static uint32_t max_depth = 1;
static uint64_t evaluated = 1000;

static inline void skip(void)
{
	while (pos < end && src[pos] == ' ')
		pos++;
}

HERMES_NOINLINE static uint64_t expr(void);

HERMES_NOINLINE static uint64_t factor(void)
{
	uint64_t v = 0, neg = 0;

	skip();
	while (pos < end && src[pos] == '-') { /* unary minus, iteratively */
		neg ^= 1;
		pos++;
		skip();
	}
	if (pos >= end) {
		errors++;
		return 0;
	}
	if (src[pos] == '(') {
		pos++;
		if (depth >= max_depth) {
			errors++;
			return 0;
		}
		depth++;
		v = expr();
		depth--;
		skip();
		if (pos < end && src[pos] == ')')
			pos++;
		else
			errors++;
	} else if (src[pos] >= '0' && src[pos] <= '9') {
		while (pos < end && src[pos] >= '0' && src[pos] <= '9')
			v = v * 10 + (src[pos++] - '0');
	} else {
		errors++;
		pos++;
	}
	return neg ? 0 - v : v;
}

HERMES_NOINLINE static uint64_t term(void)
{
	uint64_t v = factor();

	for (;;) {
		skip();
		if (pos >= end || (src[pos] != '*' && src[pos] != '&'))
			return v;
		if (src[pos++] == '*')
			v *= factor();
		else
			v &= factor();
	}
}

HERMES_NOINLINE static uint64_t expr(void)
{
	uint64_t v = term();

	for (;;) {
		uint8_t op;

		skip();
		if (pos >= end)
			return v;
		op = src[pos];
		if (op != '+' && op != '-' && op != '|')
			return v;
		pos++;
		if (op == '+')
			v += term();
		else if (op == '-')
			v -= term();
		else
			v |= term();
	}
}

HERMES_PROG(exprcalc)
{
	uint8_t *out = data + hp_out_off(len);
	uint64_t n = 0;

	src = data;
	pos = 0;
	end = len;
	while (pos < end) {
		depth = 0;
		hp_st64(out + 8 * n++, expr());
		evaluated++;
		skip();
		while (pos < end && src[pos] != ';') { /* junk after an expression */
			errors++;
			pos++;
		}
		pos++;
	}
	return n | (uint64_t)errors << 24 | evaluated << 40;
}

#ifndef __bpf__
#include "gallery.h"

struct out {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct out *o, char ch)
{
	if (o->n < o->cap)
		o->p[o->n++] = (uint8_t)ch;
}

static void gen_expr(struct gallery_rng *r, struct out *o, int depth)
{
	size_t terms = 1 + gallery_below(r, 4), t;

	for (t = 0; t < terms; t++) {
		if (t)
			put(o, "+-|*&"[gallery_below(r, 5)]);
		if (gallery_below(r, 3) == 0)
			put(o, ' ');
		if (gallery_below(r, 5) == 0)
			put(o, '-');
		if (depth < 2 && gallery_below(r, 4) == 0) {
			put(o, '(');
			gen_expr(r, o, depth + 1);
			if (gallery_below(r, 16))
				put(o, ')');
		} else {
			uint64_t v = gallery_below(r, 6) ? gallery_below(r, 100000) : gallery_rand(r);
			char digits[24];
			int k = 0;

			do
				digits[k++] = (char)('0' + v % 10);
			while ((v /= 10) != 0);
			while (k)
				put(o, digits[--k]);
		}
		if (gallery_below(r, 40) == 0)
			put(o, '#'); /* junk */
	}
}

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	struct out o = { c->buf, 0, c->max_in };
	size_t exprs = gallery_below(r, 40), e;

	for (e = 0; e < exprs && o.n + 200 < o.cap; e++) {
		gen_expr(r, &o, 0);
		put(&o, ';');
	}
	c->in_len = o.n;
	c->out_len = hp_out_off(o.n) + 8 * (o.n + 1);
	if (c->out_len > c->cap)
		c->out_len = c->cap;
}
#endif
