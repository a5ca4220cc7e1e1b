"""`detente code`: read news from files, folders, URLs, feeds or stdin and write one record per event."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from detente.cli.app import app
from detente.errors import InputError
from detente.record import EVENT_FIELDS, Document, Event
from detente.sources import ReadProblem, read_paths
from detente.sources.text import parse_date

__all__ = ["OutputFormat", "code_command", "write_csv_header", "write_events"]


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


_SUFFIX_FORMATS = {
    ".jsonl": OutputFormat.jsonl,
    ".ndjson": OutputFormat.jsonl,
    ".json": OutputFormat.jsonl,
    ".csv": OutputFormat.csv,
    ".txt": OutputFormat.table,
}


@app.command("code")
def code_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt, .html, .jsonl, .xml/.rss/.atom feeds, or .gz of these), folders, URLs, -.",
            show_default=False,
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            metavar="YYYY-MM-DD",
            help="Publication date for documents that carry none (otherwise their date is unknown).",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: from the suffix of --out, else jsonl).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write here (atomically) instead of stdout.", dir_okay=False),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy model to parse with (default: the English one).")
    ] = None,
    fetch: Annotated[
        bool, typer.Option("--fetch", help="For feeds: fetch and code each entry's linked page.")
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait per URL.", min=0.1)] = 20.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")] = False,
) -> None:
    """Code news into events: who did what to whom, when, with the sentence that says so.

    An input that cannot be read is reported on stderr in one line and skipped.
    The exit status is non-zero only when nothing at all could be read.
    """
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        fallback_date = _parse_published(published)
        chosen = output_format or _format_from_suffix(out)
        if out is not None:
            _check_output_path(out, paths)
        _run(paths, fallback_date, chosen, out, model, fetch, timeout, quiet, errors)
    except InputError as error:
        errors.print(f"detente: error: {error}", markup=False)
        raise typer.Exit(2) from None


def _parse_published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        raise InputError(f"--published: {error}") from None


def _format_from_suffix(out: Path | None) -> OutputFormat:
    if out is None:
        return OutputFormat.jsonl
    suffix = out.suffix.lower()
    if suffix and suffix not in _SUFFIX_FORMATS:
        # Writing JSONL into "events.parquet" or "events.xlsx" would leave a file its reader rejects.
        known = ", ".join(sorted(_SUFFIX_FORMATS))
        raise InputError(f"--out {out}: no output format for {suffix} (name it {known}, or give --format)")
    return _SUFFIX_FORMATS.get(suffix, OutputFormat.jsonl)


def _check_output_path(out: Path, inputs: Iterable[str]) -> None:
    if out.is_dir():
        raise InputError(f"--out {out}: is a directory")
    if not out.parent.exists():
        raise InputError(f"--out {out}: folder {out.parent} does not exist")
    resolved = out.resolve()
    for item in inputs:
        if item != "-" and Path(item).resolve() == resolved:
            raise InputError(f"--out {out}: is also an input; it would be overwritten")


def _coder(model: str | None) -> Callable[[Iterable[Document]], Iterator[Event]]:
    import detente.coding as coding

    if model is None and hasattr(coding, "default_coder"):
        # The process-wide coder: loaded once even when a process runs several commands.
        default: Callable[[Iterable[Document]], Iterator[Event]] = coding.default_coder().code_documents
        return default
    coder_class = getattr(coding, "Coder", None)
    if coder_class is not None:
        method: Callable[[Iterable[Document]], Iterator[Event]] = coder_class(model=model).code_documents
        return method
    if model is not None:
        raise InputError("--model: this version of the coder cannot load another model")
    code_documents: Callable[[Iterable[Document]], Iterator[Event]] | None = getattr(
        coding, "code_documents", None
    )
    if code_documents is None:
        raise InputError("the event coder is not installed in this version of detente")
    return code_documents


def _code_lazily(model: str | None, documents: Iterable[Document]) -> Iterator[Event]:
    """Events of ``documents``; the coder (a spaCy model: a second to load) loads only if one arrives."""
    iterator = iter(documents)
    first = next(iterator, None)
    if first is None:
        return
    yield from _coder(model)(itertools.chain([first], iterator))


def _run(
    paths: list[str],
    published: dt.date | None,
    output_format: OutputFormat,
    out: Path | None,
    model: str | None,
    fetch: bool,
    timeout: float,
    quiet: bool,
    errors: Console,
) -> None:
    started = time.perf_counter()
    problems: list[ReadProblem] = []

    def report(problem: ReadProblem) -> None:
        problems.append(problem)
        errors.print(f"detente: {problem}", markup=False)

    progress = _LazyProgress(errors, enabled=not quiet)
    documents = read_paths(paths, published=published, on_error=report, fetch_links=fetch, timeout=timeout)
    counted = progress.count(documents)
    try:
        with _output(out) as stream:
            written = write_events(
                progress.tally(_code_lazily(model, counted)), stream, output_format, finish=progress.stop
            )
            if progress.documents == 0:
                skipped = sum(1 for problem in problems if problem.skipped)
                raise InputError(f"nothing could be read ({skipped} input(s) skipped, see above)")
            if written == 0 and output_format is OutputFormat.csv:
                # A header even without events, so that a CSV consumer sees the expected columns.
                write_csv_header(stream)
    finally:
        progress.stop()
    if not quiet:
        seconds = time.perf_counter() - started
        skipped = sum(1 for problem in problems if problem.skipped)
        tail = f", {skipped} input(s) skipped" if skipped else ""
        where = f" to {out}" if out is not None else ""
        errors.print(
            f"detente: coded {progress.documents} document(s) into {written} event(s){where}{tail} "
            f"in {seconds:.1f} s",
            markup=False,
        )


@contextmanager
def _output(out: Path | None) -> Iterator[IO[str]]:
    """stdout, or a temporary file beside ``out`` renamed onto it only when everything succeeded."""
    if out is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        descriptor, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    except OSError as error:
        raise InputError(f"--out {out}: cannot write there ({error.strerror})") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_events(
    events: Iterable[Event],
    stream: IO[str],
    output_format: OutputFormat,
    finish: Callable[[], None] | None = None,
) -> int:
    """Write ``events`` to ``stream`` in ``output_format`` with ``EVENT_FIELDS`` names; return the count.

    JSONL and CSV stream record by record; the table is drawn once all events are in. ``finish``
    runs after the last event is consumed and before the table is drawn (to end a progress bar).
    """
    count = 0
    if output_format is OutputFormat.table:
        collected = list(events)
        if finish:
            finish()
        _write_table(collected, stream)
        return len(collected)
    writer: Any = None
    for event in events:
        record = event.to_dict()
        if output_format is OutputFormat.jsonl:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            if writer is None:
                writer = write_csv_header(stream)
            writer.writerow({key: "" if value is None else value for key, value in record.items()})
        count += 1
    if finish:
        finish()
    return count


def write_csv_header(stream: IO[str]) -> Any:
    """Write the CSV header (``EVENT_FIELDS``) and return the writer for the rows."""
    writer = csv.DictWriter(stream, fieldnames=EVENT_FIELDS, lineterminator="\n")
    writer.writeheader()
    return writer


def _actor(country: str | None, sector: str | None, text: str) -> str:
    code = " ".join(part for part in (country, sector) if part) or "?"
    if not text or text.startswith("("):
        return code
    return f"{code} ({text})"


def _write_table(events: list[Event], stream: IO[str]) -> None:
    is_terminal = stream is sys.stdout and sys.stdout.isatty()
    console = Console(file=stream, force_terminal=is_terminal, width=None if is_terminal else 160)
    table = Table(title=f"{len(events)} event(s)", show_lines=False, expand=False)
    for name, style, justify, max_width in (
        ("date", "cyan", "left", 10),
        ("source", "bold", "left", 24),
        ("event", "", "left", 24),
        ("target", "bold", "left", 24),
        ("gold.", "", "right", 6),
        ("modality", "", "left", 12),
        ("doc", "dim", "left", 28),
        ("evidence", "dim", "left", None),
    ):
        table.add_column(
            name,
            justify=justify,  # type: ignore[arg-type]
            style=style or None,
            max_width=max_width,
            min_width=40 if max_width is None else None,
            overflow="fold",
        )
    for event in events:
        table.add_row(
            event.date or "unknown",
            _actor(event.source_country, event.source_sector, event.source_text),
            f"{event.cameo} {event.cameo_label}",
            _actor(event.target_country, event.target_sector, event.target_text),
            f"{event.goldstein:+.1f}",
            event.modality,
            event.doc_id,
            _shorten(event.sentence, 90),
        )
    console.print(table)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _LazyProgress:
    """A progress line on stderr that appears only once a second document arrives.

    A single article needs no bar, and a bar on a non-terminal stderr (a log file, a pipe) would
    only add noise, so it never starts there.
    """

    def __init__(self, console: Console, *, enabled: bool) -> None:
        self.enabled = enabled and console.is_terminal
        self.documents = 0
        self.events = 0
        self._progress: Progress | None = None
        self._task: Any = None
        self._console = console

    def count(self, documents: Iterable[Document]) -> Iterator[Document]:
        for document in documents:
            self.documents += 1
            if self.documents == 2 and self.enabled and self._progress is None:
                self._start()
            self._update()
            yield document

    def tally(self, events: Iterable[Event]) -> Iterator[Event]:
        for event in events:
            self.events += 1
            self._update()
            yield event

    def _start(self) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("coding: {task.fields[documents]} document(s) read, {task.fields[events]} event(s)"),
            TimeElapsedColumn(),
            console=self._console,
            transient=True,
        )
        self._task = self._progress.add_task("code", total=None, documents=0, events=0)
        self._progress.start()

    def _update(self) -> None:
        if self._progress is not None:
            self._progress.update(self._task, documents=self.documents, events=self.events)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
