"""Latency of the pre-send hook under load, on loopback.

    python bench/bench_server.py                       # 50, 100, 200 req/s, 10 s each, 2 workers
    python bench/bench_server.py --rates 100 --seconds 20 --auth

Starts ``replylint serve --workers N`` on a free loopback port (access log off), waits
until every worker is warm, then drives ``POST /v1/check`` with an open-loop load
generator (asyncio + httpx): request ``i`` of a stage is sent at ``i / rate`` seconds
whatever the previous ones are doing, so a slow server cannot slow the generator
down and hide its own latency. Every stage is bounded: ``rate x seconds`` requests,
and a hard time limit. Each draft is unique (``bench/drafts.py``).

Reports per stage: p50 / p90 / p99 / max latency (send to full response), achieved
throughput, errors (non-200 or transport failures) and lateness (how far behind
schedule the generator sent: if high, the client, not the server, was the limit).
The load generator shares the machine's cores with the workers.
Results also land in bench/out/server.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import httpx
from drafts import make_drafts

TOKEN = "bench-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int, auth: bool) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"REPLYLINT_TOKEN", "REPLYLINT_HMAC_SECRET"}}
    if auth:
        env["REPLYLINT_TOKEN"] = TOKEN
    command = [sys.executable, "-m", "replylint", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    log = tempfile.TemporaryFile()  # noqa: SIM115 -- never an unread pipe: a full one stalls the workers
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)


def server_cpu_seconds(proc: subprocess.Popen[bytes]) -> float:
    """User + system CPU of the server process and its workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [proc.pid]
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    except OSError:
        children = []
    pids += [int(c) for c in children]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    streak = 0
    while streak < 20:  # fresh connections: every worker answers once it listens
        if proc.poll() is not None:
            raise SystemExit("server exited before it was ready (run `replylint serve` to see why)")
        if time.monotonic() > deadline:
            raise SystemExit("server not ready in time")
        try:
            ok = httpx.get(f"{base}/readyz", timeout=2).status_code == 200
        except httpx.TransportError:
            ok = False
        streak = streak + 1 if ok else 0
        time.sleep(0.05 if ok else 0.3)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


async def stage(
    base: str, drafts: list[dict[str, Any]], rate: float, seconds: float, auth: bool
) -> dict[str, Any]:
    count = int(rate * seconds)
    headers = {"authorization": f"Bearer {TOKEN}"} if auth else {}
    latencies: list[float] = []
    lateness: list[float] = []
    errors: dict[str, int] = {}
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10) as client:

        async def one(i: int, due: float) -> None:
            now = time.perf_counter()
            lateness.append(now - due)
            try:
                response = await client.post("/v1/check", json=drafts[i % len(drafts)])
                elapsed = time.perf_counter() - now
                if response.status_code == 200:
                    latencies.append(elapsed)
                else:
                    errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1

        # warm the connection pool without measuring
        await asyncio.gather(*(client.get("/healthz") for _ in range(8)))
        start = time.perf_counter()
        tasks = []
        for i in range(count):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, due)))
        _done, pending = await asyncio.wait(tasks, timeout=seconds + 30)
        for task in pending:
            task.cancel()
        elapsed = time.perf_counter() - start
    errors_total = sum(errors.values()) + len(pending)
    if pending:
        errors["unfinished"] = len(pending)
    ms = [x * 1000 for x in latencies]
    return {
        "target_rps": rate,
        "requests": count,
        "ok": len(latencies),
        "errors": errors_total,
        "error_kinds": errors,
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 2) if ms else None,
        "p90_ms": round(percentile(ms, 90), 2) if ms else None,
        "p99_ms": round(percentile(ms, 99), 2) if ms else None,
        "max_ms": round(max(ms), 2) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 2) if ms else None,
        "lateness_p99_ms": round(percentile([x * 1000 for x in lateness], 99), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rates", default="50,100,200", help="requests per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=10, help="length of each stage")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--auth", action="store_true", help="bearer token on (adds the gate's check)")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    if any(r <= 0 or r > 2000 for r in rates) or not 0 < args.seconds <= 60:
        raise SystemExit("rates must be in (0, 2000] and --seconds in (0, 60]")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    drafts = make_drafts(max(int(max(rates) * args.seconds), 1000))
    for i, draft in enumerate(drafts):
        draft["id"] = f"bench-{i}"
    proc = start_server(port, args.workers, args.auth)
    results: dict[str, Any] = {
        "workers": args.workers,
        "seconds": args.seconds,
        "auth": args.auth,
        "stages": [],
    }
    try:
        wait_ready(base, proc)
        asyncio.run(stage(base, drafts[:200], 50, 2, args.auth))  # warm-up, not reported
        for rate in rates:
            cpu = server_cpu_seconds(proc)
            result = asyncio.run(stage(base, drafts, rate, args.seconds, args.auth))
            result["server_cpu_ms_per_request"] = round(
                (server_cpu_seconds(proc) - cpu) * 1000 / max(result["requests"], 1), 3
            )
            result["load_average_1m"] = round(os.getloadavg()[0], 2)
            results["stages"].append(result)
            print(
                f"{rate:6.0f} req/s: p50 {result['p50_ms']} ms  p90 {result['p90_ms']} ms  "
                f"p99 {result['p99_ms']} ms  max {result['max_ms']} ms  "
                f"throughput {result['throughput_rps']} req/s  errors {result['errors']} "
                f"(of {result['requests']})  lateness p99 {result['lateness_p99_ms']} ms  "
                f"server CPU {result['server_cpu_ms_per_request']} ms/req  load {result['load_average_1m']}",
                flush=True,
            )
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "server.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
