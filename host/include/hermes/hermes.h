/* SPDX-License-Identifier: MIT */
/*
 * hermes/hermes.h - libhermes, the host runtime of the Hermes eBPF card.
 *
 * One API drives the Verilator model in-process ("sim"), a card (or an
 * xdma-fuse mount) through the Xilinx XDMA driver's nodes ("xdma:PREFIX"),
 * or the reference VM ("ref", program level only).
 *
 * Conventions: functions return 0 or a negative errno. When a call on a
 * device fails, hermes_dev_errmsg() returns a sentence saying what went
 * wrong; the library never prints. Options structs start with their size
 * (set .sz = sizeof(struct ...)) so that fields can be added later.
 */
#ifndef HERMES_HERMES_H
#define HERMES_HERMES_H

#include <stddef.h>
#include <stdint.h>

#include "hermes/isa.h"
#include "hermes/regs.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_dev;

/*
 * hermes_dev_open - open a device by URI.
 *   "sim"             in-process simulated card (default; "sim:opt=val,...")
 *   "xdma:/dev/xdma0" card behind the XDMA driver, or any node prefix
 *   "ref"             the reference VM (runs programs; no slots, no DMA)
 * uri == NULL means $HERMES_DEVICE, else "sim".
 * Returns 0 and sets *devp, or a negative errno; on failure
 * hermes_dev_errmsg(NULL) returns the reason (per thread).
 */
int hermes_dev_open(const char *uri, struct hermes_dev **devp);
void hermes_dev_close(struct hermes_dev *dev);

/*
 * The detail of the last failed call on dev. With dev NULL: the detail of
 * the last failed call in this thread that had no device (hermes_dev_open,
 * hermes_prog_load, ...).
 */
const char *hermes_dev_errmsg(const struct hermes_dev *dev);

/* Device kind names: "sim", "xdma", "ref". */
const char *hermes_dev_kind(const struct hermes_dev *dev);

struct hermes_info {
	uint32_t version;          /* EHVER */
	char build[HERMES_EHBLD_LEN + 1]; /* EHBLD, NUL terminated */
	uint8_t engines;           /* EHENG */
	uint8_t prog_slots;        /* EHPSLOT */
	uint8_t data_slots;        /* EHDSLOT */
	uint32_t prog_slot_off;    /* EHPSOFF */
	uint32_t prog_slot_size;   /* EHPSSZE */
	uint32_t data_slot_off;    /* EHDSOFF */
	uint32_t data_slot_size;   /* EHDSSZE */
	uint32_t caps;             /* EHCAP, HERMES_CAP_* bits */
	uint32_t max_insns;        /* EHMAXI */
	uint8_t h2c_channels;      /* DMA channels found by identifier (0 for ref) */
	uint8_t c2h_channels;
};

/* Read the identity and geometry registers (BAR0; BAR2 channel ids). */
int hermes_dev_info(struct hermes_dev *dev, struct hermes_info *info);

/* Raw BAR0 access, 4 bytes at a 4-aligned offset (not on "ref"). */
int hermes_dev_read32(struct hermes_dev *dev, uint32_t off, uint32_t *val);
int hermes_dev_write32(struct hermes_dev *dev, uint32_t off, uint32_t val);

/*
 * Programs. A program image is what goes into a program slot: the code
 * (code_len bytes, 8 per instruction slot) followed by its globals
 * (.rodata/.data/.bss for ELF objects).
 */
struct hermes_prog;

struct hermes_prog_opts {
	size_t sz;             /* sizeof(struct hermes_prog_opts) */
	const char *section;   /* ELF entry: section or function name, NULL: the only one */
};

/*
 * hermes_prog_load - load a program file: an ELF object (by its magic),
 * assembly (".s") or raw bytecode (anything else, e.g. ".bin").
 * opts may be NULL. On failure returns a negative errno and
 * hermes_dev_errmsg(NULL) names the file and what is wrong with it.
 */
int hermes_prog_load(const char *path, const struct hermes_prog_opts *opts,
		     struct hermes_prog **progp);

/* Wrap raw bytecode (len a non-zero multiple of 8) as a program, no globals. */
int hermes_prog_from_bytecode(const void *code, size_t len, struct hermes_prog **progp);

/*
 * Build a program from an image: code_len bytes of code followed by
 * image_len - code_len bytes of globals. The image is copied.
 */
int hermes_prog_from_image(const void *image, size_t image_len, size_t code_len,
			   struct hermes_prog **progp);

void hermes_prog_free(struct hermes_prog *prog);
const void *hermes_prog_image(const struct hermes_prog *prog);
size_t hermes_prog_image_len(const struct hermes_prog *prog);
size_t hermes_prog_code_len(const struct hermes_prog *prog);

/* Running a program. */
struct hermes_run_opts {
	size_t sz;             /* sizeof(struct hermes_run_opts) */
	int engine;            /* engine to use, -1: any idle one */
	uint64_t max_insns;    /* instruction budget, 0: the device default (EHMAXI) */
	unsigned timeout_ms;   /* host-side timeout, 0: 10000 */
	uint32_t data_len;     /* value of r2, 0: in_len (or the slot size if in_len is 0) */
};

struct hermes_run_result {
	unsigned status;       /* HERMES_ST_* */
	uint64_t r0;           /* valid with HERMES_ST_SUCCESS */
	uint64_t insns;        /* retired instructions */
	uint64_t cycles;       /* engine clocks (0 on "ref") */
	int engine;            /* engine that ran it (0 on "ref") */
	unsigned cause;        /* enum hermes_fault, with HERMES_ST_EBPF_ERROR */
	uint32_t pc;           /* fault pc (instruction index) */
	uint64_t addr;         /* fault address */
};

/*
 * hermes_run - run prog once on a data slot holding in (in_len bytes, the
 * rest of the slot zero), then copy the first out_len bytes of the data
 * slot to out (out may be NULL with out_len 0). opts may be NULL.
 * Returns 0 when the device completed the command (res->status says how it
 * went, a fault included), or a negative errno when the run could not be
 * done (bad arguments, I/O error, timeout) with the detail in
 * hermes_dev_errmsg(dev).
 */
int hermes_run(struct hermes_dev *dev, const struct hermes_prog *prog,
	       const void *in, size_t in_len, void *out, size_t out_len,
	       const struct hermes_run_opts *opts, struct hermes_run_result *res);

/* Words for a status code ("success", "no free slot", ...). */
const char *hermes_status_str(unsigned status);

#ifdef __cplusplus
}
#endif
#endif
