/* SPDX-License-Identifier: MIT */
/*
 * flow_table.bpf.c - per-flow counters in a HASH map keyed by a 5-tuple.
 *
 * The input is a sequence of 16-byte records, one per packet:
 *
 *   +0 saddr (4)  +4 daddr (4)  +8 sport (2)  +10 dport (2)  +12 proto (1)
 *   +13 packet length (1)  +14 unused (2)
 *
 * A new flow is inserted with BPF_NOEXIST; a known flow's counters are
 * updated in place through the looked-up value pointer on even records and
 * by copy + BPF_EXIST update on odd ones (both ways libbpf programs do it).
 * A flow that reaches FLOW_LIMIT packets is deleted (counted as expired),
 * and an insert into the full table (-E2BIG) is counted as dropped.
 * events[] counts: 0 new flows, 1 updates, 2 expired, 3 dropped,
 * 4 helper errors that should not happen. r0: flows in the table after
 * this run as this program saw them (inserts - deletes in this run), plus
 * 256 x records handled.
 */
#include "maps_prog.h"

#define MAX_RECORDS 64
#define FLOW_LIMIT 4
#define MAX_FLOWS 8

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3]; /* zeroed: hash keys compare all their bytes */
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FLOWS);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

enum { EV_NEW, EV_UPDATE, EV_EXPIRE, EV_DROP, EV_ERROR, EV_COUNT };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, EV_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} events SEC(".maps");

static __always_inline void count(__u32 ev)
{
	__u64 *v = bpf_map_lookup_elem(&events, &ev);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline __u32 ld32(const __u8 *p)
{
	return p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 | (__u32)p[3] << 24;
}

MAPS_PROG(flow_table)
{
	__s64 live = 0;
	__u32 i;

	for (i = 0; i < MAX_RECORDS; i++) {
		const __u8 *r = data + 16 * i;
		struct flow_key k = {};
		struct flow_stats *s, ns;
		long err;

		if (r + 16 > data_end)
			break;
		k.saddr = ld32(r);
		k.daddr = ld32(r + 4);
		k.sport = r[8] | r[9] << 8;
		k.dport = r[10] | r[11] << 8;
		k.proto = r[12];
		s = bpf_map_lookup_elem(&flows, &k);
		if (!s) {
			ns.packets = 1;
			ns.bytes = r[13];
			err = bpf_map_update_elem(&flows, &k, &ns, BPF_NOEXIST);
			if (err == 0) {
				count(EV_NEW);
				live++;
			} else if (err == -7) { /* -E2BIG: the table is full */
				count(EV_DROP);
			} else {
				count(EV_ERROR);
			}
			continue;
		}
		if (s->packets + 1 >= FLOW_LIMIT) {
			err = bpf_map_delete_elem(&flows, &k);
			count(err ? EV_ERROR : EV_EXPIRE);
			live -= !err;
			continue;
		}
		if (i & 1) {
			ns.packets = s->packets + 1;
			ns.bytes = s->bytes + r[13];
			err = bpf_map_update_elem(&flows, &k, &ns, BPF_EXIST);
			count(err ? EV_ERROR : EV_UPDATE);
		} else {
			__sync_fetch_and_add(&s->packets, 1);
			__sync_fetch_and_add(&s->bytes, r[13]);
			count(EV_UPDATE);
		}
	}
	return (__u64)(live & 0xff) | (__u64)i << 8;
}

MAPS_LICENSE;
