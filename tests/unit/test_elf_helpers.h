// SPDX-License-Identifier: MIT
// test_elf_helpers.h - shared by test_elf*.cpp: compile C snippets with
// clang at test time, patch the resulting ELF bytes, load them through
// the public API and run them on $HERMES_DEVICE (default "ref").
#ifndef HERMES_TEST_ELF_HELPERS_H
#define HERMES_TEST_ELF_HELPERS_H

#include <elf.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "hermes/hermes.h"
extern "C" {
#include "prog.h" // hermes__prog_load_elf (no C++ guard of its own)
}

namespace elft {

using Bytes = std::vector<uint8_t>;

// Every snippet starts with this: the ABI of tests/programs/hermes_prog.h.
inline const char *prelude()
{
	return "#include <stdint.h>\n"
	       "#define SEC(n) __attribute__((section(n), used))\n"
	       "#define NOINLINE __attribute__((noinline))\n";
}

// One directory per process: ctest runs the same snippets from several
// processes at once (each test alone, its ASan twin, the other devices).
// Removed at exit unless HERMES_KEEP_TEST_FILES is set.
inline std::string dir()
{
	// Never destroyed: the atexit handler runs after static destructors.
	static const std::string *d = [] {
		std::string top = std::string(HERMES_BINARY_DIR) + "/test_elf";
		auto *own = new std::string(top + "/" + std::to_string(getpid()));
		mkdir(top.c_str(), 0755);
		mkdir(own->c_str(), 0755);
		if (!std::getenv("HERMES_KEEP_TEST_FILES"))
			std::atexit([] {
				std::error_code ec;
				std::filesystem::remove_all(dir(), ec);
			});
		return own;
	}();
	return *d;
}

inline bool have_clang()
{
	static int have = -1;
	if (have < 0)
		have = std::system("clang --version > /dev/null 2>&1") == 0;
	return have == 1;
}

// clang is a declared dependency (make deps): its absence fails the test
// rather than skipping it, so a machine without it cannot look green.
#define REQUIRE_CLANG()                                                    \
	do {                                                               \
		if (!elft::have_clang())                                   \
			FAIL() << "clang is not installed (make deps installs it)"; \
	} while (0)

// Compile src (after the prelude) to NAME.o; "" and a test failure on error.
inline std::string compile(const std::string &name, const std::string &src,
			   const std::string &flags = "-O2 -target bpf -ffreestanding")
{
	std::string c = dir() + "/" + name + ".c", o = dir() + "/" + name + ".o";
	{
		std::ofstream f(c);
		f << prelude() << src;
	}
	std::string cmd = "clang " + flags + " -c " + c + " -o " + o + " 2>" + o + ".log";
	if (std::system(cmd.c_str()) != 0) {
		std::ifstream log(o + ".log");
		std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
		ADD_FAILURE() << "clang failed: " << cmd << "\n" << text;
		return "";
	}
	return o;
}

inline Bytes read(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	return Bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

inline std::string write(const std::string &name, const Bytes &b)
{
	std::string p = dir() + "/" + name;
	std::ofstream f(p, std::ios::binary);
	f.write((const char *)b.data(), (std::streamsize)b.size());
	return p;
}

inline Elf64_Ehdr *ehdr(Bytes &b) { return (Elf64_Ehdr *)b.data(); }

inline Elf64_Shdr *shdr(Bytes &b, size_t i)
{
	return (Elf64_Shdr *)(b.data() + ehdr(b)->e_shoff + i * sizeof(Elf64_Shdr));
}

// Section header of the section named name (nullptr when absent).
inline Elf64_Shdr *section(Bytes &b, const std::string &name)
{
	Elf64_Ehdr *eh = ehdr(b);
	const char *names = (const char *)b.data() + shdr(b, eh->e_shstrndx)->sh_offset;
	for (size_t i = 0; i < eh->e_shnum; i++)
		if (name == names + shdr(b, i)->sh_name)
			return shdr(b, i);
	return nullptr;
}

struct Load {
	int err = 0;
	std::string msg;
	hermes_prog *prog = nullptr;
	~Load() { hermes_prog_free(prog); }
};

inline void load(const std::string &path, const char *section, Load *l)
{
	hermes_prog_opts opts = {};
	opts.sz = sizeof(opts);
	opts.section = section;
	l->err = hermes_prog_load(path.c_str(), &opts, &l->prog);
	l->msg = l->err ? hermes_dev_errmsg(NULL) : "";
}

// The device the tests run programs on: $HERMES_DEVICE, else "ref".
inline const char *device()
{
	const char *d = std::getenv("HERMES_DEVICE");
	return d && *d ? d : "ref";
}

// Run prog once with input in; r0 on success, a test failure otherwise.
inline uint64_t run(const hermes_prog *prog, const std::string &in = "x")
{
	hermes_dev *dev = nullptr;
	hermes_run_result res = {};
	if (hermes_dev_open(device(), &dev)) {
		ADD_FAILURE() << hermes_dev_errmsg(NULL);
		return 0;
	}
	int err = hermes_run(dev, prog, in.data(), in.size(), nullptr, 0, nullptr, &res);
	EXPECT_EQ(err, 0) << device() << ": " << hermes_dev_errmsg(dev);
	EXPECT_EQ(res.status, (unsigned)HERMES_ST_SUCCESS)
		<< "cause " << res.cause << " (" << hermes_fault_str(res.cause) << ") at pc " << res.pc
		<< ", addr 0x" << std::hex << res.addr;
	hermes_dev_close(dev);
	return res.r0;
}

inline hermes_insn insn_at(const hermes_prog *prog, size_t idx)
{
	hermes_insn i;
	std::memcpy(&i, (const uint8_t *)hermes_prog_image(prog) + 8 * idx, sizeof(i));
	return i;
}

} // namespace elft

#endif
