/* SPDX-License-Identifier: MIT */
/*
 * hermes/regs.h - BAR0 register map of the Hermes card (docs/ARCHITECTURE.md "BAR0").
 *
 * rtl/hermes_pkg.sv holds the same values for the RTL; the unit test
 * test_regs_consistency parses that package and fails when the two differ.
 */
#ifndef HERMES_REGS_H
#define HERMES_REGS_H

/* Identity and geometry. */
#define HERMES_EHVER       0x0000u
#define HERMES_EHBLD       0x0004u
#define HERMES_EHBLD_LEN   48u
#define HERMES_EHENG       0x0034u /* byte */
#define HERMES_EHPSLOT     0x0035u /* byte */
#define HERMES_EHDSLOT     0x0036u /* byte */
#define HERMES_EHPSOFF     0x0038u
#define HERMES_EHPSSZE     0x003Cu
#define HERMES_EHDSOFF     0x0040u
#define HERMES_EHDSSZE     0x0044u
#define HERMES_EHCAP       0x0048u
#define HERMES_EHMAXI      0x004Cu

/* Card reset (docs/REGISTERS.md "EHRESET"): write HERMES_RESET_KEY to reset;
 * reads give BUSY, SCRUB and the count of resets since power-on. */
#define HERMES_EHRESET     0x0050u
#define HERMES_RESET_KEY   0x48525354u /* "HRST" */
#define HERMES_RESET_BUSY        (1u << 0)
#define HERMES_RESET_SCRUB       (1u << 1)
#define HERMES_RESET_COUNT_SHIFT 16

#define HERMES_VERSION     1u

/* EHCAP bits. */
#define HERMES_CAP_ATOMICS     (1u << 0)
#define HERMES_CAP_LOCAL_CALLS (1u << 1)
#define HERMES_CAP_ABORT       (1u << 2)
#define HERMES_CAP_PERF        (1u << 3)
#define HERMES_CAP_ITRACE      (1u << 4)
#define HERMES_CAP_RESET       (1u << 5)
#define HERMES_CAP_HWQUEUE     (1u << 6) /* hardware command queues (EHQ*) */

/* Per-engine command registers. */
#define HERMES_EHCMDREQ_BASE    0x1000u
#define HERMES_EHCMDREQ_STRIDE  48u
#define HERMES_EHCMDREQ_LEN     32u
#define HERMES_EHCMDRES_BASE    0x1020u
#define HERMES_EHCMDRES_STRIDE  48u
#define HERMES_EHCMDRES_LEN     16u
#define HERMES_EHCMDCTRL_BASE   0x2000u
#define HERMES_EHCMDCTRL_STRIDE 8u
#define HERMES_EHENGSTAT_BASE   0x3000u
#define HERMES_EHENGSTAT_STRIDE 64u

#define HERMES_EHCMDREQ(e)   (HERMES_EHCMDREQ_BASE + HERMES_EHCMDREQ_STRIDE * (e))
#define HERMES_EHCMDRES(e)   (HERMES_EHCMDRES_BASE + HERMES_EHCMDRES_STRIDE * (e))
#define HERMES_EHCMDCTRL(e)  (HERMES_EHCMDCTRL_BASE + HERMES_EHCMDCTRL_STRIDE * (e))
#define HERMES_EHENGSTAT(e)  (HERMES_EHENGSTAT_BASE + HERMES_EHENGSTAT_STRIDE * (e))

/* EHCMDCTRL byte lanes (of the first word). */
#define HERMES_CTRL_EXEC_SHIFT   0
#define HERMES_CTRL_DONE_SHIFT   8
#define HERMES_CTRL_ABORT_SHIFT  16
#define HERMES_CTRL_IRQEN_SHIFT  24
#define HERMES_CTRL_EXEC  (1u << HERMES_CTRL_EXEC_SHIFT)  /* host sets: run the request; the card clears when done */
#define HERMES_CTRL_DONE  (1u << HERMES_CTRL_DONE_SHIFT)  /* card sets: response ready; host clears to acknowledge */
#define HERMES_CTRL_ABORT (1u << HERMES_CTRL_ABORT_SHIFT) /* host sets: stop the running program */
#define HERMES_CTRL_IRQEN (1u << HERMES_CTRL_IRQEN_SHIFT) /* raise the engine's user interrupt on DONE */

/* EHENGSTAT fields (offsets inside one engine's block). */
#define HERMES_STAT_STATE      0x00u
#define HERMES_STAT_INSNS      0x08u
#define HERMES_STAT_CYCLES     0x10u
#define HERMES_STAT_FAULT_PC   0x18u
#define HERMES_STAT_FAULT_CAUSE 0x1Cu
#define HERMES_STAT_FAULT_ADDR 0x20u

/* Engine states (EHENGSTAT +0x00). */
#define HERMES_STATE_IDLE    0u
#define HERMES_STATE_RUNNING 1u
#define HERMES_STATE_FAULT   2u

/* Command opcodes. */
#define HERMES_CMD_REQ_SLOT  0x00u
#define HERMES_CMD_REL_SLOT  0x01u
#define HERMES_CMD_RUN       0x80u

/* Slot types (Request/Release Slot byte 8). */
#define HERMES_SLOT_PROG 0u
#define HERMES_SLOT_DATA 1u

/* Command status (EHCMDRES byte 2). */
#define HERMES_ST_SUCCESS        0u
#define HERMES_ST_NO_SLOT        1u
#define HERMES_ST_BAD_PROG_SLOT  2u
#define HERMES_ST_BAD_DATA_SLOT  3u
#define HERMES_ST_BAD_ADDR       4u
#define HERMES_ST_EBPF_ERROR     5u
#define HERMES_ST_BAD_OPCODE     6u
#define HERMES_ST_CANCELED       7u /* queues: an earlier linked entry failed */

/*
 * Hardware command queues (docs/HWQUEUE.md). Geometry words, then one
 * block of HERMES_EHQ_STRIDE bytes per queue q at HERMES_EHQ(q); the
 * entry layouts are in hermes/hwq.h.
 */
#define HERMES_EHQNUM     0x4000u /* 7:0 queues, 15:8 first queue interrupt vector */
#define HERMES_EHQOFF     0x4004u /* BAR4 offset of the queue region */
#define HERMES_EHQSZE     0x4008u /* its size in bytes */
#define HERMES_EHQENG     0x400Cu /* engines the dispatcher may use (bit e: engine e; reset: all) */
#define HERMES_EHQ_BASE   0x4100u
#define HERMES_EHQ_STRIDE 32u
#define HERMES_EHQ_MAX    16u
#define HERMES_EHQ(q)     (HERMES_EHQ_BASE + HERMES_EHQ_STRIDE * (q))
#define HERMES_Q_CTRL     0x00u /* bit 0 enable, bit 1 configuration error, bit 2 busy (read-only) */
#define HERMES_Q_SQBASE   0x04u /* BAR4 offset of the submission ring */
#define HERMES_Q_CQBASE   0x08u /* BAR4 offset of the completion ring */
#define HERMES_Q_SIZE     0x0Cu /* 3:0 log2 SQ entries, 11:8 log2 CQ entries, 12 wide
				* completions (64 bytes), 31:16 engines of the queue (0: all) */
#define HERMES_QSIZE_WIDE (1u << 12)
#define HERMES_QSIZE_ENG(mask) ((uint32_t)(mask) << 16)
#define HERMES_Q_SQTAIL   0x10u /* write-only doorbell; bit 31: 30:16 is the CQ head too */
#define HERMES_Q_CQHEAD   0x14u /* write-only: CQ head, credit only (the interrupt needs no re-arm) */
#define HERMES_Q_MOD      0x18u /* 15:0 completions per interrupt, 31:16 clocks */
#define HERMES_Q_STAT     0x1Cu /* read-only: 15:0 SQ head, 31:16 CQ tail */
#define HERMES_QCTRL_EN   0x01u
#define HERMES_QCTRL_ERR  0x02u
#define HERMES_QCTRL_BUSY 0x04u /* jobs of the queue still in the dispatcher's hands */
#define HERMES_QOP_RUN    0x01u
#define HERMES_QF_LINK    0x01u
#define HERMES_QF_DRAIN   0x02u
#define HERMES_QE_VERSION 1u

/*
 * Maps and helpers (docs/MAPS.md): map slot p (program slot p's) lies at
 * BAR4 offset HERMES_EHMSOFF + p x HERMES_EHMSSZE. HERMES_EHMLOCK: write 1
 * to request the host map lock, 0 to release it; bit 0 reads 1 once it is
 * granted (then no engine is inside map helpers 1-3).
 */
#define HERMES_EHMSOFF         0x4400u /* BAR4 offset of map slot 0 */
#define HERMES_EHMSSZE         0x4404u /* map slot size in bytes */
#define HERMES_EHMLOCK         0x4408u /* host map lock: bit 0 request (write) / granted (read) */
#define HERMES_CAP_MAPS        (1u << 7)
#define HERMES_MS_TRACE_OFF    0x1000u /* trace buffer of engine e at + e x HERMES_MS_TRACE_STRIDE */
#define HERMES_MS_TRACE_STRIDE 0x800u
#define HERMES_MS_STORAGE_OFF  0x9000u /* map storage: programs store only at or above it */

/* Identity words of the default build (hermes_top parameters). */
#define HERMES_DEFAULT_ENGINES        4u
#define HERMES_DEFAULT_PROG_SLOTS     16u
#define HERMES_DEFAULT_DATA_SLOTS     16u
#define HERMES_DEFAULT_PROG_SLOT_SIZE 0x10000u
#define HERMES_DEFAULT_DATA_SLOT_SIZE 0x100000u
#define HERMES_DEFAULT_MAX_INSNS      0x1000000u
#define HERMES_DEFAULT_QUEUES         8u
#define HERMES_DEFAULT_QUEUE_BYTES    0x800000u
#define HERMES_DEFAULT_MAP_SLOT_SIZE  0x40000u

#endif
