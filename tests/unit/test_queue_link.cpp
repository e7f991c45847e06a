// SPDX-License-Identifier: MIT
// Linked jobs (HERMES_JOB_LINK) and queue data slots (HERMES_JOB_SLOT):
// output of one program feeds the next on the same data slot, a chain stops
// at its first failure (the rest complete with -ECANCELED), and all
// engines doing atomic adds on one counter in a shared slot end with the
// exact total.
#include "test_queue_helpers.h"

#include <algorithm>
#include <cerrno>
#include <map>

using namespace qtest;

namespace {

class QueueLink : public QueueTest {};

std::vector<uint8_t> xored(std::vector<uint8_t> v, unsigned k)
{
	for (auto &b : v)
		b ^= (uint8_t)k;
	return v;
}

std::vector<uint8_t> added(std::vector<uint8_t> v, unsigned a)
{
	for (auto &b : v)
		b = (uint8_t)(b + a);
	return v;
}

TEST_F(QueueLink, OutputFeedsTheNextProgram)
{
	Prog x1 = assemble(xor_sum_text(0x33)), a7 = assemble(add_bytes_text(7)), x2 = assemble(xor_sum_text(0x0f));
	uint32_t seed = 9;
	std::vector<uint8_t> in = random_bytes(777, seed), mid(777), last(777);
	hermes_queue *q = make_queue(8);
	ASSERT_NE(q, nullptr);
	hermes_job j[3]{};
	j[0].prog = x1.get();
	j[0].in = in.data();
	j[0].in_len = in.size();
	j[0].flags = HERMES_JOB_LINK;
	j[0].user_data = 0;
	j[1].prog = a7.get(); // no input: runs on what job 0 left, with job 0's r2
	j[1].out = mid.data();
	j[1].out_len = mid.size();
	j[1].flags = HERMES_JOB_LINK;
	j[1].user_data = 1;
	j[2].prog = x2.get();
	j[2].out = last.data();
	j[2].out_len = last.size();
	j[2].user_data = 2;
	ASSERT_EQ(hermes_queue_submit(q, j, 3), 3) << hermes_queue_errmsg(q);
	auto c = drain(q, 3);
	ASSERT_EQ(c.size(), 3u);
	std::sort(c.begin(), c.end(), [](auto &a, auto &b) { return a.user_data < b.user_data; });
	for (auto &x : c) {
		EXPECT_EQ(x.res, 0) << "job " << x.user_data;
		EXPECT_EQ(x.status, HERMES_ST_SUCCESS) << "job " << x.user_data;
	}
	auto s1 = xored(in, 0x33), s2 = added(s1, 7), s3 = xored(s2, 0x0f);
	EXPECT_EQ(c[0].r0, byte_sum(in));
	EXPECT_EQ(c[1].r0, in.size()) << "r2 of a linked job without input is its predecessor's";
	EXPECT_EQ(c[2].r0, byte_sum(s2));
	EXPECT_EQ(mid, s2) << "output of the second job";
	EXPECT_EQ(last, s3) << "output of the third job";
	hermes_queue_destroy(q);
}

TEST_F(QueueLink, ALinkedJobWithInputOverwritesThePrefix)
{
	Prog a1 = assemble(add_bytes_text(1)), x = assemble(xor_sum_text(0));
	std::vector<uint8_t> in(100, 10), patch(10, 50), out(100);
	hermes_queue *q = make_queue(8);
	ASSERT_NE(q, nullptr);
	hermes_job j[2]{};
	j[0].prog = a1.get();
	j[0].in = in.data();
	j[0].in_len = in.size();
	j[0].flags = HERMES_JOB_LINK;
	j[1].prog = x.get();
	j[1].in = patch.data();
	j[1].in_len = patch.size();
	j[1].data_len = 100;
	j[1].out = out.data();
	j[1].out_len = out.size();
	j[1].user_data = 1;
	ASSERT_EQ(hermes_queue_submit(q, j, 2), 2);
	auto c = drain(q, 2);
	ASSERT_EQ(c.size(), 2u);
	std::vector<uint8_t> want(100, 11);
	std::fill(want.begin(), want.begin() + 10, 50);
	EXPECT_EQ(out, want);
	for (auto &r : c)
		if (r.user_data == 1)
			EXPECT_EQ(r.r0, byte_sum(want));
	hermes_queue_destroy(q);
}

TEST_F(QueueLink, AChainStopsAtItsFirstFailure)
{
	Prog ok = assemble(add_bytes_text(1)), bad = assemble(fault_load_text());
	std::vector<uint8_t> in(16, 1), out(16, 0xee);
	hermes_queue *q = make_queue(16, HERMES_QUEUE_ORDERED);
	ASSERT_NE(q, nullptr);
	// Chain A: ok -> fault -> ok -> ok; chain B (independent) runs normally.
	hermes_job j[6]{};
	for (unsigned i = 0; i < 6; i++) {
		j[i].prog = ok.get();
		j[i].user_data = i;
		j[i].in = in.data();
		j[i].in_len = in.size();
	}
	j[1].prog = bad.get();
	j[0].flags = j[1].flags = j[2].flags = HERMES_JOB_LINK;
	j[3].out = out.data();
	j[3].out_len = out.size();
	j[4].flags = HERMES_JOB_LINK;
	ASSERT_EQ(hermes_queue_submit(q, j, 6), 6) << hermes_queue_errmsg(q);
	auto c = drain(q, 6);
	ASSERT_EQ(c.size(), 6u);
	for (unsigned i = 0; i < 6; i++)
		ASSERT_EQ(c[i].user_data, i) << "ordered queue";
	EXPECT_EQ(c[0].res, 0);
	EXPECT_EQ(c[0].status, HERMES_ST_SUCCESS);
	EXPECT_EQ(c[1].res, 0);
	EXPECT_EQ(c[1].status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(c[1].cause, (unsigned)HERMES_FAULT_LOAD);
	for (unsigned i : { 2u, 3u }) {
		EXPECT_EQ(c[i].res, -ECANCELED) << "job " << i << " after the failure";
		EXPECT_EQ(c[i].engine, -1) << "job " << i << " never ran";
		EXPECT_EQ(c[i].insns, 0u);
	}
	EXPECT_EQ(out, std::vector<uint8_t>(16, 0xee)) << "a canceled job writes no output";
	EXPECT_EQ(c[4].res, 0);
	EXPECT_EQ(c[5].res, 0);
	EXPECT_EQ(c[5].status, HERMES_ST_SUCCESS);
	hermes_queue_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_queue_get_stats(q, &st), 0);
	EXPECT_EQ(st.failed, 3u) << "the fault and the two canceled jobs";
	hermes_queue_destroy(q);
}

TEST_F(QueueLink, ABudgetFaultAlsoStopsTheChain)
{
	Prog spin = assemble(spin_text(1000)), ok = assemble(spin_text(1));
	hermes_queue *q = make_queue(4);
	ASSERT_NE(q, nullptr);
	hermes_job j[2]{};
	j[0].prog = spin.get();
	j[0].max_insns = 100;
	j[0].flags = HERMES_JOB_LINK;
	j[1].prog = ok.get();
	j[1].user_data = 1;
	ASSERT_EQ(hermes_queue_submit(q, j, 2), 2);
	auto c = drain(q, 2);
	ASSERT_EQ(c.size(), 2u);
	for (auto &x : c) {
		if (x.user_data == 0) {
			EXPECT_EQ(x.cause, (unsigned)HERMES_FAULT_BUDGET);
		} else {
			EXPECT_EQ(x.res, -ECANCELED);
		}
	}
	hermes_queue_destroy(q);
}

TEST_F(QueueLink, AllEnginesAddAtomicallyToOneCounter)
{
	// Each job must outlast the host's dispatch of the next ones (a dozen
	// BAR accesses, a microsecond per read under the PCIe cost model, more
	// through xdma-fuse) or a free engine is reused and others sit idle.
	const unsigned adds = 4000, jobs = 16 * info.engines;
	Prog p = assemble(atomic_add_text(adds));
	hermes_queue *q = make_queue(jobs);
	ASSERT_NE(q, nullptr);
	uint64_t init[2] = { 1000, 0x5555 };
	uint32_t slot;
	ASSERT_EQ(hermes_queue_slot_create(q, init, sizeof(init), &slot), 0) << hermes_queue_errmsg(q);
	std::vector<hermes_job> j(jobs);
	for (unsigned i = 0; i < jobs; i++) {
		j[i].prog = p.get();
		j[i].flags = HERMES_JOB_SLOT;
		j[i].slot = slot;
		j[i].data_len = 16;
		j[i].user_data = i;
	}
	ASSERT_EQ(hermes_queue_submit(q, j.data(), jobs), (int)jobs) << hermes_queue_errmsg(q);
	EXPECT_EQ(hermes_queue_slot_destroy(q, slot), -EBUSY) << "jobs still name the slot";
	auto c = drain(q, jobs);
	ASSERT_EQ(c.size(), jobs);
	std::map<int, unsigned> per_engine;
	for (auto &x : c) {
		EXPECT_EQ(x.status, HERMES_ST_SUCCESS) << "job " << x.user_data;
		per_engine[x.engine]++;
	}
	EXPECT_EQ(per_engine.size(), info.engines) << "every engine took part";
	uint64_t got[2];
	ASSERT_EQ(hermes_queue_slot_read(q, slot, 0, got, sizeof(got)), 0) << hermes_queue_errmsg(q);
	EXPECT_EQ(got[0], 1000u + (uint64_t)jobs * adds) << jobs << " jobs x " << adds << " atomic adds";
	EXPECT_EQ(got[1], 0x5555u) << "the word next to the counter";
	EXPECT_EQ(hermes_queue_slot_destroy(q, slot), 0);
	EXPECT_EQ(hermes_queue_slot_read(q, slot, 0, got, 8), -EINVAL) << "destroyed";
	hermes_queue_destroy(q);
}

TEST_F(QueueLink, AChainCanRunOnAQueueSlot)
{
	Prog a1 = assemble(add_bytes_text(1)), a2 = assemble(add_bytes_text(2));
	std::vector<uint8_t> init(32, 5), out(32);
	hermes_queue *q = make_queue(8);
	ASSERT_NE(q, nullptr);
	uint32_t slot;
	ASSERT_EQ(hermes_queue_slot_create(q, init.data(), init.size(), &slot), 0) << hermes_queue_errmsg(q);
	hermes_job j[3]{};
	j[0].prog = a1.get();
	j[0].flags = HERMES_JOB_SLOT | HERMES_JOB_LINK;
	j[0].slot = slot;
	j[0].data_len = 32;
	j[1].prog = a2.get();
	j[1].flags = HERMES_JOB_LINK;
	j[2].prog = a1.get();
	j[2].out = out.data();
	j[2].out_len = out.size();
	ASSERT_EQ(hermes_queue_submit(q, j, 3), 3) << hermes_queue_errmsg(q);
	auto c = drain(q, 3);
	ASSERT_EQ(c.size(), 3u);
	EXPECT_EQ(out, std::vector<uint8_t>(32, 9));
	// The slot keeps its contents for the next chain.
	ASSERT_EQ(hermes_queue_submit(q, j, 3), 3) << hermes_queue_errmsg(q);
	c = drain(q, 3);
	EXPECT_EQ(out, std::vector<uint8_t>(32, 13));
	j[1].flags = HERMES_JOB_LINK | HERMES_JOB_SLOT;
	j[1].slot = slot;
	EXPECT_EQ(hermes_queue_submit(q, j, 3), -EINVAL) << "only a chain's first job names a slot";
	hermes_queue_destroy(q);
}

} // namespace
