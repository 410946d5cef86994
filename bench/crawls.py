"""The benchmark's processes: the site server, its load test, and the three crawl commands.

A, B and C crawl the same site with the same concurrency: (A) plain Scrapy + trafilatura to JSONL,
(B) `ccrawl crawl bench/policies/bench.yaml`, (C) plain Scrapy downloading only.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import psutil
import yaml

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
POLICY = BENCH_DIR / "policies" / "bench.yaml"
HOSTS = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]
CONCURRENCY = 16
PER_ORIGIN = 4
LABELS = {
    "A": "plain Scrapy + trafilatura -> JSONL",
    "B": "ccrawl crawl bench.yaml",
    "C": "plain Scrapy, download only",
}


class Server:
    """`python -m bench.server` in its own process, up until `close()`."""

    def __init__(self, pages: int, port: int, profile: str = "article") -> None:
        self.port = port
        command = [sys.executable, "-m", "bench.server", "--pages", str(pages), "--port", str(port)]
        command += ["--profile", profile]
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self.info: dict[str, Any] = json.loads(line) if line else {"error": "server died"}
        if "error" in self.info:
            self.close()
            raise SystemExit(f"bench: the site server could not start: {self.info['error']}")
        self.psutil = psutil.Process(self.process.pid)
        self.origins: list[str] = self.info["origins"]

    def counts(self) -> dict[str, int]:
        with urllib.request.urlopen(f"{self.origins[0]}__bench/stats", timeout=10) as answer:
            counts: dict[str, int] = json.loads(answer.read())
        return counts

    def load_test(self, seconds: float) -> dict[str, Any]:
        """Pages/s the server sustains on loopback, and the CPU it spends per page."""
        before, cpu = self.counts().get("html", 0), sum(self.psutil.cpu_times()[:2])
        command = [sys.executable, "-m", "bench.loadtest", "--connections", str(CONCURRENCY)]
        command += ["--seconds", str(seconds), self.origins[0]]
        result: dict[str, Any] = json.loads(subprocess.check_output(command, cwd=REPO_ROOT))
        served = self.counts().get("html", 0) - before
        server_cpu = sum(self.psutil.cpu_times()[:2]) - cpu
        result["server_cpu_ms_per_page"] = round(1000 * server_cpu / max(served, 1), 3)
        result["pages_per_server_cpu_second"] = round(served / max(server_cpu, 1e-9))
        return result

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # our own server, by its id
            self.process.wait(10)


def policy_for(port: int, workdir: Path, ner_model: str = "") -> Path:
    """bench.yaml itself, or a copy on another port or with a NER model."""
    if port == 8650 and not ner_model:
        return POLICY
    policy = yaml.safe_load(POLICY.read_text(encoding="utf-8"))
    policy["seeds"] = [f"http://{host}:{port}/" for host in HOSTS]
    if ner_model:
        policy["name"] = "bench-ner"
        policy["pii"] = {"ner_model": ner_model}
    path = workdir / f"{policy['name']}-{port}.yaml"
    path.write_text(yaml.safe_dump(policy, sort_keys=False), encoding="utf-8")
    return path


def command(label: str, output: Path, origins: list[str], policy: Path, pages: int) -> list[str]:
    if label == "B":
        ccrawl = Path(sys.executable).parent / "ccrawl"
        start = [str(ccrawl)] if ccrawl.exists() else [sys.executable, "-m", "crawler.cli"]
        return [
            *start,
            "crawl",
            str(policy),
            "--output",
            str(output),
            "--quiet",
            "--max-pages",  # above the site's size: the budget never cuts the crawl short
            str(2 * pages),
            "-s",
            f"CONCURRENT_REQUESTS={CONCURRENCY}",
        ]
    mode = "extract" if label == "A" else "download"
    return [
        sys.executable,
        "-m",
        "bench.spiders",
        mode,
        "--output",
        str(output),
        "--concurrency",
        str(CONCURRENCY),
        "--per-origin",
        str(PER_ORIGIN),
        *origins,
    ]
