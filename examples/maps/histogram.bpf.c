/* SPDX-License-Identifier: MIT */
/*
 * histogram.bpf.c - byte histogram in an ARRAY map.
 *
 * hist[b] counts the input bytes equal to b over every run; stats[0] counts
 * the runs and stats[1] the bytes seen. Counters are bumped with
 * __sync_fetch_and_add, so engines running the program at once do not
 * lose counts. r0: the number of input bytes counted by this run (at most
 * MAX_BYTES).
 */
#include "maps_prog.h"

#define MAX_BYTES 3520 /* the kernel's largest XDP test input */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

MAPS_PROG(histogram)
{
	__u32 i, key;
	__u64 *v;

	for (i = 0; i < MAX_BYTES; i++) {
		if (data + i + 1 > data_end)
			break;
		key = data[i];
		v = bpf_map_lookup_elem(&hist, &key);
		if (v)
			__sync_fetch_and_add(v, 1);
	}
	key = 0;
	v = bpf_map_lookup_elem(&stats, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	key = 1;
	v = bpf_map_lookup_elem(&stats, &key);
	if (v)
		__sync_fetch_and_add(v, i);
	return i;
}

MAPS_LICENSE;
