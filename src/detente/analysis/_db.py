"""Access to the event store for the analyses: one DuckDB connection, validated inputs, SQL panels.

The analyses accept a ``detente.store.Store`` (anything with ``.connection`` or ``.connect()``) or a
bare ``duckdb.DuckDBPyConnection``, so they run on a store file, an in-memory test database or a
connection a caller already holds.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any, Literal

import duckdb
import pandas as pd

from detente.countries import is_iso3, suggest
from detente.errors import InputError, StoreError

__all__ = [
    "ASSERTED_SQL",
    "DAY_DATED_SQL",
    "Source",
    "as_connection",
    "check_country",
    "check_dates",
    "create_schema",
    "data_span",
]

Source = Literal["events", "dyad-series"]

# Events that count towards relations: what happened, not what was threatened, planned or denied.
# Imported datasets (GDELT, ICEWS) carry no modality; they report what happened.
ASSERTED_SQL = "coalesce(modality, 'asserted') = 'asserted'"
# Events that can sit on a daily index: dated to the day (an agreement "in 2001" is stored as
# 2001-01-01 with precision "year"; putting it on 1 January would invent a day) and not in the
# future (a coding error that would stretch every series). Imported datasets carry no precision.
DAY_DATED_SQL = "coalesce(date_precision, 'day') = 'day' AND date <= current_date"


def coarse_dated_events(
    connection: duckdb.DuckDBPyConnection,
    *,
    dyad: tuple[str, str] | None = None,
    dataset: str | None = None,
) -> int:
    """How many asserted interstate events (of ``dyad``) are dated only to the month or year: the
    daily analyses leave them out, and say so."""
    where = [
        "coalesce(date_precision, 'day') IN ('month', 'year')",
        "source_country IS NOT NULL AND target_country IS NOT NULL AND source_country <> target_country",
        "goldstein IS NOT NULL",
        ASSERTED_SQL,
    ]
    args: list[Any] = []
    if dyad:
        where.append(
            "((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))"
        )
        args += [dyad[0], dyad[1], dyad[1], dyad[0]]
    if dataset:
        where.append("dataset = ?")
        args.append(dataset)
    row = connection.execute(f"SELECT count(*) FROM events WHERE {' AND '.join(where)}", args).fetchone()
    return int(row[0]) if row else 0


def coarse_caveat(count: int, what: str) -> list[str]:
    if not count:
        return []
    return [
        f"{count:,} event{'s' if count != 1 else ''} {what} dated only to the month or year "
        f"{'are' if count != 1 else 'is'} left out (the index is daily; see docs/methods.md §0)"
    ]


def as_connection(store: Any) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection behind ``store`` (a Store, a connection, or anything with ``.connection``)."""
    if isinstance(store, duckdb.DuckDBPyConnection):
        return store
    connection = getattr(store, "connection", None)
    if callable(connection):
        connection = connection()
    if isinstance(connection, duckdb.DuckDBPyConnection):
        return connection
    connect = getattr(store, "connect", None)
    if callable(connect):
        result = connect()
        if isinstance(result, duckdb.DuckDBPyConnection):
            return result
        connection = getattr(store, "connection", None)
        if isinstance(connection, duckdb.DuckDBPyConnection):
            return connection
    raise StoreError(f"not an event store or DuckDB connection: {type(store).__name__}")


def create_schema(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the store's tables (``store/schema.sql``) on ``connection`` if they are missing."""
    sql = resources.files("detente.store").joinpath("schema.sql").read_text(encoding="utf-8")
    connection.execute(sql)


def _has_table(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    return bool(row and row[0])


def check_country(code: str, what: str = "country") -> str:
    """The ISO3 code the user typed (any case), or an InputError that suggests the closest codes.

    Names are not accepted here: "IRAN" is an error that suggests IRN, so a typo never silently
    becomes another country.
    """
    text = (code or "").strip().upper()
    if len(text) == 3 and is_iso3(text):
        return text
    hints = suggest(code or "")
    hint = f"; did you mean {', '.join(hints)}?" if hints else ""
    raise InputError(f"unknown {what} code {code!r}: use an ISO 3166 alpha-3 code{hint}")


def check_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and start > end:
        raise InputError(f"--from {start} is after --to {end}")


def data_span(
    connection: duckdb.DuckDBPyConnection, source: Source, dataset: str | None = None
) -> tuple[dt.date, dt.date, int]:
    """First date, last date and row count of the store's events or dyad-day series.

    Raises StoreError when the store holds nothing of that kind, so every analysis can say so in one line.
    """
    table = "events" if source == "events" else "dyad_days"
    if not _has_table(connection, table):
        raise StoreError(f"the store has no {table!r} table: it is not a detente store")
    where = "WHERE date IS NOT NULL"
    if source == "events":
        where += f" AND {DAY_DATED_SQL}"
    params: list[Any] = []
    if dataset:
        where += " AND dataset = ?"
        params.append(dataset)
    row = connection.execute(f"SELECT min(date), max(date), count(*) FROM {table} {where}", params).fetchone()
    if not row or not row[2]:
        what = "events" if source == "events" else "dyad-day series"
        if dataset:
            what += f" of dataset {dataset!r}"
        hint = (
            "ingest news first (detente ingest PATH) or import a dataset "
            "(detente import gdelt1|gdelt2|icews|polecat PATH)"
            if source == "events"
            else "import one first (detente import dyad-series PATH)"
        )
        raise StoreError(f"the store holds no {what}: {hint}")
    return row[0], row[1], int(row[2])


def clamp_window(
    span: tuple[dt.date, dt.date, int], start: dt.date | None, end: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The requested window inside the data's span; an InputError when it does not overlap the data."""
    first, last, _ = span
    check_dates(start, end)
    lo = max(start, first) if start else first
    hi = min(end, last) if end else last
    if lo > hi:
        raise InputError(
            f"dates out of range: the store covers {first} to {last}, the request asks for "
            f"{start or '...'} to {end or '...'}"
        )
    return lo, hi


def detect_source(connection: duckdb.DuckDBPyConnection, source: str | None) -> Source:
    """``events`` unless the store only holds a dyad-day series (or the caller chose)."""
    if source in ("events", "dyad-series"):
        return source  # type: ignore[return-value]
    if source is not None:
        raise InputError(f"unknown --source {source!r}: use events or dyad-series")
    has_events = _has_table(connection, "events") and bool(
        connection.execute("SELECT count(*) FROM (SELECT 1 FROM events LIMIT 1)").fetchone()[0]  # type: ignore[index]
    )
    if has_events:
        return "events"
    has_series = _has_table(connection, "dyad_days") and bool(
        connection.execute("SELECT count(*) FROM (SELECT 1 FROM dyad_days LIMIT 1)").fetchone()[0]  # type: ignore[index]
    )
    return "dyad-series" if has_series else "events"


def to_date(value: Any) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
