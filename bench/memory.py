"""Does ccrawl's memory grow with the crawl's length? B on a 1k-page site vs a 10k-page site.

Only the frontier, the dupefilter and the per-URL sets (seen, dedupe fingerprints) should grow:
a few hundred bytes per URL, so the main RSS's growth per extra page is the figure to watch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.crawls import Server, policy_for
from bench.runner import progress, run_crawl

SMALL = 1000


def rss_at_quarters(series: list[tuple[float, int, int]]) -> list[int]:
    """Main RSS high-water mark at 25, 50, 75 and 100% of the run's duration."""
    if not series:
        return []
    end = series[-1][0]
    return [next(main for t, main, _ in series if t >= end * q) for q in (0.25, 0.5, 0.75, 1.0)]


def one_run(port: int, workdir: Path, pages: int, profile: str) -> dict[str, Any]:
    server = Server(pages, port, profile)
    try:
        record = run_crawl("B", server, workdir, policy_for(port, workdir), pages, -pages)
    finally:
        server.close()
    print(progress(record), flush=True)
    return record


def memory_check(
    port: int,
    workdir: Path,
    b_runs: list[dict[str, Any]],
    pages: int,
    big: int,
    profile: str = "article",
) -> dict[str, Any]:
    print(f"Memory check: B on {SMALL} vs {big} pages")
    small = (
        sorted(b_runs, key=lambda r: r["peak_rss_main"])[len(b_runs) // 2]
        if pages == SMALL and b_runs
        else one_run(port, workdir, SMALL, profile)
    )
    large = one_run(port, workdir, big, profile)
    runs = [
        {
            "pages": r["pages"],
            "peak_rss_main": r["peak_rss_main"],
            "peak_rss_tree": r["peak_rss_tree"],
            "pages_per_second": r["pages_per_second"],
            "rss_main_at_quarters": rss_at_quarters(r["rss_series"]),
        }
        for r in (small, large)
    ]
    extra = max(large["pages"] - small["pages"], 1)
    return {
        "runs": runs,
        "growth_bytes_per_page": (large["peak_rss_main"] - small["peak_rss_main"]) / extra,
    }
