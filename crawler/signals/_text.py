"""Turn whatever a caller hands over (str, bytes, None, header lists) into text that encodes
cleanly, so that no parser raises on odd input: bytes are decoded with replacement and lone
surrogates replaced, never passed on to fail in a later encode().
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def as_text(value: Any) -> str:
    """Any value as a str that encodes to UTF-8 without error."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        text = bytes(value).decode("utf-8", "replace")
    elif isinstance(value, str):
        text = value
    else:
        text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def header_values(headers: Any, name: str) -> list[str]:
    """Every value of header `name` (case-insensitive) in a mapping, Scrapy Headers included.

    A value may be a str, bytes, or a list of them (Scrapy keeps lists of bytes).
    """
    wanted = name.strip().lower()
    out: list[str] = []
    if not isinstance(headers, Mapping) and not hasattr(headers, "items"):
        return out
    try:
        items = list(headers.items())
    except Exception:  # a broken mapping is no headers at all
        return out
    for key, value in items:
        if as_text(key).strip().lower() != wanted:
            continue
        if isinstance(value, list | tuple):
            out.extend(as_text(v) for v in value)
        else:
            out.append(as_text(value))
    return out
