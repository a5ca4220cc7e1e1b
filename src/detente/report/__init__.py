"""Stage 5 views: charts (interactive Plotly HTML with plotly.js inline, matplotlib PNG) and reports.

Every chart function returns a ``Chart`` (a Plotly figure and a matplotlib figure of the same data);
``save_figure(chart, path)`` writes ``path.html`` (offline: no CDN) and ``path.png``.
``write_report`` puts a dyad's index, its turnarounds and the evidence on one self-contained page.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from matplotlib.figure import Figure

__all__ = [
    "Chart",
    "index_figure",
    "leaderboard_figure",
    "network_figure",
    "realign_figure",
    "save_figure",
    "write_report",
]


@dataclass(slots=True)
class Chart:
    plotly: go.Figure
    static: Figure


def save_figure(chart: Chart, path: Path) -> list[Path]:
    """Write ``path`` with .html (self-contained) and .png; returns the two paths."""
    base = path.with_suffix("") if path.suffix in (".html", ".png") else path
    base.parent.mkdir(parents=True, exist_ok=True)
    html_path, png_path = base.with_suffix(".html"), base.with_suffix(".png")
    html_path.write_text(pio.to_html(chart.plotly, include_plotlyjs=True, full_html=True), encoding="utf-8")
    chart.static.savefig(png_path, dpi=110, bbox_inches="tight")
    plt.close(chart.static)
    return [html_path, png_path]


def _wrap(text: str, width: int = 80) -> str:
    words, lines, line = (text or "").split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(html.escape(x) for x in lines)


def index_figure(index: Any) -> Chart:
    """The dyad's state index over time, bands shaded, with event markers whose hover is the evidence."""
    daily = index.daily
    title = f"{index.country_a}–{index.country_b} relations index ({index.source})"
    fig = go.Figure()
    for direction, part in daily.groupby("direction"):
        fig.add_trace(go.Scatter(x=part["date"], y=part["state"], mode="lines", name=f"state {direction}"))
    for low, high, colour in ((-9, -3, "rgba(200,0,0,0.07)"), (3, 9, "rgba(0,150,0,0.07)")):
        fig.add_hrect(y0=low, y1=high, fillcolor=colour, line_width=0)
    evidence = index.evidence
    if evidence is not None and not evidence.empty:
        state_by_day = daily.groupby("date")["state"].mean()
        ys = [float(state_by_day.get(d, 0.0)) for d in evidence["date"]]
        hover = [
            f"{d.date()} {s}→{t} {c} {html.escape(str(label))} (Goldstein {g:+.1f})<br>{_wrap(str(sent))}"
            for d, s, t, c, label, g, sent in zip(
                evidence["date"],
                evidence["source_country"],
                evidence["target_country"],
                evidence["cameo"],
                evidence["cameo_label"],
                evidence["goldstein"],
                evidence["sentence"],
                strict=True,
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=evidence["date"],
                y=ys,
                mode="markers",
                name="events",
                marker={"color": ["green" if g > 0 else "red" for g in evidence["goldstein"]], "size": 9},
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_layout(title=title, yaxis={"range": [-9.5, 9.5], "title": "state (-9 hostile … +9 friendly)"})
    static, ax = plt.subplots(figsize=(10, 4))
    for direction, part in daily.groupby("direction"):
        ax.plot(part["date"], part["state"], label=str(direction))
    ax.axhspan(-9, -3, color="red", alpha=0.06)
    ax.axhspan(3, 9, color="green", alpha=0.06)
    if evidence is not None and not evidence.empty:
        positive = (evidence["goldstein"] > 0).to_numpy()
        ys_array = np.asarray(ys)
        # Conflict markers last, so a day of strikes is not hidden under that day's statements.
        ax.scatter(evidence["date"][positive], ys_array[positive], c="green", s=14, zorder=3)
        ax.scatter(evidence["date"][~positive], ys_array[~positive], c="red", s=14, zorder=4)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_ylim(-9.5, 9.5)
    ax.set_title(title)
    ax.legend(loc="lower left")
    return Chart(fig, static)


def leaderboard_figure(scan: Any, top: int = 20, highlight: tuple[str, str] | None = None) -> Chart:
    """Fastest recovered episodes as horizontal bars (days nadir → recovery), the highlighted dyad in red."""
    shown = list(scan.ranked[:top])
    if highlight:
        wanted = "-".join(sorted(highlight))
        shown += [e for e in scan.ranked[top:] if e.dyad == wanted][:3]
    labels = [f"#{e.rank} {e.dyad} {e.nadir}" for e in shown]
    days = [e.speed_days for e in shown]
    key = "-".join(sorted(highlight)) if highlight else None
    colours = ["crimson" if e.dyad == key else "steelblue" for e in shown]
    hover = [f"{e.dyad}: nadir {e.nadir}, depth {e.depth:.1f}, swing {e.swing:.1f}" for e in shown]
    title = f"Fastest turnarounds ({scan.rule} rule, {scan.start} to {scan.end})"
    fig = go.Figure(go.Bar(x=days, y=labels, orientation="h", marker_color=colours, hovertext=hover))
    fig.update_layout(title=title, xaxis_title="days from nadir to recovery", yaxis={"autorange": "reversed"})
    static, ax = plt.subplots(figsize=(9, max(3, 0.3 * len(shown))))
    ax.barh(labels, days, color=colours)
    ax.invert_yaxis()
    ax.set_xlabel("days from nadir to recovery")
    ax.set_title(title)
    return Chart(fig, static)


def realign_figure(result: Any) -> Chart:
    """A–B and A–C indices on one time axis, change points marked."""
    series = result.series
    a, b, c = result.actor, result.away_from, result.toward
    title = f"{a}: away from {b}, toward {c}?"
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=series["week"], y=series["away"], name=f"{a}–{b}", line={"color": "firebrick"})
    )
    fig.add_trace(
        go.Scatter(x=series["week"], y=series["toward"], name=f"{a}–{c}", line={"color": "royalblue"})
    )
    static, ax = plt.subplots(figsize=(10, 4))
    ax.plot(series["week"], series["away"], color="firebrick", label=f"{a}–{b}")
    ax.plot(series["week"], series["toward"], color="royalblue", label=f"{a}–{c}")
    for shift in result.change_points:
        moved = shift in result.realignments
        fig.add_vline(
            x=dt.datetime.combine(shift.date, dt.time()).timestamp() * 1000,
            line_dash="solid" if moved else "dot",
            line_color="black" if moved else "grey",
        )
        ax.axvline(shift.date, color="black" if moved else "grey", linestyle="-" if moved else ":")
    fig.update_layout(title=title, yaxis={"range": [-9.5, 9.5], "title": "state"})
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_ylim(-9.5, 9.5)
    ax.set_title(title)
    ax.legend()
    return Chart(fig, static)


def network_figure(net: Any, max_nodes: int = 80) -> Chart:
    """The signed network: green ties allies, red adversaries, nodes coloured by bloc."""
    graph = net.graph
    if graph.number_of_nodes() > max_nodes:
        degree = sorted(graph.degree, key=lambda x: -x[1])[:max_nodes]
        graph = graph.subgraph([n for n, _ in degree])
    positive = nx.Graph((u, v) for u, v, d in graph.edges(data=True) if d["sign"] > 0)
    positive.add_nodes_from(graph.nodes)
    pos = nx.spring_layout(positive, seed=1)
    title = (
        f"Signed network {net.start} to {net.end} (balanced triads {net.balance:.0%})"
        if net.triads.get("total")
        else f"Signed network {net.start} to {net.end}"
    )
    fig = go.Figure()
    static, ax = plt.subplots(figsize=(9, 9))
    for sign, colour in ((1, "green"), (-1, "red")):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for u, v, d in graph.edges(data=True):
            if d["sign"] == sign:
                xs += [pos[u][0], pos[v][0], None]
                ys += [pos[u][1], pos[v][1], None]
                ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color=colour, alpha=0.3, lw=0.8)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": colour, "width": 1},
                name="allies" if sign > 0 else "adversaries",
                hoverinfo="skip",
            )
        )
    nodes = list(graph.nodes)
    blocs = [net.bloc_of(n) or 0 for n in nodes]
    fig.add_trace(
        go.Scatter(
            x=[pos[n][0] for n in nodes],
            y=[pos[n][1] for n in nodes],
            mode="markers+text",
            text=nodes,
            textposition="top center",
            marker={"color": blocs, "colorscale": "Turbo", "size": 10},
            hovertext=[f"{n}: bloc {b + 1}" for n, b in zip(nodes, blocs, strict=True)],
            name="countries",
        )
    )
    ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], c=blocs, cmap="turbo", s=40, zorder=3)
    for n in nodes:
        ax.annotate(n, pos[n], fontsize=7)
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False})
    ax.set_title(title)
    ax.axis("off")
    return Chart(fig, static)


def write_report(
    store: Any,
    country_a: str,
    country_b: str,
    out: Path,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    source: str | None = None,
    dataset: str | None = None,
    scan: Any = None,
) -> Path:
    """One self-contained HTML page for a dyad: index chart with evidence hovers, its turnarounds with
    their rank among all dyads, the monthly table and the strongest events."""
    from detente.analysis import dyad_index, find_turnarounds

    # One read of the store: the daily index, resampled to months for the tables.
    daily_index = dyad_index(
        store, country_a, country_b, freq="D", start=start, end=end, source=source, dataset=dataset
    )
    index = daily_index.resample("M")
    if scan is None:
        scan = find_turnarounds(store, source=index.source, dataset=dataset)
    episodes = scan.for_dyad(index.country_a, index.country_b)
    chart = index_figure(daily_index)
    plt.close(chart.static)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>detente report: {index.country_a}–{index.country_b}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px}"
        "th{background:#f3f3f3}.caveat{color:#8a6d00}</style></head><body>",
        f"<h1>{index.country_a}–{index.country_b}: relations from {index.start} to {index.end}</h1>",
        f"<p>Source: {index.source}. State index on −9 (hostile) … +9 (friendly); "
        "methods in docs/methods.md. "
        f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.</p>",
        pio.to_html(chart.plotly, include_plotlyjs=True, full_html=False),
        "<h2>Turnarounds of this dyad, ranked against every dyad in the store</h2>",
    ]
    if episodes:
        rows = "".join(
            f"<tr><td>{html.escape(str(e.start))}</td><td>{e.nadir}</td><td>{e.depth:.1f}</td>"
            f"<td>{e.milestone or '–'} {html.escape(e.milestone_label or '')}</td><td>{e.calm or '–'}</td>"
            f"<td>{e.recovery or '–'}</td><td>{e.speed_days if e.speed_days is not None else '–'}</td>"
            f"<td>{e.rank or '–'} of {len(scan.ranked)}</td>"
            f"<td>{html.escape(e.milestone_sentence or e.hostile_sentence or '')}</td></tr>"
            for e in episodes
        )
        parts.append(
            "<table><tr><th>start</th><th>nadir</th><th>depth</th><th>first cooperative milestone</th>"
            f"<th>calm</th><th>index back</th><th>days ({scan.rule})</th><th>rank</th><th>evidence</th></tr>"
            f"{rows}</table>"
        )
    else:
        parts.append("<p>No fall into hostility in this window.</p>")
    parts.append("<h2>Monthly index</h2>")
    table = index.frame[
        [
            "period",
            "state",
            "band",
            "n_events",
            "goldstein_sum",
            "coop_sum",
            "conflict_sum",
            "n_q1",
            "n_q2",
            "n_q3",
            "n_q4",
        ]
    ].copy()
    table["period"] = table["period"].dt.strftime("%Y-%m")
    parts.append(table.round(2).to_html(index=False, border=0))
    if not index.evidence.empty:
        parts.append("<h2>Strongest events per month</h2>")
        evidence = index.evidence[
            ["date", "source_country", "target_country", "cameo", "cameo_label", "goldstein", "sentence"]
        ].copy()
        evidence["date"] = evidence["date"].dt.date
        parts.append(evidence.to_html(index=False, border=0))
    for caveat in index.caveats + [c for c in scan.caveats if c not in index.caveats]:
        parts.append(f"<p class='caveat'>Caveat: {html.escape(caveat)}</p>")
    parts.append("</body></html>")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts), encoding="utf-8")
    return out
