"""Speed of the event coder against a plain spaCy parse of the same text, on one core.

    python benchmarks/coding_speed.py [--repeat N] [--no-shared]

Text: the bundled sample corpus (``detente.sources.sample_documents()``), plus, when ``../shared`` is
beside the project, its two example articles and the sentences of its gold sets (each sentence a
document), the whole repeated ``--repeat`` times. Both runs see the same documents in the same process
after a warm-up; the baseline is ``nlp.pipe`` over every document with the same pipeline the coder
loads (tagger, parser, lemmatizer; no NER), i.e. what a coder that parses everything would pay before
doing any coding at all. Figures: sentences/s and documents/s for each, and their ratio.
"""

from __future__ import annotations

import os

# one core: set before numpy / thinc load their BLAS
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from detente.coding import Coder  # noqa: E402
from detente.record import Document  # noqa: E402
from detente.sources import sample_documents  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_FILES = (
    "conflibert_cameo_penta.jsonl",
    "petrarch2_gsr_validation.jsonl",
    "plover_gsr_cameo.jsonl",
    "cameo_manual_examples.jsonl",
)


def corpus(use_shared: bool) -> list[Document]:
    documents = list(sample_documents())
    if use_shared and SHARED.is_dir():
        for line in (SHARED / "examples" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
            raw = json.loads(line)
            documents.append(Document(raw["id"], raw["text"]))
        for name in GOLD_FILES:
            path = SHARED / "eval" / name
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    raw = json.loads(line)
                    if raw.get("text"):
                        documents.append(Document(str(raw["id"]), raw["text"]))
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="times the corpus is repeated (default 1)")
    parser.add_argument(
        "--no-shared", action="store_true", help="bundled sample only, even if ../shared exists"
    )
    args = parser.parse_args()

    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass

    base = corpus(not args.no_shared)
    documents = [Document(f"{d.doc_id}#{k}", d.text, d.published) for k in range(args.repeat) for d in base]
    coder = Coder()
    list(coder.code_documents(base[:20]))  # warm-up: lexicons, caches, first batches

    coder.stats.update(documents=0, sentences=0, parsed=0, events=0)
    started = time.perf_counter()
    events = sum(1 for _ in coder.code_documents(documents))
    coder_seconds = time.perf_counter() - started
    sentences = coder.stats["sentences"]
    parsed = coder.stats["parsed"]

    nlp = coder.nlp
    started = time.perf_counter()
    for _doc in nlp.pipe((d.text for d in documents), batch_size=128):
        pass
    plain_seconds = time.perf_counter() - started

    n_docs = len(documents)
    print(
        f"corpus: {n_docs} documents, {sentences} sentences, {sum(len(d.text) for d in documents)} characters"
    )
    print(f"coder:  {coder_seconds:8.2f} s  {sentences / coder_seconds:9.0f} sentences/s  "
          f"{n_docs / coder_seconds:8.0f} documents/s  ({events} events; parsed {parsed} of {sentences} "
          f"= {100 * parsed / max(1, sentences):.0f}%)")  # fmt: skip
    print(f"parse:  {plain_seconds:8.2f} s  {sentences / plain_seconds:9.0f} sentences/s  "
          f"{n_docs / plain_seconds:8.0f} documents/s  (plain nlp.pipe, same pipes)")  # fmt: skip
    print(f"ratio:  coder is {plain_seconds / coder_seconds:.2f}x the speed of the plain parse")


if __name__ == "__main__":
    main()
