// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: policy files for `oomctl apply` (policyfile.c).  In a
 * file without errors each value prints back to itself, a setting marked
 * optional ('-') is one the file sets, and merging the file takes each
 * setting with its line.
 */
#include "fuzz.h"
#include "policyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_file pf;
	struct policy_set m;
	char text[48];
	uint32_t v;

	if (size > PF_MAX_SIZE)
		return 0;	/* policy_file_read() refuses those */
	if (policy_file_parse("fuzz.conf", (const char *)data, size, &pf, fuzz_devnull()))
		return 0;
	FUZZ_ASSERT((pf.optional & ~pf.p.have) == 0);
	policy_set_init(&m);
	policy_set_merge(&m, &pf, "fuzz.conf", fuzz_devnull());
	FUZZ_ASSERT(m.p.have == pf.p.have && m.optional == pf.optional);
	for (int i = 0; i < NSETTINGS; i++) {
		if (!(pf.p.have & (1u << i)))
			continue;
		FUZZ_ASSERT(pf.line[i] >= 1 && m.src[i].line == pf.line[i]);
		settings[i].format(pf.p.val[i], text, sizeof(text));
		FUZZ_ASSERT(settings[i].parse(text, &v) == 0 && v == pf.p.val[i]);
	}
	return 0;
}
