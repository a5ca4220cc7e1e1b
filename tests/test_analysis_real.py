"""The analyses on real GDELT history (../shared), checked against independent DuckDB queries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from detente.analysis import alliance_network, dyad_index, find_turnarounds, isolation
from detente.importers.dyad_series import import_series

pytestmark = pytest.mark.shared

YEARS = ("2023", "2024")


@pytest.fixture(scope="module")
def network_files(shared_dir: Path) -> list[Path]:
    folder = shared_dir / "data" / "real" / "gdelt2_daily_country_network"
    files = [folder / f"gdelt2_country_network_{year}.csv.gz" for year in YEARS]
    if not all(f.is_file() for f in files):
        pytest.skip("GDELT country network files are missing")
    return files


@pytest.fixture(scope="module")
def gdelt(network_files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path_factory.mktemp("gdelt") / "store.duckdb"))
    import_series(network_files, connection)
    return connection


def test_import_counts_match_the_files(gdelt: duckdb.DuckDBPyConnection, network_files: list[Path]) -> None:
    for path in network_files:
        expected = gdelt.execute("SELECT count(*) FROM read_csv(?)", [str(path)]).fetchone()[0]  # type: ignore[index]
        stored = gdelt.execute(
            "SELECT rows_stored FROM sources WHERE location = ?", [str(path.resolve())]
        ).fetchone()[0]  # type: ignore[index]
        assert stored == expected
    again = import_series(network_files, gdelt)
    assert all(f.skipped for f in again.files)
    total = gdelt.execute("SELECT count(*) FROM dyad_days").fetchone()[0]  # type: ignore[index]
    assert total == sum(f.rows_stored for f in again.files)


def test_monthly_sums_equal_an_independent_query(gdelt: duckdb.DuckDBPyConnection) -> None:
    index = dyad_index(gdelt, "PAK", "IRN", freq="M", start=dt.date(2023, 6, 1), end=dt.date(2024, 2, 23))
    expected = dict(
        gdelt.execute(
            "SELECT date_trunc('month', date)::DATE, sum(weight) FROM dyad_days "
            "WHERE country_a = 'IRN' AND country_b = 'PAK' AND date >= '2023-06-01' GROUP BY ALL"
        ).fetchall()
    )
    got = {row.period.date(): row.goldstein_sum for row in index.frame.itertuples()}
    assert set(got) == set(expected)
    for month, total in expected.items():
        assert got[month] == pytest.approx(total)
    assert index.caveats  # a series has no event types: the caveats are part of the answer


def test_iran_pakistan_january_2024_episode(gdelt: duckdb.DuckDBPyConnection) -> None:
    scan = find_turnarounds(gdelt)
    episode = scan.locate("IRN", "PAK", dt.date(2024, 1, 18))
    assert episode is not None
    # Independently: the worst IRN-PAK day of January 2024, and the first day that month more than
    # two robust standard deviations below the dyad's median (the series' hostile threshold).
    worst = gdelt.execute(
        "SELECT arg_min(date, weight) FROM dyad_days WHERE country_a = 'IRN' AND country_b = 'PAK' "
        "AND date BETWEEN '2024-01-01' AND '2024-01-31'"
    ).fetchone()[0]  # type: ignore[index]
    first_hostile = gdelt.execute(
        """
        WITH d AS (SELECT date, weight FROM dyad_days WHERE country_a = 'IRN' AND country_b = 'PAK'),
        m AS (SELECT median(weight) AS med FROM d),
        s AS (SELECT greatest(1.4826 * median(abs(weight - med)), 1.0) AS scale FROM d, m)
        SELECT min(date) FROM d, m, s
        WHERE date BETWEEN '2024-01-10' AND '2024-01-31' AND (weight - med) / scale < -2
        """
    ).fetchone()[0]  # type: ignore[index]
    assert episode.nadir == worst == dt.date(2024, 1, 18)
    assert episode.start == first_hostile
    assert episode.depth > 8
    assert episode.milestone is None  # no event types in a series
    assert scan.rule == "calm" and scan.caveats
    # Every ranked episode is ordered by its speed.
    speeds = [e.speed_days for e in scan.ranked]
    assert speeds == sorted(speeds)


def test_isolation_and_network_run(gdelt: duckdb.DuckDBPyConnection) -> None:
    result = isolation(gdelt, "IRN", start=dt.date(2023, 7, 1), end=dt.date(2024, 2, 23), partners=8)
    assert len(result.partners) == 8 and not result.frame.empty
    assert result.frame["coop_share"].dropna().between(0, 1).all()
    net = alliance_network(gdelt, start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 31), min_days=5)
    triads = net.triads
    assert triads["total"] == triads["balanced"] + triads["unbalanced"] > 0
    # Triangle count against networkx's own count on the unsigned graph.
    import networkx as nx

    assert triads["total"] == sum(nx.triangles(net.graph).values()) // 3
