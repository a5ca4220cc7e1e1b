"""Speed of the event coder against a plain spaCy parse of the same text, on one core.

    python benchmarks/coding_speed.py [--repeat N] [--rounds R] [--no-shared]

Text: the bundled sample corpus (``detente.sources.sample_documents()``), plus, when ``../shared`` is
beside the project, its two example articles and the sentences of its gold sets (each sentence a
document), the whole repeated ``--repeat`` times. Everything runs in one process on one thread (BLAS and
OpenMP pools set to one thread before numpy loads), after a warm-up, in ``--rounds`` interleaved rounds;
each runner's CPU time is the median over rounds, and each ratio is the median of the per-round ratios
(coder and baseline timed back to back, so both see the same load). The coder's embedding memo is
emptied before every round: each round measures it cold on this text.

Baselines, ``nlp.pipe`` over every document with the coder's batch size:
(1) the model's default pipeline, what "parse the text with spaCy" costs (the target is >= 3x this);
(2) the pipeline the coder loads (NER excluded);
(3) tok2vec, tagger and parser only, the least any dependency-based coder must run on every sentence;
and, to show the coder's own overhead, (4) the coder's parser alone on exactly the sentences the coder
parses (its pre-filter applied, embedding memo on).
"""

from __future__ import annotations

import os

# one core: set before numpy / thinc / blis load their thread pools
for _name in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

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


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min) {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="times the corpus is repeated (default 1)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="timed rounds; medians are reported (default 5)"
    )
    parser.add_argument(
        "--no-shared", action="store_true", help="bundled sample only, even if ../shared exists"
    )
    args = parser.parse_args()

    import spacy

    from detente.coding.nlp import SentenceParser, resolve_model_name

    base = corpus(not args.no_shared)
    documents = [Document(f"{d.doc_id}#{k}", d.text, d.published) for k in range(args.repeat) for d in base]
    coder = Coder()
    batch = coder.batch_size
    name = resolve_model_name()
    # the sentences the coder parses, for baseline (4)
    parsed_texts = [
        item.document.text[s.start_char : s.end_char]
        for item in (coder._prepare(d) for d in documents)
        for s in item.to_parse
    ]
    parse_only = SentenceParser(coder.nlp)

    def pipeline(nlp: Any) -> Callable[[], None]:
        def run() -> None:
            for _doc in nlp.pipe((d.text for d in documents), batch_size=batch):
                pass

        return run

    def coder_parse() -> None:
        for _doc in parse_only.pipe(parsed_texts, batch_size=batch):
            pass

    baselines: dict[str, Callable[[], None]] = {
        "default pipeline (all components, NER too)": pipeline(spacy.load(name)),
        "coder's model pipeline (NER excluded)": pipeline(coder.nlp),
        "tok2vec + tagger + parser only": pipeline(
            spacy.load(name, exclude=["ner", "attribute_ruler", "lemmatizer"])
        ),
        "coder's parser alone on the sentences it parses": coder_parse,
    }

    list(coder.code_documents(base[:20]))  # warm-up: lexicons, caches, first batches
    for run in baselines.values():
        run()

    print(f"before: {_load()}")
    coder_times: list[float] = []
    timings: dict[str, list[float]] = {label: [] for label in baselines}
    events = 0
    for _round in range(max(1, args.rounds)):
        for memo in (
            getattr(coder.parser, "embedding_cache", None),
            getattr(parse_only, "embedding_cache", None),
        ):
            if memo is not None:
                memo.clear()
        coder.stats.update(documents=0, sentences=0, parsed=0, events=0)
        started = time.process_time()
        events = sum(1 for _ in coder.code_documents(documents))
        coder_times.append(time.process_time() - started)
        for label, run in baselines.items():
            started = time.process_time()
            run()
            timings[label].append(time.process_time() - started)
    print(f"after:  {_load()}")
    sentences = coder.stats["sentences"]
    parsed = coder.stats["parsed"]
    n_docs = len(documents)
    characters = sum(len(d.text) for d in documents)
    coder_seconds = statistics.median(coder_times)
    print(
        f"corpus: {n_docs} documents, {sentences} sentences, {characters} characters; "
        f"{len(coder_times)} rounds"
    )
    print(
        f"coder: {coder_seconds:7.2f} s {sentences / coder_seconds:7.0f} sentences/s "
        f"{n_docs / coder_seconds:6.0f} documents/s  ({events} events; parsed {parsed} of {sentences} "
        f"sentences = {100 * parsed / max(1, sentences):.0f}%; "
        f"rounds {', '.join(f'{t:.2f}' for t in coder_times)} s)"
    )
    for label, times in timings.items():
        seconds = statistics.median(times)
        ratio = statistics.median(t / c for t, c in zip(times, coder_times, strict=True))
        print(
            f"plain nlp.pipe, {label}: {seconds:7.2f} s {sentences / seconds:7.0f} sentences/s "
            f"{n_docs / seconds:6.0f} documents/s; coder = {ratio:.2f}x"
        )


if __name__ == "__main__":
    main()
