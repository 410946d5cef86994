"""PNG charts of a bundle's licence, language and source-category mix (matplotlib, Agg backend).

Charts are drawn from summary figures only, never from document text, and never open a window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHARTS = (
    ("licences", "licence", "Licence mix"),
    ("languages", "language", "Language mix"),
    ("categories", "category", "Source categories"),
)
MAX_BARS = 12


def _bars(rows: list[dict[str, Any]], label: str) -> tuple[list[str], list[int], list[int]]:
    rows = sorted(rows, key=lambda r: (-r["bytes"], str(r[label])))
    if len(rows) > MAX_BARS:
        rest = rows[MAX_BARS - 1 :]
        rows = [
            *rows[: MAX_BARS - 1],
            {
                label: f"{len(rest)} others",
                "bytes": sum(r["bytes"] for r in rest),
                "documents": sum(r["documents"] for r in rest),
            },
        ]
    rows.reverse()  # barh draws bottom-up; the largest goes on top
    return [str(r[label]) for r in rows], [r["bytes"] for r in rows], [r["documents"] for r in rows]


def draw(rows: list[dict[str, Any]], label: str, title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names, sizes, docs = _bars(rows, label)
    total = sum(sizes) or 1
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(names), 2) + 1.4), dpi=100)
    try:
        if names:
            bars = ax.barh(names, [100 * s / total for s in sizes], color="#4C72B0")
            for bar, size, count in zip(bars, sizes, docs, strict=True):
                ax.annotate(
                    f" {100 * size / total:.1f}% · {count} doc{'' if count == 1 else 's'}",
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    va="center",
                    fontsize=8,
                )
            ax.set_xlim(0, 118)
        else:
            ax.text(0.5, 0.5, "no documents", ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
        ax.set_xlabel("share of text bytes (%)")
        ax.set_title(title)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)


def write_charts(figures: dict[str, Any], root: Path) -> dict[str, str]:
    """Draw every chart under root/charts; return {figure key: relative path}."""
    written = {}
    for key, label, title in CHARTS:
        rel = f"charts/{key}.png"
        draw(figures[key], label, title, root / rel)
        written[key] = rel
    return written
