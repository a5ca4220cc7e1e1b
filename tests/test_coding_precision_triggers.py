"""Precision of triggers: a forbidden phrase that begins on the trigger word blocks it, and a release or
return with nothing returned is no event. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

from detente.coding import Coder, default_coder
from detente.coding.triggers import TriggerLexicon

PUBLISHED = dt.date(2024, 5, 6)


@pytest.fixture(scope="session")
def coder() -> Coder:
    return default_coder()


@pytest.fixture(scope="module")
def lexicon() -> TriggerLexicon:
    return TriggerLexicon.load()


def _entries(lexicon: TriggerLexicon, text: str) -> set[str]:
    return {m.entry_id for m in lexicon.match(spacy.blank("en").make_doc(text))}


def test_a_forbidden_phrase_starting_on_the_trigger_blocks_it(lexicon: TriggerLexicon) -> None:
    # the release entry forbids "returned home"; the phrase begins on the trigger word itself
    assert "08/084/release" not in _entries(lexicon, "The minister returned home on Friday.")
    assert "08/084/release" in _entries(lexicon, "Colombia returned the captured soldiers on Friday.")


def test_the_trigger_word_alone_does_not_forbid_itself(lexicon: TriggerLexicon) -> None:
    # "hand over power" is forbidden for handing persons back; "handed back the pilot" is not
    assert "08/0841/hand-persons-back" in _entries(
        lexicon, "Pakistan handed the captured pilot back to India."
    )
    assert "08/0841/hand-persons-back" not in _entries(lexicon, "The general handed over power to civilians.")


@pytest.mark.parametrize(
    "text",
    [
        "Chile's president cut short a trip to Madrid and returned home on 4 May.",
        "Chile's president returned from Madrid on 4 May.",
    ],
)
def test_returning_oneself_is_no_release(coder: Coder, text: str) -> None:
    # the document's pair (Chile, Peru) would otherwise be the implied target of a targetless "return"
    events = coder.code_text(
        f"Chile recalled its ambassador from Lima. {text}", published=PUBLISHED, doc_id="t"
    )
    assert not [e for e in events if e.cameo_root == "08"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Peru returned the seized fishing boat to Chile.", "0842"),
        ("Bolivia released two Chilean soldiers on Friday.", "0841"),
        ("The seized helicopter was returned to Chile by Peru.", "0842"),
    ],
)
def test_a_release_with_something_released_is_still_coded(coder: Coder, text: str, code: str) -> None:
    events = coder.code_text(text, published=PUBLISHED, doc_id="t")
    assert code in {e.cameo for e in events}
