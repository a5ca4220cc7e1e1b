"""What runs on a worker: read one partition, code the documents not known to the store, return records.

The coder is built once per worker process and kept for every later partition: loading the model and
the lexicons costs about a second, coding a partition may cost less.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from detente.record import Document, Event
from detente.scale.partitions import Partition, ReadOptions, read_partition
from detente.sources import ReadProblem

if TYPE_CHECKING:
    from detente.coding import Coder

__all__ = [
    "CodedPartition",
    "KnownDocuments",
    "KnownDocumentsFile",
    "code_documents",
    "code_here",
    "code_partition",
    "limit_native_threads",
    "start_worker_process",
]


def start_worker_process(client_pid: int) -> None:
    """Set up a local worker process: one native thread, and exit when the client is gone.

    A client killed with ``kill -9`` cannot shut its pool down; its worker processes would wait for
    tasks forever, each holding a model in memory. A watchdog thread ends the worker once its parent
    is no longer the client (the orphan was adopted by another process).
    """
    limit_native_threads()

    def watch() -> None:
        while os.getppid() == client_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="detente-client-watchdog", daemon=True).start()


def limit_native_threads() -> None:
    """One BLAS/OpenMP thread per worker: N workers on N cores, not N x cores threads fighting."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def _digest(text: str) -> int:
    import hashlib

    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


@dataclass(frozen=True, slots=True)
class KnownDocuments:
    """The documents a store held when the run began, as sorted 64-bit digests of ids and text hashes.

    Eight bytes per document travel to the workers instead of the ids themselves. A digest can collide,
    so a hit means only "probably stored": such a document is sent back uncoded and the client, which
    asks the store exactly, codes it if it was not stored after all. Nothing is lost to a collision.
    """

    ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    hashes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @classmethod
    def of(cls, doc_ids: list[str], text_hashes: list[str]) -> KnownDocuments:
        ids = np.unique(np.fromiter((_digest(d) for d in doc_ids), dtype=np.int64, count=len(doc_ids)))
        hashes = np.unique(
            np.fromiter((_digest(h) for h in text_hashes), dtype=np.int64, count=len(text_hashes))
        )
        return cls(ids, hashes)

    def __len__(self) -> int:
        return int(self.ids.size)

    def probably_stored(self, document: Document) -> bool:
        from detente.store import text_hash

        return _member(self.ids, _digest(document.doc_id)) or _member(
            self.hashes, _digest(text_hash(document.text))
        )

    def save(self, folder: str) -> KnownDocumentsFile:
        """Write the digests under ``folder`` for worker processes to map rather than receive per task."""
        # a new name each time: workers cache what they mapped by path
        tag = uuid.uuid4().hex
        ids, hashes = os.path.join(folder, f"ids-{tag}.npy"), os.path.join(folder, f"hashes-{tag}.npy")
        np.save(ids, self.ids)
        np.save(hashes, self.hashes)
        return KnownDocumentsFile(ids, hashes)


@dataclass(frozen=True, slots=True)
class KnownDocumentsFile:
    """``KnownDocuments`` saved on this machine: a task carries two paths, each worker maps the files once."""

    ids: str
    hashes: str

    def load(self) -> KnownDocuments:
        return _mapped(self.ids, self.hashes)


@lru_cache(maxsize=2)
def _mapped(ids: str, hashes: str) -> KnownDocuments:
    return KnownDocuments(np.load(ids, mmap_mode="r"), np.load(hashes, mmap_mode="r"))


def _member(sorted_values: np.ndarray, value: int) -> bool:
    if sorted_values.size == 0:
        return False
    where = int(np.searchsorted(sorted_values, value))
    return where < sorted_values.size and int(sorted_values[where]) == value


@dataclass(slots=True)
class CodedPartition:
    """A partition's documents in reading order; ``events[i]`` is None for a document left uncoded."""

    index: int
    documents: list[Document]
    locations: list[str]  # where each document was read: file:line for a JSONL range, else its origin
    events: list[list[Event] | None]
    problems: list[ReadProblem]
    sentences: int = 0
    seconds: float = 0.0
    worker: str = ""
    coders_built: int = 0  # 1 when this task had to load the model: once per worker process and model


# One coder per process, used by one thread at a time: the coder's spaCy pipeline is shared by every
# Coder of a process (detente.coding.nlp caches it) and is not safe to run from two threads at once
# (tried: events went missing). Under the threads scheduler, or a distributed worker with several
# threads, partitions still read their input in parallel and take turns to code.
_coders: dict[str | None, Coder] = {}
_coding = threading.Lock()


def _coder(model: str | None) -> Coder:
    from detente.coding import Coder

    if model not in _coders:
        _coders[model] = Coder(model=model)
    return _coders[model]


def code_here(documents: list[Document], model: str | None) -> list[Event]:
    """Code ``documents`` in this process with its shared coder, taking turns with worker threads."""
    with _coding:
        return list(_coder(model).code_documents(documents))


def code_documents(documents: list[Document], model: str | None) -> tuple[list[list[Event]], int]:
    """Each document's events and the sentences read (a task: documents the client renamed, coded
    again under their new ids)."""
    limit_native_threads()
    coded: dict[str, list[Event]] = {d.doc_id: [] for d in documents}
    with _coding:
        coder = _coder(model)
        before = coder.stats["sentences"]
        for event in coder.code_documents(documents):
            coded[event.doc_id].append(event)
        sentences = coder.stats["sentences"] - before
    return [coded[d.doc_id] for d in documents], sentences


def code_partition(
    partition: Partition,
    options: ReadOptions,
    model: str | None,
    known: KnownDocuments | KnownDocumentsFile | None,
) -> CodedPartition:
    """Read ``partition`` and code each document ``known`` does not hold; plain records come back."""
    limit_native_threads()
    started = time.perf_counter()
    problems: list[ReadProblem] = []
    read = list(read_partition(partition, options, problems.append))
    documents = [document for document, _ in read]
    if isinstance(known, KnownDocumentsFile):
        known = known.load()
    # An id repeated in the partition is coded once: the client renames the later ones and has them
    # coded again under their new ids (an event id includes the document id).
    first: dict[str, Document] = {}
    for document in documents:
        first.setdefault(document.doc_id, document)
    fresh = [d for d in first.values() if known is None or not known.probably_stored(d)]
    coded: dict[int, list[Event]] = {id(d): [] for d in fresh}
    by_id = {d.doc_id: id(d) for d in fresh}
    sentences = 0
    built = 0
    if fresh:
        with _coding:
            built = int(model not in _coders)
            coder = _coder(model)
            before = coder.stats["sentences"]
            for event in coder.code_documents(fresh):
                coded[by_id[event.doc_id]].append(event)
            sentences = coder.stats["sentences"] - before
    return CodedPartition(
        index=partition.index,
        documents=documents,
        locations=[where for _, where in read],
        events=[coded.get(id(d)) for d in documents],
        problems=problems,
        sentences=sentences,
        seconds=time.perf_counter() - started,
        worker=f"{os.uname().nodename}:{os.getpid()}",
        coders_built=built,
    )
