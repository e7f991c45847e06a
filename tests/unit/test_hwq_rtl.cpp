// SPDX-License-Identifier: MIT
// The hardware command queues of the verilated card (docs/HWQUEUE.md),
// driven through the card's ports only: rings and inputs written to the
// queue region by DMA, doorbells in BAR0, the queue's interrupt, the
// completions read back by DMA. Jobs with output, entries that fail their
// checks, a full completion ring, linked and drained entries, ring wrap,
// the register rules, and the queue's interrupt: an event per moderation
// trigger, held until the XDMA model acknowledges it, re-armed by nothing
// the host writes (the harness counts the interrupts sent, exactly).
#include "test_dma_helpers.h"

#include <algorithm>
#include <map>

#include "asm.h"
#include "bar0.h"
#include "cmd.h"
#include "hermes/hwq.h"
#include "hwq_batch.h"

using namespace dma_test;

namespace {

// Faults with a load from address 0.
constexpr const char *kFault = R"(
        mov %r3, 0
        ldxdw %r0, [%r3]
        exit
)";

class Hwq : public DmaCard {
protected:
	void SetUp() override
	{
		uri = "sim:cost=zero";
		DmaCard::SetUp();
		if (HasFatalFailure())
			return;
		ASSERT_TRUE(info.caps & HERMES_CAP_HWQUEUE);
		ASSERT_EQ(dev->hwq_num, HERMES_DEFAULT_QUEUES);
		ASSERT_EQ(dev->hwq_first_irq, info.engines);
		ASSERT_EQ(dev->hwq_size, HERMES_DEFAULT_QUEUE_BYTES);
		ASSERT_EQ(dev->hwq_off, data_addr(info.data_slots));
		xor_slot = load(hwq_test::kXorSum, &xor_len);
		fault_slot = load(kFault, &fault_len);
	}

	unsigned load(const char *src, uint32_t *len)
	{
		struct hermes_insn *insns = nullptr;
		size_t n = 0;
		struct hermes_asm_error ae {};
		unsigned slot = 0;
		EXPECT_EQ(hermes_asm(src, &insns, &n, &ae), 0) << ae.msg;
		EXPECT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &slot), 0) << hermes_dev_errmsg(dev);
		EXPECT_EQ(to_card(prog_addr(slot), insns, n * 8), 0) << hermes_dev_errmsg(dev);
		*len = static_cast<uint32_t>(n * 8);
		free(insns);
		return slot;
	}

	uint32_t rd(uint32_t off)
	{
		uint32_t v = 0xdeadbeef;
		EXPECT_EQ(hermes_sim_bar0_read(sim, off, &v), HERMES_SIM_OKAY) << "read 0x" << std::hex << off;
		return v;
	}
	int wr(uint32_t off, uint32_t v) { return hermes_sim_bar0_write(sim, off, v, 0xf); }

	// Queue q: its rings and a buffer area in its share of the region.
	uint64_t qbase(unsigned q) const { return dev->hwq_off + uint64_t(q) * (dev->hwq_size / dev->hwq_num); }
	uint64_t sq(unsigned q) const { return qbase(q); }
	uint64_t cq(unsigned q) const { return qbase(q) + 0x4000; }
	uint64_t buf(unsigned q, unsigned i) const { return qbase(q) + 0x8000 + 8192ull * i; }

	void setup_queue(unsigned q, unsigned sq_log2, unsigned cq_log2, uint32_t mod = 1)
	{
		std::vector<uint8_t> zero(32u << cq_log2, 0);
		ASSERT_EQ(to_card(cq(q), zero.data(), zero.size()), 0);
		ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_SQBASE, uint32_t(sq(q))), HERMES_SIM_OKAY);
		ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_CQBASE, uint32_t(cq(q))), HERMES_SIM_OKAY);
		ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_SIZE, sq_log2 | cq_log2 << 8), HERMES_SIM_OKAY);
		ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_MOD, mod), HERMES_SIM_OKAY);
		ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_CTRL, HERMES_QCTRL_EN), HERMES_SIM_OKAY);
		ASSERT_EQ(rd(HERMES_EHQ(q) + HERMES_Q_CTRL), HERMES_QCTRL_EN);
		sq_size[q] = 1u << sq_log2;
		cq_size[q] = 1u << cq_log2;
		tail[q] = head[q] = 0;
		phase[q] = 1;
	}

	hermes_hwq_sqe job(unsigned slot, uint32_t plen, uint64_t in, uint32_t in_len, uint64_t out,
			   uint32_t out_len, uint64_t tag, uint8_t flags = 0)
	{
		hermes_hwq_sqe e{};
		e.opcode = HERMES_QOP_RUN;
		e.flags = flags;
		e.version = HERMES_QE_VERSION;
		e.prog_slot = static_cast<uint8_t>(slot);
		e.prog_len = plen;
		e.in_addr = in;
		e.in_len = in_len;
		e.out_addr = out;
		e.out_len = out_len;
		e.user_tag = tag;
		return e;
	}

	void submit(unsigned q, const std::vector<hermes_hwq_sqe> &es)
	{
		for (const auto &e : es) {
			ASSERT_EQ(to_card(sq(q) + 64ull * tail[q], &e, sizeof(e)), 0);
			tail[q] = (tail[q] + 1) % sq_size[q];
		}
		ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_SQTAIL, tail[q]), HERMES_SIM_OKAY);
	}

	// The interrupts queue q has sent (acknowledged by the XDMA model).
	uint64_t irqs(unsigned q) const { return hermes_sim_usr_irq_count(sim, dev->hwq_first_irq + q); }

	// Queue q's request line clock by clock: how often it rose, how long
	// it was held at most.
	struct Watch {
		unsigned rises = 0, high = 0, max_high = 0;
	};
	void step(unsigned q, uint64_t n, Watch &w)
	{
		const uint32_t bit = 1u << (dev->hwq_first_irq + q);
		for (uint64_t i = 0; i < n; i++) {
			hermes_sim_cycle(sim);
			if (hermes_sim_usr_irq(sim) & bit) {
				w.rises += !w.high;
				w.max_high = std::max(w.max_high, ++w.high);
			} else {
				w.high = 0;
			}
		}
	}

	// Completions of queue q until n are seen (waiting for its interrupt);
	// the CQ head goes back as credit before each sleep and at the end.
	std::vector<hermes_hwq_cqe> reap(unsigned q, unsigned n, uint64_t max_cycles = 2000000)
	{
		std::vector<hermes_hwq_cqe> out;
		uint64_t start = hermes_sim_cycles(sim);
		while (out.size() < n) {
			hermes_hwq_cqe c{};
			EXPECT_EQ(from_card(cq(q) + 32ull * head[q], &c, sizeof(c)), 0);
			if ((c.flags & HERMES_HWQ_CQE_PHASE) == phase[q]) {
				out.push_back(c);
				head[q] = (head[q] + 1) % cq_size[q];
				if (head[q] == 0)
					phase[q] ^= 1;
				continue;
			}
			if (hermes_sim_cycles(sim) - start > max_cycles)
				break;
			uint32_t u = 0;
			EXPECT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_CQHEAD, head[q]), HERMES_SIM_OKAY);
			hermes_sim_wait_irq(sim, 1u << (dev->hwq_first_irq + q), 0, 20000, &u, nullptr);
		}
		EXPECT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_CQHEAD, head[q]), HERMES_SIM_OKAY);
		return out;
	}

	unsigned xor_slot = 0, fault_slot = 0;
	uint32_t xor_len = 0, fault_len = 0;
	std::map<unsigned, unsigned> sq_size, cq_size, tail, head, phase;
};

TEST_F(Hwq, RegisterRules)
{
	uint32_t v = 0;
	// Geometry is read-only; doorbells are write-only (reads answer SLVERR,
	// no effect); configuration refuses writes while the queue is enabled.
	EXPECT_EQ(rd(HERMES_EHQNUM), HERMES_DEFAULT_QUEUES | info.engines << 8);
	EXPECT_EQ(wr(HERMES_EHQNUM, 0), HERMES_SIM_SLVERR);
	EXPECT_EQ(rd(HERMES_EHQENG), (1u << info.engines) - 1) << "every engine by default";
	EXPECT_EQ(wr(HERMES_EHQENG, 0x2), HERMES_SIM_OKAY);
	EXPECT_EQ(rd(HERMES_EHQENG), 0x2u);
	EXPECT_EQ(wr(HERMES_EHQENG, 0xffffffff), HERMES_SIM_OKAY);
	EXPECT_EQ(hermes_sim_bar0_read(sim, HERMES_EHQ(0) + HERMES_Q_SQTAIL, &v), HERMES_SIM_SLVERR);
	EXPECT_EQ(hermes_sim_bar0_read(sim, HERMES_EHQ(0) + HERMES_Q_CQHEAD, &v), HERMES_SIM_SLVERR);
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_SQTAIL, 1), HERMES_SIM_SLVERR) << "doorbell of a disabled queue";
	// A ring outside the queue region: enable fails with the error bit.
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_SQBASE, 0), HERMES_SIM_OKAY);
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_CQBASE, uint32_t(cq(0))), HERMES_SIM_OKAY);
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_SIZE, 0x202), HERMES_SIM_OKAY);
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_CTRL, 1), HERMES_SIM_OKAY);
	EXPECT_EQ(rd(HERMES_EHQ(0) + HERMES_Q_CTRL), HERMES_QCTRL_ERR);
	setup_queue(0, 2, 2);
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_SQBASE, 0), HERMES_SIM_SLVERR) << "configuration while enabled";
	EXPECT_EQ(rd(HERMES_EHQ(0) + HERMES_Q_SQBASE), uint32_t(sq(0)));
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_SQTAIL, 4), HERMES_SIM_SLVERR) << "tail past the ring";
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_SQTAIL, 0x80040000u), HERMES_SIM_SLVERR) << "CQ head past the ring";
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_SQTAIL, 0x00010000u), HERMES_SIM_SLVERR) << "head bits without bit 31";
	EXPECT_EQ(wr(HERMES_EHQ(0) + HERMES_Q_SQTAIL, 0x80000000u), HERMES_SIM_OKAY) << "tail 0, head 0";
	EXPECT_EQ(rd(HERMES_EHQ(0) + HERMES_Q_STAT), 0u);
	// Reads have no side effects: every word of the window twice, same answers.
	for (uint32_t off = HERMES_EHQNUM; off < HERMES_EHQ(HERMES_DEFAULT_QUEUES); off += 4) {
		uint32_t a = 1, b = 2;
		int ra = hermes_sim_bar0_read(sim, off, &a), rb = hermes_sim_bar0_read(sim, off, &b);
		EXPECT_EQ(ra, rb) << std::hex << off;
		EXPECT_EQ(a, b) << std::hex << off;
	}
}

TEST_F(Hwq, RunsABatchAndCopiesOutputs)
{
	setup_queue(1, 4, 4);
	std::vector<hermes_hwq_sqe> es;
	std::vector<std::vector<uint8_t>> in;
	const uint32_t lens[] = {1, 64, 100, 4096, 0, 333};
	for (unsigned i = 0; i < 6; i++) {
		in.push_back(pattern(lens[i] + 1, 100 + i));
		if (lens[i])
			ASSERT_EQ(to_card(buf(1, 2 * i), in[i].data(), lens[i]), 0);
		es.push_back(job(xor_slot, xor_len, buf(1, 2 * i), lens[i], buf(1, 2 * i + 1), lens[i] + 1, 0x1000 + i));
	}
	submit(1, es);
	auto cs = reap(1, 6);
	ASSERT_EQ(cs.size(), 6u);
	std::map<uint64_t, hermes_hwq_cqe> by_tag;
	for (auto &c : cs)
		by_tag[c.user_tag] = c;
	for (unsigned i = 0; i < 6; i++) {
		SCOPED_TRACE("job " + std::to_string(i));
		ASSERT_EQ(by_tag.count(0x1000 + i), 1u);
		const auto &c = by_tag[0x1000 + i];
		uint64_t sum = 0;
		for (uint32_t k = 0; k < lens[i]; k++)
			sum += in[i][k];
		EXPECT_EQ(c.status, HERMES_ST_SUCCESS);
		EXPECT_EQ(c.r0, sum);
		EXPECT_EQ(c.sq_index, i);
		EXPECT_EQ(c.retired, 4u + 9u * lens[i]);
		std::vector<uint8_t> out(lens[i] + 1, 0xee);
		ASSERT_EQ(from_card(buf(1, 2 * i + 1), out.data(), out.size()), 0);
		for (uint32_t k = 0; k < lens[i]; k++)
			ASSERT_EQ(out[k], in[i][k] ^ 0xa5) << "byte " << k;
		EXPECT_EQ(out[lens[i]], 0) << "the byte after the input: the fresh slot's zero";
	}
	// Every data slot went back: all 16 can be had through the register path.
	std::vector<unsigned> got;
	for (unsigned i = 0; i < info.data_slots; i++) {
		unsigned s = 0;
		ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &s), 0) << hermes_dev_errmsg(dev);
		got.push_back(s);
	}
	EXPECT_EQ(rd(HERMES_EHQ(1) + HERMES_Q_STAT), 6u | 6u << 16);
}

// Wide completions (Q_SIZE bit 12) carry the engine, its clocks and the
// fault address; Q_SIZE 31:16 keeps a queue's jobs on its engines; an
// entry's data_len sets r2; ABORT on EHCMDCTRL stops a dispatcher's run.
TEST_F(Hwq, WideCompletionsEngineMaskDataLenAndAbort)
{
	uint32_t bad_len = 0, spin_len = 0;
	unsigned bad_slot = load("lddw %r3, 0x50000000\nldxb %r0, [%r3]\nexit\n", &bad_len);
	unsigned spin_slot = load("loop: ja loop\n", &spin_len);
	const unsigned q = 3, eng = info.engines - 1;
	// A wide ring must be 64-byte aligned.
	ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_SQBASE, uint32_t(sq(q))), HERMES_SIM_OKAY);
	ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_CQBASE, uint32_t(cq(q) + 32)), HERMES_SIM_OKAY);
	ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_SIZE, 3 | 3 << 8 | HERMES_QSIZE_WIDE), HERMES_SIM_OKAY);
	ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_CTRL, HERMES_QCTRL_EN), HERMES_SIM_OKAY);
	EXPECT_EQ(rd(HERMES_EHQ(q) + HERMES_Q_CTRL), HERMES_QCTRL_ERR) << "a wide ring at a 32-byte boundary";
	std::vector<uint8_t> zero(64 * 8, 0);
	ASSERT_EQ(to_card(cq(q), zero.data(), zero.size()), 0);
	ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_CQBASE, uint32_t(cq(q))), HERMES_SIM_OKAY);
	uint32_t size = 3 | 3 << 8 | HERMES_QSIZE_WIDE | HERMES_QSIZE_ENG(1u << eng);
	ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_SIZE, size), HERMES_SIM_OKAY);
	EXPECT_EQ(rd(HERMES_EHQ(q) + HERMES_Q_SIZE), size);
	ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_CTRL, HERMES_QCTRL_EN), HERMES_SIM_OKAY);
	ASSERT_EQ(rd(HERMES_EHQ(q) + HERMES_Q_CTRL), HERMES_QCTRL_EN);
	sq_size[q] = cq_size[q] = 8;
	tail[q] = 0;

	std::vector<uint8_t> in = pattern(100, 9);
	ASSERT_EQ(to_card(buf(q, 0), in.data(), in.size()), 0);
	std::vector<hermes_hwq_sqe> es;
	es.push_back(job(xor_slot, xor_len, buf(q, 0), 100, buf(q, 1), 64, 1));
	auto e = job(xor_slot, xor_len, buf(q, 0), 100, buf(q, 2), 64, 2);
	e.data_len = 10; // r2: the first 10 bytes only
	es.push_back(e);
	es.push_back(job(bad_slot, bad_len, 0, 0, 0, 0, 3));
	e = job(xor_slot, xor_len, buf(q, 0), 100, buf(q, 3), 64, 4);
	e.data_len = info.data_slot_size + 1;
	es.push_back(e);
	es.push_back(job(spin_slot, spin_len, 0, 0, 0, 0, 5));
	submit(q, es);

	// Reads the ring until n completions are in.
	auto reap_wide = [&](unsigned from, unsigned n) {
		std::vector<hermes_hwq_cqe_wide> got;
		uint64_t start = hermes_sim_cycles(sim);
		for (unsigned i = from; got.size() < n && hermes_sim_cycles(sim) - start < 2000000;) {
			hermes_hwq_cqe_wide w{};
			EXPECT_EQ(from_card(cq(q) + 64ull * i, &w, sizeof(w)), 0);
			if (w.c.flags & HERMES_HWQ_CQE_PHASE) {
				got.push_back(w);
				i++;
				continue;
			}
			hermes_sim_run(sim, 2000);
		}
		return got;
	};
	auto cs = reap_wide(0, 4);
	ASSERT_EQ(cs.size(), 4u);
	std::map<uint64_t, hermes_hwq_cqe_wide> by;
	for (auto &w : cs)
		by[w.c.user_tag] = w;
	uint64_t sum = 0, sum10 = 0;
	for (unsigned k = 0; k < 100; k++)
		sum += in[k], sum10 += k < 10 ? in[k] : 0;
	EXPECT_EQ(by[1].c.status, HERMES_ST_SUCCESS);
	EXPECT_EQ(by[1].c.r0, sum);
	EXPECT_EQ(by[2].c.r0, sum10) << "data_len is r2";
	EXPECT_EQ(by[2].c.retired, 4u + 9u * 10);
	EXPECT_EQ(by[3].c.status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(by[3].c.cause, HERMES_FAULT_LOAD);
	EXPECT_EQ(by[3].fault_addr, 0x50000000u);
	EXPECT_EQ(by[4].c.status, HERMES_ST_BAD_ADDR) << "r2 larger than a data slot";
	EXPECT_EQ(by[4].engine, 0xff) << "no engine ran it";
	for (uint64_t t : { 1, 2, 3 }) {
		EXPECT_EQ(by[t].engine, eng) << "the queue's engine mask";
		EXPECT_GE(by[t].cycles, by[t].c.retired);
		EXPECT_EQ(by[t].c.flags, 1u);
	}
	// Job 5 spins on the queue's engine until the host aborts it.
	hermes_sim_run(sim, 5000);
	uint32_t state = rd(HERMES_EHENGSTAT(eng) + HERMES_STAT_STATE);
	EXPECT_EQ(state, 1u) << "running";
	ASSERT_EQ(wr(HERMES_EHCMDCTRL(eng), HERMES_CTRL_IRQEN | HERMES_CTRL_ABORT), HERMES_SIM_OKAY);
	cs = reap_wide(4, 1);
	ASSERT_EQ(cs.size(), 1u);
	EXPECT_EQ(cs[0].c.user_tag, 5u);
	EXPECT_EQ(cs[0].c.status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(cs[0].c.cause, HERMES_FAULT_ABORTED);
	EXPECT_GE(cs[0].cycles, 5000u);
	EXPECT_EQ(cs[0].engine, eng);
}

// Q_CTRL bit 2 (busy): a queue disabled with a job running reads busy
// until that job's completion is in its ring, then not; what a next owner
// waits for before it reuses the ring (hermes_hwq_init).
TEST_F(Hwq, DisabledQueueReadsBusyUntilItsJobsComplete)
{
	setup_queue(2, 4, 4);
	EXPECT_EQ(rd(HERMES_EHQ(2) + HERMES_Q_CTRL), HERMES_QCTRL_EN) << "idle: not busy";
	std::vector<uint8_t> in = pattern(4096, 7);
	ASSERT_EQ(to_card(buf(2, 0), in.data(), in.size()), 0);
	submit(2, { job(xor_slot, xor_len, buf(2, 0), 4096, buf(2, 1), 4096, 0x77) });
	for (unsigned i = 0; i < 2000; i++)
		hermes_sim_cycle(sim);
	ASSERT_EQ(wr(HERMES_EHQ(2) + HERMES_Q_CTRL, 0), HERMES_SIM_OKAY);
	EXPECT_EQ(rd(HERMES_EHQ(2) + HERMES_Q_CTRL), HERMES_QCTRL_BUSY) << "disabled with its job running";
	uint64_t clocks = 0;
	while ((rd(HERMES_EHQ(2) + HERMES_Q_CTRL) & HERMES_QCTRL_BUSY) && clocks < 2000000) {
		for (unsigned i = 0; i < 100; i++)
			hermes_sim_cycle(sim);
		clocks += 100;
	}
	ASSERT_LT(clocks, 2000000u) << "still busy";
	EXPECT_GT(clocks, 10000u) << "a 4 KiB job takes tens of thousands of clocks";
	hermes_hwq_cqe c{};
	ASSERT_EQ(from_card(cq(2), &c, sizeof(c)), 0);
	EXPECT_EQ(c.flags & HERMES_HWQ_CQE_PHASE, 1u) << "the completion is in the ring once busy clears";
	EXPECT_EQ(c.user_tag, 0x77u);
	EXPECT_EQ(c.status, HERMES_ST_SUCCESS);
}

TEST_F(Hwq, BadEntriesCompleteWithAnErrorAndTheQueueGoesOn)
{
	setup_queue(2, 4, 4);
	auto good = job(xor_slot, xor_len, buf(2, 0), 8, buf(2, 1), 8, 99);
	std::vector<hermes_hwq_sqe> es;
	auto e = good; e.opcode = 7; e.user_tag = 1; es.push_back(e);
	e = good; e.version = 2; e.user_tag = 2; es.push_back(e);
	e = good; e.prog_slot = 15; e.user_tag = 3; es.push_back(e);          // not allocated
	e = good; e.prog_slot = 200; e.user_tag = 4; es.push_back(e);         // no such slot
	e = good; e.in_addr += 8; e.user_tag = 5; es.push_back(e);            // not line aligned
	// past the end of card memory (BAR4 ends with the map slots)
	e = good; e.out_addr = dev->map_slot_off + info.prog_slots * dev->map_slot_size - 64; e.out_len = 65; e.user_tag = 6;
	es.push_back(e);
	e = good; e.in_len = info.data_slot_size + 1; e.user_tag = 7; es.push_back(e);
	e = good; e.prog_len = 12; e.user_tag = 8; es.push_back(e);
	e = good; e.in_addr = 1ull << 32; e.user_tag = 9; es.push_back(e);
	es.push_back(good);
	submit(2, es);
	auto cs = reap(2, es.size());
	ASSERT_EQ(cs.size(), es.size());
	const uint8_t want[] = {6, 6, 2, 2, 4, 4, 4, 4, 4, 0};
	for (unsigned i = 0; i < es.size(); i++) {
		EXPECT_EQ(cs[i].user_tag, es[i].user_tag) << i;
		EXPECT_EQ(cs[i].status, want[i]) << "entry " << i;
		EXPECT_EQ(cs[i].sq_index, i);
	}
}

TEST_F(Hwq, FullCompletionRingHoldsTheQueueBack)
{
	setup_queue(3, 4, 2); // 16 entries, a 4-entry completion ring: 3 in it at most
	std::vector<hermes_hwq_sqe> es;
	for (unsigned i = 0; i < 8; i++)
		es.push_back(job(xor_slot, xor_len, buf(3, 0), 16, 0, 0, 500 + i));
	uint64_t i0 = irqs(3);
	submit(3, es);
	hermes_sim_run(sim, 50000);
	EXPECT_EQ(rd(HERMES_EHQ(3) + HERMES_Q_STAT) >> 16, 3u) << "three completions, then it waits";
	EXPECT_EQ(irqs(3) - i0, 3u) << "their interrupts, sent and acknowledged, return no credit";
	std::vector<hermes_hwq_cqe> ring(4);
	ASSERT_EQ(from_card(cq(3), ring.data(), 4 * 32), 0);
	for (unsigned i = 0; i < 3; i++)
		EXPECT_EQ(ring[i].user_tag, 500u + i);
	EXPECT_EQ(ring[3].flags, 0) << "the fourth stays empty";
	auto cs = reap(3, 8);
	ASSERT_EQ(cs.size(), 8u);
	for (unsigned i = 0; i < 8; i++) {
		EXPECT_EQ(cs[i].user_tag, 500u + i);
		EXPECT_EQ(cs[i].status, 0);
	}
}

TEST_F(Hwq, LinkedFailureCancelsTheChainAndDrainWaits)
{
	setup_queue(4, 3, 3);
	std::vector<hermes_hwq_sqe> es = {
		job(fault_slot, fault_len, 0, 0, 0, 0, 1, HERMES_QF_LINK),
		job(xor_slot, xor_len, buf(4, 0), 8, 0, 0, 2, HERMES_QF_LINK),
		job(xor_slot, xor_len, buf(4, 0), 8, 0, 0, 3),
		job(xor_slot, xor_len, buf(4, 0), 8, 0, 0, 4, HERMES_QF_DRAIN),
	};
	submit(4, es);
	auto cs = reap(4, 4);
	ASSERT_EQ(cs.size(), 4u);
	EXPECT_EQ(cs[0].user_tag, 1u);
	EXPECT_EQ(cs[0].status, HERMES_ST_EBPF_ERROR);
	EXPECT_EQ(cs[0].cause, 1) << "load fault";
	EXPECT_EQ(cs[0].fault_pc, 1u);
	EXPECT_EQ(cs[1].status, HERMES_ST_CANCELED);
	EXPECT_EQ(cs[2].status, HERMES_ST_CANCELED);
	EXPECT_EQ(cs[3].user_tag, 4u);
	EXPECT_EQ(cs[3].status, HERMES_ST_SUCCESS);
}

TEST_F(Hwq, RingsWrapWithThePhaseBitAndQueuesShareEngines)
{
	setup_queue(5, 2, 2);
	setup_queue(6, 3, 3);
	uint64_t tag = 0;
	for (unsigned round = 0; round < 5; round++) {
		std::vector<hermes_hwq_sqe> a, b;
		for (unsigned i = 0; i < 3; i++)
			a.push_back(job(xor_slot, xor_len, buf(5, 0), 64, 0, 0, ++tag));
		for (unsigned i = 0; i < 5; i++)
			b.push_back(job(xor_slot, xor_len, buf(6, 0), 64, 0, 0, 1000 + tag * 10 + i));
		submit(5, a);
		submit(6, b);
		auto ca = reap(5, 3), cb = reap(6, 5);
		ASSERT_EQ(ca.size(), 3u);
		ASSERT_EQ(cb.size(), 5u);
		for (unsigned i = 0; i < 3; i++)
			EXPECT_EQ(ca[i].status, 0);
	}
	// The register path runs beside the queues.
	unsigned s = 0;
	EXPECT_EQ(hermes__slot_alloc(dev, 2, HERMES_SLOT_DATA, &s), 0) << hermes_dev_errmsg(dev);
}

// The queue's interrupt is an event per moderation trigger: N completions
// raise one, held only until the XDMA model's ack (a few clocks), and the
// next N raise the next one with no host write in between; completions
// short of N wait for more, or for the timer T.
TEST_F(Hwq, InterruptIsAnEventPerModerationTrigger)
{
	const unsigned q = 2;
	const uint32_t bit = 1u << (dev->hwq_first_irq + q);
	setup_queue(q, 4, 4, 4); // N 4, no timer
	auto jobs = [&](unsigned n, uint64_t tag) {
		std::vector<hermes_hwq_sqe> es;
		for (unsigned i = 0; i < n; i++)
			es.push_back(job(xor_slot, xor_len, buf(q, 0), 16, 0, 0, tag + i));
		return es;
	};
	hermes_sim_mmio m0{}, m1{};
	hermes_sim_mmio_stats(sim, &m0);
	const uint64_t i0 = irqs(q);
	submit(q, jobs(8, 100));
	Watch w;
	step(q, 400000, w);
	hermes_sim_mmio_stats(sim, &m1);
	EXPECT_EQ(m1.bar0_writes - m0.bar0_writes, 1u) << "the SQ tail doorbell, nothing to re-arm";
	EXPECT_EQ(irqs(q) - i0, 2u) << "8 completions, N 4: two interrupts";
	EXPECT_EQ(w.rises, 2u);
	EXPECT_GE(w.max_high, 1u);
	EXPECT_LE(w.max_high, 3u) << "held until the ack, then dropped";
	EXPECT_EQ(hermes_sim_usr_irq(sim) & bit, 0u);
	EXPECT_EQ(rd(HERMES_EHQ(q) + HERMES_Q_STAT) >> 16, 8u);

	// Three more are short of N with no timer: nothing; the fourth makes four.
	submit(q, jobs(3, 200));
	step(q, 200000, w);
	EXPECT_EQ(irqs(q) - i0, 2u) << "3 completions < N, T 0";
	submit(q, jobs(1, 300));
	step(q, 100000, w);
	EXPECT_EQ(irqs(q) - i0, 3u) << "4 since the last interrupt";
	EXPECT_EQ(w.rises, 3u);

	// The timer: N 16, T 500 clocks; each lone completion raises one,
	// about T after it, still with no doorbell but the SQ tail.
	ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_MOD, 16u | 500u << 16), HERMES_SIM_OKAY);
	for (unsigned k = 1; k <= 2; k++) {
		submit(q, jobs(1, 400 + k));
		uint64_t n = 0;
		while (rd(HERMES_EHQ(q) + HERMES_Q_STAT) >> 16 != (12u + k) % 16 && n++ < 1000)
			hermes_sim_run(sim, 20);
		const uint64_t i1 = irqs(q);
		step(q, 400, w);
		EXPECT_EQ(irqs(q), i1) << "not before T";
		step(q, 300, w);
		EXPECT_EQ(irqs(q) - i1, 1u) << "at T";
	}
	EXPECT_EQ(w.rises, 5u);
	reap(q, 14);
}

// A request the shell has not acknowledged stays up (the vector masked in
// the XDMA IRQ block: the IP holds the message); completions meanwhile are
// not lost: once acknowledged the request drops and moderation raises it
// again for them.
TEST_F(Hwq, AHeldRequestCountsTowardTheNextEvent)
{
	const unsigned q = 4;
	const uint32_t bit = 1u << (dev->hwq_first_irq + q);
	setup_queue(q, 4, 4, 1); // every completion
	ASSERT_EQ(hermes_sim_bar2_write(sim, HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_USR_EN_W1C, bit, 0xf), HERMES_SIM_OKAY);
	const uint64_t i0 = irqs(q);
	std::vector<hermes_hwq_sqe> es;
	for (unsigned i = 0; i < 5; i++)
		es.push_back(job(xor_slot, xor_len, buf(q, 0), 64, 0, 0, i));
	submit(q, es);
	Watch w;
	step(q, 400000, w);
	EXPECT_EQ(rd(HERMES_EHQ(q) + HERMES_Q_STAT) >> 16, 5u);
	EXPECT_EQ(w.rises, 1u) << "one request, held";
	EXPECT_NE(hermes_sim_usr_irq(sim) & bit, 0u) << "held until acknowledged";
	EXPECT_EQ(irqs(q) - i0, 0u) << "nothing sent while masked";
	// A CQ head doorbell is credit only: the request stays.
	ASSERT_EQ(wr(HERMES_EHQ(q) + HERMES_Q_CQHEAD, 5), HERMES_SIM_OKAY);
	step(q, 100, w);
	EXPECT_NE(hermes_sim_usr_irq(sim) & bit, 0u) << "a CQ head write does not drop a request";
	ASSERT_EQ(hermes_sim_bar2_write(sim, HERMES_XDMA_IRQ + HERMES_XDMA_IRQ_USR_EN_W1S, bit, 0xf), HERMES_SIM_OKAY);
	step(q, 1000, w);
	EXPECT_EQ(irqs(q) - i0, 2u) << "the held one, then one for the 4 completions that came while it was held";
	EXPECT_EQ(w.rises, 2u);
	EXPECT_EQ(hermes_sim_usr_irq(sim) & bit, 0u);
	step(q, 20000, w);
	EXPECT_EQ(irqs(q) - i0, 2u) << "nothing left to signal";
}

} // namespace

TEST_F(Hwq, CardResetWithQueuesFull)
{
	// Two queues with long jobs queued and running, then EHRESET: every
	// queue disabled and forgotten, engines idle, slots free; queues work
	// again once configured.
	const char *spin = "mov %r0, 0\nmov %r3, 3000\nl: add %r0, 1\nsub %r3, 1\njne %r3, 0, l\nexit\n";
	uint32_t spin_len = 0;
	unsigned spin_slot = load(spin, &spin_len);
	setup_queue(0, 4, 4);
	setup_queue(1, 4, 4);
	std::vector<hermes_hwq_sqe> es;
	for (unsigned i = 0; i < 15; i++)
		es.push_back(job(spin_slot, spin_len, buf(0, 0), 64, buf(0, 1), 64, i));
	submit(0, es);
	submit(1, es);
	hermes_sim_run(sim, 5000);
	EXPECT_NE(rd(HERMES_EHQ(0) + HERMES_Q_STAT) & 0xffff, 0u) << "entries taken before the reset";
	ASSERT_EQ(hermes_dev_reset(dev), 0) << hermes_dev_errmsg(dev);
	for (unsigned q = 0; q < HERMES_DEFAULT_QUEUES; q++) {
		EXPECT_EQ(rd(HERMES_EHQ(q) + HERMES_Q_CTRL), 0u) << "queue " << q;
		EXPECT_EQ(rd(HERMES_EHQ(q) + HERMES_Q_STAT), 0u) << "queue " << q;
	}
	EXPECT_EQ(hermes_sim_usr_irq(sim), 0u) << "no interrupt left pending";
	hermes_sim_run(sim, 100000);
	std::vector<hermes_hwq_cqe> ring(16);
	ASSERT_EQ(from_card(cq(0), ring.data(), 16 * 32), 0);
	unsigned before = 0;
	for (auto &c : ring)
		before += c.flags & 1;
	// Programs are gone with the reset; load again and run.
	xor_slot = load(hwq_test::kXorSum, &xor_len);
	setup_queue(0, 4, 4);
	submit(0, {job(xor_slot, xor_len, buf(0, 2), 8, 0, 0, 77)});
	auto cs = reap(0, 1);
	ASSERT_EQ(cs.size(), 1u);
	EXPECT_EQ(cs[0].user_tag, 77u);
	EXPECT_EQ(cs[0].status, HERMES_ST_SUCCESS);
	EXPECT_LT(before, 15u) << "jobs cut by the reset never complete";
	for (unsigned i = 0; i < info.data_slots; i++) {
		unsigned s = 0;
		ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &s), 0) << "data slot " << i << " free after the reset";
	}
}

namespace {

// A software model of the dispatcher: what each entry of a stream must
// complete with, in submission order (checks, then LINK cancellation, then
// the program's result). The card may complete entries in another order;
// every entry completes exactly once, never into a full ring.
constexpr uint32_t kUnchecked = ~0u;

struct ModelEntry {
	hermes_hwq_sqe sqe;
	std::vector<uint8_t> in;
	uint8_t status;
	uint64_t r0;
	uint32_t retired;
};

class HwqModel {
public:
	HwqModel(uint64_t card_bytes, uint32_t slot_bytes, uint32_t prog_slot_bytes, unsigned xor_slot,
		 uint32_t xor_len, unsigned fault_slot, uint32_t fault_len)
		: card_(card_bytes), slot_(slot_bytes), pslot_(prog_slot_bytes), xor_(xor_slot), xlen_(xor_len),
		  fault_(fault_slot), flen_(fault_len)
	{
	}
	bool range_ok(uint64_t a, uint32_t len) const
	{
		return len == 0 || (a >> 32 == 0 && a % 64 == 0 && len <= slot_ && a + len <= card_);
	}
	void expect(ModelEntry &m)
	{
		const auto &e = m.sqe;
		bool allocated = e.prog_slot == xor_ || e.prog_slot == fault_;
		m.r0 = 0;
		m.retired = 0;
		if (link_fail_) {
			m.status = HERMES_ST_CANCELED;
			link_fail_ = e.flags & HERMES_QF_LINK;
			return;
		}
		if (e.version != HERMES_QE_VERSION || e.opcode != HERMES_QOP_RUN)
			m.status = HERMES_ST_BAD_OPCODE;
		else if (!allocated)
			m.status = HERMES_ST_BAD_PROG_SLOT;
		else if (e.prog_len == 0 || e.prog_len % 8 || e.prog_len > pslot_ || !range_ok(e.in_addr, e.in_len) ||
			 !range_ok(e.out_addr, e.out_len))
			m.status = HERMES_ST_BAD_ADDR;
		else if (e.prog_slot == fault_ && e.prog_len == flen_)
			m.status = HERMES_ST_EBPF_ERROR;
		else {
			m.status = HERMES_ST_SUCCESS;
			// The xor program (a shorter prog_len runs a prefix: only
			// full lengths are generated).
			for (uint32_t k = 0; k < e.in_len; k++)
				m.r0 += m.in[k];
			m.retired = 4 + 9 * e.in_len;
		}
		if (m.status != HERMES_ST_SUCCESS) {
			link_fail_ = e.flags & HERMES_QF_LINK;
			if (m.status == HERMES_ST_EBPF_ERROR)
				m.retired = kUnchecked;
		}
	}

private:
	uint64_t card_;
	uint32_t slot_, pslot_;
	unsigned xor_;
	uint32_t xlen_;
	unsigned fault_;
	uint32_t flen_;
	bool link_fail_ = false;
};

TEST_F(Hwq, ModelBasedFuzz)
{
	const char *env = getenv("HERMES_HWQ_FUZZ_ROUNDS");
	const unsigned rounds = env ? unsigned(atoi(env)) : 12;
	// BAR4 ends with the map slots where the card has them (docs/MAPS.md)
	const uint64_t card_bytes = dev->map_slot_size ? dev->map_slot_off + uint64_t(info.prog_slots) * dev->map_slot_size
						       : dev->hwq_off + dev->hwq_size;
	HwqModel model(card_bytes, info.data_slot_size, info.prog_slot_size, xor_slot, xor_len, fault_slot, fault_len);
	std::mt19937 rng(20261205);
	const unsigned q = 7;
	unsigned sq_log2 = 4, cq_log2 = 2 + rng() % 3;
	const unsigned mod_n = 1 + rng() % 3;
	setup_queue(q, sq_log2, cq_log2, mod_n); // no timer
	// The interrupt rule: with no timer, one interrupt per N completions
	// exactly, whatever the CQ head doorbells (credit only) do; none is
	// lost while a request is held (completions come 3 clocks apart at
	// the least, a request is held 2).
	const uint64_t irq0 = irqs(q);
	uint64_t completed = 0;
	std::vector<ModelEntry> all;
	uint64_t tag = 0;
	for (unsigned round = 0; round < rounds; round++) {
		SCOPED_TRACE("round " + std::to_string(round));
		unsigned n = 1 + rng() % (sq_size[q] - 1);
		std::vector<ModelEntry> batch;
		for (unsigned i = 0; i < n; i++) {
			ModelEntry m{};
			uint32_t len = rng() % 200;
			unsigned bufi = i; // one input buffer per entry of the batch
			m.in = pattern(len, uint32_t(rng()));
			if (len)
				ASSERT_EQ(to_card(buf(q, bufi), m.in.data(), len), 0);
			bool fault = rng() % 8 == 0;
			m.sqe = job(fault ? fault_slot : xor_slot, fault ? fault_len : xor_len, buf(q, bufi), len, 0, 0,
				    ++tag, uint8_t(rng() % 6 == 0 ? HERMES_QF_LINK : rng() % 10 == 0 ? HERMES_QF_DRAIN : 0));
			switch (rng() % 12) { // corruptions
			case 0: m.sqe.opcode = uint8_t(rng()); if (m.sqe.opcode == HERMES_QOP_RUN) m.sqe.opcode = 0; break;
			case 1: m.sqe.version = 0; break;
			case 2:
				m.sqe.prog_slot = uint8_t(rng());
				if (m.sqe.prog_slot == xor_slot || m.sqe.prog_slot == fault_slot)
					m.sqe.prog_slot = 200;
				break;
			case 3: m.sqe.in_addr += 1 + rng() % 63; break;
			case 4: m.sqe.prog_len = 4 + 8 * (rng() % 4); break;
			case 5: m.sqe.in_addr = card_bytes - 64; m.sqe.in_len = 65 + rng() % 64; break;
			case 6: m.sqe.out_addr = (uint64_t(rng() | 1) << 32) | 64; m.sqe.out_len = 8; break;
			default: break;
			}
			model.expect(m);
			batch.push_back(m);
		}
		std::vector<hermes_hwq_sqe> es;
		for (auto &m : batch)
			es.push_back(m.sqe);
		submit(q, es);
		// Consume in random bites, sometimes letting the ring fill up first.
		std::vector<hermes_hwq_cqe> cs;
		while (cs.size() < n) {
			if (rng() % 3 == 0)
				hermes_sim_run(sim, 2000 + rng() % 20000);
			unsigned want = 1 + rng() % (n - unsigned(cs.size()));
			auto more = reap(q, want);
			ASSERT_EQ(more.size(), want);
			cs.insert(cs.end(), more.begin(), more.end());
		}
		completed += cs.size();
		hermes_sim_run(sim, 100);
		EXPECT_EQ(irqs(q) - irq0, completed / mod_n) << completed << " completions, N " << mod_n;
		std::map<uint64_t, unsigned> pos;
		for (unsigned i = 0; i < cs.size(); i++) {
			ASSERT_EQ(pos.count(cs[i].user_tag), 0u) << "tag " << cs[i].user_tag << " completed twice";
			pos[cs[i].user_tag] = i;
		}
		for (unsigned i = 0; i < n; i++) {
			const auto &m = batch[i];
			ASSERT_EQ(pos.count(m.sqe.user_tag), 1u) << "entry " << i << " never completed";
			const auto &c = cs[pos[m.sqe.user_tag]];
			EXPECT_EQ(c.status, m.status) << "entry " << i << " flags " << unsigned(m.sqe.flags);
			EXPECT_EQ(c.r0, m.r0) << "entry " << i;
			if (m.retired != kUnchecked)
				EXPECT_EQ(c.retired, m.retired) << "entry " << i;
			if (i && (batch[i - 1].sqe.flags & HERMES_QF_LINK))
				EXPECT_GT(pos[m.sqe.user_tag], pos[batch[i - 1].sqe.user_tag]) << "link order, entry " << i;
			if (m.sqe.flags & HERMES_QF_DRAIN)
				for (unsigned k = 0; k < i; k++)
					EXPECT_LT(pos[batch[k].sqe.user_tag], pos[m.sqe.user_tag]) << "drain, entry " << i;
		}
		if (HasFailure())
			return;
	}
}

} // namespace
