"""``detente demo`` on the bundled sample: the README's first command, and the issue's assertions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.analysis import find_turnarounds, realign
from detente.cli import app
from detente.store import Store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out, result.output


def test_demo_writes_everything_it_names(demo_dir: tuple[Path, str]) -> None:
    out, printed = demo_dir
    for name in (
        "detente.duckdb",
        "report-IRN-PAK.html",
        "turnarounds.html",
        "turnarounds.png",
        "realign-PAK-IRN-USA.html",
        "index-IRN-PAK.html",
        "index-IRN-PAK.png",
        "realign-PAK-IRN-USA.png",
    ):
        assert (out / name).is_file(), name
        assert name in printed
    assert re.search(r"turnaround\s*│\s*IRN–PAK\s*│\s*supported", printed)


def test_iran_pakistan_2024_turnaround_on_the_sample(demo_dir: tuple[Path, str]) -> None:
    out, _ = demo_dir
    with Store(out / "detente.duckdb", read_only=True) as store:
        scan = find_turnarounds(store)
    episode = scan.locate("IRN", "PAK", dt.date(2024, 1, 17))
    assert episode is not None
    assert dt.date(2024, 1, 16) <= episode.nadir <= dt.date(2024, 1, 18)
    # Recovery by 22 January by the milestone rule (ambassadors to return), or 29 January at worst.
    assert episode.milestone is not None and episode.milestone <= dt.date(2024, 1, 29)
    assert episode.recovery is not None and episode.recovery <= dt.date(2024, 1, 29)
    assert episode.rank is not None


def test_pakistan_june_2025_realignment_on_the_sample(demo_dir: tuple[Path, str]) -> None:
    out, printed = demo_dir
    assert "shift on 2025-06" in printed
    with Store(out / "detente.duckdb", read_only=True) as store:
        # the whole record, as `detente demo` and `detente realign` read it: a dyad's usual swing is
        # measured over its history, not over the months around the move
        result = realign(store, "PAK", "IRN", "USA")
    best = result.strongest
    assert best is not None
    assert dt.date(2025, 6, 1) <= best.date <= dt.date(2025, 7, 15)
    assert best.away_shift <= -1.0 and best.toward_shift >= 1.0
    # The evidence is the break with Iran (border closure) and the warming with the US (White House).
    assert any(e["goldstein"] < 0 for e in best.away_events)
    assert any(e["goldstein"] > 0 for e in best.toward_events)
    # Nothing else in the sample is a realignment of Pakistan from Iran toward the US.
    assert len(result.realignments) == 1
