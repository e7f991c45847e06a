/* SPDX-License-Identifier: MIT */
/*
 * kvstore.bpf.c - a key-value store driven by its input: every map update
 * flag and error path of a HASH map.
 *
 * The input is a sequence of 17-byte commands: op (1), key (8), value (8),
 * little-endian u64s.
 *
 *   op 0x00-0x0f  bpf_map_update_elem(key, value, flags = op): 0 ANY,
 *                 1 NOEXIST, 2 EXIST, anything else invalid (-EINVAL)
 *   op 0x10       bpf_map_delete_elem(key)
 *   op 0x20       lookup: the value, or a miss
 *   op 0x30       lookup and add value to the stored value in place
 *   other ops     counted as bad commands, nothing else
 *
 * results[] counts the outcomes: 0 success, 1 -ENOENT, 2 -EEXIST,
 * 3 -E2BIG, 4 -EINVAL, 5 another error, 6 lookup misses, 7 bad commands.
 * r0: a checksum of every helper's result in order (acc = acc x 31 + r,
 * with a found value for a lookup), folded to 32 bits.
 */
#include "maps_prog.h"

#define MAX_CMDS 200
#define CMD_BYTES 17

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u64);
	__type(value, __u64);
} store SEC(".maps");

enum { R_OK, R_ENOENT, R_EEXIST, R_E2BIG, R_EINVAL, R_OTHER, R_MISS, R_BADCMD, R_COUNT };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, R_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

static __always_inline void outcome(__u32 r)
{
	__u64 *v = bpf_map_lookup_elem(&results, &r);

	if (v)
		*v += 1;
}

static __always_inline void outcome_err(long err)
{
	switch (err) {
	case 0: outcome(R_OK); break;
	case -2: outcome(R_ENOENT); break;
	case -17: outcome(R_EEXIST); break;
	case -7: outcome(R_E2BIG); break;
	case -22: outcome(R_EINVAL); break;
	default: outcome(R_OTHER); break;
	}
}

static __always_inline __u64 ld64(const __u8 *p)
{
	__u64 v = 0;

	for (int j = 7; j >= 0; j--)
		v = v << 8 | p[j];
	return v;
}

MAPS_PROG(kvstore)
{
	__u64 acc = 0;
	__u32 i;

	for (i = 0; i < MAX_CMDS; i++) {
		const __u8 *c = data + CMD_BYTES * i;
		__u64 key, val, *p;
		long r;
		__u8 op;

		if (c + CMD_BYTES > data_end)
			break;
		op = c[0];
		key = ld64(c + 1);
		val = ld64(c + 9);
		if (op < 0x10) {
			r = bpf_map_update_elem(&store, &key, &val, op);
			outcome_err(r);
		} else if (op == 0x10) {
			r = bpf_map_delete_elem(&store, &key);
			outcome_err(r);
		} else if (op == 0x20 || op == 0x30) {
			p = bpf_map_lookup_elem(&store, &key);
			if (!p) {
				outcome(R_MISS);
				r = -1;
			} else {
				if (op == 0x30)
					*p += val;
				r = (long)*p;
			}
		} else {
			outcome(R_BADCMD);
			r = 0x5a;
		}
		acc = acc * 31 + (__u64)r;
	}
	return (__u32)(acc ^ acc >> 32);
}

MAPS_LICENSE;
