/* SPDX-License-Identifier: MIT */
/*
 * vm.c - the reference eBPF VM, the executable specification of the engine
 * (docs/ISA.md).
 *
 * One interpreter body (vm_exec.h) serves both entry points: it is compiled
 * twice, once as the run loop (no retire records, budget and abort looked
 * at only at chunk boundaries, threaded dispatch) and once as the
 * single-step function that fills a retire record. Slots are decoded once
 * at load time (vm_decode.c), so the loop never re-checks legality.
 *
 * Arithmetic is done on unsigned types (wrap-around is defined); signed
 * views are taken only where the ISA compares or divides signed, and the
 * two undefined cases of C division (by zero, INT_MIN / -1) are handled
 * before dividing. Memory is accessed with memcpy (unaligned is legal).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hermes/regs.h"
#include "vm.h"
#include "vm_decode.h"
#include "vm_state.h"

#if defined(__GNUC__)
#define VM_INLINE inline __attribute__((always_inline))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#else
#define VM_INLINE inline
#define likely(x) (x)
#define unlikely(x) (x)
#endif

/* Largest region the address map has room for (bases are 256 MiB apart). */
#define VM_REGION_MAX 0x10000000ull

/* Run loop: how many instructions between two looks at the abort flag. */
#define VM_ABORT_CHUNK 65536u

/* Little-endian memory access of n bytes (n a compile-time constant). */
static VM_INLINE uint64_t mem_get(const uint8_t *p, unsigned n)
{
	if (n == 1)
		return p[0];
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n == 2) {
		uint16_t v;
		memcpy(&v, p, 2);
		return v;
	}
	if (n == 4) {
		uint32_t v;
		memcpy(&v, p, 4);
		return v;
	}
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
#else
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
#endif
}

static VM_INLINE void mem_put(uint8_t *p, unsigned n, uint64_t v)
{
	if (n == 1) {
		p[0] = (uint8_t)v;
		return;
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n == 2) {
		uint16_t w = (uint16_t)v;
		memcpy(p, &w, 2);
	} else if (n == 4) {
		uint32_t w = (uint32_t)v;
		memcpy(p, &w, 4);
	} else {
		memcpy(p, &v, 8);
	}
#else
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
#endif
}

/*
 * Host pointer for an n-byte access at engine address a, or NULL: the data
 * slot, the stack, or the program slot from byte prog_from on (0 for loads;
 * code_len for stores and atomics, which never write the code).
 */
static VM_INLINE uint8_t *xlate(struct hermes_vm *vm, uint64_t a, size_t n, uint64_t prog_from,
				uint64_t map_from)
{
	uint64_t o;

	o = a - HERMES_DATA_BASE;
	if (o < vm->data_size && vm->data_size - o >= n)
		return vm->data + o;
	o = a - HERMES_STACK_BASE;
	if (o < HERMES_STACK_SIZE && HERMES_STACK_SIZE - o >= n)
		return vm->stack + o;
	o = a - HERMES_PROG_BASE;
	if (o >= prog_from && o < vm->prog_size && vm->prog_size - o >= n)
		return vm->prog + o;
	o = a - HERMES_MAP_BASE;
	if (o >= map_from && o < vm->map_size && vm->map_size - o >= n)
		return vm->map + o;
	return NULL;
}

/* Loads: anywhere in the map slot; stores and atomics: its storage only. */
static VM_INLINE uint8_t *xlate_load(struct hermes_vm *vm, uint64_t a, unsigned n)
{
	return xlate(vm, a, n, 0, 0);
}

static VM_INLINE uint8_t *xlate_store(struct hermes_vm *vm, uint64_t a, unsigned n)
{
	return xlate(vm, a, n, vm->code_len, HERMES_MAP_STORAGE_OFF);
}

uint8_t *vm__xlate_load(struct hermes_vm *vm, uint64_t a, size_t n)
{
	return xlate(vm, a, n, 0, 0);
}

/* Division and modulo with the ISA's answers for the cases C leaves undefined. */
static VM_INLINE uint64_t udiv64(uint64_t a, uint64_t b) { return b ? a / b : 0; }
static VM_INLINE uint64_t umod64(uint64_t a, uint64_t b) { return b ? a % b : a; }
static VM_INLINE uint32_t udiv32(uint32_t a, uint32_t b) { return b ? a / b : 0; }
static VM_INLINE uint32_t umod32(uint32_t a, uint32_t b) { return b ? a % b : a; }

static VM_INLINE uint64_t sdiv64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT64_MAX) /* x / -1 = -x; INT64_MIN stays INT64_MIN */
		return 0 - a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static VM_INLINE uint64_t smod64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if (b == UINT64_MAX)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static VM_INLINE uint32_t sdiv32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT32_MAX)
		return 0 - a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static VM_INLINE uint32_t smod32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return a;
	if (b == UINT32_MAX)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* Arithmetic right shifts (GCC and Clang shift signed values arithmetically). */
static VM_INLINE uint64_t ashr64(uint64_t a, unsigned s) { return (uint64_t)((int64_t)a >> s); }
static VM_INLINE uint32_t ashr32(uint32_t a, unsigned s) { return (uint32_t)((int32_t)a >> s); }

static VM_INLINE uint64_t prog_addr(int64_t slot)
{
	return HERMES_PROG_BASE + (uint64_t)slot * 8u;
}

/* Byte swaps and the value a store of n bytes writes. */
static VM_INLINE uint16_t vm_bswap16(uint16_t v) { return (uint16_t)((v >> 8) | (v << 8)); }
static VM_INLINE uint32_t vm_bswap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}
static VM_INLINE uint64_t vm_bswap64(uint64_t v)
{
	return ((uint64_t)vm_bswap32((uint32_t)v) << 32) | vm_bswap32((uint32_t)(v >> 32));
}
static VM_INLINE uint64_t mem_trunc(uint64_t v, unsigned n)
{
	return n >= 8 ? v : v & ((UINT64_C(1) << (8 * n)) - 1);
}

/* The interpreter, twice: the run loop and the single step (vm_exec.h). */
#define VM_STEP 0
#define VM_EXEC_NAME vm_exec_run
#include "vm_exec.h"
#undef VM_STEP
#undef VM_EXEC_NAME

#define VM_STEP 1
#define VM_EXEC_NAME vm_exec_step
#include "vm_exec.h"
#undef VM_STEP
#undef VM_EXEC_NAME

static void fill_status(const struct hermes_vm *vm, struct hermes_vm_status *st)
{
	if (!st)
		return;
	st->done = vm->done;
	st->fault = vm->fault;
	st->fault_pc = vm->fault ? vm->fault_pc : 0;
	st->fault_addr = vm->fault ? vm->fault_addr : 0;
	st->r0 = vm->r[0];
	st->insns = vm->insns;
}

void hermes_vm_run(struct hermes_vm *vm, struct hermes_vm_status *st)
{
	vm_exec_run(vm, NULL);
	fill_status(vm, st);
}

int hermes_vm_step(struct hermes_vm *vm, struct hermes_retire *rec, struct hermes_vm_status *st)
{
	struct hermes_retire scratch;
	int retired = vm_exec_step(vm, rec ? rec : &scratch);

	fill_status(vm, st);
	return retired;
}

struct hermes_vm *hermes_vm_new(size_t prog_slot_size, size_t data_slot_size)
{
	struct hermes_vm *vm;

	if (prog_slot_size > VM_REGION_MAX || data_slot_size > VM_REGION_MAX) {
		errno = EINVAL;
		return NULL;
	}
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return NULL;
	vm->prog_size = prog_slot_size;
	vm->data_size = data_slot_size;
	vm->max_insns = HERMES_DEFAULT_MAX_INSNS;
	vm->prandom = 0x9E3779B9u; /* engine 0's seed (docs/MAPS.md helper 7) */
	atomic_init(&vm->abort_req, 0);
	hermes_vm_reset(vm, vm->max_insns);
	return vm;
}

void hermes_vm_free(struct hermes_vm *vm)
{
	if (!vm)
		return;
	free(vm->dcode);
	free(vm->raw);
	free(vm);
}

int hermes_vm_load(struct hermes_vm *vm, void *prog_slot, size_t code_len,
		   void *data_slot, uint32_t data_len)
{
	size_t n = code_len / 8;

	if (!vm || !prog_slot || code_len == 0 || code_len % 8 || code_len > vm->prog_size ||
	    (!data_slot && vm->data_size))
		return -EINVAL;
	if (n > vm->cap) {
		struct vm_dinsn *dcode = malloc(n * sizeof(*dcode));
		uint64_t *raw = malloc(n * sizeof(*raw));

		if (!dcode || !raw) {
			free(dcode);
			free(raw);
			return -ENOMEM;
		}
		free(vm->dcode);
		free(vm->raw);
		vm->dcode = dcode;
		vm->raw = raw;
		vm->cap = n;
	}
	vm->prog = prog_slot;
	vm->code_len = code_len;
	vm->data = data_slot;
	vm->data_len = data_len;
	vm->n = (uint32_t)n; /* n <= VM_REGION_MAX / 8 */
	for (uint32_t pc = 0; pc < n; pc++) {
		vm->raw[pc] = vm_raw_slot(vm->prog, pc);
		vm__decode(vm->prog, (uint32_t)n, pc, &vm->dcode[pc]);
	}
	hermes_vm_reset(vm, vm->max_insns);
	return 0;
}

void hermes_vm_reset(struct hermes_vm *vm, uint64_t max_insns)
{
	memset(vm->r, 0, sizeof(vm->r));
	vm->r[1] = HERMES_DATA_BASE;
	vm->r[2] = vm->data_len ? vm->data_len : vm->data_size;
	vm->r[10] = HERMES_STACK_BASE + HERMES_FRAME_SIZE;
	vm->pc = 0;
	vm->depth = 0;
	vm->done = 0;
	vm->fault = 0;
	vm->fault_pc = 0;
	vm->fault_addr = 0;
	vm->insns = 0;
	vm->max_insns = max_insns;
	atomic_store_explicit(&vm->abort_req, 0, memory_order_relaxed);
	memset(vm->frames, 0, sizeof(vm->frames));
	memset(vm->stack, 0, sizeof(vm->stack));
	/* Run Program zeroes the engine's trace record count. */
	if (vm->map && vm->map_size >= hermes__map_trace_off(vm->engine) + HERMES_MAP_TRACE_SIZE)
		memset(vm->map + hermes__map_trace_off(vm->engine), 0, 4);
}

void hermes_vm_set_map_slot(struct hermes_vm *vm, void *map_slot, size_t size, unsigned engine)
{
	if (!map_slot || size > UINT32_MAX || engine >= HERMES_MAP_TRACE_ENGINES)
		map_slot = NULL, size = 0;
	vm->map = map_slot;
	vm->map_size = size;
	vm->engine = engine;
	hermes__map_mem_buf(&vm->map_mem, map_slot, (uint32_t)size);
}

void hermes_vm_abort(struct hermes_vm *vm)
{
	atomic_store_explicit(&vm->abort_req, 1, memory_order_relaxed);
}

uint64_t hermes_vm_reg(const struct hermes_vm *vm, unsigned r)
{
	return r < 11 ? vm->r[r] : 0;
}

void hermes_vm_set_reg(struct hermes_vm *vm, unsigned r, uint64_t v)
{
	if (r < 11)
		vm->r[r] = v;
}

uint32_t hermes_vm_pc(const struct hermes_vm *vm)
{
	return vm->pc;
}

unsigned hermes_vm_depth(const struct hermes_vm *vm)
{
	return vm->depth;
}
