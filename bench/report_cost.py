# SPDX-License-Identifier: GPL-2.0
"""bench/report_cost.py: section 5, phase "cost": the oom family's CPU time per kill, from kernel
timestamps (bench/src/sec_cost.c), for bench/report.py.

Per round (one block of each kind, 25 kills each, the order rotating):

  capture   = sum over the three hooks of (bracket in the kind's block -
              the same bracket in the round's "left" block), each bracket
              a 10 %-trimmed mean over the block, weighted by how many
              times per kill it ran
  worker    = (every kworker's on-CPU time in the kind's block - in the
              "left" block) / kills: the sender's runs and its wake-ups
  cost      = capture + worker, in us per kill, and in % of the untraced
              kill loop's time per kill (the fine-grained phase's "left"
              blocks of the same boot, median: the loop the target was set
              on; tracing slows the traced loop down, which would shrink
              the percentage)

The interval is a bootstrap of the mean over the rounds (and of the median
of the untraced loop).  With nobody
listening, the brackets themselves (in the "left" blocks) hold everything
the kernel runs per kill because of CONFIG_OOM_NETLINK=y: their sum is an
upper bound of the y-vs-n cost.
"""

from report import boot_ci, quantile, stats, by

HOOKS = ("victim", "queued", "done")


def _per_kill(x, hook):
    """Bracket mean (us) and how many times it ran per kill in block @x."""
    t = x.get(f"{hook}_tmean_us")
    n = x.get(f"{hook}_n") or 0
    if t is None or t < 0 or not n:
        return None, 0
    return t, n / x["kills"]


def _mean(a):
    a = [v for v in a if v is not None]
    return sum(a) / len(a) if a else None


def summarize(recs, target):
    cost = by(recs, sec="storm", phase="cost")
    if not cost:
        return None
    out = {"block": cost[0]["kills"], "rounds": len({x["rep"] for x in cost}),
           "kinds": {}}
    for k in ("left", "queued", "read"):
        xs = [x for x in cost if x["cfg"] == k]
        if not xs:
            continue
        d = {"blocks": len(xs), "kills": sum(x["kills"] for x in xs),
             "ms_per_kill": stats([x["ms_per_kill"] for x in xs]),
             "messages": sum(x.get("messages", 0) for x in xs),
             "exec_n": sum(x.get("exec_n", 0) for x in xs),
             "exec_us_per_kill": _mean([x.get("exec_us", 0) / x["kills"] for x in xs]),
             "kworker_us_per_kill": _mean([x.get("kworker_us", 0) / x["kills"] for x in xs]),
             "done_softirq": sum(x.get("done_softirq", 0) for x in xs),
             "done_other": sum(x.get("done_other", 0) for x in xs)}
        for h in HOOKS:
            d[h] = stats([_per_kill(x, h)[0] for x in xs])
            d[h + "_per_kill"] = _mean([_per_kill(x, h)[1] for x in xs])
        out["kinds"][k] = d

    rounds = sorted({x["rep"] for x in cost})
    # the denominator: the untraced loop, else the traced one
    base = [x["ms_per_kill"] for x in by(recs, sec="storm", phase="finegrain", cfg="left")]
    out["base_traced"] = not base
    if not base:
        base = [x["ms_per_kill"] for x in cost if x["cfg"] == "left"]
    out["base_ms"] = quantile(base, 0.5)

    def pct_of(us, b):
        m = _mean(us)
        q = quantile(b, 0.5)
        return m / (q * 1000) * 100 if m is not None and q else None

    # where the capture goes: brackets with a queue_work() of the sender
    for k, d in out["kinds"].items():
        xs = [x for x in cost if x["cfg"] == k]
        for h in HOOKS:
            nq = sum(x.get(f"{h}_nq", 0) for x in xs)
            nw = sum(x.get(f"{h}_nw", 0) for x in xs)
            d[h + "_split"] = {
                "n": sum(x.get(f"{h}_n", 0) for x in xs), "nq": nq, "nw": nw,
                "to_queue": sum(x.get(f"{h}_to_q_us", 0) for x in xs) / nq if nq else None,
                "queue_to_wake": sum(x.get(f"{h}_q_to_w_us", 0) for x in xs) / nw if nw else None,
                "wake_to_end": sum(x.get(f"{h}_w_to_end_us", 0) for x in xs) / nw if nw else None}

    def block(rep, k):
        xs = [x for x in cost if x["rep"] == rep and x["cfg"] == k]
        return xs[0] if xs else None

    # y vs n: the brackets with nobody listening, per kill, per round
    bound_us, bound_pct = [], []
    for rep in rounds:
        b = block(rep, "left")
        if not b:
            continue
        s = 0.0
        for h in HOOKS:
            t, per = _per_kill(b, h)
            s += (t or 0) * per
        bound_us.append(s)
    out["nolistener"] = {"us": stats(bound_us),
                         "ci_us": boot_ci([bound_us], _mean),
                         "ci_pct": boot_ci([bound_us, base], pct_of),
                         "mean_us": _mean(bound_us), "mean_pct": pct_of(bound_us, base)}

    for k in ("queued", "read"):
        if k not in out["kinds"]:
            continue
        parts = {h: [] for h in HOOKS}
        worker, execs, total = [], [], []
        for rep in rounds:
            a, b = block(rep, k), block(rep, "left")
            if not a or not b:
                continue
            cap = 0.0
            for h in HOOKS:
                ta, pa = _per_kill(a, h)
                tb, _ = _per_kill(b, h)
                v = (ta - tb) * pa if ta is not None and tb is not None else 0.0
                parts[h].append(v)
                cap += v
            w = (a.get("kworker_us", 0) - b.get("kworker_us", 0)) / a["kills"]
            worker.append(w)
            execs.append(a.get("exec_us", 0) / a["kills"])
            total.append(cap + w)
        d = out["kinds"][k]
        d["pairs"] = len(total)
        for h in HOOKS:
            d["d_" + h] = _mean(parts[h])
            d["ci_d_" + h] = boot_ci([parts[h]], _mean)
        d["worker"] = _mean(worker)
        d["ci_worker"] = boot_ci([worker], _mean)
        d["exec"] = _mean(execs)
        d["ci_exec"] = boot_ci([execs], _mean)
        d["total_us"] = _mean(total)
        d["ci_total_us"] = boot_ci([total], _mean)
        d["pct"] = pct_of(total, base)
        d["ci_pct"] = boot_ci([total, base], pct_of)

    r = out["kinds"].get("read")
    if r and r.get("pairs"):
        target(f"the family's CPU time per kill with a listener reading, in % of the "
               f"{'traced' if out['base_traced'] else 'untraced'} kill loop's time per kill (kernel timestamps: the three hooks' brackets minus "
               f"no listener + the kworkers' extra time; {r['pairs']} rounds of "
               f"{out['block']}-kill blocks, mean)", r["pct"], "<=", 2, "%",
               ci=r.get("ci_pct"))
    # y vs n, measured: section cost ("nonl-cmp" blocks, nobody listening)
    # on the patched kernel and on the same with CONFIG_OOM_NETLINK=n,
    # booted alternately; the same brackets, the difference is the family
    nc = by(recs, sec="storm", phase="nonl-cmp")
    if nc:
        def bound(x):
            return sum((t or 0) * per for t, per in (_per_kill(x, h) for h in HOOKS))

        def diff(a, b):
            return _mean(a) - _mean(b) if _mean(a) is not None and _mean(b) is not None else None

        def diff_pct(a, b, c):
            d, q = diff(a, b), quantile(c, 0.5)
            return d / (q * 1000) * 100 if d is not None and q else None
        y = [bound(x) for x in nc if x.get("family")]
        n_ = [bound(x) for x in nc if not x.get("family")]
        out["ynl"] = {"y": stats(y), "n": stats(n_), "y_mean": _mean(y), "n_mean": _mean(n_),
                      "diff_us": diff(y, n_), "ci_us": boot_ci([y, n_], diff),
                      "pct": diff_pct(y, n_, base), "ci_pct": boot_ci([y, n_, base], diff_pct),
                      "boots": len(by(recs, sec="section", name="cost"))}
        if out["ynl"]["pct"] is not None:
            target("CONFIG_OOM_NETLINK=y vs =n with no listener, measured: the same brackets on "
                   "both kernels (section cost, boots alternating), =y − =n, in % of the kill "
                   "loop's time per kill, mean", out["ynl"]["pct"], "<=", 0.5, "%",
                   ci=out["ynl"]["ci_pct"])
    n = out["nolistener"]
    if n["mean_pct"] is not None:
        target("CONFIG_OOM_NETLINK=y vs =n with no listener: upper bound (the kernel time "
               "between the tracepoints around the family's three hooks, no listener, in % of "
               "the kill loop's time per kill, mean)", n["mean_pct"], "<=", 0.5, "%",
               ci=n.get("ci_pct"))
    return out


def _f(x, nd=1, sign=False):
    if x is None:
        return "–"
    return (f"{x:+.{nd}f}" if sign else f"{x:.{nd}f}")


def _ci(ci, nd=1, sign=True):
    if not ci:
        return "–"
    return f"{_f(ci[0], nd, sign)} … {_f(ci[1], nd, sign)}"


def md(c, P):
    if not c:
        return
    P(f"**Where the family's cost goes, from kernel timestamps** ({c['rounds']} rounds, each a "
      f"{c['block']}-kill block of each kind, rotating; the same kinds as above, traced in a "
      "private tracefs instance; bench/src/sec_cost.c).  A bracket is the kernel time between "
      "two tracepoints around one of the family's hooks in `mm/oom_kill.c` (trimmed mean over "
      "the block): **victim** = `oom:mark_victim` → `printk:console` \"Killed process\" "
      "(`oom_nl_victim()`, and the formatting of that line), **queued** = `oom:reap_queued` → "
      "`timer:timer_start` of `wake_oom_reaper` (`oom_nl_reap_queued()`), **done** = "
      "`oom:reap_result` → `timer:timer_expire_exit` on the same CPU (`oom_nl_reap_done()` "
      "from the delay timer).  **sender** = `workqueue:workqueue_execute_start/end` of "
      "`oom_nl_work_fn` (building and multicasting the messages); **kworkers** = every "
      "kworker's time on a CPU (`sched:sched_switch`), which adds the sender's wake-ups.")
    P("")
    P("| block | kills | ms per kill | victim µs | queued µs | done µs (per kill) | sender runs | sender µs per kill | kworkers µs per kill | messages |")
    P("|---|---|---|---|---|---|---|---|---|---|")
    for k, d in c["kinds"].items():
        P(f"| {k} | {d['kills']} | {_f(d['ms_per_kill'].get('median'), 2)} | "
          f"{_f(d['victim'].get('median'))} | {_f(d['queued'].get('median'))} | "
          f"{_f(d['done'].get('median'))} ({_f(d.get('done_per_kill'), 2)}) | {d['exec_n']} | "
          f"{_f(d['exec_us_per_kill'])} | {_f(d['kworker_us_per_kill'])} | {d['messages']} |")
    P("")
    P("Bracket columns: the median over the blocks of each block's trimmed mean.")
    P("")
    P("| with a listener | victim − left | queued − left | done − left | kworkers − left | **total µs per kill** | **% of the kill** | (sender alone) |")
    P("|---|---|---|---|---|---|---|---|")
    for k in ("queued", "read"):
        d = c["kinds"].get(k)
        if not d or not d.get("pairs"):
            continue
        P(f"| {k} ({d['pairs']} rounds) | {_f(d['d_victim'], 1, True)} ({_ci(d['ci_d_victim'])}) | "
          f"{_f(d['d_queued'], 1, True)} ({_ci(d['ci_d_queued'])}) | "
          f"{_f(d['d_done'], 1, True)} ({_ci(d['ci_d_done'])}) | "
          f"{_f(d['worker'], 1, True)} ({_ci(d['ci_worker'])}) | "
          f"**{_f(d['total_us'], 1, True)}** ({_ci(d['ci_total_us'])}) | "
          f"**{_f(d['pct'], 2, True)}** ({_ci(d['ci_pct'], 2)}) | "
          f"{_f(d['exec'])} ({_ci(d['ci_exec'], 1, False)}) |")
    P("")
    P("Means over the rounds of the per-round differences against the round's `left` block, "
      f"95 % bootstrap intervals; % = µs per kill ÷ {_f(c.get('base_ms'), 2)} ms, the "
      + ("traced `left` blocks' time per kill (median)" if c.get("base_traced") else
         "untraced kill loop's time per kill (the fine-grained `left` blocks above, median)")
      + ".")
    P("")
    P("Inside the brackets, `workqueue:workqueue_queue_work` of `oom_nl_work_fn` and "
      "`sched:sched_waking` of a kworker: how many of a hook's runs called `queue_work()` on "
      "the sender and woke a kworker, and the mean µs from the bracket's start to "
      "`queue_work()` (record built, numbered, in the ring), from there to the wake-up, and "
      "from the wake-up to the bracket's end.")
    P("")
    P("| block | hook | runs | queue_work | woke a kworker | start → queue_work | → waking | waking → end |")
    P("|---|---|---|---|---|---|---|---|")
    for k, d in c["kinds"].items():
        for h in HOOKS:
            x = d.get(h + "_split")
            if not x or not x["n"]:
                continue
            P(f"| {k} | {h} | {x['n']} | {x['nq']} | {x['nw']} | {_f(x['to_queue'])} | "
              f"{_f(x['queue_to_wake'])} | {_f(x['wake_to_end'])} |")
    n = c.get("nolistener") or {}
    if n.get("mean_us") is not None:
        P("")
        P(f"**No listener, CONFIG_OOM_NETLINK=y vs =n**: everything the =y kernel runs per kill "
          f"that =n does not lies inside the three brackets; in the `left` blocks they sum to "
          f"**{_f(n['mean_us'])} µs per kill** ({_ci(n.get('ci_us'), 1, False)}), "
          f"**{_f(n['mean_pct'], 3)} %** of the kill ({_ci(n.get('ci_pct'), 3, False)}): an upper "
          f"bound of the family's cost without a listener (the brackets also hold the "
          f"tracepoints' own cost, `put_cred()`, the formatting of the \"Killed process\" line, "
          f"`get_task_struct()`, `timer_setup()`, `put_task_struct()`).")
    y = c.get("ynl")
    if y and y.get("diff_us") is not None:
        P("")
        P(f"**Measured against CONFIG_OOM_NETLINK=n** (section `cost`: only `left` blocks, on the "
          f"patched kernel and on the same built with the family compiled out, `make kernel-nonl`, "
          f"{y['boots']} boots alternating): the three brackets sum to {_f(y['y_mean'])} µs per "
          f"kill with the family and {_f(y['n_mean'])} µs without; the difference, what the "
          f"family costs with nobody listening, is **{_f(y['diff_us'], 1, True)} µs per kill** "
          f"({_ci(y.get('ci_us'), 1, True)}), **{_f(y['pct'], 3, True)} %** of the kill "
          f"({_ci(y.get('ci_pct'), 3, True)}).")
    P("")
