/* SPDX-License-Identifier: MIT */
/* bus.c - what every backend shares: bus time and the BAR4 range check (bus.h). */
#include <errno.h>

#include "bus.h"
#include "clock.h"

uint64_t hermes__bus_now_us(struct hermes_bus *bus)
{
	if (bus->ops->clocks)
		return bus->ops->clocks(bus) / HERMES_CARD_CLOCKS_PER_US;
	return hermes__now_us();
}

int hermes__dma_range_check(struct hermes_dev *dev, int to_card, const char *where, uint64_t addr, size_t len)
{
	const struct hermes_info *info = &dev->info;
	uint64_t prog_end, data_end, bar4;

	if (!len)
		return 0;
	if (!dev->info_valid)
		return hermes__err(dev, -EIO, "DMA %s %s before the card's geometry was read; nothing was moved",
				   to_card ? "write to" : "read from", where);
	prog_end = info->prog_slot_off + (uint64_t)info->prog_slots * info->prog_slot_size;
	data_end = info->data_slot_off + (uint64_t)info->data_slots * info->data_slot_size;
	bar4 = prog_end > data_end ? prog_end : data_end;
	if (dev->hwq_size && (uint64_t)dev->hwq_off + dev->hwq_size > bar4)
		bar4 = (uint64_t)dev->hwq_off + dev->hwq_size;
	if (dev->map_size && (uint64_t)dev->map_off + (uint64_t)info->prog_slots * dev->map_size > bar4)
		bar4 = (uint64_t)dev->map_off + (uint64_t)info->prog_slots * dev->map_size;
	if (addr <= bar4 && len <= bar4 - addr)
		return 0;
	return hermes__err(dev, -EFAULT,
			   "DMA %s %s: card range 0x%llx + %zu bytes is outside BAR4 (0x%llx bytes); nothing was moved",
			   to_card ? "write to" : "read from", where, (unsigned long long)addr, len,
			   (unsigned long long)bar4);
}
