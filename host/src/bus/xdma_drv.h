/* SPDX-License-Identifier: MIT */
/*
 * xdma_drv.h - a small user-space XDMA driver.
 *
 * It does for the simulated card what the Xilinx XDMA kernel driver does
 * for a real one: it builds 32-byte descriptor chains (magic 0xAD4B, next
 * pointers, adjacent counts within a 4 KiB page, stop + completed on the
 * last one) in DMA-able host memory, programs the channel's SGDMA and
 * control registers in BAR2, waits for the channel interrupt (or polls),
 * reads status (clear on read) and the completed-descriptor count, and
 * stops the channel. BAR2 reads are round trips (250 clocks under the PCIe
 * cost model) where writes are posted, so a run reads only what it cannot
 * know: the status once after the interrupt (a channel that stopped on
 * its last descriptor is idle: no wait for busy to fall, no second
 * status read), the completed-descriptor count once, and the busy bit
 * before a start only when the driver did not leave the channel idle
 * itself (first use, after an error). Two reads a transfer, not nine. Transfers larger than its bounce buffer are done in
 * several runs; each run is split into descriptors of at most
 * max_desc_bytes. Data sits in the bounce buffer at the same offset modulo
 * 64 as the caller's buffer, so host-side alignment is the caller's.
 *
 * Everything it needs from the outside comes through struct
 * hermes_xdma_io, so bus_sim and xdma-fuse share this code. Errors are
 * negative errnos with a sentence recorded through hermes__err().
 */
#ifndef HERMES_XDMA_DRV_H
#define HERMES_XDMA_DRV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_dev;

/* BAR2 layout (PG195). */
#define HERMES_XDMA_H2C(ch)        (0x0000u + 0x100u * (ch))
#define HERMES_XDMA_C2H(ch)        (0x1000u + 0x100u * (ch))
#define HERMES_XDMA_IRQ            0x2000u
#define HERMES_XDMA_CFG            0x3000u
#define HERMES_XDMA_H2C_SG(ch)     (0x4000u + 0x100u * (ch))
#define HERMES_XDMA_C2H_SG(ch)     (0x5000u + 0x100u * (ch))
#define HERMES_XDMA_MAX_CHANNELS   4u

/* Channel registers. */
#define HERMES_XDMA_CH_ID          0x00u
#define HERMES_XDMA_CH_CTRL        0x04u
#define HERMES_XDMA_CH_CTRL_W1S    0x08u
#define HERMES_XDMA_CH_CTRL_W1C    0x0Cu
#define HERMES_XDMA_CH_STATUS      0x40u
#define HERMES_XDMA_CH_STATUS_RC   0x44u
#define HERMES_XDMA_CH_CMPL_CNT    0x48u
#define HERMES_XDMA_CH_ALIGN       0x4Cu
#define HERMES_XDMA_CH_IMASK       0x90u
#define HERMES_XDMA_CH_PERF_CTRL   0xC0u
#define HERMES_XDMA_CH_PERF_CYC_LO 0xC4u
#define HERMES_XDMA_CH_PERF_CYC_HI 0xC8u
#define HERMES_XDMA_CH_PERF_DAT_LO 0xCCu
#define HERMES_XDMA_CH_PERF_DAT_HI 0xD0u
/* SGDMA registers. */
#define HERMES_XDMA_SG_DESC_LO     0x80u
#define HERMES_XDMA_SG_DESC_HI     0x84u
#define HERMES_XDMA_SG_DESC_ADJ    0x88u
/* IRQ block registers. */
#define HERMES_XDMA_IRQ_USR_EN     0x04u
#define HERMES_XDMA_IRQ_USR_EN_W1S 0x08u
#define HERMES_XDMA_IRQ_USR_EN_W1C 0x0Cu
#define HERMES_XDMA_IRQ_CH_EN      0x10u
#define HERMES_XDMA_IRQ_CH_EN_W1S  0x14u
#define HERMES_XDMA_IRQ_CH_EN_W1C  0x18u
#define HERMES_XDMA_IRQ_USR_REQ    0x40u
#define HERMES_XDMA_IRQ_CH_REQ     0x44u
#define HERMES_XDMA_IRQ_USR_PEND   0x48u
#define HERMES_XDMA_IRQ_CH_PEND    0x4Cu

/* Control bits; the interrupt enables sit at the status bit they gate. */
#define HERMES_XDMA_CTRL_RUN       (1u << 0)
/* Status bits. */
#define HERMES_XDMA_ST_BUSY        (1u << 0)
#define HERMES_XDMA_ST_DESC_STOPPED (1u << 1)
#define HERMES_XDMA_ST_DESC_DONE   (1u << 2)
#define HERMES_XDMA_ST_ALIGN       (1u << 3)
#define HERMES_XDMA_ST_MAGIC       (1u << 4)
#define HERMES_XDMA_ST_INVALID_LEN (1u << 5)
#define HERMES_XDMA_ST_IDLE_STOPPED (1u << 6)
#define HERMES_XDMA_ST_RD_ERR(b)   (1u << (9 + (b)))  /* b: 0 decode/unsupported, 1 slave/abort */
#define HERMES_XDMA_ST_WR_ERR(b)   (1u << (14 + (b)))
#define HERMES_XDMA_ST_DESC_ERR(b) (1u << (19 + (b)))
#define HERMES_XDMA_ST_RD_ERRS     (0x1Fu << 9)
#define HERMES_XDMA_ST_WR_ERRS     (0x1Fu << 14)
#define HERMES_XDMA_ST_DESC_ERRS   (0x1Fu << 19)
/* Perf control. */
#define HERMES_XDMA_PERF_RUN       (1u << 0)
#define HERMES_XDMA_PERF_CLEAR     (1u << 1)
#define HERMES_XDMA_PERF_AUTO      (1u << 2)

/* Descriptors. */
#define HERMES_XDMA_DESC_MAGIC     0xAD4B0000u
#define HERMES_XDMA_DESC_STOP      (1u << 0)
#define HERMES_XDMA_DESC_COMPLETED (1u << 1)
#define HERMES_XDMA_DESC_EOP       (1u << 4)
#define HERMES_XDMA_DESC_MAX_LEN   ((1u << 28) - 1)

struct hermes_xdma_desc {
	uint32_t control; /* magic << 16 | nxt_adj << 8 | control bits */
	uint32_t len;
	uint32_t src_lo, src_hi;
	uint32_t dst_lo, dst_hi;
	uint32_t next_lo, next_hi;
};

struct hermes_xdma_io {
	void *ctx;
	/* BAR2 accesses: 0 or a negative errno (already recorded). */
	int (*reg_read)(void *ctx, uint32_t off, uint32_t *val);
	int (*reg_write)(void *ctx, uint32_t off, uint32_t val);
	/*
	 * Wait until a channel interrupt in mask is pending, at most
	 * max_cycles card clocks: 0 with *pending set, or -ETIMEDOUT.
	 * NULL: the driver polls the status register.
	 */
	int (*wait_chan_irq)(void *ctx, uint32_t mask, uint64_t max_cycles, uint32_t *pending);
	/* Card clocks since some origin (statistics and poll timeouts); may be NULL. */
	uint64_t (*now)(void *ctx);
	/* DMA-able host memory owned by the driver. */
	uint8_t *mem;
	uint64_t mem_bus;  /* bus address of mem[0] */
	size_t mem_size;   /* at least 128 KiB */
};

struct hermes_xdma_opts {
	size_t sz;               /* sizeof(struct hermes_xdma_opts) */
	size_t max_desc_bytes;   /* largest descriptor, 0: 1 MiB */
	uint64_t timeout_cycles; /* one run, 0: 10 s at 250 MHz */
	int poll;                /* complete by polling status, not by interrupt */
	int perf;                /* read the performance counters after each run into
	                          * hermes_xdma_stats busy_cycles/beats (4 BAR2 reads more) */
};

struct hermes_xdma_stats {
	uint64_t bytes;          /* moved */
	unsigned runs;           /* channel starts */
	unsigned descs;          /* descriptors completed */
	uint64_t cycles;         /* card clocks from each start to its completion, summed */
	uint64_t busy_cycles;    /* performance counter: clocks the channel was busy (opts.perf) */
	uint64_t beats;          /* performance counter: 64-byte data beats (opts.perf) */
	uint32_t status;         /* last status (0x40 | 0x44 as read) */
};

struct hermes_xdma;

/* Count the channels whose identifier registers answer (0 if none). */
int hermes_xdma_probe(const struct hermes_xdma_io *io, unsigned *h2c, unsigned *c2h);

int hermes_xdma_open(struct hermes_dev *dev, const struct hermes_xdma_io *io,
		     const struct hermes_xdma_opts *opts, struct hermes_xdma **xp);
void hermes_xdma_close(struct hermes_xdma *x);
int hermes_xdma_set_opts(struct hermes_xdma *x, const struct hermes_xdma_opts *opts);
unsigned hermes_xdma_h2c_channels(const struct hermes_xdma *x);
unsigned hermes_xdma_c2h_channels(const struct hermes_xdma *x);

/*
 * Move len bytes between buf and card address card_addr (BAR4 offset) on
 * H2C (write) or C2H (read) channel chan. st may be NULL. Returns 0, or
 * -EINVAL (bad channel or arguments), -EFAULT (card range outside BAR4,
 * host memory not reachable), -EIO (bad descriptor magic, descriptor
 * fetch error, incomplete chain), -EBUSY (channel already running),
 * -ETIMEDOUT (no completion within the timeout; the channel is stopped).
 */
int hermes_xdma_write(struct hermes_xdma *x, unsigned chan, uint64_t card_addr,
		      const void *buf, size_t len, struct hermes_xdma_stats *st);
int hermes_xdma_read(struct hermes_xdma *x, unsigned chan, uint64_t card_addr,
		     void *buf, size_t len, struct hermes_xdma_stats *st);

/*
 * Run a descriptor chain that the caller placed in host memory (tests:
 * bad magic, loops, hand-made chains). expect is the number of descriptors
 * that should complete. Same returns as above; *st gets the status.
 */
int hermes_xdma_run_chain(struct hermes_xdma *x, int c2h, unsigned chan, uint64_t desc_bus,
			  unsigned adjacent, unsigned expect, struct hermes_xdma_stats *st);

/* Host memory the caller may use with hermes_xdma_run_chain (after the driver's). */
uint8_t *hermes_xdma_scratch(struct hermes_xdma *x, uint64_t *bus, size_t *size);

/*
 * For hermes_dev_info(): count the DMA channels of a card device by their
 * identifier registers (BAR2 through the device's bus). 0 or -errno.
 */
int hermes__dma_channels(struct hermes_dev *dev, uint8_t *h2c, uint8_t *c2h);

/* The simulated card's driver instance and the statistics of its last DMA. */
struct hermes_bus;
int hermes__bus_sim_xdma(struct hermes_bus *bus, struct hermes_xdma **xp,
			 struct hermes_xdma_stats *last);

#ifdef __cplusplus
}
#endif
#endif
