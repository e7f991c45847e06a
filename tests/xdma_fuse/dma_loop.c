/* SPDX-License-Identifier: MIT */
/*
 * dma_loop NODE read|write BYTES - a DMA client for the unmount tests: one
 * descriptor on NODE (h2c_N or c2h_N), BYTES moved at card address 0 over
 * and over until a transfer fails. Then it says why on stderr and exits 8
 * (1 if NODE cannot be opened).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int to_card, fd;
	size_t len;
	char *buf;

	if (argc != 4 || (strcmp(argv[2], "read") && strcmp(argv[2], "write"))) {
		fprintf(stderr, "usage: dma_loop NODE read|write BYTES\n");
		return 2;
	}
	to_card = !strcmp(argv[2], "write");
	len = strtoul(argv[3], NULL, 0);
	buf = calloc(1, len ? len : 1);
	fd = open(argv[1], to_card ? O_WRONLY : O_RDONLY);
	if (fd < 0 || !buf) {
		fprintf(stderr, "dma_loop: open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (unsigned long n = 0;; n++) {
		ssize_t r = to_card ? pwrite(fd, buf, len, 0) : pread(fd, buf, len, 0);

		/* A short count is the part that moved; the next call tells why. */
		if ((r < 0 && errno == EINTR) || (r > 0 && (size_t)r < len))
			continue;
		if (r != (ssize_t)len) {
			fprintf(stderr, "dma_loop: %s of %s after %lu transfers: %s\n", argv[2], argv[1], n,
				r < 0 ? strerror(errno) : "no progress");
			return 8;
		}
	}
}
