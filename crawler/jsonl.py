"""Append-only JSON-lines files that survive a crash: one record per line, flushed per record.

Several processes (a crawl and a reviewer) may append to one file: each append holds an exclusive
flock. A torn last line (a crash mid-write) is never dropped silently: it is moved aside to a
`.torn` file and reported to the caller, who records the repair.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def canonical_json(obj: Any) -> str:
    """The byte-stable form hashed by the provenance chain: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class TornTail:
    path: str
    saved_to: str
    length: int
    sha256: str


def _last_line_start(handle: Any, end: int) -> int:
    """Offset where the last line (the one ending at `end`) begins."""
    pos = end
    chunk = 8192
    while pos > 0:
        step = min(chunk, pos)
        handle.seek(pos - step)
        data = handle.read(step)
        index = data.rfind(b"\n", 0, len(data) - (1 if pos == end else 0))
        if index != -1:
            return pos - step + index + 1
        pos -= step
    return 0


class JsonlAppender:
    def __init__(self, path: Path | str, mode: int = 0o600) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, mode)
        self._file = os.fdopen(fd, "r+b", buffering=0)
        self.torn: TornTail | None = None
        with self._locked():
            self.torn = self._repair_tail()

    def _locked(self) -> _Lock:
        return _Lock(self._file.fileno())

    def _repair_tail(self) -> TornTail | None:
        end = os.fstat(self._file.fileno()).st_size
        if end == 0:
            return None
        self._file.seek(end - 1)
        ends_with_newline = self._file.read(1) == b"\n"
        start = _last_line_start(self._file, end)
        self._file.seek(start)
        tail = self._file.read(end - start)
        if ends_with_newline:
            try:
                json.loads(tail)
                return None
            except ValueError:
                pass
        torn_path = self.path.with_name(self.path.name + ".torn")
        with open(torn_path, "ab") as saved:
            saved.write(tail + b"\n")
        self._file.truncate(start)
        os.fsync(self._file.fileno())
        return TornTail(
            path=str(self.path),
            saved_to=str(torn_path),
            length=len(tail),
            sha256=hashlib.sha256(tail).hexdigest(),
        )

    def last_record(self) -> dict[str, Any] | None:
        end = os.fstat(self._file.fileno()).st_size
        if end == 0:
            return None
        start = _last_line_start(self._file, end)
        self._file.seek(start)
        record: dict[str, Any] = json.loads(self._file.read(end - start))
        return record

    def append(self, record: dict[str, Any]) -> None:
        line = (canonical_json(record) + "\n").encode("utf-8")
        with self._locked():
            self._file.write(line)

    def append_with(
        self, build: Callable[[dict[str, Any] | None], dict[str, Any]]
    ) -> dict[str, Any]:
        """Append build(last_record) atomically with respect to other appenders."""
        with self._locked():
            record = build(self.last_record())
            self._file.write((canonical_json(record) + "\n").encode("utf-8"))
        return record

    def sync(self) -> None:
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if not self._file.closed:
            self.sync()
            self._file.close()


class _Lock:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __enter__(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)


MAX_DEPTH = 100  # far above any record we write, far below Python's recursion limit
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKET = re.compile(r"[][{}]")


class JsonShapeError(ValueError):
    """Valid JSON a verifier must still refuse: duplicate keys or nesting too deep."""


def _deeper_than(text: str, limit: int) -> bool:
    if text.count("[") + text.count("{") <= limit:  # the common case, without a scan
        return False
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            # json.loads keeps the last value; another reader may keep the first
            raise JsonShapeError(f"duplicate key {key!r}")
        record[key] = value
    return record


def strict_loads(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads that refuses duplicate keys and nesting deeper than max_depth (ValueError)."""
    if _deeper_than(text, max_depth):
        raise JsonShapeError(f"nested deeper than {max_depth} levels")
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise JsonShapeError(f"nested deeper than {max_depth} levels") from None


def line_problem(text: str) -> str:
    """Why read_jsonl gave None for this line, in words for a problem report."""
    try:
        value = strict_loads(text)
    except JsonShapeError as exc:
        return str(exc)
    except ValueError:
        return "not valid JSON"
    return "a JSON object" if isinstance(value, dict) else "not a JSON object"


def read_jsonl(path: Path | str) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, parsed record or None if unparseable, raw line) for each line.

    Lines with duplicate keys or deep nesting count as unparseable (see strict_loads)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.decode("utf-8", errors="replace").rstrip("\n")
            try:
                value = strict_loads(text)
            except ValueError:
                yield number, None, text
                continue
            yield number, value if isinstance(value, dict) else None, text
