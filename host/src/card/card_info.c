/* SPDX-License-Identifier: MIT */
/* card_info.c - a card's identity and geometry, read from BAR0 and BAR2. */
#include <errno.h>
#include <string.h>

#include "bar0.h"
#include "card.h"
#include "map_slot.h"
#include "xdma_drv.h"

int hermes__card_info(struct hermes_dev *dev, struct hermes_info *info)
{
	uint32_t v;
	int err;

	if ((err = hermes__bar0_read(dev, HERMES_EHVER, &info->version)))
		return err;
	for (unsigned i = 0; i < HERMES_EHBLD_LEN; i += 4) {
		if ((err = hermes__bar0_read(dev, HERMES_EHBLD + i, &v)))
			return err;
		for (unsigned b = 0; b < 4; b++)
			info->build[i + b] = (char)(v >> (8 * b));
	}
	info->build[HERMES_EHBLD_LEN] = '\0';
	if ((err = hermes__bar0_read(dev, HERMES_EHENG, &v)))
		return err;
	info->engines = (uint8_t)v;
	info->prog_slots = (uint8_t)(v >> 8);
	info->data_slots = (uint8_t)(v >> 16);
	if ((err = hermes__bar0_read(dev, HERMES_EHPSOFF, &info->prog_slot_off)) ||
	    (err = hermes__bar0_read(dev, HERMES_EHPSSZE, &info->prog_slot_size)) ||
	    (err = hermes__bar0_read(dev, HERMES_EHDSOFF, &info->data_slot_off)) ||
	    (err = hermes__bar0_read(dev, HERMES_EHDSSZE, &info->data_slot_size)) ||
	    (err = hermes__bar0_read(dev, HERMES_EHCAP, &info->caps)) ||
	    (err = hermes__bar0_read(dev, HERMES_EHMAXI, &info->max_insns)))
		return err;
	if ((err = hermes__dma_channels(dev, &info->h2c_channels, &info->c2h_channels)))
		return err;
	dev->hwq_num = dev->hwq_first_irq = dev->hwq_off = dev->hwq_size = 0;
	if (info->caps & HERMES_CAP_HWQUEUE) {
		if ((err = hermes__bar0_read(dev, HERMES_EHQNUM, &v)) ||
		    (err = hermes__bar0_read(dev, HERMES_EHQOFF, &dev->hwq_off)) ||
		    (err = hermes__bar0_read(dev, HERMES_EHQSZE, &dev->hwq_size)))
			return err;
		dev->hwq_num = v & 0xff;
		dev->hwq_first_irq = (v >> 8) & 0xff;
	}
	dev->map_slot_off = dev->map_slot_size = 0;
	if ((info->caps & HERMES_CAP_MAPS) &&
	    ((err = hermes__bar0_read(dev, HERMES_EHMSOFF, &dev->map_slot_off)) ||
	     (err = hermes__bar0_read(dev, HERMES_EHMSSZE, &dev->map_slot_size))))
		return err;
	if (info->version != HERMES_VERSION)
		return hermes__err(dev, -EPROTO,
				   "card reports interface version %u, this library speaks version %u",
				   info->version, HERMES_VERSION);
	return 0;
}
