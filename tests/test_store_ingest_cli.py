"""`detente ingest` end to end with the real coder: stored once, merged across reports, idempotent."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app, main
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


def test_ingest_dates_undated_text_with_published(tmp_path: Path) -> None:
    pytest.importorskip("detente.coding")
    article = tmp_path / "undated.txt"
    article.write_text("Islamabad recalled its ambassador from Tehran.\n", encoding="utf-8")
    db = tmp_path / "news.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(article), "--published", "2024-01-17", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        rows = store.query("SELECT date, date_basis, source_country, target_country FROM events")
    assert len(rows) == 1
    assert str(rows.iloc[0]["date"])[:10] == "2024-01-17"
    assert rows.iloc[0]["date_basis"] == "publication"
    assert (rows.iloc[0]["source_country"], rows.iloc[0]["target_country"]) == ("PAK", "IRN")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--published", "2024-13-01"], "--published"),
        (["--model", "no_such_spacy_model"], "no_such_spacy_model"),
    ],
)
def test_ingest_bad_options_leave_no_store(
    news: Path,
    tmp_path: Path,
    option: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "never.duckdb"
    monkeypatch.setattr(sys, "argv", ["detente", "ingest", str(news), *option, "--db", str(db)])
    with pytest.raises(SystemExit) as raised:
        main()
    err = capsys.readouterr().err
    assert raised.value.code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith("detente: error: ") and message in lines[-1], err
    assert "Traceback" not in err
    assert not db.exists()
