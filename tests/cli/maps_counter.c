// SPDX-License-Identifier: MIT
// maps_counter.c - the CLI's maps tests (tests/cli/CMakeLists.txt): one map
// of each type, trace_printk, built like any libbpf program.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} pc SEC(".maps");

/* counts[d[0] % 4] += 1, seen[d[0]] += 1, pc[0] += 2 on this engine; r0: the count */
SEC("hermes/count") __u64 count(__u8 *d, __u64 len)
{
	__u32 key = d[0] % 4, k2 = d[0], z = 0;
	__u64 *v = bpf_map_lookup_elem(&counts, &key), one = 1, *s;
	__u32 *p;

	if (!v)
		return 1000;
	__sync_fetch_and_add(v, 1);
	s = bpf_map_lookup_elem(&seen, &k2);
	if (s)
		(*s)++;
	else
		bpf_map_update_elem(&seen, &k2, &one, BPF_NOEXIST);
	p = bpf_map_lookup_elem(&pc, &z);
	if (p)
		*p += 2;
	bpf_printk("byte %d count %llu cpu %u", d[0], *v, bpf_get_smp_processor_id());
	return *v;
}
