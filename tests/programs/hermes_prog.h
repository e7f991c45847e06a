/* SPDX-License-Identifier: MIT */
/*
 * hermes_prog.h - the program ABI of tests/programs, shared by the eBPF
 * build (clang -O2 -target bpf -ffreestanding -c) and the native build of
 * the same source (cc -O2), which the differential runner compares.
 *
 * A program is one function
 *
 *     HERMES_PROG(name) { ... }   =>   uint64_t name(uint8_t *data, uint64_t len)
 *
 * On the card (and on "ref") data is the data slot (engine address
 * 0x2000_0000, 1 MiB: the input, then zeroes) and len is the input length
 * (r2); the return value is r0. Natively data is a zeroed buffer of the same
 * size holding the same input. Outputs written into the data slot are
 * compared too.
 *
 * Rules for code that must behave the same both ways: no signed division
 * (clang 14 cannot emit it for eBPF), no library calls, at most 5
 * arguments per function, at most 512 bytes of locals per function, no
 * unaligned pointer casts (use the hp_ld / hp_st helpers), and globals that
 * are modified only by the program itself (every run starts from the
 * object's initial values on the card; the native runner forks per case).
 */
#ifndef HERMES_PROG_H
#define HERMES_PROG_H

#include <stddef.h>
#include <stdint.h>

#define HERMES_NOINLINE __attribute__((noinline))

#ifdef __bpf__
#define SEC(name) __attribute__((section(name), used))
/* The section name must differ from the function name (an assembler rule). */
#define HERMES_PROG(fn) SEC("hermes/" #fn) uint64_t fn(uint8_t *data, uint64_t len)
#else
#define SEC(name)
#define HERMES_PROG(fn)                                                     \
	uint64_t fn(uint8_t *data, uint64_t len);                           \
	uint64_t (*const hermes_native_entry)(uint8_t *, uint64_t) = fn;    \
	const char hermes_native_name[] = #fn;                              \
	uint64_t fn(uint8_t *data, uint64_t len)
#endif

/* Little-endian loads and stores at any alignment. */
static inline uint16_t hp_ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t hp_ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t hp_ld64(const uint8_t *p) { return hp_ld32(p) | (uint64_t)hp_ld32(p + 4) << 32; }
static inline void hp_st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void hp_st32(uint8_t *p, uint32_t v)
{
	hp_st16(p, (uint16_t)v);
	hp_st16(p + 2, (uint16_t)(v >> 16));
}
static inline void hp_st64(uint8_t *p, uint64_t v)
{
	hp_st32(p, (uint32_t)v);
	hp_st32(p + 4, (uint32_t)(v >> 32));
}

/* Where programs put their output: after the input, 8-aligned. */
static inline uint64_t hp_out_off(uint64_t len) { return (len + 7) & ~(uint64_t)7; }

#endif
