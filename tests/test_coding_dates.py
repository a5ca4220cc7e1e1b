"""Date expressions: finding them in a sentence and resolving them against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding.dates import find_dates, has_date_cue, resolve, resolve_anchored

PUBLISHED = dt.date(2024, 1, 24)  # a Wednesday


def _only(text: str):
    found = find_dates(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected", "precision", "basis"),
    [
        ("Iran struck on January 16.", "2024-01-16", "day", "stated"),
        ("Iran struck on 16 January.", "2024-01-16", "day", "stated"),
        ("a 22 January 2024 statement", "2024-01-22", "day", "stated"),
        ("his August 2023 visit", "2023-08-01", "month", "stated"),
        ("the talks in 2019 failed", "2019-01-01", "year", "stated"),
        ("they met yesterday", "2024-01-23", "day", "relative"),
        ("they met on Tuesday", "2024-01-23", "day", "relative"),
        ("they met last week", "2024-01-17", "day", "relative"),
        ("relations collapsed this month", "2024-01-01", "month", "relative"),
        ("they met three days ago", "2024-01-21", "day", "relative"),
    ],
)
def test_stated_and_relative_dates(text: str, expected: str, precision: str, basis: str) -> None:
    resolved = resolve(_only(text), PUBLISHED)
    assert resolved is not None
    assert (resolved.iso, resolved.precision, resolved.basis) == (expected, precision, basis)


def test_direction_decides_the_year_of_a_partial_date() -> None:
    mention = _only("the visit on January 29")
    past = resolve(mention, PUBLISHED, "past")
    future = resolve(mention, PUBLISHED, "future")
    nearest = resolve(mention, PUBLISHED, "nearest")
    assert past is not None and past.iso == "2023-01-29"
    assert future is not None and future.iso == "2024-01-29"
    assert nearest is not None and nearest.iso == "2024-01-29"


def test_weekday_looks_forward_for_planned_events() -> None:
    resolved = resolve(_only("will meet on Tuesday"), PUBLISHED, "future")
    assert resolved is not None and resolved.iso == "2024-01-30"


def test_no_base_means_no_guess() -> None:
    assert resolve(_only("they met yesterday"), None) is None
    assert resolve(_only("on January 22"), None) is None
    with_year = resolve(_only("on 22 January 2024"), None)
    assert with_year is not None and with_year.iso == "2024-01-22"


def test_anchored_expressions_wait_for_their_anchor() -> None:
    mention = _only("Pakistan retaliated within 24 hours")
    assert mention.kind == "anchored"
    assert resolve(mention, PUBLISHED) is None
    resolved = resolve_anchored(mention, dt.date(2024, 1, 17))
    assert (resolved.iso, resolved.basis) == ("2024-01-18", "relative")
    later = resolve_anchored(_only("two days later"), dt.date(2024, 1, 17))
    assert later.iso == "2024-01-19"


def test_numbers_that_are_not_years() -> None:
    assert find_dates("a 2000 km border and 1500 troops") == []
    assert [m.text for m in find_dates("Khan's 2019 Iran trip")] == ["2019"]


def test_modal_may_is_not_a_month() -> None:
    assert find_dates("Iran may strike again") == []
    assert [m.text for m in find_dates("They met in May")] == ["in May"]


def test_cheap_cue_check() -> None:
    assert not has_date_cue("Iran attacked Pakistan.")
    assert has_date_cue("Iran attacked Pakistan on Tuesday.")


def test_weekday_of_the_publication_day_and_last_next() -> None:
    monday = dt.date(2025, 6, 16)
    assert [m.text for m in find_dates("said on Monday, 16 June 2025, as")] == ["16 June 2025"]
    on_monday = resolve(_only("they met on Monday"), monday)
    assert on_monday is not None and on_monday.iso == "2025-06-16"
    last = resolve(_only("they met last Monday"), monday)
    assert last is not None and last.iso == "2025-06-09"
    upcoming = resolve(_only("they will meet next Monday"), monday, "future")
    assert upcoming is not None and upcoming.iso == "2025-06-23"
