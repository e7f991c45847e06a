// SPDX-License-Identifier: MIT
// test_elf_maps.cpp - maps declared the libbpf way (BTF, section .maps,
// <bpf/bpf_helpers.h>), built as users build them (clang -g -O2 -target
// bpf), loaded, relocated and run as loaded objects on "ref" and on the
// simulated card ("sim", EHCAP bit 7): maps persist across runs, host map
// operations, trace_printk lines, helper faults; hostile objects refused
// with the map named.
#include "test_elf_helpers.h"

#include <cerrno>
#include <cstring>
#include <set>

#include <bpf/btf.h>

extern "C" {
#include "map_slot.h"
}

using namespace elft;

namespace {

// Compile a libbpf-style program (no test prelude: bpf_helpers.h has SEC).
std::string compile_bpf(const std::string &name, const std::string &src)
{
	std::string c = dir() + "/" + name + ".c", o = dir() + "/" + name + ".o";
	{
		std::ofstream f(c);
		f << "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n" << src;
	}
	std::string cmd = "clang -g -O2 -target bpf -I/usr/include/$(gcc -print-multiarch) -c " + c + " -o " + o +
			  " 2>" + o + ".log";
	if (std::system(cmd.c_str()) != 0) {
		std::ifstream log(o + ".log");
		std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
		ADD_FAILURE() << "clang failed: " << cmd << "\n" << text;
		return "";
	}
	return o;
}

// Build src with clang and read it into l (a test failure when either fails).
void build_prog(const std::string &name, const std::string &src, Load *l)
{
	std::string o = compile_bpf(name, src);
	ASSERT_NE(o, "");
	load(o, nullptr, l);
	ASSERT_EQ(l->err, 0) << l->msg;
}

const char *kCounter =
	"struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } counts SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u64); } seen SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u32); } pc SEC(\".maps\");\n"
	"SEC(\"hermes/count\") __u64 count(__u8 *d, __u64 len)\n"
	"{\n"
	"	__u32 key = d[0] % 4, k2 = d[0], z = 0;\n"
	"	__u64 *v = bpf_map_lookup_elem(&counts, &key), one = 1, *s;\n"
	"	__u32 *p;\n"
	"	if (!v) return 1000;\n"
	"	__sync_fetch_and_add(v, 1);\n"
	"	s = bpf_map_lookup_elem(&seen, &k2);\n"
	"	if (s) (*s)++; else bpf_map_update_elem(&seen, &k2, &one, BPF_NOEXIST);\n"
	"	p = bpf_map_lookup_elem(&pc, &z);\n"
	"	if (p) *p += 2;\n"
	"	bpf_printk(\"byte %d count %llu cpu %u\", d[0], *v, bpf_get_smp_processor_id());\n"
	"	return *v;\n"
	"}\n";

struct Dev {
	hermes_dev *dev = nullptr;
	explicit Dev(const char *uri) { EXPECT_EQ(0, hermes_dev_open(uri, &dev)) << hermes_dev_errmsg(NULL); }
	~Dev() { hermes_dev_close(dev); }
};

struct Obj {
	hermes_obj *obj = nullptr;
	~Obj() { hermes_obj_unload(obj); }
};

uint64_t run_obj(hermes_obj *obj, const std::string &in, hermes_run_result *out = nullptr)
{
	hermes_run_result res{};
	EXPECT_EQ(0, hermes_obj_run(obj, in.data(), in.size(), nullptr, 0, nullptr, &res));
	EXPECT_EQ(res.status, (unsigned)HERMES_ST_SUCCESS) << "cause " << res.cause << " pc " << res.pc << " addr 0x"
							    << std::hex << res.addr;
	if (out)
		*out = res;
	return res.r0;
}

} // namespace

TEST(ElfMaps, DefinitionsFromBtfAndRelocations)
{
	REQUIRE_CLANG();
	Load l;
	ASSERT_NO_FATAL_FAILURE(build_prog("counter", kCounter, &l));
	ASSERT_EQ(hermes_prog_map_count(l.prog), 3u);
	struct { const char *name; uint32_t type, k, v, max; } want[] = {
		{ "counts", 2, 4, 8, 4 }, { "seen", 1, 4, 8, 16 }, { "pc", 6, 4, 4, 2 } };
	for (unsigned i = 0; i < 3; i++) {
		hermes_map_info mi;
		ASSERT_EQ(0, hermes_prog_map_info(l.prog, i, &mi));
		EXPECT_STREQ(mi.name, want[i].name);
		EXPECT_EQ(mi.type, want[i].type);
		EXPECT_EQ(mi.key_size, want[i].k);
		EXPECT_EQ(mi.value_size, want[i].v);
		EXPECT_EQ(mi.max_entries, want[i].max);
		EXPECT_EQ(hermes_prog_map_index(l.prog, want[i].name), (int)i);
	}
	EXPECT_EQ(hermes_prog_map_index(l.prog, "nope"), -ENOENT);
	hermes_map_info mi;
	EXPECT_EQ(hermes_prog_map_info(l.prog, 3, &mi), -ENOENT);
	// every map lddw now loads a descriptor address, src 0
	std::set<uint64_t> addrs;
	size_t code = hermes_prog_code_len(l.prog) / 8;
	for (size_t i = 0; i + 1 < code; i++) {
		hermes_insn a = insn_at(l.prog, i), b = insn_at(l.prog, i + 1);
		if (a.opcode != HERMES_OP_LDDW)
			continue;
		EXPECT_EQ(hermes_insn_src(&a), 0u);
		uint64_t v = (uint32_t)a.imm | (uint64_t)(uint32_t)b.imm << 32;
		if (v >= HERMES_MAP_BASE)
			addrs.insert(v);
		i++;
	}
	EXPECT_EQ(addrs, (std::set<uint64_t>{ HERMES_MAP_BASE, HERMES_MAP_BASE + 64, HERMES_MAP_BASE + 128 }));
}

// The same object on the reference VM and on the simulated card.
class ElfMapsDev : public ::testing::TestWithParam<const char *> {};
INSTANTIATE_TEST_SUITE_P(Devices, ElfMapsDev, ::testing::Values("ref", "sim"),
			 [](const ::testing::TestParamInfo<const char *> &i) { return std::string(i.param); });

TEST_P(ElfMapsDev, MapsPersistAcrossRuns)
{
	REQUIRE_CLANG();
	Load l;
	ASSERT_NO_FATAL_FAILURE(build_prog("counter_run", kCounter, &l));
	Dev d(GetParam());
	Obj ob;
	ASSERT_EQ(0, hermes_obj_load(d.dev, l.prog, nullptr, &ob.obj)) << hermes_dev_errmsg(d.dev);
	EXPECT_EQ(run_obj(ob.obj, "\x05"), 1u);
	EXPECT_EQ(hermes_obj_trace_count(ob.obj), 1u);
	EXPECT_STREQ(hermes_obj_trace_line(ob.obj, 0), "byte 5 count 1 cpu 0");
	EXPECT_EQ(run_obj(ob.obj, "\x09"), 2u); // 9 % 4 == 5 % 4
	EXPECT_STREQ(hermes_obj_trace_line(ob.obj, 0), "byte 9 count 2 cpu 0");
	EXPECT_EQ(run_obj(ob.obj, "\x05"), 3u);
	EXPECT_EQ(run_obj(ob.obj, "\x02"), 1u);
	EXPECT_EQ(hermes_obj_trace_lost(ob.obj), 0u);
	// array: every index
	uint32_t keys[16];
	uint64_t vals[16];
	ASSERT_EQ(hermes_map_dump(ob.obj, 0, keys, vals, 16), 4);
	for (uint32_t i = 0; i < 4; i++) {
		EXPECT_EQ(keys[i], i);
		EXPECT_EQ(vals[i], i == 1 ? 3u : i == 2 ? 1u : 0u) << i;
	}
	// hash: present keys only, compared as a set
	int n = hermes_map_dump(ob.obj, 1, keys, vals, 16);
	ASSERT_EQ(n, 3);
	std::map<uint32_t, uint64_t> seen;
	for (int i = 0; i < n; i++)
		seen[keys[i]] = vals[i];
	EXPECT_EQ(seen, (std::map<uint32_t, uint64_t>{ { 5, 2 }, { 9, 1 }, { 2, 1 } }));
	// per engine: engine 0's copy counted 4 runs x 2, the other engines' are 0
	ASSERT_EQ(hermes_map_value_size(ob.obj, 2), 4u * 4);
	uint32_t zero = 0, pcv[4];
	ASSERT_EQ(0, hermes_map_lookup(ob.obj, 2, &zero, pcv));
	EXPECT_EQ(pcv[0], 8u);
	EXPECT_EQ(pcv[1] | pcv[2] | pcv[3], 0u);
	// hermes_run loads the program for its one run: fresh maps every time
	for (int i = 0; i < 2; i++) {
		hermes_run_result res{};
		ASSERT_EQ(0, hermes_run(d.dev, l.prog, "\x05", 1, nullptr, 0, nullptr, &res)) << hermes_dev_errmsg(d.dev);
		EXPECT_EQ(res.status, (unsigned)HERMES_ST_SUCCESS);
		EXPECT_EQ(res.r0, 1u);
	}
	// a second object has its own zeroed maps
	Obj other;
	ASSERT_EQ(0, hermes_obj_load(d.dev, l.prog, nullptr, &other.obj));
	EXPECT_EQ(run_obj(other.obj, "\x05"), 1u);
	EXPECT_EQ(run_obj(ob.obj, "\x05"), 4u);
}

TEST_P(ElfMapsDev, HostMapOperations)
{
	REQUIRE_CLANG();
	Load l;
	ASSERT_NO_FATAL_FAILURE(build_prog("counter_ops", kCounter, &l));
	Dev d(GetParam());
	Obj ob;
	ASSERT_EQ(0, hermes_obj_load(d.dev, l.prog, nullptr, &ob.obj)) << hermes_dev_errmsg(d.dev);
	uint32_t k = 1, big = 4;
	uint64_t v = 41, got = 0;
	ASSERT_EQ(0, hermes_map_update(ob.obj, 0, &k, &v, HERMES_MAP_UPDATE_ANY));
	EXPECT_EQ(run_obj(ob.obj, "\x01"), 42u); // the program sees the host's value
	ASSERT_EQ(0, hermes_map_lookup(ob.obj, 0, &k, &got));
	EXPECT_EQ(got, 42u);
	EXPECT_EQ(hermes_map_update(ob.obj, 0, &big, &v, 0), -E2BIG);
	EXPECT_EQ(hermes_map_update(ob.obj, 0, &k, &v, HERMES_MAP_UPDATE_NOEXIST), -EEXIST);
	EXPECT_EQ(hermes_map_delete(ob.obj, 0, &k), -EINVAL);
	EXPECT_EQ(hermes_map_update(ob.obj, 0, &k, &v, 7), -EINVAL);
	// hash: 1 is in "seen" after the run
	uint32_t k7 = 7, next = 0;
	EXPECT_EQ(hermes_map_lookup(ob.obj, 1, &k7, &got), -ENOENT);
	EXPECT_EQ(hermes_map_update(ob.obj, 1, &k7, &v, HERMES_MAP_UPDATE_EXIST), -ENOENT);
	ASSERT_EQ(0, hermes_map_update(ob.obj, 1, &k7, &v, HERMES_MAP_UPDATE_NOEXIST));
	std::set<uint32_t> keys;
	const void *prev = nullptr;
	uint32_t cur;
	while (hermes_map_next_key(ob.obj, 1, prev, &next) == 0) {
		keys.insert(next);
		cur = next;
		prev = &cur;
	}
	EXPECT_EQ(keys, (std::set<uint32_t>{ 1, 7 }));
	ASSERT_EQ(0, hermes_map_delete(ob.obj, 1, &k7));
	EXPECT_EQ(hermes_map_delete(ob.obj, 1, &k7), -ENOENT);
	// fill the hash to max_entries: the next new key is -E2BIG
	for (uint32_t i = 100; i < 115; i++)
		ASSERT_EQ(0, hermes_map_update(ob.obj, 1, &i, &v, 0)) << i;
	uint32_t extra = 200;
	EXPECT_EQ(hermes_map_update(ob.obj, 1, &extra, &v, 0), -E2BIG);
	EXPECT_EQ(hermes_map_lookup(ob.obj, 3, &k, &got), -EINVAL);
	EXPECT_NE(std::string(hermes_dev_errmsg(d.dev)).find("there is no map 3"), std::string::npos);
}

TEST_P(ElfMapsDev, Helpers)
{
	REQUIRE_CLANG();
	Load l;
	ASSERT_NO_FATAL_FAILURE(build_prog("helpers",
		"SEC(\"hermes/t\") __u64 t(__u8 *d, __u64 len)\n"
		"{\n"
		"	__u64 t0 = bpf_ktime_get_ns(), t1;\n"
		"	__u32 r = bpf_get_prandom_u32();\n"
		"	for (int i = 0; i < 40; i++)\n"
		"		bpf_printk(\"line %d of %u %x\", i, 40, 0xbeef);\n"
		"	t1 = bpf_ktime_get_ns();\n"
		"	bpf_printk(\"%s and %%\", \"x\");\n"
		"	return (t1 > t0) | ((__u64)r << 32);\n"
		"}\n", &l));
	EXPECT_EQ(hermes_prog_map_count(l.prog), 0u);
	Dev d(GetParam());
	Obj ob;
	ASSERT_EQ(0, hermes_obj_load(d.dev, l.prog, nullptr, &ob.obj));
	uint64_t r0 = run_obj(ob.obj, "x");
	EXPECT_EQ(r0 & 1, 1u) << "ktime grows";
	// xorshift32 from 0x9E3779B9, first value
	uint32_t x = 0x9E3779B9u;
	x ^= x << 13; x ^= x >> 17; x ^= x << 5;
	EXPECT_EQ(r0 >> 32, x);
	ASSERT_EQ(hermes_obj_trace_count(ob.obj), 31u);
	EXPECT_EQ(hermes_obj_trace_lost(ob.obj), 10u);
	EXPECT_STREQ(hermes_obj_trace_line(ob.obj, 0), "line 0 of 40 beef");
	EXPECT_STREQ(hermes_obj_trace_line(ob.obj, 30), "line 30 of 40 beef");
	EXPECT_EQ(hermes_obj_trace_line(ob.obj, 31), nullptr);
	// the next run starts with an empty trace buffer, the generator goes on
	uint64_t r1 = run_obj(ob.obj, "x");
	EXPECT_NE(r1 >> 32, r0 >> 32);
	EXPECT_EQ(hermes_obj_trace_count(ob.obj), 31u);
}

// trace_printk text: Linux's conversions, 32-bit without l, the rest named.
TEST_P(ElfMapsDev, TraceFormatting)
{
	REQUIRE_CLANG();
	Load l;
	ASSERT_NO_FATAL_FAILURE(build_prog("printk",
		"SEC(\"hermes/p\") __u64 p(__u8 *d, __u64 len)\n"
		"{\n"
		"	bpf_printk(\"%d %ld %u\", -5, -5L, -1);\n"
		"	bpf_printk(\"%x %llx %p\", 0xffffffffffULL, 0xffffffffffULL, 16);\n"
		"	bpf_printk(\"%s|%%|%5d|%i\", \"x\", 7, 8);\n"
		"	bpf_printk(\"two lines\\n\");\n"
		"	return 0;\n"
		"}\n", &l));
	Dev d(GetParam());
	Obj ob;
	ASSERT_EQ(0, hermes_obj_load(d.dev, l.prog, nullptr, &ob.obj));
	run_obj(ob.obj, "x");
	ASSERT_EQ(hermes_obj_trace_count(ob.obj), 4u);
	EXPECT_STREQ(hermes_obj_trace_line(ob.obj, 0), "-5 -5 4294967295");
	EXPECT_STREQ(hermes_obj_trace_line(ob.obj, 1), "ffffffff ffffffffff 0x10");
	EXPECT_STREQ(hermes_obj_trace_line(ob.obj, 2), "(unsupported %s)|%|(unsupported %5d)|8");
	EXPECT_STREQ(hermes_obj_trace_line(ob.obj, 3), "two lines");
}

namespace {

// Raw programs with maps given through the API (lddw src 5 / 6).
hermes_prog *raw_prog(const std::vector<hermes_insn> &code)
{
	hermes_prog *p = nullptr;
	EXPECT_EQ(0, hermes_prog_from_bytecode(code.data(), code.size() * 8, &p));
	return p;
}

hermes_insn I(uint8_t op, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return hermes_insn{ op, (uint8_t)(dst | src << 4), off, imm };
}

} // namespace

TEST_P(ElfMapsDev, RawImageMapsAndHelperFaults)
{
	// r1 = map 0 (src 5); key on the stack = 2; lookup; r0 = *(u64 *)r0 + value via src 6
	std::vector<hermes_insn> code = {
		I(0x62, 10, 0, -4, 2),            // *(u32 *)(r10 - 4) = 2
		I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0), // r1 = map 0
		I(0xbf, 2, 10, 0, 0),             // r2 = r10
		I(0x07, 2, 0, 0, -4),             // r2 -= 4
		I(0x85, 0, 0, 0, 1),              // call map_lookup_elem
		I(0x18, 3, 6, 0, 0), I(0, 0, 0, 0, 16), // r3 = &values of map 0 + 16 (index 2)
		I(0x79, 4, 3, 0, 0),              // r4 = *(u64 *)r3
		I(0x7b, 0, 4, 0, 0),              // *(u64 *)r0 = r4 (the same value)
		I(0x1f, 0, 3, 0, 0),              // r0 -= r3: 0 when lookup gave that address
		I(0x95, 0, 0, 0, 0),
	};
	hermes_prog *p = raw_prog(code);
	ASSERT_NE(p, nullptr);
	hermes_map_info mi{ "vals", HERMES_MAP_TYPE_ARRAY, 4, 8, 4, 0 };
	ASSERT_EQ(0, hermes_prog_set_maps(p, &mi, 1)) << hermes_dev_errmsg(NULL);
	EXPECT_EQ(hermes_prog_set_maps(p, &mi, 1), -EBUSY);
	Dev d(GetParam());
	Obj ob;
	ASSERT_EQ(0, hermes_obj_load(d.dev, p, nullptr, &ob.obj)) << hermes_dev_errmsg(d.dev);
	hermes_prog_free(p);
	EXPECT_EQ(run_obj(ob.obj, "x"), 0u);

	// a hash map given to a src 6 load; an index past the maps
	hermes_prog *q = raw_prog(code);
	hermes_map_info h{ "h", HERMES_MAP_TYPE_HASH, 4, 8, 4, 0 };
	EXPECT_EQ(hermes_prog_set_maps(q, &h, 1), -EINVAL);
	EXPECT_NE(std::string(hermes_dev_errmsg(NULL)).find("map 'h', which is not a BPF_MAP_TYPE_ARRAY"), std::string::npos)
		<< hermes_dev_errmsg(NULL);
	hermes_map_info ring{ "ring", 27, 0, 0, 4096, 0 };
	EXPECT_EQ(hermes_prog_set_maps(q, &ring, 1), -ENOTSUP);
	EXPECT_NE(std::string(hermes_dev_errmsg(NULL)).find("map 'ring' has type 27"), std::string::npos);
	hermes_prog_free(q);

	// helper faults: a map pointer that is no descriptor (cause 9), a key out of bounds (1),
	// a store to the descriptors (2)
	struct { std::vector<hermes_insn> code; unsigned cause; uint64_t addr; } faults[] = {
		{ { I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0), I(0x07, 1, 0, 0, 8), I(0x85, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0) },
		  HERMES_FAULT_BAD_HELPER_ARG, HERMES_MAP_BASE + 8 },
		{ { I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0), I(0x07, 1, 0, 0, 64), I(0x85, 0, 0, 0, 3), I(0x95, 0, 0, 0, 0) },
		  HERMES_FAULT_BAD_HELPER_ARG, HERMES_MAP_BASE + 64 },
		{ { I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0), I(0xb7, 2, 0, 0, 8), I(0x85, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0) },
		  HERMES_FAULT_LOAD, 8 },
		{ { I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0), I(0x62, 1, 0, 0, 9), I(0x95, 0, 0, 0, 0) },
		  HERMES_FAULT_STORE, HERMES_MAP_BASE },
		// a helper call in the last slot: its own fault first (docs/ISA.md order) ...
		{ { I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0), I(0xb7, 2, 0, 0, 8), I(0x85, 0, 0, 0, 1) },
		  HERMES_FAULT_LOAD, 8 },
		// ... and without one, running off the end
		{ { I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0), I(0xbf, 2, 10, 0, 0), I(0x07, 2, 0, 0, -8),
		    I(0x85, 0, 0, 0, 1) },
		  HERMES_FAULT_FETCH, HERMES_PROG_BASE + 5 * 8 },
	};
	for (auto &f : faults) {
		hermes_prog *fp = raw_prog(f.code);
		ASSERT_EQ(0, hermes_prog_set_maps(fp, &mi, 1)) << hermes_dev_errmsg(NULL);
		Obj fo;
		ASSERT_EQ(0, hermes_obj_load(d.dev, fp, nullptr, &fo.obj));
		hermes_run_result res{};
		ASSERT_EQ(0, hermes_obj_run(fo.obj, "x", 1, nullptr, 0, nullptr, &res));
		EXPECT_EQ(res.status, (unsigned)HERMES_ST_EBPF_ERROR);
		EXPECT_EQ(res.cause, f.cause);
		EXPECT_EQ(res.addr, f.addr);
		hermes_prog_free(fp);
	}
	// loads read anywhere in the map slot: the descriptor's type field
	std::vector<hermes_insn> rd = { I(0x18, 1, 5, 0, 0), I(0, 0, 0, 0, 0), I(0x61, 0, 1, 0, 0), I(0x95, 0, 0, 0, 0) };
	hermes_prog *rp = raw_prog(rd);
	ASSERT_EQ(0, hermes_prog_set_maps(rp, &mi, 1));
	Obj ro;
	ASSERT_EQ(0, hermes_obj_load(d.dev, rp, nullptr, &ro.obj));
	EXPECT_EQ(run_obj(ro.obj, "x"), (uint64_t)HERMES_MAP_TYPE_ARRAY);
	hermes_prog_free(rp);
}

namespace {

void expect_refused(const std::string &path, int err, const std::string &msg_part)
{
	Load l;
	load(path, nullptr, &l);
	EXPECT_EQ(l.err, err) << l.msg;
	EXPECT_NE(l.msg.find(msg_part), std::string::npos) << l.msg;
}

// The .symtab entry named name.
Elf64_Sym *symbol(Bytes &b, const std::string &name)
{
	Elf64_Shdr *st = section(b, ".symtab");
	Elf64_Shdr *strs = shdr(b, st->sh_link);
	for (size_t i = 0; i < st->sh_size / sizeof(Elf64_Sym); i++) {
		Elf64_Sym *s = (Elf64_Sym *)(b.data() + st->sh_offset) + i;
		if (name == (const char *)b.data() + strs->sh_offset + s->st_name)
			return s;
	}
	return nullptr;
}

} // namespace

TEST(ElfMaps, HostileObjectsNameTheMap)
{
	REQUIRE_CLANG();
	std::string ring = compile_bpf("ring",
		"struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } events SEC(\".maps\");\n"
		"SEC(\"hermes/r\") __u64 r(__u8 *d, __u64 l) { return (__u64)&events; }\n");
	ASSERT_NE(ring, "");
	expect_refused(ring, -ENOTSUP, "map 'events' has type 27 (BPF_MAP_TYPE_RINGBUF)");
	std::string big = compile_bpf("big",
		"struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1000000); __type(key, __u32); __type(value, __u64); } huge SEC(\".maps\");\n"
		"SEC(\"hermes/b\") __u64 b(__u8 *d, __u64 l) { __u32 k = 0; return bpf_map_lookup_elem(&huge, &k) != 0; }\n");
	ASSERT_NE(big, "");
	expect_refused(big, -E2BIG, "map 'huge' needs 8000000 bytes of storage");
	std::string key = compile_bpf("bigkey",
		"struct big { char b[100]; };\n"
		"struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __type(key, struct big); __type(value, __u64); } wide SEC(\".maps\");\n"
		"SEC(\"hermes/k\") __u64 k(__u8 *d, __u64 l) { return bpf_map_lookup_elem(&wide, d) != 0; }\n");
	ASSERT_NE(key, "");
	expect_refused(key, -EINVAL, "map 'wide' has a 100-byte key");

	// BTF that lies: the symbol is smaller than the struct BTF describes
	std::string o = compile_bpf("lies", kCounter);
	ASSERT_NE(o, "");
	Bytes b = read(o);
	Elf64_Sym *s = symbol(b, "seen");
	ASSERT_NE(s, nullptr);
	s->st_size = 24;
	expect_refused(write("lies_size.o", b), -ENOEXEC, "map 'seen': BTF places it at offset 0 size 32 of '.maps', the symbol table at 32 size 24");

	// a relocation to a map that is not there: the addend points between maps
	b = read(o);
	Elf64_Shdr *code = section(b, "hermes/count");
	ASSERT_NE(code, nullptr);
	uint8_t *insn = b.data() + code->sh_offset + 10 * 8; // the lddw of counts (llvm-objdump: insn 10)
	ASSERT_EQ(insn[0], HERMES_OP_LDDW);
	insn[4] = 8;
	expect_refused(write("missing_map.o", b), -ENOEXEC,
		       "against 'counts': no map starts at offset 8 of section '.maps'");

	// a map variable without BTF: rename the symbol
	b = read(o);
	s = symbol(b, "pc");
	ASSERT_NE(s, nullptr);
	Elf64_Sym *other = symbol(b, "count");
	ASSERT_NE(other, nullptr);
	s->st_name = other->st_name;
	expect_refused(write("no_btf_var.o", b), -ENOEXEC, "map 'count' has no variable in the BTF of section '.maps'");

	// a typedef that names itself (a loop btf__new accepts; the ELF fuzzer
	// found the loader spinning on one) behind the pointer of
	// __uint(max_entries, 4): refused, not a hang
	b = read(o);
	Elf64_Shdr *bs = section(b, ".BTF");
	ASSERT_NE(bs, nullptr);
	struct btf *btf = btf__new(b.data() + bs->sh_offset, bs->sh_size);
	ASSERT_NE(btf, nullptr);
	uint32_t raw_size = 0;
	const char *raw = (const char *)btf__raw_data(btf, &raw_size);
	int tdef = btf__find_by_name_kind(btf, "__u32", BTF_KIND_TYPEDEF);
	int var = btf__find_by_name_kind(btf, "counts", BTF_KIND_VAR);
	int ptr = -1;
	if (var > 0) {
		const struct btf_type *st = btf__type_by_id(btf, btf__type_by_id(btf, var)->type);
		const struct btf_member *m = btf_members(st);
		for (unsigned i = 0; i < btf_vlen(st); i++, m++)
			if (!strcmp(btf__name_by_offset(btf, m->name_off), "max_entries"))
				ptr = (int)m->type;
	}
	size_t tdef_off = tdef > 0 ? (const char *)btf__type_by_id(btf, tdef) - raw : 0;
	size_t ptr_off = ptr > 0 ? (const char *)btf__type_by_id(btf, ptr) - raw : 0;
	bool is_ptr = ptr > 0 && btf_is_ptr(btf__type_by_id(btf, ptr));
	btf__free(btf);
	ASSERT_GT(tdef, 0);
	ASSERT_TRUE(is_ptr);
	ASSERT_LE(tdef_off + 12, raw_size);
	ASSERT_LE(ptr_off + 12, raw_size);
	uint32_t id = (uint32_t)tdef;
	memcpy(b.data() + bs->sh_offset + tdef_off + 8, &id, sizeof(id)); // typedef -> itself
	memcpy(b.data() + bs->sh_offset + ptr_off + 8, &id, sizeof(id));  // max_entries -> the typedef
	Load l;
	load(write("typedef_loop.o", b), nullptr, &l);
	EXPECT_NE(l.err, 0) << "a typedef loop loaded";
	EXPECT_NE(l.msg.find("map 'counts'"), std::string::npos) << l.msg;
}

TEST_P(ElfMapsDev, ObjectWithoutMapsRunsOnItsKeptSlot)
{
	Dev d(GetParam());
	hermes_prog *p = nullptr;
	std::vector<hermes_insn> code = { I(0x71, 0, 1, 0, 0), I(0x07, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0) };
	ASSERT_EQ(0, hermes_prog_from_bytecode(code.data(), code.size() * 8, &p));
	Obj ob;
	ASSERT_EQ(0, hermes_obj_load(d.dev, p, nullptr, &ob.obj)) << hermes_dev_errmsg(d.dev);
	hermes_prog_free(p);
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(run_obj(ob.obj, std::string(1, (char)(10 + i))), (uint64_t)(11 + i));
	EXPECT_EQ(hermes_obj_trace_count(ob.obj), 0u);
}

// Globals (.bss, .data) live in the object's program slot and persist from
// run to run, as the kernel keeps them in its .bss/.data maps (a loaded
// object of this program returns 3 after 3 runs under BPF_PROG_TEST_RUN);
// hermes_run and a second loaded object start from the image as built.
TEST_P(ElfMapsDev, GlobalsPersistAcrossRunsOfALoadedObject)
{
	REQUIRE_CLANG();
	Load l;
	ASSERT_NO_FATAL_FAILURE(build_prog("globals_run",
				    "static volatile __u64 runs;\n"
				    "static volatile __u64 base = 100;\n"
				    "SEC(\"hermes/g\") __u64 g(__u8 *d, __u64 len)\n"
				    "{\n"
				    "	runs++;\n"
				    "	base += d[0];\n"
				    "	return runs * 1000 + base;\n"
				    "}\n", &l));
	Dev d(GetParam());
	Obj first, second;
	ASSERT_EQ(0, hermes_obj_load(d.dev, l.prog, nullptr, &first.obj)) << hermes_dev_errmsg(d.dev);
	EXPECT_EQ(run_obj(first.obj, "\x01"), 1101u);
	EXPECT_EQ(run_obj(first.obj, "\x02"), 2103u);
	ASSERT_EQ(0, hermes_obj_load(d.dev, l.prog, nullptr, &second.obj)) << hermes_dev_errmsg(d.dev);
	EXPECT_EQ(run_obj(second.obj, "\x01"), 1101u);
	EXPECT_EQ(run_obj(first.obj, "\x03"), 3106u);
	hermes_run_result res = {};
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, hermes_run(d.dev, l.prog, "\x01", 1, nullptr, 0, nullptr, &res)) << hermes_dev_errmsg(d.dev);
		EXPECT_EQ(res.r0, 1101u);
	}
}
