"""Import pre-aggregated dyad-day series (``date,country_a,country_b,weight``, CSV or gzipped CSV).

Such series carry a value per country pair and day but no event types, e.g. the GDELT 2.0-derived
daily country network in ``../shared/data/real/gdelt2_daily_country_network/``. Rows go to the
store's ``dyad_days`` table, with the pair written in alphabetical order (the series is undirected).

A file is recognised by its content hash: importing it again into the same dataset is a no-op, so
the command is safe to re-run after an interruption. Each file is stored in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from detente.errors import InputError, StoreError

__all__ = ["FileReport", "SeriesImportReport", "import_series"]

EXPECTED_COLUMNS = ("date", "country_a", "country_b", "weight")


@dataclass(slots=True)
class FileReport:
    path: str
    rows_read: int = 0
    rows_stored: int = 0
    rows_rejected: int = 0
    skipped: bool = False  # already imported (same content, same dataset)
    first_date: str | None = None
    last_date: str | None = None


@dataclass(slots=True)
class SeriesImportReport:
    dataset: str
    files: list[FileReport] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_stored(self) -> int:
        return sum(f.rows_stored for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "rows_read": self.rows_read,
            "rows_stored": self.rows_stored,
            "rows_rejected": self.rows_rejected,
            "files": [
                {
                    "path": f.path,
                    "rows_read": f.rows_read,
                    "rows_stored": f.rows_stored,
                    "rows_rejected": f.rows_rejected,
                    "skipped": f.skipped,
                    "first_date": f.first_date,
                    "last_date": f.last_date,
                }
                for f in self.files
            ],
        }


def _connection(store: Any) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection of a Store (``.connection`` or ``.connect()``) or a bare connection."""
    if isinstance(store, duckdb.DuckDBPyConnection):
        return store
    for attribute in ("connection", "connect"):
        value = getattr(store, attribute, None)
        if callable(value):
            value = value()
        if isinstance(value, duckdb.DuckDBPyConnection):
            return value
    raise StoreError(f"not an event store or DuckDB connection: {type(store).__name__}")


def _create_schema(connection: duckdb.DuckDBPyConnection) -> None:
    sql = resources.files("detente.store").joinpath("schema.sql").read_text(encoding="utf-8")
    connection.execute(sql)


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_header(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT column_name FROM "
                "(DESCRIBE SELECT * FROM read_csv(?, header = true, all_varchar = true))",
                [str(path)],
            ).fetchall()
        ]
    except duckdb.Error as error:
        raise InputError(f"{path}: not a readable CSV file ({str(error).splitlines()[0]})") from None
    lowered = [name.strip().lower() for name in names]
    if tuple(lowered[:4]) != EXPECTED_COLUMNS or len(lowered) != 4:
        raise InputError(
            f"{path}: expected the columns date,country_a,country_b,weight, found {','.join(names)}"
        )


# Validation happens in SQL on the text columns so that a bad row is counted, not fatal.
_STAGE_SQL = """
CREATE OR REPLACE TEMP TABLE _dyad_stage AS
SELECT
    try_cast(trim(date) AS DATE) AS date,
    upper(trim(country_a)) AS a,
    upper(trim(country_b)) AS b,
    try_cast(trim(weight) AS DOUBLE) AS weight
FROM read_csv(?, header = true, all_varchar = true, columns = {
    'date': 'VARCHAR', 'country_a': 'VARCHAR', 'country_b': 'VARCHAR', 'weight': 'VARCHAR'})
"""

_VALID_SQL = """
date IS NOT NULL AND weight IS NOT NULL AND isfinite(weight)
AND regexp_full_match(a, '[A-Z]{3}') AND regexp_full_match(b, '[A-Z]{3}')
"""


def import_series(
    paths: Sequence[Path | str], store: Any, dataset: str = "gdelt2-network"
) -> SeriesImportReport:
    """Import dyad-day series files into ``store``'s ``dyad_days`` table; returns counts per file.

    Raises InputError for a missing file, an unreadable or wrongly shaped CSV, or a file where no row
    is valid; nothing of that file is stored then.
    """
    if not dataset or not dataset.strip():
        raise InputError("dyad-series dataset name is empty")
    connection = _connection(store)
    _create_schema(connection)
    files = [Path(p) for p in paths]
    if not files:
        raise InputError("no dyad-series files given")
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    report = SeriesImportReport(dataset=dataset)
    for path in files:
        report.files.append(_import_one(connection, path, dataset))
    return report


def _import_one(connection: duckdb.DuckDBPyConnection, path: Path, dataset: str) -> FileReport:
    file_report = FileReport(path=str(path))
    content_hash = _file_hash(path)
    done = connection.execute(
        "SELECT rows_read, rows_stored, rows_rejected FROM sources "
        "WHERE kind = 'dyad-series' AND dataset = ? AND content_hash = ? AND status = 'done'",
        [dataset, content_hash],
    ).fetchone()
    if done:
        file_report.skipped = True
        file_report.rows_read, file_report.rows_stored, file_report.rows_rejected = (
            int(x or 0) for x in done
        )
        return file_report
    _check_header(connection, path)
    try:
        connection.execute(_STAGE_SQL, [str(path)])
    except duckdb.Error as error:
        raise InputError(f"{path}: cannot be read as CSV ({str(error).splitlines()[0]})") from None
    total, valid, first, last = connection.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {_VALID_SQL}), "
        f"min(date) FILTER (WHERE {_VALID_SQL}), max(date) FILTER (WHERE {_VALID_SQL}) FROM _dyad_stage"
    ).fetchone()  # type: ignore[misc]
    if total and not valid:
        connection.execute("DROP TABLE IF EXISTS _dyad_stage")
        raise InputError(
            f"{path}: none of its {total} rows is a valid date,country_a,country_b,weight row "
            "(dates YYYY-MM-DD, 3-letter country codes, numeric weights)"
        )
    file_report.rows_read = int(total)
    file_report.rows_stored = int(valid)
    file_report.rows_rejected = int(total) - int(valid)
    file_report.first_date = str(first) if first else None
    file_report.last_date = str(last) if last else None
    try:
        connection.execute("BEGIN TRANSACTION")
        batch_id = connection.execute("SELECT nextval('batch_ids')").fetchone()[0]  # type: ignore[index]
        connection.execute(
            "INSERT INTO sources (batch_id, kind, location, dataset, version, content_hash, imported_at, "
            "status, rows_read, rows_stored, rows_rejected) "
            "VALUES (?, 'dyad-series', ?, ?, NULL, ?, now(), 'done', ?, ?, ?)",
            [
                batch_id,
                str(path.resolve()),
                dataset,
                content_hash,
                file_report.rows_read,
                file_report.rows_stored,
                file_report.rows_rejected,
            ],
        )
        connection.execute(
            "INSERT INTO dyad_days (dataset, date, country_a, country_b, weight, batch_id) "
            f"SELECT ?, date, least(a, b), greatest(a, b), weight, ? FROM _dyad_stage WHERE {_VALID_SQL}",
            [dataset, batch_id],
        )
        connection.execute("COMMIT")
    except duckdb.Error as error:
        connection.execute("ROLLBACK")
        raise StoreError(f"{path}: could not be stored ({str(error).splitlines()[0]})") from None
    finally:
        connection.execute("DROP TABLE IF EXISTS _dyad_stage")
    return file_report
