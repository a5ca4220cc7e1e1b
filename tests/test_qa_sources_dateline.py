"""A plain-text article that opens with a news dateline is dated by it (found when `detente check` placed an
undated article at today's date)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.sources import read_paths
from detente.sources.text import dateline_date


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("ISLAMABAD, 25 January 2024 — Pakistan and Iran agreed", dt.date(2024, 1, 25)),
        ("Washington, Jan. 5, 2024 (Reuters) - The United States", dt.date(2024, 1, 5)),
        ("Tehran, Monday 3 January 2016. Iran's government", dt.date(2016, 1, 3)),
        ("KYIV, March 3, 2022\nRussian forces", dt.date(2022, 3, 3)),
        ("Bandar Abbas, 5 Sept 2024: the port", dt.date(2024, 9, 5)),
    ],
)
def test_datelines(opening: str, expected: dt.date) -> None:
    assert dateline_date(opening) == expected


@pytest.mark.parametrize(
    "opening",
    [
        "On 16 January 2024, Iran struck targets in Pakistan.",  # an event's date, not the report's
        "16 January 2024, the day Iran struck, is remembered.",
        "Pakistan said on 25 January 2024 - that ambassadors would return.",  # not at the start
        "ISLAMABAD, 31 February 2024 — no such day",
        "ISLAMABAD, 25 January — no year: no guess",
        "Iran fired missiles into Pakistan.",
    ],
)
def test_not_datelines(opening: str) -> None:
    assert dateline_date(opening) is None


def test_text_file_dated_by_its_dateline_and_header_wins(tmp_path: Path) -> None:
    body = "Islamabad, 25 January 2024. Pakistan and Iran agreed to return their ambassadors on Monday.\n"
    (tmp_path / "dateline.txt").write_text(body, encoding="utf-8")
    (tmp_path / "header.txt").write_text("Published: 2024-01-26\n\n" + body, encoding="utf-8")
    (tmp_path / "titled.txt").write_text("Ambassadors to return\n\n" + body, encoding="utf-8")
    docs = {doc.doc_id: doc for doc in read_paths([tmp_path], published=dt.date(2000, 1, 1))}
    assert docs["dateline"].published == dt.date(2024, 1, 25)
    assert docs["header"].published == dt.date(2024, 1, 26)
    assert docs["titled"].published == dt.date(2024, 1, 25)
    assert docs["titled"].title == "Ambassadors to return"
    assert docs["dateline"].text.startswith("Islamabad, 25 January 2024.")  # the text is left whole
