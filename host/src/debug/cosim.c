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

int hermes_cosim_check(const struct hermes_cosim *c, unsigned e, const struct hermes_prog *prog,
		       const void *in, size_t in_len, uint32_t data_len, uint64_t max_insns,
		       char *report, size_t report_len)
{
	const struct record_list *l = e < HERMES_MODEL_MAX_ENGINES ? &c->eng[e] : NULL;
	unsigned char *pslot = calloc(1, HERMES_DEFAULT_PROG_SLOT_SIZE);
	unsigned char *dslot = calloc(1, HERMES_DEFAULT_DATA_SLOT_SIZE);
	struct hermes_vm *vm = hermes_vm_new(HERMES_DEFAULT_PROG_SLOT_SIZE, HERMES_DEFAULT_DATA_SLOT_SIZE);
	struct hermes_vm_status st;
	struct hermes_retire ref;
	char a[160], b[160];
	size_t i = 0;
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
	for (;;) {
		int retired = hermes_vm_step(vm, &ref, &st);

		if (!retired) {
			if (i < l->n) {
				hermes_retire_str(&l->v[i], a, sizeof(a));
				snprintf(report, report_len,
					 "record %zu: RTL retired [%s], reference VM stopped (fault %u at pc %u)",
					 i, a, st.fault, st.fault_pc);
				rc = 1;
			}
			break;
		}
		if (i >= l->n) {
			hermes_retire_str(&ref, b, sizeof(b));
			snprintf(report, report_len, "record %zu: RTL stopped, reference VM retired [%s]", i, b);
			rc = 1;
			break;
		}
		if (!same_record(&l->v[i], &ref)) {
			hermes_retire_str(&l->v[i], a, sizeof(a));
			hermes_retire_str(&ref, b, sizeof(b));
			snprintf(report, report_len, "record %zu differs:\n  RTL: %s\n  ref: %s", i, a, b);
			rc = 1;
			break;
		}
		i++;
		if (st.done) {
			if (i < l->n) {
				hermes_retire_str(&l->v[i], a, sizeof(a));
				snprintf(report, report_len, "record %zu: RTL retired [%s] after the reference VM's exit",
					 i, a);
				rc = 1;
			}
			break;
		}
	}
out:
	hermes_vm_free(vm);
	free(pslot);
	free(dslot);
	return rc;
}
