// SPDX-License-Identifier: MIT
// The hardware queues through xdma-fuse: the same batches as on the
// in-process "sim" card (tests/unit/hwq_batch.h) give identical
// completions and outputs; two processes get queue pairs of their own.
#include "xfuse_helpers.h"

#include <csignal>
#include <sys/wait.h>

#include "../unit/hwq_batch.h"

namespace {

TEST(XfuseHwq, SameCompletionsAsSim)
{
	XFUSE_NEED_MOUNT();
	hermes_dev *x = nullptr, *s = nullptr;
	ASSERT_EQ(hermes_dev_open(xfuse::device().c_str(), &x), 0) << hermes_dev_errmsg(nullptr);
	ASSERT_EQ(hermes_dev_open("sim", &s), 0) << hermes_dev_errmsg(nullptr);
	hermes_prog *p = hwq_test::xor_prog();
	ASSERT_NE(p, nullptr);
	auto rx = hwq_test::run_batch(x, p, 40, 8, 7);
	auto rs = hwq_test::run_batch(s, p, 40, 8, 7);
	ASSERT_EQ(rx.size(), 40u);
	ASSERT_EQ(rs.size(), 40u);
	for (unsigned i = 0; i < 40; i++)
		EXPECT_TRUE(rx[i] == rs[i]) << "job " << i << " differs between xdma-fuse and sim";
	hermes_prog_free(p);
	hermes_dev_close(s);
	hermes_dev_close(x);
}

TEST(XfuseHwq, TwoProcessesTwoQueuePairs)
{
	XFUSE_NEED_MOUNT();
	pid_t kids[2];
	for (auto &k : kids) {
		k = fork();
		ASSERT_GE(k, 0);
		if (k == 0) {
			hermes_dev *x = nullptr;
			if (hermes_dev_open(xfuse::device().c_str(), &x))
				_exit(2);
			hermes_prog *p = hwq_test::xor_prog();
			auto r = hwq_test::run_batch(x, p, 20, 4, unsigned(getpid()));
			_exit(r.size() == 20 && !::testing::Test::HasFailure() ? 0 : 1);
		}
	}
	for (auto k : kids) {
		int st = 0;
		ASSERT_EQ(waitpid(k, &st, 0), k);
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "child status " << st;
	}
}

TEST(XfuseHwq, AClientKilledMidBatchLosesOnlyItsQueuePair)
{
	XFUSE_NEED_MOUNT();
	hermes_dev *x = nullptr;
	ASSERT_EQ(hermes_dev_open(xfuse::device().c_str(), &x), 0) << hermes_dev_errmsg(nullptr);
	hermes_prog *p = hwq_test::xor_prog();
	ASSERT_NE(p, nullptr);
	int ready[2];
	ASSERT_EQ(pipe(ready), 0);
	pid_t kid = fork();
	ASSERT_GE(kid, 0);
	if (kid == 0) {
		// A batch of jobs submitted, then the process dies with them in flight.
		hermes_dev *d = nullptr;
		hermes_hwq_opts o = hwq_test::hwq_opts(16, 512, 512);
		hermes_hwq *q = nullptr;
		static uint8_t in[512], out[15][512];
		if (hermes_dev_open(xfuse::device().c_str(), &d) || hermes_hwq_init(d, &o, &q))
			_exit(2);
		for (unsigned i = 0; i < 15; i++) {
			hermes_hwq_job *j = hermes_hwq_get_job(q);
			j->prog = p;
			j->in = in;
			j->in_len = 512;
			j->out = out[i];
			j->out_len = 512;
		}
		if (hermes_hwq_submit(q) != 15)
			_exit(3);
		char c = 1;
		(void)!write(ready[1], &c, 1);
		raise(SIGKILL);
	}
	close(ready[1]);
	char c = 0;
	ASSERT_EQ(read(ready[0], &c, 1), 1) << "the child did not submit";
	close(ready[0]);
	// This process's batches are unaffected while the dead one's jobs drain.
	auto r = hwq_test::run_batch(x, p, 30, 8, 3);
	EXPECT_EQ(r.size(), 30u);
	int st = 0;
	ASSERT_EQ(waitpid(kid, &st, 0), kid);
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) << "child status " << st;
	// Every queue pair can be had again, the dead one's included.
	std::vector<hermes_hwq *> qs;
	for (;;) {
		hermes_hwq_opts o = hwq_test::hwq_opts(4, 64, 64);
		hermes_hwq *q = nullptr;
		if (hermes_hwq_init(x, &o, &q))
			break;
		qs.push_back(q);
	}
	EXPECT_EQ(qs.size(), size_t(HERMES_DEFAULT_QUEUES));
	for (auto *q : qs)
		hermes_hwq_exit(q);
	hermes_prog_free(p);
	hermes_dev_close(x);
}

} // namespace
