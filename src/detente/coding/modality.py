"""Modality of an event from the dependency parse: did it happen, is it planned, threatened, denied?

The rule is read off the clause that holds the trigger and the clauses above it:

- an auxiliary on the trigger's verb: "will visit" is planned, "could strike" hypothetical;
- a governing verb: "plans to visit", "agreed to station", "is set to meet" are planned,
  "threatened to strike" threatened, "denied attacking" denied;
- a conditional subordinator ("if Iran attacks ...") makes the clause hypothetical;
- a negation ("did not attack") means nothing happened: the trigger yields no event, unless a
  denial governs it (then it is the denial's content);
- an event noun takes the modality of the verb it is the object or subject of ("will pay a visit"),
  or of its own modifier ("the planned visit").

``Reading.governor`` is the verb that governs the clause (if any), so that the engine can fold a
generic trigger such as "agreed" or "said" into the more specific event it introduces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.coding.grammar import Grammar
from detente.coding.nlp import lemma_of

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["Reading", "read_modality"]

_CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "pcomp", "advcl", "conj"})
_NOUN_TO_VERB = frozenset({"dobj", "nsubj", "nsubjpass", "attr", "oprd", "obj", "dative"})
_MAX_DEPTH = 5
_TEMPORAL_PREPS = frozenset({"after", "before", "upon", "on", "following", "until", "while", "when"})


@dataclass(frozen=True, slots=True)
class Reading:
    modality: str  # one of record.MODALITIES
    negated: bool  # a plain negation: the event did not happen and is not coded
    cue: str  # the word that decided, for the event's rule
    governors: tuple[int, ...]  # token indices of the verbs governing the clause, nearest first
    future: bool  # the clause points forward in time (for resolving "on Tuesday")
    past: bool  # the clause is in a past tense
    before_past: bool = False  # past perfect ("had attacked"): earlier than the report's own time


def _aux_reading(verb: Token, grammar: Grammar) -> tuple[str | None, str]:
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass"):
            word = child.lower_
            if word in grammar.future_aux:
                return "planned", word
            if word in grammar.hypothetical_aux:
                return "hypothetical", word
    return None, ""


def _negated(token: Token, grammar: Grammar) -> bool:
    return any(
        child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no") for child in token.children
    ) or any(child.lower_ in grammar.negators and child.dep_ in ("neg", "advmod") for child in token.children)


def _conditional(verb: Token, grammar: Grammar) -> bool:
    return any(child.dep_ == "mark" and child.lower_ in grammar.conditional_marks for child in verb.children)


def _is_past(verb: Token) -> bool:
    if verb.tag_ == "VBD":
        return True
    return (
        verb.tag_ == "VBN"
        and any(
            child.dep_ in ("aux", "auxpass")
            and child.tag_ in ("VBD", "VBZ", "VBP")
            and lemma_of(child) in ("have", "be")
            for child in verb.children
        )
    ) or any(child.dep_ in ("aux", "auxpass") and child.tag_ == "VBD" for child in verb.children)


def _past_perfect(verb: Token) -> bool:
    return verb.tag_ == "VBN" and any(
        child.dep_ == "aux" and child.lower_ in ("had", "'d") for child in verb.children
    )


def _planning_governor(governor: Token, clause: Token, grammar: Grammar) -> bool:
    lemma = lemma_of(governor)
    if lemma not in grammar.planning_verbs:
        return False
    if lemma == "be":  # "was to visit": only with an infinitive complement
        return clause.dep_ == "xcomp" or any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)
    if lemma == "go":  # "is going to visit"
        return governor.tag_ == "VBG" and clause.dep_ == "xcomp"
    if lemma in ("set", "expect"):  # "is set to meet", "is expected to arrive", "expects to sign"
        return clause.dep_ == "xcomp"
    if lemma == "look":  # "looks to sign"
        return clause.dep_ in ("xcomp", "pcomp", "pobj")
    return True


def read_modality(head: Token, grammar: Grammar, code: str | None = None) -> Reading:
    """How the event whose trigger head is ``head`` (of CAMEO ``code``, when given) is asserted.

    With ``code``, an act of force or coercion announced for the future ("said it would impose sanctions
    if ...") reads as threatened: CAMEO codes such an announcement as a threat (see grammar.yaml).
    """
    reading = _read(head, grammar)
    if (
        code is not None
        and code[:2] in grammar.announced_threat_roots
        and reading.modality in ("planned", "hypothetical")
        and not reading.negated
        and reading.cue in grammar.announced_threat_cues
        and not _undergone(head, grammar)
    ):
        return Reading("threatened", False, reading.cue, reading.governors, True, False)
    return reading


def _undergone(head: Token, grammar: Grammar) -> bool:
    """Whether an event noun is what its clause's subject would undergo ("Libya would face punishment"):
    announcing that is the threat itself, coded by the engine as such."""
    return (
        head.pos_ in ("NOUN", "PROPN")
        and head.dep_ in ("dobj", "obj")
        and lemma_of(head.head) in grammar.experiencer_verbs
    )


def _read(head: Token, grammar: Grammar) -> Reading:
    token = head
    governors: list[int] = []
    modality: str | None = None
    cue = ""
    negated = False
    if token.pos_ in ("NOUN", "PROPN"):
        for child in token.children:
            word = child.lower_
            if child.dep_ in ("amod", "compound", "nmod", "det"):
                if word in grammar.planned_modifiers:
                    modality, cue = "planned", word
                elif word in grammar.hypothetical_modifiers:
                    modality, cue = "hypothetical", word
                elif word in grammar.negated_modifiers:
                    negated, cue = True, word
        if token.dep_ == "pobj" and token.head.dep_ in ("prep", "agent"):
            verb = token.head.head
            if (
                token.head.lower_ == "for"
                and lemma_of(verb) in grammar.anticipation_verbs
                and modality is None
            ):
                modality, cue = "planned", lemma_of(verb)
        if (
            token.dep_ == "pobj"
            and token.head.lower_ == "of"
            and token.head.head.lower_ in grammar.measure_nouns
            and token.head.head.i != token.head.i
        ):
            # "a round of talks ... was called off": the measure noun stands in the clause for the event
            token = token.head.head
        if token.dep_ in _NOUN_TO_VERB and token.head.pos_ in ("VERB", "AUX"):
            verb = token.head
            lemma = lemma_of(verb)
            if lemma in grammar.cancel_verbs and (
                lemma != "call" or any(c.lower_ == "off" for c in verb.children)
            ):
                negated, cue = True, lemma
            if lemma in grammar.anticipation_verbs and token.dep_ == "dobj" and modality is None:
                modality, cue = "planned", lemma
            token = verb
            governors.append(verb.i)
        else:
            return Reading(
                modality or "asserted", negated, cue, tuple(governors), modality == "planned", False
            )
    past = _is_past(token)
    token_at_start = token
    reported = False
    future = False
    for _depth in range(_MAX_DEPTH):
        aux, word = _aux_reading(token, grammar)
        if aux and modality is None:
            modality, cue = aux, word
            future = future or aux == "planned"
        if _negated(token, grammar) and modality not in ("denied",):
            negated = True
            cue = cue or "not"
        if _conditional(token, grammar) and modality in (None, "planned"):
            modality, cue = "hypothetical", "if"
        link = token.dep_
        if link == "pcomp" and token.head.dep_ == "prep" and token.head.lower_ in _TEMPORAL_PREPS:
            # "after visiting Tehran, he will meet ...": the same as an adverbial clause
            if modality is None and _aux_reading(token.head.head, grammar)[0] == "planned":
                modality, cue, future = "planned", "will", True
            break
        if link not in _CLAUSE_LINKS and not (link == "pobj" and token.head.dep_ == "prep"):
            break
        governor = token.head if link != "pobj" else token.head.head
        if governor.i == token.i:
            break
        if link == "conj":
            # a coordinated verb shares the auxiliaries of the first conjunct ("will meet and sign")
            if modality is None:
                aux, word = _aux_reading(governor, grammar)
                if aux:
                    modality, cue = aux, word
            token = governor
            continue
        if link == "advcl":
            # an adverbial clause is its own event ("after facing retaliation, Iran showed"), but one hanging
            # on a future clause has not happened either ("after returning to their posts, they will prepare")
            if modality is None and _aux_reading(governor, grammar)[0] == "planned":
                modality, cue, future = "planned", "will", True
            break
        governors.append(governor.i)
        lemma = lemma_of(governor)
        if lemma in grammar.denial_verbs:
            return Reading("denied", False, lemma, tuple(governors), False, past)
        if negated:
            # "did not agree to visit": the planned event is itself negated
            break
        if lemma in grammar.threat_verbs and (
            modality in (None, "planned") or (modality == "hypothetical" and cue != "if")
        ):
            return Reading("threatened", False, lemma, tuple(governors), True, False)
        if lemma in grammar.request_verbs and modality in (None, "planned") and link in ("xcomp", "ccomp"):
            # asked of someone, not done by anyone yet
            modality, cue = "hypothetical", lemma
        elif _planning_governor(governor, token, grammar) and modality in (None,):
            modality, cue = "planned", lemma
            future = True
        elif (
            modality == "hypothetical"
            and cue in ("would", "'d")
            and (lemma in grammar.report_verbs or _planning_governor(governor, token, grammar))
        ):
            # reported future ("said it would visit") or the future of an agreement ("agreed that their
            # ambassadors would return"): planned
            modality = "planned"
            future = True
        if lemma in grammar.report_verbs:
            reported = True
        if _negated(governor, grammar) and lemma not in grammar.report_verbs:
            negated = True
        token = governor
    if modality == "planned":
        future = True
    return Reading(
        modality or "asserted",
        negated,
        cue,
        tuple(governors),
        future,
        past and not future,
        # "said it had arrested": the past perfect of reported speech only follows the reporting verb's tense
        before_past=_past_perfect(token_at_start) and not future and not reported,
    )
