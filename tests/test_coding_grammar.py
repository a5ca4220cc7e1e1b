"""The word lists and code tables of coding/grammar.yaml: one check per family."""

from __future__ import annotations

import dataclasses

from detente import cameo
from detente.coding.grammar import Grammar, load_grammar


def test_every_word_list_is_filled_and_lowercase() -> None:
    grammar = load_grammar()
    for field in dataclasses.fields(Grammar):
        value = getattr(grammar, field.name)
        if isinstance(value, frozenset):
            assert value, field.name
            assert all(word == word.lower() and word.strip() == word for word in value), field.name


def test_modality_families_do_not_overlap() -> None:
    grammar = load_grammar()
    families = {
        "planning": grammar.planning_verbs,
        "request": grammar.request_verbs,
        "threat": grammar.threat_verbs,
        "denial": grammar.denial_verbs,
        "report": grammar.report_verbs,
    }
    names = list(families)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not families[first] & families[second], (first, second, families[first] & families[second])
    assert not grammar.future_aux & grammar.hypothetical_aux


def test_intent_codes_are_cameo_intents_of_cooperative_roots() -> None:
    grammar = load_grammar()
    assert grammar.intent_codes
    for prefix, code in grammar.intent_codes:
        assert prefix[:2] in ("04", "05", "06", "07", "08"), prefix
        assert cameo.is_valid(code) and code.startswith("03"), code
    lengths = [len(prefix) for prefix, _code in grammar.intent_codes]
    assert lengths == sorted(lengths, reverse=True), "most specific prefix first"
    assert grammar.intent_code("042") == "036"
    assert grammar.intent_code("0612") is not None
    assert grammar.intent_code("190") is None


def test_threat_codes_cover_the_hostile_roots() -> None:
    grammar = load_grammar()
    for root in ("10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"):
        code = grammar.threat_codes[root]
        assert cameo.is_valid(code) and code.startswith("13"), (root, code)


def test_wrong_lemmas_of_the_model_are_matched_where_the_right_one_is() -> None:
    # the English model lemmatizes "staged" as "stag" and "hoped" as "hop"
    grammar = load_grammar()
    assert "stag" in grammar.support_verbs and "hop" in grammar.planning_verbs
    assert "stag" not in grammar.planning_verbs and "hop" not in grammar.support_verbs
