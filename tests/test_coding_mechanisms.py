"""Role, direction, modality and date mechanisms, each on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding import Coder
from detente.record import Document, Event

PUBLISHED = dt.date(2024, 3, 10)


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder()


def _code(coder: Coder, text: str) -> list[Event]:
    return coder.code_text(text, published=PUBLISHED, doc_id="m")


def _dyads(events: list[Event], root: str | None = None) -> set[tuple[str, str]]:
    return {(e.source_country, e.target_country) for e in events if root in (None, e.cameo_root)}


def test_support_verb_seen_through_a_verb_misparse_of_a_noun_modifier(coder: Coder) -> None:
    # the parser reads "drone" as a verb conjoined to "fired", with "strikes" as its object
    events = _code(coder, "Turkey fired rocket and drone strikes on Syrian territory.")
    assert ("TUR", "SYR") in _dyads(events, "19")


@pytest.mark.parametrize("measure", ["a wave of", "a series of", "a barrage of"])
def test_measure_noun_is_looked_through(coder: Coder, measure: str) -> None:
    events = _code(coder, f"Russia launched {measure} air strikes against Ukraine.")
    assert ("RUS", "UKR") in _dyads(events, "19")
