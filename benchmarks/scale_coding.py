"""Coding speed with 1 worker process vs N (detente.scale on Dask's local processes), same input, same run.

    python benchmarks/scale_coding.py [--workers 2] [--repeat 10] [--rounds 3] [--partition-size 10]

Input: the bundled sample corpus repeated ``--repeat`` times (ids made distinct), plus, when ``../shared``
is beside the project, its example articles (``examples/articles.jsonl`` and ``examples/articles/*.txt``);
written to a temporary folder as JSONL and read by the workers, as ``detente scale ingest`` does.
Baseline: one ``Coder`` in this process coding the documents ``read_paths`` gives (no Dask at all).
Also timed: storing the coded documents through ``detente.store.ingest``, the part that stays serial.
Both worker pools are started and warmed up (every worker has loaded its model) before timing; the
three configurations take turns in each of ``--rounds`` rounds and the median is reported, with the
load average and, each round, the speed-up a pure CPU loop gets from N processes at that moment (the
ceiling the machine allows: on a shared machine it is well below N). Figures: documents/s and
sentences/s, how many workers were kept busy on average (the scheduler's share: N when no worker
ever waits), and the speed-up of N workers over 1.
"""

from __future__ import annotations

import os

# one BLAS thread per process: N workers on N cores
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

from detente.coding import Coder  # noqa: E402
from detente.record import Document, Event  # noqa: E402
from detente.scale import DEFAULT_BATCH_SIZE, Cluster, ScaleReport, code_distributed  # noqa: E402
from detente.sources import read_paths, sample_documents  # noqa: E402
from detente.store import Store, ingest  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SPIN_STEPS = 5_000_000  # about 0.3 s of one free core


def write_corpus(folder: Path, repeat: int, use_shared: bool) -> list[str]:
    sample = list(sample_documents())
    corpus = folder / "sample-repeated.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for round_ in range(repeat):
            for doc in sample:
                record = {
                    "id": f"{doc.doc_id}#{round_}",
                    "text": doc.text,
                    "published": doc.published.isoformat() if doc.published else None,
                }
                handle.write(json.dumps(record) + "\n")
    paths = [str(corpus)]
    examples = SHARED / "examples"
    if use_shared and examples.is_dir():
        paths += [str(p) for p in [examples / "articles.jsonl", examples / "articles"] if p.exists()]
    return paths


def spin(steps: int) -> int:
    """Pure-Python CPU work with no I/O and no shared state: the ceiling any process pool can reach."""
    total = 0
    for step in range(steps):
        total += step * step
    return total


def time_storing(coder: Coder, documents: list[Document], folder: Path, rounds: int, batch: int) -> float:
    """Median seconds the client takes to store already coded documents: the part that stays serial."""
    coded: dict[str, list[Event]] = {d.doc_id: [] for d in documents}
    for event in coder.code_documents(documents):
        coded[event.doc_id].append(event)
    # the repeated sample has repeated texts, which the store would skip as already stored
    documents = [dataclasses.replace(d, text=f"{d.text}\n[{d.doc_id}]") for d in documents]
    seconds: list[float] = []
    for round_ in range(rounds):
        store = Store(folder / f"store-{batch}-{round_}.duckdb")
        started = time.perf_counter()
        ingest(
            documents, store, code=lambda fresh: [e for d in fresh for e in coded[d.doc_id]], batch_size=batch
        )
        seconds.append(time.perf_counter() - started)
        store.close()
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="N (default: cores)")
    parser.add_argument("--repeat", type=int, default=10, help="times the sample is repeated (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per configuration; median kept")
    parser.add_argument("--partition-size", type=int, default=10, help="documents per task (default 10)")
    parser.add_argument("--no-shared", action="store_true", help="bundled sample only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="detente-scale-bench-") as tmp:
        paths = write_corpus(Path(tmp), args.repeat, not args.no_shared)
        documents = list(read_paths(paths, on_error=lambda problem: None))
        print(f"input: {len(documents)} documents from {', '.join(Path(p).name for p in paths)}")
        print(
            f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores"
        )

        coder = Coder()
        list(coder.code_documents(documents[:20]))  # warm-up

        def in_process() -> tuple[int, int, float]:
            before = coder.stats["sentences"]
            list(coder.code_documents(read_paths(paths, on_error=lambda problem: None)))
            return len(documents), coder.stats["sentences"] - before, 0.0

        # Both pools stay open and the configurations take turns within each round, so a change in
        # the machine's load (it is shared) falls on all of them alike.
        with contextlib.ExitStack() as stack:
            runs: dict[str, Callable[[], tuple[int, int, float]]] = {"in-process Coder (no Dask)": in_process}
            for workers in sorted({1, args.workers}):
                cluster = stack.enter_context(Cluster("processes", workers))

                def distributed(cluster: Cluster = cluster) -> tuple[int, int, float]:
                    report = ScaleReport()
                    for _ in code_distributed(
                        paths, cluster=cluster, partition_size=args.partition_size, report=report
                    ):
                        pass
                    return report.documents, report.sentences, report.worker_seconds

                started = time.perf_counter()
                distributed()  # warm-up: every worker loads its model
                label = f"{workers} worker process{'es' if workers > 1 else ''}"
                print(f"  ({label}: first pass, with model loading, {time.perf_counter() - started:.1f} s)")
                runs[label] = distributed
            spinners = stack.enter_context(
                ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn"))
            )
            list(spinners.map(spin, [1000] * args.workers))
            seconds: dict[str, list[float]] = {label: [] for label in runs}
            counts: dict[str, tuple[int, int]] = {}
            # seconds workers spent reading and coding / wall seconds: how many workers were kept busy
            busy: dict[str, list[float]] = {label: [] for label in runs}
            ceilings: list[float] = []
            for round_ in range(args.rounds):
                for label, run in runs.items():
                    started = time.perf_counter()
                    documents_done, sentences_done, worker_seconds = run()
                    wall = time.perf_counter() - started
                    counts[label] = (documents_done, sentences_done)
                    seconds[label].append(wall)
                    busy[label].append(worker_seconds / wall)
                # What the machine gives N processes right now, measured between the timed runs.
                started = time.perf_counter()
                for _ in range(args.workers):
                    spin(SPIN_STEPS)
                serial = time.perf_counter() - started
                started = time.perf_counter()
                list(spinners.map(spin, [SPIN_STEPS] * args.workers))
                ceilings.append(serial / (time.perf_counter() - started))
                print(
                    f"  round {round_ + 1}: load average {os.getloadavg()[0]:.2f}, "
                    f"CPU-loop speed-up with {args.workers} processes {ceilings[-1]:.2f}x"
                )
        results = {label: (statistics.median(times), *counts[label]) for label, times in seconds.items()}

        store_seconds = {
            batch: time_storing(coder, documents, Path(tmp), args.rounds, batch)
            for batch in (20, DEFAULT_BATCH_SIZE)
        }
        print(f"load average after:  {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        print(f"\n{'configuration':<30} {'median s':>9} {'documents/s':>12} {'sentences/s':>12} {'busy':>6}")
        for label, (seconds, docs, sentences) in results.items():
            kept = f"{statistics.median(busy[label]):.2f}" if "worker" in label else ""
            print(
                f"{label:<30} {seconds:>9.2f} {docs / seconds:>12.1f} {sentences / seconds:>12.1f} {kept:>6}"
            )
        print("busy: workers kept busy on average (seconds spent in partitions / wall seconds)")
        one = results["1 worker process"][0]
        if args.workers > 1:
            many = results[f"{args.workers} worker processes"][0]
            ceiling = statistics.median(ceilings)
            print(
                f"\nspeed-up, {args.workers} workers over 1: {one / many:.2f}x; the machine's ceiling at the "
                f"time (a pure CPU loop in {args.workers} processes over 1): {ceiling:.2f}x"
            )
        print(f"1 worker over the in-process coder: {results['in-process Coder (no Dask)'][0] / one:.2f}x")
        for batch, seconds in store_seconds.items():
            print(
                f"the single writer (detente.store.ingest of coded documents, batches of {batch}): "
                f"{len(documents) / seconds:.0f} documents/s, "
                f"{seconds / results['in-process Coder (no Dask)'][0]:.1%} of the in-process coding time"
            )


if __name__ == "__main__":
    main()
