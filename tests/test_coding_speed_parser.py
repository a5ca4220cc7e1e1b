"""The coder's fast parse (``SentenceParser`` with its embedding memo) gives the model's own parse.

The memo is only a speed-up: tags, POS, heads, dependency labels and verb lemmas must be those of the
pipeline run as spaCy runs it (with the same attribute ruler / lemmatizer substitute), token for token.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from detente.coding.nlp import SentenceParser, load_model
from detente.sources import sample_documents

_ATTRS: list[int | str] = ["TAG", "POS", "HEAD", "DEP", "LEMMA"]


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def _sample_texts() -> list[str]:
    texts = [document.text for document in sample_documents()]
    # edge cases of batching: empty and blank texts between real ones
    return [texts[0], "", texts[1], " \n ", *texts[2:]]


def _shared_texts(shared_dir: Path, limit: int = 400) -> list[str]:
    texts: list[str] = []
    for name in ("petrarch2_gsr_validation.jsonl", "plover_gsr_cameo.jsonl", "conflibert_cameo_penta.jsonl"):
        path = shared_dir / "eval" / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                text = json.loads(line).get("text")
                if text:
                    texts.append(text)
    return texts[:limit]


def _parses(parser: SentenceParser, texts: list[str]) -> list[list[list[int]]]:
    return [doc.to_array(_ATTRS).tolist() for doc in parser.pipe(texts, batch_size=16)]


def _reference(nlp: Any, texts: list[str]) -> list[list[list[int]]]:
    parser = SentenceParser(nlp)
    parser._embedding = None  # the components run by spaCy itself
    return _parses(parser, texts)


def test_the_small_english_model_gets_the_memo(nlp: Any) -> None:
    parser = SentenceParser(nlp)
    assert parser.embedding_cache is not None
    list(parser.pipe(["Iran recalled its ambassador from Pakistan.", "Pakistan recalled its envoy."]))
    cache = parser.embedding_cache
    assert len(cache) > 0
    assert cache.hits > 0  # "recalled", "its", "." seen twice


def test_memoised_parse_equals_the_pipeline_parse_on_the_sample(nlp: Any) -> None:
    texts = _sample_texts()
    assert _parses(SentenceParser(nlp), texts) == _reference(nlp, texts)


def test_memo_that_overflows_and_starts_afresh_changes_nothing(nlp: Any) -> None:
    texts = _sample_texts()
    small = SentenceParser(nlp, cache_rows=1500)
    assert _parses(small, texts + texts) == _reference(nlp, texts + texts)
    assert small.embedding_cache is not None
    assert len(small.embedding_cache) <= 1500 + 16 * 400  # at most one batch beyond the limit


def test_memoised_parse_equals_the_pipeline_parse_on_real_news(nlp: Any, shared_dir: Path) -> None:
    texts = _shared_texts(shared_dir)
    assert texts
    assert _parses(SentenceParser(nlp), texts) == _reference(nlp, texts)


def test_a_tok2vec_of_another_shape_runs_unmemoised() -> None:
    from thinc.api import Relu, chain

    from detente.coding.nlp import _EmbeddingCache

    assert _EmbeddingCache.wrap(chain(Relu(8, 8), Relu(8, 8)), 1000) is None
