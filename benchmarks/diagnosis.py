#!/usr/bin/env python3
"""The analysis half of benchmarks/diagnosis.sh: reads the `stmlog top --format json` files it
wrote (OUT/<sample>-<mode>-r<round>.json, mode default or exact) and prints, per sample, the
both-sides share, the (no stack) rows in the top 5, the default mode's top 5 sites against exact
mode and, for planted, whether the planted lines are named; then a summary, one line per sample.
With several rounds every figure is computed per round and shown as median (min..max), with
[n/N] when a site was in only n of the N rounds.
Usage: diagnosis.py OUT ROUNDS PLANTED_SOURCE SAMPLE..."""
import json
import math
import os
import re
import statistics
import sys

MODES = ("default", "exact")
TOP = 5


def load(path):
    doc = json.load(open(path))
    sites = doc["sites"]
    total = sum(s["total_s"] for s in sites)  # = cpu_s.aborted + cpu_s.paused: every ns is charged once
    both = sum(s["total_s"] for s in sites if s["frames"] and s["other_frames"])
    committed = doc["transactions"]["committed"]
    by_key = {}
    for s in sites:
        by_key[key(s)] = dict(rank=s["rank"], ms=s["total_s"] * 1e3,
                              per_1k=s["total_s"] * 1e9 / committed if committed else math.nan,  # us per 1,000
                              share=s["total_s"] / total * 100 if total else math.nan, row=s)
    return dict(sites=sites, total_ms=total * 1e3, committed=committed,
                both=both / total * 100 if total else math.nan,
                no_stack=sum(1 for s in sites[:TOP] if s["key"].startswith("(no stack")),
                top=[key(s) for s in sites[:TOP]], by_key=by_key)


def key(site):
    """A site's identity across runs: its kind and the victim's frames (or, without, its key text)."""
    return (site["kind"],) + (tuple(site["frames"]) if site["frames"] else (site["key"],))


def label(k):
    text = k[1].replace("dev.stmlog.samples.", "")
    text = re.sub(r"^[\w.]*\.(\w+(\$\w+)*\.[\w$]+\()", r"\1", text)  # drop the package
    return f"{k[0]} {text}" + (f" +{len(k) - 2} frames" if len(k) > 2 else "")


def diff(a, b):
    """b against a, in percent; -100 when b is missing, None when a is 0 or missing."""
    if a is None or not a or math.isnan(a):
        return None
    return ((b or 0) - a) / a * 100


def sig(x):
    """About three significant digits, without exponents for the usual magnitudes."""
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.3g}" if abs(x) >= 0.001 else f"{x:.1e}"


def fig(values, fmt="{:.1f}", missing="-", spread=True):
    """Median (min..max) of the values that are there; [n/N] when some are missing."""
    v = [x for x in values if x is not None and not math.isnan(x)]
    if not v:
        return missing
    f = fmt if callable(fmt) else fmt.format
    m = f(statistics.median(v))
    if spread and len(v) > 1:
        m += f" ({f(min(v))}..{f(max(v))})"
    if spread and len(v) < len(values):
        m += f" [{len(v)}/{len(values)}]"
    return m


def table(headers, rows, indent="  "):
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    for r in [headers] + rows:
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        print(indent + "  ".join(cells).rstrip())


def planted_lines(source):
    """{'read A': 64, 'write A': 66, ..., 'inevitable': 59} from the `// planted: ...` markers."""
    lines = {}
    for n, text in enumerate(open(source), 1):
        m = re.search(r"//\s*planted:\s*(read \w+|write \w+|inevitable)\s*$", text)
        if m:
            lines[m.group(1)] = n
    return lines


def names_line(frames, line):
    return bool(frames) and frames[0].endswith(f"(PlantedSample.java:{line})")


def main():
    out, rounds, source, samples = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    rs = range(1, rounds + 1)
    summary = []
    marks = planted_lines(source) if "planted" in samples else {}
    for sample in samples:
        runs = {m: [load(os.path.join(out, f"{sample}-{m}-r{r}.json")) for r in rs] for m in MODES}
        d, e = runs["default"], runs["exact"]
        print(f"== {sample}" + (f" (medians of {rounds} rounds, min..max)" if rounds > 1 else ""))
        print(f"  committed: default {fig([x['committed'] for x in d], '{:.0f}')}, exact {fig([x['committed'] for x in e], '{:.0f}')};"
              f" lost+paused ms: default {fig([x['total_ms'] for x in d])}, exact {fig([x['total_ms'] for x in e])}")
        print(f"  1. both-sides share (victim and other side named): default {fig([x['both'] for x in d])}%,"
              f" exact {fig([x['both'] for x in e])}%")
        print(f"  2. (no stack) rows in the top {TOP}: default {fig([x['no_stack'] for x in d], '{:.0f}')},"
              f" exact {fig([x['no_stack'] for x in e], '{:.0f}')}")

        # 3. the default mode's top 5 (over rounds: the 5 of best median rank among every round's
        # top 5, a round without the site counting as last), each looked up by key in the exact
        # run of the same round.
        candidates = {k for x in d for k in x["top"]}
        rank = {k: statistics.median([x["by_key"].get(k, {}).get("rank", math.inf) for x in d]) for k in candidates}
        ms = {k: statistics.median([x["by_key"].get(k, {}).get("ms", 0) for x in d]) for k in candidates}
        top = sorted(candidates, key=lambda k: (rank[k], -ms[k], label(k)))[:TOP]
        rows, max_ms, max_share = [], None, None
        for k in top:
            col = {f: {m: [x["by_key"].get(k, {}).get(f) for x in runs[m]] for m in MODES}
                   for f in ("rank", "ms", "per_1k", "share")}
            d_ms = [diff(a, b) for a, b in zip(col["ms"]["default"], col["ms"]["exact"])]
            d_sh = [diff(a, b) for a, b in zip(col["share"]["default"], col["share"]["exact"])]
            for ds, name in ((d_ms, "ms"), (d_sh, "share")):
                v = [x for x in ds if x is not None]
                if v:
                    m = statistics.median(v)
                    if name == "ms" and (max_ms is None or abs(m) > abs(max_ms)):
                        max_ms = m
                    if name == "share" and (max_share is None or abs(m) > abs(max_share)):
                        max_share = m
            rows.append([label(k), fig(col["rank"]["default"], "{:.0f}"), fig(col["rank"]["exact"], "{:.0f}"),
                         fig(col["ms"]["default"]), fig(col["ms"]["exact"]), fig(d_ms, "{:+.0f}"),
                         fig(col["per_1k"]["default"], sig), fig(col["per_1k"]["exact"], sig),
                         fig(col["share"]["default"]), fig(col["share"]["exact"]), fig(d_sh, "{:+.0f}")])
        print(f"  3. the default mode's top {TOP} in exact mode (lost+paused in ms; per 1k = us per 1,000 committed; share = % of all lost+paused)")
        if rows:
            table(["site", "#def", "#exa", "ms def", "ms exa", "Δ%", "per 1k def", "per 1k exa",
                   "share def", "share exa", "Δshare%"], rows, indent="     ")
        else:
            print("     (no sites)")
        orders = ["yes" if x["top"] == y["top"] else "set" if set(x["top"]) == set(y["top"]) else "no"
                  for x, y in zip(d, e)]
        order = orders[0] if rounds == 1 else f"{orders.count('yes')}/{rounds}"
        print(f"     same top-{TOP} order in both modes: " + (order if rounds == 1 else f"{order} rounds ({' '.join(orders)})"))

        # 4. within one run: the exact log's top 5, estimated as the default timing would.
        est = [load(os.path.join(out, f"{sample}-estimate-r{r}.json")) for r in rs]
        ex_top = sorted({k for x in e for k in x["top"]},
                        key=lambda k: (statistics.median([x["by_key"].get(k, {}).get("rank", math.inf) for x in e]), label(k)))[:TOP]
        rows, max_within = [], None
        for k in ex_top:
            exact_ms = [x["by_key"].get(k, {}).get("ms") for x in e]
            est_ms = [x["by_key"].get(k, {}).get("ms") for x in est]
            dd = [diff(a, b) for a, b in zip(exact_ms, est_ms)]
            v = [x for x in dd if x is not None]
            if v and (max_within is None or abs(statistics.median(v)) > abs(max_within)):
                max_within = statistics.median(v)
            rows.append([label(k), fig(exact_ms), fig(est_ms), fig(dd, "{:+.1f}")])
        print(f"  4. one run (exact mode's log), its aborted first attempts charged as the default timing would: lost+paused ms")
        if rows:
            table(["site", "exact", "estimated", "Δ%"], rows, indent="     ")
        within = ["yes" if x["top"] == y["top"] else "set" if set(x["top"]) == set(y["top"]) else "no" for x, y in zip(e, est)]
        within_order = within[0] if rounds == 1 else f"{within.count('yes')}/{rounds}"
        print(f"     same top-{TOP} order: {within_order}")

        planted = "-"
        if sample == "planted":
            print(f"  5. planted lines: {', '.join(f'{k} {v}' for k, v in marks.items())}")
            verdicts = {}
            for m in MODES:
                ok = [names_line(x["sites"][0]["frames"], marks["read A"]) and names_line(x["sites"][0]["other_frames"], marks["write A"])
                      if x["sites"] else False for x in runs[m]]
                verdicts[m] = "yes" if all(ok) else "no" if not any(ok) else f"{sum(ok)}/{rounds}"
                pairs = []
                for p in sorted(n.split()[1] for n in marks if n.startswith("read ")):
                    found = []
                    for x in runs[m]:
                        row = next((s for s in x["sites"] if s["kind"] == "WRITE_READ" and names_line(s["frames"], marks[f"read {p}"])), None)
                        found.append((row["rank"], names_line(row["other_frames"], marks[f"write {p}"])) if row else (None, False))
                    other = sum(1 for _, o in found if o)
                    pairs.append(f"{p} #{fig([r for r, _ in found], '{:.0f}')} other side write {p}: "
                                 + ("yes" if other == rounds else "no" if other == 0 else f"{other}/{rounds}"))
                print(f"     {m}: rank 1 = read A <> write A: {verdicts[m]};  " + ";  ".join(pairs))
            planted = f"{verdicts['default']} / {verdicts['exact']}"
        print()
        def per_mode(f, fmt):
            return f"{fig([x[f] for x in d], fmt, spread=False)} / {fig([x[f] for x in e], fmt, spread=False)}"
        summary.append([sample, per_mode("both", "{:.0f}"), per_mode("no_stack", "{:.0f}"),
                        "-" if max_ms is None else f"{max_ms:+.0f}%", "-" if max_share is None else f"{max_share:+.0f}%",
                        order, "-" if max_within is None else f"{max_within:+.1f}%", within_order, planted])
    print("summary" + (f" (medians of {rounds} rounds)" if rounds > 1 else "") + ": default / exact")
    table(["sample", "both-sides %", "no-stack in top 5", "max Δ lost+paused", "max Δ share", "same order",
           "max Δ one run", "same order one run", "planted rank 1 ok"], summary)


if __name__ == "__main__":
    main()
