/* SPDX-License-Identifier: MIT */
/* bar0.c - BAR0 reads and writes through the bus, and the dead-card check (bar0.h). */
#include <errno.h>

#include "bar0.h"

#define ALL_ONES 0xffffffffu

int hermes__bar0_read(struct hermes_dev *dev, uint32_t off, uint32_t *v)
{
	struct hermes_bus *bus = dev->bus;
	uint32_t id;
	int err;

	if ((err = bus->ops->read32(bus, off, v)))
		return err;
	if (*v != ALL_ONES || bus->ops->clocks)
		return 0;
	if (off != HERMES_EHVER && (err = bus->ops->read32(bus, HERMES_EHVER, &id)))
		return err;
	if (off == HERMES_EHVER || id == ALL_ONES)
		return hermes__err(dev, -ENODEV,
				   "BAR0 read at 0x%04x returned all ones and so does the identity register EHVER: "
				   "the card does not answer (completion timeout or surprise removal)", off);
	return 0;
}

int hermes__bar0_write(struct hermes_dev *dev, uint32_t off, uint32_t v)
{
	return dev->bus->ops->write32(dev->bus, off, v);
}

int hermes__bar0_read64(struct hermes_dev *dev, uint32_t off, uint64_t *v)
{
	uint32_t lo, hi;
	int err;

	if ((err = hermes__bar0_read(dev, off, &lo)) || (err = hermes__bar0_read(dev, off + 4, &hi)))
		return err;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}
