"""Latency of the pre-send hook under load, on loopback.

    python bench/bench_server.py                       # 50, 100, 200 req/s, 10 s each, 2 workers
    python bench/bench_server.py --rates 100 --seconds 20 --auth

Starts ``replylint serve --workers N`` on a free loopback port (access log off), waits
until every worker is warm, then drives ``POST /v1/check`` with an open-loop load
generator (asyncio, with a minimal keep-alive HTTP/1.1 client; ``--client httpx`` to use httpx): request ``i`` of a stage is sent at ``i / rate`` seconds
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
KEEP_ALIVE_REUSE_SECONDS = 2.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int, auth: bool, config: str | None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"REPLYLINT_TOKEN", "REPLYLINT_HMAC_SECRET"}}
    if auth:
        env["REPLYLINT_TOKEN"] = TOKEN
    command = [sys.executable, "-m", "replylint", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    if config:
        command += ["--config", config]
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


class RawClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams (tens of µs of CPU a request).

    httpx costs the load generator milliseconds of CPU per request, which on a 2-core
    machine shared with the server made the generator, not the server, the bottleneck
    at 200 req/s; ``--client httpx`` still measures with it.
    """

    def __init__(self, host: str, port: int, headers: dict[str, str], max_connections: int = 256) -> None:
        self.host, self.port, self.max = host, port, max_connections
        self.extra = b"".join(f"{k}: {v}\r\n".encode() for k, v in headers.items())
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self.open = 0

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        while self.idle:
            reader, writer, since = self.idle.pop()
            if time.monotonic() - since < KEEP_ALIVE_REUSE_SECONDS:
                return reader, writer
            writer.close()  # the server may be closing it (uvicorn: 5 s idle): not reused
            self.open -= 1
        if self.open >= self.max:
            raise ConnectionError("connection limit reached")
        self.open += 1
        try:
            return await asyncio.open_connection(self.host, self.port)
        except OSError:
            self.open -= 1
            raise

    async def post(self, path: str, body: bytes) -> int:
        reader, writer = await self._connection()
        try:
            writer.write(
                f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n".encode()
                + self.extra
                + b"\r\n"
                + body
            )
            head = (await reader.readuntil(b"\r\n\r\n")).lower()
            status = int(head[9:12])
            start = head.find(b"content-length:")
            length = int(head[start + 15 : head.index(b"\r\n", start)]) if start >= 0 else 0
            await reader.readexactly(length)
        except BaseException:
            writer.close()
            self.open -= 1
            raise
        if b"connection: close" in head:
            writer.close()
            self.open -= 1
        else:
            self.idle.append((reader, writer, time.monotonic()))
        return status

    async def close(self) -> None:
        for _, writer, _ in self.idle:
            writer.close()
        self.idle.clear()


class HttpxClient:
    def __init__(self, base: str, headers: dict[str, str]) -> None:
        limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
        self.client = httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10)

    async def post(self, path: str, body: bytes) -> int:
        headers = {"content-type": "application/json"}
        return (await self.client.post(path, content=body, headers=headers)).status_code

    async def close(self) -> None:
        await self.client.aclose()


async def stage(
    base: str, bodies: list[bytes], rate: float, seconds: float, auth: bool, kind: str = "raw"
) -> dict[str, Any]:
    count = int(rate * seconds)
    headers = {"authorization": f"Bearer {TOKEN}"} if auth else {}
    latencies: list[float] = []
    lateness: list[float] = []
    errors: dict[str, int] = {}
    host, port = base.removeprefix("http://").split(":")
    client = RawClient(host, int(port), headers) if kind == "raw" else HttpxClient(base, headers)

    async def one(i: int, due: float) -> None:
        now = time.perf_counter()
        lateness.append(now - due)
        try:
            status = await asyncio.wait_for(client.post("/v1/check", bodies[i % len(bodies)]), 10)
            elapsed = time.perf_counter() - now
            if status == 200:
                latencies.append(elapsed)
            else:
                errors[str(status)] = errors.get(str(status), 0) + 1
        except (OSError, TimeoutError, asyncio.IncompleteReadError, httpx.HTTPError) as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1

    try:
        # open a few connections without measuring
        await asyncio.gather(*(client.post("/v1/check", bodies[i]) for i in range(8)))
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
    finally:
        await client.close()
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
    parser.add_argument("--config", help="replylint.toml for the server (e.g. with a history store)")
    parser.add_argument(
        "--client", choices=["raw", "httpx"], default="raw", help="load generator's HTTP client"
    )
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    if any(r <= 0 or r > 2000 for r in rates) or not 0 < args.seconds <= 60:
        raise SystemExit("rates must be in (0, 2000] and --seconds in (0, 60]")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    drafts = make_drafts(max(int(max(rates) * args.seconds), 1000))
    bodies = [json.dumps({**draft, "id": f"bench-{i}"}).encode() for i, draft in enumerate(drafts)]
    proc = start_server(port, args.workers, args.auth, args.config)
    results: dict[str, Any] = {
        "workers": args.workers,
        "seconds": args.seconds,
        "auth": args.auth,
        "client": args.client,
        "config": args.config,
        "stages": [],
    }
    try:
        wait_ready(base, proc)
        asyncio.run(stage(base, bodies[:200], 50, 2, args.auth, args.client))  # warm-up, not reported
        for rate in rates:
            cpu, client_cpu = server_cpu_seconds(proc), time.process_time()
            result = asyncio.run(stage(base, bodies, rate, args.seconds, args.auth, args.client))
            result["client_cpu_ms_per_request"] = round(
                (time.process_time() - client_cpu) * 1000 / max(result["requests"], 1), 3
            )
            result["server_cpu_ms_per_request"] = round(
                (server_cpu_seconds(proc) - cpu) * 1000 / max(result["requests"], 1), 3
            )
            result["load_average_1m"] = round(os.getloadavg()[0], 2)
            results["stages"].append(result)
            print(
                f"{rate:6.0f} req/s: p50 {result['p50_ms']} ms  p90 {result['p90_ms']} ms  "
                f"p99 {result['p99_ms']} ms  max {result['max_ms']} ms  "
                f"throughput {result['throughput_rps']} req/s  errors {result['errors']} {result['error_kinds'] or ''} "
                f"(of {result['requests']})  lateness p99 {result['lateness_p99_ms']} ms  "
                f"server CPU {result['server_cpu_ms_per_request']} ms/req  "
                f"load generator CPU {result['client_cpu_ms_per_request']} ms/req  "
                f"load average {result['load_average_1m']}",
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
