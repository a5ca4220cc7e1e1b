"""Relative, vague and backward-anchored date expressions, and what the coder does with them.

The sentences are ours; each names the date a careful reader would give the event.
"""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding import code_text
from detente.coding.dates import find_dates, resolve, resolve_anchored

WEDNESDAY = dt.date(2024, 1, 24)
SATURDAY = dt.date(2024, 1, 27)
NEW_YEAR = dt.date(2024, 1, 3)


def _only(text: str):
    found = find_dates(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "base", "direction", "expected", "precision"),
    [
        ("the envoys met over the weekend", WEDNESDAY, "past", "2024-01-20", "day"),
        ("the envoys met at the weekend", SATURDAY, "past", "2024-01-27", "day"),
        ("the envoys met last weekend", SATURDAY, "past", "2024-01-20", "day"),
        ("the envoys will meet next weekend", SATURDAY, "future", "2024-02-03", "day"),
        ("the envoys will meet this weekend", WEDNESDAY, "future", "2024-01-27", "day"),
        ("drones struck the port last night", WEDNESDAY, "past", "2024-01-23", "day"),
        ("the minister arrived earlier this morning", WEDNESDAY, "past", "2024-01-24", "day"),
        ("troops crossed the border in mid-January", WEDNESDAY, "past", "2024-01-01", "month"),
        ("troops crossed the border in mid-December", NEW_YEAR, "past", "2023-12-01", "month"),
        ("talks resumed on December 28", NEW_YEAR, "past", "2023-12-28", "day"),
        ("the envoys met earlier this month", WEDNESDAY, "past", "2024-01-01", "month"),
        ("the envoys met on Monday", WEDNESDAY, "past", "2024-01-22", "day"),
        ("the envoys met on Wednesday", WEDNESDAY, "past", "2024-01-24", "day"),
        ("the envoys will meet on Wednesday", WEDNESDAY, "future", "2024-01-24", "day"),
        ("the envoys met last Wednesday", WEDNESDAY, "past", "2024-01-17", "day"),
        ("relations were cut in late 2016", WEDNESDAY, "past", "2016-01-01", "year"),
    ],
)
def test_relative_expressions(
    text: str, base: dt.date, direction: str, expected: str, precision: str
) -> None:
    resolved = resolve(_only(text), base, direction)  # type: ignore[arg-type]
    assert resolved is not None
    assert (resolved.iso, resolved.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("the two states fought a border war in the 1990s", "1990s"),
        ("relations thawed in the early 2000s", "early 2000s"),
        ("a pipeline planned in the mid-2010s", "mid-2010s"),
        ("the treaty was signed two decades ago", "two decades ago"),
        ("the embassy closed years ago", "years ago"),
    ],
)
def test_vague_times_are_found_and_give_no_date(text: str, phrase: str) -> None:
    mention = _only(text)
    assert (mention.text, mention.kind) == (phrase, "vague")
    # neither the first year of a decade nor the publication date: no date at all
    assert resolve(mention, WEDNESDAY) is None


def test_a_decade_is_not_a_year() -> None:
    assert all(m.text != "1990" for m in find_dates("border clashes in the 1990s"))
    assert [m.kind for m in find_dates("Iraq invaded Kuwait in 1990")] == ["stated"]


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("two days earlier", "2024-01-16", "day"),
        ("a week before", "2024-01-11", "day"),
        ("the day before", "2024-01-17", "day"),
        ("the previous evening", "2024-01-17", "day"),
        ("two years earlier", "2022-01-01", "year"),
        ("two days later", "2024-01-20", "day"),
    ],
)
def test_backward_anchors(text: str, expected: str, precision: str) -> None:
    mention = _only(text)
    assert mention.kind == "anchored"
    resolved = resolve_anchored(mention, dt.date(2024, 1, 18))
    assert (resolved.iso, resolved.precision) == (expected, precision)


def test_an_anchor_followed_by_its_own_noun_is_not_the_reports_previous_event() -> None:
    # "the day before the vote" counts from the vote, which the report does not date
    assert find_dates("Iran struck the day before the vote") == []
    assert find_dates("talks were held two days before the summit") == []


def test_a_count_of_years_is_anchored_not_vague() -> None:
    assert [(m.text, m.kind) for m in find_dates("two years earlier, the envoys had met")] == [
        ("two years earlier", "anchored")
    ]
    assert [(m.text, m.kind) for m in find_dates("years earlier, the envoys had met")] == [
        ("years earlier", "vague")
    ]


@pytest.mark.slow
def test_the_coder_never_gives_a_vague_past_event_the_publication_date() -> None:
    events = code_text(
        "Iran and Iraq restored diplomatic relations in the 1990s.",
        published=WEDNESDAY,
        doc_id="vague-decade",
    )
    assert events, "no event coded"
    for event in events:
        assert event.date is None, event
        assert event.extra.get("date_text") == "1990s"
        assert event.extra.get("before_publication") is True


@pytest.mark.slow
def test_the_coder_dates_a_past_agreement_by_its_stated_year() -> None:
    events = code_text(
        "Oman and Yemen signed a border agreement in 2001, officials said on Tuesday.",
        published=WEDNESDAY,
        doc_id="stated-year",
    )
    signed = [e for e in events if e.cameo_root == "05"]
    assert signed, events
    assert {(e.date, e.date_precision, e.date_basis) for e in signed} == {("2001-01-01", "year", "stated")}


@pytest.mark.slow
def test_a_person_is_resolved_on_the_events_own_date() -> None:
    # Imran Khan was prime minister in 2019 and out of office in 2024, when this is written
    events = code_text(
        "Former prime minister Imran Khan visited Iran in 2019.",
        published=WEDNESDAY,
        doc_id="person-on-event-date",
    )
    visits = [e for e in events if e.source_country == "PAK" and e.target_country == "IRN"]
    assert visits, events
    assert {(e.date, e.source_sector) for e in visits} == {("2019-01-01", "GOV")}
    # told without a date, the same visit keeps the reading of the publication date
    undated = code_text("Former prime minister Imran Khan visited Iran.", published=WEDNESDAY, doc_id="u")
    assert {e.source_sector for e in undated if e.source_country == "PAK"} == {"ELI"}


@pytest.mark.parametrize(
    ("text", "direction", "expected", "precision"),
    [
        ("talks were held on 16-17 January", "past", "2024-01-16", "day"),
        ("talks were held on January 16-18", "past", "2024-01-16", "day"),
        ("talks were held on January 16–18, 2023", "past", "2023-01-16", "day"),
        ("the war lasted from June 13 to 24, 2025", "past", "2025-06-13", "day"),
        ("relations thawed in mid-2023", "past", "2023-01-01", "year"),
        ("the previous day", "past", None, None),
    ],
)
def test_spans_of_days_take_their_first_day(
    text: str, direction: str, expected: str | None, precision: str | None
) -> None:
    mention = _only(text)
    resolved = resolve(mention, WEDNESDAY, direction)  # type: ignore[arg-type]
    if expected is None:
        assert resolved is None and mention.kind == "anchored"
    else:
        assert resolved is not None and (resolved.iso, resolved.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("the previous day", "2024-01-17", "day"),
        ("the previous week", "2024-01-11", "day"),
        ("the week before", "2024-01-11", "day"),
        ("the following week", "2024-01-25", "day"),
        ("the following month", "2024-02-01", "month"),
        ("the year after", "2025-01-01", "year"),
    ],
)
def test_periods_counted_from_the_anchor(text: str, expected: str, precision: str) -> None:
    resolved = resolve_anchored(_only(text), dt.date(2024, 1, 18))
    assert (resolved.iso, resolved.precision) == (expected, precision)


def test_ranges_of_years_and_model_numbers_are_not_dates() -> None:
    assert find_dates("Su-24 and F-16 jets") == []
    assert find_dates("the week before the vote") == []


@pytest.mark.slow
def test_counting_back_from_nothing_gives_no_date() -> None:
    # nothing in the report is dated for "two days earlier" to count from
    events = code_text(
        "Two days earlier, Pakistan had recalled its ambassador from Tehran.", published=WEDNESDAY, doc_id="b"
    )
    recalls = [e for e in events if e.source_country == "PAK"]
    assert recalls, events
    assert all(e.date is None and e.extra.get("before_publication") for e in recalls), recalls
    # with a dated event before it, the same words count back from that event
    anchored = code_text(
        "Pakistan struck Iran on 18 January. Two days earlier, Iran had fired missiles into Pakistan.",
        published=WEDNESDAY,
        doc_id="a",
    )
    assert {e.date for e in anchored if e.source_country == "IRN"} == {"2024-01-16"}
