// SPDX-License-Identifier: MIT
// hermes_queue basics on $HERMES_DEVICE (default sim): one job, results and
// faults in completions, argument checks, a full queue (-EAGAIN, whole
// chains), ordered completions, per-job program globals, timeouts, and
// that a destroyed queue gives every slot back.
#include "test_queue_helpers.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <map>
#include <ctime>

extern "C" {
#include "cmd.h" // no C++ guards of its own
}

using namespace qtest;

namespace {

class Queue : public QueueTest {};

TEST_F(Queue, OneJobTransformsItsInput)
{
	Prog p = assemble(xor_sum_text(0x5a));
	uint32_t seed = 1;
	std::vector<uint8_t> in = random_bytes(300, seed), out(300, 0xee);
	hermes_queue *q = make_queue(4);
	ASSERT_NE(q, nullptr);

	hermes_job j{};
	j.prog = p.get();
	j.in = in.data();
	j.in_len = in.size();
	j.out = out.data();
	j.out_len = out.size();
	j.user_data = 0xabcdef;
	ASSERT_EQ(hermes_queue_submit(q, &j, 1), 1) << hermes_queue_errmsg(q);
	EXPECT_EQ(hermes_queue_pending(q), 1u);
	auto c = drain(q, 1);
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0].user_data, 0xabcdefu);
	EXPECT_EQ(c[0].res, 0) << hermes_queue_errmsg(q);
	EXPECT_EQ(c[0].status, HERMES_ST_SUCCESS);
	EXPECT_EQ(c[0].r0, byte_sum(in));
	EXPECT_GE(c[0].engine, 0);
	EXPECT_LT(c[0].engine, info.engines);
	EXPECT_GT(c[0].insns, 300u * 8);
	EXPECT_GE(c[0].cycles, c[0].insns);
	for (size_t i = 0; i < in.size(); i++)
		ASSERT_EQ(out[i], in[i] ^ 0x5a) << "byte " << i;
	EXPECT_EQ(hermes_queue_pending(q), 0u);
	hermes_queue_destroy(q);
}

TEST_F(Queue, FaultsAreReportedInTheCompletion)
{
	Prog load = assemble(fault_load_text()), loop = assemble(forever_text());
	hermes_queue *q = make_queue(8);
	ASSERT_NE(q, nullptr);
	hermes_job j[2]{};
	j[0].prog = load.get();
	j[0].user_data = 1;
	j[1].prog = loop.get();
	j[1].max_insns = 1000;
	j[1].user_data = 2;
	ASSERT_EQ(hermes_queue_submit(q, j, 2), 2) << hermes_queue_errmsg(q);
	auto c = drain(q, 2);
	ASSERT_EQ(c.size(), 2u);
	std::sort(c.begin(), c.end(), [](auto &a, auto &b) { return a.user_data < b.user_data; });
	EXPECT_EQ(c[0].res, 0);
	EXPECT_EQ(c[0].status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(c[0].cause, (unsigned)HERMES_FAULT_LOAD);
	EXPECT_EQ(c[0].pc, 2u);
	EXPECT_EQ(c[0].addr, 0x50000000u);
	EXPECT_EQ(c[1].res, 0);
	EXPECT_EQ(c[1].status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(c[1].cause, (unsigned)HERMES_FAULT_BUDGET);
	EXPECT_EQ(c[1].insns, 1000u);
	hermes_queue_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_queue_get_stats(q, &st), 0);
	EXPECT_EQ(st.submitted, 2u);
	EXPECT_EQ(st.completed, 2u);
	EXPECT_EQ(st.failed, 2u);
	hermes_queue_destroy(q);
}

TEST_F(Queue, BadJobsAreRefusedWhole)
{
	Prog p = assemble(spin_text(3));
	hermes_queue *q = make_queue(4);
	ASSERT_NE(q, nullptr);
	std::vector<uint8_t> big(info.data_slot_size + 1);
	hermes_job j[2]{};
	j[0].prog = p.get();
	j[1].prog = nullptr;
	EXPECT_EQ(hermes_queue_submit(q, j, 2), -EINVAL) << "a job without a program";
	j[1].prog = p.get();
	j[1].in_len = 8;
	EXPECT_EQ(hermes_queue_submit(q, j, 2), -EINVAL) << "a length without a buffer";
	j[1].in = big.data();
	j[1].in_len = big.size();
	EXPECT_EQ(hermes_queue_submit(q, j, 2), -E2BIG) << "input larger than a data slot";
	j[1].in_len = 0;
	j[1].flags = HERMES_JOB_LINK;
	EXPECT_EQ(hermes_queue_submit(q, j, 2), -EINVAL) << "a link out of the batch";
	j[1].flags = HERMES_JOB_SLOT;
	j[1].slot = 3;
	EXPECT_EQ(hermes_queue_submit(q, j, 2), -EINVAL) << "a data slot the queue does not own";
	j[1].flags = 0x80;
	EXPECT_EQ(hermes_queue_submit(q, j, 2), -EINVAL) << "unknown flags";
	j[1].flags = 0;
	j[1].max_insns = 1ull << 32;
	EXPECT_EQ(hermes_queue_submit(q, j, 2), -EINVAL) << "budget beyond 32 bits";
	EXPECT_EQ(hermes_queue_pending(q), 0u) << "nothing was accepted";
	hermes_queue_destroy(q);

	hermes_queue_opts o{};
	o.sz = sizeof(o);
	o.engine_mask = 1u << info.engines;
	EXPECT_EQ(hermes_queue_create(dev, &o, &q), -EINVAL) << "an engine the card does not have";
	o.engine_mask = 0;
	o.flags = 0x100;
	EXPECT_EQ(hermes_queue_create(dev, &o, &q), -EINVAL) << "unknown queue flags";
}

TEST_F(Queue, TwoQueuesShareNoEngine)
{
	hermes_queue *a = make_queue(4, 0, 1), *b = nullptr;
	ASSERT_NE(a, nullptr);
	hermes_queue_opts o{};
	o.sz = sizeof(o);
	EXPECT_EQ(hermes_queue_create(dev, &o, &b), -EBUSY) << "all engines, engine 0 included";
	if (info.engines > 1) {
		o.engine_mask = 2;
		ASSERT_EQ(hermes_queue_create(dev, &o, &b), 0) << hermes_dev_errmsg(dev);
		Prog p = assemble(spin_text(100));
		hermes_job j{};
		j.prog = p.get();
		ASSERT_EQ(hermes_queue_submit(a, &j, 1), 1);
		ASSERT_EQ(hermes_queue_submit(b, &j, 1), 1);
		ASSERT_EQ(hermes_queue_wait(a, 1, 30000), 1) << hermes_queue_errmsg(a);
		ASSERT_EQ(hermes_queue_wait(b, 1, 30000), 1) << hermes_queue_errmsg(b);
		hermes_completion ca, cb;
		ASSERT_EQ(hermes_queue_reap(a, &ca, 1), 1);
		ASSERT_EQ(hermes_queue_reap(b, &cb, 1), 1);
		EXPECT_EQ(ca.engine, 0);
		EXPECT_EQ(cb.engine, 1);
		EXPECT_EQ(ca.r0, 5050u);
		EXPECT_EQ(cb.r0, 5050u);
		hermes_queue_destroy(b);
	}
	hermes_queue_destroy(a);
	o.engine_mask = 0;
	ASSERT_EQ(hermes_queue_create(dev, &o, &b), 0) << "engines are free again";
	hermes_queue_destroy(b);
}

// hermes_run on a device that also has a queue must leave the queue's
// engines alone, also between jobs when one looks idle with its result
// not yet collected.
TEST_F(Queue, RunsOutsideTheQueueAvoidItsEngines)
{
	if (info.engines < 2)
		GTEST_SKIP() << "needs two engines";
	// The window looked at is the register path's (DONE set, not collected);
	// on the hardware queue the dispatcher holds the engine until it is done.
	hermes_queue *q = make_queue(4, HERMES_QUEUE_REGISTER_PATH, 1);
	ASSERT_NE(q, nullptr);
	// The queue's job must outlast hermes_queue_submit, which collects a run
	// that ends while it is still looking (through xdma-fuse every register
	// access clocks the card): ~15,000 clocks against a few hundred.
	Prog queued = assemble(spin_text(5000));
	Prog other = assemble(spin_text(10));
	hermes_job j{};
	j.prog = queued.get();
	ASSERT_EQ(hermes_queue_submit(q, &j, 1), 1) << hermes_queue_errmsg(q);
	// Let the job end on the card without the queue collecting it: engine 0
	// now looks idle (EXEC clear, DONE set).
	uint32_t ctrl = 0;
	auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
	while (!(ctrl & (1u << HERMES_CTRL_DONE_SHIFT)) && std::chrono::steady_clock::now() < give_up)
		ASSERT_EQ(hermes_dev_read32(dev, HERMES_EHCMDCTRL(0), &ctrl), 0) << hermes_dev_errmsg(dev);
	ASSERT_TRUE(ctrl & (1u << HERMES_CTRL_DONE_SHIFT))
		<< "the queue's job did not end on the card within 60 s (EHCMDCTRL 0x" << std::hex << ctrl << ")";

	hermes_run_result res{};
	ASSERT_EQ(hermes_run(dev, other.get(), nullptr, 0, nullptr, 0, nullptr, &res), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(res.status, HERMES_ST_SUCCESS);
	EXPECT_EQ(res.r0, 55u);
	EXPECT_NE(res.engine, 0) << "engine 0 belongs to the queue";

	std::vector<hermes_completion> c = drain(q, 1);
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0].res, 0) << hermes_queue_errmsg(q);
	EXPECT_EQ(c[0].status, HERMES_ST_SUCCESS);
	EXPECT_EQ(c[0].r0, 5000u * 5001u / 2) << "the queue's result survived the run beside it";
	EXPECT_EQ(c[0].engine, 0);
	hermes_queue_destroy(q);
}

TEST_F(Queue, RefDeviceHasNoQueues)
{
	hermes_dev *ref = nullptr;
	hermes_queue *q = nullptr;
	ASSERT_EQ(hermes_dev_open("ref", &ref), 0);
	EXPECT_EQ(hermes_queue_create(ref, nullptr, &q), -ENOTSUP);
	hermes_dev_close(ref);
}

TEST_F(Queue, FullQueueAnswersEagainAndTakesWholeChains)
{
	Prog p = assemble(spin_text(2000));
	hermes_queue *q = make_queue(5);
	ASSERT_NE(q, nullptr);
	std::vector<hermes_job> j(8);
	for (unsigned i = 0; i < j.size(); i++) {
		j[i].prog = p.get();
		j[i].user_data = i;
	}
	// 3 single jobs, then a chain of 3: only the singles fit with depth 5 - 0... 3 + 3 > 5.
	j[3].flags = HERMES_JOB_LINK;
	j[4].flags = HERMES_JOB_LINK;
	EXPECT_EQ(hermes_queue_submit(q, j.data(), 6), 3) << "the chain of 3 does not fit behind 3 jobs";
	EXPECT_EQ(hermes_queue_submit(q, j.data() + 3, 3), -EAGAIN) << hermes_queue_errmsg(q);
	EXPECT_EQ(hermes_queue_submit(q, j.data() + 6, 1), 1);
	EXPECT_EQ(hermes_queue_submit(q, j.data() + 7, 1), 1);
	EXPECT_EQ(hermes_queue_submit(q, j.data() + 7, 1), -EAGAIN) << "5 of 5 in the queue";
	EXPECT_EQ(hermes_queue_pending(q), 5u);
	// Completed but not reaped jobs still count.
	ASSERT_EQ(hermes_queue_wait(q, 5, 60000), 5) << hermes_queue_errmsg(q);
	EXPECT_EQ(hermes_queue_submit(q, j.data() + 7, 1), -EAGAIN);
	hermes_completion c[2];
	ASSERT_EQ(hermes_queue_reap(q, c, 2), 2);
	EXPECT_EQ(hermes_queue_submit(q, j.data() + 3, 3), -EAGAIN) << "a chain of 3 with 2 free";
	ASSERT_EQ(hermes_queue_reap(q, c, 1), 1);
	EXPECT_EQ(hermes_queue_submit(q, j.data() + 3, 3), 3) << hermes_queue_errmsg(q);
	auto rest = drain(q, 5);
	EXPECT_EQ(rest.size(), 5u);
	for (auto &x : rest)
		EXPECT_EQ(x.r0, 2000u * 2001 / 2) << "job " << x.user_data;
	// A chain longer than the queue can never fit.
	for (auto &x : j)
		x.flags = HERMES_JOB_LINK;
	j[5].flags = 0;
	EXPECT_EQ(hermes_queue_submit(q, j.data(), 6), -EINVAL);
	hermes_queue_destroy(q);
}

// Jobs of very different lengths: unordered completions come back as they
// finish, ordered ones in submission order.
static std::vector<uint64_t> order_of(QueueTest *t, hermes_queue *q, const std::vector<Prog> &progs, unsigned n)
{
	std::vector<hermes_job> j(n);
	for (unsigned i = 0; i < n; i++) {
		j[i].prog = progs[i % progs.size()].get();
		j[i].user_data = i;
	}
	unsigned sent = 0;
	std::vector<uint64_t> got;
	std::vector<hermes_completion> c(n);
	while (got.size() < n) {
		if (sent < n) {
			int r = hermes_queue_submit(q, j.data() + sent, n - sent);
			if (r > 0)
				sent += (unsigned)r;
			else
				EXPECT_EQ(r, -EAGAIN) << hermes_queue_errmsg(q);
		}
		int w = hermes_queue_wait(q, 1, 60000);
		EXPECT_GE(w, 1) << hermes_queue_errmsg(q);
		if (w < 1)
			break;
		int r = hermes_queue_reap(q, c.data(), n);
		for (int i = 0; i < r; i++) {
			EXPECT_EQ(c[i].res, 0);
			got.push_back(c[i].user_data);
		}
	}
	(void)t;
	return got;
}

TEST_F(Queue, OrderedModeKeepsSubmissionOrder)
{
	if (info.engines < 2)
		GTEST_SKIP() << "needs two engines to reorder anything";
	std::vector<Prog> progs;
	progs.push_back(assemble(spin_text(3000)));
	progs.push_back(assemble(spin_text(10)));
	progs.push_back(assemble(spin_text(200)));
	hermes_queue *q = make_queue(16);
	ASSERT_NE(q, nullptr);
	auto unordered = order_of(this, q, progs, 48);
	hermes_queue_destroy(q);
	ASSERT_EQ(unordered.size(), 48u);
	EXPECT_FALSE(std::is_sorted(unordered.begin(), unordered.end()))
		<< "unordered mode returned submission order: the test cannot tell the modes apart";

	q = make_queue(16, HERMES_QUEUE_ORDERED);
	ASSERT_NE(q, nullptr);
	auto ordered = order_of(this, q, progs, 48);
	hermes_queue_destroy(q);
	ASSERT_EQ(ordered.size(), 48u);
	for (unsigned i = 0; i < ordered.size(); i++)
		ASSERT_EQ(ordered[i], i) << "completion " << i << " in ordered mode";
}

TEST_F(Queue, ProgramsWithGlobalsGetTheirOwnSlot)
{
	// Reads the 8-byte global after the code, stores r1 over it, returns what it read.
	// Code is 4 slots: lddw (2), ldxdw, stxdw, exit -> 5 slots = 40 bytes.
	uint64_t g = 0x1122334455667788ull;
	std::vector<uint8_t> glob(8);
	memcpy(glob.data(), &g, 8);
	Prog p = assemble("lddw %r3, 0x10000028\n"
			  "ldxdw %r0, [%r3]\n"
			  "stxdw [%r3], %r1\n"
			  "exit\n",
			  glob);
	ASSERT_EQ(hermes_prog_code_len(p.get()), 40u);
	hermes_queue *q = make_queue(32);
	ASSERT_NE(q, nullptr);
	std::vector<hermes_job> j(24);
	for (unsigned i = 0; i < j.size(); i++) {
		j[i].prog = p.get();
		j[i].user_data = i;
	}
	ASSERT_EQ(hermes_queue_submit(q, j.data(), (unsigned)j.size()), (int)j.size()) << hermes_queue_errmsg(q);
	auto c = drain(q, (unsigned)j.size());
	ASSERT_EQ(c.size(), j.size());
	for (auto &x : c) {
		EXPECT_EQ(x.status, HERMES_ST_SUCCESS) << "job " << x.user_data;
		EXPECT_EQ(x.r0, g) << "job " << x.user_data << " saw another run's global";
	}
	hermes_queue_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_queue_get_stats(q, &st), 0);
	EXPECT_EQ(st.prog_uploads, j.size()) << "one upload per job for a program with globals";
	EXPECT_EQ(st.prog_cache_hits, 0u);
	hermes_queue_destroy(q);
}

TEST_F(Queue, ProgramSlotsAreCached)
{
	std::vector<Prog> progs;
	for (unsigned k = 0; k < 3; k++)
		progs.push_back(assemble(spin_text(50 + k)));
	hermes_queue *q = make_queue(64);
	ASSERT_NE(q, nullptr);
	std::vector<hermes_job> j(60);
	for (unsigned i = 0; i < j.size(); i++) {
		j[i].prog = progs[i % 3].get();
		j[i].user_data = i % 3;
	}
	ASSERT_EQ(hermes_queue_submit(q, j.data(), (unsigned)j.size()), (int)j.size());
	auto c = drain(q, (unsigned)j.size());
	ASSERT_EQ(c.size(), j.size());
	for (auto &x : c) {
		uint64_t n = 50 + x.user_data;
		EXPECT_EQ(x.r0, n * (n + 1) / 2);
	}
	hermes_queue_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_queue_get_stats(q, &st), 0);
	EXPECT_EQ(st.prog_uploads, 3u) << "three programs, each uploaded once";
	EXPECT_EQ(st.prog_cache_hits, j.size() - 3);
	uint64_t runs = 0;
	for (unsigned e = 0; e < HERMES_QUEUE_MAX_ENGINES; e++)
		runs += st.eng_jobs[e];
	EXPECT_EQ(runs, j.size());
	hermes_queue_destroy(q);
}

TEST_F(Queue, OverdueJobsAreAborted)
{
	Prog loop = assemble(forever_text()), quick = assemble(spin_text(10));
	// Timeouts count card time on "sim": 3 ms there is 750,000 clocks.
	hermes_queue *q = make_queue(4, 0, 0, strcmp(hermes_dev_kind(dev), "sim") ? 300 : 3);
	ASSERT_NE(q, nullptr);
	hermes_job j[2]{};
	j[0].prog = loop.get();
	j[0].max_insns = 0xffffffffu;
	j[0].user_data = 1;
	j[1].prog = quick.get();
	j[1].user_data = 2;
	ASSERT_EQ(hermes_queue_submit(q, j, 2), 2);
	auto c = drain(q, 2, 30000);
	ASSERT_EQ(c.size(), 2u);
	std::sort(c.begin(), c.end(), [](auto &a, auto &b) { return a.user_data < b.user_data; });
	EXPECT_EQ(c[0].res, -ETIMEDOUT);
	EXPECT_EQ(c[0].status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(c[0].cause, (unsigned)HERMES_FAULT_ABORTED);
	EXPECT_EQ(c[1].res, 0);
	EXPECT_EQ(c[1].r0, 55u);
	hermes_queue_destroy(q);
}

TEST_F(Queue, WaitTimesOut)
{
	Prog loop = assemble(forever_text());
	hermes_queue *q = make_queue(4);
	ASSERT_NE(q, nullptr);
	hermes_job j{};
	j.prog = loop.get();
	j.max_insns = 0xffffffffu;
	ASSERT_EQ(hermes_queue_submit(q, &j, 1), 1);
	EXPECT_EQ(hermes_queue_wait(q, 1, strcmp(hermes_dev_kind(dev), "sim") ? 100 : 2), -ETIMEDOUT);
	EXPECT_EQ(hermes_queue_wait(q, 0, 100), 0) << "nothing wanted, nothing ready";
	hermes_completion c;
	EXPECT_EQ(hermes_queue_reap(q, &c, 1), 0);
	// Destroying it aborts the run and gives everything back (checked below).
	hermes_queue_destroy(q);
}

// After queues come and go (jobs in flight included), every slot is free again.
TEST_F(Queue, DestroyGivesEverySlotBack)
{
	// Counts the card's free slots: assumes the card to itself (sim, or an xdma-fuse mount of the test's own).
	Prog loop = assemble(forever_text()), p = assemble(xor_sum_text(1));
	std::vector<uint8_t> in(64, 7), out(64);
	for (int round = 0; round < 2; round++) {
		hermes_queue *q = make_queue(32);
		ASSERT_NE(q, nullptr);
		uint32_t slot;
		ASSERT_EQ(hermes_queue_slot_create(q, in.data(), in.size(), &slot), 0) << hermes_queue_errmsg(q);
		std::vector<hermes_job> j(12);
		for (unsigned i = 0; i < j.size(); i++) {
			j[i].prog = i % 3 ? p.get() : loop.get();
			j[i].max_insns = 0xffffffffu;
			j[i].in = in.data();
			j[i].in_len = in.size();
			j[i].out = out.data();
			j[i].out_len = out.size();
		}
		ASSERT_EQ(hermes_queue_submit(q, j.data(), (unsigned)j.size()), 12);
		// Bus time: 4 ms is a million card clocks on sim, enough for the short
		// jobs where an engine is free; with one or two engines the endless
		// job holds them and the wait runs out, as a destroy mid-run wants.
		hermes_queue_wait(q, 3, 4);
		hermes_queue_destroy(q);
	}
	// Every program and data slot can be allocated again.
	for (unsigned type : { HERMES_SLOT_PROG, HERMES_SLOT_DATA }) {
		unsigned n = type == HERMES_SLOT_PROG ? info.prog_slots : info.data_slots;
		std::vector<unsigned> got;
		for (unsigned i = 0; i < n; i++) {
			unsigned s;
			int st = hermes__slot_alloc(dev, 0, type, &s);
			EXPECT_EQ(st, 0) << (type ? "data" : "program") << " slot " << i << " of " << n
					 << " is still held";
			if (st == 0)
				got.push_back(s);
		}
		for (unsigned s : got)
			EXPECT_EQ(hermes__slot_release(dev, 0, type, s), 0);
	}
	uint32_t ctrl;
	for (unsigned e = 0; e < info.engines; e++) {
		ASSERT_EQ(hermes_dev_read32(dev, HERMES_EHCMDCTRL(e), &ctrl), 0);
		EXPECT_EQ(ctrl & 0x0101u, 0u) << "engine " << e << " left busy or unacknowledged";
	}
}

// With one engine, uploads of the next jobs' inputs run while the current
// job executes: the engine stays busy although each upload takes about as
// long as a run.
TEST_F(Queue, UploadsOverlapExecution)
{
	if (strcmp(hermes_dev_kind(dev), "sim"))
		GTEST_SKIP() << "measures in card clocks: needs the in-process simulator";
	// The queue's overlap is measured on the free bus: under the PCIe cost
	// model a 512 KiB upload at 12 GB/s (10,923 clocks) is about as long as
	// the job, so the engine waits for the link, not for the queue
	// (docs/BENCHMARKS.md "PCIe cost model").
	hermes_dev_close(dev);
	ASSERT_EQ(hermes_dev_open("sim:cost=zero", &dev), 0) << hermes_dev_errmsg(nullptr);
	hermes_queue *q = make_queue(32);
	ASSERT_NE(q, nullptr);
	// First use of a slot after a pin reset of a written card scrubs it
	// whole: make sure of clean slots before measuring.
	std::vector<uint32_t> slots;
	uint32_t s;
	while (hermes_queue_slot_create(q, nullptr, 0, &s) == 0)
		slots.push_back(s);
	for (uint32_t x : slots)
		ASSERT_EQ(hermes_queue_slot_destroy(q, x), 0);
	hermes_queue_destroy(q);

	q = make_queue(16, 0, 1);
	ASSERT_NE(q, nullptr);
	// ~16.5k instructions, ignores its input: with the loop's jne predicted
	// taken (one clock an instruction) a run lasts about as long as an
	// upload of 512 KiB (about 16k card clocks here)
	Prog p = assemble(spin_text(5500));
	std::vector<uint8_t> in(512 * 1024, 0x5a);
	const unsigned n = 12;
	std::vector<hermes_job> j(n);
	for (unsigned i = 0; i < n; i++) {
		j[i].prog = p.get();
		j[i].in = in.data();
		j[i].in_len = in.size();
		j[i].user_data = i;
	}
	ASSERT_EQ(hermes_queue_submit(q, j.data(), n), (int)n);
	auto c = drain(q, n);
	ASSERT_EQ(c.size(), n);
	hermes_queue_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_queue_get_stats(q, &st), 0);
	uint64_t run = 0;
	for (auto &x : c)
		run += x.cycles;
	double util = (double)st.eng_cycles[0] / (double)st.clocks;
	printf("%u jobs: %llu engine clocks of %llu card clocks (%.1f%%), %llu bytes uploaded\n", n,
	       (unsigned long long)run, (unsigned long long)st.clocks, 100 * util,
	       (unsigned long long)st.bytes_to_card);
	EXPECT_GT(util, 0.8) << "the engine waited for uploads";
	hermes_queue_destroy(q);
}

// On xdma devices a wait sleeps in poll() on the events nodes.
TEST_F(Queue, WaitingSleepsOnXdma)
{
	if (strcmp(hermes_dev_kind(dev), "xdma"))
		GTEST_SKIP() << "on sim, waiting is running the model";
	hermes_queue *q = make_queue(4);
	ASSERT_NE(q, nullptr);
	Prog p = assemble(spin_text(150000)); // 450k instructions: seconds of simulation
	hermes_job j{};
	j.prog = p.get();
	ASSERT_EQ(hermes_queue_submit(q, &j, 1), 1);
	struct timespec w0, w1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &w0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	ASSERT_EQ(hermes_queue_wait(q, 1, 120000), 1) << hermes_queue_errmsg(q);
	clock_gettime(CLOCK_MONOTONIC, &w1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	double wall = (w1.tv_sec - w0.tv_sec) + (w1.tv_nsec - w0.tv_nsec) * 1e-9;
	double cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) * 1e-9;
	printf("waited %.3f s using %.3f s of CPU\n", wall, cpu);
	EXPECT_GT(wall, 0.2) << "the job was too short to tell";
	EXPECT_LT(cpu, 0.1 * wall) << "the wait polled instead of sleeping";
	hermes_completion c;
	ASSERT_EQ(hermes_queue_reap(q, &c, 1), 1);
	EXPECT_EQ(c.r0, 150000ull * 150001 / 2);
	hermes_queue_destroy(q);
}

} // namespace
