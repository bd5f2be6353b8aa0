/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CLOCK_MONOTONIC in milliseconds, for deadlines of bounded waits, and in
 * microseconds and nanoseconds, for timings.
 *
 * Nothing here fails.  (Elsewhere in lib/: 0 or a positive errno.)
 */
#ifndef OOMCTL_CLOCK_H
#define OOMCTL_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static inline int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Milliseconds left until @deadline, never negative. */
static inline int ms_left(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

#endif
