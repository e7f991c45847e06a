/* SPDX-License-Identifier: MIT */
/*
 * handle.h - struct hermes_dev, the handle every layer reports on, and
 * hermes__err(), how every layer reports.
 *
 * The handle is opened and closed by the dev layer (dev/dev.c); the
 * layers below it only read what the dev layer filled in: the bus (bus/),
 * the identity read at open, and the error buffer they write into.
 */
#ifndef HERMES_HANDLE_H
#define HERMES_HANDLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "hermes/hermes.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_bus;
struct hermes_dev_ops;

struct hermes_dev {
	const struct hermes_dev_ops *ops; /* dev/dev.h */
	const char *kind;                 /* "sim", "xdma" or "ref" */
	struct hermes_bus *bus;           /* bus/bus.h; NULL on "ref" */
	void *priv;
	char errmsg[512];
	/* Identity and geometry, read once at open: fixed for a card's life. */
	struct hermes_info info;
	int info_valid;
	/* Hardware command queues (EHCAP bit 6): how many, and the BAR4 region
	 * their rings and buffers live in; 0 when the card has none. */
	uint32_t hwq_num, hwq_first_irq, hwq_off, hwq_size;
	uint32_t map_slot_off, map_slot_size; /* map slots (EHMSOFF, EHMSSZE), 0 without maps */
	uint32_t hwq_claimed; /* queues held by this process (hwq.c) */
};

/* Record a failure on dev (NULL: the thread's no-device detail); returns err. */
int hermes__err(struct hermes_dev *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
