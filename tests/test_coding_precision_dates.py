"""Precision of dates: expressions that carry on a report's own time ("in the clashes that followed", "that
night", "the next day") take the date the report told last, or none, never the publication date.
Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding import Coder, default_coder
from detente.coding.dates import continues_narrative, find_dates, narrative_time
from detente.record import Event

PUBLISHED = dt.date(2021, 3, 9)


@pytest.fixture(scope="session")
def coder() -> Coder:
    return default_coder()


def _shootdown(events: list[Event]) -> Event:
    return next(e for e in events if e.cameo_root == "19" and "drone" in e.sentence)


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("In the clashes that followed", "2021-03-05"),
        ("That night", "2021-03-05"),
        ("The same day", "2021-03-05"),
        ("The next day", "2021-03-06"),
    ],
)
def test_a_narrative_expression_takes_the_date_told_before(coder: Coder, lead: str, expected: str) -> None:
    # the dated event of the first sentence has no target, so it is not coded: the date is the text's
    text = (
        "On 5 March 2021, Armenian troops shelled positions along the line of contact. "
        f"{lead}, Azerbaijan shot down an Armenian drone."
    )
    event = _shootdown(coder.code_text(text, published=PUBLISHED, doc_id="d"))
    assert event.date == expected
    assert event.date_basis == "relative"


def test_a_narrative_expression_with_no_date_before_is_left_undated(coder: Coder) -> None:
    text = (
        "In the clashes that followed, Azerbaijan shot down an Armenian drone. "
        "Talks are due on 12 March 2021."
    )
    event = _shootdown(coder.code_text(text, published=PUBLISHED, doc_id="d"))
    assert event.date is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("In the battle that followed, Iran fired", ["that followed"]),
        ("the clashes which ensued in Kashmir", ["which ensued"]),
        ("That night, crowds gathered", ["That night"]),
        ("later that day the minister left", ["later that day"]),
        ("the talks that followed the summit", []),  # anchored to a summit the coder does not know
        ("that followed Trump's visit", []),
        ("Iran said that night raids would stop", []),  # "that" opens a clause here
    ],
)
def test_narrative_expressions_are_found_only_as_times(text: str, found: list[str]) -> None:
    mentions = find_dates(text)
    assert [m.text for m in mentions] == found
    assert all(continues_narrative(m) for m in mentions)


def test_the_narrative_time_is_the_last_date_told() -> None:
    text = "Iran struck on 16 January 2024. Two days later, Pakistan struck back. "
    told = narrative_time(text, dt.date(2024, 1, 25))
    assert told is not None and told.date == dt.date(2024, 1, 18)
    assert narrative_time("No date is told here. ", dt.date(2024, 1, 25)) is None
