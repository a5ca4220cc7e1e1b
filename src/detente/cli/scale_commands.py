"""Scale commands: `detente scale ingest` codes on Dask workers and stores from this process."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from detente.cli.app import app
from detente.errors import InputError

__all__ = ["scale_app"]

scale_app = typer.Typer(
    name="scale",
    help="Code news on several cores or a Dask cluster; the store is written by this process alone.",
    no_args_is_help=True,
)
app.add_typer(scale_app, name="scale")

_err = Console(stderr=True, soft_wrap=True)


def _positive(value: int | None, option: str) -> None:
    # Checked here rather than with typer's min=: typer reports a usage error as a multi-line box.
    if value is not None and value < 1:
        raise InputError(f"{option} {value}: must be 1 or more")


def _published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--published: {value!r} is not a date (YYYY-MM-DD)") from None


@scale_app.command("ingest")
def scale_ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs or feeds of news (- for stdin).")],
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            help="Worker processes here (default: one per core; a tcp:// cluster has its own).",
        ),
    ] = None,
    scheduler: Annotated[
        str,
        typer.Option(
            "--scheduler",
            help="processes, threads, synchronous, or a dask.distributed scheduler address (tcp://host:8786).",
        ),
    ] = "processes",
    partition_size: Annotated[
        int | None,
        typer.Option(help="Documents (JSONL lines, or input files) per worker task (default 200)."),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", envvar="DETENTE_DB", help="Event store file (default ./detente.duckdb)."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(help="Documents per committed batch (larger than ingest's 20: see docs/scale.md).")
    ] = 200,
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
    connect_timeout: Annotated[
        float, typer.Option(help="Seconds to wait for a tcp:// scheduler and its first worker.", min=0.1)
    ] = 10.0,
) -> None:
    """Like `detente ingest`, with the coding spread over Dask workers; same store, same counts."""
    from detente.scale import DEFAULT_PARTITION_SIZE, LOCAL_SCHEDULERS, Cluster, ingest_distributed
    from detente.sources import ReadProblem
    from detente.store import IngestReport
    from detente.store.store import resolve_path

    _positive(workers, "--workers")
    _positive(partition_size, "--partition-size")
    _positive(batch_size, "--batch-size")
    if dedup_window < 0:
        raise InputError(f"--dedup-window {dedup_window}: must be 0 or more")
    fallback_date = _published(published)
    if scheduler in LOCAL_SCHEDULERS:
        from detente.coding.nlp import resolve_model_name

        resolve_model_name(model)  # workers here would all fail on a model that is not installed
    store_path = resolve_path(db)
    problems: list[ReadProblem] = []
    columns = (TextColumn("[bold]scale ingest"), BarColumn(), TextColumn("{task.completed} documents"),
               TextColumn("{task.fields[events]} events"), TimeElapsedColumn())  # fmt: skip
    # Connects (or starts the pool) before anything is read or created: a wrong address is one line.
    with Cluster(scheduler, workers, connect_timeout=connect_timeout) as cluster:
        progress = Progress(*columns, console=_err, transient=False)
        task = progress.add_task("ingest", total=None, events=0)

        def advance(report: IngestReport, size: int) -> None:
            # shown from the first stored batch: a run that reads nothing ends with its error alone
            progress.start()
            progress.update(task, advance=size, events=report.events_added)

        try:
            report = ingest_distributed(
                paths,
                store_path,
                cluster=cluster,
                partition_size=partition_size or DEFAULT_PARTITION_SIZE,
                batch_size=batch_size,
                dedup_window_days=dedup_window,
                published=fallback_date,
                model=model,
                fetch_links=fetch,
                timeout=timeout,
                on_error=problems.append,
                on_batch=advance,
            )
        finally:
            progress.stop()
            for problem in problems:
                _err.print(f"detente: {problem}", highlight=False, markup=False)
    stored = report.ingest
    typer.echo(
        f"{stored.documents_added} documents stored ({stored.documents_skipped} already stored), "
        f"{stored.events_added} new events, {stored.events_merged} reports merged into known events "
        f"-> {store_path}"
    )
    extra = [f"{report.renamed} repeated id(s) renamed and coded again"] if report.renamed else []
    if report.coded_on_client:
        extra.append(f"{report.coded_on_client} document(s) coded here")
    typer.echo(
        f"coded {report.sentences} sentences in {report.partitions} partitions in {len(report.workers)} "
        f"worker process(es) ({cluster_label(scheduler, workers)})" + "".join(f"; {item}" for item in extra),
        err=True,
    )


def cluster_label(scheduler: str, workers: int | None) -> str:
    if scheduler == "processes":
        return f"{workers or os.cpu_count() or 1} processes"
    return scheduler


@scale_app.command("dyad-series")
def scale_dyad_series(
    parquet: Annotated[Path, typer.Argument(help="Folder written by `detente export --format parquet`.")],
    out: Annotated[
        Path, typer.Option(help="CSV to write (.csv.gz compresses): date,country_a,country_b,weight.")
    ],
    dataset: Annotated[
        str | None, typer.Option(help="Only events of this dataset (detente, gdelt2, ...).")
    ] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First date (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Threads or processes (default: one per core).")
    ] = None,
    scheduler: Annotated[
        str, typer.Option("--scheduler", help="threads, processes, synchronous, or tcp://host:8786.")
    ] = "threads",
    connect_timeout: Annotated[
        float, typer.Option(help="Seconds to wait for a tcp:// scheduler and its first worker.", min=0.1)
    ] = 10.0,
) -> None:
    """Daily Goldstein sum per country pair from exported events, out of core (for `import dyad-series`)."""
    from detente.scale import Cluster, dyad_series, write_series

    _positive(workers, "--workers")
    start, end = _date(from_, "--from"), _date(to, "--to")
    if start is not None and end is not None and end < start:
        raise InputError(f"--to {end}: is before --from {start}")
    if not parquet.exists():
        raise InputError(f"{parquet}: no such file or folder")
    if out.is_dir():
        raise InputError(f"--out {out}: is a folder; give a file name such as series.csv.gz")
    if not out.parent.exists():
        raise InputError(f"--out {out}: folder {out.parent} does not exist")
    with Cluster(scheduler, workers, connect_timeout=connect_timeout) as cluster:
        series = dyad_series(parquet, dataset=dataset, start=start, end=end, cluster=cluster)
    if series.empty:
        scope = f" of dataset {dataset!r}" if dataset else ""
        raise InputError(f"{parquet}: no events{scope} between two different countries with a date")
    write_series(series, out)
    typer.echo(
        f"{len(series):,} dyad-days ({int(series['events'].sum()):,} events, "
        f"{series['date'].min()} to {series['date'].max()}) -> {out}; "
        f"load them with `detente import dyad-series {out} --dataset NAME`"
    )


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None
