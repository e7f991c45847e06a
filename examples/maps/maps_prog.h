/* SPDX-License-Identifier: MIT */
/*
 * maps_prog.h - one source, two builds: a program of examples/maps runs on
 * Hermes and, as the reference, in the Linux kernel (tests/kernel/kmaps_run).
 *
 * The two differ only in how the program gets its input:
 *
 *   Hermes (default)         r1 = data slot address, r2 = input length;
 *                            section "hermes/NAME", r0 is 64 bits.
 *   -DMAPS_PROG_KERNEL_XDP   an XDP program: r1 = struct xdp_md *, the input
 *                            is the packet ctx->data .. ctx->data_end;
 *                            section "xdp", the kernel reports r0's low 32 bits.
 *
 * Write the program as
 *
 *     MAPS_PROG(name)
 *     {
 *             ... reads [data, data_end) ...
 *     }
 *
 * The body sees `const __u8 *data, *data_end` in both builds and must check
 * every access against data_end before it makes it (`if (p + n > data_end)`),
 * as the kernel verifier demands of packet accesses; loops need a constant
 * bound. Return values below 2^32 compare equal on both sides.
 *
 * Build (as libbpf users do; the -I makes <linux/bpf.h> find <asm/types.h>):
 *
 *     clang -g -O2 -target bpf -I/usr/include/$(gcc -print-multiarch) \
 *           [-DMAPS_PROG_KERNEL_XDP] -c histogram.bpf.c -o histogram.bpf.o
 */
#ifndef MAPS_PROG_H
#define MAPS_PROG_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifdef MAPS_PROG_KERNEL_XDP
#define MAPS_PROG(fn)                                                                  \
	static __always_inline __u64 fn##_body(const __u8 *data, const __u8 *data_end);  \
	SEC("xdp") int fn(struct xdp_md *ctx)                                          \
	{                                                                              \
		return (int)fn##_body((const __u8 *)(long)ctx->data,                   \
				      (const __u8 *)(long)ctx->data_end);              \
	}                                                                              \
	static __always_inline __u64 fn##_body(const __u8 *data, const __u8 *data_end)
#else
#define MAPS_PROG(fn)                                                                  \
	static __always_inline __u64 fn##_body(const __u8 *data, const __u8 *data_end);  \
	SEC("hermes/" #fn) __u64 fn(const __u8 *data, __u64 len)                       \
	{                                                                              \
		return fn##_body(data, data + len);                                    \
	}                                                                              \
	static __always_inline __u64 fn##_body(const __u8 *data, const __u8 *data_end)
#endif

/* trace_printk and the kernel's GPL-only helpers need a GPL-compatible licence. */
#define MAPS_LICENSE char LICENSE[] SEC("license") = "Dual MIT/GPL"

#endif
