/* SPDX-License-Identifier: MIT */
/* elf_maps.h - BTF-defined maps of an ELF object (elf_maps.c), for elf.c. */
#ifndef HERMES_ELF_MAPS_H
#define HERMES_ELF_MAPS_H

#include <stddef.h>
#include <stdint.h>

#include "map_slot.h"

/* A symbol of the .maps section: where a map variable lives. */
struct hermes_elf_map_sym {
	const char *name;
	uint64_t off, size;
};

/*
 * Read the definitions of the n map variables syms[] (sorted by offset,
 * from the symbol table) from the object's .BTF bytes with libbpf's BTF
 * API: defs[i] for syms[i]. 0, or a negative errno with a sentence naming
 * path and the map (no BTF, a variable BTF lacks, sizes that disagree with
 * the symbol, fields that are not __uint/__type, limits).
 */
int hermes__elf_maps_read(const char *path, const void *btf, size_t btf_len,
			  const struct hermes_elf_map_sym *syms, unsigned n, struct hermes_map_def *defs);

#endif
