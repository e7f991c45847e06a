/* SPDX-License-Identifier: MIT */
/* elf.c - ELF loader for clang -target bpf objects (issue [5/10]). */
#include <errno.h>

#include "dev.h"
#include "prog.h"

int hermes__prog_load_elf(const char *path, const void *buf, size_t len,
			  const char *section, struct hermes_prog **progp)
{
	(void)buf;
	(void)len;
	(void)section;
	(void)progp;
	return hermes__err(NULL, -ENOTSUP, "%s: loading ELF objects is not implemented yet", path);
}
