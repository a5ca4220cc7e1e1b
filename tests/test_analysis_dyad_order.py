"""One dyad's queries on a store whose events are sorted by dyad (``Store.optimize``) give the same
answers as on the unsorted store and as the whole-store scan; charts default to the dyads' events."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from detente.analysis import cached_turnarounds, dyad_index, find_turnarounds, realign
from detente.cameo import lookup
from detente.report import default_range, index_figure, realign_figure, save_figure, write_report
from detente.store import Store

CODES = ["040", "042", "043", "051", "057", "036", "111", "130", "173", "190", "195", "0841", "046"]
COUNTRIES = ["IRN", "PAK", "USA", "IND", "AFG", "CHN"]


def _events(seed: int, n: int) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    start = dt.date(2023, 1, 1)
    for i in range(n):
        a, b = rng.sample(COUNTRIES, 2)
        code = lookup(rng.choice(CODES))
        rows.append(
            {
                "event_id": f"s{seed}-{i}",
                "doc_id": f"d{i % 50}",
                "date": start + dt.timedelta(days=rng.randrange(500)),
                "date_precision": "day",
                "source_country": a,
                "target_country": b,
                "cameo": code.code,
                "cameo_root": code.root,
                "cameo_label": code.label,
                "goldstein": code.goldstein,
                "quad_class": code.quad_class,
                "modality": "asserted",
                "sentence": f"sentence {i}: {a} {code.label.lower()} {b}.",
            }
        )
    # A crisis with a repair, so the dyad has an episode with milestones.
    day0 = dt.date(2023, 9, 1)
    for k, (offset, code_text) in enumerate([(0, "195"), (0, "190"), (1, "195"), (2, "190"), (6, "0841")]):
        code = lookup(code_text)
        rows.append(
            {
                "event_id": f"c{seed}-{k}",
                "doc_id": "crisis",
                "date": day0 + dt.timedelta(days=offset),
                "date_precision": "day",
                "source_country": "IRN" if k % 2 == 0 else "PAK",
                "target_country": "PAK" if k % 2 == 0 else "IRN",
                "cameo": code.code,
                "cameo_root": code.root,
                "cameo_label": code.label,
                "goldstein": code.goldstein,
                "quad_class": code.quad_class,
                "modality": "asserted",
                "sentence": f"crisis {k}",
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture()
def stores(tmp_path: Path) -> tuple[Store, Store]:
    """The same events in two stores, written in two batches each; only the second is optimized."""
    plain, sorted_ = Store(tmp_path / "plain.duckdb"), Store(tmp_path / "sorted.duckdb")
    for store in (plain, sorted_):
        store.add_events(_events(1, 1500), dataset="test", dedup=False)
        store.add_events(_events(2, 800), dataset="test", dedup=False)
    sorted_.optimize(sort_events=True)
    return plain, sorted_


def _episodes(scan: object, a: str, b: str) -> list[dict[str, object]]:
    return [e.to_dict() for e in scan.for_dyad(a, b)]  # type: ignore[attr-defined]


def test_sorted_store_gives_the_same_dyad_answers(stores: tuple[Store, Store], tmp_path: Path) -> None:
    plain, sorted_ = stores
    with sorted_.session() as connection:
        order = connection.execute(
            "SELECT source_country, target_country, date FROM events ORDER BY rowid"
        ).fetchall()
    assert order == sorted(order), "optimize(sort_events=True) must leave events ordered by dyad and date"
    for a, b in (("IRN", "PAK"), ("USA", "CHN")):
        before, after = dyad_index(plain, a, b, freq="D"), dyad_index(sorted_, a, b, freq="D")
        pd.testing.assert_frame_equal(before.frame, after.frame)
        pd.testing.assert_frame_equal(before.daily, after.daily)
        pd.testing.assert_frame_equal(before.evidence, after.evidence)
        # The one-dyad scan (milestones read from the dyad's rows only) equals the dyad's part of the
        # whole-store scan on the unsorted store, ranks apart (those depend on the other dyads).
        one = find_turnarounds(sorted_, dyad=(a, b))
        whole = find_turnarounds(plain)
        drop = ("rank", "faster_than", "swing_rank")
        mine = [{k: v for k, v in e.items() if k not in drop} for e in _episodes(one, a, b)]
        theirs = [{k: v for k, v in e.items() if k not in drop} for e in _episodes(whole, a, b)]
        assert mine == theirs
    episode = find_turnarounds(sorted_, dyad=("IRN", "PAK")).locate("IRN", "PAK", dt.date(2023, 9, 1))
    assert episode is not None and dt.date(2023, 9, 1) <= episode.nadir <= dt.date(2023, 9, 3)
    # Sentences of the chosen events are read from the dyad's rows.
    assert episode.milestone is not None and episode.milestone <= dt.date(2023, 9, 7)
    assert episode.milestone_sentence and episode.hostile_sentence
    first = write_report(plain, "IRN", "PAK", tmp_path / "a.html").read_text(encoding="utf-8")
    second = write_report(sorted_, "IRN", "PAK", tmp_path / "b.html").read_text(encoding="utf-8")

    def body(page: str) -> str:  # the generation time and Plotly's random div ids differ
        page = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID", page)
        return "\n".join(line for line in page.splitlines() if "Generated" not in line)

    assert body(first) == body(second)
    assert "crisis 0" in first  # the month's strongest events are on the page


def test_optimize_sorts_events_only_when_the_unsorted_tail_is_large(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    store.add_events(_events(3, 1000), dataset="test", dedup=False)
    store.optimize()  # never sorted: sorts
    store.add_events(_events(4, 50), dataset="test", dedup=False)  # 5 % more: left unsorted
    store.optimize()
    with store.session() as connection:
        order = connection.execute(
            "SELECT source_country, target_country, date FROM events ORDER BY rowid"
        ).fetchall()
        marked = connection.execute(
            "SELECT value FROM store_meta WHERE key = 'events_sorted_rows'"
        ).fetchone()
    assert marked == ("1005",)
    assert order[:1005] == sorted(order[:1005])
    assert order != sorted(order)
    store.add_events(_events(5, 200), dataset="test", dedup=False)  # now over a tenth: sorted again
    store.optimize()
    with store.session() as connection:
        order = connection.execute(
            "SELECT source_country, target_country, date FROM events ORDER BY rowid"
        ).fetchall()
    assert order == sorted(order) and len(order) == 1265
    store.close()


def test_default_chart_range_spans_the_dyads_events(stores: tuple[Store, Store], tmp_path: Path) -> None:
    _, store = stores
    assert default_range(
        dt.date(2024, 1, 10), dt.date(2024, 1, 20), dt.date(2015, 1, 1), dt.date(2025, 1, 1)
    ) == (
        dt.date(2023, 12, 20),
        dt.date(2024, 2, 10),
    )
    assert default_range(None, None, dt.date(2015, 1, 1), dt.date(2025, 1, 1)) == (
        dt.date(2015, 1, 1),
        dt.date(2025, 1, 1),
    )
    # A store spanning 2015..2024.5 whose IRN-PAK events all fall in 2023-2024.
    store.add_events(
        pd.DataFrame(
            [
                {
                    "event_id": "old",
                    "date": dt.date(2015, 3, 1),
                    "date_precision": "day",
                    "source_country": "IND",
                    "target_country": "CHN",
                    "cameo": "040",
                    "cameo_root": "04",
                    "goldstein": 1.0,
                    "quad_class": 1,
                    "modality": "asserted",
                }
            ]
        ),
        dataset="test",
        dedup=False,
    )
    index = dyad_index(store, "IRN", "PAK", freq="W")
    assert index.start == dt.date(2015, 3, 1)
    chart = index_figure(index)
    lo, _ = chart.static.axes[0].get_xlim()
    first = index.panel["date"].min().date()
    shown_from = dt.date.fromordinal(int(lo) + dt.date(1970, 1, 1).toordinal())
    assert first - dt.timedelta(days=60) <= shown_from <= first
    assert chart.plotly.layout.xaxis.range[0] == shown_from.isoformat()
    assert "Iran and Pakistan" in chart.plotly.layout.title.text
    assert chart.static.axes[0].get_ylabel().startswith("relations index")
    # --from/--to override the default.
    wide = index_figure(index, x_range=(dt.date(2016, 1, 1), dt.date(2024, 6, 1)))
    assert wide.plotly.layout.xaxis.range[0] == "2016-01-01"
    result = realign(store, "PAK", "IRN", "USA")
    assert result.active_span is not None and result.active_span[0] >= dt.date(2023, 1, 1)
    figure = realign_figure(result)
    assert dt.date.fromisoformat(figure.plotly.layout.xaxis.range[0]) >= dt.date(2022, 11, 1)
    assert "Is Pakistan moving away from Iran toward the United States?" in figure.plotly.layout.title.text
    written = save_figure(figure, tmp_path / "realign")
    assert all(path.stat().st_size > 0 for path in written)


def test_cached_whole_store_scan_is_the_scan_and_follows_writes(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.duckdb")
    store.add_events(_events(6, 1200), dataset="test", dedup=False)
    fresh = find_turnarounds(store)
    first = cached_turnarounds(store)
    assert first.to_dict() == fresh.to_dict()
    files = sorted(p.suffix for p in (tmp_path / "c.duckdb.cache").iterdir())
    assert files == [".json", ".parquet"]
    again = cached_turnarounds(store)  # read back from the cache
    assert again.to_dict() == fresh.to_dict()
    assert [e.to_dict() for e in again.for_dyad("IRN", "PAK")] == [
        e.to_dict() for e in fresh.for_dyad("IRN", "PAK")
    ]
    store.add_events(_events(7, 400), dataset="test", dedup=False)  # a write: the cached scan is stale
    changed = find_turnarounds(store)
    assert changed.to_dict() != fresh.to_dict()
    assert cached_turnarounds(store).to_dict() == changed.to_dict()
    store.close()
