"""Data shards on disk: HF-style names, JSONL written verbatim, Parquet that decodes back exactly.

A Parquet row must decode to the very record it was written from (`document_digest` is checked
against it), so columns that are not one plain scalar type are stored as canonical JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.jsonl import canonical_json, read_jsonl

FORMATS = ("jsonl", "parquet")
DEFAULT_SHARD_DOCS = 50_000
JSON_COLUMNS_KEY = b"ccrawl.json_columns"
ABSENT_COLUMN = "ccrawl_absent"  # only present when records do not all have the same keys
INT64 = (-(2**63), 2**63 - 1)
ROW_GROUP = 1000


def shard_name(index: int, total: int, fmt: str) -> str:
    return f"data/train-{index:05d}-of-{total:05d}.{fmt}"


@dataclass
class Layout:
    """Parquet columns in first-seen order, which of them hold JSON text, and if keys vary."""

    columns: list[str] = field(default_factory=list)
    kinds: dict[str, set[type]] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    records: int = 0

    def add(self, record: dict[str, Any]) -> None:
        self.records += 1
        for key, value in record.items():
            if key not in self.kinds:
                self.columns.append(key)
                self.kinds[key] = set()
                self.seen[key] = 0
            self.seen[key] += 1
            if value is not None:
                kind = type(value)
                if kind is int and not INT64[0] <= value <= INT64[1]:
                    kind = dict  # too large for int64: keep it exact as JSON text
                self.kinds[key].add(kind)

    @property
    def json_columns(self) -> list[str]:
        plain: tuple[set[type], ...] = ({str}, {int}, {float}, {bool}, set())
        return [c for c in self.columns if self.kinds[c] not in plain]

    @property
    def keys_vary(self) -> bool:
        return any(n != self.records for n in self.seen.values())

    def schema(self) -> Any:
        import pyarrow as pa

        types: dict[type, pa.DataType] = {
            str: pa.string(),
            int: pa.int64(),
            float: pa.float64(),
            bool: pa.bool_(),
        }
        json_cols = set(self.json_columns)
        fields = []
        for column in self.columns:
            kinds = self.kinds[column]
            kind = next(iter(kinds)) if len(kinds) == 1 and column not in json_cols else str
            fields.append(pa.field(column, types[kind]))
        if self.keys_vary:
            fields.append(pa.field(ABSENT_COLUMN, pa.string()))
        metadata: dict[bytes | str, bytes | str] = {
            JSON_COLUMNS_KEY: json.dumps(self.json_columns).encode()
        }
        return pa.schema(fields, metadata=metadata)


def write_parquet(path: Path, records: Iterable[dict[str, Any]], layout: Layout) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    json_cols = set(layout.json_columns)
    schema = layout.schema()

    def row(record: dict[str, Any]) -> dict[str, Any]:
        out = {
            c: canonical_json(record[c]) if c in json_cols and c in record else record.get(c)
            for c in layout.columns
        }
        if layout.keys_vary:
            absent = [c for c in layout.columns if c not in record]
            out[ABSENT_COLUMN] = canonical_json(absent) if absent else None
        return out

    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(row(record))
            if len(batch) == ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def read_parquet(path: Path) -> Iterator[dict[str, Any]]:
    """Each row decoded back to the record it was written from."""
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    metadata = handle.schema_arrow.metadata or {}
    json_cols = set(json.loads(metadata.get(JSON_COLUMNS_KEY, b"[]")))
    for batch in handle.iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            absent = row.pop(ABSENT_COLUMN, None)
            for key in json.loads(absent) if absent else []:
                row.pop(key, None)
            for key in json_cols & row.keys():
                if row[key] is not None:
                    row[key] = json.loads(row[key])
            yield row


def read_shard(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line or row number from 1, record or None when unreadable) for one data file."""
    if path.suffix == ".parquet":
        yield from enumerate(read_parquet(path), start=1)
        return
    for number, record, _raw in read_jsonl(path):
        yield number, record
