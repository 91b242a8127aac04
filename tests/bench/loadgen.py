"""Load generators for the bench: wrk when it is installed, else a Python one.

Both send one request over and over from `connections` concurrent clients for `seconds`,
and report requests per second and latency percentiles. Any answer other than 2xx or 3xx
counts as an error. wrk is the one the targets were set with; the Python generator is a
fallback that loads the same two cores the servers run on, so it is slower and its
ratios to hello come out closer to 1 than wrk's.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRK_SCRIPT = HERE / "wrk_report.lua"


@dataclass
class Result:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def generator_name() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def measure(host: str, port: int, method: str, path: str, body: bytes | None, headers: dict,
            connections: int, seconds: float) -> Result:
    """Load one request for `seconds` with `connections` concurrent clients."""
    if shutil.which("wrk"):
        return _wrk(host, port, method, path, body, headers, connections, seconds)
    return _python(host, port, method, path, body, headers, connections, seconds)


def _wrk(host, port, method, path, body, headers, connections, seconds) -> Result:
    env = dict(os.environ)
    env["BENCH_METHOD"] = method
    env["BENCH_BODY"] = body.decode() if body else ""
    env["BENCH_HEADERS"] = "\n".join(f"{k}: {v}" for k, v in headers.items())
    threads = max(1, min(2, connections))
    completed = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
         "-s", str(WRK_SCRIPT), f"http://{host}:{port}{path}"],
        env=env, capture_output=True, text=True, check=True,
    )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH_RESULT "))
    data = json.loads(line.split(" ", 1)[1])
    errors = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return Result(data["requests"], data["duration_us"] / 1e6, errors,
                  data["p50_us"] / 1000, data["p95_us"] / 1000, data["p99_us"] / 1000)


def _client(args) -> tuple[list[float], int]:
    host, port, method, path, body, headers, threads, seconds = args
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop():
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=5)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status >= 400:
                    failed += 1
            except OSError:
                failed += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, errors[0]


def _percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, int(share * len(sorted_values)))
    return sorted_values[index]


def _python(host, port, method, path, body, headers, connections, seconds) -> Result:
    processes = 2
    per_process = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    started = time.perf_counter()
    with ProcessPoolExecutor(processes) as pool:
        parts = list(pool.map(_client, [(host, port, method, path, body, headers, n, seconds)
                                        for n in per_process if n]))
    elapsed = time.perf_counter() - started
    latencies = sorted(t for part, _ in parts for t in part)
    errors = sum(e for _, e in parts)
    return Result(len(latencies), min(elapsed, seconds) or elapsed, errors,
                  _percentile(latencies, 0.50) * 1000, _percentile(latencies, 0.95) * 1000,
                  _percentile(latencies, 0.99) * 1000)
