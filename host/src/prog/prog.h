/* SPDX-License-Identifier: MIT */
/* prog.h - program image internals. */
#ifndef HERMES_PROG_H
#define HERMES_PROG_H

#include <stddef.h>

#include "hermes/hermes.h"
#include "map_slot.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_prog {
	unsigned char *image; /* code then globals */
	size_t image_len;
	size_t code_len;
	struct hermes_map_def *maps; /* map i: descriptor i of the map slot */
	unsigned nmaps;
	int map_value_refs;          /* lddw src 2/6 resolved against the default layout */
};

int hermes__prog_new(const void *image, size_t image_len, size_t code_len,
		     struct hermes_prog **progp);
/*
 * The whole of a file (NUL-terminated, the NUL not counted in *lenp), at
 * most HERMES_READ_FILE_MAX bytes: -EFBIG beyond, so that a device that
 * never ends (/dev/zero) is refused instead of filling memory.
 */
#define HERMES_READ_FILE_MAX (256u << 20)
int hermes__read_file(const char *path, char **bufp, size_t *lenp);

/* An ELF object (elf.c reads it) as a program: buf holds the whole file. */
int hermes__prog_load_elf(const char *path, const void *buf, size_t len,
			  const char *section, struct hermes_prog **progp);

#ifdef __cplusplus
}
#endif

#endif
