/* SPDX-License-Identifier: MIT */
/*
 * fault_report.h - what a user needs to see when a program faults: the
 * cause in words, the faulting instruction disassembled with the code
 * around it, the address and what it points at, the registers at the fault
 * and the last instructions that retired before it.
 *
 * The registers and the last instructions come from a hermes_itrace_state
 * (itrace.h): hermes_itrace_run() fills one on "sim" (rebuilt from the RTL
 * retire stream) and on "ref" (the reference VM's own registers).
 */
#ifndef HERMES_FAULT_REPORT_H
#define HERMES_FAULT_REPORT_H

#include "hermes/hermes.h"
#include "itrace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Instructions listed before and after the faulting one. */
#define HERMES_FAULT_CONTEXT 3

/*
 * What a fault address points at, in words ("data slot + 0x10, 8 bytes
 * crossing its end (0x100000 bytes)", "jump target: instruction -2, ...").
 * info gives the slot sizes (NULL: the defaults of regs.h).
 */
void hermes_fault_addr_str(const struct hermes_prog *prog, const struct hermes_run_result *res,
			   const struct hermes_info *info, char *buf, size_t len);

/*
 * The report as text (several lines, each ending in '\n') or as one JSON
 * object, in a malloc'd string the caller frees. res must hold a fault
 * (status HERMES_ST_EBPF_ERROR). st may be NULL or invalid (no registers:
 * an xdma device). flags: HERMES_ITRACE_NOCLOCK leaves out everything
 * that depends on the device (clocks, where the registers came from), so
 * that the text of "sim" and "ref" can be diffed.
 * Returns 0, -EINVAL (not a fault) or -ENOMEM.
 */
int hermes_fault_report_text(const struct hermes_prog *prog, const struct hermes_run_result *res,
			     const struct hermes_itrace_state *st, const struct hermes_info *info,
			     unsigned flags, char **textp);
int hermes_fault_report_json(const struct hermes_prog *prog, const struct hermes_run_result *res,
			     const struct hermes_itrace_state *st, const struct hermes_info *info,
			     char **jsonp);

#ifdef __cplusplus
}
#endif
#endif
