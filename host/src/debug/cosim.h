/* SPDX-License-Identifier: MIT */
/*
 * cosim.h - lockstep co-simulation of the RTL engines against the
 * reference VM: the retire records an engine of a "sim" device produced
 * during hermes_run() are compared one by one with those of the reference
 * VM stepping the same program on the same input.
 */
#ifndef HERMES_COSIM_H
#define HERMES_COSIM_H

#include <stddef.h>

#include "hermes/hermes.h"
#include "vm.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_cosim;

/* Start collecting retire records of every engine of a "sim" device. */
int hermes_cosim_attach(struct hermes_dev *dev, struct hermes_cosim **cp);
void hermes_cosim_detach(struct hermes_cosim *c);

/* Forget the records collected so far (call before each run). */
void hermes_cosim_clear(struct hermes_cosim *c);

/* Records collected for engine e; *n gets their number. */
const struct hermes_retire *hermes_cosim_records(const struct hermes_cosim *c, unsigned e, size_t *n);

/*
 * Compare engine e's records with the reference VM running prog on a data
 * slot holding in (in_len bytes, the rest zero), r2 = data_len (0: in_len,
 * or the slot size if in_len is 0), budget max_insns (0: default).
 * Returns 0 when every record matches and both stopped at the same point,
 * 1 on the first difference (report says which record, with both), or a
 * negative errno.
 */
int hermes_cosim_check(const struct hermes_cosim *c, unsigned e, const struct hermes_prog *prog,
		       const void *in, size_t in_len, uint32_t data_len, uint64_t max_insns,
		       char *report, size_t report_len);

struct hermes_obj;

/* Which slot of a loaded object hermes_cosim_obj_read reads. */
#define HERMES_COSIM_MAP_SLOT  0u
#define HERMES_COSIM_PROG_SLOT 1u

/* Bytes of the object's map slot or program slot (0 when there is none). */
size_t hermes_cosim_obj_slot_size(const struct hermes_obj *obj, unsigned which);

/*
 * Read len bytes at offset off of a loaded object's map slot or program
 * slot on a "sim" card, by DMA: what the next run of it starts from (or
 * what the last one left). 0 or a negative errno with a sentence on the
 * object's device.
 */
int hermes_cosim_obj_read(struct hermes_obj *obj, unsigned which, uint32_t off, void *buf, size_t len);

/* Options of hermes_cosim_check_obj (libbpf style: sz first). */
struct hermes_cosim_obj_opts {
	size_t sz;              /* sizeof(struct hermes_cosim_obj_opts) */
	uint32_t data_len;      /* r2 (0: in_len, or the data slot size if in_len is 0) */
	uint64_t max_insns;     /* the run's budget (0: the default) */
	const void *prog_slot;  /* the program slot as the run found it (program slot size bytes);
				 * NULL: the program's image, then zeros */
	void *map_after;        /* NULL, or map slot size bytes: gets the card's map slot after the run */
	const struct hermes_run_result *result; /* NULL, or the card's result of the run: its status,
						 * r0 or fault (cause, pc, address) and instruction
						 * count must be the VM's */
};

/*
 * Check engine e's records of a run of a loaded object with maps
 * (hermes_obj_run on the cosim's "sim" device) against the reference VM
 * playing engine e: the VM starts from map_before (the object's map slot as
 * the run found it, map slot size bytes, e.g. hermes_cosim_obj_read before
 * the run), takes the results of ktime_get_ns (5) and get_prandom_u32 (7)
 * from the RTL's record of each call (ktime must not decrease within the
 * run), compares every retire record as hermes_cosim_check does, the
 * run's result when opts gives it, then the card's map slot after the run
 * (read here by DMA) with the VM's, byte for byte: descriptors, trace
 * buffers, map storage.
 * Returns 0 when everything matches, 1 on the first difference (report
 * says which record, or which map slot byte with both values and what it
 * belongs to), or a negative errno with a sentence on the object's device.
 */
int hermes_cosim_check_obj(const struct hermes_cosim *c, unsigned e, struct hermes_obj *obj,
			   const void *map_before, const void *in, size_t in_len,
			   const struct hermes_cosim_obj_opts *opts, char *report, size_t report_len);

/* One retire record as text: "pc 3 insn 0x... rd r0=0x... mem store 8 @0x... =0x...". */
void hermes_retire_str(const struct hermes_retire *r, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
