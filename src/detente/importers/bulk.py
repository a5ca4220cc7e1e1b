"""Bulk import of event-data files with DuckDB's CSV reader: no row-by-row Python.

One file is one transaction: its ``sources`` row, its events, its day aggregates and its rejected rows
commit together or not at all. A file whose content fingerprint is already ``done`` for the same kind is
skipped, so rerunning an interrupted import completes it without doubling anything.

Per file: read every column as text into a temporary stage (rows with the wrong number of fields go to
DuckDB's reject tables with their line numbers), validate dates, codes and numbers in SQL (rows that fail
get a reason and their line number), map the valid rows onto detente's event record in one INSERT.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd
import pycountry

from detente.cameo import all_codes
from detente.countries import to_iso3
from detente.errors import InputError
from detente.importers.formats import FORMATS, sniff
from detente.store import Store

__all__ = ["FileReport", "ImportReport", "Reject", "fingerprint", "import_files"]

KINDS = tuple(FORMATS)
_REJECT_SAMPLE = 20  # rejected rows kept in the report per file (all of them go to the `rejects` table)
_FINGERPRINT_SPAN = 1 << 20


@dataclass(slots=True)
class Reject:
    line: int | None
    reason: str


@dataclass(slots=True)
class FileReport:
    """What happened to one file (or one member of a zip)."""

    location: str
    kind: str
    rows_read: int = 0
    rows_stored: int = 0
    rows_rejected: int = 0
    duplicates: int = 0  # rows already in the store (same dataset key), not stored again
    skipped: bool = False  # the same content was imported before
    batch_id: int | None = None
    rejects: list[Reject] = field(default_factory=list)


@dataclass(slots=True)
class ImportReport:
    kind: str
    files: list[FileReport] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files if not f.skipped)

    @property
    def rows_stored(self) -> int:
        return sum(f.rows_stored for f in self.files if not f.skipped)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files if not f.skipped)

    @property
    def files_skipped(self) -> int:
        return sum(1 for f in self.files if f.skipped)


ProgressCallback = Callable[[FileReport], None]


def fingerprint(path: Path) -> str:
    """Identity of a file's content: its size and its first and last MiB.

    Hashing whole multi-GB exports would cost more than importing them; two different GDELT or ICEWS
    files never share size, head and tail.
    """
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        digest.update(handle.read(_FINGERPRINT_SPAN))
        if size > _FINGERPRINT_SPAN:
            handle.seek(max(size - _FINGERPRINT_SPAN, _FINGERPRINT_SPAN))
            digest.update(handle.read())
    return digest.hexdigest()


def import_files(
    kind: str,
    paths: Iterable[str | Path],
    store: Store,
    *,
    on_file: ProgressCallback | None = None,
    version: str | None = None,
    names: list[str] | None = None,
) -> ImportReport:
    """Import local files of one format (plain, ``.gz`` or ``.zip``) into ``store``.

    Raises InputError before anything is stored when a path is missing or a file is not ``kind``;
    rows that cannot be read are counted, kept in the ``rejects`` table and reported with their line.
    ``names`` (one per path) is what ``sources`` records instead of the local path, e.g. a URL.
    """
    if kind not in FORMATS:
        raise InputError(f"unknown import format {kind!r}: expected one of {', '.join(KINDS)}")
    given = [Path(p) for p in paths]
    if not given:
        raise InputError(f"{kind}: no files given")
    shown_names = names if names is not None else [str(p) for p in given]
    path_list: list[tuple[Path, str]] = []
    for path, shown in zip(given, shown_names, strict=True):
        if path.is_dir():
            inside = sorted(f for f in path.rglob("*") if f.is_file() and not f.name.startswith("."))
            if not inside:
                raise InputError(f"{path}: folder holds no files")
            path_list += [(f, str(f)) for f in inside]
        elif path.is_file():
            path_list.append((path, shown))
        else:
            raise InputError(f"{path}: no such file")
    # Refuse a wrong file before anything of the batch is stored.
    for path, shown in path_list:
        _precheck(kind, path, shown)
    report = ImportReport(kind)
    with tempfile.TemporaryDirectory(prefix="detente-import-") as scratch:
        for path, shown in path_list:
            for location, readable in _expand(path, Path(scratch), shown):
                file_report = import_one(kind, readable, store, location=location, version=version)
                report.files.append(file_report)
                if on_file is not None:
                    on_file(file_report)
                if readable.parent == Path(scratch):
                    readable.unlink(missing_ok=True)
    return report


def _precheck(kind: str, path: Path, shown: str) -> None:
    """Sniff a file, or the start of each member of a zip, without importing anything."""
    if not zipfile.is_zipfile(path):
        sniff_path = _plain_copy_for_sniff(path)
        try:
            sniff(kind, sniff_path, name=shown)
        finally:
            if sniff_path != path:
                sniff_path.unlink(missing_ok=True)
        return
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if not members:
                raise InputError(f"{shown}: the zip archive is empty")
            for info in members:
                with archive.open(info) as source, tempfile.NamedTemporaryFile(delete=False) as head:
                    head.write(source.read(1 << 16))
                try:
                    sniff(kind, Path(head.name), name=f"{shown}!{info.filename}")
                finally:
                    Path(head.name).unlink(missing_ok=True)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise InputError(f"{shown}: not a readable zip archive ({error})") from None


def _expand(path: Path, scratch: Path, shown: str) -> Iterator[tuple[str, Path]]:
    """The readable files behind ``path``: itself, or each member of a zip extracted to ``scratch``."""
    if not zipfile.is_zipfile(path):
        yield shown, path
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise InputError(f"{path}: not a readable zip archive ({error})") from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if not members:
            raise InputError(f"{path}: the zip archive is empty")
        for info in members:
            target = scratch / Path(info.filename).name
            try:
                with archive.open(info) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 22)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise InputError(f"{path}: member {info.filename} cannot be extracted ({error})") from None
            yield f"{shown}!{info.filename}", target


def import_one(
    kind: str, path: Path, store: Store, *, location: str | None = None, version: str | None = None
) -> FileReport:
    """Import one readable (not zipped) file in one transaction; see the module docstring."""
    fmt = FORMATS[kind]
    location = location or str(path)
    report = FileReport(location, kind)
    sniff_path = _plain_copy_for_sniff(path)
    try:
        variant = sniff(kind, sniff_path, name=location)
    finally:
        if sniff_path != path:
            sniff_path.unlink(missing_ok=True)
    content = f"{kind}:{fingerprint(path)}"
    conn = store.connect()
    done = conn.execute(
        "SELECT batch_id, rows_read, rows_stored, rows_rejected FROM sources"
        " WHERE kind = ? AND content_hash = ? AND status = 'done' ORDER BY batch_id LIMIT 1",
        [kind, content],
    ).fetchone()
    if done is not None:
        report.skipped = True
        report.batch_id = int(done[0])
        report.rows_read, report.rows_stored, report.rows_rejected = (int(v or 0) for v in done[1:])
        return report
    try:
        with store.transaction():
            batch_id = store.new_batch(kind, location, fmt.dataset, version=version, content_hash=content)
            report.batch_id = batch_id
            _load(kind, variant, path, location, store, report)
            store.finish_batch(
                batch_id,
                rows_read=report.rows_read,
                rows_stored=report.rows_stored,
                rows_rejected=report.rows_rejected,
                message=f"{report.duplicates} duplicate rows not stored" if report.duplicates else None,
            )
    except duckdb.Error as error:
        raise InputError(
            f"{location}: cannot be imported as {fmt.description}: {_first_line(error)}"
        ) from None
    finally:
        with contextlib.suppress(duckdb.Error):
            conn.execute("DROP TABLE IF EXISTS _stage")
        # Let readers in between files (DuckDB: one writer or many readers).
        store.release()
    return report


def _plain_copy_for_sniff(path: Path) -> Path:
    if path.suffix != ".gz":
        return path
    with tempfile.NamedTemporaryFile(prefix="detente-sniff-", delete=False) as sink:
        try:
            with gzip.open(path, "rb") as source:
                sink.write(source.read(1 << 16))
        except (OSError, EOFError) as error:
            raise InputError(f"{path}: not a readable gzip file ({error})") from None
        return Path(sink.name)


# -- reading ---------------------------------------------------------------------------------------


def _read_csv(path: Path, columns: list[str], *, header: bool, delim: str, padding: bool, encoding: str,
              nullstr: list[str] | None = None) -> str:  # fmt: skip
    spec = "{" + ", ".join(f"{_quote_literal(c)}: 'VARCHAR'" for c in columns) + "}"
    options = [
        f"delim={_quote_literal(delim)}",
        f"header={'true' if header else 'false'}",
        "quote=''" if delim == "\t" else "quote='\"'",
        "escape=''" if delim == "\t" else "escape='\"'",
        f"columns={spec}",
        "auto_detect=false",
        "store_rejects=true",
        "rejects_table='_rejects_errors'",
        "rejects_scan='_rejects_scans'",
        "max_line_size=10000000",
        f"encoding={_quote_literal(encoding)}",
    ]
    if padding:
        options.append("null_padding=true")
    if nullstr:
        options.append("nullstr=[" + ", ".join(_quote_literal(v) for v in nullstr) + "]")
    return f"read_csv({_quote_literal(str(path))}, {', '.join(options)})"


def _header_names(path: Path, delim: str, encoding: str) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding=encoding, errors="replace", newline="") as handle:  # type: ignore[operator]
        line = handle.readline().rstrip("\r\n")
    names = [name.strip().strip('"') for name in line.split(delim)]
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        unique.append(name if count == 0 else f"{name}_{count}")
    return unique


def _load(kind: str, variant: str, path: Path, location: str, store: Store, report: FileReport) -> None:
    conn = store.connect()
    conn.execute("DROP TABLE IF EXISTS _rejects_errors; DROP TABLE IF EXISTS _rejects_scans")
    _register_lookups(conn)
    header = FORMATS[kind].header or variant == "csv-header"
    if kind in ("gdelt1", "gdelt2"):
        columns = list(FORMATS[kind].columns)
        source = _read_csv(
            path, columns, header=False, delim="\t", padding=kind == "gdelt1", encoding="utf-8"
        )
        _load_gdelt(kind, source, location, store, report)
        return
    if kind == "gdelt2-mentions":
        columns = list(FORMATS[kind].columns)
        delim = "," if variant == "csv-header" else "\t"
        source = _read_csv(path, columns, header=header, delim=delim, padding=True, encoding="utf-8")
        stage_sql, insert_sql = _mentions_sql(source)
    elif kind == "icews":
        columns = _header_names(path, "\t", "utf-8")
        source = _read_csv(path, columns, header=True, delim="\t", padding=False, encoding="utf-8",
                           nullstr=["NA", ""])  # fmt: skip
        stage_sql, insert_sql = _icews_sql(source)
    else:
        columns = _header_names(path, "\t", "latin-1")
        intensity = "Intensity" if "Intensity" in columns else "Event Intensity"
        # POLECAT's files are known to mix encodings; latin-1 never fails to decode.
        source = _read_csv(path, columns, header=True, delim="\t", padding=False, encoding="latin-1",
                           nullstr=["None", ""])  # fmt: skip
        stage_sql, insert_sql = _polecat_sql(source, intensity, columns)
    conn.execute(stage_sql)
    if kind in ("icews", "polecat"):
        _map_names(conn)
    first_line = 2 if header else 1
    csv_rejects = _csv_rejects(conn)
    row = conn.execute("SELECT count(*), count(*) FILTER (WHERE _reason IS NOT NULL) FROM _stage").fetchone()
    assert row is not None
    staged, invalid = int(row[0]), int(row[1])
    report.rows_read = staged + len(csv_rejects)
    batch_id = report.batch_id
    if kind in ("icews", "polecat"):
        report.duplicates = _mark_duplicates(conn, kind)
    else:
        report.duplicates = _mark_stored_mentions(conn)
    conn.execute(insert_sql, [batch_id])
    stored_row = conn.execute(
        "SELECT count(*) FROM _stage WHERE _reason IS NULL AND NOT _duplicate"
    ).fetchone()
    assert stored_row is not None
    report.rows_stored = int(stored_row[0])
    if kind != "gdelt2-mentions":
        _add_day_rows(conn, batch_id)
    rejects = list(csv_rejects)
    if invalid:
        bad = conn.execute(
            # Temporary tables number rows from an arbitrary base: rank them instead.
            "SELECT n, _reason FROM (SELECT row_number() OVER (ORDER BY rowid) - 1 AS n, _reason"
            " FROM _stage) WHERE _reason IS NOT NULL ORDER BY n"
        ).fetchall()
        skipped_lines = sorted(line for line, _ in csv_rejects if line is not None)
        rejects += [(_line_of(int(r[0]), first_line, skipped_lines), str(r[1])) for r in bad]
    _store_rejects(conn, rejects, location, report)
    if rejects and not report.rows_stored and not report.duplicates:
        raise InputError(
            f"{location}: none of its {report.rows_read} rows is valid ({report.rejects[0].reason})"
        )


def _csv_rejects(conn: duckdb.DuckDBPyConnection) -> list[tuple[int | None, str]]:
    """Rows DuckDB's reader refused (wrong number of fields, bad encoding), one entry per line."""
    try:
        rows = conn.execute(
            "SELECT line, any_value(error_type), any_value(error_message) FROM _rejects_errors"
            " GROUP BY line ORDER BY line"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    result: list[tuple[int | None, str]] = []
    for line, error_type, message in rows:
        detail = str(message).split("Expected Number of Columns:")[-1].strip() if message else ""
        reason = str(error_type).lower()
        if "columns" in reason and detail:
            reason = f"{reason} (expected {detail})"
        result.append((int(line) if line is not None else None, reason))
    return result


def _line_of(index: int, first_line: int, skipped_lines: list[int]) -> int:
    """Line of the ``index``-th row the reader accepted, given the lines it refused."""
    line = first_line + index
    for skipped in skipped_lines:
        if skipped <= line:
            line += 1
        else:
            break
    return line


def _mark_duplicates(conn: duckdb.DuckDBPyConnection, kind: str) -> int:
    """Flag rows whose (id, date) key repeats in the file or is already stored (ICEWS re-uploads)."""
    conn.execute(
        "UPDATE _stage SET _duplicate = true WHERE rowid IN (SELECT rowid FROM ("
        " SELECT rowid, row_number() OVER (PARTITION BY _event_id ORDER BY rowid) AS n FROM _stage"
        " WHERE _reason IS NULL) WHERE n > 1)"
    )
    bounds = conn.execute("SELECT min(_date), max(_date) FROM _stage WHERE _reason IS NULL").fetchone()
    if bounds is not None and bounds[0] is not None:
        conn.execute(
            "UPDATE _stage SET _duplicate = true WHERE _reason IS NULL AND _event_id IN ("
            " SELECT event_id FROM events WHERE dataset = ? AND date BETWEEN ? AND ?)",
            [FORMATS[kind].dataset, bounds[0], bounds[1]],
        )
    row = conn.execute("SELECT count(*) FROM _stage WHERE _duplicate").fetchone()
    return int(row[0]) if row else 0


# -- lookups ---------------------------------------------------------------------------------------


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("detente.importers").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@cache
def gdelt_country_table() -> dict[str, str | None]:
    """GDELT CAMEO country code -> ISO3 (None for regional pseudo-countries)."""
    table: dict[str, str | None] = {c.alpha_3: c.alpha_3 for c in pycountry.countries}
    for row in _data_rows("gdelt_countries.csv"):
        table[row["code"]] = row["iso3"] or None
    return table


@cache
def _gdelt_sectors() -> dict[str, str]:
    return {row["type"]: row["sector"] for row in _data_rows("gdelt_sectors.csv")}


@cache
def _icews_sector_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile(row["pattern"], re.IGNORECASE), row["sector"]) for row in _data_rows("icews_sectors.csv")
    ]


def icews_sector(sectors: str | None) -> str:
    """The most specific detente sector among an ICEWS comma-separated sector list ('' when none)."""
    if not sectors:
        return ""
    names = [name.strip() for name in next(csv.reader([sectors]))]
    for pattern, sector in _icews_sector_patterns():
        if any(pattern.search(name) for name in names):
            return sector
    return ""


@cache
def _extra_country_names() -> dict[str, str]:
    return {row["name"].casefold(): row["iso3"] for row in _data_rows("icews_countries.csv")}


def country_from_name(name: str | None) -> str | None:
    """ISO3 for an ICEWS/POLECAT country name or code, None when it names no country."""
    if not name:
        return None
    return to_iso3(name) or _extra_country_names().get(name.strip().casefold())


@cache
def plover_roots() -> dict[str, str]:
    """PLOVER category -> the CAMEO root most of its CAMEO codes fall under (POLECAT has no CAMEO code)."""
    counts: dict[str, dict[str, int]] = {}
    for entry in all_codes().values():
        if entry.plover:
            per_root = counts.setdefault(entry.plover, {})
            per_root[entry.root] = per_root.get(entry.root, 0) + 1
    return {plover: max(roots, key=lambda r: (roots[r], r)) for plover, roots in counts.items()}


def _register_lookups(conn: duckdb.DuckDBPyConnection) -> None:
    codes = all_codes()
    conn.register(
        "_cameo",
        pd.DataFrame(
            {
                "code": list(codes),
                "label": [c.label for c in codes.values()],
                "plover": [c.plover for c in codes.values()],
                "quad": [c.quad_class for c in codes.values()],
            }
        ),
    )
    countries = gdelt_country_table()
    conn.register("_gdelt_country", pd.DataFrame({"code": list(countries), "iso3": list(countries.values())}))
    sectors = _gdelt_sectors()
    conn.register("_gdelt_sector", pd.DataFrame({"type": list(sectors), "sector": list(sectors.values())}))
    roots = plover_roots()
    conn.register(
        "_plover_root",
        pd.DataFrame(
            {
                "plover": list(roots),
                "root": list(roots.values()),
                "quad": [codes[r].quad_class for r in roots.values()],
                "label": [codes[r].label for r in roots.values()],
            }
        ),
    )


def _map_names(conn: duckdb.DuckDBPyConnection) -> None:
    """Country names and sector lists are few distinct values: map those in Python, join in SQL."""
    names = [r[0] for r in conn.execute(
        "SELECT DISTINCT n FROM (SELECT _src_country AS n FROM _stage UNION SELECT _tgt_country FROM _stage)"
        " WHERE n IS NOT NULL"
    ).fetchall()]  # fmt: skip
    conn.register(
        "_country_name", pd.DataFrame({"name": names, "iso3": [country_from_name(n) for n in names]})
    )
    sectors = [r[0] for r in conn.execute(
        "SELECT DISTINCT s FROM (SELECT _src_sectors AS s FROM _stage UNION SELECT _tgt_sectors FROM _stage)"
        " WHERE s IS NOT NULL"
    ).fetchall()]  # fmt: skip
    conn.register(
        "_sector_name", pd.DataFrame({"name": sectors, "sector": [icews_sector(s) for s in sectors]})
    )


# -- mappings to the event record (documented in docs/store.md) -------------------------------------

_VALID_CODE = "regexp_full_match({0}, '(0[1-9]|1[0-9]|20)[0-9]{{0,2}}')"


def _gdelt_body(actor_code: str) -> str:
    """Non-state actors take the record's pseudo-country (IGO, NGO, MNC) when no state is named."""
    return f"CASE WHEN left({actor_code}, 3) IN ('IGO', 'NGO', 'MNC') THEN left({actor_code}, 3) END"


def _icews_body(sectors: str) -> str:
    return (
        f"CASE WHEN {sectors} ILIKE '%IGO%' OR {sectors} ILIKE '%International Government Organization%'"
        f" THEN 'IGO' WHEN {sectors} ILIKE '%Nongovernmental Organization%' THEN 'NGO'"
        f" WHEN {sectors} ILIKE '%Multinational Corporation%' THEN 'MNC' END"
    )


def _gdelt_reason(kind: str, prefix: str = "") -> str:
    """SQL giving why a GDELT row is invalid (NULL when it is fine); cheap casts rather than regexes."""
    fmt = "%Y%m%d" if kind == "gdelt1" else "%Y%m%d%H%M%S"
    return f"""CASE
            WHEN try_cast({prefix}GLOBALEVENTID AS UBIGINT) IS NULL THEN 'bad GLOBALEVENTID'
            WHEN try_strptime({prefix}SQLDATE, '%Y%m%d') IS NULL
                THEN 'bad SQLDATE ' || coalesce({prefix}SQLDATE, '(empty)')
            WHEN NOT (length({prefix}EventCode) BETWEEN 2 AND 4
                      AND try_cast({prefix}EventCode AS USMALLINT) IS NOT NULL
                      AND left({prefix}EventCode, 2) BETWEEN '01' AND '20')
                THEN 'bad EventCode ' || coalesce({prefix}EventCode, '(empty)')
            WHEN {prefix}QuadClass IS NULL OR {prefix}QuadClass NOT IN ('1', '2', '3', '4')
                THEN 'bad QuadClass ' || coalesce({prefix}QuadClass, '(empty)')
            WHEN NOT coalesce(abs(try_cast({prefix}GoldsteinScale AS DOUBLE)) <= 10, false)
                THEN 'bad GoldsteinScale ' || coalesce({prefix}GoldsteinScale, '(empty)')
            WHEN try_strptime({prefix}DATEADDED, '{fmt}') IS NULL
                THEN 'bad DATEADDED ' || coalesce({prefix}DATEADDED, '(missing: too few fields)')
        END"""


def _gdelt_insert_sql(kind: str, source: str) -> str:
    """One pass from the file into ``events``, lookups as joins on the small code tables. A row that
    fails validation is stored with ``rule = 'reject:<why>'`` and moved to ``rejects`` afterwards (see
    ``_load_gdelt``), so the file is parsed once whatever it holds."""
    fmt = "%Y%m%d" if kind == "gdelt1" else "%Y%m%d%H%M%S"
    return f"""
    INSERT INTO events BY NAME SELECT
        '{kind}:' || s.GLOBALEVENTID AS event_id, '{kind}' AS dataset, s.GLOBALEVENTID AS original_id,
        CAST(try_strptime(s.SQLDATE, '%Y%m%d') AS DATE) AS date, 'day' AS date_precision,
        coalesce(c1.iso3, {_gdelt_body("s.Actor1Code")}) AS source_country,
        CASE WHEN c1.iso3 IS NULL AND {_gdelt_body("s.Actor1Code")} IS NOT NULL THEN ''
             ELSE coalesce(t11.sector, t12.sector, t13.sector, '') END AS source_sector,
        coalesce(s.Actor1Name, '') AS source_text, s.Actor1Code AS source_code,
        coalesce(c2.iso3, {_gdelt_body("s.Actor2Code")}) AS target_country,
        CASE WHEN c2.iso3 IS NULL AND {_gdelt_body("s.Actor2Code")} IS NOT NULL THEN ''
             ELSE coalesce(t21.sector, t22.sector, t23.sector, '') END AS target_sector,
        coalesce(s.Actor2Name, '') AS target_text, s.Actor2Code AS target_code,
        s.EventCode AS cameo, left(s.EventCode, 2) AS cameo_root,
        coalesce(cb.label, cb3.label) AS cameo_label, coalesce(cb.plover, cb3.plover) AS plover,
        try_cast(s.GoldsteinScale AS DOUBLE) AS goldstein, try_cast(s.QuadClass AS TINYINT) AS quad_class,
        'asserted' AS modality,
        coalesce('reject:' || ({_gdelt_reason(kind, "s.")}), '{kind}') AS rule,
        try_cast(s.NumMentions AS INTEGER) AS mentions, try_cast(s.NumSources AS INTEGER) AS num_sources,
        try_cast(s.NumArticles AS INTEGER) AS num_articles, try_cast(s.AvgTone AS DOUBLE) AS avg_tone,
        CAST(try_strptime(s.DATEADDED, '{fmt}') AS DATE) AS reported,
        s.SOURCEURL AS source_url, ? AS batch_id
    FROM {source} s
    LEFT JOIN _gdelt_country c1 ON c1.code = s.Actor1CountryCode
    LEFT JOIN _gdelt_country c2 ON c2.code = s.Actor2CountryCode
    LEFT JOIN _gdelt_sector t11 ON t11.type = s.Actor1Type1Code
    LEFT JOIN _gdelt_sector t12 ON t12.type = s.Actor1Type2Code
    LEFT JOIN _gdelt_sector t13 ON t13.type = s.Actor1Type3Code
    LEFT JOIN _gdelt_sector t21 ON t21.type = s.Actor2Type1Code
    LEFT JOIN _gdelt_sector t22 ON t22.type = s.Actor2Type2Code
    LEFT JOIN _gdelt_sector t23 ON t23.type = s.Actor2Type3Code
    LEFT JOIN _cameo cb ON cb.code = s.EventCode
    LEFT JOIN _cameo cb3 ON cb3.code = left(s.EventCode, 3)
    """


def _load_gdelt(kind: str, source: str, location: str, store: Store, report: FileReport) -> None:
    # Staging 60 text columns first cost more than parsing the file; this path parses once (twice
    # only when some row is invalid, to find its line).
    conn = store.connect()
    batch_id = report.batch_id
    conn.execute(_gdelt_insert_sql(kind, source), [batch_id])
    csv_rejects = _csv_rejects(conn)
    row = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE rule LIKE 'reject:%') FROM events WHERE batch_id = ?",
        [batch_id],
    ).fetchone()
    assert row is not None
    inserted, invalid = int(row[0]), int(row[1])
    rejects = list(csv_rejects)
    if invalid:
        # The joins do not keep file order; a plain scan does (row_number over it counts the rows the
        # reader accepted, in order).
        bad = conn.execute(
            f"SELECT n, reason FROM (SELECT row_number() OVER () - 1 AS n, {_gdelt_reason(kind)} AS reason"
            f" FROM {source}) WHERE reason IS NOT NULL ORDER BY n"
        ).fetchall()
        conn.execute("DELETE FROM events WHERE batch_id = ? AND rule LIKE 'reject:%'", [batch_id])
        skipped_lines = sorted(line for line, _ in csv_rejects if line is not None)
        rejects += [(_line_of(int(n), 1, skipped_lines), str(reason)) for n, reason in bad]
    report.duplicates = _drop_stored_duplicates(conn, kind, batch_id)
    report.rows_read = inserted + len(csv_rejects)
    report.rows_stored = inserted - invalid - report.duplicates
    _add_day_rows(conn, batch_id)
    _store_rejects(conn, rejects, location, report)


def _drop_stored_duplicates(conn: duckdb.DuckDBPyConnection, kind: str, batch_id: int | None) -> int:
    """Delete this batch's rows whose GLOBALEVENTID an earlier batch stored, and count them.

    The file fingerprint catches a file imported twice, but not the same events under another encoding
    (`x.CSV` after `x.CSV.zip`, a re-downloaded or re-exported file): without this, one real event would
    be stored, counted and charted twice.
    """
    dataset = FORMATS[kind].dataset
    earlier = conn.execute(
        "SELECT 1 FROM events WHERE dataset = ? AND batch_id <> ? LIMIT 1", [dataset, batch_id]
    ).fetchone()
    if earlier is None:
        return 0  # the first file of this dataset: nothing to compare with, the import stays one pass
    row = conn.execute(
        "DELETE FROM events WHERE batch_id = ? AND event_id IN"
        " (SELECT event_id FROM events WHERE dataset = ? AND batch_id <> ?)",
        [batch_id, dataset, batch_id],
    ).fetchone()
    return int(row[0]) if row else 0


def _add_day_rows(conn: duckdb.DuckDBPyConnection, batch_id: int | None) -> None:
    conn.execute(
        "INSERT INTO event_days SELECT dataset, source_country, target_country, date, quad_class,"
        " count(*), sum(coalesce(mentions, 1)), coalesce(sum(goldstein), 0.0), batch_id FROM events"
        " WHERE batch_id = ? AND source_country IS NOT NULL AND target_country IS NOT NULL"
        " AND date IS NOT NULL AND quad_class IS NOT NULL GROUP BY ALL",
        [batch_id],
    )


def _store_rejects(
    conn: duckdb.DuckDBPyConnection, rejects: list[tuple[int | None, str]], location: str, report: FileReport
) -> None:
    rejects.sort(key=lambda item: (item[0] is None, item[0] or 0))
    report.rows_rejected = len(rejects)
    report.rejects = [Reject(line, reason) for line, reason in rejects[:_REJECT_SAMPLE]]
    if not rejects:
        return
    frame = pd.DataFrame(
        {
            "batch_id": report.batch_id,
            "location": location,
            "line": pd.array([line for line, _ in rejects], dtype="Int64"),
            "reason": [reason for _, reason in rejects],
        }
    )
    conn.register("_new_rejects", frame)
    try:
        conn.execute("INSERT INTO rejects BY NAME SELECT * FROM _new_rejects")
    finally:
        conn.unregister("_new_rejects")


def _mentions_sql(source: str) -> tuple[str, str]:
    stage = f"""
    CREATE OR REPLACE TEMP TABLE _stage AS SELECT *,
        CASE
            WHEN NOT regexp_full_match(coalesce(GLOBALEVENTID, ''), '[0-9]+') THEN 'bad GLOBALEVENTID'
            WHEN try_strptime(MentionTimeDate, '%Y%m%d%H%M%S') IS NULL
                THEN 'bad MentionTimeDate ' || coalesce(MentionTimeDate, '(empty)')
            WHEN MentionIdentifier IS NULL THEN 'empty MentionIdentifier'
        END AS _reason,
        false AS _duplicate
    FROM {source}
    """
    insert = """
    INSERT INTO mentions BY NAME SELECT
        'gdelt2:' || GLOBALEVENTID AS event_id, MentionIdentifier AS doc_id,
        try_cast(ActionCharOffset AS INTEGER) AS char_start,
        CAST(strptime(MentionTimeDate, '%Y%m%d%H%M%S') AS DATE) AS date,
        MentionSourceName AS outlet, try_cast(SentenceID AS INTEGER) AS sentence_no,
        try_cast(Confidence AS DOUBLE) AS confidence, ? AS batch_id
    FROM _stage WHERE _reason IS NULL AND NOT _duplicate
    """
    return stage, insert


def _mark_stored_mentions(conn: duckdb.DuckDBPyConnection) -> int:
    """Flag mentions already stored (the same table imported again as .zip, .gz or re-export) and count them.

    A mention is one sentence of one report about one event: an article that mentions an event in two
    sentences is two mentions, the same sentence imported twice is one.
    """
    conn.execute(
        "UPDATE _stage SET _duplicate = true WHERE _reason IS NULL AND EXISTS (SELECT 1 FROM mentions m"
        " WHERE m.event_id = 'gdelt2:' || _stage.GLOBALEVENTID AND m.doc_id = _stage.MentionIdentifier"
        " AND m.sentence_no IS NOT DISTINCT FROM try_cast(_stage.SentenceID AS INTEGER)"
        " AND m.char_start IS NOT DISTINCT FROM try_cast(_stage.ActionCharOffset AS INTEGER))"
    )
    row = conn.execute("SELECT count(*) FROM _stage WHERE _duplicate").fetchone()
    return int(row[0]) if row else 0


def _quad_of_root(root: str) -> str:
    return (
        f"CASE WHEN CAST({root} AS INTEGER) <= 5 THEN 1 WHEN CAST({root} AS INTEGER) <= 9 THEN 2"
        f" WHEN CAST({root} AS INTEGER) <= 14 THEN 3 ELSE 4 END"
    )


def _icews_sql(source: str) -> tuple[str, str]:
    # ICEWS codes sometimes lost a leading zero on the way through spreadsheets ("40" for "040").
    code = 'CASE WHEN length("CAMEO Code") IN (2, 3) AND NOT EXISTS (SELECT 1 FROM _cameo WHERE code = "CAMEO Code") THEN \'0\' || "CAMEO Code" ELSE "CAMEO Code" END'  # noqa: E501
    valid_code = _VALID_CODE.format("coalesce(_code_text, '')").replace("_code_text", '"CAMEO Code"')
    stage = f"""
    CREATE OR REPLACE TEMP TABLE _stage AS SELECT
        "Event ID" AS _id, try_cast("Event Date" AS DATE) AS _date,
        'icews:' || "Event ID" || ':' || "Event Date" AS _event_id,
        "Source Name" AS _src_name, "Source Sectors" AS _src_sectors, "Source Country" AS _src_country,
        "Target Name" AS _tgt_name, "Target Sectors" AS _tgt_sectors, "Target Country" AS _tgt_country,
        {code} AS _code, "Intensity" AS _intensity, "Story ID" AS _story, "Sentence Number" AS _sentence,
        CASE
            WHEN "Event ID" IS NULL THEN 'empty Event ID'
            WHEN try_cast("Event Date" AS DATE) IS NULL
                THEN 'bad Event Date ' || coalesce("Event Date", '(empty)')
            WHEN NOT {valid_code}
                THEN 'bad CAMEO Code ' || coalesce("CAMEO Code", '(empty)')
            WHEN try_cast("Intensity" AS DOUBLE) IS NULL OR abs(try_cast("Intensity" AS DOUBLE)) > 10
                THEN 'bad Intensity ' || coalesce("Intensity", '(empty)')
        END AS _reason,
        false AS _duplicate
    FROM {source}
    """
    insert = f"""
    INSERT INTO events BY NAME SELECT
        s._event_id AS event_id, 'icews' AS dataset, s._id AS original_id, s._date AS date,
        'day' AS date_precision,
        coalesce(c1.iso3, {_icews_body("s._src_sectors")}) AS source_country,
        CASE WHEN c1.iso3 IS NULL AND {_icews_body("s._src_sectors")} IS NOT NULL THEN ''
             ELSE coalesce(k1.sector, '') END AS source_sector,
        coalesce(s._src_name, '') AS source_text, s._src_name AS source_code,
        coalesce(c2.iso3, {_icews_body("s._tgt_sectors")}) AS target_country,
        CASE WHEN c2.iso3 IS NULL AND {_icews_body("s._tgt_sectors")} IS NOT NULL THEN ''
             ELSE coalesce(k2.sector, '') END AS target_sector,
        coalesce(s._tgt_name, '') AS target_text, s._tgt_name AS target_code,
        s._code AS cameo, left(s._code, 2) AS cameo_root,
        coalesce(cb.label, cb3.label) AS cameo_label, coalesce(cb.plover, cb3.plover) AS plover,
        CAST(s._intensity AS DOUBLE) AS goldstein, {_quad_of_root("left(s._code, 2)")} AS quad_class,
        'asserted' AS modality, 'icews' AS rule, 1 AS mentions, 1 AS num_sources,
        s._story AS doc_id, ? AS batch_id
    FROM _stage s
    LEFT JOIN _country_name c1 ON c1.name = s._src_country
    LEFT JOIN _country_name c2 ON c2.name = s._tgt_country
    LEFT JOIN _sector_name k1 ON k1.name = s._src_sectors
    LEFT JOIN _sector_name k2 ON k2.name = s._tgt_sectors
    LEFT JOIN _cameo cb ON cb.code = s._code
    LEFT JOIN _cameo cb3 ON cb3.code = left(s._code, 3)
    WHERE s._reason IS NULL AND NOT s._duplicate
    """
    return stage, insert


def _polecat_sql(source: str, intensity: str, columns: list[str]) -> tuple[str, str]:
    def col(name: str) -> str:
        return f'"{name}"' if name in columns else "NULL"

    stage = f"""
    CREATE OR REPLACE TEMP TABLE _stage AS SELECT
        "Event ID" AS _id, try_cast(left("Event Date", 10) AS DATE) AS _date,
        'polecat:' || "Event ID" AS _event_id,
        upper(trim("Event Type")) AS _type, {col("Event Mode")} AS _mode, "{intensity}" AS _intensity,
        {col("Quad Code")} AS _quad,
        "Actor Name" AS _src_name, {col("Primary Actor Sector")} AS _src_sectors,
        "Actor Country" AS _src_country,
        "Recipient Name" AS _tgt_name, {col("Primary Recipient Sector")} AS _tgt_sectors,
        "Recipient Country" AS _tgt_country, {col("Source")} AS _story,
        CASE
            WHEN "Event ID" IS NULL THEN 'empty Event ID'
            WHEN try_cast(left("Event Date", 10) AS DATE) IS NULL
                THEN 'bad Event Date ' || coalesce("Event Date", '(empty)')
            WHEN upper(trim("Event Type")) NOT IN (SELECT plover FROM _plover_root)
                THEN 'bad Event Type ' || coalesce("Event Type", '(empty)')
            WHEN "{intensity}" IS NOT NULL AND (try_cast("{intensity}" AS DOUBLE) IS NULL
                 OR abs(try_cast("{intensity}" AS DOUBLE)) > 10)
                THEN 'bad {intensity} ' || "{intensity}"
        END AS _reason,
        false AS _duplicate
    FROM {source}
    """
    insert = """
    INSERT INTO events BY NAME SELECT
        s._event_id AS event_id, 'polecat' AS dataset, s._id AS original_id, s._date AS date,
        'day' AS date_precision,
        c1.iso3 AS source_country,
        CASE WHEN upper(s._src_sectors) IN (SELECT sector FROM _gdelt_sector) OR upper(s._src_sectors) = 'DIP'
             THEN upper(s._src_sectors) ELSE coalesce(k1.sector, '') END AS source_sector,
        coalesce(s._src_name, '') AS source_text, s._src_name AS source_code,
        c2.iso3 AS target_country,
        CASE WHEN upper(s._tgt_sectors) IN (SELECT sector FROM _gdelt_sector) OR upper(s._tgt_sectors) = 'DIP'
             THEN upper(s._tgt_sectors) ELSE coalesce(k2.sector, '') END AS target_sector,
        coalesce(s._tgt_name, '') AS target_text, s._tgt_name AS target_code,
        NULL AS cameo, r.root AS cameo_root, NULL AS cameo_label, s._type AS plover,
        try_cast(s._intensity AS DOUBLE) AS goldstein,
        coalesce(try_cast(s._quad AS TINYINT), r.quad) AS quad_class,
        'asserted' AS modality, 'polecat' AS rule, 1 AS mentions, 1 AS num_sources,
        s._story AS doc_id, ? AS batch_id
    FROM _stage s
    JOIN _plover_root r ON r.plover = s._type
    LEFT JOIN _country_name c1 ON c1.name = s._src_country
    LEFT JOIN _country_name c2 ON c2.name = s._tgt_country
    LEFT JOIN _sector_name k1 ON k1.name = s._src_sectors
    LEFT JOIN _sector_name k2 ON k2.name = s._tgt_sectors
    WHERE s._reason IS NULL AND NOT s._duplicate
    """
    return stage, insert


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
