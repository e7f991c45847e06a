// SPDX-License-Identifier: MIT
// xdma-fuse under abuse: clients SIGKILLed in the middle of large DMAs on
// h2c_0/c2h_0, and 20 processes opening and closing 200 descriptors on
// every node while others move data. The server survives, keeps no
// descriptor it did not have before, and the next DMA and run are right.
// with_mount.sh exports XDMA_FUSE_PID, the server's pid.
#include <dirent.h>
#include <csignal>
#include <memory>
#include <random>
#include <sys/wait.h>
#include <time.h>

#include "xfuse_helpers.h"

using namespace xfuse;

namespace {

constexpr uint64_t kBar4 = HERMES_DEFAULT_PROG_SLOTS * uint64_t(HERMES_DEFAULT_PROG_SLOT_SIZE) +
			   HERMES_DEFAULT_DATA_SLOTS * uint64_t(HERMES_DEFAULT_DATA_SLOT_SIZE);
constexpr size_t kBig = 8u << 20; // 8 FUSE requests of 1 MiB

double now_s()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

pid_t server_pid()
{
	const char *p = getenv("XDMA_FUSE_PID");
	return p ? pid_t(atoi(p)) : 0;
}

// Open descriptors of a process (-1 if /proc does not tell).
int fd_count(pid_t pid)
{
	DIR *d = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
	if (!d)
		return -1;
	int n = 0;
	while (dirent *e = readdir(d))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

// Move n bytes at card address `at` through a DMA node: 0 or -errno.
int dma(int fd, bool to_card, uint64_t at, uint8_t *buf, size_t n)
{
	for (size_t done = 0; done < n;) {
		ssize_t r = to_card ? pwrite(fd, buf + done, n - done, off_t(at + done))
				    : pread(fd, buf + done, n - done, off_t(at + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		done += size_t(r);
	}
	return 0;
}

// Write a pattern at `at`, read it back: "" or what went wrong.
std::string round_trip(uint64_t at, size_t n, uint32_t seed)
{
	int h2c = open_node("h2c_0", O_WRONLY), c2h = open_node("c2h_0", O_RDONLY);
	std::string why;
	std::vector<uint8_t> data = pattern(n, seed), back(n, 0);
	if (h2c < 0 || c2h < 0)
		why = "open: " + std::string(strerror(-(h2c < 0 ? h2c : c2h)));
	else if (int err = dma(h2c, true, at, data.data(), n))
		why = "H2C: " + std::string(strerror(-err));
	else if (int err2 = dma(c2h, false, at, back.data(), n))
		why = "C2H: " + std::string(strerror(-err2));
	else if (data != back)
		why = "data read back differs";
	if (h2c >= 0)
		close(h2c);
	if (c2h >= 0)
		close(c2h);
	return why;
}

class Abuse : public ::testing::Test {
protected:
	void SetUp() override
	{
		XFUSE_NEED_MOUNT();
		server = server_pid();
		ASSERT_GT(server, 0) << "XDMA_FUSE_PID is not set (with_mount.sh sets it)";
	}
	void expect_server_alive(const char *when)
	{
		EXPECT_EQ(kill(server, 0), 0) << "xdma-fuse died " << when;
	}
	// A program run after the abuse: r0 = 7 (mov r0, 7; exit).
	void expect_run_ok()
	{
		static const uint8_t ret7[16] = { 0xb7, 0x00, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
		hermes_dev *dev = nullptr;
		hermes_prog *prog = nullptr;
		ASSERT_EQ(hermes_dev_open(device().c_str(), &dev), 0) << hermes_dev_errmsg(nullptr);
		ASSERT_EQ(hermes_prog_from_bytecode(ret7, sizeof(ret7), &prog), 0);
		hermes_run_opts o{};
		o.sz = sizeof(o);
		o.engine = -1;
		hermes_run_result res{};
		EXPECT_EQ(hermes_run(dev, prog, nullptr, 0, nullptr, 0, &o, &res), 0) << hermes_dev_errmsg(dev);
		EXPECT_EQ(res.status, HERMES_ST_SUCCESS);
		EXPECT_EQ(res.r0, 7u);
		hermes_prog_free(prog);
		hermes_dev_close(dev);
	}
	pid_t server = 0;
};

// A child moving kBig bytes each way in a loop until it is killed.
pid_t dma_forever(bool to_card)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	int fd = open_node(to_card ? "h2c_0" : "c2h_0", to_card ? O_WRONLY : O_RDONLY);
	std::vector<uint8_t> buf = pattern(kBig, 77);
	for (uint64_t at = 0; fd >= 0; at = (at + 3 * 4096 + 17) % (kBar4 - kBig))
		dma(fd, to_card, at, buf.data(), buf.size());
	_exit(2);
}

TEST_F(Abuse, ClientsKilledMidDmaLeaveTheChannelsUsable)
{
	std::unique_ptr<OwnAllSlots> own(new OwnAllSlots);
	ASSERT_TRUE(own->all()) << "could not allocate every slot: " << strerror(-own->err);
	int fds = fd_count(server);
	for (unsigned round = 0; round < 2; round++) {
		SCOPED_TRACE("round " + std::to_string(round));
		pid_t w = dma_forever(true), r = dma_forever(false);
		ASSERT_GT(w, 0);
		ASSERT_GT(r, 0);
		// Into the transfers: 1 MiB takes ~0.1 s, so several requests are under way.
		usleep(250000 + 150000 * round);
		kill(w, SIGKILL);
		kill(r, SIGKILL);
		int ws = 0, rs = 0;
		ASSERT_EQ(waitpid(w, &ws, 0), w);
		ASSERT_EQ(waitpid(r, &rs, 0), r);
		EXPECT_TRUE(WIFSIGNALED(ws) && WIFSIGNALED(rs)) << "the DMA children ended by themselves: "
								<< ws << " " << rs;
		expect_server_alive("after its DMA clients were killed");
		double t0 = now_s();
		EXPECT_EQ(round_trip(0x123457 + round * 0x10000, kBig + 99, 500 + round), "");
		EXPECT_LT(now_s() - t0, 30.0) << "the DMA after the kill took too long";
	}
	EXPECT_EQ(round_trip(kBar4 - 4096, 4096, 9), "") << "the end of BAR4";
	own.reset();
	expect_run_ok();
	EXPECT_EQ(fd_count(server), fds) << "descriptors of the server before and after";
}

// An opener: `fds` descriptors across every node, a register read on each
// user/control one, all closed again, until `seconds` passed. Exit 0, or 1
// with a line on `report`.
void opener(unsigned k, unsigned fds, double seconds, int report)
{
	static const char *nodes[] = { "user", "control", "h2c_0", "c2h_0" };
	double end = now_s() + seconds;
	unsigned loops = 0;
	while (now_s() < end) {
		std::vector<int> open_fds;
		for (unsigned i = 0; i < fds; i++) {
			unsigned n = (k + i) % 6;
			std::string name = n < 4 ? nodes[n] : "events_" + std::to_string((k + i) % 16);
			int flags = n == 2 ? O_WRONLY : n == 0 || n == 1 ? O_RDWR : O_RDONLY;
			int fd = open_node(name, flags);
			if (fd < 0) {
				dprintf(report, "opener %u: open %s: %s\n", k, name.c_str(), strerror(-fd));
				_exit(1);
			}
			uint32_t v = 0;
			int err = n < 2 ? reg_read(fd, n == 0 ? HERMES_EHVER : 0u, &v) : 0;
			if (err) {
				dprintf(report, "opener %u: read of %s: %s\n", k, name.c_str(), strerror(-err));
				_exit(1);
			}
			if (n == 0 && v != HERMES_VERSION) {
				dprintf(report, "opener %u: EHVER reads 0x%x\n", k, v);
				_exit(1);
			}
			open_fds.push_back(fd);
		}
		for (int fd : open_fds)
			close(fd);
		loops++;
	}
	dprintf(report, "opener %u: %u rounds of %u descriptors\n", k, loops, fds);
	_exit(0);
}

TEST_F(Abuse, TwoHundredDescriptorsOpenedAndClosedWhileOthersDma)
{
	std::unique_ptr<OwnAllSlots> own(new OwnAllSlots);
	ASSERT_TRUE(own->all()) << "could not allocate every slot: " << strerror(-own->err);
	int fds = fd_count(server);
	ASSERT_GT(fds, 0);
	int p[2];
	ASSERT_EQ(pipe(p), 0);
	const double seconds = 3;
	std::vector<pid_t> kids;
	for (unsigned k = 0; k < 20; k++) {
		pid_t pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			close(p[0]);
			opener(k, 10, seconds, p[1]);
		}
		kids.push_back(pid);
	}
	// Two movers in disjoint areas, each checking its data.
	for (unsigned m = 0; m < 2; m++) {
		pid_t pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			close(p[0]);
			double end = now_s() + seconds;
			unsigned n = 0;
			for (; now_s() < end; n++) {
				std::string why = round_trip(m * (6u << 20) + 4096 * n + m, (1u << 20) + 333 * n, m * 100 + n);
				if (!why.empty()) {
					dprintf(p[1], "mover %u round %u: %s\n", m, n, why.c_str());
					_exit(1);
				}
			}
			dprintf(p[1], "mover %u: %u round trips\n", m, n);
			_exit(0);
		}
		kids.push_back(pid);
	}
	close(p[1]);
	for (pid_t pid : kids) {
		int ws = 0;
		ASSERT_EQ(waitpid(pid, &ws, 0), pid);
		EXPECT_TRUE(WIFEXITED(ws) && WEXITSTATUS(ws) == 0) << "child " << pid << " status " << ws;
	}
	std::string log;
	char buf[512];
	for (ssize_t n; (n = read(p[0], buf, sizeof(buf))) > 0;)
		log.append(buf, size_t(n));
	close(p[0]);
	printf("%s", log.c_str());
	expect_server_alive("after 200 descriptors came and went");
	// Releases reach the server asynchronously after the last close.
	int after = -1;
	for (int t = 0; t < 50 && (after = fd_count(server)) != fds; t++)
		usleep(100000);
	EXPECT_EQ(after, fds) << "descriptors of the server before and after";
	EXPECT_EQ(round_trip(0x40000, 300000, 3), "");
	own.reset();
	expect_run_ok();
}

} // namespace
