"""The README stays in step with the code: the reason-code table and the two commands."""

from __future__ import annotations

from crawler.reasons import markdown_table
from tests.helpers import REPO


def test_readme_reason_table_matches_the_code() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- reasons:start -->") + len("<!-- reasons:start -->")
    end = text.index("<!-- reasons:end -->")
    assert text[start:end].strip() == markdown_table()


def test_readme_starts_with_the_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert "ccrawl demo" in block[0] and "pytest" in block[1]
