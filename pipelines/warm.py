"""Loaded by the analysis pool's fork server before it forks the workers: the libraries every
step uses and the default PII engine are then built once and shared by all workers (copy on
write) instead of once per worker. A failure here only costs that sharing.
"""

from __future__ import annotations

from langdetect import detector_factory

from pipelines import analysis  # noqa: F401  (imports every step's libraries)
from pipelines.pii.step import analyzer

detector_factory.init_factory()
analyzer("", ())
