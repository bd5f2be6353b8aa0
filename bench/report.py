#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/report.py: the host half of `make bench`.

Reads the guest's records ("@B {json}" lines), the host and footprint
facts from bench/run.sh, and writes
  OUT/results.json   every raw record + host facts + the summary below
  OUT/results.md     tables per section: n, median, spread, ratios vs targets
  OUT/plots/*.png    latency distributions (gnuplot, pngcairo or png)
No statistics happen in the guest; all of them are here.

  report.py --records R --host H --footprint F --out DIR
  report.py --from-json DIR/results.json --out DIR     (re-render only)
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys

# ---------------------------------------------------------------- numbers


def quantile(vals, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    v = sorted(vals)
    if not v:
        return None
    k = (len(v) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def stats(vals):
    v = [x for x in vals if x is not None]
    if not v:
        return {"n": 0}
    return {"n": len(v), "median": quantile(v, 0.5), "p25": quantile(v, 0.25),
            "p75": quantile(v, 0.75), "min": min(v), "max": max(v)}


def boot_ci(groups, fn, n=2000, seed=1):
    """95 % bootstrap interval of fn(*resampled groups); None if a group is empty."""
    import random
    if any(not g for g in groups):
        return None
    rnd = random.Random(seed)
    vals = []
    for _ in range(n):
        res = [[g[rnd.randrange(len(g))] for _ in g] for g in groups]
        v = fn(*res)
        if v is not None:
            vals.append(v)
    if not vals:
        return None
    return [quantile(vals, 0.025), quantile(vals, 0.975)]


def med_ratio(a, b):
    return ratio(quantile(a, 0.5), quantile(b, 0.5))


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fnum(x, nd=1):
    if x is None:
        return "–"
    if abs(x) >= 100 or nd == 0:
        return f"{x:.0f}"
    return f"{x:.{nd}f}"


def fstat(s, nd=1, unit=""):
    """median [p25–p75] (min–max)"""
    if not s or s.get("n", 0) == 0:
        return "–"
    return (f"{fnum(s['median'], nd)}{unit} [{fnum(s['p25'], nd)}–{fnum(s['p75'], nd)}]"
            f" ({fnum(s['min'], nd)}–{fnum(s['max'], nd)})")


def fratio(r):
    return "–" if r is None else f"{r:.2f}"


def fsigned(x, nd=0):
    return "–" if x is None else f"{x:+.{nd}f}"


def pct(paired):
    """Median of paired ratios as a percentage over 1."""
    m = (paired or {}).get("median")
    return None if m is None else (m - 1) * 100


def fci(ci, fmt="{:.2f}"):
    return "–" if not ci else f"{fmt.format(ci[0])} … {fmt.format(ci[1])}"


def thp_absent(S, sec):
    """Why a section has no THP-on rows."""
    t = S.get("thp", {}).get(sec)
    if t and not t.get("available", 1):
        return "not measured, the kernel has no transparent hugepages (no /sys/kernel/mm/transparent_hugepage)"
    return "not measured in this run (`-t off`, or a run from before the THP configurations)"


def sub(a, b):
    return None if a is None or b is None else a - b

# ---------------------------------------------------------------- per record metrics


def order_metrics(r):
    """Section 1 (OOM kill and lmkd kill): times in ms from the kill."""
    freed = r.get("t_mmap_end")
    if freed is None:
        freed = r.get("t_chld")
    m = {
        "freed": freed,
        "exit_mmap": sub(r.get("t_mmap_end"), r.get("t_mmap_start")),
        "unmap": sub(r.get("t_unmap_end"), r.get("t_mmap_start")),
        "tail": sub(r.get("t_mmap_end"), r.get("t_unmap_end")),
        "exit_start": r.get("t_exit_start"),
        "reap_start": r.get("t_reap_start"),
        "reap": r["reap_us"] / 1000.0 if r.get("reap_us", -1) >= 0 else None,
        "reap_end": r.get("t_reap_end"),
        "par": min(r.get("par_before", 0), r.get("par_after", 0)),
    }
    if r["sec"] == "lmkd" and r.get("t_mrelease_ret") is not None:
        m["mrelease_call"] = sub(r.get("t_mrelease_ret"), r.get("t_mrelease_call"))
    return m


def by(records, **kw):
    return [r for r in records if all(r.get(k) == v for k, v in kw.items())]


def thp_of(r):
    """1 when the victim's heap was set up PMD-mapped (records before THP runs: 0)."""
    return 1 if r.get("thp") else 0


# the section-1 subsets: (key, THP on, probe >= PAR_OK only)
SUBSETS = (("all", 0, False), ("par", 0, True), ("thp", 1, False), ("thp_par", 1, True))

# ---------------------------------------------------------------- sparse (section 1b)


def sparse_metric(r):
    """ms: the reaper's own pass (reap_result duration_us), or the process_mrelease() call."""
    us = r.get("call_us") if r.get("way") == "mrelease" else r.get("reap_us")
    return us / 1000.0 if us is not None and us >= 0 else None


def sparse_summary(recs):
    done = [r for r in by(recs, sec="sparse") if not r.get("skipped")]
    out = {"rows": [], "skipped": {}}
    for r in by(recs, sec="sparse", skipped=1):
        k = f"{r['case']} {r['way']} {r['cfg']}" + (" THP" if thp_of(r) else "")
        out["skipped"][k] = out["skipped"].get(k, 0) + 1
    cases = sorted({r["case"] for r in done},
                   key=lambda c: min(x.get("map_gib", 0) for x in done if x["case"] == c))
    for case in cases:
        for way in ("reaper", "mrelease"):
            for thp in (0, 1):
                rs = [r for r in done if r["case"] == case and r["way"] == way and thp_of(r) == thp]
                if not rs:
                    continue
                row = {"case": case, "way": way, "thp": thp, "map_gib": rs[0].get("map_gib"),
                       "touch_mib": rs[0].get("touch_mib"),
                       "metric_name": "process_mrelease() call" if way == "mrelease"
                       else "reaper pass (reap_result duration_us)"}
                raw = {}
                for cfg in ("forward", "reverse"):
                    x = [r for r in rs if r["cfg"] == cfg]
                    raw[cfg] = [m for m in (sparse_metric(r) for r in x) if m is not None]
                    res = {}
                    for r in x:
                        k = r.get("result") or "none"
                        res[k] = res.get(k, 0) + 1
                    row[cfg] = {
                        "metric": stats(raw[cfg]),
                        "reap": stats([r["reap_us"] / 1000.0 for r in x if r.get("reap_us", -1) >= 0]),
                        "kill_to_end": stats([r["kill_to_reap_end_us"] / 1000.0 for r in x
                                              if r.get("kill_to_reap_end_us", -1) >= 0]),
                        "huge_mib": stats([r["anon_huge_kb"] / 1024 for r in x
                                           if r.get("anon_huge_kb", -1) >= 0]),
                        "left_mib": stats([r["charged_after_kb"] / 1024 for r in x
                                           if r.get("charged_after_kb") is not None]),
                        "attempts": sorted({r.get("attempts") for r in x if r.get("attempts") is not None}),
                        "results": res,
                    }
                row["ratio"] = med_ratio(raw["reverse"], raw["forward"]) if raw["reverse"] and raw["forward"] else None
                row["ci"] = boot_ci([raw["reverse"], raw["forward"]], med_ratio)
                paired = []
                for rep in sorted({r["rep"] for r in rs}):
                    f = [sparse_metric(r) for r in rs if r["rep"] == rep and r["cfg"] == "forward"]
                    v = [sparse_metric(r) for r in rs if r["rep"] == rep and r["cfg"] == "reverse"]
                    if f and v and f[0] and v[0] is not None:
                        paired.append(v[0] / f[0])
                row["paired"] = stats(paired)
                if way == "mrelease":
                    rf = [r["reap_us"] / 1000.0 for r in rs if r["cfg"] == "forward" and r.get("reap_us", -1) >= 0]
                    rv = [r["reap_us"] / 1000.0 for r in rs if r["cfg"] == "reverse" and r.get("reap_us", -1) >= 0]
                    row["ratio_reap"] = med_ratio(rv, rf) if rv and rf else None
                    row["ci_reap"] = boot_ci([rv, rf], med_ratio)
                out["rows"].append(row)
    return out


def md_sparse(S, P, plot):
    sp = S.get("sparse") or {}
    if not sp.get("rows") and not sp.get("skipped"):
        return
    rows = sp["rows"]
    P("## 5b. Sparse address space")
    P("")
    touch = rows[0]["touch_mib"] if rows else "?"
    P(f"One `MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE` mapping of 1 TiB or 16 TiB of which {touch} MiB "
      "are written, in four 2 MiB-aligned chunks at the bottom, one and two thirds, and the top "
      "(selftests/lib `victim_spawn_sparse()`, the victim of the `oom_reap_sparse` selftest), "
      "alone in a memory cgroup.  Each victim is reaped once:")
    P("")
    P("* **reaper**: memcg OOM kill (`memory.max` lowered from outside; the writer, the victim "
      "and the bench on CPU 1, the oom_reaper alone on CPU 0), `vm.oom_reap_delay_ms=0`, the "
      "victim's mm pinned from outside (selftests/lib/mm_pin.h) so that `exit_mmap()` cannot run "
      "and the reaper frees everything.  Measured: **`duration_us` of `oom:reap_result`**, the "
      "reaper's own pass; kill→reap end (`oom:mark_victim` → `oom:reap_result`) beside it.")
    P("* **mrelease**: `pidfd_send_signal(SIGKILL)`, the victim held at its exit stop before "
      "`exit_mm()` (selftests/lib/exit_stop.h), then `process_mrelease()`, which does all the "
      "freeing.  Measured: **the syscall's time** (CLOCK_MONOTONIC around it); `duration_us` of "
      "its `oom:reap_result` beside it.")
    P("* **THP on**: the victim is set up with THP `always` (see section 5), so the written chunks "
      "are PMD-mapped (huge MiB = `AnonHugePages` of the victim before the kill).")
    P("")
    P("forward/reverse = `vm.oom_reap_order` 0/1; sizes, ways, THP and orders interleaved in "
      "each repetition, the order rotating.  Times in ms.")
    P("")
    P("| mapping | reaped by | THP | order | n | **measured** | reap_result duration | kill→reap end | huge MiB | left charged MiB | attempts | results |")
    P("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        for cfg in ("forward", "reverse"):
            x = row[cfg]
            res = ", ".join(f"{k} {v}" for k, v in sorted(x["results"].items()))
            P(f"| {row['case']} | {row['way']} | {'on' if row['thp'] else 'off'} | {cfg} | "
              f"{x['metric'].get('n', 0)} | {fstat(x['metric'], 1)} | {fstat(x['reap'], 1)} | "
              f"{fnum(x['kill_to_end'].get('median'))} | {fnum(x['huge_mib'].get('median'), 0)} | "
              f"{fnum(x['left_mib'].get('median'))} | {', '.join(str(a) for a in x['attempts'])} | {res} |")
    P("")
    P("| mapping | reaped by | THP | reverse ÷ forward, medians of the measured time | 95 % interval | per repetition (paired) | reap_result duration ratio (mrelease) |")
    P("|---|---|---|---|---|---|---|")
    for row in rows:
        extra = (f"{fratio(row.get('ratio_reap'))} ({fci(row.get('ci_reap'))})"
                 if row["way"] == "mrelease" else "–")
        P(f"| {row['case']} | {row['way']} | {'on' if row['thp'] else 'off'} | "
          f"**{fratio(row['ratio'])}** | {fci(row['ci'])} | {fstat(row['paired'], 2)} | {extra} |")
    P("")
    if not any(r["thp"] for r in rows):
        P(f"THP on: {thp_absent(S, 'sparse')}.")
        P("")
    if sp.get("skipped"):
        P("Not repeated after its reaps had taken 60 s in all (bench/src/sec_sparse.c): "
          + ", ".join(f"{k} ({v} repetitions skipped)" for k, v in sorted(sp["skipped"].items())) + ".")
        P("")
    plot("sparse")


# ---------------------------------------------------------------- summary


PAR_OK = 1.6   # probe: both vCPUs really ran at once


def summarize(recs, footprint):
    S = {"targets": []}

    def target(name, value, op, goal, unit="", note="", ci=None):
        met = None
        if value is not None:
            met = (abs(value - 1) <= goal if op == "±" else
                   value <= goal if op == "<=" else value >= goal)
        resolved = None
        if ci:
            lo, hi = ci
            if op == "±":	# a ratio within 1 ± goal: inside it, or wholly outside
                resolved = (1 - goal <= lo and hi <= 1 + goal) or hi < 1 - goal or lo > 1 + goal
            else:		# the interval lies wholly on one side of the goal
                resolved = (hi <= goal or lo > goal) if op == "<=" else (lo >= goal or hi < goal)
        S["targets"].append({"name": name, "value": value, "op": op, "goal": goal,
                             "unit": unit, "met": met, "note": note, "ci": ci,
                             "resolved": resolved})

    # 1. order (THP off: the "all" and "par" subsets, as before; THP on: "thp", "thp_par")
    for sec, cfgs in (("order", ("reverse", "forward", "none")),
                      ("lmkd", ("mrelease-reverse", "mrelease-forward", "kill-only"))):
        out = {}
        for case in sorted({r["case"] for r in by(recs, sec=sec)}):
            c = {}
            for subset, thp, par in SUBSETS:
                rsets = {cfg: [r for r in by(recs, sec=sec, case=case, cfg=cfg)
                               if thp_of(r) == thp and r.get("killed", 1)] for cfg in cfgs}
                if thp and not any(rsets.values()):
                    continue
                d = {"thp": thp}
                for cfg in cfgs:
                    rs = rsets[cfg]
                    ms = [order_metrics(r) for r in rs]
                    if par:
                        ms = [m for m in ms if m["par"] >= PAR_OK]
                    d[cfg] = {k: stats([m.get(k) for m in ms])
                              for k in ("freed", "exit_mmap", "unmap", "tail", "exit_start",
                                        "reap_start", "reap", "mrelease_call", "par")}
                    d[cfg]["huge_mib"] = stats([r["anon_huge_kb"] / 1024 for r in rs
                                                if r.get("anon_huge_kb", -1) >= 0 and
                                                (not par or order_metrics(r)["par"] >= PAR_OK)])
                    d[cfg]["results"] = {}
                    for r in rs:
                        res = r.get("result") or "none"
                        d[cfg]["results"][res] = d[cfg]["results"].get(res, 0) + 1
                med = {cfg: d[cfg]["freed"].get("median") for cfg in cfgs}
                d["ratio_rev_fwd"] = ratio(med[cfgs[0]], med[cfgs[1]])
                d["ratio_rev_none"] = ratio(med[cfgs[0]], med[cfgs[2]])
                raw = {}
                for cfg in cfgs:
                    ms = [order_metrics(r) for r in rsets[cfg]]
                    raw[cfg] = [m["freed"] for m in ms if m["freed"] is not None and
                                (not par or m["par"] >= PAR_OK)]
                d["ci_rev_fwd"] = boot_ci([raw[cfgs[0]], raw[cfgs[1]]], med_ratio)
                d["ci_rev_none"] = boot_ci([raw[cfgs[0]], raw[cfgs[2]]], med_ratio)
                d["ratio_fwd_none"] = ratio(med[cfgs[1]], med[cfgs[2]])
                # paired: the three configurations of one repetition ran back to back
                pr_f, pr_n = [], []
                reps = sorted({r["rep"] for r in by(recs, sec=sec, case=case)})
                for rep in reps:
                    f = {}
                    for cfg in cfgs:
                        rr = [r for r in rsets[cfg] if r["rep"] == rep]
                        if rr:
                            m = order_metrics(rr[0])
                            if not par or m["par"] >= PAR_OK:
                                f[cfg] = m["freed"]
                    if f.get(cfgs[0]) and f.get(cfgs[1]):
                        pr_f.append(f[cfgs[0]] / f[cfgs[1]])
                    if f.get(cfgs[0]) and f.get(cfgs[2]):
                        pr_n.append(f[cfgs[0]] / f[cfgs[2]])
                d["paired_rev_fwd"] = stats(pr_f)
                d["paired_rev_none"] = stats(pr_n)
                c[subset] = d
            out[case] = c
        S[sec] = out
    S["thp"] = {r.get("for"): r for r in by(recs, sec="thp")}
    probes = [order_metrics(r)["par"] for r in by(recs, sec="order") + by(recs, sec="lmkd")]
    S["probe"] = {"stats": stats(probes),
                  "share_ok": (sum(1 for p in probes if p >= PAR_OK) / len(probes)) if probes else None}
    o = S["order"].get("many", {}).get("all", {})
    target("reverse ÷ forward, kill→freed, many VMAs (OOM kill)", o.get("ratio_rev_fwd"), "<=", 0.75,
           ci=o.get("ci_rev_fwd"))
    target("reverse ÷ exit alone, kill→freed, many VMAs (OOM kill)", o.get("ratio_rev_none"), "<=", 0.55,
           ci=o.get("ci_rev_none"))
    op = S["order"].get("many", {}).get("par", {})
    target("… the same, only kills with both vCPUs running (probe ≥ %.1f): reverse ÷ forward" % PAR_OK,
           op.get("ratio_rev_fwd"), "<=", 0.75)
    target("… reverse ÷ exit alone (probe ≥ %.1f)" % PAR_OK, op.get("ratio_rev_none"), "<=", 0.55)
    ot = S["order"].get("many", {}).get("thp")
    if ot:
        target("reverse ÷ forward, kill→freed, many VMAs (OOM kill), THP on (PMD-mapped heap)",
               ot.get("ratio_rev_fwd"), "<=", 0.75, note="the THP-off target, for comparison",
               ci=ot.get("ci_rev_fwd"))
    lk = S["lmkd"].get("many", {}).get("all", {})
    target("lmkd kill + process_mrelease: reverse ÷ forward", lk.get("ratio_rev_fwd"), "<=", 0.75,
           note="same target as the OOM kill", ci=lk.get("ci_rev_fwd"))
    target("lmkd kill + process_mrelease: reverse ÷ kill only", lk.get("ratio_rev_none"), "<=", 0.55,
           note="same target as the OOM kill", ci=lk.get("ci_rev_none"))

    # 1b. sparse
    S["sparse"] = sparse_summary(recs)
    for row in S["sparse"]["rows"]:
        if row["thp"]:
            continue
        target(f"sparse {row['case']} mapping, {row['touch_mib']} MiB written, reaped by "
               f"{'the oom_reaper' if row['way'] == 'reaper' else 'process_mrelease'}: "
               f"reverse ÷ forward, {row['metric_name']}", row["ratio"], "<=", 1.5,
               note=("issue 10's target" if (row["map_gib"] or 0) >= 16384
                     else "the 16 TiB case's bound, issue 10"), ci=row["ci"])

    # 2. frozen (THP off: the headline; THP on: beside it)
    def frozen_summary(thp):
        fr = {}
        recs_t = [r for r in by(recs, sec="frozen") if thp_of(r) == thp]
        for cfg in ("bypass-on", "bypass-off"):
            rs = by(recs_t, cfg=cfg)
            fr[cfg] = {
                "reap_start": stats([r.get("t_reap_start") for r in rs]),
                "queued": stats([r.get("t_queued") for r in rs]),
                "wake": stats([r.get("t_wake") for r in rs]),
                "reap_end": stats([r.get("t_reap_end") for r in rs]),
                "reasons": sorted({r.get("reason", "") for r in rs}),
            }
        fr["ratio_off_on"] = ratio(fr["bypass-off"]["reap_start"].get("median"),
                                   fr["bypass-on"]["reap_start"].get("median"))
        raw_on = [r["t_reap_start"] for r in by(recs_t, cfg="bypass-on") if r.get("t_reap_start") is not None]
        raw_off = [r["t_reap_start"] for r in by(recs_t, cfg="bypass-off") if r.get("t_reap_start") is not None]
        fr["ci_on"] = boot_ci([raw_on], lambda a: quantile(a, 0.5))
        fr["ci_off_on"] = boot_ci([raw_off, raw_on], med_ratio)
        return fr
    fr = frozen_summary(0)
    S["frozen_thp"] = frozen_summary(1)
    S["frozen"] = fr
    target("frozen victim, bypass on: kill→reap start (median)",
           fr["bypass-on"]["reap_start"].get("median"), "<=", 5, "ms", ci=fr["ci_on"])
    target("frozen victim: bypass off ÷ on, kill→reap start", fr["ratio_off_on"], ">=", 400, "×",
           ci=fr["ci_off_on"])

    # 3. delay
    de = {}
    for d, thp in sorted({(r["delay_set_ms"], thp_of(r)) for r in by(recs, sec="delay")}):
        rs = [r for r in by(recs, sec="delay") if r["delay_set_ms"] == d and thp_of(r) == thp]
        de[f"{d}|{thp}"] = {
            "wake": stats([r.get("t_wake") for r in rs]),
            "start": stats([r.get("t_reap_start") for r in rs]),
            "wake_j": stats([r["t_wake"] * r["jiffies_rate"] for r in rs
                             if r.get("t_wake") is not None and r.get("jiffies_rate")]),
            "jiffies_rate": stats([r.get("jiffies_rate") for r in rs]),
            "reap_start": stats([r.get("t_reap_start") for r in rs]),
            "freed": stats([r.get("t_reap_end") for r in rs]),
            "overshoot": stats([sub(r.get("t_wake"), d) for r in rs]),
            "early": sum(1 for r in rs if r.get("t_wake") is not None and r["t_wake"] < d - 1),
            "reasons": sorted({r.get("reason", "") for r in rs}),
            "results": sorted({r.get("result", "") for r in rs}),
        }
    S["delay"] = de

    # 4. control plane
    ct = {}
    for kind in ("inproc", "proc"):
        for cfg in sorted({r["cfg"] for r in by(recs, sec="ctl", kind=kind)}):
            ct[f"{kind}:{cfg}"] = stats([r["us_per_op"] for r in by(recs, sec="ctl", kind=kind, cfg=cfg)])
    show = "proc:oomctl-show" if "proc:oomctl-show" in ct else (
        "proc:oombench-nlget" if "proc:oombench-nlget" in ct else None)
    ct["show_name"] = show.split(":", 1)[1] if show else None
    ct["ratio_nl_sysctl"] = ratio(ct.get("inproc:nl", {}).get("median"),
                                  ct.get("inproc:sysctl", {}).get("median"))
    ct["ratio_nlcold_sysctl"] = ratio(ct.get("inproc:nl-cold", {}).get("median"),
                                      ct.get("inproc:sysctl", {}).get("median"))
    ct["ratio_show_sysctl"] = ratio(ct.get(show, {}).get("median") if show else None,
                                    ct.get("proc:sysctl-n", {}).get("median"))
    S["ctl"] = ct
    ct["ci_nl_sysctl"] = boot_ci([[r["us_per_op"] for r in by(recs, sec="ctl", kind="inproc", cfg="nl")],
                                  [r["us_per_op"] for r in by(recs, sec="ctl", kind="inproc", cfg="sysctl")]],
                                 med_ratio)
    target("policy-get round trip ÷ reading the three sysctl files (in-process)",
           ct["ratio_nl_sysctl"], "<=", 1.0, "×", ci=ct["ci_nl_sysctl"])

    # 5. storm
    st = {"overhead": {}, "session": []}
    for cfg in sorted({r["cfg"] for r in by(recs, sec="storm", phase="overhead")}):
        rs = by(recs, sec="storm", phase="overhead", cfg=cfg)
        st["overhead"][cfg] = {
            "ms_per_kill": stats([r["ms_per_kill"] for r in rs]),
            "kills": sum(r["kills"] for r in rs),
            "delivered": sum(r.get("delivered", 0) for r in rs),
            "expected": sum(r.get("expected", 0) for r in rs),
        }
    base = st["overhead"].get("none", {}).get("ms_per_kill", {}).get("median")
    for cfg, v in st["overhead"].items():
        if cfg == "none":
            continue
        v["ratio"] = ratio(v["ms_per_kill"].get("median"), base)
        paired = []
        for rep in sorted({r["rep"] for r in by(recs, sec="storm", phase="overhead")}):
            a = by(recs, sec="storm", phase="overhead", cfg=cfg, rep=rep)
            b = by(recs, sec="storm", phase="overhead", cfg="none", rep=rep)
            if a and b:
                paired.append(a[0]["ms_per_kill"] / b[0]["ms_per_kill"])
        v["paired"] = stats(paired)
        v["ci_pct"] = boot_ci([paired], lambda a: (quantile(a, 0.5) - 1) * 100)
        diffs = []
        for rep in sorted({r["rep"] for r in by(recs, sec="storm", phase="overhead")}):
            a = by(recs, sec="storm", phase="overhead", cfg=cfg, rep=rep)
            b = by(recs, sec="storm", phase="overhead", cfg="none", rep=rep)
            if a and b:
                diffs.append((a[0]["ms_per_kill"] - b[0]["ms_per_kill"]) * 1000)
        v["diff_us"] = stats(diffs)
        v["ci_diff_us"] = boot_ci([diffs], lambda a: quantile(a, 0.5))
        v["pairs"] = len(diffs)
    fg = by(recs, sec="storm", phase="finegrain")
    if fg:
        kinds = [k for k in ("queued", "read", "joined") if any(x["cfg"] == k for x in fg)]
        base_kind = "left"
        fgs = {"kills": sum(x["kills"] for x in fg), "block": fg[0]["kills"], "kinds": {}}
        for k in [base_kind] + kinds:
            xs = [x for x in fg if x["cfg"] == k]
            fgs["kinds"][k] = {"ms_per_kill": stats([x["ms_per_kill"] for x in xs]),
                               "messages": sum(x.get("messages", 0) for x in xs)}
        for k in kinds:
            paired = []
            for rep in sorted({x["rep"] for x in fg}):
                a = [x for x in fg if x["rep"] == rep and x["cfg"] == k]
                b = [x for x in fg if x["rep"] == rep and x["cfg"] == base_kind]
                if a and b:
                    paired.append(a[0]["ms_per_kill"] / b[0]["ms_per_kill"])
            fgs["kinds"][k]["paired"] = stats(paired)
            fgs["kinds"][k]["ci_pct"] = boot_ci([paired], lambda a: (quantile(a, 0.5) - 1) * 100)
            diffs = []
            for rep in sorted({x["rep"] for x in fg}):
                a = [x for x in fg if x["rep"] == rep and x["cfg"] == k]
                b = [x for x in fg if x["rep"] == rep and x["cfg"] == base_kind]
                if a and b:
                    diffs.append((a[0]["ms_per_kill"] - b[0]["ms_per_kill"]) * 1000)
            fgs["kinds"][k]["diff_us"] = stats(diffs)
            fgs["kinds"][k]["ci_diff_us"] = boot_ci([diffs], lambda a: quantile(a, 0.5))
            fgs["kinds"][k]["pairs"] = len(diffs)
        fgs["rounds"] = len({x["rep"] for x in fg})
        st["finegrain"] = fgs
    for r in by(recs, sec="storm", phase="session"):
        st["session"].append({k: r.get(k) for k in (
            "cfg", "kills", "killed", "loop_ms", "ms_per_kill", "expected", "delivered",
            "k_victim", "k_queued", "k_done", "events", "seq_missing", "seq_dup",
            "lost_records", "lost_count", "kernel_dropped", "kernel_victims",
            "hwm_kb", "rss_kb", "cpu_ms", "wakeups", "rmem_default", "rmem_max", "enobufs",
            "lat_max_us", "lat_avg_us", "listener_signal", "listener_exit")})
    S["storm"] = st
    sess = next((s for s in st["session"] if s["cfg"] == "oomctl"), None) or \
        (st["session"][0] if st["session"] else None)
    if sess:
        lost = (sess["expected"] or 0) - (sess["delivered"] or 0)
        target(f"events lost in the {sess['kills']}-kill storm ({sess['cfg']})", lost, "<=", 0, "")
    f = st.get("finegrain")
    if f:
        x = f["kinds"].get("queued")
        if x:
            med = x["paired"].get("median")
            target(f"OOM-path overhead with a listener: kill loop with notifications built and "
                   f"queued vs none ({f['block']}-kill blocks interleaved, median of paired ratios)",
                   (med - 1) * 100 if med else None, "<=", 2, "%", ci=x.get("ci_pct"))
        x = f["kinds"].get("joined")	# runs before the "queued" block existed
        if x:
            med = x["paired"].get("median")
            target(f"OOM-path overhead with a listener: kill loop, socket joined (a thread "
                   f"reading) vs left ({f['block']}-kill blocks, median of paired ratios)",
                   (med - 1) * 100 if med else None, "<=", 2, "%", ci=x.get("ci_pct"))
        x = f["kinds"].get("read")
        if x:
            med = x["paired"].get("median")
            target("… plus a receiver thread reading them as they come",
                   (med - 1) * 100 if med else None, "<=", 2, "%", ci=x.get("ci_pct"))
    v = st["overhead"].get("oomctl")
    if v:
        med = (v.get("paired") or {}).get("median")
        target("… the same with `oomctl monitor -j` running as a process (100-kill chunks, "
               "median of pair ratios)", (med - 1) * 100 if med else None, "<=", 2, "%",
               ci=v.get("ci_pct"))
    # the family's cost where it is spent (report_cost.py)
    import report_cost
    st["cost"] = report_cost.summarize(recs, target)

    # 6. footprint
    fp = dict(footprint or {})
    S["footprint"] = fp
    if fp.get("oomctl_stripped"):
        target("oomctl stripped size", fp["oomctl_stripped"] / 1024, "<=", 100, "KiB")
    hwm = [s["hwm_kb"] for s in st["session"] if s["cfg"] == "oomctl" and s.get("hwm_kb")]
    if hwm:
        target("oomctl monitor peak RSS (VmHWM) over the storm", max(hwm) / 1024, "<=", 2, "MiB")

    # against stock 7.3 (report_cmp.py; imported here: it imports this module)
    import report_cmp
    S["cmp"] = report_cmp.summarize(recs, target)
    import report_robust
    S["robust"] = report_robust.summarize(recs, target)
    # memory back: the cost of reporting it, and its agreement (report_freed.py)
    import report_freed
    S["freed"] = report_freed.summarize(recs, target)
    return S

# ---------------------------------------------------------------- profile


class Symbols:
    """Kernel text symbols from System.map (no KASLR in the VM kernel)."""

    def __init__(self, path):
        import bisect
        self.bisect = bisect
        syms = []
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) >= 3 and p[1] in "tTwW":
                    syms.append((int(p[0], 16), p[2]))
        syms.sort()
        self.addrs = [a for a, _ in syms]
        self.names = [n for _, n in syms]

    def name(self, hexaddr):
        try:
            x = int(hexaddr, 16)
        except (TypeError, ValueError):
            return "?"
        if x == 0:
            return "-"
        i = self.bisect.bisect_right(self.addrs, x) - 1
        return self.names[i] if i >= 0 else hex(x)


# (category, test on leaf, caller 1): what a sample was doing
PROF_CATS = [
    ("PTE lock wait", lambda l, c: "spin_lock_slowpath" in l and "pte_offset_map" in c),
    ("LRU lock section, irqs off (folios_put_refs)",
     lambda l, c: "unlock_irqrestore" in l and c.startswith("folios_put_refs")),
    ("zone/pcp lock section, irqs off (page freeing)",
     lambda l, c: "unlock_irqrestore" in l and ("free_frozen_page" in c or "free_pcppages" in c
                                                or "free_unref" in c)),
    ("other spinning", lambda l, c: "spin_lock_slowpath" in l),
    ("TLB shootdown IPIs", lambda l, c: "smp_call_function" in l or "flush_tlb" in l),
    ("page-table walk and zap", lambda l, c: "zap" in l or "vm_normal_page" in l
     or "rmap" in l or "pte" in l),
    ("memcg accounting", lambda l, c: "memcg" in l or "lruvec_stat" in l or "rstat" in l
     or "uncharge" in l),
    ("page freeing", lambda l, c: "free" in l or "pfnblock" in l or "pfn_to_section" in l),
]
PROF_OTHER = "other kernel"


def prof_category(leaf, c1):
    for name, test in PROF_CATS:
        if test(leaf, c1):
            return name
    return PROF_OTHER


def profile_summary(recs, sysmap):
    prof = by(recs, sec="prof")
    if not prof or not sysmap or not os.path.exists(sysmap):
        return None
    sy = Symbols(sysmap)
    out = {"sysmap": sysmap, "cats": [c for c, _ in PROF_CATS] + [PROF_OTHER], "by": {}}
    kills = {}
    for r in by(recs, sec="order-prof"):
        k = f"{r['case']}/{r['cfg']}" + ("/thp" if thp_of(r) else "")
        kills[k] = kills.get(k, 0) + 1
    for r in prof:
        key = r["cfg"]
        d = out["by"].setdefault(key, {"kills": kills.get(key, 0), "roles": {}})
        role = d["roles"].setdefault(r["role"], {"total": 0, "cats": {}, "stacks": {}})
        leaf, c1, c2 = sy.name(r["ip"]), sy.name(r["c1"]), sy.name(r["c2"])
        cat = prof_category(leaf, c1)
        role["total"] += r["n"]
        role["cats"][cat] = role["cats"].get(cat, 0) + r["n"]
        st = f"{leaf} <- {c1} <- {c2}"
        role["stacks"][st] = role["stacks"].get(st, 0) + r["n"]
    for d in out["by"].values():
        for role in d["roles"].values():
            role["top"] = sorted(role["stacks"].items(), key=lambda kv: -kv[1])[:6]
            del role["stacks"]
    return profile_unsampled(out, recs)


def profile_unsampled(out, recs):
    """
    Sampling needs interrupts: a CPU with IRQs off (spin_lock_irqsave and
    its critical section) or not run by the host takes no sample.  The
    profiled window is known (go .. victim reaped + 20 ms), so the samples
    missing from 1 per ms per CPU are that time.
    """
    for d in out["by"].values():
        d["window_ms"] = 0
    for r in by(recs, sec="order-prof"):
        key = f"{r['case']}/{r['cfg']}" + ("/thp" if thp_of(r) else "")
        if key in out["by"] and r.get("t_waited") is not None and r.get("t_go") is not None:
            out["by"][key]["window_ms"] += \
                (r["t_waited"] - r["t_go"] + 20)
    for d in out["by"].values():
        tot = sum(x["total"] for x in d["roles"].values())
        if d.get("window_ms"):
            d["unsampled"] = max(0.0, 1 - tot / (2 * d["window_ms"]))
    return out


# ---------------------------------------------------------------- plots


def gnuplot_term():
    if not shutil.which("gnuplot"):
        return None
    try:
        t = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True,
                           timeout=20)
        text = t.stdout + t.stderr
    except Exception:
        return None
    if "pngcairo" in text:
        return "pngcairo size 960,540 font 'sans,10'"
    if " png " in text or "\npng" in text:
        return "png size 960,540"
    return None


def jitter(i, n=7):
    return ((i * 37) % n - (n - 1) / 2) * 0.04


def plots(recs, S, outdir, workdir):
    term = gnuplot_term()
    made = []
    if not term:
        return made
    pdir = os.path.join(outdir, "plots")
    os.makedirs(pdir, exist_ok=True)
    os.makedirs(workdir, exist_ok=True)

    def run(name, script, data):
        for fname, rows in data.items():
            with open(os.path.join(workdir, fname), "w") as f:
                for row in rows:
                    f.write(" ".join(str(x) for x in row) + "\n")
        png = os.path.join(pdir, name + ".png")
        full = (f"set terminal {term}\nset termoption noenhanced\nset output '{png}'\n"
                f"cd '{workdir}'\n" + script)
        with open(os.path.join(workdir, name + ".gp"), "w") as f:
            f.write(full)
        p = subprocess.run(["gnuplot", os.path.join(workdir, name + ".gp")],
                           capture_output=True, text=True)
        if p.returncode == 0 and os.path.exists(png):
            made.append(name)
        else:
            print(f"report: gnuplot {name}: {p.stderr.strip()[:300]}", file=sys.stderr)

    # 1. order / lmkd: kill->freed per configuration, one panel per case
    for sec, cfgs in (("order", ("reverse", "forward", "none")),
                      ("lmkd", ("mrelease-reverse", "mrelease-forward", "kill-only"))):
        cases = sorted({r["case"] for r in by(recs, sec=sec)})
        if not cases:
            continue
        data, plots_ = {}, []
        xt, xs = [], []
        x = 0
        for case, thp in [(c, t) for c in cases for t in (0, 1)
                          if ("thp" if t else "all") in S[sec][c]]:
            for cfg in cfgs:
                x += 1
                xs.append(x)
                xt.append(f'"{case}\\n{cfg}{chr(92) + "nTHP" if thp else ""}" {x}')
                rows_ok, rows_bad = [], []
                for i, r in enumerate(r for r in by(recs, sec=sec, case=case, cfg=cfg)
                                      if thp_of(r) == thp):
                    m = order_metrics(r)
                    if m["freed"] is None:
                        continue
                    (rows_ok if m["par"] >= PAR_OK else rows_bad).append(
                        (x + jitter(i), m["freed"], m["reap"] if m["reap"] is not None else "NaN",
                         m["exit_mmap"] if m["exit_mmap"] is not None else "NaN"))
                data[f"{sec}_{x}_ok.dat"] = rows_ok or [(x, "NaN", "NaN", "NaN")]
                data[f"{sec}_{x}_bad.dat"] = rows_bad or [(x, "NaN", "NaN", "NaN")]
                med = S[sec][case]["thp" if thp else "all"][cfg]["freed"].get("median")
                data[f"{sec}_{x}_med.dat"] = [(x - 0.3, med if med else "NaN"), (x + 0.3, med if med else "NaN")]
            x += 0.5
        for xi in xs:
            t1 = "title 'kill→freed, probe ≥ %.1f (two CPUs)'" % PAR_OK if xi == 1 else "notitle"
            t2 = "title 'kill→freed, probe < %.1f'" % PAR_OK if xi == 1 else "notitle"
            t3 = "title 'median (all)'" if xi == 1 else "notitle"
            plots_.append(f"'{sec}_{xi}_ok.dat' using 1:2 with points pt 7 ps 0.8 lc rgb '#1f77b4' {t1}")
            plots_.append(f"'{sec}_{xi}_bad.dat' using 1:2 with points pt 6 ps 0.8 lc rgb '#aaaaaa' {t2}")
            plots_.append(f"'{sec}_{xi}_med.dat' using 1:2 with lines lw 3 lc rgb '#d62728' {t3}")
        what = "memcg OOM kill, delay 0" if sec == "order" else "pidfd SIGKILL + process_mrelease()"
        script = (f"set title 'Section 5: kill → memory freed ({what}), {S['meta'].get('size_mib', '?')} MiB victim'\n"
                  f"set ylabel 'ms from the kill'\nset yrange [0:*]\nset grid ytics\nset bmargin 4\n"
                  f"set xtics ({', '.join(xt)})\nset xrange [0.3:{x}]\nset key top left\n"
                  f"plot {', '.join(plots_)}\n")
        run(sec, script, data)

    # 1b. sparse: the measured time per configuration, log scale
    sp = [r for r in by(recs, sec="sparse") if not r.get("skipped")]
    if sp:
        data, pl, xt = {}, [], []
        x = 0
        for row in S["sparse"]["rows"]:
            for cfg in ("forward", "reverse"):
                x += 1
                pts = [(x + jitter(i), sparse_metric(r)) for i, r in enumerate(
                    r for r in sp if r["case"] == row["case"] and r["way"] == row["way"]
                    and thp_of(r) == row["thp"] and r["cfg"] == cfg) if sparse_metric(r)]
                data[f"sparse_{x}.dat"] = pts or [(x, "NaN")]
                xt.append(f'"{row["case"]}\\n{"mrel." if row["way"] == "mrelease" else "reaper"}'
                          f'{chr(92) + "nTHP" if row["thp"] else ""}\\n{cfg[:3]}" {x}')
                pl.append(f"'sparse_{x}.dat' using 1:2 with points pt 7 ps 0.8 "
                          f"lc rgb '{'#d62728' if cfg == 'reverse' else '#1f77b4'}' notitle")
            x += 0.5
        script = ("set title 'Section 5b: sparse mapping, reaper pass (reaper) / process_mrelease() call (mrel.); fwd blue, rev red'\n"
                  "set logscale y\nset ylabel 'ms (log)'\nset grid ytics\nset bmargin 6\n"
                  "set xtics font ',7'\n"
                  f"set xtics ({', '.join(xt)})\nset xrange [0.3:{x}]\n"
                  f"plot {', '.join(pl)}\n")
        run("sparse", script, data)

    # 2. frozen: kill->reap start, log scale
    rows = {}
    for xi, cfg in enumerate(("bypass-on", "bypass-off"), 1):
        rows[f"frozen_{xi}.dat"] = [(xi + jitter(i), r["t_reap_start"])
                                    for i, r in enumerate(by(recs, sec="frozen", cfg=cfg))
                                    if r.get("t_reap_start")] or [(xi, "NaN")]
    if by(recs, sec="frozen"):
        script = ("set title 'Section 6: frozen victim, delay 2000 ms: kill → reaper starts'\n"
                  "set logscale y\nset ylabel 'ms (log)'\nset grid ytics\n"
                  "set xtics ('bypass on' 1, 'bypass off' 2)\nset xrange [0.5:2.5]\n"
                  "plot 'frozen_1.dat' using 1:2 with points pt 7 title 'bypass on', "
                  "'frozen_2.dat' using 1:2 with points pt 7 title 'bypass off', "
                  "5 with lines dt 2 lc rgb '#2ca02c' title 'target 5 ms'\n")
        run("frozen", script, rows)

    # 3. delay: measured vs configured
    if by(recs, sec="delay"):
        w, f, j = [], [], []
        for i, r in enumerate(by(recs, sec="delay")):
            d = r["delay_set_ms"]
            if r.get("t_wake") is not None:
                w.append((d - 15, r["t_wake"]))
                if r.get("jiffies_rate"):
                    j.append((d + 15, r["t_wake"] * r["jiffies_rate"]))
            if r.get("t_reap_end") is not None:
                f.append((d, r["t_reap_end"]))
        script = ("set title 'Section 7: delay honoured and bounded (pinned victim)'\n"
                  "set xlabel 'vm.oom_reap_delay_ms'\nset ylabel 'ms from the kill'\n"
                  "set grid\nset key top left\nset xrange [-100:2100]\n"
                  "plot 'delay_w.dat' using 1:2 with points pt 7 title 'reaper woken (wake_reaper), CLOCK_MONOTONIC', "
                  "'delay_j.dat' using 1:2 with points pt 5 title 'reaper woken, in jiffies (x jiffies per ms)', "
                  "'delay_f.dat' using 1:2 with points pt 6 ps 1.5 title 'memory freed (reap_result)', "
                  "x with lines dt 2 title 'configured delay'\n")
        run("delay", script, {"delay_w.dat": w or [(0, "NaN")], "delay_f.dat": f or [(0, "NaN")],
                              "delay_j.dat": j or [(0, "NaN")]})

    # 4. control plane: per-op times, log scale
    if by(recs, sec="ctl"):
        names = [("inproc", "nl", "policy-get\\n(open socket)"),
                 ("inproc", "nl-cold", "socket+resolve\\n+policy-get"),
                 ("inproc", "sysctl", "3 sysctl files\\n(open/read/close)"),
                 ("proc", S["ctl"].get("show_name") or "oomctl-show", "process:\\n" + (S["ctl"].get("show_name") or "oomctl show")),
                 ("proc", "sysctl-n", "process:\\nsysctl -n x3")]
        data, pl, xt = {}, [], []
        for xi, (kind, cfg, label) in enumerate(names, 1):
            pts = [(xi + jitter(i), r["us_per_op"]) for i, r in
                   enumerate(by(recs, sec="ctl", kind=kind, cfg=cfg))]
            data[f"ctl_{xi}.dat"] = pts or [(xi, "NaN")]
            xt.append(f'"{label}" {xi}')
            pl.append(f"'ctl_{xi}.dat' using 1:2 with points pt 7 notitle")
        script = ("set title 'Section 8: control plane, time per operation'\nset logscale y\n"
                  "set ylabel 'µs per operation (log)'\nset grid ytics\nset bmargin 4\n"
                  f"set xtics ({', '.join(xt)})\nset xrange [0.5:{len(names) + 0.5}]\n"
                  f"plot {', '.join(pl)}\n")
        run("ctl", script, data)

    # 5. storm: ms per kill per chunk
    if by(recs, sec="storm", phase="overhead"):
        cfgs = sorted({r["cfg"] for r in by(recs, sec="storm", phase="overhead")},
                      key=lambda c: (c != "none", c))
        data, pl, xt = {}, [], []
        for xi, cfg in enumerate(cfgs, 1):
            pts = [(xi + jitter(i), r["ms_per_kill"]) for i, r in
                   enumerate(by(recs, sec="storm", phase="overhead", cfg=cfg))]
            data[f"storm_{xi}.dat"] = pts or [(xi, "NaN")]
            xt.append(f'"{"no listener" if cfg == "none" else cfg + " listening"}" {xi}')
            pl.append(f"'storm_{xi}.dat' using 1:2 with points pt 7 ps 1.2 notitle")
        script = ("set title 'Section 4: OOM kill loop, ms per kill (chunks interleaved)'\n"
                  "set ylabel 'ms per kill'\nset yrange [0:*]\nset grid ytics\n"
                  f"set xtics ({', '.join(xt)})\nset xrange [0.5:{len(cfgs) + 0.5}]\n"
                  f"plot {', '.join(pl)}\n")
        run("storm", script, data)
    pr = S.get("profile")
    if pr:
        keys = sorted(pr["by"].keys())
        cats = pr["cats"]
        rows = []
        for k in keys:
            ro = pr["by"][k]["roles"]
            kills = max(pr["by"][k]["kills"], 1)
            vals = []
            for cat in cats:
                v = sum(ro.get(role, {}).get("cats", {}).get(cat, 0) for role in ("exit", "reaper"))
                vals.append(v / kills)
            rows.append(['"%s"' % k] + vals)
        cols = " ".join(f"'prof.dat' using {i + 2}{':xtic(1)' if i == 0 else ''} title '{c}'"
                        for i, c in enumerate(cats))
        colors = ["#d62728", "#2ca02c", "#98df8a", "#ff7f0e", "#ffdd57", "#1f77b4",
                  "#9467bd", "#8c564b", "#c7c7c7"]
        plotcmd = ", ".join(f"'prof.dat' using {i + 2}{':xtic(1)' if i == 0 else ''} "
                            f"lc rgb '{colors[i % len(colors)]}' title \"{c}\""
                            for i, c in enumerate(cats))
        script = ("set title 'Profile: CPU-ms per kill, exit_mmap() + reaper, by activity'\n"
                  "set style data histograms\nset style histogram rowstacked\n"
                  "set style fill solid 0.8 border -1\nset boxwidth 0.7\n"
                  "set ylabel 'samples per kill (≈ CPU-ms)'\nset key outside right top vertical font ',8'\n"
                  "set xtics rotate by -30\nset yrange [0:*]\n"
                  f"plot {plotcmd}\n")
        del cols
        run("profile", script, {"prof.dat": rows})
    return made

# ---------------------------------------------------------------- markdown


def md(S, host, made, recs):
    meta = S["meta"]
    L = []
    P = L.append

    def plot(name):
        if name in made:
            P(f"![{name}](plots/{name}.png)")
            P("")

    P("# oomctl benchmark results")
    P("")
    P("Generated by `make bench` (bench/run.sh → bench/report.py); raw records in "
      "[results.json](results.json).  Configurations are interleaved within each repetition.  "
      "A section of the patched kernel alone is from **one boot** (the first), and its ratios "
      "compare configurations of that boot only; the comparisons with stock 7.3 (sections 1-3) "
      "pool the boots of one `make bench` run, stock and patched alternating, so that a slow "
      "phase of the host hits both kernels.")
    P("")
    loads = [x[1] for x in host.get("load", [])]
    lstr = (f"1-min load average on the host during the run: min {min(loads):.2f}, "
            f"mean {sum(loads) / len(loads):.2f}, max {max(loads):.2f} "
            f"on {host.get('host_cpus')} CPUs" if loads else "host load not recorded")
    P("| | |")
    P("|---|---|")
    P(f"| date | {host.get('date', '?')} (commit {host.get('git', '?')}) |")
    P(f"| kernel | Linux {meta.get('kernel', '?')} `{meta.get('version', '')}` ({meta.get('machine', '?')}), patched with kernel/series |")
    P(f"| guest | {meta.get('cpus', '?')} vCPUs, {int(meta.get('mem_kb', 0)) // 1024} MiB, QEMU TCG (no KVM): `{host.get('qemu', '?')}` |")
    P(f"| host | {host.get('host_cpu', '?')}, {host.get('host_cpus', '?')} CPUs, Linux {host.get('host_kernel', '?')} |")
    P(f"| host load | {lstr}; the cores were shared with other builds and VMs |")
    P(f"| repetitions | per configuration: see n in each table (mode {meta.get('mode', '?')}); VM time {host.get('vm_seconds', '?')} s, whole `make bench` {host.get('total_seconds', '?')} s |")
    P(f"| oomctl | {meta.get('oomctl', '?')} |")
    if S.get("kept"):
        runs = S["kept"].get("runs") or {S["kept"]["date"]: S["kept"]["sections"]}
        P("| kept | " + "; ".join(f"sections {', '.join(n)} from the run of {d}"
                                  for d, n in runs.items())
          + " (`BENCH_KEEP=1`: this run measured only the others) |")
    P("")
    P("Spread is given as `median [p25–p75] (min–max)`, times in ms unless marked.  "
      "Under TCG absolute times are inflated and noisy; read the ratios.")
    P("")
    P("## Headline: measured against the targets")
    P("")
    P("| what | measured | 95 % interval | target | |")
    P("|---|---|---|---|---|")
    for t in S["targets"]:
        v = t["value"]
        if v is None:
            val = "not measured"
        elif t["unit"] == "%":
            val = f"{v:+.1f} %"
        elif t["unit"] in ("ms", "KiB", "MiB"):
            val = f"{v:.1f} {t['unit']}"
        elif t["unit"] == "×" and v >= 10:
            val = f"{v:.0f}×"
        else:
            val = f"{v:.2f}" if isinstance(v, float) else str(v)
        goal = f"{t['op'].replace('<=', '≤').replace('>=', '≥')} {t['goal']}{(' ' + t['unit']) if t['unit'] and t['unit'] != '×' else ('×' if t['unit'] == '×' else '')}"
        if t["op"] == "±":
            goal = f"1 ± {t['goal']:.2f}"
        mark = "–" if t["met"] is None else ("met" if t["met"] else "**missed**")
        if t.get("resolved") is False:
            mark += " (not resolved: the interval spans the target)"
        ci = t.get("ci")
        if ci:
            if t["unit"] == "%":
                cis = f"{ci[0]:+.1f} … {ci[1]:+.1f} %"
            elif t["unit"] == "×" and ci[0] >= 10:
                cis = f"{ci[0]:.0f} … {ci[1]:.0f}×"
            elif t["unit"] == "ms":
                cis = f"{ci[0]:.1f} … {ci[1]:.1f} ms"
            else:
                cis = f"{ci[0]:.2f} … {ci[1]:.2f}"
        else:
            cis = "–"
        P(f"| {t['name']}{(' (' + t['note'] + ')') if t['note'] else ''} | {val} | {cis} | {goal} | {mark} |")
    P("")
    P("The interval is a bootstrap (2000 resamples) of the same statistic: of the ratio of "
      "medians for independent configurations, of the median for paired ratios.  Why a target "
      "is missed, with the evidence, is in the section concerned and in README.md "
      "(\"Benchmarks\").")
    P("")
    # 1-3: against stock 7.3 (report_cmp.py, report_robust.py)
    import report_cmp
    import report_robust
    report_cmp.md(S.get("cmp") or {}, P, "starved")
    report_robust.md(S.get("robust") or {}, P)
    report_cmp.md(S.get("cmp") or {}, P, "stock")

    # 5
    st = S["storm"]
    P("## 4. Cost of the family, and the event stream under an OOM storm")
    P("")
    P("Each kill: `clone3(CLONE_INTO_CGROUP)` into a cgroup with `memory.max=4M`, the child touches "
      "memory until the memcg OOM-kills it in its page fault, we reap it and start the next.  "
      "Default policy (delay 2000 ms), so each kill makes three notifications (victim, "
      "reap-queued, reap-done 2 s later).  Listeners write to a file in the guest's RAM.  "
      "**delivered** counts, per kill of the timed loop, which of its three events reached the "
      "listener (matched by pid); lost = expected − delivered; seq missing = gaps in the family's "
      "sequence numbers over everything the listener got.")
    P("")
    f = st.get("finegrain")
    if f:
        P(f"**Fine-grained, in the storm process**: blocks of {f['block']} kills, {f['kills']} kills "
          "in all, the kind of block rotating: `left` = no socket is a member, the kernel builds "
          "no notification (`genl_has_listeners()`); `queued` = a socket is a member but nobody "
          "reads during the block (it is drained afterwards, untimed): the kernel builds and "
          "queues every notification in the OOM path, nothing else; `read` = a receiver thread "
          "reads them as they come (adds its wakeups and CPU time on the 2-vCPU guest).")
        P("")
        P("| block | n | ms per kill | ÷ left, paired (median [IQR]) | overhead per kill − left, paired: µs (95 % interval) | overhead, % (95 % interval) | messages |")
        P("|---|---|---|---|---|---|---|")
        for k, x in f["kinds"].items():
            if k == "left":
                P(f"| {k} | {x['ms_per_kill'].get('n', 0)} | {fstat(x['ms_per_kill'], 2)} | 1 | 0 | 0 | {x['messages']} |")
                continue
            P(f"| {k} | {x['ms_per_kill'].get('n', 0)} | {fstat(x['ms_per_kill'], 2)} | "
              f"{fstat(x.get('paired'), 3) if x.get('paired') else '–'} | "
              f"{fsigned(x.get('diff_us', {}).get('median'))} ({fci(x.get('ci_diff_us'), '{:+.0f}')}) | "
              f"{fsigned(pct(x.get('paired')), 1)} ({fci(x.get('ci_pct'), '{:+.1f}')}) | {x['messages']} |")
        P("")
        q = f["kinds"].get("queued")
        if q and q.get("pairs"):
            P(f"**Listener cost in the OOM path** (for comparing kernels: the `queued` block against "
              f"`left`): **{fsigned(q['diff_us'].get('median'))} µs per kill** (95 % interval "
              f"{fci(q.get('ci_diff_us'), '{:+.0f}')} µs), **{fsigned(pct(q.get('paired')), 1)} %** "
              f"(95 % interval {fci(q.get('ci_pct'), '{:+.1f}')} %), the median of {q['pairs']} "
              f"paired repetitions (rounds), each a {f['block']}-kill `queued` block next to a "
              f"{f['block']}-kill `left` block of the same round; {f['kinds']['queued']['ms_per_kill'].get('n', 0) * f['block']} "
              f"kills per kind.  The interval is a bootstrap of the median over the rounds.")
            P("")
        import report_cost
        report_cost.md(st.get("cost"), P)
        P("**Listener processes**, chunks of kills without a listener and with one started before "
          "and stopped after (interleaved, order alternating):")
        P("")
    P("| listener | chunks | kills | ms per kill | with ÷ without | paired per chunk | overhead per kill, paired: µs (95 % interval) | % (95 % interval) | delivered / expected |")
    P("|---|---|---|---|---|---|---|---|---|")
    for cfg, v in st["overhead"].items():
        P(f"| {cfg} | {v['ms_per_kill'].get('n', 0)} | {v['kills']} | {fstat(v['ms_per_kill'], 2)} | "
          f"{fratio(v.get('ratio'))} | {fstat(v.get('paired'), 3) if v.get('paired') else '–'} | "
          f"{fsigned(v.get('diff_us', {}).get('median'))} ({fci(v.get('ci_diff_us'), '{:+.0f}')}) over {v.get('pairs', 0)} pairs | "
          f"{fsigned(pct(v.get('paired')), 1)} ({fci(v.get('ci_pct'), '{:+.1f}')}) | "
          f"{v['delivered']} / {v['expected']} |" if cfg != "none" else
          f"| none | {v['ms_per_kill'].get('n', 0)} | {v['kills']} | {fstat(v['ms_per_kill'], 2)} | 1 | – | – | – | – |")
    P("")
    nn = st["overhead"].get("none", {}).get("ms_per_kill", {})
    if nn.get("n"):
        P(f"Noise floor: the no-listener chunks alone spread "
          f"{100 * (nn['p75'] - nn['p25']) / nn['median']:.1f} % (IQR) and "
          f"{100 * (nn['max'] - nn['min']) / nn['median']:.1f} % (min–max) around their median, "
          f"against a 2 % target.")
        P("")
    for s in st["session"]:
        P(f"**One {s['kills']}-kill session with `{s['cfg']}`**: {s['killed']} children OOM-killed "
          f"in {s['loop_ms'] / 1000:.1f} s ({s['ms_per_kill']:.1f} ms per kill); events of those kills "
          f"delivered {s['delivered']} of {s['expected']} (victim {s['k_victim']}, reap-queued "
          f"{s['k_queued']}, reap-done {s['k_done']}); {s['events']} events received in all; "
          f"seq missing {s['seq_missing']}, duplicates {s['seq_dup']}; the listener's own lost records "
          f"{s['lost_records']} (count {s['lost_count']}); kernel `events-dropped` "
          f"+{s['kernel_dropped']}, kernel victims +{s['kernel_victims']}; listener VmHWM "
          f"{s['hwm_kb']} kB"
          + (f", CPU time {s['cpu_ms']} ms ({s['cpu_ms'] * 1000 / max(s['events'] or 1, 1):.0f} µs per event "
             f"received), {s['wakeups']} wakeups" if s.get("cpu_ms") is not None else "")
          + f"; socket buffers: net.core.rmem_default {s['rmem_default']}, "
          f"rmem_max {s['rmem_max']}"
          + (f"; ENOBUFS {s['enobufs']}, delivery latency avg {s['lat_avg_us']} µs, max {s['lat_max_us']} µs"
             if s.get("enobufs") is not None else "") + ".")
        P("")
    plot("storm")

    # 1
    P("## 5. Traversal order: reaper vs exit_mmap()")
    P("")
    P(f"Victim: {meta.get('size_mib', '?')} MiB of touched anonymous memory, either over "
      f"{meta.get('vmas', '?')} VMAs (\"many\", separated by guard pages so they cannot merge) "
      "or in one VMA (\"one\"), alone in a memory cgroup without swap, pinned to CPU 1; the "
      "oom_reaper (or the lmkd-style killer) is pinned to CPU 0.")
    P("")
    P("* **OOM kill**: the victim itself goes over `memory.max` and the memcg OOM-kills it in its "
      "own page fault (nobody spins on `memory.max` meanwhile).  `reverse`/`forward` = "
      "`vm.oom_reap_order` 1/0 with `vm.oom_reap_delay_ms=0`; `none` = delay 10000, so the "
      "victim exits alone long before the timer (the timer then finds MMF_OOM_SKIP).  Time 0 = "
      "`oom:mark_victim`.")
    P("* **lmkd-style**: `pidfd_send_signal(SIGKILL)` then at once `process_mrelease()` from the "
      "killer on CPU 0; `kill-only` does not call it.  Time 0 = `signal:signal_generate` of the SIGKILL.")
    P("* **kill→freed** = until the victim's `exit_mmap()` has finished: the release of the mmap "
      "write lock it takes after `unmap_vmas()` (`mmap_lock:mmap_lock_released` in the victim's "
      "context).  Why that point: pages zapped by `exit_mmap()` sit in its mmu_gather batches and are "
      "freed (and uncharged from the memcg) as batches fill and at `tlb_finish_mmu()` under that "
      "write lock, and that lock waits for a reaper still holding the read lock; so every page "
      "is back at that moment, in all configurations, and no earlier moment is safe for all of "
      "them.  (The reaper frees its pages per VMA as it goes, which is what makes the end earlier.)")
    P("* **reaper** = `duration_us` of `oom:reap_result` (the reaper's or process_mrelease's pass); "
      "**exit_mmap** = its read-lock acquire → write-lock release; **unmap** = the `unmap_vmas()` "
      "part (read lock held); **tail** = `free_pgtables()` + `tlb_finish_mmu()` + VMA freeing.")
    P("* **THP off / on**: on = the victim is set up (mapped and touched) while "
      "`/sys/kernel/mm/transparent_hugepage/enabled` and `defrag` say `always`, and both are put "
      "back before the kill, so its heap is PMD-mapped (each VMA starts on a 2 MiB boundary, in "
      "both configurations) while the kill, the overflow area it is killed in and everything "
      "else fault with the system's own setting; *huge MiB* = its `AnonHugePages` before the "
      "kill.  Not `madvise(MADV_HUGEPAGE)`, so that the bench also runs on kernels "
      "built without madvise(2) (CONFIG_ADVISE_SYSCALLS, off in tinyconfig); bench/src/thp.c.")
    P(f"* **probe**: before and after each kill the guest spins the same work on CPU 0, CPU 1, "
      f"then both at once: 2.0 = the host ran both vCPUs in parallel, 1.0 = they took turns "
      f"(the host has {host.get('host_cpus', '?')} cores shared with other work).  The "
      f"\"probe ≥ {PAR_OK}\" rows keep only kills where both probes said the host gave us two CPUs.")
    P("")
    pb = S.get("probe", {})
    if pb.get("stats", {}).get("n"):
        P(f"**Host parallelism during section 5** (probe, lower of before/after each kill): "
          f"{fstat(pb['stats'], 2)}; {100 * pb['share_ok']:.0f} % of the kills had both probes ≥ {PAR_OK}.")
        P("")
    for sec, cfgs, title in (("order", ("reverse", "forward", "none"), "OOM kill"),
                             ("lmkd", ("mrelease-reverse", "mrelease-forward", "kill-only"),
                              "lmkd-style kill + process_mrelease")):
        for case, c in S[sec].items():
            for subset, tsub in (("all", "thp"), ("par", "thp_par")):
                ds = [(0, c[subset])] + ([(1, c[tsub])] if tsub in c else [])
                label = "all kills" if subset == "all" else f"probe ≥ {PAR_OK}"
                P(f"**{title}, {case} VMA{'s' if case == 'many' else ''}, {label}, THP off and on**")
                P("")
                reap_col = "process_mrelease pass" if sec == "lmkd" else "reaper pass"
                P(f"| THP | config | n | kill→freed | {reap_col} | exit_mmap | unmap | tail | kill→exit starts | kill→reaper starts | probe | huge MiB |")
                P("|---|---|---|---|---|---|---|---|---|---|---|---|")
                for thp, d in ds:
                    for cfg in cfgs:
                        x = d[cfg]
                        P(f"| {'on' if thp else 'off'} | {cfg} | {x['freed'].get('n', 0)} | {fstat(x['freed'])} | "
                          f"{fstat(x['reap'])} | "
                          f"{fstat(x['exit_mmap'])} | {fnum(x['unmap'].get('median'))} | {fnum(x['tail'].get('median'))} | "
                          f"{fnum(x['exit_start'].get('median'))} | {fnum(x['reap_start'].get('median'))} | "
                          f"{fnum(x['par'].get('median'), 2)} | {fnum(x['huge_mib'].get('median'), 0)} |")
                P("")
                for thp, d in ds:
                    P(f"THP {'on' if thp else 'off'}: ratios of medians (95 % interval): {cfgs[0]} ÷ {cfgs[1]} "
                      f"**{fratio(d['ratio_rev_fwd'])}** ({fci(d.get('ci_rev_fwd'))}), "
                      f"{cfgs[0]} ÷ {cfgs[2]} **{fratio(d['ratio_rev_none'])}** ({fci(d.get('ci_rev_none'))}), "
                      f"{cfgs[1]} ÷ {cfgs[2]} {fratio(d['ratio_fwd_none'])}.  "
                      f"Per repetition (paired): {cfgs[0]} ÷ {cfgs[1]} {fstat(d['paired_rev_fwd'], 2)}, "
                      f"{cfgs[0]} ÷ {cfgs[2]} {fstat(d['paired_rev_none'], 2)}.")
                    P("")
                    res = "; ".join(f"{cfg}: " + ", ".join(f"{k} {v}" for k, v in sorted(d[cfg]['results'].items()))
                                    for cfg in cfgs)
                    if subset == "all":
                        P(f"Reap results (THP {'on' if thp else 'off'}): {res}.")
                        P("")
                    n = min(d[cfg]["freed"].get("n", 0) for cfg in cfgs)
                    if n == 0 and subset == "par":
                        P(f"(THP {'on' if thp else 'off'}: no kill had the probe at that level in this run.)")
                        P("")
                if len(ds) == 1 and subset == "all":
                    P(f"THP on: {thp_absent(S, sec)}.")
                    P("")
        plot(sec)

    pr = S.get("profile")
    if pr:
        P("### Profile: what the two CPUs still fight over")
        P("")
        P("The same OOM kills with the kernel sampled on both CPUs (perf cpu-clock, kernel "
          "mode, one sample per tick = 1 ms per CPU; bench/src/prof.c), symbolized with "
          "System.map on the host.  Columns: samples (≈ CPU-ms) of the victim's exit "
          "(`exit_mmap()`) and of the reaper thread, summed over the profiled kills.  A sample "
          "taken while interrupts are off lands on the instruction that turns them back on: "
          "the `… section, irqs off` rows are the time spent inside (or spinning for) "
          "`lruvec->lru_lock` and `zone->lock`, both taken with `spin_lock_irqsave()`; and "
          "however long a CPU stays with IRQs off, it takes one sample for it, so the first "
          "row gives the share of the two CPUs' time in the profiled windows that took no "
          "sample at all (2 CPUs × 1 sample per ms expected): time with IRQs disabled, or "
          "a vCPU the host did not run.")
        P("")
        keys = sorted(pr["by"].keys())
        cats = pr["cats"]
        hdr = " | ".join(f"{k} ({pr['by'][k]['kills']} kills) exit / reaper" for k in keys)
        P(f"| samples (≈ ms) | {hdr} |")
        P("|---|" + "---|" * len(keys))
        cells = []
        for k in keys:
            u = pr["by"][k].get("unsampled")
            cells.append("–" if u is None else f"{100 * u:.0f} %")
        P(f"| **unsampled: IRQs off or vCPU not run** | {' | '.join(cells)} |")
        for cat in cats + ["total busy"]:
            cells = []
            for k in keys:
                ro = pr["by"][k]["roles"]
                vals = []
                for role in ("exit", "reaper"):
                    x = ro.get(role)
                    if not x:
                        vals.append("–")
                    else:
                        vals.append(str(x["total"] if cat == "total busy" else x["cats"].get(cat, 0)))
                cells.append(" / ".join(vals))
            P(f"| {cat} | {' | '.join(cells)} |")
        P("")
        # the evidence, per kill
        def per_kill(key, cats_, roles=("exit", "reaper")):
            d = pr["by"].get(key)
            if not d or not d["kills"]:
                return None
            tot = 0
            for role in roles:
                x = d["roles"].get(role, {})
                tot += sum(x.get("cats", {}).get(c, 0) for c in cats_) if cats_ else x.get("total", 0)
            return tot / d["kills"]
        lock_cats = [c for c in cats if "irqs off" in c]
        for case in sorted({k.split("/")[0] for k in keys}):
            rv, fw, no = f"{case}/reverse", f"{case}/forward", f"{case}/none"
            lk_n, lk_r = per_kill(no, lock_cats), per_kill(rv, lock_cats)
            pte_f, pte_r = per_kill(fw, ["PTE lock wait"]), per_kill(rv, ["PTE lock wait"])
            busy_n, busy_r = per_kill(no, None), per_kill(rv, None)
            if None in (lk_n, lk_r, pte_f, pte_r, busy_n, busy_r):
                continue
            P(f"* **{case} VMA{'s' if case == 'many' else ''}, per kill**: PTE-lock waiting "
              f"{pte_f:.0f} ms (forward) → {pte_r:.0f} ms (reverse); time inside/spinning for the "
              f"LRU and zone locks {lk_n:.0f} ms when exit_mmap() frees alone → {lk_r:.0f} ms "
              f"summed over both CPUs in reverse ({ratio(lk_r, lk_n) or 0:.1f}× for the same pages); "
              f"CPU time for the whole teardown {busy_n:.0f} ms alone → {busy_r:.0f} ms with the "
              f"reaper ({ratio(busy_r, busy_n) or 0:.2f}×: two CPUs give at best "
              f"{2 / (ratio(busy_r, busy_n) or 1):.2f}× the speed of one).")
            # how far from the physical limit, and where the rest goes
            o = S.get("order", {}).get(case, {})
            meas = o.get("all", {}).get("ratio_rev_none")
            meas_p = o.get("par", {}).get("ratio_rev_none")
            best = (ratio(busy_r, busy_n) or 1) / 2
            if meas:
                P(f"  *Distance from the limit*: two CPUs freeing disjoint halves would give "
                  f"reverse ÷ exit alone = 0.50; the extra work the two CPUs do for the same pages "
                  f"(the LRU and zone lock sections above) moves the best this kernel can reach "
                  f"to {best:.2f}; measured **{meas:.2f}** (all kills)"
                  + (f", {meas_p:.2f} (kills with both vCPUs running)" if meas_p else "")
                  + f".  Of the {meas - 0.5:.2f} above 0.50, {best - 0.5:.2f} is lock "
                  f"contention in the page freeing that both paths share, the rest "
                  f"({meas - best:.2f}) is the part only exit_mmap() does (free_pgtables(), "
                  f"tlb_finish_mmu(): the *tail* column) and vCPUs the host did not run in "
                  f"parallel.")
        P("")
        for k in keys:
            for role in ("exit", "reaper"):
                x = pr["by"][k]["roles"].get(role)
                if not x or not x["total"]:
                    continue
                tops = "; ".join(f"{100 * n / x['total']:.0f}% `{st}`" for st, n in x["top"][:3])
                P(f"* {k}, {role}: {tops}")
        P("")
        plot("profile")

    md_sparse(S, P, plot)

    # 2
    fr = S["frozen"]
    P("## 6. Frozen victims whose mm is pinned")
    P("")
    P("Victim frozen with the cgroup v2 freezer (`cgroup.freeze`), then OOM-killed by lowering "
      "`memory.max` from outside; `vm.oom_reap_delay_ms` at its default 2000.  Its mm is pinned "
      "from outside (selftests/lib/mm_pin.h) so the reaper always has the memory to reap: "
      "kill→reap start is defined in both configurations.  Time 0 = `oom:mark_victim`; reap start = "
      "`oom:start_task_reaping`.")
    P("")
    P("The kill comes from a process writing `memory.max`: after the kill it keeps looping in "
      "`memory_max_write()` (reclaim, `out_of_memory()`, `cond_resched()`) until the reaper has "
      "freed the memory; on this PREEMPT_LAZY kernel `cond_resched()` does not yield, so a "
      "reaper woken on that CPU waits for the next tick.  Compare kill→reap start here with the "
      "delay-0 row of section 7, where the victim kills itself and nobody spins.")
    P("")
    P("| THP | config | n | kill→queued | kill→reaper woken | kill→reap start | kill→freed | reason |")
    P("|---|---|---|---|---|---|---|---|")
    for thp, f_ in (("off", fr), ("on", S.get("frozen_thp") or {})):
        for cfg in ("bypass-on", "bypass-off"):
            x = f_.get(cfg)
            if not x or not x["reap_start"].get("n"):
                continue
            P(f"| {thp} | {cfg} | {x['reap_start'].get('n', 0)} | {fstat(x['queued'], 2)} | {fstat(x['wake'], 2)} | "
              f"{fstat(x['reap_start'], 2)} | {fstat(x['reap_end'], 1)} | {', '.join(x['reasons'])} |")
    P("")
    P(f"off ÷ on (kill→reap start, medians): **{fnum(fr['ratio_off_on'], 0) if fr['ratio_off_on'] else '–'}×** (THP off)"
      + (f", {fnum(S['frozen_thp']['ratio_off_on'], 0)}× (THP on)" if (S.get('frozen_thp') or {}).get('ratio_off_on') else "")
      + ".  This victim's mm is pinned, which no frozen app does: section 1 has frozen victims "
      "that exit by themselves.")
    P("")
    plot("frozen")

    # 3
    P("## 7. Delay")
    P("")
    P("A victim that cannot exit by itself (mm pinned from outside), OOM-killed in its own page "
      "fault, bypass on, order reverse.  **woken** = `oom:wake_reaper` (the timer fired, or the "
      "direct queueing for 0), **freed** = `oom:reap_result`.  Early = woken more than 1 ms "
      "before the configured delay.")
    P("")
    P("| delay_ms | THP | n | kill→woken | woken − delay | kill→woken in jiffies (≈) | jiffies per ms | kill→reap start | kill→freed | early | reason | result |")
    P("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for k, x in sorted(S["delay"].items(), key=lambda kv: tuple(int(v) for v in kv[0].split("|"))):
        d, thp = k.split("|")
        P(f"| {d} | {'on' if thp == '1' else 'off'} | {x['wake'].get('n', 0)} | {fstat(x['wake'])} | {fstat(x['overshoot'])} | "
          f"{fstat(x['wake_j'])} | {fnum(x['jiffies_rate'].get('median'), 2)} | {fstat(x['start'], 2)} | "
          f"{fstat(x['freed'])} | {x['early']} | {', '.join(x['reasons'])} | {', '.join(x['results'])} |")
    P("")
    P("The delay is a `timer_list` timer, counted in jiffies.  This guest has a periodic 1000 Hz "
      "tick (no NO_HZ, no high-resolution timers) and under TCG on a busy host ticks come late, so "
      "jiffies advance slower than CLOCK_MONOTONIC (\"jiffies per ms\", from `times(2)` around "
      "each kill).  \"kill→woken in jiffies\" = kill→woken × that rate: the delay honoured in "
      "the kernel's own time; the rest of the overshoot is the VM's clock, not the policy.")
    P("")
    plot("delay")

    # 4
    ct = S["ctl"]
    P("## 8. Control plane")
    P("")
    P("In-process, per operation (µs): `nl` = one `policy-get` request/reply on an open generic "
      "netlink socket (our raw-socket client, bench/src/genl.c); `nl-cold` = socket + family "
      "lookup + policy-get + close; `sysctl` = open/read/close of the three `vm.oom_reap_*` files.  "
      "Whole processes (µs per run, fork+exec+wait, output to /dev/null): "
      f"`{ct.get('show_name') or 'oomctl-show'}` vs busybox `sysctl -n` of the three keys; "
      "`oomctl-version` (`oomctl --version`: exec + dynamic loading of libmnl and libc, no "
      "netlink) is the floor any dynamically linked tool pays; `oombench-nlget` is our one-shot "
      "raw-socket policy-get (dynamic, libc only).  busybox is static.")
    P("")
    P("| what | n | µs per op |")
    P("|---|---|---|")
    for k, v in ct.items():
        if isinstance(v, dict) and "n" in v:
            P(f"| {k} | {v['n']} | {fstat(v, 1)} |")
    P("")
    P(f"Ratios of medians: policy-get ÷ sysctl files **{fratio(ct['ratio_nl_sysctl'])}**; "
      f"cold (socket+lookup+get) ÷ sysctl files {fratio(ct['ratio_nlcold_sysctl'])}; "
      f"{ct.get('show_name')} ÷ `sysctl -n` **{fratio(ct['ratio_show_sysctl'])}**.")
    P("")
    plot("ctl")

    # 6
    fp = S["footprint"]
    P("## 9. Footprint")
    P("")
    if fp.get("oomctl_stripped"):
        P(f"* `oomctl` stripped: **{fp['oomctl_stripped'] / 1024:.1f} KiB** "
          f"({fp['oomctl_stripped']} bytes; {fp['oomctl_unstripped']} unstripped; "
          f"dynamic, needs {fp.get('oomctl_libs', '').strip()}).")
    hwm = [s for s in st["session"]]
    for s in hwm:
        P(f"* `{s['cfg']}` listener peak RSS (VmHWM) over the {s['kills']}-kill storm: "
          f"**{s['hwm_kb'] / 1024:.2f} MiB** ({s['hwm_kb']} kB).")
    P("")

    def row(name, d):
        if not d:
            return None
        t = sum(v["text"] for v in d.values())
        da = sum(v["data"] for v in d.values())
        b = sum(v["bss"] for v in d.values())
        return t, da, b

    objs = ["mm/oom_kill.o", "kernel/freezer.o", "mm/oom_netlink.o", "mm/oom_netlink_autogen.o"]
    P("Kernel objects the series changes or adds (`size`, bytes; text / data / bss):")
    P("")
    P("| object | pristine (oomctl-base) | patched, family compiled out | patched, family in (booted) |")
    P("|---|---|---|---|")
    tot = {"base": [0, 0, 0], "nonl": [0, 0, 0], "patched": [0, 0, 0]}
    for o in objs:
        cells = []
        for k in ("base", "nonl", "patched"):
            d = (fp.get(k) or {}).get(o)
            if d:
                cells.append(f"{d['text']} / {d['data']} / {d['bss']}")
                tot[k][0] += d["text"]
                tot[k][1] += d["data"]
                tot[k][2] += d["bss"]
            else:
                cells.append("–" if fp.get(k) else "not built")
        P(f"| {o} | {' | '.join(cells)} |")
    P(f"| **total** | {' | '.join(('%d / %d / %d' % tuple(tot[k])) if fp.get(k) else 'not built' for k in ('base', 'nonl', 'patched'))} |")
    P("")
    if fp.get("base") and fp.get("patched"):
        dt = [tot["patched"][i] - tot["base"][i] for i in range(3)]
        line = f"Series, family in: **+{dt[0]} text, +{dt[1]} data, +{dt[2]} bss**"
        if fp.get("nonl"):
            dn = [tot["nonl"][i] - tot["base"][i] for i in range(3)]
            dnl = [tot["patched"][i] - tot["nonl"][i] for i in range(3)]
            line += (f"; family out: +{dn[0]} text, +{dn[1]} data, +{dn[2]} bss; "
                     f"the netlink family alone: +{dnl[0]} text, +{dnl[1]} data, +{dnl[2]} bss")
        P(line + ".  (Tracepoint data is most of the data growth: every TRACE_EVENT adds its "
          "event, class and print-format structures.)")
    else:
        P("Pristine and family-out objects were not built in this run (`BENCH_FOOTPRINT_BUILD=1`); "
          "the netlink objects above are what the family adds when compiled in.")
    if fp.get("vmlinux"):
        v = fp["vmlinux"]
        P(f"Whole booted vmlinux: text {v['text']}, data {v['data']}, bss {v['bss']}.")
    P("")
    # 10 (report_freed.py)
    import report_freed
    report_freed.md(S.get("freed"), P)
    return "\n".join(L) + "\n"

# ---------------------------------------------------------------- main


def merge_kept(prev, recs, rerun):
    """Records of an earlier run for the sections this run did not measure.

    A section's records precede its "section" record; a boot starts with
    "meta" and ends with "end".  Earlier boots are renumbered from 101 on so
    (and from 201 on when kept a second time) so that they stay apart from
    this run's boots; each kept record says where
    it came from ("kept_from": the earlier run's date)."""
    date = prev.get("host", {}).get("date", "?")
    out, buf, boots, names = [], [], {}, set()
    boot_recs = []
    for r in prev.get("records", []):
        if r["sec"] == "meta":
            boot_recs = [dict(r)]
            continue
        if r["sec"] == "end":
            if len(boot_recs) > 1:
                boot_recs.append(dict(r))
                out += boot_recs
            boot_recs, buf = [], []
            continue
        buf.append(r)
        if r["sec"] == "section":
            if r["name"] not in rerun:
                boot_recs += [dict(x) for x in buf]
                names.add(r["name"])
            buf = []
    for r in out:
        b = r.get("boot", 1)
        r["boot"] = boots.setdefault(b, b + 100)	# kept twice: 2xx, ...
        r.setdefault("kept_from", date)	# kept twice: the run that measured it
    if not out:
        return recs, None
    runs = {}
    for r in out:
        if r["sec"] == "section":
            runs.setdefault(r["kept_from"], set()).add(r["name"])
    return out + recs, {"date": date, "sections": sorted(names),
                        "runs": {d: sorted(n) for d, n in sorted(runs.items())}}



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records")
    ap.add_argument("--host")
    ap.add_argument("--footprint")
    ap.add_argument("--from-json")
    ap.add_argument("--keep-from", help="an earlier results.json: keep its sections that "
                    "--sections does not name (BENCH_KEEP=1 make bench)")
    ap.add_argument("--sections", help="the sections this run measured (comma separated)")
    ap.add_argument("--sysmap", default="build/kobj/System.map")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    if a.from_json:
        with open(a.from_json) as f:
            J = json.load(f)
        recs, host, footprint = J["records"], J["host"], J["footprint"]
    else:
        recs = []
        with open(a.records) as f:
            for line in f:
                if line.startswith("@B "):
                    try:
                        recs.append(json.loads(line[3:]))
                    except json.JSONDecodeError as e:
                        print(f"report: bad record ({e}): {line[:120]}", file=sys.stderr)
        host = json.load(open(a.host)) if a.host else {}
        footprint = json.load(open(a.footprint)) if a.footprint else {}

    kept = None
    if a.keep_from and os.path.exists(a.keep_from):
        with open(a.keep_from) as f:
            prev = json.load(f)
        recs, kept = merge_kept(prev, recs, set((a.sections or "").split(",")))
    elif any("kept_from" in r for r in recs):	# re-rendered: what was kept, from the records
        runs = {}
        for r in recs:
            if r["sec"] == "section" and "kept_from" in r:
                runs.setdefault(r["kept_from"], set()).add(r["name"])
        kept = {"date": max(runs), "sections": sorted(set().union(*runs.values())),
                "runs": {d: sorted(n) for d, n in sorted(runs.items())}}
    # this run's first boot (kept records of an earlier run come first)
    meta = next((r for r in recs if r["sec"] == "meta" and "kept_from" not in r),
                next((r for r in recs if r["sec"] == "meta"), {}))
    meta = dict(meta)
    o = by(recs, sec="order")
    if o:
        meta["size_mib"] = o[0]["size_mib"]
        meta["vmas"] = max(r["vmas"] for r in o)
    S = summarize(recs, footprint)
    S["meta"] = meta
    if a.from_json and J["summary"].get("profile"):
        # symbolized with the System.map of its own run: keep it
        S["profile"] = profile_unsampled(J["summary"]["profile"], recs)
    else:
        S["profile"] = profile_summary(recs, a.sysmap)
    S["sections"] = by(recs, sec="section")
    S["kept"] = kept
    # one "end" record per boot (bench/run.sh boots several kernels)
    ends = by(recs, sec="end")
    S["end"] = {"kernel_warnings": sum(e.get("kernel_warnings", 0) for e in ends),
                "taint": max((e.get("taint", 0) for e in ends), default="?"),
                "boots": len(ends)} if ends else {}
    S["errors"] = by(recs, sec="error")

    os.makedirs(a.out, exist_ok=True)
    made = plots(recs, S, a.out, os.path.join("build", "bench-run", "plot"))
    text = md(S, host, made, recs)
    if S["errors"]:
        text += "\n## Errors\n\n" + "\n".join(f"* {e.get('msg')}" for e in S["errors"]) + "\n"
    sect = ", ".join(f"{s['name']} {s['seconds']} s" + ("" if s["rc"] == 0 else f" (FAILED rc {s['rc']})")
                     for s in S["sections"])
    text += (f"\nSections: {sect}.  Kernel warnings during the run: "
             f"{S['end'].get('kernel_warnings', '?')}, taint {S['end'].get('taint', '?')}.\n")
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"summary": S, "host": host, "footprint": footprint, "records": recs},
                  f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"report: {len(recs)} records -> {a.out}/results.md, results.json, "
          f"{len(made)} plot(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
