/* SPDX-License-Identifier: MIT */
/*
 * bench_report_xdp.c - a gallery program (tests/programs) as a Linux XDP
 * program, for the kernel baseline of docs/BENCHMARKS.md.
 *
 *   clang -O2 -target bpf -I tests/programs -DGALLERY_SRC='"crc32.c"' \
 *         -DGALLERY_FN=crc32 -DINPUT_BYTES=N -c bench_report_xdp.c
 *
 * The kernel gives an XDP program a packet, not a data slot in r1 and a
 * length in r2, so this entry copies the packet (the same input bytes the
 * card gets, N of them: the verifier needs a constant length) into a
 * zeroed "slot" in .bss and calls the program's function, compiled from
 * the same source but inlined (a global eBPF function would be verified
 * with opaque arguments). The XDP return value is r0's low 32 bits.
 */
#include "hermes_prog.h"

#undef HERMES_PROG
#define HERMES_PROG(fn) static inline __attribute__((always_inline)) uint64_t fn(uint8_t *data, uint64_t len)

#include GALLERY_SRC

#define SLOT_BYTES (1 << 20) /* the size of a Hermes data slot */

struct xdp_md;
static long (*const xdp_load_bytes)(struct xdp_md *ctx, uint32_t off, void *buf, uint32_t len) = (void *)189;

static uint8_t slot[SLOT_BYTES];

_Static_assert(INPUT_BYTES > 0 && INPUT_BYTES <= SLOT_BYTES / 2, "input must fit the slot with room for output");

SEC("xdp") int gallery_xdp(struct xdp_md *ctx)
{
	if (xdp_load_bytes(ctx, 0, slot, INPUT_BYTES))
		return -1;
	return (int)(uint32_t)GALLERY_FN(slot, INPUT_BYTES);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
