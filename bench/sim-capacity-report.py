#!/usr/bin/env python3
"""Summarises a bench/sim-capacity.sh results folder as Markdown (printed on stdout).

Usage: python3 bench/sim-capacity-report.py RESULTS_DIR
"""

import json
import re
import sys
from pathlib import Path

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if not match:
        return None
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def read(path):
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


def parse_hey(text):
    r = {"tool_ok": "Requests/sec" in text}
    m = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    r["rps"] = float(m.group(1)) if m else None
    for pct in ("50", "99"):
        m = re.search(rf"\b{pct}% in ([0-9.]+) secs", text)
        r["p" + pct] = float(m.group(1)) * 1000.0 if m else None
    ok = bad = 0
    status = text.split("Status code distribution:", 1)[1] if "Status code distribution:" in text else ""
    status = status.split("Error distribution:", 1)[0]
    for code, count in re.findall(r"\[(\d+)\]\s+(\d+) responses", status):
        if code.startswith("2"):
            ok += int(count)
        else:
            bad += int(count)
    errors = 0
    if "Error distribution:" in text:
        for count in re.findall(r"^\s+\[(\d+)\]\s", text.split("Error distribution:", 1)[1], re.M):
            errors += int(count)
    r["responses"] = ok
    r["errors"] = bad + errors
    return r


def parse_wrk(text):
    r = {"tool_ok": "Requests/sec" in text}
    m = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    r["rps"] = float(m.group(1)) if m else None
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
        r["p" + pct] = to_ms(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in", text)
    total = int(m.group(1)) if m else 0
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    non2xx = int(m.group(1)) if m else 0
    r["responses"] = total - non2xx
    r["errors"] = errors + non2xx
    return r


def parse_time(path):
    """/usr/bin/time -f '%e %U %S %M': wall, user, sys, max RSS (KiB) of the load generator."""
    lines = [line for line in read(path).splitlines() if re.fullmatch(r"[0-9. ]+", line.strip() or "x")]
    if not lines:
        return None
    wall, user, system, rss = lines[-1].split()
    return {"wall": float(wall), "cpu": float(user) + float(system), "rss_kb": int(rss)}


def parse_h2load(text):
    r = {}
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                  r"(\d+) errored, (\d+) timeout", text)
    if m:
        for key, value in zip(("total", "started", "done", "succeeded", "failed", "errored", "timeout"), m.groups()):
            r[key] = int(value)
    m = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
    if m:
        r["status_2xx"] = int(m.group(1))
    m = re.search(r"finished in ([0-9.]+\w+),", text)
    r["finished"] = m.group(1) if m else None
    for key, label in (("request", "time for request"), ("connect", "time for connect"), ("ttfb", "time to 1st byte")):
        m = re.search(rf"^{label}:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", text, re.M)
        if m:
            r[key] = {"min": to_ms(m.group(1)), "max": to_ms(m.group(2)), "mean": to_ms(m.group(3))}
    return r


def log_durations_ms(path):
    durations = []
    for line in read(path).splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[1].startswith("2"):
            durations.append(int(parts[2]) / 1000.0)
    return sorted(durations)


def percentile(values, pct):
    if not values:
        return None
    index = min(len(values) - 1, max(0, int(round(pct / 100.0 * len(values) + 0.5)) - 1))
    return values[index]


def timeline_max(path, key):
    best = None
    for line in read(path).splitlines():
        try:
            value = json.loads(line.split(" ", 1)[1]).get(key)
        except (IndexError, ValueError):
            continue
        if value is not None and (best is None or value > best):
            best = value
    return best


def thread_cpu(out, phase):
    """'main 4%, w0 45%, w1 44%': per-thread CPU of the simulator as a share of the run's wall time."""
    parts = []
    for line in read(out / f"{phase['label']}.sim-threads.tsv").splitlines():
        name, _, ticks = line.rpartition("\t")
        share = pct_of(int(ticks) / phase.get("clk_tck", 100), phase["wall_s"])
        if share is None or share < 1.0:
            continue
        short = "main" if name == "relaybench" else re.sub(r"^sim-worker-", "w", name)
        parts.append(f"{short} {share:.0f}%")
    return ", ".join(parts) or "-"


def other_cpu(phase, tool_time):
    """CPU used by everything else on the machine during the run (other processes, unattributed softirq)."""
    if phase.get("machine_cpu_s") is None or tool_time is None:
        return None
    return pct_of(phase["machine_cpu_s"] - phase["server_cpu_s"] - tool_time["cpu"], phase["wall_s"])


def fmt_other(value):
    """Rest-of-machine CPU; a dagger marks runs that shared the machine with other work."""
    if value is None:
        return "n/a"
    return f"{max(0.0, value):.0f}%" + (" †" if value >= 25.0 else "")


def load_json(path):
    try:
        return json.loads(read(path))
    except ValueError:
        return {}


def fmt(value, digits=0, suffix=""):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        text = f"{value:,.{digits}f}"
    else:
        text = f"{value:,}"
    return text + suffix


def pct_of(cpu_s, wall_s):
    if cpu_s is None or not wall_s:
        return None
    return 100.0 * cpu_s / wall_s


def main():
    out = Path(sys.argv[1])
    phases = [json.loads(line) for line in read(out / "phases.jsonl").splitlines() if line.strip()]
    env = dict(line.split(": ", 1) for line in read(out / "env.txt").splitlines() if ": " in line)
    answer_bytes = len(read(out / "nginx-answer.json").encode())

    print(f"### Simulator capacity, {env.get('date', '?')}")
    print()
    print(f"Machine: {env.get('cpu', '?')}, {env.get('cores', '?')} cores, {env.get('memory', '?')}, "
          f"{env.get('os', '?')}, kernel {env.get('kernel', '?')}; relaybench at {env.get('git', '?')}. "
          f"Load generators and servers share the same cores. {env.get('idle check', '?')}; "
          f"waited {env.get('idle waits', '?')} for other processes to go quiet.")
    print()

    loads = [p for p in phases if p["kind"] == "load"]
    if loads:
        print(f"**Non-streamed** (POST /v1/chat/completions, zero-delay profile, 16 completion tokens, "
              f"{answer_bytes}-byte JSON answer; {env.get('duration per load run', '?')} per run; "
              f"nginx returns a {answer_bytes}-byte simulator answer verbatim, 2 workers). "
              f"CPU is user+sys over the run, 100% = one core, 200% = the whole machine; 'rest of machine' is what "
              f"other processes (and unattributed kernel work) used meanwhile.")
        print()
        print("| Load tool | Conns | Server | Requests/s | p50 ms | p99 ms | Errors | Server CPU | Load tool CPU | Rest of machine CPU | "
              "Server peak RSS | Sim completed / client aborts | Sim CPU by thread |")
        print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for p in loads:
            text = read(out / f"{p['label']}.txt")
            r = parse_hey(text) if p["tool"] == "hey" else parse_wrk(text)
            t = parse_time(out / f"{p['label']}.time")
            stats = load_json(out / f"{p['label']}.sim-stats.json") if p["server"] != "nginx" else {}
            server = {"sim-t2": "simulator --threads 2", "sim-t1": "simulator --threads 1"}.get(p["server"], "nginx")
            sim_counts = (f"{stats.get('completed', 'n/a'):,} / {stats.get('client_aborts', 'n/a')}"
                          if stats else "-")
            rss = f"{p['server_hwm_kb'] / 1024:.1f} MiB" if p.get("server_hwm_kb") else "-"
            print(f"| {p['tool']} | {p['concurrency']} | {server} | {fmt(r['rps'], 0)} | {fmt(r['p50'], 2)} | "
                  f"{fmt(r['p99'], 2)} | {fmt(r['errors'])} | {fmt(pct_of(p['server_cpu_s'], p['wall_s']), 0, '%')} | "
                  f"{fmt(pct_of(t['cpu'], t['wall']) if t else None, 0, '%')} | {fmt_other(other_cpu(p, t))} | {rss} | {sim_counts} | "
                  f"{thread_cpu(out, p) if stats else '-'} |")
        print()

    streams = [p for p in phases if p["kind"] == "streams"]
    if streams:
        expected = streams[0].get("expected_ms", 0)
        print(f"**Concurrent streams** (h2load --h1, all connections opened at once, one streamed request each; "
              f"profile ttft 100 ms, tpot 20 ms, 100 tokens: the last chunk is due {expected:,} ms after the "
              f"request; simulator --threads 2). Request times are h2load's per-request log (request sent to "
              f"end of response); \"over\" is the excess over {expected:,} ms.")
        print()
        print("| Streams | h2load succeeded / failed / errored | Sim peak_in_flight | In flight seen by poll | "
              "Sim completed / client aborts | TTFB min / mean / max ms | Request p50 / p99 / max ms | "
              "Over 2,080 ms: p50 / max | Sim CPU | Sim CPU by thread | h2load CPU | Rest of machine CPU | Sim peak RSS | Listen-queue drops |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
        for p in streams:
            h = parse_h2load(read(out / f"{p['label']}.txt"))
            stats = load_json(out / f"{p['label']}.sim-stats.json")
            seen = timeline_max(out / f"{p['label']}.stats-timeline.txt", "in_flight")
            durations = log_durations_ms(out / f"{p['label']}.h2load-log.tsv")
            p50, p99, worst = (percentile(durations, 50), percentile(durations, 99),
                               durations[-1] if durations else None)
            ttfb = h.get("ttfb", {})
            over = (f"{fmt(p50 - expected, 1)} / {fmt(worst - expected, 1)}" if durations else "n/a")
            cpu = p["server_cpu_s"]
            t = parse_time(out / f"{p['label']}.time")
            print(f"| {p['concurrency']:,} | {fmt(h.get('succeeded'))} / {fmt(h.get('failed'))} / "
                  f"{fmt(h.get('errored'))} | {fmt(stats.get('peak_in_flight'))} | {fmt(seen)} | "
                  f"{fmt(stats.get('completed'))} / {fmt(stats.get('client_aborts'))} | "
                  f"{fmt(ttfb.get('min'), 1)} / {fmt(ttfb.get('mean'), 1)} / {fmt(ttfb.get('max'), 1)} | "
                  f"{fmt(p50, 1)} / {fmt(p99, 1)} / {fmt(worst, 1)} | {over} | "
                  f"{cpu:.2f} s ({fmt(pct_of(cpu, p['wall_s']), 0, '%')} of {p['wall_s']:.1f} s) | "
                  f"{thread_cpu(out, p)} | {fmt(pct_of(t['cpu'], p['wall_s']) if t else None, 0, '%')} | "
                  f"{fmt_other(other_cpu(p, t))} | "
                  f"{p['server_hwm_kb'] / 1024:.1f} MiB | {fmt(p.get('listen_drops'))} |")
        print()
    busy = [p for p in phases if (other_cpu(p, parse_time(out / f"{p['label']}.time")) or 0) >= 25.0]
    if busy:
        print("† Other processes used at least a quarter of a core during this run: its figures are lower "
              "than on a quiet machine.")
        print()
    print(f"Raw outputs: `{out}`")


if __name__ == "__main__":
    main()
