/* SPDX-License-Identifier: MIT */
/*
 * vm_helpers.c - the helpers of docs/MAPS.md as the reference VM runs
 * them: map lookup, update and delete on the bound map slot (through the
 * maps layer, the code the host uses too), ktime, trace_printk records,
 * the xorshift generator and the engine index. r1-r5 keep their values.
 */
#include <errno.h>
#include <string.h>

#include "vm_state.h"

static uint64_t neg(int err) { return (uint64_t)(int64_t)err; }

/* The descriptor r1 names, or 0 for cause 9 (not a used, valid descriptor of this slot). */
static int map_arg(struct hermes_vm *vm, uint64_t a, struct hermes_map_desc *d)
{
	uint64_t o = a - HERMES_MAP_BASE;

	if (!vm->map || o % HERMES_MAP_DESC_SIZE || o / HERMES_MAP_DESC_SIZE >= HERMES_MAP_MAX)
		return 0;
	return hermes__map_desc_read(&vm->map_mem, (unsigned)(o / HERMES_MAP_DESC_SIZE), d) == 0;
}

/* Copy n bytes at engine address a into buf like a load; 0 or cause 1. */
static unsigned load_bytes(struct hermes_vm *vm, uint64_t a, void *buf, size_t n, uint64_t *fault_addr)
{
	const uint8_t *p = vm__xlate_load(vm, a, n);

	if (!p) {
		*fault_addr = a;
		return HERMES_FAULT_LOAD;
	}
	memcpy(buf, p, n);
	return 0;
}

static void trace_record(struct hermes_vm *vm)
{
	uint32_t off, count;
	uint8_t *rec;

	if (!vm->map || vm->map_size < hermes__map_trace_off(vm->engine) + HERMES_MAP_TRACE_SIZE) {
		vm->r[0] = neg(-ENOSPC);
		return;
	}
	off = hermes__map_trace_off(vm->engine);
	count = hermes__le32(vm->map + off);
	if (count < UINT32_MAX)
		hermes__put_le32(vm->map + off, count + 1);
	if (count >= HERMES_MAP_TRACE_RECORDS) {
		vm->r[0] = neg(-ENOSPC);
		return;
	}
	rec = vm->map + off + HERMES_MAP_TRACE_REC_OFF + HERMES_MAP_TRACE_REC_SIZE * count;
	memset(rec, 0, HERMES_MAP_TRACE_REC_SIZE);
	for (unsigned b = 0; b < 8; b++) {
		rec[b] = (uint8_t)(vm->r[1] >> (8 * b));
		rec[16 + b] = (uint8_t)(vm->r[3] >> (8 * b));
		rec[24 + b] = (uint8_t)(vm->r[4] >> (8 * b));
		rec[32 + b] = (uint8_t)(vm->r[5] >> (8 * b));
	}
	hermes__put_le32(rec + 8, (uint32_t)vm->r[2]);
	vm->r[0] = 0;
}

/*
 * Map helpers 1-3 in docs/MAPS.md's order, each step ending the call: the
 * map pointer and descriptor (fault 9); update's flags (-EINVAL: a HASH
 * takes 0, 1, 2; an ARRAY also 4, 5, 6, decided below); delete on an array
 * (-EINVAL); the key range (fault 1 at r2); the checks that decide the
 * result; the value range (fault 1 at r3), only when the value is to be
 * copied. check_only: the faults alone, nothing written.
 */
static unsigned map_helper(struct hermes_vm *vm, int32_t id, uint64_t *fault_addr, int check_only)
{
	uint8_t key[HERMES_MAP_KEY_MAX];
	struct hermes_map_desc d;
	uint64_t flags = vm->r[4];
	const uint8_t *value;
	uint32_t value_off;
	unsigned cause;
	int is_hash, present;
	int64_t res = 0;

	if (!map_arg(vm, vm->r[1], &d)) {
		*fault_addr = vm->r[1];
		return HERMES_FAULT_BAD_HELPER_ARG;
	}
	is_hash = d.type == HERMES_MAP_HASH;
	if (id == HERMES_HELPER_MAP_UPDATE)
		res = hermes__map_update_flags_check(&d, flags);
	else if (id == HERMES_HELPER_MAP_DELETE && !is_hash)
		res = -EINVAL;
	if (res) {
		if (!check_only)
			vm->r[0] = neg((int)res);
		return 0;
	}
	if ((cause = load_bytes(vm, vm->r[2], key, d.key_size, fault_addr)))
		return cause;
	present = hermes__map_lookup(&vm->map_mem, &d, key, vm->engine, &value_off) == 0;
	if (id == HERMES_HELPER_MAP_LOOKUP) {
		if (!check_only)
			vm->r[0] = present ? HERMES_MAP_BASE + value_off : 0;
		return 0;
	}
	if (id == HERMES_HELPER_MAP_DELETE) {
		if (!check_only)
			vm->r[0] = neg(hermes__map_delete(&vm->map_mem, &d, key));
		return 0;
	}
	/* update: what decides the result before the value is read */
	if ((res = hermes__map_update_check(&d, key, flags, present))) {
		if (!check_only)
			vm->r[0] = neg((int)res);
		return 0;
	}
	if (!vm__xlate_load(vm, vm->r[3], d.value_size)) {
		*fault_addr = vm->r[3];
		return HERMES_FAULT_LOAD;
	}
	if (check_only)
		return 0;
	/* the value as it was when the call began, also when it lies in the map slot it goes to */
	value = vm__xlate_load(vm, vm->r[3], d.value_size);
	if (vm->r[3] - HERMES_MAP_BASE < vm->map_size) {
		memcpy(vm->value_buf, value, d.value_size);
		value = vm->value_buf;
	}
	vm->r[0] = neg(hermes__map_update(&vm->map_mem, &d, key, value, flags, vm->engine));
	return 0;
}

unsigned vm__helper(struct hermes_vm *vm, int32_t id, uint64_t insns, uint64_t *fault_addr, int check_only)
{
	switch (id) {
	case HERMES_HELPER_MAP_LOOKUP:
	case HERMES_HELPER_MAP_UPDATE:
	case HERMES_HELPER_MAP_DELETE:
		return map_helper(vm, id, fault_addr, check_only);
	}
	if (check_only && hermes__helper_supported(id))
		return 0;
	switch (id) {
	case HERMES_HELPER_KTIME:
		vm->r[0] = 4 * insns;
		return 0;
	case HERMES_HELPER_TRACE:
		trace_record(vm);
		return 0;
	case HERMES_HELPER_PRANDOM: {
		uint32_t x = vm->prandom;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		vm->prandom = x;
		vm->r[0] = x;
		return 0;
	}
	case HERMES_HELPER_CPU_ID:
		vm->r[0] = vm->engine;
		return 0;
	default:
		*fault_addr = (uint32_t)id;
		return HERMES_FAULT_UNKNOWN_HELPER;
	}
}
