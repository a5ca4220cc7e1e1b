"""`detente ingest` end to end with the real coder: stored once, merged across reports, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.store import Store

REPORTS = {
    "wire.txt": "Published: 2024-01-17\n\nIran launched missile strikes on Pakistan on Tuesday, "
    "Pakistan's foreign ministry said.\n",
    "paper.txt": "Published: 2024-01-17\n\nPakistan said Iranian missiles struck its territory on Tuesday. "
    "Islamabad recalled its ambassador from Tehran.\n",
}


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_ingest_twice_stores_once(news: Path, tmp_path: Path) -> None:
    pytest.importorskip("detente.coding")
    runner = CliRunner()
    db = tmp_path / "news.duckdb"
    first = runner.invoke(app, ["ingest", str(news), "--db", str(db)])
    assert first.exit_code == 0, first.output
    store = Store(db, read_only=True)
    before = store.query(
        "SELECT (SELECT count(*) FROM documents) AS docs, (SELECT count(*) FROM events) AS events,"
        " (SELECT count(*) FROM mentions) AS mentions"
    ).iloc[0]
    assert before["docs"] == 2
    assert before["mentions"] >= before["events"] >= 1
    second = runner.invoke(app, ["ingest", str(news), "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert "0 documents stored (2 already stored)" in second.stdout
    after = store.query(
        "SELECT (SELECT count(*) FROM documents) AS docs, (SELECT count(*) FROM events) AS events,"
        " (SELECT count(*) FROM mentions) AS mentions"
    ).iloc[0]
    assert after.tolist() == before.tolist()
    # Every mention keeps the sentence of the report that told it.
    sentences = store.query("SELECT sentence FROM mentions")["sentence"]
    assert all(isinstance(s, str) and s for s in sentences)
