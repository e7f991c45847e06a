// SPDX-License-Identifier: MIT
// `hermes asm` / `hermes disasm`: output files, error format, exit codes,
// and the CLI round trip disasm --raw | asm for arbitrary bytecode.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#ifndef HERMES_BINARY_DIR
#error "HERMES_BINARY_DIR must be defined"
#endif

namespace {

const std::string hermes = HERMES_BINARY_DIR "/hermes";

std::string read_file(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

void write_file(const std::string &path, const std::string &data)
{
	std::ofstream f(path, std::ios::binary);
	f << data;
}

bool exists(const std::string &path)
{
	struct stat st;
	return stat(path.c_str(), &st) == 0;
}

class AsmCli : public ::testing::Test {
protected:
	std::string dir;

	void SetUp() override
	{
		if (access(hermes.c_str(), X_OK) != 0)
			GTEST_SKIP() << hermes << " not built";
		char tmpl[] = "/tmp/hermes-asm-cli-XXXXXX";
		ASSERT_NE(mkdtemp(tmpl), nullptr);
		dir = tmpl;
	}

	void TearDown() override
	{
		if (!dir.empty())
			(void)!system(("rm -rf '" + dir + "'").c_str());
	}

	// Run "hermes ARGS" in dir; returns the exit status, fills out/err.
	int run(const std::string &args, std::string *out = nullptr, std::string *err = nullptr)
	{
		std::string cmd = "cd '" + dir + "' && '" + hermes + "' " + args + " >'" + dir +
				  "/.out' 2>'" + dir + "/.err'";
		int st = system(cmd.c_str());
		if (out)
			*out = read_file(dir + "/.out");
		if (err)
			*err = read_file(dir + "/.err");
		return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	}
};

const char prog_text[] = "# count to ten\n"
			 "mov %r0, 0\n"
			 "loop: add %r0, 1\n"
			 "jlt %r0, 10, loop\n"
			 "lddw %r1, 0x1234567890\n"
			 "stxdw [%r10-8], %r1\n"
			 "exit\n";

const unsigned char prog_bytes[] = {
	0xb7, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // mov %r0, 0
	0x07, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // add %r0, 1
	0xa5, 0x00, 0xfe, 0xff, 0x0a, 0x00, 0x00, 0x00, // jlt %r0, 10, -2
	0x18, 0x01, 0x00, 0x00, 0x90, 0x78, 0x56, 0x34, // lddw %r1, ...
	0x00, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00,
	0x7b, 0x1a, 0xf8, 0xff, 0x00, 0x00, 0x00, 0x00, // stxdw [%r10-8], %r1
	0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // exit
};

TEST_F(AsmCli, DefaultOutputName)
{
	write_file(dir + "/p.s", prog_text);
	std::string out, err;
	ASSERT_EQ(run("asm p.s", &out, &err), 0) << err;
	EXPECT_EQ(out, "");
	std::string bin = read_file(dir + "/p.bin");
	EXPECT_EQ(bin, std::string((const char *)prog_bytes, sizeof(prog_bytes)));
	// A name without .s gets .bin appended.
	write_file(dir + "/prog", prog_text);
	ASSERT_EQ(run("asm prog", &out, &err), 0) << err;
	EXPECT_TRUE(exists(dir + "/prog.bin"));
}

TEST_F(AsmCli, ExplicitOutput)
{
	write_file(dir + "/p.s", prog_text);
	std::string out, err;
	ASSERT_EQ(run("asm p.s -o other.bin", &out, &err), 0) << err;
	EXPECT_EQ(read_file(dir + "/other.bin"),
		  std::string((const char *)prog_bytes, sizeof(prog_bytes)));
	EXPECT_FALSE(exists(dir + "/p.bin"));
	ASSERT_EQ(run("asm -o - p.s", &out, &err), 0) << err;
	EXPECT_EQ(out, std::string((const char *)prog_bytes, sizeof(prog_bytes)));
}

TEST_F(AsmCli, ErrorsAreFileLineColumn)
{
	write_file(dir + "/bad.s", "mov %r0, 0\n  jeq %r1, %x7, +1\nexit\n");
	std::string out, err;
	EXPECT_EQ(run("asm bad.s", &out, &err), 1);
	EXPECT_EQ(err, "bad.s:2:12: expected register, got '%x7'\n");
	EXPECT_FALSE(exists(dir + "/bad.bin"));

	write_file(dir + "/lbl.s", "ja done\nexit\n");
	EXPECT_EQ(run("asm lbl.s", &out, &err), 1);
	EXPECT_EQ(err, "lbl.s:1:4: undefined label 'done'\n");

	write_file(dir + "/empty.s", "# nothing\n");
	EXPECT_EQ(run("asm empty.s", &out, &err), 1);
	EXPECT_NE(err.find("no instructions"), std::string::npos) << err;

	write_file(dir + "/nul.s", std::string("exit\n\0exit\n", 11));
	EXPECT_EQ(run("asm nul.s", &out, &err), 1);
	EXPECT_NE(err.find("NUL byte"), std::string::npos) << err;

	EXPECT_EQ(run("asm missing.s", &out, &err), 1);
	EXPECT_NE(err.find("missing.s"), std::string::npos) << err;
}

TEST_F(AsmCli, UsageErrors)
{
	write_file(dir + "/p.s", prog_text);
	std::string out, err;
	EXPECT_EQ(run("asm", &out, &err), 2) << err;
	EXPECT_EQ(run("asm p.s -o", &out, &err), 2) << err;
	EXPECT_EQ(run("asm p.s --bogus", &out, &err), 2) << err;
	EXPECT_EQ(run("asm p.s p.s", &out, &err), 2) << err;
	EXPECT_EQ(run("disasm", &out, &err), 2) << err;
	EXPECT_EQ(run("disasm p.s --bogus", &out, &err), 2) << err;
	EXPECT_EQ(run("disasm p.s p.s", &out, &err), 2) << err;
	EXPECT_EQ(run("asm --help", &out, &err), 0) << err;
	EXPECT_NE(out.find("usage"), std::string::npos) << out;
}

TEST_F(AsmCli, DisasmListing)
{
	write_file(dir + "/p.bin", std::string((const char *)prog_bytes, sizeof(prog_bytes)));
	std::string out, err;
	ASSERT_EQ(run("disasm p.bin", &out, &err), 0) << err;
	EXPECT_EQ(out, "   0: mov %r0, 0\n"
		       "   1: add %r0, 1\n"
		       "   2: jlt %r0, 10, -2\n"
		       "   3: lddw %r1, 0x1234567890\n"
		       "   5: stxdw [%r10-8], %r1\n"
		       "   6: exit\n");
	ASSERT_EQ(run("disasm --raw p.bin", &out, &err), 0) << err;
	EXPECT_EQ(out, "mov %r0, 0\n"
		       "add %r0, 1\n"
		       "jlt %r0, 10, -2\n"
		       "lddw %r1, 0x1234567890\n"
		       "stxdw [%r10-8], %r1\n"
		       "exit\n");
	// .s input goes through the same loader.
	write_file(dir + "/p.s", prog_text);
	std::string out2;
	ASSERT_EQ(run("disasm p.s --raw", &out2, &err), 0) << err;
	EXPECT_EQ(out2, out);
	// Not a multiple of 8 bytes: the loader's error, exit 1.
	write_file(dir + "/odd.bin", "1234567");
	EXPECT_EQ(run("disasm odd.bin", &out, &err), 1);
	EXPECT_NE(err.find("odd.bin"), std::string::npos) << err;
}

TEST_F(AsmCli, RawRoundTripOfArbitraryBytes)
{
	// Random bytes (mostly illegal) and a real program: disasm --raw then
	// asm gives back the identical file.
	std::mt19937_64 rng(7);
	std::string bin((const char *)prog_bytes, sizeof(prog_bytes));
	for (int i = 0; i < 8 * 200; i++)
		bin += (char)(rng() % 4 ? rng() : 0);
	write_file(dir + "/r.bin", bin);
	std::string out, err;
	ASSERT_EQ(run("disasm --raw r.bin", &out, &err), 0) << err;
	write_file(dir + "/r.s", out);
	ASSERT_EQ(run("asm r.s -o r2.bin", nullptr, &err), 0) << err;
	EXPECT_EQ(read_file(dir + "/r2.bin"), bin) << "disassembly was:\n" << out;
}

} // namespace
