"""Code on many workers, store from one: ``code_distributed`` and ``ingest_distributed``.

Workers read and code partitions (``worker.code_partition``); coded records come back to the client in
input order. The client gives each document the id ``read_paths`` would have given it in one stream
(a repeated id gets a ``~2`` suffix; such a document is coded again on the client under its new id,
because the id is part of every event id), and, for ``ingest_distributed``, writes through
``detente.store.ingest`` in committed batches: the store keeps one writer, its transactions and its
cross-report dedup exactly as in a single-process ``detente ingest``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import dask
from dask.delayed import Delayed

from detente.errors import DetenteError, InputError
from detente.record import Document, Event
from detente.scale.cluster import Cluster
from detente.scale.partitions import Partition, ReadOptions, plan_partitions
from detente.scale.worker import CodedPartition, KnownDocuments, code_documents, code_here, code_partition
from detente.sources import ReadProblem
from detente.sources.web import DEFAULT_TIMEOUT
from detente.store import DEDUP_WINDOW_DAYS, IngestReport, Store, ingest
from detente.store.store import resolve_path

if TYPE_CHECKING:
    import datetime as dt

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_PARTITION_SIZE",
    "CodedBatch",
    "ScaleReport",
    "code_distributed",
    "ingest_distributed",
    "known_documents",
]

# Documents (or JSONL lines, or input files) per partition: large enough that shipping a partition and
# its events costs little beside coding it (~0.1 s a document) and that the coder parses in full
# batches, small enough to spread a day of news over the workers.
DEFAULT_PARTITION_SIZE = 200
# Documents per committed batch. Each commit reopens and checkpoints the DuckDB file (~25-50 ms here):
# at `detente ingest`'s 20 the single writer stores ~50-100 documents/s, no faster than one coding
# core, and would cap any scale-out; at 200 it stores ~400+/s (benchmarks/scale_coding.py). A kill
# loses at most one uncommitted batch, which the rerun codes again.
DEFAULT_BATCH_SIZE = 200


@dataclass(slots=True)
class CodedBatch:
    """One partition's documents in input order and their events."""

    documents: list[Document]
    events: list[Event]


@dataclass(slots=True)
class ScaleReport:
    """What a distributed run did, beside the store's own ``IngestReport``."""

    ingest: IngestReport = field(default_factory=IngestReport)
    partitions: int = 0
    documents: int = 0
    sentences: int = 0
    worker_seconds: float = 0.0
    renamed: int = 0  # ids repeated across partitions: given a `~N` suffix and coded again on a worker
    coded_on_client: int = 0  # digest collisions (a document taken for stored that was not), coded here
    workers: set[str] = field(default_factory=set)  # host:pid of each worker process that ran a partition
    coders_built: int = 0  # models loaded by workers during the run (at most one per worker process)
    problems: list[ReadProblem] = field(default_factory=list)


class _Stream:
    """Coded documents of a run, in input order, with ``read_paths``' id rules across partitions."""

    def __init__(
        self,
        cluster: Cluster,
        paths: Iterable[str | os.PathLike[str]],
        *,
        options: ReadOptions,
        model: str | None,
        partition_size: int,
        known: KnownDocuments | None,
        report: ScaleReport,
        on_error: Callable[[ReadProblem], None],
        stdin: BinaryIO | None,
    ) -> None:
        self.cluster = cluster
        self.paths = list(paths)
        self.options = options
        self.model = model
        self.partition_size = partition_size
        self.known = known
        self.report = report
        self.on_error = on_error
        self.stdin = stdin
        self.seen: set[str] = set()
        self.partitions: dict[int, Partition] = {}
        self.jsonl_documents: dict[str, int] = {}

    def _problem(self, problem: ReadProblem) -> None:
        self.report.problems.append(problem)
        self.on_error(problem)

    def tasks(self) -> Iterator[Delayed]:
        known = self.cluster.share(self.known) if self.known is not None else None
        plan = plan_partitions(
            self.paths,
            partition_size=self.partition_size,
            options=self.options,
            on_error=self._problem,
            stdin=self.stdin,
        )
        for partition in plan:
            self.partitions[partition.index] = partition
            if partition.jsonl is not None:
                self.jsonl_documents.setdefault(partition.jsonl.path, 0)
            yield dask.delayed(code_partition, pure=False)(partition, self.options, self.model, known)

    def unique(self, document: Document, where: str) -> bool:
        """Give ``document`` the id ``read_paths`` would; True when it had to change."""
        if document.doc_id not in self.seen:
            self.seen.add(document.doc_id)
            return False
        number = 2
        while f"{document.doc_id}~{number}" in self.seen:
            number += 1
        new_id = f"{document.doc_id}~{number}"
        self._problem(
            ReadProblem(where, f"doc_id {document.doc_id!r} already used; this document is {new_id!r}", False)
        )
        document.doc_id = new_id
        self.seen.add(new_id)
        return True

    def documents(self) -> Iterator[tuple[Document, list[Event] | None]]:
        """Each document with its events, or None when it is probably stored already (not coded)."""
        results = self.cluster.map_ordered(self.tasks())
        while True:
            try:
                coded: CodedPartition | None = next(results, None)
            except DetenteError:
                raise
            except Exception as error:  # a worker died or a task failed: say which, keep what is stored
                reason = " ".join(str(error).split())[:200]
                raise DetenteError(
                    f"coding failed on a worker ({type(error).__name__}: {reason});"
                    " batches stored so far are kept: rerun the same command to go on"
                ) from error
            if coded is None:
                break
            partition = self.partitions.pop(coded.index)
            self.report.partitions += 1
            self.report.sentences += coded.sentences
            self.report.worker_seconds += coded.seconds
            self.report.workers.add(coded.worker)
            self.report.coders_built += coded.coders_built
            for problem in coded.problems:
                self._problem(problem)
            if partition.jsonl is not None:
                self.jsonl_documents[partition.jsonl.path] += len(coded.documents)
            events_of = list(coded.events)
            renamed = [
                number
                for number, (document, where) in enumerate(zip(coded.documents, coded.locations, strict=True))
                if self.unique(document, where)
            ]
            self.recode(coded.documents, events_of, renamed)
            for document, events in zip(coded.documents, events_of, strict=True):
                self.report.documents += 1
                yield document, events
        for path, count in self.jsonl_documents.items():
            if count == 0:
                self._problem(ReadProblem(path, "no readable documents in the JSONL file"))

    def recode(self, documents: list[Document], events: list[list[Event] | None], renamed: list[int]) -> None:
        """Code renamed documents again under their new ids (the id is part of every event id), on a
        worker: a corpus with one file name in many folders (index.html) must not be coded here."""
        self.report.renamed += len(renamed)
        fresh = [n for n in renamed if self.known is None or not self.known.probably_stored(documents[n])]
        for number in renamed:
            events[number] = None  # stored ones stay uncoded; the store's exact check has the last word
        if not fresh:
            return
        task = dask.delayed(code_documents, pure=False)([documents[n] for n in fresh], self.model)
        try:
            recoded, sentences = self.cluster.run(task)
        except DetenteError:
            raise
        except Exception as error:
            reason = " ".join(str(error).split())[:200]
            raise DetenteError(f"coding failed on a worker ({type(error).__name__}: {reason})") from error
        self.report.sentences += sentences
        for number, document_events in zip(fresh, recoded, strict=True):
            events[number] = document_events

    def code_here(self, document: Document) -> list[Event]:
        self.report.coded_on_client += 1
        # the process-wide coder and its lock: under the threads scheduler worker threads use it too
        return code_here([document], self.model)


def known_documents(store: Store) -> KnownDocuments:
    """Digests of the documents ``store`` holds, for workers to skip them (see ``KnownDocuments``)."""
    frame = store.query("SELECT doc_id, text_hash FROM documents")
    return KnownDocuments.of(
        [str(v) for v in frame["doc_id"]], [str(v) for v in frame["text_hash"] if v is not None]
    )


def code_distributed(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    scheduler: str = "processes",
    workers: int | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    published: dt.date | None = None,
    model: str | None = None,
    fetch_links: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    on_error: Callable[[ReadProblem], None] | None = None,
    cluster: Cluster | None = None,
    report: ScaleReport | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[CodedBatch]:
    """Read and code ``paths`` on Dask workers; one ``CodedBatch`` per partition, in input order.

    The events are those ``Coder(model).code_documents(read_paths(paths, published))`` gives, with the
    same ids and fields. ``scheduler``: "processes" (default; ``workers`` processes here), "threads",
    "synchronous" or a ``dask.distributed`` address ("tcp://host:8786"); pass an open ``cluster`` to
    reuse its workers (and their loaded models) across calls. Unreadable inputs go to ``on_error``
    (default: ignored; they are also kept in ``report.problems``).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if partition_size < 1:
        raise InputError(f"--partition-size {partition_size}: must be 1 or more")
    options = ReadOptions(published=published, fetch_links=fetch_links, timeout=timeout)
    own = cluster is None
    running = cluster if cluster is not None else Cluster(scheduler, workers)
    stream = _Stream(
        running,
        paths,
        options=options,
        model=model,
        partition_size=partition_size,
        known=None,
        report=report if report is not None else ScaleReport(),
        on_error=on_error or (lambda problem: None),
        stdin=stdin,
    )
    try:
        documents: list[Document] = []
        events: list[Event] = []
        last_partition = 0
        for document, coded in stream.documents():
            if stream.report.partitions != last_partition and documents:
                yield CodedBatch(documents, events)
                documents, events = [], []
            last_partition = stream.report.partitions
            documents.append(document)
            events.extend(coded or [])
        if documents:
            yield CodedBatch(documents, events)
    finally:
        if own:
            running.close()


def ingest_distributed(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    db: str | os.PathLike[str] | None = None,
    *,
    scheduler: str = "processes",
    workers: int | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dedup_window_days: int = DEDUP_WINDOW_DAYS,
    published: dt.date | None = None,
    model: str | None = None,
    fetch_links: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    on_error: Callable[[ReadProblem], None] | None = None,
    on_batch: Callable[[IngestReport, int], None] | None = None,
    cluster: Cluster | None = None,
    stdin: BinaryIO | None = None,
) -> ScaleReport:
    """Code ``paths`` on Dask workers and store them in the store at ``db`` (created on the first document).

    Safe to interrupt and rerun, like ``detente ingest``: each batch of ``batch_size`` documents commits
    in one transaction; documents the store already holds are neither coded nor stored again. Raises
    ``InputError`` without creating a store when nothing could be read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    if partition_size < 1:
        raise InputError(f"--partition-size {partition_size}: must be 1 or more")
    if batch_size < 1:
        raise InputError(f"--batch-size {batch_size}: must be 1 or more")
    path = resolve_path(db)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an event store file")
    report = ScaleReport()
    own = cluster is None
    running = cluster if cluster is not None else Cluster(scheduler, workers)
    try:
        known = _snapshot(path)
        stream = _Stream(
            running,
            paths,
            options=ReadOptions(published=published, fetch_links=fetch_links, timeout=timeout),
            model=model,
            partition_size=partition_size,
            known=known,
            report=report,
            on_error=on_error or (lambda problem: None),
            stdin=stdin,
        )
        pending: dict[str, list[Event]] = {}
        recent: deque[str] = deque()

        def documents() -> Iterator[Document]:
            for document, events in stream.documents():
                if events is not None:
                    pending[document.doc_id] = events
                    recent.append(document.doc_id)
                    # ingest() codes a batch right after reading it: older entries were skipped as stored.
                    while len(recent) > 2 * batch_size:
                        pending.pop(recent.popleft(), None)
                yield document

        def code(fresh: list[Document]) -> list[Event]:
            events: list[Event] = []
            for document in fresh:
                coded = pending.pop(document.doc_id, None)
                events.extend(coded if coded is not None else stream.code_here(document))
            return events

        incoming = documents()
        first = next(incoming, None)
        if first is None:
            skipped = sum(1 for problem in report.problems if problem.skipped)
            raise InputError(
                f"nothing could be read from {' '.join(map(str, paths))} ({skipped} input(s) skipped)"
            )
        store = Store(path, dedup_window_days=dedup_window_days)
        try:
            report.ingest = ingest(
                _chain(first, incoming),
                store,
                code=code,
                batch_size=batch_size,
                location=" ".join(map(str, paths)),
                on_batch=on_batch,
            )
        finally:
            store.close()
    finally:
        if own:
            running.close()
    return report


def _chain(first: Document, rest: Iterator[Document]) -> Iterator[Document]:
    yield first
    yield from rest


def _snapshot(path: Path) -> KnownDocuments:
    if not path.exists():
        return KnownDocuments()
    store = Store(path, read_only=True)
    try:
        return known_documents(store)
    finally:
        store.close()
