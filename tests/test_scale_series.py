"""Out-of-core dyad-day series from a `detente export` Parquet folder, loadable by `import dyad-series`."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from detente import cameo
from detente.cli import app
from detente.errors import InputError
from detente.importers.dyad_series import import_series
from detente.record import Event
from detente.scale import dyad_series, write_series
from detente.store import Store

COUNTRIES = ("IRN", "PAK", "USA", "CHN", "IGO")  # IGO: an international body, never in a country-pair series


def _event(number: int, rng: random.Random) -> Event:
    source, target = rng.choice(COUNTRIES), rng.choice(COUNTRIES)
    entry = cameo.lookup(rng.choice(["042", "057", "111", "173", "190", "036"]))
    day = dt.date(2023, 12, 25) + dt.timedelta(days=rng.randrange(20))
    dated = number % 17 != 0  # some events have no date
    return Event(
        event_id=f"e{number}",
        doc_id=f"d{number}",
        date=day.isoformat() if dated else None,
        date_precision="day" if dated else None,
        date_basis="stated" if dated else None,
        source_country=source,
        source_sector="",
        source_text=source,
        target_country=target,
        target_sector="",
        target_text=target,
        cameo=entry.code,
        cameo_root=entry.root,
        cameo_label=entry.label,
        plover=entry.plover,
        goldstein=entry.goldstein,
        quad_class=entry.quad_class,
        modality="asserted",
        sentence=f"Sentence {number}.",
        char_start=0,
        char_end=12,
        rule="test",
        confidence=1.0,
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("scale-series")
    db = folder / "events.duckdb"
    rng = random.Random(7)
    store = Store(db)
    store.add_events([_event(n, rng) for n in range(600)], dataset="gdelt2", dedup=False)
    store.add_events([_event(n, rng) for n in range(600, 700)], dataset="icews", dedup=False)
    store.close()
    out = folder / "export"
    result = CliRunner().invoke(app, ["export", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db, out


def _expected(db: Path, dataset: str | None = None) -> pd.DataFrame:
    store = Store(db, read_only=True)
    where = "AND dataset = ?" if dataset else ""
    frame = store.query(
        "SELECT date, least(source_country, target_country) AS country_a,"
        " greatest(source_country, target_country) AS country_b, round(sum(goldstein), 6) AS weight,"
        " count(*) AS events FROM events WHERE date IS NOT NULL AND source_country <> target_country"
        f" AND 'IGO' NOT IN (source_country, target_country) {where} GROUP BY ALL ORDER BY ALL",
        [dataset] if dataset else [],
    )
    store.close()
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame


@pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
def test_series_equals_the_stores_own_aggregate(exported: tuple[Path, Path], scheduler: str) -> None:
    db, folder = exported
    series = dyad_series(folder, scheduler=scheduler, workers=2)
    expected = _expected(db)
    assert len(series) == len(expected) > 50
    assert (series["country_a"] < series["country_b"]).all()
    assert "IGO" not in set(series["country_a"]) | set(series["country_b"])
    pd.testing.assert_frame_equal(series, expected, check_dtype=False)


def test_dataset_and_date_filters(exported: tuple[Path, Path]) -> None:
    db, folder = exported
    icews = dyad_series(folder, dataset="icews", scheduler="synchronous")
    pd.testing.assert_frame_equal(icews, _expected(db, "icews"), check_dtype=False)
    window = dyad_series(folder, start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 5), scheduler="synchronous")
    assert not window.empty
    assert window["date"].min() >= dt.date(2024, 1, 1) and window["date"].max() <= dt.date(2024, 1, 5)


def test_written_series_imports_as_dyad_days(exported: tuple[Path, Path], tmp_path: Path) -> None:
    _, folder = exported
    runner = CliRunner()
    out = tmp_path / "series.csv.gz"
    made = runner.invoke(
        app, ["scale", "dyad-series", str(folder), "--out", str(out), "--scheduler", "synchronous"]
    )
    assert made.exit_code == 0, made.output
    series = dyad_series(folder, scheduler="synchronous")
    assert f"{len(series):,} dyad-days" in made.stdout
    target = Store(tmp_path / "series.duckdb")
    report = import_series([out], target, "scaled")
    assert report.rows_stored == len(series) and report.rows_rejected == 0
    stored = target.query("SELECT date, country_a, country_b, weight FROM dyad_days ORDER BY ALL")
    target.close()
    stored["date"] = pd.to_datetime(stored["date"]).dt.date
    expected = series[["date", "country_a", "country_b", "weight"]]
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        dyad_series(tmp_path / "nowhere", scheduler="synchronous")
    pd.DataFrame({"x": [1, 2]}).to_parquet(tmp_path / "other.parquet")
    with pytest.raises(InputError, match="not detente events"):
        dyad_series(tmp_path / "other.parquet", scheduler="synchronous")
    with pytest.raises(InputError, match="is a folder"):
        write_series(pd.DataFrame(), tmp_path)
