/* SPDX-License-Identifier: MIT */
/*
 * wordcount.c - counts the words of its input: runs of bytes other than
 * the six ASCII white-space characters (on text, what `wc -w` counts).
 *
 * It shows the two things C programs bring along: a helper function (a
 * static function kept out of line becomes an eBPF-to-eBPF call) and a
 * constant table (placed in .rodata, which the loader puts after the code
 * in the program slot, patching the code's reference to it).
 *
 *   clang -O2 -target bpf -ffreestanding -c wordcount.c -o wordcount.o
 *   build/hermes -d sim run --data README.md wordcount.o
 */
#include <stdint.h>

static const uint8_t space[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
};

__attribute__((noinline)) static int is_space(uint8_t c)
{
	return space[c];
}

__attribute__((section("hermes/wordcount"), used))
uint64_t wordcount(const uint8_t *data, uint64_t len)
{
	uint64_t words = 0;
	int in_word = 0;

	for (uint64_t i = 0; i < len; i++) {
		if (is_space(data[i])) {
			in_word = 0;
		} else if (!in_word) {
			in_word = 1;
			words++;
		}
	}
	return words;
}
