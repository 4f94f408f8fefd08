#!/usr/bin/env python3
"""Summarises a bench/engine-throughput.sh results folder as Markdown (printed on stdout).

Usage: python3 bench/engine-report.py RESULTS_DIR
"""

import csv
import json
import math
import re
import sys
from pathlib import Path


def read(path):
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


def load_json(path):
    try:
        return json.loads(read(path))
    except ValueError:
        return {}


def parse_time(path):
    """/usr/bin/time -f '%e %U %S %M': wall, user, sys, max RSS (KiB); None when the process was killed."""
    lines = [line for line in read(path).splitlines() if re.fullmatch(r"[0-9. ]+", line.strip() or "x")]
    if not lines:
        return None
    wall, user, system, rss = lines[-1].split()
    return {"wall": float(wall), "cpu": float(user) + float(system), "rss_kb": int(rss)}


def parse_hey(text):
    r = {}
    m = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    r["rps"] = float(m.group(1)) if m else None
    m = re.search(r"Total:\s+([0-9.]+) secs", text)
    r["total_s"] = float(m.group(1)) if m else None
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
    r["ok"] = ok
    r["errors"] = bad + errors
    return r


def percentile(values, pct):
    """Nearest rank, as relaybench computes it: the smallest value with at least pct% of the sample at or below."""
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, math.ceil(pct / 100.0 * len(values)) - 1))]


def fmt(value, digits=0, suffix=""):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value:,}{suffix}"


def fmt_signed(value, digits=1):
    if value is None:
        return "n/a"
    return f"{value:+,.{digits}f}"


def pct_of(cpu_s, wall_s):
    if cpu_s is None or not wall_s:
        return None
    return 100.0 * cpu_s / wall_s


def other_cpu(phase, client_time):
    """CPU used by everything else on the machine during the run (other processes, unattributed softirq)."""
    if phase.get("machine_cpu_s") is None or client_time is None:
        return None
    return pct_of(phase["machine_cpu_s"] - phase["server_cpu_s"] - client_time["cpu"], phase["wall_s"])


def fmt_other(value):
    if value is None:
        return "n/a"
    return f"{max(0.0, value):.0f}%" + (" †" if value >= 25.0 else "")


def thread_groups(out, phase, t):
    """relaybench's CPU by thread group, as a share of the process's wall time: 'main 6%, lanes 55%
    (9 threads, max 8%), Qt HTTP 95% (...), not sampled 4%'. Each thread counts with the last value it
    had in a sample; "not sampled" is the process's CPU (/usr/bin/time) that no sample saw (the last
    0.25 s, threads that lived less than a sample interval)."""
    if not t or not t["wall"]:
        return "n/a"
    last = {}
    for line in read(out / f"{phase['label']}.threads.tsv").splitlines():
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) == 3:
            last[parts[0]] = (parts[1], int(parts[2]) / 1e9)  # schedstat: nanoseconds on the CPU
    if not last:
        return "n/a"
    groups = {}
    for name, seconds in last.values():
        if name.startswith("lane-"):
            key = "lanes"
        elif name.startswith("QNetworkAccess"):
            key = "Qt HTTP"
        elif name == "relaybench":
            key = "main"
        else:
            key = "other"
        total, biggest, count = groups.get(key, (0.0, 0.0, 0))
        groups[key] = (total + seconds, max(biggest, seconds), count + 1)
    parts = []
    for key in ("main", "lanes", "Qt HTTP", "other"):
        if key not in groups:
            continue
        total, biggest, count = groups[key]
        text = f"{key} {pct_of(total, t['wall']):.0f}%"
        if count > 1:
            text += f" ({count} threads, max {pct_of(biggest, t['wall']):.0f}%)"
        parts.append(text)
    sampled = sum(seconds for _, seconds in last.values())
    parts.append(f"not sampled {pct_of(max(0.0, t['cpu'] - sampled), t['wall']):.0f}%")
    return ", ".join(parts)


def requests_rows(path):
    try:
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    except OSError:
        return []


def num(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def main():
    out = Path(sys.argv[1])
    phases = [json.loads(line) for line in read(out / "phases.jsonl").splitlines() if line.strip()]
    env = dict(line.split(": ", 1) for line in read(out / "env.txt").splitlines() if ": " in line)
    answer_bytes = len(read(out / "nginx-answer.json").encode())
    expected = int(env.get("stream expected ms", "1480"))

    print(f"### Campaign engine, {env.get('date', '?')}")
    print()
    print(f"Command: `{env.get('command', '?')}`; relaybench at {env.get('git', '?')}, binary sha256 "
          f"{env.get('binary', '?').rsplit('sha256 ', 1)[-1].rstrip(')')}. Machine: {env.get('cpu', '?')}, "
          f"{env.get('cores', '?')} cores, {env.get('memory', '?')}, {env.get('os', '?')}, kernel "
          f"{env.get('kernel', '?')}; Qt {env.get('qt', '?')}, hey {env.get('hey', '?')}, {env.get('h2load', '?')}, "
          f"nginx {env.get('nginx', '?')}. Clients and servers share the same cores. {env.get('idle check', '?')}; "
          f"waited {env.get('idle waits', '?')} for other processes to go quiet; the script took "
          f"{env.get('script time', '?')}.")
    print()

    fixed_cpu = None
    baselines = [parse_time(out / f"{p['label']}.time") for p in phases if p["kind"] == "baseline"]
    baselines = [b for b in baselines if b]
    if baselines:
        fixed = sorted(baselines, key=lambda b: b["cpu"])[len(baselines) // 2]
        fixed_cpu = fixed["cpu"]
        all_cpu = ", ".join(f"{b['cpu']:.2f} s" for b in baselines)
        print(f"Fixed cost of a relaybench run (start-up, 1 request, reports, shutdown; median of "
              f"{len(baselines)}): {fixed['cpu']:.2f} s CPU, {fixed['wall']:.2f} s wall, "
              f"{fixed['rss_kb'] / 1024:.1f} MiB peak RSS (all: "
              f"{all_cpu}).")
        print()

    loads = [p for p in phases if p["kind"] == "load"]
    if loads:
        print(f"**Non-streamed, closed loop** (POST /v1/chat/completions, the same body for both clients, "
              f"N = {fmt(loads[0]['requests'])} requests per run). Servers: the simulator (`serve-mock --threads "
              f"{env.get('sim threads', '?')}`, zero-delay profile, 16 completion tokens, a fresh process per run) "
              f"and nginx (1 worker, `access_log off`) returning a {answer_bytes}-byte simulator answer verbatim: "
              f"each server gets at most one of the two cores, the client the rest. "
              f"relaybench's req/s: N / wall time of the process (start-up and report writing included) and "
              f"summary.json's `throughput.requests_per_s` (succeeded / `duration_s`). hey's: N / wall time of the "
              f"process and its own Requests/sec. CPU is user+sys of the whole process (`/usr/bin/time`); "
              f"100% = one core.")
        print()
        print("| Conc. | Server | Client | OK / N | req/s (N / process wall) | req/s (tool's own figure) | Wall s | "
              "p50 / p99 ms | Client CPU | Client CPU / request | Client peak RSS | relaybench CPU by thread | "
              "Server CPU | Rest of machine |")
        print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
        for p in loads:
            server = f"simulator --threads {env.get('sim threads', '?')}" if p["server"] == "sim" else "nginx"
            if p.get("skipped"):
                print(f"| {p['concurrency']} | {server} | {p['client']} | skipped (time budget) |" + " |" * 10)
                continue
            t = parse_time(out / f"{p['label']}.time")
            n = p["requests"]
            if p["client"] == "relaybench":
                s = load_json(out / f"{p['label']}.out" / "summary.json")
                target = (s.get("targets") or [{}])[0]
                ok = (target.get("outcomes") or {}).get("ok")
                own = (target.get("throughput") or {}).get("requests_per_s")
                lat = target.get("latency_ms") or {}
                p50, p99 = lat.get("p50"), lat.get("p99")
                own_text = f"{fmt(own, 0)} (duration_s {fmt(s.get('duration_s'), 3)})"
                threads = thread_groups(out, p, t)
            else:
                h = parse_hey(read(out / f"{p['label']}.txt"))
                ok = h["ok"]
                own_text = fmt(h["rps"], 0)
                p50, p99 = h["p50"], h["p99"]
                threads = "-"
            flag = "" if ok == n and p.get("rc") == 0 else " ⚠"
            print(f"| {p['concurrency']} | {server} | {p['client']} | {fmt(ok)} / {fmt(n)}{flag} | "
                  f"{fmt(n / t['wall'] if t and t['wall'] else None, 0)} | {own_text} | {fmt(t['wall'] if t else None, 2)} | "
                  f"{fmt(p50, 2)} / {fmt(p99, 2)} | {fmt(pct_of(t['cpu'], t['wall']) if t else None, 0, '%')} | "
                  f"{fmt(t['cpu'] / n * 1e6 if t else None, 0, ' µs')} | "
                  f"{fmt(t['rss_kb'] / 1024 if t else None, 1, ' MiB')} | {threads} | "
                  f"{fmt(pct_of(p['server_cpu_s'], p['wall_s']), 0, '%')} | {fmt_other(other_cpu(p, t))} |")
        print()

    streams = [p for p in phases if p["kind"] == "stream"]
    if streams:
        s0 = next((p for p in streams if not p.get("skipped")), streams[0])
        ttft_ms, tpot_ms, tokens = s0.get("ttft_ms", 500), s0.get("tpot_ms", 20), s0.get("tokens", 50)
        print(f"**Concurrent streams, closed loop** (simulator `serve-mock --threads {env.get('stream sim threads', '?')}`, "
              f"a fresh process per run, fixed timing: ttft {ttft_ms} ms, tpot {tpot_ms} ms, {tokens} tokens, so a "
              f"stream's first token is due {ttft_ms} ms and its end {expected:,} ms after the request; "
              f"`stream: true`, `include_usage: true`; requests = 2 × C). Errors are measured − due, in ms, over every "
              f"successful attempt of requests.csv (TTFT = `ttft_ms` − {ttft_ms}, latency = `latency_ms` − {expected:,}); "
              f"ITL error = summary.json's `itl_ms` − {tpot_ms}. A negative error can only come from a late `sent_ms` "
              f"stamp (the simulator never answers early). The error is the simulator's lateness plus relaybench's: "
              f"the h2load rows give the simulator's own at the same C (request sent to end of response, "
              f"h2load's per-request log).")
        print()
        print("| C | Requests OK / sent | peak_in_flight: relaybench / simulator | TTFT error p50 / p99 / max (min) | "
              "Latency error p50 / p99 / max | ITL error p50 / p99 / max | relaybench CPU (% of wall) | CPU / request | "
              "CPU / SSE event | CPU / SSE event, net of the fixed cost | Peak RSS | relaybench CPU by thread | Sim CPU | "
              "Rest of machine |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
        passing = []
        failing = []
        h2_rows = []
        wave_rows = []
        for p in streams:
            c = p["concurrency"]
            if p["client"] == "h2load":
                h2_rows.append(p)
                continue
            if p.get("skipped"):
                print(f"| {c:,} | skipped (time budget) |" + " |" * 12)
                continue
            t = parse_time(out / f"{p['label']}.time")
            s = load_json(out / f"{p['label']}.out" / "summary.json")
            target = (s.get("targets") or [{}])[0]
            stats = load_json(out / f"{p['label']}.sim-stats.json")
            rows = requests_rows(out / f"{p['label']}.out" / "requests.csv")
            ok_rows = [r for r in rows if r.get("outcome") == "ok"]
            ttft_err = [num(r["ttft_ms"]) - ttft_ms for r in ok_rows if num(r.get("ttft_ms")) is not None]
            lat_err = [num(r["latency_ms"]) - expected for r in ok_rows if num(r.get("latency_ms")) is not None]
            itl = target.get("itl_ms") or {}
            n = p["requests"]
            ok = (target.get("outcomes") or {}).get("ok")
            flag = "" if ok == n and p.get("rc") == 0 else " ⚠"
            p99 = percentile(ttft_err, 99)
            if p99 is not None and p99 < 5.0 and ok == n:
                passing.append(c)
            else:
                failing.append(c)
            cpu = t["cpu"] if t else None
            print(f"| {c:,} | {fmt(ok)} / {fmt(len(rows))}{flag} | {fmt(target.get('peak_in_flight'))} / "
                  f"{fmt(stats.get('peak_in_flight'))} | "
                  f"{fmt_signed(percentile(ttft_err, 50))} / {fmt_signed(p99)} / "
                  f"{fmt_signed(max(ttft_err) if ttft_err else None)} ({fmt_signed(min(ttft_err) if ttft_err else None)}) | "
                  f"{fmt_signed(percentile(lat_err, 50))} / {fmt_signed(percentile(lat_err, 99))} / "
                  f"{fmt_signed(max(lat_err) if lat_err else None)} | "
                  f"{fmt_signed(itl['p50'] - tpot_ms if 'p50' in itl else None)} / "
                  f"{fmt_signed(itl['p99'] - tpot_ms if 'p99' in itl else None)} / "
                  f"{fmt_signed(itl['max'] - tpot_ms if 'max' in itl else None)} | "
                  f"{fmt(cpu, 2, ' s')} ({fmt(pct_of(cpu, t['wall']) if t else None, 0, '%')} of {fmt(t['wall'] if t else None, 2, ' s')}) | "
                  f"{fmt(cpu / n * 1e6 if cpu is not None else None, 0, ' µs')} | "
                  f"{fmt(cpu / (n * tokens) * 1e6 if cpu is not None else None, 1, ' µs')} | "
                  f"{fmt((cpu - fixed_cpu) / (n * tokens) * 1e6 if cpu is not None and fixed_cpu is not None else None, 1, ' µs')} | "
                  f"{fmt(t['rss_kb'] / 1024 if t else None, 1, ' MiB')} | {thread_groups(out, p, t)} | "
                  f"{fmt(pct_of(p['server_cpu_s'], p['wall_s']), 0, '%')} | {fmt_other(other_cpu(p, t))} |")
            # The first C requests open new connections all at once (cold); the second C reuse them.
            by_sent = sorted((r for r in ok_rows if num(r.get("sent_ms")) is not None), key=lambda r: num(r["sent_ms"]))
            cold, warm = by_sent[:c], by_sent[c:]
            spread = (num(cold[-1]["sent_ms"]) - num(cold[0]["sent_ms"])) if cold else None
            queue = max((num(r["queue_ms"]) for r in cold if num(r.get("queue_ms")) is not None), default=None)
            wave_rows.append((c, [num(r["ttft_ms"]) - ttft_ms for r in cold], [num(r["ttft_ms"]) - ttft_ms for r in warm],
                              [num(r["latency_ms"]) - expected for r in warm], spread, queue))
        print()
        if passing:
            best = max(passing)
            below = [c for c in failing if c < best]
            note = f" (but not at C = {', '.join(f'{c:,}' for c in below)})" if below else ""
            print(f"**Highest C with TTFT error p99 under 5 ms and every request ok: {best:,}**{note}.")
        else:
            print("**No concurrency kept the TTFT error p99 under 5 ms.**")
        print()
        if wave_rows:
            print(f"By wave: the first C requests (cold: new connections, all started at once) and the second C "
                  f"(warm: reused connections, started as the first ones end). \"Sent spread\" is how long the "
                  f"first C took to be on the wire (last `sent_ms` − first); \"queue max\" the longest `queue_ms` among "
                  f"them (waiting for the lane, connecting).")
            print()
            print("| C | Cold TTFT error p50 / p99 / max (min) | Warm TTFT error p50 / p99 / max (min) | "
                  "Warm latency error p50 / p99 / max | Cold sent spread ms | Cold queue max ms |")
            print("|---:|---:|---:|---:|---:|---:|")
            for c, cold, warm, warm_lat, spread, queue in wave_rows:
                def trio(v):
                    if not v:
                        return "n/a"
                    return (f"{fmt_signed(percentile(v, 50))} / {fmt_signed(percentile(v, 99))} / "
                            f"{fmt_signed(max(v))} ({fmt_signed(min(v))})")
                lat = (f"{fmt_signed(percentile(warm_lat, 50))} / {fmt_signed(percentile(warm_lat, 99))} / "
                       f"{fmt_signed(max(warm_lat))}" if warm_lat else "n/a")
                print(f"| {c:,} | {trio(cold)} | {trio(warm)} | {lat} | {fmt(spread, 1)} | {fmt(queue, 1)} |")
            print()
        if h2_rows:
            print(f"The simulator alone: h2load --h1 -c C -n 2C -m 1 on a fresh simulator with the same profile "
                  f"(h2load: one thread, no TLS). Latency error = h2load's request time − {expected:,} ms.")
            print()
            print("| C | h2load succeeded / failed / errored | Sim peak_in_flight | Latency error p50 / p99 / max | "
                  "h2load CPU / request | Sim CPU | Rest of machine |")
            print("|---:|---:|---:|---:|---:|---:|---:|")
            for p in h2_rows:
                c = p["concurrency"]
                if p.get("skipped"):
                    print(f"| {c:,} | skipped (time budget) |" + " |" * 5)
                    continue
                text = read(out / f"{p['label']}.txt")
                m = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored", text)
                counts = " / ".join(m.groups()) if m else "n/a"
                durations = []
                for line in read(out / f"{p['label']}.h2load-log.tsv").splitlines():
                    parts = line.split("\t")
                    if len(parts) >= 3 and parts[1].startswith("2"):
                        durations.append(int(parts[2]) / 1000.0 - expected)
                stats = load_json(out / f"{p['label']}.sim-stats.json")
                t = parse_time(out / f"{p['label']}.time")
                lat = (f"{fmt_signed(percentile(durations, 50))} / {fmt_signed(percentile(durations, 99))} / "
                       f"{fmt_signed(max(durations))}" if durations else "n/a")
                print(f"| {c:,} | {counts} | {fmt(stats.get('peak_in_flight'))} | {lat} | "
                      f"{fmt(t['cpu'] / p['requests'] * 1e6 if t else None, 0, ' µs')} | "
                      f"{fmt(pct_of(p['server_cpu_s'], p['wall_s']), 0, '%')} | {fmt_other(other_cpu(p, t))} |")
            print()
    busy = [p for p in phases if not p.get("skipped")
            and (other_cpu(p, parse_time(out / f"{p['label']}.time")) or 0) >= 25.0]
    if busy:
        print("† Other processes used at least a quarter of a core during this run: its figures are worse than on "
              "a quiet machine. ⚠: a run with a failed request or a non-zero exit status.")
        print()
    print(f"Raw outputs: `{out}`")


if __name__ == "__main__":
    main()
