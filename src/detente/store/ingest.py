"""Code news documents and store them, batch by batch, safe to interrupt and rerun.

Each batch (documents, their events, their mentions, its ``sources`` row) commits in one transaction.
Documents already stored (same id or same text hash) are not coded again, so rerunning ``ingest`` after
a crash codes only what the crash lost and the counts end as in a clean run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from detente.errors import StoreError
from detente.record import Document, Event
from detente.store.store import Store

__all__ = ["Coder", "IngestReport", "ingest"]

Coder = Callable[[list[Document]], Iterable[Event]]


@dataclass(slots=True)
class IngestReport:
    documents_read: int = 0
    documents_added: int = 0
    documents_skipped: int = 0  # already stored (same id or same text)
    events_added: int = 0
    events_merged: int = 0  # reports of an event already stored: one more mention, not one more event
    batches: int = 0


def _default_coder() -> Coder:
    try:
        from detente.coding import code_documents
    except ImportError:
        raise StoreError("the event coder (detente.coding.code_documents) is not available") from None

    def code(docs: list[Document]) -> Iterable[Event]:
        return code_documents(docs)

    return code


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(docs)
    while batch := list(islice(iterator, size)):
        yield batch


def ingest(
    docs: Iterable[Document],
    store: Store,
    *,
    code: Coder | None = None,
    batch_size: int = 20,
    location: str = "ingest",
    on_batch: Callable[[IngestReport, int], None] | None = None,
) -> IngestReport:
    """Code ``docs`` not stored yet and store them with their events (deduplicated across reports).

    ``on_batch(report, documents_in_batch)`` is called after each committed batch (progress bars).
    """
    coder = code or _default_coder()
    report = IngestReport()
    for batch in _batches(docs, max(1, batch_size)):
        report.documents_read += len(batch)
        known = store.known_documents(batch)
        # Coding takes far longer than storing: readers may use the file meanwhile.
        store.release()
        fresh: list[Document] = []
        seen: set[str] = set()
        for doc in batch:
            if doc.doc_id in known or doc.doc_id in seen:
                report.documents_skipped += 1
            else:
                seen.add(doc.doc_id)
                fresh.append(doc)
        if fresh:
            events = list(coder(fresh))
            result = store.add_coded(fresh, events, kind="ingest", location=location)
            report.documents_added += result.documents_added
            report.documents_skipped += result.documents_skipped
            report.events_added += result.events_added
            report.events_merged += result.events_merged
            report.batches += 1
            # Readers (the web server) get the file between batches.
            store.release()
        if on_batch is not None:
            on_batch(report, len(batch))
    return report
