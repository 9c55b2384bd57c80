#!/usr/bin/env python3
"""Turn a benchmark run's raw wrk outputs into Markdown tables.

    report.py wrk FILE          one line: req/s, p50, p99 (ms), requests, non-2xx/3xx, socket errors
    report.py summary OUTDIR    the tables for OUTDIR/runs.tsv and OUTDIR/metrics.tsv

runs.tsv lines:    section <TAB> server <TAB> endpoint <TAB> wrk output file <TAB> note
metrics.tsv lines: section <TAB> name <TAB> value
Several runs of one (section, server, endpoint) are reduced to their median; the spread is shown.
Stdlib only."""
import os
import re
import statistics
import sys
from collections import OrderedDict

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(value):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def parse_wrk(path):
    r = {"rps": None, "p50": None, "p99": None, "requests": None, "non2xx": 0, "sockerr": ""}
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return r
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("Requests/sec:"):
            r["rps"] = float(s.split()[1])
        elif re.match(r"^50%\s", s):
            r["p50"] = ms(s.split()[1])
        elif re.match(r"^99%\s", s):
            r["p99"] = ms(s.split()[1])
        elif re.match(r"^\d+ requests in", s):
            r["requests"] = int(s.split()[0])
        elif s.startswith("Non-2xx or 3xx responses:"):
            r["non2xx"] = int(s.split(":")[1])
        elif s.startswith("Socket errors:"):
            r["sockerr"] = s[len("Socket errors:"):].strip()
    return r


def fmt(value, digits=2):
    if value is None:
        return "–"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values):
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return ""
    return f" ({min(values):,.0f}–{max(values):,.0f})"


def load_runs(outdir):
    runs = OrderedDict()
    path = os.path.join(outdir, "runs.tsv")
    if not os.path.exists(path):
        return runs
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 4:
            continue
        section, server, endpoint, wrk = parts[:4]
        note = parts[4] if len(parts) > 4 else ""
        cpu = float(parts[5]) if len(parts) > 5 and re.match(r"^[\d.]+$", parts[5]) else None
        key = (section, server, endpoint)
        entry = runs.setdefault(key, {"results": [], "note": note, "cpu": []})
        entry["results"].append(parse_wrk(wrk))
        entry["cpu"].append(cpu)
        if note:
            entry["note"] = note
    return runs


def load_metrics(outdir):
    metrics = OrderedDict()
    path = os.path.join(outdir, "metrics.tsv")
    if not os.path.exists(path):
        return metrics
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 3:
            metrics.setdefault(parts[0], OrderedDict())[parts[1]] = parts[2]
    return metrics


def summary(outdir):
    runs = load_runs(outdir)
    metrics = load_metrics(outdir)
    sections = OrderedDict()
    for (section, server, endpoint), entry in runs.items():
        sections.setdefault(section, []).append((server, endpoint, entry))
    out = []
    for section, rows in sections.items():
        out.append(f"### {section}\n")
        if section.startswith("peers"):
            out.extend(peer_table(rows))
        else:
            out.extend(plain_table(rows))
        if section in metrics:
            out.append("")
            for name, value in metrics[section].items():
                out.append(f"- {name}: {value}")
        out.append("")
    for section, values in metrics.items():
        if section in sections:
            continue
        out.append(f"### {section}\n")
        for name, value in values.items():
            out.append(f"- {name}: {value}")
        out.append("")
    return "\n".join(out)


def aggregate(entry):
    results = entry["results"]
    rps = [r["rps"] for r in results]
    return {
        "rps": median(rps),
        "rps_spread": spread(rps),
        "p50": median([r["p50"] for r in results]),
        "p99": median([r["p99"] for r in results]),
        "non2xx": sum(r["non2xx"] or 0 for r in results),
        "sockerr": "; ".join(sorted({r["sockerr"] for r in results if r["sockerr"]})),
        "runs": len(results),
        "cpu": median(entry["cpu"]),
    }


def plain_table(rows):
    lines = [
        "| endpoint | path | runs | req/s (median, range) | p50 ms | p99 ms | non-2xx/3xx | socket errors | server CPU % |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for server, endpoint, entry in rows:
        a = aggregate(entry)
        lines.append(
            f"| {endpoint} | `{entry['note']}` | {a['runs']} | {fmt(a['rps'], 0)}{a['rps_spread']} | {fmt(a['p50'])} "
            f"| {fmt(a['p99'])} | {a['non2xx']} | {a['sockerr'] or '–'} | {fmt(a['cpu'], 0)} |")
    return lines


def peer_table(rows):
    by_endpoint = OrderedDict()
    for server, endpoint, entry in rows:
        by_endpoint.setdefault(endpoint, OrderedDict())[server] = aggregate(entry)
    lines = [
        "| endpoint | server | runs | req/s (median, range) | p50 ms | p99 ms | non-2xx | server CPU % | PLN ÷ Hummingbird (req/s) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for endpoint, servers in by_endpoint.items():
        reference = servers.get("hummingbird-peer", {}).get("rps")
        for server, a in servers.items():
            ratio = ""
            if server == "pln" and reference and a["rps"]:
                ratio = f"**{a['rps'] / reference:.2f}×**"
            lines.append(
                f"| {endpoint} | {server} | {a['runs']} | {fmt(a['rps'], 0)}{a['rps_spread']} | {fmt(a['p50'])} "
                f"| {fmt(a['p99'])} | {a['non2xx']} | {fmt(a['cpu'], 0)} | {ratio} |")
    return lines


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "wrk":
        r = parse_wrk(sys.argv[2])
        print(f"{fmt(r['rps'], 0)} req/s  p50 {fmt(r['p50'])} ms  p99 {fmt(r['p99'])} ms"
              + (f"  non-2xx {r['non2xx']}" if r["non2xx"] else "")
              + (f"  socket errors: {r['sockerr']}" if r["sockerr"] else ""))
    elif len(sys.argv) == 3 and sys.argv[1] == "summary":
        print(summary(sys.argv[2]))
    else:
        sys.exit(__doc__)


main()
