"""Analysis commands: index, turnarounds, realign, isolation, network, check, report.

Every command reads the store given by ``--db`` (else ``DETENTE_DB``, else ``./detente.duckdb``)
read-only, prints a Rich table, and can write ``--json`` / ``--csv``; chart commands also write PNG
and offline HTML with ``--chart``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from detente.cli.app import app
from detente.errors import InputError

# Off a terminal (pipes, CI logs) Rich would fall back to 80 columns and squeeze the tables.
console = Console(width=None if sys.stdout.isatty() else 150)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="DETENTE_DB", help="Event store file (default ./detente.duckdb)."),
]
FromOption = Annotated[str | None, typer.Option("--from", help="First date (YYYY-MM-DD).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).")]
JsonOption = Annotated[Path | None, typer.Option("--json", help="Write the result as JSON here.")]
CsvOption = Annotated[Path | None, typer.Option("--csv", help="Write the table as CSV here.")]
SourceOption = Annotated[
    str | None,
    typer.Option("--source", help="events or dyad-series (default: events if the store has any)."),
]
DatasetOption = Annotated[str | None, typer.Option("--dataset", help="Only this dataset of the store.")]
ChartOption = Annotated[
    Path | None,
    typer.Option(
        "--chart",
        help="Write a chart: PATH.html (interactive) and PATH.png; a folder gets them under a default name.",
    ),
]


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r}: not a date (use YYYY-MM-DD)") from None


def _at_least(value: float | None, minimum: float, option: str) -> None:
    if value is not None and value < minimum:
        raise InputError(f"{option} {value:g}: must be at least {minimum:g}")


def _check_output(path: Path, option: str) -> None:
    """Refuse an output path that cannot be written, before any work is done (nothing half-written)."""
    if path.is_dir():
        raise InputError(f"{option} {path}: is a folder; give a file name")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(f"{option} {path}: cannot write: the file is read-only")
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InputError(f"{option} {path}: cannot write: {ancestor} is not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise InputError(f"{option} {path}: cannot write in {ancestor}")


def _chart_base(chart: Path | None, default_name: str) -> Path | None:
    """Where ``--chart`` writes its .html and .png: PATH itself, or DEFAULT_NAME inside PATH when PATH
    is a folder (writing ``DIR.html`` beside it would surprise)."""
    if chart is None:
        return None
    base = chart / default_name if chart.is_dir() else chart
    base = base.with_suffix("") if base.suffix in (".html", ".png") else base
    for suffix in (".html", ".png"):
        _check_output(base.with_suffix(suffix), "--chart")
    return base


def _check_outputs(json_path: Path | None, csv_path: Path | None) -> None:
    if json_path is not None:
        _check_output(json_path, "--json")
    if csv_path is not None:
        _check_output(csv_path, "--csv")


def _open(db: Path | None) -> Any:
    from detente.store import Store

    return Store(db, read_only=True)


def _write_outputs(
    payload: dict[str, Any], frame: pd.DataFrame | None, json_path: Path | None, csv_path: Path | None
) -> None:
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
        console.print(f"[dim]wrote {json_path}[/dim]")
    if csv_path and frame is not None:
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(csv_path, index=False)
        console.print(f"[dim]wrote {csv_path}[/dim]")


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _print_caveats(caveats: list[str]) -> None:
    for caveat in caveats:
        console.print(f"[yellow]caveat:[/yellow] {caveat}")


@app.command("index")
def index_command(
    dyad: Annotated[tuple[str, str], typer.Option("--dyad", help="The two countries (ISO3).")],
    freq: Annotated[str, typer.Option("--freq", help="D, W or M.")] = "W",
    directed: Annotated[bool, typer.Option("--directed", help="A->B and B->A apart.")] = False,
    start: FromOption = None,
    end: ToOption = None,
    source: SourceOption = None,
    dataset: DatasetOption = None,
    db: DbOption = None,
    json_path: JsonOption = None,
    csv_path: CsvOption = None,
    chart: ChartOption = None,
) -> None:
    """The relations index of one dyad per day, week or month, with the strongest events as evidence."""
    from detente.analysis import dyad_index
    from detente.analysis._db import check_country

    pair = check_country(dyad[0]), check_country(dyad[1])
    _check_outputs(json_path, csv_path)
    chart = _chart_base(chart, f"index-{pair[0]}-{pair[1]}")
    with _open(db) as store:
        result = dyad_index(
            store,
            dyad[0],
            dyad[1],
            freq=freq.upper(),
            directed=directed,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            source=source,
            dataset=dataset,
        )
    frame = result.frame
    table = Table(title=f"{result.country_a}–{result.country_b} relations index ({result.source}, {freq})")
    for column in (
        "period",
        "direction",
        "state",
        "band",
        "events",
        "goldstein sum",
        "coop",
        "conflict",
        "q1/q2/q3/q4",
    ):
        table.add_column(column, justify="right" if column not in ("period", "direction", "band") else "left")
    shown = frame[frame["n_events"] > 0] if len(frame) > 60 else frame
    for row in shown.tail(60).to_dict(orient="records"):
        table.add_row(
            str(pd.Timestamp(row["period"]).date()),
            str(row["direction"]),
            _fmt(row["state"]),
            str(row["band"]),
            str(int(row["n_events"])),
            _fmt(row["goldstein_sum"]),
            _fmt(row["coop_sum"]),
            _fmt(row["conflict_sum"]),
            "/".join(str(int(row[f"n_q{q}"])) for q in (1, 2, 3, 4)),
        )
    console.print(table)
    if len(shown) > 60 or len(shown) < len(frame):
        console.print(f"[dim]{len(frame)} periods; showing the last {min(60, len(shown))} with events[/dim]")
    _print_caveats(result.caveats)
    out = frame.copy()
    out["period"] = out["period"].dt.date
    payload = {
        "dyad": f"{result.country_a}-{result.country_b}",
        "source": result.source,
        "freq": result.freq,
        "params": result.params.to_dict(),
        "caveats": result.caveats,
        "periods": json.loads(out.to_json(orient="records", date_format="iso")),
        "evidence": json.loads(result.evidence.to_json(orient="records", date_format="iso"))
        if not result.evidence.empty
        else [],
    }
    _write_outputs(payload, out, json_path, csv_path)
    if chart:
        from detente.report import index_figure, save_figure

        # --from/--to set the chart's range; without them it spans the dyad's events.
        x_range = (result.start, result.end) if start or end else None
        for path in save_figure(index_figure(result, x_range=x_range), chart):
            console.print(f"[dim]wrote {path}[/dim]")


@app.command("turnarounds")
def turnarounds_command(
    dyad: Annotated[
        tuple[str, str] | None, typer.Option("--dyad", help="Show where this dyad's episodes stand.")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    top: Annotated[int, typer.Option("--top", help="How many ranked episodes to show.")] = 20,
    min_depth: Annotated[float | None, typer.Option("--min-depth", help="Minimum depth (0..9).")] = None,
    min_hostile_days: Annotated[
        int | None, typer.Option("--min-hostile-days", help="Minimum days of hostile evidence.")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="speed, swing or depth.")] = "speed",
    rule: Annotated[str | None, typer.Option("--rule", help="milestone, calm or index.")] = None,
    source: SourceOption = None,
    dataset: DatasetOption = None,
    db: DbOption = None,
    json_path: JsonOption = None,
    csv_path: CsvOption = None,
    chart: ChartOption = None,
) -> None:
    """Falls into hostility and recoveries of every dyad in the store, ranked by speed (or swing)."""
    from dataclasses import replace

    from detente.analysis import IndexParams, cached_turnarounds

    _at_least(top, 1, "--top")
    _at_least(min_depth, 0, "--min-depth")
    _at_least(min_hostile_days, 1, "--min-hostile-days")
    _check_outputs(json_path, csv_path)
    chart = _chart_base(chart, "turnarounds")
    params = IndexParams()
    if min_hostile_days is not None:
        params = replace(params, min_hostile_days=min_hostile_days)
    with _open(db) as store:
        # Kept in <db>.cache/ while the store is unchanged, so the next run (or a report) is instant.
        scan = cached_turnarounds(
            store,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            min_depth=min_depth,
            source=source,
            dataset=dataset,
            rule=rule,
            by=by,
            params=params,
        )
    table = Table(
        title=f"Turnarounds ranked by {by} (recovery rule: {scan.rule}; {scan.source}, "
        f"{scan.start} to {scan.end})"
    )
    for column in (
        "rank",
        "dyad",
        "start",
        "nadir",
        "depth",
        "milestone",
        "calm",
        "index back",
        "days",
        "swing",
        "faster than",
    ):
        table.add_column(column)
    for episode in scan.ranked[:top]:
        _add_episode_row(table, episode)
    console.print(table)
    console.print(
        f"{len(scan.ranked)} recovered episodes and {len(scan.open)} not recovered, "
        f"in {scan.dyads_scanned} dyads"
    )
    if dyad:
        from detente.analysis._db import check_country

        a, b = check_country(dyad[0]), check_country(dyad[1])
        mine = scan.for_dyad(a, b)
        if not mine:
            console.print(f"{a}–{b}: no episode in the store for this window")
        for episode in mine:
            console.print(_standing(episode, scan))
    _print_caveats(scan.caveats)
    frame = pd.DataFrame([e.to_dict() for e in scan.episodes])
    _write_outputs(scan.to_dict(), frame, json_path, csv_path)
    if chart:
        from detente.report import leaderboard_figure, save_figure

        for path in save_figure(leaderboard_figure(scan, top=top, highlight=dyad), chart):
            console.print(f"[dim]wrote {path}[/dim]")


def _add_episode_row(table: Table, e: Any) -> None:
    table.add_row(
        _fmt(e.rank),
        e.dyad,
        str(e.start),
        str(e.nadir),
        _fmt(e.depth),
        _fmt(e.milestone),
        _fmt(e.calm),
        _fmt(e.recovery),
        _fmt(e.speed_days),
        _fmt(e.swing),
        f"{100 * e.faster_than:.0f}%" if e.faster_than is not None else "–",
    )


def _standing(e: Any, scan: Any) -> str:
    parts = [
        f"{e.dyad}: start {e.start}, nadir {e.nadir} (depth {e.depth:.1f}, {e.hostile_days} hostile days)"
    ]
    if e.milestone:
        parts.append(
            f"first cooperative milestone {e.milestone} ({e.milestone_label}, {e.days_to_milestone} days)"
        )
    parts.append(f"calm {e.calm} ({e.days_to_calm} days)" if e.calm else "not calm yet")
    parts.append(
        f"index back {e.recovery} ({e.days_to_recovery} days)" if e.recovery else "index not back yet"
    )
    if e.rank is not None:
        parts.append(
            f"rank {e.rank} of {len(scan.ranked)} by {scan.rule} speed since {scan.start} "
            f"(faster than {100 * (e.faster_than or 0):.0f}%); swing rank {e.swing_rank}"
        )
    else:
        parts.append(f"not ranked: no recovery by the {scan.rule} rule before {scan.end}")
    return "; ".join(parts)


@app.command("realign")
def realign_command(
    actor: Annotated[str | None, typer.Argument(help="The actor (ISO3); omit with --scan.")] = None,
    away_from: Annotated[str | None, typer.Option("--away-from", help="Partner it drifts from.")] = None,
    toward: Annotated[str | None, typer.Option("--toward", help="Partner it drifts toward.")] = None,
    scan: Annotated[
        bool, typer.Option("--scan", help="Scan every actor (or ACTOR) for opposite moves.")
    ] = False,
    start: FromOption = None,
    end: ToOption = None,
    min_shift: Annotated[
        float | None,
        typer.Option("--min-shift", help="Minimum shift of each dyad, in points (default 1; 2 with --scan)."),
    ] = None,
    source: SourceOption = None,
    dataset: DatasetOption = None,
    db: DbOption = None,
    json_path: JsonOption = None,
    csv_path: CsvOption = None,
    chart: ChartOption = None,
) -> None:
    """Is ACTOR moving away from one partner toward another? Change points on both dyads' indices."""
    from detente.analysis import realign, scan_realignments
    from detente.analysis._db import check_country

    if not scan and not (actor and away_from and toward):
        raise InputError("realign needs ACTOR --away-from B --toward C, or --scan")
    if min_shift is not None and min_shift <= 0:
        raise InputError(f"--min-shift {min_shift:g}: must be above 0 (points on the -9..+9 index)")
    _check_outputs(json_path, csv_path)
    names = [check_country(x) for x in (actor, away_from, toward) if x]
    chart = _chart_base(chart, "realign-" + ("-".join(names) if not scan else "-".join(["scan", *names])))
    with _open(db) as store:
        if scan:
            results = scan_realignments(
                store,
                actor=actor,
                start=_date(start, "--from"),
                end=_date(end, "--to"),
                source=source,
                dataset=dataset,
                min_shift=2.0 if min_shift is None else min_shift,
            )
        else:
            results = [
                realign(
                    store,
                    actor or "",
                    away_from or "",
                    toward or "",
                    start=_date(start, "--from"),
                    end=_date(end, "--to"),
                    source=source,
                    dataset=dataset,
                    min_shift=1.0 if min_shift is None else min_shift,
                )
            ]
    table = Table(title="Realignments (change points where A–B falls and A–C rises)")
    for column in ("actor", "away from", "toward", "date", "A–B before→after", "A–C before→after", "size"):
        table.add_column(column)
    rows = []
    for result in results:
        for shift in result.realignments or ([] if scan else result.change_points):
            flag = "" if shift in result.realignments else " (no realignment)"
            table.add_row(
                result.actor,
                result.away_from,
                result.toward,
                str(shift.date) + flag,
                f"{shift.away_before:+.1f}→{shift.away_after:+.1f}",
                f"{shift.toward_before:+.1f}→{shift.toward_after:+.1f}",
                f"{shift.size:.1f}",
            )
            rows.append(
                {
                    "actor": result.actor,
                    "away_from": result.away_from,
                    "toward": result.toward,
                    **shift.to_dict(),
                }
            )
    console.print(table)
    if not scan:
        result = results[0]
        verdict = (
            f"{result.actor} moved away from {result.away_from} toward {result.toward} on "
            f"{result.strongest.date}"
            if result.strongest
            else f"no realignment of {result.actor} from {result.away_from} toward {result.toward} found"
        )
        console.print(verdict)
        if result.strongest:
            for event in result.strongest.away_events + result.strongest.toward_events:
                console.print(
                    f"  [dim]{event['date']} {event['source']}→{event['target']} "
                    f"{event['cameo']} {event['label']}: {event['sentence']}[/dim]"
                )
    payload = {"results": [r.to_dict() for r in results]}
    flat = pd.DataFrame(rows).drop(columns=["away_events", "toward_events"], errors="ignore")
    _write_outputs(payload, flat, json_path, csv_path)
    if chart and results:
        from detente.report import realign_figure, save_figure

        x_range = (results[0].start, results[0].end) if start or end else None
        for path in save_figure(realign_figure(results[0], x_range=x_range), chart):
            console.print(f"[dim]wrote {path}[/dim]")


@app.command("isolation")
def isolation_command(
    actor: Annotated[str, typer.Argument(help="The actor (ISO3).")],
    start: FromOption = None,
    end: ToOption = None,
    freq: Annotated[str, typer.Option("--freq", help="D, W or M.")] = "M",
    partners: Annotated[int, typer.Option("--partners", help="How many past partners to follow.")] = 10,
    source: SourceOption = None,
    dataset: DatasetOption = None,
    db: DbOption = None,
    json_path: JsonOption = None,
    csv_path: CsvOption = None,
) -> None:
    """Share of cooperative vs conflictual interaction of ACTOR with its past partners over time."""
    from detente.analysis import isolation

    _at_least(partners, 1, "--partners")
    _check_outputs(json_path, csv_path)
    with _open(db) as store:
        result = isolation(
            store,
            actor,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            freq=freq.upper(),
            partners=partners,
            source=source,
            dataset=dataset,
        )
    table = Table(title=f"{result.actor}: isolation from its past partners ({', '.join(result.partners)})")
    for column in ("period", "in contact", "cooperative", "hostile", "coop share", "isolation"):
        table.add_column(column)
    for row in result.frame.tail(60).to_dict(orient="records"):
        table.add_row(
            str(pd.Timestamp(row["period"]).date()),
            str(row["partners_in_contact"]),
            str(row["cooperative_partners"]),
            str(row["hostile_partners"]),
            _fmt(row["coop_share"], 2),
            _fmt(row["isolation"], 2),
        )
    console.print(table)
    console.print(f"isolation trend (last third minus first third): {result.trend:+.2f}")
    _write_outputs(result.to_dict(), result.frame, json_path, csv_path)


@app.command("network")
def network_command(
    start: FromOption = None,
    end: ToOption = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Show how this actor's position moved.")
    ] = None,
    compare_from: Annotated[
        str | None, typer.Option("--compare-from", help="Start of an earlier period.")
    ] = None,
    compare_to: Annotated[str | None, typer.Option("--compare-to", help="End of the earlier period.")] = None,
    min_days: Annotated[int, typer.Option("--min-days", help="Minimum active days for an edge.")] = 2,
    source: SourceOption = None,
    dataset: DatasetOption = None,
    db: DbOption = None,
    json_path: JsonOption = None,
    csv_path: CsvOption = None,
    chart: ChartOption = None,
) -> None:
    """The signed alliance network of a period: blocs and structural balance of triads."""
    from detente.analysis import alliance_network, position_change

    _at_least(min_days, 1, "--min-days")
    _check_outputs(json_path, csv_path)
    chart = _chart_base(chart, "network")
    with _open(db) as store:
        net = alliance_network(
            store,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            source=source,
            dataset=dataset,
            min_days=min_days,
        )
        earlier = None
        if compare_from or compare_to:
            earlier = alliance_network(
                store,
                start=_date(compare_from, "--compare-from"),
                end=_date(compare_to, "--compare-to"),
                source=source,
                dataset=dataset,
                min_days=min_days,
            )
    # The period and size go on their own line: as a table title they wrapped in a narrow table.
    console.print(
        f"[bold]Signed network, {net.start} to {net.end}[/bold]: {net.graph.number_of_nodes()} countries, "
        f"{net.graph.number_of_edges()} ties"
    )
    table = Table(title="Blocs (signed communities)")
    table.add_column("bloc", justify="right")
    table.add_column("members", overflow="fold")
    for i, bloc in enumerate(net.blocs[:15]):
        table.add_row(str(i + 1), ", ".join(bloc[:30]) + (" …" if len(bloc) > 30 else ""))
    console.print(table)
    t = net.triads
    console.print(
        f"triads: {t['total']} closed ({t['+++']} +++, {t['+--']} +--, {t['++-']} ++-, {t['---']} ---); "
        f"balanced share {_fmt(net.balance, 3)}; frustrated ties {net.frustration}"
    )
    payload = net.to_dict()
    if net.source == "dyad-series":
        caveat = (
            "a dyad-day series has no event types: ties are signed by each dyad's departure from its own "
            "normal in the period (warmer or colder than usual), not by absolute friendliness"
        )
        _print_caveats([caveat])
        payload["caveats"] = [caveat]
    if actor and earlier is not None:
        change = position_change(earlier, net, actor)
        payload["position_change"] = change
        console.print(
            f"{change['actor']}: allies gained {change['allies_gained']}, lost {change['allies_lost']}; "
            f"adversaries gained {change['adversaries_gained']}; tie correlation "
            f"{_fmt(change['tie_correlation'], 2)}"
        )
    _write_outputs(payload, net.edges_frame(), json_path, csv_path)
    if chart:
        from detente.report import network_figure, save_figure

        for path in save_figure(network_figure(net), chart):
            console.print(f"[dim]wrote {path}[/dim]")


@app.command("check")
def check_command(
    article: Annotated[Path, typer.Argument(help="The article to check (text, HTML, ...).")],
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date if not in the file.")
    ] = None,
    db: DbOption = None,
    json_path: JsonOption = None,
) -> None:
    """Code ARTICLE, find its claims (turnaround, realignment, isolation) and test them on the store."""
    from detente.analysis import check_claims

    if not article.exists():
        raise InputError(f"{article}: no such file")
    if article.is_dir():
        raise InputError(f"{article}: is a folder; check one article at a time (detente check FILE)")
    _check_outputs(json_path, None)
    with _open(db) as store:
        report = check_claims(store, article, published=_date(published, "--published"))
    _print_claims(report)
    _write_outputs(report.to_dict(), None, json_path, None)


def _print_claims(report: Any) -> None:
    console.print(
        f"[bold]{report.title or report.doc_id}[/bold] ({report.published or 'no date'}): "
        f"{report.events} events; dyads: "
        + (", ".join(f"{a}–{b} ({n})" for a, b, n in report.dyads[:6]) or "none")
    )
    if not report.verdicts:
        console.print("no checkable claim found (no turnaround, realignment or isolation between states)")
        return
    table = Table(title="Claims and verdicts", show_lines=True)
    for column in ("claim", "countries", "verdict", "figures"):
        table.add_column(column, overflow="fold")
    for verdict in report.verdicts:
        colour = {"supported": "green", "not supported": "red"}.get(verdict.status, "yellow")
        table.add_row(
            verdict.claim.kind,
            "–".join(verdict.claim.countries),
            f"[{colour}]{verdict.status}[/{colour}]",
            verdict.summary,
        )
    console.print(table)
    for verdict in report.verdicts:
        for item in verdict.evidence[:4]:
            line = f"{verdict.claim.kind}: {item.get('date')} {item.get('cameo')}: {item.get('sentence')}"
            console.print(f"   [dim]{line}[/dim]")


@app.command("report")
def report_command(
    dyad: Annotated[tuple[str, str], typer.Option("--dyad", help="The two countries (ISO3).")],
    out: Annotated[
        Path, typer.Option("--out", help="The HTML file to write (a folder: report-A-B.html inside it).")
    ] = Path("report.html"),
    start: FromOption = None,
    end: ToOption = None,
    source: SourceOption = None,
    dataset: DatasetOption = None,
    db: DbOption = None,
) -> None:
    """One self-contained HTML page on a dyad: index chart with evidence, turnarounds, tables."""
    from detente.analysis._db import check_country
    from detente.report import write_report

    pair = check_country(dyad[0]), check_country(dyad[1])
    if out.is_dir():
        out = out / f"report-{pair[0]}-{pair[1]}.html"
    _check_output(out, "--out")
    with _open(db) as store:
        path = write_report(
            store,
            dyad[0],
            dyad[1],
            out,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            source=source,
            dataset=dataset,
        )
    console.print(f"wrote {path}")
