/* SPDX-License-Identifier: MIT */
/*
 * dma_buf.h - host buffers the library itself hands to a DMA (program
 * images, staged input): 64-byte aligned, like the card's datapath, so
 * the number of beats of a transfer, hence a run's clock count, never
 * depends on where the heap happened to put the buffer. Freed with free().
 */
#ifndef HERMES_DMA_BUF_H
#define HERMES_DMA_BUF_H

#include <stdlib.h>
#include <string.h>

static inline void *hermes__dma_buf(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, 64, len ? len : 1))
		return NULL;
	memset(p, 0, len);
	return p;
}

#endif
