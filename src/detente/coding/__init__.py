"""Stage 2: code news text into dated CAMEO events with their evidence.

``code_text(text, published=None, doc_id="doc")`` and ``code_documents(documents)`` use one shared
``Coder`` (the spaCy model and the lexicons load once per process); build a ``Coder(model=...)`` of
your own to choose the spaCy model. See ``engine`` for how a sentence is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import lru_cache

from detente.coding.engine import Coder
from detente.record import Document, Event

__all__ = ["Coder", "code_documents", "code_text", "default_coder"]


@lru_cache(maxsize=1)
def default_coder() -> Coder:
    """The process-wide coder behind ``code_text`` and ``code_documents`` (built on first use)."""
    return Coder()


def code_text(text: str, published: dt.date | str | None = None, doc_id: str = "doc") -> list[Event]:
    """Events in ``text``; ``published`` (a date or YYYY-MM-DD) anchors relative dates."""
    return default_coder().code_text(text, published=published, doc_id=doc_id)


def code_documents(documents: Iterable[Document]) -> Iterator[Event]:
    """Events of every document, in document order."""
    return default_coder().code_documents(documents)
