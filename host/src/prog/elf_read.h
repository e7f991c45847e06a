/* SPDX-License-Identifier: MIT */
/* elf_read.h - the ELF reader: an eBPF object file to a program image (elf.c). */
#ifndef HERMES_ELF_READ_H
#define HERMES_ELF_READ_H

#include <stddef.h>

#include "map_slot.h"

/* A program image as loaded into a program slot: code, then globals. */
struct hermes_elf_image {
	unsigned char *image; /* malloc'ed, the caller frees it */
	size_t image_len;
	size_t code_len;
	struct hermes_map_def *maps; /* malloc'ed (NULL: none), map i at descriptor i */
	unsigned nmaps;
};

/*
 * Read the ELF object in buf (len bytes, the whole file; path names it in
 * messages): the code of section (NULL: the one program section), its
 * subprograms and globals, relocated. 0 with *img filled, or a negative
 * errno with the sentence in the thread's detail.
 */
int hermes__elf_read(const char *path, const void *buf, size_t len, const char *section,
		     struct hermes_elf_image *img);

#endif
