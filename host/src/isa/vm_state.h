/* SPDX-License-Identifier: MIT */
/* vm_state.h - the reference VM's state, shared by vm.c and vm_helpers.c. */
#ifndef HERMES_VM_STATE_H
#define HERMES_VM_STATE_H

#include <stdatomic.h>
#include <stdint.h>

#include "hermes/isa.h"
#include "map_slot.h"
#include "vm_decode.h"

struct vm_frame {
	uint64_t saved[5]; /* r6-r9, r10 */
	uint32_t ret_pc;
};

struct hermes_vm {
	uint64_t r[11];
	uint32_t pc;
	uint32_t n;            /* code slots */
	unsigned depth;        /* 0: the entry frame */
	int done;
	unsigned fault;
	uint32_t fault_pc;
	uint64_t fault_addr;
	uint64_t insns;
	uint64_t max_insns;
	atomic_int abort_req;

	uint8_t *prog;         /* caller's program slot */
	size_t prog_size;
	size_t code_len;
	uint8_t *data;         /* caller's data slot */
	size_t data_size;
	uint32_t data_len;     /* r2 at reset */

	struct vm_dinsn *dcode;
	uint64_t *raw;
	size_t cap;            /* slots allocated in dcode/raw */

	uint8_t *map;          /* caller's map slot (NULL: none) */
	size_t map_size;
	struct hermes_map_mem map_mem; /* over map */
	unsigned engine;       /* the engine this VM plays (helpers 1, 6, 8) */
	uint32_t prandom;      /* helper 7's state, never 0 */

	uint8_t value_buf[HERMES_MAP_VALUE_MAX]; /* update: a value read from the map slot itself */

	struct vm_frame frames[HERMES_MAX_FRAMES];
	_Alignas(8) uint8_t stack[HERMES_STACK_SIZE];
};

/* Host pointer for a load of n bytes at engine address a, or NULL (vm.c). */
uint8_t *vm__xlate_load(struct hermes_vm *vm, uint64_t a, size_t n);

/*
 * Helper call id with the VM's registers (vm_helpers.c): sets r0 and
 * returns 0, or returns the fault cause with *fault_addr. insns: the
 * instructions retired in the run so far. check_only: only the faults
 * (9, 1), nothing changed, so that the caller can check running off the
 * end (3) after the helper's own faults and before its effects.
 */
unsigned vm__helper(struct hermes_vm *vm, int32_t id, uint64_t insns, uint64_t *fault_addr, int check_only);

#endif
