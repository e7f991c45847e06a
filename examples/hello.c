/* SPDX-License-Identifier: MIT */
/*
 * hello.c - a first Hermes program: adds up the bytes of its input.
 *
 *   clang -O2 -target bpf -ffreestanding -c hello.c -o hello.o
 *   build/hermes -d sim run --data input.txt hello.o
 *
 * The card calls the program with r1 = the data slot (your input, then
 * zeroes) and r2 = the input's length; what it returns is r0.
 */
#include <stdint.h>

/* The section's name must differ from the function's (an assembler rule). */
__attribute__((section("hermes/hello"), used))
uint64_t hello(const uint8_t *data, uint64_t len)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < len; i++)
		sum += data[i];
	return sum;
}
