"""One measured crawl: run it, check it against the server's own counts, and add its figures.

Pages are the HTML pages the server answered during the run (the same number for every crawl
when each fetched the whole site); the crawler's own count is kept next to it as a check.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from bench.analysis import stage_breakdown, timeline_figures
from bench.crawls import Server, command
from bench.machine import busy_seconds
from bench.measure import measure

RULES_REASONS = ("ccrawl/reason/robots-txt", "ccrawl/reason/tdmrep-json")


def crawler_pages(label: str, stats: dict[str, Any]) -> int:
    """HTML pages by the crawler's own count (B's `fetched` also counts rules files)."""
    if not label.startswith("B"):
        return int(stats.get("fetched", 0))
    scrapy = stats.get("stats", {})
    return int(stats.get("fetched", 0)) - sum(int(scrapy.get(k, 0)) for k in RULES_REASONS)


def run_crawl(
    label: str, server: Server, workdir: Path, policy: Path, pages: int, rep: int
) -> dict[str, Any]:
    output = workdir / f"{label}-{rep}"
    argv = command(label[0], output, server.origins, policy, pages)
    served_before = server.counts().get("html", 0)
    busy_before, own_before = busy_seconds(), time.process_time()
    run = measure(label, argv, workdir / f"{label}-{rep}.log", server.psutil)
    foreign = busy_seconds() - busy_before - (time.process_time() - own_before)
    foreign -= run.cpu_seconds + run.server_cpu_seconds
    served = server.counts().get("html", 0) - served_before
    stats_file = output / "stats.json"
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    crawl_seconds = float(stats.get("seconds") or run.wall_seconds)
    record = run.as_dict() | {
        "label": label,
        "command": " ".join(argv),
        "pages": served,
        "crawler_pages": crawler_pages(label, stats),
        "crawl_seconds": crawl_seconds,
        "pages_per_second": served / run.wall_seconds,
        "crawl_pages_per_second": served / max(crawl_seconds, 1e-9),
        "cpu_ms_per_page": 1000 * run.cpu_seconds / max(served, 1),
        "other_load_cores": max(0.0, foreign) / run.wall_seconds,
    }
    if label.startswith("B"):
        record["finish_reason"] = stats.get("finish_reason")
        record["counts"] = stats.get("counts", {})
        record["stages"] = stage_breakdown(stats, run.cpu_seconds, served)
        record["timeline"] = timeline_figures(
            stats.get("timeline", []), int(stats.get("max_in_analysis", 0))
        )
        record["cpu_seconds_main_reported"] = stats.get("cpu_seconds_main")
    problems = []
    if run.returncode != 0:
        problems.append(f"exit code {run.returncode}")
    if served != pages or record["crawler_pages"] != served:
        problems.append(
            f"served {served} of {pages} pages, crawler counted {record['crawler_pages']}"
        )
    record["problems"] = problems
    if not problems and not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(output, ignore_errors=True)
    return record


def progress(record: dict[str, Any]) -> str:
    flag = f"  !! {'; '.join(record['problems'])}" if record["problems"] else ""
    return (
        f"  {record['label']:<6} {record['pages']:>6} pages in {record['wall_seconds']:6.1f} s: "
        f"{record['pages_per_second']:6.1f} pages/s, {record['cpu_ms_per_page']:6.1f} ms CPU/page, "
        f"RSS {record['peak_rss_main'] / 1e6:.0f}/{record['peak_rss_tree'] / 1e6:.0f} MB, "
        f"other load {record['other_load_cores']:.2f}{flag}"
    )
