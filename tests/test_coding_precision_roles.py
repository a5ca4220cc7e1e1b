"""Precision of roles: who is no party to an event (named as not taking part, a relative clause on a country
that is about a person, a complaint's purpose clause). Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding import Coder, default_coder
from detente.record import Event

PUBLISHED = dt.date(2024, 5, 6)


@pytest.fixture(scope="session")
def coder() -> Coder:
    return default_coder()


def _code(coder: Coder, text: str) -> list[Event]:
    return coder.code_text(text, published=PUBLISHED, doc_id="p")


def _in_sentence(events: list[Event], words: str) -> list[Event]:
    return [e for e in events if words in e.sentence]


# ------------------------------------------------------------------ named as not taking part
def test_an_actor_in_a_without_phrase_is_no_party(coder: Coder) -> None:
    events = _code(
        coder,
        "The truce was agreed directly between the armies of Ethiopia and Eritrea, "
        "without mediation by Kenya.",
    )
    dyads = {(e.source_country, e.target_country) for e in events if e.cameo_root == "08"}
    assert dyads == {("ETH", "ERI"), ("ERI", "ETH")}
    assert not any("KEN" in (e.source_country, e.target_country) for e in events)


def test_a_pair_implied_for_a_sentence_never_holds_a_country_it_names_as_outside(coder: Coder) -> None:
    # the document's pair is Norway-Sudan; the second sentence says Norway did not mediate
    events = _code(
        coder,
        "Norway hosted Sudan's army chief in Oslo on 3 May 2024. "
        "A ceasefire was agreed without any mediation by Norway.",
    )
    assert not _in_sentence(events, "ceasefire")


def test_a_negated_participant_is_no_side_of_an_implied_pair(coder: Coder) -> None:
    events = _code(
        coder,
        "Norway hosted Sudan's army chief in Oslo on 3 May 2024. "
        "A ceasefire was agreed, though Norway was not involved.",
    )
    assert not _in_sentence(events, "ceasefire")


def test_an_event_noun_in_a_without_phrase_did_not_happen(coder: Coder) -> None:
    events = _code(coder, "Israel struck Syria without warning.")
    assert {e.cameo_root for e in events} == {"19"}


def test_the_states_after_of_on_a_plural_actor_are_one_actor_each(coder: Coder) -> None:
    events = _code(coder, "The governments of Chile and Peru agreed on a ceasefire.")
    assert {(e.source_country, e.target_country) for e in events} >= {("CHL", "PER"), ("PER", "CHL")}


# ------------------------------------------------------------------ "who" is a person, not a country
def test_who_after_a_country_in_a_prepositional_phrase_is_the_person_before_it(coder: Coder) -> None:
    events = _code(
        coder, "Egypt's ambassador to Jordan, who was visiting Egypt at the time, would not return."
    )
    # Egypt's ambassador visiting Egypt is no event between states; Jordan did not visit Egypt
    assert not [e for e in events if e.cameo_root == "04"]


def test_who_on_a_person_still_names_that_person(coder: Coder) -> None:
    events = _code(coder, "Peru's foreign minister, who visited Chile on 2 May 2024, met Chile's president.")
    assert ("PER", "CHL", "04") in {(e.source_country, e.target_country, e.cameo_root) for e in events}


# ------------------------------------------------------------------ a complaint's purpose clause
@pytest.mark.parametrize(
    "text",
    [
        "Turkey's foreign ministry summoned Greece's chargé d'affaires in Ankara to protest.",
        "Turkey's foreign ministry summoned Greece's ambassador in protest.",
    ],
)
def test_the_purpose_of_a_summons_is_the_summoners_complaint(coder: Coder, text: str) -> None:
    events = _code(coder, text)
    assert {(e.source_country, e.target_country, e.cameo_root) for e in events} == {("TUR", "GRC", "11")}


def test_object_control_still_holds_for_a_request(coder: Coder) -> None:
    events = _code(coder, "Turkey urged Greek students to protest.")
    assert any(e.cameo_root == "14" and e.source_country == "GRC" for e in events)
