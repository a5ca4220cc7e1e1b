"""Turnarounds: a dyad's fall into hostility and its recovery, found in every dyad and ranked by speed.

An episode is read off the state index (``detente.analysis.index``):

* **entry**: the first day the state falls below ``-H`` (default -3, the "tense" band);
* **start**: the first hostile day after the state was last at or above the recovery level ``R``;
* **nadir**: the most hostile day of the fall (lowest raw value — Goldstein sum or series weight —
  between the start and the first calm day after the index's low), with the **depth** = -(lowest
  state) on the 0..9 scale;
* three recovery dates, all reported:
  **milestone** = the first cooperative milestone event after the nadir (a meeting announced, a visit,
  restored relations, an agreement: ``milestones.csv``; event stores only) on a day whose net evidence
  is cooperative,
  **calm** = the first day after the nadir with non-hostile evidence that opens ``calm_days`` (3) days
  without hostile evidence (for a series: back inside the dyad's normal band),
  **recovery** = the first day the state is back at or above ``R`` (default 0);
* **swing** = the highest state within ``swing_horizon`` days after the nadir minus the lowest state.

An episode needs ``min_hostile_days`` days of hostile evidence. Episodes are ranked by days from the
nadir to the recovery date of the chosen rule (fastest first), or by swing or depth; every episode gets
its rank and the share of other episodes that took strictly longer.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd

from detente.analysis._db import (
    Source,
    as_connection,
    check_country,
    clamp_window,
    coarse_caveat,
    coarse_dated_events,
    data_span,
    detect_source,
    to_date,
)
from detente.analysis.index import (
    DEFAULT_PARAMS,
    SERIES_CAVEATS,
    IndexParams,
    PanelArrays,
    panel_arrays,
    run_state,
)
from detente.errors import InputError, StoreError

__all__ = [
    "EpisodeSpan",
    "Turnaround",
    "TurnaroundScan",
    "cached_turnarounds",
    "detect_episodes",
    "find_turnarounds",
    "milestone_codes",
    "rank_turnarounds",
]

Rule = Literal["milestone", "calm", "index"]
RankBy = Literal["speed", "swing", "depth"]
CHUNK_DYADS = 2048


@dataclass(slots=True)
class Turnaround:
    """One episode of one undirected dyad; dates are ISO strings in ``to_dict``."""

    country_a: str
    country_b: str
    start: dt.date
    entry: dt.date
    nadir: dt.date
    lowest: dt.date  # day of the lowest state
    depth: float  # -(lowest state), 0..9
    swing: float
    peak: dt.date | None
    calm: dt.date | None
    recovery: dt.date | None
    milestone: dt.date | None = None
    milestone_cameo: str | None = None
    milestone_label: str | None = None
    milestone_sentence: str | None = None
    milestone_event_id: str | None = None
    hostile_date: dt.date | None = None
    hostile_cameo: str | None = None
    hostile_label: str | None = None
    hostile_sentence: str | None = None
    rule: str = "index"
    rank: int | None = None
    faster_than: float | None = None  # share (0..1) of ranked episodes this one is faster than
    swing_rank: int | None = None
    hostile_days: int = 0  # days of hostile evidence from the start to calm
    nadir_value: float | None = None  # the nadir day's raw value (Goldstein sum or series weight)

    @property
    def dyad(self) -> str:
        return f"{self.country_a}-{self.country_b}"

    def days_to(self, rule: str) -> int | None:
        target = {"milestone": self.milestone, "calm": self.calm, "index": self.recovery}[rule]
        return (target - self.nadir).days if target else None

    @property
    def days_to_milestone(self) -> int | None:
        return self.days_to("milestone")

    @property
    def days_to_calm(self) -> int | None:
        return self.days_to("calm")

    @property
    def days_to_recovery(self) -> int | None:
        return self.days_to("index")

    @property
    def speed_days(self) -> int | None:
        return self.days_to(self.rule)

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        for key, value in record.items():
            if isinstance(value, dt.date):
                record[key] = value.isoformat()
            elif isinstance(value, float):
                record[key] = round(value, 3)
        record["dyad"] = self.dyad
        record["days_to_milestone"] = self.days_to_milestone
        record["days_to_calm"] = self.days_to_calm
        record["days_to_recovery"] = self.days_to_recovery
        record["speed_days"] = self.speed_days
        return record


@dataclass(slots=True)
class TurnaroundScan:
    """All episodes of a scan, ranked; ``open`` holds episodes not recovered (by the rule) in the data."""

    source: Source
    rule: str
    by: str
    start: dt.date
    end: dt.date
    dyads_scanned: int
    ranked: list[Turnaround]
    open: list[Turnaround]
    params: IndexParams
    caveats: list[str] = field(default_factory=list)

    @property
    def episodes(self) -> list[Turnaround]:
        return self.ranked + self.open

    def for_dyad(self, a: str, b: str) -> list[Turnaround]:
        key = tuple(sorted((a, b)))
        return [e for e in self.episodes if (e.country_a, e.country_b) == key]

    def locate(self, a: str, b: str, near: dt.date | None = None) -> Turnaround | None:
        """The dyad's episode around ``near`` (the one whose span holds it, else the closest nadir)."""
        mine = self.for_dyad(a, b)
        if not mine:
            return None
        if near is None:
            ranked = [e for e in mine if e.rank is not None]
            return min(ranked, key=lambda e: e.rank or 0) if ranked else mine[0]
        for episode in mine:
            last = episode.recovery or episode.calm or self.end
            if episode.start <= near <= last:
                return episode
        return min(mine, key=lambda e: abs((e.nadir - near).days))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rule": self.rule,
            "by": self.by,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "dyads_scanned": self.dyads_scanned,
            "episodes_ranked": len(self.ranked),
            "episodes_open": len(self.open),
            "params": self.params.to_dict(),
            "caveats": self.caveats,
            "ranked": [e.to_dict() for e in self.ranked],
            "open": [e.to_dict() for e in self.open],
        }


@dataclass(frozen=True, slots=True)
class EpisodeSpan:
    """Day indices of one episode in a daily array (``calm``/``recovery`` None when not reached)."""

    start: int
    entry: int
    nadir: int
    lowest: int
    calm: int | None
    recovery: int | None
    peak: int
    hostile_days: int


def _calm_days(active: np.ndarray, hostile_day: np.ndarray, run: int) -> np.ndarray:
    """Days with non-hostile evidence that open ``run`` days free of hostile evidence."""
    n = len(active)
    counts = np.concatenate(([0], np.cumsum(hostile_day, dtype=np.int64)))
    free = np.zeros(n, dtype=bool)
    if n >= run:
        free[: n - run + 1] = counts[run:] - counts[: n - run + 1] == 0
    return np.flatnonzero(active & ~hostile_day & free)


def _first_after(days: np.ndarray, begin: int) -> int | None:
    position = int(np.searchsorted(days, begin))
    return int(days[position]) if position < days.size else None


def detect_episodes(
    state: np.ndarray, score: np.ndarray, raw: np.ndarray, params: IndexParams
) -> list[EpisodeSpan]:
    """Episodes in one dyad's daily arrays (state after each day; score/raw NaN on days without data)."""
    n = len(state)
    below = state < -params.hostile
    if not below.any():
        return []
    at_level = state >= params.recovered
    active = ~np.isnan(score)
    hostile_day = active & (np.nan_to_num(score) < 0)
    calm_days = _calm_days(active, hostile_day, params.calm_days)
    score_key = np.nan_to_num(score, nan=np.inf)
    raw_key = np.nan_to_num(raw, nan=np.inf)
    spans: list[EpisodeSpan] = []
    t = 0
    previous_end = -1
    while t < n:
        hits = np.flatnonzero(below[t:])
        if hits.size == 0:
            break
        entry = t + int(hits[0])
        ups = np.flatnonzero(at_level[entry:])
        recovery = entry + int(ups[0]) if ups.size else None
        end = recovery if recovery is not None else n
        lowest = entry + int(np.argmin(state[entry:end]))
        # The fall began at the first hostile day after the state was last at the recovery level.
        level_before = np.flatnonzero(at_level[previous_end + 1 : entry])
        since = previous_end + 1 + int(level_before[-1]) + 1 if level_before.size else previous_end + 1
        fall_days = np.flatnonzero(hostile_day[since : entry + 1])
        start = since + int(fall_days[0]) if fall_days.size else entry
        # The nadir is the most hostile day of the spell (up to the calm after the index's low): the
        # lowest raw value (Goldstein sum or series weight), the net score breaking ties.
        settled = _first_after(calm_days, lowest + 1)
        window = np.arange(start, settled if settled is not None else end)
        window = window[hostile_day[window]] if hostile_day[window].any() else window
        order = np.lexsort((score_key[window], raw_key[window]))
        nadir = int(window[order[0]])
        calm = _first_after(calm_days, nadir + 1)
        stop = calm if calm is not None else end
        hostile_days = int(hostile_day[start:stop].sum())
        horizon = min(n, nadir + params.swing_horizon + 1)
        peak = nadir + int(np.argmax(state[nadir:horizon]))
        spans.append(EpisodeSpan(start, entry, nadir, lowest, calm, recovery, peak, hostile_days))
        if recovery is None:
            break
        previous_end = recovery
        t = recovery + 1
    return spans


@dataclass(frozen=True, slots=True)
class _Milestone:
    prefix: str
    kind: str
    label: str


@cache
def milestone_codes() -> tuple[_Milestone, ...]:
    text = resources.files(__package__).joinpath("milestones.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    return tuple(_Milestone(r["prefix"], r["kind"], r["label"]) for r in rows)


def _iter_dyad_arrays(
    panel: PanelArrays, first: dt.date, last: dt.date, params: IndexParams
) -> Iterator[tuple[str, str, np.ndarray, np.ndarray, np.ndarray]]:
    """(a, b, state, score, raw) for each dyad of the panel that could hold an episode."""
    if panel.dyad.size == 0:
        return
    # A dyad without a single hostile day cannot fall below -H: skip it before the recursion.
    candidates = np.unique(panel.dyad[panel.score < 0])
    if candidates.size == 0:
        return
    keep = np.isin(panel.dyad, candidates)
    codes = np.searchsorted(candidates, panel.dyad[keep])
    day = panel.day[keep] - (first - dt.date(1970, 1, 1)).days
    n_days = (last - first).days + 1
    inside = (day >= 0) & (day < n_days)
    score_all, raw_all = panel.score[keep], panel.raw[keep]
    channels_all = [
        np.nan_to_num(values[keep])
        for values in (panel.coop_score, panel.coop_strength, panel.conflict_score, panel.conflict_strength)
    ]
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(0, candidates.size + 1))
    for lo in range(0, candidates.size, CHUNK_DYADS):
        hi = min(lo + CHUNK_DYADS, candidates.size)
        rows = order[bounds[lo] : bounds[hi]]
        rows = rows[inside[rows]]
        width = hi - lo
        score = np.full((n_days, width), np.nan)
        raw = np.full((n_days, width), np.nan)
        column = codes[rows] - lo
        score[day[rows], column] = score_all[rows]
        raw[day[rows], column] = raw_all[rows]
        channels = []
        for values in channels_all:
            dense = np.zeros((n_days, width))
            dense[day[rows], column] = values[rows]
            channels.append(dense)
        state = run_state(channels[0], channels[1], channels[2], channels[3], params)
        worst = state.min(axis=0)
        hit = np.flatnonzero(worst < -params.hostile)
        # One contiguous row per dyad: column slices of a day-major array are strided copies.
        state_rows, score_rows, raw_rows = (np.ascontiguousarray(x[:, hit].T) for x in (state, score, raw))
        for k, j in enumerate(hit):
            a, b = panel.dyads[int(candidates[lo + j])]
            yield a, b, state_rows[k], score_rows[k], raw_rows[k]


def _episodes_from_panel(
    panel: PanelArrays, first: dt.date, last: dt.date, params: IndexParams
) -> tuple[list[Turnaround], int]:
    episodes: list[Turnaround] = []
    days = pd.date_range(first, last, freq="D")
    n_dyads = len(panel.dyads)
    for a, b, state, score, raw in _iter_dyad_arrays(panel, first, last, params):
        for span in detect_episodes(state, score, raw, params):
            depth = -float(state[span.lowest])

            def day(i: int | None) -> dt.date | None:
                return None if i is None else days[i].date()

            episodes.append(
                Turnaround(
                    country_a=a,
                    country_b=b,
                    start=days[span.start].date(),
                    entry=days[span.entry].date(),
                    nadir=days[span.nadir].date(),
                    lowest=days[span.lowest].date(),
                    depth=depth,
                    swing=float(state[span.peak] - state[span.lowest]),
                    peak=day(span.peak),
                    calm=day(span.calm),
                    recovery=day(span.recovery),
                    hostile_days=span.hostile_days,
                    nadir_value=float(raw[span.nadir]),
                )
            )
    return episodes, n_dyads


def milestone_case_sql(column: str) -> str:
    """SQL CASE giving 'cooperative', 'hostile' or NULL for a CAMEO code column (longest prefix wins)."""
    by_length: dict[int, dict[str, list[str]]] = {}
    for mark in milestone_codes():
        by_length.setdefault(len(mark.prefix), {}).setdefault(mark.kind, []).append(mark.prefix)
    branches = []
    for length in sorted(by_length, reverse=True):
        for kind, prefixes in sorted(by_length[length].items()):
            listed = ", ".join(f"'{p}'" for p in sorted(prefixes))
            branches.append(f"WHEN left({column}, {length}) IN ({listed}) THEN '{kind}'")
    return "CASE " + " ".join(branches) + " END"


def _label_of(cameo: str | None) -> str | None:
    if not cameo:
        return None
    return next((m.label for m in _longest_first() if cameo.startswith(m.prefix)), None)


@cache
def _longest_first() -> tuple[_Milestone, ...]:
    return tuple(sorted(milestone_codes(), key=lambda m: -len(m.prefix)))


def _attach_milestones(
    connection: duckdb.DuckDBPyConnection,
    episodes: list[Turnaround],
    params: IndexParams,
    last: dt.date,
    pair: tuple[str, str] | None = None,
) -> None:
    """Fill each episode's first cooperative milestone (after the nadir) and its main hostile event.

    Reads the ``_detente_panel`` temp table of ``panel_arrays(keep=True)``, whose dyad-days carry the
    day's net score and its strongest milestone events: an ASOF join finds the first net-cooperative
    milestone day at or after each nadir, an equi-join on the days of each fall its worst hostile
    milestone; only the chosen events are then read from ``events`` (for one ``pair``, only from its
    rows, which a store sorted by dyad keeps in a few row groups).
    """
    if not episodes:
        return
    frame = pd.DataFrame(
        {
            "episode": range(len(episodes)),
            "a": [e.country_a for e in episodes],
            "b": [e.country_b for e in episodes],
            "start": [e.start for e in episodes],
            "nadir": [e.nadir for e in episodes],
            "limit_": [min(e.nadir + dt.timedelta(days=params.milestone_horizon), last) for e in episodes],
        }
    )
    connection.register("_episodes_in", frame)
    try:
        cooperative = connection.execute(
            """
            WITH days AS (
                -- A visit on a day of strikes is crisis management, not repair: the day must be net
                -- cooperative.
                SELECT country_a AS a, country_b AS b, date, coop_event FROM _detente_panel
                WHERE coop_event IS NOT NULL AND score >= 0
            )
            SELECT x.episode, d.date, d.coop_event
            FROM _episodes_in x ASOF JOIN days d ON x.a = d.a AND x.b = d.b AND x.nadir <= d.date
            WHERE d.date <= x.limit_
            """
        ).fetchall()
        hostile = connection.execute(
            """
            WITH fall AS (
                SELECT episode, a, b, unnest(generate_series(start, nadir, INTERVAL 1 DAY))::DATE AS date
                FROM _episodes_in
            )
            SELECT f.episode, arg_min(p.date, (p.hostile_g, p.date)),
                arg_min(p.hostile_event, (p.hostile_g, p.date))
            FROM fall f JOIN _detente_panel p ON p.country_a = f.a AND p.country_b = f.b AND p.date = f.date
            WHERE p.hostile_event IS NOT NULL
            GROUP BY f.episode
            """
        ).fetchall()
        chosen = pd.DataFrame(
            {"event_id": sorted({row[2] for row in cooperative} | {row[2] for row in hostile})}
        )
        connection.register("_chosen_events", chosen)
        try:
            details = {
                row[0]: (row[1], row[2])
                for row in connection.execute(
                    "SELECT e.event_id, any_value(e.cameo), any_value(e.sentence) FROM events e "
                    "SEMI JOIN _chosen_events c ON e.event_id = c.event_id "
                    + (
                        "WHERE (e.source_country = ? AND e.target_country = ?) "
                        "OR (e.source_country = ? AND e.target_country = ?) "
                        if pair
                        else ""
                    )
                    + "GROUP BY e.event_id",
                    [pair[0], pair[1], pair[1], pair[0]] if pair else [],
                ).fetchall()
            }
        finally:
            connection.unregister("_chosen_events")
    finally:
        connection.unregister("_episodes_in")
    for index, date, event_id in cooperative:
        episode = episodes[index]
        cameo, sentence = details.get(event_id, (None, None))
        episode.milestone = to_date(date)
        episode.milestone_cameo, episode.milestone_label = cameo, _label_of(cameo)
        episode.milestone_sentence, episode.milestone_event_id = sentence, event_id
    for index, date, event_id in hostile:
        episode = episodes[index]
        cameo, sentence = details.get(event_id, (None, None))
        episode.hostile_date = to_date(date)
        episode.hostile_cameo, episode.hostile_label, episode.hostile_sentence = (
            cameo,
            _label_of(cameo),
            sentence,
        )


def rank_turnarounds(
    episodes: list[Turnaround], rule: str = "index", by: str = "speed"
) -> tuple[list[Turnaround], list[Turnaround]]:
    """(ranked, open): episodes with a recovery under ``rule`` ranked fastest first (or by swing/depth).

    Ties in speed go to the deeper fall, then the larger swing. ``faster_than`` is the share of the
    other ranked episodes that took strictly longer.
    """
    if rule not in ("milestone", "calm", "index"):
        raise InputError(f"unknown recovery rule {rule!r}: use milestone, calm or index")
    if by not in ("speed", "swing", "depth"):
        raise InputError(f"unknown ranking {by!r}: use speed, swing or depth")
    for episode in episodes:
        episode.rule = rule
    done = [e for e in episodes if e.days_to(rule) is not None]
    open_ = [e for e in episodes if e.days_to(rule) is None]
    done.sort(key=lambda e: (e.days_to(rule), -e.depth, -e.swing, e.nadir, e.dyad))
    n = len(done)
    speeds = np.array([e.days_to(rule) for e in done], dtype=float)
    for position, episode in enumerate(done, start=1):
        episode.rank = position
        slower = int(np.sum(speeds > (episode.days_to(rule) or 0)))
        episode.faster_than = slower / (n - 1) if n > 1 else 0.0
    by_swing = sorted(done, key=lambda e: (-e.swing, e.days_to(rule), e.dyad))
    for position, episode in enumerate(by_swing, start=1):
        episode.swing_rank = position
    if by == "swing":
        done = by_swing
    elif by == "depth":
        done = sorted(done, key=lambda e: (-e.depth, e.days_to(rule), e.dyad))
    open_.sort(key=lambda e: (-e.depth, e.nadir))
    return done, open_


def find_turnarounds(
    store: Any,
    *,
    dyad: tuple[str, str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_depth: float | None = None,
    source: str | None = None,
    dataset: str | None = None,
    rule: str | None = None,
    by: str = "speed",
    params: IndexParams = DEFAULT_PARAMS,
) -> TurnaroundScan:
    """Episodes of every dyad in the store (or one ``dyad``), ranked against each other.

    ``rule`` picks the recovery date that speed is measured to: ``milestone`` (default for events),
    ``calm`` (default for dyad-day series, which have no event types) or ``index``.
    """
    connection = as_connection(store)
    kind = detect_source(connection, source)
    if rule is None:
        rule = "milestone" if kind == "events" else "calm"
    if rule == "milestone" and kind != "events":
        raise InputError("--rule milestone needs event types: a dyad-day series has none (use calm or index)")
    pair: tuple[str, str] | None = None
    if dyad is not None:
        a, b = check_country(dyad[0]), check_country(dyad[1])
        if a == b:
            raise InputError(f"a dyad needs two different countries, got {a} twice")
        pair = (min(a, b), max(a, b))
    depth_floor = params.hostile if min_depth is None else float(min_depth)
    if not 0 <= depth_floor <= params.bound:
        raise InputError(f"--min-depth {min_depth}: must be between 0 and {params.bound:g}")
    span = data_span(connection, kind, dataset)
    lo, hi = clamp_window(span, start, end)
    first = span[0]
    panel = panel_arrays(connection, kind, dyad=pair, end=hi, dataset=dataset, params=params, keep=True)
    try:
        return _scan(connection, panel, kind, pair, first, lo, hi, depth_floor, dataset, rule, by, params)
    finally:
        connection.execute("DROP TABLE IF EXISTS _detente_panel")


def _scan(
    connection: duckdb.DuckDBPyConnection,
    panel: PanelArrays,
    kind: Source,
    pair: tuple[str, str] | None,
    first: dt.date,
    lo: dt.date,
    hi: dt.date,
    depth_floor: float,
    dataset: str | None,
    rule: str,
    by: str,
    params: IndexParams,
) -> TurnaroundScan:
    if pair and not panel.dyads:
        raise StoreError(
            f"no {'events' if kind == 'events' else 'values'} between {pair[0]} and {pair[1]} in the store"
        )
    episodes, n_dyads = _episodes_from_panel(panel, first, hi, params)
    episodes = [
        e
        for e in episodes
        if e.depth >= depth_floor and lo <= e.nadir <= hi and e.hostile_days >= params.min_hostile_days
    ]
    if kind == "events":
        _attach_milestones(connection, episodes, params, hi, pair)
    ranked, open_ = rank_turnarounds(episodes, rule=rule, by=by)
    caveats = (
        list(SERIES_CAVEATS)
        if kind == "dyad-series"
        else coarse_caveat(
            coarse_dated_events(connection, dyad=pair, dataset=dataset),
            f"between {pair[0]} and {pair[1]}" if pair else "in the store",
        )
    )
    return TurnaroundScan(
        source=kind,
        rule=rule,
        by=by,
        start=lo,
        end=hi,
        dyads_scanned=n_dyads,
        ranked=ranked,
        open=open_,
        params=params,
        caveats=caveats,
    )


# -- a whole-store scan kept beside the store ---------------------------------------------------------

_CACHED_SCANS = 6
_DATE_FIELDS = ("start", "entry", "nadir", "lowest", "peak", "calm", "recovery", "milestone", "hostile_date")


def _fingerprint(connection: duckdb.DuckDBPyConnection) -> list[Any]:
    """What changes whenever the store's content does: every write registers a batch in ``sources``."""
    row = connection.execute(
        "SELECT (SELECT coalesce(max(batch_id), 0) FROM sources), (SELECT count(*) FROM events),"
        " (SELECT count(*) FROM dyad_days), (SELECT max(coalesce(finished_at, imported_at)) FROM sources)"
    ).fetchone()
    # The time of the last write tells a store rebuilt from scratch (same batch ids and counts) apart;
    # the scan drops events dated after today, so a cached answer is only good for the day it was made.
    return [*(str(x) for x in row or ()), dt.date.today().isoformat()]


def cached_turnarounds(store: Any, cache_dir: Path | None = None, **options: Any) -> TurnaroundScan:
    """``find_turnarounds(store, **options)`` for the whole store, kept in ``<db>.cache/`` and reused
    while the store is unchanged: a dyad's report ranks its episodes against every dyad without
    re-reading 100M events. Falls back to a plain scan when the store has no file or the cache
    cannot be written (a read-only directory)."""
    path = getattr(store, "path", None)
    if cache_dir is None and path is None:
        return find_turnarounds(store, **options)
    folder = cache_dir or Path(str(path) + ".cache")
    connection = as_connection(store)
    params: IndexParams = options.get("params", DEFAULT_PARAMS)
    key = {
        "store": _fingerprint(connection),
        "options": {
            k: (v.to_dict() if isinstance(v, IndexParams) else str(v)) for k, v in sorted(options.items())
        },
        "params": params.to_dict(),
        "version": 1,
    }
    digest = hashlib.sha1(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    meta_path, rows_path = folder / f"turnarounds-{digest}.json", folder / f"turnarounds-{digest}.parquet"
    if meta_path.is_file() and rows_path.is_file():
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            return _load_scan(meta_path, rows_path, params)
    scan = find_turnarounds(store, **options)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        _save_scan(scan, meta_path, rows_path)
        # Keep the few most recent scans (a report's default and a user's variants); drop the rest.
        kept = sorted(folder.glob("turnarounds-*.json"), key=lambda x: x.stat().st_mtime, reverse=True)
        for stale in kept[_CACHED_SCANS:]:
            stale.unlink()
            stale.with_suffix(".parquet").unlink(missing_ok=True)
    return scan


def _save_scan(scan: TurnaroundScan, meta_path: Path, rows_path: Path) -> None:
    names = [f.name for f in fields(Turnaround)]
    episodes = scan.ranked + scan.open
    frame = pd.DataFrame([[getattr(e, n) for n in names] for e in episodes], columns=names)
    frame["ranked"] = [True] * len(scan.ranked) + [False] * len(scan.open)
    meta = {
        "source": scan.source,
        "rule": scan.rule,
        "by": scan.by,
        "start": scan.start.isoformat(),
        "end": scan.end.isoformat(),
        "dyads_scanned": scan.dyads_scanned,
        "caveats": scan.caveats,
    }
    # Written under temporary names and renamed, so a reader never sees half a cache.
    for target, write in (
        (rows_path, lambda p: frame.to_parquet(p, index=False)),
        (meta_path, lambda p: p.write_text(json.dumps(meta), encoding="utf-8")),
    ):
        partial = target.with_name(target.name + ".part")
        write(partial)
        os.replace(partial, target)


def _load_scan(meta_path: Path, rows_path: Path, params: IndexParams) -> TurnaroundScan:
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    frame = pd.read_parquet(rows_path)
    names = [f.name for f in fields(Turnaround)]
    ranked: list[Turnaround] = []
    open_: list[Turnaround] = []
    for record in frame.to_dict(orient="records"):
        values: dict[str, Any] = {}
        for name in names:
            value = record[name]
            if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
                values[name] = None
            elif name in _DATE_FIELDS:
                values[name] = to_date(value)
            elif name in ("rank", "swing_rank", "hostile_days") or isinstance(value, np.integer):
                values[name] = int(value)
            elif isinstance(value, np.floating):
                values[name] = float(value)
            else:
                values[name] = value
        (ranked if record["ranked"] else open_).append(Turnaround(**values))
    return TurnaroundScan(
        source=meta["source"],
        rule=meta["rule"],
        by=meta["by"],
        start=dt.date.fromisoformat(meta["start"]),
        end=dt.date.fromisoformat(meta["end"]),
        dyads_scanned=int(meta["dyads_scanned"]),
        ranked=ranked,
        open=open_,
        params=params,
        caveats=list(meta["caveats"]),
    )
