"""Realignment on synthetic event series: a planted shift of known size at a known date is recovered,
a warm spell just before a break does not cancel the break, and noise gives no realignment."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from detente.analysis import dyad_index, realign, scan_realignments
from test_analysis_synthetic import make_store

D0 = dt.date(2024, 1, 1)  # a Monday: weeks of the weekly index start on D0 + 7k
Row = tuple[dt.date, str, str, str]


def daily(a: str, b: str, cameo: str, first_week: int, weeks: int, every: int = 1) -> list[Row]:
    """One ``cameo`` event from a to b every ``every`` days over ``weeks`` weeks."""
    start = D0 + dt.timedelta(weeks=first_week)
    return [(start + dt.timedelta(days=d), a, b, cameo) for d in range(0, 7 * weeks, every)]


def weekly_mean_state(rows: list[Row], a: str, b: str, first_week: int, last_week: int) -> float:
    """Mean of the daily state over weeks [first_week, last_week), from the dyad's own index: what a
    shift's before/after level should be when that stretch is one segment."""
    index = dyad_index(make_store(rows), a, b, freq="D", start=D0)
    states = index.daily.set_index("date")["state"]
    lo = pd.Timestamp(D0 + dt.timedelta(weeks=first_week))
    hi = pd.Timestamp(D0 + dt.timedelta(weeks=last_week)) - pd.Timedelta(days=1)
    return float(states[lo:hi].mean())


def test_warm_spell_before_a_break_does_not_cancel_it() -> None:
    """The sample's June 2025 case: a short warm spell (visits, solidarity) right before a break.

    PAK-IRN is silent for 20 weeks, warm for 4 (weeks 20-23), then hostile from week 24 while
    PAK-USA turns cooperative. The fall is measured from the warm level, not from an 8-week mean
    that reaches back into the silent weeks (which was about 0 and showed almost no fall)."""
    rows = daily("PAK", "IRN", "042", 20, 4, every=2) + daily("PAK", "IRN", "160", 24, 10, every=3)
    rows += daily("PAK", "USA", "010", 0, 24, every=14) + daily("PAK", "USA", "057", 24, 10, every=3)
    result = realign(make_store(rows), "PAK", "IRN", "USA")
    best = result.strongest
    assert best is not None
    assert best.date == D0 + dt.timedelta(weeks=24)
    # The regimes once settled (their first week is the slide from the previous level).
    warm = weekly_mean_state(rows, "PAK", "IRN", 21, 24)
    hostile = weekly_mean_state(rows, "PAK", "IRN", 26, 32)
    reaching_back = weekly_mean_state(rows, "PAK", "IRN", 16, 24)  # an 8-week mean before the break
    assert warm > 4 and hostile < -5 and reaching_back < 3
    assert best.away_before == pytest.approx(warm, abs=0.5)
    assert best.away_after == pytest.approx(hostile, abs=0.5)
    assert best.toward_before == pytest.approx(0.0, abs=0.1)
    assert best.toward_after == pytest.approx(weekly_mean_state(rows, "PAK", "USA", 26, 32), abs=0.5)


@pytest.mark.parametrize("seed", range(8))
def test_planted_shift_of_known_size_is_recovered(seed: int) -> None:
    """Steady regimes on both dyads, a change of known levels at a random week."""
    rng = np.random.default_rng(seed)
    week = int(rng.integers(14, 30))
    warm, cold = str(rng.choice(["042", "043", "051"])), str(rng.choice(["111", "160", "161", "172"]))
    rows = daily("PAK", "IRN", warm, 0, week, every=int(rng.integers(2, 4)))
    rows += daily("PAK", "IRN", cold, week, 12, every=int(rng.integers(2, 4)))
    rows += daily("PAK", "USA", "040", 0, week, every=10)
    rows += daily("PAK", "USA", str(rng.choice(["057", "061", "050"])), week, 12, every=2)
    result = realign(make_store(rows), "PAK", "IRN", "USA")
    best = result.strongest
    assert best is not None
    assert abs((best.date - (D0 + dt.timedelta(weeks=week))).days) <= 7
    # The planted levels: 8 weeks before, and the 8 weeks after a slide of up to 3 weeks.
    levels = {
        partner: (
            weekly_mean_state(rows, "PAK", partner, week - 8, week),
            weekly_mean_state(rows, "PAK", partner, week + 3, week + 11),
        )
        for partner in ("IRN", "USA")
    }
    assert best.away_before == pytest.approx(levels["IRN"][0], abs=0.5)
    assert best.away_after == pytest.approx(levels["IRN"][1], abs=1.0)
    assert best.toward_before == pytest.approx(levels["USA"][0], abs=0.5)
    assert best.toward_after == pytest.approx(levels["USA"][1], abs=1.0)
    # One move, measured from level to level, not cut into the steps of the slide.
    assert len(result.realignments) == 1
    assert best.away_events and best.toward_events


@pytest.mark.parametrize("seed", range(12))
def test_no_realignment_in_noise(seed: int) -> None:
    """Two years of random mixed events at steady rates on three dyads: nothing moves, nothing found."""
    rng = np.random.default_rng(100 + seed)
    codes = ["040", "042", "043", "051", "057", "036", "111", "112", "120", "160", "172", "190"]
    rows: list[Row] = []
    for partner in ("IRN", "USA", "CHN"):
        # Each dyad has its own steady mix and rate.
        mix = rng.dirichlet(np.ones(len(codes)))
        rate = float(rng.uniform(0.1, 0.8))
        for d in range(730):
            for _ in range(int(rng.poisson(rate))):
                rows.append((D0 + dt.timedelta(days=d), "PAK", partner, str(rng.choice(codes, p=mix))))
    store = make_store(rows)
    for b, c in (("IRN", "USA"), ("USA", "IRN"), ("CHN", "IRN")):
        assert not realign(store, "PAK", b, c).found
    assert scan_realignments(store, actor="PAK") == []


def test_fading_without_news_is_not_a_move() -> None:
    """PAK-IRN warm, then silent (the state only fades) while PAK-USA warms: no move away from Iran."""
    rows = daily("PAK", "IRN", "057", 0, 20, every=2)
    rows += daily("PAK", "USA", "040", 0, 20, every=14) + daily("PAK", "USA", "057", 20, 12, every=2)
    result = realign(make_store(rows), "PAK", "IRN", "USA")
    # The level does fall after week 20 (memory fades), and a change point is there ...
    assert any(s.away_shift <= -1 and s.toward_shift >= 1 for s in result.change_points)
    # ... but nothing hostile happened between Pakistan and Iran.
    assert not result.found
