"""Bad input to the analyses: one clear error each, naming the input."""

from __future__ import annotations

import datetime as dt
import gzip
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from detente.analysis import dyad_index, find_turnarounds, isolation, realign
from detente.analysis._db import check_country, create_schema
from detente.errors import InputError, StoreError
from detente.importers.dyad_series import import_series
from test_analysis_synthetic import D0, background, make_store


@pytest.fixture()
def store() -> duckdb.DuckDBPyConnection:
    return make_store(background("IRN", "PAK", D0, 60) + background("PAK", "USA", D0, 60))


def test_unknown_country_suggests_the_closest() -> None:
    with pytest.raises(InputError, match=r"'IRAN'.*IRN"):
        check_country("IRAN")
    with pytest.raises(InputError, match="XQZ"):
        check_country("XQZ")
    assert check_country("pak") == "PAK"
    with pytest.raises(InputError, match="PAK"):
        check_country("Pakistan")


def test_unknown_country_in_an_analysis(store: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(InputError, match="IRN"):
        dyad_index(store, "IRAN", "PAK")
    with pytest.raises(InputError, match="did you mean"):
        realign(store, "PAKI", "IRN", "USA")


def test_empty_store() -> None:
    empty = duckdb.connect()
    create_schema(empty)
    with pytest.raises(StoreError, match="holds no events"):
        find_turnarounds(empty)
    with pytest.raises(StoreError, match="dyad-day series"):
        find_turnarounds(empty, source="dyad-series")


def test_not_a_store() -> None:
    with pytest.raises(StoreError, match="not a detente store"):
        find_turnarounds(duckdb.connect())


def test_dyad_without_events(store: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(StoreError, match="no events between IND and PAK"):
        dyad_index(store, "IND", "PAK")
    with pytest.raises(StoreError, match="no events between PAK and IND"):
        realign(store, "PAK", "IND", "USA")
    with pytest.raises(StoreError, match="no events involving CHN"):
        isolation(store, "CHN")


def test_dates_out_of_range(store: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(InputError, match="dates out of range"):
        dyad_index(store, "IRN", "PAK", start=dt.date(1990, 1, 1), end=dt.date(1990, 2, 1))
    with pytest.raises(InputError, match="after"):
        find_turnarounds(store, start=dt.date(2024, 3, 1), end=dt.date(2024, 2, 1))


def test_bad_parameters(store: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(InputError, match="freq"):
        dyad_index(store, "IRN", "PAK", freq="Q")
    with pytest.raises(InputError, match=r"same|two different"):
        dyad_index(store, "IRN", "IRN")
    with pytest.raises(InputError, match="milestone"):
        find_turnarounds(store, source="dyad-series", rule="milestone")


def test_bad_series_files(tmp_path: Path) -> None:
    connection = duckdb.connect()
    with pytest.raises(InputError, match="no such file"):
        import_series([tmp_path / "missing.csv.gz"], connection)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("day,a,b,value\n2024-01-01,IRN,PAK,1\n")
    with pytest.raises(InputError, match="expected the columns"):
        import_series([wrong], connection)
    garbage = tmp_path / "garbage.csv"
    garbage.write_text("date,country_a,country_b,weight\nyesterday,Iran,P,lots\n")
    with pytest.raises(InputError, match="none of its 1 rows"):
        import_series([garbage], connection)
    assert connection.execute("SELECT count(*) FROM dyad_days").fetchone()[0] == 0  # type: ignore[index]
    mixed = tmp_path / "mixed.csv.gz"
    with gzip.open(mixed, "wt") as handle:
        handle.write("date,country_a,country_b,weight\n2024-01-01,PAK,IRN,-5\n2024-13-01,IRN,PAK,1\n")
    report = import_series([mixed], connection)
    assert (report.rows_read, report.rows_stored, report.rows_rejected) == (2, 1, 1)
    # Stored undirected, alphabetical.
    assert connection.execute("SELECT country_a, country_b FROM dyad_days").fetchall() == [("IRN", "PAK")]


def test_cli_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    connection = duckdb.connect(str(db))
    create_schema(connection)
    connection.close()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from detente.cli import main; main()",
            "index",
            "--db",
            str(db),
            "--dyad",
            "IRAN",
            "PAK",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "IRN" in lines[0] and "Traceback" not in result.stderr
