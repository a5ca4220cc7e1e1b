"""Index and turnaround detection on synthetic event series with known episodes."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from detente.analysis import IndexParams, dyad_index, find_turnarounds, realign
from detente.analysis._db import create_schema
from detente.cameo import lookup

D0 = dt.date(2024, 1, 1)


def make_store(rows: list[tuple[dt.date, str, str, str]]) -> duckdb.DuckDBPyConnection:
    """An in-memory store holding one event per (date, source, target, cameo) row."""
    connection = duckdb.connect()
    create_schema(connection)
    records = []
    for i, (day, source, target, cameo) in enumerate(rows):
        code = lookup(cameo)
        records.append(
            {
                "event_id": f"e{i}",
                "dataset": "test",
                "doc_id": f"d{i}",
                "date": day,
                "source_country": source,
                "target_country": target,
                "cameo": cameo,
                "cameo_root": code.root,
                "cameo_label": code.label,
                "goldstein": code.goldstein,
                "quad_class": code.quad_class,
                "modality": "asserted",
                "sentence": f"{source} {code.label.lower()} {target} on {day}.",
            }
        )
    frame = pd.DataFrame(records)
    connection.register("incoming", frame)
    connection.execute("INSERT INTO events BY NAME SELECT * FROM incoming")
    connection.unregister("incoming")
    return connection


def background(
    a: str, b: str, start: dt.date, days: int, every: int = 7
) -> list[tuple[dt.date, str, str, str]]:
    """A quiet cooperative relationship: a consultation every ``every`` days."""
    return [(start + dt.timedelta(days=d), a, b, "040") for d in range(0, days, every)]


def crisis(a: str, b: str, day0: dt.date, strike_days: list[int], repair_day: int) -> list[tuple]:
    rows: list[tuple] = []
    for offset, count in enumerate(strike_days):
        rows += [(day0 + dt.timedelta(days=offset), a, b, "195")] * count
    rows += [(day0 + dt.timedelta(days=repair_day), a, b, "054")]
    rows += [(day0 + dt.timedelta(days=repair_day + k), b, a, "042") for k in (1, 3, 5)]
    return rows


def reference_states(daily: pd.DataFrame, params: IndexParams) -> list[float]:
    """The state recursion written out plainly, day by day, to check the vectorised one."""
    state, out = 0.0, []
    decay = 0.5 ** (1 / params.half_life)
    for row in daily.fillna(0).itertuples():
        state *= decay
        up = params.gain * row.coop_score * row.coop_strength
        down = params.gain * row.conflict_score * row.conflict_strength
        state = state + up * (params.bound - state) - down * (params.bound + state)
        out.append(state)
    return out


def test_known_episode_is_recovered_exactly() -> None:
    day0 = D0 + dt.timedelta(days=100)
    rows = background("IRN", "PAK", D0, 300) + crisis("IRN", "PAK", day0, [2, 2, 4], repair_day=6)
    store = make_store(rows)
    scan = find_turnarounds(store)
    assert len(scan.episodes) == 1
    episode = scan.episodes[0]
    assert (episode.country_a, episode.country_b) == ("IRN", "PAK")
    assert episode.start == day0
    assert episode.nadir == day0 + dt.timedelta(days=2)  # the day with four strikes
    assert episode.milestone == day0 + dt.timedelta(days=6)
    assert episode.milestone_cameo == "054"
    assert episode.days_to_milestone == 4
    assert episode.hostile_cameo == "195"
    # Depth and recovery against the plain recursion.
    index = dyad_index(store, "IRN", "PAK", freq="D")
    daily = index.daily
    states = reference_states(daily, IndexParams())
    assert np.allclose(states, daily["state"].to_numpy())
    low = int(np.argmin(states))
    assert episode.depth == pytest.approx(-states[low])
    recovered = next(i for i in range(low, len(states)) if states[i] >= 0)
    assert episode.recovery == daily["date"].iloc[recovered].date()
    assert episode.rank == 1


def test_missing_periods_are_neutral_not_zero_filled() -> None:
    store = make_store(
        background("IRN", "PAK", D0, 10, every=1) + background("IRN", "PAK", D0 + dt.timedelta(days=200), 5)
    )
    index = dyad_index(store, "IRN", "PAK", freq="M")
    frame = index.frame
    empty = frame[frame["n_events"] == 0]
    assert not empty.empty
    assert empty["goldstein_mean"].isna().all()
    # With no news the state only fades toward neutral: monotone, same sign, never overshoots.
    states = empty["state"].to_numpy()
    assert (states > 0).all() and (np.diff(states) <= 0).all()


def test_fast_repair_shows_where_a_goldstein_sum_does_not() -> None:
    """Strikes re-reported for a month after a quick repair: the 7-day Goldstein sum stays negative,
    the state index is back in the ordinary band within days of the repair."""
    day0 = D0 + dt.timedelta(days=60)
    rows = background("IRN", "PAK", D0, 200, every=1)
    rows += [(day0 + dt.timedelta(days=d), "IRN", "PAK", "195") for d in range(3) for _ in range(4)]
    rows += [
        (day0 + dt.timedelta(days=6), "IRN", "PAK", "054"),
        (day0 + dt.timedelta(days=6), "PAK", "IRN", "054"),
    ]
    # Weeks of re-reported violence (one item a day) beside daily consultation.
    rows += [(day0 + dt.timedelta(days=d), "PAK", "IRN", "190") for d in range(7, 35)]
    rows += [(day0 + dt.timedelta(days=d), "PAK", "IRN", "057") for d in range(7, 35, 3)]
    store = make_store(rows)
    index = dyad_index(store, "IRN", "PAK", freq="D")
    daily = index.daily.set_index("date")
    sums = daily["goldstein_sum"].fillna(0).rolling(7).sum()
    after = pd.Timestamp(day0 + dt.timedelta(days=9))
    assert (sums[after : after + pd.Timedelta(days=20)] < 0).all()
    scan = find_turnarounds(store)
    episode = scan.locate("IRN", "PAK", day0)
    assert episode is not None and episode.milestone == day0 + dt.timedelta(days=6)


@pytest.mark.parametrize("seed", range(12))
def test_random_series_report_only_planted_episodes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    planted = int(rng.integers(0, 4))
    rows = []
    # Background: random cooperative and neutral events, on random days.
    cooperative = ["040", "042", "043", "036", "051", "057", "061", "010"]
    for d in range(120 * (planted + 1) + 120):
        for _ in range(int(rng.poisson(0.7))):
            rows.append((D0 + dt.timedelta(days=d), "IND", "PAK", str(rng.choice(cooperative))))
    nadirs, repairs = [], []
    for k in range(planted):
        day0 = D0 + dt.timedelta(days=120 * (k + 1))
        strikes = [int(rng.integers(3, 7)) for _ in range(int(rng.integers(3, 6)))]
        strikes[-1] = max(strikes) + 2
        repair = len(strikes) + int(rng.integers(1, 20))
        rows += crisis("IND", "PAK", day0, strikes, repair)
        nadirs.append(day0 + dt.timedelta(days=len(strikes) - 1))
        repairs.append(day0 + dt.timedelta(days=repair))
    store = make_store(rows)
    if planted == 0:
        scan = find_turnarounds(store)
        assert scan.episodes == []
        return
    scan = find_turnarounds(store)
    assert sorted(e.nadir for e in scan.episodes) == nadirs
    # Background visits may come first; the planted restoration bounds the first milestone.
    found = sorted(scan.episodes, key=lambda e: e.nadir)
    assert all(
        e.milestone is not None and e.milestone <= repair for e, repair in zip(found, repairs, strict=True)
    )


def test_realign_finds_planted_shift_and_nothing_in_noise() -> None:
    shift = D0 + dt.timedelta(days=210)
    rows = background("PAK", "IRN", D0, 210, every=3) + background("PAK", "USA", D0, 420, every=20)
    rows += [(shift + dt.timedelta(days=d), "PAK", "IRN", "161") for d in range(0, 60, 4)]
    rows += [(shift + dt.timedelta(days=d), "PAK", "USA", "057") for d in range(0, 200, 3)]
    store = make_store(rows)
    result = realign(store, "PAK", "IRN", "USA")
    assert result.found
    best = result.strongest
    assert best is not None
    assert abs((best.date - shift).days) <= 14
    assert best.away_shift < 0 < best.toward_shift
    assert best.away_events and best.toward_events
    quiet = make_store(
        background("PAK", "IRN", D0, 400, every=3) + background("PAK", "USA", D0, 400, every=5)
    )
    assert not realign(quiet, "PAK", "IRN", "USA").found


@pytest.mark.parametrize("freq", ["W", "M"])
def test_resampled_daily_index_equals_a_direct_query(freq: str) -> None:
    rows = background("IRN", "PAK", D0, 200, every=2) + crisis(
        "IRN", "PAK", D0 + dt.timedelta(days=50), [3, 4], 5
    )
    rows += [(D0 + dt.timedelta(days=d), "PAK", "IRN", "057") for d in range(0, 200, 9)]
    store = make_store(rows)
    for directed in (False, True):
        direct = dyad_index(store, "PAK", "IRN", freq=freq, directed=directed)
        resampled = dyad_index(store, "PAK", "IRN", freq="D", directed=directed).resample(freq)
        pd.testing.assert_frame_equal(direct.frame, resampled.frame)
        columns = ["period", "direction", "event_id"]
        assert direct.evidence[columns].values.tolist() == resampled.evidence[columns].values.tolist()
