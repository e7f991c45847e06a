/* SPDX-License-Identifier: MIT */
/* grow.h - arrays that grow by doubling, the one way this library appends. */
#ifndef HERMES_GROW_H
#define HERMES_GROW_H

#include <stddef.h>

/*
 * Room for one more element in the array *arrp (void **: its pointer) of
 * *cap elements of elem bytes, n of them in use: when full, doubled (first
 * elements the first time). 0, or -ENOMEM with the array as it was.
 */
int hermes__grow(void *arrp, size_t *cap, size_t n, size_t elem, size_t first);

#endif
