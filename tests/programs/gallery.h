/* SPDX-License-Identifier: MIT */
/*
 * gallery.h - native side of the program gallery: each program's source
 * also defines, outside __bpf__, a generator of test inputs that the
 * differential runner (gallery_run.c) calls with a seeded generator.
 */
#ifndef HERMES_GALLERY_H
#define HERMES_GALLERY_H

#include <stddef.h>
#include <stdint.h>

struct gallery_rng {
	uint64_t s;
};

/* splitmix64: small, fast, and the same on every machine. */
uint64_t gallery_rand(struct gallery_rng *r);
/* Uniform in [0, n) (n > 0; the tiny modulo bias does not matter here). */
uint64_t gallery_below(struct gallery_rng *r, uint64_t n);

struct gallery_case {
	uint8_t *buf;     /* the data slot image: zeroed, cap bytes */
	size_t cap;
	size_t max_in;    /* a hint: keep the input about this size or smaller */
	size_t in_len;    /* set by the generator: input bytes (r2) */
	size_t out_len;   /* set by the generator: bytes of the slot compared after the run */
};

/* Defined by each program: fill buf, set in_len and out_len. */
void gallery_gen(struct gallery_rng *r, struct gallery_case *c);

#endif
