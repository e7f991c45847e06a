// SPDX-License-Identifier: MIT
// test_elf_bad.cpp - every kind of ELF file the loader refuses, each with
// its exact message: not ELF, truncated, wrong class/endianness/machine/
// type, no program, ambiguous or unknown entry, maps, helper calls,
// undefined symbols, CO-RE and unsupported relocations.
#include "test_elf_helpers.h"

using namespace elft;

namespace {

const char *good_src = "static const char s[] = \"abcdef\";\n"
		       "NOINLINE static uint64_t f(uint64_t x) { return x + s[x & 3]; }\n"
		       "SEC(\"hermes/good\") uint64_t good(uint8_t *d, uint64_t len) { return f(len); }\n";

std::string good()
{
	static std::string o;
	if (o.empty())
		o = compile("good", good_src);
	return o;
}

void expect_refused(const std::string &path, const char *section, int err, const std::string &msg)
{
	Load l;
	load(path, section, &l);
	EXPECT_EQ(l.err, err) << l.msg;
	EXPECT_EQ(l.msg, msg);
	EXPECT_EQ(l.prog, nullptr);
}

} // namespace

TEST(ElfBad, GoodFileLoads)
{
	REQUIRE_CLANG();
	ASSERT_NE(good(), "");
	Load l;
	load(good(), nullptr, &l);
	ASSERT_EQ(l.err, 0) << l.msg;
	EXPECT_EQ(run(l.prog, "ab"), 2u + 'c');
}

TEST(ElfBad, NotElf)
{
	hermes_prog *prog = nullptr;
	const char text[] = "hello, not an object";
	EXPECT_EQ(hermes__prog_load_elf("t.o", text, sizeof(text), nullptr, &prog), -ENOEXEC);
	EXPECT_STREQ(hermes_dev_errmsg(NULL), "t.o: not an ELF file (no \\177ELF magic)");
	EXPECT_EQ(hermes__prog_load_elf("t.o", text, 0, nullptr, &prog), -ENOEXEC);
	EXPECT_STREQ(hermes_dev_errmsg(NULL), "t.o: not an ELF file (no \\177ELF magic)");
	EXPECT_EQ(prog, nullptr);
}

TEST(ElfBad, TruncatedIdentification)
{
	Bytes b = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	std::string p = write("trunc_ident.o", b);
	expect_refused(p, nullptr, -ENOEXEC,
		       p + ": truncated ELF file: the identification needs 16 bytes, the file has 7");
}

TEST(ElfBad, TruncatedHeader)
{
	REQUIRE_CLANG();
	Bytes b = read(good());
	b.resize(40);
	std::string p = write("trunc_header.o", b);
	expect_refused(p, nullptr, -ENOEXEC, p + ": truncated ELF file: the header needs 64 bytes, the file has 40");
}

TEST(ElfBad, TruncatedSectionHeaders)
{
	REQUIRE_CLANG();
	Bytes b = read(good());
	size_t shoff = ehdr(b)->e_shoff, shnum = ehdr(b)->e_shnum;
	ASSERT_EQ(shoff + shnum * sizeof(Elf64_Shdr), b.size()) << "clang puts the section headers last";
	b.resize(b.size() - 10);
	std::string p = write("trunc_shdrs.o", b);
	expect_refused(p, nullptr, -ENOEXEC,
		       p + ": truncated ELF file: the section headers end at byte " +
			       std::to_string(shoff + shnum * sizeof(Elf64_Shdr)) + ", the file has " +
			       std::to_string(b.size()) + " bytes");
	b.resize(shoff - 8);
	p = write("trunc_shdrs2.o", b);
	expect_refused(p, nullptr, -ENOEXEC,
		       p + ": truncated ELF file: the section headers start at byte " + std::to_string(shoff) +
			       ", the file has " + std::to_string(b.size()) + " bytes");
}

TEST(ElfBad, TruncatedSectionData)
{
	REQUIRE_CLANG();
	Bytes b = read(good());
	Elf64_Shdr *sh = section(b, "hermes/good");
	ASSERT_NE(sh, nullptr);
	sh->sh_offset = b.size() - 4; // the code now runs past the end
	uint64_t size = sh->sh_size;
	std::string p = write("trunc_data.o", b);
	expect_refused(p, nullptr, -ENOEXEC,
		       p + ": truncated ELF file: section 'hermes/good' (" + std::to_string(size) + " bytes at byte " +
			       std::to_string(b.size() - 4) + ") ends past the end of the file (" +
			       std::to_string(b.size()) + " bytes)");
}

TEST(ElfBad, WrongClass)
{
	REQUIRE_CLANG();
	// a real 32-bit object
	std::string o = compile("i386", "int f(int x) { return x + 1; }\n", "-O2 --target=i386-linux-gnu -ffreestanding");
	ASSERT_NE(o, "");
	expect_refused(o, nullptr, -ENOEXEC,
		       o + ": 32-bit ELF object (ELFCLASS32); eBPF objects are ELFCLASS64 (compile with clang -target bpf)");
	Bytes b = read(good());
	b[EI_CLASS] = 7;
	std::string p = write("class7.o", b);
	expect_refused(p, nullptr, -ENOEXEC, p + ": invalid ELF class 7");
}

TEST(ElfBad, BigEndian)
{
	REQUIRE_CLANG();
	std::string o = compile("bpfeb", good_src, "-O2 -target bpfeb -ffreestanding");
	ASSERT_NE(o, "");
	expect_refused(o, nullptr, -ENOEXEC,
		       o + ": big-endian ELF object (ELFDATA2MSB); Hermes runs little-endian eBPF (compile with clang -target bpfel)");
	Bytes b = read(good());
	b[EI_DATA] = 0;
	std::string p = write("data0.o", b);
	expect_refused(p, nullptr, -ENOEXEC, p + ": invalid ELF data encoding 0");
}

TEST(ElfBad, OtherMachine)
{
	REQUIRE_CLANG();
	std::string o = compile("x86", "int f(int x) { return x + 1; }\n", "-O2 --target=x86_64-linux-gnu -ffreestanding");
	ASSERT_NE(o, "");
	expect_refused(o, nullptr, -ENOEXEC,
		       o + ": ELF machine is 62 (x86-64), not eBPF (247); compile with clang -target bpf");
	o = compile("arm64", "int f(int x) { return x + 1; }\n", "-O2 --target=aarch64-linux-gnu -ffreestanding");
	ASSERT_NE(o, "");
	expect_refused(o, nullptr, -ENOEXEC,
		       o + ": ELF machine is 183 (AArch64), not eBPF (247); compile with clang -target bpf");
}

TEST(ElfBad, NotRelocatable)
{
	REQUIRE_CLANG();
	Bytes b = read(good());
	ehdr(b)->e_type = ET_EXEC;
	std::string p = write("exec.o", b);
	expect_refused(p, nullptr, -ENOEXEC,
		       p + ": ELF type is 2, not a relocatable object (ET_REL); compile with clang -c");
}

TEST(ElfBad, NoProgram)
{
	REQUIRE_CLANG();
	std::string o = compile("data_only", "const uint64_t table[4] = { 1, 2, 3, 4 };\n");
	ASSERT_NE(o, "");
	expect_refused(o, nullptr, -ENOENT,
		       o + ": no program: the object has no executable section with eBPF code");
	// an ELF with no sections at all
	Bytes b = read(good());
	ehdr(b)->e_shoff = 0;
	ehdr(b)->e_shnum = 0;
	ehdr(b)->e_shstrndx = 0;
	std::string p = write("no_sections.o", b);
	expect_refused(p, nullptr, -ENOENT,
		       p + ": no program: the object has no executable section with eBPF code");
}

TEST(ElfBad, SeveralProgramsOrUnknownName)
{
	REQUIRE_CLANG();
	std::string o = compile("several",
				"SEC(\"hermes/a\") uint64_t pa(uint8_t *d, uint64_t l) { return 1; }\n"
				"SEC(\"hermes/b\") uint64_t pb(uint8_t *d, uint64_t l) { return 2; }\n");
	ASSERT_NE(o, "");
	expect_refused(o, nullptr, -ENOENT,
		       o + ": 2 program sections, choose one by section or function name: 'hermes/a', 'hermes/b'");
	expect_refused(o, "nope", -ENOENT,
		       o + ": no program section or function named 'nope' (sections: 'hermes/a', 'hermes/b'; functions: 'pa', 'pb')");
	expect_refused(o, ".strtab", -ENOENT, o + ": section '.strtab' holds no eBPF code");
	Load b;
	load(o, "hermes/b", &b);
	ASSERT_EQ(b.err, 0) << b.msg;
	EXPECT_EQ(run(b.prog), 2u);
}

TEST(ElfBad, SeveralFunctionsInText)
{
	REQUIRE_CLANG();
	std::string o = compile("two_globals",
				"NOINLINE uint64_t one(uint8_t *d, uint64_t l) { return 1; }\n"
				"NOINLINE uint64_t two(uint8_t *d, uint64_t l) { return 2; }\n");
	ASSERT_NE(o, "");
	expect_refused(o, nullptr, -ENOENT, o + ": section '.text' holds 2 functions, choose one by name: 'one', 'two'");
}

TEST(ElfBad, Maps)
{
	REQUIRE_CLANG();
	std::string o = compile("maps",
				"struct { int type; int max_entries; } counts SEC(\".maps\");\n"
				"SEC(\"hermes/uses\") uint64_t uses(uint8_t *d, uint64_t l) { return (uint64_t)&counts; }\n"
				"SEC(\"hermes/plain\") uint64_t plain(uint8_t *d, uint64_t l) { return l; }\n");
	ASSERT_NE(o, "");
	// no -g: no BTF to define the map (test_elf_maps.cpp loads real ones)
	expect_refused(o, "uses", -ENOEXEC,
		       o + ": map 'counts' is in section '.maps' but the object has no .BTF to define it (compile with clang -g)");
	expect_refused(o, "plain", -ENOEXEC,
		       o + ": map 'counts' is in section '.maps' but the object has no .BTF to define it (compile with clang -g)");
	std::string legacy = compile("legacy_maps",
				     "struct def { unsigned type, key, value, max; };\n"
				     "struct def hist SEC(\"maps\") = { 1, 4, 8, 16 };\n"
				     "SEC(\"hermes/l\") uint64_t l(uint8_t *d, uint64_t n) { return (uint64_t)&hist; }\n");
	ASSERT_NE(legacy, "");
	expect_refused(legacy, nullptr, -ENOTSUP,
		       legacy + ": legacy section 'maps' defines BPF map 'hist': declare maps the libbpf way, in section '.maps' with __uint/__type (<bpf/bpf_helpers.h>)");
}

// Helpers Hermes lacks (docs/MAPS.md has 1-3 and 5-8) are refused by name.
TEST(ElfBad, HelperCall)
{
	REQUIRE_CLANG();
	std::string o = compile("helper",
				"static long (*probe)(void *, int, const void *) = (void *)4;\n"
				"static uint64_t (*pid)(void) = (void *)14;\n"
				"SEC(\"hermes/h\") uint64_t h(uint8_t *d, uint64_t l) { return probe(d, 1, d); }\n"
				"SEC(\"hermes/k\") uint64_t k(uint8_t *d, uint64_t l) { return l + pid(); }\n"
				"NOINLINE static uint64_t sub(uint64_t x) { return x + (uint64_t)((long (*)(int))(void *)99)(1); }\n"
				"SEC(\"hermes/s\") uint64_t s(uint8_t *d, uint64_t l) { return sub(l); }\n");
	ASSERT_NE(o, "");
	expect_refused(o, "h", -ENOTSUP,
		       o + ": call to helper 4 (bpf_probe_read): Hermes has helpers 1-3 and 5-8 only (docs/MAPS.md) at 'hermes/h'+0x10 in function 'h'");
	expect_refused(o, "k", -ENOTSUP,
		       o + ": call to helper 14 (bpf_get_current_pid_tgid): Hermes has helpers 1-3 and 5-8 only (docs/MAPS.md) at 'hermes/k'+0x8 in function 'k'");
	// in a subprogram pulled in from .text
	expect_refused(o, "s", -ENOTSUP,
		       o + ": call to helper 99 (unknown helper): Hermes has helpers 1-3 and 5-8 only (docs/MAPS.md) at '.text'+0x10 in function 'sub'");
}

TEST(ElfBad, UndefinedSymbols)
{
	REQUIRE_CLANG();
	std::string o = compile("externs",
				"extern int ext_fn(int);\n"
				"extern int ext_var;\n"
				"SEC(\"hermes/f\") uint64_t f(uint8_t *d, uint64_t l) { return ext_fn(l); }\n"
				"SEC(\"hermes/v\") uint64_t v(uint8_t *d, uint64_t l) { return ext_var; }\n");
	ASSERT_NE(o, "");
	expect_refused(o, "f", -ENOEXEC,
		       o + ": relocation R_BPF_64_32 at 'hermes/f'+0x8 refers to undefined symbol 'ext_fn' (externs, kfuncs and kconfig are not supported)");
	expect_refused(o, "v", -ENOEXEC,
		       o + ": relocation R_BPF_64_64 at 'hermes/v'+0x0 refers to undefined symbol 'ext_var' (externs, kfuncs and kconfig are not supported)");
}

TEST(ElfBad, CoreRelocation)
{
	REQUIRE_CLANG();
	std::string o = compile("core",
				"struct task { int pid; int tgid; } __attribute__((preserve_access_index));\n"
				"SEC(\"hermes/core\") uint64_t core(struct task *t, uint64_t l) { return t->tgid; }\n",
				"-O2 -g -target bpf -ffreestanding");
	ASSERT_NE(o, "");
	expect_refused(o, nullptr, -ENOTSUP,
		       o + ": CO-RE relocation BPF_CORE_FIELD_BYTE_OFFSET (BTF type 2, access '0:1') at 'hermes/core'+0x0 in function 'core' (from .BTF.ext): CO-RE needs kernel BTF, which Hermes does not have");
	// BTF and its line info alone (-g) are fine
	std::string g = compile("debug_info", good_src, "-O2 -g -target bpf -ffreestanding");
	ASSERT_NE(g, "");
	Load l;
	load(g, nullptr, &l);
	ASSERT_EQ(l.err, 0) << l.msg;
	EXPECT_EQ(run(l.prog, "abc"), 3u + 'd');
}

// Patch the first relocation of the program's code to another type.
static std::string with_relo_type(const char *name, unsigned type, uint64_t *off)
{
	Bytes b = read(good());
	Elf64_Shdr *rel = section(b, ".relhermes/good");
	EXPECT_NE(rel, nullptr);
	if (!rel)
		return "";
	Elf64_Rel *r = (Elf64_Rel *)(b.data() + rel->sh_offset);
	*off = r->r_offset;
	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), type);
	return write(name, b);
}

static std::string hex(uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return buf;
}

TEST(ElfBad, UnsupportedRelocations)
{
	REQUIRE_CLANG();
	uint64_t off;
	std::string p = with_relo_type("relo7.o", 7, &off);
	expect_refused(p, nullptr, -ENOEXEC,
		       p + ": relocation type 7 at 'hermes/good'+" + hex(off) + " is not an eBPF relocation Hermes knows");
	p = with_relo_type("relo_abs64.o", R_BPF_64_64 + 1, &off);
	expect_refused(p, nullptr, -ENOEXEC,
		       p + ": relocation R_BPF_64_ABS64 at 'hermes/good'+" + hex(off) +
			       " against '.text': this relocation type is not supported in code");
	p = with_relo_type("relo_64_64_on_call.o", R_BPF_64_64, &off);
	expect_refused(p, nullptr, -ENOEXEC,
		       p + ": relocation R_BPF_64_64 at 'hermes/good'+" + hex(off) +
			       " against '.text': the instruction is not a complete lddw");
}

TEST(ElfBad, MapPseudoLoad)
{
	REQUIRE_CLANG();
	std::string o = compile("lddw_src", "SEC(\"hermes/q\") uint64_t q(uint8_t *d, uint64_t l) { return 0x123456789abcull + l; }\n");
	ASSERT_NE(o, "");
	Bytes b = read(o);
	Elf64_Shdr *code = section(b, "hermes/q");
	ASSERT_NE(code, nullptr);
	uint8_t *insn = b.data() + code->sh_offset;
	size_t at = 0;
	while (at < code->sh_size && insn[at] != HERMES_OP_LDDW)
		at += 8;
	ASSERT_LT(at, code->sh_size) << "no lddw in the snippet";
	insn[at + 1] |= 1 << 4; // src 1: BPF_PSEUDO_MAP_FD
	std::string p = write("lddw_src1.o", b);
	expect_refused(p, nullptr, -ENOTSUP,
		       p + ": lddw with src 1 (a map or BTF pseudo-load) is not supported at 'hermes/q'+" + hex(at) +
			       " in function 'q'");
}
