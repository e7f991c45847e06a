/* SPDX-License-Identifier: MIT */
/*
 * vm.h - the reference eBPF VM: the executable specification of the engine
 * (docs/ISA.md). Runs a program slot image against a data buffer, either to
 * completion (hermes_vm_run, the fast path) or one instruction at a time
 * (hermes_vm_step, producing retire records for lockstep co-simulation).
 */
#ifndef HERMES_VM_H
#define HERMES_VM_H

#include <stddef.h>
#include <stdint.h>

#include "hermes/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HERMES_RETIRE_NO_REG 0xff

enum hermes_mem_kind {
	HERMES_MEM_NONE = 0,
	HERMES_MEM_LOAD = 1,
	HERMES_MEM_STORE = 2,
	HERMES_MEM_ATOMIC = 3,
};

/* One retired instruction (docs/ISA.md "Retire records"). */
struct hermes_retire {
	uint32_t pc;       /* instruction index */
	uint64_t insn;     /* raw first slot, little-endian as in memory */
	uint8_t rd;        /* register written or HERMES_RETIRE_NO_REG */
	uint8_t mem;       /* enum hermes_mem_kind */
	uint8_t mem_size;  /* 1, 2, 4, 8 (0 with HERMES_MEM_NONE) */
	uint64_t rd_value;
	uint64_t mem_addr;
	uint64_t mem_value;
};

/* How a run (or a step) ended. */
struct hermes_vm_status {
	int done;          /* 1 once exit at depth 0 retired or a fault occurred */
	unsigned fault;    /* enum hermes_fault, 0 on success */
	uint32_t fault_pc;
	uint64_t fault_addr;
	uint64_t r0;       /* valid when done && !fault */
	uint64_t insns;    /* retired instructions in this run */
};

struct hermes_vm;

/*
 * Create a VM with the given region sizes (program slot, data slot). The VM
 * keeps pointers to the caller's buffers (set with hermes_vm_load), it does
 * not copy them: stores go straight into the caller's data buffer.
 * Returns NULL for slots larger than 256 MiB (the regions would overlap).
 */
struct hermes_vm *hermes_vm_new(size_t prog_slot_size, size_t data_slot_size);
void hermes_vm_free(struct hermes_vm *vm);

/*
 * Bind the program slot image (code first, then globals; prog_slot_size
 * bytes, code_len of which are code, a multiple of 8) and the data slot
 * buffer (data_slot_size bytes). data_len is passed in r2 (0: slot size).
 * Returns 0 or -EINVAL when code_len is not a multiple of 8, is 0, or
 * exceeds the slot.
 */
int hermes_vm_load(struct hermes_vm *vm, void *prog_slot, size_t code_len,
		   void *data_slot, uint32_t data_len);

/*
 * Reset registers, stack (zeroed), call depth and counters, the trace
 * record count of the engine in the map slot; set the budget.
 * max_insns 0 is a budget of 0 (the first instruction faults with 5);
 * devices turn a 0 from the user into their default before calling this.
 */
void hermes_vm_reset(struct hermes_vm *vm, uint64_t max_insns);

/*
 * Bind the map slot of the loaded object (docs/MAPS.md; size bytes, NULL:
 * none) as engine `engine` sees it: the 0x4000_0000 window and the map
 * helpers use it. The VM keeps the pointer. Without one, map helpers fault
 * with cause 9 and trace_printk returns -ENOSPC.
 */
void hermes_vm_set_map_slot(struct hermes_vm *vm, void *map_slot, size_t size, unsigned engine);

/* Run from the current state until exit or fault. */
void hermes_vm_run(struct hermes_vm *vm, struct hermes_vm_status *st);

/*
 * Execute one instruction. Returns 1 and fills *rec when an instruction
 * retired (the final exit included, after which st->done is 1); returns 0
 * when nothing retired: a fault (st->done = 1, st->fault set) or a run that
 * had already ended. *st is updated either way.
 */
int hermes_vm_step(struct hermes_vm *vm, struct hermes_retire *rec,
		   struct hermes_vm_status *st);

/* Abort as the host's ABORT bit does: the next step faults with cause 7. */
void hermes_vm_abort(struct hermes_vm *vm);

uint64_t hermes_vm_reg(const struct hermes_vm *vm, unsigned r);
void hermes_vm_set_reg(struct hermes_vm *vm, unsigned r, uint64_t v);
uint32_t hermes_vm_pc(const struct hermes_vm *vm);
unsigned hermes_vm_depth(const struct hermes_vm *vm);

#ifdef __cplusplus
}
#endif
#endif
