// SPDX-License-Identifier: MIT
// Maps and helpers on the verilated card (docs/MAPS.md), driven through
// the card's ports only: descriptors and keys written by DMA, programs run
// with the command registers, r0 and the fault registers read from BAR0,
// map memory read back by DMA and compared byte for byte with a small
// model of the map slot layout and hash written here from docs/MAPS.md
// (independent of host/src/maps).
#include "test_dma_helpers.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string>

#include "asm.h"
#include "cmd.h"
#include "hermes/isa.h"

using namespace dma_test;

namespace {

constexpr uint32_t kExecIrq = 0x01000001u, kAbortIrq = 0x01010000u, kAckIrq = 0x01000000u;
constexpr uint64_t kMapBase = 0x40000000ull, kDataBase = 0x20000000ull;
constexpr uint32_t kMapType_Hash = 1, kMapType_Array = 2, kMapType_Percpu = 6;
constexpr int64_t kEINVAL = -22, kENOENT = -2, kEEXIST = -17, kE2BIG = -7, kENOSPC = -28;
constexpr uint32_t kKeyOff = 0x0, kValOff = 0x400, kOutOff = 0x800;

// ---- the model: docs/MAPS.md "Map slot layout" ----------------------------

uint32_t ru8(uint32_t v) { return (v + 7) & ~7u; }

struct Desc {
	uint32_t type = 0, ks = 0, vs = 0, max = 0, stor = 0, vstr = 0, estr = 0, cap = 0, log2 = 0, cnt = 0,
		 copies = 0, resv = 0;
};

Desc array_desc(uint32_t vs, uint32_t max, uint32_t stor, bool percpu, uint32_t engines)
{
	Desc d;
	d.type = percpu ? kMapType_Percpu : kMapType_Array;
	d.ks = 4;
	d.vs = vs;
	d.max = max;
	d.stor = stor;
	d.vstr = d.estr = ru8(vs);
	d.cap = max;
	d.copies = percpu ? engines : 1;
	return d;
}

Desc hash_desc(uint32_t ks, uint32_t vs, uint32_t max, uint32_t stor)
{
	Desc d;
	d.type = kMapType_Hash;
	d.ks = ks;
	d.vs = vs;
	d.max = max;
	d.stor = stor;
	d.vstr = ru8(vs);
	d.estr = 8 + ru8(ks) + d.vstr;
	d.cap = 2;
	d.log2 = 1;
	while (d.cap < 2 * max) {
		d.cap *= 2;
		d.log2++;
	}
	d.copies = 1;
	return d;
}

uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}
uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}
void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

uint32_t model_hash(const std::vector<uint8_t> &key, uint32_t log2)
{
	std::vector<uint8_t> k(key);
	k.resize(ru8(static_cast<uint32_t>(key.size())), 0);
	uint64_t x = key.size();
	for (size_t i = 0; i < k.size(); i += 8)
		x = ((x << 23) | (x >> 41)) ^ rd64(&k[i]);
	uint32_t y = static_cast<uint32_t>(x) ^ static_cast<uint32_t>(x >> 32);
	uint32_t h = y * 0x9E3779B1u;
	return h >> (32 - log2);
}

// One map slot's bytes and the helper semantics on them.
struct Model {
	std::vector<uint8_t> m;
	explicit Model(size_t bytes) : m(bytes, 0) {}

	void put(unsigned i, const Desc &d)
	{
		uint32_t w[12] = { d.type, d.ks, d.vs, d.max, d.stor, d.vstr, d.estr, d.cap, d.log2, d.cnt, d.copies, d.resv };
		memcpy(&m[64 * i], w, sizeof(w));
	}
	Desc get(unsigned i) const
	{
		Desc d;
		memcpy(&d, &m[64 * i], sizeof(d));
		return d;
	}
	uint8_t *entry(const Desc &d, uint32_t e) { return &m[d.stor + e * d.estr]; }

	// HASH: the entry holding key, or -1; *free_at: the probe's free entry.
	int64_t find(const Desc &d, const std::vector<uint8_t> &key, int64_t *free_at)
	{
		std::vector<uint8_t> k(key);
		k.resize(ru8(d.ks), 0);
		uint32_t i = model_hash(key, d.log2);
		*free_at = -1;
		for (uint32_t n = 0; n < d.cap; n++, i = (i + 1) & (d.cap - 1)) {
			uint8_t *e = entry(d, i);
			if (!(rd32(e) & 1)) {
				*free_at = i;
				return -1;
			}
			if (!memcmp(e + 8, k.data(), k.size()))
				return i;
		}
		return -1;
	}
	uint64_t value_addr(const Desc &d, uint32_t e) const { return kMapBase + d.stor + e * d.estr + 8 + ru8(d.ks); }

	uint64_t lookup(unsigned mi, const std::vector<uint8_t> &key, unsigned engine)
	{
		Desc d = get(mi);
		if (d.type != kMapType_Hash) {
			uint32_t idx = rd32(key.data());
			if (idx >= d.max)
				return 0;
			uint32_t copy = d.type == kMapType_Percpu ? engine : 0;
			return kMapBase + d.stor + (copy * d.cap + idx) * d.vstr;
		}
		int64_t fr, e = find(d, key, &fr);
		return e < 0 ? 0 : value_addr(d, static_cast<uint32_t>(e));
	}

	int64_t update(unsigned mi, const std::vector<uint8_t> &key, const std::vector<uint8_t> &val, uint64_t flags,
		       unsigned engine)
	{
		Desc d = get(mi);
		// Linux's order (docs/MAPS.md): arrays let BPF_F_LOCK (4) through the
		// first check and refuse it after the index and NOEXIST checks.
		if (d.type == kMapType_Hash ? flags > 2 : (flags & ~4ull) > 2)
			return kEINVAL;
		std::vector<uint8_t> v(val);
		v.resize(d.vstr, 0);
		if (d.type != kMapType_Hash) {
			uint32_t idx = rd32(key.data());
			if (idx >= d.max)
				return kE2BIG;
			if (flags & 1)
				return kEEXIST;
			if (flags & 4)
				return kEINVAL;
			uint32_t copy = d.type == kMapType_Percpu ? engine : 0;
			memcpy(&m[d.stor + (copy * d.cap + idx) * d.vstr], v.data(), d.vstr);
			return 0;
		}
		int64_t fr, e = find(d, key, &fr);
		if (e >= 0 && flags == 1)
			return kEEXIST;
		if (e < 0 && flags == 2)
			return kENOENT;
		if (e < 0 && d.cnt >= d.max)
			return kE2BIG;
		if (e >= 0) {
			memcpy(entry(d, static_cast<uint32_t>(e)) + 8 + ru8(d.ks), v.data(), d.vstr);
			return 0;
		}
		std::vector<uint8_t> k(key);
		k.resize(ru8(d.ks), 0);
		uint8_t *en = entry(d, static_cast<uint32_t>(fr));
		memcpy(en + 8, k.data(), k.size());
		memcpy(en + 8 + k.size(), v.data(), d.vstr);
		wr32(en + 4, model_hash(key, d.log2));
		wr32(en, 1);
		wr32(&m[64 * mi + 36], d.cnt + 1);
		return 0;
	}

	int64_t remove(unsigned mi, const std::vector<uint8_t> &key)
	{
		Desc d = get(mi);
		if (d.type != kMapType_Hash)
			return kEINVAL;
		int64_t fr, e = find(d, key, &fr);
		if (e < 0)
			return kENOENT;
		uint32_t i = static_cast<uint32_t>(e), mask = d.cap - 1;
		memset(entry(d, i), 0, d.estr);
		for (uint32_t j = (i + 1) & mask, n = 0; n < d.cap; j = (j + 1) & mask, n++) {
			uint8_t *ej = entry(d, j);
			if (!(rd32(ej) & 1))
				break;
			uint32_t k = rd32(ej + 4);
			bool stays = i <= j ? (k > i && k <= j) : (k > i || k <= j);
			if (stays)
				continue;
			memcpy(entry(d, i), ej, d.estr);
			memset(ej, 0, d.estr);
			i = j;
		}
		wr32(&m[64 * mi + 36], d.cnt - 1);
		return 0;
	}
};

std::vector<uint8_t> u32key(uint32_t v)
{
	std::vector<uint8_t> k(4);
	wr32(k.data(), v);
	return k;
}

// Keys of `ks` bytes whose hash (table of 2^log2 entries) is `home`.
std::vector<std::vector<uint8_t>> keys_with_home(uint32_t ks, uint32_t log2, uint32_t home, size_t n, uint32_t seed)
{
	std::vector<std::vector<uint8_t>> out;
	for (uint32_t s = seed; out.size() < n; s++) {
		std::vector<uint8_t> k(ks, 0);
		for (uint32_t b = 0; b < ks; b++)
			k[b] = static_cast<uint8_t>((s * 2654435761u) >> (8 * (b % 4)) ^ b);
		if (model_hash(k, log2) == home)
			out.push_back(k);
	}
	return out;
}

// ---- the card --------------------------------------------------------------

struct RunOut {
	unsigned status = 0;
	uint64_t r0 = 0;
	uint32_t pc = 0, cause = 0;
	uint64_t addr = 0, cycles = 0, insns = 0;
};

class MapsRtl : public DmaCard {
protected:
	void SetUp() override
	{
		uri = "sim:cost=zero"; // BAR0 write answers are seen (not posted)
		DmaCard::SetUp();
		if (HasFatalFailure())
			return;
		ASSERT_TRUE(info.caps & HERMES_CAP_MAPS);
		ASSERT_EQ(dev->map_slot_size, HERMES_DEFAULT_MAP_SLOT_SIZE);
		ASSERT_EQ(dev->map_slot_off, dev->hwq_off + dev->hwq_size) << "map slots follow the queue region";
		ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &ds), 0) << hermes_dev_errmsg(dev);
		ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &ps), 0) << hermes_dev_errmsg(dev);
	}

	uint32_t rd(uint32_t off)
	{
		uint32_t v = 0xdeadbeef;
		EXPECT_EQ(dev->bus->ops->read32(dev->bus, off, &v), 0) << hermes_dev_errmsg(dev);
		return v;
	}
	void wr(uint32_t off, uint32_t v) { EXPECT_EQ(dev->bus->ops->write32(dev->bus, off, v), 0); }

	uint64_t map_addr(unsigned slot) const { return dev->map_slot_off + uint64_t(slot) * dev->map_slot_size; }

	// Assemble src into program slot `slot`; returns its length in bytes.
	uint32_t load(unsigned slot, const std::string &src)
	{
		struct hermes_insn *insns = nullptr;
		size_t n = 0;
		struct hermes_asm_error ae {};
		EXPECT_EQ(hermes_asm(src.c_str(), &insns, &n, &ae), 0) << ae.msg << "\n" << src;
		EXPECT_EQ(to_card(prog_addr(slot), insns, n * 8), 0) << hermes_dev_errmsg(dev);
		free(insns);
		return static_cast<uint32_t>(n * 8);
	}

	void start(unsigned e, unsigned slot, uint32_t len, uint32_t max_insns = 1000000)
	{
		uint32_t req[8] = { HERMES_CMD_RUN | (0x100u + e) << 16, 0, slot | ds << 8, len, 0x1000, max_insns, 0, 0 };
		for (unsigned w = 0; w < 8; w++)
			wr(HERMES_EHCMDREQ(e) + 4 * w, req[w]);
		wr(HERMES_EHCMDCTRL(e), kExecIrq);
	}
	RunOut finish(unsigned e)
	{
		uint32_t pending = 0;
		// 40 ms of card time (10 M clocks): every run here is far shorter, and a
		// run that never ends fails in seconds, not minutes.
		EXPECT_EQ(dev->bus->ops->wait_irq(dev->bus, 1u << e, 40, &pending), 0) << "engine " << e << " completes";
		RunOut o;
		uint32_t w0 = rd(HERMES_EHCMDRES(e));
		o.status = (w0 >> 16) & 0xff;
		o.r0 = rd(HERMES_EHCMDRES(e) + 8) | uint64_t(rd(HERMES_EHCMDRES(e) + 12)) << 32;
		o.pc = rd(HERMES_EHENGSTAT(e) + HERMES_STAT_FAULT_PC);
		o.cause = rd(HERMES_EHENGSTAT(e) + HERMES_STAT_FAULT_CAUSE);
		o.addr = rd(HERMES_EHENGSTAT(e) + HERMES_STAT_FAULT_ADDR) |
			 uint64_t(rd(HERMES_EHENGSTAT(e) + HERMES_STAT_FAULT_ADDR + 4)) << 32;
		o.insns = rd(HERMES_EHENGSTAT(e) + HERMES_STAT_INSNS);
		o.cycles = rd(HERMES_EHENGSTAT(e) + HERMES_STAT_CYCLES);
		wr(HERMES_EHCMDCTRL(e), kAckIrq);
		return o;
	}
	RunOut finish_run(unsigned e, uint32_t len)
	{
		start(e, ps, len);
		return finish(e);
	}
	RunOut run(unsigned e, unsigned slot, const std::string &src)
	{
		uint32_t len = load(slot, src);
		start(e, slot, len);
		return finish(e);
	}

	void put_desc(unsigned slot, unsigned i, const Desc &d, Model *model)
	{
		model->put(i, d);
		ASSERT_EQ(to_card(map_addr(slot) + 64 * i, &model->m[64 * i], 64), 0);
	}
	std::vector<uint8_t> map_bytes(unsigned slot)
	{
		std::vector<uint8_t> b(dev->map_slot_size);
		EXPECT_EQ(from_card(map_addr(slot), b.data(), b.size()), 0) << hermes_dev_errmsg(dev);
		return b;
	}
	// Map slot and model agree byte for byte (storage and descriptors).
	void expect_same(unsigned slot, const Model &model, const char *what)
	{
		std::vector<uint8_t> b = map_bytes(slot);
		for (size_t i = 0; i < b.size(); i++) {
			if (i >= HERMES_MS_TRACE_OFF && i < HERMES_MS_STORAGE_OFF)
				continue; // trace buffers: not modelled here
			if (b[i] != model.m[i]) {
				ADD_FAILURE() << what << ": map slot byte 0x" << std::hex << i << " is 0x" << unsigned(b[i])
					      << ", the model says 0x" << unsigned(model.m[i]);
				return;
			}
		}
	}

	// One helper call with r1-r5 from the arguments; r0-r5 after the call
	// are stored to the data slot (kOutOff) and checked for r1-r5.
	RunOut call(unsigned e, int64_t id, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5 = 0x5555)
	{
		char src[1024];
		snprintf(src, sizeof(src),
			 "lddw %%r1, 0x%llx\nlddw %%r2, 0x%llx\nlddw %%r3, 0x%llx\nlddw %%r4, 0x%llx\n"
			 "lddw %%r5, 0x%llx\ncall %lld\nlddw %%r9, 0x%llx\n"
			 "stxdw [%%r9+0], %%r0\nstxdw [%%r9+8], %%r1\nstxdw [%%r9+16], %%r2\n"
			 "stxdw [%%r9+24], %%r3\nstxdw [%%r9+32], %%r4\nstxdw [%%r9+40], %%r5\nexit\n",
			 (unsigned long long)r1, (unsigned long long)r2, (unsigned long long)r3, (unsigned long long)r4,
			 (unsigned long long)r5, (long long)id, (unsigned long long)(kDataBase + kOutOff));
		RunOut o = run(e, ps, src);
		if (o.status == HERMES_ST_SUCCESS) {
			uint64_t regs[6];
			EXPECT_EQ(from_card(data_addr(ds) + kOutOff, regs, sizeof(regs)), 0);
			EXPECT_EQ(regs[0], o.r0);
			uint64_t want[6] = { 0, r1, r2, r3, r4, r5 };
			for (int r = 1; r <= 5; r++)
				EXPECT_EQ(regs[r], want[r]) << "r" << r << " after helper " << id;
		}
		return o;
	}
	void put_key_val(const std::vector<uint8_t> &key, const std::vector<uint8_t> &val)
	{
		if (!key.empty())
			ASSERT_EQ(to_card(data_addr(ds) + kKeyOff, key.data(), key.size()), 0);
		if (!val.empty())
			ASSERT_EQ(to_card(data_addr(ds) + kValOff, val.data(), val.size()), 0);
	}
	// The map helpers on map i through the card and the model: r0 agrees.
	int64_t card_update(unsigned e, Model &m, unsigned i, const std::vector<uint8_t> &key,
			    const std::vector<uint8_t> &val, uint64_t flags)
	{
		put_key_val(key, val);
		RunOut o = call(e, 2, kMapBase + 64 * i, kDataBase + kKeyOff, kDataBase + kValOff, flags);
		EXPECT_EQ(o.status, HERMES_ST_SUCCESS) << "cause " << o.cause;
		int64_t want = m.update(i, key, val, flags, e);
		EXPECT_EQ(int64_t(o.r0), want) << "update flags " << flags;
		return int64_t(o.r0);
	}
	uint64_t card_lookup(unsigned e, Model &m, unsigned i, const std::vector<uint8_t> &key)
	{
		put_key_val(key, {});
		RunOut o = call(e, 1, kMapBase + 64 * i, kDataBase + kKeyOff, 0, 0);
		EXPECT_EQ(o.status, HERMES_ST_SUCCESS) << "cause " << o.cause;
		EXPECT_EQ(o.r0, m.lookup(i, key, e)) << "lookup";
		return o.r0;
	}
	int64_t card_delete(unsigned e, Model &m, unsigned i, const std::vector<uint8_t> &key)
	{
		put_key_val(key, {});
		RunOut o = call(e, 3, kMapBase + 64 * i, kDataBase + kKeyOff, 0, 0);
		EXPECT_EQ(o.status, HERMES_ST_SUCCESS) << "cause " << o.cause;
		EXPECT_EQ(int64_t(o.r0), m.remove(i, key)) << "delete";
		return int64_t(o.r0);
	}

	unsigned ps = 0, ds = 0;
};

std::vector<uint8_t> bytes(size_t n, uint32_t seed)
{
	std::vector<uint8_t> v(n);
	for (size_t i = 0; i < n; i++)
		v[i] = static_cast<uint8_t>(seed * 31 + i * 7 + 1);
	return v;
}

// ---- tests -----------------------------------------------------------------

TEST_F(MapsRtl, RegistersAndGeometry)
{
	EXPECT_EQ(rd(HERMES_EHMSOFF), dev->map_slot_off);
	EXPECT_EQ(rd(HERMES_EHMSSZE), HERMES_DEFAULT_MAP_SLOT_SIZE);
	EXPECT_EQ(rd(HERMES_EHMLOCK), 0u);
	EXPECT_TRUE(rd(HERMES_EHCAP) & HERMES_CAP_MAPS);
	// The geometry words are read-only; the last map slot is reachable by DMA.
	EXPECT_EQ(hermes_sim_bar0_write(sim, HERMES_EHMSOFF, 1, 0xf), HERMES_SIM_SLVERR);
	std::vector<uint8_t> in = bytes(256, 9), back(256);
	uint64_t last = map_addr(info.prog_slots - 1) + dev->map_slot_size - 256;
	ASSERT_EQ(to_card(last, in.data(), in.size()), 0) << hermes_dev_errmsg(dev);
	ASSERT_EQ(from_card(last, back.data(), back.size()), 0);
	EXPECT_EQ(back, in);
	EXPECT_NE(to_card(last + 256, in.data(), 1), 0) << "nothing after the last map slot";
}

TEST_F(MapsRtl, CheapHelpers)
{
	// get_smp_processor_id on each engine.
	for (unsigned e = 0; e < info.engines; e++) {
		RunOut o = call(e, 8, 1, 2, 3, 4);
		ASSERT_EQ(o.status, HERMES_ST_SUCCESS);
		EXPECT_EQ(o.r0, e);
	}
	// get_prandom_u32: xorshift32 from 0x9E3779B9 x (e + 1), fresh after the card's reset.
	for (unsigned e : { 0u, 3u }) {
		uint32_t x = 0x9E3779B9u * (e + 1);
		for (int n = 0; n < 3; n++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			RunOut o = call(e, 7, 1, 2, 3, 4);
			ASSERT_EQ(o.status, HERMES_ST_SUCCESS);
			EXPECT_EQ(o.r0, x) << "engine " << e << " draw " << n;
		}
	}
	// Only the helper call draws: other instructions with imm 7 (mov, add,
	// lddw) leave the generator alone. Engine 1 is fresh.
	{
		uint32_t x1 = 0x9E3779B9u * 2, x2;
		x1 ^= x1 << 13;
		x1 ^= x1 >> 17;
		x1 ^= x1 << 5;
		x2 = x1;
		x2 ^= x2 << 13;
		x2 ^= x2 >> 17;
		x2 ^= x2 << 5;
		RunOut o = run(1, ps,
			       "mov %r1, 7\ncall 7\nmov %r6, %r0\nmov %r2, 7\nadd %r2, 7\n"
			       "lddw %r3, 7\ncall 7\nlsh %r0, 32\nor %r0, %r6\nexit\n");
		ASSERT_EQ(o.status, HERMES_ST_SUCCESS);
		EXPECT_EQ(o.r0, (uint64_t(x2) << 32) | x1) << "two draws in a row on engine 1";
	}
	// ktime_get_ns: 4 ns a clock, increasing.
	RunOut a = call(1, 5, 1, 2, 3, 4);
	RunOut b = call(1, 5, 1, 2, 3, 4);
	EXPECT_EQ(a.r0 % 4, 0u);
	EXPECT_NE(a.r0, 0u);
	EXPECT_GT(b.r0, a.r0);
	// Unknown ids still fault 8 with the id as address.
	for (int64_t id : { 0ll, 4ll, 9ll, 0x7fffffffll }) {
		RunOut o = call(0, id, 1, 2, 3, 4);
		EXPECT_EQ(o.status, HERMES_ST_EBPF_ERROR);
		EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_UNKNOWN_HELPER));
		EXPECT_EQ(o.addr, uint64_t(id));
		EXPECT_EQ(o.pc, 10u) << "the call";
	}
}

TEST_F(MapsRtl, ArrayLookupUpdateAndErrors)
{
	Model m(dev->map_slot_size);
	put_desc(ps, 0, array_desc(12, 5, 0x9000, false, info.engines), &m);
	put_desc(ps, 3, array_desc(1, 3, 0x9100, false, info.engines), &m);
	for (uint32_t k : { 0u, 4u, 5u, 0xffffffffu })
		card_lookup(0, m, 0, u32key(k));
	// Every flag and error: ANY, NOEXIST (always -EEXIST), EXIST, bad flags, index out of range.
	for (uint64_t flags : { 0ull, 1ull, 2ull, 3ull, 4ull, 5ull, 6ull, 7ull, 0x100000000ull })
		for (uint32_t k : { 0u, 2u, 4u, 5u, 77u })
			card_update(0, m, 0, u32key(k), bytes(12, k + uint32_t(flags)), flags);
	card_update(2, m, 3, u32key(1), bytes(1, 3), 0);
	// Delete on an array: -EINVAL.
	card_delete(0, m, 0, u32key(1));
	expect_same(ps, m, "array");
	// The value pointer works for loads and for stores (storage).
	uint64_t p = card_lookup(0, m, 0, u32key(2));
	char src[256];
	snprintf(src, sizeof(src), "lddw %%r1, 0x%llx\nldxdw %%r0, [%%r1]\nstw [%%r1+8], 0x1234\nexit\n",
		 (unsigned long long)p);
	RunOut o = run(0, ps, src);
	ASSERT_EQ(o.status, HERMES_ST_SUCCESS);
	EXPECT_EQ(o.r0, rd64(&m.m[p - kMapBase]));
	wr32(&m.m[p - kMapBase + 8], 0x1234);
	expect_same(ps, m, "store through a value pointer");
}

TEST_F(MapsRtl, PercpuArrayHasOneCopyPerEngine)
{
	Model m(dev->map_slot_size);
	put_desc(ps, 1, array_desc(8, 4, 0xA000, true, info.engines), &m);
	for (unsigned e = 0; e < info.engines; e++) {
		card_update(e, m, 1, u32key(3), bytes(8, 40 + e), 0);
		card_update(e, m, 1, u32key(4), bytes(8, 40 + e), 2);
		card_lookup(e, m, 1, u32key(3));
	}
	expect_same(ps, m, "percpu");
	// Wrong copies (not EHENG): fault 9 at the map pointer.
	Desc bad = array_desc(8, 4, 0xA000, true, info.engines);
	bad.copies = 1;
	put_desc(ps, 1, bad, &m);
	RunOut o = call(0, 1, kMapBase + 64, kDataBase + kKeyOff, 0, 0);
	EXPECT_EQ(o.status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_BAD_HELPER_ARG));
	EXPECT_EQ(o.addr, kMapBase + 64);
}

TEST_F(MapsRtl, HashInsertCollideOverwriteDeleteWithShift)
{
	Model m(dev->map_slot_size);
	// 8 entries of (8 + 16 + 8) bytes; keys of 12 bytes.
	Desc d = hash_desc(12, 5, 4, 0x9000);
	ASSERT_EQ(d.cap, 8u);
	put_desc(ps, 2, d, &m);
	// Three keys with home 6 (they wrap around: 6, 7, 0), one with home 7,
	// one with home 0: collisions, wrap, and shifts on delete.
	auto h6 = keys_with_home(12, 3, 6, 3, 100);
	auto h7 = keys_with_home(12, 3, 7, 1, 200);
	auto h0 = keys_with_home(12, 3, 0, 2, 300);
	card_lookup(0, m, 2, h6[0]);
	card_update(0, m, 2, h6[0], bytes(5, 1), 2); // EXIST on absent: -ENOENT
	card_update(0, m, 2, h6[0], bytes(5, 1), 1); // NOEXIST: insert
	card_update(1, m, 2, h6[1], bytes(5, 2), 0);
	card_update(2, m, 2, h7[0], bytes(5, 3), 0);
	card_update(3, m, 2, h6[2], bytes(5, 4), 0); // probes 6, 7, 0, 1
	expect_same(ps, m, "inserted");
	card_update(0, m, 2, h6[1], bytes(5, 5), 1); // present, NOEXIST: -EEXIST
	card_update(0, m, 2, h6[1], bytes(5, 6), 2); // present, EXIST: overwrite
	card_update(0, m, 2, h6[2], bytes(5, 7), 0); // present, ANY: overwrite
	card_update(0, m, 2, h0[0], bytes(5, 8), 0); // full (4 of 4): -E2BIG
	card_update(0, m, 2, h0[0], bytes(5, 8), 3); // bad flags: -EINVAL
	for (auto *k : { &h6[0], &h6[1], &h6[2], &h7[0], &h0[0] })
		card_lookup(1, m, 2, *k);
	expect_same(ps, m, "overwritten");
	// Delete the first of the chain: the others shift back.
	card_delete(0, m, 2, h6[0]);
	expect_same(ps, m, "deleted h6[0]");
	card_delete(0, m, 2, h6[0]); // absent: -ENOENT
	for (auto *k : { &h6[1], &h6[2], &h7[0] })
		card_lookup(2, m, 2, *k);
	card_update(0, m, 2, h0[0], bytes(5, 9), 0);
	card_update(0, m, 2, h0[1], bytes(5, 10), 0);
	card_delete(1, m, 2, h7[0]);
	card_delete(1, m, 2, h6[1]);
	expect_same(ps, m, "deleted in the wrapped chain");
	for (auto *k : { &h6[2], &h0[0], &h0[1] })
		card_lookup(3, m, 2, *k);
	card_delete(0, m, 2, h0[0]);
	card_delete(0, m, 2, h6[2]);
	card_delete(0, m, 2, h0[1]);
	expect_same(ps, m, "empty again");
	EXPECT_EQ(m.get(2).cnt, 0u);
}

TEST_F(MapsRtl, HashKeySizesAndRandomOperationsMatchTheModel)
{
	Model m(dev->map_slot_size);
	const uint32_t sizes[][2] = { { 1, 1 }, { 4, 8 }, { 8, 16 }, { 13, 3 }, { 64, 40 } };
	uint32_t stor = 0x9000;
	for (unsigned i = 0; i < 5; i++) {
		Desc d = hash_desc(sizes[i][0], sizes[i][1], 6, stor);
		put_desc(ps, 10 + i, d, &m);
		stor += d.cap * d.estr;
	}
	std::mt19937 rng(7);
	for (int n = 0; n < 90; n++) {
		unsigned i = rng() % 5, e = rng() % info.engines;
		uint32_t ks = sizes[i][0];
		std::vector<uint8_t> key(ks);
		for (auto &b : key)
			b = static_cast<uint8_t>(rng() % 3); // few distinct keys: hits and misses
		switch (rng() % 3) {
		case 0: card_lookup(e, m, 10 + i, key); break;
		case 1: card_update(e, m, 10 + i, key, bytes(sizes[i][1], rng()), rng() % 3); break;
		default: card_delete(e, m, 10 + i, key); break;
		}
		if (HasFailure())
			break;
	}
	expect_same(ps, m, "after random operations");
}

TEST_F(MapsRtl, BadArgumentsFault)
{
	Model m(dev->map_slot_size);
	put_desc(ps, 0, array_desc(8, 4, 0x9000, false, info.engines), &m);
	put_key_val(u32key(1), bytes(8, 1));
	struct Case {
		uint64_t r1, r2, r3;
		int id;
		unsigned cause;
		uint64_t addr;
	} cases[] = {
		{ kMapBase + 8, kDataBase, kDataBase, 1, HERMES_FAULT_BAD_HELPER_ARG, kMapBase + 8 },      // not a descriptor
		{ kMapBase + 64, kDataBase, kDataBase, 1, HERMES_FAULT_BAD_HELPER_ARG, kMapBase + 64 },    // unused
		{ kMapBase + 0x1000, kDataBase, kDataBase, 2, HERMES_FAULT_BAD_HELPER_ARG, kMapBase + 0x1000 },
		{ kDataBase, kDataBase, kDataBase, 3, HERMES_FAULT_BAD_HELPER_ARG, kDataBase },
		{ kMapBase, 0, kDataBase, 1, HERMES_FAULT_LOAD, 0 },                                       // key pointer
		{ kMapBase, 0x30000ffe, kDataBase, 1, HERMES_FAULT_LOAD, 0x30000ffe },                     // past the stack
		{ kMapBase, kDataBase, 0x10, 2, HERMES_FAULT_LOAD, 0x10 },                                 // value pointer
	};
	for (const auto &c : cases) {
		RunOut o = call(0, c.id, c.r1, c.r2, c.r3, 0);
		EXPECT_EQ(o.status, HERMES_ST_EBPF_ERROR) << "r1 0x" << std::hex << c.r1;
		EXPECT_EQ(o.cause, c.cause) << "r1 0x" << std::hex << c.r1 << " r2 0x" << c.r2;
		EXPECT_EQ(o.addr, c.addr);
	}
	// Corrupt descriptors: value_stride, storage below 0x9000, storage past the slot.
	Desc d = array_desc(8, 4, 0x9000, false, info.engines);
	Desc bads[4] = { d, d, d, hash_desc(8, 8, 4, 0x9000) };
	bads[0].vstr = 16;
	bads[1].stor = 0x8ff8;
	bads[2].stor = dev->map_slot_size - 16;
	bads[3].cap = 16; // not the smallest power of two
	for (const auto &b : bads) {
		put_desc(ps, 5, b, &m);
		RunOut o = call(0, 1, kMapBase + 5 * 64, kDataBase, kDataBase, 0);
		EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_BAD_HELPER_ARG));
		EXPECT_EQ(o.addr, kMapBase + 5 * 64);
	}
	expect_same(ps, m, "nothing changed by faults");
}

TEST_F(MapsRtl, MapWindowIsolation)
{
	unsigned other = 0;
	ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &other), 0);
	std::vector<uint8_t> mine = bytes(64, 1), theirs = bytes(64, 2);
	ASSERT_EQ(to_card(map_addr(ps) + 0x9000, mine.data(), 64), 0);
	ASSERT_EQ(to_card(map_addr(other) + 0x9000, theirs.data(), 64), 0);
	RunOut o = run(0, ps, "lddw %r1, 0x40009000\nldxdw %r0, [%r1]\nexit\n");
	EXPECT_EQ(o.r0, rd64(mine.data())) << "a program reads its own map slot";
	o = run(0, other, "lddw %r1, 0x40009000\nldxdw %r0, [%r1]\nexit\n");
	EXPECT_EQ(o.r0, rd64(theirs.data()));
	// Nothing past the slot: the next map slot is unreachable.
	o = run(0, ps, "lddw %r1, 0x40040000\nldxb %r0, [%r1]\nexit\n");
	EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_LOAD));
	EXPECT_EQ(o.addr, 0x40040000u);
	o = run(0, ps, "lddw %r1, 0x4003fffc\nldxdw %r0, [%r1]\nexit\n");
	EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_LOAD));
	// Stores below 0x9000 (descriptors, trace buffers) fault; at 0x9000 they work.
	o = run(0, ps, "lddw %r1, 0x40008ff8\nstdw [%r1], 1\nexit\n");
	EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_STORE));
	EXPECT_EQ(o.addr, 0x40008ff8u);
	o = run(0, ps, "lddw %r1, 0x40008ffc\nstxdw [%r1], %r1\nexit\n");
	EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_STORE));
	o = run(0, ps, "lddw %r1, 0x40000000\nmov %r2, 1\nlock add [%r1], %r2\nexit\n");
	EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_STORE)) << "atomics are stores";
	o = run(0, ps, "lddw %r1, 0x40009000\nstdw [%r1], 7\nmov %r2, 5\nlock fetch add [%r1], %r2\nmov %r0, %r2\nexit\n");
	EXPECT_EQ(o.status, HERMES_ST_SUCCESS);
	EXPECT_EQ(o.r0, 7u);
	uint64_t v = 0;
	ASSERT_EQ(from_card(map_addr(ps) + 0x9000, &v, 8), 0);
	EXPECT_EQ(v, 12u);
	// A map pointer of another slot's descriptors is just this slot's: map
	// helpers reach only their own object's maps (slot `other` has a
	// descriptor at 0, this one none).
	Model m(dev->map_slot_size);
	put_desc(other, 0, array_desc(8, 4, 0x9000, false, info.engines), &m);
	RunOut c = call(0, 1, kMapBase, kDataBase, kDataBase, 0);
	EXPECT_EQ(c.cause, unsigned(HERMES_FAULT_BAD_HELPER_ARG));
	EXPECT_EQ(hermes__slot_release(dev, 0, HERMES_SLOT_PROG, other), 0);
}

TEST_F(MapsRtl, MapSlotIsZeroedWhenItsProgramSlotIsHandedOutAgain)
{
	Model m(dev->map_slot_size);
	put_desc(ps, 0, hash_desc(4, 8, 100, 0x9000), &m);
	card_update(0, m, 0, u32key(5), bytes(8, 5), 0);
	std::vector<uint8_t> junk = bytes(4096, 3);
	ASSERT_EQ(to_card(map_addr(ps) + dev->map_slot_size - 4096, junk.data(), junk.size()), 0);
	unsigned old = ps;
	ASSERT_EQ(hermes__slot_release(dev, 0, HERMES_SLOT_PROG, ps), 0);
	// Allocate until the same program slot comes back.
	std::vector<unsigned> held;
	for (unsigned n = 0; n < info.prog_slots; n++) {
		unsigned s = 0;
		ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &s), 0);
		if (s == old)
			break;
		held.push_back(s);
	}
	std::vector<uint8_t> b = map_bytes(old);
	EXPECT_EQ(std::count(b.begin(), b.end(), 0), long(b.size())) << "map slot zero on reuse";
	for (unsigned s : held)
		EXPECT_EQ(hermes__slot_release(dev, 0, HERMES_SLOT_PROG, s), 0);
}

TEST_F(MapsRtl, TracePrintkRecordsAndTheRunZeroesTheCount)
{
	// 33 calls: 31 records, the last two -ENOSPC; r0 of the last one returned.
	std::string src =
		"mov %r6, 0\n"
		"loop:\n"
		"lddw %r1, 0x10000100\nmov %r2, 12\nmov %r3, %r6\nlddw %r4, 0x123456789\nmov %r5, -1\n"
		"call 6\nadd %r6, 1\njne %r6, 33, loop\nexit\n";
	RunOut o = run(2, ps, src);
	ASSERT_EQ(o.status, HERMES_ST_SUCCESS);
	EXPECT_EQ(int64_t(o.r0), kENOSPC);
	std::vector<uint8_t> b = map_bytes(ps);
	const uint8_t *t = &b[HERMES_MS_TRACE_OFF + 2 * HERMES_MS_TRACE_STRIDE];
	EXPECT_EQ(rd32(t), 33u) << "records counted";
	for (unsigned k = 0; k < 31; k++) {
		const uint8_t *r = t + 64 + 64 * k;
		EXPECT_EQ(rd64(r), 0x10000100u);
		EXPECT_EQ(rd32(r + 8), 12u);
		EXPECT_EQ(rd32(r + 12), 0u);
		EXPECT_EQ(rd64(r + 16), k);
		EXPECT_EQ(rd64(r + 24), 0x123456789u);
		EXPECT_EQ(rd64(r + 32), ~0ull);
		EXPECT_EQ(std::count(r + 40, r + 64, 0), 24);
	}
	// Other engines' buffers untouched.
	EXPECT_EQ(rd32(&b[HERMES_MS_TRACE_OFF]), 0u);
	// The next run on engine 2 starts at 0 and returns 0 from the call.
	o = run(2, ps, "mov %r1, 0\nmov %r2, 0\ncall 6\nexit\n");
	EXPECT_EQ(o.r0, 0u);
	b = map_bytes(ps);
	EXPECT_EQ(rd32(&b[HERMES_MS_TRACE_OFF + 2 * HERMES_MS_TRACE_STRIDE]), 1u);
	// A run without trace_printk leaves a zero count.
	o = run(2, ps, "mov %r0, 0\nexit\n");
	b = map_bytes(ps);
	EXPECT_EQ(rd32(&b[HERMES_MS_TRACE_OFF + 2 * HERMES_MS_TRACE_STRIDE]), 0u);
}

// Engines share maps: atomics on one ARRAY value, HASH inserts from every
// engine at once (the map lock), each engine its own PERCPU copy.
TEST_F(MapsRtl, EnginesAtOnce)
{
	Model m(dev->map_slot_size);
	put_desc(ps, 0, array_desc(8, 2, 0x9000, false, info.engines), &m);
	put_desc(ps, 1, hash_desc(8, 8, 64, 0x9100), &m);
	put_desc(ps, 2, array_desc(8, 1, 0xA000, true, info.engines), &m);
	// Each engine: 50 rounds of lookup(array 0, key 1) + lock add 1; insert
	// key (engine, round) into the hash; lookup percpu 0 and add the engine
	// index + 1.
	std::string src =
		"call 8\nmov %r7, %r0\nmov %r6, 0\n"
		"loop:\n"
		"stw [%r10-4], 1\nlddw %r1, 0x40000000\nmov %r2, %r10\nadd %r2, -4\ncall 1\n"
		"mov %r3, 1\nlock add [%r0], %r3\n"
		"mov %r3, %r7\nlsh %r3, 32\nor %r3, %r6\nstxdw [%r10-16], %r3\nstxdw [%r10-24], %r6\n"
		"lddw %r1, 0x40000040\nmov %r2, %r10\nadd %r2, -16\nmov %r3, %r10\nadd %r3, -24\nmov %r4, 1\ncall 2\n"
		"jne %r0, 0, bad\n"
		"stw [%r10-4], 0\nlddw %r1, 0x40000080\nmov %r2, %r10\nadd %r2, -4\ncall 1\n"
		"mov %r3, %r7\nadd %r3, 1\nlock add [%r0], %r3\n"
		"add %r6, 1\njne %r6, 12, loop\nmov %r0, 0\nexit\n"
		"bad:\nexit\n";
	uint32_t len = load(ps, src);
	for (unsigned e = 0; e < info.engines; e++)
		start(e, ps, len);
	for (unsigned e = 0; e < info.engines; e++) {
		RunOut o = finish(e);
		EXPECT_EQ(o.status, HERMES_ST_SUCCESS) << "engine " << e << " cause " << o.cause;
		EXPECT_EQ(o.r0, 0u) << "engine " << e << ": an insert failed";
	}
	std::vector<uint8_t> b = map_bytes(ps);
	EXPECT_EQ(rd64(&b[0x9000 + 8]), 12u * info.engines) << "atomic adds from every engine";
	for (unsigned e = 0; e < info.engines; e++)
		EXPECT_EQ(rd64(&b[0xA000 + 8 * e]), 12u * (e + 1)) << "percpu copy of engine " << e;
	EXPECT_EQ(rd32(&b[64 + 36]), 12u * info.engines) << "hash count";
	// Every key is where the model's probe finds it, with its value.
	for (unsigned e = 0; e < info.engines; e++)
		for (uint32_t r = 0; r < 12; r++) {
			uint64_t k = uint64_t(e) << 32 | r;
			std::vector<uint8_t> key(8);
			memcpy(key.data(), &k, 8);
			Model mb(0);
			mb.m = b;
			uint64_t p = mb.lookup(1, key, 0);
			ASSERT_NE(p, 0u) << "key " << e << "/" << r;
			EXPECT_EQ(rd64(&b[p - kMapBase]), r);
		}
}

TEST_F(MapsRtl, HostMapLockBlocksHelpersAndAbortStillEnds)
{
	Model m(dev->map_slot_size);
	put_desc(ps, 0, array_desc(8, 2, 0x9000, false, info.engines), &m);
	wr(HERMES_EHMLOCK, 1);
	EXPECT_EQ(rd(HERMES_EHMLOCK), 1u) << "granted: no engine inside a map helper";
	put_key_val(u32key(1), {});
	std::string src = "lddw %r1, 0x40000000\nlddw %r2, 0x20000000\ncall 1\nexit\n";
	uint32_t len = load(ps, src);
	start(1, ps, len);
	hermes_sim_run(sim, 3000);
	EXPECT_EQ(rd(HERMES_EHENGSTAT(1) + HERMES_STAT_STATE), HERMES_STATE_RUNNING) << "waits for the lock";
	// Cheap helpers and other engines are not held up.
	RunOut c = call(0, 8, 1, 2, 3, 4);
	EXPECT_EQ(c.status, HERMES_ST_SUCCESS);
	wr(HERMES_EHMLOCK, 0);
	RunOut o = finish(1);
	EXPECT_EQ(o.status, HERMES_ST_SUCCESS);
	EXPECT_EQ(o.r0, kMapBase + 0x9008);
	EXPECT_GT(o.cycles, 3000u) << "its clocks count while it waits";

	// ABORT while waiting: fault 7 at the call, nothing done. (call() above
	// put its own program into slot ps: load the lookup again.)
	wr(HERMES_EHMLOCK, 1);
	EXPECT_EQ(rd(HERMES_EHMLOCK), 1u);
	len = load(ps, src); // call() above ran its own program from ps
	start(3, ps, len);
	hermes_sim_run(sim, 2000);
	EXPECT_EQ(rd(HERMES_EHENGSTAT(3) + HERMES_STAT_STATE), HERMES_STATE_RUNNING) << "waits for the lock";
	wr(HERMES_EHCMDCTRL(3), kAbortIrq);
	o = finish(3);
	EXPECT_EQ(o.status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_ABORTED));
	EXPECT_EQ(o.pc, 4u) << "the call";
	wr(HERMES_EHMLOCK, 0);
	EXPECT_EQ(rd(HERMES_EHMLOCK), 0u);
	// The engine runs map helpers again.
	o = finish_run(3, len);
	EXPECT_EQ(o.status, HERMES_ST_SUCCESS);
	EXPECT_EQ(o.r0, kMapBase + 0x9008);
}

// ABORT inside a map helper's sequence: the update completes (the map is
// never left half written), then the abort fault ends the run at the
// instruction after the call.
TEST_F(MapsRtl, AbortInsideAHelperSequenceCompletesItFirst)
{
	Model m(dev->map_slot_size);
	const uint32_t vs = 0x7000; // 28 KiB: the copy takes about 3 clocks per 8 bytes
	put_desc(ps, 0, array_desc(vs, 2, 0x9000, false, info.engines), &m);
	put_key_val(u32key(1), bytes(vs, 0x5a));
	std::string src = "lddw %r1, 0x40000000\nlddw %r2, 0x20000000\nlddw %r3, 0x20000400\nmov %r4, 0\n"
			  "call 2\nmov %r0, 77\nexit\n";
	uint32_t len = load(ps, src);
	start(2, ps, len);
	hermes_sim_run(sim, 600); // code copy, arguments, descriptor: the value copy is under way
	wr(HERMES_EHCMDCTRL(2), kAbortIrq);
	RunOut o = finish(2);
	EXPECT_EQ(o.status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(o.cause, unsigned(HERMES_FAULT_ABORTED));
	EXPECT_EQ(o.pc, 8u) << "the instruction after the call";
	EXPECT_GT(o.cycles, 3u * vs / 8) << "the whole copy ran";
	std::vector<uint8_t> key = u32key(1), val = bytes(vs, 0x5a);
	EXPECT_EQ(m.update(0, key, val, 0, 2), 0);
	expect_same(ps, m, "after the aborted run");
}

// Clock cost of each helper: the run's clocks with the call minus without.
TEST_F(MapsRtl, HelperClockCosts)
{
	Model m(dev->map_slot_size);
	put_desc(ps, 0, array_desc(8, 4, 0x9000, false, info.engines), &m);
	put_desc(ps, 1, hash_desc(8, 8, 16, 0x9100), &m);
	put_key_val(u32key(2), bytes(8, 1));
	auto cost = [&](int id, uint64_t r1, uint64_t r4) {
		RunOut with = call(0, id, r1, kDataBase + kKeyOff, kDataBase + kValOff, r4);
		RunOut base = call(0, 8, r1, kDataBase + kKeyOff, kDataBase + kValOff, r4);
		EXPECT_EQ(with.status, HERMES_ST_SUCCESS);
		return int64_t(with.cycles) - int64_t(base.cycles);
	};
	int64_t c5 = cost(5, 0, 0), c7 = cost(7, 0, 0), c8 = cost(8, 0, 0);
	int64_t a_lookup = cost(1, kMapBase, 0), a_update = cost(2, kMapBase, 0);
	int64_t h_miss = cost(1, kMapBase + 64, 0), h_insert = cost(2, kMapBase + 64, 0);
	int64_t h_hit = cost(1, kMapBase + 64, 0), h_update = cost(2, kMapBase + 64, 0);
	int64_t h_delete = cost(3, kMapBase + 64, 0);
	int64_t trace = cost(6, 0x10000000, 0);
	std::printf("helper clocks over get_smp_processor_id: ktime %lld prandom %lld smp_id %lld\n"
		    "  array lookup %lld update(8 B) %lld\n"
		    "  hash(8 B key, 8 B value) lookup miss %lld insert %lld lookup hit %lld update %lld delete %lld\n"
		    "  trace_printk %lld\n",
		    (long long)c5, (long long)c7, (long long)c8, (long long)a_lookup, (long long)a_update,
		    (long long)h_miss, (long long)h_insert, (long long)h_hit, (long long)h_update, (long long)h_delete,
		    (long long)trace);
	EXPECT_EQ(c5, 0);
	EXPECT_EQ(c7, 0);
	// The bounds docs/MAPS.md "Clock costs" gives for one-probe cases.
	EXPECT_LE(a_lookup, 36);
	EXPECT_LE(h_hit, 45);
	EXPECT_LE(trace, 20);
}

} // namespace
