"""``detente demo``: the whole pipeline on the bundled sample, offline, in seconds.

Codes the bundled articles, stores them in ``DIR/detente.duckdb``, ranks the turnarounds, tests
Pakistan's June 2025 realignment from Iran toward the US, checks the claims of one article, and writes
a report and charts into DIR.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from detente.cli.app import app
from detente.errors import InputError

console = Console(width=None if sys.stdout.isatty() else 150)

DEMO_DB = "detente.duckdb"
# The article whose claim the demo checks: the January 2024 Iran–Pakistan repair.
CLAIM_ARTICLE_TITLE = "ambassadors will return"


@app.command("demo")
def demo_command(
    out: Annotated[Path, typer.Option("--out", help="Directory for the store, report and charts.")] = Path(
        "detente-demo"
    ),
) -> None:
    """Code the bundled sample, store it, find turnarounds and realignments, check a claim, write a report."""
    from detente.analysis import check_claims, dyad_index, find_turnarounds, realign
    from detente.cli.analysis_commands import _check_output, _print_claims, _standing
    from detente.coding import code_documents
    from detente.report import index_figure, leaderboard_figure, realign_figure, save_figure, write_report
    from detente.sources import sample_documents
    from detente.store import Store

    started = time.perf_counter()
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a directory")
    # Before coding anything: a folder that cannot be made or written is one line, not a late failure.
    _check_output(out / DEMO_DB, "--out")
    out.mkdir(parents=True, exist_ok=True)
    db = out / DEMO_DB
    # The demo store is ours to rebuild: a re-run starts from the sample again.
    for stale in (db, db.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    documents = list(sample_documents())
    console.print(f"[bold]1. coding[/bold] {len(documents)} bundled articles …")
    events = list(code_documents(documents))
    with Store(db) as store:
        result = store.add_coded(documents, events, kind="ingest", location="bundled sample")
        console.print(
            f"   {len(events)} events coded, {result.events_added} stored after merging "
            f"{result.events_merged} repeats → {db}"
        )

        console.print("[bold]2. turnarounds[/bold] across every dyad in the store")
        scan = find_turnarounds(store)
        for episode in scan.episodes:
            console.print("   " + _standing(episode, scan))
        written = save_figure(leaderboard_figure(scan, highlight=("IRN", "PAK")), out / "turnarounds")

        console.print("[bold]3. realignment[/bold]: Pakistan away from Iran, toward the United States?")
        shift = realign(store, "PAK", "IRN", "USA")
        if shift.strongest:
            best = shift.strongest
            console.print(
                f"   shift on {best.date}: PAK–IRN {best.away_before:+.1f} → {best.away_after:+.1f}, "
                f"PAK–USA {best.toward_before:+.1f} → {best.toward_after:+.1f}"
            )
        else:
            moves = (
                "; ".join(
                    f"{c.date}: PAK–IRN {c.away_shift:+.1f}, PAK–USA {c.toward_shift:+.1f}"
                    for c in shift.change_points
                )
                or "none"
            )
            console.print(f"   no realignment found in the coded sample (change points: {moves})")
        written += save_figure(realign_figure(shift), out / "realign-PAK-IRN-USA")

        console.print("[bold]4. claim check[/bold]")
        article = next((d for d in documents if CLAIM_ARTICLE_TITLE in (d.title or "")), documents[0])
        own = [e for e in events if e.doc_id == article.doc_id]
        report = check_claims(store, article, events=own)
        _print_claims(report)

        console.print("[bold]5. report[/bold]")
        report_path = write_report(store, "IRN", "PAK", out / "report-IRN-PAK.html", scan=scan)
        written += save_figure(index_figure(dyad_index(store, "IRN", "PAK", freq="M")), out / "index-IRN-PAK")
    elapsed = time.perf_counter() - started
    console.print(f"\n[bold]Done in {elapsed:.1f} s.[/bold] Files:")
    for path in [db, report_path, *written]:
        console.print(f"   {path}")
    console.print(
        f"Next: open {report_path} in a browser, or try "
        f"`detente turnarounds --db {db} --dyad IRN PAK` and `detente index --db {db} --dyad IRN PAK`."
    )
