"""English inflection for trigger lemmas: the lexicon stores lemmas, the matcher sees surface forms.

The matcher runs on tokenizer output (no tagger, no lemmatizer), so every lemma is expanded once, at load
time, into the forms a news sentence can carry. Over-generation is harmless here: a form that is not a
word ("visitted") simply never occurs in text, whereas a missing form silently loses events. So where a
spelling rule is uncertain (consonant doubling, British -ll-) both variants are produced.
Irregular forms come from ``data/inflections.yaml``, never from Python literals.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["noun_forms", "spelling_variants", "verb_forms"]

_VOWELS = frozenset("aeiou")
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


def _ends_cvc(word: str) -> bool:
    """Consonant-vowel-consonant ending, where English may double the final consonant (ban -> banned)."""
    if len(word) < 3:
        return False
    a, b, c = word[-3], word[-2], word[-1]
    return a not in _VOWELS and b in _VOWELS and c not in _VOWELS and c not in "wxy"


def _third_person(word: str) -> set[str]:
    if word.endswith(_SIBILANT_ENDINGS):
        return {word + "es"}
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return {word[:-1] + "ies"}
    if word.endswith("o"):
        return {word + "es", word + "s"}  # goes, vetoes; but also radios
    return {word + "s"}


def _past(word: str) -> set[str]:
    if word.endswith("e"):
        return {word + "d"}
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return {word[:-1] + "ied"}
    forms = {word + "ed"}
    if _ends_cvc(word):
        forms.add(word + word[-1] + "ed")
    if word.endswith("c"):
        forms.add(word + "ked")  # panicked, trafficked
    return forms


def _gerund(word: str) -> set[str]:
    if word.endswith("ie"):
        return {word[:-2] + "ying"}
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return {word[:-1] + "ing"}
    forms = {word + "ing"}
    if _ends_cvc(word):
        forms.add(word + word[-1] + "ing")
    if word.endswith("c"):
        forms.add(word + "king")
    return forms


def verb_forms(lemma: str, irregular: Mapping[str, tuple[str, ...]] | None = None) -> frozenset[str]:
    """All surface forms of a one-word verb lemma: base, 3rd person, past, participles.

    ``irregular`` maps a lemma to its irregular past and participle forms; when present they replace the
    regular ``-ed`` forms (the regular ones would be non-words anyway, but keeping them out keeps the
    form table honest).
    """
    word = lemma.lower()
    forms = {word} | _third_person(word) | _gerund(word)
    if irregular is not None and word in irregular:
        forms.update(irregular[word])
    else:
        forms |= _past(word)
    return frozenset(forms)


def noun_forms(lemma: str, irregular: Mapping[str, tuple[str, ...]] | None = None) -> frozenset[str]:
    """Singular and plural of a one-word noun lemma."""
    word = lemma.lower()
    if irregular is not None and word in irregular:
        return frozenset({word, *irregular[word]})
    if word.endswith(_SIBILANT_ENDINGS):
        plural = {word + "es"}
    elif len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        plural = {word[:-1] + "ies"}
    else:
        plural = {word + "s"}
    return frozenset({word} | plural)


# American and British suffixes: news in either spelling must match one dictionary ("criticized",
# "criticised"; "normalization", "normalisation"; "paralyzed", "paralysed").
_SUFFIX_PAIRS = (
    ("ization", "isation"),
    ("izations", "isations"),
    ("ize", "ise"),
    ("ized", "ised"),
    ("izes", "ises"),
    ("izing", "ising"),
    ("yze", "yse"),
    ("yzed", "ysed"),
    ("yzes", "yses"),
    ("yzing", "ysing"),
)


def spelling_variants(word: str, table: Mapping[str, str] | None = None) -> frozenset[str]:
    """``word`` and its other English spellings: -ize/-ise suffixes, plus whole words from ``table``
    (defense/defence, favor/favour; both directions)."""
    variants = {word}
    if ("iz" in word or "is" in word or "yz" in word or "ys" in word) and len(word) > 5:
        for american, british in _SUFFIX_PAIRS:
            for ending, other in ((american, british), (british, american)):
                if word.endswith(ending) and len(word) - len(ending) >= 3:
                    variants.add(word[: -len(ending)] + other)
    if table:
        variants |= {table[v] for v in variants if v in table}
    return frozenset(variants)
