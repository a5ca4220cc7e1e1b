"""Speed of the event coder against a plain spaCy parse of the same text, on one core.

    python benchmarks/coding_speed.py [--repeat N] [--no-shared]

Text: the bundled sample corpus (``detente.sources.sample_documents()``), plus, when ``../shared`` is
beside the project, its two example articles and the sentences of its gold sets (each sentence a
document), the whole repeated ``--repeat`` times. Both runs see the same documents in the same process
after a warm-up. Baselines: ``nlp.pipe`` over every document with (1) the model's default pipeline,
what "parse the text with spaCy" costs; (2) the pipeline the coder loads (NER excluded); (3) only
tok2vec, tagger and parser, the least any dependency-based coder must run on every sentence. Figures:
sentences/s and documents/s for each, and the coder's speed as a multiple of each.
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
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the fastest of each is kept")
    parser.add_argument(
        "--no-shared", action="store_true", help="bundled sample only, even if ../shared exists"
    )
    args = parser.parse_args()

    import spacy

    from detente.coding.nlp import resolve_model_name

    base = corpus(not args.no_shared)
    documents = [Document(f"{d.doc_id}#{k}", d.text, d.published) for k in range(args.repeat) for d in base]
    coder = Coder()
    name = resolve_model_name()
    baselines = {
        "default pipeline (all components, NER too)": spacy.load(name),
        "coder's model pipeline (NER excluded)": coder.nlp,
        "tok2vec + tagger + parser only": spacy.load(name, exclude=["ner", "attribute_ruler", "lemmatizer"]),
    }
    list(coder.code_documents(base[:20]))  # warm-up: lexicons, caches, first batches
    for nlp in baselines.values():
        list(nlp.pipe((d.text for d in base[:20]), batch_size=128))

    # the machine is shared: CPU time of this process (one thread), every run repeated and interleaved, the
    # fastest of each kept
    coder_seconds = float("inf")
    timings = dict.fromkeys(baselines, float("inf"))
    events = 0
    for _round in range(max(1, args.rounds)):
        coder.stats.update(documents=0, sentences=0, parsed=0, events=0)
        started = time.process_time()
        events = sum(1 for _ in coder.code_documents(documents))
        coder_seconds = min(coder_seconds, time.process_time() - started)
        for label, nlp in baselines.items():
            started = time.process_time()
            for _doc in nlp.pipe((d.text for d in documents), batch_size=128):
                pass
            timings[label] = min(timings[label], time.process_time() - started)
    sentences = coder.stats["sentences"]
    parsed = coder.stats["parsed"]

    n_docs = len(documents)
    characters = sum(len(d.text) for d in documents)
    print(f"corpus: {n_docs} documents, {sentences} sentences, {characters} characters")
    print(
        f"coder: {coder_seconds:7.2f} s {sentences / coder_seconds:7.0f} sentences/s "
        f"{n_docs / coder_seconds:6.0f} documents/s  ({events} events; parsed {parsed} of {sentences} "
        f"sentences = {100 * parsed / max(1, sentences):.0f}%)"
    )
    for label, seconds in timings.items():
        print(
            f"plain nlp.pipe, {label}: {seconds:7.2f} s {sentences / seconds:7.0f} sentences/s "
            f"{n_docs / seconds:6.0f} documents/s; coder = {seconds / coder_seconds:.2f}x"
        )


if __name__ == "__main__":
    main()
