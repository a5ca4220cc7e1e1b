"""Events dated only to the month or year stay off the daily analyses, and the analyses say so.

A 2023 article that mentions "a 2001 agreement" gives an event stored as 2001-01-01 with precision
"year"; "in June" gives the 1st of the month with precision "month". Put on the daily index they
would invent a day (and stretch the record back to 2001)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from detente.analysis import alliance_network, dyad_index, find_turnarounds, isolation, realign
from detente.analysis._db import create_schema
from detente.cameo import lookup

D0 = dt.date(2023, 1, 2)


def store_with(rows: list[tuple[dt.date, str, str, str, str]]) -> duckdb.DuckDBPyConnection:
    """(date, precision, source, target, cameo) rows as asserted events in an in-memory store."""
    connection = duckdb.connect()
    create_schema(connection)
    records = []
    for i, (day, precision, source, target, cameo) in enumerate(rows):
        code = lookup(cameo)
        records.append(
            {
                "event_id": f"{precision}{i}",
                "dataset": "test",
                "doc_id": f"d{i}",
                "date": day,
                "date_precision": precision,
                "source_country": source,
                "target_country": target,
                "cameo": cameo,
                "cameo_root": code.root,
                "cameo_label": code.label,
                "goldstein": code.goldstein,
                "quad_class": code.quad_class,
                "modality": "asserted",
                "sentence": f"{source} {code.label.lower()} {target} ({precision} {day}).",
            }
        )
    connection.register("incoming", pd.DataFrame(records))
    connection.execute("INSERT INTO events BY NAME SELECT * FROM incoming")
    connection.unregister("incoming")
    return connection


def day_rows() -> list[tuple[dt.date, str, str, str, str]]:
    rows = [(D0 + dt.timedelta(days=d), "day", "IRN", "PAK", "040") for d in range(0, 300, 4)]
    rows += [(D0 + dt.timedelta(days=d), "day", "PAK", "USA", "042") for d in range(0, 300, 9)]
    return rows


# A year-dated agreement of 2001, and a month-dated burst of strikes and expulsions in June 2023 that
# would make a deep episode if it were put on 1 June.
COARSE = [(dt.date(2001, 1, 1), "year", "IRN", "PAK", "057")] + [
    (dt.date(2023, 6, 1), "month", "IRN", "PAK", cameo) for cameo in ("195", "195", "161", "195")
]


def test_coarse_events_change_no_figure_and_are_counted() -> None:
    plain, mixed = store_with(day_rows()), store_with(day_rows() + COARSE)
    for freq in ("D", "W", "M"):
        expected = dyad_index(plain, "IRN", "PAK", freq=freq)
        got = dyad_index(mixed, "IRN", "PAK", freq=freq)
        pd.testing.assert_frame_equal(got.frame, expected.frame)
        assert got.start == D0  # not 2001
        assert not got.evidence["event_id"].str.startswith(("year", "month")).any()
        assert got.caveats == [
            "5 events between IRN and PAK dated only to the month or year are left out "
            "(the index is daily; see docs/methods.md §0)"
        ]
        assert expected.caveats == []
    scan = find_turnarounds(mixed)
    assert scan.episodes == [] and scan.start == D0
    assert any("5 events in the store dated only to the month or year" in c for c in scan.caveats)
    assert find_turnarounds(mixed, dyad=("PAK", "USA")).caveats == []


def test_coarse_events_are_no_evidence_and_no_tie() -> None:
    rows = day_rows() + COARSE
    rows += [(D0 + dt.timedelta(days=d), "day", "PAK", "IRN", "111") for d in range(200, 250, 2)]
    rows += [(D0 + dt.timedelta(days=d), "day", "PAK", "USA", "057") for d in range(200, 250, 2)]
    store = store_with(rows)
    result = realign(store, "PAK", "IRN", "USA")
    for shift in result.change_points:
        for event in shift.away_events + shift.toward_events:
            assert event["event_id"].startswith("day")
    net = alliance_network(store, start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30))
    # In June 2023 only the day-dated consultations are there: IRN-PAK is not an adversary tie.
    assert net.graph["IRN"]["PAK"]["sign"] > 0
    lonely = isolation(store, "IRN")
    assert lonely.start == D0
