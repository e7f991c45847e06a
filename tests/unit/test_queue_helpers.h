// SPDX-License-Identifier: MIT
// Shared pieces of the queue tests: programs assembled from text, their
// expected results computed on the host, and a device fixture that opens
// $HERMES_DEVICE (default "sim"; "xdma:MNT/xdma0" under with_mount.sh).
#ifndef HERMES_TEST_QUEUE_HELPERS_H
#define HERMES_TEST_QUEUE_HELPERS_H

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "asm.h"
#include "hermes/hermes.h"

namespace qtest {

struct ProgDel {
	void operator()(hermes_prog *p) const { hermes_prog_free(p); }
};
using Prog = std::unique_ptr<hermes_prog, ProgDel>;

// Assemble text into a program; globals (raw bytes) go after the code.
inline Prog assemble(const std::string &text, const std::vector<uint8_t> &globals = {})
{
	hermes_insn *insns = nullptr;
	size_t n = 0;
	hermes_asm_error err{};
	hermes_prog *p = nullptr;

	int rc = hermes_asm(text.c_str(), &insns, &n, &err);
	EXPECT_EQ(rc, 0) << "line " << err.line << ": " << err.msg << "\n" << text;
	if (rc)
		return nullptr;
	std::vector<uint8_t> image(n * 8);
	memcpy(image.data(), insns, n * 8);
	free(insns);
	image.insert(image.end(), globals.begin(), globals.end());
	EXPECT_EQ(hermes_prog_from_image(image.data(), image.size(), n * 8, &p), 0);
	return Prog(p);
}

// r0 = sum of the r2 input bytes; every byte is replaced by byte ^ key.
inline std::string xor_sum_text(unsigned key)
{
	return "mov %r0, 0\n"
	       "mov %r3, 0\n"
	       "loop: jge %r3, %r2, done\n"
	       "mov %r4, %r1\n"
	       "add %r4, %r3\n"
	       "ldxb %r5, [%r4]\n"
	       "add %r0, %r5\n"
	       "xor %r5, " + std::to_string(key) + "\n"
	       "stxb [%r4], %r5\n"
	       "add %r3, 1\n"
	       "ja loop\n"
	       "done: exit\n";
}

// Every one of the r2 bytes gets add added (mod 256); r0 = r2.
inline std::string add_bytes_text(unsigned add)
{
	return "mov %r3, 0\n"
	       "loop: jge %r3, %r2, done\n"
	       "mov %r4, %r1\n"
	       "add %r4, %r3\n"
	       "ldxb %r5, [%r4]\n"
	       "add %r5, " + std::to_string(add) + "\n"
	       "stxb [%r4], %r5\n"
	       "add %r3, 1\n"
	       "ja loop\n"
	       "done: mov %r0, %r2\n"
	       "exit\n";
}

// r0 = n + (n-1) + ... + 1: about 3n instructions, no memory traffic.
inline std::string spin_text(unsigned n)
{
	return "mov %r0, 0\n"
	       "mov %r3, " + std::to_string(n) + "\n"
	       "loop: add %r0, %r3\n"
	       "sub %r3, 1\n"
	       "jne %r3, 0, loop\n"
	       "exit\n";
}

// n atomic adds of 1 to the 64-bit word at [r1+0]; r0 = 0.
inline std::string atomic_add_text(unsigned n)
{
	return "mov %r3, " + std::to_string(n) + "\n"
	       "mov %r4, 1\n"
	       "loop: lock add [%r1+0], %r4\n"
	       "sub %r3, 1\n"
	       "jne %r3, 0, loop\n"
	       "mov %r0, 0\n"
	       "exit\n";
}

// Loads from an unmapped address: fault cause 1 at pc 2, address 0x50000000 (no region).
inline const char *fault_load_text()
{
	return "lddw %r3, 0x50000000\n"
	       "ldxb %r0, [%r3]\n"
	       "exit\n";
}

// Never ends: with a budget, fault cause 5.
inline const char *forever_text()
{
	return "loop: ja loop\n";
}

inline uint64_t byte_sum(const std::vector<uint8_t> &v)
{
	uint64_t s = 0;
	for (uint8_t b : v)
		s += b;
	return s;
}

inline std::vector<uint8_t> random_bytes(size_t n, uint32_t &seed)
{
	std::vector<uint8_t> v(n);
	for (auto &b : v) {
		seed = seed * 1103515245u + 12345u;
		b = (uint8_t)(seed >> 16);
	}
	return v;
}

inline const char *device_uri()
{
	const char *d = getenv("HERMES_DEVICE");
	return d && *d ? d : "sim";
}

class QueueTest : public ::testing::Test {
protected:
	hermes_dev *dev = nullptr;
	hermes_info info{};

	void SetUp() override
	{
		ASSERT_EQ(hermes_dev_open(device_uri(), &dev), 0) << hermes_dev_errmsg(nullptr);
		ASSERT_EQ(hermes_dev_info(dev, &info), 0) << hermes_dev_errmsg(dev);
	}
	void TearDown() override { hermes_dev_close(dev); }

	hermes_queue *make_queue(unsigned depth, unsigned flags = 0, uint32_t mask = 0, unsigned timeout_ms = 0)
	{
		hermes_queue_opts o{};
		hermes_queue *q = nullptr;
		o.sz = sizeof(o);
		o.depth = depth;
		o.flags = flags;
		o.engine_mask = mask;
		o.timeout_ms = timeout_ms;
		int rc = hermes_queue_create(dev, &o, &q);
		EXPECT_EQ(rc, 0) << hermes_dev_errmsg(dev);
		return q;
	}

	// Wait for and reap every job; returns completions in reap order.
	std::vector<hermes_completion> drain(hermes_queue *q, unsigned expect, int timeout_ms = 120000)
	{
		std::vector<hermes_completion> out;
		std::vector<hermes_completion> buf(64);
		while (out.size() < expect) {
			int r = hermes_queue_wait(q, 1, timeout_ms);
			EXPECT_GE(r, 0) << hermes_queue_errmsg(q);
			if (r < 0)
				break;
			int n = hermes_queue_reap(q, buf.data(), (unsigned)buf.size());
			EXPECT_GE(n, 0) << hermes_queue_errmsg(q);
			if (n < 0)
				break;
			out.insert(out.end(), buf.begin(), buf.begin() + n);
		}
		return out;
	}
};

} // namespace qtest

#endif
