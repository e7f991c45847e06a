// SPDX-License-Identifier: MIT
// The slot scrubber on the simulated card: a data slot is handed out reading
// zero even when DMA wrote into it while it was free and being zeroed,
// behind the scrubber's pointer (found by fuzz_cmds).
#include "test_dma_helpers.h"

#include <vector>

#include "cmd.h"

using namespace dma_test;

namespace {

class SlotScrub : public DmaCard {
protected:
	// Takes every data slot; returns them in allocation order.
	std::vector<unsigned> take_all_data_slots()
	{
		std::vector<unsigned> got;
		for (unsigned i = 0; i < info.data_slots; i++) {
			unsigned s;
			EXPECT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &s), 0) << "data slot " << i;
			got.push_back(s);
		}
		return got;
	}
};

} // namespace

TEST_F(SlotScrub, DmaIntoAFreeSlotUnderScrubIsZeroedBeforeTheSlotIsHandedOut)
{
	// 16,384 lines to zero (the whole 1 MiB slot): the scrub outlasts the
	// release and a short DMA, also with the PCIe cost model's BAR round
	// trips (about 7,000 clocks for them).
	const size_t kDirty = 1u << 20;
	std::vector<uint8_t> fill(kDirty, 0x5a), stray(192, 0x99), back(kDirty), zero(kDirty, 0);
	std::vector<unsigned> slots = take_all_data_slots();
	ASSERT_EQ(slots.size(), info.data_slots);
	const unsigned s = slots.back();
	ASSERT_EQ(to_card(data_addr(s), fill.data(), fill.size()), 0) << hermes_dev_errmsg(dev);

	uint64_t t0 = hermes_sim_cycles(sim);
	ASSERT_EQ(hermes__slot_release(dev, 1, HERMES_SLOT_DATA, s), 0) << hermes_dev_errmsg(dev);
	// Lines 0-2 and a line in the middle of the first half, long zeroed by now.
	ASSERT_EQ(to_card(data_addr(s), stray.data(), stray.size()), 0) << hermes_dev_errmsg(dev);
	ASSERT_EQ(to_card(data_addr(s) + kDirty / 4, stray.data(), 64), 0) << hermes_dev_errmsg(dev);
	uint64_t took = hermes_sim_cycles(sim) - t0;
	ASSERT_LT(took, kDirty / 64) << "the DMA came after the scrub: the test shows nothing";

	unsigned again;
	ASSERT_EQ(hermes__slot_alloc(dev, 2, HERMES_SLOT_DATA, &again), 0) << hermes_dev_errmsg(dev);
	ASSERT_EQ(again, s) << "the only free data slot";
	ASSERT_EQ(from_card(data_addr(s), back.data(), back.size()), 0) << hermes_dev_errmsg(dev);
	EXPECT_EQ(first_diff(back.data(), zero.data(), back.size()), -1)
		<< "slot " << s << " handed out with bytes DMA wrote while it was being zeroed";
	for (unsigned t : slots)
		EXPECT_EQ(hermes__slot_release(dev, 0, HERMES_SLOT_DATA, t), 0) << hermes_dev_errmsg(dev);
}
