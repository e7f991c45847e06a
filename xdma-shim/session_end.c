/* SPDX-License-Identifier: MIT */
/*
 * session_end.c - telling a clean end of xdma-fuse's FUSE session from a
 * failure (session_end.h).
 */
#include <errno.h>
#include <poll.h>

#include "session_end.h"

/* The fuse device polls POLLERR once its connection is shut down. */
static int connection_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = 0 };
	int n;

	do
		n = poll(&p, 1, 0);
	while (n < 0 && errno == EINTR);
	return n == 1 && (p.revents & POLLERR);
}

int shim_session_end_clean(int loop_ret, int fuse_fd)
{
	if (loop_ret >= 0)
		return 1;
	if (loop_ret != -ENODEV && loop_ret != -ECONNABORTED)
		return 0;
	return connection_gone(fuse_fd);
}
