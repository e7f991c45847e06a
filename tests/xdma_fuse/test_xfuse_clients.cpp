// SPDX-License-Identifier: MIT
// Many clients on one xdma-fuse card: slots of closed or killed clients
// come back, a client killed in the middle of a run does not wedge its
// engine, engines are owned across processes (flock on events_N), and
// 4 processes x 100 runs with distinct inputs all get their own results.
#include <csignal>
#include <mutex>
#include <random>
#include <sys/file.h>
#include <thread>
#include <sys/wait.h>
#include <time.h>

#include "asm.h"
#include "xfuse_helpers.h"

using namespace xfuse;

namespace {

// r0 = hash of the data (h = h * 31 + byte), every byte becomes byte ^ 0x5a.
const char *kHashProg = R"(
      mov %r0, 0
      mov %r3, 0
loop: jge %r3, %r2, done
      mov %r4, %r1
      add %r4, %r3
      ldxb %r5, [%r4]
      mul %r0, 31
      add %r0, %r5
      xor %r5, 0x5a
      stxb [%r4], %r5
      add %r3, 1
      ja loop
done: exit
)";

const char *kForever = "spin: ja spin\n";

hermes_prog *assemble(const char *text)
{
	hermes_insn *insns = nullptr;
	size_t n = 0;
	hermes_asm_error e{};
	if (hermes_asm(text, &insns, &n, &e)) {
		ADD_FAILURE() << "asm line " << e.line << ": " << e.msg;
		return nullptr;
	}
	hermes_prog *p = nullptr;
	EXPECT_EQ(hermes_prog_from_bytecode(insns, n * 8, &p), 0) << hermes_dev_errmsg(nullptr);
	free(insns);
	return p;
}

uint64_t host_hash(const std::vector<uint8_t> &in)
{
	uint64_t h = 0;
	for (uint8_t b : in)
		h = h * 31 + b;
	return h;
}

double now_s()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

// One checked run of the hash program; "" or what went wrong.
std::string hash_run(hermes_dev *dev, hermes_prog *prog, std::mt19937 &rng, int engine, int *used_engine)
{
	size_t len = 16 + rng() % 241;
	std::vector<uint8_t> in(len), out(len, 0);
	for (auto &b : in)
		b = uint8_t(rng());
	hermes_run_opts o{};
	o.sz = sizeof(o);
	o.engine = engine;
	hermes_run_result res{};
	int err = hermes_run(dev, prog, in.data(), len, out.data(), len, &o, &res);
	if (err)
		return std::string("hermes_run: ") + hermes_dev_errmsg(dev);
	if (used_engine)
		*used_engine = res.engine;
	if (res.status != HERMES_ST_SUCCESS)
		return "status " + std::to_string(res.status) + " cause " + std::to_string(res.cause);
	if (res.r0 != host_hash(in))
		return "r0 " + std::to_string(res.r0) + ", want " + std::to_string(host_hash(in)) +
		       " (len " + std::to_string(len) + ")";
	for (size_t i = 0; i < len; i++)
		if (out[i] != (in[i] ^ 0x5a))
			return "data byte " + std::to_string(i) + " is " + std::to_string(out[i]) + ", want " +
			       std::to_string(in[i] ^ 0x5a);
	return "";
}

class Clients : public ::testing::Test {
protected:
	void SetUp() override
	{
		XFUSE_NEED_MOUNT();
		prog = assemble(kHashProg);
		ASSERT_NE(prog, nullptr);
	}
	void TearDown() override { hermes_prog_free(prog); }

	// Every slot of the card is free: allocate until refused, count, give back.
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
	hermes_prog *prog = nullptr;
};

TEST_F(Clients, SlotsOfAClosedHandleAreReleased)
{
	expect_all_slots_free("at the start");
	int user = open_node("user", O_RDWR);
	ASSERT_GE(user, 0);
	for (unsigned i = 0; i < 3; i++) {
		Resp r = slot_cmd(user, i % 4, HERMES_CMD_REQ_SLOT, HERMES_SLOT_PROG, 0, 10 + i);
		ASSERT_EQ(r.err, 0);
		ASSERT_EQ(r.status, HERMES_ST_SUCCESS);
	}
	for (unsigned i = 0; i < 5; i++) {
		Resp r = slot_cmd(user, 2, HERMES_CMD_REQ_SLOT, HERMES_SLOT_DATA, 0, 20 + i);
		ASSERT_EQ(r.err, 0);
		ASSERT_EQ(r.status, HERMES_ST_SUCCESS);
	}
	close(user);
	expect_all_slots_free("after the handle that held 3 + 5 slots was closed");
}

TEST_F(Clients, SlotsOfAProcessThatExitsAreReleased)
{
	pid_t pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int user = open_node("user", O_RDWR);
		if (user < 0)
			_exit(2);
		for (unsigned i = 0; i < 4; i++) {
			Resp r = slot_cmd(user, 3, HERMES_CMD_REQ_SLOT, i & 1, 0, 30 + i);
			if (r.err || r.status)
				_exit(3);
		}
		_exit(0); // without closing anything
	}
	int ws = 0;
	ASSERT_EQ(waitpid(pid, &ws, 0), pid);
	ASSERT_TRUE(WIFEXITED(ws) && WEXITSTATUS(ws) == 0) << "child status " << ws;
	// The release reaches the server asynchronously after the exit.
	usleep(100000);
	expect_all_slots_free("after a process holding 4 slots exited");
}

TEST_F(Clients, ASlotReleasedByAnotherHandleIsNotReleasedTwice)
{
	int a = open_node("user", O_RDWR), b = open_node("user", O_RDWR), c = open_node("user", O_RDWR);
	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	ASSERT_GE(c, 0);
	Resp r = slot_cmd(a, 0, HERMES_CMD_REQ_SLOT, HERMES_SLOT_DATA, 0, 40);
	ASSERT_EQ(r.status, HERMES_ST_SUCCESS);
	unsigned s = r.b8;
	r = slot_cmd(b, 1, HERMES_CMD_REL_SLOT, HERMES_SLOT_DATA, s, 41);
	ASSERT_EQ(r.status, HERMES_ST_SUCCESS) << "B releases A's slot";
	// C allocates every data slot, so it owns s now.
	int err = 0;
	auto got = drain_slots(c, 2, HERMES_SLOT_DATA, false, &err);
	ASSERT_EQ(err, 0);
	ASSERT_EQ(got.size(), size_t(HERMES_DEFAULT_DATA_SLOTS));
	close(a);
	usleep(100000);
	r = slot_cmd(c, 2, HERMES_CMD_REL_SLOT, HERMES_SLOT_DATA, s, 42);
	EXPECT_EQ(r.status, HERMES_ST_SUCCESS) << "slot " << s << " was released again when A closed";
	for (unsigned g : got)
		if (g != s)
			slot_cmd(c, 2, HERMES_CMD_REL_SLOT, HERMES_SLOT_DATA, g, 43);
	close(b);
	close(c);
	expect_all_slots_free("at the end");
}

TEST_F(Clients, AClientKilledMidRunDoesNotWedgeTheCard)
{
	expect_all_slots_free("at the start");
	pid_t pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		hermes_dev *dev = nullptr;
		hermes_prog *spin = assemble(kForever);
		if (!spin || hermes_dev_open(device().c_str(), &dev))
			_exit(2);
		hermes_run_opts o{};
		o.sz = sizeof(o);
		o.engine = -1;
		o.max_insns = 0xFFFFFFFFu;
		o.timeout_ms = 600000;
		hermes_run_result res{};
		uint8_t data[64] = {};
		hermes_run(dev, spin, data, sizeof(data), data, sizeof(data), &o, &res);
		_exit(3); // not reached before the kill
	}
	// Wait until an engine runs the program (EHENGSTAT state 1).
	int user = open_node("user", O_RDWR);
	ASSERT_GE(user, 0);
	int running = -1;
	for (int t = 0; t < 10000 && running < 0; t += 5) {
		for (unsigned e = 0; e < 4 && running < 0; e++) {
			uint32_t st = 0;
			if (reg_read(user, HERMES_EHENGSTAT(e), &st) == 0 && st == 1)
				running = int(e);
		}
		if (running < 0)
			usleep(5000);
	}
	ASSERT_GE(running, 0) << "the child's program never started";
	ASSERT_EQ(kill(pid, SIGKILL), 0);
	int ws = 0;
	ASSERT_EQ(waitpid(pid, &ws, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(ws)) << "status " << ws;

	// The next runs succeed, on every engine, the killed one first.
	hermes_dev *dev = nullptr;
	ASSERT_EQ(hermes_dev_open(device().c_str(), &dev), 0) << hermes_dev_errmsg(nullptr);
	std::mt19937 rng(99);
	double t0 = now_s();
	for (unsigned i = 0; i < 8; i++) {
		int e = (running + int(i)) % 4, used = -1;
		std::string why = hash_run(dev, prog, rng, e, &used);
		EXPECT_EQ(why, "") << "run " << i << " on engine " << e << " after the kill";
		EXPECT_EQ(used, e);
	}
	EXPECT_LT(now_s() - t0, 20.0) << "runs after the kill took too long";
	hermes_dev_close(dev);
	close(user);
	expect_all_slots_free("after the kill");
}

// A helper process owns engines (flock on their events nodes) for hold_ms.
pid_t hold_engines(const std::vector<unsigned> &engines, unsigned hold_ms)
{
	int p[2];
	if (pipe(p))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (unsigned e : engines) {
			int fd = open_node("events_" + std::to_string(e), O_RDONLY);
			if (fd < 0 || flock(fd, LOCK_EX))
				_exit(2);
		}
		if (write(p[1], "x", 1) != 1)
			_exit(3);
		usleep(hold_ms * 1000);
		_exit(0);
	}
	close(p[1]);
	char c;
	if (pid < 0 || read(p[0], &c, 1) != 1) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return pid;
}

TEST_F(Clients, ARunTakesAnEngineNoOtherProcessOwns)
{
	hermes_dev *dev = nullptr;
	ASSERT_EQ(hermes_dev_open(device().c_str(), &dev), 0) << hermes_dev_errmsg(nullptr);
	std::mt19937 rng(5);
	pid_t pid = hold_engines({ 0, 1, 3 }, 3000);
	ASSERT_GT(pid, 0);
	for (unsigned i = 0; i < 3; i++) {
		int used = -1;
		EXPECT_EQ(hash_run(dev, prog, rng, -1, &used), "");
		EXPECT_EQ(used, 2) << "engines 0, 1 and 3 belong to another process";
	}
	kill(pid, SIGKILL);
	waitpid(pid, nullptr, 0);
	hermes_dev_close(dev);
}

TEST_F(Clients, ARunWaitsWhileOtherProcessesOwnEveryEngine)
{
	hermes_dev *dev = nullptr;
	ASSERT_EQ(hermes_dev_open(device().c_str(), &dev), 0) << hermes_dev_errmsg(nullptr);
	std::mt19937 rng(6);
	pid_t pid = hold_engines({ 0, 1, 2, 3 }, 600);
	ASSERT_GT(pid, 0);
	double t0 = now_s();
	EXPECT_EQ(hash_run(dev, prog, rng, -1, nullptr), "");
	double waited = now_s() - t0;
	EXPECT_GE(waited, 0.4) << "the run did not wait for an engine to be given back";
	waitpid(pid, nullptr, 0);
	// And with a given engine.
	pid = hold_engines({ 1 }, 500);
	ASSERT_GT(pid, 0);
	t0 = now_s();
	int used = -1;
	EXPECT_EQ(hash_run(dev, prog, rng, 1, &used), "");
	EXPECT_GE(now_s() - t0, 0.3) << "--engine 1 did not wait for its owner";
	EXPECT_EQ(used, 1);
	waitpid(pid, nullptr, 0);
	hermes_dev_close(dev);
}

// Threads of one process sharing one device handle (the in-process engine
// mutexes; flock alone would not separate them), more threads than engines.
TEST_F(Clients, ThreadsSharingOneDeviceGetTheirOwnResults)
{
	hermes_dev *dev = nullptr;
	ASSERT_EQ(hermes_dev_open(device().c_str(), &dev), 0) << hermes_dev_errmsg(nullptr);
	const unsigned threads = 6, runs = 15;
	std::mutex m;
	std::vector<std::string> errors;
	unsigned engines_used = 0;
	std::vector<std::thread> ts;
	for (unsigned k = 0; k < threads; k++)
		ts.emplace_back([&, k] {
			std::mt19937 rng(500 + k);
			for (unsigned i = 0; i < runs; i++) {
				int used = -1;
				std::string why = hash_run(dev, prog, rng, -1, &used);
				std::lock_guard<std::mutex> g(m);
				if (!why.empty())
					errors.push_back("thread " + std::to_string(k) + " run " + std::to_string(i) + ": " + why);
				if (used >= 0)
					engines_used |= 1u << used;
			}
		});
	for (auto &t : ts)
		t.join();
	EXPECT_TRUE(errors.empty()) << errors.size() << " wrong runs, first: " << errors[0];
	EXPECT_EQ(engines_used, 0xfu) << "6 threads did not spread over the 4 engines";
	hermes_dev_close(dev);
	expect_all_slots_free("after the threads");
}

TEST_F(Clients, FourProcessesTimesHundredRunsEachGetTheirOwnResults)
{
	const unsigned procs = 4, runs = 100;
	std::vector<pid_t> pids;
	int p[2];
	ASSERT_EQ(pipe(p), 0);
	double t0 = now_s();
	for (unsigned k = 0; k < procs; k++) {
		pid_t pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			close(p[0]);
			hermes_dev *dev = nullptr;
			if (hermes_dev_open(device().c_str(), &dev)) {
				dprintf(p[1], "process %u: open: %s\n", k, hermes_dev_errmsg(nullptr));
				_exit(2);
			}
			std::mt19937 rng(1000 + k);
			unsigned engines_used = 0, bad = 0;
			for (unsigned i = 0; i < runs; i++) {
				int used = -1;
				std::string why = hash_run(dev, prog, rng, -1, &used);
				if (!why.empty() && bad++ < 5)
					dprintf(p[1], "process %u run %u: %s\n", k, i, why.c_str());
				if (used >= 0)
					engines_used |= 1u << used;
			}
			dprintf(p[1], "process %u: %u runs, %u wrong, engines used 0x%x\n", k, runs, bad, engines_used);
			hermes_dev_close(dev);
			_exit(bad ? 1 : 0);
		}
		pids.push_back(pid);
	}
	close(p[1]);
	for (pid_t pid : pids) {
		int ws = 0;
		ASSERT_EQ(waitpid(pid, &ws, 0), pid);
		EXPECT_TRUE(WIFEXITED(ws) && WEXITSTATUS(ws) == 0) << "child " << pid << " status " << ws;
	}
	std::string log;
	char buf[512];
	ssize_t n;
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		log.append(buf, size_t(n));
	close(p[0]);
	printf("%s%u x %u runs in %.2f s\n", log.c_str(), procs, runs, now_s() - t0);
	expect_all_slots_free("after 400 runs");
}

} // namespace
