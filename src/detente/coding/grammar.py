"""The closed-class word lists of ``grammar.yaml``, loaded once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from detente.errors import InputError

__all__ = ["Grammar", "load_grammar"]


@dataclass(frozen=True, slots=True)
class Grammar:
    future_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    planning_verbs: frozenset[str]
    request_verbs: frozenset[str]
    subject_control_verbs: frozenset[str]
    threat_verbs: frozenset[str]
    denial_verbs: frozenset[str]
    report_verbs: frozenset[str]
    obligation_aux: frozenset[str]
    conditional_marks: frozenset[str]
    negators: frozenset[str]
    planned_modifiers: frozenset[str]
    hypothetical_modifiers: frozenset[str]
    negated_modifiers: frozenset[str]
    cancel_verbs: frozenset[str]
    anticipation_verbs: frozenset[str]
    support_verbs: frozenset[str]
    experiencer_verbs: frozenset[str]
    measure_nouns: frozenset[str]
    carrier_nouns: frozenset[str]
    undirected_roots: frozenset[str]
    partitive_nouns: frozenset[str]
    population_sectors: frozenset[str]
    protest_roots: frozenset[str]
    own_population_codes: frozenset[str]
    state_force_sectors: frozenset[str]
    repression_roots: frozenset[str]
    place_preps: frozenset[str]
    place_target_roots: frozenset[str]
    pair_preps: frozenset[str]
    country_parts: frozenset[str]
    relative_pronouns: frozenset[str]
    modifier_deps: frozenset[str]
    pair_nouns: frozenset[str]
    pair_quantifiers: frozenset[str]
    counterpart_nouns: frozenset[str]
    collective_pronouns: frozenset[str]
    person_pronouns: frozenset[str]
    pronoun_window: int
    intent_codes: tuple[tuple[str, str], ...]  # (prefix, CAMEO intent code), most specific prefix first
    threat_codes: dict[str, str]  # root of a threatened event -> CAMEO threat code
    announced_threat_roots: frozenset[str] = frozenset()
    announced_threat_cues: frozenset[str] = frozenset()
    announced_refusal_roots: frozenset[str] = frozenset()
    announced_refusal_cues: frozenset[str] = frozenset()
    personal_relatives: frozenset[str] = frozenset()
    exclusion_preps: frozenset[str] = frozenset()
    participation_verbs: frozenset[str] = frozenset()
    complaint_roots: frozenset[str] = frozenset()
    complaint_purpose_roots: frozenset[str] = frozenset()

    def intent_code(self, code: str) -> str | None:
        """The CAMEO "express intent" code for a planned event of ``code``, if it is cooperative."""
        for prefix, intent in self.intent_codes:
            if code.startswith(prefix):
                return intent
        return None


def _words(section: dict[str, Any], key: str) -> frozenset[str]:
    value = section.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"grammar.yaml: {key!r} must be a list of words")
    return frozenset(v.lower() for v in value)


def _with_slips(grammar: Grammar, slips: dict[str, str]) -> Grammar:
    """Add to every word list the wrong lemmas the model gives for the words it holds."""
    changes: dict[str, frozenset[str]] = {}
    for item in dataclasses.fields(grammar):
        words = getattr(grammar, item.name)
        if isinstance(words, frozenset):
            extra = {wrong for wrong, meant in slips.items() if meant in words}
            if extra:
                changes[item.name] = words | extra
    return dataclasses.replace(grammar, **changes)  # type: ignore[arg-type]


@cache
def load_grammar() -> Grammar:
    text = resources.files(__package__).joinpath("grammar.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    modality, roles, reference = data["modality"], data["roles"], data["reference"]
    slips = {str(k).lower(): str(v).lower() for k, v in (data.get("lemmatizer_slips") or {}).items()}
    return _with_slips(_build(data, modality, roles, reference), slips)


def _build(
    data: dict[str, Any], modality: dict[str, Any], roles: dict[str, Any], reference: dict[str, Any]
) -> Grammar:
    return Grammar(
        future_aux=_words(modality, "future_aux"),
        hypothetical_aux=_words(modality, "hypothetical_aux"),
        planning_verbs=_words(modality, "planning_verbs"),
        request_verbs=_words(modality, "request_verbs"),
        subject_control_verbs=_words(modality, "subject_control_verbs"),
        threat_verbs=_words(modality, "threat_verbs"),
        denial_verbs=_words(modality, "denial_verbs"),
        report_verbs=_words(modality, "report_verbs"),
        obligation_aux=_words(modality, "obligation_aux"),
        conditional_marks=_words(modality, "conditional_marks"),
        negators=_words(modality, "negators"),
        planned_modifiers=_words(modality, "planned_modifiers"),
        hypothetical_modifiers=_words(modality, "hypothetical_modifiers"),
        negated_modifiers=_words(modality, "negated_modifiers"),
        cancel_verbs=_words(modality, "cancel_verbs"),
        anticipation_verbs=_words(modality, "anticipation_verbs"),
        support_verbs=_words(roles, "support_verbs"),
        experiencer_verbs=_words(roles, "experiencer_verbs"),
        measure_nouns=_words(roles, "measure_nouns"),
        carrier_nouns=_words(roles, "carrier_nouns"),
        undirected_roots=_words(roles, "undirected_roots"),
        partitive_nouns=_words(roles, "partitive_nouns"),
        population_sectors=_words(roles, "population_sectors"),
        protest_roots=_words(roles, "protest_roots"),
        own_population_codes=_words(roles, "own_population_codes"),
        state_force_sectors=_words(roles, "state_force_sectors"),
        repression_roots=_words(roles, "repression_roots"),
        place_preps=_words(roles, "place_preps"),
        place_target_roots=_words(roles, "place_target_roots"),
        pair_preps=_words(roles, "pair_preps"),
        country_parts=_words(roles, "country_parts"),
        relative_pronouns=_words(roles, "relative_pronouns"),
        personal_relatives=_words(roles, "personal_relatives"),
        exclusion_preps=_words(roles, "exclusion_preps"),
        participation_verbs=_words(roles, "participation_verbs"),
        complaint_roots=_words(roles, "complaint_roots"),
        complaint_purpose_roots=_words(roles, "complaint_purpose_roots"),
        modifier_deps=_words(roles, "modifier_deps"),
        pair_nouns=_words(reference, "pair_nouns"),
        pair_quantifiers=_words(reference, "pair_quantifiers"),
        counterpart_nouns=_words(reference, "counterpart_nouns"),
        collective_pronouns=_words(reference, "collective_pronouns"),
        person_pronouns=_words(reference, "person_pronouns"),
        pronoun_window=int(reference["pronoun_window"]),
        threat_codes={str(k): str(v) for k, v in (data.get("threat_codes") or {}).items()},
        announced_threat_roots=_words(data["announced_threat"], "roots"),
        announced_threat_cues=_words(data["announced_threat"], "cues"),
        announced_refusal_roots=_words(data["announced_refusal"], "roots"),
        announced_refusal_cues=_words(data["announced_refusal"], "cues"),
        intent_codes=tuple(
            sorted(
                ((str(k), str(v)) for k, v in (data.get("intent_codes") or {}).items()),
                key=lambda kv: -len(kv[0]),
            )
        ),
    )
