// SPDX-License-Identifier: MIT
// The nodes of an xdma-fuse mount, driven with plain system calls the way
// the Xilinx driver's nodes are (docs/XDMA.md): register access sizes and
// alignment, error codes, DMA at the card address, events blocking, poll,
// merging and signals.
#include <atomic>
#include <csignal>
#include <pthread.h>
#include <random>
#include <sys/stat.h>
#include <thread>
#include <time.h>

#include "xfuse_helpers.h"

using namespace xfuse;

namespace {

uint64_t bar4_size(int user)
{
	uint32_t geo = 0, psoff = 0, pssz = 0, dsoff = 0, dssz = 0, caps = 0, qoff = 0, qsz = 0;
	EXPECT_EQ(reg_read(user, HERMES_EHENG, &geo), 0);
	EXPECT_EQ(reg_read(user, HERMES_EHCAP, &caps), 0);
	// BAR4 goes on past the slots with the hardware queues' region.
	if (caps & HERMES_CAP_HWQUEUE) {
		EXPECT_EQ(reg_read(user, HERMES_EHQOFF, &qoff), 0);
		EXPECT_EQ(reg_read(user, HERMES_EHQSZE, &qsz), 0);
	}
	EXPECT_EQ(reg_read(user, HERMES_EHPSOFF, &psoff), 0);
	EXPECT_EQ(reg_read(user, HERMES_EHPSSZE, &pssz), 0);
	EXPECT_EQ(reg_read(user, HERMES_EHDSOFF, &dsoff), 0);
	EXPECT_EQ(reg_read(user, HERMES_EHDSSZE, &dssz), 0);
	uint64_t p = psoff + uint64_t((geo >> 8) & 0xff) * pssz;
	uint64_t d = dsoff + uint64_t((geo >> 16) & 0xff) * dssz;
	uint64_t end = p > d ? p : d;
	end = uint64_t(qoff) + qsz > end ? uint64_t(qoff) + qsz : end;
	// ... and ends with the map slots, one per program slot.
	if (caps & HERMES_CAP_MAPS) {
		uint32_t msoff = 0, mssz = 0;
		EXPECT_EQ(reg_read(user, HERMES_EHMSOFF, &msoff), 0);
		EXPECT_EQ(reg_read(user, HERMES_EHMSSZE, &mssz), 0);
		uint64_t m = msoff + uint64_t((geo >> 8) & 0xff) * mssz;
		end = m > end ? m : end;
	}
	return end;
}

double now_s()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

class Nodes : public ::testing::Test {
protected:
	void SetUp() override
	{
		XFUSE_NEED_MOUNT();
		user = open_node("user", O_RDWR);
		ASSERT_GE(user, 0) << node("user") << ": " << strerror(-user);
	}
	void TearDown() override
	{
		if (user >= 0)
			close(user);
	}
	int user = -1;
};

TEST_F(Nodes, AllNodesOfTheDriverExist)
{
	for (const char *n : { "user", "control", "h2c_0", "c2h_0" }) {
		struct stat st;
		EXPECT_EQ(stat(node(n).c_str(), &st), 0) << node(n) << ": " << strerror(errno);
	}
	for (unsigned i = 0; i < 16; i++) {
		struct stat st;
		std::string n = "events_" + std::to_string(i);
		EXPECT_EQ(stat(node(n).c_str(), &st), 0) << node(n) << ": " << strerror(errno);
	}
	struct stat st;
	EXPECT_NE(stat(node("h2c_1").c_str(), &st), 0) << "the card has one H2C channel";
}

TEST_F(Nodes, UserNodeMovesFourBytesAtFourAlignedOffsets)
{
	uint32_t v = 0;
	ASSERT_EQ(pread(user, &v, 4, HERMES_EHVER), 4) << strerror(errno);
	EXPECT_EQ(v, HERMES_VERSION);

	uint8_t buf[8];
	errno = 0;
	EXPECT_EQ(pread(user, buf, 2, 0), -1);
	EXPECT_EQ(errno, EPROTO) << "a 2-byte read: " << strerror(errno);
	for (unsigned off : { 1u, 2u, 3u, 0x1002u }) {
		errno = 0;
		EXPECT_EQ(pread(user, buf, 4, off), -1) << "offset " << off;
		EXPECT_EQ(errno, EPROTO) << "read at offset " << off << ": " << strerror(errno);
		errno = 0;
		EXPECT_EQ(pwrite(user, buf, 4, off), -1) << "offset " << off;
		EXPECT_EQ(errno, EPROTO) << "write at offset " << off << ": " << strerror(errno);
	}
	// Larger requests move one register, as the driver does.
	memset(buf, 0xee, sizeof(buf));
	EXPECT_EQ(pread(user, buf, 8, HERMES_EHVER), 4);
	memcpy(&v, buf, 4);
	EXPECT_EQ(v, HERMES_VERSION);
	EXPECT_EQ(buf[4], 0xee) << "bytes after the register were written";
	// Outside the 64 KiB window.
	errno = 0;
	EXPECT_EQ(pread(user, buf, 4, 0x10000), -1);
	EXPECT_EQ(errno, EINVAL) << strerror(errno);
	// The file offset is not used by pread and not moved by it.
	EXPECT_EQ(lseek(user, 0, SEEK_CUR), 0);
}

TEST_F(Nodes, SlaveErrorsAreIoErrors)
{
	uint32_t v = 0;
	// Unmapped offset (0x50 is EHRESET; 0x54-0xFFF is unmapped) and a
	// read-only register. A BAR write is posted on PCIe (the server's card
	// runs the default PCIe cost model): its refusal never reaches the
	// writer, as with the Xilinx driver on a real card; it changes nothing.
	EXPECT_EQ(reg_read(user, 0x54, &v), -EIO);
	EXPECT_EQ(reg_write(user, HERMES_EHVER, 5), 0);
	EXPECT_EQ(reg_read(user, HERMES_EHVER, &v), 0);
	EXPECT_EQ(v, HERMES_VERSION) << "a refused write changed EHVER";
}

TEST_F(Nodes, ControlNodeIsBar2WithXdmaIdentifiers)
{
	int ctl = open_node("control", O_RDWR);
	ASSERT_GE(ctl, 0) << strerror(-ctl);
	uint32_t h2c = 0, c2h = 0, irq = 0;
	EXPECT_EQ(reg_read(ctl, 0x0000, &h2c), 0);
	EXPECT_EQ(reg_read(ctl, 0x1000, &c2h), 0);
	EXPECT_EQ(reg_read(ctl, 0x2000, &irq), 0);
	EXPECT_EQ(h2c & 0xFFFF0000u, 0x1FC00000u) << std::hex << h2c;
	EXPECT_EQ(c2h & 0xFFFF0000u, 0x1FC10000u) << std::hex << c2h;
	EXPECT_EQ(irq & 0xFFFF0000u, 0x1FC20000u) << std::hex << irq;
	errno = 0;
	EXPECT_EQ(pread(ctl, &h2c, 4, 2), -1);
	EXPECT_EQ(errno, EPROTO);
	close(ctl);
}

TEST_F(Nodes, DmaAtTheCardAddressBothWays)
{
	OwnAllSlots own; // no background scrub under the test's addresses
	ASSERT_TRUE(own.all()) << strerror(-own.err);
	int h2c = open_node("h2c_0", O_WRONLY), c2h = open_node("c2h_0", O_RDONLY);
	ASSERT_GE(h2c, 0) << strerror(-h2c);
	ASSERT_GE(c2h, 0) << strerror(-c2h);
	std::mt19937 rng(7);
	for (size_t len : { size_t(1), size_t(3), size_t(64), size_t(4097), size_t(300000), size_t(3) << 20 }) {
		uint64_t addr = 0x100000 + (rng() % 4096);
		std::vector<uint8_t> out(len), back(len, 0);
		for (auto &b : out)
			b = uint8_t(rng());
		ASSERT_EQ(pwrite(h2c, out.data(), len, addr), ssize_t(len)) << "len " << len << ": " << strerror(errno);
		ASSERT_EQ(pread(c2h, back.data(), len, addr), ssize_t(len)) << "len " << len << ": " << strerror(errno);
		EXPECT_TRUE(out == back) << "round trip of " << len << " bytes at 0x" << std::hex << addr;
	}
	EXPECT_EQ(lseek(h2c, 0, SEEK_CUR), 0) << "pwrite moved the file offset";
	EXPECT_EQ(lseek(c2h, 0, SEEK_CUR), 0) << "pread moved the file offset";
	close(h2c);
	close(c2h);
}

TEST_F(Nodes, DmaOutsideBar4IsABadAddress)
{
	uint64_t bar4 = bar4_size(user);
	ASSERT_GT(bar4, 0u);
	int h2c = open_node("h2c_0", O_WRONLY), c2h = open_node("c2h_0", O_RDONLY);
	ASSERT_GE(h2c, 0);
	ASSERT_GE(c2h, 0);
	std::vector<uint8_t> buf(256, 0x11);
	errno = 0;
	EXPECT_EQ(pwrite(h2c, buf.data(), buf.size(), bar4 - 16), -1) << "spanning the end of BAR4";
	EXPECT_EQ(errno, EFAULT) << strerror(errno);
	errno = 0;
	EXPECT_EQ(pread(c2h, buf.data(), buf.size(), bar4 + 4096), -1) << "beyond BAR4";
	EXPECT_EQ(errno, EFAULT) << strerror(errno);
	// The last bytes of BAR4 are fine.
	EXPECT_EQ(pwrite(h2c, buf.data(), 16, bar4 - 16), 16) << strerror(errno);
	close(h2c);
	close(c2h);
}

TEST_F(Nodes, DmaNodesRefuseTheWrongDirection)
{
	if (geteuid() != 0)
		GTEST_SKIP() << "needs root to open the nodes against their mode bits";
	int h2c = open_node("h2c_0", O_RDWR), c2h = open_node("c2h_0", O_RDWR);
	ASSERT_GE(h2c, 0);
	ASSERT_GE(c2h, 0);
	uint8_t b[64] = {};
	errno = 0;
	EXPECT_EQ(pread(h2c, b, sizeof(b), 0), -1);
	EXPECT_EQ(errno, EINVAL) << strerror(errno);
	errno = 0;
	EXPECT_EQ(pwrite(c2h, b, sizeof(b), 0), -1);
	EXPECT_EQ(errno, EINVAL) << strerror(errno);
	close(h2c);
	close(c2h);
}

class Events : public Nodes {
protected:
	void SetUp() override
	{
		Nodes::SetUp();
		if (IsSkipped() || HasFatalFailure())
			return;
		ev = open_node("events_0", O_RDONLY);
		ASSERT_GE(ev, 0) << strerror(-ev);
		drain();
	}
	void TearDown() override
	{
		if (ev >= 0)
			close(ev);
		Nodes::TearDown();
	}
	// Clear a flag left by earlier tests on this mount.
	void drain()
	{
		pollfd p = { ev, POLLIN, 0 };
		if (poll(&p, 1, 0) == 1) {
			uint32_t v;
			ASSERT_EQ(read(ev, &v, 4), 4);
		}
	}
	int poll_ms(int ms)
	{
		pollfd p = { ev, POLLIN, 0 };
		int r = poll(&p, 1, ms);
		return r == 1 ? p.revents : r;
	}
	// A Request Slot on engine 0 raises user interrupt 0 when it completes;
	// the slot is given back (with its own interrupt) when release is set.
	void interrupt_once(unsigned id)
	{
		uint8_t req[HERMES_EHCMDREQ_LEN] = {};
		req[0] = HERMES_CMD_REQ_SLOT;
		req[2] = uint8_t(id);
		req[8] = HERMES_SLOT_DATA;
		ASSERT_EQ(cmd_start(user, 0, req), 0);
		Resp r = cmd_finish(user, 0);
		ASSERT_EQ(r.err, 0) << strerror(-r.err);
		ASSERT_EQ(r.status, HERMES_ST_SUCCESS);
		slots.push_back(r.b8);
	}
	void release_slots()
	{
		for (unsigned s : slots) {
			Resp r = slot_cmd(user, 0, HERMES_CMD_REL_SLOT, HERMES_SLOT_DATA, s, 77);
			EXPECT_EQ(r.err, 0);
			EXPECT_EQ(r.status, HERMES_ST_SUCCESS);
		}
		slots.clear();
	}
	int ev = -1;
	std::vector<unsigned> slots;
};

TEST_F(Events, ReadNeedsFourBytesAtAnAlignedOffset)
{
	uint8_t b[8];
	errno = 0;
	EXPECT_EQ(read(ev, b, 8), -1);
	EXPECT_EQ(errno, EPROTO) << strerror(errno);
	errno = 0;
	EXPECT_EQ(pread(ev, b, 4, 2), -1);
	EXPECT_EQ(errno, EPROTO) << strerror(errno);
	errno = 0;
	EXPECT_EQ(read(ev, b, 1), -1);
	EXPECT_EQ(errno, EPROTO) << strerror(errno);
}

TEST_F(Events, PollShowsTheInterruptAndReadClearsIt)
{
	EXPECT_EQ(poll_ms(100), 0) << "no interrupt yet";
	interrupt_once(1);
	EXPECT_EQ(poll_ms(2000) & POLLIN, POLLIN) << "completion raised user interrupt 0";
	uint32_t v = 0;
	ASSERT_EQ(read(ev, &v, 4), 4) << strerror(errno);
	EXPECT_EQ(v, 1u);
	EXPECT_EQ(poll_ms(50), 0) << "the read cleared it";
	// Another node did not see it.
	int ev1 = open_node("events_1", O_RDONLY);
	ASSERT_GE(ev1, 0);
	pollfd p = { ev1, POLLIN, 0 };
	EXPECT_EQ(poll(&p, 1, 50), 0) << "events_1 woke for engine 0";
	close(ev1);
	release_slots();
	drain();
}

TEST_F(Events, InterruptsBetweenReadsMerge)
{
	interrupt_once(2);
	interrupt_once(3);
	interrupt_once(4);
	uint32_t v = 0;
	ASSERT_EQ(read(ev, &v, 4), 4);
	EXPECT_EQ(v, 1u);
	EXPECT_EQ(poll_ms(50), 0) << "three completions must read as one";
	release_slots();
	drain();
}

TEST_F(Events, ReadBlocksUntilTheInterrupt)
{
	std::atomic<int> got{ -2 };
	std::atomic<double> when{ 0 };
	std::thread reader([&] {
		uint32_t v = 0;
		ssize_t n = read(ev, &v, 4);
		when = now_s();
		got = n == 4 ? int(v) : -errno;
	});
	usleep(300000);
	EXPECT_EQ(got.load(), -2) << "read returned before any interrupt";
	double t0 = now_s();
	interrupt_once(5);
	reader.join();
	EXPECT_EQ(got.load(), 1);
	EXPECT_GE(when.load(), t0) << "read returned before the command was started";
	release_slots();
	drain();
}

void on_usr1(int) {}

TEST_F(Events, ASignalEndsAWaitingReadWithEagain)
{
	struct sigaction sa = {}, old;
	sa.sa_handler = on_usr1; // no SA_RESTART
	ASSERT_EQ(sigaction(SIGUSR1, &sa, &old), 0);
	std::atomic<int> err{ 0 };
	std::atomic<bool> started{ false };
	pthread_t self_id;
	std::thread reader([&] {
		uint32_t v;
		started = true;
		ssize_t n = read(ev, &v, 4);
		err = n < 0 ? errno : -1;
	});
	self_id = reader.native_handle();
	while (!started)
		usleep(1000);
	usleep(200000);
	pthread_kill(self_id, SIGUSR1);
	reader.join();
	EXPECT_EQ(err.load(), EAGAIN) << "read after a signal: " << strerror(err.load());
	sigaction(SIGUSR1, &old, nullptr);
	// Nothing is left waiting: a later interrupt is seen by the next read.
	interrupt_once(6);
	uint32_t v = 0;
	EXPECT_EQ(poll_ms(2000) & POLLIN, POLLIN);
	EXPECT_EQ(read(ev, &v, 4), 4);
	release_slots();
	drain();
}

} // namespace
