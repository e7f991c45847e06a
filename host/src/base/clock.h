/* SPDX-License-Identifier: MIT */
/* clock.h - the host's monotonic clock, for timeouts and wall-time figures. */
#ifndef HERMES_CLOCK_H
#define HERMES_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t hermes__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t hermes__now_us(void)
{
	return hermes__now_ns() / 1000u;
}

static inline int64_t hermes__now_ms(void)
{
	return (int64_t)(hermes__now_ns() / 1000000u);
}

#endif
