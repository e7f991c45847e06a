/* SPDX-License-Identifier: MIT */
/*
 * opts.h - the one way options structs are read (libbpf's): the first
 * member is size_t sz, the size of the caller's version of the struct.
 */
#ifndef HERMES_OPTS_H
#define HERMES_OPTS_H

#include <stddef.h>

#include "handle.h"

/*
 * Read the caller's opts into dst, which holds this library's defaults and
 * is dst_sz bytes (this library's version). NULL opts: the defaults. A
 * shorter (older) struct leaves the fields it lacks at their defaults; a
 * longer (newer) one must hold zeros past dst_sz, options this library
 * does not know. dst's sz becomes dst_sz. Returns 0, or -EINVAL with a
 * sentence on dev naming fn (sz not set, unknown options set).
 */
int hermes__opts_read(struct hermes_dev *dev, const char *fn, const void *opts, void *dst, size_t dst_sz);

#endif
