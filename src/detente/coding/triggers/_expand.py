"""From dictionary phrases to surface token sequences: inflection, spelling variants, hyphenated
compounds, and spaCy-compatible tokenization of the phrases themselves."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ._inflect import noun_forms, spelling_variants, verb_forms
from ._model import TriggerEntry, TriggerKind

__all__ = ["HEAD_MARK", "ContextForms", "Expander", "Pattern", "code_depth", "split_head", "tokenize_phrase"]

HEAD_MARK = "+"  # marks the word of a multiword phrase that inflects and heads it ("sexually +abuse")


@dataclass(frozen=True, slots=True)
class ContextForms:
    single: frozenset[str]
    multi: dict[str, tuple[tuple[str, ...], ...]]


@dataclass(frozen=True, slots=True)
class Pattern:
    tokens: tuple[str, ...]
    head_offset: int
    entry_index: int
    kind: TriggerKind
    lemma: str
    priority: int


# spaCy's English tokenizer splits a hyphen off only between a letter or digit and a following letter
# ("cease-fire" -> cease - fire, "24-hour" -> 24 - hour, but "F-16" and "B-2" stay whole), and splits
# possessive endings ("women's" -> women 's, "workers'" -> workers ').
_INFIX_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W\d_])")


def tokenize_phrase(phrase: str) -> list[str]:
    """Split a dictionary phrase the way spaCy's English tokenizer splits running text."""
    if "-" not in phrase and "'" not in phrase:
        return phrase.split()
    tokens: list[str] = []
    for word in phrase.split():
        suffix: list[str] = []
        if word.endswith("'s") and len(word) > 2:
            word, suffix = word[:-2], ["'s"]
        elif word.endswith("s'") and len(word) > 2:
            word, suffix = word[:-1], ["'"]
        for k, part in enumerate(_INFIX_HYPHEN.split(word)):
            if k:
                tokens.append("-")
            if part:
                tokens.append(part)
        tokens.extend(suffix)
    return tokens


def code_depth(code: str) -> int:
    """0 for residual codes (010, 190) whose meaning is 'none of the above', else 1 or 2 by digits."""
    if len(code) == 4:
        return 2
    return 0 if code.endswith("0") else 1


def split_head(phrase: str, kind: TriggerKind) -> tuple[list[str], int]:
    """Words of a phrase and the index of its head word (``+word`` marks it; else verb-first, noun-last)."""
    words = phrase.split()
    marked = [i for i, word in enumerate(words) if word.startswith(HEAD_MARK)]
    if marked:
        head = marked[0]
        words[head] = words[head][len(HEAD_MARK) :]
    else:
        head = 0 if kind == "verb" else len(words) - 1
    return words, head


class Expander:
    """Inflects dictionary phrases, memoised: the families 02, 03, 10, 12 and 13 repeat one verb list in
    dozens of entries, so each phrase is expanded once per load."""

    def __init__(
        self,
        irregular_verbs: Mapping[str, tuple[str, ...]],
        irregular_nouns: Mapping[str, tuple[str, ...]],
        spellings: Mapping[str, str],
    ) -> None:
        self._verbs = irregular_verbs
        self._nouns = irregular_nouns
        self._spellings = spellings
        self._spelling_cache: dict[str, tuple[str, ...]] = {}
        self._variants: dict[
            tuple[str, TriggerKind], tuple[str, int, tuple[tuple[tuple[str, ...], int], ...]]
        ] = {}
        self._contexts: dict[tuple[str, ...], ContextForms] = {}

    def patterns(
        self, phrase: str, kind: TriggerKind, entry_index: int, entry: TriggerEntry
    ) -> list[Pattern]:
        key = (phrase, kind)
        if key not in self._variants:
            self._variants[key] = self._surface_variants(phrase, kind)
        lemma, word_count, variants = self._variants[key]
        priority = (
            100 * entry.specificity + 10 * word_count + 10 * len(entry.requires) + code_depth(entry.code)
        )
        return [
            Pattern(
                tokens=tokens,
                head_offset=head_offset,
                entry_index=entry_index,
                kind=kind,
                lemma=lemma,
                priority=priority,
            )
            for tokens, head_offset in variants
            if not (len(tokens) == 1 and tokens[0] in entry.except_forms)
        ]

    def _surface_variants(
        self, phrase: str, kind: TriggerKind
    ) -> tuple[str, int, tuple[tuple[tuple[str, ...], int], ...]]:
        words, head = split_head(phrase.lower(), kind)
        head_word = words[head]
        if "-" in head_word:
            # inflect the last part of a hyphenated head ("cease-fire" -> "cease-fires")
            prefix, _, last = head_word.rpartition("-")
            prefix += "-"
        else:
            prefix, last = "", head_word
        forms = verb_forms(last, self._verbs) if kind == "verb" else noun_forms(last, self._nouns)
        joiners = [" "]
        if kind == "noun" and len(words) > 1 and not any("-" in w for w in words):
            joiners.append("-")  # "air strike" is also written "air-strike"
        variants: set[tuple[tuple[str, ...], int]] = set()
        for form in forms:
            inflected = [*words[:head], prefix + form, *words[head + 1 :]]
            for spelling in _spellings_of(inflected, self._spellings, self._spelling_cache):
                for joiner in joiners:
                    spelled = tuple(tokenize_phrase(joiner.join(spelling)))
                    variants.add((spelled, _head_token_offset(spelling, head, joiner)))
        return " ".join(words), len(words), tuple(sorted(variants))

    def context(self, phrases: tuple[str, ...]) -> ContextForms:
        if phrases not in self._contexts:
            self._contexts[phrases] = _context_forms(
                phrases, self._verbs, self._nouns, self._spellings, self._spelling_cache
            )
        return self._contexts[phrases]


def _head_token_offset(words: list[str], head: int, joiner: str) -> int:
    """Token offset of the head word once hyphens are split off (the last piece of a hyphenated word)."""
    separator = 0 if joiner == " " else 1
    offset = sum(len(tokenize_phrase(word)) + separator for word in words[:head])
    return offset + len(tokenize_phrase(words[head])) - 1


def _spellings_of(
    words: list[str], table: Mapping[str, str], cache: dict[str, tuple[str, ...]]
) -> list[list[str]]:
    """Every combination of the words' American and British spellings (``cache``: word -> spellings)."""
    options = []
    for word in words:
        if word not in cache:
            cache[word] = tuple(sorted(spelling_variants(word, table)))
        options.append(cache[word])
    if all(len(option) == 1 for option in options):
        return [words]
    return [list(combo) for combo in itertools.product(*options)]


def _context_forms(
    phrases: Sequence[str],
    irregular_verbs: Mapping[str, tuple[str, ...]],
    irregular_nouns: Mapping[str, tuple[str, ...]],
    spellings: Mapping[str, str],
    spelling_cache: dict[str, tuple[str, ...]],
) -> ContextForms:
    """Context lemmas match in every noun and verb form of their last word ("ambassador(s)").

    Multiword and hyphenated context phrases ("cease-fire", "martial law") are kept as token tuples
    indexed by their first token.
    """
    single: set[str] = set()
    multi: dict[str, set[tuple[str, ...]]] = {}
    for phrase in phrases:
        *before, last = phrase.split()
        for form in noun_forms(last, irregular_nouns) | verb_forms(last, irregular_verbs):
            for spelling in _spellings_of([*before, form], spellings, spelling_cache):
                tokens = tuple(tokenize_phrase(" ".join(spelling)))
                if len(tokens) == 1:
                    single.add(tokens[0])
                else:
                    multi.setdefault(tokens[0], set()).add(tokens)
    return ContextForms(frozenset(single), {k: tuple(sorted(v)) for k, v in multi.items()})
