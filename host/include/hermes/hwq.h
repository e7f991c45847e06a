/* SPDX-License-Identifier: MIT */
/*
 * hermes/hwq.h - entry layouts of the card's hardware command queues.
 *
 * A queue pair lives in the card's queue region (BAR4 offset EHQOFF, size
 * EHQSZE): a submission ring of struct hermes_hwq_sqe (64 bytes) and a
 * completion ring of struct hermes_hwq_cqe (32 bytes), both written and
 * read by DMA; the registers are in hermes/regs.h (HERMES_EHQ*), the
 * rules in docs/HWQUEUE.md. All fields are little-endian.
 *
 * Versioning: sqe.version must be HERMES_QE_VERSION (1); an entry of any
 * other version completes with HERMES_ST_BAD_OPCODE. Reserved fields are
 * zero; a later version may give them meaning.
 */
#ifndef HERMES_HWQ_H
#define HERMES_HWQ_H

#include <stdint.h>

#include "hermes/regs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One job. Card addresses are BAR4 offsets; an input or output of
 * non-zero length starts on a 64-byte boundary and lies in BAR4. */
struct hermes_hwq_sqe {
	uint8_t opcode;     /* HERMES_QOP_RUN */
	uint8_t flags;      /* HERMES_QF_LINK: the next entry of this queue runs
	                     * after this one and is cancelled if it fails;
	                     * HERMES_QF_DRAIN: starts once every earlier entry
	                     * of this queue has completed */
	uint8_t version;    /* HERMES_QE_VERSION */
	uint8_t prog_slot;  /* a program slot loaded earlier */
	uint32_t budget;    /* instruction budget, 0: EHMAXI */
	uint32_t prog_len;  /* program length in bytes (multiple of 8) */
	uint32_t data_len;  /* r2 of the run (at most a data slot), 0: in_len */
	uint64_t in_addr;   /* input, copied to offset 0 of a fresh data slot */
	uint32_t in_len;    /* input bytes, also the program's r2 unless data_len */
	uint32_t out_len;   /* bytes of the data slot copied out after the run */
	uint64_t out_addr;  /* where the output goes */
	uint64_t user_tag;  /* returned in the completion */
	uint64_t rsvd1[2];
};

/* One completion; valid when (flags & HERMES_HWQ_CQE_PHASE) equals the
 * phase the reader expects (1 on the first pass of the ring, flipping at
 * every wrap). */
struct hermes_hwq_cqe {
	uint64_t user_tag;
	uint64_t r0;        /* on status HERMES_ST_SUCCESS */
	uint32_t retired;   /* instructions retired */
	uint32_t fault_pc;  /* on status HERMES_ST_EBPF_ERROR */
	uint8_t status;     /* HERMES_ST_* */
	uint8_t cause;      /* fault cause (docs/ISA.md) on HERMES_ST_EBPF_ERROR */
	uint16_t sq_index;  /* the entry's index in its submission ring */
	uint8_t rsvd[3];
	uint8_t flags;      /* bit 0: phase */
};

#define HERMES_HWQ_CQE_PHASE 0x01u

/* A wide completion (HERMES_QSIZE_WIDE in Q_SIZE: 64-byte ring entries,
 * the ring 64-byte aligned): the completion, then what the command
 * registers tell of a run, so a host needs no register read per job. */
struct hermes_hwq_cqe_wide {
	struct hermes_hwq_cqe c;
	uint64_t cycles;      /* engine clocks of the run */
	uint64_t fault_addr;  /* fault address on HERMES_ST_EBPF_ERROR */
	uint8_t engine;       /* the engine that ran it, 0xff: none (the entry failed its checks) */
	uint8_t rsvd[15];
};

#ifdef __cplusplus
}
#endif

#endif
