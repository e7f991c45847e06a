// SPDX-License-Identifier: MIT
// hermes_queue on the card's hardware command queues (docs/QUEUE.md "Two
// paths"): the same batch through the register path and through the
// hardware queue gives the same completions and outputs, and the hardware
// path reads no BAR0 register per job.
#include "test_queue_helpers.h"

#include <cerrno>
#include <map>

#include "dev.h"
#include "hermes_sim.h"

using namespace qtest;

namespace {

class QueueHw : public QueueTest {
protected:
	void SetUp() override
	{
		QueueTest::SetUp();
		hermes_info info{};
		ASSERT_EQ(hermes_dev_info(dev, &info), 0);
		if (!(info.caps & HERMES_CAP_HWQUEUE))
			GTEST_SKIP() << "the card has no hardware queues";
		const char *env = getenv("HERMES_QUEUE_PATH");
		if (env && !strcmp(env, "register"))
			GTEST_SKIP() << "$HERMES_QUEUE_PATH=register: these tests compare the two paths";
	}
};

struct Result {
	hermes_completion c;
	std::vector<uint8_t> out;
};

// A mixed batch: inputs of many lengths, faults (with an address), a budget
// that runs out, a job without input (r2 is the slot size), jobs without
// output; returns the completions by user_data, and the queue's stats.
std::map<uint64_t, Result> run_batch(hermes_dev *dev, unsigned flags, hermes_queue_stats *st)
{
	Prog xs = assemble(xor_sum_text(0x5a)), add = assemble(add_bytes_text(3)), bad = assemble(fault_load_text()),
	     loop = assemble(forever_text()), r2 = assemble("mov %r0, %r2\nexit\n");
	hermes_queue_opts o{};
	hermes_queue *q = nullptr;
	o.sz = sizeof(o);
	o.depth = 64;
	o.flags = flags;
	EXPECT_EQ(hermes_queue_create(dev, &o, &q), 0) << hermes_dev_errmsg(dev);
	if (!q)
		return {};
	const unsigned n = 48;
	uint32_t seed = 7;
	std::vector<std::vector<uint8_t>> in(n);
	std::map<uint64_t, Result> res;
	std::vector<hermes_job> jobs(n);
	for (unsigned i = 0; i < n; i++) {
		hermes_job &j = jobs[i];
		in[i] = random_bytes(1 + (i * 97) % 4096, seed);
		j.prog = i % 3 == 0 ? add.get() : xs.get();
		j.in = in[i].data();
		j.in_len = in[i].size();
		res[i].out.assign(i % 5 == 4 ? 0 : std::min<size_t>(in[i].size() + 64, 4096), 0xee);
		j.out = res[i].out.empty() ? nullptr : res[i].out.data();
		j.out_len = res[i].out.size();
		j.user_data = i;
		if (i % 11 == 5)
			j.prog = bad.get();
		if (i % 13 == 6) {
			j.prog = loop.get();
			j.max_insns = 5000;
		}
		if (i % 17 == 8) { // no input: r2 is the data slot's size, the slot reads zero
			j.prog = r2.get();
			j.in = nullptr;
			j.in_len = 0;
		}
	}
	unsigned sent = 0, got = 0;
	std::vector<hermes_completion> buf(16);
	while (got < n) {
		if (sent < n) {
			int r = hermes_queue_submit(q, &jobs[sent], std::min(n - sent, 16u));
			EXPECT_TRUE(r > 0 || r == -EAGAIN) << hermes_queue_errmsg(q);
			if (r > 0)
				sent += (unsigned)r;
		}
		int w = hermes_queue_wait(q, 1, 60000);
		EXPECT_GE(w, 0) << hermes_queue_errmsg(q);
		if (w < 0)
			break;
		int k = hermes_queue_reap(q, buf.data(), (unsigned)buf.size());
		EXPECT_GE(k, 0) << hermes_queue_errmsg(q);
		for (int i = 0; i < k; i++)
			res[buf[i].user_data].c = buf[i];
		got += k > 0 ? (unsigned)k : 0;
	}
	st->sz = sizeof(*st);
	EXPECT_EQ(hermes_queue_get_stats(q, st), 0);
	hermes_queue_destroy(q);
	return res;
}

TEST_F(QueueHw, TheSameBatchCompletesAlikeOnBothPaths)
{
	hermes_queue_stats sr{}, sh{};
	std::map<uint64_t, Result> reg = run_batch(dev, HERMES_QUEUE_REGISTER_PATH, &sr);
	std::map<uint64_t, Result> hw = run_batch(dev, 0, &sh);
	ASSERT_EQ(reg.size(), hw.size());
	printf("register path: %llu card clocks, hardware queue: %llu\n", (unsigned long long)sr.clocks,
	       (unsigned long long)sh.clocks);
	EXPECT_EQ(sr.hw_jobs, 0u) << "register path";
	EXPECT_EQ(sh.hw_jobs, hw.size()) << "every job of the batch fits a hardware queue entry";
	hermes_info info{};
	ASSERT_EQ(hermes_dev_info(dev, &info), 0);
	unsigned faults = 0, budget = 0;
	for (auto &[tag, r] : reg) {
		const Result &h = hw[tag];
		SCOPED_TRACE("job " + std::to_string(tag));
		EXPECT_EQ(h.c.user_data, tag);
		EXPECT_EQ(h.c.res, r.c.res);
		EXPECT_EQ(h.c.status, r.c.status);
		EXPECT_EQ(h.c.r0, r.c.r0);
		EXPECT_EQ(h.c.cause, r.c.cause);
		EXPECT_EQ(h.c.pc, r.c.pc);
		EXPECT_EQ(h.c.addr, r.c.addr);
		EXPECT_EQ(h.c.insns, r.c.insns);
		EXPECT_GE(h.c.cycles, h.c.insns);
		EXPECT_GE(h.c.engine, 0);
		EXPECT_LT(h.c.engine, (int)info.engines);
		EXPECT_EQ(h.out, r.out);
		faults += r.c.status == HERMES_ST_EBPF_ERROR && r.c.cause == HERMES_FAULT_LOAD;
		budget += r.c.status == HERMES_ST_EBPF_ERROR && r.c.cause == HERMES_FAULT_BUDGET;
	}
	EXPECT_GT(faults, 0u) << "the batch has memory faults";
	EXPECT_GT(budget, 0u) << "and runs out of budget";
	EXPECT_EQ(hw[8].c.r0, info.data_slot_size) << "r2 without input: the data slot's size";
	EXPECT_EQ(hw[8].out, std::vector<uint8_t>(hw[8].out.size(), 0)) << "a fresh slot reads zero";
	EXPECT_EQ(sh.completed, sr.completed);
	EXPECT_EQ(sh.failed, sr.failed);
	EXPECT_EQ(sh.bytes_from_card, sr.bytes_from_card);
}

TEST_F(QueueHw, NoBar0ReadPerJob)
{
	hermes_sim *sim = hermes__dev_sim(dev);
	if (!sim)
		GTEST_SKIP() << "BAR0 reads are counted on the in-process simulator";
	Prog p = assemble(spin_text(300));
	hermes_queue *q = make_queue(64);
	ASSERT_NE(q, nullptr);
	std::vector<std::vector<uint8_t>> out(64, std::vector<uint8_t>(64));
	std::vector<uint8_t> in(64, 1);
	auto batch = [&](unsigned n) {
		std::vector<hermes_job> j(n);
		for (unsigned i = 0; i < n; i++) {
			j[i].prog = p.get();
			j[i].in = in.data();
			j[i].in_len = in.size();
			j[i].out = out[i].data();
			j[i].out_len = 64;
			j[i].user_data = i;
		}
		ASSERT_EQ(hermes_queue_submit(q, j.data(), n), (int)n) << hermes_queue_errmsg(q);
		std::vector<hermes_completion> c = drain(q, n);
		ASSERT_EQ(c.size(), n);
		for (auto &x : c)
			EXPECT_EQ(x.status, HERMES_ST_SUCCESS);
	};
	batch(8); // warm-up: the program's upload takes slot commands (register reads)
	hermes_sim_mmio m0{}, m1{};
	hermes_sim_mmio_stats(sim, &m0);
	for (int k = 0; k < 4; k++)
		batch(32);
	hermes_sim_mmio_stats(sim, &m1);
	hermes_queue_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_queue_get_stats(q, &st), 0);
	EXPECT_EQ(st.hw_jobs, 8u + 4 * 32);
	EXPECT_EQ(m1.bar0_reads - m0.bar0_reads, 0u) << "128 jobs on the hardware queue";
	EXPECT_LE(m1.bar0_writes - m0.bar0_writes, 4u * 8) << "doorbells: a few per batch, not per job";
	hermes_queue_destroy(q);

	// The register path on the same card reads BAR0 for every job.
	q = make_queue(64, HERMES_QUEUE_REGISTER_PATH);
	ASSERT_NE(q, nullptr);
	batch(8);
	hermes_sim_mmio_stats(sim, &m0);
	batch(32);
	hermes_sim_mmio_stats(sim, &m1);
	EXPECT_GE(m1.bar0_reads - m0.bar0_reads, 32u * 10) << "the register path's DONE polls and responses";
	hermes_queue_destroy(q);
}

TEST_F(QueueHw, JobsThatNoEntryCarriesTakeTheRegisterPath)
{
	Prog p = assemble(xor_sum_text(1));
	Prog g = assemble(xor_sum_text(1), std::vector<uint8_t>(8, 0)); // globals: a slot per run
	hermes_queue *q = make_queue(16);
	ASSERT_NE(q, nullptr);
	std::vector<uint8_t> big(8192, 2), small(64, 3), o1(8192), o2(64), o3(64);
	hermes_job j[3]{};
	j[0].prog = p.get(); // more than 4 KiB in: register path
	j[0].in = big.data();
	j[0].in_len = big.size();
	j[0].out = o1.data();
	j[0].out_len = o1.size();
	j[1].prog = g.get(); // a program with globals: register path
	j[1].in = small.data();
	j[1].in_len = small.size();
	j[1].out = o2.data();
	j[1].out_len = o2.size();
	j[2].prog = p.get(); // fits: hardware queue
	j[2].in = small.data();
	j[2].in_len = small.size();
	j[2].out = o3.data();
	j[2].out_len = o3.size();
	ASSERT_EQ(hermes_queue_submit(q, j, 3), 3) << hermes_queue_errmsg(q);
	std::vector<hermes_completion> c = drain(q, 3);
	ASSERT_EQ(c.size(), 3u);
	for (auto &x : c) {
		EXPECT_EQ(x.res, 0);
		EXPECT_EQ(x.status, HERMES_ST_SUCCESS);
	}
	EXPECT_EQ(o1[0], 2 ^ 1);
	EXPECT_EQ(o2[0], 3 ^ 1);
	EXPECT_EQ(o3[0], 3 ^ 1);
	hermes_queue_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_queue_get_stats(q, &st), 0);
	EXPECT_EQ(st.hw_jobs, 1u);
	hermes_queue_destroy(q);
}

TEST_F(QueueHw, AnUnknownPathInTheEnvironmentIsRefused)
{
	setenv("HERMES_QUEUE_PATH", "fast", 1);
	hermes_queue_opts o{};
	o.sz = sizeof(o);
	hermes_queue *q = nullptr;
	EXPECT_EQ(hermes_queue_create(dev, &o, &q), -EINVAL);
	EXPECT_NE(strstr(hermes_dev_errmsg(dev), "HERMES_QUEUE_PATH"), nullptr) << hermes_dev_errmsg(dev);
	unsetenv("HERMES_QUEUE_PATH");
}

} // namespace
