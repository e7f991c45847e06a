/* SPDX-License-Identifier: MIT */
/*
 * helpers.bpf.c - the helpers beside the map ones (5 ktime_get_ns,
 * 6 trace_printk, 7 get_prandom_u32, 8 get_smp_processor_id), kept to
 * what Hermes and Linux agree on: their values differ (clocks, random
 * streams, trace_printk's return), their properties do not.
 *
 * out[0] 1 + the CPU / engine of the last run
 * out[1] runs in which ktime_get_ns did not go backwards
 * out[2] runs in which trace_printk succeeded (>= 0: Linux returns the
 *        length written, Hermes 0)
 * out[3] runs in which get_prandom_u32 gave two different values in a row
 * out[4] runs
 * r0: out[0] of this run.
 */
#include "maps_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

static __always_inline void put(__u32 idx, __u64 add, int set)
{
	__u64 *v = bpf_map_lookup_elem(&out, &idx);

	if (!v)
		return;
	if (set)
		*v = add;
	else
		__sync_fetch_and_add(v, add);
}

MAPS_PROG(helpers)
{
	static const char fmt[] = "hermes helpers: %u input bytes, first %x\n";
	__u64 t0 = bpf_ktime_get_ns(), t1;
	__u32 cpu = bpf_get_smp_processor_id(), r0, r1;
	long printed = -1;

	if (data + 1 <= data_end)
		printed = bpf_trace_printk(fmt, sizeof(fmt), (__u32)(data_end - data), data[0]);
	r0 = bpf_get_prandom_u32();
	r1 = bpf_get_prandom_u32();
	t1 = bpf_ktime_get_ns();
	put(0, cpu + 1, 1);
	put(1, t1 >= t0, 0);
	put(2, printed >= 0, 0);
	put(3, r0 != r1, 0);
	put(4, 1, 0);
	return cpu + 1;
}

MAPS_LICENSE;
