"""The per-crawl salt that keys hashed PII tokens, kept beside the crawl's output as `pii.salt`.

Created once (32 random bytes, mode 0600) and reused when the crawl resumes, so a value keeps its
token; a new output directory gets a new salt. The salt must never be logged or shipped with the
dataset: with it, a short value (a phone number) can be found again by trying every candidate.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

SALT_FILE = "pii.salt"
SALT_BYTES = 32


def crawl_salt(output_dir: Path) -> bytes:
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / SALT_FILE
    if not path.exists():
        _create(path)
    salt = path.read_bytes()
    if len(salt) != SALT_BYTES:
        raise ValueError(
            f"{path} does not hold a {SALT_BYTES}-byte salt; delete it to start a new mapping "
            "(hashed tokens of earlier runs will then no longer match)"
        )
    return salt


def _create(path: Path) -> None:
    # Written aside, then linked into place: two processes starting at once agree on one salt,
    # and no reader ever sees a half-written file.
    temporary = path.with_name(f".{SALT_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(SALT_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def pii_salt(setting: str | bytes | None, output_dir: Path) -> bytes:
    """The CCRAWL_PII_SALT setting when set, else the crawl's salt file."""
    if setting:
        return setting if isinstance(setting, bytes) else setting.encode("utf-8")
    return crawl_salt(output_dir)
