// SPDX-License-Identifier: MIT
// One batch of jobs through the hardware-queue API (hermes_hwq_*), shared
// by the "sim" test (test_hwq_host) and the xdma-fuse one (test_xfuse_hwq):
// the same jobs must complete the same way on both.
#ifndef HERMES_TEST_HWQ_BATCH_H
#define HERMES_TEST_HWQ_BATCH_H

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <unistd.h>

#include "hermes/hermes.h"

namespace hwq_test {

// r0 = sum of the r2 input bytes; every byte is replaced by byte ^ 0xa5.
constexpr const char *kXorSum = R"(
        mov %r0, 0
        mov %r3, 0
loop:   jge %r3, %r2, done
        mov %r4, %r1
        add %r4, %r3
        ldxb %r5, [%r4]
        add %r0, %r5
        xor %r5, 0xa5
        stxb [%r4], %r5
        add %r3, 1
        ja loop
done:   exit
)";

struct Result {
	uint64_t tag, r0;
	uint32_t retired;
	uint8_t status, cause;
	std::vector<uint8_t> out;
	bool operator==(const Result &o) const
	{
		return tag == o.tag && r0 == o.r0 && retired == o.retired && status == o.status &&
		       cause == o.cause && out == o.out;
	}
};

// Options of a queue pair: ring entries, job buffer sizes, and the
// interrupt moderation (every irq_batch completions or irq_clocks).
inline hermes_hwq_opts hwq_opts(unsigned entries, unsigned max_in = 0, unsigned max_out = 0,
				unsigned irq_batch = 0, unsigned irq_clocks = 0)
{
	hermes_hwq_opts o{};
	o.sz = sizeof(o);
	o.entries = entries;
	o.max_in = max_in;
	o.max_out = max_out;
	o.irq_batch = irq_batch;
	o.irq_clocks = irq_clocks;
	return o;
}

inline hermes_prog *xor_prog()
{
	char path[64];
	snprintf(path, sizeof(path), "hwq_xor_sum_%d.s", int(getpid()));
	FILE *f = fopen(path, "w");
	if (!f)
		return nullptr;
	fputs(kXorSum, f);
	fclose(f);
	hermes_prog *p = nullptr;
	int err = hermes_prog_load(path, nullptr, &p);
	remove(path);
	return err ? nullptr : p;
}

// n jobs of random lengths (some over max_in: rejected by submit, so kept
// under it), submitted in batches of `batch`, all reaped. Results sorted by tag.
inline std::vector<Result> run_batch(hermes_dev *dev, hermes_prog *prog, unsigned n, unsigned batch,
				     uint32_t seed)
{
	hermes_hwq_opts o = hwq_opts(16, 512, 512);
	hermes_hwq *q = nullptr;
	std::vector<Result> res;
	EXPECT_EQ(hermes_hwq_init(dev, &o, &q), 0) << hermes_dev_errmsg(dev);
	if (!q)
		return res;
	std::mt19937 rng(seed);
	std::vector<std::vector<uint8_t>> in(n), out(n);
	unsigned sent = 0, got = 0;
	while (got < n) {
		unsigned k = 0;
		while (sent < n && k < batch) {
			hermes_hwq_job *j = hermes_hwq_get_job(q);
			if (!j)
				break;
			uint32_t len = rng() % 513;
			in[sent].resize(len);
			for (auto &b : in[sent])
				b = uint8_t(rng());
			out[sent].assign(len, 0xee);
			j->prog = prog;
			j->in = in[sent].data();
			j->in_len = len;
			j->out = out[sent].data();
			j->out_len = len;
			j->user_tag = 1000 + sent;
			sent++;
			k++;
		}
		if (k)
			EXPECT_EQ(hermes_hwq_submit(q), int(k)) << hermes_dev_errmsg(dev);
		hermes_hwq_cpl *c = nullptr;
		int err = hermes_hwq_wait(q, &c, 10000);
		EXPECT_EQ(err, 0) << hermes_dev_errmsg(dev);
		if (err)
			break;
		do {
			unsigned i = unsigned(c->user_tag - 1000);
			res.push_back({c->user_tag, c->r0, c->retired, c->status, c->cause, out[i]});
			hermes_hwq_seen(q, c);
			got++;
		} while (hermes_hwq_peek(q, &c) == 0);
	}
	// What each job should have given.
	for (const auto &r : res) {
		unsigned i = unsigned(r.tag - 1000);
		uint64_t sum = 0;
		for (uint8_t b : in[i])
			sum += b;
		EXPECT_EQ(r.status, 0) << "tag " << r.tag;
		EXPECT_EQ(r.r0, sum) << "tag " << r.tag;
		EXPECT_EQ(r.retired, 4u + 9u * in[i].size()) << "tag " << r.tag;
		for (size_t k = 0; k < in[i].size(); k++)
			if (r.out[k] != (in[i][k] ^ 0xa5)) {
				ADD_FAILURE() << "tag " << r.tag << " output byte " << k;
				break;
			}
	}
	hermes_hwq_exit(q);
	std::sort(res.begin(), res.end(), [](const Result &a, const Result &b) { return a.tag < b.tag; });
	return res;
}

} // namespace hwq_test

#endif
