/* SPDX-License-Identifier: MIT */
/*
 * dev.h - the device layer: opening a device by URI, the operations each
 * kind of device provides, the reference device (dev_ref.c).
 */
#ifndef HERMES_DEV_H
#define HERMES_DEV_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "card_obj.h"
#include "handle.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Program-level operations; card devices share the card layer's. run gets
 * opts as hermes_run read them: never NULL, every field there. */
struct hermes_dev_ops {
	int (*info)(struct hermes_dev *dev, struct hermes_info *info);
	int (*run)(struct hermes_dev *dev, const struct hermes_prog *prog,
		   const void *in, size_t in_len, void *out, size_t out_len,
		   const struct hermes_run_opts *opts, struct hermes_run_result *res);
	void (*close)(struct hermes_dev *dev);
	/* Loaded objects (card_obj.h; dev_ref.c). */
	int (*obj_load)(struct hermes_obj *obj);
	void (*obj_unload)(struct hermes_obj *obj);
	int (*obj_run)(struct hermes_obj *obj, const void *in, size_t in_len, void *out, size_t out_len,
		       const struct hermes_run_opts *opts, struct hermes_run_result *res);
	int (*map_begin)(struct hermes_obj *obj, unsigned map, struct hermes_map_mem *m);
	int (*map_end)(struct hermes_obj *obj, int commit);
};

int hermes__dev_ref_open(struct hermes_dev *dev, const char *opts);

/* A finished reference VM run as hermes_run reports it (engine 0, no clocks). */
struct hermes_vm_status;
void hermes__vm_result(const struct hermes_vm_status *st, struct hermes_run_result *res);

/* The simulated card behind a device (NULL when there is none): for
 * co-simulation, instruction traces and tests. */
struct hermes_sim;
struct hermes_sim *hermes__dev_sim(struct hermes_dev *dev);
/* The PCIe cost model of a "sim" device as JSON (hermes_sim_cost_json()),
 * "null" for any other device (its bus is not modelled here). Returns what
 * snprintf returns. */
int hermes__dev_cost_json(struct hermes_dev *dev, char *buf, size_t len);

/* Format the trace records of obj->trace_buf into obj's trace lines (obj_trace.c). */
int hermes__obj_trace_format(struct hermes_obj *obj);
void hermes__obj_trace_clear(struct hermes_obj *obj);

#ifdef __cplusplus
}
#endif

#endif
