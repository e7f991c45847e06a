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

/* One retire record as text: "pc 3 insn 0x... rd r0=0x... mem store 8 @0x... =0x...". */
void hermes_retire_str(const struct hermes_retire *r, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
