"""Figures drawn from the runs: medians per crawl, B's CPU per stage, its fetch-rate timeline.

Stage CPU comes from B's stats.json (`ccrawl/cpu/<stage>`, measured where the stage runs: the
analysis workers or the reactor); what the stages do not cover is shown as the reactor's other
work and as pool overhead, so the rows add up to the CPU of the whole process tree.
"""

from __future__ import annotations

import itertools
import statistics
from typing import Any

WORKER_STAGES = ["optouts", "extract", "language", "licence", "secrets", "pii"]
REACTOR_STAGES = ["robots", "dedupe", "decide", "write"]
WARMUP_SECONDS = 2.0
RATE_WINDOW = 5.0


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over repetitions of one crawl."""
    keys = [
        "pages",
        "wall_seconds",
        "crawl_seconds",
        "pages_per_second",
        "crawl_pages_per_second",
        "cpu_seconds",
        "cpu_ms_per_page",
        "peak_rss_main",
        "peak_rss_tree",
        "peak_pss_tree",
        "server_cpu_seconds",
        "other_load_cores",
    ]
    return {k: round(median([r[k] for r in runs]), 3) for k in keys} | {"runs": len(runs)}


def stage_breakdown(stats: dict[str, Any], tree_cpu: float, pages: int) -> dict[str, float]:
    """CPU milliseconds per page of each stage, plus the remainder of the reactor and the tree."""
    scrapy = stats.get("stats", {})
    cpu = {k.removeprefix("ccrawl/cpu/"): float(v) for k, v in scrapy.items() if "/cpu/" in k}
    rows: dict[str, float] = {}
    for stage in WORKER_STAGES + REACTOR_STAGES:
        if stage in cpu:
            rows[stage] = cpu.pop(stage)
    rows.update(cpu)  # any stage added later
    main = float(stats.get("cpu_seconds_main", 0.0))
    in_reactor = sum(rows.get(s, 0.0) for s in REACTOR_STAGES)
    in_workers = sum(v for k, v in rows.items() if k not in REACTOR_STAGES)
    rows["reactor: download, links, scheduling, provenance (rest)"] = main - in_reactor
    rows["pool overhead: IPC, pickling, start-up (rest)"] = tree_cpu - main - in_workers
    return {k: round(1000 * v / max(pages, 1), 2) for k, v in rows.items()}


def timeline_figures(timeline: list[dict[str, float]], max_in_analysis: int) -> dict[str, Any]:
    """Fetch rate over 5 s windows (shorter for a short crawl) from warm-up to the last fetch,
    its longest pause, and how many pages waited for analysis (the backpressure bound)."""
    if len(timeline) < 3:
        return {"samples": len(timeline)}
    final = timeline[-1]["fetched"]
    first = next((p["t"] for p in timeline if p["fetched"] > 0), 0.0)
    done = next((p["t"] for p in timeline if p["fetched"] >= final), timeline[-1]["t"])
    window = [p for p in timeline if first + WARMUP_SECONDS <= p["t"] <= done]
    rates = []
    span = min(RATE_WINDOW, window[-1]["t"] - window[0]["t"]) if window else 0.0
    for i, start in enumerate(window if span > 0 else []):
        end = next((p for p in window[i + 1 :] if p["t"] >= start["t"] + span), None)
        if end is not None:
            rates.append((end["fetched"] - start["fetched"]) / (end["t"] - start["t"]))
    gap, since = 0.0, None  # the longest run of samples with no new fetch
    for before, after in itertools.pairwise(p for p in timeline if first <= p["t"] <= done):
        if after["fetched"] == before["fetched"]:
            since = before["t"] if since is None else since
            gap = max(gap, after["t"] - since)
        else:
            since = None
    waiting = [p["in_analysis"] for p in window]
    return {
        "window_seconds": round(done - first - WARMUP_SECONDS, 1),
        "fetch_rate_min": round(min(rates), 1) if rates else None,
        "fetch_rate_median": round(median(rates), 1) if rates else None,
        "fetch_rate_max": round(max(rates), 1) if rates else None,
        "longest_fetch_pause": round(gap, 1),
        "median_in_analysis": median(waiting),
        "max_in_analysis": max_in_analysis,
        "drain_seconds": round(timeline[-1]["t"] - done, 1),
    }
