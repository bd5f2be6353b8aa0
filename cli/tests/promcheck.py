#!/usr/bin/python3
"""Check a Prometheus text exposition (oomctl stats -o prometheus).

Usage: promcheck.py FILE [STATS_JSON]
       promcheck.py --same FILE SCRAPE

FILE is read twice: line by line against the text format 0.0.4 (what
prometheus_client's lenient parser lets pass: HELP and TYPE once per
family and before its samples, each family's lines together, names and
label values as the format has them), then by prometheus_client's parser,
whose families are checked: counters named *_total, histograms with
increasing le, cumulative buckets, le="+Inf" last and equal to _count.
With STATS_JSON (the output of oomctl -j stats from the same moment) the
counters and the buckets must be the kernel's numbers.  With --same, every
sample of FILE must be in SCRAPE (node_exporter's /metrics after its
textfile collector read FILE) with its value; what node_exporter adds to
FILE's families is told on stdout.  Exit 0, or 1 with
the reasons on stderr.  /usr/bin/python3: Debian's prometheus_client.
"""
import json
import math
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE = re.compile(r'^(%s)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (\S+)$' % NAME)
HELP = re.compile(r"^# HELP (%s) ((?:[^\\\n]|\\[\\n])*)$" % NAME)
TYPE = re.compile(r"^# TYPE (%s) (counter|gauge|histogram|summary|untyped)$" % NAME)
SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "summary": ("", "_sum", "_count")}

# oomctl -j stats keys -> (metric, labels)
JSON_COUNTERS = {
    "victims": ("oomctl_victims_total", {}),
    "queued_delay": ("oomctl_reap_queued_total", {"reason": "delay"}),
    "queued_zero_delay": ("oomctl_reap_queued_total", {"reason": "zero-delay"}),
    "queued_frozen_bypass": ("oomctl_reap_queued_total", {"reason": "frozen-bypass"}),
    "reaped": ("oomctl_reap_done_total", {"result": "reaped"}),
    "exited_first": ("oomctl_reap_done_total", {"result": "exited-first"}),
    "gave_up": ("oomctl_reap_done_total", {"result": "gave-up"}),
    "mrelease_calls": ("oomctl_mrelease_calls_total", {}),
    "events_dropped": ("oomctl_events_dropped_total", {}),
}

errors = []


def bad(msg):
    errors.append(msg)


def check_lines(text):
    """The text format's rules, line by line."""
    if not text.endswith("\n"):
        bad("the last line does not end with a newline")
    help_seen, type_of, done = set(), {}, set()
    family = None  # (name, type) whose lines we are in
    for n, line in enumerate(text.splitlines(), 1):
        m = HELP.match(line) or TYPE.match(line)
        if m:
            name = m.group(1)
            kind = "HELP" if line.startswith("# HELP") else "TYPE"
            if kind == "HELP":
                if name in help_seen:
                    bad("line %d: a second HELP for %s" % (n, name))
                help_seen.add(name)
            else:
                if name in type_of:
                    bad("line %d: a second TYPE for %s" % (n, name))
                type_of[name] = m.group(2)
            if family and family[0] != name:
                done.add(family[0])
            if name in done:
                bad("line %d: %s again after other families" % (n, name))
            family = (name, type_of.get(name))
            continue
        if line.startswith("#"):
            bad("line %d: a comment that is neither HELP nor TYPE: %r" % (n, line))
            continue
        m = SAMPLE.match(line)
        if not m:
            bad("line %d: not a sample: %r" % (n, line))
            continue
        name, value = m.group(1), m.group(3)
        try:
            float(value)
        except ValueError:
            bad("line %d: value %r is no float" % (n, value))
        if not family or family[1] is None:
            bad("line %d: %s without a TYPE before it" % (n, name))
            continue
        base, kind = family
        if name not in [base + s for s in SUFFIXES.get(kind, ("",))]:
            bad("line %d: sample %s inside the lines of %s (%s)" % (n, name, base, kind))
        if family[0] not in help_seen:
            bad("line %d: %s has no HELP" % (n, base))


def check_families(text):
    fams = list(text_string_to_metric_families(text))
    by_name = {}
    for f in fams:
        by_name[f.name] = f
        if not f.samples:
            bad("%s: a family without samples" % f.name)
        for s in f.samples:
            if s.value < 0 or math.isnan(s.value):
                bad("%s: value %r" % (s.name, s.value))
        if f.type == "counter":
            for s in f.samples:
                if not s.name.endswith("_total"):
                    bad("counter sample %s does not end in _total" % s.name)
        if f.type == "histogram":
            check_histogram(f)
    return fams


def check_histogram(f):
    buckets = [s for s in f.samples if s.name == f.name + "_bucket"]
    counts = [s.value for s in f.samples if s.name == f.name + "_count"]
    les = [float(s.labels["le"]) for s in buckets]
    if not buckets or les[-1] != math.inf:
        bad("%s: no le=\"+Inf\" bucket last" % f.name)
        return
    if any(a >= b for a, b in zip(les, les[1:])):
        bad("%s: le not increasing: %s" % (f.name, les))
    vals = [s.value for s in buckets]
    if any(a > b for a, b in zip(vals, vals[1:])):
        bad("%s: buckets not cumulative: %s" % (f.name, vals))
    if len(counts) != 1 or counts[0] != vals[-1]:
        bad("%s: _count %s is not the +Inf bucket %s" % (f.name, counts, vals[-1]))


def check_against_json(fams, stats):
    samples = {}
    for f in fams:
        for s in f.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    for key, (name, labels) in JSON_COUNTERS.items():
        if key not in stats:
            continue
        got = samples.get((name, tuple(sorted(labels.items()))))
        if got != float(stats[key]):
            bad("%s%s is %s, oomctl -j stats says %s %s" % (name, labels, got, key, stats[key]))
    cum = 0
    for b in stats.get("latency_hist", []):
        cum += b["count"]
        le = b["to_us"] / 1e6 if "to_us" in b else math.inf
        got = samples.get(("oomctl_reap_latency_seconds_bucket", (("le", repr(le) if le != math.inf else "+Inf"),)))
        if got is None:  # the label as written, not as Python prints it
            got = next((v for (n, l), v in samples.items() if n == "oomctl_reap_latency_seconds_bucket"
                        and float(dict(l)["le"]) == le), None)
        if got != float(cum):
            bad("latency bucket le=%s is %s, oomctl -j stats sums to %d" % (le, got, cum))
    if stats.get("latency_hist") and ("oomctl_reap_latency_seconds_count", ()) not in samples:
        bad("no oomctl_reap_latency_seconds_count")


def samples_of(text):
    out = {}
    for f in text_string_to_metric_families(text):
        for s in f.samples:
            labels = tuple(sorted((k, float(v) if k == "le" else v) for k, v in s.labels.items()))
            out[(s.name, labels)] = s.value
    return out


def same(path, scrape_path):
    ours = samples_of(open(path, encoding="utf-8").read())
    theirs = samples_of(open(scrape_path, encoding="utf-8").read())
    for key, v in ours.items():
        if key not in theirs:
            bad("%s%s: not in node_exporter's scrape" % key)
        elif theirs[key] != v:
            bad("%s%s: %s in the file, %s in node_exporter's scrape" % (key + (v, theirs[key])))
    names = {k[0] for k in ours}
    bases = {n[: -len("_count")] for n in names if n.endswith("_count")}
    for key, v in theirs.items():
        if key in ours or not any(key[0].startswith(b) for b in bases | names):
            continue
        print("promcheck: node_exporter adds %s%s %s" % (key + (v,)))
    for e in errors:
        print("promcheck: %s: %s" % (path, e), file=sys.stderr)
    return 1 if errors else 0


def main():
    if sys.argv[1] == "--same":
        return same(sys.argv[2], sys.argv[3])
    text = open(sys.argv[1], encoding="utf-8").read()
    check_lines(text)
    try:
        fams = check_families(text)
    except ValueError as e:
        bad("prometheus_client cannot parse it: %s" % e)
        fams = []
    if len(sys.argv) > 2:
        check_against_json(fams, json.load(open(sys.argv[2])))
    for e in errors:
        print("promcheck: %s: %s" % (sys.argv[1], e), file=sys.stderr)
    if not errors:
        print("promcheck: %s: %d families, %d samples" %
              (sys.argv[1], len(fams), sum(len(f.samples) for f in fams)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
