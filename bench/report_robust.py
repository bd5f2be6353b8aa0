# SPDX-License-Identifier: GPL-2.0
"""bench/report_robust.py: section "robust" of `make bench` (issue 13,
item 2), delay 0 and robust futexes, on the patched kernel and on stock
7.3 (records from several boots, each record names its kernel):
bench/src/sec_robust.c, the scenario of selftests/oom_robust_futex.c.

summarize(recs, target) adds the headline rows and returns the figures;
md(D, P) writes the markdown section.  The statistics helpers are
report.py's.
"""
import report as R

# (kernel, cfg) in the order of the table
CONFIGS = (("patched", "2000"), ("patched", "0"), ("stock", "stock"))
CFG_TEXT = {"2000": "delay 2000 ms (default)", "0": "delay 0",
            "stock": "fixed 2 s delay"}


def _key(kernel, cfg, starved):
    return f"{kernel}|{cfg}|{starved}"


def _rows(D):
    """The measured rows in table order: other delays after the known ones."""
    rows = D.get("rows") or {}

    def order(k):
        kernel, cfg, starved = k.split("|")
        known = (kernel, cfg) in CONFIGS
        return (CONFIGS.index((kernel, cfg)) if known else len(CONFIGS),
                kernel, cfg, int(starved))
    return [(k, rows[k]) for k in sorted(rows, key=order)]


def summarize(recs, target):
    rs = R.by(recs, sec="robust")
    D = {"rows": {}, "boots": {}}
    for r in recs:
        if r.get("sec") == "meta":
            D["boots"][r.get("boot", 1)] = r.get("kernel_kind", "patched")
    if not rs:
        return D
    groups = {}
    for r in rs:
        groups.setdefault(_key(r.get("kernel", "patched"), r["cfg"],
                               int(r.get("starved", 0))), []).append(r)
    for k, g in groups.items():
        woken = [r for r in g if r.get("outcome") == "EOWNERDEAD"]
        hung = [r for r in g if r.get("outcome") == "ETIMEDOUT"]
        D["rows"][k] = {
            "n": len(g),
            "woken": len(woken),
            "hung": len(hung),
            "other": len(g) - len(woken) - len(hung),
            "recovered": sum(1 for r in woken if r.get("recovered")),
            "wake": R.stats([r.get("t_b_end") for r in woken]),
            "hung_wait": R.stats([R.sub(r.get("t_b_end"), r.get("t_b_block"))
                                  for r in hung]),
            "hung_marked": sum(1 for r in hung if r.get("owner_died")),
            "freed": R.stats([r.get("t_freed") for r in g]),
            "by_reaper": sum(1 for r in g if r.get("freed_by") == "reaper"),
            "reap_first": sum(1 for r in g if r.get("reap_before_exit")),
            "not_killed": sum(1 for r in g if not r.get("a_killed", 1)),
        }

    def count(kernel, cfg, what, starved=(0, 1)):
        ds = [D["rows"].get(_key(kernel, cfg, s)) for s in starved]
        ds = [d for d in ds if d]
        return (sum(d[what] for d in ds), sum(d["n"] for d in ds)) if ds else (None, 0)

    hung, n = count("patched", "2000", "hung")
    if n:
        h0s, n0s = count("patched", "0", "hung", (1,))
        h0r, n0r = count("patched", "0", "hung", (0,))
        note = f"of {n} kills"
        if n0s or n0r:
            note += (f"; with delay 0 it hung in {h0s} of {n0s} kills of a victim "
                     f"starved 800 ms, {h0r} of {n0r} of one that runs")
        target("robust-futex waiter hung after its holder's OOM kill, patched kernel "
               "at the default delay (victim starved 800 ms or not)", hung, "<=", 0, "",
               note=note)
    hung, n = count("stock", "stock", "hung")
    if n:
        target("… the same on stock 7.3", hung, "<=", 0, "", note=f"of {n} kills")
    return D


def md(D, P):
    P("## 2. Delay 0 and robust futexes")
    P("")
    rows = _rows(D)
    if not rows:
        P("Not measured in this run (`BENCH_SECTIONS` without `robust`).")
        P("")
        return
    bl = ", ".join(f"{b} {k}" for b, k in sorted((D.get("boots") or {}).items()))
    P("The delay before the oom_reaper exists for robust futexes (e4a38402c36e, 2022): a "
      "dying task's exit walks its robust list, whose head glibc keeps in the task's private "
      "memory, and marks the mutexes it held OWNER_DIED, waking their waiters; if the reaper "
      "has unmapped that memory first, the walk stops and the waiters are never woken.  "
      "The scenario is selftests/oom_robust_futex.c's, from the same code "
      "(selftests/lib/robust_victim.c): A holds a process-shared robust mutex in `MAP_SHARED` "
      "memory and 48 MiB of private memory in its own memory cgroup, pinned to CPU 1; B, "
      "another process on CPU 0, waits for the mutex with a 4.5 s limit; A is OOM-killed by "
      "lowering its `memory.max` from CPU 0.  **starved**: a `SCHED_FIFO` busy loop on A's "
      "CPU, started just before the kill, keeps A from running its exit for 800 ms.  "
      "**woken** = B got `EOWNERDEAD` (and the mutex was recovered: `pthread_mutex_consistent()`, "
      "unlock, lock again); **hung** = B's wait ended at its limit with `ETIMEDOUT`.  Times "
      "from `oom:mark_victim`; **memory back** = the earlier of the reaper's pass ending "
      "(`oom:finish_task_reaping`) and A's `exit_mmap()` ending; **reaper first** = "
      "`oom:start_task_reaping` before A's `sched_process_exit` (which precedes the walk).  "
      f"Frozen bypass off, reverse order.  Boots: {bl} (bench/src/sec_robust.c).")
    P("")
    P("| kernel | config | A | n | woken (EOWNERDEAD) | hung (ETIMEDOUT) | B woken, ms after the kill | "
      "kill→memory back, ms (by the reaper) | reaper first |")
    P("|---|---|---|---|---|---|---|---|---|")
    for k, d in rows:
        kernel, cfg, starved = k.split("|")
        other = f", {d['other']} other" if d["other"] else ""
        nk = f", A not killed {d['not_killed']}×" if d["not_killed"] else ""
        rec = "" if d["recovered"] == d["woken"] else f" ({d['recovered']} recovered)"
        P(f"| {kernel} | {CFG_TEXT.get(cfg, 'delay ' + cfg)} | "
          f"{'starved 800 ms' if starved == '1' else 'runs'} | {d['n']} | "
          f"{d['woken']}/{d['n']}{rec} | **{d['hung']}/{d['n']}**{other}{nk} | "
          f"{R.fstat(d['wake']) if d['wake'].get('n') else '–'} | "
          f"{R.fstat(d['freed'])} ({d['by_reaper']}/{d['n']}) | {d['reap_first']}/{d['n']} |")
    P("")
    hung = [d for _, d in rows if d["hung"]]
    if hung:
        waits = R.stats([x for d in hung for x in (d["hung_wait"]["min"], d["hung_wait"]["max"])
                         if d["hung_wait"].get("n")])
        marked = sum(d["hung_marked"] for d in hung)
        P(f"A hung B returned only at its own limit, {R.fnum(waits.get('min'), 0)}–"
          f"{R.fnum(waits.get('max'), 0)} ms after it blocked, and the futex word was marked "
          f"OWNER_DIED in {marked} of {sum(d['hung'] for d in hung)} of those kills: nobody "
          "walked A's robust list, and a waiter without a time limit would have waited forever.")
        P("")
