/* SPDX-License-Identifier: GPL-2.0 */
/* What the libFuzzer targets in fuzz/ share (see fuzz/fuzz.mk) */
#ifndef OOMCTL_FUZZ_H
#define OOMCTL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where the parsers' messages and the printed events go: nowhere */
static inline FILE *fuzz_devnull(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

/* An invariant the parser promises did not hold: a crash libFuzzer keeps */
#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

#endif
