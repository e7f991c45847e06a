// SPDX-License-Identifier: MIT
// test_elf.cpp - the ELF loader on real clang -target bpf output: layout
// (code, then globals), relocations (calls, lddw with addends, pointers in
// data), entry selection and the program-slot size limit. Programs are
// compiled at test time and run on $HERMES_DEVICE (default "ref").
#include "test_elf_helpers.h"

using namespace elft;

namespace {

// Every lddw with a relocation must point into the globals after the code.
void expect_lddw_into_globals(const hermes_prog *prog, size_t min_count)
{
	size_t code = hermes_prog_code_len(prog) / 8, n = 0;
	uint64_t lo = HERMES_PROG_BASE + hermes_prog_code_len(prog);
	uint64_t hi = HERMES_PROG_BASE + hermes_prog_image_len(prog);
	for (size_t i = 0; i + 1 < code; i++) {
		hermes_insn a = insn_at(prog, i), b = insn_at(prog, i + 1);
		if (a.opcode != HERMES_OP_LDDW)
			continue;
		uint64_t v = (uint32_t)a.imm | (uint64_t)(uint32_t)b.imm << 32;
		EXPECT_GE(v, lo) << "lddw at " << i;
		EXPECT_LT(v, hi) << "lddw at " << i;
		n++;
		i++;
	}
	EXPECT_GE(n, min_count);
}

} // namespace

TEST(Elf, GlobalsAfterCodeWithAddends)
{
	REQUIRE_CLANG();
	std::string o = compile("globals",
				"static const char msg[] = \"hello, world\";\n"
				"static uint64_t counter = 41;\n"
				"static uint64_t zeros[8];\n"
				"SEC(\"hermes/g\") uint64_t g(uint8_t *d, uint64_t len) {\n"
				"  counter++;\n"
				"  zeros[len & 7] += 0;\n"
				"  return counter * 1000000 + (uint64_t)msg[7] * 1000 + msg[len] + zeros[3] + zeros[len & 7];\n"
				"}\n");
	ASSERT_NE(o, "");
	Load l;
	load(o, nullptr, &l);
	ASSERT_EQ(l.err, 0) << l.msg;
	EXPECT_GT(hermes_prog_image_len(l.prog), hermes_prog_code_len(l.prog));
	expect_lddw_into_globals(l.prog, 1);
	// msg[7] = 'w', counter 41 -> 42, and the byte of msg at len
	const char msg[] = "hello, world";
	for (size_t len = 1; len <= 12; len++)
		EXPECT_EQ(run(l.prog, std::string(len, 'x')), 42u * 1000000 + 'w' * 1000u + (uint8_t)msg[len])
			<< "len " << len;
}

TEST(Elf, BssIsZeroInTheImage)
{
	REQUIRE_CLANG();
	std::string o = compile("bss",
				"static uint64_t big[512];\n"
				"SEC(\"hermes/b\") uint64_t b(uint8_t *d, uint64_t len) {\n"
				"  uint64_t s = 0;\n"
				"  for (int i = 0; i < 512; i++) { s |= big[i]; big[i] = i; }\n"
				"  return s + big[len];\n"
				"}\n");
	ASSERT_NE(o, "");
	Load l;
	load(o, nullptr, &l);
	ASSERT_EQ(l.err, 0) << l.msg;
	size_t code = hermes_prog_code_len(l.prog), img = hermes_prog_image_len(l.prog);
	ASSERT_GE(img - code, 512u * 8);
	const uint8_t *p = (const uint8_t *)hermes_prog_image(l.prog);
	for (size_t i = code; i < img; i++)
		ASSERT_EQ(p[i], 0) << "globals byte " << i - code;
	EXPECT_EQ(run(l.prog, "abc"), 3u);
	EXPECT_EQ(run(l.prog, "abcde"), 5u) << "a second run must start from a zero .bss again";
}

TEST(Elf, CallsIntoTextAndAcrossSections)
{
	REQUIRE_CLANG();
	std::string o = compile("calls",
				"NOINLINE static uint64_t sq(uint64_t x) { return x * x; }\n"
				"NOINLINE static uint64_t tw(uint64_t x) { return sq(x) + sq(x + 1); }\n"
				"NOINLINE uint64_t pub(uint64_t x) { return tw(x) * 3; }\n"
				"SEC(\"hermes/c\") uint64_t c(uint8_t *d, uint64_t len) {\n"
				"  return pub(len) + tw(d[0]) + sq(7);\n"
				"}\n");
	ASSERT_NE(o, "");
	Load l;
	load(o, nullptr, &l);
	ASSERT_EQ(l.err, 0) << l.msg;
	// every local call lands inside the code
	size_t code = hermes_prog_code_len(l.prog) / 8, calls = 0;
	for (size_t i = 0; i < code; i++) {
		hermes_insn in = insn_at(l.prog, i);
		if (in.opcode == (HERMES_CLS_JMP | HERMES_JMP_CALL)) {
			int64_t tgt = (int64_t)i + in.imm + 1;
			EXPECT_TRUE(tgt >= 0 && (size_t)tgt < code) << "call at " << i << " to " << tgt;
			calls++;
		}
	}
	EXPECT_GE(calls, 4u);
	auto sq = [](uint64_t x) { return x * x; };
	auto tw = [&](uint64_t x) { return sq(x) + sq(x + 1); };
	for (std::string in : { "a", "hello", "0123456789abcdef" })
		EXPECT_EQ(run(l.prog, in), tw(in.size()) * 3 + tw((uint8_t)in[0]) + sq(7)) << in;
}

TEST(Elf, PointerTablesInData)
{
	REQUIRE_CLANG();
	std::string o = compile("ptrs",
				"static const char *const names[] = { \"zero\", \"one\", \"two\", \"three\" };\n"
				"static const char *cur = \"xyz\";\n"
				"SEC(\"hermes/p\") uint64_t p(uint8_t *d, uint64_t len) {\n"
				"  const char *s = names[len & 3];\n"
				"  uint64_t h = 0;\n"
				"  while (*s) h = h * 131 + *s++;\n"
				"  return h * 7 + cur[len % 3];\n"
				"}\n");
	ASSERT_NE(o, "");
	Load l;
	load(o, nullptr, &l);
	ASSERT_EQ(l.err, 0) << l.msg;
	const char *names[] = { "zero", "one", "two", "three" };
	for (size_t len = 1; len <= 8; len++) {
		uint64_t h = 0;
		for (const char *s = names[len & 3]; *s; s++)
			h = h * 131 + (uint8_t)*s;
		EXPECT_EQ(run(l.prog, std::string(len, '.')), h * 7 + (uint8_t)"xyz"[len % 3]) << "len " << len;
	}
}

static const char *two_in_text =
	"NOINLINE uint64_t first(uint8_t *d, uint64_t len) { return len + 100; }\n"
	"NOINLINE uint64_t second(uint8_t *d, uint64_t len) { return first(d, len) * 2 + 1; }\n";

TEST(Elf, EntryByFunctionNameInText)
{
	REQUIRE_CLANG();
	std::string o = compile("two_in_text", two_in_text);
	ASSERT_NE(o, "");
	Load a, b;
	load(o, "first", &a);
	ASSERT_EQ(a.err, 0) << a.msg;
	EXPECT_EQ(run(a.prog, "abc"), 103u);
	load(o, "second", &b);
	ASSERT_EQ(b.err, 0) << b.msg;
	// "second" is not at the start of .text: the image starts with a ja to it
	hermes_insn ja = insn_at(b.prog, 0);
	EXPECT_EQ(ja.opcode, HERMES_CLS_JMP | HERMES_JMP_JA);
	EXPECT_EQ(run(b.prog, "abc"), 207u);
}

TEST(Elf, DefaultEntryIsTheOnlyProgramSection)
{
	REQUIRE_CLANG();
	std::string o = compile("one_section",
				"NOINLINE uint64_t helper(uint64_t x) { return x + 5; }\n"
				"SEC(\"xdp\") uint64_t entry(uint8_t *d, uint64_t len) { return helper(len) * 10; }\n");
	ASSERT_NE(o, "");
	Load by_default, by_section, by_name;
	load(o, nullptr, &by_default);
	load(o, "xdp", &by_section);
	load(o, "entry", &by_name);
	for (Load *l : { &by_default, &by_section, &by_name }) {
		ASSERT_EQ(l->err, 0) << l->msg;
		EXPECT_EQ(run(l->prog, "abcd"), 90u);
	}
	// the helper in .text alone is a program too, when asked for by name
	Load helper;
	load(o, "helper", &helper);
	ASSERT_EQ(helper.err, 0) << helper.msg;
	EXPECT_EQ(run(helper.prog, "ab"), 0x20000000u + 5) << "r1 is the data slot's address";
}

TEST(Elf, TextOnlyWithOneGlobalFunction)
{
	REQUIRE_CLANG();
	std::string o = compile("text_only",
				"NOINLINE static uint64_t h(uint64_t x) { return x ^ 0x55; }\n"
				"uint64_t main_prog(uint8_t *d, uint64_t len) { return h(len) + h(d[0]); }\n");
	ASSERT_NE(o, "");
	Load l;
	load(o, nullptr, &l);
	ASSERT_EQ(l.err, 0) << l.msg;
	EXPECT_EQ(run(l.prog, "Q"), (1u ^ 0x55) + ('Q' ^ 0x55));
}

// The limit is the whole image: code plus globals, exactly a slot fits.
TEST(Elf, ProgramSlotLimit)
{
	REQUIRE_CLANG();
	auto src = [](size_t words) {
		return "static uint64_t big[" + std::to_string(words) +
		       "];\n"
		       "SEC(\"hermes/big\") uint64_t big_prog(uint8_t *d, uint64_t len) {\n"
		       "  big[len] = len; return big[len] + big[0];\n}\n";
	};
	std::string o1 = compile("slot_probe", src(8));
	ASSERT_NE(o1, "");
	Load probe;
	load(o1, nullptr, &probe);
	ASSERT_EQ(probe.err, 0) << probe.msg;
	size_t code = hermes_prog_code_len(probe.prog);
	size_t words = (HERMES_DEFAULT_PROG_SLOT_SIZE - code) / 8;

	std::string fits = compile("slot_fits", src(words));
	ASSERT_NE(fits, "");
	Load ok;
	load(fits, nullptr, &ok);
	ASSERT_EQ(ok.err, 0) << ok.msg;
	EXPECT_EQ(hermes_prog_image_len(ok.prog), (size_t)HERMES_DEFAULT_PROG_SLOT_SIZE);
	EXPECT_EQ(run(ok.prog, "abc"), 3u);

	std::string over = compile("slot_over", src(words + 1));
	ASSERT_NE(over, "");
	Load big;
	load(over, nullptr, &big);
	EXPECT_EQ(big.err, -E2BIG);
	EXPECT_EQ(big.msg, over + ": the program needs " + std::to_string(HERMES_DEFAULT_PROG_SLOT_SIZE + 8) +
				   " bytes (" + std::to_string(code) + " of code, " +
				   std::to_string(HERMES_DEFAULT_PROG_SLOT_SIZE + 8 - code) +
				   " of globals) but a program slot holds " +
				   std::to_string(HERMES_DEFAULT_PROG_SLOT_SIZE));
}

// The raw entry point, with the buffer given in memory.
TEST(Elf, LoadFromMemory)
{
	REQUIRE_CLANG();
	std::string o = compile("memory", "SEC(\"hermes/m\") uint64_t m(uint8_t *d, uint64_t len) { return len * 3; }\n");
	ASSERT_NE(o, "");
	Bytes b = read(o);
	hermes_prog *prog = nullptr;
	ASSERT_EQ(hermes__prog_load_elf("mem.o", b.data(), b.size(), nullptr, &prog), 0) << hermes_dev_errmsg(NULL);
	EXPECT_EQ(run(prog, "12345"), 15u);
	hermes_prog_free(prog);
}
