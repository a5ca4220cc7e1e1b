"""Store commands: `ingest`, `events`, `export`, `stats` and the `import` group.

Every command takes ``--db PATH`` (else ``DETENTE_DB``, else ``./detente.duckdb``).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from detente.cli.app import app
from detente.countries import is_iso3, suggest
from detente.errors import InputError
from detente.store import Store, normalize_root
from detente.store.store import resolve_path

__all__ = ["import_app"]

import_app = typer.Typer(
    name="import",
    help="Import existing event datasets (GDELT 1.0/2.0, ICEWS, POLECAT) or dyad-day series into the store.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="DETENTE_DB", help="Event store file (default ./detente.duckdb)."),
]
_err = Console(stderr=True, soft_wrap=True)  # messages name files and URLs: never wrap them


def _country(code: str, option: str) -> str:
    upper = code.strip().upper()
    if is_iso3(upper):
        return upper
    close = suggest(code)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise InputError(f"{option} {code!r}: not an ISO 3166 alpha-3 country code{hint}")


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None


def _date_range(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    first, last = _date(start, "--from"), _date(end, "--to")
    if first is not None and last is not None and last < first:
        raise InputError(f"--to {last}: is before --from {first}")
    return first, last


def _at_least(value: int | None, minimum: int, option: str) -> None:
    # Checked here rather than with typer's min=: typer reports a usage error as a multi-line box.
    if value is not None and value < minimum:
        raise InputError(f"{option} {value}: must be {minimum} or more")


def _existing_store(db: Path | None) -> Path:
    """The store path of a command that only makes sense on a store that exists (never creates one)."""
    path = resolve_path(db)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an event store file")
    if not path.exists():
        raise InputError(f"{path}: no event store there (create one with `detente ingest` or `import`)")
    return path


def _check_out_file(out: Path) -> None:
    if out.is_dir():
        raise InputError(f"--out {out}: is a folder; give a file name")
    if not out.parent.exists():
        raise InputError(f"--out {out}: folder {out.parent} does not exist")


@contextmanager
def _writing(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out``, renamed onto it only when the writer finished: no partial file."""
    _check_out_file(out)
    try:
        descriptor, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    except OSError as error:
        raise InputError(f"--out {out}: cannot write there ({error.strerror})") from None
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, out)
    except OSError as error:
        raise InputError(f"--out {out}: cannot write there ({error.strerror})") from None
    finally:
        temporary.unlink(missing_ok=True)


# -- ingest ------------------------------------------------------------------------------------------


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs or feeds of news (- for stdin).")],
    db: DbOption = None,
    batch_size: Annotated[int, typer.Option(help="Documents per committed batch.")] = 20,
    dedup_window: Annotated[
        int, typer.Option(help="Days within which reports of the same dyad and CAMEO root are one event.")
    ] = 2,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            metavar="YYYY-MM-DD",
            help="Publication date for documents that carry none (otherwise their date is unknown).",
        ),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy model to parse with (default: the English one).")
    ] = None,
    fetch: Annotated[
        bool, typer.Option("--fetch", help="For feeds: fetch and code each entry's linked page.")
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait per URL.", min=0.1)] = 20.0,
) -> None:
    """Code news and store documents and events; re-ingesting the same report changes nothing."""
    import itertools

    from detente.coding import Coder
    from detente.sources import ReadProblem, read_paths
    from detente.store import IngestReport
    from detente.store import ingest as run_ingest

    _at_least(batch_size, 1, "--batch-size")
    _at_least(dedup_window, 0, "--dedup-window")
    fallback_date = _published_option(published)
    coder = Coder(model=model)  # an unknown model fails here, before the store is touched
    problems: list[ReadProblem] = []
    documents = iter(
        read_paths(
            paths, published=fallback_date, on_error=problems.append, fetch_links=fetch, timeout=timeout
        )
    )
    # Read the first document before creating the store: inputs that all fail must not leave an empty store.
    first = next(documents, None)
    if first is None:
        for problem in problems:
            _err.print(f"detente: {problem}", highlight=False, markup=False)
        skipped = sum(1 for problem in problems if problem.skipped)
        raise InputError(f"nothing could be read from {' '.join(paths)} ({skipped} input(s) skipped)")
    store = Store(db, dedup_window_days=dedup_window)
    columns = (TextColumn("[bold]ingest"), BarColumn(), TextColumn("{task.completed} documents"),
               TextColumn("{task.fields[events]} events"), TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=_err, transient=False) as progress:
        task = progress.add_task("ingest", total=None, events=0)

        def advance(report: IngestReport, size: int) -> None:
            progress.update(task, advance=size, events=report.events_added)

        report = run_ingest(
            itertools.chain([first], documents),
            store,
            code=coder.code_documents,
            batch_size=batch_size,
            location=" ".join(paths),
            on_batch=advance,
        )
    store.close()
    for problem in problems:
        _err.print(f"detente: {problem}", highlight=False, markup=False)
    typer.echo(
        f"{report.documents_added} documents stored ({report.documents_skipped} already stored), "
        f"{report.events_added} new events, {report.events_merged} reports merged into known events "
        f"-> {store.path}"
    )


def _published_option(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--published: {value!r} is not a date (YYYY-MM-DD)") from None


# -- events ------------------------------------------------------------------------------------------


class EventFormat(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def events(
    dyad: Annotated[
        tuple[str, str] | None, typer.Option(help="Two country codes; both directions unless --directed.")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Country code on either side.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First date (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).")] = None,
    root: Annotated[str | None, typer.Option(help="CAMEO root, e.g. 19.")] = None,
    dataset: Annotated[str | None, typer.Option(help="detente, gdelt1, gdelt2, icews or polecat.")] = None,
    directed: Annotated[bool, typer.Option(help="Only events from the first to the second country.")] = False,
    format_: Annotated[EventFormat, typer.Option("--format", help="Output format.")] = EventFormat.table,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output.")] = None,
    limit: Annotated[
        int | None, typer.Option(help="At most this many events (table: 50 by default).")
    ] = None,
    db: DbOption = None,
) -> None:
    """List stored events matching the filters."""
    pair = (_country(dyad[0], "--dyad"), _country(dyad[1], "--dyad")) if dyad else None
    who = _country(actor, "--actor") if actor else None
    start, end = _date_range(from_, to)
    cameo_root = normalize_root(root) if root is not None else None
    _at_least(limit, 0, "--limit")
    if format_ is EventFormat.parquet and out is None:
        raise InputError("--format parquet needs --out FILE")
    if out is not None:
        _check_out_file(out)
    if format_ is EventFormat.table and limit is None and out is None:
        limit = 50
    store = Store(db, read_only=True)
    frame = store.events(pair, who, start, end, cameo_root, dataset, directed=directed, limit=limit)
    if format_ is EventFormat.table:
        _print_table(frame, truncated=limit is not None and len(frame) == limit)
        return
    if format_ is not EventFormat.parquet:
        # Text formats carry dates as the record does: YYYY-MM-DD.
        for column in ("date", "reported"):
            frame[column] = frame[column].map(_day)
    writers: dict[EventFormat, Callable[[Any], Any]] = {
        EventFormat.parquet: lambda target: frame.to_parquet(target, index=False),
        EventFormat.csv: lambda target: frame.to_csv(target, index=False),
        EventFormat.jsonl: lambda target: frame.to_json(
            target, orient="records", lines=True, date_format="iso", force_ascii=False
        ),
    }
    if out is None:
        writers[format_](sys.stdout)
        return
    with _writing(out) as temporary:
        writers[format_](temporary)
    typer.echo(f"{len(frame)} events -> {out}", err=True)


def _print_table(frame: Any, truncated: bool = False) -> None:
    # Eleven raw columns squeezed into a terminal truncate every cell to "sou…": merge each side's
    # country and sector, the code and its label, and let only the label wrap.
    console = Console()
    table = Table(show_lines=False)
    table.add_column("date", no_wrap=True)
    table.add_column("source", no_wrap=True)
    table.add_column("event", overflow="fold", ratio=1)
    table.add_column("target", no_wrap=True)
    table.add_column("gold.", justify="right", no_wrap=True)
    table.add_column("reports", justify="right", no_wrap=True)
    datasets = sorted({_text(value) for value in frame["dataset"]})
    several = len(datasets) > 1  # one dataset is named below the table: its column would take label room
    if several:
        table.add_column("dataset", no_wrap=True)
    for row in frame.itertuples(index=False):
        cells = [
            _day(row.date),
            _side(row.source_country, row.source_sector),
            f"{_text(row.cameo)} {_text(row.cameo_label)}".strip(),
            _side(row.target_country, row.target_sector),
            _text(row.goldstein),
            _text(row.mentions),
        ]
        table.add_row(*cells, *([_text(row.dataset)] if several else []))
    console.print(table)
    console.print(
        f"{len(frame)} "
        + (f"{datasets[0]} " if len(datasets) == 1 else "")
        + "events"
        + (" (the first ones: --limit N, or --format csv for all)" if truncated else "")
    )


def _missing(value: Any) -> bool:
    # None, NaN, NaT and pandas' NA (whose `!=` raises rather than answering) all print as blank.
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value)


def _side(country: Any, sector: Any) -> str:
    return " ".join(part for part in (_text(country), _text(sector)) if part)


def _day(value: Any) -> str:
    if _missing(value):
        return ""
    return str(value)[:10]


# -- export ------------------------------------------------------------------------------------------


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


@app.command()
def export(
    out: Annotated[Path, typer.Option(help="Folder to write (Hive-partitioned by year).")],
    format_: Annotated[ExportFormat, typer.Option("--format", help="parquet or csv.")] = ExportFormat.parquet,
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    db: DbOption = None,
) -> None:
    """Export events as year=YYYY/ partitions that Spark, DuckDB, Polars or BigQuery read directly."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file; give a new folder")
    if out.exists() and any(out.iterdir()):
        raise InputError(f"--out {out}: folder is not empty; export into a new folder")
    store = Store(db, read_only=True)  # before creating the folder: a missing store leaves nothing behind
    where = "WHERE dataset = ?" if dataset else ""
    params = [dataset] if dataset else []
    with store.session() as conn:
        row = conn.execute(f"SELECT count(*) FROM events {where}", params).fetchone()
        count = int(row[0]) if row else 0
        if count == 0:
            # An empty folder would look like a successful export to whatever reads it next.
            held = [r[0] for r in conn.execute("SELECT DISTINCT dataset FROM events ORDER BY 1").fetchall()]
            holds = f"; it holds {', '.join(held)}" if held else ""
            subject = f"no {dataset} events" if dataset else "no events"
            raise InputError(f"{store.path}: {subject} to export{holds}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"--out {out}: cannot create the folder ({error.strerror})") from None
    options = (
        "FORMAT parquet, COMPRESSION zstd" if format_ is ExportFormat.parquet else "FORMAT csv, HEADER true"
    )
    path_literal = "'" + str(out).replace("'", "''") + "'"
    with store.session() as conn:
        conn.execute(
            f"COPY (SELECT *, coalesce(year(date), 0) AS year FROM events {where}) TO {path_literal}"
            f" ({options}, PARTITION_BY (year), OVERWRITE_OR_IGNORE true)",
            params,
        )
    store.close()
    typer.echo(f"{count} events -> {out}/year=YYYY/ ({format_.value}; undated events under year=0)")


# -- stats -------------------------------------------------------------------------------------------


@app.command()
def stats(db: DbOption = None) -> None:
    """What the store holds: events per dataset, dates, dyads, documents, mentions, rejected rows."""
    store = Store(db, read_only=True)
    info = store.stats()
    console = Console()
    table = Table(title=f"{info['path']} ({info['bytes'] / 1e6:.1f} MB)")
    for column in ("dataset", "events", "first", "last", "directed dyads"):
        table.add_column(column)
    for row in info["datasets"].itertuples(index=False):
        table.add_row(str(row.dataset), f"{row.events:,}", _day(row.first), _day(row.last), f"{row.dyads:,}")
    console.print(table)
    console.print(
        f"documents {info['documents']:,} · mentions {info['mentions']:,} · batches {info['batches']:,}"
        f" · rejected rows {info['rejected_rows']:,} · dyad-day series rows {info['dyad_days']:,}"
    )


@app.command()
def optimize(db: DbOption = None) -> None:
    """Merge and sort the dyad-day aggregate so dyad time series stay fast as the store grows."""
    store = Store(_existing_store(db))
    started = time.perf_counter()
    rows = store.optimize()
    store.close()
    typer.echo(
        f"event_days: {rows:,} rows, sorted by dyad in {time.perf_counter() - started:.1f} s -> {store.path}"
    )


# Imports that add more than this many events re-sort the aggregate themselves.
_OPTIMIZE_AFTER_ROWS = 1_000_000


# -- import ------------------------------------------------------------------------------------------


def _import(kind: str, paths: list[Path] | None, db: Path | None, start: str | None, end: str | None,
            base_url: str | None, mentions: bool) -> None:  # fmt: skip
    from detente.importers import FileReport, import_files

    # Everything that can be checked is checked before the store is created: a mistyped command must not
    # leave an empty store behind.
    if start is not None or end is not None:
        if paths:
            raise InputError("give either files or --from/--to, not both")
        if start is None or end is None:
            raise InputError("downloading needs both --from and --to")
        first, last = _date_range(start, end)
        _download(kind, Store(db), first, last, base_url, mentions)
        return
    if not paths:
        raise InputError(f"import {kind}: give files, or --from and --to to download")
    _check_inputs(paths)
    store = Store(db)
    with _progress() as progress:
        task = progress.add_task(kind, total=len(paths))

        def advance(report: FileReport) -> None:
            progress.update(task, advance=1)

        report = import_files(kind, paths, store, on_file=advance)
    if report.rows_stored >= _OPTIMIZE_AFTER_ROWS:
        store.optimize()
    store.close()
    for file_report in report.files:
        _print_file(file_report)
    typer.echo(
        f"{kind}: {report.rows_stored:,} rows stored, {report.rows_rejected:,} rejected, "
        f"{report.files_skipped} files already imported -> {store.path}"
    )


def _check_inputs(paths: list[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file")


def _print_file(file_report: Any) -> None:
    if file_report.skipped:
        _err.print(
            f"{file_report.location}: already imported (batch {file_report.batch_id})", highlight=False
        )
        return
    line = (
        f"{file_report.location}: {file_report.rows_stored:,} stored, {file_report.rows_rejected:,} rejected"
    )
    if file_report.duplicates:
        line += f", {file_report.duplicates:,} duplicates skipped"
    _err.print(line, highlight=False)
    for reject in file_report.rejects[:5]:
        _err.print(f"  {file_report.location}:{reject.line}: {reject.reason}", highlight=False)
    if file_report.rows_rejected > 5:
        _err.print("  ... every rejected row is in the store's `rejects` table", highlight=False)


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=_err)  # fmt: skip


def _download(kind: str, store: Store, start: dt.date | None, end: dt.date | None,
              base_url: str | None, mentions: bool) -> None:  # fmt: skip
    from detente.importers.download import download

    assert start is not None and end is not None
    with _progress() as progress:
        task = progress.add_task(f"{kind} download", total=None)

        def listed(count: int) -> None:
            progress.update(task, total=count)

        def advance(remote: Any, report: Any) -> None:
            progress.update(task, advance=1)

        report = download(kind, start, end, store, base_url=base_url, mentions=mentions,
                          on_file=advance, on_listed=listed)  # fmt: skip
    if report.imported is not None and report.imported.rows_stored >= _OPTIMIZE_AFTER_ROWS:
        store.optimize()
    store.close()
    imported = report.imported
    stored = imported.rows_stored if imported else 0
    rejected = imported.rows_rejected if imported else 0
    typer.echo(
        f"{kind}: {report.listed} files listed, {report.already_imported} already imported, "
        f"{stored:,} rows stored, {rejected:,} rejected -> {store.path}"
    )
    if report.failures:
        for failure in report.failures:
            _err.print(f"detente: {failure}", highlight=False)
        raise InputError(f"{len(report.failures)} of {report.listed} files failed; rerun to retry them")


_Paths = Annotated[list[Path] | None, typer.Argument(help="Files (plain, .gz or .zip).")]
_From = Annotated[str | None, typer.Option("--from", help="Download files from this day (YYYY-MM-DD).")]
_To = Annotated[str | None, typer.Option("--to", help="... to this day (inclusive).")]
_Base = Annotated[str | None, typer.Option("--base-url", help="Mirror of GDELT's file folder.")]


@import_app.command("gdelt1")
def import_gdelt1(paths: _Paths = None, from_: _From = None, to: _To = None, base_url: _Base = None,
                  db: DbOption = None) -> None:  # fmt: skip
    """GDELT 1.0 event exports (57/58 columns), or download them with --from/--to."""
    _import("gdelt1", paths, db, from_, to, base_url, False)


@import_app.command("gdelt2")
def import_gdelt2(
    paths: _Paths = None, from_: _From = None, to: _To = None, base_url: _Base = None,
    mentions: Annotated[bool, typer.Option(help="Also download the mentions tables.")] = False,
    db: DbOption = None,
) -> None:  # fmt: skip
    """GDELT 2.0 event exports (61 columns), or download them from masterfilelist.txt with --from/--to."""
    _import("gdelt2", paths, db, from_, to, base_url, mentions)


@import_app.command("gdelt2-mentions")
def import_gdelt2_mentions(paths: _Paths = None, db: DbOption = None) -> None:
    """GDELT 2.0 mentions tables (which article mentioned which event)."""
    _import("gdelt2-mentions", paths, db, None, None, None, False)


@import_app.command("icews")
def import_icews(paths: _Paths = None, db: DbOption = None) -> None:
    """ICEWS coded event files (tab-separated with header)."""
    _import("icews", paths, db, None, None, None, False)


@import_app.command("polecat")
def import_polecat(paths: _Paths = None, db: DbOption = None) -> None:
    """POLECAT (PLOVER-coded) event files (tab-separated with header)."""
    _import("polecat", paths, db, None, None, None, False)


@import_app.command("dyad-series")
def import_dyad_series(
    paths: Annotated[list[Path], typer.Argument(help="CSV files date,country_a,country_b,weight (.gz ok).")],
    dataset: Annotated[str, typer.Option(help="Name of the series in the store.")] = "gdelt2-network",
    db: DbOption = None,
) -> None:
    """Pre-aggregated dyad-day series (e.g. the GDELT daily country network) into `dyad_days`."""
    from detente.importers.dyad_series import import_series

    _check_inputs(paths)
    store = Store(db)
    report = import_series(paths, store, dataset)
    store.close()
    typer.echo(
        f"{dataset}: {report.rows_stored:,} dyad-days stored, {report.rows_rejected:,} rejected"
        f" -> {store.path}"
    )
