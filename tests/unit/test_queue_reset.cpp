// SPDX-License-Identifier: MIT
// A queue whose card is reset: jobs running, staged or waiting end at once
// with -ECANCELED (not at the job timeout), later jobs are cancelled too,
// and destroying the queue releases none of its old slots, which may
// belong to someone else by then. Engine 3 stays outside the queue and
// plays that someone else.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "cmd.h"
#include "dev.h"
#include "hermes/hermes.h"

namespace {

// ja -1 (spins until its budget runs out); mov r0, 5; exit.
const uint8_t kSpin[8] = { 0x05, 0x00, 0xff, 0xff, 0, 0, 0, 0 };
const uint8_t kRet5[16] = { 0xb7, 0x00, 0, 0, 5, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
constexpr unsigned kOutsider = 3;

class QueueReset : public ::testing::Test {
protected:
	void SetUp() override
	{
		ASSERT_EQ(hermes_dev_open("sim", &dev), 0) << hermes_dev_errmsg(nullptr);
		ASSERT_EQ(hermes_prog_from_bytecode(kSpin, sizeof(kSpin), &spin), 0);
		ASSERT_EQ(hermes_prog_from_bytecode(kRet5, sizeof(kRet5), &ret5), 0);
		hermes_queue_opts o{};
		o.sz = sizeof(o);
		o.engine_mask = 0x7;
		o.timeout_ms = 600000;
		ASSERT_EQ(hermes_queue_create(dev, &o, &q), 0) << hermes_dev_errmsg(dev);
	}
	void TearDown() override
	{
		hermes_queue_destroy(q);
		hermes_prog_free(spin);
		hermes_prog_free(ret5);
		hermes_dev_close(dev);
	}

	hermes_job job(const hermes_prog *p, uint64_t id, uint64_t budget = 0)
	{
		hermes_job j{};
		j.prog = p;
		j.in = in;
		j.in_len = sizeof(in);
		j.out = out;
		j.out_len = sizeof(out);
		j.max_insns = budget;
		j.user_data = id;
		return j;
	}
	std::vector<hermes_completion> reap_all(unsigned n)
	{
		EXPECT_GE(hermes_queue_wait(q, n, 20000), int(n)) << hermes_queue_errmsg(q);
		std::vector<hermes_completion> c(n);
		EXPECT_EQ(hermes_queue_reap(q, c.data(), n), int(n)) << hermes_queue_errmsg(q);
		return c;
	}
	// The outsider takes every slot of the card (all free after the reset),
	// the queue is destroyed, then the outsider gives each back: a slot the
	// queue released at destroy would fail here.
	void expect_destroy_releases_nothing()
	{
		std::vector<std::pair<unsigned, unsigned>> mine;
		for (unsigned type : { HERMES_SLOT_PROG, HERMES_SLOT_DATA }) {
			unsigned s;
			while (hermes__slot_alloc(dev, kOutsider, type, &s) == 0)
				mine.push_back({ type, s });
		}
		EXPECT_EQ(mine.size(), size_t(HERMES_DEFAULT_PROG_SLOTS + HERMES_DEFAULT_DATA_SLOTS))
			<< "every slot was free after the reset";
		hermes_queue_destroy(q);
		q = nullptr;
		for (auto [type, s] : mine)
			EXPECT_EQ(hermes__slot_release(dev, kOutsider, type, s), 0)
				<< (type ? "data" : "program") << " slot " << s << " was released by the old queue";
	}

	hermes_dev *dev = nullptr;
	hermes_queue *q = nullptr;
	hermes_prog *spin = nullptr, *ret5 = nullptr;
	uint8_t in[64] = {}, out[64];
};

TEST_F(QueueReset, RunningAndWaitingJobsEndWithECanceledAtOnce)
{
	std::vector<hermes_job> jobs;
	for (unsigned i = 0; i < 3; i++)
		jobs.push_back(job(spin, 100 + i, 0xFFFFFFFFu)); // one per engine, for minutes
	for (unsigned i = 0; i < 5; i++)
		jobs.push_back(job(ret5, 200 + i));
	ASSERT_EQ(hermes_queue_submit(q, jobs.data(), unsigned(jobs.size())), int(jobs.size()))
		<< hermes_queue_errmsg(q);
	ASSERT_EQ(hermes_dev_reset(dev), 0) << hermes_dev_errmsg(dev);
	for (const auto &c : reap_all(unsigned(jobs.size()))) {
		if (c.user_data >= 200 && c.res == 0) {
			EXPECT_EQ(c.r0, 5u) << "job " << c.user_data << " completed before the reset";
			continue;
		}
		EXPECT_EQ(c.res, -ECANCELED) << "job " << c.user_data;
	}
	EXPECT_NE(std::string(hermes_queue_errmsg(q)).find("card was reset"), std::string::npos)
		<< hermes_queue_errmsg(q);
	// Later jobs are cancelled too: the queue's slots are gone.
	hermes_job more = job(ret5, 300);
	ASSERT_EQ(hermes_queue_submit(q, &more, 1), 1);
	auto c = reap_all(1);
	EXPECT_EQ(c[0].res, -ECANCELED);
	expect_destroy_releases_nothing();
}

TEST_F(QueueReset, AnIdleQueueNoticesTheResetBeforeUsingItsSlots)
{
	// The queue keeps program and data slots between jobs.
	hermes_job j = job(ret5, 1);
	ASSERT_EQ(hermes_queue_submit(q, &j, 1), 1);
	auto c = reap_all(1);
	ASSERT_EQ(c[0].res, 0) << hermes_queue_errmsg(q);
	ASSERT_EQ(c[0].r0, 5u);
	ASSERT_EQ(hermes_dev_reset(dev), 0) << hermes_dev_errmsg(dev);
	j = job(ret5, 2);
	j.out = nullptr; // nothing to download: the check must come before the upload
	j.out_len = 0;
	ASSERT_EQ(hermes_queue_submit(q, &j, 1), 1);
	c = reap_all(1);
	EXPECT_EQ(c[0].res, -ECANCELED) << "a job after the reset must not run on the old slots";
	expect_destroy_releases_nothing();
}

TEST_F(QueueReset, DestroyAfterAnUnnoticedResetReleasesNothing)
{
	hermes_job j = job(ret5, 1);
	ASSERT_EQ(hermes_queue_submit(q, &j, 1), 1);
	ASSERT_EQ(reap_all(1)[0].res, 0) << hermes_queue_errmsg(q);
	ASSERT_EQ(hermes_dev_reset(dev), 0) << hermes_dev_errmsg(dev);
	expect_destroy_releases_nothing();
}

TEST_F(QueueReset, QueueSlotsAreGoneAfterAReset)
{
	uint8_t secret[256], back[256];
	for (unsigned i = 0; i < sizeof(secret); i++)
		secret[i] = uint8_t(i * 7 + 1);
	uint32_t slot;
	ASSERT_EQ(hermes_queue_slot_create(q, secret, sizeof(secret), &slot), 0) << hermes_queue_errmsg(q);
	ASSERT_EQ(hermes_queue_slot_read(q, slot, 0, back, sizeof(back)), 0) << hermes_queue_errmsg(q);
	ASSERT_EQ(memcmp(back, secret, sizeof(back)), 0);
	ASSERT_EQ(hermes_dev_reset(dev), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(hermes_queue_slot_read(q, slot, 0, back, sizeof(back)), -ECANCELED) << hermes_queue_errmsg(q);
	EXPECT_EQ(hermes_queue_slot_create(q, secret, sizeof(secret), &slot), -ECANCELED);
	expect_destroy_releases_nothing();
}

} // namespace
