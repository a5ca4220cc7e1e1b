"""Interstate news vocabulary: each phrasing family added for real reporting on crises and
reconciliations, with sentences written for these tests (none taken from any corpus). Each case
checks that the right CAMEO code is a candidate AND outranks every other candidate on the same
trigger word, since the engine falls back on priority when the parse cannot choose."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from detente.coding.triggers import TriggerLexicon, TriggerMatch
from detente.errors import InputError

_NLP = spacy.blank("en")


def _matches(text: str) -> list[TriggerMatch]:
    return TriggerLexicon.load().match(_NLP.make_doc(text))


def _best_at(text: str, word: str) -> TriggerMatch:
    """The highest-priority candidate whose span contains the token ``word``."""
    doc = _NLP.make_doc(text)
    index = next(t.i for t in doc if t.text == word)
    around = [m for m in TriggerLexicon.load().match(doc) if m.start <= index < m.end]
    assert around, f"no candidate on {word!r}"
    return max(around, key=lambda m: m.priority)


FAMILIES = [
    # shooting down aircraft of any type, including names no list can hold
    ("Syrian air defences shot down an Israeli F-15 over the Golan.", "shot", "195"),
    ("Ukraine says it shot down a Russian Ka-52 near Bakhmut.", "shot", "195"),
    ("The downing of the airliner killed all 176 people on board.", "downing", "195"),
    ("Bombers dropped guided bombs on the bridge.", "dropped", "195"),
    # handing captives back, with the particle after the person
    ("Kyiv handed 40 captured Russian soldiers back to Moscow.", "handed", "0841"),
    ("Tehran sent the detained French tourists home on Sunday.", "sent", "0841"),
    # diplomats given a deadline to leave: CAMEO 161, not 166
    ("Lithuania gave two Belarusian diplomats 72 hours to leave the country.", "gave", "161"),
    ("Rabat ordered the Algerian envoy to leave within a week.", "ordered", "161"),
    # cancelled or frozen contacts
    ("Seoul froze all high-level visits to Tokyo.", "froze", "161"),
    ("Ankara suspended official contacts with Vienna.", "suspended", "161"),
    # civil closures and suspended links: CAMEO 160 (191 needs armed forces)
    ("Afghanistan shut its border crossings with Pakistan after the clashes.", "shut", "160"),
    ("Moscow suspended charter flights to Georgia.", "suspended", "160"),
    ("Army units sealed the border with tanks and troops.", "sealed", "191"),
    # blaming while the other side denies
    ("Armenia blamed Azerbaijan for the shelling, and Baku denied it.", "blamed", "1123"),
    ("Kabul blamed Islamabad, and Islamabad denied involvement.", "blamed", "112"),
    # naming an act in terms of condemnation
    ("Beijing called the tariffs illegal and discriminatory.", "called", "111"),
    ("Caracas termed the seizure of its plane a flagrant act of piracy and a crime.", "termed", "111"),
    # welcoming an act is praise; welcoming a visitor stays hosting
    ("The African Union welcomed the truce between the two neighbours.", "welcomed", "051"),
    ("Ghana welcomed the remarks of the Nigerian president.", "welcomed", "051"),
    ("Minsk welcomed the lifting of the sanctions on its potash.", "welcomed", "051"),
    ("Kenya welcomed the Somali president to Nairobi.", "welcomed", "043"),
    # prize nominations, crediting, solidarity
    ("Armenia said it would nominate the US president for the Nobel Peace Prize.", "nominate", "051"),
    ("Kosovo credited Washington with ending the war.", "credited", "051"),
    ("Chile expressed solidarity with the people of Ecuador after the quake.", "expressed", "051"),
    ("Ireland stands in solidarity with the Palestinian people.", "stands", "051"),
    ("The envoy delivered a letter of regret from Tokyo to Seoul.", "letter", "055"),
    # warnings that the other side will pay
    ("Pyongyang said Seoul would face severe consequences.", "consequences", "130"),
    ("The rebels will suffer the consequences, the general said.", "consequences", "130"),
    ("Greece will not tolerate any violation of its airspace.", "tolerate", "130"),
    # a vow to respond is a threat of force even when the act answered (bombs) is named before it
    ("Kyiv said Russian jets had dropped bombs on a market and vowed to respond.", "vowed", "138"),
    # de-escalation with an article
    ("Qatar offered to help ease the tensions between the two capitals.", "ease", "087"),
    # restoring a relationship, envoys back at their posts
    ("The new government pledged to restore the relationship with Washington.", "restore", "050"),
    (
        "After returning to their posts in Doha and Cairo, the two ambassadors met the press.",
        "returning",
        "050",
    ),
    # intelligence shared, hotlines set up, visits exchanged, meals with counterparts
    ("Data on smuggling routes along the frontier will be regularly shared by both navies.", "shared", "064"),
    ("A direct military hotline between the two defence ministers was established.", "established", "050"),
    ("Officials of the two interior ministries exchanged visits in March.", "exchanged", "040"),
    ("The Japanese prime minister had dinner with the Indian premier in Tokyo.", "had", "040"),
    ("Macron lunched with Scholz at the Elysee.", "lunched", "040"),
    # third parties hosting talks between others, or helping them to a truce, mediate
    ("Norway hosted three rounds of talks between the government and the rebels.", "hosted", "045"),
    ("Egypt helped to broker a truce between Israel and Hamas.", "helped", "045"),
    # praise by naming, denial of remarks, questions raised
    ("The sultan called Oman's neighbour a brotherly nation and a trusted partner.", "called", "051"),
    ("Seoul rejected the ministry's statement as groundless.", "rejected", "016"),
    # lifting a flight ban is easing sanctions; suspending flights is a reduction of relations
    ("Moscow lifted the ban on charter flights to Egypt.", "lifted", "085"),
]


@pytest.mark.parametrize(("text", "word", "code"), FAMILIES)
def test_family_code_is_the_best_candidate_on_its_trigger(text: str, word: str, code: str) -> None:
    assert _best_at(text, word).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # evacuating one's own nationals is no aid to the country they leave
        ("Seoul evacuated its citizens from Khartoum.", "073"),
        ("India evacuated 800 of its nationals from Kyiv by train.", "073"),
        ("The two governments evacuated their citizens from Sudan.", "073"),
        # the idiom and the street are not aircraft being downed
        ("The senate shot down the proposal within a week.", "195"),
        ("A spokesman for Downing Street declined to comment.", "195"),
        # troops sent home are withdrawn, not released
        ("Madrid will send its troops home from Iraq by May.", "0841"),
        # consequences nobody is made to face are no threat
        ("The consequences of the drought were felt across the region.", "130"),
        # a bare financial credit is no praise
        ("The bank extended a credit line to the ministry.", "051"),
        # a country denying the accusation itself removes the accusation
        ("Minsk denied the accusations of spying.", "112"),
    ],
)
def test_family_guards(text: str, code: str) -> None:
    assert code not in {m.code for m in _matches(text)}


def test_civil_border_closure_is_not_a_blockade() -> None:
    codes = {m.code for m in _matches("Tajikistan closed its border with Kyrgyzstan to travellers.")}
    assert "160" in codes and "191" not in codes


def test_a_lost_entry_header_is_a_duplicate_key_error(tmp_path: Path) -> None:
    # two entries run together when an edit drops the "- id:" line: YAML alone would keep the second
    text = (
        'root: "19"\nentries:\n  - code: "190"\n    verbs: [attack]\n'
        + '    code: "195"\n    nouns: [airstrike]\n'
    )
    (tmp_path / "19_fight.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="duplicate key 'code'") as caught:
        TriggerLexicon.from_directory(tmp_path)
    assert "19_fight.yaml line 5" in str(caught.value) and "\n" not in str(caught.value)


def test_the_place_withdrawn_from_is_a_target_not_a_source() -> None:
    # "the French withdrawal from Mali": France leaves, Mali is the other side of the event
    match = next(m for m in _matches("The French withdrawal from Mali ended in 2022.") if m.code == "0874")
    assert "from" in match.target_preps and "from" not in match.source_preps
