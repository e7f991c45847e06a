/* SPDX-License-Identifier: MIT */
/* errors.c - words for status codes and fault causes, per-thread error detail. */
#include <stdio.h>

#include "handle.h"

static __thread char thread_errmsg[512];

int hermes__err(struct hermes_dev *dev, int err, const char *fmt, ...)
{
	char *buf = dev ? dev->errmsg : thread_errmsg;
	size_t len = dev ? sizeof(dev->errmsg) : sizeof(thread_errmsg);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return err;
}

const char *hermes_dev_errmsg(const struct hermes_dev *dev)
{
	return dev ? dev->errmsg : thread_errmsg;
}

const char *hermes_status_str(unsigned status)
{
	static const char *const words[] = {
		[HERMES_ST_SUCCESS] = "success",
		[HERMES_ST_NO_SLOT] = "no free slot",
		[HERMES_ST_BAD_PROG_SLOT] = "invalid program slot",
		[HERMES_ST_BAD_DATA_SLOT] = "invalid data slot",
		[HERMES_ST_BAD_ADDR] = "invalid address",
		[HERMES_ST_EBPF_ERROR] = "eBPF error",
		[HERMES_ST_BAD_OPCODE] = "invalid opcode",
	};
	if (status < sizeof(words) / sizeof(words[0]) && words[status])
		return words[status];
	return "unknown status";
}

const char *hermes_fault_str(unsigned cause)
{
	static const char *const words[] = {
		[HERMES_FAULT_NONE] = "no fault",
		[HERMES_FAULT_LOAD] = "load out of bounds",
		[HERMES_FAULT_STORE] = "store out of bounds or to code",
		[HERMES_FAULT_FETCH] = "jump or fetch outside the program",
		[HERMES_FAULT_ILLEGAL] = "illegal instruction",
		[HERMES_FAULT_BUDGET] = "instruction budget exhausted",
		[HERMES_FAULT_CALL_DEPTH] = "call depth exceeded",
		[HERMES_FAULT_ABORTED] = "aborted by host",
		[HERMES_FAULT_UNKNOWN_HELPER] = "unknown helper",
		[HERMES_FAULT_BAD_HELPER_ARG] = "bad helper argument",
	};
	if (cause < sizeof(words) / sizeof(words[0]) && words[cause])
		return words[cause];
	return "unknown fault cause";
}
