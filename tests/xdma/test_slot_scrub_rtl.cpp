// SPDX-License-Identifier: MIT
// The slot scrubber (rtl/mem/hermes_slot_scrub.sv) on its own, small
// geometry, against a shadow of the slot memory: random writes (DMA and
// engine, at most one a clock and never in a clock the scrubber's own
// write is granted, as the slot memory's arbiter guarantees), releases,
// wants, card resets and grants. Whatever the timing, a slot the scrubber
// reports clean reads zero in the shadow, wanted slots are cleaned, and a
// card reset leaves nothing written before it. Each test's model is freshly
// configured: memory and shadow start zero, as block RAM does.
//
// Geometry: 3 program slots of 4 lines, 2 data slots of 8 lines (lines
// 12-27), a gap without slots (the queue region, lines 28-31), 3 map slots
// of 4 lines from line 32.
#include <gtest/gtest.h>

#include <array>
#include <random>

#include "Vslot_scrub.h"
#include "verilated.h"

namespace {

constexpr unsigned kProg = 3, kData = 2, kProgLines = 4, kDataLines = 8, kMapLines = 4;
constexpr unsigned kDataLine0 = kProg * kProgLines, kMapLine0 = 32;
constexpr unsigned kLines = kMapLine0 + kProg * kMapLines;

// The allocator's slot of a line: program slot p also stands for map slot
// p. -1 where the line has no slot of that kind.
int prog_of(unsigned line)
{
	if (line < kDataLine0)
		return line / kProgLines;
	if (line >= kMapLine0)
		return (line - kMapLine0) / kMapLines;
	return -1;
}

int data_of(unsigned line)
{
	if (line >= kDataLine0 && line < kDataLine0 + kData * kDataLines)
		return (line - kDataLine0) / kDataLines;
	return -1;
}

// The memory region (slot) of a line, for accesses that span two lines.
int region_of(unsigned line)
{
	if (line < kDataLine0)
		return line / kProgLines;
	if (data_of(line) >= 0)
		return 100 + data_of(line);
	if (line >= kMapLine0)
		return 200 + (line - kMapLine0) / kMapLines;
	return -1;
}

struct Stimulus {
	int write = -1;            // line written this clock, -1: none
	bool grant = false;        // grant the scrubber's request, if any
	uint32_t prog_release = 0, data_release = 0, prog_want = 0, data_want = 0;
	bool scrub_all = false;
};

class SlotScrubRtl : public ::testing::Test {
protected:
	Vslot_scrub m;
	std::array<bool, kLines> nonzero{};
	std::mt19937 rng{1};
	uint64_t clocks = 0, cleaned = 0, zeroed = 0, writes_dropped = 0;
	uint32_t last_prog_dirty = 0, last_data_dirty = 0;

	void SetUp() override
	{
		m.clk_i = 0;
		pin_reset();
		last_prog_dirty = m.prog_dirty_o;
		last_data_dirty = m.data_dirty_o;
	}

	// The pin reset: the memory (the shadow) keeps its contents.
	void pin_reset()
	{
		m.rst_ni = 0;
		m.eval();
		m.rst_ni = 1;
		m.eval();
	}

	unsigned pick(unsigned n) { return rng() % n; }
	bool chance(unsigned percent) { return pick(100) < percent; }

	// Slots reported clean read zero, as the memory stands before this
	// clock's writes (what a slot handed out now would hold).
	void check_clean()
	{
		for (unsigned l = 0; l < kLines; l++) {
			if (!nonzero[l])
				continue;
			int p = prog_of(l), d = data_of(l);
			if (p >= 0)
				ASSERT_TRUE(m.prog_dirty_o >> p & 1)
					<< "clock " << clocks << ": program slot " << p << " reported clean, line " << l << " written";
			if (d >= 0)
				ASSERT_TRUE(m.data_dirty_o >> d & 1)
					<< "clock " << clocks << ": data slot " << d << " reported clean, line " << l << " written";
		}
	}

	void clock(const Stimulus &s)
	{
		m.prog_release_i = s.prog_release;
		m.data_release_i = s.data_release;
		m.prog_want_i = s.prog_want;
		m.data_want_i = s.data_want;
		m.scrub_all_i = s.scrub_all;
		m.gnt_i = 0;
		m.wr_valid_i = 0;
		m.eval();
		const bool gnt = s.grant && m.req_o;
		const unsigned zero_line = m.line_o;
		const bool wr = s.write >= 0 && !gnt;
		if (s.write >= 0 && gnt)
			writes_dropped++;
		m.gnt_i = gnt;
		m.wr_valid_i = wr;
		m.wr_line_i = wr ? s.write : 0;
		m.eval();
		if (getenv("SCRUB_TRACE"))
			fprintf(stderr, "%lu: wr %d gnt %d zl %u rel %x/%x want %x/%x all %d dirty %x/%x busy %d\n", (unsigned long)clocks,
				wr ? s.write : -1, gnt, zero_line, s.prog_release, s.data_release, s.prog_want, s.data_want,
				s.scrub_all, m.prog_dirty_o, m.data_dirty_o, m.busy_o);
		check_clean();
		if (HasFatalFailure())
			return;
		cleaned += __builtin_popcount(last_prog_dirty & ~m.prog_dirty_o) +
			   __builtin_popcount(last_data_dirty & ~m.data_dirty_o);
		last_prog_dirty = m.prog_dirty_o;
		last_data_dirty = m.data_dirty_o;
		if (gnt) {
			ASSERT_LT(zero_line, kLines) << "clock " << clocks;
			ASSERT_GE(region_of(zero_line), 0) << "clock " << clocks << ": zeroes line " << zero_line << " in the gap";
			nonzero[zero_line] = false;
			zeroed++;
		}
		if (wr) {
			nonzero[s.write] = true;
			// The reported line is the last an access touched; it may
			// also have touched the line before it in the same slot.
			if (s.write > 0 && region_of(s.write - 1) == region_of(s.write) && chance(30))
				nonzero[s.write - 1] = true;
		}
		m.clk_i = 1;
		m.eval();
		m.clk_i = 0;
		m.eval();
		clocks++;
	}

	// A random write, half of them into the slot being scrubbed.
	int random_write(unsigned percent)
	{
		if (!chance(percent))
			return -1;
		if (m.req_o && chance(50)) {
			int r = region_of(m.line_o);
			unsigned base = m.line_o;
			while (base > 0 && region_of(base - 1) == r)
				base--;
			unsigned n = r < 100 ? kProgLines : r < 200 ? kDataLines : kMapLines;
			return base + pick(n);
		}
		return pick(kLines);
	}

	// Random traffic: writes, grants, releases, wants of dirty slots (as
	// the allocator makes them) and, rarely, a card reset.
	void traffic(unsigned n, unsigned write_percent, unsigned grant_percent)
	{
		for (unsigned i = 0; i < n && !HasFatalFailure(); i++) {
			Stimulus s;
			s.write = random_write(write_percent);
			s.grant = chance(grant_percent);
			if (chance(2))
				s.prog_release = 1u << pick(kProg);
			if (chance(2))
				s.data_release = 1u << pick(kData);
			if (chance(5))
				s.prog_want = m.prog_dirty_o & (1u << pick(kProg));
			if (chance(5))
				s.data_want = m.data_dirty_o & (1u << pick(kData));
			s.scrub_all = chance(1) && chance(5);
			clock(s);
		}
	}

	// No writes: grant always, optionally want every dirty slot, until
	// the scrubber is idle (and with wants, every slot clean).
	void drain(bool want, unsigned limit)
	{
		for (unsigned i = 0; i < limit && !HasFatalFailure(); i++) {
			m.eval();
			if (!m.busy_o && (!want || (m.prog_dirty_o == 0 && m.data_dirty_o == 0)))
				return;
			Stimulus s;
			s.grant = true;
			if (want) {
				s.prog_want = m.prog_dirty_o;
				s.data_want = m.data_dirty_o;
			}
			clock(s);
		}
		if (!HasFatalFailure())
			FAIL() << "scrubber still busy after " << limit << " clocks";
	}
};

TEST_F(SlotScrubRtl, SlotReportedCleanReadsZeroUnderRandomTraffic)
{
	for (unsigned seed = 1; seed <= 8 && !HasFatalFailure(); seed++) {
		rng.seed(seed);
		traffic(40000, 20 + 10 * (seed % 4), 30 + 20 * (seed % 3));
		drain(true, 10000);
	}
	// The property was exercised: slots went clean, lines were zeroed,
	// and writes raced the scrub.
	EXPECT_GT(cleaned, 1000u);
	EXPECT_GT(zeroed, 10000u);
	EXPECT_GT(writes_dropped, 1000u);
}

TEST_F(SlotScrubRtl, WantedSlotsAreCleanedAndTheScrubberGoesIdle)
{
	rng.seed(99);
	traffic(20000, 40, 50);
	drain(true, 10000);
	ASSERT_FALSE(HasFatalFailure());
	EXPECT_EQ(m.prog_dirty_o, 0u);
	EXPECT_EQ(m.data_dirty_o, 0u);
	EXPECT_FALSE(m.busy_o);
	for (unsigned l = 0; l < kLines; l++)
		if (region_of(l) >= 0)
			EXPECT_FALSE(nonzero[l]) << "line " << l;
}

TEST_F(SlotScrubRtl, CardResetLeavesNothingWrittenBeforeIt)
{
	for (unsigned seed = 1; seed <= 20 && !HasFatalFailure(); seed++) {
		rng.seed(1000 + seed);
		traffic(2000 + pick(2000), 40, 40);
		// The reset comes in a clock with a write, as it may.
		Stimulus s;
		s.scrub_all = true;
		s.write = random_write(100);
		clock(s);
		Stimulus none;
		clock(none);
		drain(false, 10000);
		for (unsigned l = 0; l < kLines; l++)
			if (region_of(l) >= 0)
				ASSERT_FALSE(nonzero[l]) << "seed " << seed << ": line " << l << " survives the card reset";
	}
}

// Configuration leaves the memory zero: until the first write nothing is
// dirty, also after a pin reset. After a write, a pin reset makes every slot
// dirty in full, as the memory may hold anything written before it.
TEST_F(SlotScrubRtl, NothingIsDirtyUntilTheFirstWriteSinceConfiguration)
{
	const uint32_t all_prog = (1u << kProg) - 1, all_data = (1u << kData) - 1;
	clock(Stimulus{});
	EXPECT_EQ(m.prog_dirty_o, 0u);
	EXPECT_EQ(m.data_dirty_o, 0u);
	EXPECT_FALSE(m.busy_o);
	pin_reset();
	clock(Stimulus{});
	EXPECT_EQ(m.prog_dirty_o, 0u) << "pin reset before any write";
	EXPECT_EQ(m.data_dirty_o, 0u) << "pin reset before any write";

	// The last line of data slot 1: only that slot is dirty.
	Stimulus w;
	w.write = kDataLine0 + 2 * kDataLines - 1;
	clock(w);
	clock(Stimulus{});
	EXPECT_EQ(m.prog_dirty_o, 0u);
	EXPECT_EQ(m.data_dirty_o, 2u);

	pin_reset();
	clock(Stimulus{});
	EXPECT_EQ(m.prog_dirty_o, all_prog) << "pin reset after a write";
	EXPECT_EQ(m.data_dirty_o, all_data) << "pin reset after a write";
	const uint64_t before = zeroed;
	drain(true, 10000);
	ASSERT_FALSE(HasFatalFailure());
	EXPECT_EQ(zeroed - before, kProg * kProgLines + kData * kDataLines + kProg * kMapLines)
		<< "every slot zeroed whole";
}

// A pin reset in the middle of random traffic (scrubs under way, writes in
// flight): no slot with a written line is reported clean (checked every
// clock), and wanted slots are all zeroed afterwards.
TEST_F(SlotScrubRtl, PinResetLeavesNoWrittenSlotReportedClean)
{
	for (unsigned seed = 1; seed <= 20 && !HasFatalFailure(); seed++) {
		rng.seed(2000 + seed);
		traffic(500 + pick(2000), 40, 40);
		Stimulus s;
		s.write = random_write(50);
		s.grant = chance(50);
		clock(s);
		pin_reset();
		drain(true, 10000);
		ASSERT_FALSE(HasFatalFailure());
		for (unsigned l = 0; l < kLines; l++)
			if (region_of(l) >= 0)
				ASSERT_FALSE(nonzero[l]) << "seed " << seed << ": line " << l << " left after the pin reset's scrubs";
	}
}

} // namespace
