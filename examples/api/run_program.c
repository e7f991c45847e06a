/* SPDX-License-Identifier: MIT */
/*
 * run_program.c - a program of your own that links libhermes: open a device,
 * print what it is, run an eBPF program on some input and print r0 and the
 * counters. Built outside the Hermes tree from the installed files only:
 *
 *   cc run_program.c $(pkg-config --cflags --libs libhermes) -o run_program
 *   cmake -S . -B build && cmake --build build          (find_package(hermes))
 *
 *   ./run_program [DEVICE [PROG [INPUT-TEXT]]]
 *
 * DEVICE defaults to "sim" (the simulated card inside libhermes); PROG is an
 * ELF object, .s or .bin file; without one (or with "-"), a built-in program
 * returns the sum of the input's bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hermes/hermes.h>

static int build_sum_program(struct hermes_prog **progp)
{
	/* r0 = sum of the r2 bytes at r1. Encoded by hand so the example needs no
	 * file: opcode, registers (src << 4 | dst), offset, immediate. */
	static const struct { uint8_t op, regs; int16_t off; int32_t imm; } insns[] = {
		{ 0xb7, 0x00, 0, 0 },  /* mov r0, 0              */
		{ 0xb7, 0x03, 0, 0 },  /* mov r3, 0   (i)        */
		{ 0x3d, 0x23, 6, 0 },  /* jge r3, r2, +6 (exit)  */
		{ 0xbf, 0x14, 0, 0 },  /* mov r4, r1             */
		{ 0x0f, 0x34, 0, 0 },  /* add r4, r3             */
		{ 0x71, 0x45, 0, 0 },  /* ldxb r5, [r4]          */
		{ 0x0f, 0x50, 0, 0 },  /* add r0, r5             */
		{ 0x07, 0x03, 0, 1 },  /* add r3, 1              */
		{ 0x05, 0x00, -7, 0 }, /* ja -7 (to the jge)     */
		{ 0x95, 0x00, 0, 0 },  /* exit                   */
	};
	return hermes_prog_from_bytecode(insns, sizeof(insns), progp);
}

int main(int argc, char **argv)
{
	const char *uri = argc > 1 ? argv[1] : "sim";
	const char *input = argc > 3 ? argv[3] : "Hello from a program linked against libhermes";
	struct hermes_dev *dev;
	struct hermes_prog *prog;
	struct hermes_info info;
	struct hermes_run_result res;
	int err;

	err = hermes_dev_open(uri, &dev);
	if (err) {
		fprintf(stderr, "run_program: %s\n", hermes_dev_errmsg(NULL));
		return 1;
	}
	if (strcmp(hermes_dev_kind(dev), "ref") && !hermes_dev_info(dev, &info))
		printf("device %s: %s, %u engines, %u data slots of %u bytes\n", uri, info.build,
		       info.engines, info.data_slots, info.data_slot_size);

	if (argc > 2 && strcmp(argv[2], "-"))
		err = hermes_prog_load(argv[2], NULL, &prog);
	else
		err = build_sum_program(&prog);
	if (err) {
		fprintf(stderr, "run_program: %s\n", hermes_dev_errmsg(NULL));
		hermes_dev_close(dev);
		return 1;
	}
	err = hermes_run(dev, prog, input, strlen(input), NULL, 0, NULL, &res);
	if (err) {
		fprintf(stderr, "run_program: %s\n", hermes_dev_errmsg(dev));
	} else if (res.status != HERMES_ST_SUCCESS) {
		fprintf(stderr, "run_program: %s (fault cause %u at pc %u)\n",
			hermes_status_str(res.status), res.cause, res.pc);
		err = -1;
	} else {
		printf("r0 = %llu (%llu instructions, %llu clocks, engine %d)\n",
		       (unsigned long long)res.r0, (unsigned long long)res.insns,
		       (unsigned long long)res.cycles, res.engine);
	}
	hermes_prog_free(prog);
	hermes_dev_close(dev);
	return err ? 1 : 0;
}
