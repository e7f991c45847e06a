/* SPDX-License-Identifier: MIT */
/*
 * events.h - the xdma0_events_N nodes of xdma-fuse.
 *
 * Like the Xilinx driver (cdev_events.c): each user interrupt N has one
 * pending flag, set by a rising edge of the card's line N and cleared by a
 * read of events_N; edges between two reads merge into one. A read needs
 * count 4 at a 4-aligned offset (else EPROTO), waits until the flag is set,
 * returns the 4-byte value 1 and clears the flag. A signal ends the wait
 * with EAGAIN, as the driver does. poll() reports POLLIN while the flag is
 * set; waiters are woken with fuse_lowlevel_notify_poll().
 *
 * Waiting reads do not hold a FUSE worker thread: the request is kept and
 * answered when the edge arrives.
 */
#ifndef XDMA_SHIM_EVENTS_H
#define XDMA_SHIM_EVENTS_H

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 35
#endif
#include <fuse_lowlevel.h>
#include <stdint.h>

struct shim_events;
struct shim_evfh; /* one open handle of an events node */

int shim_events_new(unsigned count, void (*kick)(void *ctx), void *ctx, struct shim_events **evp);
/* Answer every waiting read with EINTR and free everything. */
void shim_events_free(struct shim_events *ev);

/* Rising edges of user interrupt lines (bit N: events_N). */
void shim_events_raise(struct shim_events *ev, uint32_t rising);
/* Reads waiting plus poll handles registered. */
int shim_events_waiting(struct shim_events *ev);

struct shim_evfh *shim_events_open(struct shim_events *ev, unsigned n);
void shim_events_release(struct shim_events *ev, struct shim_evfh *h);
/* Answer now or when the interrupt arrives. */
void shim_events_read(struct shim_events *ev, struct shim_evfh *h, fuse_req_t req, size_t size, off_t off);
void shim_events_poll(struct shim_events *ev, struct shim_evfh *h, fuse_req_t req, struct fuse_pollhandle *ph);

#endif
