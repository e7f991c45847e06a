/* SPDX-License-Identifier: MIT */
/*
 * asm.c - assembler for the ubpf-style text syntax (docs/ASSEMBLY.md).
 *
 * One pass over the lines encodes every instruction and records a fixup
 * for each label operand; a second step resolves the fixups. The input is
 * untrusted (it is fuzzed): every read stays inside the current line and
 * every number is range-checked before it is stored.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "grow.h"

enum kind {
	K_ALU2,   /* D, IMM | S */
	K_ALU1,   /* D */
	K_MOVSX,  /* D, S */
	K_END,    /* D (imm from the table) */
	K_LDDW,   /* D, IMM64 */
	K_LDX,    /* D, [S+off] */
	K_ST,     /* [D+off], IMM */
	K_STX,    /* [D+off], S */
	K_JA,     /* T -> off */
	K_JA32,   /* T -> imm */
	K_JCOND,  /* D, IMM | S, T */
	K_CALL,
	K_EXIT,
	K_LOCK,
	K_QUAD,
};

struct mnemonic {
	const char *name;
	uint8_t kind;
	uint8_t opcode; /* K form for ALU2/JCOND: X form adds HERMES_SRC_X */
	int16_t off;
	int32_t imm;
};

#define ALU(n, op) { n, K_ALU2, (op) | HERMES_CLS_ALU64, 0, 0 }, \
		   { n "32", K_ALU2, (op) | HERMES_CLS_ALU, 0, 0 }
#define SALU(n, op) { n, K_ALU2, (op) | HERMES_CLS_ALU64, 1, 0 }, \
		    { n "32", K_ALU2, (op) | HERMES_CLS_ALU, 1, 0 }
#define JCC(n, op) { n, K_JCOND, (op) | HERMES_CLS_JMP, 0, 0 }, \
		   { n "32", K_JCOND, (op) | HERMES_CLS_JMP32, 0, 0 }
#define END(n, op, w) { n #w, K_END, op, 0, w }
#define LDX(n, mode, sz) { n, K_LDX, HERMES_CLS_LDX | (mode) | (sz), 0, 0 }

static const struct mnemonic mnemonics[] = {
	ALU("add", HERMES_ALU_ADD), ALU("sub", HERMES_ALU_SUB),
	ALU("mul", HERMES_ALU_MUL), ALU("div", HERMES_ALU_DIV),
	ALU("or", HERMES_ALU_OR), ALU("and", HERMES_ALU_AND),
	ALU("lsh", HERMES_ALU_LSH), ALU("rsh", HERMES_ALU_RSH),
	ALU("mod", HERMES_ALU_MOD), ALU("xor", HERMES_ALU_XOR),
	ALU("mov", HERMES_ALU_MOV), ALU("arsh", HERMES_ALU_ARSH),
	SALU("sdiv", HERMES_ALU_DIV), SALU("smod", HERMES_ALU_MOD),
	{ "neg", K_ALU1, HERMES_ALU_NEG | HERMES_CLS_ALU64, 0, 0 },
	{ "neg32", K_ALU1, HERMES_ALU_NEG | HERMES_CLS_ALU, 0, 0 },
	{ "movsx864", K_MOVSX, 0xbf, 8, 0 },
	{ "movsx1664", K_MOVSX, 0xbf, 16, 0 },
	{ "movsx3264", K_MOVSX, 0xbf, 32, 0 },
	{ "movsx8", K_MOVSX, 0xbf, 8, 0 },
	{ "movsx16", K_MOVSX, 0xbf, 16, 0 },
	{ "movsx32", K_MOVSX, 0xbf, 32, 0 },
	{ "movsx832", K_MOVSX, 0xbc, 8, 0 },
	{ "movsx1632", K_MOVSX, 0xbc, 16, 0 },
	END("le", 0xd4, 16), END("le", 0xd4, 32), END("le", 0xd4, 64),
	END("be", 0xdc, 16), END("be", 0xdc, 32), END("be", 0xdc, 64),
	END("bswap", 0xd7, 16), END("bswap", 0xd7, 32), END("bswap", 0xd7, 64),
	END("swap", 0xd7, 16), END("swap", 0xd7, 32), END("swap", 0xd7, 64),
	{ "lddw", K_LDDW, HERMES_OP_LDDW, 0, 0 },
	LDX("ldxw", HERMES_MODE_MEM, HERMES_SZ_W), LDX("ldxh", HERMES_MODE_MEM, HERMES_SZ_H),
	LDX("ldxb", HERMES_MODE_MEM, HERMES_SZ_B), LDX("ldxdw", HERMES_MODE_MEM, HERMES_SZ_DW),
	LDX("ldxsw", HERMES_MODE_MEMSX, HERMES_SZ_W), LDX("ldxsh", HERMES_MODE_MEMSX, HERMES_SZ_H),
	LDX("ldxsb", HERMES_MODE_MEMSX, HERMES_SZ_B),
	{ "stw", K_ST, 0x62, 0, 0 }, { "sth", K_ST, 0x6a, 0, 0 },
	{ "stb", K_ST, 0x72, 0, 0 }, { "stdw", K_ST, 0x7a, 0, 0 },
	{ "stxw", K_STX, 0x63, 0, 0 }, { "stxh", K_STX, 0x6b, 0, 0 },
	{ "stxb", K_STX, 0x73, 0, 0 }, { "stxdw", K_STX, 0x7b, 0, 0 },
	{ "ja", K_JA, HERMES_JMP_JA | HERMES_CLS_JMP, 0, 0 },
	{ "ja32", K_JA32, HERMES_JMP_JA | HERMES_CLS_JMP32, 0, 0 },
	JCC("jeq", HERMES_JMP_JEQ), JCC("jgt", HERMES_JMP_JGT),
	JCC("jge", HERMES_JMP_JGE), JCC("jset", HERMES_JMP_JSET),
	JCC("jne", HERMES_JMP_JNE), JCC("jsgt", HERMES_JMP_JSGT),
	JCC("jsge", HERMES_JMP_JSGE), JCC("jlt", HERMES_JMP_JLT),
	JCC("jle", HERMES_JMP_JLE), JCC("jslt", HERMES_JMP_JSLT),
	JCC("jsle", HERMES_JMP_JSLE),
	{ "call", K_CALL, HERMES_JMP_CALL | HERMES_CLS_JMP, 0, 0 },
	{ "exit", K_EXIT, HERMES_JMP_EXIT | HERMES_CLS_JMP, 0, 0 },
	{ "lock", K_LOCK, 0, 0, 0 },
	{ ".quad", K_QUAD, 0, 0, 0 },
};

/* Atomic operations after `lock [fetch]`: name without the 32 suffix. */
static const struct {
	const char *name;
	int32_t imm;
	int fetch_only; /* xchg/cmpxchg always fetch */
} atomics[] = {
	{ "add", HERMES_ATOMIC_ADD, 0 },   { "or", HERMES_ATOMIC_OR, 0 },
	{ "and", HERMES_ATOMIC_AND, 0 },   { "xor", HERMES_ATOMIC_XOR, 0 },
	{ "xchg", HERMES_ATOMIC_XCHG, 1 }, { "cmpxchg", HERMES_ATOMIC_CMPXCHG, 1 },
};

struct label {
	const char *name;
	size_t len;
	size_t slot;
	unsigned line;
};

struct fixup {
	const char *name;
	size_t len;
	size_t slot;   /* the instruction to patch */
	int imm;       /* patch imm (32-bit) instead of off (16-bit) */
	unsigned line, col;
};

struct asm_ctx {
	const char *line_start; /* first character of the current line */
	const char *e;          /* end of the current line's code (comment stripped) */
	unsigned line;

	struct hermes_insn *out;
	size_t n, cap;

	struct fixup *fix;
	size_t nfix, capfix;

	struct label *labels;
	size_t nlabels, caplabels;
	size_t *index;          /* open addressing: label number + 1, 0 empty */
	size_t index_cap;       /* power of two */

	size_t first_exit;      /* slot of the first exit, SIZE_MAX: none */
	struct hermes_asm_error *err;
};

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}

static int is_ident(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Length of the token at p for messages: a word, or one other character. */
static size_t token_len(const char *p, const char *e)
{
	const char *q = p;

	if (p >= e)
		return 0;
	if (!is_ident(*p) && *p != '%' && *p != '+' && *p != '-') {
		return 1;
	}
	if (*q == '+' || *q == '-' || *q == '%')
		q++;
	while (q < e && is_ident(*q))
		q++;
	return (size_t)(q - p);
}

/* Quote up to 40 characters of s[0..n) into buf, escaping non-printables. */
static const char *quote(const char *s, size_t n, char *buf, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 40) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
		} else {
			snprintf(buf + o, size - o, "\\x%02x", c);
			o += 4;
		}
	}
	buf[o] = '\0';
	return buf;
}

__attribute__((format(printf, 3, 4)))
static int error_at(struct asm_ctx *c, const char *at, const char *fmt, ...)
{
	va_list ap;
	size_t col = at >= c->line_start ? (size_t)(at - c->line_start) + 1 : 1;

	c->err->line = c->line;
	c->err->col = col > 0xffffffffu ? 0xffffffffu : (unsigned)col;
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "expected WHAT, got 'TOKEN'" (or "got end of line"). */
static int expected(struct asm_ctx *c, const char *p, const char *what)
{
	char q[64];

	if (p >= c->e)
		return error_at(c, p, "expected %s, got end of line", what);
	return error_at(c, p, "expected %s, got '%s'", what,
			quote(p, token_len(p, c->e), q, sizeof(q)));
}

static const char *skip_ws(const struct asm_ctx *c, const char *p)
{
	while (p < c->e && is_space(*p))
		p++;
	return p;
}

/* ---- Output and tables ---------------------------------------------- */

static int emit(struct asm_ctx *c, uint8_t opcode, unsigned dst, unsigned src,
		int16_t off, int32_t imm)
{
	struct hermes_insn *insn;

	if (hermes__grow(&c->out, &c->cap, c->n, sizeof(*c->out), 64))
		return -ENOMEM;
	insn = &c->out[c->n++];
	insn->opcode = opcode;
	insn->regs = (uint8_t)((dst & 0xf) | (src & 0xf) << 4);
	insn->off = off;
	insn->imm = imm;
	return 0;
}

static int add_fixup(struct asm_ctx *c, const char *name, size_t len, int imm, const char *at)
{
	struct fixup *f;

	if (hermes__grow(&c->fix, &c->capfix, c->nfix, sizeof(*c->fix), 16))
		return -ENOMEM;
	f = &c->fix[c->nfix++];
	f->name = name;
	f->len = len;
	f->slot = c->n; /* the instruction about to be emitted */
	f->imm = imm;
	f->line = c->line;
	f->col = (unsigned)(at - c->line_start) + 1;
	return 0;
}

static size_t hash_name(const char *s, size_t n)
{
	size_t h = 1469598103934665603ull & SIZE_MAX;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * (size_t)1099511628211ull;
	return h;
}

static struct label *find_label(const struct asm_ctx *c, const char *name, size_t len)
{
	size_t mask, i;

	if (!c->index_cap)
		return NULL;
	mask = c->index_cap - 1;
	for (i = hash_name(name, len) & mask; c->index[i]; i = (i + 1) & mask) {
		struct label *l = &c->labels[c->index[i] - 1];

		if (l->len == len && !memcmp(l->name, name, len))
			return l;
	}
	return NULL;
}

static int index_insert(size_t *index, size_t cap, const struct label *l, size_t num)
{
	size_t mask = cap - 1, i;

	for (i = hash_name(l->name, l->len) & mask; index[i]; i = (i + 1) & mask)
		;
	index[i] = num + 1;
	return 0;
}

static int define_label(struct asm_ctx *c, const char *name, size_t len)
{
	struct label *old = find_label(c, name, len);
	char q[64];

	if (old)
		return error_at(c, name, "duplicate label '%s' (first defined on line %u)",
				quote(name, len, q, sizeof(q)), old->line);
	/* A quarter of SIZE_MAX at most: the index below is twice as many size_t. */
	if (c->caplabels > SIZE_MAX / sizeof(*c->labels) / 8 ||
	    hermes__grow(&c->labels, &c->caplabels, c->nlabels, sizeof(*c->labels), 16))
		return -ENOMEM;
	if ((c->nlabels + 1) * 2 > c->index_cap) {
		size_t ncap = c->index_cap ? c->index_cap * 2 : 32;
		size_t *n = calloc(ncap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (size_t i = 0; i < c->nlabels; i++)
			index_insert(n, ncap, &c->labels[i], i);
		free(c->index);
		c->index = n;
		c->index_cap = ncap;
	}
	c->labels[c->nlabels] = (struct label){ name, len, c->n, c->line };
	index_insert(c->index, c->index_cap, &c->labels[c->nlabels], c->nlabels);
	c->nlabels++;
	return 0;
}

/* ---- Operands -------------------------------------------------------- */

/*
 * A number: optional sign, then decimal digits or 0x and hex digits, not
 * followed by a word character. *mag gets the magnitude, *neg the sign.
 */
static int parse_number(struct asm_ctx *c, const char **pp, const char *what,
			uint64_t *mag, int *neg)
{
	const char *p = *pp, *start = p, *digits;
	uint64_t v = 0;
	int base = 10, overflow = 0;
	char q[64];

	*neg = 0;
	if (p < c->e && (*p == '+' || *p == '-')) {
		*neg = *p == '-';
		p = skip_ws(c, p + 1);
	}
	if (p + 1 < c->e && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	digits = p;
	for (; p < c->e; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			overflow = 1;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (p == digits && base == 10)
		return expected(c, start, what);
	if (p == digits || (p < c->e && is_ident(*p))) {
		/* Digits run into letters ("12ab", "0x"): report the word. */
		while (p < c->e && is_ident(*p))
			p++;
		return error_at(c, start, "invalid number '%s'",
				quote(start, (size_t)(p - start), q, sizeof(q)));
	}
	if (overflow)
		return error_at(c, start, "number '%s' does not fit in 64 bits",
				quote(start, (size_t)(p - start), q, sizeof(q)));
	*mag = v;
	*pp = p;
	return 0;
}

/*
 * An immediate of bits (32 or 64) bits, signed or unsigned: -2^(bits-1) ..
 * 2^bits-1, two's complement in the low bits of *val.
 */
static int parse_imm(struct asm_ctx *c, const char **pp, unsigned bits, uint64_t *val)
{
	const uint64_t umax = bits == 64 ? ~0ull : (1ull << bits) - 1, smin_mag = 1ull << (bits - 1);
	const char *start = *pp;
	uint64_t mag;
	int neg, err;
	char q[64];

	err = parse_number(c, pp, "immediate", &mag, &neg);
	if (err)
		return err;
	if (neg ? mag > smin_mag : mag > umax)
		return error_at(c, start, "immediate %s does not fit in %u bits",
				quote(start, (size_t)(*pp - start), q, sizeof(q)), bits);
	*val = (neg ? 0 - mag : mag) & umax;
	return 0;
}

/* A 32-bit immediate: -2^31 .. 2^32-1, stored as the low 32 bits. */
static int parse_imm32(struct asm_ctx *c, const char **pp, int32_t *imm)
{
	uint64_t v;
	int err = parse_imm(c, pp, 32, &v);

	if (!err)
		*imm = (int32_t)(uint32_t)v;
	return err;
}

/* A register operand starts here: %rN, or rN as newer bpf_conformance writes. */
static int looks_like_reg(const struct asm_ctx *c, const char *p)
{
	if (p < c->e && *p == '%')
		return 1;
	return p + 1 < c->e && p[0] == 'r' && p[1] >= '0' && p[1] <= '9';
}

static int parse_reg(struct asm_ctx *c, const char **pp, unsigned *reg)
{
	const char *p = *pp, *digits;
	unsigned v = 0;
	char q[64];

	if (p + 1 < c->e && p[0] == '%' && p[1] == 'r')
		digits = p + 2;
	else if (p < c->e && p[0] == 'r')
		digits = p + 1;
	else
		return expected(c, p, "register");
	for (p = digits; p < c->e && *p >= '0' && *p <= '9'; p++)
		if (v < 1000)
			v = v * 10 + (unsigned)(*p - '0');
	if (p == digits || (p < c->e && is_ident(*p)))
		return expected(c, *pp, "register");
	if (v > 10)
		return error_at(c, *pp, "register r%s does not exist (r0-r10)",
				quote(digits, (size_t)(p - digits), q, sizeof(q)));
	*reg = v;
	*pp = p;
	return 0;
}

static int parse_comma(struct asm_ctx *c, const char **pp)
{
	const char *p = skip_ws(c, *pp);

	if (p >= c->e || *p != ',')
		return expected(c, p, "','");
	*pp = skip_ws(c, p + 1);
	return 0;
}

/* A signed 16-bit offset with its sign: +N / -N. */
static int parse_signed_off(struct asm_ctx *c, const char **pp, int64_t lim_lo,
			    int64_t lim_hi, const char *what, int64_t *off)
{
	const char *start = *pp;
	uint64_t mag;
	int neg, err;
	char q[64];

	err = parse_number(c, pp, what, &mag, &neg);
	if (err)
		return err;
	if (neg ? mag > (uint64_t)-lim_lo : mag > (uint64_t)lim_hi)
		return error_at(c, start, "%s %s out of range (%lld..%lld)", what,
				quote(start, (size_t)(*pp - start), q, sizeof(q)),
				(long long)lim_lo, (long long)lim_hi);
	*off = neg ? -(int64_t)mag : (int64_t)mag;
	return 0;
}

/* [%rN], [%rN+off], [%rN-off] */
static int parse_mem(struct asm_ctx *c, const char **pp, unsigned *reg, int16_t *off)
{
	const char *p = *pp;
	int64_t v = 0;
	int err;

	if (p >= c->e || *p != '[')
		return expected(c, p, "memory operand '[%rN+offset]'");
	p = skip_ws(c, p + 1);
	err = parse_reg(c, &p, reg);
	if (err)
		return err;
	p = skip_ws(c, p);
	if (p < c->e && (*p == '+' || *p == '-')) {
		err = parse_signed_off(c, &p, -32768, 32767, "offset", &v);
		if (err)
			return err;
		p = skip_ws(c, p);
	}
	if (p >= c->e || *p != ']')
		return expected(c, p, "'+', '-' or ']'");
	*off = (int16_t)v;
	*pp = p + 1;
	return 0;
}

/*
 * Jump target: +N / -N, or a label (recorded as a fixup for the
 * instruction about to be emitted). imm: 32-bit imm field, else 16-bit off.
 */
static int parse_target(struct asm_ctx *c, const char **pp, int imm, int64_t *val)
{
	const char *p = *pp;
	int err;

	if (p < c->e && (*p == '+' || *p == '-')) {
		if (imm)
			err = parse_signed_off(c, pp, INT32_MIN, INT32_MAX, "jump offset", val);
		else
			err = parse_signed_off(c, pp, -32768, 32767, "jump offset", val);
		return err;
	}
	if (p < c->e && is_ident_start(*p)) {
		const char *name = p;

		while (p < c->e && is_ident(*p))
			p++;
		err = add_fixup(c, name, (size_t)(p - name), imm, name);
		if (err)
			return err;
		*val = 0;
		*pp = p;
		return 0;
	}
	return expected(c, p, "jump target (+N, -N or a label)");
}

/* ---- Instructions ---------------------------------------------------- */

static int parse_lock(struct asm_ctx *c, const char *p, const char **endp)
{
	const char *w = p, *opname;
	size_t n, i;
	int fetch = 0, is32 = 0, err;
	unsigned dst, src;
	int16_t off;
	char q[64];

	while (p < c->e && is_ident(*p))
		p++;
	n = (size_t)(p - w);
	if (n == 5 && !memcmp(w, "fetch", 5)) {
		fetch = 1;
		p = skip_ws(c, p);
		w = p;
		while (p < c->e && is_ident(*p))
			p++;
		n = (size_t)(p - w);
	}
	if (n == 0)
		return expected(c, w, "atomic operation (add, or, and, xor, xchg, cmpxchg)");
	opname = w;
	if (n > 2 && w[n - 2] == '3' && w[n - 1] == '2') {
		is32 = 1;
		n -= 2;
	}
	for (i = 0; i < sizeof(atomics) / sizeof(atomics[0]); i++)
		if (strlen(atomics[i].name) == n && !memcmp(atomics[i].name, w, n))
			break;
	if (i == sizeof(atomics) / sizeof(atomics[0]))
		return error_at(c, opname, "unknown atomic operation '%s' (add, or, and, xor, xchg, cmpxchg, optionally with a 32 suffix)",
				quote(opname, (size_t)(p - opname), q, sizeof(q)));
	p = skip_ws(c, p);
	err = parse_mem(c, &p, &dst, &off);
	if (err)
		return err;
	err = parse_comma(c, &p);
	if (err)
		return err;
	err = parse_reg(c, &p, &src);
	if (err)
		return err;
	*endp = p;
	return emit(c, HERMES_CLS_STX | HERMES_MODE_ATOMIC | (is32 ? HERMES_SZ_W : HERMES_SZ_DW),
		    dst, src, off, atomics[i].imm | (fetch ? HERMES_ATOMIC_FETCH : 0));
}

static int parse_call(struct asm_ctx *c, const char *p, const char **endp)
{
	const char *w = p;
	int32_t imm;
	int64_t t;
	unsigned src = 0;
	size_t n;
	int err;

	while (p < c->e && is_ident_start(*w) && is_ident(*p))
		p++;
	n = (size_t)(p - w);
	if (n == 5 && !memcmp(w, "local", 5)) {
		p = skip_ws(c, p);
		err = parse_target(c, &p, 1, &t);
		if (err)
			return err;
		*endp = p;
		return emit(c, HERMES_JMP_CALL | HERMES_CLS_JMP, 0, 1, 0, (int32_t)t);
	}
	if (n == 6 && !memcmp(w, "helper", 6)) {
		p = skip_ws(c, p);
	} else if (n == 7 && !memcmp(w, "runtime", 7)) {
		src = 2;
		p = skip_ws(c, p);
	} else if (n && is_ident_start(*w) && !looks_like_reg(c, w)) {
		return expected(c, w, "helper number, register, 'local', 'helper' or 'runtime'");
	} else {
		p = w;
	}
	if (src == 0 && looks_like_reg(c, p)) {
		/* call %rN: callx (0x8d, register in dst), not part of RFC 9669. */
		unsigned reg;

		err = parse_reg(c, &p, &reg);
		if (err)
			return err;
		*endp = p;
		return emit(c, HERMES_JMP_CALL | HERMES_CLS_JMP | HERMES_SRC_X, reg, 0, 0, 0);
	}
	err = parse_imm32(c, &p, &imm);
	if (err)
		return err;
	*endp = p;
	return emit(c, HERMES_JMP_CALL | HERMES_CLS_JMP, 0, src, 0, imm);
}

static int parse_insn(struct asm_ctx *c, const struct mnemonic *m, const char *p,
		      const char **endp)
{
	unsigned dst = 0, src = 0;
	int16_t off = 0;
	int32_t imm = 0;
	int xform = 0;
	int64_t t = 0;
	uint64_t v;
	int err;

	switch (m->kind) {
	case K_ALU2:
	case K_JCOND:
		err = parse_reg(c, &p, &dst);
		if (err)
			return err;
		err = parse_comma(c, &p);
		if (err)
			return err;
		if (looks_like_reg(c, p)) {
			err = parse_reg(c, &p, &src);
			xform = 1;
		} else if (p < c->e && (*p == '+' || *p == '-' || (*p >= '0' && *p <= '9'))) {
			err = parse_imm32(c, &p, &imm);
		} else {
			return expected(c, p, "register or immediate");
		}
		if (err)
			return err;
		if (m->kind == K_JCOND) {
			err = parse_comma(c, &p);
			if (!err)
				err = parse_target(c, &p, 0, &t);
			if (err)
				return err;
		}
		*endp = p;
		if (!xform)
			return emit(c, m->opcode, dst, 0,
				    m->kind == K_JCOND ? (int16_t)t : m->off, imm);
		return emit(c, m->opcode | HERMES_SRC_X, dst, src,
			    m->kind == K_JCOND ? (int16_t)t : m->off, 0);
	case K_ALU1:
	case K_END:
		err = parse_reg(c, &p, &dst);
		if (err)
			return err;
		*endp = p;
		return emit(c, m->opcode, dst, 0, 0, m->imm);
	case K_MOVSX:
		err = parse_reg(c, &p, &dst);
		if (!err)
			err = parse_comma(c, &p);
		if (!err)
			err = parse_reg(c, &p, &src);
		if (err)
			return err;
		*endp = p;
		return emit(c, m->opcode, dst, src, m->off, 0);
	case K_LDDW:
		err = parse_reg(c, &p, &dst);
		if (!err)
			err = parse_comma(c, &p);
		if (!err)
			err = parse_imm(c, &p, 64, &v);
		if (err)
			return err;
		*endp = p;
		err = emit(c, HERMES_OP_LDDW, dst, 0, 0, (int32_t)(uint32_t)v);
		if (!err)
			err = emit(c, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
		return err;
	case K_LDX:
		err = parse_reg(c, &p, &dst);
		if (!err)
			err = parse_comma(c, &p);
		if (!err)
			err = parse_mem(c, &p, &src, &off);
		if (err)
			return err;
		*endp = p;
		return emit(c, m->opcode, dst, src, off, 0);
	case K_ST:	/* [dst + off], imm */
	case K_STX:	/* [dst + off], src */
		err = parse_mem(c, &p, &dst, &off);
		if (!err)
			err = parse_comma(c, &p);
		if (!err)
			err = m->kind == K_ST ? parse_imm32(c, &p, &imm) : parse_reg(c, &p, &src);
		if (err)
			return err;
		*endp = p;
		return emit(c, m->opcode, dst, src, off, imm);
	case K_JA:
	case K_JA32:
		err = parse_target(c, &p, m->kind == K_JA32, &t);
		if (err)
			return err;
		*endp = p;
		if (m->kind == K_JA32)
			return emit(c, m->opcode, 0, 0, 0, (int32_t)t);
		return emit(c, m->opcode, 0, 0, (int16_t)t, 0);
	case K_CALL:
		return parse_call(c, p, endp);
	case K_EXIT:
		*endp = p;
		if (c->first_exit == SIZE_MAX)
			c->first_exit = c->n;
		return emit(c, m->opcode, 0, 0, 0, 0);
	case K_LOCK:
		return parse_lock(c, p, endp);
	case K_QUAD:
		err = parse_imm(c, &p, 64, &v);
		if (err)
			return err;
		*endp = p;
		return emit(c, (uint8_t)v, (unsigned)(v >> 8) & 0xf, (unsigned)(v >> 12) & 0xf,
			    (int16_t)(uint16_t)(v >> 16), (int32_t)(uint32_t)(v >> 32));
	}
	return expected(c, p, "instruction");
}

static const struct mnemonic *lookup(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(mnemonics) / sizeof(mnemonics[0]); i++)
		if (strlen(mnemonics[i].name) == n && !memcmp(mnemonics[i].name, w, n))
			return &mnemonics[i];
	return NULL;
}

/* Where the code of the line [p, end) stops: at a comment or the end. */
static const char *code_end(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p == '#' || *p == ';' || (*p == '/' && p + 1 < end && p[1] == '/'))
			return p;
	return end;
}

static int parse_line(struct asm_ctx *c)
{
	const char *p = skip_ws(c, c->line_start), *w, *endp = NULL;
	const struct mnemonic *m;
	char q[64];
	int err;

	if (p >= c->e)
		return 0;
	for (;;) {
		w = p;
		while (p < c->e && is_ident(*p))
			p++;
		if (!(p > w && p < c->e && *p == ':'))
			break;
		if (!is_ident_start(*w))
			return error_at(c, w, "invalid label name '%s' (must not start with a digit)",
					quote(w, (size_t)(p - w), q, sizeof(q)));
		err = define_label(c, w, (size_t)(p - w));
		if (err)
			return err;
		p = skip_ws(c, p + 1);
		if (p >= c->e)
			return 0;
	}
	if (p == w)
		return expected(c, w, "mnemonic or label");
	if (p < c->e && !is_space(*p)) {
		/* Not a plain word: report up to the next space. */
		while (p < c->e && !is_space(*p))
			p++;
		return error_at(c, w, "unknown mnemonic '%s'", quote(w, (size_t)(p - w), q, sizeof(q)));
	}
	m = lookup(w, (size_t)(p - w));
	if (!m)
		return error_at(c, w, "unknown mnemonic '%s'", quote(w, (size_t)(p - w), q, sizeof(q)));
	p = skip_ws(c, p);
	err = parse_insn(c, m, p, &endp);
	if (err)
		return err;
	p = skip_ws(c, endp);
	if (p < c->e)
		return error_at(c, p, "unexpected '%s' after the %s instruction",
				quote(p, token_len(p, c->e), q, sizeof(q)), m->name);
	return 0;
}

static int resolve(struct asm_ctx *c)
{
	for (size_t i = 0; i < c->nfix; i++) {
		const struct fixup *f = &c->fix[i];
		const struct label *l = find_label(c, f->name, f->len);
		size_t target;
		int64_t d;
		char q[64];

		if (l)
			target = l->slot;
		else if (f->len == 4 && !memcmp(f->name, "exit", 4) && c->first_exit != SIZE_MAX)
			target = c->first_exit; /* bpf_conformance: 'exit' = first exit */
		else {
			c->err->line = f->line;
			c->err->col = f->col;
			snprintf(c->err->msg, sizeof(c->err->msg), "undefined label '%s'",
				 quote(f->name, f->len, q, sizeof(q)));
			return -EINVAL;
		}
		d = (int64_t)target - (int64_t)f->slot - 1;
		if (f->imm ? (d < INT32_MIN || d > INT32_MAX) : (d < -32768 || d > 32767)) {
			c->err->line = f->line;
			c->err->col = f->col;
			snprintf(c->err->msg, sizeof(c->err->msg),
				 "jump offset out of range: label '%s' is %lld slots away (%s)",
				 quote(f->name, f->len, q, sizeof(q)), (long long)d,
				 f->imm ? "32-bit imm" : "-32768..32767");
			return -EINVAL;
		}
		if (f->imm)
			c->out[f->slot].imm = (int32_t)d;
		else
			c->out[f->slot].off = (int16_t)d;
	}
	return 0;
}

int hermes_asm(const char *text, struct hermes_insn **insns, size_t *nslots,
	       struct hermes_asm_error *err)
{
	struct hermes_asm_error dummy;
	struct asm_ctx c;
	const char *p;
	int ret = 0;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if (!text || !insns || !nslots) {
		snprintf(err->msg, sizeof(err->msg), "hermes_asm: text, insns and nslots are required");
		return -EINVAL;
	}
	memset(&c, 0, sizeof(c));
	c.err = err;
	c.first_exit = SIZE_MAX;
	for (p = text;;) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);

		if (c.line == UINT32_MAX) {
			ret = error_at(&c, p, "too many lines");
			break;
		}
		c.line++;
		c.line_start = p;
		c.e = code_end(p, end);
		ret = parse_line(&c);
		if (ret || !nl)
			break;
		p = nl + 1;
	}
	if (!ret)
		ret = resolve(&c);
	if (ret == -ENOMEM) {
		err->line = c.line;
		err->col = 1;
		snprintf(err->msg, sizeof(err->msg), "out of memory");
	}
	free(c.fix);
	free(c.labels);
	free(c.index);
	if (ret) {
		free(c.out);
		return ret;
	}
	if (c.n == 0) {
		free(c.out);
		c.out = NULL;
	}
	memset(err, 0, sizeof(*err));
	*insns = c.out;
	*nslots = c.n;
	return 0;
}
