/* SPDX-License-Identifier: MIT */
/*
 * bar0.h - the card layer's BAR0 accesses: every register read and write
 * of the layers above the bus goes through these.
 *
 * A read of all ones is what a PCIe read returns when the card does not
 * answer (a completion timeout, a surprise removal). On a card this host
 * does not clock itself, hermes__bar0_read re-reads the identity register
 * EHVER, which never holds all ones: all ones again means the card is
 * gone (-ENODEV naming the offset); otherwise the register really holds
 * 0xffffffff. A card simulated in this process answers every read, so it
 * is spared the extra read and a run's clock count stays what it was.
 */
#ifndef HERMES_BAR0_H
#define HERMES_BAR0_H

#include <stdint.h>

#include "bus.h"

#ifdef __cplusplus
extern "C" {
#endif

int hermes__bar0_read(struct hermes_dev *dev, uint32_t off, uint32_t *v);
int hermes__bar0_write(struct hermes_dev *dev, uint32_t off, uint32_t v);
/* A 64-bit register pair, low word first. */
int hermes__bar0_read64(struct hermes_dev *dev, uint32_t off, uint64_t *v);

#ifdef __cplusplus
}
#endif

#endif
