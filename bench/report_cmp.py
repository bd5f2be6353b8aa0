# SPDX-License-Identifier: GPL-2.0
"""bench/report_cmp.py: the sections of `make bench` that compare the
patched kernel with stock 7.3 (records from several boots, bench/run.sh):

  starved   frozen victims thawed by the kill but starved of CPU
            (bench/src/sec_starved.c): kill -> memory back, bypass off/on
            and stock
  stock     the patched kernel at its defaults (and with delay 0) against
            stock 7.3 on exiting victims, process_mrelease() and a storm
            (bench/src/sec_stock.c)

summarize(recs, target) adds the headline rows and returns the figures;
md(C, P) writes the markdown sections.  The statistics helpers are
report.py's.
"""
import report as R

WORKS = ("many", "one", "mrelease-many", "mrelease-one", "storm")
STARVED_CASES = ("idle", "cpumax", "weight", "rt", "threads")
STARVED_WHAT = {
    "idle": "nothing else runs (control)",
    "cpumax": "its parent at cpu.max 20 ms/100 ms, used up by two busy loops",
    "weight": "its parent at cpu.weight 1, two busy loops at cpu.weight 10000",
    "rt": "two SCHED_FIFO busy loops, one per CPU",
    "threads": "the victim has 128 more threads, all frozen",
}


def freed(r):
    return r.get("t_freed")


def kill_freed(r):
    """stock section, OOM and lmkd kills: kill -> the end of exit_mmap()."""
    return R.order_metrics(r)["freed"]


def mrelease_call(r):
    return R.sub(r.get("t_mrelease_ret"), r.get("t_mrelease_call"))


def ratio_ci(a, b):
    """Ratio of medians and its bootstrap interval."""
    return R.med_ratio(a, b), R.boot_ci([a, b], R.med_ratio)


def boots_of(recs):
    return sorted({r.get("boot", 1) for r in recs if r.get("sec") == "meta"})


def summarize(recs, target):
    C = {"boots": {}}
    for r in recs:
        if r.get("sec") == "meta":
            C["boots"][r.get("boot", 1)] = r.get("kernel_kind", "patched")

    # -------- starved
    st = {}
    for case in STARVED_CASES:
        for thp in (0, 1):
            rs = [r for r in R.by(recs, sec="starved", case=case) if R.thp_of(r) == thp]
            if not rs:
                continue
            cfg = {}
            for c in ("bypass-off", "bypass-on", "stock"):
                x = R.by(rs, cfg=c)
                vals = [freed(r) for r in x if freed(r) is not None]
                cfg[c] = {"vals": vals, "s": R.stats(vals), "n_all": len(x),
                          "by_reaper": sum(1 for r in x if r.get("freed_by") == "reaper"),
                          "missing": sum(1 for r in x if freed(r) is None)}
            d = {"cfg": cfg}
            for key, a, b in (("off_on", "bypass-off", "bypass-on"),
                              ("stock_on", "stock", "bypass-on"),
                              ("off_stock", "bypass-off", "stock")):
                d[key] = ratio_ci(cfg[a]["vals"], cfg[b]["vals"])
            st[f"{case}|{thp}"] = d
    C["starved"] = st
    for key, d in st.items():
        case, thp = key.split("|")
        if thp != "0":
            continue
        r, ci = d["off_stock"]
        if r is not None:
            target(f"thawed but starved ({case}): patched at its defaults (bypass off) ÷ stock 7.3, "
                   "kill→memory back", r, "±", 0.02, "", ci=ci)

    # -------- stock: exiting victims, mrelease, storm
    sk = {}
    for case in ("many", "one"):
        for thp in (0, 1):
            rs = [r for r in R.by(recs, sec="stock", case=case) if R.thp_of(r) == thp]
            if not rs:
                continue
            v = {c: [kill_freed(r) for r in R.by(rs, cfg=c) if kill_freed(r) is not None]
                 for c in ("default", "delay0", "stock")}
            sk[f"{case}|{thp}"] = {"vals": v, "s": {c: R.stats(x) for c, x in v.items()},
                               "def_stock": ratio_ci(v["default"], v["stock"]),
                               "d0_def": ratio_ci(v["delay0"], v["default"])}
    for case, thp in ((c, t) for c in ("many", "one") for t in (0, 1)):
        rs = [r for r in R.by(recs, sec="stock-mrelease", case=case) if R.thp_of(r) == thp]
        if not rs:
            continue
        v = {k: [kill_freed(r) for r in R.by(rs, kernel=k) if kill_freed(r) is not None]
             for k in ("patched", "stock")}
        c = {k: [mrelease_call(r) for r in R.by(rs, kernel=k) if mrelease_call(r) is not None]
             for k in ("patched", "stock")}
        sk[f"mrelease-{case}|{thp}"] = {
            "vals": v, "s": {k: R.stats(x) for k, x in v.items()},
            "call": {k: R.stats(x) for k, x in c.items()},
            "def_stock": ratio_ci(v["patched"], v["stock"]),
            "call_ratio": ratio_ci(c["patched"], c["stock"])}
    rs = R.by(recs, sec="stock-storm")
    if rs:
        v = {c: [r["ms_per_kill"] for r in R.by(rs, cfg=c)] for c in ("default", "delay0", "stock")}
        sk["storm|0"] = {"vals": v, "s": {c: R.stats(x) for c, x in v.items()},
                            "def_stock": ratio_ci(v["default"], v["stock"]),
                            "d0_def": ratio_ci(v["delay0"], v["default"]),
                            "killed": sum(r.get("killed", 0) for r in rs),
                            "kills": sum(r.get("kills", 0) for r in rs)}
    C["stock"] = sk
    for key, label in (("many|0", "exiting victim, 128 VMAs, kill→freed"),
                       ("one|0", "exiting victim, one VMA, kill→freed"),
                       ("mrelease-many|0", "lmkd kill + process_mrelease(), 128 VMAs, kill→freed"),
                       ("storm|0", "OOM storm, ms per kill")):
        d = sk.get(key)
        if d and d["def_stock"][0] is not None:
            r, ci = d["def_stock"]
            target(f"defaults vs stock 7.3: patched ÷ stock, {label}", r, "±", 0.02, "", ci=ci)
    return C


def _cfg_row(P, label, s, extra=""):
    P(f"| {label} | {s.get('n', 0)} | {R.fstat(s)} |{extra}")


def _key(k, order):
    name, thp = k.split("|")
    return order.index(name), int(thp)


def _starved_rows(st):
    """(case, thp, figures) in the order of STARVED_CASES, THP off first."""
    for key, d in sorted(st.items(), key=lambda kv: _key(kv[0], STARVED_CASES)):
        case, thp = key.split("|")
        yield case, int(thp), d


def md(C, P, part):
    """part: "starved" (results section 1) or "stock" (section 3)."""
    boots = C.get("boots", {})
    bl = ", ".join(f"{b} {k}" for b, k in sorted(boots.items()))
    if part == "stock":
        return md_stock(C, P, bl)
    st = C.get("starved") or {}
    P("## 1. Thawed but starved: frozen victims that cannot run after the thaw")
    P("")
    if not st:
        P("Not measured in this run (`BENCH_SECTIONS` without `starved`).")
        P("")
    else:
        P("A frozen victim (64 MiB, one VMA, cgroup v2 freezer) OOM-killed by lowering its "
          "`memory.max` from outside; its mm is not pinned, so it frees its memory itself once it "
          "runs, or the reaper does first.  7.3 thaws the whole victim when it marks it "
          "(`thaw_process()`, 6.18); the question is whether it then runs promptly.  "
          "**kill→memory back** = from `oom:mark_victim` to the earlier of the reaper's pass "
          "ending (`oom:finish_task_reaping`) and the victim's `exit_mmap()` ending (SIGCHLD for "
          "the threaded victim), the same tracepoints on both kernels.  "
          "`bypass-off` = the patched kernel's default (2 s delay, like stock), `bypass-on` = "
          "`vm.oom_reap_frozen_bypass=1`, `stock` = stock 7.3 built from the same base and config.  "
          f"Boots: {bl} (bench/src/sec_starved.c).")
        P("")
        P("| case | THP | config | n | kill→memory back, ms | freed by the reaper |")
        P("|---|---|---|---|---|---|")
        for case, thp, d in _starved_rows(st):
            for c in ("bypass-off", "bypass-on", "stock"):
                x = d["cfg"][c]
                if not x["n_all"]:
                    continue
                miss = f", {x['missing']} never freed in 22 s" if x["missing"] else ""
                P(f"| {case} | {'on' if thp else 'off'} | {c} | {x['s'].get('n', 0)} | "
                  f"{R.fstat(x['s'])} | {x['by_reaper']} of {x['n_all']}{miss} |")
        P("")
        P("| case | what | THP | bypass off ÷ on | stock ÷ bypass on | bypass off ÷ stock |")
        P("|---|---|---|---|---|---|")
        for case, thp, d in _starved_rows(st):
            cells = []
            for key in ("off_on", "stock_on", "off_stock"):
                r, ci = d[key]
                cells.append("–" if r is None else f"**{r:.2f}** ({R.fci(ci)})")
            P(f"| {case} | {STARVED_WHAT[case]} | {'on' if thp else 'off'} | {' | '.join(cells)} |")
        P("")
        P("Ratios of medians with 95 % bootstrap intervals.")
        P("")


def md_stock(C, P, bl):
    sk = C.get("stock") or {}
    P("## 3. Defaults vs stock 7.3")
    P("")
    if not sk:
        P("Not measured in this run (`BENCH_SECTIONS` without `stock`).")
        P("")
        return
    P("The same kills on the patched kernel at its defaults (`default`; and with "
      "`vm.oom_reap_delay_ms=0`, `delay0`) and on stock 7.3 built from the same base and "
      "config with the series removed (`stock`), boots alternating within one `make bench` "
      f"run (boots: {bl}); bench/src/sec_stock.c.  Exiting victims are section 5's "
      "(256 MiB, 128 VMAs or one, killed in their own page fault, kill→freed = the end of "
      "their `exit_mmap()`); process_mrelease() is section 5's lmkd-style kill; the storm is "
      "section 4's kill loop with no listener.  The target: patched ÷ stock within ±2 % "
      "where the policy is meant to change nothing.")
    P("")
    P("| work | THP | config | n | median [p25–p75] (min–max), ms |")
    P("|---|---|---|---|---|")
    works = WORKS
    for key in sorted(sk, key=lambda k: _key(k, works)):
        d = sk[key]
        name, thp = key.split("|")
        thp = int(thp)
        for c, s in d["s"].items():
            if s.get("n"):
                P(f"| {name} | {'on' if thp else 'off'} | {c} | {s['n']} | {R.fstat(s)} |")
        if name.startswith("mrelease"):
            for k, s in d["call"].items():
                if s.get("n"):
                    P(f"| … the process_mrelease() call | {'on' if thp else 'off'} | {k} | "
                      f"{s['n']} | {R.fstat(s)} |")
    P("")
    P("| work | THP | patched defaults ÷ stock (95 % interval) | delay 0 ÷ default (95 % interval) |")
    P("|---|---|---|---|")
    for key in sorted(sk, key=lambda k: _key(k, works)):
        d = sk[key]
        name, thp = key.split("|")
        r, ci = d["def_stock"]
        r0, ci0 = d.get("d0_def", (None, None))
        a = "–" if r is None else f"**{r:.3f}** ({R.fci(ci, '{:.3f}')})"
        b = "–" if r0 is None else f"{r0:.3f} ({R.fci(ci0, '{:.3f}')})"
        P(f"| {name} | {'on' if thp == '1' else 'off'} | {a} | {b} |")
    st_ = sk.get("storm|0")
    if st_:
        P("")
        P(f"Storm: {st_['killed']} of {st_['kills']} children OOM-killed.")
    P("")
