"""The analysis commands end to end on a synthetic store file: tables, JSON/CSV, charts."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from detente.cli import app
from test_analysis_synthetic import D0, background, crisis, make_store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = background("IRN", "PAK", D0, 400, every=3) + background("PAK", "USA", D0, 400, every=20)
    rows += background("IND", "PAK", D0, 400, every=5) + background("IND", "USA", D0, 400, every=4)
    rows += crisis("IRN", "PAK", D0 + dt.timedelta(days=100), [3, 3, 5], repair_day=6)
    rows += crisis("IND", "PAK", D0 + dt.timedelta(days=200), [4, 4, 4, 6], repair_day=15)
    shift = D0 + dt.timedelta(days=260)
    rows += [(shift + dt.timedelta(days=d), "PAK", "IRN", "161") for d in range(0, 60, 4)]
    rows += [(shift + dt.timedelta(days=d), "PAK", "USA", "057") for d in range(0, 120, 3)]
    memory = make_store(rows)
    path = tmp_path_factory.mktemp("cli") / "store.duckdb"
    memory.execute(f"ATTACH '{path}' AS disk")
    memory.execute("COPY FROM DATABASE memory TO disk")
    memory.execute("DETACH disk")
    return path


def assert_offline(html: str) -> None:
    """plotly.js is inline (its bundle mentions cdn.plot.ly internally, but no script loads from there)."""
    assert re.search(r"<script[^>]*\bsrc=", html) is None
    assert "plotly.js v" in html


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_turnarounds_ranks_and_locates(db: Path, tmp_path: Path) -> None:
    out = invoke(
        "turnarounds",
        "--db",
        str(db),
        "--dyad",
        "IRN",
        "PAK",
        "--json",
        str(tmp_path / "t.json"),
        "--csv",
        str(tmp_path / "t.csv"),
        "--chart",
        str(tmp_path / "board"),
    )
    assert "IRN-PAK" in out and "rank 1 of 2" in out
    payload = json.loads((tmp_path / "t.json").read_text())
    ranked = payload["ranked"]
    assert [e["dyad"] for e in ranked] == ["IRN-PAK", "IND-PAK"]
    assert ranked[0]["days_to_milestone"] < ranked[1]["days_to_milestone"]
    assert len(pd.read_csv(tmp_path / "t.csv")) == len(ranked) + len(payload["open"])
    assert_offline((tmp_path / "board.html").read_text())
    assert (tmp_path / "board.png").stat().st_size > 1000


def test_index_realign_isolation_network(db: Path, tmp_path: Path) -> None:
    out = invoke(
        "index",
        "--db",
        str(db),
        "--dyad",
        "IRN",
        "PAK",
        "--freq",
        "M",
        "--csv",
        str(tmp_path / "i.csv"),
        "--chart",
        str(tmp_path / "index"),
    )
    assert "IRN–PAK" in out
    frame = pd.read_csv(tmp_path / "i.csv")
    assert {"state", "goldstein_sum", "n_q4", "band"} <= set(frame.columns)
    html = (tmp_path / "index.html").read_text()
    assert_offline(html)
    assert "IRN employ aerial weapons PAK" in html  # the markers' hover carries the evidence sentence
    out = invoke(
        "realign",
        "PAK",
        "--db",
        str(db),
        "--away-from",
        "IRN",
        "--toward",
        "USA",
        "--json",
        str(tmp_path / "r.json"),
        "--chart",
        str(tmp_path / "realign"),
    )
    assert "moved away from IRN toward USA" in out
    assert json.loads((tmp_path / "r.json").read_text())["results"][0]["found"] is True
    out = invoke("isolation", "PAK", "--db", str(db), "--json", str(tmp_path / "iso.json"))
    assert "isolation trend" in out
    out = invoke(
        "network", "--db", str(db), "--json", str(tmp_path / "n.json"), "--chart", str(tmp_path / "net")
    )
    assert "triads" in out
    assert json.loads((tmp_path / "n.json").read_text())["nodes"] == 4


def test_report_is_self_contained(db: Path, tmp_path: Path) -> None:
    out = invoke("report", "--db", str(db), "--dyad", "PAK", "IRN", "--out", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text()
    assert "wrote" in out
    assert_offline(html)
    assert "Turnarounds of this dyad" in html
    assert "Employ aerial weapons" in html  # the strongest events are listed with their CAMEO label


def test_store_missing_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["turnarounds", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code != 0
    assert "no event store" in str(result.exception)
