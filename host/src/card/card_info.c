/* SPDX-License-Identifier: MIT */
/* dev_info.c - device identity and geometry read from a card's BAR0. */
#include <errno.h>
#include <string.h>

#include "dev.h"
#include "xdma_drv.h"

static int read_reg(struct hermes_dev *dev, uint32_t off, uint32_t *val)
{
	return dev->bus->ops->read32(dev->bus, off, val);
}

int hermes__card_info(struct hermes_dev *dev, struct hermes_info *info)
{
	uint32_t v;
	int err;

	if ((err = read_reg(dev, HERMES_EHVER, &info->version)))
		return err;
	for (unsigned i = 0; i < HERMES_EHBLD_LEN; i += 4) {
		if ((err = read_reg(dev, HERMES_EHBLD + i, &v)))
			return err;
		for (unsigned b = 0; b < 4; b++)
			info->build[i + b] = (char)(v >> (8 * b));
	}
	info->build[HERMES_EHBLD_LEN] = '\0';
	if ((err = read_reg(dev, HERMES_EHENG, &v)))
		return err;
	info->engines = (uint8_t)v;
	info->prog_slots = (uint8_t)(v >> 8);
	info->data_slots = (uint8_t)(v >> 16);
	if ((err = read_reg(dev, HERMES_EHPSOFF, &info->prog_slot_off)) ||
	    (err = read_reg(dev, HERMES_EHPSSZE, &info->prog_slot_size)) ||
	    (err = read_reg(dev, HERMES_EHDSOFF, &info->data_slot_off)) ||
	    (err = read_reg(dev, HERMES_EHDSSZE, &info->data_slot_size)) ||
	    (err = read_reg(dev, HERMES_EHCAP, &info->caps)) ||
	    (err = read_reg(dev, HERMES_EHMAXI, &info->max_insns)))
		return err;
	if ((err = hermes__dma_channels(dev, &info->h2c_channels, &info->c2h_channels)))
		return err;
	if (info->version != HERMES_VERSION)
		return hermes__err(dev, -EPROTO,
				   "card reports interface version %u, this library speaks version %u",
				   info->version, HERMES_VERSION);
	return 0;
}

int hermes__dma_range_check(struct hermes_dev *dev, int to_card, const char *where, uint64_t addr, size_t len)
{
	struct hermes_info info;
	uint64_t prog_end, data_end, bar4;
	int err;

	if (!len)
		return 0;
	if ((err = hermes__dev_geometry(dev, &info)))
		return err;
	prog_end = info.prog_slot_off + (uint64_t)info.prog_slots * info.prog_slot_size;
	data_end = info.data_slot_off + (uint64_t)info.data_slots * info.data_slot_size;
	bar4 = prog_end > data_end ? prog_end : data_end;
	if (addr <= bar4 && len <= bar4 - addr)
		return 0;
	return hermes__err(dev, -EFAULT,
			   "DMA %s %s: card range 0x%llx + %zu bytes is outside BAR4 (0x%llx bytes); nothing was moved",
			   to_card ? "write to" : "read from", where, (unsigned long long)addr, len,
			   (unsigned long long)bar4);
}
