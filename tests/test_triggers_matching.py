"""Matching behaviour of the trigger lexicon on tokenizer output (no tagger, no parser)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from detente.coding.triggers import TriggerLexicon, TriggerMatch

_NLP = spacy.blank("en")


def _doc(text: str) -> Doc:
    return _NLP.make_doc(text)


def _codes(text: str) -> set[str]:
    return {m.code for m in TriggerLexicon.load().match(_doc(text))}


def _best(text: str) -> TriggerMatch:
    matches = TriggerLexicon.load().match(_doc(text))
    assert matches, text
    return max(matches, key=lambda m: m.priority)


def test_fire_missiles_is_aerial_attack_and_outranks_generic_attack() -> None:
    doc = _doc("Iran fired missiles into Pakistan on 16 January.")
    best = _best(doc.text)
    assert best.code == "195"
    assert doc[best.head].text == "fired"
    assert best.context_token is not None and doc[best.context_token].text == "missiles"


def test_requires_is_enforced_and_reported() -> None:
    lexicon = TriggerLexicon.load()
    doc = _doc("The company fired its chief executive.")
    assert not any(m.code == "195" for m in lexicon.match(doc))
    unmet = [m for m in lexicon.match(doc, include_unmet=True) if m.code == "195"]
    assert unmet and not unmet[0].requires_met


def test_irregular_past_of_phrasal_verb() -> None:
    matches = TriggerLexicon.load().match(_doc("Pakistan struck back within 24 hours."))
    strike_back = [m for m in matches if m.lemma == "strike back"]
    assert strike_back and strike_back[0].text == "struck back" and strike_back[0].code == "190"


def test_hyphenated_compound_noun_has_noun_head() -> None:
    doc = _doc("Iran's air-strikes on Pakistan")
    best = _best(doc.text)
    assert best.code == "195" and best.kind == "noun"
    assert doc[best.head].text == "strikes"
    assert "on" in best.target_preps


def test_recall_ambassador() -> None:
    assert "161" in _codes("Pakistan recalled its ambassador from Tehran.")


def test_forbids_blocks_labour_strike_as_military() -> None:
    assert "190" not in _codes("Teachers went on strike over pay.")


def test_has_trigger_prefilter() -> None:
    lexicon = TriggerLexicon.load()
    assert lexicon.has_trigger(_doc("The two foreign ministers held talks in Beijing."))
    assert not lexicon.has_trigger(_doc("The weather was mild and the markets were quiet."))


def test_homographs_are_kept_out() -> None:
    lexicon = TriggerLexicon.load()
    # "state" the noun, "March" the month and "back" the adverb are not events
    assert not any(m.code == "010" for m in lexicon.match(_doc("The state budget grew.")))
    assert not any(m.code.startswith("14") for m in lexicon.match(_doc("Talks resumed in March.")))
    assert "141" in _codes("Thousands march on parliament.")
    assert not any(m.code == "051" for m in lexicon.match(_doc("The envoy came back on Monday.")))
    assert "051" in _codes("The party backed the president.")
    assert "116" not in _codes("The minister said everything was fine.")
    assert "116" in _codes("The court fined the company two million euros.")


def test_has_trigger_can_ignore_weak_statement_verbs() -> None:
    lexicon = TriggerLexicon.load()
    doc = _doc("He said it was a quiet day.")
    assert lexicon.has_trigger(doc)
    assert not lexicon.has_trigger(doc, min_priority=0)
    assert lexicon.has_trigger(_doc("He said Iran attacked Pakistan."), min_priority=0)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Iran fired missiles at Pakistan.", "195"),
        ("The missile attack on Pakistan killed two children.", "195"),
        ("An airstrike hit the village.", "195"),
        ("Pakistan vowed retaliation.", "190"),
        ("Pakistan retaliated within hours.", "190"),
        ("Pakistan struck back at militant hideouts.", "190"),
        ("The visit of the Iranian minister to Islamabad went ahead.", "042"),
        ("Tehran hosted the Pakistani delegation.", "043"),
        ("The two issued a joint statement.", "019"),
        ("They agreed to set up a hotline between their armies.", "050"),
        ("The neighbours restored ties in January.", "050"),
        ("Islamabad recalled its ambassador.", "161"),
        ("Riyadh broke off relations with Tehran.", "161"),
        ("Moscow expelled ten diplomats.", "161"),
        ("The two sides signed an agreement on trade.", "057"),
        ("Brussels imposed sanctions on Minsk.", "163"),
        ("Ankara condemned the attack.", "111"),
        ("Delhi accused Islamabad of harbouring militants.", "112"),
        ("Tehran threatened Washington.", "130"),
        ("Iran denied the report.", "016"),
        ("The ministers met in Davos.", "040"),
        ("The talks lasted two days.", "046"),
        ("Both sides negotiated for hours.", "046"),
        ("Qatar mediated between the two.", "045"),
        ("The ceasefire held overnight.", "0871"),
        ("The agencies share intelligence.", "064"),
        ("Each side will station liaison officers in the other's capital.", "062"),
        ("Russia deployed troops along the border.", "154"),
        ("The navy evacuated foreign nationals.", "073"),
        ("Students protested outside the embassy.", "141"),
        ("Police arrested the suspect.", "173"),
    ],
)
def test_phrases_from_the_issue(text: str, code: str) -> None:
    assert code in _codes(text), sorted(_codes(text))


def test_context_windows_stop_at_sentence_boundaries() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    lexicon = TriggerLexicon.load()
    text = "The company fired its manager. Missiles were later seen over the city."
    assert "195" in {m.code for m in lexicon.match(_NLP.make_doc(text))}  # no boundaries: one window
    assert "195" not in {m.code for m in lexicon.match(nlp(text))}


def test_empty_and_punctuation_only_documents() -> None:
    lexicon = TriggerLexicon.load()
    assert lexicon.match(_doc("")) == []
    assert not lexicon.has_trigger(_doc("... !!! ---"))
