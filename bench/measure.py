"""Run one crawl as a subprocess and measure it: wall time, CPU of its whole process tree, RSS.

CPU is exact: this process is a child subreaper, so orphaned descendants (the analysis workers,
the forkserver) are reparented here and reaped, and getrusage(RUSAGE_CHILDREN) counts them all.
RSS is sampled every 0.25 s with psutil (the main process's peak is its own high-water mark).
"""

from __future__ import annotations

import contextlib
import ctypes
import resource
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

PR_SET_CHILD_SUBREAPER = 36
SAMPLE_SECONDS = 0.25


def become_subreaper() -> bool:
    """Orphaned descendants of our crawls become our children (Linux), so we reap and count them."""
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


@dataclass
class Run:
    label: str
    returncode: int
    wall_seconds: float
    cpu_seconds: float  # user + system of the whole tree
    cpu_main_seconds: float
    peak_rss_main: int
    peak_rss_tree: int  # the largest sum of RSS over the tree at one sample
    peak_pss_tree: int  # the same with shared pages split between processes
    max_processes: int
    server_cpu_seconds: float
    rss_series: list[tuple[float, int, int]] = field(default_factory=list)  # t, main, tree

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Sampler(threading.Thread):
    def __init__(self, root: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.known: dict[int, psutil.Process] = {root.pid: root}
        self.stop = threading.Event()
        self.peak_main = self.peak_tree = self.peak_pss = self.max_processes = 0
        self.cpu_main = 0.0
        self.series: list[tuple[float, int, int]] = []
        self.started = time.monotonic()

    def run(self) -> None:
        last_series = -1.0
        while not self.stop.is_set():
            tree, pss = self.sample()
            now = time.monotonic() - self.started
            if now - last_series >= 1.0:
                self.series.append((round(now, 1), self.peak_main, tree))
                last_series = now
            self.peak_tree = max(self.peak_tree, tree)
            self.peak_pss = max(self.peak_pss, pss)
            self.stop.wait(SAMPLE_SECONDS)

    def sample(self) -> tuple[int, int]:
        with contextlib.suppress(psutil.Error):
            for child in self.root.children(recursive=True):
                self.known.setdefault(child.pid, child)
        tree = pss = alive = 0
        for pid, process in list(self.known.items()):
            try:
                with process.oneshot():
                    info = process.memory_full_info()
                    if pid == self.root.pid:
                        self.peak_main = max(self.peak_main, main_high_water(pid))
                        times = process.cpu_times()
                        self.cpu_main = times.user + times.system
            except psutil.Error:
                del self.known[pid]
                continue
            tree += info.rss
            pss += getattr(info, "pss", info.rss)
            alive += 1
        self.max_processes = max(self.max_processes, alive)
        return tree, pss


def main_high_water(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def reap_orphans(keep: set[int], timeout: float = 30.0) -> None:
    """Wait for the crawl's leftover descendants (reparented to us); kill them after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        left = [p for p in psutil.Process().children() if p.pid not in keep]
        if not left:
            return
        for process in left:
            wait = max(0.1, deadline - time.monotonic())
            try:
                process.wait(wait)
            except psutil.TimeoutExpired:
                process.kill()  # one of our crawl's own leftovers, by its id
                process.wait(5)
            except psutil.Error:
                pass


def stop_crawl(
    process: subprocess.Popen[bytes], known: dict[int, psutil.Process], keep: set[int]
) -> None:
    """End an interrupted crawl and every process it started (each by its id), then reap them."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for pid, child in list(known.items()):
        if pid not in keep:
            with contextlib.suppress(psutil.Error):
                child.kill()  # psutil checks it is still the same process, not a reused pid
    reap_orphans(keep, timeout=5)


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(label: str, command: list[str], log: Path, server: psutil.Process) -> Run:
    """Run `command` to its end and return what it cost; its output goes to `log`."""
    keep = {server.pid}
    reap_orphans(keep, timeout=5)
    cpu_before = cpu_of_children()
    server_before = sum(server.cpu_times()[:2])
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        sampler = Sampler(psutil.Process(process.pid))
        sampler.start()
        try:
            returncode = process.wait()
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): leave nothing running behind
            sampler.stop.set()
            stop_crawl(process, sampler.known, keep)
            raise
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    reap_orphans(keep)
    return Run(
        label=label,
        returncode=returncode,
        wall_seconds=round(wall, 3),
        cpu_seconds=round(cpu_of_children() - cpu_before, 3),
        cpu_main_seconds=round(sampler.cpu_main, 3),
        peak_rss_main=sampler.peak_main,
        peak_rss_tree=sampler.peak_tree,
        peak_pss_tree=sampler.peak_pss,
        max_processes=sampler.max_processes,
        server_cpu_seconds=round(sum(server.cpu_times()[:2]) - server_before, 3),
        rss_series=sampler.series,
    )
