"""Reading the real example articles of ../shared/examples as a folder: every format in one batch."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.sources import ReadReport, read_paths

pytestmark = pytest.mark.shared


def test_examples_folder_reads_jsonl_and_text_and_reports_the_rest(shared_dir: Path) -> None:
    folder = shared_dir / "examples"
    report = ReadReport()
    docs = list(read_paths([folder], on_error=report))
    by_id = {doc.doc_id: doc for doc in docs}
    # The JSONL carries the publication dates its README gives; the .txt copies carry none.
    assert by_id["pakistan-iran-turnaround-2024"].published == dt.date(2024, 1, 24)
    assert by_id["pakistan-iran-us-realignment-2025"].published == dt.date(2025, 6, 21)
    assert by_id["pakistan-iran-turnaround-2024~2"].published is None
    assert by_id["pakistan-iran-turnaround-2024~2"].title == by_id["pakistan-iran-turnaround-2024"].title
    assert len(docs) == 4 and all(len(doc.text.split()) > 300 for doc in docs)
    skipped = [problem.input for problem in report.problems if problem.skipped]
    assert skipped == [str(folder / "README.md")]
