"""Benchmark: trigger-lexicon matching on tokenizer output vs the tokenizer alone, and load time.

Reads sentences from ``../shared/eval/conflibert_cameo_penta.jsonl`` (train split; texts only) and
repeats them to ``--sentences``. For each round it times ``nlp.make_doc`` alone (the in-process
baseline every pre-filter must pay) and ``make_doc`` + ``TriggerLexicon.match``, and prints sentences
per second and the ratio; then the uncached dictionary load time.

    python benchmarks/trigger_matching.py --sentences 20000
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from detente.coding.triggers import TriggerLexicon

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _sentences(count: int) -> list[str]:
    path = SHARED / "eval" / "conflibert_cameo_penta.jsonl"
    texts = [
        record["text"]
        for record in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if record.get("split") == "train"
    ]
    return (texts * (count // len(texts) + 1))[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = _sentences(args.sentences)
    nlp = spacy.blank("en")
    lexicon = TriggerLexicon.load()
    best_tok = best_match = float("inf")
    candidates = 0
    for _ in range(args.rounds):
        start = time.perf_counter()
        for text in texts:
            nlp.make_doc(text)
        best_tok = min(best_tok, time.perf_counter() - start)
        start = time.perf_counter()
        candidates = 0
        for text in texts:
            candidates += len(lexicon.match(nlp.make_doc(text)))
        best_match = min(best_match, time.perf_counter() - start)
    n = len(texts)
    print(f"sentences: {n}, candidates per sentence: {candidates / n:.1f}")
    print(f"tokenizer alone:        {n / best_tok:10.0f} sentences/s")
    ratio = best_match / best_tok
    print(f"tokenizer + match:      {n / best_match:10.0f} sentences/s  ({ratio:.2f}x tokenizer time)")
    start = time.perf_counter()
    lexicon = TriggerLexicon.from_directory(None)
    print(f"dictionary load (uncached): {time.perf_counter() - start:.2f} s, {lexicon!r}")


if __name__ == "__main__":
    main()
