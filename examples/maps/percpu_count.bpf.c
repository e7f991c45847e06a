/* SPDX-License-Identifier: MIT */
/*
 * percpu_count.bpf.c - counters in a PERCPU_ARRAY map: each CPU (each
 * Hermes engine) has its own copy, so plain read-modify-write is safe
 * without atomics.
 *
 * pcpu[0] runs, pcpu[1] input bytes, pcpu[2] sum of the input bytes,
 * pcpu[3] 1 + the CPU (engine) that ran last, from bpf_get_smp_processor_id.
 * r0: the runs this CPU had made before this one.
 */
#include "maps_prog.h"

#define MAX_BYTES 3520

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} pcpu SEC(".maps");

MAPS_PROG(percpu_count)
{
	__u64 sum = 0, *v, before = 0;
	__u32 i, key;

	for (i = 0; i < MAX_BYTES; i++) {
		if (data + i + 1 > data_end)
			break;
		sum += data[i];
	}
	key = 0;
	v = bpf_map_lookup_elem(&pcpu, &key);
	if (v) {
		before = *v;
		*v = before + 1;
	}
	key = 1;
	v = bpf_map_lookup_elem(&pcpu, &key);
	if (v)
		*v += i;
	key = 2;
	v = bpf_map_lookup_elem(&pcpu, &key);
	if (v)
		*v += sum;
	key = 3;
	v = bpf_map_lookup_elem(&pcpu, &key);
	if (v)
		*v = bpf_get_smp_processor_id() + 1;
	return before;
}

MAPS_LICENSE;
