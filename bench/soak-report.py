#!/usr/bin/env python3
"""The report of bench/soak.sh: figures from samples.csv, and the check that every attempt was recorded.

    python3 bench/soak-report.py RESULTS_DIR RUN_EXIT START END RATE DURATION_S
Exit code 1 when requests.csv rows, summary.json attempts and the history database's attempts differ, or
relaybench did not exit 0.
"""
import csv
import json
import sys

out, run_exit, start, end, rate, duration = sys.argv[1:7]
samples = list(csv.DictReader(open(f"{out}/samples.csv")))
rows = list(csv.DictReader(open(f"{out}/run/requests.csv", newline="")))
summary = json.load(open(f"{out}/run/summary.json"))
history = json.load(open(f"{out}/history.json"))
summary_attempts = sum(int(t["attempts"]) for t in summary["targets"])
db_attempts = history[0]["attempts"] if history else None
outcomes = {}
for r in rows:
    outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1

# The first minute is start-up (libraries loading, lanes and connections opening): trends start after it.
steady = [s for s in samples if int(s["elapsed_s"]) >= 60]
t = [int(s["elapsed_s"]) for s in steady]
rss = [int(s["client_rss_kb"]) for s in steady]
fds = [int(s["client_fds"]) for s in steady]
threads = [int(s["client_threads"]) for s in steady]
sim_rss = [int(s["sim_rss_kb"]) for s in steady if s["sim_rss_kb"]]
mean_t = sum(t) / len(t)
mean_rss = sum(rss) / len(rss)
slope = sum((a - mean_t) * (b - mean_rss) for a, b in zip(t, rss)) / sum((a - mean_t) ** 2 for a in t)
equal = len(rows) == summary_attempts == db_attempts
ok = equal and run_exit == "0"
mib = lambda kib: f"{kib / 1024:.1f} MiB"
print(f"## Soak: {duration} s at {rate} requests/s against the flaky profile\n")
print(f"- from {start} to {end}; relaybench exit code {run_exit}")
print(f"- attempts: requests.csv rows {len(rows)}, summary.json {summary_attempts}, history database {db_attempts}"
      f" -> {'equal' if equal else 'NOT EQUAL'}")
print("- outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
print(f"- client RSS ({len(steady)} samples from 60 s): at {t[0]} s {mib(rss[0])}, at {t[-1]} s {mib(rss[-1])},"
      f" max {mib(max(rss))}; trend {slope * 60:.0f} KiB/min (least squares),"
      f" {(rss[-1] - rss[0]) * 1024 / max(1, len(rows)):.0f} bytes per attempt")
print(f"- client open file descriptors: {fds[0]} at {t[0]} s, {fds[-1]} at the end, range {min(fds)}-{max(fds)};"
      f" threads {min(threads)}-{max(threads)}")
if sim_rss:
    print(f"- simulator (separate process) RSS: {mib(sim_rss[0])} at {t[0]} s, {mib(sim_rss[-1])} at the end")
print(f"- result: {'PASS' if ok else 'FAIL'} (every attempt recorded{'' if ok else ': NO'})")
sys.exit(0 if ok else 1)
