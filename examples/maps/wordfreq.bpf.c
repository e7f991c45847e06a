/* SPDX-License-Identifier: MIT */
/*
 * wordfreq.bpf.c - word frequencies in a HASH map.
 *
 * A word is a run of ASCII letters, case folded. Its key is its last 16
 * letters shifted into two u64s (key.lo holds the last 8, newest in the
 * low byte; a shorter word leaves zero bytes), so words of up to 16
 * letters have keys of their own. Each word's u32 counter is bumped
 * atomically in place, a new word is inserted with BPF_NOEXIST; when the
 * table is full (-E2BIG) the word is counted in stats[1] instead. stats[0]
 * counts words. Only the first MAX_BYTES input bytes are read. r0: words
 * in this run.
 */
#include "maps_prog.h"

#define MAX_BYTES 1024
#define MAX_WORDS 32

struct word_key {
	__u64 lo;
	__u64 hi;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_WORDS);
	__type(key, struct word_key);
	__type(value, __u32);
} words SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void stat_add(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline void count_word(const struct word_key *k)
{
	__u32 *n = bpf_map_lookup_elem(&words, k), one = 1;

	stat_add(0);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	if (bpf_map_update_elem(&words, k, &one, BPF_NOEXIST) == -7) /* -E2BIG: full */
		stat_add(1);
}

MAPS_PROG(wordfreq)
{
	struct word_key k = {};
	__u32 i, in_word = 0;
	__u64 nwords = 0;

	for (i = 0; i <= MAX_BYTES; i++) {
		__u8 c = ' '; /* past the end: a separator ends the last word */

		if (i < MAX_BYTES && data + i + 1 <= data_end)
			c = data[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c >= 'a' && c <= 'z') {
			k.hi = k.hi << 8 | k.lo >> 56;
			k.lo = k.lo << 8 | c;
			in_word = 1;
			continue;
		}
		if (in_word) {
			count_word(&k);
			nwords++;
			k.lo = 0;
			k.hi = 0;
			in_word = 0;
		}
		if (data + i + 1 > data_end)
			break;
	}
	return nwords;
}

MAPS_LICENSE;
