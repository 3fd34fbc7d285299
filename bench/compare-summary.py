#!/usr/bin/env python3
"""Reads the per-run JSON files bench/compare.sh wrote (s<scenario>-<broker>-r<run>.json) and
prints a markdown table: per scenario and metric the median of the runs for each broker (the
runs in brackets), the Courier/Mosquitto ratio, and lost/duplicated totals over the runs."""
import glob
import json
import os
import re
import statistics
import sys

out = sys.argv[1]
# scenario: (what, [(metric label, key, unit, better)])
SCENARIOS = {
    1: ("10 publishers -> 1 subscriber, QoS 0, flat out", [("delivered", "delivered_msg_s", "msg/s", "higher")]),
    2: ("10 publishers -> 1 subscriber, QoS 1, flat out", [("delivered", "delivered_msg_s", "msg/s", "higher")]),
    3: ("1 publisher -> 10 subscribers, QoS 0, flat out", [("delivered", "delivered_msg_s", "msg/s", "higher")]),
    4: ("1 publisher -> 10 subscribers, QoS 1, flat out", [("delivered", "delivered_msg_s", "msg/s", "higher")]),
    5: ("10 publisher/subscriber pairs, QoS 1, persistent sessions (expiry 1 h)",
        [("delivered", "delivered_msg_s", "msg/s", "higher")]),
    6: ("1 -> 1 at a fixed 10,000 msg/s, QoS 1", [("offered", "offered_msg_s", "msg/s", "higher"),
                                                  ("latency p50", "latency_p50_ms", "ms", "lower"),
                                                  ("latency p99", "latency_p99_ms", "ms", "lower"),
                                                  ("latency p99.9", "latency_p99_9_ms", "ms", "lower")]),
    7: ("1 publisher -> 1,000 subscribers, QoS 0, flat out", [("delivered", "delivered_msg_s", "msg/s", "higher")]),
    8: ("idle connections held", [("RSS per connection", "rss_per_connection_bytes", "B", "lower"),
                                  ("heap per connection (after GC)", "heap_per_connection_bytes", "B", "lower")]),
    9: ("connect rate", [("connects", "connect_rate_per_s", "/s", "higher")]),
    10: ("restart recovery: process start -> sampled sessions got their 10 queued QoS 1 messages",
         [("recovery", "recovery_s", "s", "lower"), ("listener up", "listener_s", "s", "lower")]),
}

runs = {}
for path in glob.glob(os.path.join(out, "s*-*-r*.json")):
    m = re.fullmatch(r"s(\d+)-(courier|mosquitto)-r(\d+)\.json", os.path.basename(path))
    if not m:
        continue
    try:
        data = json.load(open(path))
    except ValueError:
        data = {"failed": True}
    runs.setdefault((int(m.group(1)), m.group(2)), []).append((int(m.group(3)), data))


def fmt(v, unit):
    if v is None:
        return "-"
    if unit in ("ms", "s"):
        return f"{v:,.2f}"
    return f"{v:,.0f}"


def cell(scenario, broker, key, unit):
    rs = sorted(runs.get((scenario, broker), []), key=lambda r: r[0])
    values = [r[1].get(key) for r in rs if not r[1].get("failed")]
    values = [v for v in values if isinstance(v, (int, float))]
    failed = sum(1 for r in rs if r[1].get("failed") or r[1].get(key) is None)
    if not values:
        return None, ("failed" if rs else "-")
    med = statistics.median(values)
    text = f"**{fmt(med, unit)}** ({', '.join(fmt(v, unit) for v in values)})"
    if failed:
        text += f" +{failed} failed"
    return med, text


def losses(scenario, broker):
    rs = [r[1] for r in runs.get((scenario, broker), []) if not r[1].get("failed")]
    lost = sum(r.get("lost", r.get("missing", 0)) or 0 for r in rs)
    dup = sum(r.get("duplicated", 0) or 0 for r in rs)
    cut = sum(r.get("disconnected_by_broker", 0) or 0 for r in rs)
    return f"{lost:,}/{dup:,}" + (f", {cut:,} cut" if cut else "")


print("| # | scenario | metric | Courier median (runs) | Mosquitto median (runs) | Courier/Mosquitto | lost/dup C; M |")
print("|---|---|---|---|---|---|---|")
for s, (what, metrics) in SCENARIOS.items():
    if not any(k[0] == s for k in runs):
        continue
    for i, (label, key, unit, better) in enumerate(metrics):
        c, ctext = cell(s, "courier", key, unit)
        m, mtext = cell(s, "mosquitto", key, unit)
        if s == 8 and key.startswith("heap"):
            mtext = "n/a"
        ratio = f"{c / m:.2f}x ({better} is better)" if c is not None and m not in (None, 0) else "-"
        name = what if i == 0 else ""
        loss = f"{losses(s, 'courier')}; {losses(s, 'mosquitto')}" if i == 0 and s not in (8, 9) else ""
        print(f"| {s if i == 0 else ''} | {name} | {label} ({unit}) | {ctext} | {mtext} | {ratio} | {loss} |")
env = os.path.join(out, "environment.txt")
if os.path.exists(env):
    print()
    for line in open(env):
        print("    " + line.rstrip())
