// SPDX-License-Identifier: MIT
// hermes_hwq_* on the in-process simulated card: batches of jobs, the BAR0
// cost of a batch in steady state (no read, one write), completions in any
// order, ring reuse, errors, and two queue pairs side by side.
#include "hwq_batch.h"

#include <cerrno>

#include "dev.h"
#include "hermes_sim.h"

using namespace hwq_test;

namespace {

class HwqHost : public ::testing::Test {
protected:
	void SetUp() override
	{
		ASSERT_EQ(hermes_dev_open("sim", &dev), 0) << hermes_dev_errmsg(nullptr);
		prog = xor_prog();
		ASSERT_NE(prog, nullptr);
	}
	void TearDown() override
	{
		hermes_prog_free(prog);
		hermes_dev_close(dev);
	}
	hermes_dev *dev = nullptr;
	hermes_prog *prog = nullptr;
};

TEST_F(HwqHost, BatchesComplete)
{
	auto r = run_batch(dev, prog, 100, 8, 1);
	ASSERT_EQ(r.size(), 100u);
	for (unsigned i = 0; i < 100; i++)
		EXPECT_EQ(r[i].tag, 1000u + i);
}

TEST_F(HwqHost, OneBatchCostsOneBar0WriteAndNoRead)
{
	hermes_hwq_opts o = hwq_opts(32, 64, 64, 16, 65535); // the interrupt comes with the 16th completion
	hermes_hwq *q = nullptr;
	ASSERT_EQ(hermes_hwq_init(dev, &o, &q), 0) << hermes_dev_errmsg(dev);
	hermes_sim *sim = hermes__dev_sim(dev);
	std::vector<uint8_t> in(64, 1), out(16 * 64);
	hermes_sim_mmio before{}, after{};
	for (int round = 0; round < 4; round++) {
		if (round == 1)
			hermes_sim_mmio_stats(sim, &before);
		for (unsigned k = 0; k < 16; k++) {
			hermes_hwq_job *j = hermes_hwq_get_job(q);
			ASSERT_NE(j, nullptr);
			j->prog = prog;
			j->in = in.data();
			j->in_len = 64;
			j->out = &out[64 * k];
			j->out_len = 64;
			j->user_tag = k;
		}
		ASSERT_EQ(hermes_hwq_submit(q), 16);
		for (unsigned k = 0; k < 16; k++) {
			hermes_hwq_cpl *c = nullptr;
			ASSERT_EQ(hermes_hwq_wait(q, &c, 1000), 0) << hermes_dev_errmsg(dev);
			EXPECT_EQ(c->status, 0);
			EXPECT_EQ(c->r0, 64u);
			hermes_hwq_seen(q, c);
		}
	}
	hermes_sim_mmio_stats(sim, &after);
	EXPECT_EQ(after.bar0_reads - before.bar0_reads, 0u) << "no BAR0 read in steady state";
	EXPECT_EQ(after.bar0_writes - before.bar0_writes, 3u) << "one doorbell per batch";
	hermes_hwq_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_hwq_get_stats(q, &st), 0);
	EXPECT_EQ(st.completed, 64u);
	hermes_hwq_exit(q);
}

// Long jobs on one engine complete one at a time, each well after the
// interrupt timer: every completion is an interrupt of its own and a
// wake-up, and none costs a BAR0 write (the interrupt needs no doorbell to
// re-arm; the CQ head rides on the SQ tail doorbell). Counted exactly by
// the harness: one BAR0 write per batch, no read.
TEST_F(HwqHost, ALongBatchOnOneEngineCostsOneBar0WritePerBatch)
{
	hermes_hwq_opts o = hwq_opts(128, 448, 64, 32, 2000);
	o.engine_mask = 1;
	hermes_hwq *q = nullptr;
	ASSERT_EQ(hermes_hwq_init(dev, &o, &q), 0) << hermes_dev_errmsg(dev);
	hermes_hwq_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_hwq_get_stats(q, &st), 0);
	hermes_sim *sim = hermes__dev_sim(dev);
	const unsigned vec = dev->hwq_first_irq + st.queue;
	std::vector<uint8_t> in(400, 1), out(64 * 64);
	auto batch = [&](unsigned first) {
		for (unsigned k = 0; k < 32; k++) {
			hermes_hwq_job *j = hermes_hwq_get_job(q);
			ASSERT_NE(j, nullptr);
			j->prog = prog;
			j->in = in.data();
			j->in_len = 400; // 3,604 instructions
			j->out = &out[64 * ((first + k) % 64)];
			j->out_len = 64;
			j->user_tag = first + k;
		}
		ASSERT_EQ(hermes_hwq_submit(q), 32);
	};
	// Warm-up: the program upload goes through the register path.
	batch(0);
	for (unsigned k = 0; k < 32; k++) {
		hermes_hwq_cpl *c = nullptr;
		ASSERT_EQ(hermes_hwq_wait(q, &c, 1000), 0) << hermes_dev_errmsg(dev);
		hermes_hwq_seen(q, c);
	}
	hermes_sim_mmio before{}, after{};
	hermes_sim_mmio_stats(sim, &before);
	const uint64_t irq0 = hermes_sim_usr_irq_count(sim, vec);
	batch(100);
	batch(200);
	unsigned got = 0;
	while (got < 64) {
		hermes_hwq_cpl *c = nullptr;
		ASSERT_EQ(hermes_hwq_wait(q, &c, 1000), 0) << hermes_dev_errmsg(dev);
		EXPECT_EQ(c->status, 0);
		EXPECT_EQ(c->engine, 0);
		EXPECT_EQ(c->r0, 400u);
		hermes_hwq_seen(q, c);
		got++;
	}
	hermes_sim_mmio_stats(sim, &after);
	EXPECT_EQ(after.bar0_writes - before.bar0_writes, 2u) << "one SQ tail doorbell per batch, nothing per wake-up";
	EXPECT_EQ(after.bar0_reads - before.bar0_reads, 0u);
	EXPECT_GE(hermes_sim_usr_irq_count(sim, vec) - irq0, 48u) << "the completions came a few at a time";
	hermes_hwq_exit(q);
}

TEST_F(HwqHost, ErrorsAndLimits)
{
	hermes_hwq_opts o = hwq_opts(3);
	hermes_hwq *q = nullptr;
	EXPECT_EQ(hermes_hwq_init(dev, &o, &q), -EINVAL);
	o.entries = 1024;
	EXPECT_EQ(hermes_hwq_init(dev, &o, &q), -ENOSPC) << "1024 x 8 KiB is more than a queue's share";
	o.entries = 4;
	o.queue = 3;
	ASSERT_EQ(hermes_hwq_init(dev, &o, &q), 0) << hermes_dev_errmsg(dev);
	hermes_hwq *q2 = nullptr;
	EXPECT_EQ(hermes_hwq_init(dev, &o, &q2), -EBUSY) << "queue 2 is taken";
	hermes_hwq_cpl *c = nullptr;
	EXPECT_EQ(hermes_hwq_wait(q, &c, 10), -ENODATA);
	EXPECT_EQ(hermes_hwq_peek(q, &c), -ENODATA);
	hermes_hwq_job *j[3];
	for (auto &x : j)
		ASSERT_NE(x = hermes_hwq_get_job(q), nullptr);
	EXPECT_EQ(hermes_hwq_get_job(q), nullptr) << "entries - 1 jobs at most";
	j[0]->prog = prog;
	j[1]->prog = nullptr;
	j[2]->prog = prog;
	EXPECT_EQ(hermes_hwq_submit(q), -EINVAL);
	j[1]->prog = prog;
	j[1]->flags = HERMES_QF_DRAIN;
	EXPECT_EQ(hermes_hwq_submit(q), 3);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(hermes_hwq_wait(q, &c, 1000), 0) << hermes_dev_errmsg(dev);
		EXPECT_EQ(c->status, 0);
		EXPECT_EQ(c->retired, 4u);
		hermes_hwq_seen(q, c);
	}
	o.queue = 0;
	ASSERT_EQ(hermes_hwq_init(dev, &o, &q2), 0) << "another queue is free";
	hermes_hwq_exit(q2);
	hermes_hwq_exit(q);
}

TEST_F(HwqHost, DeviceWithoutQueues)
{
	hermes_dev *ref = nullptr;
	ASSERT_EQ(hermes_dev_open("ref", &ref), 0);
	hermes_hwq *q = nullptr;
	EXPECT_EQ(hermes_hwq_init(ref, nullptr, &q), -EOPNOTSUPP);
	hermes_dev_close(ref);
}

} // namespace
