"""Benchmark: actor lexicon load time and matching speed on tokenizer output.

Sentences are the 1,800 ConfliBERT news sentences in ``../shared/eval`` (real news text), tokenized once
with a blank English pipeline. Three runs over the same Docs, in the same process:

- ``ActorLexicon.match(doc, date, compose=True)``: what the coder calls (longest match, dates, titles);
- ``ActorLexicon.has_actor(doc)``: the pre-filter;
- baseline: spaCy's ``PhraseMatcher(attr="LOWER")`` holding the same phrases, which only finds spans.

    python benchmarks/actor_matching.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher

from detente.coding.actors import ActorLexicon

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _phrases(lexicon: ActorLexicon) -> list[str]:
    """Every phrase in the lexicon's trie, rebuilt from its folded tokens (the baseline gets the same set)."""
    phrases: list[str] = []
    stack: list[tuple[dict, list[str]]] = [(lexicon._trie, [])]
    while stack:
        node, words = stack.pop()
        for key, child in node.items():
            if key == "":
                phrases.append(" ".join(words))
            else:
                stack.append((child, [*words, key]))
    return phrases


def _best(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept")
    args = parser.parse_args()

    start = time.perf_counter()
    nlp = spacy.blank("en")
    spacy_seconds = time.perf_counter() - start
    start = time.perf_counter()
    lexicon = ActorLexicon(nlp.tokenizer)
    load_seconds = time.perf_counter() - start
    print(f"spaCy blank pipeline: {spacy_seconds:.2f} s; lexicon build: {load_seconds:.2f} s")

    path = SHARED / "eval" / "conflibert_cameo_penta.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    docs = [nlp.make_doc(text) for text in texts]
    tokens = sum(len(doc) for doc in docs)
    day = date(2024, 1, 1)

    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrases = _phrases(lexicon)
    matcher.add("ACTOR", [nlp.make_doc(phrase) for phrase in phrases])

    ours = _best(args.repeat, lambda: [lexicon.match(doc, day, compose=True) for doc in docs])
    prefilter = _best(args.repeat, lambda: [lexicon.has_actor(doc) for doc in docs])
    baseline = _best(args.repeat, lambda: [matcher(doc) for doc in docs])
    print(f"{len(docs)} sentences, {tokens} tokens, {len(phrases)} phrases")
    print(f"match (compose):      {len(docs) / ours:8.0f} sentences/s  {tokens / ours:9.0f} tokens/s")
    print(f"has_actor:            {len(docs) / prefilter:8.0f} sentences/s")
    print(f"PhraseMatcher (LOWER):{len(docs) / baseline:8.0f} sentences/s  (baseline: spans only)")
    print(f"match / PhraseMatcher time ratio: {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
