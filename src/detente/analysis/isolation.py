"""Isolation: how much of an actor's interaction with its past partners is cooperative, over time.

The partner set is fixed from a baseline (the ``baseline_days`` before the window, or the window's
first third when there is no history): the actor's ``partners`` most active partners. Per period the
table gives, over those partners: cooperative and conflictual weight (Goldstein channels, or the
positive and negative parts of a series), the cooperative share, how many partners were in contact,
cooperative, hostile, and an isolation score = 1 - (cooperative partners / baseline partners).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from detente.analysis._db import (
    Source,
    as_connection,
    check_country,
    clamp_window,
    data_span,
    detect_source,
)
from detente.analysis.index import DEFAULT_PARAMS, IndexParams, _period_key, daily_panel
from detente.errors import InputError, StoreError

__all__ = ["Isolation", "isolation"]


@dataclass(slots=True)
class Isolation:
    actor: str
    source: Source
    freq: str
    start: dt.date
    end: dt.date
    partners: list[str]
    frame: pd.DataFrame

    @property
    def trend(self) -> float:
        """Change of the isolation score from the first third of the periods to the last third."""
        scores = self.frame["isolation"].to_numpy()
        if len(scores) < 3:
            return 0.0
        third = max(1, len(scores) // 3)
        return float(scores[-third:].mean() - scores[:third].mean())

    def to_dict(self) -> dict[str, Any]:
        frame = self.frame.copy()
        frame["period"] = frame["period"].dt.date.astype(str)
        return {
            "actor": self.actor,
            "source": self.source,
            "freq": self.freq,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "partners": self.partners,
            "trend": round(self.trend, 3),
            "periods": frame.round(3).to_dict(orient="records"),
        }


def isolation(
    store: Any,
    actor: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    freq: str = "M",
    partners: int = 10,
    baseline_days: int = 365,
    source: str | None = None,
    dataset: str | None = None,
    params: IndexParams = DEFAULT_PARAMS,
) -> Isolation:
    a = check_country(actor)
    if freq not in ("D", "W", "M"):
        raise InputError(f"unknown --freq {freq!r}: use D, W or M")
    connection = as_connection(store)
    kind = detect_source(connection, source)
    span = data_span(connection, kind, dataset)
    lo, hi = clamp_window(span, start, end)
    panel = daily_panel(connection, kind, countries={a}, end=hi, dataset=dataset, params=params)
    if panel.empty:
        raise StoreError(f"no events involving {a} in the store ({span[0]} to {span[1]})")
    panel["partner"] = panel["country_b"].where(panel["country_a"] == a, panel["country_a"])
    base_from = pd.Timestamp(lo - dt.timedelta(days=baseline_days))
    baseline = panel[(panel["date"] >= base_from) & (panel["date"] < pd.Timestamp(lo))]
    if baseline.empty:
        cut = pd.Timestamp(lo) + (pd.Timestamp(hi) - pd.Timestamp(lo)) / 3
        baseline = panel[(panel["date"] >= pd.Timestamp(lo)) & (panel["date"] <= cut)]
    if baseline.empty:
        baseline = panel
    ranked = baseline.groupby("partner")["n_events"].sum().sort_values(ascending=False)
    chosen = ranked.head(partners).index.tolist()
    window = panel[(panel["date"] >= pd.Timestamp(lo)) & panel["partner"].isin(chosen)].copy()
    window["period"] = _period_key(window["date"], freq)  # type: ignore[arg-type]
    per_partner = (
        window.groupby(["period", "partner"])
        .agg(coop=("coop_sum", "sum"), conflict=("conflict_sum", "sum"), score=("score", "mean"))
        .reset_index()
    )
    periods = pd.date_range(
        _period_key(pd.Series([pd.Timestamp(lo)]), freq).iloc[0],  # type: ignore[arg-type]
        pd.Timestamp(hi),
        freq={"D": "D", "W": "W-MON", "M": "MS"}[freq],
    )
    rows = []
    for period in periods:
        part = per_partner[per_partner["period"] == period]
        coop = float(part["coop"].sum())
        conflict = float(-part["conflict"].sum())
        total = coop + conflict
        cooperative = int((part["score"] > 0).sum())
        hostile = int((part["score"] < 0).sum())
        rows.append(
            {
                "period": period,
                "partners_in_contact": len(part),
                "cooperative_partners": cooperative,
                "hostile_partners": hostile,
                "coop_weight": coop,
                "conflict_weight": conflict,
                "coop_share": coop / total if total > 0 else float("nan"),
                "isolation": 1.0 - cooperative / max(len(chosen), 1),
            }
        )
    return Isolation(a, kind, freq, lo, hi, chosen, pd.DataFrame(rows))
