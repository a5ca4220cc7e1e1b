"""Realignment: actor A drifting away from partner B toward partner C.

Both dyads' state indices (A-B and A-C) are sampled weekly and segmented jointly with PELT
(``ruptures``, multivariate, L2 cost) — the change-point-first approach of Pang & Liu (2019), with the
vector-of-dyads reading of Schrodt & Gerner (2000). At each change point the shift of each dyad is the
mean state of the segment after it minus that of the segment before it, each segment cut to at most
``window`` weeks from the change point: the level is never averaged across a neighbouring change. A
realignment is a change point where A-B falls and A-C rises, each by at least ``min_shift`` points of
the -9..+9 scale, with events behind both moves (a hostile day of A-B and a cooperative day of A-C in
the week of the change or the week either side): a state that only fades because the news stopped
has not moved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import ruptures
from ruptures.base import BaseCost

from detente.analysis._db import (
    ASSERTED_SQL,
    DAY_DATED_SQL,
    Source,
    as_connection,
    check_country,
    clamp_window,
    data_span,
    detect_source,
)
from detente.analysis.index import DEFAULT_PARAMS, IndexParams, daily_panel, daily_states
from detente.errors import InputError, StoreError

__all__ = ["Realignment", "Shift", "realign", "scan_realignments"]

# A move must be at least this many times the dyad's usual 4-week swing (docs/methods.md §3).
SWING_FACTOR = 2.0


@dataclass(slots=True)
class Shift:
    """One change point of the joint A-B / A-C series."""

    date: dt.date
    away_before: float
    away_after: float
    toward_before: float
    toward_after: float
    away_events: list[dict[str, Any]] = field(default_factory=list)
    toward_events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def away_shift(self) -> float:
        return self.away_after - self.away_before

    @property
    def toward_shift(self) -> float:
        return self.toward_after - self.toward_before

    @property
    def size(self) -> float:
        """How far the two dyads moved apart: rise toward C plus fall away from B."""
        return self.toward_shift - self.away_shift

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "away_before": round(self.away_before, 3),
            "away_after": round(self.away_after, 3),
            "away_shift": round(self.away_shift, 3),
            "toward_before": round(self.toward_before, 3),
            "toward_after": round(self.toward_after, 3),
            "toward_shift": round(self.toward_shift, 3),
            "size": round(self.size, 3),
            "away_events": self.away_events,
            "toward_events": self.toward_events,
        }


@dataclass(slots=True)
class Realignment:
    actor: str
    away_from: str
    toward: str
    source: Source
    start: dt.date
    end: dt.date
    series: pd.DataFrame  # weekly: week, away (A-B state), toward (A-C state)
    change_points: list[Shift]
    realignments: list[Shift]  # the change points that move A away from B and toward C
    # First and last day inside the window on which A-B or A-C have events: what a chart shows by default.
    active_span: tuple[dt.date, dt.date] | None = None
    # The shift each dyad had to make to count (min_shift, or twice its usual 4-week swing).
    bars: tuple[float, float] = (1.0, 1.0)

    @property
    def found(self) -> bool:
        return bool(self.realignments)

    @property
    def strongest(self) -> Shift | None:
        return max(self.realignments, key=lambda s: s.size) if self.realignments else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "away_from": self.away_from,
            "toward": self.toward,
            "source": self.source,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "found": self.found,
            "active_span": [d.isoformat() for d in self.active_span] if self.active_span else None,
            "min_fall": round(self.bars[0], 3),
            "min_rise": round(self.bars[1], 3),
            "change_points": [s.to_dict() for s in self.change_points],
            "realignments": [s.to_dict() for s in self.realignments],
            "series": [
                {
                    "week": pd.Timestamp(r["week"]).date().isoformat(),
                    "away": round(float(r["away"]), 3),
                    "toward": round(float(r["toward"]), 3),
                }
                for r in self.series.to_dict(orient="records")
            ],
        }


@dataclass(slots=True)
class _Weekly:
    """Per week (Sunday-ended) and dyad key: mean state, and whether a day was hostile / cooperative."""

    state: pd.DataFrame
    hostile: pd.DataFrame
    cooperative: pd.DataFrame

    def since(self, first_week: pd.Timestamp) -> _Weekly:
        keep = self.state.index >= first_week
        return _Weekly(self.state[keep], self.hostile[keep], self.cooperative[keep])


def _weekly_states(
    panel: pd.DataFrame, keys: list[tuple[str, str]], first: dt.date, last: dt.date, params: IndexParams
) -> _Weekly:
    states = daily_states(panel, first, last, params, keys)
    state, hostile, cooperative = {}, {}, {}
    for key, daily in states.items():
        indexed = daily.set_index("date")
        state[key] = indexed["state"].resample("W-SUN").mean()
        score = indexed["score"]
        hostile[key] = (score < 0).resample("W-SUN").max()
        cooperative[key] = (score > 0).resample("W-SUN").max()
    return _Weekly(pd.DataFrame(state), pd.DataFrame(hostile), pd.DataFrame(cooperative))


class _CumulativeL2(BaseCost):  # type: ignore[misc]
    """ruptures' L2 cost (a segment's squared deviations from its mean) from prefix sums.

    ``CostL2`` recomputes a variance over the whole slice for every candidate segment, which made a
    scan of a ten-year store take minutes; prefix sums give the same number in constant time.
    """

    model = "l2_cumulative"
    min_size = 1

    def fit(self, signal: np.ndarray) -> _CumulativeL2:
        values = np.asarray(signal, dtype=np.float64)
        if values.ndim == 1:
            values = values[:, None]
        self.signal = values
        self._sums = np.vstack([np.zeros(values.shape[1]), np.cumsum(values, axis=0)])
        self._squares = np.concatenate([[0.0], np.cumsum((values * values).sum(axis=1))])
        return self

    def error(self, start: int, end: int) -> float:
        delta = self._sums[end] - self._sums[start]
        return float(self._squares[end] - self._squares[start] - delta @ delta / (end - start))


def _change_points(signal: np.ndarray, penalty: float, min_size: int) -> list[int]:
    if len(signal) < 2 * min_size + 1 or np.allclose(signal, signal[0]):
        return []
    algo = ruptures.Pelt(custom_cost=_CumulativeL2(), min_size=min_size, jump=1).fit(signal)
    return [b for b in algo.predict(pen=penalty) if b < len(signal)]


def _events_near(
    store: Any, a: str, b: str, day: dt.date, days: int, dataset: str | None, limit: int = 3, sign: int = 0
) -> list[dict[str, Any]]:
    """The strongest events of a-b within ``days`` of ``day``; with ``sign`` those of that sign first
    (the events behind a fall are the hostile ones, behind a rise the cooperative ones)."""
    connection = as_connection(store)
    dataset_clause = "AND dataset = ?" if dataset else ""
    args: list[Any] = [a, b, b, a, day - dt.timedelta(days=days), day + dt.timedelta(days=days)]
    if dataset:
        args.append(dataset)
    rows = connection.execute(
        f"""SELECT date, source_country, target_country, cameo, cameo_label, goldstein, sentence, event_id
        FROM events
        WHERE ((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))
          AND date BETWEEN ? AND ? AND goldstein IS NOT NULL AND {ASSERTED_SQL} AND {DAY_DATED_SQL}
          {dataset_clause}
        ORDER BY sign(goldstein) = {int(sign)} DESC, abs(goldstein) DESC, date LIMIT {int(limit)}""",
        args,
    ).fetchall()
    keys = ("date", "source", "target", "cameo", "label", "goldstein", "sentence", "event_id")
    return [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in zip(keys, row, strict=True)}
        for row in rows
    ]


def _default_penalty(signal: np.ndarray) -> float:
    """BIC-like penalty 4·σ²·ln T, σ² the noise of the signal around its local level (≥ 1 point²).

    The L2 cost is in squared points, so a fixed penalty cuts a busy, noisy dyad into many segments
    (each burst of random events would be a "shift"). σ is estimated robustly as 1.4826·MAD of the
    residuals from a centred 9-week rolling median, which follows steps between levels, so genuine
    shifts barely inflate it; a quiet series (most weeks only fade) keeps the floor of one point.
    """
    if len(signal) < 3:
        return 4.0 * np.log(max(len(signal), 2))
    frame = pd.DataFrame(signal)
    residuals = (frame - frame.rolling(9, center=True, min_periods=1).median()).to_numpy()
    mad = np.median(np.abs(residuals - np.median(residuals, axis=0)), axis=0)
    variance = float(np.mean((1.4826 * mad) ** 2))
    return 4.0 * max(variance, 1.0) * np.log(len(signal))


def _monthly_swing(series: np.ndarray, lag: int = 4) -> float:
    """How far the dyad's weekly state typically moves in ``lag`` weeks: 1.4826·MAD of S(t+lag) − S(t).

    Near 0 for a quiet dyad (most weeks only fade); several points for a dyad whose random daily news
    keeps swinging the index. A shift must stand out from this, not only pass ``min_shift``.
    """
    if len(series) <= lag:
        return 0.0
    steps = series[lag:] - series[:-lag]
    return float(1.4826 * np.median(np.abs(steps - np.median(steps))))


def _moves(
    signal: np.ndarray, points: list[int], window: int, transition: int, min_shift: float
) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    """Change points grouped into moves: (first point, last point, level before, level after).

    The level on each side is the mean of the adjacent PELT segment, cut to ``window`` weeks from
    the change: a mean taken across the previous or next change would mix two levels (a warm spell
    right before a break would cancel the break). Under sustained events the state needs two or
    three weeks to go from one level to another, and PELT may cut that slide into steps; consecutive
    change points less than ``transition`` weeks apart whose moves go the same way (or one of them
    is below ``min_shift``/2) are one move, measured from before the first to after the last.
    """
    bounds = [0, *points, len(signal)]

    def level(lo: int, hi: int) -> np.ndarray:
        return np.asarray(signal[lo:hi].mean(axis=0))

    def step(k: int) -> np.ndarray:  # the move at points[k], segment mean to segment mean
        return level(bounds[k + 1], bounds[k + 2]) - level(bounds[k], bounds[k + 1])

    def agrees(run: np.ndarray, nxt: np.ndarray) -> bool:
        small = 0.5 * min_shift
        return all(
            abs(r) < small or abs(n) < small or (r > 0) == (n > 0) for r, n in zip(run, nxt, strict=True)
        )

    moves = []
    k = 0
    while k < len(points):
        j, run = k, step(k)
        while j + 1 < len(points) and points[j + 1] - points[j] <= transition and agrees(run, step(j + 1)):
            j += 1
            run = run + step(j)
        first, last = points[k], points[j]
        before = level(max(bounds[k], first - window), first)
        after = level(last, min(bounds[j + 2], last + window))
        moves.append((first, last, before, after))
        k = j + 1
    return moves


def _segment(
    a: str,
    b: str,
    c: str,
    kind: Source,
    lo: dt.date,
    hi: dt.date,
    weekly: _Weekly,
    *,
    window_weeks: int,
    min_shift: float,
    penalty: float | None,
    min_weeks: int,
    transition_weeks: int = 4,
    panel: pd.DataFrame | None = None,
    segmentations: dict[frozenset[str], list[int]] | None = None,
) -> Realignment:
    """Joint PELT segmentation of the weekly A-B and A-C states (columns keyed by sorted pairs).

    ``segmentations`` shares change points between (B, C) and (C, B), whose signals differ only by
    the order of their columns (the L2 cost does not see it).
    """
    key_b, key_c = tuple(sorted((a, b))), tuple(sorted((a, c)))
    states = weekly.state
    series = pd.DataFrame(
        {"week": states.index, "away": states[key_b].to_numpy(), "toward": states[key_c].to_numpy()}
    )
    signal = series[["away", "toward"]].to_numpy()
    pen = penalty if penalty is not None else _default_penalty(signal)
    pair = frozenset((b, c))
    if segmentations is not None and pair in segmentations:
        points = segmentations[pair]
    else:
        points = _change_points(signal, pen, min_weeks)
        if segmentations is not None:
            segmentations[pair] = points
    # Each dyad's bar: min_shift, or twice its usual monthly swing when that is larger.
    away_bar = max(min_shift, SWING_FACTOR * _monthly_swing(signal[:, 0]))
    toward_bar = max(min_shift, SWING_FACTOR * _monthly_swing(signal[:, 1]))
    away_hostile = weekly.hostile[key_b].to_numpy(dtype=bool)
    toward_cooperative = weekly.cooperative[key_c].to_numpy(dtype=bool)
    shifts: list[Shift] = []
    moves: list[Shift] = []
    for first, last, before, after in _moves(signal, points, window_weeks, transition_weeks, min_shift):
        # Weeks end on Sunday: the shift is dated to the first day of the week it shows in.
        week_start = series["week"].iloc[first] - pd.Timedelta(days=6)
        shift = Shift(
            date=week_start.date(),
            away_before=float(before[0]),
            away_after=float(after[0]),
            toward_before=float(before[1]),
            toward_after=float(after[1]),
        )
        shifts.append(shift)
        near = slice(max(first - 1, 0), last + 2)
        # A move needs events behind it: a state that fades after the news stops has not moved.
        if (
            shift.away_shift <= -away_bar
            and shift.toward_shift >= toward_bar
            and away_hostile[near].any()
            and toward_cooperative[near].any()
        ):
            moves.append(shift)
    return Realignment(
        a,
        b,
        c,
        kind,
        lo,
        hi,
        series,
        shifts,
        moves,
        _active_span(panel, a, b, c, lo, hi),
        (away_bar, toward_bar),
    )


def _active_span(
    panel: pd.DataFrame | None, a: str, b: str, c: str, lo: dt.date, hi: dt.date
) -> tuple[dt.date, dt.date] | None:
    if panel is None or panel.empty:
        return None
    keys = {tuple(sorted((a, b))), tuple(sorted((a, c)))}
    mine = panel[[(x, y) in keys for x, y in zip(panel["country_a"], panel["country_b"], strict=True)]]
    dates = mine["date"][(mine["date"] >= pd.Timestamp(lo)) & (mine["date"] <= pd.Timestamp(hi))]
    if dates.empty:
        return None
    return dates.min().date(), dates.max().date()


def _attach_events(connection: Any, result: Realignment, dataset: str | None) -> None:
    if result.source != "events":
        return
    # Every change point gets the events behind it (a chart marks them), not only the realignments.
    for shift in result.change_points:
        away_sign = -1 if shift.away_shift < 0 else 1
        toward_sign = 1 if shift.toward_shift > 0 else -1
        shift.away_events = _events_near(
            connection, result.actor, result.away_from, shift.date, 14, dataset, sign=away_sign
        )
        shift.toward_events = _events_near(
            connection, result.actor, result.toward, shift.date, 14, dataset, sign=toward_sign
        )


def realign(
    store: Any,
    actor: str,
    away_from: str,
    toward: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    source: str | None = None,
    dataset: str | None = None,
    params: IndexParams = DEFAULT_PARAMS,
    window_weeks: int = 8,
    min_shift: float = 1.0,
    penalty: float | None = None,
    min_weeks: int = 2,
) -> Realignment:
    """Change points of A-B and A-C together, with the shifts that move A from B toward C."""
    a, b, c = (check_country(x) for x in (actor, away_from, toward))
    if len({a, b, c}) < 3:
        raise InputError(f"realign needs three different countries, got {a}, {b}, {c}")
    connection = as_connection(store)
    kind = detect_source(connection, source)
    span = data_span(connection, kind, dataset)
    lo, hi = clamp_window(span, start, end)
    panel = daily_panel(connection, kind, countries={a}, end=hi, dataset=dataset, params=params)
    key_b, key_c = tuple(sorted((a, b))), tuple(sorted((a, c)))
    for key, other in ((key_b, b), (key_c, c)):
        if panel.empty or not ((panel["country_a"] == key[0]) & (panel["country_b"] == key[1])).any():
            raise StoreError(
                f"no events between {a} and {other} in the store: cannot measure {a}'s relations with {other}"
            )
    first = min(panel["date"].min().date(), lo)
    weekly = _weekly_states(panel, [key_b, key_c], first, hi, params)  # type: ignore[list-item]
    weekly = weekly.since(pd.Timestamp(lo) - pd.Timedelta(days=6))
    result = _segment(
        a,
        b,
        c,
        kind,
        lo,
        hi,
        weekly,
        window_weeks=window_weeks,
        min_shift=min_shift,
        penalty=penalty,
        min_weeks=min_weeks,
        panel=panel,
    )
    _attach_events(connection, result, dataset)
    return result


def scan_realignments(
    store: Any,
    *,
    actor: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    source: str | None = None,
    dataset: str | None = None,
    params: IndexParams = DEFAULT_PARAMS,
    partners: int = 8,
    min_shift: float = 2.0,
    window_weeks: int = 8,
    limit: int = 50,
) -> list[Realignment]:
    """For each actor (or one), its ``partners`` most active partners in the window; every ordered pair
    (B, C) whose indices move in opposite directions at a shared change point. Strongest first.

    The store is read once; each actor's partner states are computed once and shared by its pairs.
    """
    connection = as_connection(store)
    kind = detect_source(connection, source)
    span = data_span(connection, kind, dataset)
    lo, hi = clamp_window(span, start, end)
    only = check_country(actor) if actor else None
    panel = daily_panel(
        connection, kind, end=hi, dataset=dataset, params=params, countries={only} if only else None
    )
    if panel.empty:
        return []
    window = panel[panel["date"] >= pd.Timestamp(lo)]
    activity = (
        pd.concat(
            [
                window[["country_a", "country_b", "n_events"]].rename(
                    columns={"country_a": "actor", "country_b": "partner"}
                ),
                window[["country_b", "country_a", "n_events"]].rename(
                    columns={"country_b": "actor", "country_a": "partner"}
                ),
            ]
        )
        .groupby(["actor", "partner"], as_index=False)["n_events"]
        .sum()
    )
    actors = [only] if only else sorted(activity["actor"].unique())
    first = min(panel["date"].min().date(), lo)
    found: list[Realignment] = []
    for a in actors:
        top = activity[activity["actor"] == a].nlargest(partners, "n_events")["partner"].tolist()
        if len(top) < 2:
            continue
        keys = [tuple(sorted((a, p))) for p in top]
        mine = panel[(panel["country_a"] == a) | (panel["country_b"] == a)]
        weekly = _weekly_states(mine, keys, first, hi, params)  # type: ignore[arg-type]
        weekly = weekly.since(pd.Timestamp(lo) - pd.Timedelta(days=6))
        segmentations: dict[frozenset[str], list[int]] = {}
        for b in top:
            for c in top:
                if b == c:
                    continue
                result = _segment(
                    a,
                    b,
                    c,
                    kind,
                    lo,
                    hi,
                    weekly,
                    window_weeks=window_weeks,
                    min_shift=min_shift,
                    penalty=None,
                    min_weeks=2,
                    panel=mine,
                    segmentations=segmentations,
                )
                if result.found:
                    _attach_events(connection, result, dataset)
                    found.append(result)
    found.sort(key=lambda r: -(r.strongest.size if r.strongest else 0))
    return found[:limit]
