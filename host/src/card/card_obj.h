/* SPDX-License-Identifier: MIT */
/*
 * card_obj.h - loaded objects (hermes_obj_*, docs/MAPS.md): the state
 * every device kind shares, and the card's side of it: a program slot
 * kept across runs, its map slot written by DMA, host map operations on a
 * copy of card memory taken and written back under EHMLOCK.
 */
#ifndef HERMES_CARD_OBJ_H
#define HERMES_CARD_OBJ_H

#include <pthread.h>

#include "bus.h"
#include "map_slot.h"
#include "prog.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_obj {
	struct hermes_dev *dev;
	struct hermes_prog *prog;      /* the object's own copy */
	struct hermes_map_desc descs[HERMES_MAP_MAX];
	unsigned nmaps;
	unsigned copies;               /* engines: PERCPU_ARRAY copies */
	uint32_t map_slot_size;
	pthread_mutex_t lock;          /* host map operations (and runs on "ref") */

	/* card */
	int have_pslot;
	unsigned pslot;
	uint32_t resets;               /* card resets when the slot was taken */

	/* "ref": the map slot itself, and the object's program slot (code,
	 * then globals, which persist across runs as on a card) */
	uint8_t *map_slot;
	uint8_t *prog_slot;

	/* a host map operation in progress on a card: its copy of the map slot */
	uint8_t *shadow;
	uint32_t dirty_lo[2], dirty_hi[2]; /* [0] descriptors, [1] storage: written back apart */

	/* the last run */
	uint8_t trace_buf[HERMES_MAP_TRACE_SIZE];
	int trace_valid;
	char **trace_lines;
	unsigned ntrace, trace_lost;
};

/* The map slot's descriptor table (64 x nmaps bytes) as loaded. */
void hermes__obj_desc_table(const struct hermes_obj *obj, uint8_t *out);

int hermes__card_obj_load(struct hermes_obj *obj);
void hermes__card_obj_unload(struct hermes_obj *obj);
/* A run on the object's slot; the engine's trace buffer into obj->trace_buf. */
int hermes__card_obj_run(struct hermes_obj *obj, const void *in, size_t in_len, void *out, size_t out_len,
			 const struct hermes_run_opts *opts, struct hermes_run_result *res);
/* Take EHMLOCK, copy map `map`'s descriptors and storage in; m reads and writes the copy. */
int hermes__card_map_begin(struct hermes_obj *obj, unsigned map, struct hermes_map_mem *m);
/* Write what changed back (commit), release EHMLOCK. */
int hermes__card_map_end(struct hermes_obj *obj, int commit);
/*
 * Copy len bytes at offset off of the object's map slot (prog 0) or
 * program slot (prog 1) from the card by DMA, as no engine is running it
 * (co-simulation reads what a run starts from and leaves). 0 or -errno.
 */
int hermes__card_obj_read(struct hermes_obj *obj, int prog, uint32_t off, void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
