/* SPDX-License-Identifier: MIT */
/*
 * maps_random - lockstep of helper calls and map storage: random programs
 * with maps (raw images given their maps with hermes_prog_set_maps) are
 * loaded on the simulated card as objects and run several times each,
 * keeping their maps, on several engines; every run is checked by the
 * co-simulation (host/src/debug/cosim.c, hermes_cosim_check_obj): each
 * retire record, the run's result and, after the run, the whole map slot
 * (descriptors, trace buffers, storage) against the reference VM started
 * from the map slot the card had before the run.
 *
 *   maps_random [-n COUNT] [-s SEED] [-r RUNS] [-v]
 *
 * A program has 1-4 maps (ARRAY, PERCPU_ARRAY, HASH of random key and
 * value sizes and sizes), then 6-40 operations: lookup (and loads,
 * stores, atomics through the value pointer, padding included), update
 * with flags 0-7 and bad ones, delete, on keys from a small pool (hits,
 * absent keys, full hashes, collisions) taken from the stack or the data
 * slot, some depending on the input; updates whose value lies in the map
 * slot (a lookup's pointer, lddw src 6), overlapping the destination at
 * times; ktime, prandom, the engine index, trace_printk (past the 31
 * records too), loads of descriptors, map value addresses (lddw src 6), a
 * counter in the program slot's globals. About a third of the programs
 * carry one operation that can fault: a bad map pointer (cause 9), a key
 * or value out of bounds (1; or an error code when the checks before it
 * decide), a store to the descriptors (2); one in 20 ends with a helper
 * call in the last slot (its own fault, else 3 with nothing changed).
 * Between runs the host sometimes updates or deletes through hermes_map_*.
 * Before them: the checker's option handling, a wrong start it must
 * report, and a directed case of overlapping values.
 *
 * Each failure prints the program's seed (rerun it alone with -n 1 -s
 * SEED -v) and the co-simulation's report; the run closes with what the
 * helpers answered and how runs ended, and fails when a default-sized run
 * (COUNT >= 100) has not met every helper result and fault it is meant to.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "cosim.h"
#include "gen.h"
#include "map_slot.h"

#define MAX_SLOTS 4096
#define MAX_MAPS 4
#define POOL_MAX 12
#define IN_LEN 64
#define GLOBALS 16
#define KEY_OFF (-64)   /* key buffer [r10-64, r10) */
#define VAL_OFF (-256)  /* value buffer [r10-256, r10-64) */
#define DKEY_OFF 256    /* keys copied to the data slot: r6 + 256 */

/* Registers: r6 data base, r7 accumulator, r8 value pointer, r9 loop counter. */
enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

struct gmap {
	struct hermes_map_info info;
	char name[16];
	uint8_t pool[POOL_MAX][HERMES_MAP_KEY_MAX];
	unsigned npool;
};

struct gen {
	struct hermes_rng rng;
	struct hermes_insn *code;
	size_t n;
	int overflow;
	struct gmap maps[MAX_MAPS];
	unsigned nmaps;
	size_t global_at[64];   /* lddw slots to point at the globals once code_len is known */
	unsigned nglobal;
};

static uint64_t rnd(struct gen *g) { return hermes_rng_next(&g->rng); }
static unsigned below(struct gen *g, unsigned n) { return (unsigned)(rnd(g) % n); }
static int one_in(struct gen *g, unsigned n) { return below(g, n) == 0; }

static void ins(struct gen *g, uint8_t op, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	if (g->n >= MAX_SLOTS - 8) {
		g->overflow = 1;
		return;
	}
	g->code[g->n].opcode = op;
	g->code[g->n].regs = (uint8_t)(dst | src << 4);
	g->code[g->n].off = off;
	g->code[g->n].imm = imm;
	g->n++;
}

static void lddw(struct gen *g, unsigned dst, unsigned src, uint32_t lo, uint32_t hi)
{
	ins(g, 0x18, dst, src, 0, (int32_t)lo);
	ins(g, 0x00, 0, 0, 0, (int32_t)hi);
}

static void ld64(struct gen *g, unsigned dst, uint64_t v) { lddw(g, dst, 0, (uint32_t)v, (uint32_t)(v >> 32)); }
static void mov_imm(struct gen *g, unsigned dst, int32_t v) { ins(g, 0xb7, dst, 0, 0, v); }
static void mov_reg(struct gen *g, unsigned dst, unsigned src) { ins(g, 0xbf, dst, src, 0, 0); }
static void add_imm(struct gen *g, unsigned dst, int32_t v) { ins(g, 0x07, dst, 0, 0, v); }
static void call(struct gen *g, int32_t id) { ins(g, 0x85, 0, 0, 0, id); }

/* acc = acc * 31 + reg */
static void mix(struct gen *g, unsigned reg)
{
	ins(g, 0x27, R7, 0, 0, 31);
	ins(g, 0x0f, R7, reg, 0, 0);
}

static const uint8_t ldx_op[9] = { [1] = 0x71, [2] = 0x69, [4] = 0x61, [8] = 0x79 };
static const uint8_t stx_op[9] = { [1] = 0x73, [2] = 0x6b, [4] = 0x63, [8] = 0x7b };
static const unsigned sizes[4] = { 1, 2, 4, 8 };

static uint32_t round8(uint32_t v) { return (v + 7u) & ~7u; }

static uint32_t vstride(const struct gmap *m) { return round8(m->info.value_size); }

static const struct gmap *pick_map(struct gen *g, unsigned *mi)
{
	*mi = below(g, g->nmaps);
	return &g->maps[*mi];
}

/* r1 = the map's descriptor address (lddw src 5). */
static void map_ptr(struct gen *g, unsigned mi) { lddw(g, R1, 5, mi, 0); }

/* A key for map m at [r10+KEY_OFF] (or copied to the data slot); r2 points at it. */
static void put_key(struct gen *g, const struct gmap *m)
{
	uint32_t ks = m->info.key_size;

	if (m->info.type != HERMES_MAP_TYPE_HASH) {
		uint32_t idx = one_in(g, 8) ? 0xffffffffu : below(g, m->info.max_entries + 2);

		if (one_in(g, 3)) {
			ins(g, 0x71, R2, R6, (int16_t)below(g, IN_LEN), 0);
			ins(g, 0x57, R2, 0, 0, 7);
			ins(g, 0x63, R10, R2, KEY_OFF, 0);
		} else {
			ins(g, 0x62, R10, 0, KEY_OFF, (int32_t)idx);
		}
		ins(g, 0x62, R10, 0, KEY_OFF + 4, (int32_t)rnd(g)); /* past the key: ignored */
	} else {
		const uint8_t *k = m->pool[below(g, m->npool)];

		/* the key, then garbage to the next 8 bytes (compared on key_size bytes only) */
		for (uint32_t w = 0; w < round8(ks) / 4; w++) {
			uint32_t v = (uint32_t)rnd(g);

			for (uint32_t b = 0; b < 4; b++)
				if (4 * w + b < ks)
					v = (v & ~(0xffu << (8 * b))) | (uint32_t)k[4 * w + b] << (8 * b);
			ins(g, 0x62, R10, 0, (int16_t)(KEY_OFF + 4 * (int)w), (int32_t)v);
		}
		if (one_in(g, 4)) { /* key byte 0 ^= input bit */
			ins(g, 0x71, R2, R6, (int16_t)below(g, IN_LEN), 0);
			ins(g, 0x57, R2, 0, 0, 1);
			ins(g, 0x71, R3, R10, KEY_OFF, 0);
			ins(g, 0xaf, R3, R2, 0, 0);
			ins(g, 0x73, R10, R3, KEY_OFF, 0);
		}
	}
	if (one_in(g, 6)) { /* from the data slot, at times unaligned */
		int16_t at = (int16_t)(DKEY_OFF + below(g, 4));

		for (int w = 0; w < (int)round8(ks) / 8; w++) {
			ins(g, 0x79, R2, R10, (int16_t)(KEY_OFF + 8 * w), 0);
			ins(g, 0x7b, R6, R2, (int16_t)(at + 8 * w), 0);
		}
		mov_reg(g, R2, R6);
		add_imm(g, R2, at);
	} else {
		mov_reg(g, R2, R10);
		add_imm(g, R2, KEY_OFF);
	}
}

/* A value for map m at [r10+VAL_OFF+mis]; r3 points at it. */
static void put_value(struct gen *g, const struct gmap *m)
{
	unsigned mis = one_in(g, 4) ? below(g, 4) : 0;
	uint32_t bytes = round8(m->info.value_size) + 8;

	for (uint32_t w = 0; w < bytes / 4; w++)
		ins(g, 0x62, R10, 0, (int16_t)(VAL_OFF + 4 * (int)w), (int32_t)rnd(g));
	if (one_in(g, 3)) {
		ins(g, 0x71, R3, R6, (int16_t)below(g, IN_LEN), 0);
		ins(g, 0x73, R10, R3, (int16_t)(VAL_OFF + mis + below(g, m->info.value_size)), 0);
	}
	mov_reg(g, R3, R10);
	add_imm(g, R3, VAL_OFF + (int)mis);
}

static void put_flags(struct gen *g)
{
	static const uint64_t pool[] = { 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 0x100,
					 UINT64_MAX, 1ull << 32 };
	uint64_t f = pool[below(g, sizeof(pool) / sizeof(pool[0]))];

	if (f <= 0x7fffffff || f == UINT64_MAX)
		mov_imm(g, R4, (int32_t)f);
	else
		ld64(g, R4, f);
}

/* After a lookup: when r0 != 0, read, write or add through it, padding included. */
static void use_value(struct gen *g, const struct gmap *m)
{
	size_t jeq = g->n;
	uint32_t vs = vstride(m);
	unsigned s = sizes[below(g, 4)];

	ins(g, 0x15, R0, 0, 0, 0); /* jeq r0, 0, +skip (patched) */
	mov_reg(g, R8, R0);
	while (s > vs)
		s /= 2;
	ins(g, ldx_op[s], R2, R8, (int16_t)below(g, vs - s + 1), 0);
	mix(g, R2);
	switch (below(g, 4)) {
	case 0:
	case 1:
		s = sizes[below(g, 4)];
		while (s > vs)
			s /= 2;
		ins(g, stx_op[s], R8, R7, (int16_t)below(g, vs - s + 1), 0);
		break;
	case 2: { /* atomic add, with fetch at times */
		unsigned as = vs >= 8 && one_in(g, 2) ? 8 : 4;
		int fetch = one_in(g, 2);

		if (vs < 4)
			break;
		mov_reg(g, R2, R7);
		ins(g, as == 8 ? 0xdb : 0xc3, R8, R2, (int16_t)(as * below(g, vs / as)), fetch ? 0x01 : 0x00);
		if (fetch)
			mix(g, R2);
		break;
	}
	default:
		break;
	}
	g->code[jeq].off = (int16_t)(g->n - jeq - 1);
}

/* A helper call on map m with the usual arguments: 1 lookup, 2 update, 3 delete. */
static void map_call(struct gen *g, unsigned mi, int id)
{
	const struct gmap *m = &g->maps[mi];

	put_key(g, m);
	if (id == 2) {
		put_value(g, m);
		put_flags(g);
	}
	map_ptr(g, mi);
	call(g, id);
}

/* A bad pointer: nothing readable, or readable too short for n bytes. */
static void bad_ptr(struct gen *g, unsigned reg, uint32_t n)
{
	switch (below(g, 5)) {
	case 0:
		mov_imm(g, reg, (int32_t)below(g, 64));
		break;
	case 1:
		ld64(g, reg, HERMES_STACK_BASE + HERMES_STACK_SIZE - (n > 1 ? below(g, n - 1) + 1 : 0));
		break;
	case 2:
		ld64(g, reg, HERMES_DATA_BASE + HERMES_DEFAULT_DATA_SLOT_SIZE - (n > 1 ? 1 : 0));
		break;
	case 3:
		ld64(g, reg, HERMES_MAP_BASE + HERMES_DEFAULT_MAP_SLOT_SIZE - (n > 1 ? 1 : 0));
		break;
	default:
		ld64(g, reg, 0x50000000ull + below(g, 256));
		break;
	}
}

/* One operation that may fault (or get an error code, when a check before the fault decides). */
static void faulty_op(struct gen *g)
{
	unsigned mi;
	const struct gmap *m = pick_map(g, &mi);
	int id = 1 + (int)below(g, 3);

	switch (below(g, 4)) {
	case 0: /* map pointer that is no used descriptor: cause 9 */
		put_key(g, m);
		put_value(g, m);
		put_flags(g);
		switch (below(g, 4)) {
		case 0:
			map_ptr(g, mi);
			add_imm(g, R1, 8 * (int)(1 + below(g, 7)));
			break;
		case 1:
			ld64(g, R1, HERMES_MAP_BASE + HERMES_MAP_DESC_SIZE * (g->nmaps + below(g, HERMES_MAP_MAX - g->nmaps)));
			break;
		case 2:
			ld64(g, R1, HERMES_MAP_BASE + HERMES_MAP_TRACE_OFF + HERMES_MAP_DESC_SIZE * below(g, 8));
			break;
		default:
			mov_reg(g, R1, R6);
			break;
		}
		call(g, id);
		break;
	case 1: /* key out of bounds: fault 1 at r2, unless flags or an array delete decide first */
		put_value(g, m);
		put_flags(g);
		bad_ptr(g, R2, m->info.key_size);
		map_ptr(g, mi);
		call(g, id);
		break;
	case 2: /* value out of bounds: fault 1 at r3 only when the value is to be copied */
		put_key(g, m);
		put_flags(g);
		if (one_in(g, 2))
			mov_imm(g, R4, 0);
		bad_ptr(g, R3, m->info.value_size);
		map_ptr(g, mi);
		call(g, 2);
		break;
	default: /* a store to the descriptors: fault 2 */
		map_ptr(g, mi);
		ins(g, 0x62, R1, 0, 36, 5);
		break;
	}
	mix(g, R0);
}

static void op(struct gen *g)
{
	unsigned mi, k = below(g, 100);
	const struct gmap *m = pick_map(g, &mi);
	size_t skip = 0;
	int cond = one_in(g, 4);

	if (cond) { /* on an input bit */
		ins(g, 0x71, R2, R6, (int16_t)below(g, IN_LEN), 0);
		ins(g, 0x57, R2, 0, 0, 1 << below(g, 8));
		skip = g->n;
		ins(g, 0x15, R2, 0, 0, 0);
	}
	if (k < 26) {
		map_call(g, mi, 1);
		mix(g, R0);
		use_value(g, m);
	} else if (k < 54) {
		map_call(g, mi, 2);
		mix(g, R0);
	} else if (k < 68) {
		map_call(g, mi, 3);
		mix(g, R0);
	} else if (k < 72) {
		call(g, HERMES_HELPER_KTIME);
		ins(g, 0xaf, R7, R0, 0, 0);
	} else if (k < 76) {
		call(g, HERMES_HELPER_PRANDOM);
		mix(g, R0);
	} else if (k < 79) {
		call(g, HERMES_HELPER_CPU_ID);
		mix(g, R0);
	} else if (k < 86) { /* trace_printk, at times in a loop past the 31 records */
		size_t top;
		int loop = one_in(g, 3);

		if (loop)
			mov_imm(g, R9, (int32_t)(20 + below(g, 16)));
		top = g->n;
		ld64(g, R1, HERMES_PROG_BASE + 8 * below(g, 16));
		mov_imm(g, R2, (int32_t)below(g, 40));
		mov_reg(g, R3, R7);
		mov_reg(g, R4, R6);
		mov_imm(g, R5, (int32_t)rnd(g));
		call(g, HERMES_HELPER_TRACE);
		mix(g, R0);
		if (loop) {
			add_imm(g, R9, -1);
			ins(g, 0x55, R9, 0, (int16_t)(top - g->n - 1), 0);
		}
	} else if (k < 90) { /* a descriptor field, read through the window */
		static const int16_t fields[] = { 0, 4, 8, 12, 16, 28, 36, 36, 40 };

		map_ptr(g, mi);
		ins(g, 0x61, R2, R1, fields[below(g, sizeof(fields) / sizeof(fields[0]))], 0);
		mix(g, R2);
	} else if (k < 94) { /* the counter in the program slot's globals */
		if (g->nglobal < sizeof(g->global_at) / sizeof(g->global_at[0])) {
			g->global_at[g->nglobal++] = g->n;
			ld64(g, R1, 0);
			ins(g, 0x79, R2, R1, 0, 0);
			add_imm(g, R2, 1);
			ins(g, 0x7b, R1, R2, 0, 0);
			mix(g, R2);
		}
	} else if (k < 97 && one_in(g, 2)) { /* an update whose value is one a lookup found: it may overlap */
		unsigned mj;
		const struct gmap *src = pick_map(g, &mj);
		size_t jeq;

		map_call(g, mj, 1);
		mix(g, R0);
		jeq = g->n;
		ins(g, 0x15, R0, 0, 0, 0);
		mov_reg(g, R8, R0);
		add_imm(g, R8, (int32_t)below(g, vstride(src)));
		put_key(g, m);
		put_flags(g);
		mov_reg(g, R3, R8);
		map_ptr(g, mi);
		call(g, 2);
		mix(g, R0);
		g->code[jeq].off = (int16_t)(g->n - jeq - 1);
	} else if (k < 97) { /* an update whose value is read from map storage (lddw src 6): it may overlap */
		int arr = -1;

		for (unsigned i = 0; i < g->nmaps && arr < 0; i++)
			if (g->maps[(mi + i) % g->nmaps].info.type == HERMES_MAP_TYPE_ARRAY)
				arr = (int)((mi + i) % g->nmaps);
		put_key(g, m);
		put_flags(g);
		if (arr >= 0) {
			const struct gmap *a = &g->maps[arr];

			lddw(g, R3, 6, (uint32_t)arr, below(g, a->info.max_entries * vstride(a)));
		} else {
			put_value(g, m);
		}
		map_ptr(g, mi);
		call(g, 2);
		mix(g, R0);
	} else { /* an ARRAY value by address (lddw src 6) */
		for (unsigned i = 0; i < g->nmaps; i++) {
			const struct gmap *a = &g->maps[(mi + i) % g->nmaps];

			if (a->info.type != HERMES_MAP_TYPE_ARRAY || vstride(a) < 4)
				continue;
			lddw(g, R1, 6, (mi + i) % g->nmaps,
			     below(g, a->info.max_entries) * vstride(a) + below(g, vstride(a) - 3));
			ins(g, 0x61, R2, R1, 0, 0);
			mix(g, R2);
			add_imm(g, R2, 3);
			ins(g, 0x63, R1, R2, 0, 0);
			break;
		}
	}
	if (cond)
		g->code[skip].off = (int16_t)(g->n - skip - 1);
}

static void gen_maps(struct gen *g)
{
	static const uint32_t vsizes[] = { 1, 2, 3, 4, 5, 7, 8, 12, 16, 20, 24, 31, 32, 40, 64, 100 };
	static const uint32_t ksizes[] = { 1, 2, 3, 4, 5, 8, 12, 16, 20, 33, 64 };

	g->nmaps = 1 + below(g, MAX_MAPS);
	for (unsigned i = 0; i < g->nmaps; i++) {
		struct gmap *m = &g->maps[i];
		unsigned t = below(g, 3);

		memset(m, 0, sizeof(*m));
		snprintf(m->name, sizeof(m->name), "m%u", i);
		m->info.name = m->name;
		m->info.value_size = vsizes[below(g, sizeof(vsizes) / sizeof(vsizes[0]))];
		if (t == 0) {
			m->info.type = HERMES_MAP_TYPE_HASH;
			m->info.key_size = ksizes[below(g, sizeof(ksizes) / sizeof(ksizes[0]))];
			m->info.max_entries = one_in(g, 5) ? 8 + below(g, 9) : 1 + below(g, 6);
			m->npool = m->info.max_entries + 3 < POOL_MAX ? m->info.max_entries + 3 : POOL_MAX;
			for (unsigned p = 0; p < m->npool; p++)
				for (unsigned b = 0; b < m->info.key_size; b++)
					m->pool[p][b] = (uint8_t)(m->info.key_size < 3 ? below(g, 4) : rnd(g));
		} else {
			m->info.type = t == 1 ? HERMES_MAP_TYPE_ARRAY : HERMES_MAP_TYPE_PERCPU_ARRAY;
			m->info.key_size = 4;
			m->info.max_entries = 1 + below(g, 8);
		}
	}
}

/* The program (code then GLOBALS bytes of globals) and its maps. */
static int gen_program(uint64_t seed, struct hermes_insn *code, struct hermes_prog **progp, size_t *nslots)
{
	struct gen g;
	unsigned nops, fault_at;
	int tail_call;
	uint8_t *image;
	int err;

	memset(&g, 0, sizeof(g));
	g.code = code;
	hermes_rng_seed(&g.rng, seed);
	gen_maps(&g);
	nops = 6 + below(&g, 35);
	fault_at = one_in(&g, 3) ? below(&g, nops + 1) : UINT32_MAX;
	tail_call = one_in(&g, 20);
	mov_reg(&g, R6, R1);
	ld64(&g, R7, rnd(&g));
	for (unsigned i = 0; i <= nops; i++) {
		if (i == fault_at)
			faulty_op(&g);
		if (i < nops)
			op(&g);
	}
	if (tail_call) {
		/* a helper in the last slot: its own fault first, else running off the end */
		unsigned mi = below(&g, g.nmaps), t = below(&g, 6);

		if (t < 3) {
			map_call(&g, mi, 1 + (int)t);
		} else if (t == 3) {
			mov_reg(&g, R3, R7);
			call(&g, HERMES_HELPER_TRACE);
		} else {
			call(&g, t == 4 ? HERMES_HELPER_PRANDOM : one_in(&g, 2) ? HERMES_HELPER_KTIME : HERMES_HELPER_CPU_ID);
		}
	} else {
		mov_reg(&g, R0, R7);
		ins(&g, 0x95, 0, 0, 0, 0);
	}
	if (g.overflow)
		return -ENOSPC;
	for (unsigned i = 0; i < g.nglobal; i++) {
		uint64_t a = HERMES_PROG_BASE + g.n * 8;

		code[g.global_at[i]].imm = (int32_t)(uint32_t)a;
		code[g.global_at[i] + 1].imm = (int32_t)(uint32_t)(a >> 32);
	}
	image = calloc(1, g.n * 8 + GLOBALS);
	if (!image)
		return -ENOMEM;
	memcpy(image, code, g.n * 8);
	err = hermes_prog_from_image(image, g.n * 8 + GLOBALS, g.n * 8, progp);
	free(image);
	if (err)
		return err;
	{
		struct hermes_map_info infos[MAX_MAPS];

		for (unsigned i = 0; i < g.nmaps; i++)
			infos[i] = g.maps[i].info;
		if ((err = hermes_prog_set_maps(*progp, infos, g.nmaps))) {
			hermes_prog_free(*progp);
			return err;
		}
	}
	*nslots = g.n;
	return 0;
}

/* ---- what the helpers answered, how runs ended ---- */

enum { RES_OK, RES_EINVAL, RES_ENOENT, RES_EEXIST, RES_E2BIG, RES_ENOSPC, RES_NULL, RES_PTR, RES_KINDS };
static const char *const res_names[RES_KINDS] = { "0", "-EINVAL", "-ENOENT", "-EEXIST", "-E2BIG", "-ENOSPC",
						  "NULL", "pointer" };

struct stats {
	unsigned long long calls[9][RES_KINDS]; /* helper id, result kind */
	unsigned long long ends[10];            /* success, then fault causes 1-9 */
	unsigned long long runs, records, host_ops, engines_used[16];
};

static void count_records(struct stats *s, const struct hermes_retire *r, size_t n)
{
	s->records += n;
	for (size_t i = 0; i < n; i++) {
		int32_t id = (int32_t)(uint32_t)(r[i].insn >> 32);
		int64_t v = (int64_t)r[i].rd_value;
		unsigned k;

		if ((r[i].insn & 0xff) != 0x85 || ((r[i].insn >> 12) & 0xf) || id < 1 || id > 8)
			continue;
		if (id == 1)
			k = v ? RES_PTR : RES_NULL;
		else if (id == 5 || id == 7 || id == 8)
			k = RES_OK;
		else
			k = v == 0 ? RES_OK : v == -EINVAL ? RES_EINVAL : v == -ENOENT ? RES_ENOENT
			    : v == -EEXIST ? RES_EEXIST : v == -E2BIG ? RES_E2BIG : v == -ENOSPC ? RES_ENOSPC : RES_OK;
		s->calls[id][k]++;
	}
}

static int report_stats(const struct stats *s, int require)
{
	static const struct { int id; unsigned kind; } want[] = {
		{ 1, RES_PTR }, { 1, RES_NULL }, { 2, RES_OK }, { 2, RES_EINVAL }, { 2, RES_ENOENT },
		{ 2, RES_EEXIST }, { 2, RES_E2BIG }, { 3, RES_OK }, { 3, RES_EINVAL }, { 3, RES_ENOENT },
		{ 6, RES_OK }, { 6, RES_ENOSPC }, { 5, RES_OK }, { 7, RES_OK }, { 8, RES_OK },
	};
	static const unsigned want_ends[] = { 0, HERMES_FAULT_LOAD, HERMES_FAULT_STORE, HERMES_FAULT_FETCH,
					      HERMES_FAULT_BAD_HELPER_ARG };
	static const char *const names[9] = { "", "lookup", "update", "delete", "", "ktime", "trace_printk",
					      "prandom", "cpu_id" };
	int missing = 0;

	printf("helper results seen (RTL records):");
	for (int id = 1; id <= 8; id++) {
		if (id == 4)
			continue;
		printf("\n  %-12s", names[id]);
		for (unsigned k = 0; k < RES_KINDS; k++)
			if (s->calls[id][k])
				printf(" %s x%llu", res_names[k], s->calls[id][k]);
	}
	printf("\nruns: %llu (%llu records, %llu host map operations between runs); ended:", s->runs, s->records,
	       s->host_ops);
	if (s->ends[0])
		printf(" exit x%llu", s->ends[0]);
	for (unsigned c = 1; c < 10; c++)
		if (s->ends[c])
			printf(" fault %u x%llu", c, s->ends[c]);
	printf("\nengines:");
	for (unsigned e = 0; e < 16; e++)
		if (s->engines_used[e])
			printf(" %u x%llu", e, s->engines_used[e]);
	printf("\n");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!s->calls[want[i].id][want[i].kind]) {
			printf("%s: no %s returned %s\n", require ? "FAIL" : "note", names[want[i].id],
			       res_names[want[i].kind]);
			missing++;
		}
	for (size_t i = 0; i < sizeof(want_ends) / sizeof(want_ends[0]); i++)
		if (!s->ends[want_ends[i]]) {
			printf("%s: no run ended with %s %u\n", require ? "FAIL" : "note",
			       want_ends[i] ? "fault" : "exit", want_ends[i]);
			missing++;
		}
	return require && missing;
}

static void print_program(const struct hermes_insn *code, size_t n)
{
	char buf[HERMES_DISASM_LEN];

	for (size_t pc = 0; pc < n;) {
		int k = hermes_disasm_insn(code, n, pc, buf, sizeof(buf));

		printf("    %4zu: %s\n", pc, k > 0 ? buf : "?");
		pc += k > 0 ? (size_t)k : 1;
	}
}

/*
 * The checker's own answers: options from a newer caller with an unknown
 * field set, and a missing map slot, are refused; a map slot that is not
 * the card's is reported (the check can fail).
 */
static int api_checks(struct hermes_dev *sim, struct hermes_cosim *cosim, struct hermes_insn *code)
{
	struct {
		struct hermes_cosim_obj_opts o;
		uint64_t newer;
	} big = { { .sz = sizeof(big) }, 1 };
	struct hermes_run_opts ro = { .sz = sizeof(ro), .engine = 1 };
	struct hermes_run_result res;
	struct hermes_prog *prog;
	struct hermes_obj *obj;
	uint8_t *slot;
	char report[512], want[128];
	size_t n, last;
	int rc, bad = 0;

	if (gen_program(7, code, &prog, &n) || hermes_obj_load(sim, prog, NULL, &obj)) {
		printf("FAIL: api checks: cannot load a program: %s\n", hermes_dev_errmsg(sim));
		return 1;
	}
	slot = calloc(1, hermes_cosim_obj_slot_size(obj, HERMES_COSIM_MAP_SLOT));
	if (!slot || hermes_cosim_obj_read(obj, HERMES_COSIM_MAP_SLOT, 0, slot, hermes_cosim_obj_slot_size(obj, 0))) {
		printf("FAIL: api checks: cannot read the map slot: %s\n", hermes_dev_errmsg(sim));
		bad = 1;
		goto out;
	}
	hermes_cosim_clear(cosim);
	if (hermes_obj_run(obj, "0123456789abcdef", 16, NULL, 0, &ro, &res)) {
		printf("FAIL: api checks: run: %s\n", hermes_dev_errmsg(sim));
		bad = 1;
		goto out;
	}
	if ((rc = hermes_cosim_check_obj(cosim, 1, obj, slot, "0123456789abcdef", 16, &big.o, report,
					 sizeof(report))) != -EINVAL) {
		printf("FAIL: api checks: options with an unknown field set gave %d, not -EINVAL\n", rc);
		bad = 1;
	}
	if ((rc = hermes_cosim_check_obj(cosim, 1, obj, NULL, "0123456789abcdef", 16, NULL, report,
					 sizeof(report))) != -EINVAL) {
		printf("FAIL: api checks: no map slot gave %d, not -EINVAL\n", rc);
		bad = 1;
	}
	/* a byte no program touches, changed in the VM's start, is found */
	last = hermes_cosim_obj_slot_size(obj, HERMES_COSIM_MAP_SLOT) - 1;
	slot[last] ^= 0x40;
	snprintf(want, sizeof(want), "offset 0x%zx (storage outside every map): card 0x00, reference VM 0x40", last);
	if ((rc = hermes_cosim_check_obj(cosim, 1, obj, slot, "0123456789abcdef", 16, NULL, report,
					 sizeof(report))) != 1 || !strstr(report, want)) {
		printf("FAIL: api checks: a changed byte in the VM's map slot gave %d: %s\n", rc, report);
		bad = 1;
	} else {
		printf("api checks: a wrong start is reported: %s\n", report);
	}
out:
	free(slot);
	hermes_obj_unload(obj);
	hermes_prog_free(prog);
	return bad;
}

/*
 * Directed: updates whose value overlaps the value they replace, below and
 * above it (docs/MAPS.md: the bytes r3 pointed at when the call began), on
 * an ARRAY of 24-byte values; r0 is the last word of index 1, which holds
 * index 0's words 1 and 2 and index 1's word 0 (zero) after the first copy.
 */
static int overlap_check(struct hermes_dev *sim, struct hermes_cosim *cosim)
{
	static const char src[] =
		"stdw [%r10-8], 0\n"
		"lddw %r1, 0x0102030405060708\nstxdw [%r10-40], %r1\n"
		"lddw %r1, 0x1112131415161718\nstxdw [%r10-32], %r1\n"
		"lddw %r1, 0x2122232425262728\nstxdw [%r10-24], %r1\n"
		"lddw %r1, 0x40000000\nmov %r2, %r10\nadd %r2, -8\nmov %r3, %r10\nadd %r3, -40\nmov %r4, 0\ncall 2\n"
		"stw [%r10-8], 1\nlddw %r1, 0x40000000\nmov %r2, %r10\nadd %r2, -8\n"
		"lddw %r3, 0x40009008\nmov %r4, 0\ncall 2\n"      /* index 1 from 8 bytes into index 0: above its source */
		"stw [%r10-8], 0\nlddw %r1, 0x40000000\nmov %r2, %r10\nadd %r2, -8\n"
		"lddw %r3, 0x40009010\nmov %r4, 0\ncall 2\n"      /* index 0 from 16 bytes in: below its source */
		"lddw %r1, 0x40009028\nldxdw %r0, [%r1]\nexit\n";
	struct hermes_map_info mi = { "a", HERMES_MAP_TYPE_ARRAY, 4, 24, 4, 0 };
	struct hermes_run_opts ro = { .sz = sizeof(ro), .engine = 2 };
	struct hermes_cosim_obj_opts co = { .sz = sizeof(co) };
	struct hermes_asm_error ae;
	struct hermes_run_result res;
	struct hermes_insn *code = NULL;
	struct hermes_prog *prog = NULL;
	struct hermes_obj *obj = NULL;
	uint8_t *slot = NULL;
	char report[512];
	size_t n;
	int rc = -1;

	if (hermes_asm(src, &code, &n, &ae) || hermes_prog_from_bytecode(code, n * 8, &prog) ||
	    hermes_prog_set_maps(prog, &mi, 1) || hermes_obj_load(sim, prog, NULL, &obj) ||
	    !(slot = malloc(hermes_cosim_obj_slot_size(obj, HERMES_COSIM_MAP_SLOT))) ||
	    hermes_cosim_obj_read(obj, HERMES_COSIM_MAP_SLOT, 0, slot, hermes_cosim_obj_slot_size(obj, 0))) {
		printf("FAIL: overlapping values: cannot set up: %s %s\n", ae.msg, hermes_dev_errmsg(sim));
		goto out;
	}
	hermes_cosim_clear(cosim);
	if (hermes_obj_run(obj, "x", 1, NULL, 0, &ro, &res)) {
		printf("FAIL: overlapping values: run: %s\n", hermes_dev_errmsg(sim));
		goto out;
	}
	co.result = &res;
	rc = hermes_cosim_check_obj(cosim, (unsigned)res.engine, obj, slot, "x", 1, &co, report, sizeof(report));
	if (rc)
		printf("FAIL: overlapping values: %s\n", rc < 0 ? hermes_dev_errmsg(sim) : report);
	else if (res.status != HERMES_ST_SUCCESS || res.r0 != 0)
		printf("FAIL: overlapping values: the card's r0 0x%" PRIx64 " (status %u), not 0\n", res.r0, res.status), rc = 1;
	else
		printf("overlapping values: the card and the VM agree\n");
out:
	free(slot);
	hermes_obj_unload(obj);
	hermes_prog_free(prog);
	free(code);
	return rc != 0;
}

/* A host map operation between runs: update or delete a key the program uses too. */
static void host_op(struct hermes_obj *obj, struct hermes_rng *rng)
{
	const struct hermes_prog *p = hermes_obj_prog(obj);
	unsigned mi = (unsigned)(hermes_rng_next(rng) % hermes_prog_map_count(p));
	struct hermes_map_info info;
	uint8_t key[HERMES_MAP_KEY_MAX], value[100 * 16];

	if (hermes_prog_map_info(p, mi, &info))
		return;
	memset(key, 0, sizeof(key));
	for (size_t i = 0; i < sizeof(value); i++)
		value[i] = (uint8_t)hermes_rng_next(rng);
	/* a key of the program's pool is likely for small keys; any for others */
	for (unsigned b = 0; b < info.key_size; b++)
		key[b] = (uint8_t)(info.key_size < 3 ? hermes_rng_next(rng) % 4 : hermes_rng_next(rng));
	if (info.type != HERMES_MAP_TYPE_HASH)
		key[0] = (uint8_t)(hermes_rng_next(rng) % 8), key[1] = key[2] = key[3] = 0;
	if (hermes_rng_next(rng) % 3 == 0)
		hermes_map_delete(obj, mi, key);
	else
		hermes_map_update(obj, mi, key, value, hermes_rng_next(rng) % 3);
}

int main(int argc, char **argv)
{
	unsigned long long count = 100, seed = 1, runs = 4;
	int verbose = 0;
	struct hermes_dev *sim = NULL;
	struct hermes_cosim *cosim = NULL;
	struct hermes_insn *code = malloc(MAX_SLOTS * sizeof(*code));
	struct hermes_info info;
	struct stats stats;
	unsigned pass = 0, fail = 0;
	uint8_t *before = NULL, *after = NULL, *pslot = NULL;
	size_t msize, psize;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			runs = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else {
			fprintf(stderr, "usage: maps_random [-n COUNT] [-s SEED] [-r RUNS] [-v]\n");
			return 2;
		}
	}
	memset(&stats, 0, sizeof(stats));
	if (!code || hermes_dev_open("sim", &sim)) {
		printf("FAIL: cannot open the simulated card: %s\n", hermes_dev_errmsg(NULL));
		return 1;
	}
	if (hermes_dev_info(sim, &info) || hermes_cosim_attach(sim, &cosim)) {
		printf("FAIL: %s\n", hermes_dev_errmsg(sim));
		return 1;
	}
	if (api_checks(sim, cosim, code))
		fail++;
	if (overlap_check(sim, cosim))
		fail++;
	printf("maps_random: %llu programs from seed %llu, %llu runs each, %u engines (rerun one: -n 1 -s SEED -v)\n",
	       count, seed, runs, info.engines);
	for (unsigned long long k = 0; k < count; k++) {
		uint64_t s = seed + k;
		struct hermes_prog *prog = NULL;
		struct hermes_obj *obj = NULL;
		struct hermes_rng rng;
		size_t n = 0;
		int bad = 0, err, prog_dirty = 1;

		if ((err = gen_program(s, code, &prog, &n))) {
			printf("FAIL seed %" PRIu64 ": cannot build the program: %d %s\n", s, err, hermes_dev_errmsg(NULL));
			fail++;
			continue;
		}
		if (hermes_obj_load(sim, prog, NULL, &obj)) {
			printf("FAIL seed %" PRIu64 ": cannot load the object: %s\n", s, hermes_dev_errmsg(sim));
			hermes_prog_free(prog);
			fail++;
			continue;
		}
		if (!before) {
			msize = hermes_cosim_obj_slot_size(obj, HERMES_COSIM_MAP_SLOT);
			psize = hermes_cosim_obj_slot_size(obj, HERMES_COSIM_PROG_SLOT);
			before = malloc(msize);
			after = malloc(msize);
			pslot = malloc(psize);
			if (!before || !after || !pslot) {
				printf("FAIL: out of memory\n");
				return 1;
			}
		}
		if (verbose) {
			printf("seed %" PRIu64 ": %zu slots, maps:", s, n);
			for (unsigned i = 0; i < hermes_prog_map_count(prog); i++) {
				struct hermes_map_info mi;

				hermes_prog_map_info(prog, i, &mi);
				printf(" %s type %u key %u value %u max %u;", mi.name, mi.type, mi.key_size, mi.value_size,
				       mi.max_entries);
			}
			printf("\n");
			print_program(code, n);
		}
		hermes_rng_seed(&rng, s ^ 0x5eed5eed5eedull);
		err = hermes_cosim_obj_read(obj, HERMES_COSIM_MAP_SLOT, 0, before, msize);
		for (unsigned long long r = 0; r < runs && !err && !bad; r++) {
			struct hermes_cosim_obj_opts co = { .sz = sizeof(co) };
			struct hermes_run_opts ro = { .sz = sizeof(ro) };
			struct hermes_run_result res;
			uint8_t in[IN_LEN];
			char report[1024];
			const struct hermes_retire *recs;
			size_t nrec;
			uint8_t *t;

			if (r && hermes_rng_next(&rng) % 4 == 0) {
				host_op(obj, &rng);
				stats.host_ops++;
				if ((err = hermes_cosim_obj_read(obj, HERMES_COSIM_MAP_SLOT, 0, before, msize)))
					break;
			}
			for (size_t i = 0; i < sizeof(in); i++)
				in[i] = (uint8_t)hermes_rng_next(&rng);
			/* a different engine than the last run's at least every other run */
			ro.engine = (int)((k + r * (1 + hermes_rng_next(&rng) % (info.engines > 1 ? info.engines - 1 : 1))) %
					  info.engines);
			/* the program slot as this run finds it: read again after runs that stored to it */
			if (prog_dirty && (err = hermes_cosim_obj_read(obj, HERMES_COSIM_PROG_SLOT, 0, pslot, psize)))
				break;
			prog_dirty = 0;
			hermes_cosim_clear(cosim);
			if ((err = hermes_obj_run(obj, in, sizeof(in), NULL, 0, &ro, &res)))
				break;
			co.prog_slot = pslot;
			co.map_after = after;
			co.result = &res;
			rc = hermes_cosim_check_obj(cosim, (unsigned)res.engine, obj, before, in, sizeof(in), &co, report,
						    sizeof(report));
			if (rc < 0) {
				err = rc;
				break;
			}
			recs = hermes_cosim_records(cosim, (unsigned)res.engine, &nrec);
			count_records(&stats, recs, nrec);
			for (size_t i = 0; i < nrec; i++)
				if ((recs[i].mem == HERMES_MEM_STORE || recs[i].mem == HERMES_MEM_ATOMIC) &&
				    recs[i].mem_addr - HERMES_PROG_BASE < psize)
					prog_dirty = 1;
			stats.runs++;
			stats.engines_used[res.engine & 15]++;
			if (res.status == HERMES_ST_SUCCESS || (res.status == HERMES_ST_EBPF_ERROR && res.cause < 10))
				stats.ends[res.status == HERMES_ST_SUCCESS ? 0 : res.cause]++;
			if (rc) {
				printf("FAIL seed %" PRIu64 " run %llu (engine %d, %zu slots; the card: status %u r0 0x%" PRIx64
				       " fault %u pc %u addr 0x%" PRIx64 "): %s\n",
				       s, r, res.engine, n, res.status, res.r0, res.cause, res.pc, res.addr, report);
				bad = 1;
			} else if (verbose) {
				printf("ok seed %" PRIu64 " run %llu engine %d: status %u r0 0x%" PRIx64 " cause %u pc %u addr 0x%" PRIx64 ", %zu records\n",
				       s, r, res.engine, res.status, res.r0, res.cause, res.pc, res.addr, nrec);
			}
			t = before, before = after, after = t;
		}
		if (err) {
			printf("FAIL seed %" PRIu64 ": %s\n", s, hermes_dev_errmsg(sim));
			bad = 1;
		}
		if (bad)
			fail++;
		else
			pass++;
		hermes_obj_unload(obj);
		hermes_prog_free(prog);
	}
	rc = report_stats(&stats, count >= 100);
	printf("%u passed, %u failed\n", pass, fail);
	hermes_cosim_detach(cosim);
	hermes_dev_close(sim);
	free(code);
	free(before);
	free(after);
	free(pslot);
	return fail || rc ? 1 : 0;
}
