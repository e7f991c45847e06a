/* SPDX-License-Identifier: MIT */
/*
 * rot13.c - rewrites its input in place with ROT13 and returns how many
 * letters it changed. The data slot is read-write: `hermes run --out FILE`
 * copies it (as many bytes as the input) back to the host.
 *
 *   clang -O2 -target bpf -ffreestanding -c rot13.c -o rot13.o
 *   build/hermes -d sim run --data in.txt --out out.txt rot13.o
 */
#include <stdint.h>

__attribute__((section("hermes/rot13"), used))
uint64_t rot13(uint8_t *data, uint64_t len)
{
	uint64_t letters = 0;

	for (uint64_t i = 0; i < len; i++) {
		uint8_t c = data[i];

		if (c >= 'a' && c <= 'z')
			data[i] = (uint8_t)('a' + (c - 'a' + 13) % 26);
		else if (c >= 'A' && c <= 'Z')
			data[i] = (uint8_t)('A' + (c - 'A' + 13) % 26);
		else
			continue;
		letters++;
	}
	return letters;
}
