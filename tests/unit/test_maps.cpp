// SPDX-License-Identifier: MIT
// test_maps.cpp - the maps layer (host/src/maps, docs/MAPS.md): descriptor
// encoding, placement and its limits, the hash, and the hash table's
// invariants (every key reachable from its home, no hole inside a probe
// run, count right) under random operation sequences checked against a
// sorted std::map of keys.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "hermes/hermes.h"

extern "C" {
#include "map_slot.h"
}

namespace {

constexpr uint32_t kSlot = 256 * 1024;

struct Slot {
	std::vector<uint8_t> mem = std::vector<uint8_t>(kSlot, 0);
	hermes_map_mem m{};
	Slot() { hermes__map_mem_buf(&m, mem.data(), kSlot); }
	void put(const hermes_map_desc *d, unsigned n)
	{
		for (unsigned i = 0; i < n; i++)
			hermes__map_desc_encode(&d[i], mem.data() + 64 * i);
	}
};

hermes_map_def def(const char *name, uint32_t type, uint32_t k, uint32_t v, uint32_t max)
{
	hermes_map_def d{};
	snprintf(d.name, sizeof(d.name), "%s", name);
	d.type = type;
	d.key_size = k;
	d.value_size = v;
	d.max_entries = max;
	return d;
}

} // namespace

TEST(Maps, DescriptorRoundTripAndFieldOffsets)
{
	hermes_map_desc d{}, back{};
	d.type = 1; d.key_size = 2; d.value_size = 3; d.max_entries = 4; d.storage = 0x9000;
	d.value_stride = 8; d.entry_stride = 24; d.capacity = 8; d.log2_capacity = 3; d.count = 5;
	d.copies = 1;
	uint8_t raw[64];
	hermes__map_desc_encode(&d, raw);
	EXPECT_EQ(hermes__le32(raw + 0), 1u);
	EXPECT_EQ(hermes__le32(raw + 12), 4u);
	EXPECT_EQ(hermes__le32(raw + 16), 0x9000u);
	EXPECT_EQ(hermes__le32(raw + 28), 8u);
	EXPECT_EQ(hermes__le32(raw + 36), 5u);
	EXPECT_EQ(hermes__le32(raw + 40), 1u);
	for (int i = 44; i < 64; i++)
		EXPECT_EQ(raw[i], 0) << i;
	hermes__map_desc_decode(raw, 3, &back);
	EXPECT_EQ(back.count, 5u);
	EXPECT_EQ(back.desc_off, 192u);
}

TEST(Maps, LayoutFollowsTheRules)
{
	hermes_map_def defs[] = { def("arr", 2, 4, 5, 10), def("h", 1, 6, 12, 5), def("pc", 6, 4, 8, 3) };
	hermes_map_desc d[3];
	ASSERT_EQ(hermes__map_layout(defs, 3, 4, kSlot, d), 0);
	EXPECT_EQ(d[0].storage, 0x9000u);
	EXPECT_EQ(d[0].value_stride, 8u);
	EXPECT_EQ(d[0].entry_stride, 8u);
	EXPECT_EQ(d[0].capacity, 10u);
	EXPECT_EQ(d[0].log2_capacity, 0u);
	EXPECT_EQ(d[0].copies, 1u);
	EXPECT_EQ(d[1].storage, 0x9000u + 80);
	EXPECT_EQ(d[1].capacity, 16u); // >= 2 x 5, a power of two
	EXPECT_EQ(d[1].log2_capacity, 4u);
	EXPECT_EQ(d[1].entry_stride, 8u + 8 + 16);
	EXPECT_EQ(d[2].storage, 0x9000u + 80 + 16 * 32);
	EXPECT_EQ(d[2].copies, 4u);
	EXPECT_EQ(hermes__map_storage_bytes(&d[2]), 4u * 3 * 8);
	for (auto &x : d)
		EXPECT_TRUE(hermes__map_desc_valid(&x, kSlot));
	hermes_map_def one = def("one", 1, 1, 1, 1);
	ASSERT_EQ(hermes__map_layout(&one, 1, 4, kSlot, d), 0);
	EXPECT_EQ(d[0].capacity, 2u);
	EXPECT_EQ(d[0].log2_capacity, 1u);
}

TEST(Maps, LayoutRefusesWithTheMapsName)
{
	hermes_map_desc d[65];
	struct Case { hermes_map_def def; int err; const char *msg; } cases[] = {
		{ def("ring", 27, 0, 0, 4096), -ENOTSUP, "map 'ring' has type 27 (BPF_MAP_TYPE_RINGBUF)" },
		{ def("lru", 9, 4, 4, 4), -ENOTSUP, "map 'lru' has type 9 (BPF_MAP_TYPE_LRU_HASH)" },
		{ def("akey", 2, 8, 4, 4), -EINVAL, "map 'akey' (BPF_MAP_TYPE_ARRAY) has a 8-byte key" },
		{ def("bigkey", 1, 65, 4, 4), -EINVAL, "map 'bigkey' has a 65-byte key" },
		{ def("nokey", 1, 0, 4, 4), -EINVAL, "map 'nokey' has a 0-byte key" },
		{ def("bigval", 2, 4, 32769, 1), -EINVAL, "map 'bigval' has a 32769-byte value" },
		{ def("empty", 2, 4, 4, 0), -EINVAL, "map 'empty' has max_entries 0" },
		{ def("huge", 2, 4, 8, 40000), -E2BIG, "map 'huge' needs 320000 bytes of storage" },
		{ def("hugehash", 1, 4, 4, 0x80000000u), -E2BIG, "map 'hugehash' needs" },
	};
	for (auto &c : cases) {
		EXPECT_EQ(hermes__map_layout(&c.def, 1, 4, kSlot, d), c.err) << c.def.name;
		EXPECT_NE(strstr(hermes_dev_errmsg(NULL), c.msg), nullptr) << hermes_dev_errmsg(NULL);
	}
	// The second map no longer fits after the first.
	hermes_map_def two[] = { def("first", 2, 4, 8, 20000), def("second", 2, 4, 8, 20000) };
	EXPECT_EQ(hermes__map_layout(two, 2, 4, kSlot, d), -E2BIG);
	EXPECT_NE(strstr(hermes_dev_errmsg(NULL), "map 'second'"), nullptr) << hermes_dev_errmsg(NULL);
	std::vector<hermes_map_def> many(65, def("m", 2, 4, 4, 1));
	snprintf(many[64].name, sizeof(many[64].name), "the65th");
	EXPECT_EQ(hermes__map_layout(many.data(), 65, 4, kSlot, d), -E2BIG);
	EXPECT_NE(strstr(hermes_dev_errmsg(NULL), "'the65th'"), nullptr) << hermes_dev_errmsg(NULL);
}

TEST(Maps, CorruptDescriptorsAreNotValid)
{
	hermes_map_def h = def("h", 1, 4, 4, 8);
	hermes_map_desc d, bad;
	ASSERT_EQ(hermes__map_layout(&h, 1, 4, kSlot, &d), 0);
	ASSERT_TRUE(hermes__map_desc_valid(&d, kSlot));
	bad = d; bad.capacity = 32; EXPECT_FALSE(hermes__map_desc_valid(&bad, kSlot));
	bad = d; bad.log2_capacity = 5; EXPECT_FALSE(hermes__map_desc_valid(&bad, kSlot));
	bad = d; bad.entry_stride = 8; EXPECT_FALSE(hermes__map_desc_valid(&bad, kSlot));
	bad = d; bad.storage = 0x1000; EXPECT_FALSE(hermes__map_desc_valid(&bad, kSlot));
	bad = d; bad.storage = kSlot - 8; EXPECT_FALSE(hermes__map_desc_valid(&bad, kSlot));
	bad = d; bad.storage = 0x9004; EXPECT_FALSE(hermes__map_desc_valid(&bad, kSlot));
	bad = d; bad.count = 9; EXPECT_FALSE(hermes__map_desc_valid(&bad, kSlot));
	bad = d; bad.type = 9; EXPECT_FALSE(hermes__map_desc_valid(&bad, kSlot));
	bad = d; bad.reserved = 1; EXPECT_FALSE(hermes__map_desc_valid(&bad, kSlot));
	Slot s;
	hermes_map_desc got;
	EXPECT_EQ(hermes__map_desc_read(&s.m, 0, &got), -ENOENT);
	s.put(&d, 1);
	EXPECT_EQ(hermes__map_desc_read(&s.m, 0, &got), 0);
	hermes__put_le32(s.mem.data() + 28, 4); // capacity
	EXPECT_EQ(hermes__map_desc_read(&s.m, 0, &got), -EBADMSG);
}

// The hash as docs/MAPS.md writes it, computed independently.
TEST(Maps, HashMatchesTheSpec)
{
	auto spec = [](const std::vector<uint8_t> &key) {
		std::vector<uint8_t> p = key;
		p.resize((key.size() + 7) / 8 * 8, 0);
		uint64_t x = key.size();
		for (size_t i = 0; i < p.size(); i += 8) {
			uint64_t w;
			memcpy(&w, &p[i], 8); // little-endian host
			x = (x << 23 | x >> 41) ^ w;
		}
		uint32_t y = (uint32_t)x ^ (uint32_t)(x >> 32);
		return (uint32_t)(y * 0x9E3779B1u);
	};
	std::mt19937 rng(7);
	for (int n = 0; n < 2000; n++) {
		std::vector<uint8_t> key(1 + rng() % 64);
		for (auto &b : key)
			b = (uint8_t)rng();
		ASSERT_EQ(hermes__map_hash32(key.data(), (uint32_t)key.size()), spec(key));
	}
	// Fixed values, so that another implementation (the RTL) can check itself.
	uint32_t k4 = 1;
	EXPECT_EQ(hermes__map_hash32(&k4, 4), (uint32_t)(((uint32_t)(4ull << 23) ^ 1u) * 0x9E3779B1u));
	EXPECT_EQ(hermes__map_home(&k4, 4, 4), hermes__map_hash32(&k4, 4) >> 28);
}

namespace {

// Check every hash-table invariant of docs/MAPS.md against the reference.
void check_table(const Slot &s, const hermes_map_desc &d, const std::map<std::vector<uint8_t>, std::vector<uint8_t>> &ref)
{
	uint32_t occupied = 0, mask = d.capacity - 1;
	std::vector<bool> occ(d.capacity);
	for (uint32_t i = 0; i < d.capacity; i++) {
		const uint8_t *e = s.mem.data() + d.storage + i * d.entry_stride;
		occ[i] = hermes__le32(e) & 1;
		if (!occ[i]) {
			for (uint32_t b = 0; b < d.entry_stride; b++)
				ASSERT_EQ(e[b], 0) << "empty entry " << i << " is not all zero";
			continue;
		}
		occupied++;
		std::vector<uint8_t> key(e + 8, e + 8 + d.key_size);
		ASSERT_EQ(hermes__le32(e + 4), hermes__map_home(key.data(), d.key_size, d.log2_capacity)) << "entry " << i;
		auto it = ref.find(key);
		ASSERT_NE(it, ref.end()) << "entry " << i << " holds a key not in the reference";
		ASSERT_EQ(0, memcmp(e + 8 + ((d.key_size + 7) & ~7u), it->second.data(), d.value_size));
	}
	for (uint32_t i = 0; i < d.capacity; i++) {
		if (!occ[i])
			continue;
		// no hole between an entry's home and the entry
		const uint8_t *e = s.mem.data() + d.storage + i * d.entry_stride;
		for (uint32_t j = hermes__le32(e + 4); j != i; j = (j + 1) & mask)
			ASSERT_TRUE(occ[j]) << "hole at " << j << " in the probe run of entry " << i;
	}
	ASSERT_EQ(occupied, ref.size());
	ASSERT_EQ(hermes__le32(s.mem.data() + d.desc_off + 36), ref.size()) << "count in the descriptor";
}

void random_ops(uint32_t key_size, uint32_t value_size, uint32_t max_entries, uint32_t key_space, int ops,
		unsigned seed)
{
	hermes_map_def h = def("h", 1, key_size, value_size, max_entries);
	hermes_map_desc d;
	ASSERT_EQ(hermes__map_layout(&h, 1, 4, kSlot, &d), 0);
	Slot s;
	s.put(&d, 1);
	std::map<std::vector<uint8_t>, std::vector<uint8_t>> ref;
	std::mt19937 rng(seed);
	auto rand_key = [&] {
		std::vector<uint8_t> k(key_size, 0);
		uint32_t v = rng() % key_space;
		for (uint32_t b = 0; b < key_size && b < 4; b++)
			k[b] = (uint8_t)(v >> (8 * b));
		if (key_size > 4)
			k[key_size - 1] = (uint8_t)(v * 7); // the last word matters too
		return k;
	};
	for (int n = 0; n < ops; n++) {
		std::vector<uint8_t> k = rand_key(), v(value_size);
		for (auto &b : v)
			b = (uint8_t)rng();
		uint32_t off;
		bool present = ref.count(k) != 0;
		switch (rng() % 5) {
		case 0:
		case 1: { // update with random flags
			uint64_t flags = rng() % 4;
			int want = 0;
			if (flags > 2) want = -EINVAL;
			else if (present && flags == 1) want = -EEXIST;
			else if (!present && flags == 2) want = -ENOENT;
			else if (!present && ref.size() >= max_entries) want = -E2BIG;
			ASSERT_EQ(hermes__map_update(&s.m, &d, k.data(), v.data(), flags, 0), want) << "op " << n;
			if (!want)
				ref[k] = v;
			break;
		}
		case 2:
		case 3:
			ASSERT_EQ(hermes__map_delete(&s.m, &d, k.data()), present ? 0 : -ENOENT) << "op " << n;
			ref.erase(k);
			break;
		case 4:
			ASSERT_EQ(hermes__map_lookup(&s.m, &d, k.data(), 0, &off), present ? 0 : -ENOENT);
			if (present)
				ASSERT_EQ(0, memcmp(s.mem.data() + off, ref[k].data(), value_size));
			break;
		}
		ASSERT_NO_FATAL_FAILURE(check_table(s, d, ref)) << "after op " << n;
	}
	// Iteration and next_key visit exactly the reference's keys, in table order.
	std::map<std::vector<uint8_t>, std::vector<uint8_t>> seen;
	uint32_t pos = 0, off;
	std::vector<uint8_t> key(key_size), next(key_size);
	std::vector<std::vector<uint8_t>> order;
	while (hermes__map_iterate(&s.m, &d, &pos, key.data(), &off) == 0) {
		seen[key].assign(s.mem.data() + off, s.mem.data() + off + value_size);
		order.push_back(key);
	}
	EXPECT_EQ(seen, ref);
	const void *prev = nullptr;
	for (size_t i = 0; i < order.size(); i++) {
		ASSERT_EQ(hermes__map_next_key(&s.m, &d, prev, next.data()), 0);
		ASSERT_EQ(next, order[i]);
		key = next;
		prev = key.data();
	}
	EXPECT_EQ(hermes__map_next_key(&s.m, &d, prev, next.data()), -ENOENT);
}

} // namespace

TEST(Maps, HashInvariantsSmallTableHeavyCollisions) { random_ops(4, 8, 8, 24, 4000, 1); }
TEST(Maps, HashInvariantsOddKeyAndValueSizes) { random_ops(13, 5, 40, 120, 4000, 2); }
TEST(Maps, HashInvariantsFullTable) { random_ops(8, 16, 64, 70, 6000, 3); }
TEST(Maps, HashInvariantsLongKeys) { random_ops(64, 3, 16, 40, 3000, 4); }

TEST(Maps, HashNextKeyOfAnAbsentKeyIsTheFirst)
{
	hermes_map_def h = def("h", 1, 4, 4, 4);
	hermes_map_desc d;
	ASSERT_EQ(hermes__map_layout(&h, 1, 4, kSlot, &d), 0);
	Slot s;
	s.put(&d, 1);
	uint32_t k = 5, v = 9, next = 0, absent = 77;
	EXPECT_EQ(hermes__map_next_key(&s.m, &d, nullptr, &next), -ENOENT);
	ASSERT_EQ(hermes__map_update(&s.m, &d, &k, &v, 0, 0), 0);
	EXPECT_EQ(hermes__map_next_key(&s.m, &d, &absent, &next), 0);
	EXPECT_EQ(next, 5u);
	EXPECT_EQ(hermes__map_next_key(&s.m, &d, &k, &next), -ENOENT);
	EXPECT_EQ(hermes__map_delete(&s.m, &d, &absent), -ENOENT);
}

TEST(Maps, ArraysAndPerEngineArrays)
{
	hermes_map_def defs[] = { def("a", 2, 4, 12, 3), def("p", 6, 4, 4, 2) };
	hermes_map_desc d[2];
	ASSERT_EQ(hermes__map_layout(defs, 2, 4, kSlot, d), 0);
	Slot s;
	s.put(d, 2);
	uint32_t idx = 2, off = 0, big = 3;
	uint8_t v[12];
	memset(v, 0xab, sizeof(v));
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &idx, v, 0, 0), 0);
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &idx, v, 1, 0), -EEXIST);
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &idx, v, 2, 0), 0);
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &big, v, 0, 0), -E2BIG);
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &idx, v, 4, 0), -EINVAL);
	// Linux's helper order (docs/MAPS.md): BPF_F_LOCK (4) after the index and NOEXIST checks.
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &big, v, 4, 0), -E2BIG);
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &big, v, 6, 0), -E2BIG);
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &idx, v, 5, 0), -EEXIST);
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &idx, v, 6, 0), -EINVAL);
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &idx, v, 3, 0), -EINVAL);
	EXPECT_EQ(hermes__map_update(&s.m, &d[0], &big, v, 7, 0), -EINVAL);
	EXPECT_EQ(hermes__map_delete(&s.m, &d[0], &idx), -EINVAL);
	ASSERT_EQ(hermes__map_lookup(&s.m, &d[0], &idx, 3, &off), 0); // an array has one copy
	EXPECT_EQ(off, d[0].storage + 2 * 16);
	EXPECT_EQ(s.mem[off + 11], 0xab);
	EXPECT_EQ(s.mem[off + 12], 0); // padding untouched
	EXPECT_EQ(hermes__map_lookup(&s.m, &d[0], &big, 0, &off), -ENOENT);
	// per engine: engine e's value i at storage + (e x capacity + i) x stride
	uint32_t one = 1, val = 0x11223344;
	EXPECT_EQ(hermes__map_update(&s.m, &d[1], &one, &val, 0, 3), 0);
	ASSERT_EQ(hermes__map_lookup(&s.m, &d[1], &one, 3, &off), 0);
	EXPECT_EQ(off, d[1].storage + (3 * 2 + 1) * 8);
	EXPECT_EQ(hermes__le32(s.mem.data() + off), 0x11223344u);
	ASSERT_EQ(hermes__map_lookup(&s.m, &d[1], &one, 0, &off), 0);
	EXPECT_EQ(hermes__le32(s.mem.data() + off), 0u);
	// next key: absent or past the end -> 0, last -> -ENOENT
	uint32_t next;
	EXPECT_EQ(hermes__map_next_key(&s.m, &d[0], nullptr, &next), 0);
	EXPECT_EQ(next, 0u);
	EXPECT_EQ(hermes__map_next_key(&s.m, &d[0], &big, &next), 0);
	EXPECT_EQ(next, 0u);
	uint32_t zero = 0;
	EXPECT_EQ(hermes__map_next_key(&s.m, &d[0], &zero, &next), 0);
	EXPECT_EQ(next, 1u);
	EXPECT_EQ(hermes__map_next_key(&s.m, &d[0], &idx, &next), -ENOENT);
	uint32_t pos = 0, key;
	int n = 0;
	while (hermes__map_iterate(&s.m, &d[0], &pos, &key, &off) == 0)
		EXPECT_EQ(key, (uint32_t)n++);
	EXPECT_EQ(n, 3);
}
