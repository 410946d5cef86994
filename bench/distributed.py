"""Pages/s with 1, 2 and 4 workers on one Redis frontier, with per-origin politeness checked.

`python -m bench.distributed [--pages N] [--delay S]`: serves the benchmark site, starts a fresh
redis-server on a free loopback port per run, runs N workers of `ccrawl crawl --worker`, and
reports pages/s, plus the smallest gap between two request starts seen per origin (server side,
from the crawl's own provenance times), which must stay at or above the policy's delay.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from bench.crawls import POLICY, Server

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("bench.distributed: redis-server not found (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    return process, f"redis://127.0.0.1:{port}/0"


def gaps_per_origin(out: Path) -> float:
    """Smallest gap between two request starts (`requested_at`) per origin, all workers' logs."""
    starts: dict[str, list[float]] = {}
    for log in out.glob("workers/*/provenance.jsonl"):
        for line in log.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            url = record.get("url", "")
            if "://" not in url or not record.get("requested_at"):
                continue
            origin = url.split("/", 3)[2]
            stamp = datetime.fromisoformat(record["requested_at"].replace("Z", "+00:00"))
            starts.setdefault(origin, []).append(stamp.timestamp())
    smallest = float("inf")
    for times in starts.values():
        times.sort()
        smallest = min([smallest, *(b - a for a, b in itertools.pairwise(times))])
    return smallest


def run(workers: int, pages: int, delay: float, port: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ccrawl-dist-") as temporary:
        directory = Path(temporary)
        redis, url = redis_server(directory)
        policy = yaml.safe_load(POLICY.read_text(encoding="utf-8"))
        policy["seeds"] = [s.replace(":8650", f":{port}") for s in policy["seeds"]]
        policy["politeness"] = {"min_delay": delay, "max_concurrency": 1}
        policy["distributed"] = {"redis_url": url}
        policy["output"] = {"dir": str(directory / "out")}
        path = directory / "policy.yaml"
        path.write_text(yaml.safe_dump(policy), encoding="utf-8")
        started = time.monotonic()
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "crawler.cli",
                    "crawl",
                    str(path),
                    "--quiet",
                    "--worker",
                    f"w{i}",
                    "--max-pages",
                    str(2 * pages),
                    "-s",
                    "CCRAWL_WORKERS=1",
                ],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(workers)
        ]
        for process in processes:
            _, stderr = process.communicate(timeout=3600)
            if process.returncode != 0:
                raise SystemExit(f"bench.distributed: a worker failed:\n{stderr[-2000:]}")
        seconds = time.monotonic() - started
        redis.terminate()
        redis.wait(10)
        out = directory / "out"
        documents = sum(
            1 for f in out.glob("workers/*/dataset.jsonl") for _ in f.open(encoding="utf-8")
        )
        fetched = sum(
            json.loads((w / "stats.json").read_text())["fetched"]
            for w in out.glob("workers/*")
            if (w / "stats.json").exists()
        )
        return {
            "workers": workers,
            "seconds": round(seconds, 1),
            "fetched": fetched,
            "pages_per_second": round(fetched / seconds, 2),
            "documents": documents,
            "min_gap_per_origin": round(gaps_per_origin(out), 3),
            "delay": delay,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.distributed")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args(argv)
    port = free_port()
    server = Server(args.pages, port)
    rows = []
    try:
        for count in (int(n) for n in args.workers.split(",")):
            rows.append(run(count, args.pages, args.delay, port))
            print(json.dumps(rows[-1]), flush=True)
    finally:
        server.close()
    print("| workers | pages | seconds | pages/s | smallest gap per origin (delay) |")
    print("|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['workers']} | {row['fetched']} | {row['seconds']} | "
            f"{row['pages_per_second']} | {row['min_gap_per_origin']} s ({row['delay']} s) |"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "distributed.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
