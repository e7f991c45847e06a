/* SPDX-License-Identifier: MIT */
/*
 * fuzz_elf.c - libFuzzer target for the ELF loader (host/src/prog/elf.c).
 * Built by clang with -fsanitize=fuzzer,address,undefined (tests/fuzz/
 * CMakeLists.txt). Every input must either load into a well-formed image or
 * be refused with a message; nothing may crash, leak or hit UB.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hermes/hermes.h"
#include "prog.h"

static void check(const struct hermes_prog *prog)
{
	size_t code = hermes_prog_code_len(prog), image = hermes_prog_image_len(prog);

	if (code == 0 || code % 8 || code > image || image > HERMES_DEFAULT_PROG_SLOT_SIZE)
		abort();
}

static void try_load(const uint8_t *data, size_t size, const char *section)
{
	struct hermes_prog *prog = NULL;
	int err = hermes__prog_load_elf("fuzz.o", data, size, section, &prog);

	if (err == 0) {
		check(prog);
		hermes_prog_free(prog);
	} else if (err > 0 || prog || !hermes_dev_errmsg(NULL)[0]) {
		abort(); /* a failure must be a negative errno with a message */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	try_load(data, size, NULL);
	try_load(data, size, ".text");
	try_load(data, size, "prog");
	return 0;
}
