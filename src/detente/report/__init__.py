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
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from matplotlib.figure import Figure

from detente.errors import InputError

__all__ = [
    "Chart",
    "default_range",
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
    if path.is_dir():
        # PATH.html beside a folder named PATH is never what was meant (the CLI picks a name inside).
        raise InputError(f"{path}: is a folder; give the chart a file name")
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


# The bands of the -9..+9 index (docs/methods.md, after Yan & Zhou's Tsinghua scale) with their shading.
_BANDS: tuple[tuple[float, float, str, str], ...] = (
    (-9.0, -6.0, "hostile", "#d7301f"),
    (-6.0, -3.0, "tense", "#fc8d59"),
    (-3.0, 0.0, "discordant", "#fdd49e"),
    (0.0, 3.0, "ordinary", "#e0ecf4"),
    (3.0, 6.0, "good", "#9ebcda"),
    (6.0, 9.0, "friendly", "#41ae76"),
)
INDEX_AXIS = "relations index (−9 hostile … +9 friendly)"


def default_range(
    first: dt.date | None, last: dt.date | None, start: dt.date, end: dt.date
) -> tuple[dt.date, dt.date]:
    """The x range a chart shows by default: the span where the dyads shown have events, with a margin
    (a tenth of the span, at least three weeks), kept inside the analysed window ``start``..``end``.
    Without events it is the whole window."""
    if first is None or last is None:
        return start, end
    margin = max(dt.timedelta(days=21), (last - first) / 10)
    return max(start, first - margin), min(end, last + margin)


def _name(code: str) -> str:
    from detente.countries import name_of

    try:
        name = name_of(code) or code
    except Exception:  # an unknown code is shown as it is
        return code
    # "Is Pakistan moving toward the United States?", not "toward United States".
    return f"the {name}" if name.startswith(_WITH_ARTICLE) else name


_WITH_ARTICLE = (
    "United ",
    "Netherlands",
    "Philippines",
    "Czech",
    "Democratic",
    "Central African",
    "Gambia",
    "Bahamas",
)


def _span(dates: Any) -> tuple[dt.date | None, dt.date | None]:
    if dates is None or len(dates) == 0:
        return None, None
    values = sorted(_to_date(d) for d in dates)
    return values[0], values[-1]


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        return value.date()  # type: ignore[no-any-return]
    return dt.date.fromisoformat(str(value)[:10])


def _shade_bands(ax: Any, fig: go.Figure) -> None:
    for low, high, label, colour in _BANDS:
        ax.axhspan(low, high, color=colour, alpha=0.25, lw=0)
        ax.text(1.005, (low + high) / 2, label, transform=ax.get_yaxis_transform(), va="center", fontsize=8)
        fig.add_hrect(y0=low, y1=high, fillcolor=colour, opacity=0.25, line_width=0, layer="below")
        fig.add_annotation(
            x=1.0,
            xref="paper",
            xanchor="left",
            y=(low + high) / 2,
            text=label,
            showarrow=False,
            font={"size": 10},
        )
    ax.set_ylim(-9.5, 9.5)
    ax.set_yticks(range(-9, 10, 3))
    ax.set_ylabel(INDEX_AXIS)
    ax.grid(axis="y", color="white", lw=0.6)
    fig.update_yaxes(range=[-9.5, 9.5], title=INDEX_AXIS, tickvals=list(range(-9, 10, 3)))


def _marker_events(evidence: Any, limit: int) -> Any:
    """The events a chart marks: the ``limit`` strongest of the evidence (the strongest few of each
    period), so a long record keeps a readable number of markers."""
    if evidence is None or evidence.empty:
        return evidence
    frame = evidence.assign(_strength=evidence["goldstein"].abs())
    frame = frame.sort_values(["_strength", "date"], ascending=[False, True], kind="stable").head(limit)
    return frame.drop(columns=["_strength"]).sort_values("date", kind="stable")


def _label(cameo: Any, label: Any) -> str:
    text = str(label) if label is not None and str(label) not in ("", "nan", "None") else str(cameo)
    return text if len(text) <= 38 else text[:36] + "…"


def index_figure(
    index: Any, *, x_range: tuple[dt.date, dt.date] | None = None, max_markers: int = 40
) -> Chart:
    """The dyad's state index over time on the −9..+9 scale, bands shaded and named, with markers for the
    strongest events (green up: cooperation, red down: conflict) whose hover is the evidence sentence.

    ``x_range`` (the user's --from/--to) overrides the default range: the span of the dyad's events."""
    daily = index.daily
    name = f"{_name(index.country_a)} and {_name(index.country_b)}"
    panel = getattr(index, "panel", None)
    first, last = _span(panel["date"] if panel is not None and not panel.empty else None)
    lo, hi = x_range or default_range(first, last, index.start, index.end)
    evidence = _marker_events(index.evidence, max_markers)
    if evidence is not None and not evidence.empty:
        inside = (evidence["date"] >= pd.Timestamp(lo)) & (evidence["date"] <= pd.Timestamp(hi))
        evidence = evidence[inside]
    title = f"Relations between {name}, {lo:%b %Y} – {hi:%b %Y}"
    subtitle = (
        f"daily index from {'coded events' if index.source == 'events' else 'a dyad-day series'}; "
        "markers: its strongest events (▲ cooperation, ▼ conflict)"
    )
    fig = go.Figure()
    static, ax = plt.subplots(figsize=(11, 4.8))
    _shade_bands(ax, fig)
    shown = daily[(daily["date"] >= pd.Timestamp(lo)) & (daily["date"] <= pd.Timestamp(hi))]
    for direction, part in shown.groupby("direction"):
        label = f"index {direction}"
        fig.add_trace(
            go.Scatter(x=part["date"], y=part["state"], mode="lines", name=label, line={"width": 2})
        )
        ax.plot(
            part["date"], part["state"], label=label, lw=1.8, color="black" if not index.directed else None
        )
    if evidence is not None and not evidence.empty:
        state_by_day = daily.groupby("date")["state"].mean()
        ys = np.asarray([float(state_by_day.get(d, 0.0)) for d in evidence["date"]])
        positive = (evidence["goldstein"] > 0).to_numpy()
        for mask, colour, symbol, mark, what in (
            (positive, "green", "triangle-up", "^", "cooperative event"),
            (~positive, "crimson", "triangle-down", "v", "conflictual event"),
        ):
            part = evidence[mask]
            if part.empty:
                continue
            hover = [
                f"{d.date()} {s}→{t} {c} {html.escape(str(lab))} (Goldstein {g:+.1f})<br>{_wrap(str(sent))}"
                for d, s, t, c, lab, g, sent in zip(
                    part["date"],
                    part["source_country"],
                    part["target_country"],
                    part["cameo"],
                    part["cameo_label"],
                    part["goldstein"],
                    part["sentence"],
                    strict=True,
                )
            ]
            fig.add_trace(
                go.Scatter(
                    x=part["date"],
                    y=ys[mask],
                    mode="markers",
                    name=what,
                    marker={"color": colour, "size": 11, "symbol": symbol},
                    hovertext=hover,
                    hoverinfo="text",
                )
            )
            ax.scatter(part["date"], ys[mask], c=colour, marker=mark, s=46, zorder=4, label=what)
        # Name the few strongest events on the static chart; the rest are in the hover and the report.
        strongest = evidence.assign(_s=evidence["goldstein"].abs()).nlargest(4, "_s")
        middle = pd.Timestamp(lo) + (pd.Timestamp(hi) - pd.Timestamp(lo)) / 2
        for _, row in strongest.iterrows():
            y = float(state_by_day.get(row["date"], 0.0))
            right_half = row["date"] > middle
            ax.annotate(
                f"{row['date']:%d %b %Y}: {_label(row['cameo'], row['cameo_label'])}",
                (row["date"], y),
                # Labels point inward so they stay clear of the band names on the right.
                xytext=(-8 if right_half else 8, 16 if row["goldstein"] > 0 else -20),
                textcoords="offset points",
                ha="right" if right_half else "left",
                fontsize=7.5,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
                arrowprops={"arrowstyle": "-", "lw": 0.5},
            )
    _time_axes(fig, ax, lo, hi, title, subtitle, unit="date")
    ax.set_xlabel("date")
    ax.set_title(f"{title}\n{subtitle}", fontsize=10.5)
    ax.legend(loc="lower left", fontsize=8)
    static.tight_layout()
    return Chart(fig, static)


def leaderboard_figure(scan: Any, top: int = 20, highlight: tuple[str, str] | None = None) -> Chart:
    """Fastest recovered episodes as horizontal bars (days nadir → recovery), the highlighted dyad in red."""
    shown = list(scan.ranked[:top])
    if highlight:
        wanted = "-".join(sorted(highlight))
        shown += [e for e in scan.ranked[top:] if e.dyad == wanted][:3]
    labels = [f"#{e.rank} {e.dyad}, low point {e.nadir:%d %b %Y}" for e in shown]
    days = [e.speed_days for e in shown]
    key = "-".join(sorted(highlight)) if highlight else None
    colours = ["crimson" if e.dyad == key else "steelblue" for e in shown]
    hover = [f"{e.dyad}: nadir {e.nadir}, depth {e.depth:.1f}, swing {e.swing:.1f}" for e in shown]
    target = {
        "milestone": "the first cooperative milestone",
        "calm": "calm (3 days without hostile events)",
        "index": "the index back at neutral",
    }.get(scan.rule, scan.rule)
    axis = f"days from the low point to {target}"
    title = (
        f"Fastest recoveries from hostility among {len(scan.ranked)} in the store, "
        f"{scan.start:%b %Y} – {scan.end:%b %Y}"
    )
    fig = go.Figure(
        go.Bar(x=days, y=labels, orientation="h", marker_color=colours, hovertext=hover, text=days)
    )
    fig.update_layout(title=title, xaxis_title=axis, yaxis={"autorange": "reversed"})
    static, ax = plt.subplots(figsize=(10, max(3, 0.35 * len(shown))))
    bars = ax.barh(labels, days, color=colours)
    ax.bar_label(bars, labels=[f"{d} days" for d in days], padding=3, fontsize=8)
    ax.margins(x=0.12)
    ax.invert_yaxis()
    ax.set_xlabel(axis)
    ax.set_title(title, fontsize=10.5)
    static.tight_layout()
    return Chart(fig, static)


def realign_figure(result: Any, *, x_range: tuple[dt.date, dt.date] | None = None) -> Chart:
    """A–B and A–C weekly indices on one time axis, change points marked (solid: the realignment asked
    about; dotted: other shifts), the events behind each realignment marked on the lines.

    ``x_range`` (the user's --from/--to) overrides the default: the span where either dyad has events."""
    series = result.series
    a, b, c = result.actor, result.away_from, result.toward
    span = getattr(result, "active_span", None)
    first, last = span if span else (None, None)
    lo, hi = x_range or default_range(first, last, result.start, result.end)
    shown = series[(series["week"] >= pd.Timestamp(lo)) & (series["week"] <= pd.Timestamp(hi))]
    title = f"Is {_name(a)} moving away from {_name(b)} toward {_name(c)}?"
    if result.strongest:
        best = result.strongest
        subtitle = (
            f"shift in the week of {best.date:%d %b %Y}: {a}–{b} {best.away_before:+.1f} → "
            f"{best.away_after:+.1f}, {a}–{c} {best.toward_before:+.1f} → {best.toward_after:+.1f} "
            "(weekly means)"
        )
    else:
        subtitle = "no change point moves both relations in opposite directions (weekly index, PELT)"
    fig = go.Figure()
    static, ax = plt.subplots(figsize=(11, 4.8))
    _shade_bands(ax, fig)
    lines = ((f"{a}–{b}", "away", "firebrick"), (f"{a}–{c}", "toward", "royalblue"))
    for label, column, colour in lines:
        fig.add_trace(
            go.Scatter(x=shown["week"], y=shown[column], name=label, line={"color": colour, "width": 2})
        )
        ax.plot(shown["week"], shown[column], color=colour, label=label, lw=2)
    for shift in result.change_points:
        if not lo <= shift.date <= hi:
            continue
        moved = shift in result.realignments
        fig.add_vline(
            x=dt.datetime.combine(shift.date, dt.time()).timestamp() * 1000,
            line_dash="solid" if moved else "dot",
            line_color="black" if moved else "grey",
        )
        ax.axvline(shift.date, color="black" if moved else "grey", linestyle="-" if moved else ":", lw=1)  # type: ignore[arg-type]
        if moved:
            ax.annotate(
                f"shift: week of {shift.date:%d %b %Y}",
                (shift.date, 8.2),  # type: ignore[arg-type]
                xytext=(-4, 0),
                textcoords="offset points",
                ha="right",
                fontsize=8,
            )
    # The events behind each change point, on the line of their dyad at the week they fall in.
    weeks = series.set_index("week")
    for shift in result.change_points:
        for events, column, colour in (
            (shift.away_events, "away", "firebrick"),
            (shift.toward_events, "toward", "royalblue"),
        ):
            for event in events:
                day = pd.Timestamp(dt.date.fromisoformat(str(event["date"])[:10]))
                if not lo <= day.date() <= hi:
                    continue
                position = weeks.index.searchsorted(day)
                if position >= len(weeks):
                    continue
                y = float(weeks[column].iloc[position])
                g = float(event.get("goldstein") or 0.0)
                mark, symbol = ("^", "triangle-up") if g > 0 else ("v", "triangle-down")
                ax.scatter(
                    [mdates.date2num(day)], [y], marker=mark, color=colour, edgecolor="black", s=50, zorder=4
                )
                fig.add_trace(
                    go.Scatter(
                        x=[day],
                        y=[y],
                        mode="markers",
                        marker={"color": colour, "symbol": symbol, "size": 11, "line": {"width": 1}},
                        hovertext=f"{event['date']} {event.get('source')}→{event.get('target')} "
                        f"{html.escape(str(event.get('label') or event.get('cameo')))} (Goldstein {g:+.1f})"
                        f"<br>{_wrap(str(event.get('sentence') or ''))}",
                        hoverinfo="text",
                        showlegend=False,
                    )
                )
    _time_axes(fig, ax, lo, hi, title, subtitle, unit="week")
    ax.set_xlabel(
        "week (change points: solid = realignment, dotted = other shift; ▲▼ the events behind them)"
    )
    ax.set_title(f"{title}\n{subtitle}", fontsize=10.5)
    ax.legend(loc="lower left", fontsize=8)
    static.tight_layout()
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
    from detente.analysis import cached_turnarounds, dyad_index
    from detente.analysis.index import strongest_events

    # The daily index without evidence, then the evidence of each month once: sentences are read only
    # for the events the page shows, from the dyad's own rows.
    daily_index = dyad_index(
        store,
        country_a,
        country_b,
        freq="D",
        start=start,
        end=end,
        source=source,
        dataset=dataset,
        evidence_per_period=0,
    )
    index = daily_index.resample("M")
    if index.source == "events":
        index.evidence = strongest_events(
            store, index.country_a, index.country_b, index.start, index.end, freq="M", dataset=dataset
        )
        daily_index.evidence = index.evidence
    if scan is None:
        # Ranking against every dyad needs the whole-store scan: reuse the one kept beside the store.
        scan = cached_turnarounds(store, source=index.source, dataset=dataset)
    episodes = scan.for_dyad(index.country_a, index.country_b)
    chart = index_figure(
        daily_index, x_range=(start or index.start, end or index.end) if start or end else None
    )
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


def _time_axes(
    fig: go.Figure, ax: Any, lo: dt.date, hi: dt.date, title: str, subtitle: str, *, unit: str
) -> None:
    """The same time range and title on the interactive chart and its PNG twin."""
    fig.update_layout(
        title={"text": f"{html.escape(title)}<br><sup>{html.escape(subtitle)}</sup>"},
        xaxis={"range": [lo.isoformat(), hi.isoformat()], "title": unit},
        margin={"r": 90},
    )
    ax.set_xlim(lo, hi)
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
