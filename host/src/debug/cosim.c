/* SPDX-License-Identifier: MIT */
/* cosim.c - RTL retire records against the reference VM, record by record. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosim.h"
#include "grow.h"
#include "dev.h"
#include "hermes_sim.h"
#include "map_slot.h"
#include "opts.h"
#include "prog.h"

struct record_list {
	struct hermes_retire *v;
	size_t n, cap;
};

struct hermes_cosim {
	struct hermes_sim *sim;
	struct record_list eng[HERMES_MODEL_MAX_ENGINES];
	int oom;
};

static void on_retire(void *ctx, const struct hermes_sim_retire *r)
{
	struct hermes_cosim *c = ctx;
	struct record_list *l = &c->eng[r->engine];
	struct hermes_retire *d;

	if (hermes__grow(&l->v, &l->cap, l->n, sizeof(*l->v), 1024)) {
		c->oom = 1;
		return;
	}
	d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	d->pc = r->rec->pc;
	d->insn = r->rec->insn;
	d->rd = r->rec->rd;
	d->rd_value = r->rec->rd_value;
	d->mem = r->rec->mem_kind;
	d->mem_size = r->rec->mem_size;
	d->mem_addr = r->rec->mem_addr;
	d->mem_value = r->rec->mem_value;
}

int hermes_cosim_attach(struct hermes_dev *dev, struct hermes_cosim **cp)
{
	struct hermes_sim *sim = hermes__dev_sim(dev);
	struct hermes_cosim *c;

	if (!sim)
		return hermes__err(dev, -ENOTSUP, "co-simulation needs the 'sim' device");
	c = calloc(1, sizeof(*c));
	if (!c)
		return hermes__err(dev, -ENOMEM, "out of memory");
	c->sim = sim;
	hermes_sim_on_retire(sim, on_retire, c);
	*cp = c;
	return 0;
}

void hermes_cosim_detach(struct hermes_cosim *c)
{
	if (!c)
		return;
	hermes_sim_on_retire(c->sim, NULL, NULL);
	for (unsigned e = 0; e < HERMES_MODEL_MAX_ENGINES; e++)
		free(c->eng[e].v);
	free(c);
}

void hermes_cosim_clear(struct hermes_cosim *c)
{
	for (unsigned e = 0; e < HERMES_MODEL_MAX_ENGINES; e++)
		c->eng[e].n = 0;
	c->oom = 0;
}

const struct hermes_retire *hermes_cosim_records(const struct hermes_cosim *c, unsigned e, size_t *n)
{
	*n = e < HERMES_MODEL_MAX_ENGINES ? c->eng[e].n : 0;
	return *n ? c->eng[e].v : NULL;
}

void hermes_retire_str(const struct hermes_retire *r, char *buf, size_t len)
{
	static const char *const kinds[] = { "none", "load", "store", "atomic" };
	int n = snprintf(buf, len, "pc %u insn 0x%016" PRIx64, r->pc, r->insn);

	if (n > 0 && (size_t)n < len && r->rd != HERMES_RETIRE_NO_REG)
		n += snprintf(buf + n, len - n, " r%u=0x%" PRIx64, r->rd, r->rd_value);
	if (n > 0 && (size_t)n < len && r->mem != HERMES_MEM_NONE)
		snprintf(buf + n, len - n, " %s %u @0x%" PRIx64 " =0x%" PRIx64, kinds[r->mem & 3],
			 r->mem_size, r->mem_addr, r->mem_value);
}

static int same_record(const struct hermes_retire *a, const struct hermes_retire *b)
{
	if (a->pc != b->pc || a->insn != b->insn || a->rd != b->rd || a->mem != b->mem)
		return 0;
	if (a->rd != HERMES_RETIRE_NO_REG && a->rd_value != b->rd_value)
		return 0;
	if (a->mem != HERMES_MEM_NONE &&
	    (a->mem_size != b->mem_size || a->mem_addr != b->mem_addr || a->mem_value != b->mem_value))
		return 0;
	return 1;
}

/* A helper call (call, src 0) and its id, from a record's first slot. */
static int helper_id(uint64_t insn, int32_t *id)
{
	if ((insn & 0xff) != 0x85 || ((insn >> 12) & 0xf) != 0)
		return 0;
	*id = (int32_t)(uint32_t)(insn >> 32);
	return 1;
}

/*
 * Step vm beside records l: 0 when every record matches and both stopped at
 * the same point, 1 with report. ktime (5) and prandom (7) results are
 * the RTL's (the VM's r0 follows them); ktime may not decrease.
 */
static int compare_records(const struct record_list *l, struct hermes_vm *vm, struct hermes_vm_status *stp,
			   char *report, size_t report_len)
{
	struct hermes_vm_status scratch, *st = stp ? stp : &scratch;
	struct hermes_retire ref;
	uint64_t ktime = 0;
	size_t ktime_at = 0;
	int have_ktime = 0;
	char a[160], b[160];
	size_t i = 0;
	int32_t id;

	for (;;) {
		int retired = hermes_vm_step(vm, &ref, st);

		if (!retired) {
			if (i < l->n) {
				hermes_retire_str(&l->v[i], a, sizeof(a));
				snprintf(report, report_len,
					 "record %zu: RTL retired [%s], reference VM stopped (fault %u at pc %u)",
					 i, a, st->fault, st->fault_pc);
				return 1;
			}
			return 0;
		}
		if (i >= l->n) {
			hermes_retire_str(&ref, b, sizeof(b));
			snprintf(report, report_len, "record %zu: RTL stopped, reference VM retired [%s]", i, b);
			return 1;
		}
		if (l->v[i].pc == ref.pc && l->v[i].insn == ref.insn && helper_id(ref.insn, &id) &&
		    (id == HERMES_HELPER_KTIME || id == HERMES_HELPER_PRANDOM) && l->v[i].rd == 0 && ref.rd == 0) {
			/* the card's clock and generator: take its answer */
			if (id == HERMES_HELPER_KTIME) {
				if (l->v[i].rd_value % 4) {
					snprintf(report, report_len,
						 "record %zu: ktime_get_ns 0x%" PRIx64 " is not 4 x the card's clocks", i,
						 l->v[i].rd_value);
					return 1;
				}
				if (have_ktime && l->v[i].rd_value < ktime) {
					snprintf(report, report_len,
						 "record %zu: ktime_get_ns went back: 0x%" PRIx64 " after 0x%" PRIx64
						 " at record %zu",
						 i, l->v[i].rd_value, ktime, ktime_at);
					return 1;
				}
				ktime = l->v[i].rd_value;
				ktime_at = i;
				have_ktime = 1;
			}
			ref.rd_value = l->v[i].rd_value;
			hermes_vm_set_reg(vm, 0, ref.rd_value);
		}
		if (!same_record(&l->v[i], &ref)) {
			hermes_retire_str(&l->v[i], a, sizeof(a));
			hermes_retire_str(&ref, b, sizeof(b));
			snprintf(report, report_len, "record %zu differs:\n  RTL: %s\n  ref: %s", i, a, b);
			return 1;
		}
		i++;
		if (st->done) {
			if (i < l->n) {
				hermes_retire_str(&l->v[i], a, sizeof(a));
				snprintf(report, report_len, "record %zu: RTL retired [%s] after the reference VM's exit",
					 i, a);
				return 1;
			}
			return 0;
		}
	}
}

int hermes_cosim_check(const struct hermes_cosim *c, unsigned e, const struct hermes_prog *prog,
		       const void *in, size_t in_len, uint32_t data_len, uint64_t max_insns,
		       char *report, size_t report_len)
{
	const struct record_list *l = e < HERMES_MODEL_MAX_ENGINES ? &c->eng[e] : NULL;
	unsigned char *pslot = calloc(1, HERMES_DEFAULT_PROG_SLOT_SIZE);
	unsigned char *dslot = calloc(1, HERMES_DEFAULT_DATA_SLOT_SIZE);
	struct hermes_vm *vm = hermes_vm_new(HERMES_DEFAULT_PROG_SLOT_SIZE, HERMES_DEFAULT_DATA_SLOT_SIZE);
	int rc = 0;

	report[0] = '\0';
	if (!l || !pslot || !dslot || !vm || c->oom || prog->image_len > HERMES_DEFAULT_PROG_SLOT_SIZE ||
	    in_len > HERMES_DEFAULT_DATA_SLOT_SIZE) {
		rc = !l || prog->image_len > HERMES_DEFAULT_PROG_SLOT_SIZE ||
		     in_len > HERMES_DEFAULT_DATA_SLOT_SIZE ? -EINVAL : -ENOMEM;
		goto out;
	}
	memcpy(pslot, prog->image, prog->image_len);
	if (in_len)
		memcpy(dslot, in, in_len);
	if (!data_len)
		data_len = in_len ? (uint32_t)in_len : HERMES_DEFAULT_DATA_SLOT_SIZE;
	if ((rc = hermes_vm_load(vm, pslot, prog->code_len, dslot, data_len)))
		goto out;
	hermes_vm_reset(vm, max_insns ? max_insns : HERMES_DEFAULT_MAX_INSNS);
	rc = compare_records(l, vm, NULL, report, report_len);
out:
	hermes_vm_free(vm);
	free(pslot);
	free(dslot);
	return rc;
}

/* ---- loaded objects with maps ---- */

size_t hermes_cosim_obj_slot_size(const struct hermes_obj *obj, unsigned which)
{
	if (!obj)
		return 0;
	return which == HERMES_COSIM_PROG_SLOT ? obj->dev->info.prog_slot_size
	       : which == HERMES_COSIM_MAP_SLOT ? obj->dev->map_slot_size : 0;
}

int hermes_cosim_obj_read(struct hermes_obj *obj, unsigned which, uint32_t off, void *buf, size_t len)
{
	if (!obj)
		return hermes__err(NULL, -EINVAL, "hermes_cosim_obj_read: obj is NULL");
	if (which > HERMES_COSIM_PROG_SLOT || (len && !buf))
		return hermes__err(obj->dev, -EINVAL, "hermes_cosim_obj_read: slot %u, %s", which,
				   len && !buf ? "no buffer" : "neither the map slot nor the program slot");
	if (!hermes__dev_sim(obj->dev))
		return hermes__err(obj->dev, -ENOTSUP, "co-simulation needs the 'sim' device");
	return hermes__card_obj_read(obj, which == HERMES_COSIM_PROG_SLOT, off, buf, len);
}

static const char *map_type_name(uint32_t t)
{
	return t == HERMES_MAP_HASH ? "HASH" : t == HERMES_MAP_ARRAY ? "ARRAY"
	       : t == HERMES_MAP_PERCPU_ARRAY ? "PERCPU_ARRAY" : "?";
}

/* What map slot offset off is, as text (docs/MAPS.md "Map slot layout"). */
static void describe_offset(const struct hermes_obj *obj, uint32_t off, char *buf, size_t len)
{
	static const char *const fields[] = { "type", "key_size", "value_size", "max_entries", "storage",
					      "value_stride", "entry_stride", "capacity", "log2_capacity",
					      "count", "copies", "reserved" };

	if (off < HERMES_MAP_TRACE_OFF) {
		unsigned i = off / HERMES_MAP_DESC_SIZE, f = off % HERMES_MAP_DESC_SIZE;

		if (i < obj->nmaps)
			snprintf(buf, len, "descriptor of map %u '%s', %s%s (+%u)", i, obj->prog->maps[i].name,
				 f < 48 ? fields[f / 4] : "past the fields", f < 48 ? " field" : "", f);
		else
			snprintf(buf, len, "descriptor %u (no map), +%u", i, f);
		return;
	}
	if (off < HERMES_MAP_STORAGE_OFF) {
		uint32_t t = off - HERMES_MAP_TRACE_OFF, e = t / HERMES_MAP_TRACE_SIZE, r = t % HERMES_MAP_TRACE_SIZE;

		if (r < 4)
			snprintf(buf, len, "trace buffer of engine %u, record count byte %u", e, r);
		else if (r < HERMES_MAP_TRACE_REC_OFF)
			snprintf(buf, len, "trace buffer of engine %u, +%u (unused)", e, r);
		else
			snprintf(buf, len, "trace buffer of engine %u, record %u +%u", e,
				 (r - HERMES_MAP_TRACE_REC_OFF) / HERMES_MAP_TRACE_REC_SIZE,
				 (r - HERMES_MAP_TRACE_REC_OFF) % HERMES_MAP_TRACE_REC_SIZE);
		return;
	}
	for (unsigned i = 0; i < obj->nmaps; i++) {
		const struct hermes_map_desc *d = &obj->descs[i];
		uint64_t bytes = hermes__map_storage_bytes(d);
		uint32_t o, n;

		if (off < d->storage || off - d->storage >= bytes)
			continue;
		o = off - d->storage;
		if (d->type == HERMES_MAP_HASH) {
			uint32_t kpad = (d->key_size + 7u) & ~7u, x = o % d->entry_stride;

			n = snprintf(buf, len, "map %u '%s' (HASH), entry %u +%u: ", i, obj->prog->maps[i].name,
				     o / d->entry_stride, x);
			if (n < len)
				snprintf(buf + n, len - n, "%s byte %u",
					 x < 4 ? "flags" : x < 8 ? "home" : x < 8 + kpad ? "key" : "value",
					 x < 4 ? x : x < 8 ? x - 4 : x < 8 + kpad ? x - 8 : x - 8 - kpad);
		} else if (d->type == HERMES_MAP_PERCPU_ARRAY) {
			uint32_t v = o / d->value_stride, x = o % d->value_stride;

			snprintf(buf, len, "map %u '%s' (PERCPU_ARRAY), engine %u's copy of index %u, value byte %u%s", i,
				 obj->prog->maps[i].name, v / d->capacity, v % d->capacity, x,
				 x >= d->value_size ? " (padding)" : "");
		} else {
			uint32_t v = o / d->value_stride, x = o % d->value_stride;

			snprintf(buf, len, "map %u '%s' (%s), index %u, value byte %u%s", i, obj->prog->maps[i].name,
				 map_type_name(d->type), v, x, x >= d->value_size ? " (padding)" : "");
		}
		return;
	}
	snprintf(buf, len, "storage outside every map");
}

/* The first byte where the card's map slot and the VM's differ; 1 with report, or 0. */
static int compare_map_slot(const struct hermes_obj *obj, const uint8_t *card, const uint8_t *vm, size_t size,
			    unsigned e, char *report, size_t report_len)
{
	char what[192];
	size_t i, n = 0, last = 0;

	if (!memcmp(card, vm, size))
		return 0;
	for (i = 0; card[i] == vm[i]; i++)
		;
	for (size_t j = i; j < size; j++)
		if (card[j] != vm[j])
			n++, last = j;
	describe_offset(obj, (uint32_t)i, what, sizeof(what));
	snprintf(report, report_len,
		 "map slot differs after the run on engine %u at offset 0x%zx (%s): card 0x%02x, reference VM 0x%02x"
		 " (%zu bytes differ, the last at 0x%zx)",
		 e, i, what, card[i], vm[i], n, last);
	return 1;
}

static void result_str(const struct hermes_run_result *r, char *buf, size_t len)
{
	if (r->status == HERMES_ST_SUCCESS)
		snprintf(buf, len, "r0 0x%" PRIx64 " after %" PRIu64 " insns", r->r0, r->insns);
	else if (r->status == HERMES_ST_EBPF_ERROR)
		snprintf(buf, len, "fault %u at pc %u addr 0x%" PRIx64 " after %" PRIu64 " insns", r->cause, r->pc,
			 r->addr, r->insns);
	else
		snprintf(buf, len, "status %u (%s) after %" PRIu64 " insns", r->status, hermes_status_str(r->status),
			 r->insns);
}

/* The card's result against the VM's end; 1 with report, or 0. */
static int compare_result(const struct hermes_run_result *card, const struct hermes_vm_status *st, char *report,
			  size_t report_len)
{
	struct hermes_run_result vm;
	char a[128], b[128];
	int same;

	memset(&vm, 0, sizeof(vm));
	hermes__vm_result(st, &vm);
	same = card->status == vm.status && card->insns == vm.insns &&
	       (vm.status == HERMES_ST_SUCCESS ? card->r0 == vm.r0
					       : card->cause == vm.cause && card->pc == vm.pc && card->addr == vm.addr);
	if (same)
		return 0;
	result_str(card, a, sizeof(a));
	result_str(&vm, b, sizeof(b));
	snprintf(report, report_len, "the run's result differs: card %s, reference VM %s", a, b);
	return 1;
}

int hermes_cosim_check_obj(const struct hermes_cosim *c, unsigned e, struct hermes_obj *obj,
			   const void *map_before, const void *in, size_t in_len,
			   const struct hermes_cosim_obj_opts *opts, char *report, size_t report_len)
{
	struct hermes_cosim_obj_opts o = { .sz = sizeof(o) };
	const struct record_list *l;
	struct hermes_dev *dev;
	size_t psize, dsize, msize;
	uint8_t *pslot = NULL, *dslot = NULL, *vm_map = NULL, *card_map = NULL;
	struct hermes_vm *vm = NULL;
	struct hermes_vm_status st;
	uint32_t data_len;
	int rc, err;

	if (report_len)
		report[0] = '\0';
	if (!c || !obj)
		return hermes__err(obj ? obj->dev : NULL, -EINVAL, "hermes_cosim_check_obj: cosim and obj are required");
	dev = obj->dev;
	if ((rc = hermes__opts_read(dev, "hermes_cosim_check_obj", opts, &o, sizeof(o))))
		return rc;
	if (hermes__dev_sim(dev) != c->sim)
		return hermes__err(dev, -EINVAL, "hermes_cosim_check_obj: the object is not loaded on the cosim's device");
	if (e >= HERMES_MODEL_MAX_ENGINES || e >= HERMES_MAP_TRACE_ENGINES)
		return hermes__err(dev, -EINVAL, "hermes_cosim_check_obj: no engine %u", e);
	if (!map_before || !report || !report_len || (in_len && !in))
		return hermes__err(dev, -EINVAL, "hermes_cosim_check_obj: map_before, report and in (when in_len > 0) are required");
	if (c->oom)
		return hermes__err(dev, -ENOMEM, "out of memory for retire records");
	l = &c->eng[e];
	psize = hermes_cosim_obj_slot_size(obj, HERMES_COSIM_PROG_SLOT);
	dsize = dev->info.data_slot_size;
	msize = hermes_cosim_obj_slot_size(obj, HERMES_COSIM_MAP_SLOT);
	if (!msize)
		return hermes__err(dev, -ENOTSUP, "the card has no maps (EHCAP bit 7 is clear)");
	if (obj->prog->image_len > psize || in_len > dsize || o.data_len > dsize)
		return hermes__err(dev, -E2BIG, "hermes_cosim_check_obj: the image or the input does not fit its slot");
	pslot = calloc(1, psize);
	dslot = calloc(1, dsize);
	vm_map = malloc(msize);
	card_map = o.map_after ? o.map_after : malloc(msize);
	vm = hermes_vm_new(psize, dsize);
	if (!pslot || !dslot || !vm_map || !card_map || !vm) {
		rc = hermes__err(dev, -ENOMEM, "out of memory for the reference VM's slots");
		goto out;
	}
	if (o.prog_slot)
		memcpy(pslot, o.prog_slot, psize);
	else
		memcpy(pslot, obj->prog->image, obj->prog->image_len);
	if (in_len)
		memcpy(dslot, in, in_len);
	memcpy(vm_map, map_before, msize);
	data_len = o.data_len ? o.data_len : in_len ? (uint32_t)in_len : (uint32_t)dsize;
	if ((rc = hermes_vm_load(vm, pslot, obj->prog->code_len, dslot, data_len))) {
		rc = hermes__err(dev, rc, "the reference VM cannot load the program");
		goto out;
	}
	hermes_vm_set_map_slot(vm, vm_map, msize, e);
	hermes_vm_reset(vm, o.max_insns ? o.max_insns : HERMES_DEFAULT_MAX_INSNS);
	rc = compare_records(l, vm, &st, report, report_len);
	if (!rc && o.result)
		rc = compare_result(o.result, &st, report, report_len);
	/* the card's map slot after the run, for the caller's next run even after a difference */
	if ((err = hermes__card_obj_read(obj, 0, 0, card_map, msize)))
		rc = err;
	else if (!rc)
		rc = compare_map_slot(obj, card_map, vm_map, msize, e, report, report_len);
out:
	hermes_vm_free(vm);
	free(pslot);
	free(dslot);
	free(vm_map);
	if (card_map != o.map_after)
		free(card_map);
	return rc;
}
