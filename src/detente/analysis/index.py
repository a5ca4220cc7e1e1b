"""The dyad relations index: daily evidence from events (or a dyad-day series) turned into a bounded state.

Two layers (docs/methods.md gives formulas, defaults and the literature):

* **Daily evidence** per dyad and day: Goldstein sum and mean, counts per quad class, and the
  cooperative and conflictual channels apart. Each event maps to ``sqrt(|g|/10)`` (so a +2 visit is
  not drowned 5:1 by a -10 strike); a channel's intensity is its strongest event of the day and its
  strength 1 - exp(-n/n0) for n events in it, so neither follows news volume. The net score
  ``score`` = mean of ``sign(g)·sqrt(|g|/10)`` in [-1, 1] says whether a day was hostile overall.
  A dyad-day *series* (no event types) gets ``score = sign(z)·tanh(max(|z| - d, 0)/z0)``, z being
  the day's value against the dyad's own median and MAD: a day inside the normal band is neutral.
* **State** ``S`` in [-B, B] (B = 9, the Tsinghua scale's range): every day it relaxes toward neutral
  with a half-life (a missing day is neutral: the state only fades), and on a day with evidence each
  channel moves it a fraction ``gain·strength·intensity`` of the remaining distance toward +B
  (cooperation) or -B (conflict, applied last). Movement slows near the extremes (Tsinghua's
  bounded accumulation), and one strong cooperative day can lift a hostile state quickly, which a
  flow sum cannot show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd

from detente.analysis._db import (
    ASSERTED_SQL,
    DAY_DATED_SQL,
    Source,
    as_connection,
    check_country,
    clamp_window,
    coarse_caveat,
    coarse_dated_events,
    data_span,
    detect_source,
)
from detente.errors import InputError, StoreError

__all__ = [
    "BANDS",
    "DyadIndex",
    "IndexParams",
    "band_of",
    "daily_panel",
    "dyad_index",
    "run_state",
    "strongest_events",
]

Freq = Literal["D", "W", "M"]

# Tsinghua-style bands of the -9..+9 state (Yan & Zhou 2004 use six 3-point bands).
BANDS: tuple[tuple[float, str], ...] = (
    (-6.0, "hostile"),
    (-3.0, "tense"),
    (0.0, "discordant"),
    (3.0, "ordinary"),
    (6.0, "good"),
    (9.0001, "friendly"),
)


def band_of(value: float) -> str:
    if value != value:  # NaN
        return ""
    for upper, label in BANDS:
        if value < upper:
            return label
    return BANDS[-1][1]


@dataclass(frozen=True, slots=True)
class IndexParams:
    """Parameters of the index and the episode detector (defaults argued in docs/methods.md)."""

    bound: float = 9.0  # B: the state lives in [-B, B]
    gain: float = 0.8  # kappa: share of the distance to +-B one full-strength day moves
    half_life: float = 30.0  # days for the state to fade halfway to neutral without news
    evidence_scale: float = 2.0  # n0: a day of n events counts 1 - exp(-n/n0)
    series_dead_zone: float = 2.0  # d: a series day within d robust SDs of the dyad's median is neutral
    series_z_scale: float = 2.0  # z0: beyond it a series day scores tanh((|z| - d)/z0), signed
    hostile: float = 3.0  # H: an episode starts when the state falls below -H
    recovered: float = 0.0  # R: ... and ends when the state is back at or above R
    calm_days: int = 3  # calm = first of this many days without hostile evidence after the nadir
    min_hostile_days: int = (
        2  # an episode needs this many days of hostile evidence (one-off noise is not one)
    )
    swing_horizon: int = 60  # days after the nadir over which the swing's peak is taken
    milestone_horizon: int = 365  # days after the nadir to look for the first cooperative milestone

    def __post_init__(self) -> None:
        if not 0 < self.gain <= 1:
            raise InputError(f"index gain {self.gain}: must be in (0, 1]")
        if self.half_life <= 0:
            raise InputError(f"index half-life {self.half_life}: must be positive")
        if not 0 < self.hostile < self.bound:
            raise InputError(f"hostility threshold {self.hostile}: must be in (0, {self.bound})")
        if not -self.hostile < self.recovered < self.bound:
            raise InputError(f"recovery level {self.recovered}: must be above -{self.hostile}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_PARAMS = IndexParams()


def _event_panel_sql(directed: bool, where: str) -> str:
    # Per-event values are computed once in the inner query; aggregates avoid FILTER clauses, which
    # matters at 100M events.
    a = "source_country" if directed else "least(source_country, target_country)"
    b = "target_country" if directed else "greatest(source_country, target_country)"
    return f"""
    SELECT country_a, country_b, date,
        count(*) AS n_events,
        sum(g) AS goldstein_sum,
        avg(g) AS goldstein_mean,
        sum(greatest(g, 0)) AS coop_sum,
        sum(least(g, 0)) AS conflict_sum,
        count_if(g > 0) AS n_coop,
        count_if(g < 0) AS n_conflict,
        count_if(q = 1) AS n_q1,
        count_if(q = 2) AS n_q2,
        count_if(q = 3) AS n_q3,
        count_if(q = 4) AS n_q4,
        avg(sign(g) * u) AS score,
        1 - exp(-count(*) / ?) AS strength,
        max(CASE WHEN g > 0 THEN u ELSE 0 END) AS coop_score,
        1 - exp(-count_if(g > 0) / ?) AS coop_strength,
        max(CASE WHEN g < 0 THEN u ELSE 0 END) AS conflict_score,
        1 - exp(-count_if(g < 0) / ?) AS conflict_strength,
        sum(g) AS raw
    FROM (
        SELECT {a} AS country_a, {b} AS country_b, date, goldstein AS g, quad_class AS q,
            sqrt(abs(goldstein) / 10.0) AS u
        FROM events
        WHERE {where}
    )
    GROUP BY ALL
    """


def _event_lean_sql(where: str, mark_case: str) -> str:
    # Only what the state needs, for scans of every dyad: a few aggregates instead of eighteen make
    # the dyad-day aggregation of 100M events about three times faster. The same pass picks each
    # day's strongest cooperative and hostile milestone event, so milestones need no second scan.
    return f"""
    SELECT country_a, country_b, date, sum(g) AS raw, avg(v) AS score,
        greatest(max(v), 0) AS coop_score, 1 - exp(-sum((g > 0)::INTEGER) / ?) AS coop_strength,
        greatest(-min(v), 0) AS conflict_score, 1 - exp(-sum((g < 0)::INTEGER) / ?) AS conflict_strength,
        -- Equal weights are broken by the event id's hash, below the 0.1 steps of the scale: a plain
        -- number is much cheaper to aggregate than a (weight, id) struct, and inside the CASE it is
        -- only computed for milestone events.
        arg_min(event_id, CASE WHEN mark = 'cooperative' THEN -g + (hash(event_id) % 1000000) * 1e-9 END)
            AS coop_event,
        arg_min(event_id, CASE WHEN mark = 'hostile' THEN g + (hash(event_id) % 1000000) * 1e-9 END)
            AS hostile_event,
        min(CASE WHEN mark = 'hostile' THEN g END) AS hostile_g
    FROM (
        SELECT least(source_country, target_country) AS country_a,
            greatest(source_country, target_country) AS country_b, date, goldstein AS g,
            sign(goldstein) * sqrt(abs(goldstein) / 10.0) AS v, event_id, {mark_case} AS mark
        FROM events
        WHERE {where}
    )
    GROUP BY ALL
    """


_SERIES_PANEL_SQL = """
WITH sel AS (
    SELECT country_a, country_b, date, sum(weight) AS weight FROM dyad_days WHERE {where} GROUP BY ALL
), base AS (
    SELECT country_a, country_b, median(weight) AS med FROM sel GROUP BY ALL
), spread AS (
    SELECT country_a, country_b, any_value(base.med) AS med,
        greatest(1.4826 * median(abs(sel.weight - base.med)), 1.0) AS scale
    FROM sel JOIN base USING (country_a, country_b)
    GROUP BY ALL
), scored AS (
    SELECT sel.country_a, sel.country_b, sel.date, sel.weight,
        tanh(sign(sel.weight - spread.med)
             * greatest(abs(sel.weight - spread.med) / spread.scale - ?, 0) / ?) AS score
    FROM sel JOIN spread USING (country_a, country_b)
    WHERE {window}
)
SELECT country_a, country_b, date,
    1 AS n_events,
    weight AS goldstein_sum,
    weight AS goldstein_mean,
    greatest(weight, 0) AS coop_sum,
    least(weight, 0) AS conflict_sum,
    0 AS n_coop, 0 AS n_conflict, 0 AS n_q1, 0 AS n_q2, 0 AS n_q3, 0 AS n_q4,
    score,
    1.0 AS strength,
    -- One channel per day: the sign of the day's departure from the dyad's normal.
    greatest(score, 0) AS coop_score,
    1.0 AS coop_strength,
    greatest(-score, 0) AS conflict_score,
    1.0 AS conflict_strength,
    weight AS raw
FROM scored
"""


def panel_query(
    source: Source,
    *,
    dyad: tuple[str, str] | None = None,
    directed: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    dataset: str | None = None,
    params: IndexParams = DEFAULT_PARAMS,
    countries: set[str] | None = None,
    lean: bool = False,
) -> tuple[str, list[Any]]:
    """SQL (and its parameters) of the daily evidence per dyad and day; see ``daily_panel``.

    ``lean`` (undirected events only) keeps just the columns the state recursion needs.
    """
    params_sql: list[Any] = []
    if source == "events":
        clauses = [
            "source_country IS NOT NULL",
            "target_country IS NOT NULL",
            "source_country <> target_country",
            "date IS NOT NULL",
            "goldstein IS NOT NULL",
            DAY_DATED_SQL,
            ASSERTED_SQL,
        ]
        if dataset:
            clauses.append("dataset = ?")
            params_sql.append(dataset)
        if dyad:
            a, b = dyad
            clauses.append(
                "((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))"
            )
            params_sql += [a, b, b, a]
        if countries:
            listed = ", ".join(f"'{c}'" for c in sorted(countries))
            clauses.append(f"(source_country IN ({listed}) OR target_country IN ({listed}))")
        if start:
            clauses.append("date >= ?")
            params_sql.append(start)
        if end:
            clauses.append("date <= ?")
            params_sql.append(end)
        if lean and not directed:
            from detente.analysis.turnarounds import milestone_case_sql

            sql = _event_lean_sql(" AND ".join(clauses), milestone_case_sql("cameo"))
            return sql, [params.evidence_scale] * 2 + params_sql
        sql = _event_panel_sql(directed, " AND ".join(clauses))
        return sql, [params.evidence_scale] * 3 + params_sql
    clauses = ["country_a <> country_b"]
    if dataset:
        clauses.append("dataset = ?")
        params_sql.append(dataset)
    if dyad:
        clauses.append("country_a = ? AND country_b = ?")
        params_sql += sorted(dyad)
    if countries:
        listed = ", ".join(f"'{c}'" for c in sorted(countries))
        clauses.append(f"(country_a IN ({listed}) OR country_b IN ({listed}))")
    window = ["TRUE"]
    window_params: list[Any] = []
    if start:
        window.append("sel.date >= ?")
        window_params.append(start)
    if end:
        window.append("sel.date <= ?")
        window_params.append(end)
    sql = _SERIES_PANEL_SQL.format(where=" AND ".join(clauses), window=" AND ".join(window))
    return sql, [*params_sql, params.series_dead_zone, params.series_z_scale, *window_params]


def daily_panel(
    connection: duckdb.DuckDBPyConnection,
    source: Source,
    *,
    dyad: tuple[str, str] | None = None,
    directed: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    dataset: str | None = None,
    params: IndexParams = DEFAULT_PARAMS,
    countries: set[str] | None = None,
) -> pd.DataFrame:
    """Daily evidence per dyad and day (one row per active day), aggregated in SQL.

    Undirected dyads are written with ``country_a < country_b``; with ``directed`` country_a is the
    source. ``countries`` limits to dyads where either side is one of them.
    """
    sql, args = panel_query(
        source,
        dyad=dyad,
        directed=directed,
        start=start,
        end=end,
        dataset=dataset,
        params=params,
        countries=countries,
    )
    frame = connection.execute(sql, args).df()
    if source == "dyad-series" and directed:
        mirrored = frame.rename(columns={"country_a": "country_b", "country_b": "country_a"})
        frame = pd.concat([frame, mirrored], ignore_index=True)
    if not frame.empty:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


@dataclass(slots=True)
class PanelArrays:
    """The daily evidence of many dyads as flat numeric arrays (one entry per active dyad-day).

    Strings never leave DuckDB except the dyad list: materialising country codes for millions of
    dyad-days costs more than the aggregation itself.
    """

    dyads: list[tuple[str, str]]
    dyad: np.ndarray  # index into ``dyads``
    day: np.ndarray  # days since 1970-01-01
    score: np.ndarray
    raw: np.ndarray
    coop_score: np.ndarray
    coop_strength: np.ndarray
    conflict_score: np.ndarray
    conflict_strength: np.ndarray


def panel_arrays(
    connection: duckdb.DuckDBPyConnection,
    source: Source,
    *,
    dyad: tuple[str, str] | None = None,
    end: dt.date | None = None,
    dataset: str | None = None,
    params: IndexParams = DEFAULT_PARAMS,
    keep: bool = False,
) -> PanelArrays:
    """The panel as arrays; with ``keep`` the temp table ``_detente_panel`` stays for the caller's SQL
    (the caller drops it)."""
    sql, args = panel_query(source, dyad=dyad, end=end, dataset=dataset, params=params, lean=True)
    connection.execute(f"CREATE OR REPLACE TEMP TABLE _detente_panel AS {sql}", args)
    try:
        dyads = [
            (str(a), str(b))
            for a, b in connection.execute(
                "SELECT country_a, country_b FROM _detente_panel GROUP BY ALL ORDER BY ALL"
            ).fetchall()
        ]
        connection.execute(
            "CREATE OR REPLACE TEMP TABLE _detente_dyads AS SELECT country_a, country_b, "
            "row_number() OVER (ORDER BY country_a, country_b) - 1 AS dyad "
            "FROM (SELECT DISTINCT country_a, country_b FROM _detente_panel)"
        )
        columns = connection.execute(
            "SELECT d.dyad, (p.date - DATE '1970-01-01')::INTEGER AS day, p.score, p.raw, p.coop_score, "
            "p.coop_strength, p.conflict_score, p.conflict_strength "
            "FROM _detente_panel p JOIN _detente_dyads d USING (country_a, country_b)"
        ).fetchnumpy()
    finally:
        if not keep:
            connection.execute("DROP TABLE IF EXISTS _detente_panel")
        connection.execute("DROP TABLE IF EXISTS _detente_dyads")

    def column(name: str) -> np.ndarray:
        return np.asarray(columns[name], dtype=np.float64)

    return PanelArrays(
        dyads=dyads,
        dyad=np.asarray(columns["dyad"], dtype=np.int64),
        day=np.asarray(columns["day"], dtype=np.int64),
        score=column("score"),
        raw=column("raw"),
        coop_score=column("coop_score"),
        coop_strength=column("coop_strength"),
        conflict_score=column("conflict_score"),
        conflict_strength=column("conflict_strength"),
    )


def run_state(
    coop: np.ndarray,
    coop_strength: np.ndarray,
    conflict: np.ndarray,
    conflict_strength: np.ndarray,
    params: IndexParams,
) -> np.ndarray:
    """The state recursion over days (axis 0) for one or many dyads (axis 1) at once.

    ``coop``/``conflict`` are the day's channel intensities in [0, 1] (0 on days without such
    events), the strengths how much the day counts. With r the daily decay,
    a = gain·strength·coop and b = gain·strength·conflict:
    S1 = S·r + a·(B - S·r), then S' = S1 - b·(B + S1), which stays inside [-B, B]. The conflict
    channel acts last: on a day of strikes and statements, the strikes say where the day ends.
    """
    decay = 0.5 ** (1.0 / params.half_life)
    state = np.zeros(coop.shape[1:], dtype=np.float64)
    out = np.empty(coop.shape, dtype=np.float64)
    bound = params.bound
    up = params.gain * np.nan_to_num(coop) * np.nan_to_num(coop_strength)
    down = params.gain * np.nan_to_num(conflict) * np.nan_to_num(conflict_strength)
    evidence = (up > 0) | (down > 0)
    days = np.flatnonzero(evidence.reshape(len(evidence), -1).any(axis=1))
    # Between days with evidence the state only decays: fill those stretches in closed form.
    previous = -1
    for t in [*days.tolist(), coop.shape[0]]:
        gap = t - previous - 1
        if gap > 0:
            fading = decay ** np.arange(1, gap + 1, dtype=np.float64)
            out[previous + 1 : t] = fading.reshape((gap,) + (1,) * state.ndim) * state
            state = state * decay**gap
        if t == coop.shape[0]:
            break
        state = state * decay
        state = state + up[t] * (bound - state)
        state = state - down[t] * (bound + state)
        out[t] = state
        previous = t
    return out


def state_inputs(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return tuple(  # type: ignore[return-value]
        np.nan_to_num(frame[c].to_numpy(dtype=float))
        for c in ("coop_score", "coop_strength", "conflict_score", "conflict_strength")
    )


@dataclass(slots=True)
class DyadIndex:
    """One dyad's index per period, with the strongest events of each period as evidence."""

    country_a: str
    country_b: str
    source: Source
    freq: str
    directed: bool
    start: dt.date
    end: dt.date
    frame: pd.DataFrame  # one row per period (and direction): see ``dyad_index``
    daily: pd.DataFrame  # one row per day: date, direction, score, strength, state, raw
    evidence: pd.DataFrame  # strongest events per period (events source only)
    panel: pd.DataFrame = field(default_factory=pd.DataFrame)  # the window's active days, by direction
    params: IndexParams = field(default_factory=IndexParams)
    caveats: list[str] = field(default_factory=list)

    def resample(self, freq: str, evidence_per_period: int = 3) -> DyadIndex:
        """The same index per week or month, without reading the store again.

        The strongest k events of a period are among the strongest k of their own day, so evidence
        kept per day (k per day) gives the exact evidence per week or month.
        """
        if freq not in ("D", "W", "M"):
            raise InputError(f"unknown --freq {freq!r}: use D, W or M")
        frames = [
            _aggregate_periods(daily, self.panel[self.panel["direction"] == direction], freq, str(direction))  # type: ignore[arg-type]
            for direction, daily in self.daily.groupby("direction", sort=False)
        ]
        evidence = self.evidence
        if not evidence.empty:
            evidence = evidence.assign(
                period=_period_key(evidence["date"], freq),  # type: ignore[arg-type]
                strength=evidence["goldstein"].abs(),
            )
            evidence = (
                evidence.sort_values(
                    ["period", "direction", "strength", "date", "event_id"],
                    ascending=[True, True, False, True, True],
                    kind="stable",
                )
                .groupby(["period", "direction"], sort=False)
                .head(evidence_per_period)
                .drop(columns="strength")
                .reset_index(drop=True)
            )
        return replace(self, freq=freq, frame=pd.concat(frames, ignore_index=True), evidence=evidence)


STATE_COLUMNS = ("coop_score", "coop_strength", "conflict_score", "conflict_strength")

SERIES_CAVEATS = (
    "dyad-day series carry no event types: turnarounds are recognised by the index alone, "
    "so days to the first cooperative milestone are not available",
    "the GDELT 2.0 network buckets events by report day (DATEADDED), so re-reports of a shock keep a dyad "
    "negative for weeks after it",
    "series values are sums over events and follow news volume: the index scores each day against the "
    "dyad's own median and MAD (z-score), so it measures departures from the dyad's normal",
    "only events whose actors were coded as bare country codes are in the GDELT network "
    "(IRNGOV, PAKMIL... are not)",
)


def _period_key(dates: pd.Series, freq: Freq) -> pd.Series:
    if freq == "D":
        return dates.dt.normalize()
    if freq == "W":
        return dates.dt.to_period("W-SUN").dt.start_time
    if freq == "M":
        return dates.dt.to_period("M").dt.start_time
    raise InputError(f"unknown --freq {freq!r}: use D, W or M")


def daily_states(
    panel: pd.DataFrame, start: dt.date, end: dt.date, params: IndexParams, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], pd.DataFrame]:
    """Every day from ``start`` to ``end`` for each dyad key: score, strength, raw, state."""
    days = pd.date_range(start, end, freq="D")
    result: dict[tuple[str, str], pd.DataFrame] = {}
    for key in keys:
        part = panel[(panel["country_a"] == key[0]) & (panel["country_b"] == key[1])]
        daily = pd.DataFrame(index=days)
        indexed = part.set_index("date")
        for column in ("score", "strength", "raw", "n_events", "goldstein_sum", *STATE_COLUMNS):
            daily[column] = indexed[column].reindex(days) if not part.empty else np.nan
        coop, coop_strength, conflict, conflict_strength = (x[:, None] for x in state_inputs(daily))
        daily["state"] = run_state(coop, coop_strength, conflict, conflict_strength, params)[:, 0]
        daily.index.name = "date"
        result[key] = daily.reset_index()
    return result


def dyad_index(
    store: Any,
    country_a: str,
    country_b: str,
    *,
    freq: str = "W",
    directed: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    source: str | None = None,
    dataset: str | None = None,
    params: IndexParams = DEFAULT_PARAMS,
    evidence_per_period: int = 3,
) -> DyadIndex:
    """The relations index of one dyad per day (``D``), week (``W``) or month (``M``).

    Columns of ``frame``: period, direction, n_events, goldstein_sum, goldstein_mean, coop_sum,
    conflict_sum, n_coop, n_conflict, n_q1..n_q4, score (mean daily net score over active days),
    state (index at the period's end), state_min, band. Periods without events have zero counts and
    NaN means: the state only fades in them.
    """
    a = check_country(country_a)
    b = check_country(country_b)
    if a == b:
        raise InputError(f"a dyad needs two different countries, got {a} twice")
    if freq not in ("D", "W", "M"):
        raise InputError(f"unknown --freq {freq!r}: use D, W or M")
    connection = as_connection(store)
    kind = detect_source(connection, source)
    span = data_span(connection, kind, dataset)
    lo, hi = clamp_window(span, start, end)
    # The state needs history: read from the start of the record, show only the window.
    panel = daily_panel(
        connection, kind, dyad=(a, b), directed=directed, end=hi, dataset=dataset, params=params
    )
    if panel.empty:
        what = "events" if kind == "events" else "dyad-series values"
        raise StoreError(f"no {what} between {a} and {b} in the store ({span[0]} to {span[1]})")
    keys = [(a, b), (b, a)] if directed else [tuple(sorted((a, b)))]  # type: ignore[list-item]
    first = min(panel["date"].min().date(), lo)
    states = daily_states(panel, first, hi, params, keys)  # type: ignore[arg-type]
    periods = []
    dailies = []
    parts = []
    for key, daily in states.items():
        direction = f"{key[0]}->{key[1]}" if directed else f"{key[0]}-{key[1]}"
        daily = daily[daily["date"] >= pd.Timestamp(lo)].copy()
        daily["direction"] = direction
        dailies.append(daily)
        part = panel[(panel["country_a"] == key[0]) & (panel["country_b"] == key[1])]
        part = part[part["date"] >= pd.Timestamp(lo)].copy()
        part["direction"] = direction
        parts.append(part)
        periods.append(_aggregate_periods(daily, part, freq, direction))  # type: ignore[arg-type]
    frame = pd.concat(periods, ignore_index=True)
    daily_all = pd.concat(dailies, ignore_index=True)
    evidence = (
        _strongest_events(connection, a, b, lo, hi, freq, evidence_per_period, dataset, directed)  # type: ignore[arg-type]
        if kind == "events"
        else pd.DataFrame()
    )
    return DyadIndex(
        country_a=a,
        country_b=b,
        source=kind,
        freq=freq,
        directed=directed,
        start=lo,
        end=hi,
        frame=frame,
        daily=daily_all,
        evidence=evidence,
        panel=pd.concat(parts, ignore_index=True),
        params=params,
        caveats=list(SERIES_CAVEATS)
        if kind == "dyad-series"
        else coarse_caveat(
            coarse_dated_events(connection, dyad=(a, b), dataset=dataset), f"between {a} and {b}"
        ),
    )


_SUM_COLUMNS = (
    "n_events",
    "goldstein_sum",
    "coop_sum",
    "conflict_sum",
    "n_coop",
    "n_conflict",
    "n_q1",
    "n_q2",
    "n_q3",
    "n_q4",
)


def _aggregate_periods(daily: pd.DataFrame, part: pd.DataFrame, freq: Freq, direction: str) -> pd.DataFrame:
    daily = daily.copy()
    daily["period"] = _period_key(daily["date"], freq)
    states = daily.groupby("period").agg(
        state=("state", "last"), state_min=("state", "min"), score=("score", "mean")
    )
    if part.empty:
        sums = pd.DataFrame(index=states.index, columns=list(_SUM_COLUMNS), dtype=float).fillna(0.0)
    else:
        part = part.copy()
        part["period"] = _period_key(part["date"], freq)
        sums = part.groupby("period")[list(_SUM_COLUMNS)].sum()
    frame = states.join(sums, how="left")
    for column in _SUM_COLUMNS:
        frame[column] = frame[column].fillna(0).astype(float)
    frame["goldstein_mean"] = np.where(
        frame["n_events"] > 0, frame["goldstein_sum"] / frame["n_events"].replace(0, np.nan), np.nan
    )
    frame["band"] = [band_of(v) for v in frame["state"]]
    frame["direction"] = direction
    frame = frame.reset_index()
    ordered = ["period", "direction", "state", "state_min", "band", "score", *_SUM_COLUMNS, "goldstein_mean"]
    return frame[ordered]


EVIDENCE_COLUMNS = (
    "period",
    "direction",
    "date",
    "event_id",
    "doc_id",
    "source_country",
    "target_country",
    "cameo",
    "cameo_label",
    "goldstein",
    "quad_class",
    "sentence",
)


def strongest_events(
    store: Any,
    country_a: str,
    country_b: str,
    start: dt.date,
    end: dt.date,
    *,
    freq: str = "M",
    per_period: int = 3,
    dataset: str | None = None,
    directed: bool = False,
) -> pd.DataFrame:
    """The ``per_period`` strongest events (by |Goldstein|) of each day, week or month of a dyad, with
    their sentences: the evidence a chart or report shows, read only for the dyad and the window."""
    if freq not in ("D", "W", "M"):
        raise InputError(f"unknown --freq {freq!r}: use D, W or M")
    a, b = check_country(country_a), check_country(country_b)
    return _strongest_events(
        as_connection(store),
        a,
        b,
        start,
        end,
        freq,  # type: ignore[arg-type]
        per_period,
        dataset,
        directed,
    )


def _strongest_events(
    connection: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    lo: dt.date,
    hi: dt.date,
    freq: Freq,
    per_period: int,
    dataset: str | None,
    directed: bool,
) -> pd.DataFrame:
    if per_period <= 0:
        return pd.DataFrame(columns=list(EVIDENCE_COLUMNS))
    unit = {"D": "day", "W": "week", "M": "month"}[freq]
    dataset_clause = "AND dataset = ?" if dataset else ""
    direction = (
        "source_country || '->' || target_country"
        if directed
        else "least(source_country, target_country) || '-' || greatest(source_country, target_country)"
    )
    sql = f"""
    SELECT date_trunc('{unit}', date) AS period, {direction} AS direction, date, event_id, doc_id,
        source_country, target_country, cameo, cameo_label, goldstein, quad_class, sentence
    FROM events
    WHERE ((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))
      AND date BETWEEN ? AND ? AND goldstein IS NOT NULL AND {ASSERTED_SQL} AND {DAY_DATED_SQL}
      {dataset_clause}
    QUALIFY row_number() OVER (
        PARTITION BY period, direction ORDER BY abs(goldstein) DESC, date, event_id) <= ?
    ORDER BY period, direction, abs(goldstein) DESC, date, event_id
    """
    params: list[Any] = [a, b, b, a, lo, hi]
    if dataset:
        params.append(dataset)
    params.append(per_period)
    frame = connection.execute(sql, params).df()
    if not frame.empty:
        frame["period"] = pd.to_datetime(frame["period"])
        frame["date"] = pd.to_datetime(frame["date"])
    return frame
