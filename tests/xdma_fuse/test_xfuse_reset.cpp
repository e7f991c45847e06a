// SPDX-License-Identifier: MIT
// Card reset through xdma-fuse: the key written by one client drops the
// slot ownership the server keeps per client, so closing an old client
// does not release slots a new client owns; a wrong key is refused (EIO)
// and changes nothing; a run in progress in another process ends with
// -ECANCELED "card was reset" instead of waiting for its timeout, and the
// card is fully usable afterwards.
#include <sys/wait.h>
#include <time.h>

#include "xfuse_helpers.h"

using namespace xfuse;

namespace {

double now_s()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

// ja -1 (spins until its budget runs out); mov r0, 7; exit.
const uint8_t kSpin[8] = { 0x05, 0x00, 0xff, 0xff, 0, 0, 0, 0 };
const uint8_t kRet7[16] = { 0xb7, 0x00, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };

hermes_prog *bytecode(const uint8_t *code, size_t len)
{
	hermes_prog *p = nullptr;
	EXPECT_EQ(hermes_prog_from_bytecode(code, len, &p), 0) << hermes_dev_errmsg(nullptr);
	return p;
}

class XfuseReset : public ::testing::Test {
protected:
	void SetUp() override { XFUSE_NEED_MOUNT(); }

	// Wait until EHRESET says the reset is over.
	void wait_reset_done(int user)
	{
		uint32_t v = HERMES_RESET_BUSY;
		for (int t = 0; t < 5000 && (v & HERMES_RESET_BUSY); t++) {
			ASSERT_EQ(reg_read(user, HERMES_EHRESET, &v), 0);
			if (v & HERMES_RESET_BUSY)
				usleep(1000);
		}
		ASSERT_EQ(v & HERMES_RESET_BUSY, 0u) << "reset still busy";
	}
	void expect_all_slots_free(const char *when)
	{
		int user = open_node("user", O_RDWR);
		ASSERT_GE(user, 0);
		int err = 0;
		auto p = drain_slots(user, 1, HERMES_SLOT_PROG, true, &err);
		EXPECT_EQ(err, 0) << strerror(-err);
		auto d = drain_slots(user, 1, HERMES_SLOT_DATA, true, &err);
		EXPECT_EQ(err, 0) << strerror(-err);
		EXPECT_EQ(p.size(), size_t(HERMES_DEFAULT_PROG_SLOTS)) << "program slots free " << when;
		EXPECT_EQ(d.size(), size_t(HERMES_DEFAULT_DATA_SLOTS)) << "data slots free " << when;
		close(user);
	}
};

TEST_F(XfuseReset, ResetDropsOwnershipSoAnOldClientCannotReleaseANewOnesSlots)
{
	int a = open_node("user", O_RDWR), b = open_node("user", O_RDWR), c = open_node("user", O_RDWR);
	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	ASSERT_GE(c, 0);
	std::vector<unsigned> mine;
	for (unsigned i = 0; i < 3; i++) {
		Resp r = slot_cmd(a, 0, HERMES_CMD_REQ_SLOT, HERMES_SLOT_DATA, 0, 10 + i);
		ASSERT_EQ(r.err, 0);
		ASSERT_EQ(r.status, HERMES_ST_SUCCESS);
		mine.push_back(r.b8);
	}
	// B resets the card: A's slots are free now.
	ASSERT_EQ(reg_write(b, HERMES_EHRESET, HERMES_RESET_KEY), 0);
	wait_reset_done(b);
	// C takes every data slot, A's old ones among them.
	int err = 0;
	auto got = drain_slots(c, 2, HERMES_SLOT_DATA, false, &err);
	ASSERT_EQ(err, 0) << strerror(-err);
	ASSERT_EQ(got.size(), size_t(HERMES_DEFAULT_DATA_SLOTS)) << "the reset freed A's slots";
	// A goes away: the server must not give back what C owns now.
	close(a);
	usleep(200000);
	for (unsigned s : got) {
		Resp r = slot_cmd(c, 2, HERMES_CMD_REL_SLOT, HERMES_SLOT_DATA, s, 50);
		EXPECT_EQ(r.status, HERMES_ST_SUCCESS) << "slot " << s << " of C was released when A closed";
	}
	close(b);
	close(c);
	expect_all_slots_free("at the end");
}

TEST_F(XfuseReset, WrongKeyIsRefusedAndChangesNothing)
{
	int a = open_node("user", O_RDWR);
	ASSERT_GE(a, 0);
	Resp r = slot_cmd(a, 0, HERMES_CMD_REQ_SLOT, HERMES_SLOT_PROG, 0, 20);
	ASSERT_EQ(r.status, HERMES_ST_SUCCESS);
	// Posted (PCIe cost model): the card's SLVERR never reaches the writer.
	EXPECT_EQ(reg_write(a, HERMES_EHRESET, HERMES_RESET_KEY + 1), 0);
	uint32_t v = 1;
	ASSERT_EQ(reg_read(a, HERMES_EHRESET, &v), 0);
	EXPECT_EQ(v & HERMES_RESET_BUSY, 0u);
	r = slot_cmd(a, 0, HERMES_CMD_REL_SLOT, HERMES_SLOT_PROG, r.b8, 21);
	EXPECT_EQ(r.status, HERMES_ST_SUCCESS) << "the slot was still allocated";
	close(a);
	expect_all_slots_free("at the end");
}

TEST_F(XfuseReset, ARunInAnotherProcessEndsWithECanceled)
{
	int pipefd[2];
	ASSERT_EQ(pipe(pipefd), 0);
	pid_t pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(pipefd[0]);
		hermes_dev *dev = nullptr;
		hermes_prog *spin = bytecode(kSpin, sizeof(kSpin));
		if (!spin || hermes_dev_open(device().c_str(), &dev))
			_exit(2);
		hermes_run_opts o{};
		o.sz = sizeof(o);
		o.engine = 1;
		o.max_insns = 0xFFFFFFFFu;
		o.timeout_ms = 600000;
		hermes_run_result res{};
		uint8_t data[64] = {};
		int err = hermes_run(dev, spin, data, sizeof(data), data, sizeof(data), &o, &res);
		std::string msg = std::to_string(err) + " " + hermes_dev_errmsg(dev);
		if (write(pipefd[1], msg.data(), msg.size()) < 0)
			_exit(4);
		_exit(0);
	}
	close(pipefd[1]);
	int user = open_node("user", O_RDWR);
	ASSERT_GE(user, 0);
	uint32_t st = 0;
	for (int t = 0; t < 2000 && st != HERMES_STATE_RUNNING; t++) {
		ASSERT_EQ(reg_read(user, HERMES_EHENGSTAT(1), &st), 0);
		usleep(5000);
	}
	ASSERT_EQ(st, HERMES_STATE_RUNNING) << "the child's program never started";

	hermes_dev *dev = nullptr;
	ASSERT_EQ(hermes_dev_open(device().c_str(), &dev), 0) << hermes_dev_errmsg(nullptr);
	double t0 = now_s();
	ASSERT_EQ(hermes_dev_reset(dev), 0) << hermes_dev_errmsg(dev);
	double t_reset = now_s() - t0;
	char buf[600] = {};
	ssize_t n = read(pipefd[0], buf, sizeof(buf) - 1);
	double t_cancel = now_s() - t0;
	close(pipefd[0]);
	int ws = 0;
	ASSERT_EQ(waitpid(pid, &ws, 0), pid);
	ASSERT_TRUE(WIFEXITED(ws) && WEXITSTATUS(ws) == 0) << "child status " << ws;
	ASSERT_GT(n, 0);
	std::string got(buf);
	std::printf("reset %.3f s, the other process's run ended %.3f s after it: %s\n", t_reset, t_cancel,
		    got.c_str());
	EXPECT_EQ(got.rfind(std::to_string(-ECANCELED) + " ", 0), 0u) << got;
	EXPECT_NE(got.find("card was reset"), std::string::npos) << got;
	EXPECT_LT(t_cancel, 10.0) << "the run did not wait for its 600 s timeout";

	// Everything is free and the next run works.
	EXPECT_EQ(reg_read(user, HERMES_EHENGSTAT(1), &st), 0);
	EXPECT_EQ(st, HERMES_STATE_IDLE);
	close(user);
	expect_all_slots_free("after the reset");
	hermes_prog *ret = bytecode(kRet7, sizeof(kRet7));
	ASSERT_NE(ret, nullptr);
	hermes_run_result res{};
	uint8_t data[8] = {};
	EXPECT_EQ(hermes_run(dev, ret, data, sizeof(data), data, sizeof(data), nullptr, &res), 0)
		<< hermes_dev_errmsg(dev);
	EXPECT_EQ(res.r0, 7u);
	hermes_prog_free(ret);
	hermes_dev_close(dev);
}

} // namespace
