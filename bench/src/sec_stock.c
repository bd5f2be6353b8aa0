// SPDX-License-Identifier: GPL-2.0
/*
 * Section "stock": the patched kernel at its defaults against stock 7.3,
 * on the work where the policy is meant to change nothing (bench/run.sh
 * boots the two kernels alternately and runs this section on each).
 *
 *   many, one  an OOM kill of an exiting victim (section 1's: 256 MiB over
 *              128 VMAs or in one, the victim goes over memory.max in its
 *              own page fault); kill -> freed = the end of its exit_mmap()
 *   mrelease   an lmkd-style kill + process_mrelease() of the same victims
 *   storm      blocks of -k small memcg OOM kills one after the other
 *              (section 5's kill loop, no listener): ms per kill
 *
 * Configurations: on stock 7.3 "stock"; on the patched kernel "default"
 * (the defaults, i.e. what a machine boots with) and "delay0"
 * (vm.oom_reap_delay_ms=0: what a delay of 0 buys a victim that exits by
 * itself; mrelease has no delay, so only "default").  THP off and on
 * (-t) for the kills of big victims, as in section 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "oom_policy.h"

static void storm_block(const struct bopts *o, const char *cfg, int rep)
{
	struct rec r;
	int killed;
	int64_t us;

	if (oom_policy_present())
		policy(strcmp(cfg, "delay0") ? OOM_REAP_DELAY_DEFAULT_MS : 0,
		       OOM_FROZEN_BYPASS_DEFAULT, OOM_REAP_ORDER_DEFAULT);
	us = storm_run(o->kills, &killed);
	rec_begin(&r, "stock-storm");
	rec_str(&r, "kernel", kernel_kind());
	rec_str(&r, "cfg", cfg);
	rec_int(&r, "rep", rep);
	rec_int(&r, "kills", o->kills);
	rec_int(&r, "killed", killed);
	rec_num(&r, "ms_per_kill", us / 1000.0 / o->kills);
	if (o->label)
		rec_str(&r, "label", o->label);
	rec_end(&r);
}

int sec_stock(const struct bopts *o)
{
	static const char *const patched_cfgs[] = { "default", "delay0" };
	static const char *const stock_cfgs[] = { "stock" };
	bool patched = oom_policy_present();
	const char *const *cfgs = patched ? patched_cfgs : stock_cfgs;
	int ncfgs = patched ? 2 : 1;
	bool modes[2], many = false, one = false, mr = false, st = false;
	struct ocase c_many = { "many", o->vmas }, c_one = { "one", 1 };
	char buf[128], *tok, *save;
	struct memcg cg, scg;
	struct ktrace kt;
	int nmodes, err;

	snprintf(buf, sizeof(buf), "%s",
		 o->cases ? o->cases : "many,one,mrelease,storm");
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "many"))
			many = true;
		else if (!strcmp(tok, "one"))
			one = true;
		else if (!strcmp(tok, "mrelease"))
			mr = true;
		else if (!strcmp(tok, "storm"))
			st = true;
		else
			die("stock: unknown case '%s' (many, one, mrelease, storm)", tok);
	}
	nmodes = thp_modes("stock", o->thp, modes);
	kill_setup(&kt, &cg, "oombench-stock");
	if (st) {
		int killed;

		err = storm_setup(&scg, "oombench-stock-storm");
		if (err)
			die("stock: storm memcg: %s", strerror(err));
		storm_run(5, &killed);	/* warm up */
	}

	for (int rep = 0; rep < o->reps; rep++) {
		for (int t = 0; t < nmodes; t++) {
			bool thp = modes[(t + rep) % nmodes];

			for (int i = 0; i < ncfgs; i++) {
				const char *cfg = cfgs[(i + rep) % ncfgs];

				if (many)
					kill_oom_once(o, &kt, &cg, "stock", &c_many,
						      cfg, rep, thp);
				if (one)
					kill_oom_once(o, &kt, &cg, "stock", &c_one,
						      cfg, rep, thp);
			}
			/* one VMA: where the top-down walk inside a VMA changes things */
			for (int j = 0; mr && j < 2; j++)
				kill_lmkd_once(o, &kt, &cg, "stock-mrelease",
					       j ? &c_one : &c_many, patched ?
					       "mrelease" : "mrelease-stock", rep, thp);
		}
		for (int i = 0; st && i < ncfgs; i++)
			storm_block(o, cfgs[(i + rep) % ncfgs], rep);
		note("stock: repetition %d/%d done (%s kernel)", rep + 1,
		     o->reps, kernel_kind());
	}
	if (patched)
		policy(OOM_REAP_DELAY_DEFAULT_MS, OOM_FROZEN_BYPASS_DEFAULT,
		       OOM_REAP_ORDER_DEFAULT);
	if (st)
		storm_teardown(&scg);
	thp_restore();
	memcg_destroy(&cg);
	ktrace_close(&kt);
	return 0;
}
