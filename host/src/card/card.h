/* SPDX-License-Identifier: MIT */
/*
 * card.h - what the card layer gives the device layer: a card's identity,
 * program runs and resets, over any bus (bus.h).
 */
#ifndef HERMES_CARD_H
#define HERMES_CARD_H

#include "bus.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Identity and geometry from the BAR0 and BAR2 registers. */
int hermes__card_info(struct hermes_dev *dev, struct hermes_info *info);

/* hermes_run on a card. */
int hermes__card_run(struct hermes_dev *dev, const struct hermes_prog *prog,
		     const void *in, size_t in_len, void *out, size_t out_len,
		     const struct hermes_run_opts *opts, struct hermes_run_result *res);

/* hermes_dev_reset on a card (EHRESET), the device's bus checked by the caller. */
int hermes__card_reset(struct hermes_dev *dev);

#ifdef __cplusplus
}
#endif

#endif
