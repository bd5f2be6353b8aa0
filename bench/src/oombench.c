// SPDX-License-Identifier: GPL-2.0
/* oombench SECTION [options]: see bench.h and README.md "Benchmarks". */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "oom_policy.h"

static void usage(void)
{
	fprintf(stderr,
"usage: oombench SECTION [options]\n"
"sections: order lmkd sparse frozen delay ctl storm profile freed\n"
"          starved stock robust exitcost (these also on stock 7.3)\n"
"tools:    nlget (one-shot policy-get), nlmon (count oom notifications)\n"
"  -n N        repetitions per configuration (default 15)\n"
"  -s MIB      victim size (default 256); sparse: MiB written (give 32)\n"
"  -v N        VMAs of the \"many\" case (default 128)\n"
"  -c LIST     cases: order/lmkd many,one; sparse 1t,16t; delay 0,100,...;\n"
"              storm auto,nlmon,oomctl; starved idle,cpumax,weight,rt,threads;\n"
"              stock many,one,mrelease,storm; robust 2000,0 (delays);\n"
"              exitcost 1,16 (MiB)\n"
"  -t LIST     order/lmkd/sparse: THP off,on (default; profile: off)\n"
"  -k N        storm: kills per chunk; ctl: operations per block;\n"
"              exitcost: exits per block (default 100)\n"
"  -C N        storm: chunks per configuration (default 5)\n"
"  -S N        storm: kills in the long session (default 1000)\n"
"  -o PATH     oomctl binary (default /usr/bin/oomctl if executable)\n"
"  -l TEXT     label copied into every record\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bopts o = {
		.reps = 15, .size = 256 * MIB, .vmas = 128, .kills = 100,
		.chunks = 5, .session = 1000, .oomctl = "/usr/bin/oomctl",
	};
	const char *sec;
	int c;

	if (argc < 2)
		usage();
	sec = argv[1];
	if (!strcmp(sec, "nlget"))
		return tool_nlget();
	if (!strcmp(sec, "nlmon"))
		return tool_nlmon(argc - 1, argv + 1);
	optind = 2;
	while ((c = getopt(argc, argv, "n:s:v:c:k:C:S:o:l:t:")) != -1) {
		switch (c) {
		case 'n': o.reps = atoi(optarg); break;
		case 's': o.size = strtoul(optarg, NULL, 10) * MIB; break;
		case 'v': o.vmas = atoi(optarg); break;
		case 'c': o.cases = optarg; break;
		case 'k': o.kills = atoi(optarg); break;
		case 'C': o.chunks = atoi(optarg); break;
		case 'S': o.session = atoi(optarg); break;
		case 'o': o.oomctl = optarg; break;
		case 'l': o.label = optarg; break;
		case 't': o.thp = optarg; break;
		default: usage();
		}
	}
	if (access(o.oomctl, X_OK))
		o.oomctl = NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The sections that compare against stock 7.3 run on both kernels */
	if (!strcmp(sec, "starved"))
		return sec_starved(&o);
	if (!strcmp(sec, "stock"))
		return sec_stock(&o);
	if (!strcmp(sec, "cost"))	/* also with CONFIG_OOM_NETLINK=n */
		return sec_cost(&o);
	if (!strcmp(sec, "robust"))
		return sec_robust(&o);
	if (!strcmp(sec, "exitcost"))
		return sec_exitcost(&o);
	if (!oom_policy_present())
		die("%s absent: not the patched kernel", OOM_REAP_DELAY_MS);
	if (!strcmp(sec, "order"))
		return sec_order(&o);
	if (!strcmp(sec, "lmkd"))
		return sec_lmkd(&o);
	if (!strcmp(sec, "sparse"))
		return sec_sparse(&o);
	if (!strcmp(sec, "frozen"))
		return sec_frozen(&o);
	if (!strcmp(sec, "delay"))
		return sec_delay(&o);
	if (!strcmp(sec, "ctl"))
		return sec_ctl(&o);
	if (!strcmp(sec, "storm"))
		return sec_storm(&o);
	if (!strcmp(sec, "profile"))
		return sec_profile(&o);
	if (!strcmp(sec, "freed"))
		return sec_freed(&o);
	usage();
}
